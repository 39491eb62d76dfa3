#include "model/qt/event_list_model.h"

#include "engine/packet/addresses.h"
#include "model/qt/roles.h"

#include <algorithm>

namespace nlab::model {

EventListModel::EventListModel(EventLog* log, QObject* parent)
    : QAbstractTableModel(parent), m_log(log) {
    m_first = log->firstSeq();
    m_count = int(log->size());
    connect(log, &EventLog::recordsDropped, this, &EventListModel::onDropped);
    connect(log, &EventLog::recordsAppended, this, &EventListModel::onAppended);
    connect(log, &EventLog::cleared, this, &EventListModel::onCleared);
}

const EventRecord* EventListModel::record(int row) const {
    if (m_log.isNull() || row < 0 || row >= m_count)
        return nullptr;
    return m_log->find(m_first + std::uint64_t(row));
}

int EventListModel::rowOf(quint64 seq) const {
    if (seq < m_first || seq >= m_first + std::uint64_t(m_count))
        return -1;
    return int(seq - m_first);
}

void EventListModel::onDropped(quint64 firstKeptSeq) {
    if (firstKeptSeq <= m_first)
        return;
    const std::uint64_t gone =
        std::min<std::uint64_t>(firstKeptSeq - m_first, std::uint64_t(m_count));
    if (gone > 0) {
        beginRemoveRows({}, 0, int(gone) - 1);
        m_count -= int(gone);
        m_first = firstKeptSeq;
        endRemoveRows();
    }
    m_first = firstKeptSeq;
}

void EventListModel::onAppended(quint64 firstSeq, quint64 lastSeq) {
    if (m_count == 0)
        m_first = firstSeq;
    const std::uint64_t end = m_first + std::uint64_t(m_count);  // next seq the model expects
    const std::uint64_t from = std::max<std::uint64_t>(firstSeq, end);
    if (lastSeq < from)
        return;
    if (from != end) {
        // A gap (records appended and dropped before we heard of them): start over.
        beginResetModel();
        m_first = m_log->firstSeq();
        m_count = int(m_log->size());
        endResetModel();
        return;
    }
    beginInsertRows({}, m_count, m_count + int(lastSeq - from));
    m_count += int(lastSeq - from) + 1;
    endInsertRows();
}

void EventListModel::onCleared() {
    beginResetModel();
    m_first = m_log->firstSeq();
    m_count = 0;
    endResetModel();
}

QString EventListModel::kindText(EventKind kind) {
    switch (kind) {
        case EventKind::FrameReceived:
            return tr("Received");
        case EventKind::FrameSent:
            return tr("Sent");
        case EventKind::FrameDropped:
            return tr("Dropped");
        case EventKind::FlowHit:
            return tr("Flow hit");
        case EventKind::FlowAdded:
            return tr("Flow added");
        case EventKind::FlowRemoved:
            return tr("Flow removed");
        case EventKind::MacLearned:
            return tr("MAC learned");
        case EventKind::MacAged:
            return tr("MAC aged");
    }
    return {};
}

QString EventListModel::timeText(engine::SimTime time) {
    const engine::SimTime us = time / engine::kMicrosecond;
    return QStringLiteral("%1.%2").arg(us / 1'000'000).arg(us % 1'000'000, 6, 10, QLatin1Char('0'));
}

QString EventListModel::infoText(const EventRecord& r) {
    switch (r.kind) {
        case EventKind::FrameReceived:
        case EventKind::FrameSent:
            return QString::fromStdString(r.summary);
        case EventKind::FrameDropped:
            return r.summary.empty() ? QString::fromStdString(r.reason)
                                     : tr("%1: %2").arg(QString::fromStdString(r.reason),
                                                        QString::fromStdString(r.summary));
        case EventKind::FlowHit:
            return QString::fromStdString(r.flow);
        case EventKind::FlowAdded:
            if (r.refreshed)
                return tr("refreshed: %1").arg(QString::fromStdString(r.flow));
            if (r.learned)
                return tr("learned: %1").arg(QString::fromStdString(r.flow));
            return QString::fromStdString(r.flow);
        case EventKind::FlowRemoved:
            return tr("%1: %2").arg(QString::fromStdString(r.reason),
                                    QString::fromStdString(r.flow));
        case EventKind::MacLearned:
            return (r.moved ? tr("%1 vlan %2 moved to %3") : tr("%1 vlan %2 on %3"))
                .arg(QString::fromStdString(engine::formatMac(r.mac)))
                .arg(r.vlan)
                .arg(QString::fromStdString(r.port));
        case EventKind::MacAged:
            return tr("%1 vlan %2 on %3")
                .arg(QString::fromStdString(engine::formatMac(r.mac)))
                .arg(r.vlan)
                .arg(QString::fromStdString(r.port));
    }
    return {};
}

int EventListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_count;
}

int EventListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EventRecord* r = record(index.row());
    if (r == nullptr)
        return {};
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
            case SequenceColumn:
                return quint64(r->seq);
            case TimeColumn:
                return timeText(r->time);
            case NodeColumn:
                return QString::fromStdString(r->node);
            case DeviceColumn:
                return QString::fromStdString(r->device);
            case PortColumn:
                return QString::fromStdString(r->port);
            case KindColumn:
                return kindText(r->kind);
            case ProtocolColumn:
                return r->protocol == FrameProtocol::Other
                           ? QString()
                           : QString::fromLatin1(frameProtocolName(r->protocol));
            case InfoColumn:
                return infoText(*r);
            default:
                return {};
        }
    }
    switch (static_cast<Role>(role)) {
        case Role::Sort:
            if (index.column() == SequenceColumn)
                return quint64(r->seq);
            if (index.column() == TimeColumn)
                return qint64(r->time);
            return data(index, Qt::DisplayRole);
        case Role::Sequence:
            return quint64(r->seq);
        case Role::Time:
            return qint64(r->time);
        case Role::EventKind:
            return int(r->kind);
        case Role::Protocol:
            return int(r->protocol);
        case Role::Node:
            return QString::fromStdString(r->node);
        case Role::PacketId:
            return quint64(r->packetId);
        default:
            return {};
    }
}

QVariant EventListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
        case SequenceColumn:
            return tr("No.");
        case TimeColumn:
            return tr("Time");
        case NodeColumn:
            return tr("Node");
        case DeviceColumn:
            return tr("Device");
        case PortColumn:
            return tr("Port");
        case KindColumn:
            return tr("Event");
        case ProtocolColumn:
            return tr("Protocol");
        case InfoColumn:
            return tr("Info");
        default:
            return {};
    }
}

}  // namespace nlab::model
