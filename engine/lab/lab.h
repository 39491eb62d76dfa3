#pragma once
// Lab and Node: the owners of everything a lab is made of.
//
// What
//   A Lab owns the virtual clock, the event stream, every network device (NetDevice), the
//   L2 segments between nodes (underlay, external network) and the nodes. A Node is a host:
//   its root namespace, the other namespaces it holds (qrouter-, qdhcp-, VMs), its OVS
//   bridges and Linux bridges, and the tunnel endpoint that joins its OVS tunnel ports to
//   its root namespace's IP stack.
//
// Design (ns-3 helpers: mechanism in devices, assembly here)
//   Node's add* functions create and wire devices the way the kernel, ovs-vswitchd and Nova
//   do: an OVS internal port is a bridge port plus an interface in some namespace; a system
//   port hands an existing interface (a qvo veth end, eth2) to a bridge; a VM NIC is a tap
//   in the node's root namespace joined to the VM's eth0. Every hop between devices goes
//   through the clock with a per-kind latency (LinkLatencies), so a frame's journey has
//   plausible, deterministic timing and no device ever re-enters another synchronously.
//   ifindex numbers are allocated per node, as each kernel does, starting after lo (1).
//   MACs that are not pinned come from a seeded generator: the same lab is the same lab.
//
// Invariants
//   Devices outlive every wiring that refers to them (callbacks scheduled on the clock hold
//   a device's lifetime token weakly). Namespace names are unique per node.

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/core/events.h"
#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "engine/devices/ovs_bridge.h"
#include "engine/net/net_device.h"
#include "engine/netns/net_namespace.h"

namespace nlab::engine {

class Lab;
class L2Segment;
class LinuxBridge;

/// One-way latencies of the hops a frame makes. Defaults give sub-millisecond pings on one
/// host and about a millisecond across the underlay, as the seed article's pings show.
struct LinkLatencies {
    SimDuration veth = 2 * kMicrosecond;          ///< veth pair, patch between namespaces.
    SimDuration ovsPort = 3 * kMicrosecond;       ///< interface <-> OVS bridge.
    SimDuration linuxBridge = 2 * kMicrosecond;   ///< interface <-> Linux bridge.
    SimDuration tap = 120 * kMicrosecond;         ///< VM virtio NIC <-> hypervisor tap.
    SimDuration wire = 150 * kMicrosecond;        ///< NIC <-> L2 segment (each way).
};

class Node {
public:
    Node(Lab& lab, std::string name);
    ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    const std::string& name() const { return m_name; }
    Lab& lab() const { return m_lab; }
    /// This node's event bus: what its devices publish, forwarded to the Lab's bus with
    /// Event::node set to this node's name.
    EventBus& events() { return m_events; }
    NetNamespace& root() { return *m_root; }

    // ---- Namespaces ----
    /// Creates namespace 'name' (`ip netns add`). AlreadyExists if taken.
    Result<NetNamespace*> addNamespace(const std::string& name);
    /// Deletes a namespace and every device in it. NotFound if unknown.
    Status deleteNamespace(std::string_view name);
    NetNamespace* netns(std::string_view name) const;
    /// Namespaces other than the root, in creation order (`ip netns` lists newest first).
    std::vector<NetNamespace*> namespaces() const;

    // ---- Devices ----
    /// Allocates the next ifindex of this node and creates a device in namespace 'ns'
    /// (root when null). MAC 0 means a generated locally administered address.
    NetDevice& createDevice(const std::string& name, DeviceKind kind, std::uint64_t mac = 0,
                            NetNamespace* ns = nullptr);
    /// Creates a veth pair (`ip link add A type veth peer name B`).
    std::pair<NetDevice*, NetDevice*> createVethPair(const std::string& a, const std::string& b,
                                                     NetNamespace* nsA = nullptr,
                                                     NetNamespace* nsB = nullptr);
    /// Removes a device (and unwires it). Its ifindex is not reused.
    void destroyDevice(NetDevice& dev);
    NetDevice* device(std::string_view name, const NetNamespace* ns = nullptr) const;
    NetDevice* deviceByIfindex(int ifindex) const;
    /// All devices of the node, in ifindex order.
    std::vector<NetDevice*> devices() const;

    // ---- OVS ----
    /// `ovs-vsctl add-br`: the bridge and its LOCAL internal interface in the root namespace.
    Result<OvsBridge*> addOvsBridge(const std::string& name,
                                    OvsBridge::FailMode mode = OvsBridge::FailMode::Secure,
                                    std::uint64_t mac = 0);
    Status deleteOvsBridge(std::string_view name);
    OvsBridge* ovsBridge(std::string_view name) const;
    std::vector<OvsBridge*> ovsBridges() const;
    /// `ovs-vsctl add-port BR NAME -- set interface NAME type=internal` (+ tag), with the
    /// interface moved into 'ns' (root when null), as the DHCP and L3 agents do.
    Result<NetDevice*> addOvsInternalPort(OvsBridge& br, const std::string& name,
                                          std::optional<std::uint16_t> tag = {},
                                          NetNamespace* ns = nullptr, std::uint64_t mac = 0,
                                          std::uint32_t ofport = 0);
    /// `ovs-vsctl add-port BR DEV` (+ tag) for an existing interface of the root namespace.
    Result<std::uint32_t> addOvsSystemPort(OvsBridge& br, NetDevice& dev,
                                           std::optional<std::uint16_t> tag = {},
                                           std::uint32_t ofport = 0);
    /// Two patch ports peered with each other (patch-tun on 'a', patch-int on 'b').
    Status addOvsPatchPair(OvsBridge& a, const std::string& portA, OvsBridge& b,
                           const std::string& portB, std::uint32_t ofportA = 0,
                           std::uint32_t ofportB = 0);
    /// Removes a port (and its internal interface, if any).
    Status deleteOvsPort(OvsBridge& br, std::string_view port);

