// DhcpClient: udhcpc semantics at the frame level, against a fake host and the DhcpServer.

#include "engine/services/dhcp_client.h"

#include "engine/codec/dhcp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/services/dhcp_server.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nlab::engine {
namespace {

const MacAddress kVmMac = *MacAddress::parse("fa:16:3e:32:28:af");
const MacAddress kServerMac = *MacAddress::parse("fa:16:3e:3c:54:50");
const Ipv4Address kVmIp = Ipv4Address::fromOctets(10, 10, 10, 7);
const Ipv4Address kServerIp = Ipv4Address::fromOctets(10, 10, 10, 2);
const Ipv4Address kGateway = Ipv4Address::fromOctets(10, 10, 10, 1);
const Ipv4Address kBcast(0xffffffff);

/// Something the client sent, with the virtual time it was sent at.
struct Sent {
    SimTime at = 0;
    bool raw = false;     ///< Raw frame (else through the IP stack).
    Ipv4Address src, dst;
    DhcpMessage dhcp;
    std::vector<std::uint8_t> frame;  ///< Raw frames only.
};

DhcpMessage parseOrFail(std::span<const std::uint8_t> bytes) {
    auto d = parseDhcp(bytes);
    EXPECT_TRUE(d.ok());
    return d.ok() ? d.value() : DhcpMessage{};
}

class DhcpClientTest : public ::testing::Test {
protected:
    DhcpClientTest() { makeClient(DhcpClientConfig{}); }

    void makeClient(DhcpClientConfig cfg) {
        cfg.mac = kVmMac;
        DhcpClientIo io;
        io.sendRaw = [this](Packet&& p) {
            EthernetFrame eth;
            EXPECT_TRUE(parseEthernet(p.bytes(), eth).ok());
            Ipv4Datagram ip;
            EXPECT_TRUE(parseIpv4(eth.payload, ip).ok());
            EXPECT_TRUE(ipv4HeaderChecksumValid(eth.payload.first(ip.headerLength)));
            UdpDatagram udp;
            EXPECT_TRUE(parseUdp(ip.payload, udp).ok());
            EXPECT_TRUE(udpChecksumValid(ip.header.src.value(), ip.header.dst.value(), ip.payload));
            sent.push_back({clock.now(), true, ip.src(), ip.dst(), parseOrFail(udp.payload),
                            std::vector<std::uint8_t>(p.bytes().begin(), p.bytes().end())});
            if (toServer)
                server->receiveFrame(p);
        };
        io.sendUdp = [this](Ipv4Address dst, Ipv4Address src, std::vector<std::uint8_t> udpBytes) {
            EXPECT_TRUE(udpChecksumValid(src.toU32(), dst.toU32(), udpBytes));
            UdpDatagram udp;
            EXPECT_TRUE(parseUdp(udpBytes, udp).ok());
            EXPECT_EQ(udp.srcPort(), 68);
            EXPECT_EQ(udp.dstPort(), 67);
            sent.push_back({clock.now(), false, src, dst, parseOrFail(udp.payload), {}});
            if (toServer) {
                // What the VM's IP stack would put on the wire.
                Ipv4Fields f;
                f.src = src;
                f.dst = dst;
                f.protocol = 17;
                server->receiveFrame(Packet(buildEthernetFrame(
                    kServerMac, kVmMac, {}, 0x0800, buildIpv4(f, udpBytes))));
            }
            return true;
        };
        io.configure = [this](const DhcpLease& l, bool renew) {
            events.push_back(std::string(renew ? "renew " : "bound ") + l.address.toString() +
                             "/" + std::to_string(l.prefixLength) + " via " +
                             (l.router ? l.router->toString() : "-"));
        };
        io.deconfigure = [this](const DhcpLease& l) {
            events.push_back("deconfig " + l.address.toString());
        };
        io.listen = [this](DhcpListenMode m) { modes.push_back(m); };
        client = std::make_unique<DhcpClient>(clock, cfg, io);
    }

    /// Wires a real DhcpServer behind the client (replies come back at once).
    void withServer(std::uint32_t leaseSeconds = 86400) {
        DhcpServerConfig c;
        c.interface = "tap78dd7f1e-53";
        c.serverMac = kServerMac;
        c.serverAddress = kServerIp;
        c.router = kGateway;
        c.leaseSeconds = leaseSeconds;
        server = std::make_unique<DhcpServer>(clock, c);
        ASSERT_TRUE(server->addHost({kVmMac, kVmIp, "host-10-10-10-7"}).ok());
        server->setFrameSender([this](Packet&& p) {
            if (serverAnswers)
                client->receiveFrame(p);
        });
        toServer = true;
    }

