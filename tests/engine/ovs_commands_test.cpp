// ovs-vsctl, ovs-ofctl and ovs-appctl in the emulated shell, on a two-node lab wired as the
// seed article's (br-int, br-tun with the Icehouse flows, GRE between the nodes): exact
// outputs and exit statuses of each command and error path.
#include "engine/console/shell.h"
#include "engine/flow/ofctl_format.h"
#include "engine/lab/lab.h"
#include "engine/net/l2_segment.h"
#include "engine/services/ping.h"
#include "tests/support/seed_flows.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace nlab::engine {
namespace {

std::uint32_t ip(const char* s) {
    return Ipv4Address::parse(s)->toU32();
}
std::uint64_t mac(const char* s) {
    return MacAddress::parse(s)->toU64();
}

class OvsCommandsTest : public ::testing::Test {
protected:
    Lab lab{11};
    Shell shell{lab};
    Node* compute = nullptr;
    Node* network = nullptr;
    NetNamespace* vm = nullptr;
    NetNamespace* qdhcp = nullptr;
    ShellContext host;

    void SetUp() override {
        registerOvsCommands(shell);
        L2Segment* underlay = lab.addSegment("underlay").value();
        compute = lab.addNode("compute").value();
        network = lab.addNode("network").value();
        setUpHost(*compute, "10.10.100.140", "00:0c:29:07:13:c9", *underlay, "10.10.100.139", 4,
                  "d2:2d:3d:fc:72:44", "2a:fd:e3:83:b9:4f");
        setUpHost(*network, "10.10.100.139", "00:0c:29:5a:1e:91", *underlay, "10.10.100.140", 9,
                  "d2:2d:3d:fc:72:45", "2a:fd:e3:83:b9:50");
        vm = compute->addNamespace("vm1").value();
        ASSERT_TRUE(compute
                        ->addOvsInternalPort(*compute->ovsBridge("br-int"), "tapvm", 4, vm,
                                             mac("fa:16:3e:32:28:af"))
                        .ok());
        ASSERT_TRUE(vm->addAddress("tapvm", ip("10.10.10.7"), 24).ok());
        qdhcp = network->addNamespace("qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4").value();
        ASSERT_TRUE(network
                        ->addOvsInternalPort(*network->ovsBridge("br-int"), "tap78dd7f1e-53", 9,
                                             qdhcp, mac("fa:16:3e:3c:54:50"))
                        .ok());
        ASSERT_TRUE(qdhcp->addAddress("tap78dd7f1e-53", ip("10.10.10.2"), 24).ok());
        NodeInfo info;
        info.ovsUuid = "b5553502-95e4-4ad2-90a6-a3da02d3819d";
        info.showOrder.bridges = {"br-tun", "br-int"};
        info.showOrder.ports["br-tun"] = {"br-tun", "patch-int"};
        shell.setNodeInfo("compute", info);
        host.kind = ShellContext::Kind::Host;
        host.node = compute;
    }

    void setUpHost(Node& n, const char* addr, const char* nicMac, L2Segment& underlay,
                   const char* peer, int vlan, const char* intMac, const char* tunMac) {
        NetDevice& eth1 = n.createDevice("eth1", DeviceKind::Ethernet, mac(nicMac));
        ASSERT_TRUE(underlay.attach(eth1).ok());
        ASSERT_TRUE(n.root().addAddress("eth1", ip(addr), 24).ok());
        n.setTunnelEndpoint(ip(addr));
        OvsBridge* brInt =
            n.addOvsBridge("br-int", OvsBridge::FailMode::Secure, mac(intMac)).value();
        OvsBridge* brTun =
            n.addOvsBridge("br-tun", OvsBridge::FailMode::Secure, mac(tunMac)).value();
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
    }

    CommandOutput run(const std::string& line) { return shell.run(host, line); }

    PingResult pingDhcp(int count) {
        PingOptions o;
        o.destination = ip("10.10.10.2");
        o.count = count;
        return Ping::run(*vm, o);
    }

    /// Durations and ages vary with the exact arrival times of frames: the golden lines keep
    /// everything else.
    static std::string withoutDurations(const std::string& s) {
        return std::regex_replace(s, std::regex("duration=[0-9.]+s"), "duration=*");
    }
};

// ---- ovs-vsctl ----

TEST_F(OvsCommandsTest, VsctlShowPrintsTheNodesDatabaseInItsOrder) {
    CommandOutput o = run("ovs-vsctl show");
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.err, "");
    EXPECT_EQ(o.out,
              "b5553502-95e4-4ad2-90a6-a3da02d3819d\n"
              "    Bridge br-tun\n"
              "        fail_mode: secure\n"
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
              "        Port tapvm\n"
              "            tag: 4\n"
              "            Interface tapvm\n"
              "                type: internal\n"
              "        Port br-int\n"
              "            Interface br-int\n"
              "                type: internal\n"
              "    ovs_version: \"2.0.2\"\n");
}

