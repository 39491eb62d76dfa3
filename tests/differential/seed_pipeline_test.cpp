// Differential test of the seed lab's br-tun (the Icehouse GRE layout of the article) against
// a real Open vSwitch: the frames of the walkthrough's steps, the table-20 flows they learn,
// and the expiry of those flows after their 300 s hard timeout.
//
// Both sides have br-tun with patch-int = port 1 (a dummy port on OVS, a recording sink on
// ours) and gre-1 = port 2 (GRE to 10.10.100.139, in_key=flow, out_key=flow), the underlay
// 10.10.100.1 -> next hop aa:bb:cc:00:01:39, and the flows of
// shared/tools/icehouse-br-tun.flows. Frames from the VM (fa:16:3e:32:28:af, 10.10.10.7,
// local VLAN 4) enter on patch-int; the gateway's (fa:16:3e:2a:46:e0, 10.10.10.1) replies
// enter on gre-1 with tun_id 0x1 (on OVS an OpenFlow packet-out with that tunnel metadata,
// or, in one test, a real GRE frame arriving on the underlay).
//
// Learned flows are compared twice: as raw text (OVS 3.1's dump-flows against our
// formatter; for these flows OVS 3.1 prints exactly what the article's OVS 2.0.2 printed)
// and in the canonical form of diff_normalize.h.

#include "engine/codec/frame_compose.h"
#include "engine/codec/tunnel.h"
#include "engine/flow/flow_key.h"
#include "tests/differential/diff_normalize.h"
#include "tests/differential/engine_harness.h"
#include "tests/differential/ovs_oracle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace nlab::difftest {
namespace {

using engine::FlowKey;

constexpr std::uint64_t kVmMac = 0xfa163e3228afULL;       // instance1
constexpr std::uint64_t kGatewayMac = 0xfa163e2a46e0ULL;  // qr-d8fd27a6-d1
constexpr std::uint64_t kDhcpMac = 0xfa163e3c5450ULL;     // tap78dd7f1e-53
constexpr std::uint32_t kVmIp = 0x0a0a0a07;               // 10.10.10.7
constexpr std::uint32_t kGatewayIp = 0x0a0a0a01;          // 10.10.10.1
constexpr std::uint32_t kDhcpIp = 0x0a0a0a02;             // 10.10.10.2
constexpr std::uint16_t kLocalVlanTci = 0x1004;           // VLAN 4, tag present
constexpr std::uint32_t kRemoteIp = 0x0a0a648b;           // 10.10.100.139
constexpr std::uint32_t kLocalIp = 0x0a0a6401;            // 10.10.100.1 (ovs-oracle icehouse)
constexpr std::uint64_t kBrPhyMac = 0xaa55aa550000ULL;    // ovs-oracle underlay: br-phy
constexpr std::uint64_t kNextHopMac = 0xaabbcc000139ULL;  // ovs-oracle underlay: neighbour

const char* const kLearnedGateway =
    "table=20, hard_timeout=300, priority=1,vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0 "
    "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2";
const char* const kLearnedDhcp =
    "table=20, hard_timeout=300, priority=1,vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:3c:54:50 "
    "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2";

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::uint8_t> arp(std::uint64_t src, std::uint64_t dst, int op, std::uint32_t spa,
                              std::uint32_t tpa, std::uint16_t vlanTci) {
    FlowKey k;
    k.dl_src = src;
    k.dl_dst = dst;
    k.vlan_tci = vlanTci;
    k.dl_type = engine::eth_type::kArp;
    k.nw_proto = std::uint8_t(op);
    k.nw_src = spa;
    k.nw_dst = tpa;
    k.arp_sha = src;
    k.arp_tha = op == 1 ? 0 : dst;
    return engine::composeFrame(k);
}

std::vector<std::uint8_t> icmpEcho(std::uint64_t src, std::uint64_t dst, std::uint32_t nwSrc,
                                   std::uint32_t nwDst, bool request, std::uint16_t vlanTci) {
    FlowKey k;
    k.dl_src = src;
    k.dl_dst = dst;
    k.vlan_tci = vlanTci;
    k.dl_type = engine::eth_type::kIpv4;
    k.nw_proto = engine::ip_proto::kIcmp;
    k.nw_src = nwSrc;
    k.nw_dst = nwDst;
    k.nw_ttl = 64;
    k.tp_src = request ? 8 : 0;
    return engine::composeFrame(k, 56);
}

std::vector<std::string> texts(const std::vector<DumpedFlow>& flows) {
    std::vector<std::string> out;
    for (const auto& f : flows)
        out.push_back(f.text());
    return out;
}

class DiffSeedPipeline : public ::testing::Test {
protected:
    void SetUp() override {
        NLAB_REQUIRE_OVS_ORACLE();
        m_flows = readFile(std::string(NLAB_SHARED_DIR) + "/tools/icehouse-br-tun.flows");
        m_ovs = std::make_unique<OvsOracle>();
        m_ovs->setupIcehouse();
        m_ovs->addFlows("br-tun", m_flows);

        m_engine = std::make_unique<EngineHarness>("br-tun");
        engine::PortConfig patch;
        patch.name = "patch-int";
        patch.type = engine::PortType::System;
        patch.ofportRequest = 1;
        m_engine->addPort(patch);
        engine::PortConfig gre;
        gre.name = "gre-1";
        gre.type = engine::PortType::Gre;
        gre.ofportRequest = 2;
        gre.remoteIp = kRemoteIp;
        m_engine->addPort(gre);
        m_engine->setUnderlay(kLocalIp, kBrPhyMac, kNextHopMac);
        m_engine->addFlows(m_flows);
    }

