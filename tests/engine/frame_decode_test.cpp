// decodeFrame and summarizeFrame: layers, field texts, errors, one-line summaries.
#include "engine/codec/frame_decode.h"

#include "engine/codec/tunnel.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nlab::engine {
namespace {

using testing::DhcpSpec;
using testing::fromHex;
using testing::ip;
using testing::mac;
using testing::PacketBuilder;
using testing::pattern;

const std::uint64_t kVm = 0xfa163e3228afULL;      // instance1
const std::uint64_t kRouter = 0xfa163e2a46e0ULL;  // qr-d8fd27a6-d1

std::vector<std::uint8_t> ping() {
    return PacketBuilder()
        .eth(kVm, kRouter)
        .ipv4("10.10.10.7", "10.10.10.1")
        .ipId(0x1c46)
        .dontFragment()
        .icmpEcho(1, 1, pattern(56))
        .build();
}

std::vector<std::string> layerNames(const DecodedFrame& d) {
    std::vector<std::string> v;
    for (const auto& l : d.layers)
        v.push_back(l.name + "@" + std::to_string(l.depth));
    return v;
}

void expectWellFormed(const DecodedFrame& d, std::size_t frameSize) {
    for (const auto& l : d.layers) {
        EXPECT_LE(l.offset + l.length, frameSize) << l.name;
    }
}

TEST(FrameDecodeTest, PingLayersAndFields) {
    const auto f = ping();
    const DecodedFrame d = decodeFrame(f);
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(layerNames(d), (std::vector<std::string>{"Ethernet@0", "IPv4@0", "ICMP@0"}));
    const auto& eth = d.layers[0];
    EXPECT_EQ(eth.offset, 0u);
    EXPECT_EQ(eth.length, 14u);
    EXPECT_EQ(eth.fields, (std::vector<DecodedField>{{"Destination", "fa:16:3e:2a:46:e0"},
                                                     {"Source", "fa:16:3e:32:28:af"},
                                                     {"Type", "IPv4 (0x0800)"}}));
    const auto& ip4 = d.layers[1];
    EXPECT_EQ(ip4.offset, 14u);
    EXPECT_EQ(ip4.length, 20u);
    EXPECT_EQ(ip4.fields, (std::vector<DecodedField>{{"Version", "4"},
                                                     {"Header length", "20 bytes (5)"},
                                                     {"DSCP", "0"},
                                                     {"ECN", "0"},
                                                     {"Total length", "84"},
                                                     {"Identification", "0x1c46 (7238)"},
                                                     {"Flags", "0x2 (DF)"},
                                                     {"Fragment offset", "0"},
                                                     {"Time to live", "64"},
                                                     {"Protocol", "ICMP (1)"},
                                                     {"Header checksum", "0xf647 [correct]"},
                                                     {"Source address", "10.10.10.7"},
                                                     {"Destination address", "10.10.10.1"}}));
    const auto& icmp = d.layers[2];
    EXPECT_EQ(icmp.offset, 34u);
    EXPECT_EQ(icmp.length, 64u);
    EXPECT_EQ(icmp.fields, (std::vector<DecodedField>{{"Type", "echo request (8)"},
                                                      {"Code", "0"},
                                                      {"Checksum", "0x00eb [correct]"},
                                                      {"Identifier", "1 (0x0001)"},
                                                      {"Sequence number", "1 (0x0001)"},
                                                      {"Data", "56 bytes"}}));
    EXPECT_EQ(summarizeFrame(f),
              "fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, 10.10.10.7 > 10.10.10.1: "
              "ICMP echo request, id 1, seq 1, length 64");
}

TEST(FrameDecodeTest, BadChecksumsAreShownNotFatal) {
    const auto f = PacketBuilder()
                       .eth(kVm, kRouter)
                       .ipv4("10.10.10.7", "10.10.10.1")
                       .badIpChecksum()
                       .icmpEcho(1, 2, pattern(8))
                       .badL4Checksum()
                       .build();
    const DecodedFrame d = decodeFrame(f);
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(d.find("IPv4")->field("Header checksum"), "0x52bf [incorrect, should be 0x52be]");
    EXPECT_EQ(d.find("ICMP")->field("Checksum"), "0xebed [incorrect, should be 0xebec]");
    EXPECT_EQ(summarizeFrame(f),
              "fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, 10.10.10.7 > 10.10.10.1: ICMP echo request, "
              "id 1, seq 2, length 16 [bad ICMP checksum] [bad IPv4 checksum]");
}

TEST(FrameDecodeTest, ArpSummaries) {
    const auto req = PacketBuilder()
                         .eth(kVm, 0xffffffffffffULL)
                         .arp(1, kVm, ip("10.10.10.7"), 0, ip("10.10.10.1"))
                         .build();
    EXPECT_EQ(summarizeFrame(req), "ARP, Request who-has 10.10.10.1 tell 10.10.10.7");
    const auto rep = PacketBuilder()
                         .eth(kRouter, kVm)
                         .arp(2, kRouter, ip("10.10.10.1"), kVm, ip("10.10.10.7"))
                         .build();
    EXPECT_EQ(summarizeFrame(rep), "ARP, Reply 10.10.10.1 is-at fa:16:3e:2a:46:e0");
    const auto tagged = PacketBuilder()
                            .eth(kVm, 0xffffffffffffULL)
                            .vlan(4)
                            .arp(1, kVm, ip("10.10.10.7"), kRouter, ip("10.10.10.1"))
                            .build();
    EXPECT_EQ(summarizeFrame(tagged),
              "vlan 4, p 0, ARP, Request who-has 10.10.10.1 (fa:16:3e:2a:46:e0) tell 10.10.10.7");
    const DecodedFrame d = decodeFrame(req);
    EXPECT_EQ(layerNames(d), (std::vector<std::string>{"Ethernet@0", "ARP@0", "Padding@0"}));
    EXPECT_EQ(d.layers[1].field("Opcode"), "Request (1)");
    EXPECT_EQ(d.layers[1].field("Target IP address"), "10.10.10.1");
    EXPECT_EQ(d.layers[2].offset, 42u);
    EXPECT_EQ(d.layers[2].length, 18u);
}

TEST(FrameDecodeTest, DhcpDiscoverOnVlan) {
    const auto f = PacketBuilder()
                       .eth(kVm, 0xffffffffffffULL)
                       .vlan(4)
                       .ipv4("0.0.0.0", "255.255.255.255")
                       .dhcp(DhcpSpec::discover(0x3903f326, kVm))
                       .build();
    const DecodedFrame d = decodeFrame(f);
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(layerNames(d),
              (std::vector<std::string>{"Ethernet@0", "802.1Q@0", "IPv4@0", "UDP@0", "DHCP@0"}));
    EXPECT_EQ(d.layers[1].fields,
              (std::vector<DecodedField>{
                  {"Priority", "0"}, {"DEI", "0"}, {"ID", "4"}, {"Type", "IPv4 (0x0800)"}}));
    EXPECT_EQ(d.find("UDP")->field("Checksum"), "0x9b8d [correct]");
    const DecodedLayer& dhcp = *d.find("DHCP");
    EXPECT_EQ(dhcp.offset, 46u);
    EXPECT_EQ(dhcp.length, 300u);
    EXPECT_EQ(dhcp.field("Transaction ID"), "0x3903f326");
    EXPECT_EQ(dhcp.field("Client MAC address"), "fa:16:3e:32:28:af");
    EXPECT_EQ(dhcp.field("Magic cookie"), "DHCP");
    EXPECT_EQ(dhcp.field("Option 53 (message type)"), "Discover (1)");
    EXPECT_EQ(dhcp.field("Option 61 (client identifier)"), "Ethernet fa:16:3e:32:28:af");
    EXPECT_EQ(dhcp.field("Option 55 (parameter request list)"), "1, 3, 6, 12, 15, 28, 42");
    EXPECT_EQ(summarizeFrame(f),
              "fa:16:3e:32:28:af > ff:ff:ff:ff:ff:ff, vlan 4, p 0, 0.0.0.0.68 > "
              "255.255.255.255.67: DHCP Discover, xid 0x3903f326, chaddr fa:16:3e:32:28:af, "
              "length 300");
}

TEST(FrameDecodeTest, DhcpOfferOptionsAndErrors) {
    const auto offer = DhcpSpec::reply(2, 7, kVm, ip("10.10.10.7"), ip("10.10.10.2"),
                                       ip("255.255.255.0"), ip("10.10.10.1"), 86400);
    const auto f = PacketBuilder()
                       .eth(0xfa163e3c5450ULL, kVm)
                       .ipv4("10.10.10.2", "10.10.10.7")
                       .dhcp(offer)
                       .build();
    const DecodedFrame d = decodeFrame(f);
    const DecodedLayer& dhcp = *d.find("DHCP");
    EXPECT_EQ(dhcp.field("Message type"), "Boot Reply (2)");
    EXPECT_EQ(dhcp.field("Your (client) IP address"), "10.10.10.7");
    EXPECT_EQ(dhcp.field("Option 54 (server identifier)"), "10.10.10.2");
    EXPECT_EQ(dhcp.field("Option 51 (IP address lease time)"), "86400 s");
    EXPECT_EQ(dhcp.field("Option 1 (subnet mask)"), "255.255.255.0");
    EXPECT_EQ(dhcp.field("Option 3 (router)"), "10.10.10.1");
    EXPECT_EQ(summarizeFrame(f),
              "fa:16:3e:3c:54:50 > fa:16:3e:32:28:af, 10.10.10.2.67 > 10.10.10.7.68: DHCP Offer, "
              "xid 0x00000007, chaddr fa:16:3e:32:28:af, yiaddr 10.10.10.7, length 300");

    DhcpSpec bad = DhcpSpec::discover(1, kVm);
    bad.option(54, {10, 10, 10});
    const auto b = PacketBuilder()
                       .eth(kVm, 0xffffffffffffULL)
                       .ipv4("0.0.0.0", "255.255.255.255")
                       .dhcp(bad)
                       .build();
    const DecodedFrame bd = decodeFrame(b);
    EXPECT_FALSE(bd.ok());
    EXPECT_EQ(bd.find("DHCP")->error, "DHCP: option 54 (server identifier) length 3 != 4");
    EXPECT_EQ(bd.find("DHCP")->field("Option 54 (server identifier)"), "0a0a0a");
    EXPECT_EQ(summarizeFrame(b),
              "fa:16:3e:32:28:af > ff:ff:ff:ff:ff:ff, 0.0.0.0.68 > 255.255.255.255.67: "
              "BOOTP/DHCP [DHCP: option 54 (server identifier) length 3 != 4]");
}

TEST(FrameDecodeTest, GreWithInnerFrame) {
    OuterHeaders o;
    o.srcMac = 0x000c290713c9ULL;
    o.dstMac = 0x000c290713bfULL;
    o.srcIp = ip("10.10.100.140");
    o.dstIp = ip("10.10.100.139");
    const auto f = encapsulateGre(o, 1, ping());
    const DecodedFrame d = decodeFrame(f);
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(layerNames(d), (std::vector<std::string>{"Ethernet@0", "IPv4@0", "GRE@0",
                                                       "Ethernet@1", "IPv4@1", "ICMP@1"}));
    const DecodedLayer& gre = d.layers[2];
    EXPECT_EQ(gre.offset, 34u);
    EXPECT_EQ(gre.length, 8u);
    EXPECT_EQ(gre.fields, (std::vector<DecodedField>{
                              {"Flags and version", "0x2000 (K)"},
                              {"Protocol type", "Transparent Ethernet Bridging (0x6558)"},
                              {"Key", "0x00000001 (1)"}}));
    EXPECT_EQ(d.layers[3].offset, 42u);
    EXPECT_EQ(d.layers[5].offset, 42u + 34u);
    EXPECT_EQ(summarizeFrame(f),
              "00:0c:29:07:13:c9 > 00:0c:29:07:13:bf, 10.10.100.140 > 10.10.100.139: GRE key=0x1, "
              "length 106: fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, 10.10.10.7 > 10.10.10.1: ICMP "
              "echo request, id 1, seq 1, length 64");
}

TEST(FrameDecodeTest, VxlanWithInnerFrame) {
    const auto f =
        PacketBuilder().eth(1, 2).ipv4("10.0.0.1", "10.0.0.2").vxlan(0x1234, ping(), 54321).build();
    const DecodedFrame d = decodeFrame(f);
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(layerNames(d), (std::vector<std::string>{"Ethernet@0", "IPv4@0", "UDP@0", "VXLAN@0",
                                                       "Ethernet@1", "IPv4@1", "ICMP@1"}));
    EXPECT_EQ(d.find("UDP")->field("Checksum"), "0x0000 [none]");
    EXPECT_EQ(d.find("VXLAN")->fields,
              (std::vector<DecodedField>{{"Flags", "0x08 (I)"}, {"VNI", "4660"}}));
    EXPECT_EQ(summarizeFrame(f),
              "00:00:00:00:00:01 > 00:00:00:00:00:02, 10.0.0.1.54321 > 10.0.0.2.4789: VXLAN, "
              "vni 4660: fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, 10.10.10.7 > 10.10.10.1: ICMP "
              "echo request, id 1, seq 1, length 64");
}

TEST(FrameDecodeTest, EncapsulationDepthIsBounded) {
    std::vector<std::uint8_t> f = ping();
    for (int i = 0; i < 6; ++i) {
        f = PacketBuilder()
                .eth(1, 2)
                .ipv4("1.1.1.1", "2.2.2.2")
                .gre(static_cast<std::uint32_t>(i), f)
                .noPad()
                .build();
    }
    const DecodedFrame d = decodeFrame(f);
    EXPECT_FALSE(d.ok());
    ASSERT_FALSE(d.layers.empty());
    EXPECT_EQ(d.layers.back().name, "Data");
    EXPECT_EQ(d.layers.back().depth, 4);
    EXPECT_EQ(d.layers.back().error, "encapsulation depth limit (4) reached");
    EXPECT_NE(summarizeFrame(f).find("[encapsulation depth limit]"), std::string::npos);
}

TEST(FrameDecodeTest, TcpUdpAndOtherSummaries) {
    EXPECT_EQ(summarizeFrame(PacketBuilder()
                                 .eth(1, 2)
                                 .ipv4("10.0.0.1", "10.0.0.2")
                                 .tcp(40000, 22, 0x12, 100, 200, pattern(10))
                                 .build()),
              "00:00:00:00:00:01 > 00:00:00:00:00:02, 10.0.0.1.40000 > 10.0.0.2.22: Flags [S.], "
              "seq 100, ack 200, win 65535, length 10");
    EXPECT_EQ(
        summarizeFrame(
            PacketBuilder().eth(1, 2).ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, 0x02, 5).build()),
        "00:00:00:00:00:01 > 00:00:00:00:00:02, 10.0.0.1.1 > 10.0.0.2.2: Flags [S], seq 5, "
        "win 65535, length 0");
    EXPECT_EQ(
        summarizeFrame(PacketBuilder()
                           .eth(1, 2)
                           .ipv4("10.0.0.1", "10.0.0.2")
                           .udp(5000, 6000, pattern(3))
                           .build()),
        "00:00:00:00:00:01 > 00:00:00:00:00:02, 10.0.0.1.5000 > 10.0.0.2.6000: UDP, length 3");
    EXPECT_EQ(summarizeFrame(PacketBuilder()
                                 .eth(1, 2)
                                 .ipv4("10.0.0.1", "10.0.0.2")
                                 .ipPayload(99, pattern(7))
                                 .build()),
              "00:00:00:00:00:01 > 00:00:00:00:00:02, 10.0.0.1 > 10.0.0.2: ip-proto-99, length 7");
    EXPECT_EQ(summarizeFrame(PacketBuilder().eth(1, 2).etherType(0x88cc).build()),
              "00:00:00:00:00:01 > 00:00:00:00:00:02, ethertype LLDP (0x88cc), length 60");
    EXPECT_EQ(summarizeFrame(PacketBuilder().eth(1, 2).etherType(0x0030).build()),
              "00:00:00:00:00:01 > 00:00:00:00:00:02, 802.3, length 48");
    EXPECT_EQ(summarizeFrame(PacketBuilder()
                                 .eth(1, 2)
                                 .vlan(100, 1, 0x88a8)
                                 .vlan(4)
                                 .ipv4("10.0.0.1", "10.0.0.2")
                                 .udp(1, 2)
                                 .build()),
              "00:00:00:00:00:01 > 00:00:00:00:00:02, 802.1ad vlan 100, p 1, vlan 4, p 0, "
              "10.0.0.1.1 > 10.0.0.2.2: UDP, length 0");
    EXPECT_EQ(summarizeFrame(PacketBuilder()
                                 .eth(1, 2)
                                 .ipv4("10.0.0.1", "10.0.0.2")
                                 .fragment(true, 0)
                                 .ipId(77)
                                 .udp(1, 2, pattern(20))
                                 .build()),
              "00:00:00:00:00:01 > 00:00:00:00:00:02, 10.0.0.1 > 10.0.0.2: UDP fragment, id 77, "
              "offset 0, length 28, more");
}

