#include "model/cloud.h"

#include <algorithm>
#include <set>
#include <utility>

#include "engine/console/shell.h"
#include "engine/lab/vm.h"
#include "model/agents/agents.h"
#include "model/catalog.h"
#include "model/cloud_commands.h"
#include "model/ids.h"
#include "model/ipam.h"

// Notes on the Neutron (Icehouse, 2014.1) and Nova code each operation follows:
//   - Messages are the server's: neutron/common/exceptions.py, neutron/extensions/l3.py,
//     neutron/api/v2/attributes.py (attribute validation: "Invalid input for ATTR. Reason:
//     ..."), nova/exception.py.
//   - Subnets: db_base_plugin_v2.create_subnet (host bits cleared, default gateway
//     first+1, default pools split around the gateway, pool validation, overlaps on the
//     network); force_gateway_on_subnet is treated as on (the gateway must be a host
//     address of the subnet).
//   - Ports: _test_fixed_ips_for_port / _allocate_ips_for_port; an address is the lowest
//     free address of the pools (Icehouse hands out from its availability ranges, which
//     start at the pool's first address).
//   - Routers: l3_db (_check_for_dup_router_subnet, gateway ports on external networks,
//     RouterInUse, floating IP association through the router that joins the port's
//     subnet and the floating network).
//   - Instances: Nova (neutronv2 API) creates one compute:nova port per --nic net-id, or
//     uses an existing port that no device owns; deleting an instance deletes its ports
//     (Icehouse deletes pre-created ports too).

