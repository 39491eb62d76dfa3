// GRE and VXLAN: header codecs, encapsulation (checked against real OVS output), decapsulation.
#include "engine/codec/tunnel.h"

#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <vector>

namespace nlab::engine {
namespace {

using testing::fromHex;
using testing::ip;
using testing::mac;
using testing::PacketBuilder;
using testing::pattern;

// The inner frame OVS composed for 'icmp,dl_src=fa:16:3e:32:28:af,dl_dst=fa:16:3e:2a:46:e0,
// nw_src=10.10.10.7,nw_dst=10.10.10.1,nw_ttl=64,icmp_type=8' (98 bytes).
const char* const kInner =
    "fa163e2a46e0fa163e3228af08004500005c00000000400152860a0a0a070a0a0a01080013fc00000000"
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a"
    "2b2c2d2e2f303132333435363738393a3b3c3d3e3f";

OuterHeaders ovsOuter() {
    OuterHeaders o;
    o.srcMac = mac("aa:55:aa:55:00:00");
    o.dstMac = mac("aa:bb:cc:00:01:39");
    o.srcIp = ip("10.10.100.1");
    o.dstIp = ip("10.10.100.139");
    return o;
}

// What OVS 3.1's userspace GRE port (remote_ip=10.10.100.139, key=flow) put on the underlay for
// kInner after set_tunnel:0x1 (captured with tools/ovs-oracle: icehouse + inject).
TEST(TunnelTest, GreEncapsulationMatchesOvs) {
    const auto frame = encapsulateGre(ovsOuter(), 1, fromHex(kInner));
    EXPECT_EQ(frame, fromHex(std::string("aabbcc000139aa55aa5500000800"
                                         "4500008600004000402f5da90a0a64010a0a648b"
                                         "2000655800000001") +
                             kInner));
}

// Same, VXLAN port (key=flow) after set_tunnel:0x1234; OVS chose UDP source port 0xdf8a.
TEST(TunnelTest, VxlanEncapsulationMatchesOvs) {
    const auto frame = encapsulateVxlan(ovsOuter(), 0x1234, 0xdf8a, fromHex(kInner));
    EXPECT_EQ(frame, fromHex(std::string("aabbcc000139aa55aa5500000800"
                                         "4500008e0000400040115dbf0a0a64010a0a648b"
                                         "df8a12b5007a0000"
                                         "0800000000123400") +
                             kInner));
}

TEST(TunnelTest, EncapsulationMatchesTheReferenceBuilder) {
    OuterHeaders o = ovsOuter();
    o.ttl = 17;
    o.tos = 0xb8;
    o.ipId = 0x4321;
    o.dontFragment = false;
    const auto inner = fromHex(kInner);
    EXPECT_EQ(encapsulateGre(o, 0xdeadbeef, inner), PacketBuilder()
                                                        .eth(o.srcMac, o.dstMac)
                                                        .ipv4(o.srcIp, o.dstIp, 17)
                                                        .tos(0xb8)
                                                        .ipId(0x4321)
                                                        .gre(0xdeadbeef, inner)
                                                        .noPad()
                                                        .build());
    EXPECT_EQ(encapsulateVxlan(o, 0x123456, 4242, inner), PacketBuilder()
                                                              .eth(o.srcMac, o.dstMac)
                                                              .ipv4(o.srcIp, o.dstIp, 17)
                                                              .tos(0xb8)
                                                              .ipId(0x4321)
                                                              .vxlan(0x123456, inner, 4242)
                                                              .noPad()
                                                              .build());
    // VNIs are 24 bits.
    EXPECT_EQ(encapsulateVxlan(o, 0xff123456, 4242, inner),
              encapsulateVxlan(o, 0x123456, 4242, inner));
}

TEST(TunnelTest, VxlanWithUdpChecksum) {
    OuterHeaders o = ovsOuter();
    o.udpChecksum = true;
    const auto frame = encapsulateVxlan(o, 7, 5000, fromHex(kInner));
    const std::span<const std::uint8_t> udp = std::span(frame).subspan(34);
    EXPECT_NE(udp[6] | udp[7], 0);
    EXPECT_TRUE(udpChecksumValid(o.srcIp, o.dstIp, udp));
    auto d = decapsulate(frame);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->key, 7u);
}

TEST(TunnelTest, DecapsulatesGreAndVxlan) {
    const auto inner = fromHex(kInner);
    auto g = decapsulate(encapsulateGre(ovsOuter(), 0x2, inner));
    ASSERT_TRUE(g.has_value());
    EXPECT_EQ(g->kind, Decapsulated::Kind::Gre);
    EXPECT_EQ(g->key, 2u);
    EXPECT_EQ(g->outerSrc, ip("10.10.100.1"));
    EXPECT_EQ(g->outerDst, ip("10.10.100.139"));
    EXPECT_EQ(g->inner, inner);

    auto v = decapsulate(encapsulateVxlan(ovsOuter(), 0xabcdef, 1, inner));
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->kind, Decapsulated::Kind::Vxlan);
    EXPECT_EQ(v->key, 0xabcdefu);
    EXPECT_EQ(v->inner, inner);

