// The seed article's lab built directly from engine parts (no Neutron layer yet): two nodes,
// GRE over an underlay segment, Nova's hybrid plug on compute, a qdhcp namespace with a DHCP
// server and a qrouter namespace on the network node, br-ex on the external segment.
// instance1 gets 10.10.10.7 by DHCP, pings its gateway and the DHCP server, and both nodes'
// br-tun table 20 end up with exactly the learned flows ../shared/seed/SCENARIO.md lists.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/codec/flow_extract.h"
#include "engine/codec/frame_decode.h"
#include "engine/flow/ofctl_format.h"
#include "engine/lab/lab.h"
#include "engine/lab/vm.h"
#include "engine/net/l2_segment.h"
#include "engine/net/linux_bridge.h"
#include "engine/capture/pcap_writer.h"
#include "engine/services/dhcp_client.h"
#include "engine/services/dhcp_server.h"
#include "engine/services/nat.h"
#include "engine/services/ping.h"
#include "tests/support/seed_flows.h"

namespace nlab::engine {
namespace {

std::uint32_t ip(const char* s) { return Ipv4Address::parse(s)->toU32(); }
std::uint64_t mac(const char* s) { return MacAddress::parse(s)->toU64(); }


class SeedLabTest : public ::testing::Test {
protected:
    Lab lab{2014};
    Node* compute = nullptr;
    Node* network = nullptr;
    Node* outside = nullptr;
    NetNamespace* vm = nullptr;
    NetNamespace* qdhcp = nullptr;
    NetNamespace* qrouter = nullptr;
    std::unique_ptr<DhcpServer> dhcpServer;
    std::unique_ptr<Nat> nat;
    std::unique_ptr<Vm> instance1;

