#include "views/graph_layout.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <tuple>
#include <functional>
#include <cmath>
#include <map>
#include <mutex>
#include <set>

namespace nlab::views {

namespace {

constexpr double kPointsPerInch = 72.0;

/// Graphviz keeps global state (cgraph's error handling, the layout engines' statics): one
/// lock around every use.
std::mutex& graphvizMutex() {
    static std::mutex m;
    return m;
}

QString inches(double points) { return QString::number(points / kPointsPerInch, 'f', 4); }

/// agsafeset with QString values (Graphviz copies the strings).
void setAttr(void* obj, const char* name, const QString& value, const char* def = "") {
    QByteArray n(name);
    QByteArray v = value.toUtf8();
    QByteArray d(def);
    agsafeset(obj, n.data(), v.data(), d.data());
}

/// The cluster tree of a LayoutGraph.
struct ClusterTree {
    QHash<QString, int> index;                 // cluster id -> position in graph.clusters
    std::vector<std::vector<int>> children;    // cluster -> child clusters
    std::vector<std::vector<int>> members;     // cluster -> nodes directly in it
    std::vector<int> topNodes;                 // nodes outside every cluster
    std::vector<int> roots;                    // top-level clusters
    std::vector<int> depth;

    explicit ClusterTree(const LayoutGraph& g) {
        const int n = static_cast<int>(g.clusters.size());
        children.resize(static_cast<std::size_t>(n));
        members.resize(static_cast<std::size_t>(n));
        depth.assign(static_cast<std::size_t>(n), 0);
        for (int i = 0; i < n; ++i) index.insert(g.clusters[static_cast<std::size_t>(i)].id, i);
        for (int i = 0; i < n; ++i) {
            const auto& c = g.clusters[static_cast<std::size_t>(i)];
            const auto p = index.constFind(c.parent);
            if (c.parent.isEmpty() || p == index.constEnd() || *p == i) {
                roots.push_back(i);
            } else {
                children[static_cast<std::size_t>(*p)].push_back(i);
            }
        }
        // Depths (guarding against parent cycles, which are treated as roots).
        for (int i = 0; i < n; ++i) {
            int d = 0;
            int cur = i;
            while (d <= n) {
                const auto& c = g.clusters[static_cast<std::size_t>(cur)];
                const auto p = index.constFind(c.parent);
                if (c.parent.isEmpty() || p == index.constEnd() || *p == cur) break;
                cur = *p;
                ++d;
            }
            depth[static_cast<std::size_t>(i)] = d;
        }
        for (int i = 0; i < static_cast<int>(g.nodes.size()); ++i) {
            const auto c = index.constFind(g.nodes[static_cast<std::size_t>(i)].cluster);
            if (g.nodes[static_cast<std::size_t>(i)].cluster.isEmpty() || c == index.constEnd()) {
                topNodes.push_back(i);
            } else {
                members[static_cast<std::size_t>(*c)].push_back(i);
            }
        }
    }

    /// The top-level cluster containing cluster 'c'.
    int rootOf(int c, const LayoutGraph& g) const {
        int cur = c;
        for (std::size_t guard = 0; guard <= g.clusters.size(); ++guard) {
            const auto& cl = g.clusters[static_cast<std::size_t>(cur)];
            const auto p = index.constFind(cl.parent);
            if (cl.parent.isEmpty() || p == index.constEnd() || *p == cur) return cur;
            cur = *p;
        }
        return cur;
    }

