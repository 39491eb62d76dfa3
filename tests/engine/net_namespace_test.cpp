#include "engine/netns/net_namespace.h"

#include "engine/codec/arp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/icmp.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/wire.h"
#include "engine/net/link.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace nlab::engine {
namespace {

constexpr std::uint32_t ip(int a, int b, int c, int d) {
    return Ipv4Address::fromOctets(a, b, c, d).toU32();
}

/// A frame seen on a device, with the time it was seen.
struct Seen {
    SimTime at;
    Direction dir;
    std::vector<std::uint8_t> bytes;
};

/// A namespace with one device "eth0" (more with addDevice), recording every frame.
struct Host {
    std::unique_ptr<NetNamespace> ns;
    std::vector<std::unique_ptr<NetDevice>> devs;
    std::vector<Seen> seen;
    Host(std::string name, SimClock& clock, EventBus* bus) {
        ns = std::make_unique<NetNamespace>(std::move(name), clock, bus);
    }
    NetDevice& addDevice(int ifindex, std::string name, std::uint64_t mac, SimClock& clock) {
        devs.push_back(std::make_unique<NetDevice>(ifindex, std::move(name), mac,
                                                   DeviceKind::Veth));
        NetDevice& d = *devs.back();
        ns->attach(d);
        d.addTap([this, &clock](const NetDevice&, Direction dir, const Packet& p) {
            seen.push_back(Seen{clock.now(), dir, std::vector<std::uint8_t>(p.bytes().begin(),
                                                                            p.bytes().end())});
        });
        return d;
    }
    std::vector<Seen> sent(std::uint16_t etherType) const {
        std::vector<Seen> out;
        for (const auto& s : seen)
            if (s.dir == Direction::Tx && s.bytes.size() >= 14 &&
                ((s.bytes[12] << 8) | s.bytes[13]) == etherType)
                out.push_back(s);
        return out;
    }
};

/// A UDP header + payload with a zero checksum field (the stack fills it in).
std::vector<std::uint8_t> udpSegment(std::uint16_t sport, std::uint16_t dport,
                                     std::size_t payload) {
    std::vector<std::uint8_t> s(8 + payload, 0xab);
    s[0] = std::uint8_t(sport >> 8);
    s[1] = std::uint8_t(sport);
    s[2] = std::uint8_t(dport >> 8);
    s[3] = std::uint8_t(dport);
    s[4] = std::uint8_t((8 + payload) >> 8);
    s[5] = std::uint8_t(8 + payload);
    s[6] = s[7] = 0;
    return s;
}

constexpr std::uint64_t kMacA = 0x02000000000aULL;
constexpr std::uint64_t kMacB = 0x02000000000bULL;
constexpr std::uint64_t kMacC = 0x02000000000cULL;
constexpr std::uint64_t kMacR0 = 0x0200000000f0ULL;
constexpr std::uint64_t kMacR1 = 0x0200000000f1ULL;

/// A (10.0.0.1) --1 ms-- B (10.0.0.2) on 10.0.0.0/24.
class NetNamespaceTest : public ::testing::Test {
protected:
    SimClock clock;
    EventBus bus;
    Host a{"a", clock, &bus};
    Host b{"b", clock, &bus};
    std::vector<std::string> drops;

