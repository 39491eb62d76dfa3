// The seed article's GRE path, at the level of OVS bridges (hosts and namespaces come later):
// compute br-int (qvo tagged 4) -> patch -> br-tun (Icehouse flows) -> GRE over an underlay
// -> network br-tun -> patch -> br-int (qr- and DHCP tap tagged 9), and back.
// Checks the learned table-20 flows of both nodes, exactly as ../shared/seed/SCENARIO.md
// lists them, their counters, their refresh by traffic and their expiry after 300 s.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/codec/flow_extract.h"
#include "engine/codec/frame_compose.h"
#include "engine/codec/tunnel.h"
#include "engine/devices/ovs_bridge.h"
#include "engine/devices/pipeline.h"
#include "engine/flow/ofctl_format.h"
#include "engine/flow/ofctl_parse.h"
#include "engine/packet/addresses.h"
#include "tests/support/seed_flows.h"

namespace nlab::engine {
namespace {

constexpr const char* kVmMac = "fa:16:3e:32:28:af";      // instance1, 10.10.10.7
constexpr const char* kGwMac = "fa:16:3e:2a:46:e0";      // qr-d8fd27a6-d1, 10.10.10.1
constexpr const char* kDhcpMac = "fa:16:3e:3c:54:50";    // tap78dd7f1e-53, 10.10.10.2


/// The seed's br-tun flows with the node's local VLAN for private1 (tun_id 0x1).

struct Node {
    std::string name;
    std::uint32_t ip;
    OvsBridge brInt;
    OvsBridge brTun;
    std::map<std::string, std::vector<std::vector<std::uint8_t>>> delivered;

    Node(std::string n, std::uint32_t ip_, SimClock& clock, EventBus* events)
        : name(std::move(n)), ip(ip_), brInt("br-int", clock, events),
          brTun("br-tun", clock, events) {}

    void vmPort(const std::string& port, std::uint16_t tag) {
        ASSERT_TRUE(brInt.addPort({.name = port, .tag = tag}).ok());
        ASSERT_TRUE(brInt.setPortSink(port, [this, port](Packet&& p) {
                             delivered[port].push_back(p.data());
                         }).ok());
    }
};

std::uint32_t ip(const char* s) { return Ipv4Address::parse(s)->toU32(); }

class SeedPathTest : public ::testing::Test {
protected:
    SimClock clock;
    EventBus events;
    Node compute{"compute", ip("10.10.100.140"), clock, &events};
    Node network{"network", ip("10.10.100.139"), clock, &events};
    std::vector<std::vector<std::uint8_t>> underlayFrames;  // every outer frame on the wire

    void SetUp() override {
        setUpNode(compute, network, 4);
        setUpNode(network, compute, 9);
        compute.vmPort("qvo8cbe7bb6-18", 4);
        network.vmPort("qr-d8fd27a6-d1", 9);
        network.vmPort("tap78dd7f1e-53", 9);
    }

    void setUpNode(Node& n, Node& peer, int vlan) {
        ASSERT_TRUE(n.brInt.addPort({.name = "patch-tun", .type = PortType::Patch,
                                     .ofportRequest = 1, .peer = "patch-int"}).ok());
        ASSERT_TRUE(n.brTun.addPort({.name = "patch-int", .type = PortType::Patch,
                                     .ofportRequest = 1, .peer = "patch-tun"}).ok());
        char greName[32];
        std::snprintf(greName, sizeof greName, "gre-%08x", peer.ip);
        ASSERT_TRUE(n.brTun.addPort({.name = greName, .type = PortType::Gre, .ofportRequest = 2,
                                     .remoteIp = peer.ip, .localIp = n.ip}).ok());
        ASSERT_TRUE(OvsBridge::connectPatch(n.brInt, "patch-tun", n.brTun, "patch-int").ok());
        // The Icehouse agent's br-int: one NORMAL rule.
        n.brInt.addFlowsText("priority=1,actions=normal\n");
        n.brTun.addFlowsText(testing::seedBrTunFlows(vlan), "icehouse-br-tun.flows");
        TunnelUnderlay u;
        u.localIp = n.ip;
        u.resolve = [](std::uint32_t local, std::uint32_t remote) {
            return std::optional(std::make_pair(0x000c29000000ULL | (local & 0xffffff),
                                                0x000c29000000ULL | (remote & 0xffffff)));
        };
        u.transmit = [this, &peer](Packet&& outer) {
            underlayFrames.push_back(outer.data());
            EXPECT_TRUE(peer.brTun.receiveTunnelFrame(outer));
        };
        n.brTun.setTunnelUnderlay(std::move(u));
    }

