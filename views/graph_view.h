#pragma once
// GraphView: the QGraphicsView both graph views share — zoom (wheel, Ctrl+= / Ctrl+-),
// pan (drag on the background, scroll bars), fit to view (Ctrl+0), and export of the whole
// scene to PNG, SVG and DOT.

#include <QGraphicsView>
#include <QString>

namespace nlab::views {

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(QGraphicsScene* scene, QWidget* parent = nullptr);

    /// Current scale factor (1: one scene unit per pixel).
    qreal zoom() const;
    void setZoom(qreal factor);
    void zoomIn();
    void zoomOut();
    /// Scales so the whole content fits the viewport (never above 1.5); it keeps fitting
    /// when the view is resized, until the zoom is changed.
    void fitToView();

    /// Renders every item to a PNG at 'scale' device pixels per scene unit (2: HiDPI-crisp).
    /// Written atomically. Returns false (nothing written) on error.
    bool exportPng(const QString& path, qreal scale = 2.0) const;
    /// Renders every item to an SVG file (QSvgGenerator). Returns false on error.
    bool exportSvg(const QString& path) const;
    /// Writes dotText(). Returns false on error.
    bool exportDot(const QString& path) const;
    /// The scene as DOT text (subclasses know their graph).
    virtual QString dotText() const = 0;

signals:
    void zoomChanged(qreal factor);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    QRectF contentRect() const;

    bool m_fitting = false;  ///< The last fitToView() holds (no zoom since).
};

}  // namespace nlab::views
