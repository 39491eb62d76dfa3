// Nat: Icehouse L3-agent SNAT/floating-IP rules with connection tracking, frame by frame.

#include "engine/services/nat.h"

#include "engine/codec/ethernet.h"
#include "engine/codec/icmp.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"

#include <gtest/gtest.h>

#include <vector>

namespace nlab::engine {
namespace {

constexpr const char* kQg = "qg-7f0f2e40-5c";
constexpr const char* kQr = "qr-d8fd27a6-d1";
constexpr const char* kQr2 = "qr-5a1b2c3d-4e";
const MacAddress kMacA = *MacAddress::parse("fa:16:3e:2a:46:e0");
const MacAddress kMacB = *MacAddress::parse("fa:16:3e:32:28:af");
const Ipv4Address kVm = Ipv4Address::fromOctets(10, 10, 10, 7);
const Ipv4Address kVm2 = Ipv4Address::fromOctets(10, 10, 10, 9);
const Ipv4Address kFixed = Ipv4Address::fromOctets(10, 10, 10, 8);
const Ipv4Address kFloating = Ipv4Address::fromOctets(192, 168, 0, 3);
const Ipv4Address kGw = Ipv4Address::fromOctets(192, 168, 0, 2);
const Ipv4Address kExt = Ipv4Address::fromOctets(8, 8, 8, 8);
const Ipv4Address kOutsider = Ipv4Address::fromOctets(192, 168, 0, 100);

Packet ipFrame(Ipv4Address src, Ipv4Address dst, std::uint8_t proto,
               const std::vector<std::uint8_t>& l4) {
    Ipv4Fields f;
    f.src = src;
    f.dst = dst;
    f.protocol = proto;
    f.ttl = 63;
    f.id = 0x1234;
    return Packet(buildEthernetFrame(kMacA, kMacB, {}, 0x0800, buildIpv4(f, l4)));
}
Packet udpFrame(Ipv4Address src, std::uint16_t sport, Ipv4Address dst, std::uint16_t dport,
                bool checksum = true) {
    const std::vector<std::uint8_t> payload{'d', 'n', 's', '?', 1, 2, 3};
    return ipFrame(src, dst, 17, buildUdp(sport, dport, payload, src.toU32(), dst.toU32(), checksum));
}
Packet tcpFrame(Ipv4Address src, std::uint16_t sport, Ipv4Address dst, std::uint16_t dport,
                std::uint16_t flags) {
    TcpFields t;
    t.srcPort = sport;
    t.dstPort = dport;
    t.seq = 1000;
    t.flags = flags;
    t.window = 29200;
    return ipFrame(src, dst, 6, buildTcp(t, {}, src.toU32(), dst.toU32()));
}
Packet echoFrame(Ipv4Address src, Ipv4Address dst, std::uint16_t id, bool reply) {
    const std::vector<std::uint8_t> payload(56, 0x42);
    return ipFrame(src, dst, 1, buildIcmpEcho(reply, id, 1, payload));
}

/// The IPv4 packet of a frame, with every checksum verified.
struct Seen {
    Ipv4Address src, dst;
    std::uint16_t sport = 0, dport = 0;  ///< Ports, or ICMP id in sport.
    std::uint16_t udpChecksum = 0;
};
Seen look(const Packet& p) {
    Seen s;
    EthernetFrame eth;
    EXPECT_TRUE(parseEthernet(p.bytes(), eth).ok());
    Ipv4Datagram ip;
    EXPECT_TRUE(parseIpv4(eth.payload, ip).ok());
    EXPECT_TRUE(ipv4HeaderChecksumValid(eth.payload.first(ip.headerLength))) << "IP checksum";
    s.src = ip.src();
    s.dst = ip.dst();
    const auto seg = ip.payload;
    if (ip.protocol() == 17) {
        UdpDatagram u;
        EXPECT_TRUE(parseUdp(seg, u).ok());
        EXPECT_TRUE(udpChecksumValid(s.src.toU32(), s.dst.toU32(), seg)) << "UDP checksum";
        s.sport = u.srcPort();
        s.dport = u.dstPort();
        s.udpChecksum = u.header.checksum.value();
    } else if (ip.protocol() == 6) {
        TcpSegment t;
        EXPECT_TRUE(parseTcp(seg, t).ok());
        EXPECT_TRUE(tcpChecksumValid(s.src.toU32(), s.dst.toU32(), seg)) << "TCP checksum";
        s.sport = t.srcPort();
        s.dport = t.dstPort();
    } else if (ip.protocol() == 1) {
        EXPECT_TRUE(icmpChecksumValid(seg)) << "ICMP checksum";
        IcmpMessage m;
        EXPECT_TRUE(parseIcmp(seg, m).ok());
        s.sport = m.id();
    }
    return s;
}

class NatTest : public ::testing::Test {
protected:
    NatTest() : nat(clock) {
        nat.setGateway(kQg, kGw);
        EXPECT_TRUE(nat.addInternalSubnet(Ipv4Address::fromOctets(10, 10, 10, 0), 24).ok());
        EXPECT_TRUE(nat.addFloatingIp(kFloating, kFixed).ok());
    }
    /// A frame routed from 'in' to 'out' through the router.
    Seen forward(Packet& p, const char* in, const char* out) {
        EXPECT_TRUE(nat.prerouting(p, in));
        EXPECT_TRUE(nat.postrouting(p, in, out));
        return look(p);
    }
    SimClock clock;
    Nat nat;
};

TEST_F(NatTest, RulesListing) {
    EXPECT_EQ(nat.rulesText(),
              "-P PREROUTING ACCEPT\n"
              "-P INPUT ACCEPT\n"
              "-P OUTPUT ACCEPT\n"
              "-P POSTROUTING ACCEPT\n"
              "-N neutron-l3-agent-OUTPUT\n"
              "-N neutron-l3-agent-POSTROUTING\n"
              "-N neutron-l3-agent-PREROUTING\n"
              "-N neutron-l3-agent-float-snat\n"
              "-N neutron-l3-agent-snat\n"
              "-N neutron-postrouting-bottom\n"
              "-A PREROUTING -j neutron-l3-agent-PREROUTING\n"
              "-A OUTPUT -j neutron-l3-agent-OUTPUT\n"
              "-A POSTROUTING -j neutron-l3-agent-POSTROUTING\n"
              "-A POSTROUTING -j neutron-postrouting-bottom\n"
              "-A neutron-l3-agent-POSTROUTING ! -i qg-7f0f2e40-5c ! -o qg-7f0f2e40-5c -m conntrack ! --ctstate DNAT -j ACCEPT\n"
              "-A neutron-l3-agent-PREROUTING -d 192.168.0.3/32 -j DNAT --to-destination 10.10.10.8\n"
              "-A neutron-l3-agent-float-snat -s 10.10.10.8/32 -j SNAT --to-source 192.168.0.3\n"
              "-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat\n"
              "-A neutron-l3-agent-snat -s 10.10.10.0/24 -j SNAT --to-source 192.168.0.2\n"
              "-A neutron-postrouting-bottom -j neutron-l3-agent-snat\n");
}

TEST_F(NatTest, SnatOutboundAndReplyTranslatedBack) {
    Packet out = udpFrame(kVm, 40000, kExt, 53);
    Seen s = forward(out, kQr, kQg);
    EXPECT_EQ(s.src, kGw);
    EXPECT_EQ(s.sport, 40000);
    EXPECT_EQ(s.dst, kExt);
    EXPECT_EQ(s.dport, 53);
    EXPECT_EQ(nat.conntrackText(),
              "udp      17 30 src=10.10.10.7 dst=8.8.8.8 sport=40000 dport=53 [UNREPLIED] "
              "src=8.8.8.8 dst=192.168.0.2 sport=53 dport=40000 mark=0 use=1\n");
    clock.advance(10 * kSecond);
    Packet back = udpFrame(kExt, 53, kGw, 40000);
    s = forward(back, kQg, kQr);
    EXPECT_EQ(s.src, kExt);
    EXPECT_EQ(s.dst, kVm);
    EXPECT_EQ(s.dport, 40000);
    EXPECT_EQ(nat.conntrackText(),
              "udp      17 30 src=10.10.10.7 dst=8.8.8.8 sport=40000 dport=53 "
              "src=8.8.8.8 dst=192.168.0.2 sport=53 dport=40000 mark=0 use=1\n");
    Packet again = udpFrame(kVm, 40000, kExt, 53);
    EXPECT_EQ(forward(again, kQr, kQg).src, kGw);
    EXPECT_EQ(nat.conntrackText(),
              "udp      17 180 src=10.10.10.7 dst=8.8.8.8 sport=40000 dport=53 "
              "src=8.8.8.8 dst=192.168.0.2 sport=53 dport=40000 [ASSURED] mark=0 use=1\n");
}

TEST_F(NatTest, ZeroUdpChecksumStaysZero) {
    Packet out = udpFrame(kVm, 40000, kExt, 53, false);
    const Seen s = forward(out, kQr, kQg);
    EXPECT_EQ(s.src, kGw);
    EXPECT_EQ(s.udpChecksum, 0);
}

TEST_F(NatTest, InternalTrafficIsNotTranslated) {
    const Ipv4Address other = Ipv4Address::fromOctets(10, 10, 20, 5);
    Packet p = udpFrame(kVm, 40000, other, 53);
    const std::vector<std::uint8_t> before(p.bytes().begin(), p.bytes().end());
    forward(p, kQr, kQr2);
    EXPECT_EQ(std::vector<std::uint8_t>(p.bytes().begin(), p.bytes().end()), before);
    // Traffic from outside the tenant subnets leaves untranslated too.
    Packet router = echoFrame(kGw, kExt, 7, false);
    EXPECT_TRUE(nat.postrouting(router, "", kQg));
    EXPECT_EQ(look(router).src, kGw);
}

TEST_F(NatTest, FloatingIpBothDirections) {
    Packet in = echoFrame(kOutsider, kFloating, 0x0a0b, false);
    Seen s = forward(in, kQg, kQr);
    EXPECT_EQ(s.src, kOutsider);
    EXPECT_EQ(s.dst, kFixed);
    EXPECT_EQ(s.sport, 0x0a0b);
    Packet reply = echoFrame(kFixed, kOutsider, 0x0a0b, true);
    s = forward(reply, kQr, kQg);
    EXPECT_EQ(s.src, kFloating);
    EXPECT_EQ(s.dst, kOutsider);
    EXPECT_EQ(nat.conntrackText(),
              "icmp     1 30 src=192.168.0.100 dst=192.168.0.3 type=8 code=0 id=2571 "
              "src=10.10.10.8 dst=192.168.0.100 type=0 code=0 id=2571 mark=0 use=1\n");
    // The fixed address's own connections leave with the floating address, not the gateway's.
    Packet out = tcpFrame(kFixed, 33000, kExt, 80, tcp_flag::kSyn);
    s = forward(out, kQr, kQg);
    EXPECT_EQ(s.src, kFloating);
    EXPECT_EQ(s.sport, 33000);
}

TEST_F(NatTest, HairpinToFloatingIpIsSourceNatted) {
    Packet p = udpFrame(kVm, 41000, kFloating, 9000);
    const Seen s = forward(p, kQr, kQr);
    EXPECT_EQ(s.dst, kFixed);
    EXPECT_EQ(s.src, kGw);
}

TEST_F(NatTest, PortCollisionPicksNextFreePortOfTheClass) {
    Packet a = udpFrame(kVm, 5000, kExt, 53);
    EXPECT_EQ(forward(a, kQr, kQg).sport, 5000);
    Packet b = udpFrame(kVm2, 5000, kExt, 53);
    Seen s = forward(b, kQr, kQg);
    EXPECT_EQ(s.src, kGw);
    EXPECT_EQ(s.sport, 5001);
    Packet c = udpFrame(Ipv4Address::fromOctets(10, 10, 10, 10), 5000, kExt, 53);
    EXPECT_EQ(forward(c, kQr, kQg).sport, 5002);
    // Replies find their own inside host.
    Packet back = udpFrame(kExt, 53, kGw, 5001);
    s = forward(back, kQg, kQr);
    EXPECT_EQ(s.dst, kVm2);
    EXPECT_EQ(s.dport, 5000);
    Packet back0 = udpFrame(kExt, 53, kGw, 5000);
    EXPECT_EQ(forward(back0, kQg, kQr).dst, kVm);
    // Privileged ports stay privileged (Linux: 1-511, 600-1023).
    Packet p1 = udpFrame(kVm, 511, kExt, 123);
    EXPECT_EQ(forward(p1, kQr, kQg).sport, 511);
    Packet p2 = udpFrame(kVm2, 511, kExt, 123);
    EXPECT_EQ(forward(p2, kQr, kQg).sport, 1);
    Packet p3 = udpFrame(kVm, 1023, kExt, 123);
    EXPECT_EQ(forward(p3, kQr, kQg).sport, 1023);
    Packet p4 = udpFrame(kVm2, 1023, kExt, 123);
    EXPECT_EQ(forward(p4, kQr, kQg).sport, 600);
}

TEST_F(NatTest, IcmpEchoIdCollision) {
    Packet a = echoFrame(kVm, kExt, 1, false);
    EXPECT_EQ(forward(a, kQr, kQg).sport, 1);
    Packet b = echoFrame(kVm2, kExt, 1, false);
    Seen s = forward(b, kQr, kQg);
    EXPECT_EQ(s.src, kGw);
    EXPECT_EQ(s.sport, 2);
    Packet rb = echoFrame(kExt, kGw, 2, true);
    s = forward(rb, kQg, kQr);
    EXPECT_EQ(s.dst, kVm2);
    EXPECT_EQ(s.sport, 1);
    Packet ra = echoFrame(kExt, kGw, 1, true);
    s = forward(ra, kQg, kQr);
    EXPECT_EQ(s.dst, kVm);
    EXPECT_EQ(s.sport, 1);
}

TEST_F(NatTest, EntriesExpireOnTheVirtualClock) {
    Packet out = udpFrame(kVm, 40000, kExt, 53);
    forward(out, kQr, kQg);
    clock.advance(29 * kSecond);
    EXPECT_EQ(nat.connections().size(), 1u);
    EXPECT_EQ(nat.conntrackText().substr(0, 17), "udp      17 1 src");
    clock.advance(1 * kSecond);
    EXPECT_TRUE(nat.connections().empty());
    // A late reply is no longer translated.
    Packet back = udpFrame(kExt, 53, kGw, 40000);
    EXPECT_EQ(forward(back, kQg, kQr).dst, kGw);

    // It started a connection of its own (8.8.8.8 -> 192.168.0.2), untranslated.
    ASSERT_EQ(nat.connections().size(), 1u);
    EXPECT_FALSE(nat.connections()[0].srcNat);
    EXPECT_FALSE(nat.connections()[0].dstNat);

    Packet echo = echoFrame(kVm, kExt, 9, false);
    forward(echo, kQr, kQg);
    clock.advance(30 * kSecond - 1);
    EXPECT_EQ(nat.connections().size(), 2u);
    clock.advance(1);
    EXPECT_TRUE(nat.connections().empty());
}

TEST_F(NatTest, IcmpErrorTranslatedThroughQuotedHeader) {
    Packet out = udpFrame(kVm, 40000, kExt, 33434);
    // What the VM sent, before translation: the quoted header must come back as it was.
    EthernetFrame eth0;
    ASSERT_TRUE(parseEthernet(out.bytes(), eth0).ok());
    const std::vector<std::uint8_t> original(eth0.payload.begin(), eth0.payload.begin() + 28);
    forward(out, kQr, kQg);
    EthernetFrame eth1;
    ASSERT_TRUE(parseEthernet(out.bytes(), eth1).ok());
    const std::vector<std::uint8_t> translated(eth1.payload.begin(), eth1.payload.end());

    Packet err = ipFrame(kExt, kGw, 1, buildIcmpUnreachable(icmp_unreach::kPort, translated));
    EXPECT_TRUE(look(err).dst == kGw);
    const Seen s = forward(err, kQg, kQr);
    EXPECT_EQ(s.src, kExt);
    EXPECT_EQ(s.dst, kVm);
    EthernetFrame eth;
    ASSERT_TRUE(parseEthernet(err.bytes(), eth).ok());
    Ipv4Datagram ip;
    ASSERT_TRUE(parseIpv4(eth.payload, ip).ok());
    IcmpMessage m;
    ASSERT_TRUE(parseIcmp(ip.payload, m).ok());
    ASSERT_TRUE(m.hasQuote);
    const std::vector<std::uint8_t> quoted(m.body.begin(), m.body.end());
    EXPECT_EQ(quoted, original);
    EXPECT_TRUE(ipv4HeaderChecksumValid(std::span<const std::uint8_t>(quoted).first(20)));
}

TEST_F(NatTest, IcmpErrorFromFixedAddressLeavesWithFloatingAddress) {
    Packet in = udpFrame(kOutsider, 50000, kFloating, 7);
    forward(in, kQg, kQr);
    EthernetFrame eth0;
    ASSERT_TRUE(parseEthernet(in.bytes(), eth0).ok());
    const std::vector<std::uint8_t> received(eth0.payload.begin(), eth0.payload.end());
    Packet err = ipFrame(kFixed, kOutsider, 1, buildIcmpUnreachable(icmp_unreach::kPort, received));
    const Seen s = forward(err, kQr, kQg);
    EXPECT_EQ(s.src, kFloating);
    EXPECT_EQ(s.dst, kOutsider);
    EthernetFrame eth;
    ASSERT_TRUE(parseEthernet(err.bytes(), eth).ok());
    Ipv4Datagram ip;
    ASSERT_TRUE(parseIpv4(eth.payload, ip).ok());
    IcmpMessage m;
    ASSERT_TRUE(parseIcmp(ip.payload, m).ok());
    ASSERT_TRUE(m.hasQuote);
    EXPECT_EQ(Ipv4Address(m.quote.header.dst.value()), kFloating);
    EXPECT_EQ(Ipv4Address(m.quote.header.src.value()), kOutsider);
    EXPECT_TRUE(ipv4HeaderChecksumValid(m.body.first(20)));
}

TEST_F(NatTest, TcpStatesAndTimeouts) {
    Packet syn = tcpFrame(kVm, 34567, kExt, 443, tcp_flag::kSyn);
    EXPECT_EQ(forward(syn, kQr, kQg).src, kGw);
    EXPECT_EQ(nat.conntrackText(),
              "tcp      6 120 SYN_SENT src=10.10.10.7 dst=8.8.8.8 sport=34567 dport=443 [UNREPLIED] "
              "src=8.8.8.8 dst=192.168.0.2 sport=443 dport=34567 mark=0 use=1\n");
    Packet synack = tcpFrame(kExt, 443, kGw, 34567, tcp_flag::kSyn | tcp_flag::kAck);
    const Seen s = forward(synack, kQg, kQr);
    EXPECT_EQ(s.dst, kVm);
    EXPECT_EQ(s.dport, 34567);
    EXPECT_EQ(nat.connections().at(0).tcp, TcpConnState::SynRecv);
    Packet ack = tcpFrame(kVm, 34567, kExt, 443, tcp_flag::kAck);
    forward(ack, kQr, kQg);
    EXPECT_EQ(nat.conntrackText(),
              "tcp      6 432000 ESTABLISHED src=10.10.10.7 dst=8.8.8.8 sport=34567 dport=443 "
              "src=8.8.8.8 dst=192.168.0.2 sport=443 dport=34567 [ASSURED] mark=0 use=1\n");
    Packet fin = tcpFrame(kVm, 34567, kExt, 443, tcp_flag::kFin | tcp_flag::kAck);
    forward(fin, kQr, kQg);
    EXPECT_EQ(nat.connections().at(0).tcp, TcpConnState::FinWait);
    Packet fin2 = tcpFrame(kExt, 443, kGw, 34567, tcp_flag::kFin | tcp_flag::kAck);
    forward(fin2, kQg, kQr);
    EXPECT_EQ(nat.connections().at(0).tcp, TcpConnState::LastAck);
    Packet last = tcpFrame(kVm, 34567, kExt, 443, tcp_flag::kAck);
    forward(last, kQr, kQg);
    EXPECT_EQ(nat.connections().at(0).tcp, TcpConnState::TimeWait);
    clock.advance(120 * kSecond - 1);
    EXPECT_EQ(nat.connections().size(), 1u);
    clock.advance(1);
    EXPECT_TRUE(nat.connections().empty());
}

TEST_F(NatTest, ConfigurationErrors) {
    EXPECT_EQ(nat.addInternalSubnet(Ipv4Address::fromOctets(10, 10, 10, 0), 24).error().code,
              ErrorCode::AlreadyExists);
    EXPECT_EQ(nat.addInternalSubnet(Ipv4Address::fromOctets(10, 10, 10, 1), 24).error().code,
              ErrorCode::InvalidArgument);
    EXPECT_EQ(nat.addInternalSubnet(Ipv4Address::fromOctets(10, 0, 0, 0), 33).error().code,
              ErrorCode::InvalidArgument);
    EXPECT_EQ(nat.addFloatingIp(kFloating, kVm).error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(nat.addFloatingIp(Ipv4Address::fromOctets(192, 168, 0, 4), kFixed).error().code,
              ErrorCode::AlreadyExists);
    Packet in = echoFrame(kOutsider, kFloating, 3, false);
    forward(in, kQg, kQr);
    EXPECT_EQ(nat.connections().size(), 1u);
    EXPECT_TRUE(nat.removeFloatingIp(kFloating).ok());
    EXPECT_TRUE(nat.connections().empty());
    EXPECT_EQ(nat.removeFloatingIp(kFloating).error().code, ErrorCode::NotFound);
    Packet again = echoFrame(kOutsider, kFloating, 4, false);
    EXPECT_EQ(forward(again, kQg, kQr).dst, kFloating);
}

}  // namespace
}  // namespace nlab::engine
