#pragma once
// FlowRowDelegate: paints a flow-table row the way the flow dock wants it read — a rule that
// just appeared (a learned entry) flashes and cools down, a rule running out of time fades,
// a rule the selected frame went through is highlighted.
//
// What
//   Reads the FlowTableModel roles of the row: Role::JustAdded and Role::AddedAt (flash,
//   strongest when the rule appears, gone after the model's flash duration), Role::Expiring
//   (the remaining fraction of the timeout: text fades over the last quarter) and
//   Role::FlowId/Role::TableId (compared with the set of touched rules the pane holds).
//
// Design
//   A QStyledItemDelegate that changes the style option's background brush and text colour
//   and lets the base class paint; no custom geometry. Time comes from a function the pane
//   gives (the document's virtual time), so the flash follows the lab, not the wall clock.

#include <functional>

#include <QSet>
#include <QStyledItemDelegate>

#include "engine/core/sim_clock.h"

namespace nlab::app {

class FlowRowDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    /// 'now' gives the lab's virtual time; 'flash' how long (virtual ns) a new rule flashes.
    FlowRowDelegate(std::function<engine::SimTime()> now, engine::SimDuration flash,
                    QObject* parent = nullptr);

    /// Rules to highlight, as (table << 56 | flowId) keys (see touchKey()).
    void setTouched(const QSet<quint64>& keys) { m_touched = keys; }
    const QSet<quint64>& touched() const { return m_touched; }
    static quint64 touchKey(int table, quint64 flowId) {
        return (quint64(quint8(table)) << 56) | (flowId & ((quint64(1) << 56) - 1));
    }

    /// The background of a row that appeared 'age' ns ago (invalid colour when none).
    QColor flashColor(engine::SimDuration age) const;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

private:
    std::function<engine::SimTime()> m_now;
    engine::SimDuration m_flash;
    QSet<quint64> m_touched;
};

}  // namespace nlab::app