    void SetUp() override {
        NetDevice& da = a.addDevice(2, "eth0", kMacA, clock);
        NetDevice& db = b.addDevice(3, "eth0", kMacB, clock);
        connectPointToPoint(clock, da, db, kMillisecond);
        ASSERT_TRUE(a.ns->addAddress("eth0", ip(10, 0, 0, 1), 24).ok());
        ASSERT_TRUE(b.ns->addAddress("eth0", ip(10, 0, 0, 2), 24).ok());
        bus.subscribe([this](SimTime, const Event& e) {
            if (auto* d = std::get_if<FrameDropped>(&e))
                drops.push_back(std::string(d->device) + ": " + std::string(d->reason));
        });
    }
};

TEST_F(NetNamespaceTest, AddressesCreateConnectedRoutesAndRejectDuplicates) {
    auto routes = a.ns->routes();
    ASSERT_EQ(routes.size(), 1u);
    EXPECT_EQ(routes[0].destination, ip(10, 0, 0, 0));
    EXPECT_EQ(routes[0].prefixLength, 24);
    EXPECT_EQ(routes[0].device, "eth0");
    EXPECT_EQ(routes[0].source, ip(10, 0, 0, 1));
    EXPECT_EQ(routes[0].protocol, Route::Protocol::Kernel);

    Status dup = a.ns->addAddress("eth0", ip(10, 0, 0, 1), 24);
    EXPECT_EQ(dup.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(dup.error().message, "RTNETLINK answers: File exists");
    Status nodev = a.ns->addAddress("eth9", ip(10, 0, 1, 1), 24);
    EXPECT_EQ(nodev.error().code, ErrorCode::NotFound);
    EXPECT_EQ(nodev.error().message, "Cannot find device \"eth9\"");
    EXPECT_EQ(a.ns->addAddress("eth0", ip(10, 0, 1, 1), 33).error().code,
              ErrorCode::InvalidArgument);

    auto addrs = a.ns->addresses();
    ASSERT_EQ(addrs.size(), 1u);  // eth0 10.0.0.1/24; lo's 127.0.0.1/8 is implicit.
    EXPECT_EQ(addrs[0].device, "eth0");
    EXPECT_EQ(addrs[0].prefixLength, 24);
    EXPECT_EQ(addrs[0].broadcast, ip(10, 0, 0, 255));
    EXPECT_TRUE(a.ns->isLocalAddress(ip(10, 0, 0, 1)));
    EXPECT_TRUE(a.ns->isLocalAddress(ip(127, 1, 2, 3)));
    EXPECT_FALSE(a.ns->isLocalAddress(ip(10, 0, 0, 2)));

    EXPECT_EQ(a.ns->delAddress("eth0", ip(10, 0, 0, 1), 24).error().code, ErrorCode::Ok);
    EXPECT_TRUE(a.ns->routes().empty());
    EXPECT_EQ(a.ns->delAddress("eth0", ip(10, 0, 0, 1), 24).error().code, ErrorCode::NotFound);
}

TEST_F(NetNamespaceTest, RoutesUseLongestPrefixThenMetricAndCheckGateways) {
    Route bad;
    bad.destination = ip(192, 168, 0, 0);
    bad.prefixLength = 16;
    bad.gateway = ip(10, 9, 9, 9);
    Status s = a.ns->addRoute(bad);
    EXPECT_EQ(s.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(s.error().message, "Nexthop has invalid gateway");
    bad.gateway = ip(10, 0, 0, 254);
    bad.device = "eth7";
    EXPECT_EQ(a.ns->addRoute(bad).error().code, ErrorCode::NotFound);

    Route def;
    def.gateway = ip(10, 0, 0, 254);
    ASSERT_TRUE(a.ns->addRoute(def).ok());
    EXPECT_EQ(a.ns->addRoute(def).error().code, ErrorCode::AlreadyExists);
    Route wide;
    wide.destination = ip(172, 16, 0, 0);
    wide.prefixLength = 12;
    wide.gateway = ip(10, 0, 0, 253);
    wide.metric = 100;
    ASSERT_TRUE(a.ns->addRoute(wide).ok());
    Route narrow = wide;
    narrow.destination = ip(172, 16, 5, 0);
    narrow.prefixLength = 24;
    narrow.gateway = ip(10, 0, 0, 252);
    ASSERT_TRUE(a.ns->addRoute(narrow).ok());
    Route better = wide;
    better.gateway = ip(10, 0, 0, 251);
    better.metric = 10;
    ASSERT_TRUE(a.ns->addRoute(better).ok());
    Route hostBits = wide;
    hostBits.destination = ip(172, 16, 0, 1);
    EXPECT_EQ(a.ns->addRoute(hostBits).error().message,
              "Error: Invalid prefix for given prefix length.");

    EXPECT_EQ(a.ns->lookupRoute(ip(172, 16, 5, 9))->gateway, ip(10, 0, 0, 252));
    EXPECT_EQ(a.ns->lookupRoute(ip(172, 17, 0, 1))->gateway, ip(10, 0, 0, 251));  // metric 10
    EXPECT_EQ(a.ns->lookupRoute(ip(8, 8, 8, 8))->gateway, ip(10, 0, 0, 254));
    EXPECT_EQ(a.ns->lookupRoute(ip(8, 8, 8, 8))->device, "eth0");
    EXPECT_EQ(a.ns->lookupRoute(ip(10, 0, 0, 77))->gateway, 0u);
    EXPECT_EQ(a.ns->lookupRoute(ip(10, 0, 0, 1))->device, "lo");
    EXPECT_EQ(a.ns->selectSource(ip(8, 8, 8, 8)), ip(10, 0, 0, 1));

    ASSERT_TRUE(a.ns->delRoute(0, 0).ok());
    EXPECT_FALSE(a.ns->lookupRoute(ip(8, 8, 8, 8)).has_value());
    Status gone = a.ns->delRoute(0, 0);
    EXPECT_EQ(gone.error().code, ErrorCode::NotFound);
    EXPECT_EQ(gone.error().message, "RTNETLINK answers: No such process");
    auto routes = a.ns->routes();
    ASSERT_EQ(routes.size(), 4u);
    EXPECT_EQ(routes[0].destination, ip(10, 0, 0, 0));
    EXPECT_EQ(routes[1].destination, ip(172, 16, 0, 0));
    EXPECT_EQ(routes[1].metric, 10);
    EXPECT_EQ(routes[2].metric, 100);
    EXPECT_EQ(routes[3].destination, ip(172, 16, 5, 0));
}

TEST_F(NetNamespaceTest, ArpResolvesAndFlushesQueuedPackets) {
    std::vector<std::string> got;
    b.ns->bindUdp(5000, [&](const UdpReceived& d) {
        got.push_back(formatIpv4(d.srcIp) + ":" + std::to_string(d.srcPort) + " " +
                      std::to_string(d.payload.size()) + "B on " + d.device->name() + " @" +
                      std::to_string(clock.now() / kMicrosecond) + "us");
        EXPECT_EQ(d.srcMac, kMacA);
    });
    EXPECT_TRUE(a.ns->sendIpv4(ip(10, 0, 0, 2), 17, udpSegment(4000, 5000, 10)));
    EXPECT_TRUE(a.ns->sendIpv4(ip(10, 0, 0, 2), 17, udpSegment(4001, 5000, 20)));
    ASSERT_EQ(a.ns->neighbors().size(), 1u);
    EXPECT_EQ(a.ns->neighbors()[0].state, NeighborEntry::State::Incomplete);
    clock.runUntil(10 * kMillisecond);

    EXPECT_EQ(got, (std::vector<std::string>{"10.0.0.1:4000 10B on eth0 @3000us",
                                             "10.0.0.1:4001 20B on eth0 @3000us"}));
    // The ARP request as Linux sends it: broadcast, target MAC zero, 42 bytes, no padding.
    auto arps = a.sent(0x0806);
    ASSERT_EQ(arps.size(), 1u);
    const std::vector<std::uint8_t> request = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06,  // Ethernet
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,                          // Eth/IPv4 req
        0x02, 0, 0, 0, 0, 0x0a, 10, 0, 0, 1,                                     // sha, spa
        0, 0, 0, 0, 0, 0, 10, 0, 0, 2};                                          // tha, tpa
    EXPECT_EQ(arps[0].bytes, request);
    auto replies = b.sent(0x0806);
    ASSERT_EQ(replies.size(), 1u);
    ArpPacket reply;
    ASSERT_TRUE(parseArp(std::span(replies[0].bytes).subspan(14), reply).ok());
    EXPECT_EQ(reply.op, arp_op::kReply);
    EXPECT_EQ(reply.sha.toU64(), kMacB);
    EXPECT_EQ(reply.spa.toU32(), ip(10, 0, 0, 2));
    EXPECT_EQ(reply.tha.toU64(), kMacA);
    EXPECT_EQ(reply.tpa.toU32(), ip(10, 0, 0, 1));
    EXPECT_EQ(replies[0].bytes.size(), 42u);

    auto na = a.ns->neighbors();
    ASSERT_EQ(na.size(), 1u);
    EXPECT_EQ(na[0].state, NeighborEntry::State::Reachable);
    EXPECT_EQ(na[0].mac, kMacB);
    auto nb = b.ns->neighbors();  // Learnt from the request: STALE (neigh_event_ns).
    ASSERT_EQ(nb.size(), 1u);
    EXPECT_EQ(nb[0].state, NeighborEntry::State::Stale);
    EXPECT_EQ(nb[0].mac, kMacA);
    EXPECT_EQ(a.sent(0x0800).size(), 2u);
}

TEST_F(NetNamespaceTest, QueueHoldsThreePacketsAndDropsTheOldest) {
    std::vector<std::size_t> sizes;
    b.ns->bindUdp(5000, [&](const UdpReceived& d) { sizes.push_back(d.payload.size()); });
    for (std::size_t n = 1; n <= 5; ++n)
        a.ns->sendIpv4(ip(10, 0, 0, 2), 17, udpSegment(4000, 5000, n));
    clock.runUntil(10 * kMillisecond);
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 4, 5}));
    EXPECT_EQ(drops, (std::vector<std::string>{"a: neighbour queue full",
                                               "a: neighbour queue full"}));
}

