#pragma once
// EventListDock: every frame hop and table event, Packet Tracer style, with filters.
//
// What
//   An EventListModel over the document's EventLog behind an EventFilterProxyModel: one
//   toggle per protocol (ARP, ICMP, DHCP, GRE/VXLAN, other), a node chooser, "hops only".
//   Selecting a row emits eventSelected(seq) (the main window moves the Player there and
//   the packet detail and trace docks follow); selectSequence() is the way back, when the
//   Player's cursor moves.
//
// Design
//   The view follows the newest rows while the user has not scrolled up (like a log tail).
//   selectSequence() never emits eventSelected (no loop with the Player).

#include <QDockWidget>
#include <QHash>

class QCheckBox;
class QComboBox;
class QTableView;
class QToolButton;

namespace nlab::model {
class EventFilterProxyModel;
class EventListModel;
class LabDocument;
}  // namespace nlab::model

namespace nlab::app {

class EventListDock : public QDockWidget {
    Q_OBJECT
public:
    explicit EventListDock(model::LabDocument* document, QWidget* parent = nullptr);

    model::EventListModel* model() const { return m_model; }
    model::EventFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* view() const { return m_view; }
    QComboBox* nodeFilter() const { return m_node; }
    /// The toggle of a protocol (int(FrameProtocol)).
    QToolButton* protocolButton(int protocol) const { return m_protocolButtons.value(protocol); }
    QCheckBox* hopsOnly() const { return m_hopsOnly; }
    /// Selects and shows the row of record 'seq' (when not filtered out); emits nothing.
    void selectSequence(quint64 seq);
    /// The sequence number of the selected row (0: none).
    quint64 selectedSequence() const;

public slots:
    /// Refreshes the node chooser from the lab's nodes.
    void syncNodes();

signals:
    void eventSelected(quint64 seq);

private:
    void onCurrentChanged();

    model::LabDocument* m_document;
    model::EventListModel* m_model;
    model::EventFilterProxyModel* m_proxy;
    QTableView* m_view;
    QComboBox* m_node;
    QCheckBox* m_hopsOnly;
    QHash<int, QToolButton*> m_protocolButtons;
    bool m_selecting = false;
    bool m_follow = true;
};

}  // namespace nlab::app
