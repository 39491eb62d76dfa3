#pragma once
// NetNamespace: a Linux network namespace with a small IPv4 stack.
//
// What
//   Every host context of the lab is a namespace: a node's root namespace, qrouter-* and
//   qdhcp-* namespaces, and each VM. A namespace holds interfaces (NetDevice, not owned),
//   IPv4 addresses, a routing table with longest-prefix match, ip_forward, an ARP neighbour
//   cache, and the protocol handlers: ARP (requests, replies, gratuitous ARP), ICMP (echo
//   reply, destination unreachable, time exceeded), IPv4 forwarding with TTL decrement,
//   and UDP/ICMP delivery to registered listeners (DHCP server and client, ping).
//
// Design
//   Frames arrive through a device's receive handler (set by attach()) and leave through
//   NetDevice::transmit(). Sending an IPv4 packet routes it (longest prefix, then lowest
//   metric, then first added), selects the source address, resolves the next hop through
//   the neighbour cache — queueing up to 3 packets per neighbour while an ARP request is
//   outstanding, retrying 3 times one second apart, then dropping the queue with ICMP host
//   unreachable to a local sender, as Linux does (neighbour states INCOMPLETE, REACHABLE,
//   STALE, FAILED; REACHABLE turns STALE after 30 s without confirmation) — and transmits.
//   NAT and other packet filters hook in at PREROUTING and POSTROUTING (NatHook).
//   Time only comes from the SimClock; drops are published on the EventBus with a reason.
//
// Invariants
//   A device is in at most one namespace. Addresses are unique per namespace. Every
//   non-connected route's gateway is reachable through a connected route when added.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/events.h"
#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "engine/net/net_device.h"
#include "engine/packet/addresses.h"

namespace nlab::engine {

struct InterfaceAddress {
    std::string device;
    std::uint32_t address = 0;   ///< Host order.
    int prefixLength = 24;
    std::uint32_t broadcast = 0; ///< Derived: address | ~netmask.
};

struct Route {
    std::uint32_t destination = 0;  ///< Network address, host order (0 for default).
    int prefixLength = 0;
    std::uint32_t gateway = 0;      ///< 0: directly connected ("scope link").
    std::string device;             ///< Output device.
    std::uint32_t source = 0;       ///< Preferred source ("src"), 0: choose.
    int metric = 0;
    enum class Protocol : std::uint8_t { Kernel, Static, Dhcp } protocol = Protocol::Static;
};

struct NeighborEntry {
    /// Linux NUD states (`ip neigh`). Delay and Probe follow Stale when the entry is used
    /// again: 5 s later unicast probes (3, 1 s apart) confirm it or it fails.
    enum class State : std::uint8_t { Incomplete, Reachable, Stale, Failed, Permanent, Delay, Probe };
    std::uint32_t address = 0;
    std::string device;
    std::uint64_t mac = 0;          ///< 0 while incomplete/failed.
    State state = State::Incomplete;
    SimTime updated = 0;
};
std::string_view toString(NeighborEntry::State state);

/// A received UDP datagram, with its frame for listeners that need link-layer details.
/// (Named like IcmpReceived; engine/codec/l4.h's UdpDatagram is the codec's parse result.)
struct UdpReceived {
    const NetDevice* device = nullptr;  ///< Where it arrived.
    std::uint32_t srcIp = 0, dstIp = 0;
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint64_t srcMac = 0;
    std::span<const std::uint8_t> payload;
    const Packet* frame = nullptr;
};

/// A received ICMP message addressed to this namespace (echo replies, errors).
struct IcmpReceived {
    const NetDevice* device = nullptr;
    std::uint32_t srcIp = 0, dstIp = 0;
    std::uint8_t type = 0, code = 0, ttl = 0;
    std::uint16_t id = 0, seq = 0;           ///< Echo messages.
    std::span<const std::uint8_t> payload;   ///< After the 8-byte ICMP header.
    std::size_t ipLength = 0;                ///< IPv4 total length.
    std::span<const std::uint8_t> message;   ///< The whole ICMP message (for parseIcmp).
};

/// Where a NatHook is called.
enum class HookPoint : std::uint8_t { Prerouting, Postrouting };

class NetNamespace {
public:
    /// A packet filter (NAT): may rewrite the IPv4 frame in place; returns false to drop it.
    /// 'in'/'out' are the input/output devices (null when not known at that point).
    using NatHook = std::function<bool(HookPoint, Packet&, const NetDevice* in,
                                       const NetDevice* out)>;
    using UdpListener = std::function<void(const UdpReceived&)>;
    using IcmpListener = std::function<void(const IcmpReceived&)>;