TEST_F(NetNamespaceTest, NeighbourGoesStaleThenDelayProbeAndReachableAgain) {
    b.ns->bindUdp(5000, [](const UdpReceived&) {});
    a.ns->sendIpv4(ip(10, 0, 0, 2), 17, udpSegment(4000, 5000, 4));
    clock.runUntil(30 * kSecond);
    EXPECT_EQ(a.ns->neighbors()[0].state, NeighborEntry::State::Reachable);
    clock.runUntil(30 * kSecond + 2 * kMillisecond);  // Confirmed at 2 ms: 30 s later, STALE.
    EXPECT_EQ(a.ns->neighbors()[0].state, NeighborEntry::State::Stale);
    EXPECT_EQ(a.ns->neighbors()[0].updated, 30 * kSecond + 2 * kMillisecond);

    clock.runUntil(40 * kSecond);
    a.ns->sendIpv4(ip(10, 0, 0, 2), 17, udpSegment(4000, 5000, 4));  // Sent at once, DELAY.
    EXPECT_EQ(a.ns->neighbors()[0].state, NeighborEntry::State::Delay);
    EXPECT_EQ(a.sent(0x0800).back().at, 40 * kSecond);
    clock.runUntil(45 * kSecond);
    EXPECT_EQ(a.ns->neighbors()[0].state, NeighborEntry::State::Probe);
    auto arps = a.sent(0x0806);
    ASSERT_EQ(arps.size(), 2u);
    EXPECT_EQ(arps[1].at, 45 * kSecond);
    EXPECT_EQ(wire::load48(arps[1].bytes.data()), kMacB);  // Unicast probe.
    clock.runUntil(45 * kSecond + 2 * kMillisecond);
    EXPECT_EQ(a.ns->neighbors()[0].state, NeighborEntry::State::Reachable);
    EXPECT_TRUE(drops.empty());
}