    /// Sends 'frame' into both bridges on 'port' (with tunnel id 'tunId' when given) and
    /// expects the same normalized outputs. Returns OVS's (normalized) outputs.
    std::vector<TxFrame> step(const std::string& what, const std::string& port,
                              const std::vector<std::uint8_t>& frame,
                              std::optional<std::uint64_t> tunId = std::nullopt) {
        std::string meta;
        std::optional<engine::TunnelMetadata> tunnel;
        if (tunId) {
            char buf[40];
            std::snprintf(buf, sizeof buf, "tun_id=0x%llx",
                          static_cast<unsigned long long>(*tunId));
            meta = buf;
            // An OpenFlow packet-out carries only the key: outer addresses are 0 on OVS too.
            tunnel = engine::TunnelMetadata{*tunId, 0, 0, true};
        }
        const auto ovs = normalizeOutputs(m_ovs->inject("br-tun", port, frame, meta), m_tunnels);
        const auto ours = normalizeOutputs(m_engine->inject(port, frame, tunnel), m_tunnels);
        EXPECT_EQ(ours, ovs) << what << ": frame on " << port << (meta.empty() ? "" : " " + meta)
                             << "\n  " << describeFrame(frame) << "\nOVS transmitted:\n"
                             << describeOutputs(ovs) << "engine transmitted:\n"
                             << describeOutputs(ours) << "engine trace:\n"
                             << m_engine->lastTrace();
        return ovs;
    }

    /// Expects both sides' table 20 to hold exactly 'expected' (raw text), and the same
    /// flows in canonical form.
    void expectTable20(const std::string& when, const std::vector<std::string>& expected) {
        const auto ovs = m_ovs->dumpFlows("br-tun", "table=20");
        const auto ours = m_engine->dumpFlows(20);
        std::vector<std::string> want = expected;
        want.emplace_back("table=20, priority=0 actions=resubmit(,21)");
        std::sort(want.begin(), want.end());
        auto ovsText = texts(ovs);
        std::sort(ovsText.begin(), ovsText.end());
        auto ourText = texts(ours);
        std::sort(ourText.begin(), ourText.end());
        // The oracle must show what the article shows; otherwise the test itself is wrong.
        ASSERT_EQ(ovsText, want) << when << ": OVS's table 20 is not what the seed predicts:\n"
                                 << m_ovs->dumpFlowsRaw("br-tun", "table=20");
        EXPECT_EQ(ourText, ovsText) << when << ": table 20 (raw text)\nOVS:\n"
                                    << describeLines(ovsText) << "engine:\n"
                                    << describeLines(ourText);
        EXPECT_EQ(canonicalFlows(ours), canonicalFlows(ovs)) << when << ": table 20 (canonical)";
    }

