#pragma once
// Tenant objects: what Neutron's and Nova's databases hold for one lab.
//
// What
//   Plain value types for hosts (compute and network nodes), networks (tenant and external),
//   subnets, ports, routers, floating IPs and instances, and TenantState, the container
//   that owns them with lookups by id and by name. This is the "database" of the lab: the
//   Cloud (cloud.h) changes it through validated operations and the agents (agents/)
//   realise it in the engine.
//
// Design
//   - Ids are Neutron's: uuid4 strings; MACs fa:16:3e:xx:xx:xx; device names are a prefix
//     plus the first 11 characters of the port id (tap8cbe7bb6-18, qr-d8fd27a6-d1). Every
//     generated value can be pinned (lab files pin all of them for the seed lab).
//   - Values, not pointers: objects refer to each other by id. TenantState keeps each kind
//     in a std::map keyed by id, so listings sorted by id (what `neutron port-list` prints,
//     MySQL's primary-key order) come for free.
//   - No Qt here: the CLI and the tests use the model without a GUI; the Qt item models of
//     the desktop app wrap it.
//
// Invariants (kept by Cloud, checked by lab-file loading)
//   Ids are unique per kind; names of hosts and instances are unique; every reference
//   (subnet -> network, port -> network/subnet, instance -> host/ports, router -> ports)
//   names an existing object; subnets of one network do not overlap; no two ports share a
//   MAC; no two ports of a subnet share an IP.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/packet/addresses.h"

namespace nlab::model {

using engine::Ipv4Address;
using engine::MacAddress;

/// An IPv4 prefix (10.10.10.0/24).
struct Cidr {
    Ipv4Address network{};
    int prefixLength = 0;

    /// Parses "a.b.c.d/n"; nullopt when malformed or when host bits are set.
    static std::optional<Cidr> parse(std::string_view text);
    std::string toString() const;
    bool contains(Ipv4Address a) const;
    bool overlaps(const Cidr& other) const;
    std::uint32_t mask() const;
    bool operator==(const Cidr&) const = default;
};

enum class HostRole { Network, Compute };

/// A physical host. The network node runs the L3 and DHCP agents and holds br-ex; every
/// host runs the OVS agent; compute hosts run nova-compute.
struct Host {
    std::string name;                     ///< "network", "compute" (also the node name).
    HostRole role = HostRole::Compute;
    Ipv4Address managementIp{};           ///< eth0.
    MacAddress managementMac{};           ///< eth0 MAC (0: generated).
    Ipv4Address dataIp{};                 ///< eth1, the tunnel endpoint.
    MacAddress dataMac{};                 ///< eth1 MAC (0: generated).
    int prefixLength = 24;                ///< Of both eth0 and eth1.
    std::string externalNic = "eth2";     ///< Network role: the NIC in br-ex.
    std::string ovsUuid;                  ///< Open_vSwitch row UUID (`ovs-vsctl show`).
    /// Listing order of `ovs-vsctl show` (bridges, ports per bridge) and of `ip netns`:
    /// a real database/filesystem lists in an order of its own (row UUIDs, directory
    /// order). Optional: pinned by the seed lab to reproduce the article's listings.
    std::vector<std::string> bridgeOrder;
    std::map<std::string, std::vector<std::string>> portOrder;
    std::vector<std::string> netnsOrder;  ///< Names, first printed first.
    /// Pinned local VLANs: network id -> VLAN (the OVS agent allocates the rest).
    std::map<std::string, int> localVlans;
    /// Pinned MACs of devices the kernel would generate (br-int, qvbXXX, virbr0, ...).
    std::map<std::string, MacAddress> deviceMacs;
    /// Compute hosts: libvirt's default network, virbr0 192.168.122.1/24 (STP on, no port).
    bool libvirtDefaultNetwork = false;
};

enum class NetworkType { Gre, Vxlan, Flat };

std::string_view toString(NetworkType t);
std::optional<NetworkType> networkTypeFromString(std::string_view s);

struct Network {
    std::string id;
    std::string name;
    std::string tenantId;
    NetworkType type = NetworkType::Gre;
    std::uint32_t segmentationId = 0;     ///< tun_id (GRE/VXLAN); 0 for flat.
    std::string physicalNetwork;          ///< Flat: "physnet1" (bridged to br-ex).
    bool external = false;                ///< router:external.
    bool adminStateUp = true;
    bool shared = false;
};

struct AllocationPool {
    Ipv4Address start{};
    Ipv4Address end{};
    bool operator==(const AllocationPool&) const = default;
};

struct Subnet {
    std::string id;
    std::string name;
    std::string networkId;
    std::string tenantId;
    Cidr cidr{};
    std::optional<Ipv4Address> gatewayIp;           ///< nullopt: no gateway.
    std::vector<AllocationPool> allocationPools;    ///< Default: cidr minus gateway/broadcast.
    bool enableDhcp = true;
    std::vector<Ipv4Address> dnsNameservers;
};

struct FixedIp {
    std::string subnetId;
    Ipv4Address ipAddress{};
    bool operator==(const FixedIp&) const = default;
};

/// device_owner values Neutron uses.
namespace owner {
inline constexpr std::string_view kRouterInterface = "network:router_interface";
inline constexpr std::string_view kRouterGateway = "network:router_gateway";
inline constexpr std::string_view kDhcp = "network:dhcp";
inline constexpr std::string_view kFloatingIp = "network:floatingip";
inline constexpr std::string_view kCompute = "compute:nova";
}  // namespace owner

struct Port {
    std::string id;
    std::string name;                  ///< Usually "" (the article's port-list shows none).
    std::string networkId;
    std::string tenantId;
    MacAddress macAddress{};
    std::vector<FixedIp> fixedIps;
    std::string deviceOwner;           ///< owner::k*.
    std::string deviceId;              ///< Router id, instance id, "dhcp<host>-<network id>".
    std::string hostId;                ///< binding:host_id: the host the port is bound on.
    bool adminStateUp = true;

