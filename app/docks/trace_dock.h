#pragma once
// TraceDock: the per-table path of the selected frame through every OVS bridge it crossed,
// across nodes — `ovs-appctl ofproto/trace` as a tree.
//
// What
//   For the selected event, findJourney() finds the frame's hops and traceJourney() traces it
//   through the bridges (engine OvsBridge::trace: no side effects). One top-level row per
//   bridge entered ("compute: br-int  in_port=qvo8cbe7bb6-18"), under it the trace tree:
//   tables with the rule that matched, actions, resubmits, patch ports into the next bridge,
//   outputs, drops — coloured by kind — and the datapath actions.
//
// Design
//   Read-only over the document; recomputed when the selection changes. The journey's rule
//   hits are also what the main window highlights in the flow tables (journey()).

#include <QDockWidget>

#include "app/frame_journey.h"

class QLabel;
class QTreeWidget;
class QTreeWidgetItem;

namespace nlab::model {
class LabDocument;
}

namespace nlab::app {

class TraceDock : public QDockWidget {
    Q_OBJECT
public:
    explicit TraceDock(model::LabDocument* document, QWidget* parent = nullptr);

    QTreeWidget* tree() const { return m_tree; }
    /// Traces the frame of record 'seq' (0: clears).
    void showRecord(quint64 seq);
    void clear();
    /// The journey last shown.
    const FrameJourney& journey() const { return m_journey; }

private:
    void addNode(QTreeWidgetItem* parent, const engine::TraceNode& node);

    model::LabDocument* m_document;
    QLabel* m_title;
    QTreeWidget* m_tree;
    FrameJourney m_journey;
};

}  // namespace nlab::app