    void SetUp() override {
        if (std::getenv("NLAB_TEST_DEBUG")) {
            lab.events().subscribe([](SimTime t, const Event& e) {
                if (auto* d = std::get_if<FrameDropped>(&e)) {
                    std::fprintf(stderr, "%.6f drop %.*s/%.*s: %.*s\n", double(t) / 1e9,
                                 int(d->device.size()), d->device.data(), int(d->port.size()),
                                 d->port.data(), int(d->reason.size()), d->reason.data());
                } else if (auto* r = std::get_if<FrameReceived>(&e)) {
                    std::fprintf(stderr, "%.6f rx %.*s/%.*s %s\n", double(t) / 1e9,
                                 int(r->device.size()), r->device.data(), int(r->port.size()),
                                 r->port.data(), summarizeFrame(r->packet->bytes()).c_str());
                }
            });
        }
        L2Segment* underlay = lab.addSegment("underlay").value();
        L2Segment* external = lab.addSegment("external").value();
        compute = lab.addNode("compute").value();
        network = lab.addNode("network").value();
        outside = lab.addNode("outside").value();

        setUpHost(*compute, "10.10.100.140", "00:0c:29:07:13:c9", *underlay, "10.10.100.139", 4);
        setUpHost(*network, "10.10.100.139", "00:0c:29:5a:1e:91", *underlay, "10.10.100.140", 9);

        // instance1 on compute, plugged the hybrid way: tap -> qbr <- qvb ~ qvo -> br-int.
        instance1 = Vm::create(*compute, "instance1").value();
        vm = &instance1->netns();
        NetDevice* tap8 = instance1->addNic("tap8cbe7bb6-18", mac("fa:16:3e:32:28:af")).value();
        LinuxBridge* qbr = compute->addLinuxBridge("qbr8cbe7bb6-18").value();
        auto [qvb, qvo] = compute->createVethPair("qvb8cbe7bb6-18", "qvo8cbe7bb6-18");
        ASSERT_TRUE(qbr->addInterface(*qvb).ok());
        ASSERT_TRUE(qbr->addInterface(*tap8).ok());
        ASSERT_TRUE(compute->addOvsSystemPort(*compute->ovsBridge("br-int"), *qvo, 4).ok());

        // The DHCP agent's qdhcp namespace for private1.
        qdhcp = network->addNamespace("qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4").value();
        NetDevice* tap = network->addOvsInternalPort(*network->ovsBridge("br-int"),
                                                     "tap78dd7f1e-53", 9, qdhcp,
                                                     mac("fa:16:3e:3c:54:50"))
                             .value();
        ASSERT_TRUE(qdhcp->addAddress("tap78dd7f1e-53", ip("10.10.10.2"), 24).ok());
        DhcpServerConfig cfg;
        cfg.interface = "tap78dd7f1e-53";
        cfg.serverMac = MacAddress::fromU64(tap->mac());
        cfg.serverAddress = Ipv4Address(ip("10.10.10.2"));
        cfg.router = Ipv4Address(ip("10.10.10.1"));
        dhcpServer = std::make_unique<DhcpServer>(lab.clock(), cfg);
        ASSERT_TRUE(dhcpServer
                        ->addHost({MacAddress::fromU64(mac("fa:16:3e:32:28:af")),
                                   Ipv4Address(ip("10.10.10.7")), "host-10-10-10-7"})
                        .ok());
        dhcpServer->setFrameSender(
            [this](Packet&& p) { qdhcp->sendFrame("tap78dd7f1e-53", std::move(p)); });
        qdhcp->bindUdp(67, [this](const UdpReceived& d) { dhcpServer->receiveFrame(*d.frame); });

        // The L3 agent's qrouter namespace: qr- on br-int (VLAN 9), qg- on br-ex.
        qrouter = network->addNamespace("qrouter-040c1455-6096-4806-ba91-fec64cdaed81").value();
        ASSERT_TRUE(network->addOvsInternalPort(*network->ovsBridge("br-int"), "qr-d8fd27a6-d1",
                                                9, qrouter, mac("fa:16:3e:2a:46:e0"))
                        .ok());
        ASSERT_TRUE(network->addOvsInternalPort(*network->ovsBridge("br-ex"), "qg-6f726a6c-41",
                                                std::nullopt, qrouter, mac("fa:16:3e:fc:53:dc"))
                        .ok());
        ASSERT_TRUE(qrouter->addAddress("qr-d8fd27a6-d1", ip("10.10.10.1"), 24).ok());
        ASSERT_TRUE(qrouter->addAddress("qg-6f726a6c-41", ip("192.168.0.2"), 24).ok());
        qrouter->setIpForward(true);
        Route up;
        up.gateway = ip("192.168.0.1");
        up.device = "qg-6f726a6c-41";
        ASSERT_TRUE(qrouter->addRoute(up).ok());
        // The L3 agent's iptables: SNAT of private1 to the gateway address, one floating IP
        // (192.168.0.10 -> instance1), whose address it also puts on qg- so ARP answers it.
        nat = std::make_unique<Nat>(lab.clock());
        nat->setGateway("qg-6f726a6c-41", Ipv4Address(ip("192.168.0.2")));
        ASSERT_TRUE(nat->addInternalSubnet(Ipv4Address(ip("10.10.10.0")), 24).ok());
        nat->install(*qrouter);

        // br-ex's eth2 and an outside host on the external segment.
        NetDevice& eth2 = network->createDevice("eth2", DeviceKind::Ethernet);
        ASSERT_TRUE(external->attach(eth2).ok());
        ASSERT_TRUE(network->addOvsSystemPort(*network->ovsBridge("br-ex"), eth2).ok());
        NetDevice& ext = outside->createDevice("eth0", DeviceKind::Ethernet);
        ASSERT_TRUE(external->attach(ext).ok());
        ASSERT_TRUE(outside->root().addAddress("eth0", ip("192.168.0.1"), 24).ok());
    }

