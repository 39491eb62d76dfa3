#pragma once
// TokenItem: a frame in flight, a small disc the scene moves along an edge.

#include "views/item_types.h"

#include <QColor>
#include <QGraphicsItem>

namespace nlab::views {

class TokenItem : public QGraphicsItem {
public:
    enum { Type = kTokenItemType };

    explicit TokenItem(QGraphicsItem* parent = nullptr);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    QColor color() const { return m_color; }
    void setColor(const QColor& color);

private:
    QColor m_color{0xff, 0x8f, 0x00};
};

}  // namespace nlab::views
