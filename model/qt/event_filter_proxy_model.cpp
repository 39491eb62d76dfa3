#include "model/qt/event_filter_proxy_model.h"

#include "model/qt/roles.h"

namespace nlab::model {

EventFilterProxyModel::EventFilterProxyModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(roleId(Role::Sort));
}

void EventFilterProxyModel::setProtocolEnabled(FrameProtocol protocol, bool enabled) {
    const unsigned bit = 1u << int(protocol);
    setProtocolMask(enabled ? (m_protocols | bit) : (m_protocols & ~bit));
}

bool EventFilterProxyModel::isProtocolEnabled(FrameProtocol protocol) const {
    return (m_protocols & (1u << int(protocol))) != 0;
}

void EventFilterProxyModel::setProtocolMask(unsigned mask) {
    mask &= kAllProtocols;
    if (mask == m_protocols)
        return;
    m_protocols = mask;
    invalidateFilter();
}

void EventFilterProxyModel::setNodeFilter(const QString& node) {
    if (node == m_node)
        return;
    m_node = node;
    invalidateFilter();
}

void EventFilterProxyModel::setHopsOnly(bool hopsOnly) {
    if (hopsOnly == m_hopsOnly)
        return;
    m_hopsOnly = hopsOnly;
    invalidateFilter();
}

bool EventFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QVariant protocol = index.data(roleId(Role::Protocol));
    if (protocol.isValid() && (m_protocols & (1u << protocol.toInt())) == 0)
        return false;
    if (!m_node.isEmpty() && index.data(roleId(Role::Node)).toString() != m_node)
        return false;
    if (m_hopsOnly) {
        const auto kind = static_cast<EventKind>(index.data(roleId(Role::EventKind)).toInt());
        if (kind != EventKind::FrameReceived && kind != EventKind::FrameSent &&
            kind != EventKind::FrameDropped)
            return false;
    }
    return true;
}

}  // namespace nlab::model
