#pragma once
// Lab commands: the undoable tenant edits of the desktop app (QUndoCommand subclasses).
//
// What
//   One command per edit the EditController offers: create a network (with its first
//   subnet), a subnet, a router, a router interface, a router gateway, boot an instance,
//   attach an instance to another network; delete an instance, router, network, subnet,
//   router interface, gateway or floating IP; rename a network, subnet or router; update a
//   subnet (DHCP on/off, DNS servers). redo() runs the Cloud operation through
//   LabDocument::edit(); undo() runs its inverse, also through edit(), so the document is
//   marked modified and the agents realise each step.
//
// Design
//   - Pinning makes undo/redo exact. A creating command records every value the Cloud
//     generated the first time it ran (ids, MACs, IPs, tunnel ids, the tenant id) and pins
//     them on every later redo; a deleting command snapshots what it deletes (an instance
//     with its ports' ids/MACs/IPs and its floating IPs, a network with its subnets and its
//     DHCP port) and re-creates it with those pins on undo. After undo, model::saveLab() of
//     the lab is what it was before the command.
//   - The first run happens in execute(), before the command is pushed: a failed edit
//     changes nothing and is never pushed. QUndoStack::push() then calls redo(), which the
//     command skips once.
//   - A later redo()/undo() should not fail (the lab is back in the state the command saw);
//     if it does (the lab was changed behind the stack's back, e.g. from the console), the
//     failure handler hears the Cloud's message and the command leaves the lab as the Cloud
//     left it.
//
// Invariants
//   Commands change the lab only inside LabDocument::edit().

#include "engine/core/result.h"
#include "model/cloud.h"
#include "model/tenant.h"

#include <QString>
#include <QStringList>
#include <QUndoCommand>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nlab::model {
class LabDocument;
}

namespace nlab::views {

/// Base of every tenant edit: execute() once, then redo()/undo() through the document.
class LabCommand : public QUndoCommand {
public:
    LabCommand(model::LabDocument& document, const QString& text);

    /// Runs the edit for the first time. Returns false, with the Cloud's message in '*error',
    /// when the Cloud refuses it (nothing changed then: push nothing). The next redo() (the
    /// one QUndoStack::push() makes) is skipped.
    bool execute(QString* error = nullptr);
    void redo() override;
    void undo() override;

    /// Called with the Cloud's message when a later redo()/undo() fails.
    void setFailureHandler(std::function<void(const QString&)> handler);

protected:
    /// The edit; 'first' on the execute() run (record generated values then).
    virtual engine::Status apply(model::Cloud& cloud, bool first) = 0;
    /// Its inverse.
    virtual engine::Status revert(model::Cloud& cloud) = 0;

private:
    void report(const engine::Status& status);

