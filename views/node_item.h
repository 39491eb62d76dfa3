#pragma once
// NodeItem: one box of the physical view — an OVS or Linux bridge, a port or interface, a
// VM, an L2 segment (a bar). Centred on its position; coloured by its tenant network; as
// wide as its label (physNodeSize()). Below a few pixels of text on screen (level of
// detail), the label is left out: a wall of unreadable glyphs helps nobody and costs time.

#include "views/item_types.h"
#include "views/physical_graph.h"

#include <QColor>
#include <QGraphicsItem>
#include <QString>

namespace nlab::views {

class BadgeItem;

class NodeItem : public QGraphicsItem {
public:
    enum { Type = kNodeItemType };

    NodeItem(const QString& key, PhysNodeKind kind, QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    QString key() const { return m_key; }
    PhysNodeKind kind() const { return m_kind; }
    QSizeF size() const { return m_size; }
    /// The box's size (physNodeSize() of its node; bars: the layout's).
    void setSize(const QSizeF& size);
    /// The box in scene coordinates.
    QRectF sceneBox() const { return QRectF(pos() - QPointF(m_size.width() / 2, m_size.height() / 2), m_size); }

    QString label() const { return m_label; }
    void setLabel(const QString& label);
    /// Network colour (invalid: none).
    QColor networkColor() const { return m_color; }
    void setNetworkColor(const QColor& color);
    /// OVS access tag shown at the right end (nullopt: none).
    void setTag(std::optional<int> tag);
    bool isHighlighted() const { return m_highlighted; }
    void setHighlighted(bool on);
    /// A badge above the item ("VLAN 9 / tun 0x1"); "" removes it.
    void setBadge(const QString& text);
    QString badge() const;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    QString m_key;
    PhysNodeKind m_kind;
    QSizeF m_size;
    QString m_label;
    QColor m_color;
    std::optional<int> m_tag;
    bool m_highlighted = false;
    BadgeItem* m_badge = nullptr;
};

}  // namespace nlab::views