TEST_F(OvsCommandsTest, VsctlListsBridgesPortsAndInterfacesSorted) {
    EXPECT_EQ(run("ovs-vsctl list-br").out, "br-int\nbr-tun\n");
    EXPECT_EQ(run("ovs-vsctl list-ports br-tun").out, "gre-0a0a648b\npatch-int\n");
    EXPECT_EQ(run("ovs-vsctl list-ports br-int").out, "patch-tun\ntapvm\n");
    EXPECT_EQ(run("ovs-vsctl list-ifaces br-int").out, "patch-tun\ntapvm\n");
    EXPECT_EQ(run("ovs-vsctl port-to-br patch-int").out, "br-tun\n");
    EXPECT_EQ(run("ovs-vsctl iface-to-br tapvm").out, "br-int\n");
    CommandOutput yes = run("ovs-vsctl br-exists br-int");
    EXPECT_EQ(yes.status, 0);
    EXPECT_EQ(yes.out + yes.err, "");
    CommandOutput no = run("ovs-vsctl br-exists br-foo");
    EXPECT_EQ(no.status, 2);
    EXPECT_EQ(no.out + no.err, "");
}

TEST_F(OvsCommandsTest, VsctlErrorsAreOvsVsctlsOwn) {
    struct Case {
        const char* line;
        const char* err;
        int status;
    };
    const Case cases[] = {
        {"ovs-vsctl list-ports br-foo", "ovs-vsctl: no bridge named br-foo\n", 1},
        {"ovs-vsctl del-br br-foo", "ovs-vsctl: no bridge named br-foo\n", 1},
        {"ovs-vsctl port-to-br nope", "ovs-vsctl: no port named nope\n", 1},
        {"ovs-vsctl port-to-br br-int", "ovs-vsctl: no port named br-int\n", 1},
        {"ovs-vsctl add-br br-int",
         "ovs-vsctl: cannot create a bridge named br-int because a bridge named br-int already "
         "exists\n",
         1},
        {"ovs-vsctl add-br patch-int",
         "ovs-vsctl: cannot create a bridge named patch-int because a port named patch-int "
         "already exists on bridge br-tun\n",
         1},
        {"ovs-vsctl add-port br-int patch-int",
         "ovs-vsctl: cannot create a port named patch-int because a port named patch-int "
         "already exists on bridge br-tun\n",
         1},
        {"ovs-vsctl add-port br-foo eth1", "ovs-vsctl: no bridge named br-foo\n", 1},
        {"ovs-vsctl del-port br-int patch-int",
         "ovs-vsctl: bridge br-int does not have a port patch-int\n", 1},
        {"ovs-vsctl del-port nope", "ovs-vsctl: no port named nope\n", 1},
        {"ovs-vsctl del-port br-int",
         "ovs-vsctl: cannot delete port br-int because it is the local port for bridge br-int "
         "(deleting this port requires deleting the entire bridge)\n",
         1},
        {"ovs-vsctl add-br", "ovs-vsctl: 'add-br' command requires at least 1 arguments\n", 1},
        {"ovs-vsctl list-br br-int", "ovs-vsctl: 'list-br' command takes at most 0 arguments\n", 1},
        {"ovs-vsctl frobnicate", "ovs-vsctl: unknown command 'frobnicate'; use --help for help\n",
         1},
        {"ovs-vsctl", "ovs-vsctl: missing command name (use --help for help)\n", 1},
        {"ovs-vsctl --if-exists add-br br-x",
         "ovs-vsctl: 'add-br' command has no '--if-exists' option\n", 1},
        {"ovs-vsctl set Port nope tag=1", "ovs-vsctl: no row \"nope\" in table Port\n", 1},
        {"ovs-vsctl set Port tapvm tag=4096",
         "ovs-vsctl: constraint violation: 4096 is not in the valid range 0 to 4095 (inclusive)\n",
         1},
    };
    for (const Case& c : cases) {
        CommandOutput o = run(c.line);
        EXPECT_EQ(o.err, c.err) << c.line;
        EXPECT_EQ(o.out, "") << c.line;
        EXPECT_EQ(o.status, c.status) << c.line;
    }
    // Nothing changed.
    EXPECT_EQ(run("ovs-vsctl list-br").out, "br-int\nbr-tun\n");
    EXPECT_EQ(run("ovs-vsctl list-ports br-int").out, "patch-tun\ntapvm\n");
}

