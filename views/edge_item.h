#pragma once
// EdgeItem: a link of the physical view between two NodeItems — bridge membership, veth
// pair, patch pair, VM NIC ~ tap, tunnel (labelled), NIC ~ segment.

#include "views/item_types.h"
#include "views/physical_graph.h"

#include <QColor>
#include <QGraphicsItem>
#include <QPainterPath>
#include <QString>

#include <optional>

namespace nlab::views {

class NodeItem;

class EdgeItem : public QGraphicsItem {
public:
    enum { Type = kEdgeItemType };

    EdgeItem(const QString& key, PhysEdgeKind kind, NodeItem* from, NodeItem* to,
             QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    QString key() const { return m_key; }
    PhysEdgeKind kind() const { return m_kind; }
    NodeItem* from() const { return m_from; }
    NodeItem* to() const { return m_to; }
    QString label() const { return m_label; }
    void setLabel(const QString& label);
    void setColor(const QColor& color);
    /// Uses 'spline' (scene coordinates, from the layout or the scene's routing) or, when
    /// empty, a line (a curve for tunnels) between the boxes of the two ends. The label is
    /// centred on 'labelAt' (default: the middle of the path), its lines joined into one when
    /// 'labelRoom' (the free width there) allows.
    void updatePath(const QPainterPath& spline = {}, std::optional<QPointF> labelAt = {}, qreal labelRoom = 0);
    /// The path in scene coordinates, from 'from' to 'to'.
    QPainterPath path() const { return m_path; }
    bool isHighlighted() const { return m_highlighted; }
    void setHighlighted(bool on);

private:
    QString m_key;
    PhysEdgeKind m_kind;
    NodeItem* m_from;
    NodeItem* m_to;
    QString m_label;
    QColor m_color;
    QPainterPath m_path;
    QRectF m_labelRect;
    QString m_labelText;  ///< As drawn (m_label, or its lines joined).
    QRectF m_bounds;
    bool m_highlighted = false;
};

}  // namespace nlab::views
