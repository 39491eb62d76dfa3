// ICMP: echo, errors with quoted datagrams, checksums.
#include "engine/codec/icmp.h"

#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <vector>

namespace nlab::engine {
namespace {

using testing::fromHex;
using testing::pattern;

std::vector<std::uint8_t> l3Of(const std::vector<std::uint8_t>& frame) {
    return {frame.begin() + 14, frame.end()};
}

TEST(IcmpTest, EchoRequestMatchesKnownBytes) {
    // Verified with tshark (-o ip.check_checksum:TRUE): "Checksum: 0x00eb [correct]".
    const auto msg = buildIcmpEcho(false, 1, 1, pattern(56));
    std::vector<std::uint8_t> expect = fromHex("0800 00eb 0001 0001");
    const auto p = pattern(56);
    expect.insert(expect.end(), p.begin(), p.end());
    EXPECT_EQ(msg, expect);
    EXPECT_TRUE(icmpChecksumValid(msg));
    // OVS compose-packet 'icmp,...,icmp_type=8' (id 0, seq 0, 64 bytes 00..3f): csum 0x13fc.
    EXPECT_EQ(buildIcmpEcho(false, 0, 0, pattern(64))[2], 0x13);
    EXPECT_EQ(buildIcmpEcho(false, 0, 0, pattern(64))[3], 0xfc);
    // Reply, no payload: ~(0x0000 + 0x1234 + 0xabcd) = ~0xbe01 = 0x41fe.
    EXPECT_EQ(buildIcmpEcho(true, 0x1234, 0xabcd, {}), fromHex("0000 41fe 1234 abcd"));
}

TEST(IcmpTest, ParsesEcho) {
    const auto msg = buildIcmpEcho(false, 7, 9, pattern(3));
    IcmpMessage m;
    auto r = parseIcmp(msg, m);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 8u);
    EXPECT_EQ(m.type(), icmp_type::kEchoRequest);
    EXPECT_EQ(m.code(), 0);
    EXPECT_EQ(m.id(), 7);
    EXPECT_EQ(m.sequence(), 9);
    EXPECT_EQ(m.body.size(), 3u);
    EXPECT_FALSE(m.hasQuote);
}

TEST(IcmpTest, ChecksumCatchesCorruption) {
    auto msg = buildIcmpEcho(false, 1, 1, pattern(5));
    msg.back() ^= 0x40;
    EXPECT_FALSE(icmpChecksumValid(msg));
    EXPECT_FALSE(icmpChecksumValid(std::span(msg).first(7)));
}

TEST(IcmpTest, UnreachableQuotesHeaderPlusEightBytes) {
    const auto original = l3Of(testing::PacketBuilder()
                                   .eth(1, 2)
                                   .ipv4("10.0.0.1", "10.0.0.2")
                                   .udp(5353, 53, pattern(30))
                                   .noPad()
                                   .build());
    const auto msg = buildIcmpUnreachable(icmp_unreach::kPort, original);
    ASSERT_EQ(msg.size(), 8u + 20u + 8u);
    EXPECT_EQ(msg[0], 3);
    EXPECT_EQ(msg[1], 3);
    EXPECT_EQ(std::vector<std::uint8_t>(msg.begin() + 8, msg.end()),
              std::vector<std::uint8_t>(original.begin(), original.begin() + 28));
    EXPECT_TRUE(icmpChecksumValid(msg));
    // Identical to the independent builder's ICMP message.
    const auto built = l3Of(testing::PacketBuilder()
                                .eth(1, 2)
                                .ipv4("10.0.0.2", "10.0.0.1")
                                .icmp(3, 3, 0, {original.begin(), original.begin() + 28})
                                .noPad()
                                .build());
    EXPECT_EQ(msg, std::vector<std::uint8_t>(built.begin() + 20, built.end()));

    IcmpMessage m;
    ASSERT_TRUE(parseIcmp(msg, m).ok());
    ASSERT_TRUE(m.hasQuote);
    EXPECT_EQ(m.quote.headerLength, 20u);
    EXPECT_EQ(m.quote.header.src.value(), 0x0a000001u);
    EXPECT_EQ(m.quote.header.protocol, 17);
    ASSERT_EQ(m.quote.l4Bytes.size(), 8u);
    EXPECT_EQ(m.quote.l4Bytes[3], 53);
}

TEST(IcmpTest, QuoteHonoursOptionsAndShortDatagrams) {
    const auto withOptions = l3Of(testing::PacketBuilder()
                                      .eth(1, 2)
                                      .ipv4("10.0.0.1", "10.0.0.2")
                                      .ipOptions({1, 1, 1, 0})
                                      .udp(1, 2, pattern(30))
                                      .noPad()
                                      .build());
    EXPECT_EQ(icmpQuotedPart(withOptions).size(), 24u + 8u);
    const auto tiny = fromHex("4500 0014");
    EXPECT_EQ(icmpQuotedPart(tiny).size(), 4u);
    EXPECT_EQ(icmpQuotedPart({}).size(), 0u);

    const auto needFrag =
        buildIcmpUnreachable(icmp_unreach::kFragmentationNeeded, withOptions, 1400);
    IcmpMessage m;
    ASSERT_TRUE(parseIcmp(needFrag, m).ok());
    EXPECT_EQ(m.nextHopMtu(), 1400);
    EXPECT_EQ(m.quote.headerLength, 24u);

    const auto te = buildIcmpTimeExceeded(icmp_time_exceeded::kTtl, withOptions);
    EXPECT_EQ(te[0], 11);
    EXPECT_EQ(te[1], 0);
    EXPECT_TRUE(icmpChecksumValid(te));
}

TEST(IcmpTest, ParseErrors) {
    IcmpMessage m;
    for (std::size_t n = 0; n < 8; ++n) {
        const std::vector<std::uint8_t> b(n, 0);
        auto r = parseIcmp(b, m);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::Truncated);
        EXPECT_EQ(r.error().message, "ICMP: " + std::to_string(n) + " bytes < 8-byte header");
    }
    auto noQuote = buildIcmp(3, 1, 0, 0, fromHex("4500"));
    auto r = parseIcmp(noQuote, m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Truncated);
    EXPECT_EQ(r.error().message, "ICMP: quoted datagram 2 bytes < 20-byte IPv4 header");

