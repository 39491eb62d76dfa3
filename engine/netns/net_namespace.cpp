#include "engine/netns/net_namespace.h"

#include "engine/codec/arp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/icmp.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/codec/wire.h"
#include "engine/core/assert.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <unordered_map>
#include <utility>

namespace nlab::engine {

namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeArp = 0x0806;
constexpr std::uint64_t kBroadcastMac = 0xffffffffffffULL;
constexpr std::uint32_t kLimitedBroadcast = 0xffffffffU;
constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::size_t kEth = kEthernetHeaderLength;
/// Linux quotes as much of the offending datagram as fits in a 576-byte error datagram.
constexpr std::size_t kIcmpErrorQuoteMax = 576 - kIpv4HeaderLength - kIcmpHeaderLength;

std::uint32_t netmask(int prefixLength) {
    return prefixLength == 0 ? 0 : ~std::uint32_t(0) << (32 - prefixLength);
}

bool isMulticastIp(std::uint32_t a) { return (a >> 28) == 0xe; }
bool isLoopbackIp(std::uint32_t a) { return (a >> 24) == 127; }

/// Where a received frame was addressed on the link (Linux skb->pkt_type).
enum class PacketType : std::uint8_t { Host, Broadcast, Multicast, OtherHost };

std::uint64_t neighborKey(const NetDevice* dev, std::uint32_t ip) {
    return (std::uint64_t(std::uint32_t(dev->ifindex())) << 32) | ip;
}

}  // namespace

std::string_view toString(NeighborEntry::State state) {
    switch (state) {
        case NeighborEntry::State::Incomplete: return "INCOMPLETE";
        case NeighborEntry::State::Reachable: return "REACHABLE";
        case NeighborEntry::State::Stale: return "STALE";
        case NeighborEntry::State::Failed: return "FAILED";
        case NeighborEntry::State::Permanent: return "PERMANENT";
        case NeighborEntry::State::Delay: return "DELAY";
        case NeighborEntry::State::Probe: return "PROBE";
    }
    return "NONE";
}

// ---------------------------------------------------------------------------------------
// Impl: the per-namespace tables. Everything per packet works on the frame in place.
// ---------------------------------------------------------------------------------------

struct NetNamespace::Impl {
    using State = NeighborEntry::State;

    struct DeviceSlot {
        NetDevice* dev = nullptr;
        std::weak_ptr<void> life;  // The device's lifetime token: expired once it is destroyed.
        std::vector<InterfaceAddress> addrs;  // Primary (first added) first.
    };
    struct RouteEntry {
        Route route;
        NetDevice* dev = nullptr;
        std::uint64_t order = 0;  // Insertion order, for ties.
    };
    struct Neighbor {
        NetDevice* dev = nullptr;
        std::uint32_t ip = 0;
        std::uint64_t mac = 0;
        State state = State::Incomplete;
        SimTime updated = 0;     // Last state/MAC change.
        SimTime confirmed = 0;   // Last reachability confirmation.
        SimTime used = 0;        // Last use for output.
        int probes = 0;
        EventId timer = 0;
        std::uint32_t probeSource = 0;  // Source address of the packet that triggered it.
        std::deque<Packet> queue;       // Packets waiting for resolution (complete frames).
    };

    NetNamespace& ns;
    std::unique_ptr<NetDevice> lo;
    std::vector<DeviceSlot> devices;  // Sorted by ifindex; lo first.
    std::vector<RouteEntry> routes;   // Sorted: prefix desc, metric asc, order asc.
    std::uint64_t routeOrder = 0;
    std::unordered_map<std::uint64_t, Neighbor> neighbors;
    std::unordered_map<std::uint16_t, UdpListener> udp;
    std::vector<std::pair<std::uint64_t, IcmpListener>> icmp;  // null fn: removed.
    std::uint64_t nextIcmpId = 1;
    int icmpDelivering = 0;
    std::vector<std::pair<std::uint8_t, std::function<void(const NetDevice&, Packet&&)>>> protos;
    std::deque<Packet> loopQueue;
    bool loopScheduled = false;
    std::uint16_t ipId = 1;
    std::shared_ptr<int> alive = std::make_shared<int>(0);

    explicit Impl(NetNamespace& owner) : ns(owner) {}

    // ---- Lookups ----
    DeviceSlot* slot(const NetDevice* dev) {
        for (auto& s : devices)
            if (s.dev == dev) return &s;
        return nullptr;
    }
    const DeviceSlot* slot(const NetDevice* dev) const {
        for (const auto& s : devices)
            if (s.dev == dev) return &s;
        return nullptr;
    }
    DeviceSlot* slotByName(std::string_view name) {
        for (auto& s : devices)
            if (s.dev->name() == name) return &s;
        return nullptr;
    }
    bool isLocal(std::uint32_t a) const {
        if (isLoopbackIp(a)) return true;
        for (const auto& s : devices)
            for (const auto& ia : s.addrs)
                if (ia.address == a) return true;
        return false;
    }
    /// Broadcast addresses of the local table: 255.255.255.255 and every subnet broadcast.
    bool isBroadcast(std::uint32_t a) const {
        if (a == kLimitedBroadcast) return true;
        for (const auto& s : devices)
            for (const auto& ia : s.addrs)
                if (ia.prefixLength < 31 && ia.broadcast == a) return true;
        return false;
    }
    bool isBroadcastOn(const NetDevice* dev, std::uint32_t a) const {
        if (a == kLimitedBroadcast) return true;
        if (const DeviceSlot* s = slot(dev))
            for (const auto& ia : s->addrs)
                if (ia.prefixLength < 31 && ia.broadcast == a) return true;
        return false;
    }
    std::uint32_t primaryAddress(const NetDevice* dev) const {
        const DeviceSlot* s = slot(dev);
        return (s && !s->addrs.empty()) ? s->addrs.front().address : 0;
    }
    /// Linux inet_select_addr: an address of 'dev' on the subnet of 'dst', else its primary
    /// address, else any address of the namespace.
    std::uint32_t selectAddress(const NetDevice* dev, std::uint32_t dst) const {
        if (const DeviceSlot* s = slot(dev)) {
            for (const auto& ia : s->addrs)
                if ((ia.address & netmask(ia.prefixLength)) == (dst & netmask(ia.prefixLength)))
                    return ia.address;
            if (!s->addrs.empty()) return s->addrs.front().address;
        }
        for (const auto& s : devices)
            if (s.dev != lo.get() && !s.addrs.empty()) return s.addrs.front().address;
        return 0;
    }

    const RouteEntry* lookup(std::uint32_t dst, const NetDevice* oif) const {
        for (const auto& r : routes) {
            if (oif && r.dev != oif) continue;
            if ((dst & netmask(r.route.prefixLength)) == r.route.destination) return &r;
        }
        return nullptr;
    }
    std::uint32_t routeSource(const RouteEntry& r, std::uint32_t dst) const {
        return r.route.source ? r.route.source : selectAddress(r.dev, dst);
    }