namespace nlab::model {

using engine::Error;

namespace {

Error makeError(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

/// Neutron's "<Kind> <id> could not be found" (no final period; Nova's errors have one).
Error notFound(std::string_view kind, std::string_view id) {
    return makeError(ErrorCode::NotFound,
                     std::string(kind) + " " + std::string(id) + " could not be found");
}

std::string invalidInput(const std::string& reason) {
    return "Invalid input for operation: " + reason + ".";
}

std::string badRequest(const std::string& resource, const std::string& msg) {
    return "Bad " + resource + " request: " + msg;
}

bool portUsesSubnet(const Port& p, std::string_view subnetId) {
    return std::any_of(p.fixedIps.begin(), p.fixedIps.end(),
                       [&](const FixedIp& f) { return f.subnetId == subnetId; });
}

/// Addresses in use on a subnet (every port's fixed IPs, plus those planned so far).
std::set<Ipv4Address> usedIps(const TenantState& state, std::string_view subnetId,
                              const std::vector<FixedIp>& pending) {
    std::set<Ipv4Address> used;
    for (const auto& [id, p] : state.ports) {
        for (const FixedIp& f : p.fixedIps) {
            if (f.subnetId == subnetId) used.insert(f.ipAddress);
        }
    }
    for (const FixedIp& f : pending) {
        if (f.subnetId == subnetId) used.insert(f.ipAddress);
    }
    return used;
}

bool macInUse(const TenantState& state, MacAddress mac, const std::set<MacAddress>& pending) {
    if (pending.count(mac)) return true;
    return std::any_of(state.ports.begin(), state.ports.end(),
                       [&](const auto& kv) { return kv.second.macAddress == mac; });
}

const Host* networkHost(const TenantState& state) {
    for (const Host& h : state.hosts) {
        if (h.role == HostRole::Network) return &h;
    }
    return nullptr;
}

/// What a new port will be, validated but not yet in the state.
struct PortPlan {
    Port port;
};

/// Values planned by an operation that creates several ports (so that two new ports do
/// not take the same address or MAC).
struct Pending {
    std::vector<FixedIp> ips;
    std::set<MacAddress> macs;
    std::set<std::string> ids;
};

}  // namespace

// ---------------------------------------------------------------------------------------

namespace {

/// Plans a port on 'network' from 'pin': its fixed IP (pinned, on a pinned subnet, or the
/// first free address of the first subnet that has one), MAC and id. Generation happens
/// through 'cloud' (generateUuid/generateMac); callers restore the generator on failure.
Result<PortPlan> planPort(Cloud& cloud, const TenantState& state, const Network& network,
                          const PortPin& pin, Pending& pending) {
    PortPlan plan;
    Port& port = plan.port;
    port.networkId = network.id;
    port.name = pin.name;
    port.tenantId = state.tenantId;

    const std::vector<const Subnet*> subnets = state.subnetsOf(network.id);
    const Subnet* target = nullptr;
    if (!pin.subnet.empty()) {
        target = state.subnet(pin.subnet);
        if (!target) {
            return notFound("Subnet", pin.subnet);
        }
        if (target->networkId != network.id) {
            return makeError(ErrorCode::InvalidArgument,
                             invalidInput("Failed to create port on network " + network.id +
                                          ", because fixed_ips included invalid subnet " +
                                          target->id));
        }
    }
    if (pin.ip) {
        if (!target) {
            for (const Subnet* s : subnets) {
                if (ipam::isValidHostIp(s->cidr, *pin.ip)) {
                    target = s;
                    break;
                }
            }
            if (!target) {
                return makeError(ErrorCode::InvalidArgument,
                                 invalidInput("IP address " + pin.ip->toString() +
                                              " is not a valid IP for the defined networks "
                                              "subnets"));
            }
        }
        if (usedIps(state, target->id, pending.ips).count(*pin.ip)) {
            return makeError(ErrorCode::AlreadyExists,
                             "Unable to complete operation for network " + network.id +
                                 ". The IP address " + pin.ip->toString() + " is in use.");
        }
        if (!ipam::isValidHostIp(target->cidr, *pin.ip)) {
            return makeError(ErrorCode::InvalidArgument,
                             invalidInput("IP address " + pin.ip->toString() +
                                          " is not a valid IP for the defined subnet"));
        }
        port.fixedIps.push_back({target->id, *pin.ip});
    } else if (target) {
        auto ip = ipam::firstFree(*target, usedIps(state, target->id, pending.ips));
        if (!ip) {
            return makeError(ErrorCode::LimitExceeded,
                             "No more IP addresses available on network " + network.id + ".");
        }
        port.fixedIps.push_back({target->id, *ip});
    } else if (!subnets.empty()) {
        for (const Subnet* s : subnets) {
            if (auto ip = ipam::firstFree(*s, usedIps(state, s->id, pending.ips))) {
                port.fixedIps.push_back({s->id, *ip});
                break;
            }
        }
        if (port.fixedIps.empty()) {
            return makeError(ErrorCode::LimitExceeded,
                             "No more IP addresses available on network " + network.id + ".");
        }
    }

    if (pin.mac) {
        if (macInUse(state, *pin.mac, pending.macs)) {
            return makeError(ErrorCode::AlreadyExists,
                             "Unable to complete operation for network " + network.id +
                                 ". The mac address " + pin.mac->toString() + " is in use.");
        }
        port.macAddress = *pin.mac;
    }
    if (!pin.id.empty()) {
        if (state.ports.count(pin.id) || pending.ids.count(pin.id)) {
            return makeError(ErrorCode::AlreadyExists, "Port " + pin.id + " already exists");
        }
        port.id = pin.id;
    } else {
        do {
            port.id = cloud.generateUuid();
        } while (state.ports.count(port.id) || pending.ids.count(port.id));
    }
    if (!pin.mac) {
        do {
            port.macAddress = cloud.generateMac();
        } while (pending.macs.count(port.macAddress));
    }
    for (const FixedIp& f : port.fixedIps) pending.ips.push_back(f);
    pending.macs.insert(port.macAddress);
    pending.ids.insert(port.id);
    return plan;
}

/// Neutron's _check_for_dup_router_subnet: 'subnet' must not be on the router yet, nor
/// overlap a subnet the router already has a port on.
Status checkRouterSubnet(const TenantState& state, const Router& router, const Subnet& subnet) {
    for (const auto& [id, p] : state.ports) {
        if (p.deviceId != router.id) continue;
        for (const FixedIp& f : p.fixedIps) {
            if (f.subnetId == subnet.id) {
                return makeError(ErrorCode::AlreadyExists,
                                 badRequest("router", "Router already has a port on subnet " +
                                                          subnet.id));
            }
            const Subnet* other = state.subnet(f.subnetId);
            if (other && other->cidr.overlaps(subnet.cidr)) {
                return makeError(ErrorCode::Overlap,
                                 badRequest("router", "Cidr " + subnet.cidr.toString() +
                                                          " of subnet " + subnet.id +
                                                          " overlaps with cidr " +
                                                          other->cidr.toString() + " of subnet " +
                                                          other->id));
            }
        }
    }
    return {};
}

/// The router joining 'port' (its first fixed IP's subnet) to 'externalNetworkId', as
/// l3_db._get_router_for_floatingip finds it.
Result<std::string> routerForFloatingIp(const TenantState& state, const Port& port,
                                        const std::string& externalNetworkId) {
    if (port.fixedIps.empty()) {
        return makeError(ErrorCode::InvalidArgument,
                         badRequest("floatingip", "Cannot add floating IP to port " + port.id +
                                                      " that has no fixed IP addresses"));
    }
    if (port.fixedIps.size() > 1) {
        return makeError(ErrorCode::InvalidArgument,
                         badRequest("floatingip", "Port " + port.id +
                                                      " has multiple fixed IPs.  Must provide a "
                                                      "specific IP when assigning a floating IP"));
    }
    const std::string& subnetId = port.fixedIps.front().subnetId;
    const Subnet* subnet = state.subnet(subnetId);
    if (!subnet || !subnet->gatewayIp) {
        return makeError(ErrorCode::InvalidArgument,
                         badRequest("floatingip", "Cannot add floating IP to port on subnet " +
                                                      subnetId + " which has no gateway_ip"));
    }
    for (const auto& [id, p] : state.ports) {
        if (p.deviceOwner != owner::kRouterInterface || p.networkId != port.networkId) continue;
        if (!portUsesSubnet(p, subnetId)) continue;
        auto r = state.routers.find(p.deviceId);
        if (r != state.routers.end() && r->second.gatewayNetworkId == externalNetworkId) {
            return r->first;
        }
    }
    return makeError(ErrorCode::NotFound,
                     "External network " + externalNetworkId +
                         " is not reachable from subnet " + subnetId +
                         ".  Therefore, cannot associate Port " + port.id +
                         " with a Floating IP.");
}

}  // namespace

// ---------------------------------------------------------------------------------------

Cloud::Cloud(std::uint64_t seed)
    : m_seed(seed),
      m_lab(std::make_unique<engine::Lab>(seed)),
      m_agents(std::make_unique<Agents>(*m_lab, m_state)),
      m_rng(seed) {}

Cloud::~Cloud() = default;

void Cloud::setTenantId(std::string id) { m_state.tenantId = std::move(id); }

std::string Cloud::generateUuid() { return makeUuid4(m_rng); }

MacAddress Cloud::generateMac() {
    // Neutron's _generate_mac: base_mac fa:16:3e:00:00:00 with three random bytes,
    // retried until no port has it.
    for (;;) {
        const MacAddress mac = MacAddress::fromU64(0xfa163e000000ULL | (m_rng() & 0xffffffULL));
        if (!macInUse(m_state, mac, {})) return mac;
    }
}

engine::Vm* Cloud::vm(std::string_view instance) const {
    const Instance* i = m_state.instance(instance);
    return i ? m_agents->vm(i->name) : nullptr;
}

engine::SimDuration Cloud::settleInstances(engine::SimDuration limit) {
    auto allBound = [this] {
        for (const auto& [id, instance] : m_state.instances) {
            engine::Vm* guest = m_agents->vm(instance.name);
            if (guest == nullptr) continue;
            for (std::size_t i = 0; i < guest->nics().size(); ++i) {
                const engine::DhcpClient* c = guest->dhcpClient(i);
                if (c != nullptr && c->state() != engine::DhcpClientState::Bound) return false;
            }
        }
        return true;
    };
    constexpr engine::SimDuration kStep = 100 * engine::kMillisecond;
    engine::SimDuration ran = 0;
    while (ran < limit && !allBound()) {
        m_lab->clock().advance(kStep);
        ran += kStep;
    }
    return ran;
}

Status Cloud::removeHost(std::string_view name) {
    auto it = std::find_if(m_state.hosts.begin(), m_state.hosts.end(),
                           [&](const Host& h) { return h.name == name; });
    if (it == m_state.hosts.end()) {
        return notFound("Host", name);
    }
    for (const auto& [id, inst] : m_state.instances) {
        if (inst.hostId == name) {
            return Status::fail(ErrorCode::InvalidArgument,
                                "Host " + std::string(name) + " still runs instance " + inst.name);
        }
    }
    for (const auto& [id, port] : m_state.ports) {
        if (port.hostId == name) {
            return Status::fail(ErrorCode::InvalidArgument,
                                "Host " + std::string(name) + " still has port " + id + " bound");
        }
    }
    if (Status st = m_agents->hostRemoved(*it); !st) return st;
    m_state.hosts.erase(it);
    return {};
}

Result<const Host*> Cloud::addHost(Host host) {
    if (host.name.empty()) {
        return makeError(ErrorCode::InvalidArgument, "A host needs a name");
    }
    if (m_state.host(host.name)) {
        return makeError(ErrorCode::AlreadyExists, "Host '" + host.name + "' already exists");
    }
    if (host.role == HostRole::Network && networkHost(m_state)) {
        return makeError(ErrorCode::AlreadyExists,
                         "Host '" + host.name + "' cannot be a network node: '" +
                             networkHost(m_state)->name +
                             "' already runs the L3 and DHCP agents (one network node per lab)");
    }
    for (const Host& h : m_state.hosts) {
        if (h.dataIp == host.dataIp) {
            return makeError(ErrorCode::AlreadyExists,
                             "Data address " + host.dataIp.toString() + " of host '" + host.name +
                                 "' is already the tunnel endpoint of host '" + h.name + "'");
        }
        if (h.managementIp == host.managementIp) {
            return makeError(ErrorCode::AlreadyExists,
                             "Management address " + host.managementIp.toString() + " of host '" +
                                 host.name + "' is already used by host '" + h.name + "'");
        }
    }
    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    if (host.ovsUuid.empty()) host.ovsUuid = generateUuid();
    m_state.hosts.push_back(std::move(host));
    const Host& added = m_state.hosts.back();
    if (Status s = m_agents->hostAdded(added); !s) {
        m_state = backup;
        m_rng = rngBackup;
        return s.error();
    }
    return &m_state.hosts.back();
}

Result<const Network*> Cloud::createNetwork(const NetworkRequest& request) {
    if (!request.id.empty() && m_state.networks.count(request.id)) {
        return makeError(ErrorCode::AlreadyExists, "Network " + request.id + " already exists");
    }
    Network net;
    net.name = request.name;
    net.type = request.type;
    net.external = request.external;
    net.shared = request.shared;
    if (request.type == NetworkType::Flat) {
        if (request.segmentationId) {
            return makeError(ErrorCode::InvalidArgument,
                             invalidInput("segmentation_id prohibited for flat provider network"));
        }
        if (request.physicalNetwork.empty()) {
            return makeError(ErrorCode::InvalidArgument,
                             invalidInput("physical_network required for flat provider network"));
        }
        if (request.physicalNetwork != "physnet1") {
            return makeError(ErrorCode::InvalidArgument,
                             invalidInput("physical_network '" + request.physicalNetwork +
                                          "' unknown for flat provider network"));
        }
        for (const auto& [id, n] : m_state.networks) {
            if (n.type == NetworkType::Flat && n.physicalNetwork == request.physicalNetwork) {
                return makeError(ErrorCode::AlreadyExists,
                                 "Unable to create the flat network. Physical network " +
                                     request.physicalNetwork + " is in use.");
            }
        }
        net.physicalNetwork = request.physicalNetwork;
    } else {
        const std::uint32_t maxId = request.type == NetworkType::Vxlan ? 0xffffffu : 0xffffffffu;
        std::set<std::uint32_t> used;
        for (const auto& [id, n] : m_state.networks) {
            if (n.type == request.type) used.insert(n.segmentationId);
        }
        if (request.segmentationId) {
            const std::uint32_t seg = *request.segmentationId;
            if (seg == 0 || seg > maxId) {
                return makeError(ErrorCode::InvalidArgument,
                                 invalidInput("segmentation_id " + std::to_string(seg) +
                                              " out of range for " +
                                              std::string(toString(request.type)) +
                                              " provider network (1.." + std::to_string(maxId) +
                                              ")"));
            }
            if (used.count(seg)) {
                return makeError(ErrorCode::AlreadyExists,
                                 "Unable to create the network. The tunnel ID " +
                                     std::to_string(seg) + " is in use.");
            }
            net.segmentationId = seg;
        } else {
            std::uint32_t seg = 1;
            while (used.count(seg)) ++seg;
            net.segmentationId = seg;
        }
    }
    if (m_state.tenantId.empty()) m_state.tenantId = makeHexId(m_rng);
    net.tenantId = m_state.tenantId;
    net.id = request.id.empty() ? generateUuid() : request.id;
    auto [it, inserted] = m_state.networks.emplace(net.id, net);
    return &it->second;
}

Result<const Subnet*> Cloud::createSubnet(const SubnetRequest& request) {
    const Network* network = m_state.network(request.network);
    if (!network) {
        return notFound("Network", request.network);
    }
    ipam::ParsedCidr parsed = ipam::parseCidr(request.cidr);
    if (!parsed.cidr) {
        return makeError(ErrorCode::InvalidArgument,
                         "Invalid input for cidr. Reason: " + parsed.error + ".");
    }
    if (!request.id.empty() && m_state.subnets.count(request.id)) {
        return makeError(ErrorCode::AlreadyExists, "Subnet " + request.id + " already exists");
    }
    if (request.noGateway && request.gatewayIp) {
        return makeError(ErrorCode::InvalidArgument,
                         "--gateway option and --no-gateway option can not be used same time");
    }
    Subnet subnet;
    subnet.name = request.name;
    subnet.networkId = network->id;
    subnet.cidr = *parsed.cidr;
    subnet.enableDhcp = request.enableDhcp;
    if (!request.noGateway) {
        subnet.gatewayIp = request.gatewayIp ? *request.gatewayIp : ipam::firstHost(subnet.cidr);
    }
    if (request.allocationPools.empty()) {
        subnet.allocationPools = ipam::defaultPools(subnet.cidr, subnet.gatewayIp);
    } else {
        std::string why = ipam::validatePools(request.allocationPools, subnet.cidr, subnet.gatewayIp);
        if (!why.empty()) return makeError(ErrorCode::InvalidArgument, why);
        subnet.allocationPools = request.allocationPools;
    }
    if (subnet.gatewayIp && !ipam::isValidHostIp(subnet.cidr, *subnet.gatewayIp)) {
        return makeError(ErrorCode::InvalidArgument, invalidInput("Gateway is not valid on subnet"));
    }
    if (request.dnsNameservers.size() > 5) {
        return makeError(ErrorCode::LimitExceeded,
                         "Unable to complete operation for new subnet. The number of DNS "
                         "nameservers exceeds the limit 5.");
    }
    for (std::size_t i = 0; i < request.dnsNameservers.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (request.dnsNameservers[i] == request.dnsNameservers[j]) {
                return makeError(ErrorCode::InvalidArgument,
                                 "Invalid input for dns_nameservers. Reason: Duplicate "
                                 "nameserver '" +
                                     request.dnsNameservers[i].toString() + "'.");
            }
        }
    }
    subnet.dnsNameservers = request.dnsNameservers;
    for (const Subnet* other : m_state.subnetsOf(network->id)) {
        if (other->cidr.overlaps(subnet.cidr)) {
            return makeError(ErrorCode::Overlap,
                             invalidInput("Requested subnet with cidr: " + subnet.cidr.toString() +
                                          " for network: " + network->id +
                                          " overlaps with another subnet"));
        }
    }

    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    auto fail = [&](Error e) -> Result<const Subnet*> {
        m_state = backup;
        m_rng = rngBackup;
        return e;
    };
    if (m_state.tenantId.empty()) m_state.tenantId = makeHexId(m_rng);
    subnet.tenantId = m_state.tenantId;
    subnet.id = request.id.empty() ? generateUuid() : request.id;
    const std::string networkId = network->id;
    Subnet& stored = m_state.subnets.emplace(subnet.id, subnet).first->second;

