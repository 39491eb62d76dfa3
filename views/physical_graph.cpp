#include "views/physical_graph.h"

#include "engine/devices/ovs_bridge.h"
#include "engine/lab/lab.h"
#include "engine/net/l2_segment.h"
#include "engine/net/linux_bridge.h"
#include "engine/net/net_device.h"
#include "engine/netns/net_namespace.h"
#include "model/agents/agents.h"
#include "model/cloud.h"
#include "model/tenant.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>

namespace nlab::views {

namespace {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(PhysicalGraph)
};

QString qs(const std::string& s) { return QString::fromStdString(s); }

/// The Neutron port a device name stands for (tap/qvb/qvo/qbr/qr-/qg- + 11 characters of
/// the port id), or null.
const model::Port* portOfDevice(const std::map<std::string, const model::Port*>& byShortId,
                                const std::string& name) {
    for (std::string_view prefix : {"tap", "qvb", "qvo", "qbr", "qr-", "qg-"}) {
        if (name.size() == prefix.size() + 11 && name.compare(0, prefix.size(), prefix) == 0) {
            const auto it = byShortId.find(name.substr(prefix.size()));
            if (it != byShortId.end()) return it->second;
        }
    }
    return nullptr;
}

bool startsWith(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

QString tunnelText(const engine::BridgePort& p) {
    const QString type = p.config.type == engine::PortType::Vxlan ? QStringLiteral("VXLAN")
                                                                  : QStringLiteral("GRE");
    QString key = QStringLiteral("flow");
    if (p.config.inKey && p.config.outKey && *p.config.inKey == *p.config.outKey) {
        key = QString::number(*p.config.inKey);
    }
    const QString remote = p.config.remoteIpFlow ? QStringLiteral("flow")
                                                 : qs(engine::formatIpv4(p.config.remoteIp));
    return Tr::tr("%1 key=%2 remote=%3").arg(type, key, remote);
}

}  // namespace

QString hostKey(const QString& node) { return QStringLiteral("host:") + node; }
QString namespaceKey(const QString& node, const QString& ns) {
    return QStringLiteral("ns:") + node + QLatin1Char('/') + ns;
}
QString bridgeKey(const QString& node, const QString& bridge) {
    return QStringLiteral("bridge:") + node + QLatin1Char('/') + bridge;
}
QString deviceKey(const QString& node, const QString& device) {
    return QStringLiteral("dev:") + node + QLatin1Char('/') + device;
}
QString vmKey(const QString& node, const QString& vm) {
    return QStringLiteral("vm:") + node + QLatin1Char('/') + vm;
}
QString segmentKey(const QString& segment) { return QStringLiteral("seg:") + segment; }
QString edgeKey(const QString& from, const QString& to) {
    return QStringLiteral("edge:") + from + QLatin1Char('|') + to;
}

QSizeF physNodeSize(PhysNodeKind kind) {
    switch (kind) {
    case PhysNodeKind::OvsBridge: return {64, 24};
    case PhysNodeKind::LinuxBridge: return {64, 22};
    case PhysNodeKind::Port: return {44, 18};
    case PhysNodeKind::Interface: return {44, 18};
    case PhysNodeKind::Vm: return {72, 26};
    case PhysNodeKind::Segment: return {110, 16};
    }
    return {60, 20};
}

QFont physNodeFont(PhysNodeKind kind) {
    QFont f;
    switch (kind) {
    case PhysNodeKind::OvsBridge:
        f.setPointSizeF(9);
        f.setBold(true);
        break;
    case PhysNodeKind::Vm:
        f.setPointSizeF(8.5);
        f.setBold(true);
        break;
    case PhysNodeKind::Segment:
        f.setPointSizeF(8);
        f.setBold(true);
        break;
    case PhysNodeKind::LinuxBridge:
    case PhysNodeKind::Port:
    case PhysNodeKind::Interface:
        // Device names are long (qvo8cbe7bb6-18): a condensed face where there is one.
        f.setPointSizeF(7.5);
        f.setStretch(QFont::SemiCondensed);
        break;
    }
    return f;
}

QFont physFrameFont(bool namespaceFrame) {
    QFont f;
    f.setPointSizeF(namespaceFrame ? 7.5 : 9);
    f.setBold(!namespaceFrame);
    if (namespaceFrame) f.setStretch(QFont::SemiCondensed);
    return f;
}

QFont physNodeTagFont() {
    QFont f;
    f.setPointSizeF(7);
    f.setBold(true);
    return f;
}

bool physNodeHasIcon(PhysNodeKind kind, const QString& label) {
    switch (kind) {
    case PhysNodeKind::OvsBridge:
    case PhysNodeKind::LinuxBridge:
    case PhysNodeKind::Vm:
    case PhysNodeKind::Segment:
        return true;
    case PhysNodeKind::Port:
    case PhysNodeKind::Interface:
        return label.startsWith(QLatin1String("gre-")) || label.startsWith(QLatin1String("vxlan-"));
    }
    return false;
}

namespace {

/// Text widths, cached: a large lab measures thousands of labels on every rebuild. Reset when
/// the application font changes (the language switch picks a CJK-capable one).
qreal textWidth(const QFont& font, int kind, const QString& text) {
    static QFont appFont;
    static QHash<QString, qreal> cache;
    const QFont current;
    if (!(current == appFont)) {
        appFont = current;
        cache.clear();
    }
    if (cache.size() > 100000) cache.clear();
    const QString key = QString::number(kind) + QLatin1Char('/') + text;
    const auto it = cache.constFind(key);
    if (it != cache.constEnd()) return *it;
    const qreal w = QFontMetricsF(font).horizontalAdvance(text);
    cache.insert(key, w);
    return w;
}

}  // namespace

QSizeF physNodeSize(const PhysNode& node) {
    const QSizeF nominal = physNodeSize(node.kind);
    const int kind = static_cast<int>(node.kind);
    qreal w = 2 * physbox::kPad + textWidth(physNodeFont(node.kind), kind, node.label);
    if (!node.networkId.isEmpty()) w += physbox::kStripe + physbox::kGap;
    if (physNodeHasIcon(node.kind, node.label)) {
        w += std::min(nominal.height() - 6, physbox::kIconMax) + physbox::kGap;
    }
    if (node.tag) {
        w += textWidth(physNodeTagFont(), -1, QString::number(*node.tag)) + physbox::kTagPad + physbox::kGap;
    }
    return {std::max(nominal.width(), std::ceil(w + 1)), nominal.height()};
}

QStringList physicalSegmentNames() {
    return {QStringLiteral("management"), QStringLiteral("underlay"), QStringLiteral("external")};
}

const PhysNode* PhysicalGraph::node(const QString& key) const {
    const auto it = nodeIndex.constFind(key);
    return it == nodeIndex.constEnd() ? nullptr : &nodes[static_cast<std::size_t>(*it)];
}

const PhysCluster* PhysicalGraph::cluster(const QString& key) const {
    const auto it = clusterIndex.constFind(key);
    return it == clusterIndex.constEnd() ? nullptr : &clusters[static_cast<std::size_t>(*it)];
}

LayoutGraph PhysicalGraph::toLayoutGraph() const {
    LayoutGraph g;
    QHash<QString, int> tiers;
    for (const auto& n : nodes) {
        LayoutNode ln{n.key, physNodeSize(n), n.cluster, n.label};
        ln.sink = n.kind == PhysNodeKind::Interface && n.tier == 10;
        ln.bar = n.kind == PhysNodeKind::Segment;
        g.nodes.push_back(std::move(ln));
        tiers.insert(n.key, n.tier);
    }
    // Blocks left to right as a frame travels: compute hosts (the guests), network hosts,
    // then the outside world.
    auto rank = [](PhysClusterKind k) {
        switch (k) {
        case PhysClusterKind::ComputeHost: return 0;
        case PhysClusterKind::NetworkHost: return 1;
        case PhysClusterKind::OutsideHost: return 2;
        case PhysClusterKind::Namespace: return 3;
        }
        return 3;
    };
    std::vector<const PhysCluster*> ordered;
    for (const auto& c : clusters) ordered.push_back(&c);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [&](const PhysCluster* a, const PhysCluster* b) { return rank(a->kind) < rank(b->kind); });
    for (const PhysCluster* c : ordered) {
        LayoutCluster lc{c->key, c->parent, c->label};
        // Room for the frame's icon and title (hosts); namespaces' long names are elided.
        lc.minWidth = c->kind == PhysClusterKind::Namespace
                          ? 110.0
                          : 40.0 + textWidth(physFrameFont(false), -2, c->label);
        g.clusters.push_back(std::move(lc));
    }

