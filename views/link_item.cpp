#include "views/link_item.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nlab::views {

namespace {
QFont ipFont() {
    QFont f;
    f.setPointSizeF(7.5);
    return f;
}
}  // namespace

LinkItem::LinkItem(const QString& key, QGraphicsItem* parent) : QGraphicsItem(parent), m_key(key) {
    setFlag(ItemIsSelectable);
    setData(kItemKeyData, key);
    setZValue(2);
}

void LinkItem::setGeometry(QPointF from, qreal barX) {
    prepareGeometryChange();
    m_from = from;
    m_barX = barX;
}

void LinkItem::setLabel(const QString& ip) {
    if (ip == m_label) return;
    prepareGeometryChange();
    m_label = ip;
}

void LinkItem::setColor(const QColor& color) {
    m_color = color;
    update();
}

void LinkItem::setHighlighted(bool on) {
    if (on == m_highlighted) return;
    m_highlighted = on;
    setZValue(on ? 2.5 : 2);
    update();
}

QRectF LinkItem::boundingRect() const {
    const qreal left = std::min(m_from.x(), m_barX);
    const qreal right = std::max(m_from.x(), m_barX);
    const qreal w = QFontMetricsF(ipFont()).horizontalAdvance(m_label) + 30;
    return QRectF(left - 6, m_from.y() - 18, right - left + 12 + w, 26);
}

QPainterPath LinkItem::shape() const {
    QPainterPath p;
    p.addRect(QRectF(std::min(m_from.x(), m_barX), m_from.y() - 4, std::abs(m_from.x() - m_barX), 8));
    return p;
}

void LinkItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const bool lit = m_highlighted || (option->state & QStyle::State_Selected);
    const QColor c = m_color.isValid() ? m_color : QColor(0x78, 0x90, 0x9c);
    painter->setRenderHint(QPainter::Antialiasing);
    const QPointF bar(m_barX, m_from.y());
    if (lit) {
        painter->setPen(QPen(QColor(0xff, 0x8f, 0x00, 130), 7, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(m_from, bar);
    }
    painter->setPen(QPen(c, 2.2, Qt::SolidLine, Qt::RoundCap));
    painter->drawLine(m_from, bar);
    painter->setBrush(Qt::white);
    painter->setPen(QPen(c.darker(120), 1.5));
    painter->drawEllipse(bar, 4, 4);
    if (!m_label.isEmpty()) {
        painter->setFont(ipFont());
        painter->setPen(QColor(0x37, 0x47, 0x4f));
        const qreal x = m_barX < m_from.x() ? m_barX + 20 : m_barX - 20 - QFontMetricsF(ipFont()).horizontalAdvance(m_label);
        painter->drawText(QPointF(x, m_from.y() - 5), m_label);
    }
}

}  // namespace nlab::views
