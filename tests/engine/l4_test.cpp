// UDP and TCP headers and pseudo-header checksums; SCTP's CRC32c.
#include "engine/codec/l4.h"

#include "engine/codec/ipv4.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <vector>

namespace nlab::engine {
namespace {

using testing::fromHex;
using testing::ip;
using testing::pattern;

std::vector<std::uint8_t> withPattern(const char* hex, std::size_t n) {
    auto v = fromHex(hex);
    const auto p = pattern(n);
    v.insert(v.end(), p.begin(), p.end());
    return v;
}

// `ovs-ofctl compose-packet 'udp,nw_src=10.10.10.7,nw_dst=10.10.10.2,nw_ttl=64,udp_src=68,
// udp_dst=67'` (OVS 3.1): the UDP part, checksum 0xf2b6.
TEST(L4Test, UdpMatchesOvsComposedSegment) {
    const auto seg = buildUdp(68, 67, pattern(64), ip("10.10.10.7"), ip("10.10.10.2"));
    EXPECT_EQ(seg, withPattern("0044 0043 0048 f2b6", 64));
    EXPECT_TRUE(udpChecksumValid(ip("10.10.10.7"), ip("10.10.10.2"), seg));
    EXPECT_FALSE(udpChecksumValid(ip("10.10.10.7"), ip("10.10.10.3"), seg));
    EXPECT_EQ(udpChecksum(ip("10.10.10.7"), ip("10.10.10.2"), seg), 0xf2b6);

    const auto noSum = buildUdp(68, 67, pattern(64), ip("10.10.10.7"), ip("10.10.10.2"), false);
    EXPECT_EQ(noSum[6], 0);
    EXPECT_EQ(noSum[7], 0);
    EXPECT_TRUE(udpChecksumValid(ip("1.1.1.1"), ip("2.2.2.2"), noSum));  // Zero = none.
}

TEST(L4Test, UdpComputedZeroIsSentAsFfff) {
    // Choose a 2-byte payload that makes the one's-complement sum 0xffff.
    const std::uint32_t src = ip("10.0.0.1"), dst = ip("10.0.0.2");
    std::vector<std::uint8_t> seg =
        buildUdp(1000, 2000, std::vector<std::uint8_t>{0, 0}, src, dst, false);
    const std::uint32_t s = checksumPartial(seg, ipv4PseudoHeaderSum(src, dst, 17, 10));
    const auto fill = static_cast<std::uint16_t>(0xffff - s);
    seg[8] = static_cast<std::uint8_t>(fill >> 8);
    seg[9] = static_cast<std::uint8_t>(fill);
    EXPECT_EQ(udpChecksum(src, dst, seg), 0xffff);
    seg[6] = seg[7] = 0xff;
    EXPECT_TRUE(udpChecksumValid(src, dst, seg));
    EXPECT_EQ(buildUdp(1000, 2000, std::vector<std::uint8_t>{seg[8], seg[9]}, src, dst), seg);
}

TEST(L4Test, ParsesUdp) {
    auto seg = buildUdp(5000, 53, pattern(10), 1, 2);
    seg.push_back(0xee);  // Bytes past the UDP length are not payload.
    UdpDatagram u;
    auto r = parseUdp(seg, u);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 8u);
    EXPECT_EQ(u.srcPort(), 5000);
    EXPECT_EQ(u.dstPort(), 53);
    EXPECT_EQ(u.length(), 18);
    EXPECT_EQ(u.payload.size(), 10u);
}

TEST(L4Test, UdpErrors) {
    UdpDatagram u;
    for (std::size_t n = 0; n < 8; ++n) {
        auto r = parseUdp(std::vector<std::uint8_t>(n, 0), u);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::Truncated);
        EXPECT_EQ(r.error().message, "UDP: " + std::to_string(n) + " bytes < 8-byte header");
    }
    auto r = parseUdp(fromHex("0001 0002 0004 0000"), u);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Malformed);
    EXPECT_EQ(r.error().message, "UDP: length 4 < 8-byte header");
    r = parseUdp(fromHex("0001 0002 0020 0000 00"), u);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Truncated);
    EXPECT_EQ(r.error().message, "UDP: length 32 > 9 bytes available");
}

// `ovs-ofctl compose-packet 'tcp,...,nw_src=1.1.1.1,nw_dst=2.2.2.2,tp_src=1234,tp_dst=80'`:
// data offset 5, no flags, window 0, checksum 0xc079, payload 00..3f.
TEST(L4Test, TcpMatchesOvsComposedSegment) {
    TcpFields f;
    f.srcPort = 1234;
    f.dstPort = 80;
    const auto seg = buildTcp(f, pattern(64), ip("1.1.1.1"), ip("2.2.2.2"));
    EXPECT_EQ(seg, withPattern("04d2 0050 00000000 00000000 5000 0000 c079 0000", 64));
    EXPECT_TRUE(tcpChecksumValid(ip("1.1.1.1"), ip("2.2.2.2"), seg));
    EXPECT_FALSE(tcpChecksumValid(ip("1.1.1.1"), ip("2.2.2.3"), seg));
    EXPECT_EQ(tcpChecksum(ip("1.1.1.1"), ip("2.2.2.2"), seg), 0xc079);
}