TEST_F(OvsCommandsTest, VsctlMayExistAndIfExistsMakeCommandsIdempotent) {
    EXPECT_EQ(run("ovs-vsctl --may-exist add-br br-int").status, 0);
    EXPECT_EQ(run("ovs-vsctl --if-exists del-br br-foo").status, 0);
    EXPECT_EQ(run("ovs-vsctl --if-exists del-port nope").status, 0);
    EXPECT_EQ(run("ovs-vsctl -- --may-exist add-port br-int tapvm").status, 0);
    CommandOutput o = run("ovs-vsctl --may-exist add-port br-tun tapvm");
    EXPECT_EQ(o.err,
              "ovs-vsctl: \"--may-exist add-port br-tun tapvm\" but tapvm is actually attached to "
              "bridge br-int\n");
    EXPECT_EQ(o.status, 1);
}

TEST_F(OvsCommandsTest, VsctlAddsAndDeletesBridgesAndPorts) {
    NetDevice& eth2 = compute->createDevice("eth2", DeviceKind::Ethernet);
    ASSERT_EQ(run("ovs-vsctl add-br br-ex").status, 0);
    EXPECT_EQ(run("ovs-vsctl list-br").out, "br-ex\nbr-int\nbr-tun\n");
    ASSERT_NE(compute->device("br-ex"), nullptr);
    // A bridge made by ovs-vsctl has no fail_mode: standalone, with the NORMAL rule.
    EXPECT_EQ(compute->ovsBridge("br-ex")->failMode(), OvsBridge::FailMode::Standalone);

    // A system port for an existing device, an internal port created with it.
    EXPECT_EQ(run("ovs-vsctl add-port br-ex eth2").status, 0);
    EXPECT_EQ(eth2.master(), "ovs-system");
    CommandOutput o = run("ovs-vsctl add-port br-ex qg-1 -- set Interface qg-1 type=internal");
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.out + o.err, "");
    ASSERT_NE(compute->device("qg-1"), nullptr);
    EXPECT_EQ(compute->device("qg-1")->kind(), DeviceKind::OvsInternal);
    EXPECT_EQ(run("ovs-vsctl list-ports br-ex").out, "eth2\nqg-1\n");

    // tag=N on add-port, then `set Port`, then `clear Port`.
    ASSERT_EQ(
        run("ovs-vsctl add-port br-int qvo1 tag=5 -- set Interface qvo1 type=internal").status, 0);
    EXPECT_EQ(compute->ovsBridge("br-int")->portByName("qvo1")->config.tag,
              std::optional<std::uint16_t>(5));
    EXPECT_EQ(run("ovs-vsctl set Port qvo1 tag=7").status, 0);
    EXPECT_EQ(compute->ovsBridge("br-int")->portByName("qvo1")->config.tag,
              std::optional<std::uint16_t>(7));
    EXPECT_EQ(run("ovs-vsctl clear Port qvo1 tag").status, 0);
    EXPECT_FALSE(compute->ovsBridge("br-int")->portByName("qvo1")->config.tag.has_value());

    // del-port with and without the bridge; the internal interface goes with the port.
    EXPECT_EQ(run("ovs-vsctl del-port br-int qvo1").status, 0);
    EXPECT_EQ(compute->device("qvo1"), nullptr);
    EXPECT_EQ(run("ovs-vsctl del-port qg-1").status, 0);
    EXPECT_EQ(run("ovs-vsctl list-ports br-ex").out, "eth2\n");

    // A port naming no device: vswitchd cannot open it.
    o = run("ovs-vsctl add-port br-ex nodev");
    EXPECT_EQ(o.err,
              "ovs-vsctl: Error detected while setting up 'nodev'.  See ovs-vswitchd log "
              "for details.\n");
    EXPECT_EQ(run("ovs-vsctl list-ports br-ex").out, "eth2\n");

    EXPECT_EQ(run("ovs-vsctl del-br br-ex").status, 0);
    EXPECT_EQ(run("ovs-vsctl list-br").out, "br-int\nbr-tun\n");
    EXPECT_EQ(compute->device("br-ex"), nullptr);
    EXPECT_EQ(eth2.master(), "");
}

