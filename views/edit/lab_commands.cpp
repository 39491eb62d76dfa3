#include "views/edit/lab_commands.h"

#include "model/qt/lab_document.h"

#include <QCoreApplication>

#include <algorithm>
#include <utility>

namespace nlab::views {

using engine::ErrorCode;
using engine::Status;
using model::Cloud;
using model::TenantState;

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("nlab::views::LabCommand", text);
}

Status notFound(const std::string& what) {
    return Status::fail(ErrorCode::NotFound, what + " could not be found");
}

template <typename T>
Status statusOf(const engine::Result<T>& r) {
    return r ? Status{} : Status(r.error());
}

/// True when the lab has no tenant object (the tenant id then means nothing yet).
bool noTenantObjects(const TenantState& s) {
    return s.networks.empty() && s.subnets.empty() && s.ports.empty() && s.routers.empty() &&
           s.floatingIps.empty() && s.instances.empty();
}

/// The network's DHCP port (the DHCP agent's), or null.
const model::Port* dhcpPortOfNetwork(const TenantState& state, const std::string& networkId) {
    for (const model::Port* p : state.portsOf(networkId)) {
        if (p->deviceOwner == model::owner::kDhcp)
            return p;
    }
    return nullptr;
}

std::optional<model::Ipv4Address> ipOn(const model::Port& port, const std::string& subnetId) {
    for (const model::FixedIp& f : port.fixedIps) {
        if (f.subnetId == subnetId)
            return f.ipAddress;
    }
    return std::nullopt;
}

/// A request re-creating 'subnet' with its values pinned; 'dhcp' the network's DHCP port
/// (null: none) and 'withPortIdentity' whether this subnet creates the port.
model::SubnetRequest subnetRequestOf(const model::Subnet& subnet, const model::Port* dhcp,
                                     bool withPortIdentity) {
    model::SubnetRequest r;
    r.network = subnet.networkId;
    r.cidr = subnet.cidr.toString();
    r.name = subnet.name;
    r.id = subnet.id;
    r.gatewayIp = subnet.gatewayIp;
    r.noGateway = !subnet.gatewayIp.has_value();
    r.allocationPools = subnet.allocationPools;
    r.enableDhcp = subnet.enableDhcp;
    r.dnsNameservers = subnet.dnsNameservers;
    if (dhcp) {
        r.dhcpPort.ip = ipOn(*dhcp, subnet.id);
        if (withPortIdentity) {
            r.dhcpPort.id = dhcp->id;
            r.dhcpPort.mac = dhcp->macAddress;
            r.dhcpPort.name = dhcp->name;
        }
    }
    return r;
}

/// Boots an instance again from its snapshot ('extra': one more NIC), then re-associates
/// its floating IPs.
Status bootFromSnapshot(Cloud& cloud, const InstanceSnapshot& snap,
                        const std::optional<model::NicRequest>& extra = std::nullopt) {
    model::InstanceRequest req;
    req.name = snap.instance.name;
    req.id = snap.instance.id;
    req.host = snap.instance.hostId;
    req.image = snap.instance.image;
    req.flavor = snap.instance.flavor;
    for (const model::Port& p : snap.ports) {
        model::NicRequest nic;
        nic.network = p.networkId;
        nic.port = pinOf(p);
        req.nics.push_back(std::move(nic));
    }
    if (extra)
        req.nics.push_back(*extra);
    if (auto r = cloud.bootInstance(req); !r)
        return r.error();
    for (const model::FloatingIp& f : snap.floatingIps) {
        if (Status s = cloud.associateFloatingIp(f.id, f.portId); !s)
            return s;
    }
    return {};
}

}  // namespace

// ---- helpers -----------------------------------------------------------------------

model::PortPin pinOf(const model::Port& port) {
    model::PortPin pin;
    pin.id = port.id;
    pin.mac = port.macAddress;
    pin.name = port.name;
    if (!port.fixedIps.empty()) {
        pin.ip = port.fixedIps.front().ipAddress;
        pin.subnet = port.fixedIps.front().subnetId;
    }
    return pin;
}

