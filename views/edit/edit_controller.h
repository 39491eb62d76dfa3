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

#include "views/edit/lab_commands.h"
#include "views/selection_model.h"

#include <QList>
#include <QObject>
#include <QPoint>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QAction;
class QDialog;
class QGraphicsView;
class QMenu;
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
/// An existing object dragged inside a view (payload "instance:ID" or "router:ID").
inline constexpr const char* kObjectMimeType = "application/x-neutronlab-object";

/// The palette's items (the payload of kPaletteMimeType, UTF-8).
namespace paletteitem {
inline constexpr const char* kNetworkNode = "network-node";
inline constexpr const char* kComputeNode = "compute-node";
inline constexpr const char* kNetwork = "network";
inline constexpr const char* kRouter = "router";
inline constexpr const char* kInstance = "instance";
inline constexpr const char* kExternalNetwork = "external-network";
}  // namespace paletteitem

/// Where something is dropped: the tenant object under the cursor (network, router,
/// instance, port, subnet; empty over the background) and the host it lies in ("" when
/// none: the logical view, or outside every host frame).
struct DropTarget {
    SelectionRef object;
    QString host;
};

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
    bool addRouterInterface(const QString& router, const QString& network,
                            QString* error = nullptr);
    bool setRouterGateway(const QString& router, const QString& externalNetwork,
                          QString* error = nullptr);
    bool deleteObject(const QString& kind, const QString& id, QString* error = nullptr);

    // Added for the dialogs, the properties editor and the context menus (same rules).
    /// A network with its first subnet (no subnet when 'subnet.cidr' is empty); 'external':
    /// a flat external network on physnet1.
    bool addNetwork(const QString& name, const SubnetSpec& subnet, bool external,
                    QString* error = nullptr);
    /// One more subnet on 'network' (id or name).
    bool addSubnet(const QString& network, const SubnetSpec& subnet, QString* error = nullptr);
    /// Renames a network, subnet or router ('kind': selkind::*).
    bool renameObject(const QString& kind, const QString& id, const QString& name,
                      QString* error = nullptr);
    /// `neutron subnet-update`: DHCP on/off and/or DNS name servers (unset: kept).
    bool updateSubnet(const QString& subnet, std::optional<bool> enableDhcp,
                      std::optional<QStringList> dnsNameservers, QString* error = nullptr);
    bool clearRouterGateway(const QString& router, QString* error = nullptr);

    /// What dropping palette item 'item' (paletteitem::*) on 'target' does: a host, or a
    /// dialog (network/subnet, router name, instance) whose OK makes the edit. Returns
    /// whether an edit was made.
    bool dropPaletteItem(const QString& item, const DropTarget& target,
                         QWidget* dialogParent = nullptr);
    /// What dropping an existing object (an instance or router) on 'target' does: an
    /// instance onto a network attaches it; a router onto a network adds an interface (a
    /// gateway on an external network). Returns whether an edit was made.
    bool dropObject(const SelectionRef& object, const DropTarget& target);
    /// The drop target under 'pos' (viewport coordinates) of one of the attached views.
    DropTarget targetAt(QGraphicsView* view, const QPoint& pos) const;
    /// The edit actions for 'object' (empty: the background), parented to 'parent'; what the
    /// views' context menus show.
    QList<QAction*> contextActions(const SelectionRef& object, QObject* parent);
    /// Replaces how dialogs are run (default: exec() == QDialog::Accepted); tests fill the
    /// dialog and call accept() from here.
    void setDialogRunner(std::function<bool(QDialog&)> runner);
    /// The tenant object a selection stands for (a physical device -> its instance, router
    /// or network; tenant objects as they are; empty when none).
    SelectionRef tenantObjectFor(const SelectionRef& ref) const;

signals:
    /// An edit failed; the message is the Cloud's (for the status bar / a message box).
    void editFailed(const QString& message);
    /// A view's context menu is about to show for 'object' (empty: the background), with
    /// the edit entries in it; others (the app: Ping..., Capture...) may add theirs.
    void contextMenuAboutToShow(QMenu* menu, const nlab::views::SelectionRef& object);

protected:
    /// Drops, object drags and context menus on the views' viewports.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Impl;
    Impl* m_impl;
};

}  // namespace nlab::views
