#pragma once
// Host command formatters: the text of `ovs-vsctl show`, `ip netns`, `ethtool -S`,
// `ifconfig` and `ip addr` for a lab node, as an Ubuntu 14.04 / Open vSwitch 2.0.2 host
// prints them (the seed article's host).
//
// What
//   Free functions that read a Node (its namespaces, devices, OVS bridges) and render the
//   exact text of the real commands, so the console and the views can show the lab the way
//   the reference article does.
//
// Design
//   - Pure functions of the model: no side effects, no clock, deterministic.
//   - `ovs-vsctl show`: OVS 2.0 prints bridges, ports and interfaces in the order of their
//     database row UUIDs (sets of references are sorted by UUID), i.e. an order that is random
//     per installation. The engine has no row UUIDs, so the default order is a fixed rule:
//     bridges in creation order; within a bridge, patch ports first, then the other ports in
//     OpenFlow port-number order, the bridge's own (LOCAL) port last. That rule reproduces the
//     seed's network-node br-int and br-tun and compute-node br-int listings, but not the
//     compute-node br-tun (the seed prints br-tun's LOCAL port first) nor br-ex (LOCAL in the
//     middle) nor the seed's bridge order on the compute node (br-tun before br-int). Callers
//     that must reproduce a particular database's listing pass an OvsShowOrder: named items
//     are printed first in the given order, unnamed ones follow by the default rule.
//   - Names are quoted as OVS 2.0's lib/ovsdb-data.c string_needs_quotes() decides: a string
//     is printed bare only if it starts with a letter or '_', continues with letters, '_', '-'
//     or '.', and is not "true"/"false" ("eth2" and "tap78dd7f1e-53" are quoted: 2.0 allows
//     no digits bare; later OVS releases allow digits after the first character and quote
//     UUID-like strings, which this function deliberately does not follow).
//   - IPv6: the engine has no IPv6, so `ifconfig`/`ip addr` print no inet6 lines (the real
//     host prints link-local fe80:: lines and ::1).
//   - Other known simplifications: `ifconfig` shows only the first IPv4 address of a device
//     (as net-tools does without aliases) and no hardware lines (Interrupt:, Base address:);
//     `ip addr` prints plain names (no "@peer" suffix), "scope global" for every address and
//     "valid_lft forever"; qdisc, qlen and operstate are derived from the device kind
//     (Ethernet/veth pfifo_fast qlen 1000, tap qlen 500, lo/OVS internal/bridges noqueue).
//
// Invariants
//   Every function returns complete lines, each ending in '\n'.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lab/lab.h"