    /// A server reply frame for the current transaction.
    Packet replyFrame(std::uint8_t type, std::uint32_t xid, Ipv4Address yiaddr) {
        DhcpMessage m;
        m.op = bootp_op::kReply;
        m.xid = xid;
        m.yiaddr = yiaddr;
        m.chaddr = kVmMac;
        m.messageType = type;
        m.serverId = kServerIp;
        if (type != dhcp_msg::kNak) {
            m.leaseTime = 86400;
            m.subnetMask = Ipv4Address::fromOctets(255, 255, 255, 0);
            m.routers = {kGateway};
        }
        const auto udp = buildUdp(67, 68, buildDhcp(m), kServerIp.toU32(), kBcast.toU32());
        Ipv4Fields f;
        f.src = kServerIp;
        f.dst = kBcast;
        f.protocol = 17;
        return Packet(buildEthernetFrame(MacAddress::broadcast(), kServerMac, {}, 0x0800,
                                         buildIpv4(f, udp)));
    }

    std::vector<SimTime> timesOf(std::uint8_t type, bool raw) const {
        std::vector<SimTime> out;
        for (const auto& s : sent)
            if (s.dhcp.messageType == type && s.raw == raw)
                out.push_back(s.at / kSecond);
        return out;
    }

    SimClock clock;
    std::unique_ptr<DhcpServer> server;
    std::unique_ptr<DhcpClient> client;
    bool toServer = false;
    bool serverAnswers = true;
    std::vector<Sent> sent;
    std::vector<std::string> events;
    std::vector<DhcpListenMode> modes;
};

TEST_F(DhcpClientTest, DiscoverFrameIsUdhcpcs) {
    clock.advance(2 * kSecond);
    client->start();
    ASSERT_EQ(sent.size(), 1u);
    const auto& s = sent[0];
    EXPECT_EQ(s.at, 2 * kSecond);
    EXPECT_TRUE(s.raw);
    EthernetFrame eth;
    ASSERT_TRUE(parseEthernet(s.frame, eth).ok());
    EXPECT_EQ(eth.dst, MacAddress::broadcast());
    EXPECT_EQ(eth.src, kVmMac);
    Ipv4Datagram ip;
    ASSERT_TRUE(parseIpv4(eth.payload, ip).ok());
    EXPECT_EQ(ip.src(), Ipv4Address());
    EXPECT_EQ(ip.dst(), kBcast);
    EXPECT_EQ(ip.header.ttl, 64);
    EXPECT_FALSE(ip.dontFragment());
    EXPECT_EQ(ip.header.id.value(), 0);
    EXPECT_EQ(ip.header.tos, 0);
    EXPECT_EQ(ip.totalLength, 20 + 8 + 300);
    const DhcpMessage& m = s.dhcp;
    EXPECT_EQ(m.op, bootp_op::kRequest);
    EXPECT_EQ(m.messageType, dhcp_msg::kDiscover);
    EXPECT_EQ(m.chaddr, kVmMac);
    EXPECT_EQ(m.flags, 0);
    EXPECT_EQ(m.secs, 0);
    EXPECT_EQ(m.clientId, (std::vector<std::uint8_t>{1, 0xfa, 0x16, 0x3e, 0x32, 0x28, 0xaf}));
    EXPECT_EQ(m.paramRequestList, (std::vector<std::uint8_t>{1, 3, 6, 12, 15, 28, 42}));
    ASSERT_EQ(m.otherOptions.size(), 1u);
    EXPECT_EQ(m.otherOptions[0].first, dhcp_opt::kMaxMessageSize);
    EXPECT_EQ(m.otherOptions[0].second, (std::vector<std::uint8_t>{0x02, 0x40}));
    EXPECT_FALSE(m.requestedIp.has_value());
    EXPECT_EQ(client->lines(), (std::vector<std::string>{"udhcpc (v1.20.1) started",
                                                         "Sending discover..."}));
    EXPECT_EQ(client->state(), DhcpClientState::InitSelecting);
    EXPECT_EQ(client->listenMode(), DhcpListenMode::Raw);
}

TEST_F(DhcpClientTest, DiscoverRetriesThreeTimesThenWaitsTwentySeconds) {
    client->start();
    clock.runUntil(70 * kSecond);
    EXPECT_EQ(timesOf(dhcp_msg::kDiscover, true), (std::vector<SimTime>{0, 3, 6, 29, 32, 35, 58, 61, 64}));
    // A round keeps its xid; a new round draws a new one; secs counts from the first.
    EXPECT_EQ(sent[1].dhcp.xid, sent[0].dhcp.xid);
    EXPECT_EQ(sent[2].dhcp.xid, sent[0].dhcp.xid);
    EXPECT_NE(sent[3].dhcp.xid, sent[0].dhcp.xid);
    EXPECT_EQ(sent[1].dhcp.secs, 3);
    EXPECT_EQ(sent[3].dhcp.secs, 29);
}

TEST_F(DhcpClientTest, ExitOnFailureAsCirros) {
    DhcpClientConfig c;
    c.exitOnFailure = true;
    makeClient(c);
    client->start();
    clock.runUntil(100 * kSecond);
    EXPECT_EQ(timesOf(dhcp_msg::kDiscover, true), (std::vector<SimTime>{0, 3, 6}));
    EXPECT_EQ(client->lines(),
              (std::vector<std::string>{"udhcpc (v1.20.1) started", "Sending discover...",
                                        "Sending discover...", "Sending discover...",
                                        "No lease, failing"}));
    EXPECT_EQ(client->state(), DhcpClientState::Stopped);
    EXPECT_EQ(clock.pending(), 0u);
}

TEST_F(DhcpClientTest, ObtainsLeaseFromServer) {
    withServer();
    clock.advance(1 * kSecond);
    client->start();
    EXPECT_EQ(client->lines(),
              (std::vector<std::string>{"udhcpc (v1.20.1) started", "Sending discover...",
                                        "Sending select for 10.10.10.7...",
                                        "Lease of 10.10.10.7 obtained, lease time 86400"}));
    ASSERT_EQ(sent.size(), 2u);
    const DhcpMessage& req = sent[1].dhcp;
    EXPECT_EQ(req.messageType, dhcp_msg::kRequest);
    EXPECT_EQ(req.xid, sent[0].dhcp.xid);
    EXPECT_EQ(req.requestedIp, kVmIp);
    EXPECT_EQ(req.serverId, kServerIp);
    EXPECT_EQ(req.ciaddr, Ipv4Address());
    EXPECT_EQ(sent[1].dst, kBcast);
    EXPECT_EQ(events, std::vector<std::string>{"bound 10.10.10.7/24 via 10.10.10.1"});
    ASSERT_TRUE(client->lease().has_value());
    EXPECT_EQ(client->lease()->dns, std::vector<Ipv4Address>{kServerIp});
    EXPECT_EQ(client->lease()->domain, "openstacklocal");
    EXPECT_EQ(client->lease()->serverId, kServerIp);
    EXPECT_EQ(client->lease()->obtainedAt, 1 * kSecond);
    EXPECT_EQ(client->state(), DhcpClientState::Bound);
    EXPECT_EQ(client->listenMode(), DhcpListenMode::None);
    EXPECT_EQ(server->log(), (std::vector<std::string>{
                                 "DHCPDISCOVER(tap78dd7f1e-53) fa:16:3e:32:28:af",
                                 "DHCPOFFER(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af",
                                 "DHCPREQUEST(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af",
                                 "DHCPACK(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af host-10-10-10-7"}));
    // Bound: no socket, so nothing is read.
    client->receiveFrame(replyFrame(dhcp_msg::kNak, sent[0].dhcp.xid, Ipv4Address()));
    EXPECT_EQ(client->state(), DhcpClientState::Bound);
}

TEST_F(DhcpClientTest, RenewsAtHalfLeaseByUnicast) {
    withServer();
    client->start();
    sent.clear();
    clock.runUntil(43200 * kSecond - 1);
    EXPECT_TRUE(sent.empty());
    clock.runUntil(43200 * kSecond);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_FALSE(sent[0].raw);
    EXPECT_EQ(sent[0].src, kVmIp);
    EXPECT_EQ(sent[0].dst, kServerIp);
    EXPECT_EQ(sent[0].dhcp.ciaddr, kVmIp);
    EXPECT_FALSE(sent[0].dhcp.requestedIp.has_value());
    EXPECT_FALSE(sent[0].dhcp.serverId.has_value());
    EXPECT_EQ(sent[0].dhcp.secs, 0);
    EXPECT_EQ(client->lines().back(), "Lease of 10.10.10.7 obtained, lease time 86400");
    EXPECT_EQ(client->lines()[client->lines().size() - 2], "Sending renew...");
    EXPECT_EQ(events, (std::vector<std::string>{"bound 10.10.10.7/24 via 10.10.10.1",
                                                "renew 10.10.10.7/24 via 10.10.10.1"}));
    EXPECT_EQ(modes, (std::vector<DhcpListenMode>{DhcpListenMode::Raw, DhcpListenMode::None,
                                                  DhcpListenMode::Kernel, DhcpListenMode::None}));
    EXPECT_EQ(server->leases().at(0).expires, (43200 + 86400) * kSecond);
    clock.runUntil(86400 * kSecond);
    EXPECT_EQ(timesOf(dhcp_msg::kRequest, false), (std::vector<SimTime>{43200, 86400}));
}

TEST_F(DhcpClientTest, UnansweredRenewalHalvesThenRebindsThenLosesLease) {
    withServer();
    client->start();
    serverAnswers = false;
    sent.clear();
    clock.runUntil(86395 * kSecond - 1);
    EXPECT_EQ(timesOf(dhcp_msg::kRequest, false),
              (std::vector<SimTime>{43200, 64800, 75600, 81000, 83700, 85050, 85725, 86062,
                                    86230, 86314}));
    EXPECT_EQ(timesOf(dhcp_msg::kRequest, true),
              (std::vector<SimTime>{86356, 86377, 86387, 86392, 86394}));
    EXPECT_EQ(client->state(), DhcpClientState::Rebinding);
    EXPECT_EQ(client->listenMode(), DhcpListenMode::Raw);
    // Rebinding requests are broadcast from the leased address.
    const auto& rebind = sent[10];
    EXPECT_EQ(rebind.src, kVmIp);
    EXPECT_EQ(rebind.dst, kBcast);
    EXPECT_EQ(rebind.dhcp.ciaddr, kVmIp);
    clock.runUntil(86395 * kSecond);
    EXPECT_EQ(timesOf(dhcp_msg::kRequest, true).back(), 86395);
    EXPECT_EQ(timesOf(dhcp_msg::kDiscover, true), std::vector<SimTime>{86395});
    EXPECT_EQ(events.back(), "deconfig 10.10.10.7");
    EXPECT_FALSE(client->lease().has_value());
    EXPECT_EQ(client->lines()[client->lines().size() - 2], "Lease lost, entering init state");
    EXPECT_EQ(client->lines().back(), "Sending discover...");
    EXPECT_EQ(client->state(), DhcpClientState::InitSelecting);
}

TEST_F(DhcpClientTest, SelectRetriesThenFallsBackToDiscover) {
    client->start();
    const std::uint32_t xid = sent[0].dhcp.xid;
    clock.advance(1 * kSecond);
    client->receiveFrame(replyFrame(dhcp_msg::kOffer, xid, kVmIp));
    EXPECT_EQ(client->state(), DhcpClientState::Requesting);
    clock.runUntil(40 * kSecond);
    EXPECT_EQ(timesOf(dhcp_msg::kRequest, true), (std::vector<SimTime>{1, 4, 7}));
    EXPECT_EQ(timesOf(dhcp_msg::kDiscover, true), (std::vector<SimTime>{0, 30, 33, 36}));
}

TEST_F(DhcpClientTest, IgnoresOtherTransactionsAndOtherClients) {
    client->start();
    const std::uint32_t xid = sent[0].dhcp.xid;
    client->receiveFrame(replyFrame(dhcp_msg::kOffer, xid + 1, kVmIp));
    Packet other = replyFrame(dhcp_msg::kOffer, xid, kVmIp);
    DhcpMessage m = parseDhcp(std::span<const std::uint8_t>(other.bytes()).subspan(42)).value();
    m.chaddr = kServerMac;
    const auto udp = buildUdp(67, 68, buildDhcp(m), kServerIp.toU32(), kBcast.toU32());
    Ipv4Fields f;
    f.src = kServerIp;
    f.dst = kBcast;
    f.protocol = 17;
    client->receiveFrame(Packet(buildEthernetFrame(MacAddress::broadcast(), kServerMac, {}, 0x0800,
                                                   buildIpv4(f, udp))));
    Packet badSum = replyFrame(dhcp_msg::kOffer, xid, kVmIp);
    badSum.data()[14 + 20 + 6] ^= 0xff;
    client->receiveFrame(badSum);
    EXPECT_EQ(client->state(), DhcpClientState::InitSelecting);
    EXPECT_EQ(sent.size(), 1u);
}

TEST_F(DhcpClientTest, NakWhileRequestingRestartsAfterThreeSeconds) {
    client->start();
    const std::uint32_t xid = sent[0].dhcp.xid;
    client->receiveFrame(replyFrame(dhcp_msg::kOffer, xid, kVmIp));
    clock.advance(1 * kSecond);
    client->receiveFrame(replyFrame(dhcp_msg::kNak, xid, Ipv4Address()));
    EXPECT_EQ(client->lines().back(), "Received DHCP NAK");
    EXPECT_EQ(client->state(), DhcpClientState::InitSelecting);
    EXPECT_TRUE(events.empty());  // nothing was configured, no deconfig
    // During the pause the old transaction is not read.
    client->receiveFrame(replyFrame(dhcp_msg::kOffer, xid, kVmIp));
    EXPECT_EQ(client->state(), DhcpClientState::InitSelecting);
    clock.runUntil(4 * kSecond - 1);
    EXPECT_EQ(timesOf(dhcp_msg::kDiscover, true), std::vector<SimTime>{0});
    clock.runUntil(4 * kSecond);
    EXPECT_EQ(timesOf(dhcp_msg::kDiscover, true), (std::vector<SimTime>{0, 4}));
    EXPECT_NE(sent.back().dhcp.xid, xid);
    EXPECT_FALSE(sent.back().dhcp.requestedIp.has_value());
}

TEST_F(DhcpClientTest, NakWhileRenewingDeconfigures) {
    withServer();
    client->start();
    const std::uint32_t xid = sent[0].dhcp.xid;
    serverAnswers = false;
    clock.runUntil(43200 * kSecond);
    ASSERT_EQ(client->state(), DhcpClientState::Renewing);
    client->receiveFrame(replyFrame(dhcp_msg::kNak, xid, Ipv4Address()));
    EXPECT_EQ(events.back(), "deconfig 10.10.10.7");
    EXPECT_FALSE(client->lease().has_value());
    serverAnswers = true;
    clock.runUntil(43203 * kSecond);
    EXPECT_EQ(client->state(), DhcpClientState::Bound);
    EXPECT_EQ(events.back(), "bound 10.10.10.7/24 via 10.10.10.1");
}

TEST_F(DhcpClientTest, StopReleasesTheLease) {
    withServer();
    client->start();
    ASSERT_EQ(server->leases().size(), 1u);
    sent.clear();
    client->stop();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_FALSE(sent[0].raw);
    EXPECT_EQ(sent[0].dst, kServerIp);
    EXPECT_EQ(sent[0].src, kVmIp);
    EXPECT_EQ(sent[0].dhcp.messageType, dhcp_msg::kRelease);
    EXPECT_EQ(sent[0].dhcp.ciaddr, kVmIp);
    EXPECT_EQ(sent[0].dhcp.serverId, kServerIp);
    EXPECT_TRUE(server->leases().empty());
    EXPECT_EQ(server->log().back(), "DHCPRELEASE(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af");
    EXPECT_EQ(events.back(), "deconfig 10.10.10.7");
    const auto& l = client->lines();
    EXPECT_EQ(std::vector<std::string>(l.end() - 3, l.end()),
              (std::vector<std::string>{"Received SIGTERM",
                                        "Unicasting a release of 10.10.10.7 to 10.10.10.2",
                                        "Entering released state"}));
    EXPECT_EQ(client->state(), DhcpClientState::Stopped);
    EXPECT_EQ(clock.pending(), 0u);
}

TEST_F(DhcpClientTest, OptionsFromConfig) {
    DhcpClientConfig c;
    c.hostname = "cirros";
    c.extraOptions = {26, 121};
    c.broadcastFlag = true;
    c.requestedIp = kVmIp;
    makeClient(c);
    client->start();
    const DhcpMessage& m = sent.at(0).dhcp;
    EXPECT_EQ(m.hostName, "cirros");
    EXPECT_EQ(m.paramRequestList, (std::vector<std::uint8_t>{1, 3, 6, 12, 15, 26, 28, 42, 121}));
    EXPECT_EQ(m.flags, kBootpBroadcastFlag);
    EXPECT_EQ(m.requestedIp, kVmIp);
}

}  // namespace
}  // namespace nlab::engine
