// Agents realising a hand-built TenantState (the seed lab of ../shared/seed/SCENARIO.md)
// without the Cloud: br-tun flows per host, tags, namespaces, the hybrid plug, DHCP, pings
// and the learned table-20 flows, teardown, VLAN allocation and tunnel sync.
#include "model/agents/agents.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "engine/console/host_formatters.h"
#include "engine/console/shell.h"
#include "engine/flow/ofctl_format.h"
#include "engine/lab/lab.h"
#include "engine/lab/vm.h"
#include "engine/net/linux_bridge.h"
#include "engine/services/dhcp_client.h"
#include "engine/services/dhcp_server.h"
#include "engine/services/nat.h"
#include "engine/services/ping.h"

namespace nlab::model {
namespace {

using engine::ErrorCode;
using engine::kSecond;
using engine::Status;

Ipv4Address ip(const char* s) { return *Ipv4Address::parse(s); }
MacAddress mac(const char* s) { return *MacAddress::parse(s); }

constexpr const char* kExternal = "5c4b2f3e-1a0d-4e7b-9c6d-8f2a1b3c4d5e";
constexpr const char* kPrivate1 = "224f79e0-8068-4ef7-8c79-2326bc0cf5c4";
constexpr const char* kPrivate2 = "70f7aa46-b66b-455e-896e-05f94a08fcb8";
constexpr const char* kPrivate3 = "4e3f621f-d6b9-4438-be58-aa51d3c2e061";
constexpr const char* kRouter = "040c1455-6096-4806-ba91-fec64cdaed81";
constexpr const char* kInstance1Port = "8cbe7bb6-18d9-4455-abce-473ebe5a9591";
constexpr const char* kInstance2Port = "dd2c3906-f8cf-48cd-85bf-d952a11eeab4";
constexpr const char* kInstance3Port = "a6f975bb-605b-4f36-ad3f-669ccdab5fe5";

/// Every flow of a bridge as `ovs-ofctl dump-flows` orders them, as SCENARIO.md prints
/// them ("table=N, MATCH actions=ACTIONS"), learned flows left out unless asked.
std::vector<std::string> flows(const engine::OvsBridge& br, bool withLearned = false) {
    std::vector<const engine::FlowEntry*> all;
    for (const engine::FlowTable* t : br.tables()) {
        for (const engine::FlowEntry* e : t->entries()) {
            if (withLearned || !e->learned) all.push_back(e);
        }
    }
    std::stable_sort(all.begin(), all.end(), [](const auto* a, const auto* b) {
        if (a->tableId != b->tableId) return a->tableId < b->tableId;
        if (a->spec.priority != b->spec.priority) return a->spec.priority > b->spec.priority;
        return a->id < b->id;
    });
    std::vector<std::string> out;
    for (const engine::FlowEntry* e : all) {
        out.push_back("table=" + std::to_string(e->tableId) + ", " +
                      engine::formatMatch(e->spec.match, e->spec.priority) +
                      " actions=" + engine::formatActions(e->spec.actions));
    }
    return out;
}

std::vector<std::string> learnedTable20(const engine::OvsBridge& br) {
    std::vector<std::string> out;
    if (const engine::FlowTable* t = br.findTable(20)) {
        for (const engine::FlowEntry* e : t->entries()) {
            if (e->learned) {
                out.push_back(engine::formatMatch(e->spec.match, e->spec.priority) + " actions=" +
                              engine::formatActions(e->spec.actions));
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string learned(int vlan, const char* m, int tunId) {
    return "priority=1,vlan_tci=0x" + std::string(vlan < 16 ? "000" : "00") +
           (vlan < 10 ? std::to_string(vlan) : std::string(1, "0123456789abcdef"[vlan])) +
           "/0x0fff,dl_dst=" + m + " actions=load:0->NXM_OF_VLAN_TCI[],load:0x" +
           std::to_string(tunId) + "->NXM_NX_TUN_ID[],output:2";
}

const std::string kLearn =
    "table=10, priority=1 actions=learn(table=20,hard_timeout=300,priority=1,"
    "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],"
    "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1";

/// br-tun's flows with the given per-network flows inserted (Icehouse GRE profile).
std::vector<std::string> brTun(const std::vector<std::string>& table0Tunnels,
                               const std::vector<std::string>& table2,
                               const std::vector<std::string>& table21) {
    std::vector<std::string> v{"table=0, priority=1,in_port=1 actions=resubmit(,1)"};
    v.insert(v.end(), table0Tunnels.begin(), table0Tunnels.end());
    v.push_back("table=0, priority=0 actions=drop");
    v.push_back("table=1, priority=1,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
                "actions=resubmit(,20)");
    v.push_back("table=1, priority=1,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 "
                "actions=resubmit(,21)");
    v.insert(v.end(), table2.begin(), table2.end());
    v.push_back("table=2, priority=0 actions=drop");
    v.push_back("table=3, priority=0 actions=drop");
    v.push_back(kLearn);
    v.push_back("table=20, priority=0 actions=resubmit(,21)");
    v.insert(v.end(), table21.begin(), table21.end());
    v.push_back("table=21, priority=0 actions=drop");
    return v;
}

Host makeHost(const char* name, HostRole role, const char* mgmt, const char* data) {
    Host h;
    h.name = name;
    h.role = role;
    h.managementIp = ip(mgmt);
    h.dataIp = ip(data);
    return h;
}

Network makeNetwork(const char* id, const char* name, NetworkType type, std::uint32_t seg) {
    Network n;
    n.id = id;
    n.name = name;
    n.type = type;
    n.segmentationId = seg;
    return n;
}

Subnet makeSubnet(const char* id, const char* net, const char* cidr, const char* gw) {
    Subnet s;
    s.id = id;
    s.networkId = net;
    s.cidr = *Cidr::parse(cidr);
    if (gw) s.gatewayIp = ip(gw);
    return s;
}

Port makePort(const char* id, const char* net, const char* subnet, const char* m, const char* a,
              std::string_view owner, const char* device, const char* host) {
    Port p;
    p.id = id;
    p.networkId = net;
    p.macAddress = mac(m);
    p.fixedIps.push_back({subnet, ip(a)});
    p.deviceOwner = std::string(owner);
    p.deviceId = device;
    p.hostId = host;
    return p;
}

/// The seed lab as a TenantState, realised step by step as the Cloud would.
class AgentsTest : public ::testing::Test {
protected:
    engine::Lab lab{2014};
    TenantState state;
    Agents agents{lab, state};
    engine::Node* network = nullptr;
    engine::Node* compute = nullptr;

    void SetUp() override {
        Host net = makeHost("network", HostRole::Network, "192.168.232.139", "10.10.100.139");
        net.ovsUuid = "909c85d0-ff4e-446b-bf8a-9166f0fccd24";
        net.localVlans = {{kPrivate1, 9}, {kPrivate2, 8}, {kPrivate3, 11}};
        Host cmp = makeHost("compute", HostRole::Compute, "192.168.232.140", "10.10.100.140");
        cmp.managementMac = mac("00:0c:29:07:13:bf");
        cmp.dataMac = mac("00:0c:29:07:13:c9");
        cmp.libvirtDefaultNetwork = true;
        // By name, as a lab file may give them.
        cmp.localVlans = {{"private1", 4}, {"private2", 5}};
        cmp.deviceMacs = {{"br-int", mac("d2:2d:3d:fc:72:44")},
                          {"br-tun", mac("2a:fd:e3:83:b9:4f")},
                          {"ovs-system", mac("e6:c2:4f:85:74:3b")},
                          {"virbr0", mac("6a:cc:bc:f5:91:be")},
                          {"qvb8cbe7bb6-18", mac("1a:8e:57:f2:7d:11")},
                          {"qvo8cbe7bb6-18", mac("a6:98:52:ef:b1:0e")}};
        addHost(net);
        addHost(cmp);
        network = lab.node("network");
        compute = lab.node("compute");

        Network ext = makeNetwork(kExternal, "external", NetworkType::Flat, 0);
        ext.external = true;
        ext.physicalNetwork = "physnet1";
        state.networks[ext.id] = ext;
        Subnet extSub = makeSubnet("7b2cd216-1251-4eaa-9f05-b8cadc82bc1e", kExternal,
                                   "192.168.0.0/24", "192.168.0.1");
        extSub.enableDhcp = false;
        addSubnet(extSub);

        struct Priv {
            const char* net;
            const char* name;
            std::uint32_t seg;
            const char* subnet;
            const char* cidr;
            const char* gw;
            const char* dhcpPort;
            const char* dhcpMac;
            const char* dhcpIp;
        };
        const Priv privs[] = {
            {kPrivate1, "private1", 1, "dcdd699a-c4b0-4360-9219-c62cb6ed0b3e", "10.10.10.0/24",
             "10.10.10.1", "78dd7f1e-53e6-4a2c-b166-5eef9add12b7", "fa:16:3e:3c:54:50",
             "10.10.10.2"},
            {kPrivate2, "private2", 2, "f380d778-d576-4179-96df-cb3a2618dbd3", "10.10.20.0/24",
             "10.10.20.1", "ed034aae-1106-41b5-8b3f-2b8cb5776baf", "fa:16:3e:fb:f3:33",
             "10.10.20.2"},
            {kPrivate3, "private3", 4, "410a9d7c-6ae8-4059-954e-973529a933c5", "10.10.30.0/24",
             "10.10.30.1", "708ee330-0c8a-41bd-a2f5-271ca9662151", "fa:16:3e:75:82:cd",
             "10.10.30.2"},
        };
        for (const Priv& p : privs) {
            state.networks[p.net] = makeNetwork(p.net, p.name, NetworkType::Gre, p.seg);
            addSubnet(makeSubnet(p.subnet, p.net, p.cidr, p.gw));
            addPort(makePort(p.dhcpPort, p.net, p.subnet, p.dhcpMac, p.dhcpIp, owner::kDhcp,
                             "dhcp", "network"));
        }

        Router r;
        r.id = kRouter;
        r.name = "router1";
        r.hostId = "network";
        state.routers[r.id] = r;
        const struct {
            const char* port;
            const char* net;
            const char* subnet;
            const char* mac;
            const char* ip;
        } ifaces[] = {
            {"d8fd27a6-d1cf-46f4-8e0e-4965001d547a", kPrivate1,
             "dcdd699a-c4b0-4360-9219-c62cb6ed0b3e", "fa:16:3e:2a:46:e0", "10.10.10.1"},
            {"09208a89-0b45-4b80-bf11-2aee68b30eb1", kPrivate2,
             "f380d778-d576-4179-96df-cb3a2618dbd3", "fa:16:3e:79:45:64", "10.10.20.1"},
            {"4debe62b-e44c-47c7-a5e5-b6a11da8d31c", kPrivate3,
             "410a9d7c-6ae8-4059-954e-973529a933c5", "fa:16:3e:75:b5:d4", "10.10.30.1"},
        };
        for (const auto& i : ifaces) {
            state.routers[kRouter].interfacePortIds.push_back(i.port);
            addPort(makePort(i.port, i.net, i.subnet, i.mac, i.ip, owner::kRouterInterface,
                             kRouter, "network"));
            ASSERT_TRUE(agents.routerChanged(state.routers[kRouter]).ok());
        }
        state.routers[kRouter].gatewayNetworkId = kExternal;
        state.routers[kRouter].gatewayPortId = "6f726a6c-412d-4d22-bcc7-eadedf407680";
        addPort(makePort("6f726a6c-412d-4d22-bcc7-eadedf407680", kExternal,
                         "7b2cd216-1251-4eaa-9f05-b8cadc82bc1e", "fa:16:3e:fc:53:dc",
                         "192.168.0.2", owner::kRouterGateway, kRouter, "network"));
        ASSERT_TRUE(agents.routerChanged(state.routers[kRouter]).ok());
    }

    void addHost(const Host& h) {
        state.hosts.push_back(h);
        Status s = agents.hostAdded(state.hosts.back());
        ASSERT_TRUE(s.ok()) << s.error().message;
    }
    void addSubnet(const Subnet& s) {
        state.subnets[s.id] = s;
        Status st = agents.subnetChanged(state.subnets[s.id]);
        ASSERT_TRUE(st.ok()) << st.error().message;
    }
    void addPort(const Port& p) {
        state.ports[p.id] = p;
        Status s = agents.portCreated(state.ports[p.id]);
        ASSERT_TRUE(s.ok()) << s.error().message;
    }
    /// An instance with one NIC on 'net', as `nova boot` creates it.
    void bootInstance(const char* name, const char* portId, const char* net, const char* subnet,
                      const char* m, const char* a, bool start = true) {
        addPort(makePort(portId, net, subnet, m, a, owner::kCompute, name, "compute"));
        Instance i;
        i.id = std::string("id-") + name;
        i.name = name;
        i.hostId = "compute";
        i.portIds = {portId};
        state.instances[i.id] = i;
        Status s = agents.instanceBooted(state.instances[i.id], start);
        ASSERT_TRUE(s.ok()) << s.error().message;
    }
    void bootInstance1(bool start = true) {
        bootInstance("instance1", kInstance1Port, kPrivate1, "dcdd699a-c4b0-4360-9219-c62cb6ed0b3e",
                     "fa:16:3e:32:28:af", "10.10.10.7", start);
    }
    engine::PingResult ping(engine::Vm& vm, const char* dst, int count) {
        engine::PingOptions o;
        o.destination = ip(dst).toU32();
        o.count = count;
        return vm.ping(o);
    }
    std::vector<std::string> portsOf(engine::Node& n, const char* bridge) {
        std::vector<std::string> out;
        for (const engine::BridgePort* p : n.ovsBridge(bridge)->ports()) {
            std::string s = p->config.name + "#" + std::to_string(p->ofport);
            if (p->config.tag) s += " tag=" + std::to_string(*p->config.tag);
            out.push_back(s);
        }
        return out;
    }
    std::vector<std::string> namespaces(engine::Node& n) {
        std::vector<std::string> out;
        for (const engine::NetNamespace* ns : n.namespaces()) out.push_back(ns->name());
        return out;
    }
    std::vector<std::string> deviceNames(engine::Node& n) {
        std::vector<std::string> out;
        for (const engine::NetDevice* d : n.devices()) out.push_back(d->name());
        return out;
    }
};

TEST_F(AgentsTest, BrTunFlowsAreTheSeedsOnBothHosts) {
    bootInstance1(false);
    EXPECT_EQ(flows(*compute->ovsBridge("br-tun")),
              brTun({"table=0, priority=1,in_port=2 actions=resubmit(,2)"},
                    {"table=2, priority=1,tun_id=0x1 actions=mod_vlan_vid:4,resubmit(,10)"},
                    {"table=21, dl_vlan=4 actions=strip_vlan,set_tunnel:0x1,output:2"}));
    EXPECT_EQ(flows(*network->ovsBridge("br-tun")),
              brTun({"table=0, priority=1,in_port=2 actions=resubmit(,2)"},
                    {"table=2, priority=1,tun_id=0x1 actions=mod_vlan_vid:9,resubmit(,10)",
                     "table=2, priority=1,tun_id=0x2 actions=mod_vlan_vid:8,resubmit(,10)",
                     "table=2, priority=1,tun_id=0x4 actions=mod_vlan_vid:11,resubmit(,10)"},
                    {"table=21, dl_vlan=9 actions=strip_vlan,set_tunnel:0x1,output:2",
                     "table=21, dl_vlan=8 actions=strip_vlan,set_tunnel:0x2,output:2",
                     "table=21, dl_vlan=11 actions=strip_vlan,set_tunnel:0x4,output:2"}));
    // The exact dump text of the table-21 flow: no "priority=" (the default, 32768).
    const engine::FlowTable* t21 = compute->ovsBridge("br-tun")->findTable(21);
    ASSERT_NE(t21, nullptr);
    engine::FormatOptions o;
    o.noStats = true;
    const std::vector<engine::FlowEntry*> all = t21->entries();
    const std::vector<const engine::FlowEntry*> entries(all.begin(), all.end());
    EXPECT_EQ(engine::formatDumpFlows(entries, lab.clock().now(), o),
              " table=21, dl_vlan=4 actions=strip_vlan,set_tunnel:0x1,output:2\n"
              " table=21, priority=0 actions=drop\n");
    EXPECT_EQ(flows(*compute->ovsBridge("br-int")),
              (std::vector<std::string>{"table=0, priority=1 actions=NORMAL"}));
    EXPECT_EQ(compute->ovsBridge("br-int")->failMode(), engine::OvsBridge::FailMode::Secure);
    EXPECT_EQ(compute->ovsBridge("br-tun")->failMode(), engine::OvsBridge::FailMode::Standalone);
    EXPECT_EQ(network->ovsBridge("br-ex")->failMode(), engine::OvsBridge::FailMode::Standalone);
    EXPECT_EQ(flows(*network->ovsBridge("br-ex")),
              (std::vector<std::string>{"table=0, priority=0 actions=NORMAL"}));
}

TEST_F(AgentsTest, BridgesPortsTagsAndTunnelOptions) {
    bootInstance1(false);
    EXPECT_EQ(portsOf(*network, "br-int"),
              (std::vector<std::string>{"patch-tun#1", "tap78dd7f1e-53#2 tag=9",
                                        "taped034aae-11#3 tag=8", "tap708ee330-0c#4 tag=11",
                                        "qr-d8fd27a6-d1#5 tag=9", "qr-09208a89-0b#6 tag=8",
                                        "qr-4debe62b-e4#7 tag=11", "br-int#65534"}));
    EXPECT_EQ(portsOf(*network, "br-tun"),
              (std::vector<std::string>{"patch-int#1", "gre-0a0a648c#2", "br-tun#65534"}));
    EXPECT_EQ(portsOf(*network, "br-ex"),
              (std::vector<std::string>{"eth2#1", "qg-6f726a6c-41#2", "br-ex#65534"}));
    EXPECT_EQ(portsOf(*compute, "br-int"),
              (std::vector<std::string>{"patch-tun#1", "qvo8cbe7bb6-18#2 tag=4", "br-int#65534"}));
    EXPECT_EQ(portsOf(*compute, "br-tun"),
              (std::vector<std::string>{"patch-int#1", "gre-0a0a648b#2", "br-tun#65534"}));
    const engine::BridgePort* gre = network->ovsBridge("br-tun")->portByName("gre-0a0a648c");
    ASSERT_NE(gre, nullptr);
    EXPECT_EQ(gre->config.type, engine::PortType::Gre);
    EXPECT_EQ(gre->config.remoteIp, ip("10.10.100.140").toU32());
    EXPECT_EQ(gre->config.localIp, ip("10.10.100.139").toU32());
    EXPECT_FALSE(gre->config.inKey.has_value());
    EXPECT_FALSE(gre->config.outKey.has_value());
    EXPECT_EQ(compute->device("br-int")->mac(), mac("d2:2d:3d:fc:72:44").toU64());
    EXPECT_EQ(compute->device("ovs-system")->mac(), mac("e6:c2:4f:85:74:3b").toU64());
    EXPECT_EQ(compute->device("eth0")->mac(), mac("00:0c:29:07:13:bf").toU64());
    EXPECT_EQ(compute->device("eth1")->mac(), mac("00:0c:29:07:13:c9").toU64());
    EXPECT_EQ(agents.localVlan("network", kPrivate1), 9);
    EXPECT_EQ(agents.localVlan("network", kPrivate2), 8);
    EXPECT_EQ(agents.localVlan("network", kPrivate3), 11);
    EXPECT_EQ(agents.localVlan("compute", kPrivate1), 4);
    EXPECT_EQ(agents.localVlan("compute", kPrivate2), std::nullopt);
    EXPECT_EQ(agents.localVlan("network", kExternal), std::nullopt);
}

TEST_F(AgentsTest, NamespacesAddressesAndRoutes) {
    EXPECT_EQ(namespaces(*network),
              (std::vector<std::string>{"qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4",
                                        "qdhcp-70f7aa46-b66b-455e-896e-05f94a08fcb8",
                                        "qdhcp-4e3f621f-d6b9-4438-be58-aa51d3c2e061",
                                        "qrouter-040c1455-6096-4806-ba91-fec64cdaed81"}));
    EXPECT_TRUE(namespaces(*compute).empty());
    engine::NetNamespace* qr = network->netns("qrouter-040c1455-6096-4806-ba91-fec64cdaed81");
    ASSERT_NE(qr, nullptr);
    std::vector<std::string> addrs;
    for (const engine::InterfaceAddress& a : qr->addresses()) {
        addrs.push_back(a.device + " " +
                        Ipv4Address(a.address).toString() + "/" + std::to_string(a.prefixLength));
    }
    EXPECT_EQ(addrs, (std::vector<std::string>{"qr-d8fd27a6-d1 10.10.10.1/24",
                                               "qr-09208a89-0b 10.10.20.1/24",
                                               "qr-4debe62b-e4 10.10.30.1/24",
                                               "qg-6f726a6c-41 192.168.0.2/24"}));
    EXPECT_TRUE(qr->ipForward());
    auto def = qr->lookupRoute(ip("8.8.8.8").toU32());
    ASSERT_TRUE(def.has_value());
    EXPECT_EQ(def->gateway, ip("192.168.0.1").toU32());
    EXPECT_EQ(def->device, "qg-6f726a6c-41");
    ASSERT_NE(agents.nat(kRouter), nullptr);
    EXPECT_EQ(agents.nat(kRouter)->rulesText().find("-s 10.10.30.0/24 -j SNAT --to-source 192.168.0.2") !=
                  std::string::npos,
              true)
        << agents.nat(kRouter)->rulesText();
    engine::NetNamespace* dhcp = network->netns("qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4");
    ASSERT_NE(dhcp, nullptr);
    ASSERT_EQ(dhcp->addresses().size(), 1u);
    EXPECT_EQ(dhcp->addresses()[0].address, ip("10.10.10.2").toU32());
    EXPECT_EQ(network->device("tap78dd7f1e-53", dhcp)->mac(), mac("fa:16:3e:3c:54:50").toU64());
    // The upstream router.
    ASSERT_NE(agents.outsideNode(), nullptr);
    ASSERT_EQ(agents.outsideNode()->root().addresses().size(), 1u);
    EXPECT_EQ(agents.outsideNode()->root().addresses()[0].address, ip("192.168.0.1").toU32());
}

TEST_F(AgentsTest, DhcpServerListsEveryPortOfItsNetwork) {
    engine::DhcpServer* s = agents.dhcpServer(kPrivate1);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->config().router, ip("10.10.10.1"));
    EXPECT_EQ(s->config().serverAddress, ip("10.10.10.2"));
    EXPECT_EQ(s->config().interface, "tap78dd7f1e-53");
    auto names = [&] {
        std::vector<std::string> v;
        for (const engine::DhcpHost& h : s->hosts()) {
            v.push_back(h.mac.toString() + "," + h.hostname + "," + h.address.toString());
        }
        return v;
    };
    EXPECT_EQ(names(), (std::vector<std::string>{"fa:16:3e:2a:46:e0,host-10-10-10-1,10.10.10.1"}));
    bootInstance1(false);
    EXPECT_EQ(names(), (std::vector<std::string>{"fa:16:3e:2a:46:e0,host-10-10-10-1,10.10.10.1",
                                                 "fa:16:3e:32:28:af,host-10-10-10-7,10.10.10.7"}));
    // Deleting the instance deletes its port (the Cloud erases it without portDeleted).
    ASSERT_TRUE(agents.instanceDeleted(state.instances["id-instance1"]).ok());
    EXPECT_EQ(names(), (std::vector<std::string>{"fa:16:3e:2a:46:e0,host-10-10-10-1,10.10.10.1"}));
    state.ports.erase(kInstance1Port);
    // An unbound port that goes through portDeleted.
    addPort(makePort("0c0c0c0c-0000", kPrivate1, "dcdd699a-c4b0-4360-9219-c62cb6ed0b3e",
                     "fa:16:3e:00:00:33", "10.10.10.33", "", "", ""));
    EXPECT_EQ(names().size(), 2u);
    ASSERT_TRUE(agents.portDeleted(state.ports["0c0c0c0c-0000"]).ok());
    state.ports.erase("0c0c0c0c-0000");
    EXPECT_EQ(names(), (std::vector<std::string>{"fa:16:3e:2a:46:e0,host-10-10-10-1,10.10.10.1"}));
}

TEST_F(AgentsTest, HybridPlugDevicesInTheArticlesIfindexOrder) {
    const std::vector<std::string> before = deviceNames(*compute);
    EXPECT_EQ(before, (std::vector<std::string>{"eth0", "eth1", "ovs-system", "br-int", "br-tun",
                                                "virbr0"}));
    EXPECT_FALSE(compute->device("ovs-system")->isUp());
    const std::vector<std::string> networkDevices = deviceNames(*network);
    EXPECT_EQ(std::vector<std::string>(networkDevices.begin(), networkDevices.begin() + 7),
              (std::vector<std::string>{"eth0", "eth1", "eth2", "ovs-system", "br-ex", "br-int",
                                        "br-tun"}));
    bootInstance1(false);
    auto idx = [&](const char* n) { return compute->device(n)->ifindex(); };
    EXPECT_LT(idx("qbr8cbe7bb6-18"), idx("qvo8cbe7bb6-18"));
    EXPECT_LT(idx("qvo8cbe7bb6-18"), idx("qvb8cbe7bb6-18"));
    EXPECT_LT(idx("qvb8cbe7bb6-18"), idx("tap8cbe7bb6-18"));
    EXPECT_EQ(compute->device("qvb8cbe7bb6-18")->peerIfindex(), idx("qvo8cbe7bb6-18"));
    EXPECT_EQ(compute->device("tap8cbe7bb6-18")->mac(), mac("fe:16:3e:32:28:af").toU64());
    EXPECT_EQ(compute->device("qvo8cbe7bb6-18")->mac(), mac("a6:98:52:ef:b1:0e").toU64());
    engine::LinuxBridge* qbr = compute->linuxBridge("qbr8cbe7bb6-18");
    ASSERT_NE(qbr, nullptr);
    EXPECT_EQ(qbr->bridgeIdText(), "8000.1a8e57f27d11");
    EXPECT_FALSE(qbr->stpEnabled());
    std::vector<std::string> ifs;
    for (const engine::NetDevice* d : qbr->interfaces()) ifs.push_back(d->name());
    EXPECT_EQ(ifs, (std::vector<std::string>{"qvb8cbe7bb6-18", "tap8cbe7bb6-18"}));
    engine::LinuxBridge* virbr = compute->linuxBridge("virbr0");
    ASSERT_NE(virbr, nullptr);
    EXPECT_TRUE(virbr->stpEnabled());
    EXPECT_EQ(virbr->bridgeIdText(), "8000.000000000000");
    EXPECT_EQ(compute->device("virbr0")->mac(), mac("6a:cc:bc:f5:91:be").toU64());
    engine::Vm* vm = agents.vm("instance1");
    ASSERT_NE(vm, nullptr);
    ASSERT_EQ(vm->nics().size(), 1u);
    EXPECT_EQ(vm->nics()[0]->name(), "eth0");
    EXPECT_EQ(vm->nics()[0]->mac(), mac("fa:16:3e:32:28:af").toU64());
}

TEST_F(AgentsTest, Instance1GetsItsAddressPingsAndTable20LearnsTheSeedsFlows) {
    bootInstance1();
    lab.clock().advance(5 * kSecond);
    engine::Vm* vm = agents.vm("instance1");
    ASSERT_NE(vm, nullptr);
    ASSERT_EQ(vm->dhcpClient()->state(), engine::DhcpClientState::Bound)
        << ::testing::PrintToString(vm->console());
    ASSERT_EQ(vm->netns().addresses().size(), 1u);
    EXPECT_EQ(vm->netns().addresses()[0].address, ip("10.10.10.7").toU32());
    EXPECT_EQ(vm->netns().addresses()[0].prefixLength, 24);
    // The DHCP exchange's learned flows expire (hard_timeout=300) before the article's pings.
    lab.clock().advance(301 * kSecond);
    EXPECT_TRUE(learnedTable20(*compute->ovsBridge("br-tun")).empty());
    EXPECT_EQ(ping(*vm, "10.10.10.1", 3).received, 3);
    EXPECT_EQ(ping(*vm, "192.168.0.2", 3).received, 3);
    EXPECT_EQ(learnedTable20(*compute->ovsBridge("br-tun")),
              (std::vector<std::string>{learned(4, "fa:16:3e:2a:46:e0", 1)}));
    EXPECT_EQ(learnedTable20(*network->ovsBridge("br-tun")),
              (std::vector<std::string>{learned(9, "fa:16:3e:32:28:af", 1)}));
    // Step 4: the DHCP server adds a second entry on compute.
    EXPECT_EQ(ping(*vm, "10.10.10.2", 2).received, 2);
    EXPECT_EQ(learnedTable20(*compute->ovsBridge("br-tun")),
              (std::vector<std::string>{learned(4, "fa:16:3e:2a:46:e0", 1),
                                        learned(4, "fa:16:3e:3c:54:50", 1)}));
    // The upstream router answers through SNAT.
    EXPECT_EQ(ping(*vm, "192.168.0.1", 2).received, 2);
    EXPECT_NE(agents.nat(kRouter)->conntrackText().find("src=10.10.10.7"), std::string::npos);
}

TEST_F(AgentsTest, Step6RoutingBetweenNetworksLearnsBothVlansOnBothHosts) {
    bootInstance("instance2", kInstance2Port, kPrivate1, "dcdd699a-c4b0-4360-9219-c62cb6ed0b3e",
                 "fa:16:3e:53:9b:3b", "10.10.10.8");
    bootInstance("instance3", kInstance3Port, kPrivate2, "f380d778-d576-4179-96df-cb3a2618dbd3",
                 "fa:16:3e:cb:91:43", "10.10.20.7");
    EXPECT_EQ(agents.localVlan("compute", kPrivate2), 5);
    lab.clock().advance(400 * kSecond);
    engine::Vm* vm2 = agents.vm("instance2");
    ASSERT_EQ(vm2->netns().addresses().size(), 1u);
    EXPECT_EQ(ping(*vm2, "10.10.20.7", 2).received, 2);
    EXPECT_EQ(learnedTable20(*network->ovsBridge("br-tun")),
              (std::vector<std::string>{learned(8, "fa:16:3e:cb:91:43", 2),
                                        learned(9, "fa:16:3e:53:9b:3b", 1)}));
    EXPECT_EQ(learnedTable20(*compute->ovsBridge("br-tun")),
              (std::vector<std::string>{learned(4, "fa:16:3e:2a:46:e0", 1),
                                        learned(5, "fa:16:3e:79:45:64", 2)}));
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> v;
    for (std::string w; in >> w;) v.push_back(w);
    return v;
}

TEST_F(AgentsTest, DescribeToGivesTheShellNodeInfosAndVmsAndOvsVsctlShowIsTheArticles) {
    bootInstance1(false);
    state.hosts[0].bridgeOrder = {"br-int", "br-tun", "br-ex"};
    state.hosts[0].portOrder = {
        {"br-int", {"patch-tun", "tap78dd7f1e-53", "tap708ee330-0c", "taped034aae-11",
                    "qr-d8fd27a6-d1", "qr-09208a89-0b", "qr-4debe62b-e4", "br-int"}},
        {"br-tun", {"patch-int", "gre-0a0a648c", "br-tun"}},
        {"br-ex", {"eth2", "br-ex", "qg-6f726a6c-41"}}};
    state.hosts[0].netnsOrder = {"qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4"};
    state.hosts[1].ovsUuid = "b5553502-95e4-4ad2-90a6-a3da02d3819d";
    state.hosts[1].bridgeOrder = {"br-tun", "br-int"};
    state.hosts[1].portOrder = {{"br-tun", {"br-tun", "patch-int", "gre-0a0a648b"}},
                                {"br-int", {"patch-tun", "qvo8cbe7bb6-18", "br-int"}}};
    engine::Shell shell(lab);
    agents.describeTo(shell);
    agents.describeTo(shell);  // idempotent
    const engine::NodeInfo& ni = shell.nodeInfo(*network);
    EXPECT_EQ(ni.ovsUuid, "909c85d0-ff4e-446b-bf8a-9166f0fccd24");
    EXPECT_EQ(ni.netnsOrder,
              (std::vector<std::string>{"qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4"}));
    EXPECT_EQ(shell.vms(), (std::vector<engine::Vm*>{agents.vm("instance1")}));
    // The article's `ovs-vsctl show` on both nodes (its line breaks were lost: words compared).
    EXPECT_EQ(words(engine::formatOvsVsctlShow(*network, ni.ovsUuid, ni.ovsVersion, &ni.showOrder)),
              words("909c85d0-ff4e-446b-bf8a-9166f0fccd24 Bridge br-int fail_mode: secure Port "
                    "patch-tun Interface patch-tun type: patch options: {peer=patch-int} Port "
                    "\"tap78dd7f1e-53\" tag: 9 Interface \"tap78dd7f1e-53\" type: internal Port "
                    "\"tap708ee330-0c\" tag: 11 Interface \"tap708ee330-0c\" type: internal Port "
                    "\"taped034aae-11\" tag: 8 Interface \"taped034aae-11\" type: internal Port "
                    "\"qr-d8fd27a6-d1\" tag: 9 Interface \"qr-d8fd27a6-d1\" type: internal Port "
                    "\"qr-09208a89-0b\" tag: 8 Interface \"qr-09208a89-0b\" type: internal Port "
                    "\"qr-4debe62b-e4\" tag: 11 Interface \"qr-4debe62b-e4\" type: internal Port "
                    "br-int Interface br-int type: internal Bridge br-tun Port patch-int Interface "
                    "patch-int type: patch options: {peer=patch-tun} Port \"gre-0a0a648c\" "
                    "Interface \"gre-0a0a648c\" type: gre options: {in_key=flow, "
                    "local_ip=\"10.10.100.139\", out_key=flow, remote_ip=\"10.10.100.140\"} Port "
                    "br-tun Interface br-tun type: internal Bridge br-ex Port \"eth2\" Interface "
                    "\"eth2\" Port br-ex Interface br-ex type: internal Port \"qg-6f726a6c-41\" "
                    "Interface \"qg-6f726a6c-41\" type: internal ovs_version: \"2.0.2\""));
    const engine::NodeInfo& ci = shell.nodeInfo(*compute);
    EXPECT_EQ(words(engine::formatOvsVsctlShow(*compute, ci.ovsUuid, ci.ovsVersion, &ci.showOrder)),
              words("b5553502-95e4-4ad2-90a6-a3da02d3819d Bridge br-tun Port br-tun Interface "
                    "br-tun type: internal Port patch-int Interface patch-int type: patch options: "
                    "{peer=patch-tun} Port \"gre-0a0a648b\" Interface \"gre-0a0a648b\" type: gre "
                    "options: {in_key=flow, local_ip=\"10.10.100.140\", out_key=flow, "
                    "remote_ip=\"10.10.100.139\"} Bridge br-int fail_mode: secure Port patch-tun "
                    "Interface patch-tun type: patch options: {peer=patch-int} Port "
                    "\"qvo8cbe7bb6-18\" tag: 4 Interface \"qvo8cbe7bb6-18\" Port br-int Interface "
                    "br-int type: internal ovs_version: \"2.0.2\""));
}

TEST_F(AgentsTest, VxlanNetworkGetsVxlanPortsAndTable3) {
    state.networks["vx"] = makeNetwork("vx", "vx", NetworkType::Vxlan, 1000);
    addSubnet(makeSubnet("vx-sub", "vx", "10.20.0.0/24", "10.20.0.1"));
    addPort(makePort("vxdhcp-0000-0000", "vx", "vx-sub", "fa:16:3e:00:0a:01", "10.20.0.2",
                     owner::kDhcp, "dhcp", "network"));
    // The lowest VLAN not pinned on the network node.
    EXPECT_EQ(agents.localVlan("network", "vx"), 1);
    EXPECT_EQ(portsOf(*network, "br-tun"),
              (std::vector<std::string>{"patch-int#1", "gre-0a0a648c#2", "vxlan-0a0a648c#3",
                                        "br-tun#65534"}));
    const std::vector<std::string> f = flows(*network->ovsBridge("br-tun"));
    EXPECT_NE(std::find(f.begin(), f.end(), "table=0, priority=1,in_port=3 actions=resubmit(,3)"),
              f.end());
    EXPECT_NE(std::find(f.begin(), f.end(),
                        "table=3, priority=1,tun_id=0x3e8 actions=mod_vlan_vid:1,resubmit(,10)"),
              f.end());
    EXPECT_NE(std::find(f.begin(), f.end(),
                        "table=21, dl_vlan=1 actions=strip_vlan,set_tunnel:0x3e8,output:3"),
              f.end());
    // A VM on compute gets its address over VXLAN.
    bootInstance("vxvm", "vxport-0000-0000", "vx", "vx-sub", "fa:16:3e:00:0a:02", "10.20.0.5");
    EXPECT_NE(compute->ovsBridge("br-tun")->portByName("vxlan-0a0a648b"), nullptr);
    lab.clock().advance(5 * kSecond);
    ASSERT_EQ(agents.vm("vxvm")->netns().addresses().size(), 1u);
    EXPECT_EQ(agents.vm("vxvm")->netns().addresses()[0].address, ip("10.20.0.5").toU32());
}

TEST_F(AgentsTest, FloatingIpIsReachableFromOutside) {
    bootInstance1();
    lab.clock().advance(5 * kSecond);
    FloatingIp f;
    f.id = "fip1";
    f.floatingNetworkId = kExternal;
    f.floatingIpAddress = ip("192.168.0.10");
    f.portId = kInstance1Port;
    f.fixedIpAddress = ip("10.10.10.7");
    f.routerId = kRouter;
    state.floatingIps[f.id] = f;
    ASSERT_TRUE(agents.routerChanged(state.routers[kRouter]).ok());
    engine::PingOptions o;
    o.destination = ip("192.168.0.10").toU32();
    o.count = 2;
    EXPECT_EQ(engine::Ping::run(agents.outsideNode()->root(), o).received, 2);
    // Disassociated: the address and the DNAT go.
    state.floatingIps.erase("fip1");
    ASSERT_TRUE(agents.routerChanged(state.routers[kRouter]).ok());
    engine::NetNamespace* qr = network->netns(std::string("qrouter-") + kRouter);
    EXPECT_FALSE(qr->isLocalAddress(ip("192.168.0.10").toU32()));
    EXPECT_EQ(engine::Ping::run(agents.outsideNode()->root(), o).received, 0);
}

TEST_F(AgentsTest, DeletingTheInstanceRemovesExactlyWhatWasCreated) {
    const std::vector<std::string> devicesBefore = deviceNames(*compute);
    const std::vector<std::string> flowsBefore = flows(*compute->ovsBridge("br-tun"));
    const std::vector<std::string> portsBefore = portsOf(*compute, "br-int");
    bootInstance1();
    lab.clock().advance(5 * kSecond);
    ASSERT_NE(flows(*compute->ovsBridge("br-tun")), flowsBefore);
    ASSERT_TRUE(agents.instanceDeleted(state.instances["id-instance1"]).ok());
    EXPECT_EQ(agents.vm("instance1"), nullptr);
    EXPECT_EQ(deviceNames(*compute), devicesBefore);
    EXPECT_EQ(flows(*compute->ovsBridge("br-tun")), flowsBefore);
    EXPECT_EQ(portsOf(*compute, "br-int"), portsBefore);
    EXPECT_TRUE(namespaces(*compute).empty());
    EXPECT_EQ(compute->linuxBridges().size(), 1u);  // virbr0
    EXPECT_EQ(agents.localVlan("compute", kPrivate1), std::nullopt);
    // The network node keeps private1 (its DHCP and router ports are there).
    EXPECT_EQ(agents.localVlan("network", kPrivate1), 9);
    // Booting again gives the same devices and VLAN.
    lab.clock().advance(400 * kSecond);
    bootInstance1();
    EXPECT_EQ(agents.localVlan("compute", kPrivate1), 4);
    lab.clock().advance(5 * kSecond);
    ASSERT_EQ(agents.vm("instance1")->netns().addresses().size(), 1u);
    EXPECT_EQ(ping(*agents.vm("instance1"), "10.10.10.1", 1).received, 1);
}

TEST_F(AgentsTest, RouterInterfaceRemovalAndRouterDeletion) {
    // Remove private3's interface: its qr- port goes and, with the DHCP port still there,
    // the VLAN stays; then the DHCP port goes too and the VLAN and flows go.
    Router& r = state.routers[kRouter];
    const std::string qr3 = "4debe62b-e44c-47c7-a5e5-b6a11da8d31c";
    ASSERT_TRUE(agents.portDeleted(state.ports[qr3]).ok());
    r.interfacePortIds.erase(std::find(r.interfacePortIds.begin(), r.interfacePortIds.end(), qr3));
    state.ports.erase(qr3);
    ASSERT_TRUE(agents.routerChanged(r).ok());
    EXPECT_EQ(network->ovsBridge("br-int")->portByName("qr-4debe62b-e4"), nullptr);
    EXPECT_EQ(agents.localVlan("network", kPrivate3), 11);
    EXPECT_EQ(agents.nat(kRouter)->rulesText().find("10.10.30.0/24"), std::string::npos)
        << agents.nat(kRouter)->rulesText();
    const std::string dhcp3 = "708ee330-0c8a-41bd-a2f5-271ca9662151";
    ASSERT_TRUE(agents.portDeleted(state.ports[dhcp3]).ok());
    state.ports.erase(dhcp3);
    EXPECT_EQ(agents.localVlan("network", kPrivate3), std::nullopt);
    EXPECT_EQ(network->netns("qdhcp-4e3f621f-d6b9-4438-be58-aa51d3c2e061"), nullptr);
    EXPECT_EQ(agents.dhcpServer(kPrivate3), nullptr);
    EXPECT_EQ(flows(*network->ovsBridge("br-tun")),
              brTun({"table=0, priority=1,in_port=2 actions=resubmit(,2)"},
                    {"table=2, priority=1,tun_id=0x1 actions=mod_vlan_vid:9,resubmit(,10)",
                     "table=2, priority=1,tun_id=0x2 actions=mod_vlan_vid:8,resubmit(,10)"},
                    {"table=21, dl_vlan=9 actions=strip_vlan,set_tunnel:0x1,output:2",
                     "table=21, dl_vlan=8 actions=strip_vlan,set_tunnel:0x2,output:2"}));
    // Router deletion (its ports deleted first, as the Cloud does).
    for (const std::string& id : std::vector<std::string>(r.interfacePortIds)) {
        ASSERT_TRUE(agents.portDeleted(state.ports[id]).ok());
        r.interfacePortIds.erase(std::find(r.interfacePortIds.begin(), r.interfacePortIds.end(), id));
        state.ports.erase(id);
    }
    ASSERT_TRUE(agents.portDeleted(state.ports[r.gatewayPortId]).ok());
    state.ports.erase(r.gatewayPortId);
    r.gatewayPortId.clear();
    r.gatewayNetworkId.clear();
    EXPECT_EQ(agents.nat(kRouter), nullptr);
    ASSERT_TRUE(agents.routerDeleted(r).ok());
    EXPECT_EQ(network->netns(std::string("qrouter-") + kRouter), nullptr);
    EXPECT_EQ(portsOf(*network, "br-int"),
              (std::vector<std::string>{"patch-tun#1", "tap78dd7f1e-53#2 tag=9",
                                        "taped034aae-11#3 tag=8", "br-int#65534"}));
    EXPECT_EQ(portsOf(*network, "br-ex"),
              (std::vector<std::string>{"eth2#1", "br-ex#65534"}));
}

// ---------------------------------------------------------------- without pins

class AgentsAllocationTest : public ::testing::Test {
protected:
    engine::Lab lab{7};
    TenantState state;
    Agents agents{lab, state};

    void SetUp() override {
        state.hosts.push_back(makeHost("network", HostRole::Network, "192.168.1.10", "10.0.0.10"));
        ASSERT_TRUE(agents.hostAdded(state.hosts.back()).ok());
        state.hosts.push_back(makeHost("compute", HostRole::Compute, "192.168.1.11", "10.0.0.11"));
        ASSERT_TRUE(agents.hostAdded(state.hosts.back()).ok());
        const char* nets[] = {"net-a", "net-b", "net-c"};
        for (int i = 0; i < 3; ++i) {
            const std::string id = nets[i];
            state.networks[id] = makeNetwork(nets[i], nets[i], NetworkType::Gre,
                                             static_cast<std::uint32_t>(100 + i));
            const std::string sub = "sub-" + id;
            const std::string cidr = "10.1." + std::to_string(i) + ".0/24";
            const std::string gw = "10.1." + std::to_string(i) + ".1";
            const std::string dhcpIp = "10.1." + std::to_string(i) + ".2";
            state.subnets[sub] = makeSubnet(sub.c_str(), nets[i], cidr.c_str(), gw.c_str());
            ASSERT_TRUE(agents.subnetChanged(state.subnets[sub]).ok());
            const std::string port = "dhcp-" + id;
            const std::string m = "fa:16:3e:00:00:0" + std::to_string(i);
            state.ports[port] = makePort(port.c_str(), nets[i], sub.c_str(), m.c_str(),
                                         dhcpIp.c_str(), owner::kDhcp, "dhcp", "network");
            Status st = agents.portCreated(state.ports[port]);
            ASSERT_TRUE(st.ok()) << st.error().message;
        }
    }
    Status bootOn(const char* name, const char* net, const char* portId, const char* m,
                  const char* a, const char* host = "compute") {
        const std::string sub = std::string("sub-") + net;
        state.ports[portId] = makePort(portId, net, sub.c_str(), m, a, owner::kCompute, name, host);
        if (Status s = agents.portCreated(state.ports[portId]); !s) return s;
        Instance i;
        i.id = name;
        i.name = name;
        i.hostId = host;
        i.portIds = {portId};
        state.instances[i.id] = i;
        return agents.instanceBooted(state.instances[i.id]);
    }
};

TEST_F(AgentsAllocationTest, DistinctLowestFreeVlansAndNoFlowsWithoutPorts) {
    EXPECT_EQ(agents.localVlan("network", "net-a"), 1);
    EXPECT_EQ(agents.localVlan("network", "net-b"), 2);
    EXPECT_EQ(agents.localVlan("network", "net-c"), 3);
    engine::Node* compute = lab.node("compute");
    // No port on compute: no per-network flow there.
    EXPECT_EQ(flows(*compute->ovsBridge("br-tun")),
              brTun({"table=0, priority=1,in_port=2 actions=resubmit(,2)"}, {}, {}));
    ASSERT_TRUE(bootOn("vm-b", "net-b", "port-b", "fa:16:3e:00:01:01", "10.1.1.5").ok());
    EXPECT_EQ(agents.localVlan("compute", "net-b"), 1);
    EXPECT_EQ(agents.localVlan("compute", "net-a"), std::nullopt);
    EXPECT_EQ(flows(*compute->ovsBridge("br-tun")),
              brTun({"table=0, priority=1,in_port=2 actions=resubmit(,2)"},
                    {"table=2, priority=1,tun_id=0x65 actions=mod_vlan_vid:1,resubmit(,10)"},
                    {"table=21, dl_vlan=1 actions=strip_vlan,set_tunnel:0x65,output:2"}));
    lab.clock().advance(5 * kSecond);
    ASSERT_EQ(agents.vm("vm-b")->netns().addresses().size(), 1u)
        << ::testing::PrintToString(agents.vm("vm-b")->console());
    EXPECT_EQ(agents.vm("vm-b")->netns().addresses()[0].address, ip("10.1.1.5").toU32());
    // Freeing VLAN 2 on the network node makes it the next one allocated there.
    ASSERT_TRUE(agents.portDeleted(state.ports["dhcp-net-b"]).ok());
    EXPECT_EQ(agents.localVlan("network", "net-b"), std::nullopt);
    state.networks["net-d"] = makeNetwork("net-d", "net-d", NetworkType::Gre, 200);
    state.subnets["sub-net-d"] = makeSubnet("sub-net-d", "net-d", "10.1.9.0/24", "10.1.9.1");
    state.ports["dhcp-net-d"] = makePort("dhcp-net-d", "net-d", "sub-net-d",
                                              "fa:16:3e:00:00:09", "10.1.9.2", owner::kDhcp,
                                              "dhcp", "network");
    ASSERT_TRUE(agents.portCreated(state.ports["dhcp-net-d"]).ok());
    EXPECT_EQ(agents.localVlan("network", "net-d"), 2);
}

TEST_F(AgentsAllocationTest, AVlanPinnedToAnotherNetworkIsSkipped) {
    state.hosts.push_back(makeHost("compute2", HostRole::Compute, "192.168.1.12", "10.0.0.12"));
    state.hosts.back().localVlans = {{"net-c", 1}};
    ASSERT_TRUE(agents.hostAdded(state.hosts.back()).ok());
    ASSERT_TRUE(bootOn("vm-a", "net-a", "port-a", "fa:16:3e:00:02:01", "10.1.0.5", "compute2").ok());
    EXPECT_EQ(agents.localVlan("compute2", "net-a"), 2);
    ASSERT_TRUE(bootOn("vm-c", "net-c", "port-c", "fa:16:3e:00:02:02", "10.1.2.5", "compute2").ok());
    EXPECT_EQ(agents.localVlan("compute2", "net-c"), 1);
}

TEST_F(AgentsAllocationTest, ANewHostsTunnelJoinsEveryFloodFlow) {
    ASSERT_TRUE(bootOn("vm-a", "net-a", "port-a", "fa:16:3e:00:03:01", "10.1.0.5").ok());
    state.hosts.push_back(makeHost("compute2", HostRole::Compute, "192.168.1.12", "10.0.0.12"));
    ASSERT_TRUE(agents.hostAdded(state.hosts.back()).ok());
    engine::Node* network = lab.node("network");
    EXPECT_EQ(flows(*network->ovsBridge("br-tun")),
              brTun({"table=0, priority=1,in_port=2 actions=resubmit(,2)",
                     "table=0, priority=1,in_port=3 actions=resubmit(,2)"},
                    {"table=2, priority=1,tun_id=0x64 actions=mod_vlan_vid:1,resubmit(,10)",
                     "table=2, priority=1,tun_id=0x65 actions=mod_vlan_vid:2,resubmit(,10)",
                     "table=2, priority=1,tun_id=0x66 actions=mod_vlan_vid:3,resubmit(,10)"},
                    {"table=21, dl_vlan=1 actions=strip_vlan,set_tunnel:0x64,output:2,output:3",
                     "table=21, dl_vlan=2 actions=strip_vlan,set_tunnel:0x65,output:2,output:3",
                     "table=21, dl_vlan=3 actions=strip_vlan,set_tunnel:0x66,output:2,output:3"}));
    EXPECT_NE(network->ovsBridge("br-tun")->portByName("gre-0a00000c"), nullptr);
    engine::Node* compute2 = lab.node("compute2");
    EXPECT_EQ(flows(*compute2->ovsBridge("br-tun")),
              brTun({"table=0, priority=1,in_port=2 actions=resubmit(,2)",
                     "table=0, priority=1,in_port=3 actions=resubmit(,2)"},
                    {}, {}));
    // A VM on the new host reaches the DHCP server over the new tunnel.
    ASSERT_TRUE(bootOn("vm-a2", "net-a", "port-a2", "fa:16:3e:00:03:02", "10.1.0.6",
                       "compute2").ok());
    lab.clock().advance(5 * kSecond);
    ASSERT_EQ(agents.vm("vm-a2")->netns().addresses().size(), 1u);
    engine::PingOptions o;
    o.destination = ip("10.1.0.5").toU32();
    o.count = 1;
    EXPECT_EQ(agents.vm("vm-a2")->ping(o).received, 1);
}

TEST_F(AgentsAllocationTest, ErrorsLeaveNothingBehind) {
    EXPECT_EQ(agents.hostAdded(state.hosts.front()).error().code, ErrorCode::AlreadyExists);
    Instance i;
    i.id = "x";
    i.name = "x";
    i.hostId = "nowhere";
    EXPECT_EQ(agents.instanceBooted(i).error().code, ErrorCode::NotFound);
    i.hostId = "compute";
    i.portIds = {"no-such-port"};
    EXPECT_EQ(agents.instanceBooted(i).error().code, ErrorCode::NotFound);
    EXPECT_EQ(agents.vm("x"), nullptr);
    EXPECT_TRUE(lab.node("compute")->namespaces().empty());
    EXPECT_EQ(agents.instanceDeleted(i).error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace nlab::model