TEST_F(NetNamespaceTest, FailedArpDropsQueueAndReportsHostUnreachable) {
    std::vector<std::string> icmp;
    a.ns->addIcmpListener([&](const IcmpReceived& r) {
        IcmpMessage m;
        ASSERT_TRUE(parseIcmp(r.message, m).ok());
        ASSERT_TRUE(m.hasQuote);
        icmp.push_back(formatIpv4(r.srcIp) + " type " + std::to_string(r.type) + " code " +
                       std::to_string(r.code) + " @" + std::to_string(clock.now() / kMillisecond) +
                       "ms quoting seq " +
                       std::to_string((m.quote.l4Bytes[6] << 8) | m.quote.l4Bytes[7]));
        EXPECT_EQ(r.device->name(), "lo");
    });
    EXPECT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 0, 9), 7, 1, 56));
    clock.runUntil(500 * kMillisecond);
    EXPECT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 0, 9), 7, 2, 56));
    clock.runUntil(10 * kSecond);
    EXPECT_EQ(icmp, (std::vector<std::string>{"10.0.0.1 type 3 code 1 @3000ms quoting seq 1",
                                              "10.0.0.1 type 3 code 1 @3000ms quoting seq 2"}));
    auto arps = a.sent(0x0806);
    ASSERT_EQ(arps.size(), 3u);
    EXPECT_EQ(arps[0].at, 0);
    EXPECT_EQ(arps[1].at, kSecond);
    EXPECT_EQ(arps[2].at, 2 * kSecond);
    EXPECT_EQ(a.ns->neighbors()[0].state, NeighborEntry::State::Failed);
    EXPECT_EQ(drops, (std::vector<std::string>{"a: ARP for 10.0.0.9 on eth0 failed",
                                               "a: ARP for 10.0.0.9 on eth0 failed"}));
    EXPECT_TRUE(b.ns->neighbors().empty());  // Requests for others create nothing.
}