TEST(L4Test, TcpWithOptionsAndFlags) {
    TcpFields f;
    f.srcPort = 40000;
    f.dstPort = 22;
    f.seq = 0x01020304;
    f.ack = 0x0a0b0c0d;
    f.flags = tcp_flag::kSyn | tcp_flag::kAck | tcp_flag::kNs;
    f.window = 29200;
    const std::vector<std::uint8_t> mss{2, 4, 0x05, 0xb4,
                                        1, 1, 4};  // MSS, NOP, NOP, SACK-perm(3/4).
    const auto seg = buildTcp(f, pattern(3), 1, 2, mss);
    ASSERT_EQ(seg.size(), 28u + 3u);
    EXPECT_EQ(seg[12], 0x71);  // Data offset 7, NS.
    EXPECT_EQ(seg[13], 0x12);
    EXPECT_EQ(seg[27], 0);  // Option padding.
    EXPECT_TRUE(tcpChecksumValid(1, 2, seg));

    TcpSegment t;
    auto r = parseTcp(seg, t);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 28u);
    EXPECT_EQ(t.srcPort(), 40000);
    EXPECT_EQ(t.dstPort(), 22);
    EXPECT_EQ(t.header.seq.value(), 0x01020304u);
    EXPECT_EQ(t.header.ack.value(), 0x0a0b0c0du);
    EXPECT_EQ(t.flags(), tcp_flag::kSyn | tcp_flag::kAck | tcp_flag::kNs);
    EXPECT_EQ(t.options.size(), 8u);
    EXPECT_EQ(t.payload.size(), 3u);
    // Same segment as the independent builder (which has no NS bit).
    f.flags = tcp_flag::kSyn | tcp_flag::kAck;
    const auto built = testing::PacketBuilder()
                           .eth(1, 2)
                           .ipv4(1, 2)
                           .tcp(40000, 22, 0x12, 0x01020304, 0x0a0b0c0d, pattern(3), 29200)
                           .tcpOptions(mss)
                           .noPad()
                           .build();
    EXPECT_EQ(buildTcp(f, pattern(3), 1, 2, mss),
              std::vector<std::uint8_t>(built.begin() + 34, built.end()));
}

TEST(L4Test, TcpErrors) {
    TcpSegment t;
    auto r = parseTcp(std::vector<std::uint8_t>(19, 0), t);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "TCP: 19 bytes < 20-byte header");
    auto seg = buildTcp(TcpFields{}, {}, 1, 2);
    seg[12] = 0x40;
    r = parseTcp(seg, t);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Malformed);
    EXPECT_EQ(r.error().message, "TCP: data offset 4 words < 5");
    seg[12] = 0x60;
    r = parseTcp(seg, t);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Truncated);
    EXPECT_EQ(r.error().message, "TCP: header length 24 > 20 bytes available");
}

TEST(L4Test, FlagStrings) {
    EXPECT_EQ(tcpFlagsString(tcp_flag::kSyn), "S");
    EXPECT_EQ(tcpFlagsString(tcp_flag::kSyn | tcp_flag::kAck), "S.");
    EXPECT_EQ(tcpFlagsString(tcp_flag::kPsh | tcp_flag::kAck), "P.");
    EXPECT_EQ(tcpFlagsString(tcp_flag::kFin | tcp_flag::kAck), "F.");
    EXPECT_EQ(tcpFlagsString(tcp_flag::kRst), "R");
    EXPECT_EQ(tcpFlagsString(tcp_flag::kAck), ".");
    EXPECT_EQ(tcpFlagsString(0), "none");
}

TEST(L4Test, Crc32cAndSctp) {
    const std::vector<std::uint8_t> check{'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    EXPECT_EQ(crc32c(check), 0xe3069283u);  // The CRC-32C check value.
    // Stored little-endian as 2a ee 02 a8, which tshark (sctp.checksum:CRC-32C) reports as
    // "0x2aee02a8 [correct]" for this common header.
    auto sctp = fromHex("04d2 0050 00000000 00000000");
    EXPECT_EQ(sctpChecksum(sctp), 0xa802ee2au);
    sctp[8] = 0x55;  // The checksum field itself is not covered.
    EXPECT_EQ(sctpChecksum(sctp), 0xa802ee2au);
}

}  // namespace
}  // namespace nlab::engine