    // Namespaces plugged into a host's bridges (qrouter-, qdhcp-): with two or more, their
    // ports stack in one column (invisible edges) beside the bridges, their links fanning
    // in sideways; side by side they would make the host as wide as all their ports.
    QHash<QString, QStringList> portsOfNamespace;
    for (const auto& n : nodes) {
        const PhysCluster* c = cluster(n.cluster);
        if (c && c->kind == PhysClusterKind::Namespace) portsOfNamespace[n.cluster] << n.key;
    }
    // Edges that only shape the layout (not drawn).
    auto layoutEdge = [&](const QString& from, const QString& to, bool sameRank) {
        LayoutEdge e;
        e.id = QStringLiteral("layout:") + from + QLatin1Char('|') + to;
        e.from = from;
        e.to = to;
        e.visible = false;
        e.sameRank = sameRank;
        g.edges.push_back(std::move(e));
    };
    QSet<QString> columnPorts;
    QSet<QString> belowHub;  // column ports ranked below the bridge they plug into
    QSet<QString> columnHosts;
    for (const auto& host : clusters) {
        if (host.kind == PhysClusterKind::Namespace) continue;
        QStringList spaces;
        for (const auto& c : clusters) {
            if (c.parent == host.key && portsOfNamespace.contains(c.key)) spaces << c.key;
        }
        if (spaces.size() < 2) continue;
        // Routers first (they join the bridges), then the rest by name.
        std::stable_sort(spaces.begin(), spaces.end(), [&](const QString& a, const QString& b) {
            const bool ra = cluster(a)->name.startsWith(QLatin1String("qrouter-"));
            const bool rb = cluster(b)->name.startsWith(QLatin1String("qrouter-"));
            if (ra != rb) return ra;
            return cluster(a)->name < cluster(b)->name;
        });
        QStringList column;
        for (const QString& ns : spaces) {
            QStringList ports = portsOfNamespace.value(ns);
            // qg- (the gateway to br-ex) after the qr- ports.
            std::stable_sort(ports.begin(), ports.end(), [&](const QString& a, const QString& b) {
                const bool ga = node(a)->name.startsWith(QLatin1String("qg-"));
                const bool gb = node(b)->name.startsWith(QLatin1String("qg-"));
                if (ga != gb) return !ga;
                return node(a)->name < node(b)->name;
            });
            column << ports;
        }
        for (qsizetype i = 0; i + 1 < column.size(); ++i) layoutEdge(column[i], column[i + 1], false);
        for (const QString& k : column) columnPorts.insert(k);
        columnHosts.insert(host.node);
        // The bridge most of them plug into sits level with the middle of the column.
        QHash<QString, int> plugs;
        for (const auto& e : edges) {
            if (columnPorts.contains(e.from) && !columnPorts.contains(e.to)) ++plugs[e.to];
            if (columnPorts.contains(e.to) && !columnPorts.contains(e.from)) ++plugs[e.from];
        }
        QString hub;
        for (auto it = plugs.cbegin(); it != plugs.cend(); ++it) {
            if (hub.isEmpty() || *it > plugs.value(hub) || (*it == plugs.value(hub) && it.key() < hub)) hub = it.key();
        }
        if (!hub.isEmpty()) layoutEdge(column[column.size() / 2], hub, true);
        for (qsizetype i = column.size() / 2 + 1; i < column.size(); ++i) belowHub.insert(column[i]);
        // The other bridges (br-ex) level with the first port plugged into them (qg-).
        QSet<QString> anchored{hub};
        for (const QString& port : std::as_const(column)) {
            for (const auto& e : edges) {
                const QString other = e.from == port ? e.to : (e.to == port ? e.from : QString());
                if (other.isEmpty() || columnPorts.contains(other) || anchored.contains(other)) continue;
                anchored.insert(other);
                layoutEdge(port, other, true);
            }
        }
    }
    for (const auto& e : edges) {
        LayoutEdge le{e.key, e.from, e.to, true, e.label};
        if (e.kind == PhysEdgeKind::Tunnel || tiers.value(e.from) == tiers.value(e.to)) le.constraint = false;
        // A patch pair side by side, between the two bridges' ranks (one above the other
        // beside a namespace column: the column's links fan in from below-left).
        if (e.kind == PhysEdgeKind::Patch) {
            le.constraint = true;
            le.sameRank = !columnHosts.contains(node(e.from) ? node(e.from)->node : QString());
        }
        if (columnPorts.contains(e.from) != columnPorts.contains(e.to)) {
            le.constraint = false;
            // Below its bridge, a port's link runs upward: dot would loop it around the
            // host; straight, it fans in like the others.
            if (belowHub.contains(e.from) || belowHub.contains(e.to)) le.routed = false;
        }
        g.edges.push_back(le);
    }
    // A tunnel port above the NIC its packets leave by.
    for (const auto& n : nodes) {
        if (!n.underlay.isEmpty() && nodeIndex.contains(n.underlay)) layoutEdge(n.key, n.underlay, false);
    }
    return g;
}

