#include "app/docks/event_list_dock.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "engine/lab/lab.h"
#include "model/qt/event_filter_proxy_model.h"
#include "model/qt/event_list_model.h"
#include "model/qt/lab_document.h"
#include "model/qt/roles.h"

namespace nlab::app {

using model::EventListModel;
using model::FrameProtocol;

EventListDock::EventListDock(model::LabDocument* document, QWidget* parent)
    : QDockWidget(tr("Events"), parent),
      m_document(document),
      m_model(new EventListModel(&document->eventLog(), this)),
      m_proxy(new model::EventFilterProxyModel(this)),
      m_view(new QTableView),
      m_node(new QComboBox),
      m_hopsOnly(new QCheckBox(tr("Hops only"))) {
    setObjectName(QStringLiteral("eventListDock"));
    m_proxy->setSourceModel(m_model);

    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    auto* bar = new QHBoxLayout;
    bar->setSpacing(4);
    bar->addWidget(new QLabel(tr("Show:")));
    const QList<QPair<FrameProtocol, QString>> protocols = {
        {FrameProtocol::Arp, tr("ARP")},        {FrameProtocol::Icmp, tr("ICMP")},
        {FrameProtocol::Dhcp, tr("DHCP")},      {FrameProtocol::Gre, tr("GRE/VXLAN")},
        {FrameProtocol::Other, tr("Other")},
    };
    for (const auto& [protocol, text] : protocols) {
        auto* b = new QToolButton;
        b->setText(text);
        b->setCheckable(true);
        b->setChecked(true);
        b->setAutoRaise(true);
        b->setToolTip(tr("Show or hide %1 events").arg(text));
        const FrameProtocol p = protocol;
        connect(b, &QToolButton::toggled, this, [this, p](bool on) { m_proxy->setProtocolEnabled(p, on); });
        m_protocolButtons.insert(int(protocol), b);
        bar->addWidget(b);
    }
    bar->addSpacing(8);
    bar->addWidget(new QLabel(tr("Node:")));
    m_node->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_node, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setNodeFilter(m_node->currentData().toString()); });
    bar->addWidget(m_node);
    bar->addWidget(m_hopsOnly);
    connect(m_hopsOnly, &QCheckBox::toggled, m_proxy, &model::EventFilterProxyModel::setHopsOnly);
    bar->addStretch(1);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    setWidget(body);

    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView* header = m_view->horizontalHeader();
    const int digit = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const int widths[EventListModel::ColumnCount] = {6, 11, 8, 8, 15, 10, 7, 60};
    for (int c = 0; c < EventListModel::ColumnCount; ++c) header->resizeSection(c, widths[c] * digit + 14);
    header->setStretchLastSection(true);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventListDock::onCurrentChanged);
    // Follow the tail while the view is scrolled to the bottom.
    QScrollBar* vbar = m_view->verticalScrollBar();
    connect(vbar, &QScrollBar::valueChanged, this,
            [this, vbar](int value) { m_follow = value >= vbar->maximum() - 2; });
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow && m_view->selectionModel()->selectedRows().isEmpty()) m_view->scrollToBottom();
    });
    syncNodes();
}

void EventListDock::syncNodes() {
    const QString current = m_node->currentData().toString();
    const QSignalBlocker block(m_node);
    m_node->clear();
    m_node->addItem(tr("All nodes"), QString());
    for (engine::Node* n : m_document->cloud().lab().nodes()) {
        const QString name = QString::fromStdString(n->name());
        m_node->addItem(name, name);
    }
    const int i = m_node->findData(current);
    m_node->setCurrentIndex(i < 0 ? 0 : i);
    m_proxy->setNodeFilter(m_node->currentData().toString());
}

void EventListDock::selectSequence(quint64 seq) {
    const int row = m_model->rowOf(seq);
    if (row < 0) return;
    const QModelIndex idx = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!idx.isValid()) return;
    m_selecting = true;
    m_view->selectionModel()->setCurrentIndex(
        idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(idx, QAbstractItemView::EnsureVisible);
    m_selecting = false;
}

quint64 EventListDock::selectedSequence() const {
    const QModelIndex idx = m_view->selectionModel()->currentIndex();
    if (!idx.isValid()) return 0;
    return idx.siblingAtColumn(0).data(model::roleId(model::Role::Sequence)).toULongLong();
}

void EventListDock::onCurrentChanged() {
    if (m_selecting) return;
    const quint64 seq = selectedSequence();
    if (seq != 0) emit eventSelected(seq);
}

}  // namespace nlab::app