    // The seed lab's frame format: GRE from tools/ovs-oracle greframe (10.10.100.139 -> .1).
    auto s = decapsulate(fromHex(
        "aa55aa550000aabbcc00013908004500004600004000402f5de90a0a648b0a0a6401"
        "2000655800000001fa163e2a46e0fa163e3228af08004500001c00000000400100000000000000000000"
        "0800f7ff00000000"));
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->key, 1u);
    EXPECT_EQ(s->outerSrc, ip("10.10.100.139"));
    EXPECT_EQ(s->inner.size(), 42u);
}

TEST(TunnelTest, DecapsulationAcceptsTaggedUnderlayAndKeylessGre) {
    const auto inner = fromHex(kInner);
    auto tagged =
        PacketBuilder().eth(1, 2).vlan(100).ipv4("1.1.1.1", "2.2.2.2").gre(9, inner).build();
    auto d = decapsulate(tagged);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->key, 9u);
    GreFields f;  // No key, with checksum.
    f.checksum = true;
    auto keyless = PacketBuilder()
                       .eth(1, 2)
                       .ipv4("1.1.1.1", "2.2.2.2")
                       .ipPayload(47, buildGre(f, inner))
                       .build();
    d = decapsulate(keyless);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->key, 0u);
    EXPECT_EQ(d->inner, inner);
}

TEST(TunnelTest, DecapsulationRejects) {
    const auto inner = fromHex(kInner);
    const auto gre = encapsulateGre(ovsOuter(), 1, inner);
    const auto vx = encapsulateVxlan(ovsOuter(), 1, 1, inner);
    EXPECT_FALSE(decapsulate(inner).has_value());  // Plain ICMP.
    // Every strict prefix: truncated outer headers or an inner frame cut short.
    for (std::size_t n = 0; n < gre.size(); ++n) {
        EXPECT_FALSE(decapsulate(std::span(gre).first(n)).has_value()) << n;
    }
    for (std::size_t n = 0; n < vx.size(); ++n) {
        EXPECT_FALSE(decapsulate(std::span(vx).first(n)).has_value()) << n;
    }
    auto badIp = gre;
    badIp[24] ^= 1;  // Outer IPv4 checksum.
    EXPECT_FALSE(decapsulate(badIp).has_value());
    auto frag = PacketBuilder()
                    .eth(1, 2)
                    .ipv4("1.1.1.1", "2.2.2.2")
                    .fragment(true, 0)
                    .gre(1, inner)
                    .build();
    EXPECT_FALSE(decapsulate(frag).has_value());
    auto ipInGre = PacketBuilder()
                       .eth(1, 2)
                       .ipv4("1.1.1.1", "2.2.2.2")
                       .gre(1, {inner.begin() + 14, inner.end()}, 0x0800)
                       .build();
    EXPECT_FALSE(decapsulate(ipInGre).has_value());
    auto greV1 = gre;
    greV1[35] = 0x01;  // GRE version 1.
    EXPECT_FALSE(decapsulate(greV1).has_value());
    GreFields f;
    f.checksum = true;
    f.key = 5;
    auto badGreSum = buildGre(f, inner);
    badGreSum[4] ^= 0xff;
    EXPECT_FALSE(
        decapsulate(
            PacketBuilder().eth(1, 2).ipv4("1.1.1.1", "2.2.2.2").ipPayload(47, badGreSum).build())
            .has_value());
    auto port4790 = PacketBuilder()
                        .eth(1, 2)
                        .ipv4("1.1.1.1", "2.2.2.2")
                        .udp(1, 4790, std::vector<std::uint8_t>(vx.begin() + 42, vx.end()))
                        .build();
    EXPECT_FALSE(decapsulate(port4790).has_value());
    auto noIFlag = vx;
    noIFlag[42] = 0x00;
    EXPECT_FALSE(decapsulate(noIFlag).has_value());
    auto badUdpSum = PacketBuilder().eth(1, 2).ipv4("1.1.1.1", "2.2.2.2").vxlan(3, inner).build();
    ASSERT_TRUE(decapsulate(badUdpSum).has_value());
    badUdpSum[40] = 0x12;  // A non-zero, wrong UDP checksum.
    EXPECT_FALSE(decapsulate(badUdpSum).has_value());
    auto shortInner = PacketBuilder()
                          .eth(1, 2)
                          .ipv4("1.1.1.1", "2.2.2.2")
                          .gre(1, std::vector<std::uint8_t>(13, 0))
                          .noPad()
                          .build();
    EXPECT_FALSE(decapsulate(shortInner).has_value());
}