    /// A frame with the given headers; ICMP carries ping's 56 bytes (a 98-byte frame).
    static Packet frame(const std::string& spec) {
        const FlowKey key = parseMatch(spec).key;
        return Packet(composeFrame(key, key.nw_proto == ip_proto::kIcmp ? 56 : 0));
    }

    std::vector<std::string> table20(Node& n) {
        std::vector<std::string> out;
        if (const FlowTable* t = n.brTun.findTable(20)) {
            for (const FlowEntry* e : t->entries()) {
                if (e->learned) {
                    out.push_back("hard_timeout=" + std::to_string(e->spec.hardTimeout) + ", " +
                                  formatMatch(e->spec.match, e->spec.priority) +
                                  " actions=" + formatActions(e->spec.actions));
                }
            }
        }
        return out;
    }

    static std::string learned(int vlan, const char* mac, int tunId) {
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "hard_timeout=300, priority=1,vlan_tci=0x%04x/0x0fff,dl_dst=%s "
                      "actions=load:0->NXM_OF_VLAN_TCI[],load:0x%x->NXM_NX_TUN_ID[],output:2",
                      vlan, mac, tunId);
        return buf;
    }

    /// instance1 ARPs for 'ipAddr', the owner answers from 'port' with 'mac'.
    void arpExchange(const char* ipAddr, const char* port, const char* mac) {
        compute.brInt.receive(*compute.brInt.resolvePort("qvo8cbe7bb6-18"),
                              frame(std::string("arp,dl_src=") + kVmMac +
                                    ",dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=10.10.10.7,"
                                    "arp_tpa=" + ipAddr + ",arp_sha=" + kVmMac));
        network.brInt.receive(*network.brInt.resolvePort(port),
                              frame(std::string("arp,dl_src=") + mac + ",dl_dst=" + kVmMac +
                                    ",arp_op=2,arp_spa=" + ipAddr +
                                    ",arp_tpa=10.10.10.7,arp_sha=" + mac + ",arp_tha=" + kVmMac));
    }

    void ping(const char* dstIp, const char* dstMac, const char* port) {
        compute.brInt.receive(*compute.brInt.resolvePort("qvo8cbe7bb6-18"),
                              frame(std::string("icmp,dl_src=") + kVmMac + ",dl_dst=" + dstMac +
                                    ",nw_src=10.10.10.7,nw_dst=" + dstIp +
                                    ",nw_ttl=64,icmp_type=8"));
        network.brInt.receive(*network.brInt.resolvePort(port),
                              frame(std::string("icmp,dl_src=") + dstMac + ",dl_dst=" + kVmMac +
                                    ",nw_src=" + dstIp + ",nw_dst=10.10.10.7,nw_ttl=64,icmp_type=0"));
    }
};

TEST_F(SeedPathTest, BroadcastReachesTheNetworkNodeInItsVlanThroughGreKey1) {
    compute.brInt.receive(*compute.brInt.resolvePort("qvo8cbe7bb6-18"),
                          frame(std::string("arp,dl_src=") + kVmMac +
                                ",dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=10.10.10.7,"
                                "arp_tpa=10.10.10.1,arp_sha=" + kVmMac));
    // One GRE frame, key 0x1, 10.10.100.140 -> 10.10.100.139, untagged inner ARP.
    ASSERT_EQ(underlayFrames.size(), 1u);
    auto d = decapsulate(underlayFrames[0]);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->kind, Decapsulated::Kind::Gre);
    EXPECT_EQ(d->key, 0x1u);
    EXPECT_EQ(d->outerSrc, ip("10.10.100.140"));
    EXPECT_EQ(d->outerDst, ip("10.10.100.139"));
    EXPECT_EQ(extractFlowKey(d->inner, 0).vlan_tci, 0);
    // Both VLAN-9 ports on the network node get it, untagged.
    ASSERT_EQ(network.delivered["qr-d8fd27a6-d1"].size(), 1u);
    ASSERT_EQ(network.delivered["tap78dd7f1e-53"].size(), 1u);
    EXPECT_EQ(extractFlowKey(network.delivered["qr-d8fd27a6-d1"][0], 0).vlan_tci, 0);
    // The network node learned where the VM is; the compute node has learned nothing yet.
    EXPECT_EQ(table20(network), (std::vector<std::string>{learned(9, kVmMac, 1)}));
    EXPECT_TRUE(table20(compute).empty());
}

