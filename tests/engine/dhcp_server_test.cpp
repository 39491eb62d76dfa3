// DhcpServer: dnsmasq semantics at the frame level (frames in, frames out).

#include "engine/services/dhcp_server.h"

#include "engine/codec/dhcp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/ipv4.h"
#include "engine/net/link.h"
#include "engine/net/net_device.h"
#include "engine/netns/net_namespace.h"
#include "engine/services/dhcp_client.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace nlab::engine {
namespace {

const MacAddress kServerMac = *MacAddress::parse("fa:16:3e:3c:54:50");
const MacAddress kVmMac = *MacAddress::parse("fa:16:3e:32:28:af");
const MacAddress kOtherMac = *MacAddress::parse("fa:16:3e:53:9b:3b");
const MacAddress kUnknownMac = *MacAddress::parse("fa:16:3e:00:00:01");
const Ipv4Address kServerIp = Ipv4Address::fromOctets(10, 10, 10, 2);
const Ipv4Address kVmIp = Ipv4Address::fromOctets(10, 10, 10, 7);
const Ipv4Address kOtherIp = Ipv4Address::fromOctets(10, 10, 10, 8);
const Ipv4Address kGateway = Ipv4Address::fromOctets(10, 10, 10, 1);
constexpr const char* kTap = "tap78dd7f1e-53";

/// The UDP header of a reply, read by hand so that the server's bytes are checked
/// independently of the codec it uses to write them.
struct UdpSeen {
    std::uint16_t sport = 0, dport = 0, checksum = 0;
    std::span<const std::uint8_t> payload;
    std::uint16_t srcPort() const { return sport; }
    std::uint16_t dstPort() const { return dport; }
};

/// A reply frame decoded through the codecs, with its checksums checked.
struct Reply {
    EthernetFrame eth;
    Ipv4Datagram ip;
    UdpSeen udp;
    DhcpMessage dhcp;
};

Reply decode(const Packet& p) {
    Reply r;
    EXPECT_TRUE(parseEthernet(p.bytes(), r.eth).ok());
    EXPECT_EQ(r.eth.typeOrLength, 0x0800);
    EXPECT_TRUE(parseIpv4(r.eth.payload, r.ip).ok());
    EXPECT_TRUE(ipv4HeaderChecksumValid(r.eth.payload.first(r.ip.headerLength)));
    EXPECT_EQ(r.ip.protocol(), 17);
    const auto seg = r.ip.payload;
    EXPECT_GE(seg.size(), 8u);
    if (seg.size() < 8)
        return r;
    r.udp.sport = static_cast<std::uint16_t>((seg[0] << 8) | seg[1]);
    r.udp.dport = static_cast<std::uint16_t>((seg[2] << 8) | seg[3]);
    EXPECT_EQ(static_cast<std::size_t>((seg[4] << 8) | seg[5]), seg.size());
    r.udp.checksum = static_cast<std::uint16_t>((seg[6] << 8) | seg[7]);
    r.udp.payload = seg.subspan(8);
    EXPECT_NE(r.udp.checksum, 0);
    EXPECT_EQ(checksumFinish(checksumPartial(
                  seg, ipv4PseudoHeaderSum(r.ip.header.src.value(), r.ip.header.dst.value(), 17,
                                           static_cast<std::uint16_t>(seg.size())))),
              0)
        << "UDP checksum";
    auto d = parseDhcp(r.udp.payload);
    EXPECT_TRUE(d.ok());
    if (d.ok())
        r.dhcp = d.value();
    return r;
}

/// A client request frame as udhcpc's raw socket sends it.
Packet requestFrame(const DhcpMessage& msg, Ipv4Address src = Ipv4Address(),
                    Ipv4Address dst = Ipv4Address(0xffffffff),
                    MacAddress dstMac = MacAddress::broadcast(), MacAddress srcMac = kVmMac) {
    // Built by the independent test builder, not the codecs.
    return Packet(testing::PacketBuilder()
                      .eth(srcMac.toU64(), dstMac.toU64())
                      .ipv4(src.toU32(), dst.toU32())
                      .udp(68, 67, buildDhcp(msg))
                      .build());
}

DhcpMessage clientMessage(std::uint8_t type, MacAddress mac = kVmMac, std::uint32_t xid = 0x3903f326) {
    DhcpMessage m;
    m.op = bootp_op::kRequest;
    m.xid = xid;
    m.chaddr = mac;
    m.messageType = type;
    m.clientId = {1, mac.bytes()[0], mac.bytes()[1], mac.bytes()[2],
                  mac.bytes()[3], mac.bytes()[4], mac.bytes()[5]};
    m.paramRequestList = {1, 3, 6, 12, 15, 28, 42};
    return m;
}

std::vector<std::uint8_t> otherOption(const DhcpMessage& m, std::uint8_t code) {
    for (const auto& [c, d] : m.otherOptions)
        if (c == code)
            return d;
    return {};
}

class DhcpServerTest : public ::testing::Test {
protected:
    DhcpServerTest() : server(clock, makeConfig()) {
        server.setFrameSender([this](Packet&& p) { sent.push_back(std::move(p)); });
        EXPECT_TRUE(server.addHost({kVmMac, kVmIp, "host-10-10-10-7"}).ok());
        EXPECT_TRUE(server.addHost({kOtherMac, kOtherIp, "host-10-10-10-8"}).ok());
    }
    static DhcpServerConfig makeConfig() {
        DhcpServerConfig c;
        c.interface = kTap;
        c.serverMac = kServerMac;
        c.serverAddress = kServerIp;
        c.prefixLength = 24;
        c.router = kGateway;
        return c;
    }
    Reply takeOne() {
        EXPECT_EQ(sent.size(), 1u);
        Reply r = decode(sent.at(0));
        sent.clear();
        return r;
    }
    DhcpMessage selecting(MacAddress mac = kVmMac, Ipv4Address ip = kVmIp) {
        DhcpMessage m = clientMessage(dhcp_msg::kRequest, mac);
        m.requestedIp = ip;
        m.serverId = kServerIp;
        return m;
    }