TEST_F(NetNamespaceTest, EchoReplyCopiesIdSeqPayloadWithValidChecksums) {
    int replies = 0;
    a.ns->addIcmpListener([&](const IcmpReceived& r) {
        if (r.type != icmp_type::kEchoReply) return;
        ++replies;
        EXPECT_EQ(r.id, 0x1234);
        EXPECT_EQ(r.seq, 1);
        EXPECT_EQ(r.ttl, 64);
        EXPECT_EQ(r.ipLength, 84u);
        EXPECT_EQ(r.payload.size(), 56u);
    });
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 0, 2), 0x1234, 1, 56));
    clock.runUntil(kSecond);
    ASSERT_EQ(replies, 1);
    auto req = a.sent(0x0800);
    auto rep = b.sent(0x0800);
    ASSERT_EQ(req.size(), 1u);
    ASSERT_EQ(rep.size(), 1u);
    const auto& q = req[0].bytes;
    const auto& r = rep[0].bytes;
    ASSERT_EQ(q.size(), 98u);
    ASSERT_EQ(r.size(), 98u);
    EXPECT_EQ(wire::load48(r.data()), kMacA);
    EXPECT_EQ(wire::load48(r.data() + 6), kMacB);
    // Request: DF, TTL 64, ICMP echo, 10.0.0.1 -> 10.0.0.2.
    EXPECT_EQ(wire::load16(q.data() + 20), 0x4000);
    EXPECT_EQ(q[22], 64);
    // Reply: version/IHL, TOS, length, no DF, TTL 64, protocol 1, swapped addresses.
    const std::vector<std::uint8_t> replyHeaderStart = {0x45, 0x00, 0x00, 0x54};
    EXPECT_EQ(std::vector<std::uint8_t>(r.begin() + 14, r.begin() + 18), replyHeaderStart);
    EXPECT_EQ(wire::load16(r.data() + 20), 0x0000);
    EXPECT_EQ(r[22], 64);
    EXPECT_EQ(r[23], 1);
    EXPECT_EQ(wire::load32(r.data() + 26), ip(10, 0, 0, 2));
    EXPECT_EQ(wire::load32(r.data() + 30), ip(10, 0, 0, 1));
    EXPECT_TRUE(ipv4HeaderChecksumValid(std::span(r).subspan(14, 20)));
    EXPECT_EQ(r[34], 0);  // Echo reply.
    EXPECT_EQ(r[35], 0);
    EXPECT_TRUE(icmpChecksumValid(std::span(r).subspan(34)));
    EXPECT_TRUE(std::equal(q.begin() + 38, q.end(), r.begin() + 38));  // id, seq, data.
    // iputils data pattern after the 16-byte timestamp.
    EXPECT_EQ(q[42 + 16], 16);
    EXPECT_EQ(q[42 + 55], 55);
}

TEST_F(NetNamespaceTest, LocalAddressesAnswerThroughLoopback) {
    std::vector<std::string> seen;
    a.ns->addIcmpListener([&](const IcmpReceived& r) {
        seen.push_back(std::to_string(r.type) + " from " + formatIpv4(r.srcIp) + " on " +
                       r.device->name());
    });
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 0, 1), 1, 1, 56));
    clock.runUntil(kMillisecond);
    EXPECT_EQ(seen, (std::vector<std::string>{"8 from 10.0.0.1 on lo", "0 from 10.0.0.1 on lo"}));
    EXPECT_TRUE(a.sent(0x0800).empty());
    EXPECT_EQ(a.ns->loopback().stats().rxPackets, 2u);
}

