#pragma once
// Cloud: the lab as OpenStack sees it — Neutron's and Nova's APIs over a TenantState, with
// the agents realising every change in the engine.
//
// What
//   Validated create/update/delete operations on hosts, networks, subnets, routers, router
//   interfaces and gateways, floating IPs and instances, as `neutron` and `nova` offer them.
//   Each operation checks its input the way the Neutron server does (overlapping subnets,
//   IPs outside the subnet or already in use, duplicate MACs, unknown references), updates
//   the TenantState, then lets the Agents realise it in the engine Lab (namespaces, ports,
//   flows, DHCP leases, NAT, VMs). A failed operation changes nothing.
//
// Design
//   - Generated values (uuid4 ids, fa:16:3e MACs, the next free IP of a pool) come from a
//     generator seeded by the lab: the same lab file and commands give the same lab.
//   - Every generated value can be pinned by the request (lab files pin all of them for the
//     seed lab): PortPin for ports, explicit ids for the rest.
//   - Ordering follows Neutron: creating a DHCP-enabled subnet creates the DHCP port on the
//     network node (the DHCP agent's host) and its qdhcp namespace; a router interface is a
//     network:router_interface port; booting an instance creates its ports (compute:nova),
//     then Nova plugs them and the OVS agent binds them.
//
// Invariants
//   See tenant.h. After any operation, state() and the engine agree.

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/lab/lab.h"
#include "model/tenant.h"

namespace nlab::engine {
class Vm;
class Shell;
}

namespace nlab::model {

using engine::ErrorCode;
using engine::Result;
using engine::Status;

class Agents;

/// Values of a port that may be pinned instead of generated.
struct PortPin {
    std::string id;                         ///< "" : generated uuid4.
    std::optional<MacAddress> mac;          ///< nullopt: generated fa:16:3e:xx:xx:xx.
    std::optional<Ipv4Address> ip;          ///< nullopt: next free address of the pool.
    std::string name;                       ///< Port name (usually "").
    /// `--fixed-ip subnet_id=S`: allocate on this subnet (id or name); "" : the subnet
    /// containing 'ip', or the first subnet with a free address.
    std::string subnet;
};

struct NetworkRequest {
    std::string name;
    std::string id;                              ///< "" : generated.
    NetworkType type = NetworkType::Gre;
    std::optional<std::uint32_t> segmentationId; ///< nullopt: next free tunnel id (1, 2, ...).
    bool external = false;
    std::string physicalNetwork = "physnet1";    ///< Flat networks.
    bool shared = false;
};

struct SubnetRequest {
    std::string network;                         ///< Network id or name.
    std::string cidr;                            ///< "10.10.10.0/24".
    std::string name;
    std::string id;                              ///< "" : generated.
    std::optional<Ipv4Address> gatewayIp;        ///< nullopt: first host address (unless noGateway).
    bool noGateway = false;
    std::vector<AllocationPool> allocationPools; ///< Empty: the whole range minus the gateway.
    bool enableDhcp = true;
    std::vector<Ipv4Address> dnsNameservers;
    PortPin dhcpPort;                            ///< The DHCP agent's port, if DHCP is on.
};

struct RouterRequest {
    std::string name;
    std::string id;                              ///< "" : generated.
};

struct NicRequest {
    std::string network;                         ///< Network id or name ("" with portId).
    std::string portId;                          ///< `--nic port-id=`: an existing unbound port.
    PortPin port;                                ///< Pins for a new port (when no portId).
};

struct InstanceRequest {
    std::string name;
    std::string id;                              ///< "" : generated.
    std::string host;                            ///< "" : the compute host with fewest instances.
    std::string image = "cirros-0.3.2-x86_64";
    std::string flavor = "m1.tiny";
    std::vector<NicRequest> nics;
    bool boot = true;                            ///< Start the guest (DHCP client) at once.
};

struct FloatingIpRequest {
    std::string network;                         ///< External network id or name.
    std::string id;
    std::optional<Ipv4Address> address;
    std::string portId;                          ///< Associate with this port ("" : none).
    PortPin floatingPort;                        ///< The network:floatingip port.
};

/// `neutron subnet-update`: the fields the API lets change after creation (unset: kept).
struct SubnetUpdate {
    std::optional<std::string> name;
    std::optional<bool> enableDhcp;
    std::optional<std::vector<Ipv4Address>> dnsNameservers;
    /// Turning DHCP on: pins for the DHCP agent's port (or its address on this subnet).
    PortPin dhcpPort;
};

class Cloud {
public:
    /// 'seed' drives every generated value, in the model and in the engine.
    explicit Cloud(std::uint64_t seed = 1);
    ~Cloud();
    Cloud(const Cloud&) = delete;
    Cloud& operator=(const Cloud&) = delete;

