#pragma once
// MacTablesDock: the MAC learning tables of the bridges that learn — OVS bridges whose
// rules use the NORMAL action (br-int, br-ex: `ovs-appctl fdb/show`) and Linux bridges
// (qbr..., virbr0: `brctl showmacs`) — one tab per bridge ("compute: qbr8cbe7bb6-18").
//
// Design
//   As FlowTablesDock: a MacTableModel behind a sorting proxy per tab; sync() adds and
//   removes tabs as bridges come and go, keeping the others.

#include <QDockWidget>
#include <QList>
#include <QString>
#include <QWidget>

class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace nlab::engine {
class OvsBridge;
}

namespace nlab::model {
class LabDocument;
class MacTableModel;
}  // namespace nlab::model

namespace nlab::app {

class MacTablePane : public QWidget {
    Q_OBJECT
public:
    MacTablePane(model::LabDocument* document, const QString& node, const QString& bridge,
                 QWidget* parent = nullptr);
    QString node() const;
    QString bridge() const;
    model::MacTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }

private:
    model::MacTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
};

class MacTablesDock : public QDockWidget {
    Q_OBJECT
public:
    explicit MacTablesDock(model::LabDocument* document, QWidget* parent = nullptr);

    MacTablePane* pane(const QString& node, const QString& bridge) const;
    QList<MacTablePane*> panes() const;
    QTabWidget* tabs() const { return m_tabs; }
    bool showBridge(const QString& node, const QString& bridge);
    /// Whether an OVS bridge learns MACs: one of its rules uses the NORMAL action.
    static bool usesNormal(const engine::OvsBridge& bridge);

public slots:
    void sync();

private:
    model::LabDocument* m_document;
    QTabWidget* m_tabs;
};

}  // namespace nlab::app
