#pragma once
// PhysicalScene: the lab's plumbing as a QGraphicsScene — hosts, namespaces, bridges,
// ports, VMs, the links between them and tunnels between hosts.
//
// What
//   Items come from buildPhysicalGraph() (physical_graph.h), positions from GraphLayout.
//   The scene follows a SelectionModel both ways: selecting an item selects its object
//   (("device", "compute/qvo..."), ("bridge", ...), ("instance", id), ...); selecting a
//   tenant object elsewhere highlights its counterparts here (a network: its tagged ports
//   on every host with "VLAN 9 / tun 0x1" badges; an instance: its tap/qbr/qvb/qvo chain;
//   a router: its namespace and qr-/qg- ports). animateHop() moves tokens along edges.
//
// Design
//   Model/view: the scene reads the Cloud (lab and tenant state) and never changes it.
//   rebuild() diffs the new graph against the items by key: items that stay keep their
//   place, new ones are placed next to their neighbours (GraphLayout::place), gone ones are
//   removed. The first rebuild() and relayout() compute the whole layout off the GUI thread
//   (GraphLayout::start); items created meanwhile stay hidden until it arrives. Tokens are
//   driven by one timer (~66 Hz) moving cached items along precomputed polylines: no
//   relayout, no repaint of anything but the token's old and new rectangles.
//
// Invariants
//   One item per key of the current graph. Items are owned by the scene.

#include "views/graph_layout.h"
#include "views/physical_graph.h"
#include "views/selection_model.h"

#include <QElapsedTimer>
#include <QGraphicsScene>
#include <QHash>
#include <QPolygonF>
#include <QSet>
#include <QTimer>

#include <memory>
#include <vector>

namespace nlab::model {
class Cloud;
}

namespace nlab::views {

class EdgeItem;
class FrameItem;
class NetworkPalette;
class NodeItem;
class TokenItem;

class PhysicalScene : public QGraphicsScene {
    Q_OBJECT
public:
    /// 'cloud' may be null (an empty scene until setCloud()). 'selection' and 'palette' are
    /// shared with the other views and not owned; null: the scene makes its own.
    explicit PhysicalScene(model::Cloud* cloud, SelectionModel* selection = nullptr,
                           NetworkPalette* palette = nullptr, QObject* parent = nullptr);
    ~PhysicalScene() override;

    /// Shows another lab: every item goes, a full layout starts.
    void setCloud(model::Cloud* cloud);
    model::Cloud* cloud() const { return m_cloud; }
    SelectionModel* selectionModel() const { return m_selection; }
    NetworkPalette* palette() const { return m_palette; }

    /// Re-reads the lab after a change: existing items keep their positions, new items are
    /// placed near their neighbours or in their host, vanished ones are removed. The first
    /// call starts a full layout off the GUI thread (layoutFinished() follows).
    void rebuild();
    /// Recomputes every position off the GUI thread; layoutFinished() follows.
    void relayout();
    bool isLayoutRunning() const;
    /// Waits (processing events) until a running layout has been applied. For tests.
    bool waitForLayout(int timeoutMs = 60000);
    /// The last layout applied (full or incremental).
    const LayoutResult& layoutResult() const { return m_layout; }
    const PhysicalGraph& graph() const { return m_graph; }

    /// Items by key (null when absent).
    QGraphicsItem* itemForKey(const QString& key) const;
    NodeItem* nodeItem(const QString& key) const;
    FrameItem* frameItem(const QString& key) const;
    EdgeItem* edgeItem(const QString& key) const;
    /// The edge between two node items, either direction (null when none).
    EdgeItem* edgeBetween(const QString& a, const QString& b) const;
    QStringList nodeKeys() const;
    /// The item key of a device of 'node' by name ("qvo8cbe7bb6-18", "br-int", "eth1"); a
    /// device inside a VM (its eth0) resolves to the VM when 'netns' names the VM. "" when
    /// unknown.
    QString keyForDevice(const QString& node, const QString& device, const QString& netns = {}) const;
    /// Keys of the items highlighted for the current selection.
    QStringList highlightedKeys() const;

    /// The graph as DOT text, with the current positions.
    QString toDot() const;

    /// Moves a token of 'color' from the item 'fromKey' to 'toKey' in 'durationMs' (along
    /// the edge between them when there is one, else straight). Unknown keys do nothing.
    /// Returns whether a token started.
    bool animateHop(const QString& fromKey, const QString& toKey, const QColor& color,
                    int durationMs);
    int tokensInFlight() const { return static_cast<int>(m_tokens.size()); }
    void clearTokens();
    /// Token frames moved since construction (for frame-rate measurements).
    quint64 tokenFrames() const { return m_tokenFrames; }

signals:
    /// A full layout was applied ('elapsedMs': its computation time).
    void layoutFinished(qint64 elapsedMs);
    /// rebuild() finished updating items.
    void rebuilt();
    void tokenArrived(const QString& fromKey, const QString& toKey);

private:
    struct Token {
        TokenItem* item = nullptr;
        QPolygonF points;
        std::vector<qreal> lengths;  ///< Cumulative, lengths.back() = total.
        qint64 start = 0;
        int duration = 1;
        QString from, to;
    };

    void syncItems();
    void applyLayout(const LayoutResult& result);
    void onLayoutFinished(const LayoutResult& result);
    void onSceneSelectionChanged();
    void applySelection(const SelectionRef& ref);
    void clearItems();
    void tick();
    void updateEdgePaths();
    /// A tunnel between two hosts side by side, through the lane under them. False when
    /// they are not side by side (the edge draws its own arc).
    bool routeTunnel(EdgeItem* e);
    SelectionRef refForItem(QGraphicsItem* item) const;

    model::Cloud* m_cloud;
    SelectionModel* m_selection;
    NetworkPalette* m_palette;
    std::unique_ptr<SelectionModel> m_ownSelection;
    std::unique_ptr<NetworkPalette> m_ownPalette;
    GraphLayout* m_layouter;
    PhysicalGraph m_graph;
    LayoutResult m_layout;
    bool m_haveLayout = false;
    bool m_syncing = false;
    QHash<QString, NodeItem*> m_nodes;
    QHash<QString, FrameItem*> m_frames;
    QHash<QString, EdgeItem*> m_edges;
    QSet<QString> m_highlighted;
    std::vector<Token> m_tokens;
    std::vector<TokenItem*> m_tokenPool;
    QTimer m_timer;
    QElapsedTimer m_clock;
    quint64 m_tokenFrames = 0;
};

}  // namespace nlab::views