    engine::Lab& lab() { return *m_lab; }
    const TenantState& state() const { return m_state; }
    Agents& agents() { return *m_agents; }
    std::uint64_t seed() const { return m_seed; }

    /// The tenant id (generated unless set before the first object is created).
    void setTenantId(std::string id);

    Result<const Host*> addHost(Host host);
    /// Removes a host that holds nothing (no instance, no bound port): its node leaves the
    /// lab and the other hosts drop their tunnels to it (undo of adding a host).
    Status removeHost(std::string_view name);
    Result<const Network*> createNetwork(const NetworkRequest& request);
    Result<const Subnet*> createSubnet(const SubnetRequest& request);
    /// `neutron port-create NET [--mac-address M] [--fixed-ip ip_address=A]`: an unbound
    /// port (no device owner) that `nova boot --nic port-id=` can use later.
    Result<const Port*> createPort(std::string_view network, const PortPin& pin = {});
    Status deletePort(std::string_view portId);
    Result<const Router*> createRouter(const RouterRequest& request);
    /// `neutron router-interface-add ROUTER SUBNET`: a qr- port with the subnet's gateway IP.
    Result<const Port*> addRouterInterface(std::string_view router, std::string_view subnet,
                                           const PortPin& pin = {});
    Status removeRouterInterface(std::string_view router, std::string_view subnet);
    /// `neutron router-gateway-set ROUTER EXTNET`: a qg- port on the external network.
    Result<const Port*> setRouterGateway(std::string_view router, std::string_view network,
                                         const PortPin& pin = {});
    Status clearRouterGateway(std::string_view router);
    Result<const FloatingIp*> createFloatingIp(const FloatingIpRequest& request);
    Status associateFloatingIp(std::string_view floatingIp, std::string_view portId);
    Status deleteFloatingIp(std::string_view floatingIp);
    Result<const Instance*> bootInstance(const InstanceRequest& request);
    Status deleteInstance(std::string_view instance);
    Status deleteRouter(std::string_view router);
    Status deleteSubnet(std::string_view subnet);
    Status deleteNetwork(std::string_view network);

    /// `neutron net-update NET --name NAME`.
    Status renameNetwork(std::string_view network, std::string name);
    /// `neutron router-update ROUTER --name NAME`.
    Status renameRouter(std::string_view router, std::string name);
    /// `neutron subnet-update SUBNET [--name N] [--enable-dhcp B] [--dns-nameservers ...]`:
    /// turning DHCP off releases the DHCP port's address on the subnet (the port itself with
    /// its last address); turning it on gives the network's DHCP port an address on it
    /// (creating the port, pinned by 'update.dhcpPort', when the network has none). The DHCP
    /// server follows. A failed update changes nothing.
    Status updateSubnet(std::string_view subnet, const SubnetUpdate& update);

    /// The running guest of an instance (null if unknown).
    engine::Vm* vm(std::string_view instance) const;
    /// Runs the lab's clock until every booted instance holds a DHCP lease on each NIC, as a
    /// user waits for `nova list` to show ACTIVE VMs with addresses before logging in, or
    /// until 'limit' of virtual time has passed. @return the virtual time it ran.
    engine::SimDuration settleInstances(engine::SimDuration limit = 60 * engine::kSecond);
    /// Connects a Shell to this cloud: node infos, VM contexts and the neutron/nova
    /// commands. The shell must not outlive the cloud.
    void attachShell(engine::Shell& shell);

    /// Generated values (exposed for the agents and lab files).
    std::string generateUuid();
    MacAddress generateMac();

private:
    std::uint64_t m_seed;
    std::unique_ptr<engine::Lab> m_lab;
    TenantState m_state;
    std::unique_ptr<Agents> m_agents;
    std::mt19937_64 m_rng;
    engine::Shell* m_shell = nullptr;
};

}  // namespace nlab::model