    model::LabDocument& m_document;
    bool m_skipRedo = false;
    std::string m_tenantBefore;  ///< The tenant id before the first run ("" : none yet).
    std::string m_tenantAfter;   ///< The tenant id the first run left.
    std::function<void(const QString&)> m_onFailure;
};

/// A subnet as the subnet dialog describes it.
struct SubnetSpec {
    QString name;
    QString cidr;     ///< "10.10.10.0/24".
    QString gateway;  ///< "" : the first host address.
    bool noGateway = false;
    bool enableDhcp = true;
    QString poolStart, poolEnd;  ///< Both "" : the default pool.
    QStringList dnsNameservers;
};

/// Converts a SubnetSpec into a Cloud request for 'network'. Returns false with a message
/// when an address is not an IPv4 address.
bool toSubnetRequest(const SubnetSpec& spec, const std::string& network,
                     model::SubnetRequest* request, QString* error);

/// `neutron net-create` (+ `subnet-create` when 'subnet' is given).
class CreateNetworkCommand : public LabCommand {
public:
    CreateNetworkCommand(model::LabDocument& document, model::NetworkRequest network,
                         std::optional<model::SubnetRequest> subnet);
    /// The network's id (after execute()).
    const std::string& networkId() const { return m_network.id; }

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    model::NetworkRequest m_network;
    std::optional<model::SubnetRequest> m_subnet;
};

/// `neutron subnet-create NET CIDR` on an existing network.
class CreateSubnetCommand : public LabCommand {
public:
    CreateSubnetCommand(model::LabDocument& document, model::SubnetRequest subnet);
    const std::string& subnetId() const { return m_subnet.id; }

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    model::SubnetRequest m_subnet;
};

/// `neutron router-create NAME`.
class CreateRouterCommand : public LabCommand {
public:
    CreateRouterCommand(model::LabDocument& document, model::RouterRequest router);
    const std::string& routerId() const { return m_router.id; }

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    model::RouterRequest m_router;
};

/// `neutron router-interface-add ROUTER SUBNET`.
class AddRouterInterfaceCommand : public LabCommand {
public:
    AddRouterInterfaceCommand(model::LabDocument& document, std::string routerId,
                              std::string subnetId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    std::string m_router;
    std::string m_subnet;
    model::PortPin m_pin;
};

/// `neutron router-interface-delete ROUTER SUBNET` (undo adds it back with the same port).
class RemoveRouterInterfaceCommand : public LabCommand {
public:
    RemoveRouterInterfaceCommand(model::LabDocument& document, std::string routerId,
                                 std::string subnetId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    std::string m_router;
    std::string m_subnet;
    model::PortPin m_pin;
};

/// `neutron router-gateway-set ROUTER EXTNET` ('network' empty: `router-gateway-clear`).
class SetRouterGatewayCommand : public LabCommand {
public:
    SetRouterGatewayCommand(model::LabDocument& document, std::string routerId,
                            std::string networkId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    /// A router's gateway: its network and the pinned qg- port ("" network: none).
    struct Gateway {
        std::string network;
        model::PortPin pin;
    };
    static Gateway gatewayOf(const model::TenantState& state, const std::string& routerId);
    static engine::Status setGateway(model::Cloud& cloud, const std::string& routerId,
                                     const Gateway& gateway);

    std::string m_router;
    Gateway m_before;
    Gateway m_after;
};

/// What deleting an instance loses: the instance, its ports and its floating IPs.
struct InstanceSnapshot {
    model::Instance instance;
    std::vector<model::Port> ports;              ///< In NIC order.
    std::vector<model::FloatingIp> floatingIps;  ///< Associated with its ports.
};

/// `nova boot --nic net-id=... NAME`.
class BootInstanceCommand : public LabCommand {
public:
    BootInstanceCommand(model::LabDocument& document, model::InstanceRequest request);
    const std::string& instanceId() const { return m_request.id; }

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    model::InstanceRequest m_request;
};

/// Attaches an instance to one more network: the instance comes back (rebooted) with a new
/// NIC, as `nova interface-attach` + reboot; undo takes it back to its former NICs.
class AttachInstanceCommand : public LabCommand {
public:
    AttachInstanceCommand(model::LabDocument& document, std::string instanceId,
                          std::string networkId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    std::string m_instance;
    std::string m_network;
    InstanceSnapshot m_before;
    model::PortPin m_newPort;
};

/// `nova delete`: undo boots it again with the same id, host, ports, MACs and IPs.
class DeleteInstanceCommand : public LabCommand {
public:
    DeleteInstanceCommand(model::LabDocument& document, std::string instanceId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    std::string m_instance;
    InstanceSnapshot m_snapshot;
};

/// `neutron router-delete` (a router without interfaces; its gateway goes with it).
class DeleteRouterCommand : public LabCommand {
public:
    DeleteRouterCommand(model::LabDocument& document, std::string routerId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    std::string m_router;
    model::Router m_snapshot;
    std::string m_gatewayNetwork;
    model::PortPin m_gatewayPin;
};

/// `neutron net-delete` (a network without ports but the DHCP agent's); undo re-creates it
/// with its subnets and DHCP port.
class DeleteNetworkCommand : public LabCommand {
public:
    DeleteNetworkCommand(model::LabDocument& document, std::string networkId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    std::string m_network;
    model::NetworkRequest m_request;
    std::vector<model::SubnetRequest> m_subnets;  ///< In the order they must be re-created.
};

/// `neutron subnet-delete`.
class DeleteSubnetCommand : public LabCommand {
public:
    DeleteSubnetCommand(model::LabDocument& document, std::string subnetId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    std::string m_subnet;
    model::SubnetRequest m_request;
};

/// `neutron floatingip-delete`.
class DeleteFloatingIpCommand : public LabCommand {
public:
    DeleteFloatingIpCommand(model::LabDocument& document, std::string floatingIpId);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    std::string m_floatingIp;
    model::FloatingIpRequest m_request;
};

/// `neutron net-update/router-update/subnet-update --name`.
class RenameCommand : public LabCommand {
public:
    /// 'kind': "network", "router" or "subnet".
    RenameCommand(model::LabDocument& document, QString kind, std::string id, std::string newName);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    engine::Status rename(model::Cloud& cloud, const std::string& name);

    QString m_kind;
    std::string m_id;
    std::string m_old;
    std::string m_new;
};

/// `neutron subnet-update` of DHCP on/off and DNS servers.
class UpdateSubnetCommand : public LabCommand {
public:
    UpdateSubnetCommand(model::LabDocument& document, std::string subnetId,
                        model::SubnetUpdate update);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    /// The DHCP port's pins on the subnet (id/MAC only when it is the port's only address).
    static model::PortPin dhcpPinOf(const model::TenantState& state, const std::string& subnetId);

    std::string m_subnet;
    model::SubnetUpdate m_update;
    model::SubnetUpdate m_inverse;
};

/// Adds a host. The engine cannot remove a node, so this edit is not undoable: it marks
/// itself obsolete and QUndoStack drops it after it ran.
class AddHostCommand : public LabCommand {
public:
    AddHostCommand(model::LabDocument& document, model::Host host);

protected:
    engine::Status apply(model::Cloud& cloud, bool first) override;
    engine::Status revert(model::Cloud& cloud) override;

private:
    model::Host m_host;
};

// Helpers shared with the controller.
/// Snapshot of an instance (empty instance id when unknown).
InstanceSnapshot snapshotInstance(const model::TenantState& state, const std::string& instanceId);
/// The pins of a port (id, MAC, first IP and its subnet, name).
model::PortPin pinOf(const model::Port& port);

}  // namespace nlab::views