    /// Whether cluster 'c' is 'ancestor' or nested in it.
    bool within(int c, int ancestor, const LayoutGraph& g) const {
        int cur = c;
        for (std::size_t guard = 0; guard <= g.clusters.size(); ++guard) {
            if (cur == ancestor) return true;
            const auto& cl = g.clusters[static_cast<std::size_t>(cur)];
            const auto p = index.constFind(cl.parent);
            if (cl.parent.isEmpty() || p == index.constEnd() || *p == cur) return false;
            cur = *p;
        }
        return false;
    }
};

/// Fits cluster rectangles around their members (deepest clusters first); a rectangle of
/// 'minimum' is kept at least as large.
void fitClusters(const LayoutGraph& g, const ClusterTree& tree,
                 const QHash<QString, QPointF>& positions, const LayoutOptions& o,
                 QHash<QString, QRectF>& rects, const QHash<QString, QRectF>& minimum) {
    std::vector<int> order(g.clusters.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return tree.depth[static_cast<std::size_t>(a)] > tree.depth[static_cast<std::size_t>(b)];
    });
    for (int c : order) {
        const auto& cl = g.clusters[static_cast<std::size_t>(c)];
        QRectF box;
        for (int n : tree.members[static_cast<std::size_t>(c)]) {
            const auto& node = g.nodes[static_cast<std::size_t>(n)];
            const auto p = positions.constFind(node.id);
            if (p == positions.constEnd()) continue;
            const QRectF r(*p - QPointF(node.size.width() / 2, node.size.height() / 2), node.size);
            box = box.isNull() ? r : box.united(r);
        }
        for (int child : tree.children[static_cast<std::size_t>(c)]) {
            const auto r = rects.constFind(g.clusters[static_cast<std::size_t>(child)].id);
            if (r != rects.constEnd()) box = box.isNull() ? *r : box.united(*r);
        }
        QRectF fitted;
        if (!box.isNull()) {
            fitted = box.adjusted(-o.clusterMargin, -o.clusterMargin - o.clusterHeader,
                                  o.clusterMargin, o.clusterMargin);
        }
        if (!fitted.isNull() && fitted.width() < cl.minWidth) {
            fitted.adjust(-(cl.minWidth - fitted.width()) / 2, 0, (cl.minWidth - fitted.width()) / 2, 0);
        }
        const auto m = minimum.constFind(cl.id);
        if (m != minimum.constEnd()) fitted = fitted.isNull() ? *m : fitted.united(*m);
        if (!fitted.isNull()) rects.insert(cl.id, fitted);
    }
}

/// One block: a top-level cluster with everything in it, or one top-level node.
struct Block {
    int cluster = -1;              // index in graph.clusters, or -1 for a single node
    std::vector<int> nodes;
    std::vector<int> edges;        // edges with both ends in the block
    QSizeF size;
    QHash<QString, QPointF> positions;   // block-local, top-left origin
    QHash<QString, QRectF> clusters;
    QHash<QString, QPainterPath> paths;
    QString method;
};

/// Lays a block out with dot or sfdp. Caller holds graphvizMutex().
void layoutBlock(GVC_t* gvc, const LayoutGraph& g, const ClusterTree& tree, Block& b,
                 const LayoutOptions& o) {
    if (b.cluster < 0) {
        const auto& node = g.nodes[static_cast<std::size_t>(b.nodes.front())];
        b.size = node.size;
        b.positions.insert(node.id, QPointF(node.size.width() / 2, node.size.height() / 2));
        b.method = QStringLiteral("single");
        return;
    }
    const bool useDot = static_cast<int>(b.nodes.size()) <= o.dotNodeLimit;
    b.method = useDot ? QStringLiteral("dot") : QStringLiteral("sfdp");

    char graphName[] = "block";
    Agraph_t* graph = agopen(graphName, Agdirected, nullptr);
    setAttr(graph, "rankdir", QStringLiteral("TB"));
    setAttr(graph, "nodesep", inches(o.nodeSep));
    setAttr(graph, "ranksep", inches(o.rankSep));
    setAttr(graph, "splines", useDot ? QStringLiteral("spline") : QStringLiteral("false"));
    // newrank: rank=same may pair nodes of different clusters (a namespace's port and the
    // bridge it plugs into).
    if (useDot) setAttr(graph, "newrank", QStringLiteral("true"));
    if (!useDot) {
        setAttr(graph, "overlap", QStringLiteral("prism"));
        setAttr(graph, "sep", QStringLiteral("+6"));
    }
    // Defaults so the attributes exist on every object.
    char shapeName[] = "shape";
    char boxValue[] = "box";
    agattr(graph, AGNODE, shapeName, boxValue);
    char fixedName[] = "fixedsize";
    char trueValue[] = "true";
    agattr(graph, AGNODE, fixedName, trueValue);
    char labelName[] = "label";
    char empty[] = "";
    agattr(graph, AGNODE, labelName, empty);
    agattr(graph, AGRAPH, labelName, empty);

    // Clusters (dot only: sfdp ignores them; their rectangles are fitted afterwards).
    std::map<int, Agraph_t*> sub;
    std::function<void(int, Agraph_t*)> makeCluster = [&](int c, Agraph_t* parent) {
        const QByteArray name = "cluster_" + QByteArray::number(c);
        Agraph_t* sg = agsubg(parent, const_cast<char*>(name.constData()), 1);
        const auto& cl = g.clusters[static_cast<std::size_t>(c)];
        // An empty fixed-size HTML label reserves the header (the views draw the title):
        // exactly its height, and the cluster's minimum width.
        const double labelWidth = std::max(1.0, cl.minWidth - 2 * o.clusterMargin - 2);
        const QByteArray html = QStringLiteral("<TABLE BORDER=\"0\" CELLPADDING=\"0\" CELLSPACING=\"0\"><TR>"
                                               "<TD FIXEDSIZE=\"TRUE\" WIDTH=\"%1\" HEIGHT=\"%2\"></TD></TR></TABLE>")
                                    .arg(qRound(labelWidth))
                                    .arg(qRound(std::max(1.0, o.clusterHeader - 8)))
                                    .toUtf8();
        char* label = agstrdup_html(graph, const_cast<char*>(html.constData()));
        char labelAttr[] = "label";
        char noLabel[] = "";
        agsafeset(sg, labelAttr, label, noLabel);
        agstrfree(graph, label);
        setAttr(sg, "margin", QString::number(o.clusterMargin, 'f', 1), "8");
        sub[c] = sg;
        for (int child : tree.children[static_cast<std::size_t>(c)]) makeCluster(child, sg);
    };
    if (useDot) makeCluster(b.cluster, graph);

    std::vector<Agnode_t*> gvNodes(g.nodes.size(), nullptr);
    for (int n : b.nodes) {
        const auto& node = g.nodes[static_cast<std::size_t>(n)];
        Agraph_t* home = graph;
        if (useDot) {
            const auto c = tree.index.constFind(node.cluster);
            if (c != tree.index.constEnd() && sub.count(*c)) home = sub[*c];
        }
        const QByteArray name = "n" + QByteArray::number(n);
        Agnode_t* gn = agnode(home, const_cast<char*>(name.constData()), 1);
        setAttr(gn, "width", inches(std::max(1.0, node.size.width())));
        setAttr(gn, "height", inches(std::max(1.0, node.size.height())));
        gvNodes[static_cast<std::size_t>(n)] = gn;
    }
    std::vector<std::pair<int, Agedge_t*>> gvEdges;
    for (int e : b.edges) {
        if (g.edges[static_cast<std::size_t>(e)].routed) gvEdges.push_back({e, nullptr});
    }
    QHash<QString, int> nodeIndex;
    for (int n : b.nodes) nodeIndex.insert(g.nodes[static_cast<std::size_t>(n)].id, n);
    for (auto& [e, ge] : gvEdges) {
        const auto& edge = g.edges[static_cast<std::size_t>(e)];
        Agnode_t* t = gvNodes[static_cast<std::size_t>(nodeIndex.value(edge.from))];
        Agnode_t* h = gvNodes[static_cast<std::size_t>(nodeIndex.value(edge.to))];
        const QByteArray name = "e" + QByteArray::number(e);
        ge = agedge(graph, t, h, const_cast<char*>(name.constData()), 1);
        if (!edge.constraint) setAttr(ge, "constraint", QStringLiteral("false"), "true");
        if (!edge.visible) setAttr(ge, "style", QStringLiteral("invis"), "");
        if (useDot && edge.sameRank) {
            const QByteArray rankName = "rank" + QByteArray::number(e);
            Agraph_t* same = agsubg(graph, const_cast<char*>(rankName.constData()), 1);
            setAttr(same, "rank", QStringLiteral("same"));
            agsubnode(same, t, 1);
            agsubnode(same, h, 1);
        }
    }

    // Sinks (a host's NICs) to the bottom: invisible weightless edges from every node that
    // has no outgoing edge (the tunnel ports, lone bridges) to each sink.
    if (useDot) {
        std::vector<int> sinks;
        std::set<int> hasOut;
        for (int e : b.edges) {
            const auto& edge = g.edges[static_cast<std::size_t>(e)];
            if (edge.constraint && edge.routed) hasOut.insert(nodeIndex.value(edge.from));
        }
        for (int n : b.nodes) {
            if (g.nodes[static_cast<std::size_t>(n)].sink) sinks.push_back(n);
        }
        int invisible = 0;
        for (int n : b.nodes) {
            if (sinks.empty() || g.nodes[static_cast<std::size_t>(n)].sink || hasOut.count(n)) continue;
            for (int t : sinks) {
                const QByteArray name = "i" + QByteArray::number(invisible++);
                Agedge_t* ie = agedge(graph, gvNodes[static_cast<std::size_t>(n)],
                                      gvNodes[static_cast<std::size_t>(t)], const_cast<char*>(name.constData()), 1);
                setAttr(ie, "style", QStringLiteral("invis"), "");
                setAttr(ie, "weight", QStringLiteral("0"), "1");
            }
        }
    }
    const char* engine = useDot ? "dot" : "sfdp";
    if (gvLayout(gvc, graph, engine) != 0) {
        agclose(graph);
        b.method += QStringLiteral(" failed");
        return;
    }
    const boxf bb = GD_bb(graph);
    auto toScene = [&](pointf p) { return QPointF(p.x - bb.LL.x, bb.UR.y - p.y); };
    for (int n : b.nodes) {
        Agnode_t* gn = gvNodes[static_cast<std::size_t>(n)];
        b.positions.insert(g.nodes[static_cast<std::size_t>(n)].id, toScene(ND_coord(gn)));
    }
    for (const auto& [c, sg] : sub) {
        const boxf cb = GD_bb(sg);
        const QPointF tl = toScene(pointf{cb.LL.x, cb.UR.y});
        const QPointF br = toScene(pointf{cb.UR.x, cb.LL.y});
        b.clusters.insert(g.clusters[static_cast<std::size_t>(c)].id, QRectF(tl, br).normalized());
    }
    for (const auto& [e, ge] : gvEdges) {
        if (!g.edges[static_cast<std::size_t>(e)].visible) continue;
        const splines* spl = ED_spl(ge);
        if (!spl || spl->size < 1) continue;
        QPainterPath path;
        for (int i = 0; i < spl->size; ++i) {
            const bezier& bz = spl->list[i];
            if (bz.size < 1) continue;
            if (bz.sflag) {
                path.moveTo(toScene(bz.sp));
                path.lineTo(toScene(bz.list[0]));
            } else {
                path.moveTo(toScene(bz.list[0]));
            }
            for (int k = 1; k + 2 < bz.size; k += 3) {
                path.cubicTo(toScene(bz.list[k]), toScene(bz.list[k + 1]), toScene(bz.list[k + 2]));
            }
            if (bz.eflag) path.lineTo(toScene(bz.ep));
        }
        // Paths run from 'from' to 'to' (dot may give a reversed edge's the other way).
        const LayoutEdge& le = g.edges[static_cast<std::size_t>(e)];
        if (!path.isEmpty()) {
            const QPointF tail = toScene(ND_coord(gvNodes[static_cast<std::size_t>(nodeIndex.value(le.from))]));
            const QPointF head = toScene(ND_coord(gvNodes[static_cast<std::size_t>(nodeIndex.value(le.to))]));
            const QPointF start = path.elementAt(0);
            const auto dist = [](QPointF p, QPointF q) { return std::hypot(p.x() - q.x(), p.y() - q.y()); };
            if (dist(start, head) < dist(start, tail)) path = path.toReversed();
        }
        b.paths.insert(le.id, path);
    }
    gvFreeLayout(gvc, graph);
    agclose(graph);

    if (!useDot) {
        // Clusters fitted around the sfdp positions, then everything shifted so the block's
        // rectangle starts at the origin.
        fitClusters(g, tree, b.positions, o, b.clusters, {});
    }
    QRectF extent;
    for (int n : b.nodes) {
        const auto& node = g.nodes[static_cast<std::size_t>(n)];
        const QPointF p = b.positions.value(node.id);
        const QRectF r(p - QPointF(node.size.width() / 2, node.size.height() / 2), node.size);
        extent = extent.isNull() ? r : extent.united(r);
    }
    for (const QRectF& r : std::as_const(b.clusters)) extent = extent.isNull() ? r : extent.united(r);
    const QPointF shift = -extent.topLeft();
    for (auto it = b.positions.begin(); it != b.positions.end(); ++it) *it += shift;
    for (auto it = b.clusters.begin(); it != b.clusters.end(); ++it) it->translate(shift);
    for (auto it = b.paths.begin(); it != b.paths.end(); ++it) it->translate(shift);
    b.size = extent.size();
}

/// Rows of blocks, bottom-aligned and centred: cluster blocks first (input order), then the
/// single-node blocks. The row width is chosen so that the drawing, with 'extraHeight' more
/// below it (the bars), fits a viewport of LayoutOptions::aspect at the largest scale.
/// Returns the top-left of each block.
std::vector<QPointF> arrangeInRows(const std::vector<Block>& blocks, double extraHeight, const LayoutOptions& o) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (blocks[i].cluster >= 0) order.push_back(i);
    }
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        if (blocks[i].cluster < 0) order.push_back(i);
    }
    const double gap = o.blockSpacing;
    double total = 0, widest = 0;
    for (std::size_t i : order) {
        total += blocks[i].size.width() + gap;
        widest = std::max(widest, blocks[i].size.width());
    }
    // Greedy rows under a width limit: the row index of each block (in 'order').
    auto rowsFor = [&](double limit) {
        std::vector<int> row(order.size(), 0);
        double x = 0;
        int r = 0;
        for (std::size_t k = 0; k < order.size(); ++k) {
            const double w = blocks[order[k]].size.width();
            if (x > 0 && x + w > limit + 0.5) {
                ++r;
                x = 0;
            }
            row[k] = r;
            x += w + gap;
        }
        return row;
    };
    auto extentOf = [&](const std::vector<int>& row) {
        std::vector<double> widths, heights;
        for (std::size_t k = 0; k < order.size(); ++k) {
            const auto r = static_cast<std::size_t>(row[k]);
            if (r >= widths.size()) {
                widths.resize(r + 1, -gap);
                heights.resize(r + 1, 0);
            }
            widths[r] += blocks[order[k]].size.width() + gap;
            heights[r] = std::max(heights[r], blocks[order[k]].size.height());
        }
        double w = 0, h = -gap;
        for (std::size_t r = 0; r < widths.size(); ++r) {
            w = std::max(w, widths[r]);
            h += heights[r] + gap;
        }
        return std::make_tuple(w, h, widths, heights);
    };
    std::vector<int> best;
    double bestScale = -1;
    const int n = static_cast<int>(order.size());
    for (int k = 1; k <= n; ++k) {
        const std::vector<int> row = rowsFor(std::max(widest, total / k - gap));
        const auto [w, h, widths, heights] = extentOf(row);
        // The scale a viewport of the target aspect (height 1) affords.
        const double scale = std::min(o.aspect / std::max(1.0, w), 1.0 / std::max(1.0, h + extraHeight));
        if (scale > bestScale * 1.0001) {
            bestScale = scale;
            best = row;
        }
    }
    std::vector<QPointF> result(blocks.size());
    if (order.empty()) return result;
    const auto [w, h, widths, heights] = extentOf(best);
    double y = 0;
    std::size_t k = 0;
    for (std::size_t r = 0; r < widths.size(); ++r) {
        double x = (w - widths[r]) / 2;
        for (; k < order.size() && static_cast<std::size_t>(best[k]) == r; ++k) {
            const Block& b = blocks[order[k]];
            result[order[k]] = QPointF(x, y + heights[r] - b.size.height());
            x += b.size.width() + gap;
        }
        y += heights[r] + gap;
    }
    return result;
}

