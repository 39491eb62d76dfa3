#pragma once
// EventListModel: the EventLog as a table, Packet Tracer's event list.
//
// What
//   One row per record of an EventLog, oldest first: sequence number, virtual time, node,
//   device, port, what happened, protocol and a one-line description (the frame's summary,
//   the rule's text, the MAC and VLAN, the drop reason). Roles give the sequence number,
//   time, kind, protocol, node and packet id, for the packet-detail and trace docks, the
//   Player and EventFilterProxyModel.
//
// Design
//   The model mirrors the log's window [firstSeq, lastSeq] as announced by the log's
//   batched signals: recordsDropped() becomes rowsRemoved at the top, recordsAppended()
//   rowsInserted at the bottom, cleared() a reset. Row r is record seq m_first + r, so data()
//   is O(1) and nothing is copied.
//
// Invariants
//   rowCount() equals the number of records announced and not yet announced as dropped.

#include "model/qt/event_log.h"

#include <QAbstractTableModel>
#include <QPointer>

#include <cstdint>

namespace nlab::model {

class EventListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column : int {
        SequenceColumn,
        TimeColumn,
        NodeColumn,
        DeviceColumn,
        PortColumn,
        KindColumn,
        ProtocolColumn,
        InfoColumn,
        ColumnCount
    };

    /// Rows of 'log' (which must outlive the model).
    explicit EventListModel(EventLog* log, QObject* parent = nullptr);

    /// The record shown in 'row' (nullptr if out of range).
    const EventRecord* record(int row) const;
    /// The row of record 'seq' (-1 when it is not shown).
    int rowOf(quint64 seq) const;

    /// Translated name of an event kind ("Received", "Flow hit", ...).
    static QString kindText(EventKind kind);
    /// Description of a record (the Info column).
    static QString infoText(const EventRecord& record);
    /// Virtual time as the Time column shows it: seconds with microseconds, "12.345678".
    static QString timeText(engine::SimTime time);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void onDropped(quint64 firstKeptSeq);
    void onAppended(quint64 firstSeq, quint64 lastSeq);
    void onCleared();

    QPointer<EventLog> m_log;
    std::uint64_t m_first = 1;  // seq of row 0
    int m_count = 0;
};

}  // namespace nlab::model
