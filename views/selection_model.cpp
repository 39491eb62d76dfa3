#include "views/selection_model.h"

namespace nlab::views {

SelectionModel::SelectionModel(QObject* parent) : QObject(parent) {}

void SelectionModel::select(const QString& kind, const QString& id) {
    SelectionRef next{kind, kind.isEmpty() ? QString() : id};
    if (next == m_current) return;
    m_current = next;
    emit selectionChanged(m_current);
}

void SelectionModel::clear() { select(QString(), QString()); }

QString SelectionModel::physicalId(const QString& node, const QString& name) {
    return node + QLatin1Char('/') + name;
}

std::pair<QString, QString> SelectionModel::splitPhysicalId(const QString& id) {
    const qsizetype slash = id.indexOf(QLatin1Char('/'));
    if (slash < 0) return {id, QString()};
    return {id.left(slash), id.mid(slash + 1)};
}

}  // namespace nlab::views
