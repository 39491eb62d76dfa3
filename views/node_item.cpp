#include "views/node_item.h"

#include "views/badge_item.h"
#include "views/icon_cache.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nlab::views {

NodeItem::NodeItem(const QString& key, PhysNodeKind kind, QGraphicsItem* parent)
    : QGraphicsItem(parent), m_key(key), m_kind(kind), m_size(physNodeSize(kind)) {
    setFlag(ItemIsSelectable);
    setData(kItemKeyData, key);
    setZValue(3);
    // Painting text is the expensive part: cache the rendered box (tokens flying over it
    // then cost a blit, not a re-layout of the text).
    setCacheMode(DeviceCoordinateCache);
}

QRectF NodeItem::boundingRect() const {
    return QRectF(-m_size.width() / 2, -m_size.height() / 2, m_size.width(), m_size.height())
        .adjusted(-3, -3, 3, 3);
}

QPainterPath NodeItem::shape() const {
    QPainterPath p;
    p.addRect(QRectF(-m_size.width() / 2, -m_size.height() / 2, m_size.width(), m_size.height()));
    return p;
}

void NodeItem::setLabel(const QString& label) {
    if (label == m_label) return;
    m_label = label;
    update();
}

void NodeItem::setNetworkColor(const QColor& color) {
    if (color == m_color) return;
    m_color = color;
    update();
}

void NodeItem::setTag(std::optional<int> tag) {
    if (tag == m_tag) return;
    m_tag = tag;
    update();
}

void NodeItem::setHighlighted(bool on) {
    if (on == m_highlighted) return;
    m_highlighted = on;
    setZValue(on ? 4 : 3);
    update();
}

void NodeItem::setBadge(const QString& text) {
    if (text.isEmpty()) {
        delete m_badge;
        m_badge = nullptr;
        return;
    }
    if (!m_badge) {
        m_badge = new BadgeItem(text, -m_size.height() / 2, this);
    } else {
        m_badge->setText(text);
    }
    if (m_color.isValid()) m_badge->setColor(m_color);
}

QString NodeItem::badge() const { return m_badge ? m_badge->text() : QString(); }

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemSelectedHasChanged) update();
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QRectF r(-m_size.width() / 2, -m_size.height() / 2, m_size.width(), m_size.height());
    const bool selected = option->state & QStyle::State_Selected;
    const QColor accent = m_color.isValid() ? m_color : QColor();
    QColor fill, border, text;
    std::optional<IconKind> icon;
    qreal radius = 4;
    QFont f = painter->font();
    f.setPointSizeF(7.5);
    switch (m_kind) {
    case PhysNodeKind::OvsBridge:
        fill = QColor(0xe3, 0xf2, 0xfd); border = QColor(0x1e, 0x88, 0xe5); text = QColor(0x0d, 0x47, 0xa1);
        icon = IconKind::OvsBridge;
        f.setPointSizeF(9);
        f.setBold(true);
        break;
    case PhysNodeKind::LinuxBridge:
        fill = QColor(0xe8, 0xf5, 0xe9); border = QColor(0x43, 0xa0, 0x47); text = QColor(0x1b, 0x5e, 0x20);
        icon = IconKind::LinuxBridge;
        break;
    case PhysNodeKind::Vm:
        fill = QColor(0xe8, 0xea, 0xf6); border = QColor(0x39, 0x49, 0xab); text = QColor(0x1a, 0x23, 0x7e);
        icon = IconKind::Instance;
        f.setPointSizeF(9);
        f.setBold(true);
        break;
    case PhysNodeKind::Segment:
        fill = QColor(0x45, 0x5a, 0x64); border = QColor(0x26, 0x32, 0x38); text = Qt::white;
        icon = IconKind::Network;
        radius = m_size.height() / 2;
        f.setPointSizeF(8.5);
        f.setBold(true);
        break;
    case PhysNodeKind::Port:
    case PhysNodeKind::Interface:
        fill = Qt::white; border = QColor(0x90, 0xa4, 0xae); text = QColor(0x26, 0x32, 0x38);
        radius = m_size.height() / 2;
        if (m_label.startsWith(QLatin1String("gre-")) || m_label.startsWith(QLatin1String("vxlan-"))) {
            icon = IconKind::Tunnel;
        }
        break;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    if (m_highlighted || selected) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xff, 0x8f, 0x00, 90));
        painter->drawRoundedRect(r.adjusted(-3, -3, 3, 3), radius + 3, radius + 3);
    }
    painter->setPen(QPen(m_highlighted || selected ? QColor(0xe6, 0x51, 0x00) : border,
                         m_highlighted || selected ? 2 : 1));
    painter->setBrush(fill);
    painter->drawRoundedRect(r, radius, radius);
    qreal left = r.left() + 6;
    if (accent.isValid()) {
        // The network colour: a stripe at the left end.
        painter->setPen(Qt::NoPen);
        painter->setBrush(accent);
        const QRectF stripe(r.left() + 1.5, r.top() + 1.5, 7, r.height() - 3);
        painter->drawRoundedRect(stripe, qMin(radius, 3.5), qMin(radius, 3.5));
        left = stripe.right() + 4;
    }
    if (icon) {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        const int is = static_cast<int>(qMin<qreal>(r.height() - 6, 20));
        painter->drawPixmap(QPointF(left, r.center().y() - is / 2.0), iconPixmap(*icon, is, dpr));
        left += is + 4;
    }
    qreal right = r.right() - 6;
    if (m_tag) {
        QFont tf = f;
        tf.setBold(true);
        tf.setPointSizeF(7);
        const QString t = QString::number(*m_tag);
        const qreal w = QFontMetricsF(tf).horizontalAdvance(t) + 8;
        const QRectF tagRect(right - w + 3, r.top() + 3, w, r.height() - 6);
        painter->setPen(Qt::NoPen);
        painter->setBrush(accent.isValid() ? accent : QColor(0x60, 0x7d, 0x8b));
        painter->drawRoundedRect(tagRect, tagRect.height() / 2, tagRect.height() / 2);
        painter->setFont(tf);
        painter->setPen(Qt::white);
        painter->drawText(tagRect, Qt::AlignCenter, t);
        right = tagRect.left() - 3;
    }
    painter->setFont(f);
    painter->setPen(text);
    const QRectF tr(left, r.top(), right - left, r.height());
    painter->drawText(tr, Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetricsF(f).elidedText(m_label, Qt::ElideRight, tr.width()));
}

}  // namespace nlab::views
