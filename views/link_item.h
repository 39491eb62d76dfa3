#pragma once
// LinkItem: a port of the logical view, a line from a router or instance to its network's
// bar, with the port's IP address next to the bar.

#include "views/item_types.h"

#include <QColor>
#include <QGraphicsItem>
#include <QString>

namespace nlab::views {

class LinkItem : public QGraphicsItem {
public:
    enum { Type = kLinkItemType };

    LinkItem(const QString& key, QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    QString key() const { return m_key; }
    /// From the box edge 'from' to the bar at x 'barX' (same y), labelled 'ip'.
    void setGeometry(QPointF from, qreal barX);
    QPointF from() const { return m_from; }
    qreal barX() const { return m_barX; }
    void setLabel(const QString& ip);
    QString label() const { return m_label; }
    void setColor(const QColor& color);
    bool isHighlighted() const { return m_highlighted; }
    void setHighlighted(bool on);

private:
    QString m_key;
    QPointF m_from;
    qreal m_barX = 0;
    QString m_label;
    QColor m_color;
    bool m_highlighted = false;
};

}  // namespace nlab::views