    /// Creates namespace 'name' with a loopback device (owned by the namespace).
    NetNamespace(std::string name, SimClock& clock, EventBus* events);

    // Linux defaults (net.ipv4.neigh.default.*), fixed for determinism.
    static constexpr SimDuration kReachableTime = 30 * kSecond;   ///< base_reachable_time.
    static constexpr SimDuration kRetransTime = 1 * kSecond;      ///< retrans_time.
    static constexpr SimDuration kDelayFirstProbe = 5 * kSecond;  ///< delay_first_probe_time.
    static constexpr int kMcastSolicit = 3;  ///< Broadcast probes while Incomplete.
    static constexpr int kUcastSolicit = 3;  ///< Unicast probes while Probe.
    static constexpr std::size_t kUnresolvedQueueLength = 3;  ///< Packets queued per neighbour.
    ~NetNamespace();
    NetNamespace(const NetNamespace&) = delete;
    NetNamespace& operator=(const NetNamespace&) = delete;

    const std::string& name() const { return m_name; }
    SimClock& clock() const { return m_clock; }
    /// Whether this namespace stands for a VM guest (set by Vm::create): a real host has no
    /// such namespace, so `ip netns` does not list it and `ip netns exec` cannot enter it.
    bool isVmGuest() const { return m_vmGuest; }
    void setVmGuest(bool on) { m_vmGuest = on; }

    // ---- Devices ----
    /// Moves 'dev' into this namespace: its receive handler becomes this stack (unless the
    /// device is enslaved to a bridge afterwards, which replaces the handler).
    void attach(NetDevice& dev);
    /// Removes 'dev' (and its addresses, routes and neighbours) from this namespace.
    void detach(NetDevice& dev);
    NetDevice* device(std::string_view name) const;
    /// The namespace's own loopback device "lo" (ifindex 1, 127.0.0.1/8, up).
    NetDevice& loopback() const;
    /// Devices in ifindex order, "lo" first.
    std::vector<NetDevice*> devices() const;

    // ---- Addresses and routes (`ip addr`, `ip route`) ----
    /// Adds ADDR/PREFIX on 'dev' and its connected route. Errors: NotFound (no such device),
    /// AlreadyExists ("RTNETLINK answers: File exists"), InvalidArgument (prefix > 32).
    Status addAddress(std::string_view dev, std::uint32_t address, int prefixLength);
    Status delAddress(std::string_view dev, std::uint32_t address, int prefixLength);
    /// Addresses of the namespace's devices in ifindex order, primary first per device.
    /// The loopback's 127.0.0.1/8 is implicit and not listed (see loopback()).
    std::vector<InterfaceAddress> addresses() const;
    /// Adds a route. Errors as `ip route add`: NotFound ("Cannot find device"),
    /// InvalidArgument ("Nexthop has invalid gateway" when the gateway is not on a connected
    /// network of the device), AlreadyExists ("File exists").
    Status addRoute(Route route);
    Status delRoute(std::uint32_t destination, int prefixLength);
    std::vector<Route> routes() const;
    /// Longest-prefix-match lookup; nullopt: "Network is unreachable". With 'oif', only
    /// routes through that device are considered (SO_BINDTODEVICE). Local destinations
    /// resolve to a host route on "lo" (Linux's local table).
    std::optional<Route> lookupRoute(std::uint32_t destination,
                                     const NetDevice* oif = nullptr) const;
    /// The source address Linux would choose for 'destination' (route "src", else the
    /// primary address of the output device); 0 when there is no route or no address.
    std::uint32_t selectSource(std::uint32_t destination, const NetDevice* oif = nullptr) const;
    /// Whether 'address' is one of this namespace's addresses.
    bool isLocalAddress(std::uint32_t address) const;
    bool ipForward() const { return m_ipForward; }
    void setIpForward(bool on) { m_ipForward = on; }

