#pragma once
// PhysicalView: the view of a PhysicalScene (zoom, pan, fit, exports from GraphView); fits
// the lab into the window once its first layout arrives.

#include "views/graph_view.h"

namespace nlab::views {

class PhysicalScene;

class PhysicalView : public GraphView {
    Q_OBJECT
public:
    explicit PhysicalView(PhysicalScene* scene, QWidget* parent = nullptr);

    PhysicalScene* physicalScene() const { return m_scene; }
    QString dotText() const override;

private:
    PhysicalScene* m_scene;
    bool m_fitted = false;
};

}  // namespace nlab::views
