#include "model/qt/mac_table_model.h"

#include "engine/devices/ovs_bridge.h"
#include "engine/lab/lab.h"
#include "engine/net/linux_bridge.h"
#include "engine/packet/addresses.h"
#include "model/qt/lab_document.h"
#include "model/qt/roles.h"

#include <algorithm>
#include <utility>

namespace nlab::model {

MacTableModel::MacTableModel(LabDocument* document, const QString& node, const QString& bridge,
                             QObject* parent)
    : QAbstractTableModel(parent), m_document(document), m_node(node), m_bridge(bridge) {
    connect(document, &LabDocument::labReset, this, &MacTableModel::reload);
    connect(document, &LabDocument::topologyChanged, this, &MacTableModel::refresh);
    connect(document, &LabDocument::timeAdvanced, this, &MacTableModel::refresh);
    connect(&document->eventLog(), &EventLog::recordsAppended, this, &MacTableModel::refresh);
    reload();
}

void MacTableModel::setBridge(const QString& node, const QString& bridge) {
    m_node = node;
    m_bridge = bridge;
    reload();
}

std::vector<MacTableModel::Row> MacTableModel::snapshot() {
    std::vector<Row> rows;
    m_linux = false;
    if (m_document.isNull())
        return rows;
    engine::Node* node = m_document->cloud().lab().node(m_node.toStdString());
    if (node == nullptr)
        return rows;
    const std::string name = m_bridge.toStdString();
    if (const engine::OvsBridge* br = node->ovsBridge(name)) {
        for (const engine::MacEntry& e : br->macTable()) {
            Row r;
            r.vlan = e.vlan;
            r.mac = e.mac;
            r.portNo = e.ofport;
            r.portName = QString::fromStdString(br->portName(e.ofport));
            r.seen = e.learnedAt;
            rows.push_back(std::move(r));
        }
    } else if (const engine::LinuxBridge* lb = node->linuxBridge(name)) {
        m_linux = true;
        for (const engine::BridgeFdbEntry& e : lb->fdb()) {
            Row r;
            r.mac = e.mac;
            r.portNo = std::uint32_t(e.portNo);
            r.portName = QString::fromStdString(e.port);
            r.seen = e.updated;
            r.local = e.isLocal;
            rows.push_back(std::move(r));
        }
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::pair(a.vlan, a.mac) < std::pair(b.vlan, b.mac);
    });
    return rows;
}

void MacTableModel::reload() {
    beginResetModel();
    m_rows = snapshot();
    m_lastRefresh = m_document.isNull() ? -1 : m_document->now();
    endResetModel();
}

void MacTableModel::refresh() {
    if (m_document.isNull())
        return;
    const engine::SimTime now = m_document->now();
    std::vector<Row> fresh = snapshot();
    auto key = [](const Row& r) { return std::pair(r.vlan, r.mac); };
    std::size_t i = 0;
    std::size_t j = 0;
    int firstChanged = -1;
    int lastChanged = -1;
    while (i < m_rows.size() || j < fresh.size()) {
        if (j == fresh.size() || (i < m_rows.size() && key(m_rows[i]) < key(fresh[j]))) {
            beginRemoveRows({}, int(i), int(i));
            m_rows.erase(m_rows.begin() + std::ptrdiff_t(i));
            endRemoveRows();
        } else if (i == m_rows.size() || key(fresh[j]) < key(m_rows[i])) {
            beginInsertRows({}, int(i), int(i));
            m_rows.insert(m_rows.begin() + std::ptrdiff_t(i), std::move(fresh[j]));
            endInsertRows();
            ++i;
            ++j;
        } else {
            Row& old = m_rows[i];
            const Row& cur = fresh[j];
            if (old.portNo != cur.portNo || old.portName != cur.portName || old.seen != cur.seen ||
                old.local != cur.local) {
                old = cur;
                if (firstChanged < 0)
                    firstChanged = int(i);
                lastChanged = int(i);
            }
            ++i;
            ++j;
        }
    }
    if (firstChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (now != m_lastRefresh && !m_rows.empty())
        emit dataChanged(index(0, AgeColumn), index(int(m_rows.size()) - 1, AgeColumn));
    m_lastRefresh = now;
}

double MacTableModel::ageSeconds(const Row& row) const {
    if (row.local || m_document.isNull())
        return 0.0;
    return double(m_document->now() - row.seen) / double(engine::kSecond);
}

int MacTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MacTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MacTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
            case PortColumn:
                return row.portNo == engine::ofp::kLocal ? QStringLiteral("LOCAL")
                                                         : QString::number(row.portNo);
            case PortNameColumn:
                return row.portName;
            case VlanColumn:
                return m_linux ? QVariant(QString()) : QVariant(int(row.vlan));
            case MacColumn:
                return QString::fromStdString(engine::formatMac(row.mac));
            case AgeColumn:
                return row.local ? QString() : QString::number(int(ageSeconds(row)));
            case LocalColumn:
                return row.local ? tr("yes") : QString();
            default:
                return {};
        }
    }
    switch (static_cast<Role>(role)) {
        case Role::Sort:
            switch (index.column()) {
                case PortColumn:
                    return quint64(row.portNo);
                case VlanColumn:
                    return int(row.vlan);
                case MacColumn:
                    return quint64(row.mac);
                case AgeColumn:
                    return ageSeconds(row);
                case LocalColumn:
                    return row.local;
                default:
                    return data(index, Qt::DisplayRole);
            }
        case Role::Mac:
            return quint64(row.mac);
        case Role::AgeSeconds:
            return ageSeconds(row);
        default:
            return {};
    }
}

QVariant MacTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
        case PortColumn:
            return tr("Port");
        case PortNameColumn:
            return tr("Interface");
        case VlanColumn:
            return tr("VLAN");
        case MacColumn:
            return tr("MAC address");
        case AgeColumn:
            return tr("Age (s)");
        case LocalColumn:
            return tr("Local");
        default:
            return {};
    }
}

}  // namespace nlab::model
