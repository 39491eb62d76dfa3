// OvsBridge and Pipeline: ports, NORMAL, resubmit limits, header rewrites, patch ports,
// learn, timeouts and events. The seed article's two-node GRE path is in seed_path_test.cpp.
#include "engine/devices/ovs_bridge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/codec/flow_extract.h"
#include "engine/codec/frame_compose.h"
#include "engine/codec/ipv4.h"
#include "engine/devices/pipeline.h"
#include "engine/flow/ofctl_format.h"
#include "engine/flow/ofctl_parse.h"
#include "engine/packet/addresses.h"

namespace nlab::engine {
namespace {

std::vector<std::uint8_t> frameOf(std::string_view spec) {
    return composeFrame(parseMatch(spec).key);
}

/// A bridge whose ports record what they output.
struct Rig {
    SimClock clock;
    EventBus events;
    OvsBridge br{"br0", clock, &events};
    std::map<std::string, std::vector<std::vector<std::uint8_t>>> out;

    std::uint32_t add(PortConfig c) {
        const std::string name = c.name;
        auto r = br.addPort(std::move(c));
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        EXPECT_TRUE(br.setPortSink(name, [this, name](Packet&& p) {
                          out[name].push_back(p.data());
                      }).ok());
        return r.value();
    }
    std::uint32_t add(std::string name, std::optional<std::uint16_t> tag = {},
                      std::vector<std::uint16_t> trunks = {}) {
        PortConfig c;
        c.name = std::move(name);
        c.tag = tag;
        c.trunks = std::move(trunks);
        return add(std::move(c));
    }
    PacketResult send(std::string_view port, std::string_view spec) {
        Packet p(frameOf(spec));
        return br.receive(*br.resolvePort(port), std::move(p), true);
    }
    std::size_t count(const std::string& port) { return out[port].size(); }
    FlowKey lastKey(const std::string& port) {
        return extractFlowKey(out[port].back(), 0);
    }
};

TEST(OvsBridgeTest, PortNumbersFollowOvs) {
    Rig r;
    EXPECT_EQ(r.add("a"), 1u);
    EXPECT_EQ(r.add("b"), 2u);
    PortConfig c;
    c.name = "c";
    c.ofportRequest = 10;
    EXPECT_EQ(r.add(c), 10u);
    EXPECT_EQ(r.br.portByName("br0")->ofport, ofp::kLocal);

    auto dupName = r.br.addPort(PortConfig{.name = "a"});
    ASSERT_FALSE(dupName.ok());
    EXPECT_EQ(dupName.error().code, ErrorCode::AlreadyExists);
    auto dupNo = r.br.addPort(PortConfig{.name = "d", .ofportRequest = 2});
    ASSERT_FALSE(dupNo.ok());
    EXPECT_EQ(dupNo.error().code, ErrorCode::AlreadyExists);
    auto badTag = r.br.addPort(PortConfig{.name = "e", .tag = 4096});
    ASSERT_FALSE(badTag.ok());
    EXPECT_EQ(badTag.error().code, ErrorCode::InvalidArgument);
    auto greNoRemote = r.br.addPort(PortConfig{.name = "g", .type = PortType::Gre});
    ASSERT_FALSE(greNoRemote.ok());
    EXPECT_EQ(greNoRemote.error().message, "g: gre type requires 'remote_ip' argument");

    // Freed numbers are not reused at once; the counter moves on.
    EXPECT_TRUE(r.br.deletePort("b").ok());
    EXPECT_EQ(r.add("f"), 11u);
    EXPECT_EQ(r.br.deletePort("nope").error().code, ErrorCode::NotFound);
    EXPECT_EQ(r.br.resolvePort("LOCAL"), ofp::kLocal);
    EXPECT_EQ(r.br.resolvePort("normal"), ofp::kNormal);
    EXPECT_EQ(r.br.resolvePort("10"), 10u);
    EXPECT_EQ(r.br.resolvePort("f"), 11u);
    EXPECT_EQ(r.br.resolvePort("zz"), std::nullopt);
}

TEST(OvsBridgeTest, SecureBridgeWithoutFlowsDropsAndSaysWhy) {
    Rig r;
    r.add("a");
    r.add("b");
    PacketResult res = r.send("a", "arp,dl_src=00:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff");
    EXPECT_TRUE(res.dropped);
    EXPECT_EQ(res.dropReason, "no match in table 0 and no controller: drop (fail_mode secure)");
    EXPECT_EQ(r.count("b"), 0u);
    EXPECT_EQ(r.br.port(1)->rxPackets, 1u);
}

TEST(OvsBridgeTest, StandaloneBridgeHasVisibleNormalRule) {
    SimClock clock;
    OvsBridge br("br-sa", clock, nullptr, OvsBridge::FailMode::Standalone);
    ASSERT_EQ(br.tables().size(), 1u);
    auto entries = br.tables()[0]->entries();
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(formatMatch(entries[0]->spec.match, entries[0]->spec.priority), "priority=0");
    EXPECT_EQ(formatActions(entries[0]->spec.actions), "NORMAL");
}

TEST(OvsBridgeTest, NormalSwitchesWithinVlansLearnsAndAges) {
    Rig r;
    r.br.addFlowsText("priority=0,actions=NORMAL\n");
    r.add("a4", 4);         // access VLAN 4
    r.add("b4", 4);         // access VLAN 4
    r.add("c5", 5);         // access VLAN 5
    r.add("trunk");         // all VLANs
    r.add("t5", {}, {5});   // trunk carrying only VLAN 5

    // Broadcast from a4: floods VLAN 4 only — b4 untagged, trunk tagged 4, LOCAL.
    r.send("a4", "arp,dl_src=fa:16:3e:00:00:0a,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1");
    EXPECT_EQ(r.count("b4"), 1u);
    EXPECT_EQ(r.count("c5"), 0u);
    EXPECT_EQ(r.count("t5"), 0u);
    ASSERT_EQ(r.count("trunk"), 1u);
    EXPECT_EQ(r.lastKey("b4").vlan_tci, 0);
    EXPECT_EQ(r.lastKey("trunk").vlan_tci, kVlanCfi | 4);

    // The reply from b4 to a4's MAC goes to a4 only (learned), untagged.
    r.send("b4", "arp,dl_src=fa:16:3e:00:00:0b,dl_dst=fa:16:3e:00:00:0a,arp_op=2");
    EXPECT_EQ(r.count("a4"), 1u);
    EXPECT_EQ(r.count("trunk"), 1u);
    EXPECT_EQ(r.lastKey("a4").vlan_tci, 0);

    // The MAC table holds both, in VLAN 4.
    auto macs = r.br.macTable();
    ASSERT_EQ(macs.size(), 2u);
    EXPECT_EQ(r.br.formatFdb(),
              " port  VLAN  MAC                Age\n"
              "    1     4  fa:16:3e:00:00:0a    0\n"
              "    2     4  fa:16:3e:00:00:0b    0\n");

    // A tagged frame on an access port is dropped, as OVS does.
    PacketResult res = r.send("a4", "arp,dl_vlan=7,dl_src=fa:16:3e:00:00:0a,dl_dst=ff:ff:ff:ff:ff:ff");
    EXPECT_TRUE(res.dropped);
    EXPECT_EQ(res.dropReason,
              "dropping VLAN 7 tagged packet received on port a4 configured as VLAN 4 access port");

    // A trunk frame in VLAN 5 reaches c5 (untagged) and t5 (tagged), not VLAN 4 ports.
    r.send("trunk", "arp,dl_vlan=5,dl_src=fa:16:3e:00:00:0c,dl_dst=ff:ff:ff:ff:ff:ff");
    EXPECT_EQ(r.count("c5"), 1u);
    ASSERT_EQ(r.count("t5"), 1u);
    EXPECT_EQ(r.lastKey("t5").vlan_tci, kVlanCfi | 5);
    EXPECT_EQ(r.count("b4"), 1u);
    // VLAN 4 is not carried by t5: a VLAN 4 frame from it is dropped.
    res = r.send("t5", "arp,dl_vlan=4,dl_src=fa:16:3e:00:00:0d,dl_dst=ff:ff:ff:ff:ff:ff");
    EXPECT_TRUE(res.dropped);

    // After 300 s without traffic the entries age out and unicast floods again.
    r.clock.advance(300 * kSecond);
    EXPECT_TRUE(r.br.macTable().empty());
    r.send("b4", "arp,dl_src=fa:16:3e:00:00:0b,dl_dst=fa:16:3e:00:00:0a,arp_op=2");
    EXPECT_EQ(r.count("a4"), 2u);
    EXPECT_EQ(r.count("trunk"), 2u);
}

TEST(OvsBridgeTest, ResubmitLoopsEndWithAnErrorNotAHang) {
    Rig r;
    r.add("a");
    r.add("b");
    r.br.addFlowsText("table=0,actions=output:2,resubmit(,0)\n");
    PacketResult res = r.send("a", "arp");
    EXPECT_TRUE(res.error);
    EXPECT_EQ(res.dropReason, "over max translation depth 64");
    EXPECT_EQ(r.count("b"), 0u);  // OVS discards all actions of a failed translation

    // Breadth: every table resubmits twice to the next: 2^13 lookups > 4096 resubmits.
    Rig w;
    w.add("a");
    std::string flows;
    for (int t = 0; t < 13; ++t) {
        flows += "table=" + std::to_string(t) + ",actions=resubmit(," + std::to_string(t + 1) +
                 "),resubmit(," + std::to_string(t + 1) + ")\n";
    }
    w.br.addFlowsText(flows);
    res = w.send("a", "arp");
    EXPECT_TRUE(res.error);
    EXPECT_EQ(res.dropReason, "over 4096 resubmit actions on bridge br0");
}

TEST(OvsBridgeTest, HeaderRewritesReachTheWireWithValidChecksums) {
    Rig r;
    r.add("a");
    r.add("b");
    r.br.addFlowsText(
        "in_port=1,ip,actions=mod_dl_src:02:00:00:00:00:01,mod_nw_dst:192.168.0.9,dec_ttl,"
        "mod_vlan_vid:42,output:2\n");
    r.send("a", "udp,dl_src=fa:16:3e:00:00:01,dl_dst=fa:16:3e:00:00:02,nw_src=10.0.0.1,"
                "nw_dst=10.0.0.2,nw_ttl=64,tp_src=1000,tp_dst=53");
    ASSERT_EQ(r.count("b"), 1u);
    const auto& bytes = r.out["b"][0];
    FlowKey k = extractFlowKey(bytes, 0);
    EXPECT_EQ(k.dl_src, 0x020000000001ULL);
    EXPECT_EQ(k.nw_dst, Ipv4Address::fromOctets(192, 168, 0, 9).toU32());
    EXPECT_EQ(k.nw_ttl, 63);
    EXPECT_EQ(k.vlan_tci, kVlanCfi | 42);
    EXPECT_EQ(k.tp_dst, 53);
    // IPv4 header checksum of the rewritten header verifies (after the 802.1Q tag).
    EXPECT_EQ(internetChecksum(std::span(bytes).subspan(18, 20)), 0);
}

TEST(OvsBridgeTest, DecTtlAtOneDropsAndStopsTheActionList) {
    Rig r;
    r.add("a");
    r.add("b");
    r.add("c");
    r.br.addFlowsText("in_port=1,actions=output:3,dec_ttl,output:2\n");
    PacketResult res = r.send("a", "icmp,nw_ttl=1,icmp_type=8");
    EXPECT_EQ(r.count("c"), 1u);
    EXPECT_EQ(r.count("b"), 0u);
    EXPECT_FALSE(res.dropped);
}

TEST(OvsBridgeTest, PatchPortsClearMetadataAndRecommitAfterReturn) {
    SimClock clock;
    OvsBridge b1("b1", clock, nullptr), b2("b2", clock, nullptr);
    ASSERT_TRUE(b1.addPort({.name = "in", .ofportRequest = 1}).ok());
    ASSERT_TRUE(b1.addPort({.name = "out1", .ofportRequest = 2}).ok());
    ASSERT_TRUE(b1.addPort({.name = "p1", .type = PortType::Patch, .ofportRequest = 3, .peer = "p2"}).ok());
    ASSERT_TRUE(b2.addPort({.name = "p2", .type = PortType::Patch, .ofportRequest = 1, .peer = "p1"}).ok());
    ASSERT_TRUE(b2.addPort({.name = "out2", .ofportRequest = 2}).ok());
    ASSERT_TRUE(OvsBridge::connectPatch(b1, "p1", b2, "p2").ok());
    std::vector<std::vector<std::uint8_t>> o1, o2;
    ASSERT_TRUE(b1.setPortSink("out1", [&](Packet&& p) { o1.push_back(p.data()); }).ok());
    ASSERT_TRUE(b2.setPortSink("out2", [&](Packet&& p) { o2.push_back(p.data()); }).ok());
    // b1 tags, sets reg0 and tun_id, crosses the patch, then outputs again.
    b1.addFlowsText("in_port=1,actions=mod_vlan_vid:7,load:0x5->NXM_NX_REG0[],set_tunnel:0x9,"
                    "output:3,output:2\n");
    // b2 sees in_port 1 with reg0 and tun_id cleared; it strips the tag before output.
    b2.addFlowsText("in_port=1,reg0=0,tun_id=0,dl_vlan=7,actions=strip_vlan,output:2\n");
    Packet p(frameOf("arp,dl_src=fa:16:3e:00:00:01"));
    PacketResult res = b1.receive(1, std::move(p), true);
    ASSERT_EQ(o2.size(), 1u) << formatTrace(res.trace);
    EXPECT_EQ(extractFlowKey(o2[0], 0).vlan_tci, 0);
    // Back in b1 the flow is restored (tag 7) and re-committed onto the stripped frame.
    ASSERT_EQ(o1.size(), 1u);
    EXPECT_EQ(extractFlowKey(o1[0], 0).vlan_tci, kVlanCfi | 7);
    // Commits are lazy, as in OVS: b2's strip_vlan undoes b1's uncommitted mod_vlan_vid, so
    // out2 needs no VLAN action; back in b1 the restored tag is pushed for out1.
    EXPECT_EQ(res.datapathActions,
              (std::vector<std::string>{"out2", "push_vlan(vid=7,pcp=0)", "out1"}));
    EXPECT_EQ(b1.portByName("p1")->txPackets, 1u);
    EXPECT_EQ(b2.portByName("p2")->rxPackets, 1u);
}

TEST(OvsBridgeTest, LearnAddsRefreshesAndExpiresOnTheVirtualClock) {
    Rig r;
    r.add("a");
    r.add("b");
    r.br.addFlowsText(
        "table=0,in_port=1,actions=learn(table=1,hard_timeout=30,idle_timeout=10,"
        "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),output:2\n");
    std::vector<std::string> log;
    r.events.subscribe([&](SimTime t, const Event& e) {
        if (auto* a = std::get_if<FlowAdded>(&e)) {
            log.push_back(std::to_string(t / kSecond) + "s add " +
                          formatMatch(a->entry->spec.match, a->entry->spec.priority) +
                          (a->refreshed ? " (refresh)" : "") + " by packet " +
                          std::to_string(a->packetId));
        } else if (auto* x = std::get_if<FlowRemoved>(&e)) {
            log.push_back(std::to_string(t / kSecond) + "s remove " +
                          std::string(toString(x->reason)));
        }
    });
    Packet p(frameOf("arp,dl_src=fa:16:3e:00:00:01"));
    p.id = 7;
    r.br.receive(1, std::move(p));
    ASSERT_NE(r.br.findTable(1), nullptr);
    ASSERT_EQ(r.br.findTable(1)->size(), 1u);
    FlowEntry* e = r.br.findTable(1)->entries()[0];
    EXPECT_TRUE(e->learned);
    EXPECT_EQ(formatActions(e->spec.actions), "output:1");
    // A second packet 5 s later refreshes it (modified moves, created stays).
    r.clock.advance(5 * kSecond);
    r.br.receive(1, Packet(frameOf("arp,dl_src=fa:16:3e:00:00:01")));
    EXPECT_EQ(e->created, 0);
    EXPECT_EQ(e->modified, 5 * kSecond);
    // Idle time counts from the last hit (or creation), which a refresh does not move (as
    // OVS: a learn refresh only updates 'modified'): never hit, it goes at 10 s.
    r.clock.advance(4 * kSecond);
    EXPECT_EQ(r.br.findTable(1)->size(), 1u);
    r.clock.advance(1 * kSecond);
    EXPECT_EQ(r.br.findTable(1)->size(), 0u);
    EXPECT_EQ(log, (std::vector<std::string>{
                       "0s add dl_dst=fa:16:3e:00:00:01 by packet 7",
                       "5s add dl_dst=fa:16:3e:00:00:01 (refresh) by packet 0",
                       "10s remove idle",
                   }));
}

TEST(OvsBridgeTest, ModFlowsWithoutTableAddsToTableZeroOnlyWhenNothingMatched) {
    Rig r;
    r.add("a");
    r.br.addFlowsText("table=3,priority=5,in_port=1,actions=drop\n");
    // Selects the table-3 rule: its actions change, nothing is added anywhere.
    auto n = r.br.applyFlowMod(parseFlowMod("in_port=1,actions=output:2",
                                            FlowMod::Command::Modify));
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n.value(), 1u);
    EXPECT_EQ(formatActions(r.br.findTable(3)->entries()[0]->spec.actions), "output:2");
    EXPECT_EQ(r.br.findTable(0), nullptr);
    // Selects nothing: one rule appears, in table 0 only (OpenFlow 1.0 modify-as-add).
    n = r.br.applyFlowMod(parseFlowMod("in_port=2,actions=drop", FlowMod::Command::Modify));
    ASSERT_TRUE(n.ok());
    ASSERT_NE(r.br.findTable(0), nullptr);
    EXPECT_EQ(r.br.findTable(0)->size(), 1u);
    EXPECT_EQ(r.br.findTable(3)->size(), 1u);
}

TEST(OvsBridgeTest, PushVlanOnTaggedFrameWarns) {
    // Double tagging is not modelled (one VLAN in FlowKey): the tag stays, the trace says so.
    Rig r;
    r.add("a");
    r.add("b");
    r.br.addFlowsText("in_port=1,actions=push_vlan:0x8100,output:2\n");
    PacketResult res = r.send("a", "udp,dl_vlan=9,dl_vlan_pcp=6");
    ASSERT_EQ(r.count("b"), 1u);
    EXPECT_EQ(r.lastKey("b").vlan_tci, kVlanCfi | 0xc000 | 9);
    EXPECT_NE(formatTrace(res.trace).find(
                  ">> push_vlan on a tagged frame: double tagging is not modelled, tag unchanged"),
              std::string::npos);
    // On an untagged frame it pushes VID 0, PCP 0.
    r.send("a", "udp");
    EXPECT_EQ(r.lastKey("b").vlan_tci, kVlanCfi);
}

TEST(OvsBridgeTest, TraceHasNoSideEffects) {
    Rig r;
    r.add("a");
    r.add("b");
    r.br.addFlowsText(
        "in_port=1,actions=learn(table=1,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),"
        "output:2\n");
    Packet p(frameOf("arp,dl_src=fa:16:3e:00:00:01"));
    PacketResult res = r.br.trace(1, p);
    EXPECT_EQ(r.count("b"), 0u);
    EXPECT_EQ(r.br.findTable(1), nullptr);
    EXPECT_EQ(r.br.findTable(0)->entries()[0]->nPackets, 0u);
    EXPECT_EQ(res.datapathActions, (std::vector<std::string>{"b"}));
    const std::string text = formatTrace(res.trace);
    EXPECT_NE(text.find("bridge(\"br0\")\n-------------\n 0. in_port=1, priority 32768\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("table=1 dl_dst=fa:16:3e:00:00:01 actions=output:1"), std::string::npos)
        << text;
}

}  // namespace
}  // namespace nlab::engine