    std::vector<std::uint8_t> v6(20, 0);
    v6[0] = 0x60;
    r = parseIcmp(buildIcmp(11, 0, 0, 0, v6), m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Malformed);
    EXPECT_EQ(r.error().message, "ICMP: quoted IPv4 version 6 != 4");

    std::vector<std::uint8_t> ihl2(20, 0);
    ihl2[0] = 0x42;
    r = parseIcmp(buildIcmp(3, 0, 0, 0, ihl2), m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "ICMP: quoted IPv4 header length 2 words < 5");

    std::vector<std::uint8_t> ihl6(20, 0);
    ihl6[0] = 0x46;
    r = parseIcmp(buildIcmp(3, 0, 0, 0, ihl6), m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Truncated);
    EXPECT_EQ(r.error().message, "ICMP: quoted IPv4 header length 24 > 20 bytes available");
}

TEST(IcmpTest, Names) {
    EXPECT_TRUE(icmpTypeIsError(3));
    EXPECT_TRUE(icmpTypeIsError(11));
    EXPECT_FALSE(icmpTypeIsError(8));
    EXPECT_EQ(icmpTypeName(8), "echo request");
    EXPECT_EQ(icmpTypeName(0), "echo reply");
    EXPECT_EQ(icmpTypeName(11), "time exceeded");
    EXPECT_EQ(icmpTypeName(200), "");
    EXPECT_EQ(icmpUnreachableCodeName(3), "port unreachable");
    EXPECT_EQ(icmpUnreachableCodeName(4), "fragmentation needed");
    EXPECT_EQ(icmpUnreachableCodeName(99), "");
}

}  // namespace
}  // namespace nlab::engine