/// A vertical drop from the bottom of 'node' (centre 'p') to the top of 'bar'.
QPainterPath dropPath(QPointF p, QSizeF node, const QRectF& bar) {
    const double x = std::clamp(p.x(), bar.left() + 4, std::max(bar.left() + 4, bar.right() - 4));
    QPainterPath path;
    const double bottom = p.y() + node.height() / 2;
    if (bottom <= bar.top()) {
        path.moveTo(p.x(), bottom);
        if (!qFuzzyCompare(x, p.x())) path.lineTo(p.x(), (bottom + bar.top()) / 2);
        path.lineTo(x, bar.top());
    } else {
        path.moveTo(p.x(), p.y() - node.height() / 2);
        path.lineTo(x, bar.bottom());
    }
    return path;
}

/// Bars under everything already placed in 'result' (extent 'drawing'): stacked in input
/// order, each as wide as the nodes it links to (at least its minimum size), with drops.
void placeBars(const LayoutGraph& g, const std::vector<int>& bars, const QRectF& drawing,
               const LayoutOptions& o, LayoutResult& result) {
    QHash<QString, int> nodeIndex;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) nodeIndex.insert(g.nodes[i].id, static_cast<int>(i));
    double y = drawing.isNull() ? 0 : drawing.bottom() + o.blockSpacing;
    for (int bi : bars) {
        const LayoutNode& bar = g.nodes[static_cast<std::size_t>(bi)];
        double left = 0, right = 0;
        bool any = false;
        for (const auto& e : g.edges) {
            const QString other = e.from == bar.id ? e.to : (e.to == bar.id ? e.from : QString());
            if (other.isEmpty()) continue;
            const auto p = result.positions.constFind(other);
            if (p == result.positions.constEnd()) continue;
            const double half = g.nodes[static_cast<std::size_t>(nodeIndex.value(other))].size.width() / 2;
            left = any ? std::min(left, p->x() - half) : p->x() - half;
            right = any ? std::max(right, p->x() + half) : p->x() + half;
            any = true;
        }
        if (!any) {
            left = drawing.isNull() ? 0 : drawing.left();
            right = drawing.isNull() ? bar.size.width() : drawing.right();
        }
        if (right - left < bar.size.width()) right = left + bar.size.width();
        const QSizeF size(right - left, bar.size.height());
        result.sizes.insert(bar.id, size);
        result.positions.insert(bar.id, QPointF((left + right) / 2, y + size.height() / 2));
        y += size.height() + o.barGap;
    }
}