    // The DHCP agent's port: created with the first subnet that has DHCP on, given an
    // address on every later one.
    std::string dhcpPortId;
    const Host* dhcpHost = networkHost(m_state);
    if (stored.enableDhcp && dhcpHost) {
        for (const auto& [id, p] : m_state.ports) {
            if (p.networkId == networkId && p.deviceOwner == owner::kDhcp) dhcpPortId = id;
        }
        PortPin pin = request.dhcpPort;
        pin.subnet = stored.id;
        if (!dhcpPortId.empty()) {
            // The network's DHCP port takes an address on the new subnet too.
            std::optional<Ipv4Address> ip = pin.ip;
            if (ip && !ipam::isValidHostIp(stored.cidr, *ip)) {
                return fail(makeError(ErrorCode::InvalidArgument,
                                      invalidInput("IP address " + ip->toString() +
                                                   " is not a valid IP for the defined subnet")));
            }
            if (!ip) ip = ipam::firstFree(stored, {});
            if (!ip) {
                return fail(makeError(ErrorCode::LimitExceeded,
                                      "No more IP addresses available on network " + networkId +
                                          "."));
            }
            m_state.ports.at(dhcpPortId).fixedIps.push_back({stored.id, *ip});
        } else {
            Pending pending;
            Result<PortPlan> plan =
                planPort(*this, m_state, m_state.networks.at(networkId), pin, pending);
            if (!plan) return fail(plan.error());
            Port port = std::move(plan.value().port);
            port.deviceOwner = std::string(owner::kDhcp);
            port.deviceId = "dhcp" + uuid5Dns(dhcpHost->name) + "-" + networkId;
            port.hostId = dhcpHost->name;
            dhcpPortId = port.id;
            m_state.ports.emplace(port.id, std::move(port));
        }
    }

