#pragma once
// ChartsDock: packets/s and bytes/s of chosen ports over virtual time (Qt Charts).
//
// What
//   Two charts, one above the other: packets per second and bytes per second, one line per
//   port and direction ("tap8cbe7bb6-18 rx"). Ports are chosen from a combo box (every
//   interface and OVS port of every node) or by selecting a device in the physical view;
//   at most kMaxSources are charted, the oldest choice dropped first.
//
// Design
//   The data is a PortCounterSeries (model/qt): it samples the counters as virtual time
//   advances; this dock only turns its samples into QLineSeries points (appended as they
//   come, rebuilt when the set of ports changes). The X axis is virtual seconds.

#include <QDockWidget>
#include <QList>

class QComboBox;
class QLineSeries;
class QChart;
class QChartView;
class QValueAxis;

namespace nlab::model {
class LabDocument;
class PortCounterSeries;
}  // namespace nlab::model

namespace nlab::app {

class ChartsDock : public QDockWidget {
    Q_OBJECT
public:
    static constexpr int kMaxSources = 3;

    explicit ChartsDock(model::LabDocument* document, QWidget* parent = nullptr);

    model::PortCounterSeries& series() { return *m_series; }
    QChart* packetsChart() const { return m_packets; }
    QChart* bytesChart() const { return m_bytes; }
    /// Charts device 'device' of node 'node' (drops the oldest beyond kMaxSources).
    void addPort(const QString& node, const QString& device);

public slots:
    /// Refills the port chooser from the lab.
    void syncPorts();

private:
    struct Lines {
        QLineSeries* rxPackets;
        QLineSeries* txPackets;
        QLineSeries* rxBytes;
        QLineSeries* txBytes;
    };
    void rebuildSeries();
    void appendSample(int index);
    void rescale();

    model::LabDocument* m_document;
    model::PortCounterSeries* m_series;
    QComboBox* m_chooser;
    QChart* m_packets;
    QChart* m_bytes;
    QValueAxis* m_packetsX;
    QValueAxis* m_packetsY;
    QValueAxis* m_bytesX;
    QValueAxis* m_bytesY;
    QList<Lines> m_lines;
};

}  // namespace nlab::app
