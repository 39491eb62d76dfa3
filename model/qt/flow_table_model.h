#pragma once
// FlowTableModel: the OpenFlow rules of one OVS bridge of one node, live.
//
// What
//   One row per rule of every table of the bridge, in `ovs-ofctl dump-flows` order (table,
//   then priority highest first, then insertion order), with the columns the flow-table dock
//   shows: table, priority, match, actions, n_packets, n_bytes, duration, idle and hard
//   timeouts with the time left, and whether a learn action installed the rule. Roles tell
//   the delegate to flash a rule that just appeared (Role::JustAdded) and to fade one that is
//   running out of time (Role::Expiring, the remaining fraction of its timeout).
//
// Design
//   - The model keeps value snapshots of the rules (texts formatted when a rule appears or is
//     modified, not on every tick) and resynchronises
//     with the engine's tables after each batch of engine events (EventLog::recordsAppended),
//     each tick of virtual time (LabDocument::timeAdvanced) and each topology change. The
//     resync merges the sorted old and new row lists by (table, priority, id), so rules that
//     come and go become rowsInserted/rowsRemoved and changed counters dataChanged — never a
//     reset, which would lose the view's selection and scroll position. Only labReset() or
//     setBridge() resets the model.
//   - A rule's identity is (table, id): a learn refresh keeps the row (counters and timers
//     update); a replacing add-flow is a new rule, hence a new row.
//   - Time-dependent cells (duration, time left, JustAdded, Expiring) change with every tick:
//     one dataChanged() over the whole table per tick that moved the clock.
//   - A bridge that does not exist (yet, or any more) is an empty table.
//
// Invariants
//   Rows are sorted by (table, descending priority, id) and unique by (table, id).

#include "engine/core/sim_clock.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QString>

#include <cstdint>
#include <vector>

namespace nlab::engine {
class OvsBridge;
struct FlowEntry;
}  // namespace nlab::engine

namespace nlab::model {

class LabDocument;

class FlowTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column : int {
        TableColumn,
        PriorityColumn,
        MatchColumn,
        ActionsColumn,
        PacketsColumn,
        BytesColumn,
        DurationColumn,
        IdleTimeoutColumn,
        HardTimeoutColumn,
        LearnedColumn,
        ColumnCount
    };

    /// Rules of bridge 'bridge' ("br-tun") on node 'node' ("compute") of 'document', which
    /// must outlive the model.
    FlowTableModel(LabDocument* document, const QString& node, const QString& bridge,
                   QObject* parent = nullptr);

    QString node() const { return m_node; }
    QString bridge() const { return m_bridge; }
    /// Shows another bridge (resets the model).
    void setBridge(const QString& node, const QString& bridge);
    /// Whether the bridge exists in the current lab.
    bool bridgeExists() const;

    /// How long (virtual time) a new rule reports Role::JustAdded (default 2 s).
    void setFlashDuration(engine::SimDuration duration) { m_flashDuration = duration; }
    engine::SimDuration flashDuration() const { return m_flashDuration; }

    /// The row of rule 'flowId' of table 'table' (column 0), or an invalid index: lets views
    /// highlight the rules an event (EventRecord::table/flowId) touched.
    QModelIndex indexOfFlow(int table, quint64 flowId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

public slots:
    /// Resynchronises with the engine (see the essay); emits row and data changes.
    void refresh();
    /// Rebuilds from scratch (model reset).
    void reload();

private:
    struct Row {
        std::uint8_t table = 0;
        std::uint16_t priority = 0;
        std::uint64_t id = 0;
        QString match;
        QString actions;
        QString text;  // --no-stats line (without counters)
        std::uint64_t packets = 0;
        std::uint64_t bytes = 0;
        engine::SimTime created = 0;
        engine::SimTime modified = 0;
        engine::SimTime used = 0;
        std::uint16_t idleTimeout = 0;
        std::uint16_t hardTimeout = 0;
        bool learned = false;
        engine::SimTime addedAt = 0;               // when the row appeared in this model
        const engine::FlowEntry* entry = nullptr;  // during refresh() only; null in m_rows
    };
    static void formatTexts(Row& row);
    engine::OvsBridge* findBridge() const;
    std::vector<Row> snapshot(engine::SimTime addedAt) const;
    double remainingSeconds(const Row& row) const;
    double expiringFraction(const Row& row) const;
    QVariant display(const Row& row, int column) const;
    QVariant sortValue(const Row& row, int column) const;

    QPointer<LabDocument> m_document;
    QString m_node;
    QString m_bridge;
    std::vector<Row> m_rows;
    engine::SimTime m_lastRefresh = -1;
    engine::SimDuration m_flashDuration = 2 * engine::kSecond;
};

}  // namespace nlab::model