TEST_F(OvsCommandsTest, VsctlPatchAndTunnelInterfaces) {
    ASSERT_EQ(run("ovs-vsctl add-br br-a -- add-br br-b").status, 0);
    ASSERT_EQ(
        run("ovs-vsctl add-port br-a pa -- set Interface pa type=patch options:peer=pb").status, 0);
    ASSERT_EQ(
        run("ovs-vsctl add-port br-b pb -- set interface pb type=patch options:peer=pa").status, 0);
    const BridgePort* pa = compute->ovsBridge("br-a")->portByName("pa");
    ASSERT_NE(pa, nullptr);
    EXPECT_EQ(pa->config.type, PortType::Patch);
    EXPECT_EQ(pa->peerBridge, compute->ovsBridge("br-b"));

    CommandOutput o =
        run("ovs-vsctl add-port br-a gre-1 -- set Interface gre-1 type=gre "
            "options:remote_ip=10.0.0.9 options:in_key=flow options:out_key=0x5");
    EXPECT_EQ(o.status, 0) << o.err;
    const BridgePort* gre = compute->ovsBridge("br-a")->portByName("gre-1");
    ASSERT_NE(gre, nullptr);
    EXPECT_EQ(gre->config.type, PortType::Gre);
    EXPECT_EQ(gre->config.remoteIp, ip("10.0.0.9"));
    EXPECT_FALSE(gre->config.inKey.has_value());
    EXPECT_EQ(gre->config.outKey, std::optional<std::uint64_t>(5));

    o = run("ovs-vsctl add-port br-a x1 -- set Interface x1 type=geneve");
    EXPECT_EQ(o.err, "ovs-vsctl: interface type \"geneve\" is not supported by the lab\n");
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(compute->ovsBridge("br-a")->portByName("x1"), nullptr);
}

// ---- ovs-ofctl ----

TEST_F(OvsCommandsTest, OfctlDumpFlowsPrintsTheSeedTableLayout) {
    lab.clock().advance(10 * kSecond);
    CommandOutput o = run("ovs-ofctl dump-flows br-tun");
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.err, "");
    EXPECT_EQ(o.out,
              "NXST_FLOW reply (xid=0x4):\n"
              " cookie=0x0, duration=10s, table=0, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=1,in_port=1 actions=resubmit(,1)\n"
              " cookie=0x0, duration=10s, table=0, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=1,in_port=2 actions=resubmit(,2)\n"
              " cookie=0x0, duration=10s, table=0, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=0 actions=drop\n"
              " cookie=0x0, duration=10s, table=1, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=1,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,20)\n"
              " cookie=0x0, duration=10s, table=1, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=1,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=resubmit(,21)\n"
              " cookie=0x0, duration=10s, table=2, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=1,tun_id=0x1 actions=mod_vlan_vid:4,resubmit(,10)\n"
              " cookie=0x0, duration=10s, table=2, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=0 actions=drop\n"
              " cookie=0x0, duration=10s, table=3, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=0 actions=drop\n"
              " cookie=0x0, duration=10s, table=10, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=1 actions=learn(table=20,hard_timeout=300,priority=1,"
              "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
              "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1\n"
              " cookie=0x0, duration=10s, table=20, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=0 actions=resubmit(,21)\n"
              " cookie=0x0, duration=10s, table=21, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=1,dl_vlan=4 actions=strip_vlan,set_tunnel:0x1,output:2\n"
              " cookie=0x0, duration=10s, table=21, n_packets=0, n_bytes=0, idle_age=10, "
              "priority=0 actions=drop\n");
}

