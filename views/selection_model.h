#pragma once
// SelectionModel: the one object both graph views follow for "what is selected".
//
// What
//   Holds the selected object as a (kind, id) pair — a tenant object ("network", network
//   id), ("subnet", id), ("router", id), ("instance", id), ("port", id), or a physical one
//   ("host", node), ("device", "node/name"), ("bridge", "node/name"), ("namespace",
//   "node/ns") — and signals changes. The physical and logical scenes both set it when the
//   user selects an item and both highlight the counterparts of whatever it holds, so
//   selecting in one view selects in the other.
//
// Design
//   A QObject and nothing more (like QItemSelectionModel, but over the lab's objects rather
//   than a model's rows). Setting the same selection again emits nothing, which breaks the
//   loop view A -> model -> view B -> model.

#include <QObject>
#include <QString>

namespace nlab::views {

/// Selection kinds (the 'kind' of a SelectionRef).
namespace selkind {
inline const QString kNetwork = QStringLiteral("network");
inline const QString kSubnet = QStringLiteral("subnet");
inline const QString kRouter = QStringLiteral("router");
inline const QString kInstance = QStringLiteral("instance");
inline const QString kPort = QStringLiteral("port");
inline const QString kHost = QStringLiteral("host");
inline const QString kDevice = QStringLiteral("device");
inline const QString kBridge = QStringLiteral("bridge");
inline const QString kNamespace = QStringLiteral("namespace");
inline const QString kSegment = QStringLiteral("segment");
}  // namespace selkind

/// A selected object: kind (selkind::*) and id; both empty when nothing is selected.
struct SelectionRef {
    QString kind;
    QString id;

    bool isEmpty() const { return kind.isEmpty(); }
    bool operator==(const SelectionRef&) const = default;
};

class SelectionModel : public QObject {
    Q_OBJECT
public:
    explicit SelectionModel(QObject* parent = nullptr);

    /// The current selection (empty when none).
    SelectionRef current() const { return m_current; }
    /// Selects ('kind', 'id'); emits selectionChanged unless it is already selected.
    void select(const QString& kind, const QString& id);
    void select(const SelectionRef& ref) { select(ref.kind, ref.id); }
    /// Clears the selection (emits selectionChanged if something was selected).
    void clear();

    /// The id of a physical device or bridge: "node/name" ("compute/qvo8cbe7bb6-18").
    static QString physicalId(const QString& node, const QString& name);
    /// Splits a physical id into {node, name}; {id, ""} when it has no '/'.
    static std::pair<QString, QString> splitPhysicalId(const QString& id);

signals:
    void selectionChanged(const nlab::views::SelectionRef& current);

private:
    SelectionRef m_current;
};

}  // namespace nlab::views