PhysicalGraph buildPhysicalGraph(model::Cloud& cloud) {
    PhysicalGraph graph;
    engine::Lab& lab = cloud.lab();
    const model::TenantState& state = cloud.state();
    model::Agents& agents = cloud.agents();

    std::map<std::string, const model::Port*> byShortId;
    for (const auto& [id, port] : state.ports) byShortId[id.substr(0, 11)] = &port;
    std::map<std::uint32_t, engine::Node*> byEndpoint;
    for (engine::Node* n : lab.nodes()) {
        if (n->tunnelEndpoint()) byEndpoint[n->tunnelEndpoint()] = n;
    }
    std::map<const engine::NetDevice*, QString> keyOfDevice;
    QHash<QString, int> indexOfNode;
    auto addNode = [&](PhysNode n) -> PhysNode& {
        indexOfNode.insert(n.key, static_cast<int>(graph.nodes.size()));
        graph.nodes.push_back(std::move(n));
        return graph.nodes.back();
    };
    QSet<QString> edgeKeys;
    auto addEdge = [&](PhysEdgeKind kind, QString from, QString to, QString label = {},
                       QString networkId = {}) {
        const auto fi = indexOfNode.constFind(from);
        const auto ti = indexOfNode.constFind(to);
        if (fi == indexOfNode.constEnd() || ti == indexOfNode.constEnd() || from == to) return;
        // Oriented from the guest down to the wire.
        if (graph.nodes[static_cast<std::size_t>(*fi)].tier > graph.nodes[static_cast<std::size_t>(*ti)].tier) {
            std::swap(from, to);
        }
        const QString key = edgeKey(from, to);
        if (edgeKeys.contains(key) || edgeKeys.contains(edgeKey(to, from))) return;
        edgeKeys.insert(key);
        graph.edges.push_back({key, kind, from, to, std::move(label), std::move(networkId)});
    };
    auto addressesText = [](const engine::NetNamespace& ns, const std::string& dev) {
        QStringList parts;
        for (const auto& a : ns.addresses()) {
            if (a.device == dev) parts << qs(engine::formatIpv4(a.address)) + QLatin1Char('/') + QString::number(a.prefixLength);
        }
        return parts.join(QStringLiteral(", "));
    };
    auto deviceNode = [&](engine::Node& node, engine::NetDevice& dev, const QString& cluster,
                          const QString& netns) {
        const QString nodeName = qs(node.name());
        PhysNode n;
        n.key = deviceKey(nodeName, qs(dev.name()));
        n.kind = PhysNodeKind::Interface;
        n.label = qs(dev.name());
        n.cluster = cluster;
        n.node = nodeName;
        n.netns = netns;
        n.name = qs(dev.name());
        const std::string& name = dev.name();
        if (!netns.isEmpty()) {
            n.tier = 1;
        } else if (startsWith(name, "tap")) {
            n.tier = 1;
        } else if (startsWith(name, "qvo")) {
            n.tier = 4;
        } else if (dev.kind() == engine::DeviceKind::Veth) {
            n.tier = 3;
        } else if (dev.kind() == engine::DeviceKind::Ethernet) {
            n.tier = 10;
        } else {
            n.tier = 4;
        }
        if (const model::Port* p = portOfDevice(byShortId, name)) {
            n.portId = qs(p->id);
            n.networkId = qs(p->networkId);
            if (p->deviceOwner == model::owner::kCompute) n.instanceId = qs(p->deviceId);
            if (p->deviceOwner == model::owner::kRouterInterface ||
                p->deviceOwner == model::owner::kRouterGateway) {
                n.routerId = qs(p->deviceId);
            }
        }
        QString tip = Tr::tr("%1 (%2) on %3").arg(n.label, qs(std::string(engine::toString(dev.kind()))), nodeName);
        if (!netns.isEmpty()) tip += Tr::tr(", namespace %1").arg(netns);
        tip += QLatin1Char('\n') + Tr::tr("MAC %1").arg(qs(engine::formatMac(dev.mac())));
        if (dev.netns()) {
            const QString addrs = addressesText(*dev.netns(), name);
            if (!addrs.isEmpty()) {
                tip += QLatin1Char('\n') + Tr::tr("inet %1").arg(addrs);
                n.detail = addrs;
            }
        }
        n.toolTip = tip;
        keyOfDevice[&dev] = n.key;
        addNode(std::move(n));
    };

    const engine::Node* outside = agents.outsideNode();
    for (engine::Node* node : lab.nodes()) {
        const QString nodeName = qs(node->name());
        const model::Host* host = state.host(node->name());
        PhysCluster hc;
        hc.key = hostKey(nodeName);
        hc.kind = !host ? PhysClusterKind::OutsideHost
                        : (host->role == model::HostRole::Network ? PhysClusterKind::NetworkHost
                                                                   : PhysClusterKind::ComputeHost);
        hc.label = nodeName;
        hc.node = nodeName;
        hc.name = nodeName;
        if (host) {
            hc.toolTip = (host->role == model::HostRole::Network ? Tr::tr("Network node %1") : Tr::tr("Compute node %1")).arg(nodeName) +
                         QLatin1Char('\n') + Tr::tr("management %1, data %2")
                                                 .arg(qs(host->managementIp.toString()), qs(host->dataIp.toString()));
        } else {
            hc.toolTip = node == outside ? Tr::tr("The upstream router on the external network")
                                         : Tr::tr("Node %1").arg(nodeName);
        }
        graph.clusters.push_back(hc);

        std::map<int, QString> networkOfVlan;
        for (const auto& [id, net] : state.networks) {
            if (auto v = agents.localVlan(node->name(), id)) networkOfVlan[*v] = qs(id);
        }
        QSet<QString> ovsNames;
        for (engine::OvsBridge* br : node->ovsBridges()) ovsNames.insert(qs(br->name()));

        // Namespaces: VMs are items, the others (qdhcp-, qrouter-) groups of interfaces.
        for (engine::NetNamespace* ns : node->namespaces()) {
            const QString nsName = qs(ns->name());
            if (ns->isVmGuest()) {
                PhysNode vm;
                vm.key = vmKey(nodeName, nsName);
                vm.kind = PhysNodeKind::Vm;
                vm.label = nsName;
                vm.cluster = hc.key;
                vm.node = nodeName;
                vm.netns = nsName;
                vm.name = nsName;
                vm.tier = 0;
                QStringList lines{Tr::tr("Instance %1 on %2").arg(nsName, nodeName)};
                if (const model::Instance* inst = state.instance(ns->name())) {
                    vm.instanceId = qs(inst->id);
                    if (!inst->portIds.empty()) {
                        if (const model::Port* p = state.port(inst->portIds.front())) vm.networkId = qs(p->networkId);
                    }
                }
                for (engine::NetDevice* d : ns->devices()) {
                    if (d->kind() == engine::DeviceKind::Loopback) continue;
                    keyOfDevice[d] = vm.key;
                    const QString addrs = addressesText(*ns, d->name());
                    lines << Tr::tr("%1 %2 %3").arg(qs(d->name()), qs(engine::formatMac(d->mac())), addrs).trimmed();
                    if (vm.detail.isEmpty()) vm.detail = addrs;
                }
                vm.toolTip = lines.join(QLatin1Char('\n'));
                addNode(std::move(vm));
                continue;
            }
            PhysCluster nc;
            nc.key = namespaceKey(nodeName, nsName);
            nc.kind = PhysClusterKind::Namespace;
            nc.parent = hc.key;
            nc.label = nsName;
            nc.node = nodeName;
            nc.name = nsName;
            if (startsWith(ns->name(), "qdhcp-")) {
                nc.networkId = nsName.mid(6);
                nc.toolTip = Tr::tr("DHCP namespace of network %1").arg(nc.networkId);
            } else if (startsWith(ns->name(), "qrouter-")) {
                nc.routerId = nsName.mid(8);
                nc.toolTip = Tr::tr("Namespace of router %1").arg(nc.routerId);
            } else {
                nc.toolTip = Tr::tr("Namespace %1").arg(nsName);
            }
            graph.clusters.push_back(nc);
            for (engine::NetDevice* d : ns->devices()) {
                if (d->kind() == engine::DeviceKind::Loopback) continue;
                deviceNode(*node, *d, nc.key, nsName);
            }
        }
        // Root namespace interfaces (bridges' own interfaces are the bridges).
        for (engine::NetDevice* d : node->root().devices()) {
            if (d->kind() == engine::DeviceKind::Loopback || d->kind() == engine::DeviceKind::OvsSystem ||
                d->kind() == engine::DeviceKind::LinuxBridge || ovsNames.contains(qs(d->name()))) {
                continue;
            }
            deviceNode(*node, *d, hc.key, QString());
        }
        // Linux bridges.
        for (engine::LinuxBridge* lb : node->linuxBridges()) {
            PhysNode b;
            b.key = bridgeKey(nodeName, qs(lb->name()));
            b.kind = PhysNodeKind::LinuxBridge;
            b.label = qs(lb->name());
            b.cluster = hc.key;
            b.node = nodeName;
            b.name = b.label;
            b.tier = 2;
            if (const model::Port* p = portOfDevice(byShortId, lb->name())) {
                b.portId = qs(p->id);
                b.networkId = qs(p->networkId);
                if (p->deviceOwner == model::owner::kCompute) b.instanceId = qs(p->deviceId);
            }
            b.detail = qs(lb->bridgeIdText());
            b.toolTip = Tr::tr("Linux bridge %1 on %2\nbridge id %3, STP %4")
                            .arg(b.label, nodeName, b.detail, lb->stpEnabled() ? Tr::tr("on") : Tr::tr("off"));
            keyOfDevice[&lb->device()] = b.key;
            addNode(std::move(b));
        }
        // OVS bridges and the ports that have no interface of their own (patch, tunnels).
        for (engine::OvsBridge* br : node->ovsBridges()) {
            PhysNode b;
            b.key = bridgeKey(nodeName, qs(br->name()));
            b.kind = PhysNodeKind::OvsBridge;
            b.label = qs(br->name());
            b.cluster = hc.key;
            b.node = nodeName;
            b.name = b.label;
            b.tier = br->name() == "br-tun" ? 8 : 5;
            b.detail = br->failMode() == engine::OvsBridge::FailMode::Secure ? Tr::tr("fail_mode: secure")
                                                                              : Tr::tr("fail_mode: standalone");
            b.toolTip = Tr::tr("Open vSwitch bridge %1 on %2\n%3").arg(b.label, nodeName, b.detail);
            const QString bKey = b.key;
            addNode(std::move(b));
            for (const engine::BridgePort* p : br->ports()) {
                if (p->config.name == br->name()) continue;
                const QString pname = qs(p->config.name);
                const QString key = deviceKey(nodeName, pname);
                auto it = indexOfNode.constFind(key);
                if (it == indexOfNode.constEnd()) {
                    PhysNode pn;
                    pn.key = key;
                    pn.kind = PhysNodeKind::Port;
                    pn.label = pname;
                    pn.cluster = hc.key;
                    pn.node = nodeName;
                    pn.name = pname;
                    const auto type = p->config.type;
                    if (type == engine::PortType::Patch) {
                        pn.tier = br->name() == "br-int" ? 6 : 7;
                        pn.detail = Tr::tr("patch peer=%1").arg(qs(p->config.peer));
                    } else if (type == engine::PortType::Gre || type == engine::PortType::Vxlan) {
                        pn.tier = 9;
                        pn.detail = tunnelText(*p);
                        for (const auto& a : node->root().addresses()) {
                            if (a.address == node->tunnelEndpoint() && node->tunnelEndpoint() != 0) {
                                pn.underlay = deviceKey(nodeName, qs(a.device));
                            }
                        }
                    } else {
                        pn.tier = 4;
                    }
                    addNode(std::move(pn));
                    it = indexOfNode.constFind(key);
                }
                PhysNode& pn = graph.nodes[static_cast<std::size_t>(*it)];
                pn.tag = p->config.tag ? std::optional<int>(*p->config.tag) : std::nullopt;
                if (pn.tag && pn.networkId.isEmpty()) {
                    const auto net = networkOfVlan.find(*pn.tag);
                    if (net != networkOfVlan.end()) pn.networkId = net->second;
                }
                QString tip = Tr::tr("Port %1 of %2 (ofport %3, %4)")
                                  .arg(pname, qs(br->name()))
                                  .arg(p->ofport)
                                  .arg(qs(std::string(engine::toString(p->config.type))));
                if (pn.tag) tip += QLatin1Char('\n') + Tr::tr("tag: %1").arg(*pn.tag);
                if (!pn.detail.isEmpty() && pn.kind == PhysNodeKind::Port) tip += QLatin1Char('\n') + pn.detail;
                pn.toolTip = pn.toolTip.isEmpty() ? tip : pn.toolTip + QLatin1Char('\n') + tip;
                addEdge(PhysEdgeKind::Membership, key, bKey, {}, pn.networkId);
            }
        }
        for (engine::LinuxBridge* lb : node->linuxBridges()) {
            const QString bKey = bridgeKey(nodeName, qs(lb->name()));
            for (const engine::NetDevice* d : lb->interfaces()) {
                const auto k = keyOfDevice.find(d);
                if (k != keyOfDevice.end()) {
                    const PhysNode* dn = &graph.nodes[static_cast<std::size_t>(indexOfNode.value(k->second))];
                    addEdge(PhysEdgeKind::Membership, k->second, bKey, {}, dn->networkId);
                }
            }
        }
    }

    // Per node: patch pairs, veth pairs, VM NIC ~ tap.
    for (engine::Node* node : lab.nodes()) {
        const QString nodeName = qs(node->name());
        for (engine::OvsBridge* br : node->ovsBridges()) {
            for (const engine::BridgePort* p : br->ports()) {
                if (p->config.type != engine::PortType::Patch || p->config.peer.empty()) continue;
                addEdge(PhysEdgeKind::Patch, deviceKey(nodeName, qs(p->config.name)),
                        deviceKey(nodeName, qs(p->config.peer)));
            }
        }
        std::map<std::uint64_t, const engine::NetDevice*> tapByMac;
        for (engine::NetDevice* d : node->devices()) {
            if (d->kind() == engine::DeviceKind::Tap) tapByMac[d->mac()] = d;
        }
        for (engine::NetDevice* d : node->devices()) {
            if (d->peerIfindex() > 0 && d->peerIfindex() > d->ifindex()) {
                if (engine::NetDevice* peer = node->deviceByIfindex(d->peerIfindex())) {
                    const auto a = keyOfDevice.find(d);
                    const auto b = keyOfDevice.find(peer);
                    if (a != keyOfDevice.end() && b != keyOfDevice.end()) {
                        const PhysNode& an = graph.nodes[static_cast<std::size_t>(indexOfNode.value(a->second))];
                        addEdge(PhysEdgeKind::Veth, a->second, b->second, {}, an.networkId);
                    }
                }
            }
            // A VM NIC's tap has the NIC's MAC with first octet 0xfe (libvirt).
            if (d->netns() && d->netns()->isVmGuest() && d->kind() != engine::DeviceKind::Loopback) {
                const std::uint64_t tapMac = (d->mac() & 0x00ffffffffffULL) | (0xfeULL << 40);
                const auto t = tapByMac.find(tapMac);
                const auto vk = keyOfDevice.find(d);
                if (t != tapByMac.end() && vk != keyOfDevice.end()) {
                    const auto tk = keyOfDevice.find(t->second);
                    if (tk != keyOfDevice.end()) {
                        const PhysNode& tn = graph.nodes[static_cast<std::size_t>(indexOfNode.value(tk->second))];
                        addEdge(PhysEdgeKind::VmNic, vk->second, tk->second, qs(d->name()), tn.networkId);
                    }
                }
            }
        }
    }

    // Tunnels between hosts: a tunnel port and the peer host's port pointing back.
    for (engine::Node* node : lab.nodes()) {
        for (engine::OvsBridge* br : node->ovsBridges()) {
            for (const engine::BridgePort* p : br->ports()) {
                const auto type = p->config.type;
                if (type != engine::PortType::Gre && type != engine::PortType::Vxlan) continue;
                const auto peerNode = byEndpoint.find(p->config.remoteIp);
                if (peerNode == byEndpoint.end() || peerNode->second == node) continue;
                for (engine::OvsBridge* pbr : peerNode->second->ovsBridges()) {
                    for (const engine::BridgePort* q : pbr->ports()) {
                        if (q->config.type != type || q->config.remoteIp != node->tunnelEndpoint()) continue;
                        const QString a = deviceKey(qs(node->name()), qs(p->config.name));
                        const QString b = deviceKey(qs(peerNode->second->name()), qs(q->config.name));
                        if (a < b) {
                            addEdge(PhysEdgeKind::Tunnel, a, b,
                                    tunnelText(*p) + QLatin1Char('\n') + tunnelText(*q));
                        }
                    }
                }
            }
        }
    }

    // L2 segments between hosts.
    for (const QString& segName : physicalSegmentNames()) {
        const engine::L2Segment* seg = lab.segment(segName.toStdString());
        if (!seg) continue;
        PhysNode s;
        s.key = segmentKey(segName);
        s.kind = PhysNodeKind::Segment;
        s.label = segName;
        s.name = segName;
        s.tier = 12;
        s.toolTip = Tr::tr("L2 segment %1 (%n device(s))", nullptr, static_cast<int>(seg->devices().size())).arg(segName);
        const QString sKey = s.key;
        addNode(std::move(s));
        for (const engine::NetDevice* d : seg->devices()) {
            const auto k = keyOfDevice.find(d);
            if (k != keyOfDevice.end()) addEdge(PhysEdgeKind::Segment, k->second, sKey);
        }
    }
    graph.nodeIndex = indexOfNode;
    for (std::size_t i = 0; i < graph.clusters.size(); ++i) graph.clusterIndex.insert(graph.clusters[i].key, static_cast<int>(i));
    return graph;
}

}  // namespace nlab::views