    void insertRoute(Route route, NetDevice* dev) {
        RouteEntry e{std::move(route), dev, routeOrder++};
        auto pos = std::find_if(routes.begin(), routes.end(), [&](const RouteEntry& r) {
            if (r.route.prefixLength != e.route.prefixLength)
                return r.route.prefixLength < e.route.prefixLength;
            return r.route.metric > e.route.metric;
        });
        routes.insert(pos, std::move(e));
    }

    // ---- Events ----
    void drop(const NetDevice* dev, const Packet* p, std::string_view reason) {
        if (ns.m_events == nullptr || !ns.m_events->active()) return;
        FrameDropped ev;
        ev.device = ns.m_name;
        ev.port = dev ? std::string_view(dev->name()) : std::string_view();
        ev.packetId = p ? p->id : 0;
        ev.reason = reason;
        ev.packet = p;
        ns.m_events->publish(ns.m_clock.now(), ev);
    }
    bool eventsActive() const { return ns.m_events != nullptr && ns.m_events->active(); }

    // ---- Link layer ----
    void transmitArp(NetDevice& dev, std::uint16_t op, std::uint64_t ethDst, std::uint32_t spa,
                     std::uint64_t tha, std::uint32_t tpa) {
        ArpPacket arp;
        arp.op = op;
        arp.sha = MacAddress::fromU64(dev.mac());
        arp.spa = Ipv4Address(spa);
        arp.tha = MacAddress::fromU64(tha);
        arp.tpa = Ipv4Address(tpa);
        // Linux does not pad in software: an ARP frame on a veth or tap is 42 bytes.
        std::vector<std::uint8_t> bytes;
        bytes.reserve(kEth + kArpPacketLength);
        appendEthernetHeader(bytes, MacAddress::fromU64(ethDst), MacAddress::fromU64(dev.mac()),
                             kEtherTypeArp);
        appendArp(bytes, arp);
        dev.transmit(Packet(std::move(bytes)));
    }

    void fillMacsAndTransmit(NetDevice& dev, std::uint64_t dstMac, Packet&& frame) {
        std::uint8_t* p = frame.data().data();
        wire::store48(p, dstMac);
        wire::store48(p + 6, dev.mac());
        wire::store16(p + 12, kEtherTypeIpv4);
        dev.transmit(std::move(frame));
    }

    // ---- Neighbours ----
    void cancelTimer(Neighbor& n) {
        if (n.timer) ns.m_clock.cancel(n.timer);
        n.timer = 0;
    }
    void armTimer(Neighbor& n, SimDuration delay) {
        cancelTimer(n);
        std::weak_ptr<int> token = alive;
        const std::uint64_t key = neighborKey(n.dev, n.ip);
        n.timer = ns.m_clock.schedule(delay, [this, token, key] {
            if (token.expired()) return;
            neighborTimer(key);
        });
    }
    void sendProbe(Neighbor& n, bool unicast) {
        std::uint32_t src = n.probeSource;
        if (src == 0 || !isLocal(src)) src = selectAddress(n.dev, n.ip);
        transmitArp(*n.dev, arp_op::kRequest, unicast ? n.mac : kBroadcastMac, src, 0, n.ip);
        n.probes++;
    }
    void enterReachable(Neighbor& n, std::uint64_t mac) {
        const SimTime now = ns.m_clock.now();
        if (n.mac != mac) n.updated = now;
        if (n.state != State::Reachable) n.updated = now;
        n.mac = mac;
        n.state = State::Reachable;
        n.confirmed = now;
        n.probes = 0;
        armTimer(n, kReachableTime);
        flushQueue(n);
    }
    void flushQueue(Neighbor& n) {
        while (!n.queue.empty()) {
            Packet p = std::move(n.queue.front());
            n.queue.pop_front();
            fillMacsAndTransmit(*n.dev, n.mac, std::move(p));
        }
    }
    void neighborTimer(std::uint64_t key) {
        auto it = neighbors.find(key);
        if (it == neighbors.end()) return;
        Neighbor& n = it->second;
        n.timer = 0;
        const SimTime now = ns.m_clock.now();
        switch (n.state) {
            case State::Reachable:
                if (now - n.confirmed < kReachableTime) {
                    armTimer(n, n.confirmed + kReachableTime - now);
                } else if (now - n.used < kDelayFirstProbe) {
                    n.state = State::Delay;
                    n.updated = now;
                    armTimer(n, n.used + kDelayFirstProbe - now);
                } else {
                    n.state = State::Stale;
                    n.updated = now;
                }
                break;
            case State::Delay:
                if (now - n.confirmed < kDelayFirstProbe) {
                    n.state = State::Reachable;
                    n.updated = now;
                    armTimer(n, n.confirmed + kReachableTime - now);
                } else {
                    n.state = State::Probe;
                    n.updated = now;
                    n.probes = 0;
                    sendProbe(n, true);
                    armTimer(n, kRetransTime);
                }
                break;
            case State::Probe:
                if (n.probes >= kUcastSolicit) {
                    fail(n);
                } else {
                    sendProbe(n, true);
                    armTimer(n, kRetransTime);
                }
                break;
            case State::Incomplete:
                if (n.probes >= kMcastSolicit) {
                    fail(n);
                } else {
                    sendProbe(n, false);
                    armTimer(n, kRetransTime);
                }
                break;
            case State::Stale:
            case State::Failed:
            case State::Permanent:
                break;
        }
    }
    /// Resolution failed: the queue is dropped and each queued packet's sender is told
    /// "host unreachable" (Linux neigh_invalidate -> arp_error_report -> icmp_send).
    void fail(Neighbor& n) {
        n.state = State::Failed;
        n.updated = ns.m_clock.now();
        n.mac = 0;
        cancelTimer(n);
        std::string reason;
        if (eventsActive()) {
            reason = "ARP for " + formatIpv4(n.ip) + " on " + n.dev->name() + " failed";
        }
        std::deque<Packet> queue = std::move(n.queue);
        n.queue.clear();
        NetDevice* dev = n.dev;
        for (auto& p : queue) {
            drop(dev, &p, reason);
            dev->stats().txDropped++;
            icmpError(p, kEth, icmp_type::kDestUnreachable, icmp_unreach::kHost, 0, nullptr);
        }
    }
    /// Sends 'frame' (Ethernet header to fill + IPv4) to next hop 'nh' on 'dev'.
    void resolveAndSend(NetDevice& dev, std::uint32_t nh, std::uint32_t src, Packet&& frame) {
        const std::uint64_t key = neighborKey(&dev, nh);
        auto it = neighbors.find(key);
        const SimTime now = ns.m_clock.now();
        if (it != neighbors.end()) {
            Neighbor& n = it->second;
            switch (n.state) {
                case State::Reachable:
                case State::Permanent:
                case State::Delay:
                case State::Probe:
                    n.used = now;
                    fillMacsAndTransmit(dev, n.mac, std::move(frame));
                    return;
                case State::Stale:
                    n.used = now;
                    n.state = State::Delay;
                    n.updated = now;
                    armTimer(n, kDelayFirstProbe);
                    fillMacsAndTransmit(dev, n.mac, std::move(frame));
                    return;
                case State::Incomplete:
                    n.used = now;
                    enqueue(n, std::move(frame));
                    return;
                case State::Failed:
                    break;
            }
        } else {
            it = neighbors.emplace(key, Neighbor{}).first;
            it->second.dev = &dev;
            it->second.ip = nh;
        }
        Neighbor& n = it->second;
        n.state = State::Incomplete;
        n.updated = now;
        n.used = now;
        n.mac = 0;
        n.probes = 0;
        n.probeSource = src;
        enqueue(n, std::move(frame));
        sendProbe(n, false);
        armTimer(n, kRetransTime);
    }
    void enqueue(Neighbor& n, Packet&& frame) {
        if (n.queue.size() >= kUnresolvedQueueLength) {
            // Linux drops the oldest queued packet (unres_discards).
            drop(n.dev, &n.queue.front(), "neighbour queue full");
            n.dev->stats().txDropped++;
            n.queue.pop_front();
        }
        n.queue.push_back(std::move(frame));
    }