    // ---- Linux bridges ----
    /// `brctl addbr NAME` + `ip link set NAME up`, STP off, forward delay 0 (as Nova's
    /// hybrid plug sets them). AlreadyExists if a device of that name exists.
    Result<LinuxBridge*> addLinuxBridge(const std::string& name);
    LinuxBridge* linuxBridge(std::string_view name) const;
    std::vector<LinuxBridge*> linuxBridges() const;
    Status deleteLinuxBridge(std::string_view name);

    // ---- VMs ----
    /// A VM NIC as libvirt makes it: 'ifname' (eth0) in 'vmNs' with 'mac', and its
    /// hypervisor side 'tapName' in the root namespace with the same MAC but first octet
    /// 0xfe (fa:16:3e:32:28:af -> fe:16:3e:32:28:af), joined with the tap latency.
    /// Returns {eth0, tap}.
    Result<std::pair<NetDevice*, NetDevice*>> addVmNic(NetNamespace& vmNs, const std::string& tapName,
                                                       std::uint64_t mac,
                                                       const std::string& ifname = "eth0");

    /// Makes 'localIp' (an address of the root namespace) this node's tunnel endpoint:
    /// tunnel ports of every OVS bridge send through the root stack, and GRE/VXLAN packets
    /// the root stack receives go to the bridges' tunnel ports.
    void setTunnelEndpoint(std::uint32_t localIp);
    std::uint32_t tunnelEndpoint() const { return m_tunnelIp; }

private:
    void wireOvsBridge(OvsBridge& br);
    void dispatchTunnelFrame(Packet&& frame);

    Lab& m_lab;
    std::string m_name;
    EventBus m_events;  // forwards to the Lab's bus, stamping events with this node's name
    std::unique_ptr<NetNamespace> m_root;
    std::vector<std::unique_ptr<NetNamespace>> m_namespaces;
    std::map<int, std::unique_ptr<NetDevice>> m_devices;  // by ifindex
    int m_nextIfindex = 2;                                // 1 is lo
    std::vector<std::unique_ptr<OvsBridge>> m_ovsBridges;
    std::map<std::pair<const OvsBridge*, std::uint32_t>, NetDevice*> m_internalPorts;
    std::vector<std::unique_ptr<LinuxBridge>> m_linuxBridges;
    std::uint32_t m_tunnelIp = 0;
};

class Lab {
public:
    /// 'seed' drives every generated value (MACs, ids): equal seeds give equal labs.
    explicit Lab(std::uint64_t seed = 1);
    ~Lab();
    Lab(const Lab&) = delete;
    Lab& operator=(const Lab&) = delete;

    SimClock& clock() { return m_clock; }
    EventBus& events() { return m_events; }
    LinkLatencies& latencies() { return m_latencies; }
    const LinkLatencies& latencies() const { return m_latencies; }

    Result<Node*> addNode(const std::string& name);
    /// Removes a node and everything on it (devices leave their segments; frames in flight
    /// towards them are dropped). NotFound if unknown. The caller makes sure nothing else
    /// (VMs, services) still refers to the node's namespaces or devices.
    Status removeNode(std::string_view name);
    Node* node(std::string_view name) const;
    std::vector<Node*> nodes() const;

    /// A fresh MAC: 'oui' (default fa:16:3e, Neutron's) + 24 generated bits; 0 as 'oui'
    /// gives a locally administered address (as the kernel's random MACs).
    std::uint64_t generateMac(std::uint32_t oui = 0);
    /// Assigns the next engine-wide packet id.
    std::uint64_t nextPacketId() { return m_nextPacketId++; }

    /// Joins two devices (of any nodes) as a point-to-point medium with 'latency'.
    void connect(NetDevice& a, NetDevice& b, SimDuration latency);

    /// An Ethernet segment between nodes (the underlay, the external network), with the
    /// wire latency. AlreadyExists if the name is taken.
    Result<L2Segment*> addSegment(const std::string& name);
    L2Segment* segment(std::string_view name) const;

private:
    SimClock m_clock;
    EventBus m_events;
    LinkLatencies m_latencies;
    std::mt19937_64 m_rng;
    std::vector<std::unique_ptr<L2Segment>> m_segments;  // before nodes: outlives them
    std::vector<std::unique_ptr<Node>> m_nodes;
    std::uint64_t m_nextPacketId = 1;
};

}  // namespace nlab::engine