    /// Device name: prefix + first 11 characters of the id ("tap8cbe7bb6-18").
    std::string deviceName(std::string_view prefix) const { return std::string(prefix) + id.substr(0, 11); }
};

struct FloatingIp {
    std::string id;
    std::string floatingNetworkId;
    Ipv4Address floatingIpAddress{};
    std::string portId;                ///< The associated (instance) port; "" if none.
    std::optional<Ipv4Address> fixedIpAddress;
    std::string routerId;              ///< Router that NATs it; "" if unassociated.
    std::string floatingPortId;        ///< The network:floatingip port holding the address.
    std::string tenantId;
};

struct Router {
    std::string id;
    std::string name;
    std::string tenantId;
    std::string hostId;                ///< The L3 agent's host (the network node).
    std::string gatewayNetworkId;      ///< external_gateway_info.network_id; "" if none.
    std::string gatewayPortId;         ///< The qg- port; "" if none.
    bool enableSnat = true;
    std::vector<std::string> interfacePortIds;  ///< qr- ports, in the order they were added.
    bool adminStateUp = true;
};

enum class InstanceState { Active, Shutoff, Error };

struct Instance {
    std::string id;                    ///< Nova server uuid.
    std::string name;                  ///< Also the VM's console context name.
    std::string hostId;                ///< OS-EXT-SRV-ATTR:host.
    std::string image = "cirros-0.3.2-x86_64";
    std::string flavor = "m1.tiny";
    std::vector<std::string> portIds;  ///< NICs, eth0 first.
    InstanceState state = InstanceState::Active;
    std::string tenantId;
};

/// The lab's tenant database. Maps keyed by id (listing order = id order).
struct TenantState {
    std::string tenantId;                        ///< The one tenant the lab shows.
    std::vector<Host> hosts;                     ///< In the order they were added.
    std::map<std::string, Network> networks;
    std::map<std::string, Subnet> subnets;
    std::map<std::string, Port> ports;
    std::map<std::string, Router> routers;
    std::map<std::string, FloatingIp> floatingIps;
    std::map<std::string, Instance> instances;

    const Host* host(std::string_view name) const;
    /// By id, or by name when no id matches (names may be ambiguous: first by id order).
    const Network* network(std::string_view idOrName) const;
    const Subnet* subnet(std::string_view idOrName) const;
    const Port* port(std::string_view id) const;
    const Router* router(std::string_view idOrName) const;
    const Instance* instance(std::string_view idOrName) const;
    const FloatingIp* floatingIp(std::string_view idOrAddress) const;
    /// The subnets of a network, by id order.
    std::vector<const Subnet*> subnetsOf(std::string_view networkId) const;
    /// The ports of a network, by id order.
    std::vector<const Port*> portsOf(std::string_view networkId) const;
};

}  // namespace nlab::model
