// extractFlowKey: OVS miniflow_extract() semantics. The "OVS:" comments quote the Flow line
// `ovs-appctl ofproto/trace br-tun in_port=1 <frame>` printed for the same bytes (OVS 3.1,
// default vlan-limit), captured with tools/ovs-oracle.
#include "engine/codec/flow_extract.h"

#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nlab::engine {
namespace {

using testing::fromHex;
using testing::ip;
using testing::mac;
using testing::PacketBuilder;
using testing::pattern;

const std::string kMacs = "aabbccddeeff112233445566";  // dst aa:bb:..., src 11:22:...
const std::uint64_t kDst = 0xaabbccddeeffULL;
const std::uint64_t kSrc = 0x112233445566ULL;

FlowKey base(std::uint16_t dlType, std::uint32_t inPort = 1) {
    FlowKey k{};
    k.in_port = inPort;
    k.dl_dst = kDst;
    k.dl_src = kSrc;
    k.dl_type = dlType;
    return k;
}

FlowKey extract(const std::string& hexAfterMacs) {
    return extractFlowKey(fromHex(kMacs + hexAfterMacs), 1);
}

TEST(FlowExtractTest, IcmpEchoRequest) {
    const auto f = PacketBuilder()
                       .eth("fa:16:3e:32:28:af", "fa:16:3e:2a:46:e0")
                       .ipv4("10.10.10.7", "10.10.10.1", 64)
                       .tos(0x12)
                       .icmpEcho(1, 1, pattern(56))
                       .build();
    FlowKey e{};
    e.in_port = 5;
    e.dl_src = mac("fa:16:3e:32:28:af");
    e.dl_dst = mac("fa:16:3e:2a:46:e0");
    e.dl_type = 0x0800;
    e.nw_src = ip("10.10.10.7");
    e.nw_dst = ip("10.10.10.1");
    e.nw_proto = 1;
    e.nw_tos = 0x12;
    e.nw_ttl = 64;
    e.tp_src = 8;
    e.tp_dst = 0;
    EXPECT_EQ(extractFlowKey(f, 5), e);
}

TEST(FlowExtractTest, UdpAndTcpPorts) {
    auto udp = extractFlowKey(
        PacketBuilder().eth(kSrc, kDst).ipv4("1.2.3.4", "5.6.7.8").udp(68, 67, pattern(10)).build(),
        1);
    EXPECT_EQ(udp.nw_proto, 17);
    EXPECT_EQ(udp.tp_src, 68);
    EXPECT_EQ(udp.tp_dst, 67);
    auto tcp = extractFlowKey(PacketBuilder()
                                  .eth(kSrc, kDst)
                                  .ipv4("1.2.3.4", "5.6.7.8")
                                  .tcp(40000, 22)
                                  .tcpOptions({2, 4, 5, 0xb4})
                                  .build(),
                              1);
    EXPECT_EQ(tcp.nw_proto, 6);
    EXPECT_EQ(tcp.tp_src, 40000);
    EXPECT_EQ(tcp.tp_dst, 22);
}

TEST(FlowExtractTest, VlanTciGetsCfiEvenWithDei) {
    auto k = extractFlowKey(
        PacketBuilder().eth(kSrc, kDst).vlan(4, 5).ipv4("1.2.3.4", "5.6.7.8").udp(1, 2).build(), 1);
    EXPECT_EQ(k.vlan_tci, 0x1000 | 0xa004);
    EXPECT_EQ(k.dl_type, 0x0800);
    EXPECT_EQ(k.tp_dst, 2);
    // OVS: dl_vlan=4,dl_vlan_pcp=1 for TCI 0x3004 (DEI set): the DEI bit is the CFI bit.
    EXPECT_EQ(extract("81003004002eaaaa0300000008004500001c00000000400100000102030405060708"
                      "00000000000000000000000000000000")
                  .vlan_tci,
              0x3004);
}

TEST(FlowExtractTest, OnlyTheOuterTagIsParsed) {
    // OVS: dl_vlan=100,dl_vlan_pcp=0,vlan_tci1=0x0000,...,dl_type=0x8100
    FlowKey e = base(0x8100);
    e.vlan_tci = 0x1000 | 100;
    EXPECT_EQ(extract("88a8006481000004080045000014000000004001000001020304050607080000000000"
                      "000000000000"),
              e);
}

TEST(FlowExtractTest, TruncatedTagLeavesTheTpidAsType) {
    // OVS: vlan_tci=0x0000,...,dl_type=0x8100 (16-byte frame).
    EXPECT_EQ(extract("8100000408"), base(0x8100));
    EXPECT_EQ(extract("81000004"), base(0x8100));
}

TEST(FlowExtractTest, ShortFramesCarryOnlyMetadata) {
    const auto f = fromHex(kMacs + "0800");
    const TunnelMetadata tun{0x1, 0x0a0a648c, 0x0a0a648b, true};
    for (std::size_t n = 0; n < 14; ++n) {
        FlowKey e{};
        e.in_port = 3;
        e.tun_id = 1;
        e.tun_src = 0x0a0a648c;
        e.tun_dst = 0x0a0a648b;
        EXPECT_EQ(extractFlowKey(std::span(f).first(n), 3, &tun), e) << n;
    }
    EXPECT_EQ(extractFlowKey(f, 1), base(0x0800));
}

TEST(FlowExtractTest, TunnelMetadataOnlyWhenPresent) {
    const auto f = fromHex(kMacs + "1234");
    TunnelMetadata tun{0x55, 1, 2, false};
    EXPECT_EQ(extractFlowKey(f, 1, &tun), base(0x1234));
    tun.present = true;
    FlowKey e = base(0x1234);
    e.tun_id = 0x55;
    e.tun_src = 1;
    e.tun_dst = 2;
    EXPECT_EQ(extractFlowKey(f, 1, &tun), e);
    EXPECT_EQ(extractFlowKey(f, 1, nullptr), base(0x1234));
    Packet p(f);
    EXPECT_EQ(extractFlowKey(p, 1), base(0x1234));
    p.tunnel = tun;
    EXPECT_EQ(extractFlowKey(p, 1), e);
}

TEST(FlowExtractTest, Ieee8023Frames) {
    // OVS: dl_type=0x05ff for plain LLC; the SNAP protocol when the OUI is zero.
    EXPECT_EQ(extract("002ee0e003000000000000000000000000000000000000000000000000"), base(0x05ff));
    EXPECT_EQ(extract("0030aaaa030000010800450000140000000040010000010203040506070800"),
              base(0x05ff));
    FlowKey snap = base(0x0800);
    snap.nw_src = 0x01020304;
    snap.nw_dst = 0x05060708;
    snap.nw_proto = 1;
    snap.nw_ttl = 64;
    snap.tp_src = 8;
    EXPECT_EQ(extract("0030aaaa0300000008004500001c00000000400100000102030405060708080000000000"
                      "000000000000000000000000000000"),
              snap);
    // A SNAP header cut short: 0x05ff.
    EXPECT_EQ(extract("0030aaaa0300"), base(0x05ff));
    // A SNAP protocol below 0x600 is not an EtherType.
    EXPECT_EQ(extract("0030aaaa030000000100"), base(0x05ff));
    // 0x0600 is the first EtherType.
    EXPECT_EQ(extract("0600"), base(0x0600));
    EXPECT_EQ(extract("05ff"), base(0x05ff));
}

TEST(FlowExtractTest, Ipv4SanityFailuresStopAtL3) {
    const FlowKey onlyType = base(0x0800);
    // OVS: "ip,...,nw_src=0.0.0.0,nw_dst=0.0.0.0,nw_proto=0,...,nw_ttl=0" for each.
    EXPECT_EQ(extract("08004300001400000000400100000102030405060708000000000000000000000000"),
              onlyType);                                                           // IHL 3.
    EXPECT_EQ(extract("08004500002800000000401100000102030405060708"), onlyType);  // Total > bytes.
    EXPECT_EQ(extract("080045000010000000004011000001020304050607080000000000000000000000000000"),
              onlyType);                                                           // Total < IHL*4.
    EXPECT_EQ(extract("08004600001800000000401100000102030405060708"), onlyType);  // IHL*4 > bytes.
    EXPECT_EQ(extract("0800450000140000000040110000010203040506"), onlyType);      // < 20 bytes.
}

TEST(FlowExtractTest, VersionNibbleIsNotChecked) {
    // OVS: icmp,...,nw_src=1.2.3.4,nw_dst=5.6.7.8,...,nw_ttl=64 for a header saying version 6.
    FlowKey e = base(0x0800);
    e.nw_src = 0x01020304;
    e.nw_dst = 0x05060708;
    e.nw_proto = 1;
    e.nw_ttl = 64;
    EXPECT_EQ(extract("080065000014000000004001000001020304050607080000000000000000000000000000"),
              e);
}

TEST(FlowExtractTest, TransportNeedsACompleteHeader) {
    FlowKey ip = base(0x0800);
    ip.nw_src = 0x01020304;
    ip.nw_dst = 0x05060708;
    ip.nw_ttl = 64;
    // ICMP with 7 bytes: OVS's ICMP_HEADER_LEN is 8, so no type/code.
    FlowKey icmp = ip;
    icmp.nw_proto = 1;
    EXPECT_EQ(extract("08004500001b00000000400100000102030405060708080000000000000000000000000000"),
              icmp);
    // UDP with 7 bytes.
    FlowKey udp = ip;
    udp.nw_proto = 17;
    EXPECT_EQ(extract("08004500001b00000000401100000102030405060708000100020000000000000000000000"
                      "000000"),
              udp);
    // TCP with data offset 4, and with data offset 6 but only 20 bytes.
    FlowKey tcp = ip;
    tcp.nw_proto = 6;
    EXPECT_EQ(extract("080045000028000000004006000001020304050607080001000200000000000000004000"
                      "00000000000000000000"),
              tcp);
    EXPECT_EQ(extract("080045000028000000004006000001020304050607080001000200000000000000006000"
                      "00000000000000000000"),
              tcp);
    // The transport region ends at the IPv4 total length, not at the frame's end.
    EXPECT_EQ(extractFlowKey(PacketBuilder()
                                 .eth(kSrc, kDst)
                                 .ipv4("1.2.3.4", "5.6.7.8")
                                 .udp(1, 2)
                                 .ipTotalLength(27)
                                 .build(),
                             1)
                  .tp_src,
              0);
    // SCTP (12 bytes) and IGMP (8 bytes) fill tp_src/tp_dst as in OVS.
    FlowKey sctp = ip;
    sctp.nw_proto = 132;
    sctp.tp_src = 1;
    sctp.tp_dst = 2;
    EXPECT_EQ(extract("080045000020000000004084000001020304050607080001000200000000000000000000"
                      "0000000000"),
              sctp);
    FlowKey igmp = ip;
    igmp.nw_proto = 2;
    igmp.nw_tos = 0x10;
    igmp.nw_ttl = 128;
    igmp.tp_src = 0x11;
    igmp.tp_dst = 0x22;
    EXPECT_EQ(extract("08004510001c000000008002000001020304050607081122334400000000000000000000"
                      "00000000"),
              igmp);
}

TEST(FlowExtractTest, Fragments) {
    // OVS: nw_frag=later without ports; nw_frag=first with tp_src=53,tp_dst=54.
    FlowKey later = base(0x0800);
    later.nw_src = 0x01020304;
    later.nw_dst = 0x05060708;
    later.nw_proto = 17;
    later.nw_ttl = 64;
    EXPECT_EQ(extract("08004500001c000020644011000001020304050607080035003500080000000000000000"
                      "000000"),
              later);
    FlowKey first = later;
    first.tp_src = 53;
    first.tp_dst = 54;
    EXPECT_EQ(extract("08004500001c000020004011000001020304050607080035003600080000000000000000"
                      "000000"),
              first);
}

TEST(FlowExtractTest, Arp) {
    const auto f = PacketBuilder()
                       .eth("fa:16:3e:32:28:af", "ff:ff:ff:ff:ff:ff")
                       .arp(1, "fa:16:3e:32:28:af", "10.10.10.7", "00:00:00:00:00:00", "10.10.10.1")
                       .build();
    FlowKey e{};
    e.in_port = 2;
    e.dl_src = mac("fa:16:3e:32:28:af");
    e.dl_dst = 0xffffffffffffULL;
    e.dl_type = 0x0806;
    e.nw_proto = 1;
    e.nw_src = ip("10.10.10.7");
    e.nw_dst = ip("10.10.10.1");
    e.arp_sha = mac("fa:16:3e:32:28:af");
    e.arp_tha = 0;
    EXPECT_EQ(extractFlowKey(f, 2), e);

    // OVS: arp,...,arp_spa=1.2.3.4,arp_tpa=5.6.7.8,arp_op=0 for opcode 0x0100.
    FlowKey bigOp = base(0x0806);
    bigOp.nw_src = 0x01020304;
    bigOp.nw_dst = 0x05060708;
    bigOp.arp_sha = kSrc;
    bigOp.arp_tha = kDst;
    EXPECT_EQ(extract("0806000108000604010011223344556601020304aabbccddeeff050607080000000000000000"
                      "0000"),
              bigOp);
    // OVS: rarp with arp_op=3.
    FlowKey rarp = bigOp;
    rarp.dl_type = 0x8035;
    rarp.nw_proto = 3;
    EXPECT_EQ(extract("8035000108000604000311223344556601020304aabbccddeeff050607080000000000000000"
                      "0000"),
              rarp);
    // OVS: arp with all ARP fields zero for hardware type 6.
    EXPECT_EQ(extract("0806000608000604000111223344556601020304aabbccddeeff050607080000000000000000"
                      "0000"),
              base(0x0806));
    // 27 bytes of ARP.
    EXPECT_EQ(extract("0806000108000604000111223344556601020304000000000000050607").nw_src, 0u);
}

TEST(FlowExtractTest, EveryPrefixIsSafeAndMonotone) {
    const std::vector<std::vector<std::uint8_t>> frames = {
        PacketBuilder()
            .eth(kSrc, kDst)
            .vlan(9)
            .ipv4("1.2.3.4", "5.6.7.8")
            .tcp(1, 2)
            .noPad()
            .build(),
        PacketBuilder()
            .eth(kSrc, kDst)
            .ipv4("1.2.3.4", "5.6.7.8")
            .ipOptions({1, 1, 1, 1})
            .icmpEcho(3, 4, pattern(8))
            .noPad()
            .build(),
        PacketBuilder().eth(kSrc, kDst).arp(2, kSrc, 1, kDst, 2).noPad().build(),
    };
    for (const auto& f : frames) {
        const FlowKey full = extractFlowKey(f, 1);
        for (std::size_t n = 0; n <= f.size(); ++n) {
            // Copy the prefix so that ASan catches any read past it.
            const std::vector<std::uint8_t> prefix(f.begin(), f.begin() + static_cast<long>(n));
            const FlowKey k = extractFlowKey(prefix, 1);
            if (n == f.size()) {
                EXPECT_EQ(k, full);
            }
            // A field extracted from a prefix has its full-frame value (dl_type excepted: a
            // prefix that cuts the VLAN tag reports the TPID, as OVS does).
            if (k.nw_src != 0) {
                EXPECT_EQ(k.nw_src, full.nw_src) << n;
            }
            if (k.tp_src != 0) {
                EXPECT_EQ(k.tp_src, full.tp_src) << n;
            }
        }
    }
}

}  // namespace
}  // namespace nlab::engine
