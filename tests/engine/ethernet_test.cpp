// Ethernet II / 802.3 framing and 802.1Q/802.1ad tags.
#include "engine/codec/ethernet.h"

#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <vector>

namespace nlab::engine {
namespace {

using testing::fromHex;
using testing::PacketBuilder;

const MacAddress kSrc = *MacAddress::parse("fa:16:3e:32:28:af");
const MacAddress kDst = *MacAddress::parse("fa:16:3e:2a:46:e0");

TEST(EthernetTest, ParsesUntaggedFrame) {
    const auto f = fromHex("fa163e2a46e0 fa163e3228af 0800 4500");
    EthernetFrame e;
    auto r = parseEthernet(f, e);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 14u);
    EXPECT_EQ(e.dst, kDst);
    EXPECT_EQ(e.src, kSrc);
    EXPECT_EQ(e.tagCount, 0u);
    EXPECT_EQ(e.typeOrLength, 0x0800);
    EXPECT_FALSE(e.isLength());
    EXPECT_EQ(e.headerLength, 14u);
    ASSERT_EQ(e.payload.size(), 2u);
    EXPECT_EQ(e.payload.data(), f.data() + 14);
}

TEST(EthernetTest, ParsesOneAndTwoTags) {
    const auto one = fromHex("fa163e2a46e0 fa163e3228af 8100 a004 0806");
    EthernetFrame e;
    ASSERT_TRUE(parseEthernet(one, e).ok());
    ASSERT_EQ(e.tagCount, 1u);
    EXPECT_EQ(e.tags[0].tpid, 0x8100);
    EXPECT_EQ(e.tags[0].tci, 0xa004);
    EXPECT_EQ(e.tags[0].pcp(), 5);
    EXPECT_FALSE(e.tags[0].dei());
    EXPECT_EQ(e.tags[0].vid(), 4);
    EXPECT_EQ(e.typeOrLength, 0x0806);
    EXPECT_EQ(e.headerLength, 18u);
    EXPECT_TRUE(e.payload.empty());

    const auto two = fromHex("fa163e2a46e0 fa163e3228af 88a8 1064 8100 0004 0800 45");
    auto r = parseEthernet(two, e);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 22u);
    ASSERT_EQ(e.tagCount, 2u);
    EXPECT_EQ(e.tags[0].tpid, 0x88a8);
    EXPECT_EQ(e.tags[0].vid(), 100);
    EXPECT_TRUE(e.tags[0].dei());
    EXPECT_EQ(e.tags[1].tpid, 0x8100);
    EXPECT_EQ(e.tags[1].vid(), 4);
    EXPECT_EQ(e.typeOrLength, 0x0800);
    EXPECT_EQ(e.payload.size(), 1u);
}

TEST(EthernetTest, ThirdTagIsReportedAsType) {
    const auto three = fromHex("000000000001 000000000002 8100 0001 8100 0002 8100 0003 0800");
    EthernetFrame e;
    auto r = parseEthernet(three, e);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(e.tagCount, 2u);
    EXPECT_EQ(e.typeOrLength, 0x8100);
    EXPECT_EQ(r.value(), 22u);
}

TEST(EthernetTest, EveryShortPrefixIsTruncated) {
    const auto f = fromHex("fa163e2a46e0 fa163e3228af 8100 0004 0800");
    EthernetFrame e;
    for (std::size_t n = 0; n < 14; ++n) {
        auto r = parseEthernet(std::span(f).first(n), e);
        ASSERT_FALSE(r.ok()) << n;
        EXPECT_EQ(r.error().code, ErrorCode::Truncated);
        EXPECT_EQ(r.error().message,
                  "Ethernet: frame of " + std::to_string(n) + " bytes < 14-byte header");
    }
    for (std::size_t n = 14; n < 18; ++n) {
        auto r = parseEthernet(std::span(f).first(n), e);
        ASSERT_FALSE(r.ok()) << n;
        EXPECT_EQ(r.error().code, ErrorCode::Truncated);
        EXPECT_EQ(r.error().message,
                  "802.1Q: tag truncated (" + std::to_string(n - 14) + " of 4 bytes)");
    }
    EXPECT_TRUE(parseEthernet(f, e).ok());
}

TEST(EthernetTest, QinQTagTruncationNamesTheTag) {
    const auto f = fromHex("000000000001 000000000002 88a8 00");
    EthernetFrame e;
    auto r = parseEthernet(f, e);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "802.1ad: tag truncated (1 of 4 bytes)");
}

