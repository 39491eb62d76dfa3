// ARP for Ethernet/IPv4: parse, build, errors.
#include "engine/codec/arp.h"

#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

namespace nlab::engine {
namespace {

using testing::fromHex;

// `ovs-ofctl compose-packet 'arp,dl_src=fa:16:3e:32:28:af,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,
// arp_spa=10.10.10.7,arp_tpa=10.10.10.1,arp_sha=fa:16:3e:32:28:af'` (OVS 3.1).
const char* const kOvsArpRequest =
    "fffffffffffffa163e3228af08060001080006040001fa163e3228af0a0a0a070000000000000a0a0a01";

ArpPacket request() {
    ArpPacket a;
    a.op = arp_op::kRequest;
    a.sha = *MacAddress::parse("fa:16:3e:32:28:af");
    a.spa = *Ipv4Address::parse("10.10.10.7");
    a.tha = MacAddress();
    a.tpa = *Ipv4Address::parse("10.10.10.1");
    return a;
}

TEST(ArpTest, ParsesRequestComposedByOvs) {
    const auto frame = fromHex(kOvsArpRequest);
    ArpPacket a;
    auto r = parseArp(std::span(frame).subspan(14), a);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 28u);
    EXPECT_EQ(a, request());
}

TEST(ArpTest, BuildsTheSameBytesAsOvsPlusPadding) {
    auto expect = fromHex(kOvsArpRequest);
    expect.resize(60, 0);
    EXPECT_EQ(buildArpFrame(MacAddress::broadcast(), request()), expect);
    std::vector<std::uint8_t> body;
    appendArp(body, request());
    EXPECT_EQ(body, std::vector<std::uint8_t>(expect.begin() + 14, expect.begin() + 42));
}

TEST(ArpTest, RoundTripsAReply) {
    ArpPacket a;
    a.op = arp_op::kReply;
    a.sha = *MacAddress::parse("fa:16:3e:2a:46:e0");
    a.spa = *Ipv4Address::parse("10.10.10.1");
    a.tha = *MacAddress::parse("fa:16:3e:32:28:af");
    a.tpa = *Ipv4Address::parse("10.10.10.7");
    std::vector<std::uint8_t> body;
    appendArp(body, a);
    ArpPacket b;
    ASSERT_TRUE(parseArp(body, b).ok());
    EXPECT_EQ(a, b);
}

TEST(ArpTest, Errors) {
    auto body = fromHex(kOvsArpRequest);
    body.erase(body.begin(), body.begin() + 14);
    ArpPacket a;
    for (std::size_t n = 0; n < 28; ++n) {
        auto r = parseArp(std::span(body).first(n), a);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, ErrorCode::Truncated);
        EXPECT_EQ(r.error().message,
                  "ARP: " + std::to_string(n) + " bytes < 28-byte Ethernet/IPv4 ARP packet");
    }
    auto hw = body;
    hw[1] = 6;
    auto r = parseArp(hw, a);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unsupported);
    EXPECT_EQ(r.error().message, "ARP: hardware type 6 is not Ethernet (1)");
    auto proto = body;
    proto[2] = 0x86;
    proto[3] = 0xdd;
    r = parseArp(proto, a);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Unsupported);
    EXPECT_EQ(r.error().message, "ARP: protocol type 0x86dd is not IPv4 (0x0800)");
    auto hlen = body;
    hlen[4] = 8;
    r = parseArp(hlen, a);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Malformed);
    EXPECT_EQ(r.error().message, "ARP: hardware address length 8 != 6");
    auto plen = body;
    plen[5] = 16;
    r = parseArp(plen, a);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "ARP: protocol address length 16 != 4");
}

TEST(ArpTest, OpNames) {
    EXPECT_EQ(arpOpName(1), "Request");
    EXPECT_EQ(arpOpName(2), "Reply");
    EXPECT_EQ(arpOpName(3), "Reverse Request");
    EXPECT_EQ(arpOpName(4), "Reverse Reply");
    EXPECT_EQ(arpOpName(99), "");
}

}  // namespace
}  // namespace nlab::engine