TEST(FrameDecodeTest, IcmpErrorSummaries) {
    const auto dgram =
        PacketBuilder().eth(1, 2).ipv4("10.0.0.2", "10.0.0.9").udp(5353, 53).noPad().build();
    const std::vector<std::uint8_t> quote(dgram.begin() + 14, dgram.begin() + 42);
    auto icmp = [&](std::uint8_t type, std::uint8_t code, std::uint32_t rest) {
        return summarizeFrame(PacketBuilder()
                                  .eth(1, 2)
                                  .ipv4("10.0.0.1", "10.0.0.2")
                                  .icmp(type, code, rest, quote)
                                  .build());
    };
    const std::string pre = "00:00:00:00:00:01 > 00:00:00:00:00:02, 10.0.0.1 > 10.0.0.2: ";
    EXPECT_EQ(icmp(3, 3, 0), pre + "ICMP 10.0.0.9 udp port 53 unreachable, length 36");
    EXPECT_EQ(icmp(3, 1, 0), pre + "ICMP host 10.0.0.9 unreachable, length 36");
    EXPECT_EQ(icmp(3, 4, 1400),
              pre + "ICMP 10.0.0.9 unreachable - need to frag (mtu 1400), length 36");
    EXPECT_EQ(icmp(11, 0, 0), pre + "ICMP time exceeded in-transit, length 36");
    EXPECT_EQ(icmp(3, 13, 0),
              pre +
                  "ICMP 10.0.0.9 unreachable - communication administratively prohibited, "
                  "length 36");
    EXPECT_EQ(icmp(42, 1, 0), pre + "ICMP type 42, code 1, length 36");
    const DecodedLayer l =
        *decodeFrame(
             PacketBuilder().eth(1, 2).ipv4("10.0.0.1", "10.0.0.2").icmp(3, 3, 0, quote).build())
             .find("ICMP");
    EXPECT_EQ(l.field("Code"), "port unreachable (3)");
    EXPECT_EQ(l.field("Quoted destination"), "10.0.0.9");
    EXPECT_EQ(l.field("Quoted protocol"), "UDP (17)");
    EXPECT_EQ(l.field("Quoted destination port"), "53");
}

