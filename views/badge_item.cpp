#include "views/badge_item.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>

namespace nlab::views {

namespace {
QFont badgeFont() {
    QFont f;
    f.setPointSizeF(7.5);
    f.setBold(true);
    return f;
}
}  // namespace

BadgeItem::BadgeItem(const QString& text, qreal top, QGraphicsItem* parent)
    : QGraphicsItem(parent), m_text(text), m_top(top) {
    setZValue(10);
    setAcceptedMouseButtons(Qt::NoButton);
    relayout();
}

void BadgeItem::relayout() {
    prepareGeometryChange();
    const QFontMetricsF fm(badgeFont());
    const qreal w = fm.horizontalAdvance(m_text) + 10;
    const qreal h = fm.height() + 3;
    m_rect = QRectF(-w / 2, m_top - h - 1, w, h);
}

QRectF BadgeItem::boundingRect() const { return m_rect.adjusted(-1, -1, 1, 1); }

void BadgeItem::setText(const QString& text) {
    if (text == m_text) return;
    m_text = text;
    relayout();
    update();
}

void BadgeItem::setTop(qreal top) {
    if (qFuzzyCompare(top, m_top)) return;
    m_top = top;
    relayout();
}

void BadgeItem::setColor(const QColor& color) {
    m_color = color;
    update();
}

void BadgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(m_color.darker(130), 1));
    painter->setBrush(m_color);
    painter->drawRoundedRect(m_rect, m_rect.height() / 2, m_rect.height() / 2);
    painter->setFont(badgeFont());
    painter->setPen(Qt::white);
    painter->drawText(m_rect, Qt::AlignCenter, m_text);
}

}  // namespace nlab::views