TEST_F(OvsCommandsTest, OfctlDumpFlowsFiltersByTableAndMatch) {
    // The Icehouse agent's table-21 rules are at the default priority: printed without one.
    ASSERT_EQ(run("ovs-ofctl add-flow br-tun "
                  "table=21,dl_vlan=5,actions=strip_vlan,set_tunnel:0x2,output:2")
                  .status,
              0);
    lab.clock().advance(3669'335 * kMillisecond);
    EXPECT_EQ(run("ovs-ofctl dump-flows br-tun table=21").out,
              "NXST_FLOW reply (xid=0x4):\n"
              " cookie=0x0, duration=3669.335s, table=21, n_packets=0, n_bytes=0, "
              "idle_age=3669, dl_vlan=5 actions=strip_vlan,set_tunnel:0x2,output:2\n"
              " cookie=0x0, duration=3669.335s, table=21, n_packets=0, n_bytes=0, "
              "idle_age=3669, priority=1,dl_vlan=4 actions=strip_vlan,set_tunnel:0x1,output:2\n"
              " cookie=0x0, duration=3669.335s, table=21, n_packets=0, n_bytes=0, "
              "idle_age=3669, priority=0 actions=drop\n");
    EXPECT_EQ(run("ovs-ofctl dump-flows br-tun tun_id=0x1").out,
              "NXST_FLOW reply (xid=0x4):\n"
              " cookie=0x0, duration=3669.335s, table=2, n_packets=0, n_bytes=0, "
              "idle_age=3669, priority=1,tun_id=0x1 actions=mod_vlan_vid:4,resubmit(,10)\n");
    EXPECT_EQ(run("ovs-ofctl dump-flows br-tun table=21,dl_vlan=4").out,
              "NXST_FLOW reply (xid=0x4):\n"
              " cookie=0x0, duration=3669.335s, table=21, n_packets=0, n_bytes=0, "
              "idle_age=3669, priority=1,dl_vlan=4 actions=strip_vlan,set_tunnel:0x1,output:2\n");
    // A pipe into grep, as people do.
    EXPECT_EQ(run("ovs-ofctl dump-flows br-tun | grep -c table=0").out, "3\n");
}

TEST_F(OvsCommandsTest, OfctlDumpFlowsShowsLearnedTable20EntriesAfterTraffic) {
    PingResult r = pingDhcp(3);
    ASSERT_EQ(r.received, 3);
    lab.clock().advance(2 * kSecond);
    CommandOutput o = run("ovs-ofctl dump-flows br-tun table=20");
    EXPECT_EQ(o.status, 0);
    const FlowEntry* learned = nullptr;
    for (const FlowEntry* e : compute->ovsBridge("br-tun")->findTable(20)->entries()) {
        if (e->learned)
            learned = e;
    }
    ASSERT_NE(learned, nullptr);
    // The learn action refreshes the entry with every reply (the last one 2 s ago): hard_age is
    // printed as it differs from the duration; idle_age is the last request it forwarded.
    EXPECT_EQ(withoutDurations(o.out),
              "NXST_FLOW reply (xid=0x4):\n"
              " cookie=0x0, duration=*, table=20, n_packets=3, n_bytes=294, hard_timeout=300, "
              "idle_age=2, hard_age=2, priority=1,vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:3c:54:50 "
              "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2\n"
              " cookie=0x0, duration=*, table=20, n_packets=0, n_bytes=0, idle_age=4, "
              "priority=0 actions=resubmit(,21)\n");
    EXPECT_NE(
        o.out.find(" cookie=0x0, duration=" + formatDuration(lab.clock().now() - learned->created) +
                   ", table=20, n_packets=3,"),
        std::string::npos)
        << o.out;
    // The network node learned instance's MAC with its own local VLAN.
    ShellContext net{ShellContext::Kind::Host, network, nullptr, nullptr};
    const std::string netFlows = shell.run(net, "ovs-ofctl dump-flows br-tun table=20").out;
    EXPECT_NE(netFlows.find("hard_timeout=300, idle_age=2, hard_age=2, "
                            "priority=1,vlan_tci=0x0009/0x0fff,dl_dst=fa:16:3e:32:28:af "
                            "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2"),
              std::string::npos)
        << netFlows;
}

TEST_F(OvsCommandsTest, OfctlAddModDelFlows) {
    EXPECT_EQ(run("ovs-ofctl add-flow br-int table=3,priority=5,ip,nw_dst=10.0.0.0/8,actions=drop")
                  .status,
              0);
    lab.clock().advance(kSecond);
    EXPECT_EQ(run("ovs-ofctl dump-flows br-int table=3").out,
              "NXST_FLOW reply (xid=0x4):\n"
              " cookie=0x0, duration=1s, table=3, n_packets=0, n_bytes=0, idle_age=1, "
              "priority=5,ip,nw_dst=10.0.0.0/8 actions=drop\n");
    EXPECT_EQ(run("ovs-ofctl mod-flows br-int table=3,ip,actions=output:1").status, 0);
    lab.clock().advance(kSecond);
    EXPECT_EQ(run("ovs-ofctl dump-flows br-int table=3").out,
              "NXST_FLOW reply (xid=0x4):\n"
              " cookie=0x0, duration=2s, table=3, n_packets=0, n_bytes=0, idle_age=2, hard_age=1, "
              "priority=5,ip,nw_dst=10.0.0.0/8 actions=output:1\n");
    // --strict needs the exact match and priority.
    EXPECT_EQ(run("ovs-ofctl --strict del-flows br-int table=3,ip,nw_dst=10.0.0.0/8").status, 0);
    EXPECT_NE(run("ovs-ofctl dump-flows br-int table=3").out.find("table=3,"), std::string::npos);
    EXPECT_EQ(
        run("ovs-ofctl --strict del-flows br-int table=3,priority=5,ip,nw_dst=10.0.0.0/8").status,
        0);
    EXPECT_EQ(run("ovs-ofctl dump-flows br-int table=3").out, "NXST_FLOW reply (xid=0x4):\n");
    EXPECT_EQ(run("ovs-ofctl del-flows br-int").status, 0);
    EXPECT_EQ(run("ovs-ofctl dump-flows br-int").out, "NXST_FLOW reply (xid=0x4):\n");
    // Port names resolve in flows.
    EXPECT_EQ(run("ovs-ofctl add-flow br-int in_port=patch-tun,actions=output:tapvm").status, 0);
    EXPECT_NE(run("ovs-ofctl dump-flows br-int").out.find("in_port=1 actions=output:2"),
              std::string::npos);
}

TEST_F(OvsCommandsTest, OfctlErrors) {
    struct Case {
        const char* line;
        const char* err;
    };
    const Case cases[] = {
        {"ovs-ofctl dump-flows br-foo", "ovs-ofctl: br-foo is not a bridge or a socket\n"},
        {"ovs-ofctl show br-foo", "ovs-ofctl: br-foo is not a bridge or a socket\n"},
        {"ovs-ofctl add-flow br-int fooo=1,actions=drop", "ovs-ofctl: unknown keyword fooo\n"},
        {"ovs-ofctl add-flow br-int nw_src=10.0.0.300,actions=drop",
         "ovs-ofctl: 10.0.0.300: invalid IP address\n"},
        {"ovs-ofctl dump-flows", "ovs-ofctl: 'dump-flows' command requires at least 1 arguments\n"},
        {"ovs-ofctl add-flow br-int",
         "ovs-ofctl: 'add-flow' command requires at least 2 arguments\n"},
        {"ovs-ofctl dump-tables br-int x",
         "ovs-ofctl: 'dump-tables' command takes at most 1 arguments\n"},
        {"ovs-ofctl frob br-int", "ovs-ofctl: unknown command 'frob'; use --help for help\n"},
        {"ovs-ofctl", "ovs-ofctl: missing command name; use --help for help\n"},
        {"ovs-ofctl dump-ports br-int nope", "ovs-ofctl: br-int: couldn't find port `nope'\n"},
        {"ovs-ofctl add-flows br-int missing.flows",
         "ovs-ofctl: missing.flows: open (No such file or directory)\n"},
    };
    for (const Case& c : cases) {
        CommandOutput o = run(c.line);
        EXPECT_EQ(o.err, c.err) << c.line;
        EXPECT_EQ(o.out, "") << c.line;
        EXPECT_EQ(o.status, 1) << c.line;
    }
}

TEST_F(OvsCommandsTest, OfctlAddFlowsReadsAFileFromTheShellsFileDir) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("nlab-ovscmd-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    shell.setFileDir(dir.string());
    {
        std::ofstream f(dir / "extra.flows");
        f << "# extra rules\n"
             "table=5,priority=3,arp,actions=NORMAL\n"
             "\n"
             "table=5,priority=2,actions=drop\n";
    }
    EXPECT_EQ(run("ovs-ofctl add-flows br-int extra.flows").status, 0);
    lab.clock().advance(kSecond);
    EXPECT_EQ(run("ovs-ofctl dump-flows br-int table=5").out,
              "NXST_FLOW reply (xid=0x4):\n"
              " cookie=0x0, duration=1s, table=5, n_packets=0, n_bytes=0, idle_age=1, "
              "priority=3,arp actions=NORMAL\n"
              " cookie=0x0, duration=1s, table=5, n_packets=0, n_bytes=0, idle_age=1, "
              "priority=2 actions=drop\n");
    {
        std::ofstream f(dir / "bad.flows");
        f << "table=6,actions=drop\nbogus=1,actions=drop\n";
    }
    CommandOutput o = run("ovs-ofctl add-flows br-int bad.flows");
    EXPECT_EQ(o.err, "ovs-ofctl: bad.flows:2: unknown keyword bogus\n");
    EXPECT_EQ(o.status, 1);
    // Nothing of a file with an error is applied.
    EXPECT_EQ(run("ovs-ofctl dump-flows br-int table=6").out, "NXST_FLOW reply (xid=0x4):\n");
    std::filesystem::remove_all(dir);
}

TEST_F(OvsCommandsTest, OfctlShowPrintsTheFeaturesReply) {
    CommandOutput o = run("ovs-ofctl show br-tun");
    EXPECT_EQ(o.status, 0);
    const std::string gre =
        formatMac(compute->ovsBridge("br-tun")->portByName("gre-0a0a648b")->mac);
    EXPECT_EQ(o.out.substr(0, o.out.find(" 1(")),
              "OFPT_FEATURES_REPLY (xid=0x2): dpid:00002afde383b94f\n"
              "n_tables:254, n_buffers:256\n"
              "capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP\n"
              "actions: OUTPUT SET_VLAN_VID SET_VLAN_PCP STRIP_VLAN SET_DL_SRC SET_DL_DST "
              "SET_NW_SRC SET_NW_DST SET_NW_TOS SET_TP_SRC SET_TP_DST ENQUEUE\n");
    const std::string tail = o.out.substr(o.out.find(" LOCAL("));
    EXPECT_EQ(tail,
              " LOCAL(br-tun): addr:2a:fd:e3:83:b9:4f\n"
              "     config:     0\n"
              "     state:      0\n"
              "     speed: 0 Mbps now, 0 Mbps max\n"
              "OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0\n");
    EXPECT_NE(o.out.find(" 1(patch-int): addr:"), std::string::npos);
    EXPECT_NE(o.out.find(" 2(gre-0a0a648b): addr:"), std::string::npos);
    (void)gre;
    // A system port reports its link (a veth: 10 Gb/s), a downed interface PORT_DOWN.
    auto [qvb, qvo] = compute->createVethPair("qvb1", "qvo1");
    (void)qvb;
    ASSERT_TRUE(compute->addOvsSystemPort(*compute->ovsBridge("br-int"), *qvo, 4, 7).ok());
    compute->device("tapvm", vm)->setUp(false);
    o = run("ovs-ofctl show br-int");
    EXPECT_NE(o.out.find(" 7(qvo1): addr:" + formatMac(qvo->mac()) +
                         "\n     config:     0\n     state:      0\n     current:    10GB-FD "
                         "COPPER\n     speed: 10000 Mbps now, 0 Mbps max\n"),
              std::string::npos)
        << o.out;
    EXPECT_NE(o.out.find(" 2(tapvm): addr:fa:16:3e:32:28:af\n     config:     PORT_DOWN\n"
                         "     state:      LINK_DOWN\n"),
              std::string::npos)
        << o.out;
}

TEST_F(OvsCommandsTest, OfctlDumpPortsAndTables) {
    ASSERT_EQ(pingDhcp(2).received, 2);
    const OvsBridge& br = *compute->ovsBridge("br-tun");
    auto line = [](std::uint32_t no, const BridgePort& p) {
        char buf[256];
        std::snprintf(
            buf, sizeof buf,
            "  port %s: rx pkts=%llu, bytes=%llu, drop=0, errs=0, frame=0, over=0, crc=0\n"
            "           tx pkts=%llu, bytes=%llu, drop=0, errs=0, coll=0\n",
            no == ofp::kLocal ? "LOCAL" : (" " + std::to_string(no)).c_str(),
            static_cast<unsigned long long>(p.rxPackets),
            static_cast<unsigned long long>(p.rxBytes),
            static_cast<unsigned long long>(p.txPackets),
            static_cast<unsigned long long>(p.txBytes));
        return std::string(buf);
    };
    const BridgePort& patch = *br.port(1);
    const BridgePort& gre = *br.port(2);
    // Two requests and two replies crossed the tunnel, with the ARP exchange before them.
    EXPECT_EQ(patch.rxPackets, 3u);
    EXPECT_EQ(gre.rxPackets, 3u);
    EXPECT_EQ(run("ovs-ofctl dump-ports br-tun").out, "OFPST_PORT reply (xid=0x2): 3 ports\n" +
                                                          line(1, patch) + line(2, gre) +
                                                          line(ofp::kLocal, *br.port(ofp::kLocal)));
    EXPECT_EQ(run("ovs-ofctl dump-ports br-tun patch-int").out,
              "OFPST_PORT reply (xid=0x2): 1 ports\n" + line(1, patch));
    EXPECT_EQ(run("ovs-ofctl dump-ports br-tun 2").out,
              "OFPST_PORT reply (xid=0x2): 1 ports\n" + line(2, gre));

    CommandOutput t = run("ovs-ofctl dump-tables br-tun");
    EXPECT_EQ(t.out.substr(0, t.out.find("  1: ")),
              "OFPST_TABLE reply (xid=0x2): 254 tables\n"
              "  0: classifier: wild=0x3fffff, max=1000000, active=3\n"
              "               lookup=6, matched=6\n");
    EXPECT_NE(t.out.find("  20: table20 : wild=0x3fffff, max=1000000, active=2\n"
                         "               lookup=0, matched=0\n"),
              std::string::npos)
        << t.out.substr(0, 2000);
    EXPECT_EQ(std::count(t.out.begin(), t.out.end(), '\n'), 1 + 254 * 2);
}

// ---- ovs-appctl ----

TEST_F(OvsCommandsTest, AppctlTraceFollowsResubmitsInOvs20Layout) {
    CommandOutput o =
        run("ovs-appctl ofproto/trace br-tun "
            "in_port=1,dl_vlan=4,dl_src=fa:16:3e:32:28:af,dl_dst=fa:16:3e:3c:54:50");
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out,
              "Flow: in_port=1,dl_vlan=4,dl_vlan_pcp=0,dl_src=fa:16:3e:32:28:af,"
              "dl_dst=fa:16:3e:3c:54:50,dl_type=0x0000\n"
              "Rule: table=0 cookie=0 priority=1,in_port=1\n"
              "OpenFlow actions=resubmit(,1)\n"
              "\n"
              "\tResubmitted flow: unchanged\n"
              "\tResubmitted regs: reg0=0x0 reg1=0x0 reg2=0x0 reg3=0x0 reg4=0x0 reg5=0x0 "
              "reg6=0x0 reg7=0x0\n"
              "\tResubmitted  odp: drop\n"
              "\tRule: table=1 cookie=0 priority=1,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00\n"
              "\tOpenFlow actions=resubmit(,20)\n"
              "\n"
              "\t\tResubmitted flow: unchanged\n"
              "\t\tResubmitted regs: reg0=0x0 reg1=0x0 reg2=0x0 reg3=0x0 reg4=0x0 reg5=0x0 "
              "reg6=0x0 reg7=0x0\n"
              "\t\tResubmitted  odp: drop\n"
              "\t\tRule: table=20 cookie=0 priority=0\n"
              "\t\tOpenFlow actions=resubmit(,21)\n"
              "\n"
              "\t\t\tResubmitted flow: unchanged\n"
              "\t\t\tResubmitted regs: reg0=0x0 reg1=0x0 reg2=0x0 reg3=0x0 reg4=0x0 reg5=0x0 "
              "reg6=0x0 reg7=0x0\n"
              "\t\t\tResubmitted  odp: drop\n"
              "\t\t\tRule: table=21 cookie=0 priority=1,dl_vlan=4\n"
              "\t\t\tOpenFlow actions=strip_vlan,set_tunnel:0x1,output:2\n"
              "\n"
              "Final flow: tun_id=0x1,in_port=1,vlan_tci=0x0000,dl_src=fa:16:3e:32:28:af,"
              "dl_dst=fa:16:3e:3c:54:50,dl_type=0x0000\n"
              // Only the multicast bit of dl_dst decided (table 1), no table-20 entry yet.
              "Relevant fields: in_port=1,dl_vlan=4,dl_vlan_pcp=0,"
              "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00\n"
              "Datapath actions: pop_vlan,set(tunnel(tun_id=0x1,src=10.10.100.140,"
              "dst=10.10.100.139,ttl=64,flags(df|key))),gre-0a0a648b\n");
    // Nothing was learned or counted.
    EXPECT_EQ(compute->ovsBridge("br-tun")->findTable(21)->entries()[0]->nPackets, 0u);
}