    // ---- Output ----
    std::uint16_t nextIpId() { return ipId++; }

    /// Builds an Ethernet frame (zero MACs) carrying an IPv4 header and room for 'l4Length'
    /// bytes, which the caller writes at offset 34.
    static std::vector<std::uint8_t> frameFor(const Ipv4Fields& f, std::size_t l4Length) {
        std::vector<std::uint8_t> bytes;
        bytes.reserve(kEth + kIpv4HeaderLength + l4Length);
        bytes.resize(kEth, 0);
        wire::store16(bytes.data() + 12, kEtherTypeIpv4);
        appendIpv4Header(bytes, f, l4Length);
        return bytes;
    }

    /// The output path after routing: POSTROUTING, loopback or MTU check, neighbour, transmit.
    /// 'forwarded' packets were MTU-checked by the forward path.
    bool output(Packet&& frame, const RouteEntry& rt, const NetDevice* in, bool forwarded) {
        NetDevice& dev = *rt.dev;
        if (ns.m_nat) {
            if (!ns.m_nat(HookPoint::Postrouting, frame, in, &dev)) {
                drop(&dev, &frame, "dropped by POSTROUTING hook");
                return false;
            }
        }
        if (frame.size() < kEth + kIpv4HeaderLength) {
            drop(&dev, &frame, "truncated IPv4 frame");
            return false;
        }
        const std::uint8_t* ip = frame.data().data() + kEth;
        const std::uint32_t src = wire::load32(ip + 12);
        const std::uint32_t dst = wire::load32(ip + 16);
        const std::size_t ipLength = wire::load16(ip + 2);
        if (&dev == lo.get()) {
            fillMacsAndTransmit(dev, 0, std::move(frame));
            return true;
        }
        if (!forwarded && ipLength > std::size_t(dev.mtu())) {
            if (eventsActive()) {
                drop(&dev, &frame,
                     "message too long: " + std::to_string(ipLength) + " bytes > mtu " +
                         std::to_string(dev.mtu()) + " of " + dev.name() +
                         " (fragmentation is not modelled)");
            }
            dev.stats().txDropped++;
            return false;
        }
        if (isBroadcastOn(&dev, dst) || isMulticastIp(dst)) {
            std::uint64_t mac = kBroadcastMac;
            if (isMulticastIp(dst)) mac = 0x01005e000000ULL | (dst & 0x7fffff);
            fillMacsAndTransmit(dev, mac, std::move(frame));
            return true;
        }
        const std::uint32_t nh = rt.route.gateway ? rt.route.gateway : dst;
        resolveAndSend(dev, nh, forwarded ? 0 : src, std::move(frame));
        return true;
    }

    void loopbackTransmit(Packet&& frame) {
        loopQueue.push_back(std::move(frame));
        if (loopScheduled) return;
        loopScheduled = true;
        std::weak_ptr<int> token = alive;
        ns.m_clock.schedule(0, [this, token] {
            if (token.expired()) return;
            loopScheduled = false;
            // Packets looped while draining wait for the next event, as netif_rx does.
            std::deque<Packet> batch = std::move(loopQueue);
            loopQueue.clear();
            for (auto& p : batch) lo->receive(std::move(p));
        });
    }

    /// Routes and sends a locally generated frame: an Ethernet header whose addresses are
    /// filled in here, then IPv4.
    bool sendLocal(Packet&& frame, std::uint32_t dst, const NetDevice* oif) {
        const RouteEntry* rt = routeFor(dst, oif);
        if (rt == nullptr) {
            if (eventsActive()) drop(nullptr, &frame, "no route to host " + formatIpv4(dst));
            return false;
        }
        return output(std::move(frame), *rt, nullptr, false);
    }

    /// A host route through lo for local destinations (Linux's local table), else the main
    /// table. The limited broadcast leaves through 'oif' or the device of 'src' when one is
    /// given (ip_route_output: the source address selects the device), else by the table.
    /// Returned pointers are valid until the routes change.
    const RouteEntry* routeFor(std::uint32_t dst, const NetDevice* oif, std::uint32_t src = 0) {
        if ((oif == nullptr || oif == lo.get()) && isLocal(dst)) {
            localRoute.route.destination = dst;
            localRoute.route.source = dst;
            return &localRoute;
        }
        if (dst == kLimitedBroadcast && (oif != nullptr || src != 0)) {
            NetDevice* dev = nullptr;
            for (const auto& s : devices) {
                if (s.dev == lo.get()) continue;
                if (oif != nullptr && s.dev == oif) dev = s.dev;
                if (oif == nullptr)
                    for (const auto& ia : s.addrs)
                        if (ia.address == src) dev = s.dev;
            }
            if (dev != nullptr) {
                broadcastRoute.dev = dev;
                broadcastRoute.route.device = dev->name();
                broadcastRoute.route.source = src ? src : primaryAddress(dev);
                return &broadcastRoute;
            }
        }
        return lookup(dst, oif);
    }
    RouteEntry localRoute;
    RouteEntry broadcastRoute{Route{kLimitedBroadcast, 32, 0, "", 0, 0, Route::Protocol::Kernel},
                              nullptr, 0};