    void advance(std::int64_t msecs) {
        m_ovs->warp(msecs);
        m_engine->advance(msecs * engine::kMillisecond);
    }

    std::string m_flows;
    std::unique_ptr<OvsOracle> m_ovs;
    std::unique_ptr<EngineHarness> m_engine;
    const std::vector<TunnelPortInfo> m_tunnels = {{"gre-1", kRemoteIp}};
};

// Walkthrough step 2: instance1 ARPs for and pings the gateway; br-tun learns the way back.
TEST_F(DiffSeedPipeline, ArpAndPingLearnTheGateway) {
    const std::string toGre = "gre-1 [gre key=0x1 remote=10.10.100.139]";
    auto out = step("ARP request VM -> broadcast", "patch-int",
                    arp(kVmMac, 0xffffffffffffULL, 1, kVmIp, kGatewayIp, kLocalVlanTci));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].port, toGre);
    expectTable20("before any reply", {});

    out = step("ARP reply gateway -> VM", "gre-1",
               arp(kGatewayMac, kVmMac, 2, kGatewayIp, kVmIp, 0), 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].port, "patch-int");
    expectTable20("after the ARP reply", {kLearnedGateway});

    out = step("ICMP echo request VM -> gateway", "patch-int",
               icmpEcho(kVmMac, kGatewayMac, kVmIp, kGatewayIp, true, kLocalVlanTci));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].port, toGre);
    out = step("ICMP echo reply gateway -> VM", "gre-1",
               icmpEcho(kGatewayMac, kVmMac, kGatewayIp, kVmIp, false, 0), 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].port, "patch-int");
    expectTable20("after the ping", {kLearnedGateway});

    // The whole bridge, static and learned flows, in canonical form.
    EXPECT_EQ(canonicalFlows(m_engine->dumpFlows()), canonicalFlows(m_ovs->dumpFlows("br-tun")));
}

// Walkthrough step 4 and the drops around it: a second destination, unknown tunnel keys,
// VLANs without a tunnel, frames from the tunnel to multicast.
TEST_F(DiffSeedPipeline, SecondDestinationAndDrops) {
    step("ARP request VM -> DHCP server (unknown unicast floods)", "patch-int",
         arp(kVmMac, kDhcpMac, 1, kVmIp, kDhcpIp, kLocalVlanTci));
    step("ARP reply gateway -> VM", "gre-1", arp(kGatewayMac, kVmMac, 2, kGatewayIp, kVmIp, 0), 1);
    step("ARP reply DHCP server -> VM", "gre-1", arp(kDhcpMac, kVmMac, 2, kDhcpIp, kVmIp, 0), 1);
    expectTable20("after both replies", {kLearnedGateway, kLearnedDhcp});

    auto out = step("unknown tunnel key 0x9 (table 2 drops)", "gre-1",
                    arp(kGatewayMac, kVmMac, 2, kGatewayIp, kVmIp, 0), 9);
    EXPECT_TRUE(out.empty());
    out = step("VLAN 5 from patch-int (no table-21 flow)", "patch-int",
               icmpEcho(kVmMac, 0xffffffffffffULL, kVmIp, 0x0a0a0aff, true, 0x1005));
    EXPECT_TRUE(out.empty());
    out = step("untagged frame from patch-int", "patch-int",
               icmpEcho(kVmMac, kGatewayMac, kVmIp, kGatewayIp, true, 0));
    EXPECT_TRUE(out.empty()) << "table 20 learned VLAN 4 only; table 21 needs dl_vlan=4";
    out = step("broadcast from the tunnel", "gre-1",
               arp(kGatewayMac, 0xffffffffffffULL, 1, kGatewayIp, kVmIp, 0), 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].port, "patch-int");
    out = step("tagged frame from the tunnel (mod_vlan_vid rewrites the VID)", "gre-1",
               icmpEcho(kGatewayMac, kVmMac, kGatewayIp, kVmIp, false, 0x3007), 1);
    ASSERT_EQ(out.size(), 1u);
    expectTable20("at the end", {kLearnedGateway, kLearnedDhcp});
}

