#include "model/qt/tenant_tree_model.h"

#include "model/qt/lab_document.h"
#include "model/tenant.h"

#include <algorithm>

namespace nlab::model {

struct TenantTreeModel::Item {
    ObjectRef ref;
    QString name;
    QString detail;
    Item* parent = nullptr;
    int row = 0;  // position in parent->children
    std::vector<std::unique_ptr<Item>> children;

    Item* add(ObjectKind kind, const QString& id, const QString& label, const QString& details) {
        auto item = std::make_unique<Item>();
        item->ref = {kind, id};
        item->name = label;
        item->detail = details;
        item->parent = this;
        item->row = int(children.size());
        children.push_back(std::move(item));
        return children.back().get();
    }
    void renumber(std::size_t from = 0) {
        for (std::size_t i = from; i < children.size(); ++i) {
            children[i]->row = int(i);
            children[i]->parent = this;
        }
    }
};

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString portName(const Port& p) {
    if (!p.name.empty())
        return qs(p.name);
    if (p.deviceOwner == owner::kRouterInterface)
        return qs(p.deviceName("qr-"));
    if (p.deviceOwner == owner::kRouterGateway)
        return qs(p.deviceName("qg-"));
    return qs(p.deviceName("tap"));
}

QString portDetail(const Port& p) {
    QStringList parts;
    for (const FixedIp& ip : p.fixedIps)
        parts << qs(ip.ipAddress.toString());
    parts << qs(p.macAddress.toString());
    if (!p.deviceOwner.empty())
        parts << qs(p.deviceOwner);
    return parts.join(QStringLiteral(", "));
}

}  // namespace

TenantTreeModel::TenantTreeModel(LabDocument* document, QObject* parent)
    : QAbstractItemModel(parent), m_document(document), m_root(std::make_unique<Item>()) {
    connect(document, &LabDocument::labReset, this, &TenantTreeModel::reload);
    connect(document, &LabDocument::topologyChanged, this, &TenantTreeModel::refresh);
    reload();
}

TenantTreeModel::~TenantTreeModel() = default;

std::unique_ptr<TenantTreeModel::Item> TenantTreeModel::build(const TenantState& state) const {
    auto root = std::make_unique<Item>();
    Item* hosts = root->add(ObjectKind::Group, QStringLiteral("hosts"), tr("Hosts"), {});
    Item* networks = root->add(ObjectKind::Group, QStringLiteral("networks"), tr("Networks"), {});
    Item* routers = root->add(ObjectKind::Group, QStringLiteral("routers"), tr("Routers"), {});
    Item* instances =
        root->add(ObjectKind::Group, QStringLiteral("instances"), tr("Instances"), {});
    Item* fips =
        root->add(ObjectKind::Group, QStringLiteral("floating_ips"), tr("Floating IPs"), {});

    for (const Host& h : state.hosts) {
        const QString role = h.role == HostRole::Network ? tr("network node") : tr("compute node");
        hosts->add(ObjectKind::Host, qs(h.name), qs(h.name),
                   tr("%1, data %2").arg(role, qs(h.dataIp.toString())));
    }
    auto addPort = [](Item* parent, const Port& p) {
        parent->add(ObjectKind::Port, qs(p.id), portName(p), portDetail(p));
    };
    for (const auto& [id, n] : state.networks) {
        QString detail = qs(std::string(toString(n.type)));
        if (n.type == NetworkType::Flat)
            detail += QLatin1Char(' ') + qs(n.physicalNetwork);
        else
            detail += QLatin1Char(' ') + QString::number(n.segmentationId);
        if (n.external)
            detail += tr(", external");
        Item* net = networks->add(ObjectKind::Network, qs(id), qs(n.name), detail);
        for (const Subnet* s : state.subnetsOf(id)) {
            QString sd = qs(s->cidr.toString());
            if (s->gatewayIp)
                sd += tr(", gateway %1").arg(qs(s->gatewayIp->toString()));
            if (s->enableDhcp)
                sd += tr(", DHCP");
            net->add(ObjectKind::Subnet, qs(s->id), qs(s->name), sd);
        }
        for (const Port* p : state.portsOf(id))
            addPort(net, *p);
    }
    for (const auto& [id, r] : state.routers) {
        QString detail;
        if (const Network* gw = state.network(r.gatewayNetworkId))
            detail = tr("gateway %1").arg(qs(gw->name));
        Item* router = routers->add(ObjectKind::Router, qs(id), qs(r.name), detail);
        for (const std::string& pid : r.interfacePortIds) {
            if (const Port* p = state.port(pid))
                addPort(router, *p);
        }
        if (const Port* p = state.port(r.gatewayPortId))
            addPort(router, *p);
    }
    for (const auto& [id, inst] : state.instances) {
        Item* item = instances->add(ObjectKind::Instance, qs(id), qs(inst.name),
                                    tr("on %1").arg(qs(inst.hostId)));
        for (const std::string& pid : inst.portIds) {
            if (const Port* p = state.port(pid))
                addPort(item, *p);
        }
    }
    for (const auto& [id, f] : state.floatingIps) {
        const QString detail = f.fixedIpAddress ? tr("to %1").arg(qs(f.fixedIpAddress->toString()))
                                                : tr("not associated");
        fips->add(ObjectKind::FloatingIp, qs(id), qs(f.floatingIpAddress.toString()), detail);
    }
    return root;
}

