#include "views/physical_scene.h"

#include "model/agents/agents.h"
#include "model/cloud.h"
#include "views/edge_item.h"
#include "views/frame_item.h"
#include "views/network_palette.h"
#include "views/node_item.h"
#include "views/token_item.h"

#include <QCoreApplication>
#include <QThread>

#include <cmath>

namespace nlab::views {

namespace {

FrameItem::Style frameStyle(PhysClusterKind kind) {
    switch (kind) {
    case PhysClusterKind::NetworkHost: return FrameItem::Style::NetworkHost;
    case PhysClusterKind::ComputeHost: return FrameItem::Style::ComputeHost;
    case PhysClusterKind::OutsideHost: return FrameItem::Style::OutsideHost;
    case PhysClusterKind::Namespace: return FrameItem::Style::Namespace;
    }
    return FrameItem::Style::ComputeHost;
}

QString hexId(std::uint32_t v) { return QStringLiteral("0x") + QString::number(v, 16); }

}  // namespace

PhysicalScene::PhysicalScene(model::Cloud* cloud, SelectionModel* selection, NetworkPalette* palette,
                             QObject* parent)
    : QGraphicsScene(parent), m_cloud(cloud), m_selection(selection), m_palette(palette),
      m_layouter(new GraphLayout(this)) {
    if (!m_selection) {
        m_ownSelection = std::make_unique<SelectionModel>();
        m_selection = m_ownSelection.get();
    }
    if (!m_palette) {
        m_ownPalette = std::make_unique<NetworkPalette>();
        m_palette = m_ownPalette.get();
    }
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
    setBackgroundBrush(QColor(0xfa, 0xfb, 0xfc));
    connect(m_layouter, &GraphLayout::finished, this, &PhysicalScene::onLayoutFinished);
    connect(this, &QGraphicsScene::selectionChanged, this, &PhysicalScene::onSceneSelectionChanged);
    connect(m_selection, &SelectionModel::selectionChanged, this, &PhysicalScene::applySelection);
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(15);
    connect(&m_timer, &QTimer::timeout, this, &PhysicalScene::tick);
    m_clock.start();
    if (m_cloud) rebuild();
}

PhysicalScene::~PhysicalScene() {
    disconnect(this, &QGraphicsScene::selectionChanged, this, &PhysicalScene::onSceneSelectionChanged);
    m_layouter->waitForFinished();
    clearTokens();
    for (TokenItem* t : m_tokenPool) delete t;
    m_tokenPool.clear();
}

void PhysicalScene::setCloud(model::Cloud* cloud) {
    clearTokens();
    clearItems();
    m_cloud = cloud;
    m_haveLayout = false;
    m_layout = {};
    m_graph = {};
    if (m_cloud) rebuild();
}

void PhysicalScene::clearItems() {
    m_syncing = true;
    for (EdgeItem* e : std::as_const(m_edges)) {
        removeItem(e);
        delete e;
    }
    for (NodeItem* n : std::as_const(m_nodes)) {
        removeItem(n);
        delete n;
    }
    for (FrameItem* f : std::as_const(m_frames)) {
        removeItem(f);
        delete f;
    }
    m_edges.clear();
    m_nodes.clear();
    m_frames.clear();
    m_highlighted.clear();
    m_syncing = false;
}

void PhysicalScene::rebuild() {
    if (!m_cloud) return;
    m_graph = buildPhysicalGraph(*m_cloud);
    m_palette->sync(m_cloud->state());
    syncItems();
    const LayoutGraph lg = m_graph.toLayoutGraph();
    if (m_haveLayout) {
        applyLayout(GraphLayout::place(lg, m_layout));
    } else {
        // Until the first layout arrives every item sits at (0,0), hidden: a BSP index over
        // thousands of overlapping items costs a quarter of a second on the next expose
        // (the GUI thread blocks); the index is built once, when the layout is applied.
        setItemIndexMethod(QGraphicsScene::NoIndex);
        m_layouter->start(lg);
    }
    applySelection(m_selection->current());
    emit rebuilt();
}

void PhysicalScene::relayout() {
    if (!m_cloud) return;
    m_layouter->start(m_graph.toLayoutGraph());
}

bool PhysicalScene::isLayoutRunning() const { return m_layouter->isRunning(); }

bool PhysicalScene::waitForLayout(int timeoutMs) { return m_layouter->waitForFinished(timeoutMs); }

void PhysicalScene::syncItems() {
    m_syncing = true;
    QSet<QString> keep;
    // Frames.
    for (const PhysCluster& c : m_graph.clusters) {
        keep.insert(c.key);
        FrameItem* f = m_frames.value(c.key);
        if (!f) {
            f = new FrameItem(c.key, frameStyle(c.kind), c.label);
            f->setVisible(m_haveLayout);
            addItem(f);
            m_frames.insert(c.key, f);
        }
        f->setLabel(c.label);
        f->setToolTip(c.toolTip);
        f->setAccent(c.networkId.isEmpty() ? QColor() : m_palette->color(c.networkId));
    }
    for (auto it = m_frames.begin(); it != m_frames.end();) {
        if (keep.contains(it.key())) {
            ++it;
            continue;
        }
        removeItem(*it);
        delete *it;
        it = m_frames.erase(it);
    }
    // Edges go before their nodes are deleted.
    QSet<QString> keepEdges;
    for (const PhysEdge& e : m_graph.edges) keepEdges.insert(e.key);
    QSet<QString> keepNodes;
    for (const PhysNode& n : m_graph.nodes) keepNodes.insert(n.key);
    for (auto it = m_edges.begin(); it != m_edges.end();) {
        if (keepEdges.contains(it.key()) && keepNodes.contains((*it)->from()->key()) &&
            keepNodes.contains((*it)->to()->key())) {
            ++it;
            continue;
        }
        removeItem(*it);
        delete *it;
        it = m_edges.erase(it);
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        const PhysNode* n = keepNodes.contains(it.key()) ? m_graph.node(it.key()) : nullptr;
        if (n && n->kind == (*it)->kind()) {
            ++it;
            continue;
        }
        removeItem(*it);
        delete *it;
        it = m_nodes.erase(it);
    }
    for (const PhysNode& n : m_graph.nodes) {
        NodeItem* item = m_nodes.value(n.key);
        if (!item) {
            item = new NodeItem(n.key, n.kind);
            item->setVisible(m_haveLayout);
            addItem(item);
            m_nodes.insert(n.key, item);
        }
        item->setSize(m_layout.sizes.value(n.key, physNodeSize(n)));
        item->setLabel(n.label);
        item->setToolTip(n.toolTip);
        item->setTag(n.tag);
        item->setNetworkColor(n.networkId.isEmpty() ? QColor() : m_palette->color(n.networkId));
    }
    for (const PhysEdge& e : m_graph.edges) {
        EdgeItem* item = m_edges.value(e.key);
        if (!item) {
            NodeItem* a = m_nodes.value(e.from);
            NodeItem* b = m_nodes.value(e.to);
            if (!a || !b) continue;
            item = new EdgeItem(e.key, e.kind, a, b);
            item->setVisible(m_haveLayout);
            addItem(item);
            m_edges.insert(e.key, item);
        }
        item->setLabel(e.label);
        item->setColor(e.networkId.isEmpty() ? QColor() : m_palette->color(e.networkId));
    }
    m_highlighted.clear();
    m_syncing = false;
}

void PhysicalScene::onLayoutFinished(const LayoutResult& result) {
    // The graph may have grown while the layout ran: place what it does not know.
    const LayoutGraph lg = m_graph.toLayoutGraph();
    bool complete = true;
    for (const auto& n : lg.nodes) {
        if (!result.positions.contains(n.id)) {
            complete = false;
            break;
        }
    }
    m_haveLayout = true;
    applyLayout(complete ? result : GraphLayout::place(lg, result));
    emit layoutFinished(result.elapsedMs);
}

void PhysicalScene::applyLayout(const LayoutResult& result) {
    m_layout = result;
    // Moving thousands of items one by one through the BSP index costs seconds (each move
    // re-files the item); without an index during the move, it is rebuilt once afterwards.
    const bool bulk = m_nodes.size() > 200 || itemIndexMethod() == QGraphicsScene::NoIndex;
    if (bulk) setItemIndexMethod(QGraphicsScene::NoIndex);
    for (auto it = m_frames.begin(); it != m_frames.end(); ++it) {
        const auto r = result.clusters.constFind(it.key());
        if (r != result.clusters.constEnd()) (*it)->setSceneRect(*r);
        (*it)->setVisible(r != result.clusters.constEnd());
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end(); ++it) {
        const auto p = result.positions.constFind(it.key());
        if (p != result.positions.constEnd()) (*it)->setPos(*p);
        if (const auto s = result.sizes.constFind(it.key()); s != result.sizes.constEnd()) {
            (*it)->setSize(*s);
        } else if (const PhysNode* n = m_graph.node(it.key())) {
            (*it)->setSize(physNodeSize(*n));
        }
        (*it)->setVisible(true);
    }
    updateEdgePaths();
    // As much margin as the views' fit leaves: fitted, the drawing needs no scroll bars.
    QRectF bounds = itemsBoundingRect();
    setSceneRect(bounds.adjusted(-12, -12, 12, 12));
    if (bulk) setItemIndexMethod(QGraphicsScene::BspTreeIndex);
}

void PhysicalScene::updateEdgePaths() {
    for (auto it = m_edges.begin(); it != m_edges.end(); ++it) {
        EdgeItem* e = *it;
        const QPainterPath spline = m_layout.edgePaths.value(it.key());
        if (spline.isEmpty() && e->kind() == PhysEdgeKind::Tunnel && routeTunnel(e)) {
            e->setVisible(true);
            continue;
        }
        e->updatePath(spline);
        e->setVisible(true);
    }
}

bool PhysicalScene::routeTunnel(EdgeItem* e) {
    // Between two hosts of one row: down from each tunnel port (past the NIC it leaves by,
    // right below it) into the lane under the hosts, and across, the label in the lane.
    const PhysNode* a = m_graph.node(e->from()->key());
    const PhysNode* b = m_graph.node(e->to()->key());
    if (!a || !b || a->node == b->node) return false;
    FrameItem* fa = m_frames.value(hostKey(a->node));
    FrameItem* fb = m_frames.value(hostKey(b->node));
    if (!fa || !fb || !fa->isVisible() || !fb->isVisible()) return false;
    const QRectF ra = fa->frameRect(), rb = fb->frameRect();
    if (ra.bottom() < rb.top() || rb.bottom() < ra.top()) return false;  // not side by side
    const QRectF boxA = e->from()->sceneBox(), boxB = e->to()->sceneBox();
    const qreal lane = std::max(ra.bottom(), rb.bottom()) + 13;
    QPainterPath path;
    path.moveTo(boxA.center().x(), boxA.bottom());
    path.lineTo(boxA.center().x(), lane);
    path.lineTo(boxB.center().x(), lane);
    path.lineTo(boxB.center().x(), boxB.bottom());
    const qreal room = std::abs(boxB.center().x() - boxA.center().x()) - 16;
    e->updatePath(path, QPointF((boxA.center().x() + boxB.center().x()) / 2, lane), room);
    return true;
}

QGraphicsItem* PhysicalScene::itemForKey(const QString& key) const {
    if (NodeItem* n = m_nodes.value(key)) return n;
    if (FrameItem* f = m_frames.value(key)) return f;
    return m_edges.value(key);
}

NodeItem* PhysicalScene::nodeItem(const QString& key) const { return m_nodes.value(key); }
FrameItem* PhysicalScene::frameItem(const QString& key) const { return m_frames.value(key); }
EdgeItem* PhysicalScene::edgeItem(const QString& key) const { return m_edges.value(key); }

EdgeItem* PhysicalScene::edgeBetween(const QString& a, const QString& b) const {
    if (EdgeItem* e = m_edges.value(edgeKey(a, b))) return e;
    return m_edges.value(edgeKey(b, a));
}

QStringList PhysicalScene::nodeKeys() const {
    QStringList keys = m_nodes.keys();
    keys.sort();
    return keys;
}

QString PhysicalScene::keyForDevice(const QString& node, const QString& device, const QString& netns) const {
    if (!netns.isEmpty() && m_nodes.contains(vmKey(node, netns))) return vmKey(node, netns);
    for (const QString& k : {deviceKey(node, device), bridgeKey(node, device), vmKey(node, device)}) {
        if (m_nodes.contains(k)) return k;
    }
    if (m_frames.contains(namespaceKey(node, device))) return namespaceKey(node, device);
    if (device.isEmpty() && m_frames.contains(hostKey(node))) return hostKey(node);
    return {};
}

QStringList PhysicalScene::highlightedKeys() const {
    QStringList keys(m_highlighted.begin(), m_highlighted.end());
    keys.sort();
    return keys;
}

QString PhysicalScene::toDot() const {
    return GraphLayout::toDot(m_graph.toLayoutGraph(), m_haveLayout ? &m_layout : nullptr);
}

// ------------------------------------------------------------------------------ selection

SelectionRef PhysicalScene::refForItem(QGraphicsItem* item) const {
    const QString key = item->data(kItemKeyData).toString();
    if (const PhysCluster* c = m_graph.cluster(key)) {
        if (c->kind == PhysClusterKind::Namespace) {
            return {selkind::kNamespace, SelectionModel::physicalId(c->node, c->name)};
        }
        return {selkind::kHost, c->node};
    }
    if (const PhysNode* n = m_graph.node(key)) {
        switch (n->kind) {
        case PhysNodeKind::Vm:
            if (!n->instanceId.isEmpty()) return {selkind::kInstance, n->instanceId};
            return {selkind::kDevice, SelectionModel::physicalId(n->node, n->name)};
        case PhysNodeKind::OvsBridge:
        case PhysNodeKind::LinuxBridge:
            return {selkind::kBridge, SelectionModel::physicalId(n->node, n->name)};
        case PhysNodeKind::Segment:
            return {selkind::kSegment, n->name};
        case PhysNodeKind::Port:
        case PhysNodeKind::Interface:
            return {selkind::kDevice, SelectionModel::physicalId(n->node, n->name)};
        }
    }
    return {};
}

void PhysicalScene::onSceneSelectionChanged() {
    if (m_syncing) return;
    const QList<QGraphicsItem*> items = selectedItems();
    if (items.isEmpty()) {
        m_selection->clear();
        return;
    }
    // Prefer a box over the frame around it.
    QGraphicsItem* chosen = items.front();
    for (QGraphicsItem* i : items) {
        if (i->type() == NodeItem::Type) chosen = i;
    }
    const SelectionRef ref = refForItem(chosen);
    if (!ref.isEmpty()) m_selection->select(ref);
}

void PhysicalScene::applySelection(const SelectionRef& ref) {
    QSet<QString> on;
    QHash<QString, QString> badges;
    const model::TenantState* state = m_cloud ? &m_cloud->state() : nullptr;
    auto addNodesWhere = [&](auto pred) {
        for (const PhysNode& n : m_graph.nodes) {
            if (pred(n)) on.insert(n.key);
        }
    };
    QString networkId;
    if (ref.kind == selkind::kNetwork) {
        networkId = ref.id;
    } else if (ref.kind == selkind::kSubnet && state) {
        if (const model::Subnet* s = state->subnet(ref.id.toStdString())) networkId = QString::fromStdString(s->networkId);
    }
    if (!networkId.isEmpty() && state) {
        const model::Network* net = state->network(networkId.toStdString());
        addNodesWhere([&](const PhysNode& n) { return n.networkId == networkId; });
        for (const PhysCluster& c : m_graph.clusters) {
            if (c.networkId == networkId) on.insert(c.key);
        }
        const QString tun = net && net->type != model::NetworkType::Flat ? hexId(net->segmentationId) : QString();
        for (const PhysNode& n : m_graph.nodes) {
            if (n.networkId == networkId && n.tag) {
                badges.insert(n.key, tun.isEmpty() ? tr("VLAN %1").arg(*n.tag)
                                                   : tr("VLAN %1 / tun %2").arg(*n.tag).arg(tun));
            }
            if (n.kind == PhysNodeKind::OvsBridge && n.name == QLatin1String("br-tun") && !tun.isEmpty()) {
                if (auto v = m_cloud->agents().localVlan(n.node.toStdString(), networkId.toStdString())) {
                    on.insert(n.key);
                    badges.insert(n.key, tr("VLAN %1 \u21c4 tun %2").arg(*v).arg(tun));
                }
            }
        }
    } else if (ref.kind == selkind::kInstance) {
        addNodesWhere([&](const PhysNode& n) { return n.instanceId == ref.id; });
        for (const PhysNode& n : m_graph.nodes) {
            if (n.instanceId == ref.id && n.tag) badges.insert(n.key, tr("VLAN %1").arg(*n.tag));
        }
    } else if (ref.kind == selkind::kPort) {
        addNodesWhere([&](const PhysNode& n) { return n.portId == ref.id; });
        if (state) {
            if (const model::Port* p = state->port(ref.id.toStdString()); p && p->deviceOwner == model::owner::kCompute) {
                const QString inst = QString::fromStdString(p->deviceId);
                addNodesWhere([&](const PhysNode& n) { return n.kind == PhysNodeKind::Vm && n.instanceId == inst; });
            }
        }
    } else if (ref.kind == selkind::kRouter) {
        addNodesWhere([&](const PhysNode& n) { return n.routerId == ref.id; });
        for (const PhysCluster& c : m_graph.clusters) {
            if (c.routerId == ref.id) on.insert(c.key);
        }
    } else if (ref.kind == selkind::kDevice || ref.kind == selkind::kBridge) {
        const auto [node, name] = SelectionModel::splitPhysicalId(ref.id);
        const QString key = keyForDevice(node, name);
        if (!key.isEmpty()) on.insert(key);
    } else if (ref.kind == selkind::kHost) {
        on.insert(hostKey(ref.id));
    } else if (ref.kind == selkind::kNamespace) {
        const auto [node, name] = SelectionModel::splitPhysicalId(ref.id);
        on.insert(namespaceKey(node, name));
    } else if (ref.kind == selkind::kSegment) {
        on.insert(segmentKey(ref.id));
    }
    // Edges between two highlighted items light up too.
    for (auto it = m_edges.cbegin(); it != m_edges.cend(); ++it) {
        if (on.contains((*it)->from()->key()) && on.contains((*it)->to()->key())) on.insert(it.key());
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end(); ++it) {
        (*it)->setHighlighted(on.contains(it.key()));
        (*it)->setBadge(badges.value(it.key()));
    }
    for (auto it = m_frames.begin(); it != m_frames.end(); ++it) (*it)->setHighlighted(on.contains(it.key()));
    for (auto it = m_edges.begin(); it != m_edges.end(); ++it) (*it)->setHighlighted(on.contains(it.key()));
    m_highlighted = on;

    // Qt's selection follows when the selection names one of our items.
    m_syncing = true;
    QGraphicsItem* target = nullptr;
    if (ref.kind == selkind::kDevice || ref.kind == selkind::kBridge || ref.kind == selkind::kHost ||
        ref.kind == selkind::kNamespace || ref.kind == selkind::kSegment) {
        if (on.size() == 1) target = itemForKey(*on.begin());
    } else if (ref.kind == selkind::kInstance) {
        for (const PhysNode& n : m_graph.nodes) {
            if (n.kind == PhysNodeKind::Vm && n.instanceId == ref.id) target = m_nodes.value(n.key);
        }
    }
    const QList<QGraphicsItem*> selected = selectedItems();
    for (QGraphicsItem* i : selected) {
        if (i != target) i->setSelected(false);
    }
    if (target && !target->isSelected()) target->setSelected(true);
    m_syncing = false;
}

// --------------------------------------------------------------------------------- tokens

bool PhysicalScene::animateHop(const QString& fromKey, const QString& toKey, const QColor& color,
                               int durationMs) {
    QGraphicsItem* a = itemForKey(fromKey);
    QGraphicsItem* b = itemForKey(toKey);
    if (!a || !b) return false;
    auto centre = [](QGraphicsItem* i) {
        if (i->type() == NodeItem::Type) return i->scenePos();
        return i->sceneBoundingRect().center();
    };
    Token t;
    t.from = fromKey;
    t.to = toKey;
    const QPointF start = centre(a);
    const QPointF end = centre(b);
    t.points << start;
    if (EdgeItem* e = edgeBetween(fromKey, toKey)) {
        QPolygonF poly;
        for (const QPolygonF& sub : e->path().toSubpathPolygons()) poly += sub;
        if (e->from()->key() != fromKey) std::reverse(poly.begin(), poly.end());
        t.points += poly;
    }
    t.points << end;
    t.lengths.reserve(static_cast<std::size_t>(t.points.size()));
    qreal total = 0;
    t.lengths.push_back(0);
    for (qsizetype i = 1; i < t.points.size(); ++i) {
        const QPointF d = t.points[i] - t.points[i - 1];
        total += std::hypot(d.x(), d.y());
        t.lengths.push_back(total);
    }
    if (!m_tokenPool.empty()) {
        t.item = m_tokenPool.back();
        m_tokenPool.pop_back();
        t.item->setVisible(true);
    } else {
        t.item = new TokenItem();
        addItem(t.item);
    }
    t.item->setColor(color);
    t.item->setPos(start);
    t.start = m_clock.elapsed();
    t.duration = std::max(1, durationMs);
    m_tokens.push_back(std::move(t));
    if (!m_timer.isActive()) m_timer.start();
    return true;
}

void PhysicalScene::clearTokens() {
    for (Token& t : m_tokens) {
        t.item->setVisible(false);
        m_tokenPool.push_back(t.item);
    }
    m_tokens.clear();
    m_timer.stop();
}

void PhysicalScene::tick() {
    const qint64 now = m_clock.elapsed();
    ++m_tokenFrames;
    std::vector<std::pair<QString, QString>> arrived;
    for (std::size_t i = 0; i < m_tokens.size();) {
        Token& t = m_tokens[i];
        const qreal f = std::clamp(static_cast<qreal>(now - t.start) / t.duration, 0.0, 1.0);
        const qreal at = f * t.lengths.back();
        const auto it = std::lower_bound(t.lengths.begin(), t.lengths.end(), at);
        const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(it - t.lengths.begin()), t.lengths.size() - 1);
        QPointF p = t.points[static_cast<qsizetype>(k)];
        if (k > 0) {
            const qreal seg = t.lengths[k] - t.lengths[k - 1];
            const qreal u = seg > 0 ? (at - t.lengths[k - 1]) / seg : 1.0;
            p = t.points[static_cast<qsizetype>(k - 1)] * (1 - u) + t.points[static_cast<qsizetype>(k)] * u;
        }
        t.item->setPos(p);
        if (f >= 1.0) {
            t.item->setVisible(false);
            m_tokenPool.push_back(t.item);
            arrived.emplace_back(t.from, t.to);
            m_tokens[i] = std::move(m_tokens.back());
            m_tokens.pop_back();
        } else {
            ++i;
        }
    }
    if (m_tokens.empty()) m_timer.stop();
    for (const auto& [from, to] : arrived) emit tokenArrived(from, to);
}

}  // namespace nlab::views