    // ---- ICMP errors ----
    /// Sends ICMP 'type'/'code' about the IPv4 datagram at 'ipOffset' of 'frame' to its
    /// source, with Linux's restrictions (never about ICMP errors, broadcasts, non-first
    /// fragments, or from an unspecified/broadcast source). 'in' is the input device of a
    /// received datagram (null for local ones).
    void icmpError(const Packet& frame, std::size_t ipOffset, std::uint8_t type, std::uint8_t code,
                   std::uint16_t word2, const NetDevice* in) {
        if (frame.size() < ipOffset + kIpv4HeaderLength) return;
        auto ipBytes = frame.bytes().subspan(ipOffset);
        Ipv4Datagram d;
        if (!parseIpv4(ipBytes, d).ok()) return;
        const std::uint32_t src = d.src().toU32();
        const std::uint32_t dst = d.dst().toU32();
        if (src == 0 || isBroadcast(src) || isMulticastIp(src)) return;
        if (isMulticastIp(dst) || (in != nullptr && isBroadcast(dst))) return;
        if (d.isLaterFragment()) return;
        if (d.protocol() == kProtoIcmp) {
            if (d.payload.empty()) return;
            if (icmpTypeIsError(d.payload[0])) return;
        }
        const auto original = ipBytes.first(d.totalLength);
        const auto quote = original.first(std::min(original.size(), kIcmpErrorQuoteMax));
        std::uint32_t from = 0;
        if (isLocal(dst)) from = dst;
        const RouteEntry* rt = routeFor(src, nullptr);
        if (rt == nullptr) return;
        if (from == 0) from = routeSource(*rt, src);
        Ipv4Fields f;
        f.src = Ipv4Address(from);
        f.dst = Ipv4Address(src);
        f.protocol = kProtoIcmp;
        f.ttl = 64;
        f.tos = static_cast<std::uint8_t>((d.header.tos & 0x1c) | 0xc0);  // IPTOS_PREC_INTERNETCONTROL
        f.id = nextIpId();
        std::vector<std::uint8_t> bytes = frameFor(f, kIcmpHeaderLength + quote.size());
        IcmpHeader h;
        h.type = type;
        h.code = code;
        h.word2 = Be16(word2);
        const std::size_t at = bytes.size();
        bytes.resize(at + kIcmpHeaderLength);
        std::memcpy(bytes.data() + at, &h, sizeof h);
        bytes.insert(bytes.end(), quote.begin(), quote.end());
        wire::store16(bytes.data() + at + 2,
                      internetChecksum(std::span<const std::uint8_t>(bytes).subspan(at)));
        output(Packet(std::move(bytes)), *rt, nullptr, false);
    }

    // ---- Input ----
    void receiveArp(NetDevice& dev, std::span<const std::uint8_t> payload, PacketType type) {
        ArpPacket arp;
        if (!parseArp(payload, arp).ok()) return;
        if (dev.kind() == DeviceKind::Loopback) return;
        const std::uint32_t sip = arp.spa.toU32();
        const std::uint32_t tip = arp.tpa.toU32();
        const std::uint64_t sha = arp.sha.toU64();
        if (arp.op != arp_op::kRequest && arp.op != arp_op::kReply) return;
        if (isMulticastIp(tip) || isLoopbackIp(tip)) return;
        if (arp.sha.isMulticast()) return;
        const bool tipLocal = isLocal(tip) && !isLoopbackIp(tip);
        if (sip == 0) {
            // Duplicate address detection probe: answer for our address, learn nothing.
            if (arp.op == arp_op::kRequest && tipLocal)
                transmitArp(dev, arp_op::kReply, sha, tip, sha, sip);
            return;
        }
        if (arp.op == arp_op::kRequest && tipLocal) {
            // neigh_event_ns: the requester becomes (at least) STALE, then we answer
            // (arp_ignore=0: for any local address).
            learn(dev, sip, sha, State::Stale, true);
            transmitArp(dev, arp_op::kReply, sha, tip, sha, sip);
            return;
        }
        // Only existing entries are updated (arp_accept=0). Unicast replies confirm
        // reachability; requests and broadcast replies (gratuitous ARP) make it STALE.
        const bool garp = sip == tip;
        const State st =
            (arp.op == arp_op::kReply && type == PacketType::Host) ? State::Reachable : State::Stale;
        learn(dev, sip, sha, st, garp);
    }

    /// Linux neigh_update for a learnt (sip, sha). Creates the entry only when 'create'.
    void learn(NetDevice& dev, std::uint32_t ip, std::uint64_t mac, State st, bool force) {
        const std::uint64_t key = neighborKey(&dev, ip);
        auto it = neighbors.find(key);
        const SimTime now = ns.m_clock.now();
        if (it == neighbors.end()) {
            if (st != State::Stale || !force) return;
            Neighbor n;
            n.dev = &dev;
            n.ip = ip;
            n.mac = mac;
            n.state = State::Stale;
            n.updated = now;
            neighbors.emplace(key, std::move(n));
            return;
        }
        Neighbor& n = it->second;
        if (n.state == State::Permanent) return;
        const bool valid = n.state != State::Incomplete && n.state != State::Failed;
        // Within locktime (1 s) a different address does not override a valid entry.
        if (valid && n.mac != mac && !force && now - n.updated < kSecond) return;
        if (st == State::Reachable) {
            enterReachable(n, mac);
            return;
        }
        // STALE: keep a valid entry's state when the address is unchanged.
        if (valid && n.mac == mac) return;
        cancelTimer(n);
        n.mac = mac;
        n.state = State::Stale;
        n.updated = now;
        n.probes = 0;
        flushQueue(n);
    }

    void receiveIpv4(NetDevice& dev, Packet&& frame, std::size_t l2, PacketType type) {
        Ipv4Datagram d;
        auto ipBytes = frame.bytes().subspan(l2);
        if (!parseIpv4(ipBytes, d).ok()) {
            dev.stats().rxErrors++;
            drop(&dev, &frame, "malformed IPv4 header");
            return;
        }
        if (!ipv4HeaderChecksumValid(ipBytes.first(d.headerLength))) {
            dev.stats().rxErrors++;
            drop(&dev, &frame, "bad IPv4 header checksum");
            return;
        }
        // ip_rcv trims link-layer padding.
        if (frame.size() > l2 + d.totalLength) frame.data().resize(l2 + d.totalLength);
        if (ns.m_nat) {
            if (!ns.m_nat(HookPoint::Prerouting, frame, &dev, nullptr)) {
                drop(&dev, &frame, "dropped by PREROUTING hook");
                return;
            }
            ipBytes = frame.bytes().subspan(l2);
            if (!parseIpv4(ipBytes, d).ok()) {
                drop(&dev, &frame, "malformed IPv4 header after PREROUTING hook");
                return;
            }
        }
        const std::uint32_t dst = d.dst().toU32();
        const std::uint32_t src = d.src().toU32();
        if (isMulticastIp(src) || src == kLimitedBroadcast) {
            drop(&dev, &frame, "martian source " + formatIpv4(src));
            return;
        }
        const bool bcast = isBroadcast(dst);
        if (isLocal(dst) || bcast) {
            deliverLocal(dev, std::move(frame), l2, d, bcast || type != PacketType::Host);
            return;
        }
        if (isMulticastIp(dst)) {
            drop(&dev, &frame, "multicast not modelled");
            return;
        }
        if (type != PacketType::Host) {
            drop(&dev, &frame, "link-layer broadcast to a foreign address");
            return;
        }
        forward(dev, std::move(frame), l2, d);
    }