InstanceSnapshot snapshotInstance(const TenantState& state, const std::string& instanceId) {
    InstanceSnapshot snap;
    const model::Instance* inst = state.instance(instanceId);
    if (!inst)
        return snap;
    snap.instance = *inst;
    for (const std::string& pid : inst->portIds) {
        if (const model::Port* p = state.port(pid))
            snap.ports.push_back(*p);
        for (const auto& [fid, f] : state.floatingIps) {
            if (f.portId == pid)
                snap.floatingIps.push_back(f);
        }
    }
    return snap;
}

bool toSubnetRequest(const SubnetSpec& spec, const std::string& network,
                     model::SubnetRequest* request, QString* error) {
    auto address = [&](const QString& text, const QString& field,
                       std::optional<model::Ipv4Address>* out) {
        const QString t = text.trimmed();
        if (t.isEmpty())
            return true;
        auto a = model::Ipv4Address::parse(t.toStdString());
        if (!a) {
            if (error)
                *error = tr("%1: '%2' is not an IPv4 address").arg(field, t);
            return false;
        }
        *out = *a;
        return true;
    };
    model::SubnetRequest r;
    r.network = network;
    r.cidr = spec.cidr.trimmed().toStdString();
    r.name = spec.name.trimmed().toStdString();
    r.enableDhcp = spec.enableDhcp;
    r.noGateway = spec.noGateway;
    if (!spec.noGateway && !address(spec.gateway, tr("Gateway"), &r.gatewayIp))
        return false;
    std::optional<model::Ipv4Address> start, end;
    if (!address(spec.poolStart, tr("Allocation pool start"), &start))
        return false;
    if (!address(spec.poolEnd, tr("Allocation pool end"), &end))
        return false;
    if (start.has_value() != end.has_value()) {
        if (error)
            *error = tr("An allocation pool needs both a start and an end address");
        return false;
    }
    if (start)
        r.allocationPools.push_back({*start, *end});
    for (const QString& d : spec.dnsNameservers) {
        std::optional<model::Ipv4Address> a;
        if (!address(d, tr("DNS name server"), &a))
            return false;
        if (a)
            r.dnsNameservers.push_back(*a);
    }
    *request = std::move(r);
    return true;
}

// ---- LabCommand ----------------------------------------------------------------------

LabCommand::LabCommand(model::LabDocument& document, const QString& text)
    : QUndoCommand(text), m_document(document) {}

void LabCommand::setFailureHandler(std::function<void(const QString&)> handler) {
    m_onFailure = std::move(handler);
}

bool LabCommand::execute(QString* error) {
    m_tenantBefore = m_document.cloud().state().tenantId;
    const Status st = m_document.edit([&](Cloud& cloud) {
        Status s = apply(cloud, true);
        // A failed edit that created and rolled back a first object leaves no tenant id.
        if (!s && m_tenantBefore.empty() && noTenantObjects(cloud.state()))
            cloud.setTenantId({});
        return s;
    });
    if (!st) {
        if (error)
            *error = QString::fromStdString(st.error().message);
        return false;
    }
    m_tenantAfter = m_document.cloud().state().tenantId;
    m_skipRedo = true;
    return true;
}

void LabCommand::redo() {
    if (m_skipRedo) {
        m_skipRedo = false;
        return;
    }
    report(m_document.edit([&](Cloud& cloud) {
        if (cloud.state().tenantId.empty() && !m_tenantAfter.empty())
            cloud.setTenantId(m_tenantAfter);
        return apply(cloud, false);
    }));
}

void LabCommand::undo() {
    report(m_document.edit([&](Cloud& cloud) {
        Status s = revert(cloud);
        if (s && m_tenantBefore.empty() && noTenantObjects(cloud.state()))
            cloud.setTenantId({});
        return s;
    }));
}

void LabCommand::report(const Status& status) {
    if (!status && m_onFailure)
        m_onFailure(QString::fromStdString(status.error().message));
}

// ---- Creating ------------------------------------------------------------------------

