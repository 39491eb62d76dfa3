#include "views/physical_view.h"

#include "views/physical_scene.h"

namespace nlab::views {

PhysicalView::PhysicalView(PhysicalScene* scene, QWidget* parent) : GraphView(scene, parent), m_scene(scene) {
    setObjectName(QStringLiteral("physicalView"));
    setAccessibleName(tr("Physical view"));
    connect(scene, &PhysicalScene::layoutFinished, this, [this] {
        if (!m_fitted) {
            m_fitted = true;
            fitToView();
        }
    });
}

QString PhysicalView::dotText() const { return m_scene->toDot(); }

}  // namespace nlab::views
