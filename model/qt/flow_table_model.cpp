#include "model/qt/flow_table_model.h"

#include "engine/devices/ovs_bridge.h"
#include "engine/flow/ofctl_format.h"
#include "engine/lab/lab.h"
#include "model/qt/lab_document.h"
#include "model/qt/roles.h"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace nlab::model {

namespace {

// Sort key of a row: table, priority (highest first), id.
using Key = std::tuple<int, int, std::uint64_t>;

Key keyOf(std::uint8_t table, std::uint16_t priority, std::uint64_t id) {
    return {table, 0xffff - priority, id};
}

double seconds(engine::SimDuration d) {
    return static_cast<double>(d) / static_cast<double>(engine::kSecond);
}

}  // namespace

FlowTableModel::FlowTableModel(LabDocument* document, const QString& node, const QString& bridge,
                               QObject* parent)
    : QAbstractTableModel(parent), m_document(document), m_node(node), m_bridge(bridge) {
    connect(document, &LabDocument::labReset, this, &FlowTableModel::reload);
    connect(document, &LabDocument::topologyChanged, this, &FlowTableModel::refresh);
    connect(document, &LabDocument::timeAdvanced, this, &FlowTableModel::refresh);
    connect(&document->eventLog(), &EventLog::recordsAppended, this, &FlowTableModel::refresh);
    connect(&document->eventLog(), &EventLog::cleared, this, &FlowTableModel::refresh);
    reload();
}

void FlowTableModel::setBridge(const QString& node, const QString& bridge) {
    m_node = node;
    m_bridge = bridge;
    reload();
}

engine::OvsBridge* FlowTableModel::findBridge() const {
    if (m_document.isNull())
        return nullptr;
    engine::Node* node = m_document->cloud().lab().node(m_node.toStdString());
    return node != nullptr ? node->ovsBridge(m_bridge.toStdString()) : nullptr;
}

bool FlowTableModel::bridgeExists() const {
    return findBridge() != nullptr;
}

std::vector<FlowTableModel::Row> FlowTableModel::snapshot(engine::SimTime addedAt) const {
    std::vector<Row> rows;
    engine::OvsBridge* br = findBridge();
    if (br == nullptr)
        return rows;
    for (const engine::FlowTable* table : br->tables()) {
        for (const engine::FlowEntry* e : table->entries()) {
            Row r;
            r.table = e->tableId;
            r.priority = e->spec.priority;
            r.id = e->id;
            r.packets = e->nPackets;
            r.bytes = e->nBytes;
            r.created = e->created;
            r.modified = e->modified;
            r.used = e->used;
            r.idleTimeout = e->spec.idleTimeout;
            r.hardTimeout = e->spec.hardTimeout;
            r.learned = e->learned;
            r.addedAt = addedAt < 0 ? e->created : addedAt;
            r.entry = e;
            rows.push_back(std::move(r));
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return keyOf(a.table, a.priority, a.id) < keyOf(b.table, b.priority, b.id);
    });
    return rows;
}

void FlowTableModel::formatTexts(Row& row) {
    engine::FormatOptions options;
    options.noStats = true;
    row.match = QString::fromStdString(engine::formatMatch(row.entry->spec.match));
    row.actions = QString::fromStdString(engine::formatActions(row.entry->spec.actions));
    row.text = QString::fromStdString(engine::formatFlowStats(*row.entry, row.created, options));
}

void FlowTableModel::reload() {
    beginResetModel();
    m_rows = snapshot(-1);
    for (Row& r : m_rows) {
        formatTexts(r);
        r.entry = nullptr;
    }
    m_lastRefresh = m_document.isNull() ? -1 : m_document->now();
    endResetModel();
}