CreateNetworkCommand::CreateNetworkCommand(model::LabDocument& document,
                                           model::NetworkRequest network,
                                           std::optional<model::SubnetRequest> subnet)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Create network %1")
                     .arg(QString::fromStdString(network.name))),
      m_network(std::move(network)),
      m_subnet(std::move(subnet)) {}

Status CreateNetworkCommand::apply(Cloud& cloud, bool first) {
    auto net = cloud.createNetwork(m_network);
    if (!net)
        return net.error();
    const std::string id = net.value()->id;
    if (first) {
        m_network.id = id;
        if (m_network.type != model::NetworkType::Flat) {
            m_network.segmentationId = net.value()->segmentationId;
        }
    }
    if (!m_subnet)
        return {};
    m_subnet->network = id;
    auto sub = cloud.createSubnet(*m_subnet);
    if (!sub) {
        (void)cloud.deleteNetwork(id);  // no port yet: cannot fail
        if (first)
            m_network.id.clear();
        return sub.error();
    }
    if (first) {
        m_subnet->id = sub.value()->id;
        if (const model::Port* dhcp = dhcpPortOfNetwork(cloud.state(), id)) {
            m_subnet->dhcpPort = pinOf(*dhcp);
        }
    }
    return {};
}

Status CreateNetworkCommand::revert(Cloud& cloud) {
    return cloud.deleteNetwork(m_network.id);
}

CreateSubnetCommand::CreateSubnetCommand(model::LabDocument& document, model::SubnetRequest subnet)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Create subnet %1")
                     .arg(QString::fromStdString(subnet.cidr))),
      m_subnet(std::move(subnet)) {}

Status CreateSubnetCommand::apply(Cloud& cloud, bool first) {
    const model::Network* net = cloud.state().network(m_subnet.network);
    const model::Port* before = net ? dhcpPortOfNetwork(cloud.state(), net->id) : nullptr;
    const bool hadDhcpPort = before != nullptr;
    auto sub = cloud.createSubnet(m_subnet);
    if (!sub)
        return sub.error();
    if (first) {
        m_subnet.id = sub.value()->id;
        m_subnet.network = sub.value()->networkId;
        if (const model::Port* dhcp = dhcpPortOfNetwork(cloud.state(), m_subnet.network)) {
            m_subnet.dhcpPort.ip = ipOn(*dhcp, m_subnet.id);
            if (!hadDhcpPort) {
                m_subnet.dhcpPort.id = dhcp->id;
                m_subnet.dhcpPort.mac = dhcp->macAddress;
            }
        }
    }
    return {};
}

Status CreateSubnetCommand::revert(Cloud& cloud) {
    return cloud.deleteSubnet(m_subnet.id);
}

CreateRouterCommand::CreateRouterCommand(model::LabDocument& document, model::RouterRequest router)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Create router %1")
                     .arg(QString::fromStdString(router.name))),
      m_router(std::move(router)) {}

Status CreateRouterCommand::apply(Cloud& cloud, bool first) {
    auto r = cloud.createRouter(m_router);
    if (!r)
        return r.error();
    if (first)
        m_router.id = r.value()->id;
    return {};
}

Status CreateRouterCommand::revert(Cloud& cloud) {
    return cloud.deleteRouter(m_router.id);
}

AddRouterInterfaceCommand::AddRouterInterfaceCommand(model::LabDocument& document,
                                                     std::string routerId, std::string subnetId)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Add router interface")),
      m_router(std::move(routerId)),
      m_subnet(std::move(subnetId)) {}

Status AddRouterInterfaceCommand::apply(Cloud& cloud, bool first) {
    auto p = cloud.addRouterInterface(m_router, m_subnet, m_pin);
    if (!p)
        return p.error();
    if (first) {
        m_pin.id = p.value()->id;
        m_pin.mac = p.value()->macAddress;
    }
    return {};
}

Status AddRouterInterfaceCommand::revert(Cloud& cloud) {
    return cloud.removeRouterInterface(m_router, m_subnet);
}

RemoveRouterInterfaceCommand::RemoveRouterInterfaceCommand(model::LabDocument& document,
                                                           std::string routerId,
                                                           std::string subnetId)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Remove router interface")),
      m_router(std::move(routerId)),
      m_subnet(std::move(subnetId)) {}

Status RemoveRouterInterfaceCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        const model::Router* r = cloud.state().router(m_router);
        if (!r)
            return notFound("Router " + m_router);
        for (const std::string& pid : r->interfacePortIds) {
            const model::Port* p = cloud.state().port(pid);
            if (p && ipOn(*p, m_subnet)) {
                m_pin.id = p->id;
                m_pin.mac = p->macAddress;
                m_pin.name = p->name;
            }
        }
    }
    return cloud.removeRouterInterface(m_router, m_subnet);
}

Status RemoveRouterInterfaceCommand::revert(Cloud& cloud) {
    return statusOf(cloud.addRouterInterface(m_router, m_subnet, m_pin));
}

SetRouterGatewayCommand::SetRouterGatewayCommand(model::LabDocument& document, std::string routerId,
                                                 std::string networkId)
    : LabCommand(document,
                 networkId.empty()
                     ? QCoreApplication::translate("nlab::views::LabCommand", "Clear gateway")
                     : QCoreApplication::translate("nlab::views::LabCommand", "Set gateway")),
      m_router(std::move(routerId)) {
    m_after.network = std::move(networkId);
}

SetRouterGatewayCommand::Gateway SetRouterGatewayCommand::gatewayOf(const TenantState& state,
                                                                    const std::string& routerId) {
    Gateway g;
    const model::Router* r = state.router(routerId);
    if (!r || r->gatewayPortId.empty())
        return g;
    g.network = r->gatewayNetworkId;
    if (const model::Port* p = state.port(r->gatewayPortId))
        g.pin = pinOf(*p);
    return g;
}

Status SetRouterGatewayCommand::setGateway(Cloud& cloud, const std::string& routerId,
                                           const Gateway& gateway) {
    if (gateway.network.empty())
        return cloud.clearRouterGateway(routerId);
    const model::Router* r = cloud.state().router(routerId);
    if (r && !r->gatewayPortId.empty() && r->gatewayNetworkId != gateway.network) {
        if (Status s = cloud.clearRouterGateway(routerId); !s)
            return s;
    }
    return statusOf(cloud.setRouterGateway(routerId, gateway.network, gateway.pin));
}

Status SetRouterGatewayCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        const model::Router* r = cloud.state().router(m_router);
        if (!r)
            return notFound("Router " + m_router);
        m_router = r->id;
        if (const model::Network* n = cloud.state().network(m_after.network))
            m_after.network = n->id;
        m_before = gatewayOf(cloud.state(), m_router);
    }
    if (Status s = setGateway(cloud, m_router, m_after); !s)
        return s;
    if (first)
        m_after = gatewayOf(cloud.state(), m_router);
    return {};
}

Status SetRouterGatewayCommand::revert(Cloud& cloud) {
    return setGateway(cloud, m_router, m_before);
}

BootInstanceCommand::BootInstanceCommand(model::LabDocument& document,
                                         model::InstanceRequest request)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Boot instance %1")
                     .arg(QString::fromStdString(request.name))),
      m_request(std::move(request)) {}

Status BootInstanceCommand::apply(Cloud& cloud, bool first) {
    auto inst = cloud.bootInstance(m_request);
    if (!inst)
        return inst.error();
    if (first) {
        const model::Instance& i = *inst.value();
        m_request.id = i.id;
        m_request.host = i.hostId;
        m_request.nics.clear();
        for (const std::string& pid : i.portIds) {
            const model::Port* p = cloud.state().port(pid);
            if (!p)
                continue;
            model::NicRequest nic;
            nic.network = p->networkId;
            nic.port = pinOf(*p);
            m_request.nics.push_back(std::move(nic));
        }
    }
    return {};
}

Status BootInstanceCommand::revert(Cloud& cloud) {
    return cloud.deleteInstance(m_request.id);
}

AttachInstanceCommand::AttachInstanceCommand(model::LabDocument& document, std::string instanceId,
                                             std::string networkId)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Attach instance")),
      m_instance(std::move(instanceId)),
      m_network(std::move(networkId)) {}

