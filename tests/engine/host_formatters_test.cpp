#include "engine/console/host_formatters.h"

#include <gtest/gtest.h>

#include "engine/packet/addresses.h"

namespace nlab::engine {
namespace {

std::uint32_t ip(const char* s) { return Ipv4Address::parse(s)->toU32(); }

PortConfig grePort(const char* name, const char* local, const char* remote) {
    PortConfig c;
    c.name = name;
    c.type = PortType::Gre;
    c.remoteIp = ip(remote);
    c.localIp = ip(local);
    return c;
}

TEST(HostFormatters, OvsNeedsQuotesFollowsOvsdbRule) {
    EXPECT_FALSE(ovsNeedsQuotes("br-int"));
    EXPECT_FALSE(ovsNeedsQuotes("patch-tun"));
    EXPECT_FALSE(ovsNeedsQuotes("flow"));
    EXPECT_TRUE(ovsNeedsQuotes("eth2"));
    EXPECT_TRUE(ovsNeedsQuotes("tap78dd7f1e-53"));
    EXPECT_TRUE(ovsNeedsQuotes("10.10.100.139"));
    EXPECT_TRUE(ovsNeedsQuotes(""));
    EXPECT_TRUE(ovsNeedsQuotes("true"));
    EXPECT_TRUE(ovsNeedsQuotes("_1"));
    EXPECT_FALSE(ovsNeedsQuotes("_a.b"));
}

// The seed's compute node after instance1 booted, with the seed database's listing order.
TEST(HostFormatters, OvsVsctlShowReproducesSeedComputeNode) {
    Lab lab;
    Node& n = *lab.addNode("compute").value();
    OvsBridge* brInt = n.addOvsBridge("br-int").value();
    // The seed's br-tun has no fail_mode set (the article prints none for it).
    OvsBridge* brTun = n.addOvsBridge("br-tun", OvsBridge::FailMode::Standalone).value();
    ASSERT_TRUE(n.addOvsPatchPair(*brInt, "patch-tun", *brTun, "patch-int", 1, 1).ok());
    ASSERT_TRUE(brTun->addPort(grePort("gre-0a0a648b", "10.10.100.140", "10.10.100.139")).ok());
    auto [qvb, qvo] = n.createVethPair("qvb8cbe7bb6-18", "qvo8cbe7bb6-18");
    ASSERT_TRUE(n.addOvsSystemPort(*brInt, *qvo, 4).ok());

    OvsShowOrder order;
    order.bridges = {"br-tun", "br-int"};
    order.ports["br-tun"] = {"br-tun", "patch-int", "gre-0a0a648b"};
    const std::string expected =
        "b5553502-95e4-4ad2-90a6-a3da02d3819d\n"
        "    Bridge br-tun\n"
        "        Port br-tun\n"
        "            Interface br-tun\n"
        "                type: internal\n"
        "        Port patch-int\n"
        "            Interface patch-int\n"
        "                type: patch\n"
        "                options: {peer=patch-tun}\n"
        "        Port \"gre-0a0a648b\"\n"
        "            Interface \"gre-0a0a648b\"\n"
        "                type: gre\n"
        "                options: {in_key=flow, local_ip=\"10.10.100.140\", out_key=flow, "
        "remote_ip=\"10.10.100.139\"}\n"
        "    Bridge br-int\n"
        "        fail_mode: secure\n"
        "        Port patch-tun\n"
        "            Interface patch-tun\n"
        "                type: patch\n"
        "                options: {peer=patch-int}\n"
        "        Port \"qvo8cbe7bb6-18\"\n"
        "            tag: 4\n"
        "            Interface \"qvo8cbe7bb6-18\"\n"
        "        Port br-int\n"
        "            Interface br-int\n"
        "                type: internal\n"
        "    ovs_version: \"2.0.2\"\n";
    EXPECT_EQ(formatOvsVsctlShow(n, "b5553502-95e4-4ad2-90a6-a3da02d3819d", "2.0.2", &order),
              expected);
}

// Without a hint: patch ports, the others by port number, LOCAL last (the seed network node's
// br-int and br-tun order); a Standalone bridge prints no fail_mode.
TEST(HostFormatters, OvsVsctlShowDefaultOrderAndStandalone) {
    Lab lab;
    Node& n = *lab.addNode("network").value();
    OvsBridge* brInt = n.addOvsBridge("br-int").value();
    OvsBridge* brTun = n.addOvsBridge("br-tun", OvsBridge::FailMode::Standalone).value();
    ASSERT_TRUE(n.addOvsInternalPort(*brInt, "tap78dd7f1e-53", 9).ok());
    ASSERT_TRUE(n.addOvsInternalPort(*brInt, "qr-d8fd27a6-d1", 9).ok());
    ASSERT_TRUE(n.addOvsPatchPair(*brInt, "patch-tun", *brTun, "patch-int").ok());
    ASSERT_TRUE(brTun->addPort(grePort("gre-0a0a648c", "10.10.100.139", "10.10.100.140")).ok());
    const std::string expected =
        "909c85d0-ff4e-446b-bf8a-9166f0fccd24\n"
        "    Bridge br-int\n"
        "        fail_mode: secure\n"
        "        Port patch-tun\n"
        "            Interface patch-tun\n"
        "                type: patch\n"
        "                options: {peer=patch-int}\n"
        "        Port \"tap78dd7f1e-53\"\n"
        "            tag: 9\n"
        "            Interface \"tap78dd7f1e-53\"\n"
        "                type: internal\n"
        "        Port \"qr-d8fd27a6-d1\"\n"
        "            tag: 9\n"
        "            Interface \"qr-d8fd27a6-d1\"\n"
        "                type: internal\n"
        "        Port br-int\n"
        "            Interface br-int\n"
        "                type: internal\n"
        "    Bridge br-tun\n"
        "        Port patch-int\n"
        "            Interface patch-int\n"
        "                type: patch\n"
        "                options: {peer=patch-tun}\n"
        "        Port \"gre-0a0a648c\"\n"
        "            Interface \"gre-0a0a648c\"\n"
        "                type: gre\n"
        "                options: {in_key=flow, local_ip=\"10.10.100.139\", out_key=flow, "
        "remote_ip=\"10.10.100.140\"}\n"
        "        Port br-tun\n"
        "            Interface br-tun\n"
        "                type: internal\n"
        "    ovs_version: \"2.0.2\"\n";
    EXPECT_EQ(formatOvsVsctlShow(n, "909c85d0-ff4e-446b-bf8a-9166f0fccd24"), expected);
}

TEST(HostFormatters, IpNetnsShowListsNewestFirst) {
    Lab lab;
    Node& n = *lab.addNode("network").value();
    EXPECT_EQ(formatIpNetnsShow(n), "");
    ASSERT_TRUE(n.addNamespace("qdhcp-4e3f621f-d6b9-4438-be58-aa51d3c2e061").ok());
    ASSERT_TRUE(n.addNamespace("qrouter-040c1455-6096-4806-ba91-fec64cdaed81").ok());
    ASSERT_TRUE(n.addNamespace("qdhcp-70f7aa46-b66b-455e-896e-05f94a08fcb8").ok());
    EXPECT_EQ(formatIpNetnsShow(n),
              "qdhcp-70f7aa46-b66b-455e-896e-05f94a08fcb8\n"
              "qrouter-040c1455-6096-4806-ba91-fec64cdaed81\n"
              "qdhcp-4e3f621f-d6b9-4438-be58-aa51d3c2e061\n");
}

TEST(HostFormatters, EthtoolStatsVethAndOthers) {
    Lab lab;
    Node& n = *lab.addNode("compute").value();
    auto [qvb, qvo] = n.createVethPair("qvb8cbe7bb6-18", "qvo8cbe7bb6-18");
    ASSERT_EQ(qvb->peerIfindex(), qvo->ifindex());
    EXPECT_EQ(formatEthtoolStats(*qvb),
              "NIC statistics:\n     peer_ifindex: " + std::to_string(qvo->ifindex()) + "\n");
    NetDevice& eth = n.createDevice("eth0", DeviceKind::Ethernet);
    EXPECT_EQ(formatEthtoolStats(eth), "no stats available\n");
}

TEST(HostFormatters, IfconfigSeedLayout) {
    Lab lab;
    Node& n = *lab.addNode("compute").value();
    NetDevice& eth0 = n.createDevice("eth0", DeviceKind::Ethernet, 0x000c290713bfULL);
    ASSERT_TRUE(n.root().addAddress("eth0", ip("192.168.232.140"), 24).ok());
    eth0.stats().rxPackets = 41;
    eth0.stats().rxBytes = 3258;
    eth0.stats().txPackets = 8;
    eth0.stats().txBytes = 648;
    OvsBridge* brInt = n.addOvsBridge("br-int", OvsBridge::FailMode::Secure, 0xd22d3dfc7244ULL)
                           .value();
    (void)brInt;
    NetDevice* brDev = n.device("br-int");
    ASSERT_NE(brDev, nullptr);
    brDev->stats().rxBytes = 67530181;
    NetDevice& down = n.createDevice("eth9", DeviceKind::Ethernet);
    down.setUp(false);
    const std::string expected =
        "br-int    Link encap:Ethernet  HWaddr d2:2d:3d:fc:72:44  \n"
        "          UP BROADCAST RUNNING  MTU:1500  Metric:1\n"
        "          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n"
        "          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n"
        "          collisions:0 txqueuelen:0 \n"
        "          RX bytes:67530181 (67.5 MB)  TX bytes:0 (0.0 B)\n"
        "\n"
        "eth0      Link encap:Ethernet  HWaddr 00:0c:29:07:13:bf  \n"
        "          inet addr:192.168.232.140  Bcast:192.168.232.255  Mask:255.255.255.0\n"
        "          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n"
        "          RX packets:41 errors:0 dropped:0 overruns:0 frame:0\n"
        "          TX packets:8 errors:0 dropped:0 overruns:0 carrier:0\n"
        "          collisions:0 txqueuelen:1000 \n"
        "          RX bytes:3258 (3.2 KB)  TX bytes:648 (648.0 B)\n"
        "\n"
        "lo        Link encap:Local Loopback  \n"
        "          inet addr:127.0.0.1  Mask:255.0.0.0\n"
        "          UP LOOPBACK RUNNING  MTU:65536  Metric:1\n"
        "          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n"
        "          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n"
        "          collisions:0 txqueuelen:0 \n"
        "          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n"
        "\n";
    EXPECT_EQ(formatIfconfig(n, nullptr), expected);
}

TEST(HostFormatters, IpAddrSeedLayoutInNamespace) {
    Lab lab;
    Node& n = *lab.addNode("network").value();
    NetNamespace* ns = n.addNamespace("qrouter-040c1455-6096-4806-ba91-fec64cdaed81").value();
    OvsBridge* brInt = n.addOvsBridge("br-int").value();
    NetDevice* qr = n.addOvsInternalPort(*brInt, "qr-d8fd27a6-d1", 9, ns, 0xfa163e2a46e0ULL)
                        .value();
    ASSERT_TRUE(ns->addAddress("qr-d8fd27a6-d1", ip("10.10.10.1"), 24).ok());
    auto [qvb, qvo] = n.createVethPair("qvb8cbe7bb6-18", "qvo8cbe7bb6-18", ns, ns);
    qvb->setMac(0x1a8e57f27d11ULL);
    qvo->setMac(0xa69852efb10eULL);
    qvo->setMaster("ovs-system");
    qvb->setUp(false);
    const std::string q = std::to_string(qr->ifindex());
    const std::string b = std::to_string(qvb->ifindex());
    const std::string o = std::to_string(qvo->ifindex());
    const std::string expected =
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default \n"
        "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
        "    inet 127.0.0.1/8 scope host lo\n"
        "       valid_lft forever preferred_lft forever\n" +
        q + ": qr-d8fd27a6-d1: <BROADCAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN "
            "group default \n"
            "    link/ether fa:16:3e:2a:46:e0 brd ff:ff:ff:ff:ff:ff\n"
            "    inet 10.10.10.1/24 brd 10.10.10.255 scope global qr-d8fd27a6-d1\n"
            "       valid_lft forever preferred_lft forever\n" +
        b + ": qvb8cbe7bb6-18: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN "
            "group default qlen 1000\n"
            "    link/ether 1a:8e:57:f2:7d:11 brd ff:ff:ff:ff:ff:ff\n" +
        o + ": qvo8cbe7bb6-18: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast "
            "master ovs-system state UP group default qlen 1000\n"
            "    link/ether a6:98:52:ef:b1:0e brd ff:ff:ff:ff:ff:ff\n";
    EXPECT_EQ(formatIpAddr(n, ns), expected);
}

}  // namespace
}  // namespace nlab::engine
