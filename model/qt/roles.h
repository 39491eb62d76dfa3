#pragma once
// Roles: the custom item-data roles of every item model in nlab::qtmodel, in one enum.
//
// What
//   Views ask the models of model/qt/ for more than display text: the kind and id of a tenant
//   object (selection sync, properties dock), whether a flow row was just added (flash) or is
//   running out of time (fade), the sequence number of an event (packet detail, player), the
//   protocol and node of an event (filters). Each such question is a role listed here, so two
//   models never give one number two meanings.
//
// Design
//   Roles start at Qt::UserRole + 1. A role a model does not support returns an invalid
//   QVariant. Kind enums that travel in roles (ObjectKind) are plain enum classes carried as
//   int, so a QSortFilterProxyModel can filter on them without custom comparators.

#include <QMetaType>
#include <QString>
#include <Qt>

namespace nlab::model {

/// Custom item-data roles (see the header essay).
enum class Role : int {
    // ---- Sorting (every model) ----
    Sort = Qt::UserRole + 1,  ///< A value that sorts correctly (numbers as numbers).

    // ---- TenantTreeModel ----
    Object,      ///< ObjectRef (kind + id) of the row's tenant object.
    ObjectKind,  ///< int(ObjectKind) of the row.
    ObjectId,    ///< QString id (group rows: the group's name, e.g. "networks").

    // ---- FlowTableModel ----
    JustAdded,         ///< bool: the rule appeared within FlowTableModel::flashDuration().
    AddedAt,           ///< qint64: virtual time (ns) the row appeared in the model.
    Expiring,          ///< double in [0, 1]: remaining fraction of the timeout that runs out
                       ///  first (1.0 when the rule has no timeout).
    RemainingSeconds,  ///< double: seconds until the rule expires (-1 when it never does).
    Learned,           ///< bool: installed or last refreshed by a learn action.
    FlowId,            ///< quint64: the rule's id in its table (unique per table).
    FlowText,          ///< QString: the rule as `ovs-ofctl --no-stats dump-flows` prints it.
    TableId,           ///< int: the rule's table.

    // ---- MacTableModel ----
    Mac,         ///< quint64: the MAC address (host order).
    AgeSeconds,  ///< double: seconds since the MAC was last seen (0 for local entries).

    // ---- EventListModel / EventLog ----
    Sequence,   ///< quint64: the record's sequence number in the EventLog.
    Time,       ///< qint64: virtual time (ns) of the record.
    EventKind,  ///< int(EventKind).
    Protocol,   ///< int(FrameProtocol).
    Node,       ///< QString: the node the event happened on ("" when unknown).
    PacketId,   ///< quint64: engine-wide packet id (0 when none).
};

/// As an int, for QAbstractItemModel::data().
constexpr int roleId(Role r) {
    return static_cast<int>(r);
}

/// The kinds of rows of the TenantTreeModel.
enum class ObjectKind : int {
    Group,  ///< A heading row ("Hosts", "Networks", ...); id = group key.
    Host,   ///< id = host name.
    Network,
    Subnet,
    Port,
    Router,
    Instance,
    FloatingIp,
};

/// A tenant object named by kind and id: what selection sync passes between views.
struct ObjectRef {
    ObjectKind kind = ObjectKind::Group;
    QString id;  ///< Neutron/Nova id; the host name for hosts; the group key for groups.
    bool operator==(const ObjectRef&) const = default;
    bool isValid() const { return !id.isEmpty(); }
};

}  // namespace nlab::model

Q_DECLARE_METATYPE(nlab::model::ObjectRef)
