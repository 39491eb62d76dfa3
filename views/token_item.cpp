#include "views/token_item.h"

#include <QPainter>

namespace nlab::views {

namespace {
constexpr qreal kRadius = 6;
}

TokenItem::TokenItem(QGraphicsItem* parent) : QGraphicsItem(parent) {
    setZValue(20);
    setAcceptedMouseButtons(Qt::NoButton);
    // Constant size on screen whatever the zoom; cached, so a move is a blit.
    setFlag(ItemIgnoresTransformations);
    setCacheMode(DeviceCoordinateCache);
}

QRectF TokenItem::boundingRect() const {
    return QRectF(-kRadius - 1.5, -kRadius - 1.5, 2 * kRadius + 3, 2 * kRadius + 3);
}

void TokenItem::setColor(const QColor& color) {
    if (color == m_color) return;
    m_color = color;
    update();
}

void TokenItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(Qt::white, 2));
    painter->setBrush(m_color);
    painter->drawEllipse(QPointF(0, 0), kRadius, kRadius);
}

}  // namespace nlab::views