void FlowTableModel::refresh() {
    if (m_document.isNull())
        return;
    const engine::SimTime now = m_document->now();
    std::vector<Row> fresh = snapshot(now);
    auto key = [](const Row& r) { return keyOf(r.table, r.priority, r.id); };

    // Merge: rows only in m_rows go, rows only in 'fresh' come, common rows update.
    std::size_t i = 0;
    std::size_t j = 0;
    int firstChanged = -1;
    int lastChanged = -1;
    while (i < m_rows.size() || j < fresh.size()) {
        if (j == fresh.size() || (i < m_rows.size() && key(m_rows[i]) < key(fresh[j]))) {
            std::size_t end = i;
            while (end < m_rows.size() && (j == fresh.size() || key(m_rows[end]) < key(fresh[j])))
                ++end;
            beginRemoveRows({}, int(i), int(end) - 1);
            m_rows.erase(m_rows.begin() + std::ptrdiff_t(i), m_rows.begin() + std::ptrdiff_t(end));
            endRemoveRows();
        } else if (i == m_rows.size() || key(fresh[j]) < key(m_rows[i])) {
            std::size_t end = j;
            while (end < fresh.size() && (i == m_rows.size() || key(fresh[end]) < key(m_rows[i])))
                ++end;
            for (std::size_t k = j; k < end; ++k) {
                formatTexts(fresh[k]);
                fresh[k].entry = nullptr;
            }
            beginInsertRows({}, int(i), int(i + (end - j)) - 1);
            m_rows.insert(m_rows.begin() + std::ptrdiff_t(i),
                          std::make_move_iterator(fresh.begin() + std::ptrdiff_t(j)),
                          std::make_move_iterator(fresh.begin() + std::ptrdiff_t(end)));
            endInsertRows();
            i += end - j;
            j = end;
        } else {
            Row& old = m_rows[i];
            Row& now_ = fresh[j];
            now_.addedAt = old.addedAt;
            // A rule's texts change only with a modification (mod-flows, learn refresh).
            const bool modified = old.modified != now_.modified ||
                                  old.idleTimeout != now_.idleTimeout ||
                                  old.hardTimeout != now_.hardTimeout;
            const bool changed = modified || old.packets != now_.packets ||
                                 old.bytes != now_.bytes || old.used != now_.used ||
                                 old.learned != now_.learned;
            if (changed) {
                if (modified) {
                    formatTexts(now_);
                } else {
                    now_.match = old.match;
                    now_.actions = old.actions;
                    now_.text = old.text;
                }
                now_.entry = nullptr;
                old = std::move(now_);
                if (firstChanged < 0)
                    firstChanged = int(i);
                lastChanged = int(i);
            }
            ++i;
            ++j;
        }
    }
    if (m_rows.empty()) {
        m_lastRefresh = now;
        return;
    }
    if (now != m_lastRefresh) {
        // Every row's time-dependent cells (and roles, on every column) moved.
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    } else if (firstChanged >= 0) {
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    }
    m_lastRefresh = now;
}

QModelIndex FlowTableModel::indexOfFlow(int table, quint64 flowId) const {
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        if (m_rows[r].table == table && m_rows[r].id == flowId)
            return index(int(r), 0);
    }
    return {};
}

int FlowTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FlowTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

double FlowTableModel::remainingSeconds(const Row& row) const {
    const engine::SimTime now = m_document.isNull() ? 0 : m_document->now();
    double left = -1;
    if (row.hardTimeout != 0)
        left = seconds(row.modified + row.hardTimeout * engine::kSecond - now);
    if (row.idleTimeout != 0) {
        const double idleLeft = seconds(row.used + row.idleTimeout * engine::kSecond - now);
        left = left < 0 ? idleLeft : std::min(left, idleLeft);
    }
    return left < 0 && (row.hardTimeout != 0 || row.idleTimeout != 0) ? 0.0 : left;
}