TEST(FrameDecodeTest, MalformedLayersCarryTheParserError) {
    const auto ihl3 =
        PacketBuilder().eth(kVm, kRouter).ipv4("10.10.10.7", "10.10.10.1").ipIhl(3).build();
    const DecodedFrame d = decodeFrame(ihl3);
    EXPECT_FALSE(d.ok());
    ASSERT_EQ(d.layers.size(), 2u);
    EXPECT_EQ(d.layers[1].error, "IPv4: header length 3 words < 5");
    EXPECT_EQ(d.layers[1].field("Header length"), "12 bytes (3)");
    EXPECT_EQ(d.layers[1].field("Source address"), "10.10.10.7");
    EXPECT_EQ(summarizeFrame(ihl3),
              "fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, IP [IPv4: header length 3 words < 5]");

    const std::vector<std::uint8_t> tiny(10, 0);
    const DecodedFrame t = decodeFrame(tiny);
    ASSERT_EQ(t.layers.size(), 1u);
    EXPECT_EQ(t.layers[0].name, "Ethernet");
    EXPECT_EQ(t.layers[0].length, 10u);
    EXPECT_EQ(t.layers[0].error, "Ethernet: frame of 10 bytes < 14-byte header");
    EXPECT_EQ(summarizeFrame(tiny), "[Ethernet: frame of 10 bytes < 14-byte header]");

    auto cut = ping();
    cut.resize(50);
    const DecodedFrame c = decodeFrame(cut);
    EXPECT_EQ(c.layers.back().name, "IPv4");
    EXPECT_EQ(c.layers.back().error, "IPv4: total length 84 > 36 bytes available");
    EXPECT_EQ(
        summarizeFrame(cut),
        "fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, IP [IPv4: total length 84 > 36 bytes available]");

    const auto tag = fromHex("000000000002 000000000001 8100 00");
    const DecodedFrame v = decodeFrame(tag);
    EXPECT_EQ(v.layers.back().name, "802.1Q");
    EXPECT_EQ(v.layers.back().error, "802.1Q: tag truncated (1 of 4 bytes)");
}