TEST_F(SeedPathTest, PingingGatewayAndDhcpServerLearnsExactlyTheSeedsFlows) {
    arpExchange("10.10.10.1", "qr-d8fd27a6-d1", kGwMac);
    ping("10.10.10.1", kGwMac, "qr-d8fd27a6-d1");
    // Step 2 of SCENARIO.md.
    EXPECT_EQ(table20(compute), (std::vector<std::string>{learned(4, kGwMac, 1)}));
    EXPECT_EQ(table20(network), (std::vector<std::string>{learned(9, kVmMac, 1)}));
    ASSERT_EQ(compute.delivered["qvo8cbe7bb6-18"].size(), 2u);  // ARP reply + echo reply

    // Step 4: pinging the DHCP server adds a second compute entry.
    arpExchange("10.10.10.2", "tap78dd7f1e-53", kDhcpMac);
    ping("10.10.10.2", kDhcpMac, "tap78dd7f1e-53");
    EXPECT_EQ(table20(compute),
              (std::vector<std::string>{learned(4, kGwMac, 1), learned(4, kDhcpMac, 1)}));

    // The learned gateway entry forwarded the echo request and the unicast ARP... counters.
    const FlowEntry* gw = compute.brTun.findTable(20)->entries()[1];
    ASSERT_TRUE(gw->learned);
    EXPECT_EQ(gw->nPackets, 1u);       // the echo request (the ARP request was broadcast)
    // Rules count the frame as it entered the datapath (untagged, at qvo), as OVS does.
    EXPECT_EQ(gw->nBytes, 98u);

    // The dump shows the seed's line shape, with stats.
    std::vector<const FlowEntry*> entries;
    for (const FlowEntry* e : compute.brTun.findTable(20)->entries()) entries.push_back(e);
    const std::string dump = formatDumpFlows(entries, clock.now(), FormatOptions{});
    EXPECT_NE(dump.find("table=20, n_packets=1, n_bytes=98, hard_timeout=300, idle_age=0, "
                        "priority=1,vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0 "
                        "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2"),
              std::string::npos)
        << dump;
}

TEST_F(SeedPathTest, LearnedFlowsRefreshWithTrafficAndExpire300SecondsAfterTheLast) {
    arpExchange("10.10.10.1", "qr-d8fd27a6-d1", kGwMac);
    EXPECT_EQ(table20(compute).size(), 1u);
    clock.advance(200 * kSecond);
    ping("10.10.10.1", kGwMac, "qr-d8fd27a6-d1");  // the reply re-teaches the compute node
    const FlowEntry* e = compute.brTun.findTable(20)->entries()[1];
    EXPECT_EQ(e->created, 0);
    EXPECT_EQ(e->modified, 200 * kSecond);
    clock.advance(299 * kSecond);
    EXPECT_EQ(table20(compute).size(), 1u);
    EXPECT_TRUE(table20(network).size() == 1u);
    clock.advance(1 * kSecond);
    EXPECT_TRUE(table20(compute).empty());
    EXPECT_TRUE(table20(network).empty());
    // The permanent rules are untouched: 12 seed rules remain on each br-tun.
    std::size_t n = 0;
    for (const FlowTable* t : compute.brTun.tables()) n += t->size();
    EXPECT_EQ(n, 12u);
}

TEST_F(SeedPathTest, VmsOnTheSameNetworkAndHostNeverTouchBrTun) {
    compute.vmPort("qvodd2c3906-f8", 4);  // instance2
    compute.brInt.receive(*compute.brInt.resolvePort("qvo8cbe7bb6-18"),
                          frame(std::string("arp,dl_src=") + kVmMac +
                                ",dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=10.10.10.7,"
                                "arp_tpa=10.10.10.8,arp_sha=" + kVmMac));
    underlayFrames.clear();
    compute.brInt.receive(*compute.brInt.resolvePort("qvodd2c3906-f8"),
                          frame(std::string("arp,dl_src=fa:16:3e:53:9b:3b,dl_dst=") + kVmMac +
                                ",arp_op=2,arp_spa=10.10.10.8,arp_tpa=10.10.10.7"));
    EXPECT_TRUE(underlayFrames.empty());
    EXPECT_EQ(compute.delivered["qvo8cbe7bb6-18"].size(), 1u);
    EXPECT_EQ(compute.brTun.portByName("patch-int")->rxPackets, 1u);  // only the broadcast
}

}  // namespace
}  // namespace nlab::engine
