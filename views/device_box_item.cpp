#include "views/device_box_item.h"

#include "views/icon_cache.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nlab::views {

DeviceBoxItem::DeviceBoxItem(const QString& key, Kind kind, QGraphicsItem* parent)
    : QGraphicsItem(parent), m_key(key), m_kind(kind) {
    setFlag(ItemIsSelectable);
    setData(kItemKeyData, key);
    setZValue(3);
    setCacheMode(DeviceCoordinateCache);
}

QRectF DeviceBoxItem::boundingRect() const { return QRectF(-4, -4, kWidth + 8, kHeight + 8); }

void DeviceBoxItem::setText(const QString& title, const QString& subtitle) {
    if (title == m_title && subtitle == m_subtitle) return;
    m_title = title;
    m_subtitle = subtitle;
    update();
}

void DeviceBoxItem::setHighlighted(bool on) {
    if (on == m_highlighted) return;
    m_highlighted = on;
    update();
}

void DeviceBoxItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QRectF r(0, 0, kWidth, kHeight);
    const bool lit = m_highlighted || (option->state & QStyle::State_Selected);
    const QColor accent = m_kind == Kind::Router ? QColor(0xf4, 0x51, 0x1e) : QColor(0x39, 0x49, 0xab);
    painter->setRenderHint(QPainter::Antialiasing);
    if (lit) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xff, 0x8f, 0x00, 100));
        painter->drawRoundedRect(r.adjusted(-4, -4, 4, 4), 9, 9);
    }
    painter->setPen(QPen(lit ? QColor(0xe6, 0x51, 0x00) : accent, lit ? 2 : 1.2));
    painter->setBrush(Qt::white);
    painter->drawRoundedRect(r, 6, 6);
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    painter->drawPixmap(QPointF(8, (kHeight - 30) / 2),
                        iconPixmap(m_kind == Kind::Router ? IconKind::Router : IconKind::Instance, 30, dpr));
    QFont f = painter->font();
    f.setPointSizeF(9.5);
    f.setBold(true);
    const QRectF text(46, 5, kWidth - 52, kHeight / 2 - 3);
    painter->setFont(f);
    painter->setPen(QColor(0x26, 0x32, 0x38));
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter, QFontMetricsF(f).elidedText(m_title, Qt::ElideRight, text.width()));
    f.setPointSizeF(7.5);
    f.setBold(false);
    painter->setFont(f);
    painter->setPen(QColor(0x60, 0x7d, 0x8b));
    const QRectF sub(46, kHeight / 2, kWidth - 52, kHeight / 2 - 5);
    painter->drawText(sub, Qt::AlignLeft | Qt::AlignVCenter, QFontMetricsF(f).elidedText(m_subtitle, Qt::ElideRight, sub.width()));
}

}  // namespace nlab::views
