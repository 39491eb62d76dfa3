#include "views/graph_view.h"

#include <QAction>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QWheelEvent>

#include <cmath>

namespace nlab::views {

namespace {
constexpr qreal kMinZoom = 0.05;
constexpr qreal kMaxZoom = 8.0;
constexpr qreal kStep = 1.25;
}  // namespace

GraphView::GraphView(QGraphicsScene* scene, QWidget* parent) : QGraphicsView(scene, parent) {
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    // The background (a flat colour and a light grid) is cached: tokens in flight repaint
    // only the items under them.
    setCacheMode(QGraphicsView::CacheBackground);
    setOptimizationFlag(QGraphicsView::DontSavePainterState);
    setFrameShape(QFrame::NoFrame);

    auto addShortcut = [this](const QString& text, const QList<QKeySequence>& keys, auto slot) {
        auto* a = new QAction(text, this);
        a->setShortcuts(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
    };
    addShortcut(tr("Zoom In"), {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence::ZoomIn},
                &GraphView::zoomIn);
    addShortcut(tr("Zoom Out"), {QKeySequence(Qt::CTRL | Qt::Key_Minus), QKeySequence::ZoomOut}, &GraphView::zoomOut);
    addShortcut(tr("Fit to View"), {QKeySequence(Qt::CTRL | Qt::Key_0)}, &GraphView::fitToView);
}

qreal GraphView::zoom() const { return transform().m11(); }

void GraphView::setZoom(qreal factor) {
    m_fitting = false;
    factor = std::clamp(factor, kMinZoom, kMaxZoom);
    if (qFuzzyCompare(factor, zoom())) return;
    setTransform(QTransform::fromScale(factor, factor));
    emit zoomChanged(factor);
}

void GraphView::zoomIn() { setZoom(zoom() * kStep); }
void GraphView::zoomOut() { setZoom(zoom() / kStep); }

QRectF GraphView::contentRect() const {
    if (!scene()) return {};
    return scene()->itemsBoundingRect().adjusted(-12, -12, 12, 12);
}

void GraphView::fitToView() {
    const QRectF r = contentRect();
    if (r.isEmpty()) return;
    fitInView(r, Qt::KeepAspectRatio);
    if (zoom() > 1.5) setTransform(QTransform::fromScale(1.5, 1.5));
    centerOn(r.center());
    m_fitting = true;
    emit zoomChanged(zoom());
}

void GraphView::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    // Fitted, it stays fitted (docks and splitters settle after the first fit); a zoom of
    // the user's is kept.
    if (m_fitting) fitToView();
}

void GraphView::wheelEvent(QWheelEvent* event) {
    // Wheel zooms (under the mouse); Shift+wheel scrolls.
    if (event->modifiers() & Qt::ShiftModifier) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    setZoom(zoom() * std::pow(kStep, delta / 120.0));
    event->accept();
}

void GraphView::drawBackground(QPainter* painter, const QRectF& rect) {
    painter->fillRect(rect, backgroundBrush().style() != Qt::NoBrush ? backgroundBrush()
                                                                     : QBrush(QColor(0xfa, 0xfb, 0xfc)));
    if (scene()) painter->fillRect(rect, scene()->backgroundBrush());
    // A light dot grid helps the eye when panning.
    const qreal step = 40;
    painter->setPen(QPen(QColor(0xe0, 0xe4, 0xe8), 0));
    const qreal left = std::floor(rect.left() / step) * step;
    const qreal top = std::floor(rect.top() / step) * step;
    QVector<QPointF> points;
    for (qreal x = left; x < rect.right(); x += step) {
        for (qreal y = top; y < rect.bottom(); y += step) points.append(QPointF(x, y));
    }
    if (points.size() < 20000) painter->drawPoints(points.constData(), static_cast<int>(points.size()));
}

bool GraphView::exportPng(const QString& path, qreal scale) const {
    const QRectF r = contentRect();
    if (r.isEmpty() || !scene()) return false;
    const QSize size(qMax(1, qRound(r.width() * scale)), qMax(1, qRound(r.height() * scale)));
    if (static_cast<qint64>(size.width()) * size.height() > 400LL * 1000 * 1000) return false;
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter p(&image);
        p.setRenderHints(renderHints());
        scene()->render(&p, QRectF(QPointF(0, 0), size), r);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return false;
    if (!image.save(&file, "PNG")) {
        file.cancelWriting();
        return false;
    }
    return file.commit();
}

bool GraphView::exportSvg(const QString& path) const {
    const QRectF r = contentRect();
    if (r.isEmpty() || !scene()) return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return false;
    QSvgGenerator gen;
    gen.setOutputDevice(&file);
    gen.setSize(r.size().toSize());
    gen.setViewBox(QRectF(QPointF(0, 0), r.size()));
    gen.setTitle(tr("NeutronLab topology"));
    gen.setDescription(tr("Exported by NeutronLab"));
    {
        QPainter p;
        if (!p.begin(&gen)) {
            file.cancelWriting();
            return false;
        }
        p.setRenderHints(renderHints());
        p.fillRect(QRectF(QPointF(0, 0), r.size()), Qt::white);
        scene()->render(&p, QRectF(QPointF(0, 0), r.size()), r);
        p.end();
    }
    return file.commit();
}

bool GraphView::exportDot(const QString& path) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return false;
    const QByteArray text = dotText().toUtf8();
    if (file.write(text) != text.size()) {
        file.cancelWriting();
        return false;
    }
    return file.commit();
}

}  // namespace nlab::views