TEST_F(NetNamespaceTest, UdpPortUnreachableButNeverForBroadcast) {
    std::vector<std::string> icmp;
    a.ns->addIcmpListener([&](const IcmpReceived& r) {
        icmp.push_back(std::to_string(r.type) + "/" + std::to_string(r.code) + " from " +
                       formatIpv4(r.srcIp));
    });
    int bcast = 0;
    b.ns->bindUdp(67, [&](const UdpReceived& d) {
        ++bcast;
        EXPECT_EQ(d.dstIp, 0xffffffffu);
    });
    ASSERT_TRUE(a.ns->sendIpv4(ip(10, 0, 0, 2), 17, udpSegment(4000, 9999, 4)));
    // Linux routes 255.255.255.255 out of the source address's device (no default route).
    EXPECT_FALSE(a.ns->sendIpv4(0xffffffffu, 17, udpSegment(68, 67, 4)));
    ASSERT_TRUE(a.ns->sendIpv4(0xffffffffu, 17, udpSegment(68, 67, 4), ip(10, 0, 0, 1)));
    ASSERT_TRUE(a.ns->sendIpv4(ip(10, 0, 0, 255), 17, udpSegment(68, 9999, 4)));
    clock.runUntil(kSecond);
    EXPECT_EQ(icmp, (std::vector<std::string>{"3/3 from 10.0.0.2"}));
    EXPECT_EQ(bcast, 1);
    // The broadcasts needed no ARP: ff:ff:ff:ff:ff:ff.
    auto ipv4 = a.sent(0x0800);
    ASSERT_EQ(ipv4.size(), 3u);
    EXPECT_EQ(wire::load48(ipv4[0].bytes.data()), 0xffffffffffffULL);
}

TEST_F(NetNamespaceTest, MtuDropsLocalPacketsWithAReason) {
    a.devs[0]->setMtu(1000);
    EXPECT_FALSE(a.ns->sendIpv4(ip(10, 0, 0, 2), 17, udpSegment(1, 2, 1200)));
    EXPECT_EQ(drops, (std::vector<std::string>{
                         "a: message too long: 1228 bytes > mtu 1000 of eth0 (fragmentation "
                         "is not modelled)"}));
    EXPECT_FALSE(a.ns->sendIpv4(ip(192, 168, 1, 1), 17, udpSegment(1, 2, 10)));
    EXPECT_EQ(drops.back(), "a: no route to host 192.168.1.1");
}

TEST_F(NetNamespaceTest, GratuitousArpUpdatesExistingEntriesOnly) {
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 0, 2), 1, 1, 56));
    clock.runUntil(kSecond);
    // B changes its MAC and announces it.
    b.devs[0]->setMac(0x02000000bbbbULL);
    b.ns->sendGratuitousArp("eth0");
    auto garp = b.sent(0x0806).back();
    ArpPacket g;
    ASSERT_TRUE(parseArp(std::span(garp.bytes).subspan(14), g).ok());
    EXPECT_EQ(g.op, arp_op::kRequest);
    EXPECT_EQ(g.spa, g.tpa);
    EXPECT_EQ(wire::load48(garp.bytes.data()), 0xffffffffffffULL);
    clock.runUntil(2 * kSecond);
    auto n = a.ns->neighbors();
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].mac, 0x02000000bbbbULL);
    EXPECT_EQ(n[0].state, NeighborEntry::State::Stale);
}

TEST_F(NetNamespaceTest, ProtocolHandlersAndTunnelFramesFromSendIpv4Frame) {
    std::vector<std::size_t> gre;
    b.ns->setProtocolHandler(47, [&](const NetDevice& dev, Packet&& p) {
        EXPECT_EQ(dev.name(), "eth0");
        gre.push_back(p.size());
    });
    // A GRE packet as a tunnel port hands it over: zero MACs, IPv4 + 4-byte GRE + payload.
    Ipv4Fields f;
    f.src = Ipv4Address(ip(10, 0, 0, 1));
    f.dst = Ipv4Address(ip(10, 0, 0, 2));
    f.protocol = 47;
    f.dontFragment = true;
    std::vector<std::uint8_t> inner(4 + 60, 0);
    inner[2] = 0x65;
    inner[3] = 0x58;
    std::vector<std::uint8_t> frame(14, 0);
    frame[12] = 0x08;
    auto ipBytes = buildIpv4(f, inner);
    frame.insert(frame.end(), ipBytes.begin(), ipBytes.end());
    ASSERT_TRUE(a.ns->sendIpv4Frame(Packet(frame)));
    clock.runUntil(kSecond);
    EXPECT_EQ(gre, (std::vector<std::size_t>{14 + 20 + 64}));
    auto out = a.sent(0x0800);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(wire::load48(out[0].bytes.data()), kMacB);
    EXPECT_EQ(wire::load48(out[0].bytes.data() + 6), kMacA);
}

