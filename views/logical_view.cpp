#include "views/logical_view.h"

#include "views/logical_scene.h"

namespace nlab::views {

LogicalView::LogicalView(LogicalScene* scene, QWidget* parent) : GraphView(scene, parent), m_scene(scene) {
    setObjectName(QStringLiteral("logicalView"));
    setAccessibleName(tr("Logical view"));
}

QString LogicalView::dotText() const { return m_scene->toDot(); }

}  // namespace nlab::views