// The learned flows' hard_timeout=300: present at 299 s, gone at 301 s; a new learn of the
// same flow restarts the 300 s.
TEST_F(DiffSeedPipeline, LearnedFlowsExpireAfterTheirHardTimeout) {
    m_ovs->freezeClock();
    step("ARP reply gateway -> VM at t=0", "gre-1",
         arp(kGatewayMac, kVmMac, 2, kGatewayIp, kVmIp, 0), 1);
    advance(200'000);
    step("ARP reply DHCP -> VM at t=200", "gre-1", arp(kDhcpMac, kVmMac, 2, kDhcpIp, kVmIp, 0), 1);
    advance(99'000);
    expectTable20("t=299 s", {kLearnedGateway, kLearnedDhcp});
    advance(2'000);
    expectTable20("t=301 s: the gateway's flow (t=0) has expired", {kLearnedDhcp});

    step("ARP reply gateway -> VM at t=301", "gre-1",
         arp(kGatewayMac, kVmMac, 2, kGatewayIp, kVmIp, 0), 1);
    advance(200'000);
    expectTable20("t=501 s: the DHCP server's flow (t=200) has expired", {kLearnedGateway});

    // Refreshing: the same reply again at t=501 learns the same flow again.
    step("ARP reply gateway -> VM at t=501 (refresh)", "gre-1",
         arp(kGatewayMac, kVmMac, 2, kGatewayIp, kVmIp, 0), 1);
    advance(250'000);
    expectTable20("t=751 s: refreshed at 501, so still there", {kLearnedGateway});
    advance(100'000);
    expectTable20("t=851 s: 350 s after the refresh", {});

    // With the learned flow gone, unicast to the gateway floods again (same wire result).
    step("ICMP echo request VM -> gateway after expiry", "patch-int",
         icmpEcho(kVmMac, kGatewayMac, kVmIp, kGatewayIp, true, kLocalVlanTci));
}

// A real GRE frame arriving on the underlay NIC (not a packet-out with metadata): the
// tunnel port decapsulates it and the pipeline sees tun_id 0x1 with the outer addresses.
TEST_F(DiffSeedPipeline, GreFrameFromTheUnderlay) {
    const auto inner = arp(kGatewayMac, kVmMac, 2, kGatewayIp, kVmIp, 0);
    engine::OuterHeaders outer;
    outer.srcMac = kNextHopMac;
    outer.dstMac = kBrPhyMac;
    outer.srcIp = kRemoteIp;
    outer.dstIp = kLocalIp;
    const auto frame = engine::encapsulateGre(outer, 1, inner);

    const auto ovs = normalizeOutputs(m_ovs->inject("br-phy", "p0", frame), m_tunnels);
    const auto ours = normalizeOutputs(m_engine->injectUnderlay(frame), m_tunnels);
    ASSERT_EQ(ovs.size(), 1u) << describeOutputs(ovs);
    EXPECT_EQ(ovs[0].port, "patch-int");
    EXPECT_EQ(ours, ovs) << "GRE frame on the underlay:\n  " << describeFrame(frame)
                         << "\nOVS transmitted:\n"
                         << describeOutputs(ovs) << "engine transmitted:\n"
                         << describeOutputs(ours) << "engine: " << m_engine->lastDropReason();
    expectTable20("after the GRE frame", {kLearnedGateway});

    // The learned flow sends the VM's answer back into the tunnel.
    const auto out = step("ICMP echo request VM -> gateway", "patch-int",
                          icmpEcho(kVmMac, kGatewayMac, kVmIp, kGatewayIp, true, kLocalVlanTci));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].port, "gre-1 [gre key=0x1 remote=10.10.100.139]");
}

}  // namespace
}  // namespace nlab::difftest