/// A (10.0.0.1) -- R (10.0.0.254 | 10.0.1.254, ip_forward) -- C (10.0.1.1); 1 ms links.
class NetNamespaceRouterTest : public NetNamespaceTest {
protected:
    Host r{"r", clock, &bus};
    Host c{"c", clock, &bus};
    void SetUp() override {
        NetDevice& da = a.addDevice(2, "eth0", kMacA, clock);
        NetDevice& r0 = r.addDevice(4, "eth0", kMacR0, clock);
        NetDevice& r1 = r.addDevice(5, "eth1", kMacR1, clock);
        NetDevice& dc = c.addDevice(6, "eth0", kMacC, clock);
        connectPointToPoint(clock, da, r0, kMillisecond);
        connectPointToPoint(clock, r1, dc, kMillisecond);
        ASSERT_TRUE(a.ns->addAddress("eth0", ip(10, 0, 0, 1), 24).ok());
        ASSERT_TRUE(r.ns->addAddress("eth0", ip(10, 0, 0, 254), 24).ok());
        ASSERT_TRUE(r.ns->addAddress("eth1", ip(10, 0, 1, 254), 24).ok());
        ASSERT_TRUE(c.ns->addAddress("eth0", ip(10, 0, 1, 1), 24).ok());
        Route viaR;
        viaR.gateway = ip(10, 0, 0, 254);
        ASSERT_TRUE(a.ns->addRoute(viaR).ok());
        viaR.gateway = ip(10, 0, 1, 254);
        ASSERT_TRUE(c.ns->addRoute(viaR).ok());
        r.ns->setIpForward(true);
        bus.subscribe([this](SimTime, const Event& e) {
            if (auto* d = std::get_if<FrameDropped>(&e))
                drops.push_back(std::string(d->device) + ": " + std::string(d->reason));
        });
    }
    std::vector<std::string> icmpAtA() {
        return icmpLog;
    }
    void listenA() {
        a.ns->addIcmpListener([this](const IcmpReceived& m) {
            std::string line = std::to_string(m.type) + "/" + std::to_string(m.code) + " from " +
                               formatIpv4(m.srcIp) + " ttl " + std::to_string(m.ttl);
            if (m.type == icmp_type::kDestUnreachable && m.code == 4) {
                IcmpMessage msg;
                EXPECT_TRUE(parseIcmp(m.message, msg).ok());
                line += " mtu " + std::to_string(msg.nextHopMtu());
            }
            icmpLog.push_back(line);
        });
    }
    std::vector<std::string> icmpLog;
};

TEST_F(NetNamespaceRouterTest, ForwardsWithTtlDecrement) {
    listenA();
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 1, 1), 9, 1, 56));
    clock.runUntil(kSecond);
    EXPECT_EQ(icmpAtA(), (std::vector<std::string>{"0/0 from 10.0.1.1 ttl 63"}));
    // C received TTL 63 with a valid header checksum, from R's MAC.
    std::vector<Seen> atC;
    for (const auto& s : c.seen)
        if (s.dir == Direction::Rx && wire::load16(s.bytes.data() + 12) == 0x0800)
            atC.push_back(s);
    ASSERT_EQ(atC.size(), 1u);
    EXPECT_EQ(atC[0].bytes[22], 63);
    EXPECT_TRUE(ipv4HeaderChecksumValid(std::span(atC[0].bytes).subspan(14, 20)));
    EXPECT_EQ(wire::load48(atC[0].bytes.data() + 6), kMacR1);
    // 4 link crossings for ARP on each side plus 4 for the echo: the reply is at 8 ms.
    EXPECT_TRUE(drops.empty());
}

TEST_F(NetNamespaceRouterTest, TtlExpiryGivesTimeExceededFromTheRouter) {
    listenA();
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 1, 1), 9, 1, 56, 0, nullptr, 1));
    clock.runUntil(kSecond);
    EXPECT_EQ(icmpAtA(), (std::vector<std::string>{"11/0 from 10.0.0.254 ttl 64"}));
    EXPECT_EQ(drops, (std::vector<std::string>{"r: TTL exceeded"}));
}

TEST_F(NetNamespaceRouterTest, NoRouteGivesNetUnreachableAndForwardingOffDrops) {
    listenA();
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(192, 168, 7, 7), 9, 1, 56));
    clock.runUntil(kSecond);
    EXPECT_EQ(icmpAtA(), (std::vector<std::string>{"3/0 from 10.0.0.254 ttl 64"}));
    EXPECT_EQ(drops, (std::vector<std::string>{"r: no route to host 192.168.7.7"}));

    r.ns->setIpForward(false);
    drops.clear();
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 1, 1), 9, 2, 56));
    clock.runUntil(2 * kSecond);
    EXPECT_EQ(icmpAtA().size(), 1u);
    EXPECT_EQ(drops, (std::vector<std::string>{"r: ip_forward is off (packet to 10.0.1.1)"}));
}

