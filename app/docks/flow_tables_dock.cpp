#include "app/docks/flow_tables_dock.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "app/docks/flow_row_delegate.h"
#include "engine/lab/lab.h"
#include "model/qt/flow_table_model.h"
#include "model/qt/lab_document.h"
#include "model/qt/roles.h"

namespace nlab::app {

using model::FlowTableModel;

FlowTablePane::FlowTablePane(model::LabDocument* document, const QString& node,
                             const QString& bridge, QWidget* parent)
    : QWidget(parent),
      m_model(new FlowTableModel(document, node, bridge, this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)),
      m_filter(new QLineEdit(this)),
      m_count(new QLabel(this)) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(model::roleId(model::Role::Sort));
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);

    m_filter->setPlaceholderText(tr("Filter rules (table, match, actions...)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    QPointer<model::LabDocument> doc(document);
    m_delegate = new FlowRowDelegate([doc] { return doc ? doc->now() : 0; },
                                     m_model->flashDuration(), this);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(m_delegate);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setSortingEnabled(true);
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);  // dump-flows order
    m_proxy->sort(-1);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(false);
    const int digit = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const int widths[FlowTableModel::ColumnCount] = {6, 7, 38, 48, 9, 9, 9, 8, 8, 7};
    for (int c = 0; c < FlowTableModel::ColumnCount; ++c) header->resizeSection(c, widths[c] * digit + 14);
    header->setSectionResizeMode(FlowTableModel::ActionsColumn, QHeaderView::Stretch);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_count);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);

    auto updateCount = [this] {
        m_count->setText(tr("%n rule(s)", nullptr, m_proxy->rowCount()));
    };
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, updateCount);
    updateCount();
}

QString FlowTablePane::node() const { return m_model->node(); }
QString FlowTablePane::bridge() const { return m_model->bridge(); }

void FlowTablePane::setTouched(const QList<QPair<int, quint64>>& rules) {
    QSet<quint64> keys;
    for (const auto& [table, id] : rules) keys.insert(FlowRowDelegate::touchKey(table, id));
    if (keys == m_delegate->touched()) return;
    m_delegate->setTouched(keys);
    if (!rules.isEmpty()) {
        const QModelIndex src = m_model->indexOfFlow(rules.back().first, rules.back().second);
        const QModelIndex idx = m_proxy->mapFromSource(src);
        if (idx.isValid()) m_view->scrollTo(idx, QAbstractItemView::PositionAtCenter);
    }
    m_view->viewport()->update();
}

// ---- FlowTablesDock ----

FlowTablesDock::FlowTablesDock(model::LabDocument* document, QWidget* parent)
    : QDockWidget(tr("Flow tables"), parent), m_document(document), m_tabs(new QTabWidget(this)) {
    setObjectName(QStringLiteral("flowTablesDock"));
    m_tabs->setDocumentMode(true);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->setElideMode(Qt::ElideNone);
    setWidget(m_tabs);
}

QString FlowTablesDock::tabTitle(const QString& node, const QString& bridge) {
    return node + QStringLiteral(": ") + bridge;
}

FlowTablePane* FlowTablesDock::pane(const QString& node, const QString& bridge) const {
    for (FlowTablePane* p : panes()) {
        if (p->node() == node && p->bridge() == bridge) return p;
    }
    return nullptr;
}

QList<FlowTablePane*> FlowTablesDock::panes() const {
    QList<FlowTablePane*> out;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* p = qobject_cast<FlowTablePane*>(m_tabs->widget(i))) out.push_back(p);
    }
    return out;
}

bool FlowTablesDock::showBridge(const QString& node, const QString& bridge) {
    FlowTablePane* p = pane(node, bridge);
    if (!p) return false;
    m_tabs->setCurrentWidget(p);
    return true;
}

void FlowTablesDock::setTouched(const QHash<QString, QList<QPair<int, quint64>>>& rules) {
    for (FlowTablePane* p : panes()) {
        p->setTouched(rules.value(p->node() + QLatin1Char('/') + p->bridge()));
    }
}

void FlowTablesDock::sync() {
    // The bridges the lab has now, in node order then bridge order.
    QList<QPair<QString, QString>> wanted;
    for (engine::Node* node : m_document->cloud().lab().nodes()) {
        for (engine::OvsBridge* br : node->ovsBridges()) {
            wanted.push_back({QString::fromStdString(node->name()), QString::fromStdString(br->name())});
        }
    }
    // Remove tabs of bridges that went.
    for (FlowTablePane* p : panes()) {
        if (!wanted.contains(QPair<QString, QString>(p->node(), p->bridge()))) {
            m_tabs->removeTab(m_tabs->indexOf(p));
            p->deleteLater();
        }
    }
    // Insert new ones at their place.
    for (int i = 0; i < wanted.size(); ++i) {
        const auto& [node, bridge] = wanted[i];
        FlowTablePane* p = pane(node, bridge);
        if (!p) {
            p = new FlowTablePane(m_document, node, bridge);
            m_tabs->insertTab(i, p, tabTitle(node, bridge));
        } else if (m_tabs->indexOf(p) != i) {
            m_tabs->tabBar()->moveTab(m_tabs->indexOf(p), i);
        }
    }
}

}  // namespace nlab::app
