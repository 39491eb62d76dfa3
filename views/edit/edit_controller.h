#pragma once
// EditController: everything that edits a lab from the desktop app — the palette, drag and
// drop onto the views, the properties editor, delete — each edit an undoable command.
//
// What
//   Owns the editing behaviour the main window installs: a palette widget (hosts, networks,
//   routers, instances, dragged as QMimeData of type kPaletteMimeType), drop handling on the
//   physical and logical views (drop a network: a subnet dialog; an instance onto a network:
//   attach it; a router onto a network / drag from a router to a network: add an interface),
//   a properties widget for the selected object (editable where the model allows: names,
//   DHCP on/off, gateway...), and a delete action. Every edit is a QUndoCommand pushed on the
//   given QUndoStack; its redo()/undo() go through LabDocument::edit(), so the document is
//   marked modified and the agents realise each step (undo deletes exactly what redo made).
//
// Invariants
//   The controller never edits the model directly: only through LabDocument::edit() inside
//   undo commands. A failed edit shows the Cloud's message and pushes nothing.

#include <QObject>
#include <QString>

class QAction;
class QUndoStack;
class QWidget;

namespace nlab::model {
class LabDocument;
}

namespace nlab::views {

class PhysicalView;
class LogicalView;
class SelectionModel;

inline constexpr const char* kPaletteMimeType = "application/x-neutronlab-palette-item";

class EditController : public QObject {
    Q_OBJECT
public:
    EditController(model::LabDocument& document, SelectionModel& selection, QUndoStack& undo,
                   QObject* parent = nullptr);
    ~EditController() override;

    /// Installs drop handling (and the views' edit context-menu entries) on both views.
    void attachTo(PhysicalView* physical, LogicalView* logical);
    /// The palette (parent takes ownership); for a dock.
    QWidget* createPalette(QWidget* parent);
    /// The properties editor of the current selection (parent takes ownership); for a dock.
    QWidget* createPropertiesEditor(QWidget* parent);
    /// Deletes the selected tenant object (instance, router, network, floating IP); shortcut Del.
    QAction* deleteAction() const;

    // Programmatic entry points (used by the drop handlers, dialogs and tests). Each pushes one
    // undoable command and returns false, with 'error' set, if the Cloud refuses the edit.
    bool addHost(const QString& role, QString* error = nullptr);
    bool addNetwork(const QString& name, const QString& cidr, QString* error = nullptr);
    bool addRouter(const QString& name, QString* error = nullptr);
    bool addInstance(const QString& name, const QString& host, const QString& network,
                     QString* error = nullptr);
    bool attachInstance(const QString& instance, const QString& network, QString* error = nullptr);
    bool addRouterInterface(const QString& router, const QString& network, QString* error = nullptr);
    bool setRouterGateway(const QString& router, const QString& externalNetwork,
                          QString* error = nullptr);
    bool deleteObject(const QString& kind, const QString& id, QString* error = nullptr);

signals:
    /// An edit failed; the message is the Cloud's (for the status bar / a message box).
    void editFailed(const QString& message);

private:
    struct Impl;
    Impl* m_impl;
};

}  // namespace nlab::views