/// Drops for the edges between a bar and a node placed in 'result' that have no path yet.
void addDropPaths(const LayoutGraph& g, LayoutResult& result) {
    QHash<QString, int> nodeIndex;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) nodeIndex.insert(g.nodes[i].id, static_cast<int>(i));
    for (const auto& e : g.edges) {
        if (!e.visible || result.edgePaths.contains(e.id)) continue;
        const auto f = nodeIndex.constFind(e.from);
        const auto t = nodeIndex.constFind(e.to);
        if (f == nodeIndex.constEnd() || t == nodeIndex.constEnd()) continue;
        const LayoutNode& from = g.nodes[static_cast<std::size_t>(*f)];
        const LayoutNode& to = g.nodes[static_cast<std::size_t>(*t)];
        if (from.bar == to.bar) continue;
        const LayoutNode& bar = from.bar ? from : to;
        const LayoutNode& node = from.bar ? to : from;
        if (!result.positions.contains(bar.id) || !result.positions.contains(node.id)) continue;
        const QSizeF barSize = result.sizes.value(bar.id, bar.size);
        const QPointF c = result.positions.value(bar.id);
        const QRectF barRect(c - QPointF(barSize.width() / 2, barSize.height() / 2), barSize);
        QPainterPath path = dropPath(result.positions.value(node.id), node.size, barRect);
        if (from.bar) path = path.toReversed();
        result.edgePaths.insert(e.id, path);
    }
}

