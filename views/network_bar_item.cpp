#include "views/network_bar_item.h"

#include "views/icon_cache.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nlab::views {

NetworkBarItem::NetworkBarItem(const QString& key, QGraphicsItem* parent) : QGraphicsItem(parent), m_key(key) {
    setFlag(ItemIsSelectable);
    setData(kItemKeyData, key);
    setZValue(1);
    setCacheMode(DeviceCoordinateCache);
}

QRectF NetworkBarItem::boundingRect() const { return QRectF(-4, -4, kWidth + 8, m_height + 8); }

void NetworkBarItem::setText(const QString& title, const QString& subtitle) {
    if (title == m_title && subtitle == m_subtitle) return;
    m_title = title;
    m_subtitle = subtitle;
    update();
}

void NetworkBarItem::setColor(const QColor& color) {
    if (color == m_color) return;
    m_color = color;
    update();
}

void NetworkBarItem::setExternal(bool on) {
    if (on == m_external) return;
    m_external = on;
    update();
}

void NetworkBarItem::setHeight(qreal height) {
    if (qFuzzyCompare(height, m_height)) return;
    prepareGeometryChange();
    m_height = height;
}

void NetworkBarItem::setHighlighted(bool on) {
    if (on == m_highlighted) return;
    m_highlighted = on;
    update();
}

void NetworkBarItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QRectF r(0, 0, kWidth, m_height);
    const bool lit = m_highlighted || (option->state & QStyle::State_Selected);
    painter->setRenderHint(QPainter::Antialiasing);
    if (lit) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xff, 0x8f, 0x00, 110));
        painter->drawRoundedRect(r.adjusted(-4, -4, 4, 4), 9, 9);
    }
    painter->setPen(QPen(m_color.darker(130), lit ? 2 : 1));
    painter->setBrush(m_color);
    painter->drawRoundedRect(r, 6, 6);
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    painter->drawPixmap(QPointF(r.center().x() - 11, 6),
                        iconPixmap(m_external ? IconKind::ExternalNetwork : IconKind::Network, 22, dpr));
    // Name and subnets, written bottom-up along the bar.
    painter->save();
    painter->translate(r.center().x(), r.bottom() - 8);
    painter->rotate(-90);
    QFont f = painter->font();
    f.setPointSizeF(9);
    f.setBold(true);
    const QFontMetricsF fm(f);
    QString text = m_title;
    if (!m_subtitle.isEmpty()) text += QStringLiteral("  ") + m_subtitle;
    const qreal avail = m_height - 40;
    painter->setFont(f);
    painter->setPen(Qt::white);
    painter->drawText(QRectF(0, -kWidth / 2, avail, kWidth), Qt::AlignVCenter | Qt::AlignLeft,
                      fm.elidedText(text, Qt::ElideRight, avail));
    painter->restore();
}

}  // namespace nlab::views
