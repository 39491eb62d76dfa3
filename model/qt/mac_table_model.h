#pragma once
// MacTableModel: the MAC learning table of one bridge of one node — an OVS bridge's NORMAL
// table (`ovs-appctl fdb/show`) or a Linux bridge's FDB (`brctl showmacs`).
//
// What
//   One row per entry: port number and name, VLAN (OVS; 0 for Linux bridges), MAC, age in
//   seconds since the MAC was last seen, and whether it is the port's own (local, Linux
//   bridges only). Rows are sorted by (VLAN, MAC).
//
// Design
//   As FlowTableModel: value snapshots resynchronised with the engine after each batch of
//   engine events, each tick and each topology change, merged by key (VLAN, MAC) into
//   inserts, removals and dataChanged — a reset only on labReset() or setBridge(). Ages
//   change with every tick: one dataChanged() over the age column. The bridge is looked up
//   by name on the node, OVS first, then Linux bridges; none gives an empty table.
//
// Invariants
//   Rows are sorted by (VLAN, MAC) and unique by it.

#include "engine/core/sim_clock.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <vector>

namespace nlab::model {

class LabDocument;

class MacTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column : int {
        PortColumn,
        PortNameColumn,
        VlanColumn,
        MacColumn,
        AgeColumn,
        LocalColumn,
        ColumnCount
    };

    /// The MAC table of bridge 'bridge' on node 'node' of 'document' (which must outlive it).
    MacTableModel(LabDocument* document, const QString& node, const QString& bridge,
                  QObject* parent = nullptr);

    QString node() const { return m_node; }
    QString bridge() const { return m_bridge; }
    /// Shows another bridge (resets the model).
    void setBridge(const QString& node, const QString& bridge);
    /// Whether the bridge is a Linux bridge (false: OVS or missing).
    bool isLinuxBridge() const { return m_linux; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

public slots:
    /// Resynchronises with the engine (inserts, removals, dataChanged).
    void refresh();
    /// Rebuilds from scratch (model reset).
    void reload();

private:
    struct Row {
        std::uint16_t vlan = 0;
        std::uint64_t mac = 0;
        std::uint32_t portNo = 0;
        QString portName;
        engine::SimTime seen = 0;  // last seen (0 for local entries)
        bool local = false;
    };
    std::vector<Row> snapshot();
    double ageSeconds(const Row& row) const;

    QPointer<LabDocument> m_document;
    QString m_node;
    QString m_bridge;
    bool m_linux = false;
    std::vector<Row> m_rows;
    engine::SimTime m_lastRefresh = -1;
};

}  // namespace nlab::model