    if (!dhcpPortId.empty()) {
        if (Status s = m_agents->portCreated(m_state.ports.at(dhcpPortId)); !s) return fail(s.error());
    }
    if (Status s = m_agents->subnetChanged(m_state.subnets.at(subnet.id)); !s) return fail(s.error());
    return &m_state.subnets.at(subnet.id);
}

Result<const Port*> Cloud::createPort(std::string_view network, const PortPin& pin) {
    const Network* net = m_state.network(network);
    if (!net) {
        return notFound("Network", network);
    }
    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    if (m_state.tenantId.empty()) m_state.tenantId = makeHexId(m_rng);
    Pending pending;
    Result<PortPlan> plan = planPort(*this, m_state, *net, pin, pending);
    if (!plan) {
        m_state = backup;
        m_rng = rngBackup;
        return plan.error();
    }
    Port port = std::move(plan.value().port);
    const std::string id = port.id;
    m_state.ports.emplace(id, std::move(port));
    if (Status s = m_agents->portCreated(m_state.ports.at(id)); !s) {
        m_state = backup;
        m_rng = rngBackup;
        return s.error();
    }
    return &m_state.ports.at(id);
}

Status Cloud::deletePort(std::string_view portId) {
    const Port* port = m_state.port(portId);
    if (!port) {
        return notFound("Port", portId);
    }
    if (port->deviceOwner == owner::kRouterInterface || port->deviceOwner == owner::kRouterGateway ||
        port->deviceOwner == owner::kFloatingIp) {
        return makeError(ErrorCode::InvalidArgument,
                         "Port " + port->id + " has owner " + port->deviceOwner +
                             " and therefore cannot be deleted directly via the port API.");
    }
    if (port->deviceOwner == owner::kDhcp) {
        return makeError(ErrorCode::Unsupported,
                         "Port " + port->id +
                             " is the DHCP agent's port of its network: it goes with the "
                             "network's last DHCP-enabled subnet (subnet-delete)");
    }
    for (const auto& [id, inst] : m_state.instances) {
        if (std::find(inst.portIds.begin(), inst.portIds.end(), port->id) != inst.portIds.end()) {
            return makeError(ErrorCode::Unsupported,
                             "Port " + port->id + " is a NIC of instance " + inst.name +
                                 ": delete the instance (nova delete) to remove it");
        }
    }
    const TenantState backup = m_state;
    const std::string id = port->id;
    // Floating IPs of the port are disassociated (l3_db.disassociate_floatingips).
    std::set<std::string> routers;
    for (auto& [fid, f] : m_state.floatingIps) {
        if (f.portId != id) continue;
        if (!f.routerId.empty()) routers.insert(f.routerId);
        f.portId.clear();
        f.fixedIpAddress.reset();
        f.routerId.clear();
    }
    if (Status s = m_agents->portDeleted(m_state.ports.at(id)); !s) {
        m_state = backup;
        return s;
    }
    m_state.ports.erase(id);
    for (const std::string& r : routers) {
        if (Status s = m_agents->routerChanged(m_state.routers.at(r)); !s) {
            m_state = backup;
            return s;
        }
    }
    return {};
}

Result<const Router*> Cloud::createRouter(const RouterRequest& request) {
    if (!request.id.empty() && m_state.routers.count(request.id)) {
        return makeError(ErrorCode::AlreadyExists, "Router " + request.id + " already exists");
    }
    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    if (m_state.tenantId.empty()) m_state.tenantId = makeHexId(m_rng);
    Router router;
    router.name = request.name;
    router.tenantId = m_state.tenantId;
    router.id = request.id.empty() ? generateUuid() : request.id;
    if (const Host* h = networkHost(m_state)) router.hostId = h->name;
    const std::string id = router.id;
    m_state.routers.emplace(id, std::move(router));
    if (!m_state.routers.at(id).hostId.empty()) {
        if (Status s = m_agents->routerChanged(m_state.routers.at(id)); !s) {
            m_state = backup;
            m_rng = rngBackup;
            return s.error();
        }
    }
    return &m_state.routers.at(id);
}

Result<const Port*> Cloud::addRouterInterface(std::string_view router, std::string_view subnet,
                                              const PortPin& pin) {
    const Router* r = m_state.router(router);
    if (!r) {
        return notFound("Router", router);
    }
    const Subnet* s = m_state.subnet(subnet);
    if (!s) {
        return notFound("Subnet", subnet);
    }
    if (!s->gatewayIp) {
        return makeError(ErrorCode::InvalidArgument,
                         badRequest("router", "Subnet for router interface must have a gateway IP"));
    }
    if (pin.ip && *pin.ip != *s->gatewayIp) {
        return makeError(ErrorCode::InvalidArgument,
                         "A router interface added on a subnet takes the subnet's gateway IP " +
                             s->gatewayIp->toString() + ", not " + pin.ip->toString());
    }
    if (Status st = checkRouterSubnet(m_state, *r, *s); !st) return st.error();
    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    auto fail = [&](Error e) -> Result<const Port*> {
        m_state = backup;
        m_rng = rngBackup;
        return e;
    };
    PortPin p = pin;
    p.ip = s->gatewayIp;
    p.subnet = s->id;
    Pending pending;
    Result<PortPlan> plan = planPort(*this, m_state, m_state.networks.at(s->networkId), p, pending);
    if (!plan) return fail(plan.error());
    Port port = std::move(plan.value().port);
    const std::string routerId = r->id;
    port.deviceOwner = std::string(owner::kRouterInterface);
    port.deviceId = routerId;
    port.hostId = r->hostId;
    const std::string portId = port.id;
    m_state.ports.emplace(portId, std::move(port));
    m_state.routers.at(routerId).interfacePortIds.push_back(portId);
    if (Status st = m_agents->portCreated(m_state.ports.at(portId)); !st) return fail(st.error());
    if (Status st = m_agents->routerChanged(m_state.routers.at(routerId)); !st) return fail(st.error());
    return &m_state.ports.at(portId);
}

Status Cloud::removeRouterInterface(std::string_view router, std::string_view subnet) {
    const Router* r = m_state.router(router);
    if (!r) {
        return notFound("Router", router);
    }
    const Subnet* s = m_state.subnet(subnet);
    if (!s) {
        return notFound("Subnet", subnet);
    }
    std::string portId;
    for (const std::string& id : r->interfacePortIds) {
        const Port* p = m_state.port(id);
        if (p && portUsesSubnet(*p, s->id)) portId = id;
    }
    if (portId.empty()) {
        return makeError(ErrorCode::NotFound,
                         "Router " + r->id + " has no interface on subnet " + s->id);
    }
    for (const auto& [fid, f] : m_state.floatingIps) {
        if (f.routerId != r->id || f.portId.empty()) continue;
        const Port* fixed = m_state.port(f.portId);
        if (fixed && portUsesSubnet(*fixed, s->id)) {
            return makeError(ErrorCode::InvalidArgument,
                             "Router interface for subnet " + s->id + " on router " + r->id +
                                 " cannot be deleted, as it is required by one or more floating "
                                 "IPs.");
        }
    }
    const TenantState backup = m_state;
    const std::string routerId = r->id;
    if (Status st = m_agents->portDeleted(m_state.ports.at(portId)); !st) {
        m_state = backup;
        return st;
    }
    m_state.ports.erase(portId);
    auto& ids = m_state.routers.at(routerId).interfacePortIds;
    ids.erase(std::remove(ids.begin(), ids.end(), portId), ids.end());
    if (Status st = m_agents->routerChanged(m_state.routers.at(routerId)); !st) {
        m_state = backup;
        return st;
    }
    return {};
}

Result<const Port*> Cloud::setRouterGateway(std::string_view router, std::string_view network,
                                            const PortPin& pin) {
    const Router* r = m_state.router(router);
    if (!r) {
        return notFound("Router", router);
    }
    const Network* net = m_state.network(network);
    if (!net) {
        return notFound("Network", network);
    }
    if (!net->external) {
        return makeError(ErrorCode::InvalidArgument,
                         badRequest("router", "Network " + net->id + " is not a valid external network"));
    }
    if (r->gatewayNetworkId == net->id && !r->gatewayPortId.empty()) {
        return m_state.port(r->gatewayPortId);  // Neutron: nothing changes.
    }
    const bool hasFloatingIps = std::any_of(m_state.floatingIps.begin(), m_state.floatingIps.end(),
                                            [&](const auto& kv) { return kv.second.routerId == r->id; });
    if (!r->gatewayPortId.empty() && hasFloatingIps) {
        return makeError(ErrorCode::InvalidArgument,
                         "Gateway cannot be updated for router " + r->id +
                             ", since a gateway to external network " + r->gatewayNetworkId +
                             " is required by one or more floating IPs.");
    }
    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    auto fail = [&](Error e) -> Result<const Port*> {
        m_state = backup;
        m_rng = rngBackup;
        return e;
    };
    const std::string routerId = r->id;
    const std::string networkId = net->id;
    // Validate everything before the old gateway goes.
    {
        Router probe = *r;
        probe.id = routerId;
        for (const Subnet* s : m_state.subnetsOf(networkId)) {
            for (const std::string& pid : probe.interfacePortIds) {
                const Port* p = m_state.port(pid);
                if (!p) continue;
                for (const FixedIp& f : p->fixedIps) {
                    const Subnet* other = m_state.subnet(f.subnetId);
                    if (other && other->cidr.overlaps(s->cidr)) {
                        return makeError(ErrorCode::Overlap,
                                         badRequest("router", "Cidr " + s->cidr.toString() +
                                                                  " of subnet " + s->id +
                                                                  " overlaps with cidr " +
                                                                  other->cidr.toString() +
                                                                  " of subnet " + other->id));
                    }
                }
            }
        }
    }
    if (m_state.subnetsOf(networkId).empty()) {
        return makeError(ErrorCode::InvalidArgument,
                         badRequest("router", "No IPs available for external network " + networkId));
    }
    Pending pending;
    Result<PortPlan> plan = planPort(*this, m_state, *net, pin, pending);
    if (!plan) {
        m_rng = rngBackup;
        if (plan.error().code == ErrorCode::LimitExceeded) {
            return makeError(ErrorCode::LimitExceeded,
                             badRequest("router", "No IPs available for external network " +
                                                      networkId));
        }
        return plan.error();
    }
    if (!r->gatewayPortId.empty()) {
        const std::string old = r->gatewayPortId;
        if (Status st = m_agents->portDeleted(m_state.ports.at(old)); !st) return fail(st.error());
        m_state.ports.erase(old);
    }
    Port port = std::move(plan.value().port);
    port.tenantId.clear();  // Neutron creates gateway ports with no tenant.
    port.deviceOwner = std::string(owner::kRouterGateway);
    port.deviceId = routerId;
    port.hostId = m_state.routers.at(routerId).hostId;
    const std::string portId = port.id;
    m_state.ports.emplace(portId, std::move(port));
    Router& stored = m_state.routers.at(routerId);
    stored.gatewayNetworkId = networkId;
    stored.gatewayPortId = portId;
    if (Status st = m_agents->portCreated(m_state.ports.at(portId)); !st) return fail(st.error());
    if (Status st = m_agents->routerChanged(stored); !st) return fail(st.error());
    return &m_state.ports.at(portId);
}

Status Cloud::clearRouterGateway(std::string_view router) {
    const Router* r = m_state.router(router);
    if (!r) {
        return notFound("Router", router);
    }
    if (r->gatewayPortId.empty()) return {};
    for (const auto& [fid, f] : m_state.floatingIps) {
        if (f.routerId == r->id) {
            return makeError(ErrorCode::InvalidArgument,
                             "Gateway cannot be updated for router " + r->id +
                                 ", since a gateway to external network " + r->gatewayNetworkId +
                                 " is required by one or more floating IPs.");
        }
    }
    const TenantState backup = m_state;
    const std::string routerId = r->id;
    const std::string portId = r->gatewayPortId;
    if (Status st = m_agents->portDeleted(m_state.ports.at(portId)); !st) {
        m_state = backup;
        return st;
    }
    m_state.ports.erase(portId);
    Router& stored = m_state.routers.at(routerId);
    stored.gatewayPortId.clear();
    stored.gatewayNetworkId.clear();
    if (Status st = m_agents->routerChanged(stored); !st) {
        m_state = backup;
        return st;
    }
    return {};
}

Result<const FloatingIp*> Cloud::createFloatingIp(const FloatingIpRequest& request) {
    const Network* net = m_state.network(request.network);
    if (!net) {
        return notFound("Network", request.network);
    }
    if (!net->external) {
        return makeError(ErrorCode::InvalidArgument,
                         badRequest("floatingip", "Network " + net->id +
                                                      " is not a valid external network"));
    }
    if (!request.id.empty() && m_state.floatingIps.count(request.id)) {
        return makeError(ErrorCode::AlreadyExists, "Floating IP " + request.id + " already exists");
    }
    std::string routerId;
    std::optional<Ipv4Address> fixedIp;
    if (!request.portId.empty()) {
        const Port* port = m_state.port(request.portId);
        if (!port) {
            return notFound("Port", request.portId);
        }
        Result<std::string> r = routerForFloatingIp(m_state, *port, net->id);
        if (!r) return r.error();
        routerId = r.value();
        fixedIp = port->fixedIps.front().ipAddress;
        for (const auto& [fid, f] : m_state.floatingIps) {
            if (f.portId == port->id && f.floatingNetworkId == net->id) {
                return makeError(ErrorCode::AlreadyExists,
                                 "Cannot associate floating IP " + f.floatingIpAddress.toString() +
                                     " (" + f.id + ") with port " + port->id +
                                     " using fixed IP " + fixedIp->toString() +
                                     ", as that fixed IP already has a floating IP on external "
                                     "network " + net->id + ".");
            }
        }
    }
    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    auto fail = [&](Error e) -> Result<const FloatingIp*> {
        m_state = backup;
        m_rng = rngBackup;
        return e;
    };
    if (m_state.tenantId.empty()) m_state.tenantId = makeHexId(m_rng);
    FloatingIp fip;
    fip.id = request.id.empty() ? generateUuid() : request.id;
    fip.floatingNetworkId = net->id;
    fip.tenantId = m_state.tenantId;
    PortPin pin = request.floatingPort;
    if (request.address) pin.ip = request.address;
    Pending pending;
    Result<PortPlan> plan = planPort(*this, m_state, *net, pin, pending);
    if (!plan) {
        if (plan.error().code == ErrorCode::LimitExceeded || m_state.subnetsOf(net->id).empty()) {
            return fail(makeError(ErrorCode::LimitExceeded,
                                  "Unable to find any IP address on external network " + net->id +
                                      "."));
        }
        return fail(plan.error());
    }
    if (plan.value().port.fixedIps.empty()) {
        return fail(makeError(ErrorCode::LimitExceeded,
                              "Unable to find any IP address on external network " + net->id + "."));
    }
    Port port = std::move(plan.value().port);
    port.tenantId.clear();
    port.deviceOwner = std::string(owner::kFloatingIp);
    port.deviceId = fip.id;
    fip.floatingIpAddress = port.fixedIps.front().ipAddress;
    fip.floatingPortId = port.id;
    fip.portId = request.portId;
    fip.fixedIpAddress = fixedIp;
    fip.routerId = routerId;
    const std::string fipId = fip.id;
    m_state.ports.emplace(port.id, std::move(port));
    m_state.floatingIps.emplace(fipId, std::move(fip));
    if (!routerId.empty()) {
        if (Status st = m_agents->routerChanged(m_state.routers.at(routerId)); !st) return fail(st.error());
    }
    return &m_state.floatingIps.at(fipId);
}

Status Cloud::associateFloatingIp(std::string_view floatingIp, std::string_view portId) {
    const FloatingIp* f = m_state.floatingIp(floatingIp);
    if (!f) {
        return notFound("Floating IP", floatingIp);
    }
    std::string routerId;
    std::optional<Ipv4Address> fixedIp;
    if (!portId.empty()) {
        const Port* port = m_state.port(portId);
        if (!port) {
            return notFound("Port", portId);
        }
        Result<std::string> r = routerForFloatingIp(m_state, *port, f->floatingNetworkId);
        if (!r) return r.error();
        routerId = r.value();
        fixedIp = port->fixedIps.front().ipAddress;
        for (const auto& [fid, other] : m_state.floatingIps) {
            if (fid != f->id && other.portId == port->id &&
                other.floatingNetworkId == f->floatingNetworkId) {
                return makeError(ErrorCode::AlreadyExists,
                                 "Cannot associate floating IP " + f->floatingIpAddress.toString() +
                                     " (" + f->id + ") with port " + port->id + " using fixed IP " +
                                     fixedIp->toString() +
                                     ", as that fixed IP already has a floating IP on external "
                                     "network " + f->floatingNetworkId + ".");
            }
        }
    }
    const TenantState backup = m_state;
    FloatingIp& stored = m_state.floatingIps.at(f->id);
    const std::string oldRouter = stored.routerId;
    stored.portId = std::string(portId);
    stored.fixedIpAddress = fixedIp;
    stored.routerId = routerId;
    std::set<std::string> routers;
    if (!oldRouter.empty()) routers.insert(oldRouter);
    if (!routerId.empty()) routers.insert(routerId);
    for (const std::string& r : routers) {
        if (Status st = m_agents->routerChanged(m_state.routers.at(r)); !st) {
            m_state = backup;
            return st;
        }
    }
    return {};
}

Status Cloud::deleteFloatingIp(std::string_view floatingIp) {
    const FloatingIp* f = m_state.floatingIp(floatingIp);
    if (!f) {
        return notFound("Floating IP", floatingIp);
    }
    const TenantState backup = m_state;
    const std::string id = f->id;
    const std::string routerId = f->routerId;
    m_state.ports.erase(f->floatingPortId);
    m_state.floatingIps.erase(id);
    if (!routerId.empty()) {
        if (Status st = m_agents->routerChanged(m_state.routers.at(routerId)); !st) {
            m_state = backup;
            return st;
        }
    }
    return {};
}

Result<const Instance*> Cloud::bootInstance(const InstanceRequest& request) {
    if (request.name.empty()) {
        return makeError(ErrorCode::InvalidArgument, "An instance needs a name");
    }
    if (const Instance* same = m_state.instance(request.name); same && same->name == request.name) {
        return makeError(ErrorCode::AlreadyExists,
                         "An instance named '" + request.name + "' already exists (" + same->id +
                             "): instance names are console contexts in this lab, choose "
                             "another name");
    }
    if (!request.id.empty() && m_state.instances.count(request.id)) {
        return makeError(ErrorCode::AlreadyExists, "Instance " + request.id + " already exists");
    }
    const catalog::Image* image = catalog::findImage(request.image);
    if (!image) {
        return makeError(ErrorCode::NotFound, "Image " + request.image + " could not be found.");
    }
    const catalog::Flavor* flavor = catalog::findFlavor(request.flavor);
    if (!flavor) {
        return makeError(ErrorCode::NotFound, "Flavor " + request.flavor + " could not be found.");
    }
    std::string hostName = request.host;
    if (!hostName.empty()) {
        const Host* h = m_state.host(hostName);
        if (!h || h->role != HostRole::Compute) {
            return makeError(ErrorCode::InvalidArgument,
                             "Host '" + hostName + "' is not a compute host");
        }
    } else {
        std::size_t best = 0;
        for (const Host& h : m_state.hosts) {
            if (h.role != HostRole::Compute) continue;
            const std::size_t n = static_cast<std::size_t>(
                std::count_if(m_state.instances.begin(), m_state.instances.end(),
                              [&](const auto& kv) { return kv.second.hostId == h.name; }));
            if (hostName.empty() || n < best) {
                hostName = h.name;
                best = n;
            }
        }
        if (hostName.empty()) {
            return makeError(ErrorCode::NotFound, "No valid host was found. ");
        }
    }
    std::vector<NicRequest> nics = request.nics;
    if (nics.empty()) {
        // Nova with Neutron: no --nic means every network the tenant may use, which must be
        // exactly one.
        std::vector<const Network*> candidates;
        for (const auto& [id, n] : m_state.networks) {
            if (!n.external || n.shared) candidates.push_back(&n);
        }
        if (candidates.size() > 1) {
            return makeError(ErrorCode::InvalidArgument,
                             "Multiple possible networks found, use a Network ID to be more "
                             "specific.");
        }
        if (candidates.size() == 1) {
            NicRequest nic;
            nic.network = candidates.front()->id;
            nics.push_back(nic);
        }
    }

    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    auto fail = [&](Error e) -> Result<const Instance*> {
        m_state = backup;
        m_rng = rngBackup;
        return e;
    };
    if (m_state.tenantId.empty()) m_state.tenantId = makeHexId(m_rng);
    Instance inst;
    inst.name = request.name;
    inst.id = request.id.empty() ? generateUuid() : request.id;
    inst.hostId = hostName;
    inst.image = std::string(image->name);
    inst.flavor = std::string(flavor->name);
    inst.tenantId = m_state.tenantId;

    Pending pending;
    std::vector<Port> newPorts;
    std::set<std::string> usedExisting;
    for (const NicRequest& nic : nics) {
        if (!nic.portId.empty()) {
            const Port* p = m_state.port(nic.portId);
            if (!p) return fail(makeError(ErrorCode::NotFound, "Port " + nic.portId + " could not be found."));
            if (!p->deviceId.empty() || !p->deviceOwner.empty() || usedExisting.count(p->id)) {
                return fail(makeError(ErrorCode::AlreadyExists, "Port " + nic.portId + " is still in use."));
            }
            usedExisting.insert(p->id);
            inst.portIds.push_back(p->id);
            continue;
        }
        const Network* net = m_state.network(nic.network);
        if (!net) {
            return fail(makeError(ErrorCode::NotFound, "Network " + nic.network + " could not be found."));
        }
        Result<PortPlan> plan = planPort(*this, m_state, *net, nic.port, pending);
        if (!plan) return fail(plan.error());
        inst.portIds.push_back(plan.value().port.id);
        newPorts.push_back(std::move(plan.value().port));
    }
    for (Port& p : newPorts) {
        p.deviceOwner = std::string(owner::kCompute);
        p.deviceId = inst.id;
        p.hostId = hostName;
        m_state.ports.emplace(p.id, std::move(p));
    }
    for (const std::string& pid : usedExisting) {
        Port& p = m_state.ports.at(pid);
        p.deviceOwner = std::string(owner::kCompute);
        p.deviceId = inst.id;
        p.hostId = hostName;
    }
    const std::string id = inst.id;
    m_state.instances.emplace(id, std::move(inst));
    // Nova creates the ports through Neutron first: the DHCP agent hears port_create_end and
    // adds them to dnsmasq's hosts before the guest boots and asks for its address.
    for (const std::string& pid : m_state.instances.at(id).portIds) {
        if (usedExisting.count(pid)) continue;
        if (Status st = m_agents->portCreated(m_state.ports.at(pid)); !st) return fail(st.error());
    }
    if (Status st = m_agents->instanceBooted(m_state.instances.at(id), request.boot); !st) {
        return fail(st.error());
    }
    if (m_shell) {
        if (engine::Vm* v = m_agents->vm(request.name)) m_shell->addVm(*v);
    }
    return &m_state.instances.at(id);
}

Status Cloud::deleteInstance(std::string_view instance) {
    const Instance* inst = m_state.instance(instance);
    if (!inst) {
        return makeError(ErrorCode::NotFound,
                         "Instance " + std::string(instance) + " could not be found.");
    }
    const TenantState backup = m_state;
    const std::string id = inst->id;
    engine::Vm* v = m_agents->vm(inst->name);
    if (m_shell && v) m_shell->removeVm(*v);
    if (Status st = m_agents->instanceDeleted(*inst); !st) {
        if (m_shell && v) m_shell->addVm(*v);
        return st;
    }
    // Nova deletes the instance's ports; Neutron disassociates their floating IPs.
    std::set<std::string> routers;
    for (const std::string& pid : m_state.instances.at(id).portIds) {
        for (auto& [fid, f] : m_state.floatingIps) {
            if (f.portId != pid) continue;
            if (!f.routerId.empty()) routers.insert(f.routerId);
            f.portId.clear();
            f.fixedIpAddress.reset();
            f.routerId.clear();
        }
        m_state.ports.erase(pid);
    }
    m_state.instances.erase(id);
    for (const std::string& r : routers) {
        if (Status st = m_agents->routerChanged(m_state.routers.at(r)); !st) {
            m_state = backup;
            return st;
        }
    }
    return {};
}

Status Cloud::deleteRouter(std::string_view router) {
    const Router* r = m_state.router(router);
    if (!r) {
        return notFound("Router", router);
    }
    const bool hasFloatingIps = std::any_of(m_state.floatingIps.begin(), m_state.floatingIps.end(),
                                            [&](const auto& kv) { return kv.second.routerId == r->id; });
    if (hasFloatingIps || !r->interfacePortIds.empty()) {
        return makeError(ErrorCode::InvalidArgument, "Router " + r->id + " still has ports");
    }
    const TenantState backup = m_state;
    const std::string id = r->id;
    if (!r->gatewayPortId.empty()) {
        const std::string gw = r->gatewayPortId;
        if (Status st = m_agents->portDeleted(m_state.ports.at(gw)); !st) {
            m_state = backup;
            return st;
        }
        m_state.ports.erase(gw);
        m_state.routers.at(id).gatewayPortId.clear();
        m_state.routers.at(id).gatewayNetworkId.clear();
    }
    if (Status st = m_agents->routerDeleted(m_state.routers.at(id)); !st) {
        m_state = backup;
        return st;
    }
    m_state.routers.erase(id);
    return {};
}

Status Cloud::deleteSubnet(std::string_view subnet) {
    const Subnet* s = m_state.subnet(subnet);
    if (!s) {
        return notFound("Subnet", subnet);
    }
    std::string dhcpPortId;
    for (const auto& [id, p] : m_state.ports) {
        if (!portUsesSubnet(p, s->id)) continue;
        if (p.deviceOwner == owner::kDhcp) {
            dhcpPortId = id;
            continue;
        }
        return makeError(ErrorCode::InvalidArgument,
                         "Unable to complete operation on subnet " + s->id +
                             ". One or more ports have an IP allocation from this subnet.");
    }
    const TenantState backup = m_state;
    const std::string id = s->id;
    if (Status st = m_agents->subnetDeleted(*s); !st) return st;
    if (!dhcpPortId.empty()) {
        Port& port = m_state.ports.at(dhcpPortId);
        if (port.fixedIps.size() == 1) {
            if (Status st = m_agents->portDeleted(port); !st) {
                m_state = backup;
                return st;
            }
            m_state.ports.erase(dhcpPortId);
        } else {
            auto& ips = port.fixedIps;
            ips.erase(std::remove_if(ips.begin(), ips.end(),
                                     [&](const FixedIp& f) { return f.subnetId == id; }),
                      ips.end());
            if (Status st = m_agents->portCreated(port); !st) {
                m_state = backup;
                return st;
            }
        }
    }
    m_state.subnets.erase(id);
    return {};
}

Status Cloud::deleteNetwork(std::string_view network) {
    const Network* net = m_state.network(network);
    if (!net) {
        return notFound("Network", network);
    }
    std::vector<std::string> dhcpPorts;
    for (const Port* p : m_state.portsOf(net->id)) {
        if (p->deviceOwner != owner::kDhcp) {
            return makeError(ErrorCode::InvalidArgument,
                             "Unable to complete operation on network " + net->id +
                                 ". There are one or more ports still in use on the network.");
        }
        dhcpPorts.push_back(p->id);
    }
    const TenantState backup = m_state;
    const std::string id = net->id;
    auto fail = [&](Status st) {
        m_state = backup;
        return st;
    };
    for (const std::string& pid : dhcpPorts) {
        if (Status st = m_agents->portDeleted(m_state.ports.at(pid)); !st) return fail(st);
        m_state.ports.erase(pid);
    }
    for (const Subnet* s : m_state.subnetsOf(id)) {
        if (Status st = m_agents->subnetDeleted(*s); !st) return fail(st);
    }
    for (auto it = m_state.subnets.begin(); it != m_state.subnets.end();) {
        it = it->second.networkId == id ? m_state.subnets.erase(it) : std::next(it);
    }
    if (Status st = m_agents->networkDeleted(m_state.networks.at(id)); !st) return fail(st);
    m_state.networks.erase(id);
    return {};
}

Status Cloud::renameNetwork(std::string_view network, std::string name) {
    const Network* net = m_state.network(network);
    if (!net) {
        return notFound("Network", network);
    }
    m_state.networks.at(net->id).name = std::move(name);
    return {};
}

Status Cloud::renameRouter(std::string_view router, std::string name) {
    const Router* r = m_state.router(router);
    if (!r) {
        return notFound("Router", router);
    }
    m_state.routers.at(r->id).name = std::move(name);
    return {};
}

Status Cloud::updateSubnet(std::string_view subnet, const SubnetUpdate& update) {
    const Subnet* s = m_state.subnet(subnet);
    if (!s) {
        return notFound("Subnet", subnet);
    }
    if (update.dnsNameservers) {
        const std::vector<Ipv4Address>& dns = *update.dnsNameservers;
        if (dns.size() > 5) {
            return makeError(ErrorCode::LimitExceeded,
                             "Unable to complete operation for " + s->id +
                                 ". The number of DNS nameservers exceeds the limit 5.");
        }
        for (std::size_t i = 0; i < dns.size(); ++i) {
            for (std::size_t j = 0; j < i; ++j) {
                if (dns[i] == dns[j]) {
                    return makeError(ErrorCode::InvalidArgument,
                                     "Invalid input for dns_nameservers. Reason: Duplicate "
                                     "nameserver '" + dns[i].toString() + "'.");
                }
            }
        }
    }
    const TenantState backup = m_state;
    const std::mt19937_64 rngBackup = m_rng;
    auto fail = [&](Status st) {
        m_state = backup;
        m_rng = rngBackup;
        return st;
    };
    const std::string id = s->id;
    const std::string networkId = s->networkId;
    Subnet& stored = m_state.subnets.at(id);
    if (update.name) stored.name = *update.name;
    if (update.dnsNameservers) stored.dnsNameservers = *update.dnsNameservers;

    std::string dhcpPortId;
    for (const auto& [pid, p] : m_state.ports) {
        if (p.networkId == networkId && p.deviceOwner == owner::kDhcp) dhcpPortId = pid;
    }
    std::vector<std::string> changedPorts;
    if (update.enableDhcp && *update.enableDhcp != stored.enableDhcp) {
        stored.enableDhcp = *update.enableDhcp;
        if (!stored.enableDhcp && !dhcpPortId.empty() &&
            portUsesSubnet(m_state.ports.at(dhcpPortId), id)) {
            // The DHCP agent releases its address on the subnet (and the port with the last).
            Port& port = m_state.ports.at(dhcpPortId);
            if (port.fixedIps.size() == 1) {
                if (Status st = m_agents->portDeleted(port); !st) return fail(st);
                m_state.ports.erase(dhcpPortId);
            } else {
                auto& ips = port.fixedIps;
                ips.erase(std::remove_if(ips.begin(), ips.end(),
                                         [&](const FixedIp& f) { return f.subnetId == id; }),
                          ips.end());
                changedPorts.push_back(dhcpPortId);
            }
        } else if (stored.enableDhcp) {
            if (const Host* dhcpHost = networkHost(m_state)) {
                PortPin pin = update.dhcpPort;
                pin.subnet = id;
                if (!dhcpPortId.empty()) {
                    std::optional<Ipv4Address> ip = pin.ip;
                    const std::set<Ipv4Address> used = usedIps(m_state, id, {});
                    if (ip && (!ipam::isValidHostIp(stored.cidr, *ip) || used.count(*ip))) {
                        return fail(makeError(ErrorCode::InvalidArgument,
                                              invalidInput("IP address " + ip->toString() +
                                                           " is not a valid IP for the defined "
                                                           "subnet")));
                    }
                    if (!ip) ip = ipam::firstFree(stored, used);
                    if (!ip) {
                        return fail(makeError(ErrorCode::LimitExceeded,
                                              "No more IP addresses available on network " +
                                                  networkId + "."));
                    }
                    m_state.ports.at(dhcpPortId).fixedIps.push_back({id, *ip});
                } else {
                    Pending pending;
                    Result<PortPlan> plan =
                        planPort(*this, m_state, m_state.networks.at(networkId), pin, pending);
                    if (!plan) return fail(plan.error());
                    Port port = std::move(plan.value().port);
                    port.deviceOwner = std::string(owner::kDhcp);
                    port.deviceId = "dhcp" + uuid5Dns(dhcpHost->name) + "-" + networkId;
                    port.hostId = dhcpHost->name;
                    dhcpPortId = port.id;
                    m_state.ports.emplace(port.id, std::move(port));
                }
                changedPorts.push_back(dhcpPortId);
            }
        }
    }
    for (const std::string& pid : changedPorts) {
        if (Status st = m_agents->portCreated(m_state.ports.at(pid)); !st) return fail(st);
    }
    if (Status st = m_agents->subnetChanged(m_state.subnets.at(id)); !st) return fail(st);
    return {};
}

void Cloud::attachShell(engine::Shell& shell) {
    m_shell = &shell;
    m_agents->describeTo(shell);
    registerCloudCommands(shell, *this);
}

}  // namespace nlab::model