TEST_F(NetNamespaceRouterTest, ForwardedPacketsOverMtuWithDfGetFragNeeded) {
    listenA();
    r.devs[1]->setMtu(1400);
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 1, 1), 9, 1, 1472));
    clock.runUntil(kSecond);
    EXPECT_EQ(icmpAtA(), (std::vector<std::string>{"3/4 from 10.0.0.254 ttl 64 mtu 1400"}));
    EXPECT_EQ(drops, (std::vector<std::string>{
                         "r: fragmentation needed: 1500 bytes > mtu 1400 of eth1 with DF set"}));
}

TEST_F(NetNamespaceRouterTest, ForwardedPacketsToADeadHostGetHostUnreachable) {
    listenA();
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 1, 99), 9, 1, 56));
    clock.runUntil(5 * kSecond);
    EXPECT_EQ(icmpAtA(), (std::vector<std::string>{"3/1 from 10.0.0.254 ttl 64"}));
    EXPECT_EQ(drops, (std::vector<std::string>{"r: ARP for 10.0.1.99 on eth1 failed"}));
}

TEST_F(NetNamespaceRouterTest, NatHooksRunAtPreroutingAndPostrouting) {
    std::vector<std::string> calls;
    // SNAT at the router: packets leaving eth1 get the router's address as source.
    r.ns->setNatHook([&](HookPoint point, Packet& p, const NetDevice* in, const NetDevice* out) {
        calls.push_back(std::string(point == HookPoint::Prerouting ? "PRE" : "POST") + " in=" +
                        (in ? in->name() : "-") + " out=" + (out ? out->name() : "-"));
        if (point == HookPoint::Postrouting && out && out->name() == "eth1") {
            std::span<std::uint8_t> hdr(p.data().data() + 14, 20);
            wire::store32(hdr.data() + 12, ip(10, 0, 1, 254));
            setIpv4HeaderChecksum(hdr);
        }
        return true;
    });
    std::vector<std::string> atC;
    c.ns->addIcmpListener([&](const IcmpReceived& m) { atC.push_back(formatIpv4(m.srcIp)); });
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 1, 1), 9, 1, 56));
    clock.runUntil(kSecond);
    EXPECT_EQ(atC, (std::vector<std::string>{"10.0.1.254"}));
    // The request crossed R (PRE from eth0, POST to eth1); C's reply goes to 10.0.1.254,
    // a local address of R (no connection tracking here to translate it back).
    EXPECT_EQ(calls, (std::vector<std::string>{"PRE in=eth0 out=-", "POST in=eth0 out=eth1",
                                               "PRE in=eth1 out=-"}));

    // A hook that drops at PREROUTING: nothing reaches C any more.
    r.ns->setNatHook([](HookPoint point, Packet&, const NetDevice*, const NetDevice*) {
        return point != HookPoint::Prerouting;
    });
    drops.clear();
    atC.clear();
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 1, 1), 9, 2, 56));
    clock.runUntil(2 * kSecond);
    EXPECT_TRUE(atC.empty());
    EXPECT_EQ(drops, (std::vector<std::string>{"r: dropped by PREROUTING hook"}));

    // Locally generated packets pass POSTROUTING, received ones PREROUTING.
    r.ns->setNatHook(nullptr);
    std::vector<std::string> local;
    a.ns->setNatHook([&](HookPoint point, Packet&, const NetDevice* in, const NetDevice* out) {
        local.push_back(std::string(point == HookPoint::Prerouting ? "PRE" : "POST") + " " +
                        (in ? in->name() : "-") + " " + (out ? out->name() : "-"));
        return true;
    });
    ASSERT_TRUE(a.ns->sendEchoRequest(ip(10, 0, 0, 254), 9, 3, 56));
    clock.runUntil(3 * kSecond);
    EXPECT_EQ(local, (std::vector<std::string>{"POST - eth0", "PRE eth0 -"}));
}

}  // namespace
}  // namespace nlab::engine
