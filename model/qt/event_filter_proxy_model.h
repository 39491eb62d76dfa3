#pragma once
// EventFilterProxyModel: the event list's filters — by protocol, by node, hops only.
//
// What
//   A QSortFilterProxyModel over an EventListModel (or any model giving Role::Protocol,
//   Role::Node and Role::EventKind on column 0) that keeps the rows whose protocol is among
//   the enabled ones, whose node is the chosen node (or any node), and, optionally, only
//   frame hops (received, sent, dropped).
//
// Design
//   Protocols are a bit set indexed by FrameProtocol (all enabled by default). Records whose
//   node is unknown ("") pass only when no node is chosen. Changing a filter re-filters
//   (invalidateFilter), which a view sees as rows removed and inserted, not a reset.
//
// Invariants
//   With the default filters every source row is accepted.

#include "model/qt/event_log.h"

#include <QSortFilterProxyModel>
#include <QString>

namespace nlab::model {

class EventFilterProxyModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit EventFilterProxyModel(QObject* parent = nullptr);

    /// Shows (true) or hides records of 'protocol'.
    void setProtocolEnabled(FrameProtocol protocol, bool enabled);
    bool isProtocolEnabled(FrameProtocol protocol) const;
    /// The set of shown protocols as bits (1 << int(FrameProtocol)); all bits by default.
    void setProtocolMask(unsigned mask);
    unsigned protocolMask() const { return m_protocols; }
    static constexpr unsigned kAllProtocols = (1u << (int(FrameProtocol::Other) + 1)) - 1;

    /// Shows only records of node 'node' ("" : every node).
    void setNodeFilter(const QString& node);
    QString nodeFilter() const { return m_node; }

    /// Shows only frame hops (received, sent, dropped).
    void setHopsOnly(bool hopsOnly);
    bool hopsOnly() const { return m_hopsOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    unsigned m_protocols = kAllProtocols;
    QString m_node;
    bool m_hopsOnly = false;
};

}  // namespace nlab::model
