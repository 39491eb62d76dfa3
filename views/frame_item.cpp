#include "views/frame_item.h"

#include "views/physical_graph.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nlab::views {

namespace {
constexpr qreal kHeader = 18;  // LayoutOptions::clusterHeader
}

FrameItem::FrameItem(const QString& key, Style style, const QString& label, QGraphicsItem* parent)
    : QGraphicsItem(parent), m_key(key), m_style(style), m_label(label) {
    setFlag(ItemIsSelectable);
    setData(kItemKeyData, key);
    setZValue(style == Style::Namespace ? 1 : 0);
}

QRectF FrameItem::boundingRect() const { return QRectF(QPointF(0, 0), m_size).adjusted(-3, -3, 3, 3); }

void FrameItem::setLabel(const QString& label) {
    if (label == m_label) return;
    m_label = label;
    update();
}

void FrameItem::setSceneRect(const QRectF& rect) {
    if (rect.size() != m_size) {
        prepareGeometryChange();
        m_size = rect.size();
    }
    setPos(rect.topLeft());
}

void FrameItem::setAccent(const QColor& color) {
    if (color == m_accent) return;
    m_accent = color;
    update();
}

void FrameItem::setHighlighted(bool on) {
    if (on == m_highlighted) return;
    m_highlighted = on;
    update();
}

void FrameItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QRectF r(QPointF(0, 0), m_size);
    QColor fill, header, border;
    IconKind icon = IconKind::Host;
    switch (m_style) {
    case Style::NetworkHost:
        fill = QColor(0xf3, 0xf6, 0xf8); header = QColor(0x37, 0x47, 0x4f); border = QColor(0x90, 0xa4, 0xae);
        icon = IconKind::NetworkNode;
        break;
    case Style::ComputeHost:
        fill = QColor(0xf4, 0xf6, 0xfb); header = QColor(0x45, 0x5a, 0x64); border = QColor(0x90, 0xa4, 0xae);
        icon = IconKind::ComputeNode;
        break;
    case Style::OutsideHost:
        fill = QColor(0xf7, 0xf3, 0xf0); header = QColor(0x6d, 0x4c, 0x41); border = QColor(0xa1, 0x88, 0x7f);
        icon = IconKind::ExternalNetwork;
        break;
    case Style::Namespace:
        fill = QColor(0xfb, 0xf7, 0xfd); header = m_accent.isValid() ? m_accent : QColor(0x8e, 0x24, 0xaa);
        border = header.lighter(150);
        icon = IconKind::Namespace;
        break;
    }
    const bool selected = option->state & QStyle::State_Selected;
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(m_highlighted || selected ? QColor(0xff, 0x8f, 0x00) : border, m_highlighted || selected ? 3 : 1.2);
    if (m_style == Style::Namespace) pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(fill);
    painter->drawRoundedRect(r, 8, 8);
    // Header strip with icon and name.
    const QRectF head(r.left() + 1, r.top() + 1, r.width() - 2, kHeader - 2);
    painter->setPen(Qt::NoPen);
    painter->setBrush(m_style == Style::Namespace ? header.lighter(185) : header);
    painter->drawRoundedRect(head, 7, 7);
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    const int iconSize = 14;
    painter->drawPixmap(QPointF(head.left() + 4, head.top() + (head.height() - iconSize) / 2),
                        iconPixmap(icon, iconSize, dpr));
    const QFont f = physFrameFont(m_style == Style::Namespace);
    painter->setFont(f);
    painter->setPen(m_style == Style::Namespace ? header.darker(140) : QColor(Qt::white));
    const QRectF textRect = head.adjusted(iconSize + 9, 0, -4, 0);
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                      // Namespaces are known by their prefix (qdhcp-224f79e0...).
                      QFontMetricsF(f).elidedText(m_label, m_style == Style::Namespace ? Qt::ElideRight : Qt::ElideMiddle,
                                                  textRect.width()));
}

}  // namespace nlab::views