double FlowTableModel::expiringFraction(const Row& row) const {
    const engine::SimTime now = m_document.isNull() ? 0 : m_document->now();
    double fraction = 1.0;
    if (row.hardTimeout != 0) {
        fraction = seconds(row.modified + row.hardTimeout * engine::kSecond - now) /
                   double(row.hardTimeout);
    }
    if (row.idleTimeout != 0) {
        fraction = std::min(fraction, seconds(row.used + row.idleTimeout * engine::kSecond - now) /
                                          double(row.idleTimeout));
    }
    return std::clamp(fraction, 0.0, 1.0);
}

QVariant FlowTableModel::display(const Row& row, int column) const {
    const engine::SimTime now = m_document.isNull() ? 0 : m_document->now();
    auto timeout = [&](std::uint16_t timeoutSec, engine::SimTime from) -> QVariant {
        if (timeoutSec == 0)
            return QString();
        const double left = std::max(0.0, seconds(from + timeoutSec * engine::kSecond - now));
        return tr("%1 (%2 s left)").arg(timeoutSec).arg(std::ceil(left), 0, 'f', 0);
    };
    switch (column) {
        case TableColumn:
            return int(row.table);
        case PriorityColumn:
            return int(row.priority);
        case MatchColumn:
            return row.match;
        case ActionsColumn:
            return row.actions;
        case PacketsColumn:
            return quint64(row.packets);
        case BytesColumn:
            return quint64(row.bytes);
        case DurationColumn:
            return QString::fromStdString(engine::formatDuration(now - row.created));
        case IdleTimeoutColumn:
            return timeout(row.idleTimeout, row.used);
        case HardTimeoutColumn:
            return timeout(row.hardTimeout, row.modified);
        case LearnedColumn:
            return row.learned ? tr("yes") : QString();
        default:
            return {};
    }
}

QVariant FlowTableModel::sortValue(const Row& row, int column) const {
    const engine::SimTime now = m_document.isNull() ? 0 : m_document->now();
    switch (column) {
        case DurationColumn:
            return qint64(now - row.created);
        case IdleTimeoutColumn:
            return int(row.idleTimeout);
        case HardTimeoutColumn:
            return int(row.hardTimeout);
        case LearnedColumn:
            return row.learned;
        default:
            return display(row, column);
    }
}

QVariant FlowTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    const engine::SimTime now = m_document.isNull() ? 0 : m_document->now();
    switch (role) {
        case Qt::DisplayRole:
            return display(row, index.column());
        case Qt::ToolTipRole:
            return row.text;
        case Qt::TextAlignmentRole:
            switch (index.column()) {
                case TableColumn:
                case PriorityColumn:
                case PacketsColumn:
                case BytesColumn:
                case DurationColumn:
                    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
                default:
                    return {};
            }
        default:
            break;
    }
    switch (static_cast<Role>(role)) {
        case Role::Sort:
            return sortValue(row, index.column());
        case Role::JustAdded:
            return now - row.addedAt < m_flashDuration;
        case Role::AddedAt:
            return qint64(row.addedAt);
        case Role::Expiring:
            return expiringFraction(row);
        case Role::RemainingSeconds:
            return remainingSeconds(row);
        case Role::Learned:
            return row.learned;
        case Role::FlowId:
            return quint64(row.id);
        case Role::TableId:
            return int(row.table);
        case Role::FlowText:
            return row.text;
        default:
            return {};
    }
}

QVariant FlowTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
        case TableColumn:
            return tr("Table");
        case PriorityColumn:
            return tr("Priority");
        case MatchColumn:
            return tr("Match");
        case ActionsColumn:
            return tr("Actions");
        case PacketsColumn:
            return tr("Packets");
        case BytesColumn:
            return tr("Bytes");
        case DurationColumn:
            return tr("Duration");
        case IdleTimeoutColumn:
            return tr("Idle timeout");
        case HardTimeoutColumn:
            return tr("Hard timeout");
        case LearnedColumn:
            return tr("Learned");
        default:
            return {};
    }
}

}  // namespace nlab::model