Status AttachInstanceCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        m_before = snapshotInstance(cloud.state(), m_instance);
        if (m_before.instance.id.empty())
            return notFound("Instance " + m_instance);
        m_instance = m_before.instance.id;
        const model::Network* net = cloud.state().network(m_network);
        if (!net)
            return notFound("Network " + m_network);
        if (net->external) {
            return Status::fail(ErrorCode::InvalidArgument,
                                tr("Instances attach to tenant networks, not to the external "
                                   "network")
                                    .toStdString());
        }
        m_network = net->id;
    }
    if (Status s = cloud.deleteInstance(m_instance); !s)
        return s;
    model::NicRequest nic;
    nic.network = m_network;
    nic.port = m_newPort;
    if (Status s = bootFromSnapshot(cloud, m_before, nic); !s) {
        // Put the instance back as it was.
        (void)cloud.deleteInstance(m_instance);
        (void)bootFromSnapshot(cloud, m_before);
        return s;
    }
    if (first) {
        const model::Instance* inst = cloud.state().instance(m_instance);
        if (inst && !inst->portIds.empty()) {
            if (const model::Port* p = cloud.state().port(inst->portIds.back()))
                m_newPort = pinOf(*p);
        }
    }
    return {};
}

Status AttachInstanceCommand::revert(Cloud& cloud) {
    if (Status s = cloud.deleteInstance(m_instance); !s)
        return s;
    return bootFromSnapshot(cloud, m_before);
}

// ---- Deleting ------------------------------------------------------------------------

DeleteInstanceCommand::DeleteInstanceCommand(model::LabDocument& document, std::string instanceId)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Delete instance")),
      m_instance(std::move(instanceId)) {}

Status DeleteInstanceCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        m_snapshot = snapshotInstance(cloud.state(), m_instance);
        if (m_snapshot.instance.id.empty()) {
            return Status::fail(ErrorCode::NotFound,
                                "Instance " + m_instance + " could not be found.");
        }
        m_instance = m_snapshot.instance.id;
        setText(QCoreApplication::translate("nlab::views::LabCommand", "Delete instance %1")
                    .arg(QString::fromStdString(m_snapshot.instance.name)));
    }
    return cloud.deleteInstance(m_instance);
}

Status DeleteInstanceCommand::revert(Cloud& cloud) {
    return bootFromSnapshot(cloud, m_snapshot);
}

DeleteRouterCommand::DeleteRouterCommand(model::LabDocument& document, std::string routerId)
    : LabCommand(document, QCoreApplication::translate("nlab::views::LabCommand", "Delete router")),
      m_router(std::move(routerId)) {}

Status DeleteRouterCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        const model::Router* r = cloud.state().router(m_router);
        if (!r)
            return notFound("Router " + m_router);
        m_snapshot = *r;
        m_router = r->id;
        m_gatewayNetwork = r->gatewayNetworkId;
        if (const model::Port* p = cloud.state().port(r->gatewayPortId))
            m_gatewayPin = pinOf(*p);
        setText(QCoreApplication::translate("nlab::views::LabCommand", "Delete router %1")
                    .arg(QString::fromStdString(r->name)));
    }
    return cloud.deleteRouter(m_router);
}

Status DeleteRouterCommand::revert(Cloud& cloud) {
    model::RouterRequest req;
    req.id = m_snapshot.id;
    req.name = m_snapshot.name;
    if (auto r = cloud.createRouter(req); !r)
        return r.error();
    if (m_gatewayNetwork.empty())
        return {};
    return statusOf(cloud.setRouterGateway(m_router, m_gatewayNetwork, m_gatewayPin));
}

DeleteNetworkCommand::DeleteNetworkCommand(model::LabDocument& document, std::string networkId)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Delete network")),
      m_network(std::move(networkId)) {}