TEST(TunnelTest, GreHeaderFields) {
    GreFields f;
    f.checksum = true;
    f.key = 0x01020304;
    f.sequence = 0x0a0b0c0d;
    f.protocol = 0x0800;
    const std::vector<std::uint8_t> payload{1, 2, 3};
    const auto msg = buildGre(f, payload);
    ASSERT_EQ(msg.size(), 16u + 3u);
    EXPECT_EQ(msg[0], 0xb0);  // C, K, S.
    EXPECT_EQ(msg[1], 0x00);
    EXPECT_EQ(msg[2], 0x08);
    EXPECT_EQ(internetChecksum(msg), 0);
    EXPECT_TRUE(greChecksumValid(msg));
    GrePacket g;
    auto r = parseGre(msg, g);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 16u);
    EXPECT_TRUE(g.checksumPresent);
    EXPECT_TRUE(g.keyPresent);
    EXPECT_EQ(g.key, 0x01020304u);
    EXPECT_TRUE(g.sequencePresent);
    EXPECT_EQ(g.sequence, 0x0a0b0c0du);
    EXPECT_EQ(g.protocol, 0x0800);
    EXPECT_EQ(g.payload.size(), 3u);
    auto bad = msg;
    bad.back() ^= 1;
    EXPECT_FALSE(greChecksumValid(bad));
    EXPECT_EQ(buildGre(GreFields{}, {}), fromHex("0000 6558"));
}

TEST(TunnelTest, GreParseErrors) {
    GrePacket g;
    auto r = parseGre(fromHex("2000 65"), g);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "GRE: 3 bytes < 4-byte header");
    r = parseGre(fromHex("2000 6558 0000"), g);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Truncated);
    EXPECT_EQ(r.error().message, "GRE: key field announced but only 2 bytes remain");
    r = parseGre(fromHex("b000 6558 0000 0000 0000 0001"), g);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "GRE: sequence field announced but only 0 bytes remain");
    r = parseGre(fromHex("8000 6558 00"), g);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "GRE: checksum field announced but only 1 bytes remain");
    r = parseGre(fromHex("0001 880b"), g);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Malformed);
    EXPECT_EQ(r.error().message, "GRE: version 1 != 0");
    r = parseGre(fromHex("4000 6558"), g);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "GRE: RFC 1701 routing bits 0x4000 set");
    // Bits 6-12 are ignored (RFC 2784).
    EXPECT_TRUE(parseGre(fromHex("0088 6558"), g).ok());
}

TEST(TunnelTest, VxlanHeader) {
    const auto msg = buildVxlan(0x00abcdef, fromHex("ff"));
    EXPECT_EQ(msg, fromHex("08000000 abcdef00 ff"));
    VxlanPacket v;
    auto r = parseVxlan(msg, v);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(v.vni, 0xabcdefu);
    EXPECT_EQ(v.flags, 0x08);
    EXPECT_EQ(v.payload.size(), 1u);
    r = parseVxlan(fromHex("08000000 abcdef"), v);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "VXLAN: 7 bytes < 8-byte header");
    r = parseVxlan(fromHex("00000000 abcdef00"), v);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Malformed);
    EXPECT_EQ(r.error().message, "VXLAN: I flag clear in flags 0x00 (VNI not valid)");
}

}  // namespace
}  // namespace nlab::engine
