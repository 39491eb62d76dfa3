#pragma once
// FlowTablesDock: the OpenFlow tables of every OVS bridge of every node, one tab each
// ("compute: br-tun"), live.
//
// What
//   Each tab (a FlowTablePane) shows a FlowTableModel through a QSortFilterProxyModel: a
//   filter field (matches any column, plain text), sorting by any column (numbers sort as
//   numbers through Role::Sort; unsorted is dump-flows order), and a FlowRowDelegate that
//   flashes rules just added and fades expiring ones. Counters, durations and time left
//   change as the lab runs (the model updates itself).
//
// Design
//   Tabs follow the lab: sync() (on reset and topology changes) adds a tab for each new
//   bridge and removes tabs of bridges that went, keeping the others (and their filter,
//   sort and scroll position). The touched rules (the flows a selected frame went through)
//   are set per node and bridge and repaint the pane.

#include <QDockWidget>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace nlab::model {
class FlowTableModel;
class LabDocument;
}  // namespace nlab::model

namespace nlab::app {

class FlowRowDelegate;

/// One bridge's table: filter field, table view, proxy, delegate.
class FlowTablePane : public QWidget {
    Q_OBJECT
public:
    FlowTablePane(model::LabDocument* document, const QString& node, const QString& bridge,
                  QWidget* parent = nullptr);

    QString node() const;
    QString bridge() const;
    model::FlowTableModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* view() const { return m_view; }
    QLineEdit* filterEdit() const { return m_filter; }
    FlowRowDelegate* delegate() const { return m_delegate; }
    /// Highlights rules (table, flowId) and scrolls to the first; empty clears.
    void setTouched(const QList<QPair<int, quint64>>& rules);

private:
    model::FlowTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QLineEdit* m_filter;
    QLabel* m_count;
    FlowRowDelegate* m_delegate;
};

class FlowTablesDock : public QDockWidget {
    Q_OBJECT
public:
    explicit FlowTablesDock(model::LabDocument* document, QWidget* parent = nullptr);

    /// The tab title of a bridge: "compute: br-tun".
    static QString tabTitle(const QString& node, const QString& bridge);
    /// The pane of a bridge (null when there is none).
    FlowTablePane* pane(const QString& node, const QString& bridge) const;
    QList<FlowTablePane*> panes() const;
    QTabWidget* tabs() const { return m_tabs; }
    /// Makes the pane of a bridge the current tab; false when there is none.
    bool showBridge(const QString& node, const QString& bridge);
    /// Highlights the rules a frame touched, per "node/bridge" key; others are cleared.
    void setTouched(const QHash<QString, QList<QPair<int, quint64>>>& rules);

public slots:
    /// Adds and removes tabs to match the lab's OVS bridges.
    void sync();

private:
    model::LabDocument* m_document;
    QTabWidget* m_tabs;
};

}  // namespace nlab::app