Status DeleteNetworkCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        const TenantState& state = cloud.state();
        const model::Network* n = state.network(m_network);
        if (!n)
            return notFound("Network " + m_network);
        m_network = n->id;
        m_request.name = n->name;
        m_request.id = n->id;
        m_request.type = n->type;
        if (n->type != model::NetworkType::Flat)
            m_request.segmentationId = n->segmentationId;
        m_request.external = n->external;
        m_request.physicalNetwork = n->physicalNetwork.empty() ? "physnet1" : n->physicalNetwork;
        m_request.shared = n->shared;
        // Re-create the subnets the DHCP port has addresses on first, in its order (the first
        // creates the port), then the others.
        const model::Port* dhcp = dhcpPortOfNetwork(state, n->id);
        std::vector<const model::Subnet*> subnets = state.subnetsOf(n->id);
        std::vector<std::string> order;
        if (dhcp) {
            for (const model::FixedIp& f : dhcp->fixedIps)
                order.push_back(f.subnetId);
        }
        for (const model::Subnet* s : subnets) {
            if (std::find(order.begin(), order.end(), s->id) == order.end())
                order.push_back(s->id);
        }
        m_subnets.clear();
        for (std::size_t i = 0; i < order.size(); ++i) {
            const model::Subnet* s = state.subnet(order[i]);
            if (!s)
                continue;
            const bool creates = dhcp && i == 0 && ipOn(*dhcp, s->id).has_value();
            m_subnets.push_back(subnetRequestOf(*s, s->enableDhcp ? dhcp : nullptr, creates));
        }
        setText(QCoreApplication::translate("nlab::views::LabCommand", "Delete network %1")
                    .arg(QString::fromStdString(n->name)));
    }
    return cloud.deleteNetwork(m_network);
}

Status DeleteNetworkCommand::revert(Cloud& cloud) {
    if (auto n = cloud.createNetwork(m_request); !n)
        return n.error();
    for (const model::SubnetRequest& s : m_subnets) {
        if (auto r = cloud.createSubnet(s); !r)
            return r.error();
    }
    return {};
}

DeleteSubnetCommand::DeleteSubnetCommand(model::LabDocument& document, std::string subnetId)
    : LabCommand(document, QCoreApplication::translate("nlab::views::LabCommand", "Delete subnet")),
      m_subnet(std::move(subnetId)) {}

Status DeleteSubnetCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        const model::Subnet* s = cloud.state().subnet(m_subnet);
        if (!s)
            return notFound("Subnet " + m_subnet);
        m_subnet = s->id;
        const model::Port* dhcp = dhcpPortOfNetwork(cloud.state(), s->networkId);
        const bool only = dhcp && dhcp->fixedIps.size() == 1 && ipOn(*dhcp, s->id);
        m_request = subnetRequestOf(*s, s->enableDhcp ? dhcp : nullptr, only);
    }
    return cloud.deleteSubnet(m_subnet);
}

Status DeleteSubnetCommand::revert(Cloud& cloud) {
    return statusOf(cloud.createSubnet(m_request));
}

DeleteFloatingIpCommand::DeleteFloatingIpCommand(model::LabDocument& document,
                                                 std::string floatingIpId)
    : LabCommand(document,
                 QCoreApplication::translate("nlab::views::LabCommand", "Delete floating IP")),
      m_floatingIp(std::move(floatingIpId)) {}

Status DeleteFloatingIpCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        const model::FloatingIp* f = cloud.state().floatingIp(m_floatingIp);
        if (!f)
            return notFound("Floating IP " + m_floatingIp);
        m_floatingIp = f->id;
        m_request.network = f->floatingNetworkId;
        m_request.id = f->id;
        m_request.address = f->floatingIpAddress;
        m_request.portId = f->portId;
        if (const model::Port* p = cloud.state().port(f->floatingPortId)) {
            m_request.floatingPort = pinOf(*p);
        }
    }
    return cloud.deleteFloatingIp(m_floatingIp);
}

Status DeleteFloatingIpCommand::revert(Cloud& cloud) {
    return statusOf(cloud.createFloatingIp(m_request));
}

// ---- Updating ------------------------------------------------------------------------

RenameCommand::RenameCommand(model::LabDocument& document, QString kind, std::string id,
                             std::string newName)
    : LabCommand(document, QCoreApplication::translate("nlab::views::LabCommand", "Rename to %1")
                               .arg(QString::fromStdString(newName))),
      m_kind(std::move(kind)),
      m_id(std::move(id)),
      m_new(std::move(newName)) {}