    void forward(NetDevice& in, Packet&& frame, std::size_t l2, const Ipv4Datagram& d) {
        if (!ns.m_ipForward) {
            if (eventsActive())
                drop(&in, &frame, "ip_forward is off (packet to " + formatIpv4(d.dst().toU32()) +
                                      ")");
            return;
        }
        const std::uint32_t dst = d.dst().toU32();
        const RouteEntry* rt = lookup(dst, nullptr);
        if (rt == nullptr) {
            if (eventsActive()) drop(&in, &frame, "no route to host " + formatIpv4(dst));
            icmpError(frame, l2, icmp_type::kDestUnreachable, icmp_unreach::kNet, 0, &in);
            return;
        }
        if (d.header.ttl <= 1) {
            drop(&in, &frame, "TTL exceeded");
            icmpError(frame, l2, icmp_type::kTimeExceeded, icmp_time_exceeded::kTtl, 0, &in);
            return;
        }
        NetDevice& out = *rt->dev;
        if (d.totalLength > out.mtu()) {
            if (d.dontFragment()) {
                if (eventsActive())
                    drop(&in, &frame,
                         "fragmentation needed: " + std::to_string(d.totalLength) +
                             " bytes > mtu " + std::to_string(out.mtu()) + " of " + out.name() +
                             " with DF set");
                icmpError(frame, l2, icmp_type::kDestUnreachable,
                          icmp_unreach::kFragmentationNeeded,
                          static_cast<std::uint16_t>(out.mtu()), &in);
            } else if (eventsActive()) {
                drop(&in, &frame,
                     "packet of " + std::to_string(d.totalLength) + " bytes > mtu " +
                         std::to_string(out.mtu()) + " of " + out.name() +
                         " (fragmentation is not modelled)");
            }
            return;
        }
        // ip_decrease_ttl: TTL - 1 with an incremental checksum update.
        std::uint8_t* ip = frame.data().data() + l2;
        const std::uint16_t oldWord = wire::load16(ip + 8);
        ip[8] = static_cast<std::uint8_t>(ip[8] - 1);
        wire::store16(ip + 10, checksumUpdate16(wire::load16(ip + 10), oldWord,
                                                wire::load16(ip + 8)));
        if (l2 != kEth) {
            frame.data().erase(frame.data().begin() + kEth,
                               frame.data().begin() + static_cast<std::ptrdiff_t>(l2));
        }
        output(std::move(frame), *rt, &in, true);
    }

    void deliverLocal(NetDevice& dev, Packet&& frame, std::size_t l2, const Ipv4Datagram& d,
                      bool broadcast) {
        if (d.isFragment()) {
            drop(&dev, &frame, "IPv4 fragment (reassembly is not modelled)");
            return;
        }
        switch (d.protocol()) {
            case kProtoIcmp: receiveIcmp(dev, std::move(frame), l2, d, broadcast); return;
            case kProtoUdp: receiveUdp(dev, std::move(frame), l2, d, broadcast); return;
            default: break;
        }
        for (auto& [proto, handler] : protos) {
            if (proto == d.protocol() && handler) {
                handler(dev, std::move(frame));
                return;
            }
        }
        if (d.protocol() == kProtoTcp) {
            drop(&dev, &frame, "TCP is not modelled");
            return;
        }
        drop(&dev, &frame, "protocol unreachable");
        if (!broadcast)
            icmpError(frame, l2, icmp_type::kDestUnreachable, icmp_unreach::kProtocol, 0, &dev);
    }

    void receiveIcmp(NetDevice& dev, Packet&& frame, std::size_t l2, const Ipv4Datagram& d,
                     bool broadcast) {
        IcmpMessage m;
        if (!parseIcmp(d.payload, m).ok() || !icmpChecksumValid(d.payload)) {
            drop(&dev, &frame, "bad ICMP message");
            return;
        }
        // Deliver to listeners first (they see the request), then answer.
        if (!icmp.empty()) {
            IcmpReceived r;
            r.device = &dev;
            r.srcIp = d.src().toU32();
            r.dstIp = d.dst().toU32();
            r.type = m.type();
            r.code = m.code();
            r.ttl = d.header.ttl;
            r.id = m.id();
            r.seq = m.sequence();
            r.payload = m.body;
            r.ipLength = d.totalLength;
            r.message = d.payload;
            icmpDelivering++;
            for (std::size_t i = 0; i < icmp.size(); ++i) {
                if (icmp[i].second) icmp[i].second(r);
            }
            if (--icmpDelivering == 0) {
                std::erase_if(icmp, [](const auto& e) { return !e.second; });
            }
        }
        if (m.type() != icmp_type::kEchoRequest) return;
        if (broadcast) return;  // icmp_echo_ignore_broadcasts=1.
        echoReply(std::move(frame), l2, d);
    }

    /// Turns the request frame into the reply in place (same id, seq and payload).
    void echoReply(Packet&& frame, std::size_t l2, const Ipv4Datagram& d) {
        const std::uint32_t requester = d.src().toU32();
        const std::uint32_t replier = d.dst().toU32();
        const RouteEntry* rt = routeFor(requester, nullptr);
        if (rt == nullptr) {
            if (eventsActive())
                drop(nullptr, &frame, "no route to host " + formatIpv4(requester));
            return;
        }
        // Rebuild a plain 20-byte header (options are not echoed) followed by the message.
        const std::size_t icmpLength = d.payload.size();
        const std::size_t icmpOffset = l2 + d.headerLength;
        std::vector<std::uint8_t>& bytes = frame.data();
        if (icmpOffset != kEth + kIpv4HeaderLength) {
            bytes.erase(bytes.begin() + kEth + kIpv4HeaderLength,
                        bytes.begin() + static_cast<std::ptrdiff_t>(icmpOffset));
        }
        Ipv4Fields f;
        f.src = Ipv4Address(replier);
        f.dst = Ipv4Address(requester);
        f.protocol = kProtoIcmp;
        f.ttl = 64;
        f.tos = d.header.tos;
        f.id = nextIpId();
        std::vector<std::uint8_t> header;
        header.reserve(kIpv4HeaderLength);
        appendIpv4Header(header, f, icmpLength);
        std::memcpy(bytes.data() + kEth, header.data(), kIpv4HeaderLength);
        std::uint8_t* icmpBytes = bytes.data() + kEth + kIpv4HeaderLength;
        // Type 8 -> 0: the checksum changes by the type word only.
        const std::uint16_t oldWord = wire::load16(icmpBytes);
        icmpBytes[0] = icmp_type::kEchoReply;
        wire::store16(icmpBytes + 2, checksumUpdate16(wire::load16(icmpBytes + 2), oldWord,
                                                      wire::load16(icmpBytes)));
        output(std::move(frame), *rt, nullptr, false);
    }

    void receiveUdp(NetDevice& dev, Packet&& frame, std::size_t l2, const Ipv4Datagram& d,
                    bool broadcast) {
        UdpDatagram u;
        if (!parseUdp(d.payload, u).ok()) {
            drop(&dev, &frame, "malformed UDP datagram");
            return;
        }
        const std::uint32_t src = d.src().toU32();
        const std::uint32_t dst = d.dst().toU32();
        if (!udpChecksumValid(src, dst, d.payload.first(u.length()))) {
            drop(&dev, &frame, "bad UDP checksum");
            return;
        }
        auto it = udp.find(u.dstPort());
        if (it == udp.end() || !it->second) {
            if (eventsActive())
                drop(&dev, &frame, "no listener on UDP port " + std::to_string(u.dstPort()));
            if (!broadcast)
                icmpError(frame, l2, icmp_type::kDestUnreachable, icmp_unreach::kPort, 0, &dev);
            return;
        }
        UdpReceived r;
        r.device = &dev;
        r.srcIp = src;
        r.dstIp = dst;
        r.srcPort = u.srcPort();
        r.dstPort = u.dstPort();
        r.srcMac = l2 >= kEth ? wire::load48(frame.bytes().data() + 6) : 0;
        r.payload = u.payload;
        r.frame = &frame;
        // Copy the listener: it may unbind itself.
        UdpListener listener = it->second;
        listener(r);
    }
};

