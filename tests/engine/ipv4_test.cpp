// IPv4 headers and the Internet checksum.
#include "engine/codec/ipv4.h"

#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace nlab::engine {
namespace {

using testing::fromHex;

// The worked example of the IPv4 header checksum (RFC 791 layout; widely used, e.g. Wikipedia
// "Internet checksum"): the checksum of this header is 0xb861.
const char* const kHeader = "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7";

TEST(Ipv4Test, ChecksumOfKnownHeader) {
    auto h = fromHex(kHeader);
    EXPECT_EQ(internetChecksum(h), 0);
    EXPECT_TRUE(ipv4HeaderChecksumValid(h));
    h[10] = h[11] = 0;
    EXPECT_EQ(internetChecksum(h), 0xb861);
    setIpv4HeaderChecksum(h);
    EXPECT_EQ(h, fromHex(kHeader));
    h[8] = 63;  // TTL changed, checksum not updated.
    EXPECT_FALSE(ipv4HeaderChecksumValid(h));
}

TEST(Ipv4Test, ChecksumPartialsChainAndPadOddBytes) {
    // RFC 1071 section 3 example: 0001 f203 f4f5 f6f7 sums to 0xddf2 (before complement).
    const auto b = fromHex("0001f203f4f5f6f7");
    EXPECT_EQ(checksumPartial(b), 0xddf2u);
    EXPECT_EQ(checksumFinish(0xddf2), 0x220d);
    EXPECT_EQ(checksumPartial(std::span(b).subspan(4), checksumPartial(std::span(b).first(4))),
              0xddf2u);
    // An odd trailing byte counts as the high byte of a zero-padded word.
    EXPECT_EQ(checksumPartial(fromHex("01")), 0x0100u);
    EXPECT_EQ(checksumPartial(fromHex("ffff ffff 01")), 0x0100u);
    EXPECT_EQ(internetChecksum({}), 0xffff);
}

TEST(Ipv4Test, IncrementalUpdateMatchesRecomputation) {
    std::mt19937 rng(1234);
    for (int i = 0; i < 2000; ++i) {
        std::vector<std::uint8_t> data(20);
        for (auto& b : data)
            b = static_cast<std::uint8_t>(rng());
        const std::uint16_t before = internetChecksum(data);
        // Change a 16-bit word.
        const std::size_t w = (rng() % 10) * 2;
        const std::uint16_t oldWord = static_cast<std::uint16_t>((data[w] << 8) | data[w + 1]);
        const auto newWord = static_cast<std::uint16_t>(rng());
        data[w] = static_cast<std::uint8_t>(newWord >> 8);
        data[w + 1] = static_cast<std::uint8_t>(newWord);
        const std::uint16_t updated = checksumUpdate16(before, oldWord, newWord);
        // Folded sums of non-zero data lie in 1..0xffff on both paths, so they agree exactly.
        EXPECT_EQ(updated, internetChecksum(data)) << i;
        // A 32-bit change (an address at an even offset).
        const std::size_t a = (rng() % 9) * 2;
        const std::uint32_t oldAddr =
            (std::uint32_t(data[a]) << 24) | (data[a + 1] << 16) | (data[a + 2] << 8) | data[a + 3];
        const std::uint32_t newAddr = static_cast<std::uint32_t>(rng());
        const std::uint16_t c0 = internetChecksum(data);
        for (int k = 0; k < 4; ++k)
            data[a + k] = static_cast<std::uint8_t>(newAddr >> (24 - 8 * k));
        const std::uint16_t c1 = checksumUpdate32(c0, oldAddr, newAddr);
        const std::uint16_t full = internetChecksum(data);
        EXPECT_EQ(c1, full) << i;
    }
}

TEST(Ipv4Test, IncrementalUpdateKeepsAHeaderValid) {
    auto h = fromHex(kHeader);
    // TTL 64 -> 63: the word at offset 8 is TTL << 8 | protocol.
    const std::uint16_t c = checksumUpdate16(0xb861, 0x4011, 0x3f11);
    h[8] = 0x3f;
    h[10] = static_cast<std::uint8_t>(c >> 8);
    h[11] = static_cast<std::uint8_t>(c);
    EXPECT_TRUE(ipv4HeaderChecksumValid(h));
    EXPECT_EQ(c, 0xb961);
}

TEST(Ipv4Test, PseudoHeaderSum) {
    // 192.168.0.1 -> 192.168.0.199, UDP, length 95: c0a8+0001+c0a8+00c7+0011+005f.
    const std::uint32_t expect = (0xc0a8 + 0x0001 + 0xc0a8 + 0x00c7 + 0x0011 + 0x005f);
    const std::uint32_t folded = (expect & 0xffff) + (expect >> 16);
    EXPECT_EQ(ipv4PseudoHeaderSum(0xc0a80001, 0xc0a800c7, 17, 95), folded);
}

TEST(Ipv4Test, BuildsTheKnownHeader) {
    Ipv4Fields f;
    f.src = Ipv4Address::fromOctets(192, 168, 0, 1);
    f.dst = Ipv4Address::fromOctets(192, 168, 0, 199);
    f.protocol = 17;
    f.ttl = 64;
    f.dontFragment = true;
    std::vector<std::uint8_t> out{0xee};
    appendIpv4Header(out, f, 0x73 - 20);
    auto expect = fromHex(kHeader);
    expect.insert(expect.begin(), 0xee);
    EXPECT_EQ(out, expect);
}

TEST(Ipv4Test, BuildsOptionsPaddedToWords) {
    Ipv4Fields f;
    f.src = Ipv4Address::fromOctets(10, 0, 0, 1);
    f.dst = Ipv4Address::fromOctets(10, 0, 0, 2);
    f.protocol = 99;
    f.id = 0x1234;
    f.moreFragments = true;
    f.fragmentOffset = 185;
    const std::vector<std::uint8_t> options{0x94, 0x04, 0x00};  // Router alert, 3 of 4 bytes.
    const std::vector<std::uint8_t> payload{1, 2, 3, 4, 5};
    const auto d = buildIpv4(f, payload, options);
    ASSERT_EQ(d.size(), 24u + 5u);
    EXPECT_EQ(d[0], 0x46);
    EXPECT_EQ(d[20], 0x94);
    EXPECT_EQ(d[23], 0x00);
    EXPECT_TRUE(ipv4HeaderChecksumValid(std::span(d).first(24)));
    // Same bytes as the independent test builder.
    auto built = testing::PacketBuilder()
                     .eth(1, 2)
                     .ipv4(f.src.toU32(), f.dst.toU32(), 64)
                     .ipId(0x1234)
                     .fragment(true, 185)
                     .ipOptions(options)
                     .ipPayload(99, payload)
                     .noPad()
                     .build();
    EXPECT_EQ(std::vector<std::uint8_t>(built.begin() + 14, built.end()), d);

    Ipv4Datagram p;
    auto r = parseIpv4(d, p);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 24u);
    EXPECT_EQ(p.headerLength, 24u);
    EXPECT_EQ(p.totalLength, 29);
    EXPECT_EQ(p.options.size(), 4u);
    EXPECT_EQ(std::vector<std::uint8_t>(p.payload.begin(), p.payload.end()), payload);
    EXPECT_EQ(p.src(), f.src);
    EXPECT_EQ(p.dst(), f.dst);
    EXPECT_EQ(p.protocol(), 99);
    EXPECT_EQ(p.fragmentOffset(), 185);
    EXPECT_TRUE(p.moreFragments());
    EXPECT_FALSE(p.dontFragment());
    EXPECT_TRUE(p.isFragment());
    EXPECT_TRUE(p.isLaterFragment());
    EXPECT_EQ(p.header.id.value(), 0x1234);
}

