#include "app/docks/mac_tables_dock.h"

#include <variant>

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "app/docks/flow_tables_dock.h"
#include "engine/flow/ofctl_format.h"
#include "engine/lab/lab.h"
#include "engine/net/linux_bridge.h"
#include "model/qt/lab_document.h"
#include "model/qt/mac_table_model.h"
#include "model/qt/roles.h"

namespace nlab::app {

MacTablePane::MacTablePane(model::LabDocument* document, const QString& node,
                           const QString& bridge, QWidget* parent)
    : QWidget(parent),
      m_model(new model::MacTableModel(document, node, bridge, this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(model::roleId(model::Role::Sort));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_proxy->sort(-1);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    if (m_model->isLinuxBridge()) m_view->hideColumn(model::MacTableModel::VlanColumn);
    else m_view->hideColumn(model::MacTableModel::LocalColumn);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_view);
}

QString MacTablePane::node() const { return m_model->node(); }
QString MacTablePane::bridge() const { return m_model->bridge(); }

MacTablesDock::MacTablesDock(model::LabDocument* document, QWidget* parent)
    : QDockWidget(tr("MAC tables"), parent), m_document(document), m_tabs(new QTabWidget(this)) {
    setObjectName(QStringLiteral("macTablesDock"));
    m_tabs->setDocumentMode(true);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->setElideMode(Qt::ElideNone);
    setWidget(m_tabs);
}

MacTablePane* MacTablesDock::pane(const QString& node, const QString& bridge) const {
    for (MacTablePane* p : panes()) {
        if (p->node() == node && p->bridge() == bridge) return p;
    }
    return nullptr;
}

QList<MacTablePane*> MacTablesDock::panes() const {
    QList<MacTablePane*> out;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* p = qobject_cast<MacTablePane*>(m_tabs->widget(i))) out.push_back(p);
    }
    return out;
}

bool MacTablesDock::showBridge(const QString& node, const QString& bridge) {
    MacTablePane* p = pane(node, bridge);
    if (!p) return false;
    m_tabs->setCurrentWidget(p);
    return true;
}

bool MacTablesDock::usesNormal(const engine::OvsBridge& bridge) {
    for (const engine::FlowTable* table : bridge.tables()) {
        for (const engine::FlowEntry* e : table->entries()) {
            if (engine::formatActions(e->spec.actions).find("NORMAL") != std::string::npos) return true;
        }
    }
    return false;
}

void MacTablesDock::sync() {
    QList<QPair<QString, QString>> wanted;
    for (engine::Node* node : m_document->cloud().lab().nodes()) {
        const QString n = QString::fromStdString(node->name());
        for (engine::OvsBridge* br : node->ovsBridges()) {
            if (usesNormal(*br)) wanted.push_back({n, QString::fromStdString(br->name())});
        }
        for (engine::LinuxBridge* br : node->linuxBridges()) {
            wanted.push_back({n, QString::fromStdString(br->name())});
        }
    }
    for (MacTablePane* p : panes()) {
        if (!wanted.contains(QPair<QString, QString>(p->node(), p->bridge()))) {
            m_tabs->removeTab(m_tabs->indexOf(p));
            p->deleteLater();
        }
    }
    for (int i = 0; i < wanted.size(); ++i) {
        const auto& [node, bridge] = wanted[i];
        MacTablePane* p = pane(node, bridge);
        if (!p) {
            p = new MacTablePane(m_document, node, bridge);
            m_tabs->insertTab(i, p, FlowTablesDock::tabTitle(node, bridge));
        } else if (m_tabs->indexOf(p) != i) {
            m_tabs->tabBar()->moveTab(m_tabs->indexOf(p), i);
        }
    }
}

}  // namespace nlab::app