TEST(EthernetTest, LengthFieldAndLlcSnap) {
    const auto f = fromHex("000000000001 000000000002 0030 aaaa03 000000 0800 45");
    EthernetFrame e;
    ASSERT_TRUE(parseEthernet(f, e).ok());
    EXPECT_TRUE(e.isLength());
    EXPECT_EQ(e.typeOrLength, 0x30);
    LlcSnap llc;
    auto r = parseLlcSnap(e.payload, llc);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 8u);
    EXPECT_TRUE(llc.isSnap);
    EXPECT_EQ(llc.oui, 0u);
    EXPECT_EQ(llc.type, 0x0800);

    const auto stp = fromHex("424203 0000");
    ASSERT_TRUE(parseLlcSnap(stp, llc).ok());
    EXPECT_FALSE(llc.isSnap);
    EXPECT_EQ(llc.dsap, 0x42);
    EXPECT_EQ(llc.headerLength, 3u);

    auto shortLlc = parseLlcSnap(fromHex("aa"), llc);
    ASSERT_FALSE(shortLlc.ok());
    EXPECT_EQ(shortLlc.error().message, "LLC: 1 bytes < 3-byte header");
    auto shortSnap = parseLlcSnap(fromHex("aaaa0300"), llc);
    ASSERT_FALSE(shortSnap.ok());
    EXPECT_EQ(shortSnap.error().code, ErrorCode::Truncated);
    EXPECT_EQ(shortSnap.error().message, "SNAP: 4 bytes < 8-byte LLC/SNAP header");
}

TEST(EthernetTest, BuildsHeaderAndPaddedFrame) {
    std::vector<std::uint8_t> out;
    appendEthernetHeader(out, kDst, kSrc, 0x0806);
    EXPECT_EQ(out, fromHex("fa163e2a46e0 fa163e3228af 0806"));

    const std::vector<std::uint8_t> payload{1, 2, 3};
    const VlanTag tags[] = {{0x88a8, 0x0064}, {0x8100, 0xa004}};
    auto f = buildEthernetFrame(kDst, kSrc, tags, 0x0800, payload);
    EXPECT_EQ(f, PacketBuilder()
                     .eth(kSrc.toU64(), kDst.toU64())
                     .vlan(100, 0, 0x88a8)
                     .vlan(4, 5)
                     .etherType(0x0800)
                     .payload(payload)
                     .build());
    EXPECT_EQ(f.size(), 60u);
    auto unpadded = buildEthernetFrame(kDst, kSrc, {}, 0x1234, payload, false);
    EXPECT_EQ(unpadded, fromHex("fa163e2a46e0 fa163e3228af 1234 010203"));
}

TEST(EthernetTest, PushPopAndSetTci) {
    const std::vector<std::uint8_t> ip{0x45, 0, 0, 20};
    const auto untagged = PacketBuilder()
                              .eth(kSrc.toU64(), kDst.toU64())
                              .etherType(0x0800)
                              .payload(ip)
                              .noPad()
                              .build();
    auto f = untagged;
    ASSERT_TRUE(pushVlanTag(f, 0x8100, 0x6007).ok());
    EXPECT_EQ(f, PacketBuilder()
                     .eth(kSrc.toU64(), kDst.toU64())
                     .vlan(7, 3)
                     .etherType(0x0800)
                     .payload(ip)
                     .noPad()
                     .build());
    // Exact bytes: TPID and TCI inserted after the MACs, the rest shifted by 4.
    std::vector<std::uint8_t> expect(untagged.begin(), untagged.begin() + 12);
    for (std::uint8_t b : {0x81, 0x00, 0x60, 0x07})
        expect.push_back(b);
    expect.insert(expect.end(), untagged.begin() + 12, untagged.end());
    EXPECT_EQ(f, expect);

    ASSERT_TRUE(setOuterVlanTci(f, 0x0009));
    EXPECT_EQ(f[14], 0x00);
    EXPECT_EQ(f[15], 0x09);
    ASSERT_TRUE(popVlanTag(f));
    EXPECT_EQ(f, untagged);
    EXPECT_FALSE(popVlanTag(f));
    EXPECT_FALSE(setOuterVlanTci(f, 1));
    EXPECT_EQ(f, untagged);

    std::vector<std::uint8_t> tiny(13, 0);
    auto s = pushVlanTag(tiny, 0x8100, 1);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::Truncated);
    EXPECT_EQ(s.error().message, "802.1Q: cannot push a tag onto a frame of 13 bytes");
    EXPECT_EQ(tiny.size(), 13u);

    // A tag whose TCI would be cut off is not popped.
    auto cut = fromHex("000000000001 000000000002 8100 00");
    EXPECT_FALSE(popVlanTag(cut));
    EXPECT_EQ(cut.size(), 15u);
}

TEST(EthernetTest, PadFrame) {
    std::vector<std::uint8_t> f(20, 1);
    padFrame(f);
    EXPECT_EQ(f.size(), 60u);
    EXPECT_EQ(f[19], 1);
    EXPECT_EQ(f[20], 0);
    EXPECT_EQ(f[59], 0);
    std::vector<std::uint8_t> big(70, 1);
    padFrame(big);
    EXPECT_EQ(big.size(), 70u);
}

TEST(EthernetTest, TypeNames) {
    EXPECT_EQ(etherTypeName(0x0800), "IPv4");
    EXPECT_EQ(etherTypeName(0x0806), "ARP");
    EXPECT_EQ(etherTypeName(0x8100), "802.1Q");
    EXPECT_EQ(etherTypeName(0x88a8), "802.1ad");
    EXPECT_EQ(etherTypeName(0x6558), "Transparent Ethernet Bridging");
    EXPECT_EQ(etherTypeName(0x1234), "");
    EXPECT_TRUE(isVlanTpid(0x8100));
    EXPECT_TRUE(isVlanTpid(0x88a8));
    EXPECT_FALSE(isVlanTpid(0x9100));
}

}  // namespace
}  // namespace nlab::engine