void TenantTreeModel::reload() {
    beginResetModel();
    m_root = m_document.isNull() ? std::make_unique<Item>() : build(m_document->cloud().state());
    endResetModel();
}

void TenantTreeModel::refresh() {
    if (m_document.isNull())
        return;
    std::unique_ptr<Item> fresh = build(m_document->cloud().state());
    merge(*m_root, *fresh, {});
}

void TenantTreeModel::merge(Item& shown, Item& fresh, const QModelIndex& shownIndex) {
    auto& a = shown.children;
    auto& b = fresh.children;
    std::size_t i = 0;
    while (i < b.size()) {
        if (i < a.size() && a[i]->ref == b[i]->ref) {
            Item& s = *a[i];
            if (s.name != b[i]->name || s.detail != b[i]->detail) {
                s.name = b[i]->name;
                s.detail = b[i]->detail;
                emit dataChanged(index(int(i), 0, shownIndex),
                                 index(int(i), ColumnCount - 1, shownIndex));
            }
            merge(s, *b[i], index(int(i), 0, shownIndex));
            ++i;
            continue;
        }
        const auto later = std::find_if(a.begin() + std::ptrdiff_t(std::min(i, a.size())), a.end(),
                                        [&](const auto& it) { return it->ref == b[i]->ref; });
        if (later != a.end()) {
            // a[i] is not here in the fresh order: drop it (re-inserted later if it moved).
            beginRemoveRows(shownIndex, int(i), int(i));
            a.erase(a.begin() + std::ptrdiff_t(i));
            shown.renumber(i);
            endRemoveRows();
        } else {
            beginInsertRows(shownIndex, int(i), int(i));
            a.insert(a.begin() + std::ptrdiff_t(i), std::move(b[i]));
            shown.renumber(i);
            endInsertRows();
            ++i;
        }
    }
    if (a.size() > b.size()) {
        beginRemoveRows(shownIndex, int(b.size()), int(a.size()) - 1);
        a.erase(a.begin() + std::ptrdiff_t(b.size()), a.end());
        endRemoveRows();
    }
}

TenantTreeModel::Item* TenantTreeModel::itemAt(const QModelIndex& index) const {
    return index.isValid() ? static_cast<Item*>(index.internalPointer()) : m_root.get();
}

QModelIndex TenantTreeModel::indexFor(const Item* item, int column) const {
    if (item == nullptr || item == m_root.get())
        return {};
    return createIndex(item->row, column, const_cast<Item*>(item));
}

ObjectRef TenantTreeModel::objectAt(const QModelIndex& index) {
    if (!index.isValid())
        return {};
    return index.data(roleId(Role::Object)).value<ObjectRef>();
}

void TenantTreeModel::collect(const Item& item, const ObjectRef& ref, QModelIndexList& out,
                              bool firstOnly) const {
    for (const auto& child : item.children) {
        if (firstOnly && !out.isEmpty())
            return;
        if (child->ref == ref)
            out << indexFor(child.get());
        collect(*child, ref, out, firstOnly);
    }
}

QModelIndex TenantTreeModel::indexOf(const ObjectRef& ref) const {
    QModelIndexList out;
    collect(*m_root, ref, out, true);
    return out.isEmpty() ? QModelIndex() : out.front();
}

QModelIndexList TenantTreeModel::indexesOf(const ObjectRef& ref) const {
    QModelIndexList out;
    collect(*m_root, ref, out, false);
    return out;
}

QModelIndex TenantTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent))
        return {};
    const Item* p = itemAt(parent);
    return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex TenantTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid())
        return {};
    const Item* item = itemAt(child);
    return indexFor(item->parent);
}

int TenantTreeModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(itemAt(parent)->children.size());
}

int TenantTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant TenantTreeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Item* item = itemAt(index);
    switch (role) {
        case Qt::DisplayRole:
        case Qt::ToolTipRole:
            switch (index.column()) {
                case NameColumn:
                    return item->name;
                case DetailColumn:
                    return item->detail;
                case IdColumn:
                    return item->ref.kind == ObjectKind::Group ? QString() : item->ref.id;
                default:
                    return {};
            }
        default:
            break;
    }
    switch (static_cast<Role>(role)) {
        case Role::Sort:
            return data(index, Qt::DisplayRole);
        case Role::Object:
            return QVariant::fromValue(item->ref);
        case Role::ObjectKind:
            return int(item->ref.kind);
        case Role::ObjectId:
            return item->ref.id;
        default:
            return {};
    }
}

QVariant TenantTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
        case NameColumn:
            return tr("Name");
        case DetailColumn:
            return tr("Details");
        case IdColumn:
            return tr("ID");
        default:
            return {};
    }
}

}  // namespace nlab::model