Status RenameCommand::rename(Cloud& cloud, const std::string& name) {
    if (m_kind == QLatin1String("network"))
        return cloud.renameNetwork(m_id, name);
    if (m_kind == QLatin1String("router"))
        return cloud.renameRouter(m_id, name);
    if (m_kind == QLatin1String("subnet")) {
        model::SubnetUpdate u;
        u.name = name;
        return cloud.updateSubnet(m_id, u);
    }
    return Status::fail(ErrorCode::Unsupported,
                        tr("A %1 cannot be renamed").arg(m_kind).toStdString());
}

Status RenameCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        const TenantState& s = cloud.state();
        if (m_kind == QLatin1String("network")) {
            const model::Network* n = s.network(m_id);
            if (!n)
                return notFound("Network " + m_id);
            m_id = n->id;
            m_old = n->name;
        } else if (m_kind == QLatin1String("router")) {
            const model::Router* r = s.router(m_id);
            if (!r)
                return notFound("Router " + m_id);
            m_id = r->id;
            m_old = r->name;
        } else if (m_kind == QLatin1String("subnet")) {
            const model::Subnet* sn = s.subnet(m_id);
            if (!sn)
                return notFound("Subnet " + m_id);
            m_id = sn->id;
            m_old = sn->name;
        }
    }
    return rename(cloud, m_new);
}

Status RenameCommand::revert(Cloud& cloud) {
    return rename(cloud, m_old);
}

UpdateSubnetCommand::UpdateSubnetCommand(model::LabDocument& document, std::string subnetId,
                                         model::SubnetUpdate update)
    : LabCommand(document, QCoreApplication::translate("nlab::views::LabCommand", "Update subnet")),
      m_subnet(std::move(subnetId)),
      m_update(std::move(update)) {}

model::PortPin UpdateSubnetCommand::dhcpPinOf(const TenantState& state,
                                              const std::string& subnetId) {
    model::PortPin pin;
    const model::Subnet* s = state.subnet(subnetId);
    if (!s)
        return pin;
    const model::Port* dhcp = dhcpPortOfNetwork(state, s->networkId);
    if (!dhcp)
        return pin;
    pin.ip = ipOn(*dhcp, subnetId);
    if (pin.ip && dhcp->fixedIps.size() == 1) {
        pin.id = dhcp->id;
        pin.mac = dhcp->macAddress;
        pin.name = dhcp->name;
    }
    return pin;
}

Status UpdateSubnetCommand::apply(Cloud& cloud, bool first) {
    if (first) {
        const model::Subnet* s = cloud.state().subnet(m_subnet);
        if (!s)
            return notFound("Subnet " + m_subnet);
        m_subnet = s->id;
        if (m_update.name)
            m_inverse.name = s->name;
        if (m_update.dnsNameservers)
            m_inverse.dnsNameservers = s->dnsNameservers;
        if (m_update.enableDhcp) {
            m_inverse.enableDhcp = s->enableDhcp;
            m_inverse.dhcpPort = dhcpPinOf(cloud.state(), m_subnet);
        }
    }
    if (Status st = cloud.updateSubnet(m_subnet, m_update); !st)
        return st;
    if (first && m_update.enableDhcp)
        m_update.dhcpPort = dhcpPinOf(cloud.state(), m_subnet);
    return {};
}

Status UpdateSubnetCommand::revert(Cloud& cloud) {
    return cloud.updateSubnet(m_subnet, m_inverse);
}

AddHostCommand::AddHostCommand(model::LabDocument& document, model::Host host)
    : LabCommand(document, QCoreApplication::translate("nlab::views::LabCommand", "Add host %1")
                               .arg(QString::fromStdString(host.name))),
      m_host(std::move(host)) {}

Status AddHostCommand::apply(Cloud& cloud, bool /*first*/) {
    if (auto h = cloud.addHost(m_host); !h)
        return h.error();
    return {};
}

Status AddHostCommand::revert(Cloud& cloud) {
    return cloud.removeHost(m_host.name);
}

}  // namespace nlab::views
