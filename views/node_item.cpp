#include "views/node_item.h"

#include "views/badge_item.h"
#include "views/icon_cache.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

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

void NodeItem::setSize(const QSizeF& size) {
    if (size == m_size) return;
    prepareGeometryChange();
    m_size = size;
    if (m_badge) m_badge->setTop(-m_size.height() / 2);
    update();
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
    const QFont f = physNodeFont(m_kind);
    switch (m_kind) {
    case PhysNodeKind::OvsBridge:
        fill = QColor(0xe3, 0xf2, 0xfd); border = QColor(0x1e, 0x88, 0xe5); text = QColor(0x0d, 0x47, 0xa1);
        icon = IconKind::OvsBridge;
        break;
    case PhysNodeKind::LinuxBridge:
        fill = QColor(0xe8, 0xf5, 0xe9); border = QColor(0x43, 0xa0, 0x47); text = QColor(0x1b, 0x5e, 0x20);
        icon = IconKind::LinuxBridge;
        break;
    case PhysNodeKind::Vm:
        fill = QColor(0xe8, 0xea, 0xf6); border = QColor(0x39, 0x49, 0xab); text = QColor(0x1a, 0x23, 0x7e);
        icon = IconKind::Instance;
        break;
    case PhysNodeKind::Segment:
        fill = QColor(0x45, 0x5a, 0x64); border = QColor(0x26, 0x32, 0x38); text = Qt::white;
        icon = IconKind::Network;
        radius = m_size.height() / 2;
        break;
    case PhysNodeKind::Port:
    case PhysNodeKind::Interface:
        fill = Qt::white; border = QColor(0x78, 0x90, 0x9c); text = QColor(0x1c, 0x26, 0x2b);
        radius = m_size.height() / 2;
        if (physNodeHasIcon(m_kind, m_label)) icon = IconKind::Tunnel;
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
    qreal left = r.left() + physbox::kPad;
    if (accent.isValid()) {
        // The network colour: a stripe at the left end.
        painter->setPen(Qt::NoPen);
        painter->setBrush(accent);
        const QRectF stripe(r.left() + 2, r.top() + 2, physbox::kStripe, r.height() - 4);
        painter->drawRoundedRect(stripe, qMin(radius, 3.0), qMin(radius, 3.0));
        left = r.left() + physbox::kPad + physbox::kStripe + physbox::kGap;
    }
    // Level of detail: on screen, how many pixels a scene unit is.
    const qreal lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    if (icon) {
        const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
        const int is = static_cast<int>(qMin<qreal>(r.height() - 6, physbox::kIconMax));
        // Rendered at the size it takes on screen (crisp when zoomed in and on HiDPI).
        int px = 96;
        for (int step : {8, 12, 16, 20, 24, 32, 48, 64}) {
            if (step >= is * lod) {
                px = step;
                break;
            }
        }
        painter->drawPixmap(QRectF(left, r.center().y() - is / 2.0, is, is), iconPixmap(*icon, px, dpr),
                            QRectF());
        left += is + physbox::kGap;
    }
    qreal right = r.right() - physbox::kPad;
    if (m_tag) {
        const QFont tf = physNodeTagFont();
        const QString t = QString::number(*m_tag);
        const qreal w = QFontMetricsF(tf).horizontalAdvance(t) + physbox::kTagPad;
        const QRectF tagRect(right - w, r.top() + 3, w, r.height() - 6);
        painter->setPen(Qt::NoPen);
        painter->setBrush(accent.isValid() ? accent : QColor(0x60, 0x7d, 0x8b));
        painter->drawRoundedRect(tagRect, tagRect.height() / 2, tagRect.height() / 2);
        if (lod * tf.pointSizeF() >= 3) {
            painter->setFont(tf);
            painter->setPen(Qt::white);
            painter->drawText(tagRect, Qt::AlignCenter, t);
        }
        right = tagRect.left() - physbox::kGap;
    }
    const QRectF tr(left, r.top(), right - left, r.height());
    if (lod * f.pointSizeF() < 3) {
        // Too small to read: a line where the text would be.
        painter->setPen(QPen(text, 0));
        painter->setOpacity(0.35);
        painter->drawLine(QPointF(tr.left(), 0), QPointF(tr.left() + tr.width() * 0.7, 0));
        painter->setOpacity(1);
        return;
    }
    painter->setFont(f);
    painter->setPen(text);
    painter->drawText(tr, Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetricsF(f).elidedText(m_label, Qt::ElideRight, tr.width() + 1));
}

}  // namespace nlab::views
