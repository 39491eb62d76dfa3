// DHCP over BOOTP: build, parse, option TLVs, errors.
#include "engine/codec/dhcp.h"

#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <vector>

namespace nlab::engine {
namespace {

using testing::DhcpSpec;
using testing::ip;
using testing::mac;

const std::uint64_t kClient = 0xfa163e3228afULL;

/// The UDP payload of a builder frame (Ethernet 14 + IPv4 20 + UDP 8).
std::vector<std::uint8_t> dhcpPayloadOf(const DhcpSpec& spec) {
    const auto f = testing::PacketBuilder()
                       .eth(kClient, 0xffffffffffffULL)
                       .ipv4("0.0.0.0", "255.255.255.255")
                       .dhcp(spec)
                       .build();
    return {f.begin() + 42, f.end()};
}

DhcpMessage offer() {
    DhcpMessage m;
    m.op = bootp_op::kReply;
    m.xid = 0x3903f326;
    m.chaddr = MacAddress::fromU64(kClient);
    m.yiaddr = Ipv4Address(ip("10.10.10.7"));
    m.messageType = dhcp_msg::kOffer;
    m.serverId = Ipv4Address(ip("10.10.10.2"));
    m.leaseTime = 86400;
    m.subnetMask = Ipv4Address(ip("255.255.255.0"));
    m.routers = {Ipv4Address(ip("10.10.10.1"))};
    m.dnsServers = {Ipv4Address(ip("10.10.10.2"))};
    return m;
}

TEST(DhcpTest, BuildsDiscoverLikeTheReferenceBuilder) {
    DhcpMessage m;
    m.xid = 0x3903f326;
    m.chaddr = MacAddress::fromU64(kClient);
    m.messageType = dhcp_msg::kDiscover;
    m.clientId = {1, 0xfa, 0x16, 0x3e, 0x32, 0x28, 0xaf};
    m.paramRequestList = {1, 3, 6, 12, 15, 28, 42};
    const auto bytes = buildDhcp(m);
    EXPECT_EQ(bytes.size(), 300u);
    EXPECT_EQ(bytes, dhcpPayloadOf(DhcpSpec::discover(0x3903f326, kClient)));
}

TEST(DhcpTest, BuildsOfferLikeTheReferenceBuilder) {
    // Same option order as buildDhcp: 53, 54, 51, 1, 3, 6 (the builder takes the given order).
    DhcpSpec s;
    s.op = 2;
    s.xid = 0x3903f326;
    s.chaddr = kClient;
    s.yiaddr = ip("10.10.10.7");
    s.option(53, {2})
        .optionIp(54, ip("10.10.10.2"))
        .optionU32(51, 86400)
        .optionIp(1, ip("255.255.255.0"))
        .optionIp(3, ip("10.10.10.1"))
        .optionIp(6, ip("10.10.10.2"));
    EXPECT_EQ(buildDhcp(offer()), dhcpPayloadOf(s));
}

TEST(DhcpTest, ParsesReferenceOffer) {
    const auto bytes = dhcpPayloadOf(DhcpSpec::reply(dhcp_msg::kAck, 0xdeadbeef, kClient,
                                                     ip("10.10.10.7"), ip("10.10.10.2"),
                                                     ip("255.255.255.0"), ip("10.10.10.1"), 600));
    auto r = parseDhcp(bytes);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const DhcpMessage& m = r.value();
    EXPECT_EQ(m.op, bootp_op::kReply);
    EXPECT_EQ(m.xid, 0xdeadbeefu);
    EXPECT_EQ(m.chaddr.toU64(), kClient);
    EXPECT_EQ(m.yiaddr.toString(), "10.10.10.7");
    EXPECT_EQ(m.messageType, dhcp_msg::kAck);
    EXPECT_EQ(m.serverId->toString(), "10.10.10.2");
    EXPECT_EQ(m.leaseTime, 600u);
    EXPECT_EQ(m.subnetMask->toString(), "255.255.255.0");
    ASSERT_EQ(m.routers.size(), 1u);
    EXPECT_EQ(m.routers[0].toString(), "10.10.10.1");
    ASSERT_EQ(m.dnsServers.size(), 1u);
    EXPECT_FALSE(m.broadcast());
    EXPECT_TRUE(m.otherOptions.empty());
}

TEST(DhcpTest, RoundTripsEveryField) {
    DhcpMessage m = offer();
    m.hops = 1;
    m.secs = 3;
    m.flags = kBootpBroadcastFlag;
    m.ciaddr = Ipv4Address(ip("10.10.10.99"));
    m.siaddr = Ipv4Address(ip("10.10.10.3"));
    m.giaddr = Ipv4Address(ip("10.10.10.4"));
    m.sname = "network";
    m.file = "pxelinux.0";
    m.requestedIp = Ipv4Address(ip("10.10.10.7"));
    m.routers.push_back(Ipv4Address(ip("10.10.10.254")));
    m.hostName = "host-10-10-10-7";
    m.clientId = {1, 0xfa, 0x16, 0x3e, 0x32, 0x28, 0xaf};
    m.paramRequestList = {1, 3, 6};
    m.otherOptions = {{15, {'o', 'p', 'e', 'n', 's', 't', 'a', 'c', 'k'}}, {26, {0x05, 0xaa}}};
    auto r = parseDhcp(buildDhcp(m));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value(), m);
    EXPECT_TRUE(r.value().broadcast());
}

TEST(DhcpTest, LongOptionsAreSplitAndConcatenated) {
    DhcpMessage m = offer();
    for (int i = 0; i < 70; ++i) {  // 280 bytes of DNS servers: two option instances.
        m.dnsServers.push_back(Ipv4Address(0x0a000000u + static_cast<std::uint32_t>(i)));
    }
    const auto bytes = buildDhcp(m);
    std::vector<DhcpOptionView> views;
    ASSERT_TRUE(parseDhcpOptions(std::span(bytes).subspan(kDhcpOptionsOffset), views).ok());
    int dnsInstances = 0;
    for (const auto& v : views)
        dnsInstances += v.code == dhcp_opt::kDnsServer;
    EXPECT_EQ(dnsInstances, 2);
    auto r = parseDhcp(bytes);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().dnsServers.size(), 71u);
    EXPECT_EQ(r.value(), m);
}

