// Differential test of the NORMAL action (MAC learning switch with access and trunk ports)
// against a real Open vSwitch.
//
// Bridge br0, flow "actions=NORMAL", ports:
//   p1 access VLAN 10, p2 access VLAN 10, p3 access VLAN 20,
//   p4 trunk (all VLANs), p5 trunk with trunks=20,30,
//   and the bridge's LOCAL port (no tag: a trunk of all VLANs), which records its
//   transmissions on both sides like the others.
// Every frame goes into both bridges; the outputs (port and exact bytes, VLAN tags
// included) must be equal, and so must `ovs-appctl fdb/show` and our MAC table.

#include "engine/codec/frame_compose.h"
#include "engine/flow/flow_key.h"
#include "engine/packet/addresses.h"
#include "tests/differential/diff_normalize.h"
#include "tests/differential/engine_harness.h"
#include "tests/differential/ovs_oracle.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nlab::difftest {
namespace {

using engine::FlowKey;

constexpr std::uint64_t kMacA = 0x505400000001ULL;  // behind p1 (VLAN 10)
constexpr std::uint64_t kMacB = 0x505400000002ULL;  // behind p2 (VLAN 10)
constexpr std::uint64_t kMacC = 0x505400000003ULL;  // behind p3 (VLAN 20)
constexpr std::uint64_t kMacD = 0x505400000004ULL;  // behind p4 (trunk)
constexpr std::uint64_t kMacE = 0x505400000005ULL;  // behind p5 (trunks 20,30)
constexpr std::uint64_t kUnknown = 0x505400000099ULL;
constexpr std::uint64_t kBroadcast = 0xffffffffffffULL;

/// An ARP frame src -> dst with TCI 'vlanTci' (0: untagged).
std::vector<std::uint8_t> frame(std::uint64_t src, std::uint64_t dst, std::uint16_t vlanTci = 0,
                                int op = 1) {
    FlowKey k;
    k.dl_src = src;
    k.dl_dst = dst;
    k.vlan_tci = vlanTci;
    k.dl_type = engine::eth_type::kArp;
    k.nw_proto = std::uint8_t(op);
    k.nw_src = 0x0a000000 | std::uint32_t(src & 0xff);
    k.nw_dst = 0x0a000000 | std::uint32_t(dst & 0xff);
    k.arp_sha = src;
    k.arp_tha = op == 1 ? 0 : dst;
    return engine::composeFrame(k);
}

/// A UDP frame src -> dst with TCI 'vlanTci'.
std::vector<std::uint8_t> udp(std::uint64_t src, std::uint64_t dst, std::uint16_t vlanTci = 0) {
    FlowKey k;
    k.dl_src = src;
    k.dl_dst = dst;
    k.vlan_tci = vlanTci;
    k.dl_type = engine::eth_type::kIpv4;
    k.nw_proto = engine::ip_proto::kUdp;
    k.nw_src = 0x0a000001;
    k.nw_dst = 0x0a000002;
    k.nw_ttl = 64;
    k.tp_src = 5000;
    k.tp_dst = 6000;
    return engine::composeFrame(k, 10);
}

std::uint16_t tci(std::uint16_t vid, std::uint16_t pcp = 0) {
    return std::uint16_t(engine::kVlanCfi | pcp << 13 | vid);
}

std::string describeFdb(const std::vector<FdbEntry>& fdb) {
    if (fdb.empty())
        return "  (empty)\n";
    std::string out;
    for (const auto& e : fdb) {
        out += "  port " + std::to_string(e.port) + " vlan " + std::to_string(e.vlan) + " " +
               engine::formatMac(e.mac) + "\n";
    }
    return out;
}

class DiffNormalBridge : public ::testing::Test {
protected:
    struct PortSpec {
        std::string name;
        std::optional<std::uint16_t> tag;
        std::vector<std::uint16_t> trunks;
    };

    void SetUp() override {
        NLAB_REQUIRE_OVS_ORACLE();
        const std::vector<PortSpec> ports = {
            {"p1", 10, {}},
            {"p2", 10, {}},
            {"p3", 20, {}},
            {"p4", std::nullopt, {}},
            {"p5", std::nullopt, {20, 30}},
        };
        m_ovs = std::make_unique<OvsOracle>();
        std::vector<OraclePort> oraclePorts;
        for (std::size_t i = 0; i < ports.size(); ++i) {
            oraclePorts.push_back(OraclePort{ports[i].name, std::uint32_t(i + 1), "dummy", {}});
        }
        m_ovs->addBridge("br0", oraclePorts);
        for (const auto& p : ports) {
            if (p.tag || !p.trunks.empty())
                m_ovs->setPortVlans(p.name, p.tag, p.trunks);
        }
        m_ovs->addFlows("br0", "actions=NORMAL\n");

        m_engine = std::make_unique<EngineHarness>("br0");
        for (std::size_t i = 0; i < ports.size(); ++i) {
            engine::PortConfig c;
            c.name = ports[i].name;
            c.type = engine::PortType::System;
            c.ofportRequest = std::uint32_t(i + 1);
            c.tag = ports[i].tag;
            c.trunks = ports[i].trunks;
            m_engine->addPort(c);
        }
        m_engine->addFlows("actions=NORMAL\n");
    }

    std::vector<TxFrame> step(const std::string& what, const std::string& port,
                              const std::vector<std::uint8_t>& bytes) {
        const auto ovs = normalizeOutputs(m_ovs->inject("br0", port, bytes));
        const auto ours = normalizeOutputs(m_engine->inject(port, bytes));
        EXPECT_EQ(ours, ovs) << what << ": frame on " << port << "\n  " << describeFrame(bytes)
                             << "\nOVS transmitted:\n"
                             << describeOutputs(ovs) << "engine transmitted:\n"
                             << describeOutputs(ours) << "engine trace:\n"
                             << m_engine->lastTrace();
        return ovs;
    }

