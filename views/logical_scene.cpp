#include "views/logical_scene.h"

#include "model/cloud.h"
#include "model/tenant.h"
#include "views/device_box_item.h"
#include "views/graph_layout.h"
#include "views/link_item.h"
#include "views/network_bar_item.h"
#include "views/network_palette.h"

#include <map>

namespace nlab::views {

namespace {

constexpr qreal kPitch = 130;      // between bars
constexpr qreal kTop = 50;         // first row below the bar's icon
constexpr qreal kRowH = 74;
constexpr qreal kDeviceGap = 70;   // from the last bar to the devices

QString qs(const std::string& s) { return QString::fromStdString(s); }

const model::Port* portOfDeviceName(const model::TenantState& st, const QString& name) {
    for (const char* prefix : {"tap", "qvb", "qvo", "qbr", "qr-", "qg-"}) {
        const QString p = QLatin1String(prefix);
        if (name.size() == p.size() + 11 && name.startsWith(p)) {
            const std::string shortId = name.mid(p.size()).toStdString();
            for (const auto& [id, port] : st.ports) {
                if (id.compare(0, 11, shortId) == 0) return &port;
            }
        }
    }
    return nullptr;
}

}  // namespace

LogicalScene::LogicalScene(model::Cloud* cloud, SelectionModel* selection, NetworkPalette* palette,
                           QObject* parent)
    : QGraphicsScene(parent), m_cloud(cloud), m_selection(selection), m_palette(palette) {
    if (!m_selection) {
        m_ownSelection = std::make_unique<SelectionModel>();
        m_selection = m_ownSelection.get();
    }
    if (!m_palette) {
        m_ownPalette = std::make_unique<NetworkPalette>();
        m_palette = m_ownPalette.get();
    }
    setBackgroundBrush(QColor(0xfa, 0xfb, 0xfc));
    connect(this, &QGraphicsScene::selectionChanged, this, &LogicalScene::onSceneSelectionChanged);
    connect(m_selection, &SelectionModel::selectionChanged, this, &LogicalScene::applySelection);
    if (m_cloud) rebuild();
}

LogicalScene::~LogicalScene() {
    disconnect(this, &QGraphicsScene::selectionChanged, this, &LogicalScene::onSceneSelectionChanged);
}

QString LogicalScene::networkKey(const QString& id) { return QStringLiteral("net:") + id; }
QString LogicalScene::routerKey(const QString& id) { return QStringLiteral("router:") + id; }
QString LogicalScene::instanceKey(const QString& id) { return QStringLiteral("instance:") + id; }
QString LogicalScene::linkKey(const QString& portId) { return QStringLiteral("link:") + portId; }

void LogicalScene::setCloud(model::Cloud* cloud) {
    clearItems();
    m_networkOrder.clear();
    m_deviceOrder.clear();
    m_cloud = cloud;
    if (m_cloud) rebuild();
}

void LogicalScene::clearItems() {
    m_syncing = true;
    for (LinkItem* l : std::as_const(m_links)) { removeItem(l); delete l; }
    for (DeviceBoxItem* d : std::as_const(m_devices)) { removeItem(d); delete d; }
    for (NetworkBarItem* n : std::as_const(m_networks)) { removeItem(n); delete n; }
    m_links.clear();
    m_devices.clear();
    m_networks.clear();
    m_linkNetwork.clear();
    m_linkDevice.clear();
    m_highlighted.clear();
    m_syncing = false;
}

void LogicalScene::rebuild() {
    if (!m_cloud) return;
    const model::TenantState& st = m_cloud->state();
    m_palette->sync(st);
    m_syncing = true;

    // Order: first seen first; on the first build external networks lead, routers before
    // instances.
    auto seenNetwork = [&](const QString& id) { if (!m_networkOrder.contains(id)) m_networkOrder << id; };
    // Objects new to the scene come in name order (ids are random).
    std::multimap<std::string, QString> byName;
    for (const auto& [id, net] : st.networks) if (net.external) byName.emplace(net.name, qs(id));
    for (const auto& [name, id] : byName) seenNetwork(id);
    byName.clear();
    for (const auto& [id, net] : st.networks) if (!net.external) byName.emplace(net.name, qs(id));
    for (const auto& [name, id] : byName) seenNetwork(id);
    auto seenDevice = [&](const QString& key) { if (!m_deviceOrder.contains(key)) m_deviceOrder << key; };
    byName.clear();
    for (const auto& [id, r] : st.routers) byName.emplace(r.name, routerKey(qs(id)));
    for (const auto& [name, key] : byName) seenDevice(key);
    byName.clear();
    for (const auto& [id, i] : st.instances) byName.emplace(i.name, instanceKey(qs(id)));
    for (const auto& [name, key] : byName) seenDevice(key);
    // Forget deleted objects (the rest keep their slots' relative order).
    m_networkOrder.removeIf([&](const QString& id) { return !st.network(id.toStdString()); });
    m_deviceOrder.removeIf([&](const QString& key) {
        const QString id = key.section(QLatin1Char(':'), 1);
        return key.startsWith(QLatin1String("router:")) ? !st.routers.count(id.toStdString())
                                                        : !st.instances.count(id.toStdString());
    });

    // Devices and their ports.
    struct Wanted { QString device; QString network; QString ip; };
    std::map<QString, Wanted> wantedLinks;  // port id -> link
    for (const QString& key : std::as_const(m_deviceOrder)) {
        const QString id = key.section(QLatin1Char(':'), 1);
        const bool isRouter = key.startsWith(QLatin1String("router:"));
        DeviceBoxItem* box = m_devices.value(key);
        if (!box) {
            box = new DeviceBoxItem(key, isRouter ? DeviceBoxItem::Kind::Router : DeviceBoxItem::Kind::Instance);
            addItem(box);
            m_devices.insert(key, box);
        }
        std::vector<std::string> ports;
        if (isRouter) {
            const model::Router& r = st.routers.at(id.toStdString());
            QString sub = tr("router");
            if (!r.gatewayPortId.empty()) {
                if (const model::Port* gp = st.port(r.gatewayPortId); gp && !gp->fixedIps.empty()) {
                    sub = tr("gateway %1").arg(qs(gp->fixedIps.front().ipAddress.toString()));
                }
                ports.push_back(r.gatewayPortId);
            }
            box->setText(qs(r.name.empty() ? r.id.substr(0, 8) : r.name), sub);
            box->setToolTip(tr("Router %1\n%2").arg(qs(r.name), id));
            ports.insert(ports.end(), r.interfacePortIds.begin(), r.interfacePortIds.end());
        } else {
            const model::Instance& inst = st.instances.at(id.toStdString());
            box->setText(qs(inst.name), tr("on %1").arg(qs(inst.hostId)));
            box->setToolTip(tr("Instance %1 (%2, %3)\n%4").arg(qs(inst.name), qs(inst.image), qs(inst.flavor), id));
            ports = inst.portIds;
        }
        for (const std::string& pid : ports) {
            const model::Port* p = st.port(pid);
            if (!p) continue;
            QStringList ips;
            for (const auto& f : p->fixedIps) ips << qs(f.ipAddress.toString());
            wantedLinks[qs(pid)] = {key, qs(p->networkId), ips.join(QStringLiteral(", "))};
        }
    }
    for (auto it = m_devices.begin(); it != m_devices.end();) {
        if (m_deviceOrder.contains(it.key())) { ++it; continue; }
        removeItem(*it);
        delete *it;
        it = m_devices.erase(it);
    }
    // Networks.
    for (const QString& id : std::as_const(m_networkOrder)) {
        const model::Network* net = st.network(id.toStdString());
        NetworkBarItem* bar = m_networks.value(id);
        if (!bar) {
            bar = new NetworkBarItem(networkKey(id));
            addItem(bar);
            m_networks.insert(id, bar);
        }
        QStringList cidrs;
        for (const model::Subnet* s : st.subnetsOf(net->id)) cidrs << qs(s->cidr.toString());
        bar->setText(qs(net->name), cidrs.join(QStringLiteral(", ")));
        bar->setExternal(net->external);
        bar->setColor(m_palette->color(id));
        QString tip = (net->external ? tr("External network %1") : tr("Network %1")).arg(qs(net->name));
        tip += QLatin1Char('\n') + tr("%1, segmentation id %2").arg(qs(std::string(model::toString(net->type)))).arg(net->segmentationId);
        for (const model::Subnet* s : st.subnetsOf(net->id)) {
            tip += QLatin1Char('\n') + tr("subnet %1 %2").arg(qs(s->name), qs(s->cidr.toString()));
        }
        bar->setToolTip(tip);
    }
    for (auto it = m_networks.begin(); it != m_networks.end();) {
        if (m_networkOrder.contains(it.key())) { ++it; continue; }
        removeItem(*it);
        delete *it;
        it = m_networks.erase(it);
    }
    // Links.
    for (auto it = m_links.begin(); it != m_links.end();) {
        const auto w = wantedLinks.find(it.key());
        if (w != wantedLinks.end() && m_networks.contains(w->second.network)) { ++it; continue; }
        removeItem(*it);
        delete *it;
        m_linkNetwork.remove(it.key());
        m_linkDevice.remove(it.key());
        it = m_links.erase(it);
    }
    for (const auto& [pid, w] : wantedLinks) {
        if (!m_networks.contains(w.network)) continue;
        LinkItem* link = m_links.value(pid);
        if (!link) {
            link = new LinkItem(linkKey(pid));
            addItem(link);
            m_links.insert(pid, link);
        }
        link->setLabel(w.ip);
        link->setColor(m_palette->color(w.network));
        link->setToolTip(tr("Port %1\n%2").arg(pid, w.ip));
        m_linkNetwork.insert(pid, w.network);
        m_linkDevice.insert(pid, w.device);
    }

    // Geometry: bars left to right, devices one per row to their right.
    const qreal rows = std::max<qsizetype>(1, m_deviceOrder.size());
    const qreal barHeight = kTop + rows * kRowH + 10;
    for (qsizetype i = 0; i < m_networkOrder.size(); ++i) {
        NetworkBarItem* bar = m_networks.value(m_networkOrder[i]);
        bar->setPos(i * kPitch, 0);
        bar->setHeight(barHeight);
    }
    const qreal deviceX = m_networkOrder.size() * kPitch + kDeviceGap;
    QHash<QString, int> portsSeen;
    for (qsizetype r = 0; r < m_deviceOrder.size(); ++r) {
        m_devices.value(m_deviceOrder[r])->setPos(deviceX, kTop + r * kRowH);
    }
    for (auto it = m_links.begin(); it != m_links.end(); ++it) {
        const QString dev = m_linkDevice.value(it.key());
        DeviceBoxItem* box = m_devices.value(dev);
        NetworkBarItem* bar = m_networks.value(m_linkNetwork.value(it.key()));
        if (!box || !bar) continue;
        int total = 0;
        for (auto jt = m_linkDevice.cbegin(); jt != m_linkDevice.cend(); ++jt) total += jt.value() == dev;
        const int index = portsSeen[dev]++;
        const qreal y = box->pos().y() + DeviceBoxItem::kHeight / 2 + (index - (total - 1) / 2.0) * 10;
        it.value()->setGeometry(QPointF(box->pos().x(), y), bar->pos().x() + NetworkBarItem::kWidth / 2);
    }
    // The views' fit margin: fitted, no scroll bars.
    setSceneRect(itemsBoundingRect().adjusted(-12, -12, 12, 12));
    m_syncing = false;
    applySelection(m_selection->current());
    emit rebuilt();
}

NetworkBarItem* LogicalScene::networkItem(const QString& id) const { return m_networks.value(id); }
DeviceBoxItem* LogicalScene::routerItem(const QString& id) const { return m_devices.value(routerKey(id)); }
DeviceBoxItem* LogicalScene::instanceItem(const QString& id) const { return m_devices.value(instanceKey(id)); }
LinkItem* LogicalScene::linkItem(const QString& portId) const { return m_links.value(portId); }

QGraphicsItem* LogicalScene::itemForKey(const QString& key) const {
    if (key.startsWith(QLatin1String("net:"))) return m_networks.value(key.mid(4));
    if (key.startsWith(QLatin1String("link:"))) return m_links.value(key.mid(5));
    return m_devices.value(key);
}

QStringList LogicalScene::highlightedKeys() const {
    QStringList keys(m_highlighted.begin(), m_highlighted.end());
    keys.sort();
    return keys;
}

SelectionRef LogicalScene::tenantObjectFor(const SelectionRef& ref) const {
    if (!m_cloud) return {};
    const model::TenantState& st = m_cloud->state();
    auto ofPort = [&](const model::Port* p) -> SelectionRef {
        if (!p) return {};
        if (p->deviceOwner == model::owner::kCompute) return {selkind::kInstance, qs(p->deviceId)};
        if (p->deviceOwner == model::owner::kRouterInterface || p->deviceOwner == model::owner::kRouterGateway) {
            return {selkind::kRouter, qs(p->deviceId)};
        }
        return {selkind::kNetwork, qs(p->networkId)};
    };
    if (ref.kind == selkind::kDevice || ref.kind == selkind::kBridge) {
        const auto [node, name] = SelectionModel::splitPhysicalId(ref.id);
        if (const model::Port* p = portOfDeviceName(st, name)) {
            SelectionRef owner = ofPort(p);
            // A device of a port that has a line here selects that line.
            if (m_links.contains(qs(p->id))) return {selkind::kPort, qs(p->id)};
            return owner;
        }
        if (st.instance(name.toStdString())) return {selkind::kInstance, qs(st.instance(name.toStdString())->id)};
        return {};
    }
    if (ref.kind == selkind::kNamespace) {
        const QString name = SelectionModel::splitPhysicalId(ref.id).second;
        if (name.startsWith(QLatin1String("qrouter-"))) return {selkind::kRouter, name.mid(8)};
        if (name.startsWith(QLatin1String("qdhcp-"))) return {selkind::kNetwork, name.mid(6)};
        return {};
    }
    if (ref.kind == selkind::kSubnet) {
        if (const model::Subnet* s = st.subnet(ref.id.toStdString())) return {selkind::kNetwork, qs(s->networkId)};
        return {};
    }
    return ref;
}

void LogicalScene::onSceneSelectionChanged() {
    if (m_syncing) return;
    const QList<QGraphicsItem*> items = selectedItems();
    if (items.isEmpty()) {
        m_selection->clear();
        return;
    }
    const QString key = items.front()->data(kItemKeyData).toString();
    const QString id = key.section(QLatin1Char(':'), 1);
    if (key.startsWith(QLatin1String("net:"))) m_selection->select(selkind::kNetwork, id);
    else if (key.startsWith(QLatin1String("router:"))) m_selection->select(selkind::kRouter, id);
    else if (key.startsWith(QLatin1String("instance:"))) m_selection->select(selkind::kInstance, id);
    else if (key.startsWith(QLatin1String("link:"))) m_selection->select(selkind::kPort, id);
}

void LogicalScene::applySelection(const SelectionRef& selected) {
    const SelectionRef ref = tenantObjectFor(selected);
    QSet<QString> on;
    QString target;
    if (ref.kind == selkind::kNetwork) {
        target = networkKey(ref.id);
        on.insert(target);
        for (auto it = m_linkNetwork.cbegin(); it != m_linkNetwork.cend(); ++it) {
            if (it.value() == ref.id) on.insert(linkKey(it.key()));
        }
    } else if (ref.kind == selkind::kInstance || ref.kind == selkind::kRouter) {
        target = ref.kind == selkind::kInstance ? instanceKey(ref.id) : routerKey(ref.id);
        on.insert(target);
        for (auto it = m_linkDevice.cbegin(); it != m_linkDevice.cend(); ++it) {
            if (it.value() == target) on.insert(linkKey(it.key()));
        }
    } else if (ref.kind == selkind::kPort) {
        target = linkKey(ref.id);
        on.insert(target);
        if (m_linkDevice.contains(ref.id)) on.insert(m_linkDevice.value(ref.id));
    }
    for (auto it = m_networks.begin(); it != m_networks.end(); ++it) (*it)->setHighlighted(on.contains(networkKey(it.key())));
    for (auto it = m_devices.begin(); it != m_devices.end(); ++it) (*it)->setHighlighted(on.contains(it.key()));
    for (auto it = m_links.begin(); it != m_links.end(); ++it) (*it)->setHighlighted(on.contains(linkKey(it.key())));
    m_highlighted = on;
    m_syncing = true;
    QGraphicsItem* item = target.isEmpty() ? nullptr : itemForKey(target);
    for (QGraphicsItem* i : selectedItems()) {
        if (i != item) i->setSelected(false);
    }
    if (item && !item->isSelected()) item->setSelected(true);
    m_syncing = false;
}

QString LogicalScene::toDot() const {
    LayoutGraph g;
    LayoutResult positions;
    for (auto it = m_networks.cbegin(); it != m_networks.cend(); ++it) {
        const QRectF r = (*it)->sceneBoundingRect();
        g.nodes.push_back({networkKey(it.key()), QSizeF(NetworkBarItem::kWidth, (*it)->height()), QString(),
                           (*it)->title() + QLatin1Char('\n') + (*it)->subtitle()});
        positions.positions.insert(networkKey(it.key()), r.center());
    }
    for (auto it = m_devices.cbegin(); it != m_devices.cend(); ++it) {
        g.nodes.push_back({it.key(), QSizeF(DeviceBoxItem::kWidth, DeviceBoxItem::kHeight), QString(), (*it)->title()});
        positions.positions.insert(it.key(), (*it)->sceneBoundingRect().center());
    }
    for (auto it = m_links.cbegin(); it != m_links.cend(); ++it) {
        g.edges.push_back({linkKey(it.key()), m_linkDevice.value(it.key()), networkKey(m_linkNetwork.value(it.key())),
                           true, (*it)->label()});
    }
    std::sort(g.nodes.begin(), g.nodes.end(), [](const LayoutNode& a, const LayoutNode& b) { return a.id < b.id; });
    std::sort(g.edges.begin(), g.edges.end(), [](const LayoutEdge& a, const LayoutEdge& b) { return a.id < b.id; });
    return GraphLayout::toDot(g, &positions);
}

}  // namespace nlab::views