    void setUpHost(Node& n, const char* addr, const char* nicMac, L2Segment& underlay,
                   const char* peer, int vlan) {
        NetDevice& eth1 = n.createDevice("eth1", DeviceKind::Ethernet, mac(nicMac));
        ASSERT_TRUE(underlay.attach(eth1).ok());
        ASSERT_TRUE(n.root().addAddress("eth1", ip(addr), 24).ok());
        n.setTunnelEndpoint(ip(addr));
        OvsBridge* brInt = n.addOvsBridge("br-int").value();
        OvsBridge* brTun = n.addOvsBridge("br-tun").value();
        ASSERT_TRUE(n.addOvsPatchPair(*brInt, "patch-tun", *brTun, "patch-int", 1, 1).ok());
        char gre[32];
        std::snprintf(gre, sizeof gre, "gre-%08x", ip(peer));
        PortConfig c;
        c.name = gre;
        c.type = PortType::Gre;
        c.ofportRequest = 2;
        c.remoteIp = ip(peer);
        c.localIp = ip(addr);
        ASSERT_TRUE(brTun->addPort(c).ok());
        brInt->addFlowsText("priority=1,actions=normal\n");
        brTun->addFlowsText(testing::seedBrTunFlows(vlan), "icehouse-br-tun.flows");
        if (vlan == 9) {
            ASSERT_TRUE(n.addOvsBridge("br-ex", OvsBridge::FailMode::Standalone).ok());
        }
    }

    void bootInstance1() {
        instance1->boot();
        lab.clock().advance(5 * kSecond);
    }
    DhcpClient* dhcpClient() const { return instance1->dhcpClient(); }
    const std::vector<std::string>& udhcpc() const { return instance1->console(); }

