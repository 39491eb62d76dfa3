#pragma once
// PortCounterSeries: packets/s and bytes/s of chosen interfaces over virtual time, as plain
// data for the charts dock (which turns it into Qt Charts series; no Charts dependency here).
//
// What
//   The user picks devices ("compute", "tap8cbe7bb6-18"); the series samples each one's
//   receive and transmit counters as the lab's virtual time advances and keeps, per device,
//   a list of Samples: time, rx/tx packets per second, rx/tx bytes per second.
//
// Design
//   - A device is a NetDevice of the node (in any namespace; the root namespace first) or,
//     failing that, a port of one of the node's OVS bridges (patch and tunnel ports have no
//     NetDevice); counters are then the bridge port's rx/tx counters (rx: into the bridge).
//   - Sampling is driven by LabDocument::timeAdvanced(): a sample is taken when at least
//     interval() of virtual time has passed since the previous one, stamped with the current
//     time; its rates are the counter differences divided by the time since the previous
//     sample. When the clock jumps (a ping command runs it, the Player runs fast), one sample
//     covers the jump with the average rate — counters alone cannot say more.
//   - A device that disappears keeps its samples; sampling resumes if it comes back (its
//     counters then restart from the new device's values). labReset() clears every series
//     but keeps the chosen devices.
//   - Each series keeps at most capacity() samples (default 3600), oldest dropped.
//
// Invariants
//   Sample times strictly increase within a series; rates are never negative (a counter that
//   went backwards, e.g. a re-created device, restarts the baseline without a sample).

#include "engine/core/sim_clock.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <vector>

namespace nlab::model {

class LabDocument;

/// One sample of one device.
struct CounterSample {
    qint64 time = 0;       ///< Virtual time (ns) at the end of the sampled period.
    double rxPackets = 0;  ///< Packets per second received.
    double txPackets = 0;  ///< Packets per second sent.
    double rxBytes = 0;    ///< Bytes per second received.
    double txBytes = 0;    ///< Bytes per second sent.
};

/// A device to chart.
struct CounterSource {
    QString node;    ///< "compute".
    QString device;  ///< "tap8cbe7bb6-18", "gre-0a0a648b", "eth1".
    bool operator==(const CounterSource&) const = default;
};

class PortCounterSeries : public QObject {
    Q_OBJECT
public:
    /// Series over 'document' (which must outlive it).
    explicit PortCounterSeries(LabDocument* document, QObject* parent = nullptr);

    /// Starts charting a device; returns its index (the existing one if already charted).
    /// The first sample comes one interval after the baseline taken now.
    int addSource(const CounterSource& source);
    /// Stops charting the device at 'index' (later indexes shift down).
    void removeSource(int index);
    /// Removes every device.
    void clearSources();
    QList<CounterSource> sources() const;
    int sourceCount() const { return int(m_series.size()); }
    /// The samples of device 'index', oldest first.
    const std::vector<CounterSample>& samples(int index) const;
    /// Whether device 'index' currently exists in the lab.
    bool sourceExists(int index) const;

    /// Minimum virtual time between samples (default 1 s).
    void setInterval(engine::SimDuration interval);
    engine::SimDuration interval() const { return m_interval; }
    /// Maximum samples kept per device (default 3600, at least 1).
    void setCapacity(std::size_t capacity);
    std::size_t capacity() const { return m_capacity; }

public slots:
    /// Takes a sample of every device whose interval has passed (what timeAdvanced does).
    void sample();

signals:
    /// A sample was appended to the series of device 'index'.
    void sampleAdded(int index);
    /// The list of devices changed (added, removed, cleared).
    void sourcesChanged();
    /// Every series lost its samples (labReset).
    void samplesCleared();

private:
    struct Counters {
        std::uint64_t rxPackets = 0, txPackets = 0, rxBytes = 0, txBytes = 0;
    };
    struct Series {
        CounterSource source;
        std::vector<CounterSample> samples;
        bool haveBaseline = false;
        Counters baseline;
        engine::SimTime baselineTime = 0;
    };
    bool read(const CounterSource& source, Counters& out) const;
    void onLabReset();

    QPointer<LabDocument> m_document;
    std::vector<Series> m_series;
    engine::SimDuration m_interval = engine::kSecond;
    std::size_t m_capacity = 3600;
};

}  // namespace nlab::model

Q_DECLARE_METATYPE(nlab::model::CounterSample)