QString dotQuote(const QString& s) {
    QString r = s;
    r.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    r.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    r.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return QLatin1Char('"') + r + QLatin1Char('"');
}

}  // namespace

// ------------------------------------------------------------------------------- compute

LayoutResult GraphLayout::compute(const LayoutGraph& g, const LayoutOptions& o) {
    QElapsedTimer timer;
    timer.start();
    LayoutResult result;
    const ClusterTree tree(g);

    // Blocks: top-level clusters (in input order), then top-level nodes.
    std::vector<Block> blocks;
    std::vector<int> blockOfCluster(g.clusters.size(), -1);
    for (int r : tree.roots) {
        blockOfCluster[static_cast<std::size_t>(r)] = static_cast<int>(blocks.size());
        Block b;
        b.cluster = r;
        blocks.push_back(std::move(b));
    }
    std::vector<int> blockOfNode(g.nodes.size(), -1);
    for (std::size_t c = 0; c < g.clusters.size(); ++c) {
        const int root = tree.rootOf(static_cast<int>(c), g);
        blockOfCluster[c] = blockOfCluster[static_cast<std::size_t>(root)];
    }
    for (std::size_t c = 0; c < g.clusters.size(); ++c) {
        for (int n : tree.members[c]) {
            blockOfNode[static_cast<std::size_t>(n)] = blockOfCluster[c];
            blocks[static_cast<std::size_t>(blockOfCluster[c])].nodes.push_back(n);
        }
    }
    std::vector<int> bars;
    for (int n : tree.topNodes) {
        if (g.nodes[static_cast<std::size_t>(n)].bar) {
            bars.push_back(n);
            continue;
        }
        blockOfNode[static_cast<std::size_t>(n)] = static_cast<int>(blocks.size());
        Block b;
        b.nodes.push_back(n);
        blocks.push_back(std::move(b));
    }
    QHash<QString, int> nodeIndex;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) nodeIndex.insert(g.nodes[i].id, static_cast<int>(i));
    for (std::size_t e = 0; e < g.edges.size(); ++e) {
        const auto f = nodeIndex.constFind(g.edges[e].from);
        const auto t = nodeIndex.constFind(g.edges[e].to);
        if (f == nodeIndex.constEnd() || t == nodeIndex.constEnd()) continue;
        const int bf = blockOfNode[static_cast<std::size_t>(*f)];
        if (bf >= 0 && bf == blockOfNode[static_cast<std::size_t>(*t)] && *f != *t) {
            blocks[static_cast<std::size_t>(bf)].edges.push_back(static_cast<int>(e));
        }
    }
    // Empty cluster blocks (a cluster without nodes) keep a small size.
    {
        std::lock_guard<std::mutex> lock(graphvizMutex());
        agseterr(AGERR);
        GVC_t* gvc = gvContext();
        for (auto& b : blocks) {
            if (b.nodes.empty()) {
                b.size = QSizeF(2 * o.clusterMargin + 40, o.clusterHeader + 2 * o.clusterMargin);
                b.clusters.insert(g.clusters[static_cast<std::size_t>(b.cluster)].id,
                                  QRectF(QPointF(0, 0), b.size));
                b.method = QStringLiteral("empty");
                continue;
            }
            layoutBlock(gvc, g, tree, b, o);
        }
        gvFreeContext(gvc);
    }
    double barsHeight = 0;
    for (int n : bars) barsHeight += g.nodes[static_cast<std::size_t>(n)].size.height() + o.barGap;
    if (!bars.empty()) barsHeight += o.blockSpacing - o.barGap;
    const std::vector<QPointF> origins = arrangeInRows(blocks, barsHeight, o);
    const QString arrangement = QStringLiteral("rows");
    QStringList methods;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        Block& b = blocks[i];
        const QPointF off = origins[i];
        for (auto it = b.positions.cbegin(); it != b.positions.cend(); ++it) result.positions.insert(it.key(), *it + off);
        for (auto it = b.clusters.cbegin(); it != b.clusters.cend(); ++it) result.clusters.insert(it.key(), it->translated(off));
        for (auto it = b.paths.cbegin(); it != b.paths.cend(); ++it) result.edgePaths.insert(it.key(), it->translated(off));
        if (b.cluster >= 0 && !methods.contains(b.method)) methods << b.method;
        if (b.method.endsWith(QStringLiteral("failed"))) result.error = QStringLiteral("Graphviz layout failed");
    }
    // Nodes a failed block left without a position: a row below everything.
    QRectF extent;
    for (auto it = result.positions.cbegin(); it != result.positions.cend(); ++it) {
        extent = extent.united(QRectF(*it, QSizeF(1, 1)));
    }
    double x = 0;
    for (const auto& node : g.nodes) {
        if (result.positions.contains(node.id) || node.bar) continue;
        result.positions.insert(node.id, QPointF(x + node.size.width() / 2,
                                                 extent.bottom() + o.blockSpacing + node.size.height() / 2));
        x += node.size.width() + o.nodeSep;
    }
    // Clusters whose rectangle dot did not give (failed blocks) are fitted.
    QHash<QString, QRectF> fitted;
    fitClusters(g, tree, result.positions, o, fitted, {});
    for (auto it = fitted.cbegin(); it != fitted.cend(); ++it) {
        if (!result.clusters.contains(it.key())) result.clusters.insert(it.key(), *it);
    }
    // The bars under the whole drawing, their drops.
    QRectF drawing;
    for (const auto& node : g.nodes) {
        const auto p = result.positions.constFind(node.id);
        if (p == result.positions.constEnd()) continue;
        const QRectF r(*p - QPointF(node.size.width() / 2, node.size.height() / 2), node.size);
        drawing = drawing.isNull() ? r : drawing.united(r);
    }
    for (const QRectF& r : std::as_const(result.clusters)) drawing = drawing.isNull() ? r : drawing.united(r);
    placeBars(g, bars, drawing, o, result);
    addDropPaths(g, result);
    if (methods.isEmpty()) methods << QStringLiteral("single");
    result.method = methods.join(QLatin1Char('/')) + QLatin1Char('+') + arrangement;
    result.elapsedMs = timer.elapsed();
    return result;
}