TEST(DhcpTest, OptionOverloadIsFollowed) {
    DhcpSpec s;
    s.op = 2;
    s.xid = 7;
    s.chaddr = kClient;
    s.option(53, {5}).option(52, {3});
    auto bytes = dhcpPayloadOf(s);
    // file field (offset 108): server id, end. sname field (offset 44): lease time, end.
    const std::uint8_t file[] = {54, 4, 10, 10, 10, 2, 255};
    const std::uint8_t sname[] = {51, 4, 0, 0, 0x0e, 0x10, 255};
    std::copy(std::begin(file), std::end(file), bytes.begin() + 108);
    std::copy(std::begin(sname), std::end(sname), bytes.begin() + 44);
    auto r = parseDhcp(bytes);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value().messageType, dhcp_msg::kAck);
    EXPECT_EQ(r.value().serverId->toString(), "10.10.10.2");
    EXPECT_EQ(r.value().leaseTime, 3600u);
    EXPECT_EQ(r.value().sname, "");
    EXPECT_EQ(r.value().file, "");
}

TEST(DhcpTest, OptionWalk) {
    const std::vector<std::uint8_t> region{0, 0, 53, 1, 3, 0, 12, 2, 'h', 'i', 255, 99, 99};
    std::vector<DhcpOptionView> v;
    auto r = parseDhcpOptions(region, v);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value().sawEnd);
    EXPECT_EQ(r.value().consumed, 11u);
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].code, 53);
    EXPECT_EQ(v[0].data.size(), 1u);
    EXPECT_EQ(v[1].code, 12);
    EXPECT_EQ(v[1].data.data(), region.data() + 8);

    v.clear();
    const std::vector<std::uint8_t> noEnd{53, 1, 1, 0};
    r = parseDhcpOptions(noEnd, v);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.value().sawEnd);
    EXPECT_EQ(r.value().consumed, 4u);
    EXPECT_EQ(v.size(), 1u);
}