// ---------------------------------------------------------------------------------------

NetNamespace::NetNamespace(std::string name, SimClock& clock, EventBus* events)
    : m_name(std::move(name)), m_clock(clock), m_events(events),
      m_impl(std::make_unique<Impl>(*this)) {
    m_impl->lo = std::make_unique<NetDevice>(1, "lo", 0, DeviceKind::Loopback);
    NetDevice& lo = *m_impl->lo;
    lo.setMtu(65536);
    lo.setNetns(this);
    lo.setReceiveHandler([this](NetDevice& d, Packet&& p) { receive(d, std::move(p)); });
    lo.setTransmitHandler(
        [this](NetDevice&, Packet&& p) { m_impl->loopbackTransmit(std::move(p)); });
    Impl::DeviceSlot s;
    s.dev = &lo;
    s.addrs.push_back(InterfaceAddress{"lo", 0x7f000001U, 8, 0x7fffffffU});
    m_impl->devices.push_back(std::move(s));
    m_impl->localRoute.dev = &lo;
    m_impl->localRoute.route.device = "lo";
    m_impl->localRoute.route.prefixLength = 32;
    m_impl->localRoute.route.protocol = Route::Protocol::Kernel;
}

NetNamespace::~NetNamespace() {
    for (auto& [key, n] : m_impl->neighbors) m_impl->cancelTimer(n);
    for (auto& s : m_impl->devices) {
        if (s.dev == m_impl->lo.get() || s.life.expired()) continue;  // Gone before us.
        if (s.dev->netns() == this) {
            s.dev->setNetns(nullptr);
            s.dev->setReceiveHandler(nullptr);
        }
    }
}

void NetNamespace::attach(NetDevice& dev) {
    if (dev.netns() == this && m_impl->slot(&dev)) return;
    if (dev.netns() != nullptr && dev.netns() != this) dev.netns()->detach(dev);
    dev.setNetns(this);
    dev.setReceiveHandler([this](NetDevice& d, Packet&& p) { receive(d, std::move(p)); });
    Impl::DeviceSlot s;
    s.dev = &dev;
    s.life = dev.lifetime();
    auto pos = std::find_if(m_impl->devices.begin(), m_impl->devices.end(),
                            [&](const Impl::DeviceSlot& o) {
                                return o.dev != m_impl->lo.get() &&
                                       o.dev->ifindex() > dev.ifindex();
                            });
    m_impl->devices.insert(pos, std::move(s));
}

void NetNamespace::detach(NetDevice& dev) {
    if (&dev == m_impl->lo.get()) return;
    auto& devs = m_impl->devices;
    auto it = std::find_if(devs.begin(), devs.end(),
                           [&](const Impl::DeviceSlot& s) { return s.dev == &dev; });
    if (it == devs.end()) return;
    devs.erase(it);
    std::erase_if(m_impl->routes, [&](const Impl::RouteEntry& r) { return r.dev == &dev; });
    for (auto nit = m_impl->neighbors.begin(); nit != m_impl->neighbors.end();) {
        if (nit->second.dev == &dev) {
            m_impl->cancelTimer(nit->second);
            nit = m_impl->neighbors.erase(nit);
        } else {
            ++nit;
        }
    }
    if (dev.netns() == this) {
        dev.setNetns(nullptr);
        dev.setReceiveHandler(nullptr);
    }
}

NetDevice* NetNamespace::device(std::string_view name) const {
    for (const auto& s : m_impl->devices)
        if (s.dev->name() == name) return s.dev;
    return nullptr;
}

NetDevice& NetNamespace::loopback() const { return *m_impl->lo; }

std::vector<NetDevice*> NetNamespace::devices() const {
    std::vector<NetDevice*> out;
    out.reserve(m_impl->devices.size());
    for (const auto& s : m_impl->devices) out.push_back(s.dev);
    return out;
}

Status NetNamespace::addAddress(std::string_view dev, std::uint32_t address, int prefixLength) {
    Impl::DeviceSlot* s = m_impl->slotByName(dev);
    if (s == nullptr) {
        return Status::fail(ErrorCode::NotFound,
                            "Cannot find device \"" + std::string(dev) + "\"");
    }
    if (prefixLength < 0 || prefixLength > 32) {
        return Status::fail(ErrorCode::InvalidArgument,
                            "Error: any valid prefix is expected rather than \"" +
                                formatIpv4(address) + "/" + std::to_string(prefixLength) + "\".");
    }
    if (m_impl->isLocal(address) && !isLoopbackIp(address)) {
        return Status::fail(ErrorCode::AlreadyExists, "RTNETLINK answers: File exists");
    }
    const std::uint32_t mask = netmask(prefixLength);
    s->addrs.push_back(InterfaceAddress{s->dev->name(), address, prefixLength, address | ~mask});
    if (prefixLength < 32 && s->dev != m_impl->lo.get()) {
        Route r;
        r.destination = address & mask;
        r.prefixLength = prefixLength;
        r.device = s->dev->name();
        r.source = address;
        r.protocol = Route::Protocol::Kernel;
        // A second address on the same subnet is secondary: no second prefix route.
        const bool exists = std::any_of(
            m_impl->routes.begin(), m_impl->routes.end(), [&](const Impl::RouteEntry& e) {
                return e.dev == s->dev && e.route.gateway == 0 &&
                       e.route.destination == r.destination &&
                       e.route.prefixLength == prefixLength && e.route.metric == 0;
            });
        if (!exists) m_impl->insertRoute(std::move(r), s->dev);
    }
    return {};
}

Status NetNamespace::delAddress(std::string_view dev, std::uint32_t address, int prefixLength) {
    Impl::DeviceSlot* s = m_impl->slotByName(dev);
    if (s == nullptr) {
        return Status::fail(ErrorCode::NotFound,
                            "Cannot find device \"" + std::string(dev) + "\"");
    }
    auto it = std::find_if(s->addrs.begin(), s->addrs.end(), [&](const InterfaceAddress& a) {
        return a.address == address && a.prefixLength == prefixLength;
    });
    if (it == s->addrs.end()) {
        return Status::fail(ErrorCode::NotFound,
                            "RTNETLINK answers: Cannot assign requested address");
    }
    s->addrs.erase(it);
    NetDevice* d = s->dev;
    const std::uint32_t net = address & netmask(prefixLength);
    const bool stillOnSubnet = std::any_of(s->addrs.begin(), s->addrs.end(), [&](const auto& a) {
        return a.prefixLength == prefixLength && (a.address & netmask(prefixLength)) == net;
    });
    std::erase_if(m_impl->routes, [&](const Impl::RouteEntry& r) {
        if (r.route.source == address) return true;
        return !stillOnSubnet && r.dev == d && r.route.protocol == Route::Protocol::Kernel &&
               r.route.destination == net && r.route.prefixLength == prefixLength;
    });
    return {};
}