    // ---- Neighbours (`ip neigh`, `arp -n`) ----
    std::vector<NeighborEntry> neighbors() const;
    void addPermanentNeighbor(std::string_view dev, std::uint32_t address, std::uint64_t mac);
    void flushNeighbors();
    /// Sends a gratuitous ARP for every address of 'dev' (as an interface coming up does).
    void sendGratuitousArp(std::string_view dev);

    // ---- Sending ----
    /// Routes and sends an IPv4 packet with protocol 'proto' and 'payload' (the L4 header and
    /// data, checksums already filled in, except that a UDP/TCP checksum is recomputed when
    /// 'source' is 0 and the stack chooses it). 'source' 0 selects the route's preferred
    /// source or the output device's first address. 'ttl' 0 means 64. Returns false (and
    /// publishes a drop) when there is no route.
    bool sendIpv4(std::uint32_t destination, std::uint8_t proto,
                  std::vector<std::uint8_t> payload, std::uint32_t source = 0,
                  std::uint8_t ttl = 0, std::uint8_t tos = 0);
    /// Sends an ICMP echo request (id, seq, 'payloadBytes' bytes of iputils-style payload,
    /// 'size' total IP length is 20 + 8 + payloadBytes). Returns false without a route.
    /// The first 16 payload bytes carry the send time as iputils does (a struct timeval of
    /// virtual time since the lab started, little-endian 64-bit seconds and microseconds,
    /// when payloadBytes >= 16); byte i of the payload is otherwise i & 0xff. 'oif' binds the
    /// route lookup to a device (ping -I eth0). The IPv4 header carries DF and TTL 'ttl'
    /// (0: 64).
    bool sendEchoRequest(std::uint32_t destination, std::uint16_t id, std::uint16_t seq,
                         std::size_t payloadBytes, std::uint32_t source = 0,
                         const NetDevice* oif = nullptr, std::uint8_t ttl = 0);
    /// Sends a complete frame out of 'dev' unchanged (DHCP before the stack has an address).
    void sendFrame(std::string_view dev, Packet&& frame);
    /// Sends a prebuilt IPv4 packet inside an Ethernet frame (the MACs are filled in here)
    /// towards its destination address: routing and ARP as sendIpv4. Used by tunnel ports,
    /// whose outer headers the OVS bridge builds.
    bool sendIpv4Frame(Packet&& frame);

    // ---- Listeners ----
    /// Delivers UDP datagrams to 'port' (any local or broadcast destination) to 'listener';
    /// replaces a previous listener of the port. Datagrams to ports without a listener get
    /// ICMP port unreachable (unless broadcast).
    void bindUdp(std::uint16_t port, UdpListener listener);
    void unbindUdp(std::uint16_t port);
    /// Receives every ICMP message delivered locally (after the stack answered echo requests).
    /// Returns an id for removeIcmpListener.
    std::uint64_t addIcmpListener(IcmpListener listener);
    void removeIcmpListener(std::uint64_t id);
    /// Receives IPv4 packets with protocol 'proto' delivered locally (GRE: the node's
    /// tunnel endpoint hands them to OVS tunnel ports).
    void setProtocolHandler(std::uint8_t proto, std::function<void(const NetDevice&, Packet&&)> h);

    // ---- Hooks ----
    void setNatHook(NatHook hook) { m_nat = std::move(hook); }

    /// The entry point a device's receive handler calls.
    void receive(NetDevice& dev, Packet&& frame);

private:
    struct Impl;
    std::string m_name;
    SimClock& m_clock;
    EventBus* m_events;
    bool m_ipForward = false;
    bool m_vmGuest = false;
    NatHook m_nat;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace nlab::engine
