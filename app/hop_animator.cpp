#include "app/hop_animator.h"

#include <QHash>
#include <QQueue>

#include "engine/devices/ovs_bridge.h"
#include "engine/lab/lab.h"
#include "model/cloud.h"
#include "model/qt/event_log.h"
#include "views/physical_graph.h"
#include "views/physical_scene.h"

namespace nlab::app {

using model::EventKind;

HopAnimator::HopAnimator(views::PhysicalScene* scene, QObject* parent)
    : QObject(parent), m_scene(scene) {
    connect(m_scene, &views::PhysicalScene::tokenArrived, this, &HopAnimator::onArrived);
}

QColor HopAnimator::protocolColor(int protocol) {
    switch (model::FrameProtocol(protocol)) {
    case model::FrameProtocol::Arp: return QColor(0, 114, 178);     // blue
    case model::FrameProtocol::Icmp: return QColor(230, 80, 0);     // orange-red
    case model::FrameProtocol::Dhcp: return QColor(0, 158, 115);    // green
    case model::FrameProtocol::Gre: return QColor(150, 60, 170);    // purple
    case model::FrameProtocol::Other: break;
    }
    return QColor(90, 90, 90);
}

QString HopAnimator::tunnelPeerKey(const QString& node, const QString& bridge, const QString& port) const {
    model::Cloud* cloud = m_scene->cloud();
    if (!cloud) return {};
    engine::Lab& lab = cloud->lab();
    engine::Node* n = lab.node(node.toStdString());
    engine::OvsBridge* br = n ? n->ovsBridge(bridge.toStdString()) : nullptr;
    const engine::BridgePort* p = br ? br->portByName(port.toStdString()) : nullptr;
    if (!p || (p->config.type != engine::PortType::Gre && p->config.type != engine::PortType::Vxlan))
        return {};
    const std::uint32_t local = p->config.localIp ? p->config.localIp : n->tunnelEndpoint();
    for (engine::Node* other : lab.nodes()) {
        if (other == n || other->tunnelEndpoint() != p->config.remoteIp) continue;
        for (engine::OvsBridge* ob : other->ovsBridges()) {
            for (const engine::BridgePort* op : ob->ports()) {
                if (op->config.type == p->config.type && op->config.remoteIp == local) {
                    return m_scene->keyForDevice(QString::fromStdString(other->name()),
                                                 QString::fromStdString(op->config.name));
                }
            }
        }
    }
    return {};
}

QString HopAnimator::patchPeerKey(const QString& node, const QString& bridge, const QString& port) const {
    model::Cloud* cloud = m_scene->cloud();
    if (!cloud) return {};
    engine::Node* n = cloud->lab().node(node.toStdString());
    engine::OvsBridge* br = n ? n->ovsBridge(bridge.toStdString()) : nullptr;
    const engine::BridgePort* p = br ? br->portByName(port.toStdString()) : nullptr;
    if (!p || p->config.type != engine::PortType::Patch) return {};
    return m_scene->keyForDevice(node, QString::fromStdString(p->config.peer));
}

QStringList HopAnimator::wayToVm(const QString& node, const QString& portKey) const {
    const views::PhysicalGraph& g = m_scene->graph();
    // Adjacency over the edges that do not leave the node's plumbing.
    QHash<QString, QStringList> next;
    for (const views::PhysEdge& e : g.edges) {
        if (e.kind == views::PhysEdgeKind::Tunnel || e.kind == views::PhysEdgeKind::Segment) continue;
        next[e.from] << e.to;
        next[e.to] << e.from;
    }
    QHash<QString, QString> parent;
    QQueue<QString> queue;
    queue.enqueue(portKey);
    parent.insert(portKey, QString());
    while (!queue.isEmpty()) {
        const QString k = queue.dequeue();
        const views::PhysNode* pn = g.node(k);
        if (!pn || pn->node != node) continue;
        if (pn->kind == views::PhysNodeKind::Vm) {
            QStringList way;
            for (QString at = k; !at.isEmpty(); at = parent.value(at)) way.prepend(at);
            return way;  // port ... vm
        }
        if (k != portKey && (pn->kind == views::PhysNodeKind::OvsBridge || pn->kind == views::PhysNodeKind::Segment))
            continue;
        if (parent.size() > 64) break;
        for (const QString& n : next.value(k)) {
            if (!parent.contains(n)) {
                const views::PhysNode* nn = g.node(n);
                if (nn && nn->kind == views::PhysNodeKind::OvsBridge) continue;
                parent.insert(n, k);
                queue.enqueue(n);
            }
        }
    }
    return {};
}

QStringList HopAnimator::wayOf(const model::EventRecord& record) const {
    const QString node = QString::fromStdString(record.node);
    const QString device = QString::fromStdString(record.device);
    const QString port = QString::fromStdString(record.port);
    if (record.kind != EventKind::FrameReceived && record.kind != EventKind::FrameSent) return {};
    // Only bridge hops move tokens: the legs between bridges and VMs are inferred from the
    // graph (device hops carry no namespace, so a guest's eth0 is ambiguous).
    model::Cloud* cloud = m_scene->cloud();
    engine::Node* n = cloud ? cloud->lab().node(record.node) : nullptr;
    if (!n || !n->ovsBridge(record.device)) return {};
    const QString bridgeKey = m_scene->keyForDevice(node, device);
    const QString portKey = m_scene->keyForDevice(node, port);
    if (bridgeKey.isEmpty() || portKey.isEmpty()) return {};
    QStringList way;
    if (record.kind == EventKind::FrameReceived) {
        // From the VM behind the port, if any (the engine records only bridge hops).
        if (tunnelPeerKey(node, device, port).isEmpty() && patchPeerKey(node, device, port).isEmpty()) {
            QStringList vm = wayToVm(node, portKey);  // port ... vm
            std::reverse(vm.begin(), vm.end());
            if (!vm.isEmpty()) vm.removeLast();  // the port itself comes next
            way << vm;
        }
        way << portKey << bridgeKey;
    } else {
        way << bridgeKey << portKey;
        const QString tunnel = tunnelPeerKey(node, device, port);
        const QString patch = patchPeerKey(node, device, port);
        if (!tunnel.isEmpty()) {
            way << tunnel;  // across the tunnel to the far end
        } else if (!patch.isEmpty()) {
            way << patch;
        } else {
            const QStringList vm = wayToVm(node, portKey);
            for (int i = 1; i < vm.size(); ++i) way << vm[i];
        }
    }
    return way;
}

bool HopAnimator::animate(const model::EventRecord& record) {
    const QStringList way = wayOf(record);
    if (way.size() < 2) return false;
    Chain chain{way, 0, protocolColor(int(record.protocol))};
    if (!m_scene->animateHop(way[0], way[1], chain.color, m_segmentMs)) return false;
    if (way.size() > 2) m_chains.push_back(chain);
    return true;
}

void HopAnimator::onArrived(const QString& from, const QString& to) {
    for (auto it = m_chains.begin(); it != m_chains.end(); ++it) {
        if (it->keys.value(it->next) != from || it->keys.value(it->next + 1) != to) continue;
        ++it->next;
        if (it->next + 1 < it->keys.size()) {
            m_scene->animateHop(it->keys[it->next], it->keys[it->next + 1], it->color, m_segmentMs);
        }
        if (it->next + 1 >= it->keys.size()) m_chains.erase(it);
        return;
    }
}

void HopAnimator::clear() {
    m_chains.clear();
    m_scene->clearTokens();
}

}  // namespace nlab::app