    SimClock clock;
    DhcpServer server;
    std::vector<Packet> sent;
};

TEST_F(DhcpServerTest, DiscoverFromKnownMacGetsUnicastOfferWithAllOptions) {
    clock.advance(5 * kSecond);
    server.receiveFrame(requestFrame(clientMessage(dhcp_msg::kDiscover)));
    const Reply r = takeOne();
    // Broadcast flag clear, no ciaddr: unicast to chaddr / yiaddr (RFC 2131 4.1).
    EXPECT_EQ(r.eth.dst, kVmMac);
    EXPECT_EQ(r.eth.src, kServerMac);
    EXPECT_EQ(r.ip.src(), kServerIp);
    EXPECT_EQ(r.ip.dst(), kVmIp);
    EXPECT_EQ(r.ip.header.ttl, 64);
    EXPECT_TRUE(r.ip.dontFragment());
    EXPECT_EQ(r.ip.header.id.value(), 0);
    EXPECT_EQ(r.udp.srcPort(), 67);
    EXPECT_EQ(r.udp.dstPort(), 68);
    EXPECT_EQ(r.dhcp.op, bootp_op::kReply);
    EXPECT_EQ(r.dhcp.xid, 0x3903f326u);
    EXPECT_EQ(r.dhcp.messageType, dhcp_msg::kOffer);
    EXPECT_EQ(r.dhcp.yiaddr, kVmIp);
    EXPECT_EQ(r.dhcp.siaddr, kServerIp);
    EXPECT_EQ(r.dhcp.ciaddr, Ipv4Address());
    EXPECT_EQ(r.dhcp.chaddr, kVmMac);
    EXPECT_EQ(r.dhcp.serverId, kServerIp);
    EXPECT_EQ(r.dhcp.leaseTime, 86400u);
    EXPECT_EQ(otherOption(r.dhcp, dhcp_opt::kRenewalTime), (std::vector<std::uint8_t>{0, 0, 0xa8, 0xc0}));
    EXPECT_EQ(otherOption(r.dhcp, dhcp_opt::kRebindingTime), (std::vector<std::uint8_t>{0, 1, 0x27, 0x50}));
    EXPECT_EQ(r.dhcp.subnetMask, Ipv4Address::fromOctets(255, 255, 255, 0));
    EXPECT_EQ(otherOption(r.dhcp, dhcp_opt::kBroadcastAddress), (std::vector<std::uint8_t>{10, 10, 10, 255}));
    EXPECT_EQ(r.dhcp.routers, std::vector<Ipv4Address>{kGateway});
    EXPECT_EQ(r.dhcp.dnsServers, std::vector<Ipv4Address>{kServerIp});
    EXPECT_EQ(r.dhcp.hostName, "host-10-10-10-7");
    const auto domain = otherOption(r.dhcp, dhcp_opt::kDomainName);
    EXPECT_EQ(std::string(domain.begin(), domain.end()), "openstacklocal");
    EXPECT_TRUE(otherOption(r.dhcp, dhcp_opt::kInterfaceMtu).empty());
    EXPECT_EQ(server.log(), (std::vector<std::string>{
                                "DHCPDISCOVER(tap78dd7f1e-53) fa:16:3e:32:28:af",
                                "DHCPOFFER(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af"}));
    // An offer creates no lease.
    EXPECT_TRUE(server.leases().empty());
}

TEST_F(DhcpServerTest, BroadcastFlagGivesBroadcastReply) {
    DhcpMessage m = clientMessage(dhcp_msg::kDiscover);
    m.flags = kBootpBroadcastFlag;
    server.receiveFrame(requestFrame(m));
    const Reply r = takeOne();
    EXPECT_EQ(r.eth.dst, MacAddress::broadcast());
    EXPECT_EQ(r.ip.dst(), Ipv4Address(0xffffffff));
    EXPECT_EQ(r.dhcp.flags, kBootpBroadcastFlag);
    EXPECT_EQ(r.dhcp.yiaddr, kVmIp);
}

TEST_F(DhcpServerTest, UnknownMacGetsNoOffer) {
    server.receiveFrame(requestFrame(clientMessage(dhcp_msg::kDiscover, kUnknownMac), Ipv4Address(),
                                     Ipv4Address(0xffffffff), MacAddress::broadcast(), kUnknownMac));
    EXPECT_TRUE(sent.empty());
    EXPECT_EQ(server.log(), std::vector<std::string>{
                                "DHCPDISCOVER(tap78dd7f1e-53) fa:16:3e:00:00:01 no address available"});
}

TEST_F(DhcpServerTest, RequestedAddressIsLoggedWithDiscover) {
    DhcpMessage m = clientMessage(dhcp_msg::kDiscover);
    m.requestedIp = kVmIp;
    server.receiveFrame(requestFrame(m));
    EXPECT_EQ(server.log().at(0), "DHCPDISCOVER(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af");
}

TEST_F(DhcpServerTest, SelectingRequestGetsAckAndLeaseThatExpires) {
    clock.advance(10 * kSecond);
    server.receiveFrame(requestFrame(selecting()));
    const Reply r = takeOne();
    EXPECT_EQ(r.dhcp.messageType, dhcp_msg::kAck);
    EXPECT_EQ(r.dhcp.yiaddr, kVmIp);
    EXPECT_EQ(r.eth.dst, kVmMac);
    EXPECT_EQ(r.ip.dst(), kVmIp);
    EXPECT_EQ(r.dhcp.leaseTime, 86400u);
    EXPECT_EQ(server.log(), (std::vector<std::string>{
                                "DHCPREQUEST(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af",
                                "DHCPACK(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af host-10-10-10-7"}));
    ASSERT_EQ(server.leases().size(), 1u);
    EXPECT_EQ(server.leases()[0].address, kVmIp);
    EXPECT_EQ(server.leases()[0].expires, 86410 * kSecond);
    EXPECT_EQ(server.leaseFileText(),
              "86410 fa:16:3e:32:28:af 10.10.10.7 host-10-10-10-7 01:fa:16:3e:32:28:af\n");
    clock.runUntil(86410 * kSecond - 1);
    EXPECT_EQ(server.leases().size(), 1u);
    clock.runUntil(86410 * kSecond);
    EXPECT_TRUE(server.leases().empty());
}

TEST_F(DhcpServerTest, ConfiguredLeaseTimeDnsMtuAndNoRouter) {
    DhcpServerConfig c = makeConfig();
    c.leaseSeconds = 120;
    c.router.reset();
    c.dnsServers = {Ipv4Address::fromOctets(8, 8, 8, 8), Ipv4Address::fromOctets(8, 8, 4, 4)};
    c.mtu = 1454;
    DhcpServer s(clock, c);
    ASSERT_TRUE(s.addHost({kVmMac, kVmIp, "vm"}).ok());
    s.setFrameSender([this](Packet&& p) { sent.push_back(std::move(p)); });
    DhcpMessage m = clientMessage(dhcp_msg::kDiscover);
    m.paramRequestList.push_back(dhcp_opt::kInterfaceMtu);
    s.receiveFrame(requestFrame(m));
    const Reply r = takeOne();
    EXPECT_EQ(r.dhcp.leaseTime, 120u);
    EXPECT_EQ(otherOption(r.dhcp, dhcp_opt::kRenewalTime), (std::vector<std::uint8_t>{0, 0, 0, 60}));
    EXPECT_EQ(otherOption(r.dhcp, dhcp_opt::kRebindingTime), (std::vector<std::uint8_t>{0, 0, 0, 105}));
    EXPECT_TRUE(r.dhcp.routers.empty());
    EXPECT_EQ(r.dhcp.dnsServers.size(), 2u);
    EXPECT_EQ(r.dhcp.dnsServers[1], Ipv4Address::fromOctets(8, 8, 4, 4));
    EXPECT_EQ(otherOption(r.dhcp, dhcp_opt::kInterfaceMtu), (std::vector<std::uint8_t>{0x05, 0xae}));
}

TEST_F(DhcpServerTest, ParameterRequestListLimitsOptionalOptions) {
    DhcpMessage m = clientMessage(dhcp_msg::kDiscover);
    m.paramRequestList = {1, 28};
    server.receiveFrame(requestFrame(m));
    const Reply r = takeOne();
    EXPECT_TRUE(r.dhcp.routers.empty());
    EXPECT_TRUE(r.dhcp.dnsServers.empty());
    EXPECT_FALSE(r.dhcp.hostName.has_value());
    EXPECT_TRUE(otherOption(r.dhcp, dhcp_opt::kDomainName).empty());
    // Mask and broadcast are always sent.
    EXPECT_TRUE(r.dhcp.subnetMask.has_value());
    EXPECT_FALSE(otherOption(r.dhcp, dhcp_opt::kBroadcastAddress).empty());
}

TEST_F(DhcpServerTest, WrongAddressGetsBroadcastNak) {
    server.receiveFrame(requestFrame(selecting(kVmMac, Ipv4Address::fromOctets(10, 10, 10, 9))));
    const Reply r = takeOne();
    EXPECT_EQ(r.dhcp.messageType, dhcp_msg::kNak);
    EXPECT_EQ(r.eth.dst, MacAddress::broadcast());
    EXPECT_EQ(r.ip.dst(), Ipv4Address(0xffffffff));
    EXPECT_EQ(r.dhcp.flags, kBootpBroadcastFlag);
    EXPECT_EQ(r.dhcp.yiaddr, Ipv4Address());
    EXPECT_EQ(r.dhcp.serverId, kServerIp);
    EXPECT_FALSE(r.dhcp.leaseTime.has_value());
    const auto text = otherOption(r.dhcp, dhcp_opt::kMessage);
    EXPECT_EQ(std::string(text.begin(), text.end()), "address not available");
    EXPECT_EQ(server.log().back(),
              "DHCPNAK(tap78dd7f1e-53) 10.10.10.9 fa:16:3e:32:28:af address not available");
    EXPECT_TRUE(server.leases().empty());
}

TEST_F(DhcpServerTest, AddressOfAnotherHostIsNotAvailable) {
    server.receiveFrame(requestFrame(selecting(kVmMac, kOtherIp)));
    EXPECT_EQ(takeOne().dhcp.messageType, dhcp_msg::kNak);
    EXPECT_EQ(server.log().back(),
              "DHCPNAK(tap78dd7f1e-53) 10.10.10.8 fa:16:3e:32:28:af address not available");
}

TEST_F(DhcpServerTest, RequestForAnotherServerIsIgnored) {
    DhcpMessage m = selecting();
    m.serverId = Ipv4Address::fromOctets(10, 10, 10, 3);
    server.receiveFrame(requestFrame(m));
    EXPECT_TRUE(sent.empty());
    EXPECT_TRUE(server.log().empty());
    EXPECT_TRUE(server.leases().empty());
}

TEST_F(DhcpServerTest, InitRebootWithoutLeaseIsIgnoredWithLeaseAcked) {
    DhcpMessage m = clientMessage(dhcp_msg::kRequest);
    m.requestedIp = kVmIp;
    server.receiveFrame(requestFrame(m));
    EXPECT_TRUE(sent.empty());
    server.receiveFrame(requestFrame(selecting()));
    sent.clear();
    server.receiveFrame(requestFrame(m));
    EXPECT_EQ(takeOne().dhcp.messageType, dhcp_msg::kAck);
    m.requestedIp = kOtherIp;
    server.receiveFrame(requestFrame(m));
    EXPECT_EQ(takeOne().dhcp.messageType, dhcp_msg::kNak);
    EXPECT_EQ(server.log().back(), "DHCPNAK(tap78dd7f1e-53) 10.10.10.8 fa:16:3e:32:28:af wrong address");
}

TEST_F(DhcpServerTest, RenewalIsUnicastToCiaddrAndExtendsLease) {
    server.receiveFrame(requestFrame(selecting()));
    sent.clear();
    clock.advance(43200 * kSecond);
    DhcpMessage renew = clientMessage(dhcp_msg::kRequest);
    renew.ciaddr = kVmIp;
    server.receiveFrame(requestFrame(renew, kVmIp, kServerIp, kServerMac));
    const Reply r = takeOne();
    EXPECT_EQ(r.dhcp.messageType, dhcp_msg::kAck);
    EXPECT_EQ(r.dhcp.ciaddr, kVmIp);
    EXPECT_EQ(r.dhcp.yiaddr, kVmIp);
    EXPECT_EQ(r.eth.dst, kVmMac);
    EXPECT_EQ(r.ip.dst(), kVmIp);
    ASSERT_EQ(server.leases().size(), 1u);
    EXPECT_EQ(server.leases()[0].expires, (43200 + 86400) * kSecond);
}

TEST_F(DhcpServerTest, RenewalWithoutLease) {
    DhcpMessage renew = clientMessage(dhcp_msg::kRequest);
    renew.ciaddr = kVmIp;
    // Rebinding (broadcast): another server may hold the lease; stay silent.
    server.receiveFrame(requestFrame(renew, kVmIp));
    EXPECT_TRUE(sent.empty());
    // Renewing (unicast to us): NAK, broadcast.
    server.receiveFrame(requestFrame(renew, kVmIp, kServerIp, kServerMac));
    const Reply r = takeOne();
    EXPECT_EQ(r.dhcp.messageType, dhcp_msg::kNak);
    EXPECT_EQ(r.ip.dst(), Ipv4Address(0xffffffff));
    EXPECT_EQ(r.dhcp.ciaddr, Ipv4Address());
    EXPECT_EQ(server.log(), (std::vector<std::string>{
                                "DHCPREQUEST(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af",
                                "DHCPNAK(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af lease not found"}));
}

TEST_F(DhcpServerTest, ReleaseDropsLease) {
    server.receiveFrame(requestFrame(selecting()));
    sent.clear();
    DhcpMessage rel = clientMessage(dhcp_msg::kRelease);
    rel.ciaddr = kVmIp;
    rel.serverId = kServerIp;
    server.receiveFrame(requestFrame(rel, kVmIp, kServerIp, kServerMac));
    EXPECT_TRUE(sent.empty());
    EXPECT_TRUE(server.leases().empty());
    EXPECT_EQ(server.log().back(), "DHCPRELEASE(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af");
    server.receiveFrame(requestFrame(rel, kVmIp, kServerIp, kServerMac));
    EXPECT_EQ(server.log().back(),
              "DHCPRELEASE(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af unknown lease");
}

TEST_F(DhcpServerTest, DeclineBlocksOffersFor600Seconds) {
    server.receiveFrame(requestFrame(selecting()));
    sent.clear();
    DhcpMessage dec = clientMessage(dhcp_msg::kDecline);
    dec.requestedIp = kVmIp;
    dec.serverId = kServerIp;
    server.receiveFrame(requestFrame(dec));
    EXPECT_TRUE(sent.empty());
    EXPECT_TRUE(server.leases().empty());
    EXPECT_EQ(server.log().back(), "DHCPDECLINE(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af");
    clock.advance(599 * kSecond);
    server.receiveFrame(requestFrame(clientMessage(dhcp_msg::kDiscover)));
    EXPECT_TRUE(sent.empty());
    EXPECT_EQ(server.log().back(), "DHCPDISCOVER(tap78dd7f1e-53) fa:16:3e:32:28:af no address available");
    clock.advance(1 * kSecond);
    server.receiveFrame(requestFrame(clientMessage(dhcp_msg::kDiscover)));
    EXPECT_EQ(takeOne().dhcp.messageType, dhcp_msg::kOffer);
}

TEST_F(DhcpServerTest, InformGetsAckWithoutLeaseTime) {
    DhcpMessage inf = clientMessage(dhcp_msg::kInform);
    inf.ciaddr = kVmIp;
    server.receiveFrame(requestFrame(inf, kVmIp));
    const Reply r = takeOne();
    EXPECT_EQ(r.dhcp.messageType, dhcp_msg::kAck);
    EXPECT_FALSE(r.dhcp.leaseTime.has_value());
    EXPECT_TRUE(otherOption(r.dhcp, dhcp_opt::kRenewalTime).empty());
    EXPECT_EQ(r.dhcp.yiaddr, Ipv4Address());
    EXPECT_EQ(r.ip.dst(), kVmIp);
    EXPECT_EQ(r.dhcp.routers, std::vector<Ipv4Address>{kGateway});
    EXPECT_TRUE(server.leases().empty());
    EXPECT_EQ(server.log(), (std::vector<std::string>{
                                "DHCPINFORM(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af",
                                "DHCPACK(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af host-10-10-10-7"}));
}

TEST_F(DhcpServerTest, IgnoresBadChecksumsRepliesAndOtherPorts) {
    Packet bad = requestFrame(clientMessage(dhcp_msg::kDiscover));
    bad.data()[14 + 20 + 6] ^= 0x01;  // UDP checksum
    server.receiveFrame(bad);
    DhcpMessage reply = clientMessage(dhcp_msg::kDiscover);
    reply.op = bootp_op::kReply;
    server.receiveFrame(requestFrame(reply));
    DhcpMessage noType = clientMessage(dhcp_msg::kDiscover);
    noType.messageType.reset();
    server.receiveFrame(requestFrame(noType));
    EXPECT_TRUE(sent.empty());
    EXPECT_TRUE(server.log().empty());
}

TEST_F(DhcpServerTest, HostTableErrors) {
    EXPECT_EQ(server.addHost({kVmMac, Ipv4Address::fromOctets(10, 10, 10, 20), "x"}).error().code,
              ErrorCode::AlreadyExists);
    EXPECT_EQ(server.addHost({kUnknownMac, kVmIp, "x"}).error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(server.addHost({kUnknownMac, Ipv4Address::fromOctets(10, 10, 20, 5), "x"}).error().code,
              ErrorCode::InvalidArgument);
    EXPECT_EQ(server.addHost({kUnknownMac, kServerIp, "x"}).error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(server.hosts().size(), 2u);
    server.receiveFrame(requestFrame(selecting()));
    EXPECT_TRUE(server.removeHost(kVmMac));
    EXPECT_FALSE(server.removeHost(kVmMac));
    EXPECT_TRUE(server.leases().empty());
}

// ---- End to end: a VM namespace and a qdhcp namespace joined by a cable ----

TEST(DhcpEndToEnd, ClientGetsLeaseAddressAndDefaultRoute) {
    SimClock clock;
    EventBus events;
    NetNamespace qdhcp("qdhcp-dcdd699a-c4b0-4360-9219-c62cb6ed0b3e", clock, &events);
    NetNamespace vm("instance1", clock, &events);
    NetDevice tap(10, kTap, kServerMac.toU64(), DeviceKind::OvsInternal);
    NetDevice eth0(11, "eth0", kVmMac.toU64(), DeviceKind::Ethernet);
    qdhcp.attach(tap);
    vm.attach(eth0);
    connectPointToPoint(clock, tap, eth0, 100 * kMicrosecond);
    ASSERT_TRUE(qdhcp.addAddress(kTap, kServerIp.toU32(), 24).ok());

    DhcpServerConfig sc;
    sc.interface = kTap;
    sc.serverMac = kServerMac;
    sc.serverAddress = kServerIp;
    sc.router = kGateway;
    DhcpServer server(clock, sc);
    ASSERT_TRUE(server.addHost({kVmMac, kVmIp, "host-10-10-10-7"}).ok());
    ASSERT_TRUE(server.attach(qdhcp).ok());

    DhcpClientConfig cc;
    cc.mac = kVmMac;
    DhcpClient client(clock, cc);
    EXPECT_EQ(client.attach(qdhcp).error().code, ErrorCode::NotFound);
    ASSERT_TRUE(client.attach(vm).ok());
    client.start();
    clock.runUntil(1 * kSecond);

    EXPECT_EQ(client.lines(),
              (std::vector<std::string>{"udhcpc (v1.20.1) started", "Sending discover...",
                                        "Sending select for 10.10.10.7...",
                                        "Lease of 10.10.10.7 obtained, lease time 86400"}));
    ASSERT_TRUE(client.lease().has_value());
    // DISCOVER reaches the server at 0.1 ms, the OFFER the VM at 0.2 ms, the REQUEST the
    // server at 0.3 ms, the ACK the VM at 0.4 ms.
    EXPECT_EQ(client.lease()->obtainedAt, 400 * kMicrosecond);
    const auto eth0Addresses = [&vm] {
        std::vector<InterfaceAddress> out;
        for (const auto& a : vm.addresses())
            if (a.device == "eth0")
                out.push_back(a);
        return out;
    };
    const auto addrs = eth0Addresses();
    ASSERT_EQ(addrs.size(), 1u);
    EXPECT_EQ(addrs[0].device, "eth0");
    EXPECT_EQ(addrs[0].address, kVmIp.toU32());
    EXPECT_EQ(addrs[0].prefixLength, 24);
    const auto def = vm.lookupRoute(Ipv4Address::fromOctets(8, 8, 8, 8).toU32());
    ASSERT_TRUE(def.has_value());
    EXPECT_EQ(def->gateway, kGateway.toU32());
    EXPECT_EQ(def->device, "eth0");
    EXPECT_EQ(server.log().back(),
              "DHCPACK(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af host-10-10-10-7");

    // Renewal at T1 goes through the IP stacks (unicast, ARP) and extends the lease.
    clock.runUntil(43201 * kSecond);
    EXPECT_EQ(client.lines().at(4), "Sending renew...");
    EXPECT_EQ(client.lines().at(5), "Lease of 10.10.10.7 obtained, lease time 86400");
    EXPECT_EQ(client.state(), DhcpClientState::Bound);
    ASSERT_EQ(server.leases().size(), 1u);
    EXPECT_GT(server.leases()[0].expires, 86400 * kSecond);
    EXPECT_EQ(server.log().at(server.log().size() - 2),
              "DHCPREQUEST(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af");

    // Stop: RELEASE reaches the server, the address and route go away.
    client.stop();
    clock.runUntil(43202 * kSecond);
    EXPECT_TRUE(server.leases().empty());
    EXPECT_TRUE(eth0Addresses().empty());
    EXPECT_FALSE(vm.lookupRoute(Ipv4Address::fromOctets(8, 8, 8, 8).toU32()).has_value());
}

}  // namespace
}  // namespace nlab::engine