// --------------------------------------------------------------------------------- place

LayoutResult GraphLayout::place(const LayoutGraph& g, const LayoutResult& previous,
                                const LayoutOptions& o) {
    QElapsedTimer timer;
    timer.start();
    LayoutResult result;
    result.method = QStringLiteral("place");
    const ClusterTree tree(g);
    QHash<QString, int> nodeIndex;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) nodeIndex.insert(g.nodes[i].id, static_cast<int>(i));

    // Bars keep the size the full layout gave them.
    for (const auto& node : g.nodes) {
        const auto s = previous.sizes.constFind(node.id);
        if (s != previous.sizes.constEnd() && previous.positions.contains(node.id)) result.sizes.insert(node.id, *s);
    }
    auto rectOf = [&](int n, QPointF centre) {
        const auto& node = g.nodes[static_cast<std::size_t>(n)];
        const QSizeF s = result.sizes.value(node.id, node.size);
        return QRectF(centre - QPointF(s.width() / 2, s.height() / 2), s);
    };
    std::vector<QRectF> occupied;
    std::vector<int> unplaced;
    std::vector<int> newBars;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const auto p = previous.positions.constFind(g.nodes[i].id);
        if (p != previous.positions.constEnd()) {
            result.positions.insert(g.nodes[i].id, *p);
            occupied.push_back(rectOf(static_cast<int>(i), *p));
        } else if (g.nodes[i].bar) {
            newBars.push_back(static_cast<int>(i));
        } else {
            unplaced.push_back(static_cast<int>(i));
        }
    }
    QHash<QString, QRectF> minimum;
    for (const auto& c : g.clusters) {
        const auto r = previous.clusters.constFind(c.id);
        if (r != previous.clusters.constEnd()) minimum.insert(c.id, *r);
    }
    // Neighbours: node -> (other node, direction: +1 when the other is above it).
    std::vector<std::vector<std::pair<int, int>>> adj(g.nodes.size());
    for (const auto& e : g.edges) {
        const auto f = nodeIndex.constFind(e.from);
        const auto t = nodeIndex.constFind(e.to);
        if (f == nodeIndex.constEnd() || t == nodeIndex.constEnd() || *f == *t) continue;
        // A bar is no anchor: what links to it belongs in its own host.
        if (g.nodes[static_cast<std::size_t>(*f)].bar || g.nodes[static_cast<std::size_t>(*t)].bar) continue;
        adj[static_cast<std::size_t>(*t)].push_back({*f, +1});
        adj[static_cast<std::size_t>(*f)].push_back({*t, -1});
    }
    auto clusterOf = [&](int n) {
        const auto c = tree.index.constFind(g.nodes[static_cast<std::size_t>(n)].cluster);
        return c == tree.index.constEnd() ? -1 : *c;
    };
    // Other clusters' rectangles are obstacles too (a new qvo must not land in a qrouter).
    auto isFree = [&](int n, const QRectF& r) {
        const QRectF padded = r.adjusted(-o.nodeSep / 2, -o.nodeSep / 2, o.nodeSep / 2, o.nodeSep / 2);
        for (const QRectF& q : occupied) {
            if (q.intersects(padded)) return false;
        }
        const int own = clusterOf(n);
        for (std::size_t c = 0; c < g.clusters.size(); ++c) {
            if (own >= 0 && tree.within(own, static_cast<int>(c), g)) continue;
            const auto cr = minimum.constFind(g.clusters[c].id);
            if (cr != minimum.constEnd() && cr->intersects(padded)) return false;
        }
        return true;
    };
    auto extent = [&]() {
        QRectF all;
        for (const QRectF& r : occupied) all = all.isNull() ? r : all.united(r);
        for (const QRectF& r : std::as_const(minimum)) all = all.isNull() ? r : all.united(r);
        return all;
    };
    auto commit = [&](int n, QPointF c) {
        result.positions.insert(g.nodes[static_cast<std::size_t>(n)].id, c);
        occupied.push_back(rectOf(n, c));
    };
    auto tryNear = [&](int n, QPointF anchor, QSizeF anchorSize, int dir) {
        const QSizeF s = g.nodes[static_cast<std::size_t>(n)].size;
        const double stepY = std::max(s.height(), anchorSize.height()) / 2 + s.height() / 2 + o.rankSep;
        const double stepX = s.width() + o.nodeSep;
        for (int ring = 1; ring <= 4; ++ring) {
            for (int j = 0; j <= 12; ++j) {
                const int k = (j % 2 == 0) ? j / 2 : -(j + 1) / 2;
                const QPointF c(anchor.x() + k * stepX, anchor.y() + dir * (ring == 1 ? stepY : stepY + (ring - 1) * (s.height() + o.rankSep)));
                if (isFree(n, rectOf(n, c))) {
                    commit(n, c);
                    return true;
                }
            }
        }
        return false;
    };
    bool progress = true;
    while (progress && !unplaced.empty()) {
        progress = false;
        std::vector<int> still;
        for (int n : unplaced) {
            bool done = false;
            for (const auto& [m, dir] : adj[static_cast<std::size_t>(n)]) {
                const auto p = result.positions.constFind(g.nodes[static_cast<std::size_t>(m)].id);
                if (p == result.positions.constEnd()) continue;
                const QSizeF ms = g.nodes[static_cast<std::size_t>(m)].size;
                // 'dir' +1: the neighbour is above (edge neighbour -> n): go below it.
                if (tryNear(n, *p, ms, dir) || tryNear(n, *p, ms, -dir)) {
                    done = true;
                    break;
                }
            }
            if (done) {
                progress = true;
            } else {
                still.push_back(n);
            }
        }
        unplaced.swap(still);
    }
    // Remaining: inside their cluster (below its content) or to the right of everything.
    for (int n : unplaced) {
        const QSizeF s = g.nodes[static_cast<std::size_t>(n)].size;
        const int c = clusterOf(n);
        QPointF anchor;
        bool haveAnchor = false;
        for (int cur = c; cur >= 0 && !haveAnchor;) {
            const auto r = minimum.constFind(g.clusters[static_cast<std::size_t>(cur)].id);
            if (r != minimum.constEnd()) {
                anchor = QPointF(r->left() + o.clusterMargin + s.width() / 2, r->bottom() - o.clusterMargin - s.height() / 2);
                haveAnchor = true;
            }
            const auto p = tree.index.constFind(g.clusters[static_cast<std::size_t>(cur)].parent);
            cur = (p == tree.index.constEnd()) ? -1 : *p;
        }
        if (haveAnchor && tryNear(n, anchor, QSizeF(0, 0), +1)) continue;
        const QRectF all = extent();
        QPointF at(all.isNull() ? s.width() / 2 : all.right() + o.blockSpacing + s.width() / 2,
                   all.isNull() ? s.height() / 2 : all.top() + o.clusterHeader + o.clusterMargin + s.height() / 2);
        while (!isFree(n, rectOf(n, at))) at.ry() += s.height() + o.nodeSep;
        commit(n, at);
    }
    fitClusters(g, tree, result.positions, o, result.clusters, minimum);
    if (!newBars.empty()) placeBars(g, newBars, extent(), o, result);
    // Splines stay valid for edges whose ends did not move.
    for (const auto& e : g.edges) {
        const auto p = previous.edgePaths.constFind(e.id);
        if (p == previous.edgePaths.constEnd()) continue;
        if (previous.positions.value(e.from) == result.positions.value(e.from) &&
            previous.positions.value(e.to) == result.positions.value(e.to) &&
            previous.positions.contains(e.from) && previous.positions.contains(e.to)) {
            result.edgePaths.insert(e.id, *p);
        }
    }
    addDropPaths(g, result);
    result.elapsedMs = timer.elapsed();
    return result;
}