std::vector<InterfaceAddress> NetNamespace::addresses() const {
    std::vector<InterfaceAddress> out;
    for (const auto& s : m_impl->devices) {
        if (s.dev == m_impl->lo.get()) continue;  // 127.0.0.1/8 on lo is implicit.
        for (const auto& a : s.addrs) out.push_back(a);
    }
    return out;
}

Status NetNamespace::addRoute(Route route) {
    if (route.prefixLength < 0 || route.prefixLength > 32) {
        return Status::fail(ErrorCode::InvalidArgument,
                            "Error: an inet prefix is expected rather than \"" +
                                formatIpv4(route.destination) + "/" +
                                std::to_string(route.prefixLength) + "\".");
    }
    if ((route.destination & ~netmask(route.prefixLength)) != 0) {
        return Status::fail(ErrorCode::InvalidArgument,
                            "Error: Invalid prefix for given prefix length.");
    }
    NetDevice* dev = nullptr;
    if (!route.device.empty()) {
        dev = device(route.device);
        if (dev == nullptr) {
            return Status::fail(ErrorCode::NotFound,
                                "Cannot find device \"" + route.device + "\"");
        }
    }
    if (route.gateway != 0) {
        // The gateway must be on a connected (scope link) network of the device.
        const Impl::RouteEntry* via = nullptr;
        for (const auto& r : m_impl->routes) {
            if (r.route.gateway != 0) continue;
            if (dev != nullptr && r.dev != dev) continue;
            if ((route.gateway & netmask(r.route.prefixLength)) == r.route.destination) {
                via = &r;
                break;
            }
        }
        if (via == nullptr || m_impl->isLocal(route.gateway)) {
            return Status::fail(ErrorCode::InvalidArgument, "Nexthop has invalid gateway");
        }
        if (dev == nullptr) {
            dev = via->dev;
            route.device = dev->name();
        }
    } else if (dev == nullptr) {
        return Status::fail(ErrorCode::InvalidArgument,
                            "RTNETLINK answers: No such device (no gateway and no device)");
    }
    if (route.source != 0 && !m_impl->isLocal(route.source)) {
        return Status::fail(ErrorCode::InvalidArgument,
                            "Error: Invalid prefsrc address.");
    }
    for (const auto& r : m_impl->routes) {
        if (r.route.destination == route.destination &&
            r.route.prefixLength == route.prefixLength && r.route.metric == route.metric) {
            return Status::fail(ErrorCode::AlreadyExists, "RTNETLINK answers: File exists");
        }
    }
    m_impl->insertRoute(std::move(route), dev);
    return {};
}

Status NetNamespace::delRoute(std::uint32_t destination, int prefixLength) {
    auto& routes = m_impl->routes;
    auto it = std::find_if(routes.begin(), routes.end(), [&](const Impl::RouteEntry& r) {
        return r.route.destination == destination && r.route.prefixLength == prefixLength;
    });
    if (it == routes.end()) {
        return Status::fail(ErrorCode::NotFound, "RTNETLINK answers: No such process");
    }
    routes.erase(it);
    return {};
}

std::vector<Route> NetNamespace::routes() const {
    // `ip route` order: by destination, then prefix length, then metric.
    std::vector<const Impl::RouteEntry*> sorted;
    for (const auto& r : m_impl->routes) sorted.push_back(&r);
    std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
        if (a->route.destination != b->route.destination)
            return a->route.destination < b->route.destination;
        if (a->route.prefixLength != b->route.prefixLength)
            return a->route.prefixLength < b->route.prefixLength;
        return a->route.metric < b->route.metric;
    });
    std::vector<Route> out;
    out.reserve(sorted.size());
    for (const auto* r : sorted) out.push_back(r->route);
    return out;
}

std::optional<Route> NetNamespace::lookupRoute(std::uint32_t destination,
                                               const NetDevice* oif) const {
    if ((oif == nullptr || oif == m_impl->lo.get()) && m_impl->isLocal(destination)) {
        Route r = m_impl->localRoute.route;
        r.destination = destination;
        r.source = destination;
        return r;
    }
    const Impl::RouteEntry* e = m_impl->lookup(destination, oif);
    if (e == nullptr) return std::nullopt;
    return e->route;
}

std::uint32_t NetNamespace::selectSource(std::uint32_t destination, const NetDevice* oif) const {
    if ((oif == nullptr || oif == m_impl->lo.get()) && m_impl->isLocal(destination))
        return destination;
    const Impl::RouteEntry* e = m_impl->lookup(destination, oif);
    if (e == nullptr) return 0;
    return m_impl->routeSource(*e, destination);
}

bool NetNamespace::isLocalAddress(std::uint32_t address) const {
    return m_impl->isLocal(address);
}

std::vector<NeighborEntry> NetNamespace::neighbors() const {
    std::vector<NeighborEntry> out;
    for (const auto& [key, n] : m_impl->neighbors) {
        out.push_back(NeighborEntry{n.ip, n.dev->name(), n.mac, n.state, n.updated});
    }
    std::sort(out.begin(), out.end(), [](const NeighborEntry& a, const NeighborEntry& b) {
        return a.device != b.device ? a.device < b.device : a.address < b.address;
    });
    return out;
}

void NetNamespace::addPermanentNeighbor(std::string_view dev, std::uint32_t address,
                                        std::uint64_t mac) {
    NetDevice* d = device(dev);
    if (d == nullptr) return;
    auto& n = m_impl->neighbors[neighborKey(d, address)];
    m_impl->cancelTimer(n);
    n.dev = d;
    n.ip = address;
    n.mac = mac;
    n.state = NeighborEntry::State::Permanent;
    n.updated = m_clock.now();
    m_impl->flushQueue(n);
}

void NetNamespace::flushNeighbors() {
    for (auto it = m_impl->neighbors.begin(); it != m_impl->neighbors.end();) {
        if (it->second.state == NeighborEntry::State::Permanent) {
            ++it;
            continue;
        }
        m_impl->cancelTimer(it->second);
        it = m_impl->neighbors.erase(it);
    }
}

void NetNamespace::sendGratuitousArp(std::string_view dev) {
    Impl::DeviceSlot* s = m_impl->slotByName(dev);
    if (s == nullptr || s->dev == m_impl->lo.get()) return;
    for (const auto& a : s->addrs) {
        m_impl->transmitArp(*s->dev, arp_op::kRequest, kBroadcastMac, a.address, 0, a.address);
    }
}