    void expectSameFdb(const std::string& when) {
        const auto ovs = m_ovs->fdb("br0");
        const auto ours = m_engine->fdb();
        EXPECT_EQ(ours, ovs) << when << ": MAC table\nOVS fdb/show:\n"
                             << describeFdb(ovs) << "engine:\n"
                             << describeFdb(ours);
    }

    static std::vector<std::string> ports(const std::vector<TxFrame>& frames) {
        std::vector<std::string> out;
        for (const auto& f : frames)
            out.push_back(f.port);
        return out;
    }

    std::unique_ptr<OvsOracle> m_ovs;
    std::unique_ptr<EngineHarness> m_engine;
};

using Ports = std::vector<std::string>;

TEST_F(DiffNormalBridge, LearningFloodingAndVlans) {
    // Broadcast from an access port floods its VLAN: untagged to access ports, tagged to
    // trunks that carry the VLAN (LOCAL carries all).
    auto out = step("broadcast ARP from A on access VLAN 10", "p1", frame(kMacA, kBroadcast));
    EXPECT_EQ(ports(out), (Ports{"br0", "p2", "p4"}));
    expectSameFdb("after A's broadcast");

    out = step("unicast B -> A (A learned on p1)", "p2", frame(kMacB, kMacA, 0, 2));
    EXPECT_EQ(ports(out), (Ports{"p1"}));
    out = step("unicast A -> unknown MAC floods VLAN 10", "p1", udp(kMacA, kUnknown));
    EXPECT_EQ(ports(out), (Ports{"br0", "p2", "p4"}));
    out = step("unicast A -> B (B learned on p2)", "p1", udp(kMacA, kMacB));
    EXPECT_EQ(ports(out), (Ports{"p2"}));

    // Trunks.
    out = step("VLAN 20 broadcast from D on the trunk", "p4", frame(kMacD, kBroadcast, tci(20)));
    EXPECT_EQ(ports(out), (Ports{"br0", "p3", "p5"}));
    step("VLAN 10 unicast D -> A from the trunk", "p4", udp(kMacD, kMacA, tci(10, 3)));
    step("VLAN 30 broadcast from E on the trunks=20,30 port", "p5",
         frame(kMacE, kBroadcast, tci(30)));
    step("VLAN 20 unicast E -> D (D learned on VLAN 20)", "p5", udp(kMacE, kMacD, tci(20, 5)));
    step("untagged broadcast on the all-VLAN trunk (VLAN 0)", "p4", frame(kMacD, kBroadcast));
    step("untagged frame on the trunks=20,30 port", "p5", frame(kMacE, kBroadcast));
    step("VLAN 10 frame on the trunks=20,30 port (not trunked)", "p5", udp(kMacE, kMacA, tci(10)));
    step("unicast C -> D on VLAN 20 (D learned on p4 in VLAN 20)", "p3", udp(kMacC, kMacD));
    step("unicast A -> D on VLAN 10 (D learned in VLAN 10 too)", "p1", udp(kMacA, kMacD));
    step("unicast C -> A: A is in VLAN 10 only, so VLAN 20 floods", "p3", udp(kMacC, kMacA));
    expectSameFdb("after the trunk traffic");

    // Tagged frames on access ports.
    out = step("VLAN 10 tagged frame on access port p1", "p1", udp(kMacA, kMacB, tci(10)));
    EXPECT_TRUE(out.empty());
    out = step("VLAN 20 tagged frame on access port p1", "p1", udp(kMacA, kMacB, tci(20)));
    EXPECT_TRUE(out.empty());
    step("priority-tagged frame (VID 0, PCP 5) on access port p1", "p1",
         udp(kMacA, kMacB, tci(0, 5)));
    step("priority-tagged broadcast on access port p2", "p2", frame(kMacB, kBroadcast, tci(0, 6)));

    // Special destinations and sources.
    step("reserved multicast 01:80:c2:00:00:0e (LLDP) from p1", "p1",
         udp(kMacA, 0x0180c200000eULL));
    step("IPv4 multicast from p1", "p1", udp(kMacA, 0x01005e0000fbULL));
    step("frame to its own port (B learned on p2, sent from p2)", "p2", udp(kMacB, kMacB));
    step("multicast source address from p3", "p3", udp(0x010000000077ULL, kMacC));

    // A MAC moves: A now talks from p2.
    step("A moves to p2", "p2", frame(kMacA, kBroadcast));
    out = step("B -> A after the move", "p1", udp(kMacB, kMacA));
    expectSameFdb("after the move");
}

TEST_F(DiffNormalBridge, MacEntriesAgeAfter300Seconds) {
    m_ovs->freezeClock();
    step("A broadcasts", "p1", frame(kMacA, kBroadcast));
    step("D broadcasts on VLAN 20", "p4", frame(kMacD, kBroadcast, tci(20)));
    expectSameFdb("t=0");
    m_ovs->warp(290'000);
    m_engine->advance(290 * engine::kSecond);
    step("B -> A at t=290", "p2", udp(kMacB, kMacA));
    expectSameFdb("t=290 s");
    m_ovs->warp(20'000);
    m_engine->advance(20 * engine::kSecond);
    const auto ovs = m_ovs->fdb("br0");
    EXPECT_EQ(ovs.size(), 1u) << "OVS should keep only B (seen at t=290):\n" << describeFdb(ovs);
    expectSameFdb("t=310 s: A and D (t=0) aged out, B (t=290) stays");
    step("B -> A after A aged out floods", "p2", udp(kMacB, kMacA));
}

}  // namespace
}  // namespace nlab::difftest
