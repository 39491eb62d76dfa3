#include "views/edge_item.h"

#include "views/node_item.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace nlab::views {

namespace {

/// Tunnel labels are read; a VM NIC's name (eth0) only tags the short link to its tap.
QFont labelFont(PhysEdgeKind kind) {
    QFont f;
    f.setPointSizeF(kind == PhysEdgeKind::VmNic ? 6.5 : 7.5);
    return f;
}

/// Where the segment from the centre of 'box' towards 'target' leaves the box.
QPointF boxExit(const QRectF& box, const QPointF& target) {
    const QPointF c = box.center();
    const QPointF d = target - c;
    if (qFuzzyIsNull(d.x()) && qFuzzyIsNull(d.y())) return c;
    const qreal sx = d.x() != 0 ? (box.width() / 2) / std::abs(d.x()) : 1e9;
    const qreal sy = d.y() != 0 ? (box.height() / 2) / std::abs(d.y()) : 1e9;
    const qreal s = std::min({sx, sy, 1.0});
    return c + d * s;
}

}  // namespace

EdgeItem::EdgeItem(const QString& key, PhysEdgeKind kind, NodeItem* from, NodeItem* to,
                   QGraphicsItem* parent)
    : QGraphicsItem(parent), m_key(key), m_kind(kind), m_from(from), m_to(to) {
    setData(kItemKeyData, key);
    setZValue(kind == PhysEdgeKind::Tunnel ? 2.5 : 2);
    setAcceptedMouseButtons(Qt::NoButton);
}

void EdgeItem::setLabel(const QString& label) {
    if (label == m_label) return;
    m_label = label;
    updatePath();
}

void EdgeItem::setColor(const QColor& color) {
    if (color == m_color) return;
    m_color = color;
    update();
}

void EdgeItem::setHighlighted(bool on) {
    if (on == m_highlighted) return;
    m_highlighted = on;
    setZValue(on ? 2.8 : (m_kind == PhysEdgeKind::Tunnel ? 2.5 : 2));
    update();
}

void EdgeItem::updatePath(const QPainterPath& spline, std::optional<QPointF> labelAt, qreal labelRoom) {
    prepareGeometryChange();
    const QRectF a = m_from->sceneBox();
    const QRectF b = m_to->sceneBox();
    if (!spline.isEmpty()) {
        // From 'from' to 'to' (tokens follow it), whichever way the layout gave it.
        m_path = spline;
        const QPointF start = spline.elementAt(0);
        const auto dist = [](QPointF p, QPointF q) { return std::hypot(p.x() - q.x(), p.y() - q.y()); };
        if (dist(start, b.center()) < dist(start, a.center())) m_path = spline.toReversed();
    } else {
        QPainterPath p;
        const QPointF start = boxExit(a, b.center());
        const QPointF end = boxExit(b, a.center());
        p.moveTo(start);
        if (m_kind == PhysEdgeKind::Tunnel) {
            // A gentle arc, so the label sits clear of the straight links.
            const QPointF mid = (start + end) / 2;
            const QPointF d = end - start;
            const QPointF normal(-d.y(), d.x());
            const qreal len = std::hypot(normal.x(), normal.y());
            const QPointF bulge = len > 0 ? normal / len * std::min(60.0, len * 0.15) : QPointF();
            p.quadTo(mid + bulge, end);
        } else {
            p.lineTo(end);
        }
        m_path = p;
    }
    m_labelRect = QRectF();
    m_labelText = m_label;
    if (!m_label.isEmpty()) {
        const QFontMetricsF fm(labelFont(m_kind));
        QStringList lines = m_label.split(QLatin1Char('\n'));
        // One line: what both ends share ("GRE key=flow ") written once.
        QString joined = lines.join(QStringLiteral("  \u00b7  "));
        if (lines.size() == 2) {
            qsizetype common = 0;
            while (common < std::min(lines[0].size(), lines[1].size()) && lines[0][common] == lines[1][common]) ++common;
            common = lines[0].lastIndexOf(QLatin1Char(' '), common - 1) + 1;  // whole words
            if (common > 0) joined = lines[0] + QStringLiteral("  \u00b7  ") + lines[1].mid(common);
        }
        if (lines.size() > 1 && fm.horizontalAdvance(joined) + 8 <= labelRoom) {
            lines = QStringList{joined};
            m_labelText = joined;
        }
        qreal w = 0;
        for (const QString& l : lines) w = std::max(w, fm.horizontalAdvance(l));
        const QSizeF size(w + 8, fm.lineSpacing() * lines.size() + (m_kind == PhysEdgeKind::VmNic ? 0 : 3));
        const QPointF mid = labelAt ? *labelAt : m_path.pointAtPercent(0.5);
        m_labelRect = QRectF(mid - QPointF(size.width() / 2, size.height() / 2), size);
    }
    m_bounds = m_path.controlPointRect().adjusted(-4, -4, 4, 4);
    if (!m_labelRect.isNull()) m_bounds = m_bounds.united(m_labelRect.adjusted(-2, -2, 2, 2));
    update();
}

QRectF EdgeItem::boundingRect() const { return m_bounds; }

QPainterPath EdgeItem::shape() const {
    QPainterPathStroker s;
    s.setWidth(6);
    return s.createStroke(m_path);
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    // Level of detail: labels under ~3 px of text are noise (a large lab, fitted).
    const qreal lod = QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform());
    painter->setRenderHint(QPainter::Antialiasing);
    QColor c = m_color.isValid() ? m_color : QColor(0x90, 0xa4, 0xae);
    qreal width = 1.2;
    Qt::PenStyle style = Qt::SolidLine;
    switch (m_kind) {
    case PhysEdgeKind::Membership: break;
    case PhysEdgeKind::Veth: width = 2; break;
    case PhysEdgeKind::Patch: style = Qt::DashLine; width = 1.6; if (!m_color.isValid()) c = QColor(0x1e, 0x88, 0xe5); break;
    case PhysEdgeKind::VmNic: width = 2.2; break;
    case PhysEdgeKind::Tunnel: style = Qt::DashLine; width = 2.4; c = QColor(0xfb, 0x8c, 0x00); break;
    case PhysEdgeKind::Segment: style = Qt::DotLine; width = 1.4; c = QColor(0x54, 0x6e, 0x7a); break;
    }
    if (m_highlighted) {
        painter->setPen(QPen(QColor(0xff, 0x8f, 0x00, 110), width + 5, Qt::SolidLine, Qt::RoundCap));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(m_path);
    }
    painter->setPen(QPen(c, width, style, Qt::RoundCap));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    if (!m_labelRect.isNull() && lod * labelFont(m_kind).pointSizeF() >= 3) {
        painter->setPen(QPen(c.darker(120), 1));
        painter->setBrush(QColor(255, 255, 255, 230));
        painter->drawRoundedRect(m_labelRect, 3, 3);
        painter->setFont(labelFont(m_kind));
        painter->setPen(QColor(0x4e, 0x34, 0x2e));
        painter->drawText(m_labelRect, Qt::AlignCenter, m_labelText);
    }
}

}  // namespace nlab::views