TEST(DhcpTest, OptionWalkNeverReadsPastTheEnd) {
    const std::vector<std::uint8_t> region{53, 1, 1, 54, 4, 10, 10, 10, 2, 255};
    for (std::size_t n = 0; n < region.size(); ++n) {
        std::vector<DhcpOptionView> v;
        auto r = parseDhcpOptions(std::span(region).first(n), v);
        const bool cutsOption = n == 1 || n == 2 || (n >= 4 && n <= 8);
        EXPECT_EQ(r.ok(), !cutsOption) << n;
        for (const auto& o : v) {
            EXPECT_LE(o.data.data() + o.data.size(), region.data() + n);
        }
    }
    std::vector<DhcpOptionView> v;
    auto r = parseDhcpOptions(std::span(region).first(1), v);
    EXPECT_EQ(r.error().code, ErrorCode::Truncated);
    EXPECT_EQ(r.error().message, "DHCP: option 53 (message type) has no length byte");
    r = parseDhcpOptions(std::span(region).first(6), v);
    EXPECT_EQ(r.error().message,
              "DHCP: option 54 (server identifier) length 4 > 1 bytes remaining");
}

TEST(DhcpTest, MessageErrors) {
    const auto good = dhcpPayloadOf(DhcpSpec::discover(1, kClient));
    auto expectError = [](std::vector<std::uint8_t> b, ErrorCode code, const char* msg) {
        auto r = parseDhcp(b);
        ASSERT_FALSE(r.ok()) << msg;
        EXPECT_EQ(r.error().code, code);
        EXPECT_EQ(r.error().message, msg);
    };
    expectError({good.begin(), good.begin() + 235}, ErrorCode::Truncated,
                "DHCP: 235 bytes < 236-byte BOOTP header");
    expectError({good.begin(), good.begin() + 239}, ErrorCode::Truncated,
                "DHCP: 239 bytes < 240: no magic cookie");
    auto cookie = good;
    cookie[239] = 0x64;
    expectError(cookie, ErrorCode::Malformed, "DHCP: magic cookie 0x63825364 != 0x63825363");
    auto hlen = good;
    hlen[2] = 17;
    expectError(hlen, ErrorCode::Malformed, "DHCP: hardware address length 17 > 16");

    auto withOption = [&](std::vector<std::uint8_t> opt) {
        auto b = good;
        b.resize(240);
        b.insert(b.end(), opt.begin(), opt.end());
        b.push_back(255);
        return b;
    };
    expectError(withOption({54, 3, 1, 2, 3}), ErrorCode::Malformed,
                "DHCP: option 54 (server identifier) length 3 != 4");
    expectError(withOption({53, 2, 1, 1}), ErrorCode::Malformed,
                "DHCP: option 53 (message type) length 2 != 1");
    expectError(withOption({3, 6, 1, 2, 3, 4, 5, 6}), ErrorCode::Malformed,
                "DHCP: option 3 (router) length 6 is not a positive multiple of 4");
    expectError(withOption({61, 1, 1}), ErrorCode::Malformed,
                "DHCP: option 61 (client identifier) length 1 < 2");
    expectError(withOption({52, 1, 4}), ErrorCode::Malformed,
                "DHCP: option 52 (option overload) value 4 not in 1..3");
    expectError(withOption({51, 9}), ErrorCode::Truncated,
                "DHCP: option 51 (IP address lease time) length 9 > 1 bytes remaining");
}

TEST(DhcpTest, EveryPrefixParsesOrFailsCleanly) {
    DhcpMessage m = offer();
    m.hostName = "vm";
    const auto bytes = buildDhcp(m);
    for (std::size_t n = 0; n <= bytes.size(); ++n) {
        auto r = parseDhcp(std::span(bytes).first(n));
        if (!r.ok()) {
            EXPECT_EQ(r.error().code, ErrorCode::Truncated) << n;
        }
        if (n < kDhcpOptionsOffset) {
            EXPECT_FALSE(r.ok()) << n;
        }
    }
}

TEST(DhcpTest, Names) {
    EXPECT_EQ(dhcpMessageTypeName(1), "Discover");
    EXPECT_EQ(dhcpMessageTypeName(5), "ACK");
    EXPECT_EQ(dhcpMessageTypeName(6), "NAK");
    EXPECT_EQ(dhcpMessageTypeName(9), "");
    EXPECT_EQ(dhcpOptionName(53), "message type");
    EXPECT_EQ(dhcpOptionName(200), "");
}

}  // namespace
}  // namespace nlab::engine