    std::vector<std::string> table20(Node& n) {
        std::vector<std::string> out;
        if (const FlowTable* t = n.ovsBridge("br-tun")->findTable(20)) {
            for (const FlowEntry* e : t->entries()) {
                if (e->learned) {
                    out.push_back(formatMatch(e->spec.match, e->spec.priority) +
                                  " actions=" + formatActions(e->spec.actions));
                }
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    static std::string learned(int vlan, const char* m, int tunId) {
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "priority=1,vlan_tci=0x%04x/0x0fff,dl_dst=%s actions=load:0->"
                      "NXM_OF_VLAN_TCI[],load:0x%x->NXM_NX_TUN_ID[],output:2",
                      vlan, m, tunId);
        return buf;
    }

    PingResult ping(NetNamespace& ns, const char* dst, int count, const char* source = "",
                    std::vector<std::string>* lines = nullptr) {
        PingOptions o;
        o.destination = ip(dst);
        o.count = count;
        o.source = source;
        return Ping::run(ns, o, lines);
    }
};

TEST_F(SeedLabTest, Instance1GetsItsAddressByDhcp) {
    bootInstance1();
    ASSERT_EQ(dhcpClient()->state(), DhcpClientState::Bound) << ::testing::PrintToString(udhcpc());
    auto addrs = vm->addresses();
    ASSERT_EQ(addrs.size(), 1u);
    EXPECT_EQ(addrs[0].address, ip("10.10.10.7"));
    EXPECT_EQ(addrs[0].prefixLength, 24);
    auto route = vm->lookupRoute(ip("8.8.8.8"));
    ASSERT_TRUE(route.has_value());
    EXPECT_EQ(route->gateway, ip("10.10.10.1"));
    EXPECT_NE(std::find(udhcpc().begin(), udhcpc().end(),
                        "Lease of 10.10.10.7 obtained, lease time 86400"),
              udhcpc().end())
        << ::testing::PrintToString(udhcpc());
}

TEST_F(SeedLabTest, PingsGatewayAndDhcpServerAndLearnsTheSeedsTable20Flows) {
    bootInstance1();
    std::vector<std::string> lines;
    PingResult gw = ping(*vm, "10.10.10.1", 3, "", &lines);
    EXPECT_EQ(gw.received, 3) << ::testing::PrintToString(lines);
    PingResult dhcp = ping(*vm, "10.10.10.2", 3);
    EXPECT_EQ(dhcp.received, 3);
    EXPECT_EQ(table20(*compute), (std::vector<std::string>{learned(4, "fa:16:3e:2a:46:e0", 1),
                                                           learned(4, "fa:16:3e:3c:54:50", 1)}));
    EXPECT_EQ(table20(*network), (std::vector<std::string>{learned(9, "fa:16:3e:32:28:af", 1)}));
    ASSERT_GE(lines.size(), 4u);
    EXPECT_EQ(lines[0], "PING 10.10.10.1 (10.10.10.1) 56(84) bytes of data.");
    EXPECT_EQ(lines[1].rfind("64 bytes from 10.10.10.1: icmp_seq=1 ttl=64 time=", 0), 0u)
        << lines[1];
}

TEST_F(SeedLabTest, QrouterPingsInstance1FromItsGatewayAddress) {
    bootInstance1();
    std::vector<std::string> lines;
    PingResult r = ping(*qrouter, "10.10.10.7", 5, "192.168.0.2", &lines);
    EXPECT_EQ(r.received, 5) << ::testing::PrintToString(lines);
    ASSERT_GE(lines.size(), 2u);
    EXPECT_EQ(lines[0], "PING 10.10.10.7 (10.10.10.7) from 192.168.0.2 : 56(84) bytes of data.");
    EXPECT_EQ(lines[1].rfind("64 bytes from 10.10.10.7: icmp_seq=1 ttl=64 time=", 0), 0u)
        << lines[1];
}

TEST_F(SeedLabTest, Instance1ReachesTheOutsideThroughSnatAndTheOutsideSeesTheGateway) {
    bootInstance1();
    std::vector<std::uint32_t> sources;
    outside->device("eth0")->addTap([&](const NetDevice&, Direction d, const Packet& p) {
        FlowKey k = extractFlowKey(p.bytes(), 0);
        if (d == Direction::Rx && k.dl_type == eth_type::kIpv4 && k.nw_proto == ip_proto::kIcmp) {
            sources.push_back(k.nw_src);
        }
    });
    PingResult r = ping(*vm, "192.168.0.1", 2);
    EXPECT_EQ(r.received, 2);
    ASSERT_EQ(sources.size(), 2u);
    EXPECT_EQ(sources[0], ip("192.168.0.2"));
    EXPECT_EQ(sources[1], ip("192.168.0.2"));
    EXPECT_NE(nat->conntrackText().find("src=10.10.10.7"), std::string::npos)
        << nat->conntrackText();
}

TEST_F(SeedLabTest, FloatingIpIsReachableFromOutside) {
    bootInstance1();
    ASSERT_TRUE(nat->addFloatingIp(Ipv4Address(ip("192.168.0.10")), Ipv4Address(ip("10.10.10.7")))
                    .ok());
    ASSERT_TRUE(qrouter->addAddress("qg-6f726a6c-41", ip("192.168.0.10"), 32).ok());
    std::vector<std::string> lines;
    PingResult r = ping(outside->root(), "192.168.0.10", 3, "", &lines);
    EXPECT_EQ(r.received, 3) << ::testing::PrintToString(lines);
    ASSERT_GE(lines.size(), 2u);
    // instance1 is two hops away (qrouter forwards): TTL 63.
    EXPECT_EQ(lines[1].rfind("64 bytes from 192.168.0.10: icmp_seq=1 ttl=63 time=", 0), 0u)
        << lines[1];
}

/// Runs a command, returns its standard output.
std::string run(const std::string& command) {
    std::string out;
    FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
    if (!p) return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    EXPECT_EQ(pclose(p), 0) << command;
    return out;
}

TEST_F(SeedLabTest, CapturesDecodeCleanlyInTshark) {
    if (std::system("command -v tshark >/dev/null 2>&1") != 0) {
        FAIL() << "tshark is not installed; install it (apt-get install tshark)";
    }
    const auto dir = std::filesystem::temp_directory_path() /
                     ("nlab-seedlab-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string tapPcap = (dir / "tap.pcap").string();
    const std::string underlayPcap = (dir / "underlay.pcap").string();
    {
        auto tapCap = PcapWriter::open(tapPcap, lab.clock()).value();
        auto underCap = PcapWriter::open(underlayPcap, lab.clock()).value();
        tapCap->attach(*compute->device("tap8cbe7bb6-18"));
        underCap->attach(*compute->device("eth1"));
        bootInstance1();
        ping(*vm, "10.10.10.1", 2);
    }
    auto fields = [&](const std::string& file, const std::string& args) {
        return run("tshark -r " + file + " -T fields " + args);
    };
    auto problems = [&](const std::string& file) {
        return run("tshark -r " + file +
                   " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE"
                   " -Y '_ws.malformed || _ws.expert.severity >= error'"
                   " -T fields -e frame.number -e _ws.expert.message");
    };
    EXPECT_EQ(problems(tapPcap), "");
    EXPECT_EQ(problems(underlayPcap), "");
    // The DHCP exchange on the VM's tap, in order.
    EXPECT_EQ(fields(tapPcap, "-Y dhcp -e dhcp.option.dhcp"), "1\n2\n3\n5\n");
    // ARP for the gateway and the pings.
    EXPECT_NE(fields(tapPcap, "-Y arp -e arp.dst.proto_ipv4").find("10.10.10.1"),
              std::string::npos);
    EXPECT_EQ(fields(tapPcap, "-Y icmp -e icmp.type"), "8\n0\n8\n0\n");
    // Everything instance1 sends crosses the underlay in GRE with key 1.
    const std::string keys = fields(underlayPcap, "-Y gre -e gre.key");
    EXPECT_FALSE(keys.empty());
    EXPECT_EQ(keys.find_first_not_of("0x00000001\n"), std::string::npos) << keys;
    EXPECT_NE(fields(underlayPcap, "-Y 'gre && dhcp' -e dhcp.option.dhcp").find("1\n"),
              std::string::npos);
    // seedlab verify's check: GRE key 1 carrying ICMP (both echo directions).
    EXPECT_EQ(fields(underlayPcap, "-Y 'gre.key == 1 && icmp' -e icmp.type"), "8\n0\n8\n0\n");
    if (!HasFailure()) std::filesystem::remove_all(dir);
}

TEST_F(SeedLabTest, InvalidConfigurationsGiveErrorsOrTheKernelsDrops) {
    // Unknown interface, duplicate address, route through an unreachable gateway.
    EXPECT_EQ(qrouter->addAddress("qr-nope", ip("10.10.99.1"), 24).error().code,
              ErrorCode::NotFound);
    EXPECT_EQ(qrouter->addAddress("qr-d8fd27a6-d1", ip("10.10.10.1"), 24).error().code,
              ErrorCode::AlreadyExists);
    Route bad;
    bad.destination = ip("172.16.0.0");
    bad.prefixLength = 16;
    bad.gateway = ip("10.99.0.1");
    bad.device = "qr-d8fd27a6-d1";
    EXPECT_EQ(qrouter->addRoute(bad).error().code, ErrorCode::InvalidArgument);
    EXPECT_FALSE(compute->addNamespace("instance1").ok());
    EXPECT_FALSE(compute->addOvsBridge("br-int").ok());

    // A 1500-byte IP packet from the VM no longer fits the underlay once wrapped in GRE:
    // the node drops it with a reason, and the ping gets no reply.
    bootInstance1();
    std::vector<std::string> reasons;
    lab.events().subscribe([&](SimTime, const Event& e) {
        if (auto* d = std::get_if<FrameDropped>(&e)) reasons.emplace_back(d->reason);
    });
    PingOptions o;
    o.destination = ip("10.10.10.1");
    o.count = 1;
    o.size = 1472;
    o.linger = 2 * kSecond;
    PingResult r = Ping::run(*vm, o);
    EXPECT_EQ(r.received, 0);
    EXPECT_NE(std::find_if(reasons.begin(), reasons.end(),
                           [](const std::string& s) {
                               return s.find("MTU") != std::string::npos ||
                                      s.find("mtu") != std::string::npos;
                           }),
              reasons.end())
        << ::testing::PrintToString(reasons);
}

}  // namespace
}  // namespace nlab::engine
