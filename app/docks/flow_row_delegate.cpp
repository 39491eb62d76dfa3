#include "app/docks/flow_row_delegate.h"

#include <algorithm>

#include "model/qt/roles.h"

namespace nlab::app {

using model::Role;
using model::roleId;

FlowRowDelegate::FlowRowDelegate(std::function<engine::SimTime()> now, engine::SimDuration flash,
                                 QObject* parent)
    : QStyledItemDelegate(parent), m_now(std::move(now)), m_flash(std::max<engine::SimDuration>(flash, 1)) {}

QColor FlowRowDelegate::flashColor(engine::SimDuration age) const {
    if (age < 0 || age >= m_flash) return {};
    const double left = 1.0 - double(age) / double(m_flash);  // 1 when new, 0 when cooled
    QColor c(255, 214, 10);                                    // a warm yellow
    c.setAlphaF(float(0.25 + 0.6 * left));
    return c;
}

void FlowRowDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    const QModelIndex first = index.siblingAtColumn(0);
    const int table = first.data(roleId(Role::TableId)).toInt();
    const quint64 flowId = first.data(roleId(Role::FlowId)).toULongLong();
    if (m_touched.contains(touchKey(table, flowId))) {
        option->backgroundBrush = QColor(255, 140, 0, 150);  // the frame went through here
        option->font.setBold(true);
    } else if (first.data(roleId(Role::JustAdded)).toBool()) {
        const engine::SimTime added = first.data(roleId(Role::AddedAt)).toLongLong();
        const QColor c = flashColor(m_now ? m_now() - added : 0);
        if (c.isValid()) option->backgroundBrush = c;
    } else if (first.data(roleId(Role::Learned)).toBool()) {
        option->backgroundBrush = QColor(255, 214, 10, 45);  // learned, settled
    }
    const double left = first.data(roleId(Role::Expiring)).toDouble();
    if (left < 0.25) {
        // Fade over the last quarter of the timeout: from full text to a light grey.
        QColor text = option->palette.color(QPalette::Text);
        text.setAlphaF(float(0.3 + 0.7 * std::clamp(left / 0.25, 0.0, 1.0)));
        option->palette.setColor(QPalette::Text, text);
        option->palette.setColor(QPalette::HighlightedText, text);
        option->font.setItalic(true);
    }
}

}  // namespace nlab::app