// --------------------------------------------------------------------------------- toDot

QString GraphLayout::toDot(const LayoutGraph& g, const LayoutResult* positions) {
    const ClusterTree tree(g);
    double height = 0;
    if (positions) {
        for (const auto& n : g.nodes) {
            height = std::max(height, positions->positions.value(n.id).y() + n.size.height() / 2);
        }
    }
    QString out;
    out += QStringLiteral("digraph lab {\n");
    out += QStringLiteral("  graph [rankdir=TB, newrank=true, fontname=\"sans-serif\"];\n");
    out += QStringLiteral("  node [shape=box, fontname=\"sans-serif\", fontsize=9];\n");
    out += QStringLiteral("  edge [arrowhead=none, fontname=\"sans-serif\", fontsize=8];\n");
    auto nodeLine = [&](int n, const QString& indent) {
        const auto& node = g.nodes[static_cast<std::size_t>(n)];
        const QSizeF size = positions ? positions->sizes.value(node.id, node.size) : node.size;
        QString line = indent + dotQuote(node.id) + QStringLiteral(" [label=") +
                       dotQuote(node.label.isEmpty() ? node.id : node.label) +
                       QStringLiteral(", width=") + inches(size.width()) +
                       QStringLiteral(", height=") + inches(size.height());
        if (positions && positions->positions.contains(node.id)) {
            const QPointF p = positions->positions.value(node.id);
            line += QStringLiteral(", pos=\"%1,%2\"").arg(p.x(), 0, 'f', 1).arg(height - p.y(), 0, 'f', 1);
        }
        return line + QStringLiteral("];\n");
    };
    std::function<void(int, const QString&)> writeCluster = [&](int c, const QString& indent) {
        const auto& cl = g.clusters[static_cast<std::size_t>(c)];
        out += indent + QStringLiteral("subgraph ") + dotQuote(QStringLiteral("cluster_") + cl.id) +
               QStringLiteral(" {\n");
        out += indent + QStringLiteral("  label=") + dotQuote(cl.label) + QStringLiteral(";\n");
        for (int child : tree.children[static_cast<std::size_t>(c)]) writeCluster(child, indent + QStringLiteral("  "));
        for (int n : tree.members[static_cast<std::size_t>(c)]) out += nodeLine(n, indent + QStringLiteral("  "));
        out += indent + QStringLiteral("}\n");
    };
    for (int r : tree.roots) writeCluster(r, QStringLiteral("  "));
    for (int n : tree.topNodes) out += nodeLine(n, QStringLiteral("  "));
    for (const auto& e : g.edges) {
        out += QStringLiteral("  ") + dotQuote(e.from) + QStringLiteral(" -> ") + dotQuote(e.to);
        QStringList attrs;
        if (!e.label.isEmpty()) attrs << QStringLiteral("label=") + dotQuote(e.label);
        if (!e.constraint) attrs << QStringLiteral("constraint=false");
        if (!e.visible) attrs << QStringLiteral("style=invis");
        if (!attrs.isEmpty()) out += QStringLiteral(" [") + attrs.join(QStringLiteral(", ")) + QLatin1Char(']');
        out += QStringLiteral(";\n");
        if (e.sameRank) {
            out += QStringLiteral("  { rank=same; ") + dotQuote(e.from) + QStringLiteral("; ") + dotQuote(e.to) +
                   QStringLiteral("; }\n");
        }
    }
    out += QStringLiteral("}\n");
    return out;
}