namespace nlab::engine {

/// An explicit listing order for formatOvsVsctlShow (e.g. one taken from a real database).
struct OvsShowOrder {
    std::vector<std::string> bridges{};                        ///< Bridge names, first first.
    std::map<std::string, std::vector<std::string>> ports{};   ///< Per bridge: port names.
};

/// Whether OVS (ovsdb string_needs_quotes) prints 'name' in double quotes.
/// @param name a bridge, port, interface or option value.
/// @return true when the string is not a bare identifier (see the header essay).
bool ovsNeedsQuotes(std::string_view name);

/// `ovs-vsctl show` on 'node': the Open_vSwitch row UUID, each bridge with fail_mode (when
/// secure), its ports with tag, interface type (internal, patch, gre, vxlan; system ports
/// print none) and options, then `ovs_version: "..."`.
/// @param node the host.
/// @param dbUuid the Open_vSwitch table's row UUID printed on the first line.
/// @param ovsVersion printed in the last line.
/// @param order optional explicit order (see the header essay); null: the default rule.
/// @return the text; no side effects.
std::string formatOvsVsctlShow(const Node& node, std::string_view dbUuid,
                               std::string_view ovsVersion = "2.0.2",
                               const OvsShowOrder* order = nullptr);

/// `ip netns` / `ip netns show`: one namespace name per line, newest first (iproute2 lists
/// /var/run/netns in directory order, which for a fresh tmpfs is newest first). VM guest
/// namespaces (NetNamespace::isVmGuest) are not listed: a real host has no such entry.
/// @param node the host. @return the text ("" when there is no namespace).
std::string formatIpNetnsShow(const Node& node);
/// The same with the names in 'order' first, in that order (a real host's directory order);
/// the others follow, newest first.
std::string formatIpNetnsShow(const Node& node, const std::vector<std::string>& order);

/// `ethtool -S DEV`: "NIC statistics:\n     peer_ifindex: N\n" for a veth end; for any other
/// kind "no stats available\n" (the real ethtool writes that on stderr and exits 94).
/// @param dev the device. @return the text.
std::string formatEthtoolStats(const NetDevice& dev);

/// net-tools `ifconfig` (no arguments: the interfaces that are up) in 'ns' of 'node'.
/// @param node the host. @param ns the namespace; null: the root namespace.
/// @return the text, one block per interface, each followed by an empty line.
std::string formatIfconfig(const Node& node, const NetNamespace* ns);
/// `ifconfig -a` ('all': down interfaces too) or `ifconfig`.
std::string formatIfconfig(const Node& node, const NetNamespace* ns, bool all);
/// `ifconfig IF`: one interface's block (shown even when down, without UP and RUNNING),
/// followed by an empty line.
std::string formatIfconfigDevice(const NetNamespace& ns, const NetDevice& dev);

/// iproute2 3.12 `ip addr` in 'ns' of 'node': every interface in ifindex order with its
/// flags, MTU, qdisc, master, state, group, qlen, link address and IPv4 addresses.
/// @param node the host. @param ns the namespace; null: the root namespace.
/// @return the text.
std::string formatIpAddr(const Node& node, const NetNamespace* ns);
/// `ip addr show dev DEV` ('withAddresses') or `ip link show DEV` (no inet lines, and
/// "mode DEFAULT" before "group" as iproute2 3.12 prints links).
std::string formatIpAddrDevice(const NetNamespace& ns, const NetDevice& dev, bool withAddresses);
/// iproute2 3.12 `ip link` in 'ns' of 'node' (null: the root namespace).
std::string formatIpLink(const Node& node, const NetNamespace* ns);

/// The routes of 'ns' in the order the kernel dumps its main table (destination, longer
/// prefixes first, metric).
std::vector<Route> routesInKernelOrder(const NetNamespace& ns);
/// iproute2 3.12 `ip route`: "default via 10.10.10.1 dev eth0 \n",
/// "10.10.10.0/24 dev eth0  proto kernel  scope link  src 10.10.10.7 \n" (every field ends
/// with a space, and proto/scope/src/metric also start with one, as print_route() does).
/// Connected routes are "proto kernel"; others are RTPROT_BOOT, which is not printed.
std::string formatIpRoute(const NetNamespace& ns);
/// iproute2 `ip neigh` ("10.10.10.1 dev eth0 lladdr fa:16:3e:2a:46:e0 REACHABLE"); with
/// 'dev' only that device's entries, without the "dev" field ("ip neigh show dev eth0").
std::string formatIpNeigh(const NetNamespace& ns, const NetDevice* dev = nullptr);
/// net-tools `arp -n` (the table with its header, nothing when empty) or, 'bsdStyle',
/// `arp -a`/`arp -an` ("? (10.10.10.1) at fa:16:3e:2a:46:e0 [ether] on eth0"); 'device'
/// filters (arp -i). busybox's arp prints the BSD style.
std::string formatArp(const NetNamespace& ns, bool bsdStyle, std::string_view device = {});
/// net-tools `route -n` ("Kernel IP routing table" and the Destination/Gateway/Genmask table).
std::string formatRouteN(const NetNamespace& ns);

}  // namespace nlab::engine