TEST(Ipv4Test, PayloadStopsAtTotalLength) {
    auto d = fromHex(kHeader);
    d[2] = 0;
    d[3] = 24;  // 4 bytes of payload...
    setIpv4HeaderChecksum(std::span(d));
    for (int i = 0; i < 10; ++i)
        d.push_back(static_cast<std::uint8_t>(i));  // ...and 6 of padding.
    Ipv4Datagram p;
    ASSERT_TRUE(parseIpv4(d, p).ok());
    EXPECT_EQ(p.payload.size(), 4u);
    EXPECT_FALSE(p.isFragment());
    EXPECT_TRUE(p.dontFragment());
}

TEST(Ipv4Test, ParseErrors) {
    const auto good = fromHex(kHeader);
    Ipv4Datagram p;
    auto expectError = [&](std::vector<std::uint8_t> bytes, ErrorCode code, const char* msg) {
        auto r = parseIpv4(bytes, p);
        ASSERT_FALSE(r.ok()) << msg;
        EXPECT_EQ(r.error().code, code);
        EXPECT_EQ(r.error().message, msg);
    };
    expectError({good.begin(), good.begin() + 19}, ErrorCode::Truncated,
                "IPv4: 19 bytes < 20-byte header");
    auto v6 = good;
    v6[0] = 0x65;
    expectError(v6, ErrorCode::Malformed, "IPv4: version 6 != 4");
    auto ihl3 = good;
    ihl3[0] = 0x43;
    expectError(ihl3, ErrorCode::Malformed, "IPv4: header length 3 words < 5");
    auto ihl15 = good;
    ihl15[0] = 0x4f;
    expectError(ihl15, ErrorCode::Truncated, "IPv4: header length 60 > 20 bytes available");
    auto shortTotal = good;
    shortTotal[3] = 16;
    shortTotal[2] = 0;
    expectError(shortTotal, ErrorCode::Malformed, "IPv4: total length 16 < header length 20");
    expectError(good, ErrorCode::Truncated, "IPv4: total length 115 > 20 bytes available");
}

TEST(Ipv4Test, EveryPrefixFailsCleanly) {
    auto d = fromHex(kHeader);
    d[2] = 0;
    d[3] = 28;
    d.resize(28, 0xab);
    setIpv4HeaderChecksum(std::span(d).first(20));
    Ipv4Datagram p;
    for (std::size_t n = 0; n < d.size(); ++n) {
        auto r = parseIpv4(std::span(d).first(n), p);
        ASSERT_FALSE(r.ok()) << n;
        EXPECT_EQ(r.error().code, ErrorCode::Truncated) << n;
    }
    EXPECT_TRUE(parseIpv4(d, p).ok());
}

TEST(Ipv4Test, ProtocolNames) {
    EXPECT_EQ(ipProtoName(1), "ICMP");
    EXPECT_EQ(ipProtoName(6), "TCP");
    EXPECT_EQ(ipProtoName(17), "UDP");
    EXPECT_EQ(ipProtoName(47), "GRE");
    EXPECT_EQ(ipProtoName(253), "");
}

}  // namespace
}  // namespace nlab::engine