bool NetNamespace::sendIpv4(std::uint32_t destination, std::uint8_t proto,
                            std::vector<std::uint8_t> payload, std::uint32_t source,
                            std::uint8_t ttl, std::uint8_t tos) {
    const Impl::RouteEntry* rt = m_impl->routeFor(destination, nullptr, source);
    if (rt == nullptr) {
        if (m_impl->eventsActive())
            m_impl->drop(nullptr, nullptr, "no route to host " + formatIpv4(destination));
        return false;
    }
    const bool chosen = source == 0;
    if (chosen) source = m_impl->routeSource(*rt, destination);
    if (chosen && proto == kProtoUdp && payload.size() >= 8) {
        wire::store16(payload.data() + 6, 0);
        wire::store16(payload.data() + 6, udpChecksum(source, destination, payload));
    } else if (chosen && proto == kProtoTcp && payload.size() >= 20) {
        wire::store16(payload.data() + 16, 0);
        wire::store16(payload.data() + 16, tcpChecksum(source, destination, payload));
    }
    Ipv4Fields f;
    f.src = Ipv4Address(source);
    f.dst = Ipv4Address(destination);
    f.protocol = proto;
    f.ttl = ttl ? ttl : 64;
    f.tos = tos;
    f.id = m_impl->nextIpId();
    f.dontFragment = !m_impl->isBroadcast(destination);
    std::vector<std::uint8_t> bytes = Impl::frameFor(f, payload.size());
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    return m_impl->output(Packet(std::move(bytes)), *rt, nullptr, false);
}

bool NetNamespace::sendEchoRequest(std::uint32_t destination, std::uint16_t id, std::uint16_t seq,
                                   std::size_t payloadBytes, std::uint32_t source,
                                   const NetDevice* oif, std::uint8_t ttl) {
    const Impl::RouteEntry* rt = m_impl->routeFor(destination, oif, source);
    if (rt == nullptr) {
        if (m_impl->eventsActive())
            m_impl->drop(oif, nullptr, "no route to host " + formatIpv4(destination));
        return false;
    }
    if (source == 0) source = m_impl->routeSource(*rt, destination);
    Ipv4Fields f;
    f.src = Ipv4Address(source);
    f.dst = Ipv4Address(destination);
    f.protocol = kProtoIcmp;
    f.ttl = ttl ? ttl : 64;
    f.id = m_impl->nextIpId();
    f.dontFragment = true;
    const std::size_t icmpLength = kIcmpHeaderLength + payloadBytes;
    std::vector<std::uint8_t> bytes = Impl::frameFor(f, icmpLength);
    const std::size_t at = bytes.size();
    bytes.resize(at + icmpLength);
    std::uint8_t* icmpBytes = bytes.data() + at;
    icmpBytes[0] = icmp_type::kEchoRequest;
    icmpBytes[1] = 0;
    wire::store16(icmpBytes + 4, id);
    wire::store16(icmpBytes + 6, seq);
    std::uint8_t* data = icmpBytes + kIcmpHeaderLength;
    for (std::size_t i = 0; i < payloadBytes; ++i) data[i] = static_cast<std::uint8_t>(i);
    if (payloadBytes >= 16) {
        const SimTime now = m_clock.now();
        const std::uint64_t sec = static_cast<std::uint64_t>(now / kSecond);
        const std::uint64_t usec = static_cast<std::uint64_t>((now % kSecond) / kMicrosecond);
        for (int i = 0; i < 8; ++i) {
            data[i] = static_cast<std::uint8_t>(sec >> (8 * i));
            data[8 + i] = static_cast<std::uint8_t>(usec >> (8 * i));
        }
    }
    wire::store16(icmpBytes + 2,
                  internetChecksum(std::span<const std::uint8_t>(icmpBytes, icmpLength)));
    return m_impl->output(Packet(std::move(bytes)), *rt, nullptr, false);
}

void NetNamespace::sendFrame(std::string_view dev, Packet&& frame) {
    NetDevice* d = device(dev);
    if (d == nullptr) {
        m_impl->drop(nullptr, &frame, "no such device");
        return;
    }
    d->transmit(std::move(frame));
}

bool NetNamespace::sendIpv4Frame(Packet&& frame) {
    Ipv4Datagram d;
    if (frame.size() < kEth || !parseIpv4(frame.bytes().subspan(kEth), d).ok()) {
        m_impl->drop(nullptr, &frame, "malformed IPv4 frame from a tunnel port");
        return false;
    }
    const std::uint32_t dst = d.dst().toU32();
    const Impl::RouteEntry* rt = m_impl->routeFor(dst, nullptr);
    if (rt == nullptr) {
        if (m_impl->eventsActive())
            m_impl->drop(nullptr, &frame, "no route to host " + formatIpv4(dst));
        return false;
    }
    return m_impl->output(std::move(frame), *rt, nullptr, false);
}

void NetNamespace::bindUdp(std::uint16_t port, UdpListener listener) {
    m_impl->udp[port] = std::move(listener);
}

void NetNamespace::unbindUdp(std::uint16_t port) { m_impl->udp.erase(port); }

std::uint64_t NetNamespace::addIcmpListener(IcmpListener listener) {
    const std::uint64_t id = m_impl->nextIcmpId++;
    m_impl->icmp.emplace_back(id, std::move(listener));
    return id;
}

void NetNamespace::removeIcmpListener(std::uint64_t id) {
    for (auto& e : m_impl->icmp) {
        if (e.first == id) e.second = nullptr;
    }
    if (m_impl->icmpDelivering == 0) {
        std::erase_if(m_impl->icmp, [](const auto& e) { return !e.second; });
    }
}

void NetNamespace::setProtocolHandler(std::uint8_t proto,
                                      std::function<void(const NetDevice&, Packet&&)> h) {
    for (auto& [p, handler] : m_impl->protos) {
        if (p == proto) {
            handler = std::move(h);
            return;
        }
    }
    m_impl->protos.emplace_back(proto, std::move(h));
}

void NetNamespace::receive(NetDevice& dev, Packet&& frame) {
    EthernetFrame eth;
    if (!parseEthernet(frame.bytes(), eth).ok()) {
        dev.stats().rxErrors++;
        m_impl->drop(&dev, &frame, "truncated Ethernet frame");
        return;
    }
    PacketType type = PacketType::Host;
    if (dev.kind() != DeviceKind::Loopback) {
        const std::uint64_t dst = eth.dst.toU64();
        if (dst == kBroadcastMac) {
            type = PacketType::Broadcast;
        } else if (eth.dst.isMulticast()) {
            type = PacketType::Multicast;
        } else if (dst != dev.mac()) {
            return;  // PACKET_OTHERHOST: the IP layer ignores it.
        }
    }
    if (eth.tagCount != 0) {
        m_impl->drop(&dev, &frame, "VLAN-tagged frame on an interface without VLAN devices");
        return;
    }
    switch (eth.typeOrLength) {
        case kEtherTypeArp: m_impl->receiveArp(dev, eth.payload, type); return;
        case kEtherTypeIpv4:
            m_impl->receiveIpv4(dev, std::move(frame), eth.headerLength, type);
            return;
        default: return;
    }
}

}  // namespace nlab::engine