// --------------------------------------------------------------------------------- async

GraphLayout::GraphLayout(QObject* parent)
    : QObject(parent), m_watcher(new QFutureWatcher<LayoutResult>(this)) {
    qRegisterMetaType<nlab::views::LayoutResult>();
    connect(m_watcher, &QFutureWatcher<LayoutResult>::finished, this, &GraphLayout::onWatcherFinished);
}

GraphLayout::~GraphLayout() {
    m_pending = false;
    m_watcher->disconnect(this);
    m_watcher->waitForFinished();
}

void GraphLayout::start(LayoutGraph graph, LayoutOptions options) {
    ++m_generation;
    if (m_watcher->isRunning()) {
        m_pending = true;
        m_pendingGraph = std::move(graph);
        m_pendingOptions = options;
        return;
    }
    m_pending = false;
    m_runningGeneration = m_generation;
    m_watcher->setFuture(QtConcurrent::run([g = std::move(graph), options]() {
        return GraphLayout::compute(g, options);
    }));
}

bool GraphLayout::isRunning() const { return m_handledGeneration != m_generation; }

void GraphLayout::onWatcherFinished() {
    if (m_pending) {
        m_pending = false;
        LayoutGraph g = std::move(m_pendingGraph);
        m_pendingGraph = {};
        m_runningGeneration = m_generation;
        m_watcher->setFuture(QtConcurrent::run([g = std::move(g), o = m_pendingOptions]() {
            return GraphLayout::compute(g, o);
        }));
        return;
    }
    m_handledGeneration = m_runningGeneration;
    if (m_runningGeneration != m_generation) return;
    const LayoutResult result = m_watcher->result();
    emit finished(result);
}

bool GraphLayout::waitForFinished(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (isRunning()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        if (isRunning()) QThread::msleep(1);
    }
    return true;
}

}  // namespace nlab::views