TEST_F(OvsCommandsTest, AppctlTraceAndFdbErrors) {
    struct Case {
        const char* line;
        const char* err;
    };
    const Case cases[] = {
        {"ovs-appctl ofproto/trace br-foo in_port=1",
         "Unknown bridge name\novs-appctl: ovs-vswitchd: server returned an error\n"},
        {"ovs-appctl ofproto/trace br-tun in_port=1,bogus=2",
         "Bad flow syntax\novs-appctl: ovs-vswitchd: server returned an error\n"},
        {"ovs-appctl ofproto/trace in_port=1",
         "Must specify bridge name\novs-appctl: ovs-vswitchd: server returned an error\n"},
        {"ovs-appctl fdb/show br-foo",
         "no such bridge\novs-appctl: ovs-vswitchd: server returned an error\n"},
        {"ovs-appctl frob/nicate",
         "\"frob/nicate\" is not a valid command\novs-appctl: ovs-vswitchd: server returned an "
         "error\n"},
    };
    for (const Case& c : cases) {
        CommandOutput o = run(c.line);
        EXPECT_EQ(o.err, c.err) << c.line;
        EXPECT_EQ(o.status, 2) << c.line;
    }
}

TEST_F(OvsCommandsTest, AppctlFdbShowListsWhatNormalLearned) {
    ASSERT_EQ(pingDhcp(1).received, 1);
    CommandOutput o = run("ovs-appctl fdb/show br-int");
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.out, compute->ovsBridge("br-int")->formatFdb());
    EXPECT_NE(o.out.find("    2     4  fa:16:3e:32:28:af"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("    1     4  fa:16:3e:3c:54:50"), std::string::npos) << o.out;
}

TEST_F(OvsCommandsTest, OvsToolsWorkInsideANamespaceContextToo) {
    ShellContext ns{ShellContext::Kind::Namespace, compute, vm, nullptr};
    EXPECT_EQ(shell.run(ns, "ovs-vsctl list-br").out, "br-int\nbr-tun\n");
}

}  // namespace
}  // namespace nlab::engine