TEST(FrameDecodeTest, LlcAndSnap) {
    const auto snap = PacketBuilder()
                          .eth(1, 2)
                          .etherType(0x0024)
                          .payload(fromHex("aaaa03 000000 0806"
                                           "0001080006040001000000000001010101010000000000000202"
                                           "0202"))
                          .build();
    const DecodedFrame d = decodeFrame(snap);
    EXPECT_EQ(layerNames(d),
              (std::vector<std::string>{"Ethernet@0", "LLC@0", "ARP@0", "Padding@0"}));
    EXPECT_EQ(d.layers[0].field("Length"), "36");
    EXPECT_EQ(d.layers[1].field("Type"), "ARP (0x0806)");
    const auto stp =
        PacketBuilder().eth(1, 2).etherType(0x0026).payload(fromHex("424203 0000")).build();
    const DecodedFrame s = decodeFrame(stp);
    EXPECT_EQ(layerNames(s),
              (std::vector<std::string>{"Ethernet@0", "LLC@0", "Data@0", "Padding@0"}));
    EXPECT_EQ(s.layers[2].length, 0x26u - 3u);
}

TEST(FrameDecodeTest, EveryPrefixDecodesCleanly) {
    OuterHeaders o;
    o.srcIp = 1;
    o.dstIp = 2;
    const std::vector<std::vector<std::uint8_t>> frames = {
        ping(),
        encapsulateGre(o, 7, ping()),
        encapsulateVxlan(o, 7, 9, ping()),
        PacketBuilder()
            .eth(kVm, 0xffffffffffffULL)
            .vlan(4)
            .ipv4("0.0.0.0", "255.255.255.255")
            .dhcp(DhcpSpec::discover(1, kVm))
            .build(),
        PacketBuilder()
            .eth(1, 2)
            .ipv4("1.1.1.1", "2.2.2.2")
            .ipOptions({1, 1, 1, 1})
            .tcp(1, 2)
            .tcpOptions({2, 4, 5, 0xb4})
            .build(),
    };
    for (const auto& f : frames) {
        for (std::size_t n = 0; n <= f.size(); ++n) {
            const std::vector<std::uint8_t> prefix(f.begin(), f.begin() + static_cast<long>(n));
            const DecodedFrame d = decodeFrame(prefix);
            ASSERT_FALSE(d.layers.empty());
            expectWellFormed(d, n);
            // None of these frames is padded: every strict prefix cuts a header or the
            // datagram its IPv4 total length announces.
            EXPECT_EQ(d.ok(), n == f.size()) << n;
            EXPECT_FALSE(summarizeFrame(prefix).empty());
        }
    }
}

}  // namespace
}  // namespace nlab::engine
