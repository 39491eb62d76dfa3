#include "app/docks/trace_dock.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "engine/lab/lab.h"
#include "model/qt/event_log.h"
#include "model/qt/lab_document.h"

namespace nlab::app {

using Kind = engine::TraceNode::Kind;

TraceDock::TraceDock(model::LabDocument* document, QWidget* parent)
    : QDockWidget(tr("Trace"), parent), m_document(document), m_title(new QLabel), m_tree(new QTreeWidget) {
    setObjectName(QStringLiteral("traceDock"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    m_tree->setHeaderHidden(true);
    m_tree->setColumnCount(1);
    m_tree->setUniformRowHeights(true);
    m_tree->setWordWrap(false);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);
    layout->addWidget(m_tree, 1);
    setWidget(body);
    clear();
}

void TraceDock::clear() {
    m_journey = {};
    m_tree->clear();
    m_title->setText(tr("Select a frame event to trace it through the bridges."));
}

void TraceDock::addNode(QTreeWidgetItem* parent, const engine::TraceNode& node) {
    QString prefix;
    QColor color;
    switch (node.kind) {
    case Kind::Root: break;
    case Kind::Bridge: prefix = tr("Bridge: "); color = QColor(0, 90, 160); break;
    case Kind::Table: color = QColor(30, 30, 30); break;
    case Kind::ActionStep: color = QColor(70, 70, 70); break;
    case Kind::Detail: color = QColor(110, 110, 110); break;
    case Kind::Output: prefix = tr("Output: "); color = QColor(0, 130, 60); break;
    case Kind::Warn: prefix = tr("Warning: "); color = QColor(190, 120, 0); break;
    case Kind::Error: prefix = tr("Error: "); color = QColor(200, 0, 0); break;
    case Kind::Drop: prefix = tr("Drop: "); color = QColor(200, 0, 0); break;
    }
    auto* item = new QTreeWidgetItem(parent, {prefix + QString::fromStdString(node.text)});
    item->setToolTip(0, item->text(0));
    if (color.isValid()) item->setForeground(0, color);
    if (node.kind == Kind::Table || node.kind == Kind::Bridge) {
        QFont f = item->font(0);
        f.setBold(node.kind == Kind::Bridge);
        item->setFont(0, f);
    }
    for (const engine::TraceNode& child : node.children) addNode(item, child);
    item->setExpanded(true);
}

void TraceDock::showRecord(quint64 seq) {
    m_tree->clear();
    m_journey = findJourney(m_document->eventLog(), seq);
    if (m_journey.isEmpty()) {
        m_title->setText(tr("No frame to trace for this event."));
        return;
    }
    traceJourney(m_document->cloud().lab(), m_document->eventLog(), m_journey);
    const model::EventRecord* anchor = m_document->eventLog().find(m_journey.anchor);
    m_title->setText(tr("%1 — %n hop(s), %2 bridge entry(ies); traced against the current tables",
                        nullptr, int(m_journey.hops.size()))
                         .arg(anchor ? QString::fromStdString(anchor->summary) : QString())
                         .arg(m_journey.traces.size()));
    for (const BridgeTrace& t : m_journey.traces) {
        QString head = tr("%1: %2  in_port=%3 (%4)")
                           .arg(QString::fromStdString(t.node), QString::fromStdString(t.bridge),
                                QString::fromStdString(t.inPort))
                           .arg(t.ofport);
        if (t.tunId) head += tr("  tun_id=0x%1").arg(t.tunId, 0, 16);
        auto* top = new QTreeWidgetItem(m_tree, {head});
        QFont f = top->font(0);
        f.setBold(true);
        top->setFont(0, f);
        top->setForeground(0, QColor(0, 70, 140));
        auto* flow = new QTreeWidgetItem(top, {tr("Flow: %1").arg(QString::fromStdString(t.trace.text))});
        flow->setToolTip(0, flow->text(0));
        for (const engine::TraceNode& child : t.trace.children) addNode(top, child);
        QStringList actions;
        for (const std::string& a : t.datapathActions) actions << QString::fromStdString(a);
        auto* dp = new QTreeWidgetItem(
            top, {t.dropped ? tr("Datapath actions: drop (%1)").arg(QString::fromStdString(t.dropReason))
                            : tr("Datapath actions: %1").arg(actions.join(QLatin1Char(',')))});
        dp->setForeground(0, t.dropped ? QColor(200, 0, 0) : QColor(0, 130, 60));
        top->setExpanded(true);
    }
}

}  // namespace nlab::app
