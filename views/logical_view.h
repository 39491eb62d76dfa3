#pragma once
// LogicalView: the view of a LogicalScene (zoom, pan, fit, exports from GraphView).

#include "views/graph_view.h"

namespace nlab::views {

class LogicalScene;

class LogicalView : public GraphView {
    Q_OBJECT
public:
    explicit LogicalView(LogicalScene* scene, QWidget* parent = nullptr);

    LogicalScene* logicalScene() const { return m_scene; }
    QString dotText() const override;

private:
    LogicalScene* m_scene;
};

}  // namespace nlab::views
