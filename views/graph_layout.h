#pragma once
// GraphLayout: positions for an abstract graph, by Graphviz — the only Graphviz code.
//
// What
//   Input: a LayoutGraph (nodes with an id, a size and the cluster they sit in; clusters
//   nested by parent; edges). Output: a LayoutResult (node centres, cluster rectangles, edge
//   splines) in scene units (1 unit = 1 point, y down). compute() lays a whole graph out;
//   place() keeps the positions of an earlier result and only places what is new; toDot()
//   writes the graph (with positions, when given) as DOT text. start() runs compute() on a
//   worker thread and emits finished() on the GUI thread.
//
// Design
//   - Divide and arrange. dot takes minutes on a 1000-node graph with clusters, seconds on
//     none, so compute() never gives it the whole lab: each top-level cluster (a host) is a
//     "block" laid out on its own — with dot (clusters for the nested groups, ranks follow
//     the edge directions, LayoutEdge::sameRank pairs side by side, invisible edges shaping
//     it) up to LayoutOptions::dotNodeLimit nodes, with sfdp beyond — and top-level nodes
//     outside any cluster are blocks of their own. The blocks are then arranged in rows
//     (bottom-aligned, so the hosts' NICs line up), the row breaks chosen so the whole
//     drawing best fills a viewport of LayoutOptions::aspect: the views fit the drawing into
//     their viewport, and the scale they can afford is what makes labels readable.
//     Edges inside a block keep dot's splines; edges between blocks get none (the views
//     draw them straight).
//   - Bars. A LayoutNode::bar (an L2 segment) is no block: it becomes a horizontal bar
//     under all blocks, as wide as the nodes it links to (LayoutResult::sizes), and each
//     of its edges a vertical drop from the linked node's bottom to the bar.
//   - Graphviz is not thread-safe (global state in cgraph and in the layout engines): one
//     process-wide mutex serialises every call into it.
//   - Stability: place() never moves a node that has a position in 'previous'. A new node
//     goes to the first free spot next to an already placed neighbour (above it when the
//     edge points from the new node to the neighbour, below otherwise), else inside its
//     cluster, else to the right of everything; cluster rectangles only grow.
//   - start() while a layout runs supersedes it: the older result is dropped, finished()
//     is emitted once, for the newest graph.
//
// Invariants
//   Every node of the input has a position in the result; every cluster with a member
//   (directly or through a nested cluster) has a rectangle containing its members' boxes.

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <vector>

namespace nlab::views {

struct LayoutNode {
    QString id;       ///< Unique among nodes and clusters.
    QSizeF size;      ///< Scene units (points).
    QString cluster;  ///< Innermost cluster id; "" for top level.
    QString label;    ///< For the DOT export only.
    bool sink = false;  ///< dot: put on the last rank of its block (a host's NICs).
    bool bar = false;   ///< A bar under all blocks (see the essay); 'size' is its minimum.
};

struct LayoutCluster {
    QString id;
    QString parent;   ///< "" : top level (a block).
    QString label;    ///< Shown in the cluster header (the views draw it; for the DOT export).
    double minWidth = 0;  ///< At least this wide (room for the header's title).
};

struct LayoutEdge {
    QString id;               ///< Unique among edges (the key of LayoutResult::edgePaths).
    QString from;
    QString to;               ///< Ranks go from 'from' down to 'to' (dot).
    bool constraint = true;   ///< False: the edge does not influence ranks.
    QString label;            ///< For the DOT export only.
    bool sameRank = false;    ///< dot: both ends on one rank, side by side (a patch pair).
    bool visible = true;      ///< False: shapes the layout only (no path in the result).
    bool routed = true;       ///< False: left out of dot (no path: the views draw it straight).
};

struct LayoutGraph {
    std::vector<LayoutNode> nodes;
    std::vector<LayoutCluster> clusters;
    std::vector<LayoutEdge> edges;
};

struct LayoutResult {
    QHash<QString, QPointF> positions;     ///< Node id -> centre.
    QHash<QString, QRectF> clusters;       ///< Cluster id -> rectangle (header included).
    QHash<QString, QPainterPath> edgePaths;  ///< Edge id -> spline (edges inside a block, drops to bars).
    QHash<QString, QSizeF> sizes;          ///< Node id -> size, for the nodes the layout sized (bars).
    QString method;                        ///< What ran: "dot+rows", "sfdp+rows", "place", ...
    qint64 elapsedMs = 0;                  ///< Wall time of the computation.
    QString error;                         ///< "" on success.
};

struct LayoutOptions {
    int dotNodeLimit = 400;        ///< Blocks with more nodes use sfdp.
    double nodeSep = 10;           ///< Points between nodes of a rank.
    double rankSep = 12;           ///< Points between ranks.
    double blockSpacing = 28;      ///< Points between blocks (and between the blocks and the bars).
    double clusterMargin = 7;      ///< Points around the members of a cluster.
    double clusterHeader = 18;     ///< Points for a cluster's title at its top.
    double aspect = 1.65;          ///< Target width/height of the whole drawing (the viewport's).
    double barGap = 5;             ///< Points between two bars.
};

class GraphLayout : public QObject {
    Q_OBJECT
public:
    explicit GraphLayout(QObject* parent = nullptr);
    ~GraphLayout() override;

    /// Lays 'graph' out from scratch (see the header essay). Thread-safe: callable from any
    /// thread; Graphviz calls are serialised. Never throws; 'error' is set on failure (then
    /// nodes get grid positions).
    static LayoutResult compute(const LayoutGraph& graph, const LayoutOptions& options = {});
    /// Places 'graph' keeping every node positioned in 'previous' where it is, and every
    /// cluster rectangle of 'previous' at least as large; new nodes go next to their
    /// neighbours or inside their cluster. No Graphviz; fast enough for the GUI thread.
    static LayoutResult place(const LayoutGraph& graph, const LayoutResult& previous,
                              const LayoutOptions& options = {});
    /// DOT text for 'graph' (clusters as subgraph cluster_N, labels), with pos attributes
    /// (points, y up as Graphviz writes them) when 'positions' is given.
    static QString toDot(const LayoutGraph& graph, const LayoutResult* positions = nullptr);

    /// Starts compute('graph') on a worker thread; finished() follows on this object's
    /// thread. A later start() supersedes a running one.
    void start(LayoutGraph graph, LayoutOptions options = {});
    bool isRunning() const;
    /// Blocks until the running layout (if any) is done and finished() was emitted; for
    /// tests and shutdown. Returns false on timeout.
    bool waitForFinished(int timeoutMs = 30000);

signals:
    void finished(const nlab::views::LayoutResult& result);

private:
    void onWatcherFinished();

    QFutureWatcher<LayoutResult>* m_watcher;
    quint64 m_generation = 0;           ///< Incremented by start().
    quint64 m_runningGeneration = 0;    ///< The generation the watcher computes.
    quint64 m_handledGeneration = 0;    ///< The last generation finished (emitted or dropped).
    bool m_pending = false;             ///< A newer graph waits for the running one.
    LayoutGraph m_pendingGraph;
    LayoutOptions m_pendingOptions;
};

}  // namespace nlab::views

Q_DECLARE_METATYPE(nlab::views::LayoutResult)
