// Tests of the differential-test harness itself: the dump/fdb parsers (no OVS needed) and
// the OvsOracle wrapper against a real Open vSwitch.

#include "tests/differential/ovs_oracle.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace nlab::difftest {
namespace {

TEST(DiffOracleParse, DumpLineWithStatistics) {
    const auto f = parseDumpFlowLine(
        " cookie=0x0, duration=0.405s, table=20, n_packets=0, n_bytes=0, hard_timeout=300, "
        "idle_age=0, priority=1,vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0 "
        "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->table, 20);
    EXPECT_EQ(f->priority, 1);
    EXPECT_EQ(f->hardTimeout, 300);
    EXPECT_EQ(f->idleTimeout, 0);
    EXPECT_EQ(f->match, "vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0");
    EXPECT_EQ(f->actions, "load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2");
    EXPECT_EQ(f->text(),
              "table=20, hard_timeout=300, priority=1,vlan_tci=0x0004/0x0fff,"
              "dl_dst=fa:16:3e:2a:46:e0 actions=load:0->NXM_OF_VLAN_TCI[],"
              "load:0x1->NXM_NX_TUN_ID[],output:2");
}

TEST(DiffOracleParse, DumpLineNoStatsDefaultsAndFlags) {
    // --no-stats omits table=0 and the default priority.
    auto f = parseDumpFlowLine(" actions=drop");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->text(), "table=0, priority=32768 actions=drop");
    f = parseDumpFlowLine(" priority=5,ip,in_port=1 actions=output:2");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->text(), "table=0, priority=5,ip,in_port=1 actions=output:2");
    f = parseDumpFlowLine(
        " cookie=0x2a, table=3, idle_timeout=10, send_flow_rem priority=7 "
        "actions=resubmit(,4)");
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->text(), "table=3, cookie=0x2a, idle_timeout=10, priority=7 actions=resubmit(,4)");
    EXPECT_FALSE(parseDumpFlowLine("NXST_FLOW reply (xid=0x4):").has_value());
    EXPECT_FALSE(parseDumpFlowLine("   ").has_value());
    EXPECT_THROW(parseDumpFlowLine("priority=1"), OracleError);
}

TEST(DiffOracleParse, DumpSortedByTablePriority) {
    const auto flows = parseDumpFlows(
        "NXST_FLOW reply (xid=0x4):\n"
        " table=1, priority=1 actions=drop\n"
        " priority=0 actions=drop\n"
        " priority=10 actions=resubmit(,1)\n");
    ASSERT_EQ(flows.size(), 3u);
    EXPECT_EQ(flows[0].text(), "table=0, priority=10 actions=resubmit(,1)");
    EXPECT_EQ(flows[1].text(), "table=0, priority=0 actions=drop");
    EXPECT_EQ(flows[2].text(), "table=1, priority=1 actions=drop");
}

TEST(DiffOracleParse, FdbShow) {
    const auto fdb = parseFdbShow(
        " port  VLAN  MAC                Age\n"
        "    3    20  50:54:00:00:00:03    0\n"
        "    1    10  50:54:00:00:00:01    5\n"
        "LOCAL     0  aa:55:aa:55:00:00    1\n");
    ASSERT_EQ(fdb.size(), 3u);
    EXPECT_EQ(fdb[0], (FdbEntry{1, 10, 0x505400000001ULL}));
    EXPECT_EQ(fdb[1], (FdbEntry{3, 20, 0x505400000003ULL}));
    EXPECT_EQ(fdb[2], (FdbEntry{65534, 0, 0xaa55aa550000ULL}));
}

TEST(DiffOracleParse, Hex) {
    EXPECT_EQ(toHex(std::vector<std::uint8_t>{0x00, 0xab, 0x7f}), "00ab7f");
    EXPECT_EQ(fromHex("00 AB 7f"), (std::vector<std::uint8_t>{0x00, 0xab, 0x7f}));
    EXPECT_THROW(fromHex("0g"), OracleError);
    EXPECT_THROW(fromHex("abc"), OracleError);
}

class DiffOracle : public ::testing::Test {
protected:
    void SetUp() override { NLAB_REQUIRE_OVS_ORACLE(); }
};

std::vector<std::uint8_t> udpFrame() {
    // 00:00:00:00:00:02 <- 00:00:00:00:00:01, 10.0.0.1:1 -> 10.0.0.2:2, 4 bytes of payload.
    return fromHex(
        "00000000000200000000000108004500002000000000401166cb0a0000010a000002"
        "00010002000c4e33deadbeef");
}

TEST_F(DiffOracle, InjectOutputsDumpAndStop) {
    std::string dir;
    {
        OvsOracle ovs;
        dir = ovs.dir();
        ASSERT_TRUE(std::filesystem::exists(dir + "/ovs-vswitchd.pid"));
        ovs.addBridge("br0",
                      {{"p1", 1, "dummy", {}}, {"p2", 2, "dummy", {}}, {"p3", 3, "dummy", {}}});
        ovs.addFlows("br0",
                     "table=0,priority=10,in_port=1,ip actions=mod_nw_src:1.2.3.4,output:3,"
                     "output:2\n"
                     "table=0,priority=5 actions=learn(table=10,hard_timeout=60,priority=3,"
                     "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),output:1\n");
        const auto frame = udpFrame();
        auto out = ovs.inject("br0", "p1", frame);
        ASSERT_EQ(out.size(), 2u);
        EXPECT_EQ(out[0].port, "p2");
        EXPECT_EQ(out[1].port, "p3");
        // Source address and both checksums rewritten.
        EXPECT_EQ(toHex(out[0].bytes),
                  "0000000000020000000000010800450000200000000040116cc601020304"
                  "0a00000200010002000c542edeadbeef");
        EXPECT_EQ(out[1].bytes, out[0].bytes);

        out = ovs.inject("br0", "2", frame);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].port, "p1");
        EXPECT_EQ(out[0].bytes, frame);

        const auto learned = ovs.dumpFlows("br0", "table=10");
        ASSERT_EQ(learned.size(), 1u);
        EXPECT_EQ(learned[0].text(),
                  "table=10, hard_timeout=60, priority=3,dl_dst=00:00:00:00:00:01 "
                  "actions=output:2");

        // Replacing the flows removes the learned one.
        ovs.replaceFlows("br0", "priority=1 actions=output:3\n");
        const auto all = ovs.dumpFlows("br0");
        ASSERT_EQ(all.size(), 1u);
        EXPECT_EQ(all[0].text(), "table=0, priority=1 actions=output:3");

        // Clock: the learned flow of a fresh learn expires only after its hard timeout.
        ovs.replaceFlows("br0",
                         "priority=5 actions=learn(table=10,hard_timeout=60,priority=3,"
                         "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[])\n");
        ovs.freezeClock();
        ovs.inject("br0", "p2", frame);
        ASSERT_EQ(ovs.dumpFlows("br0", "table=10").size(), 1u);
        ovs.warp(59'000);
        EXPECT_EQ(ovs.dumpFlows("br0", "table=10").size(), 1u);
        ovs.warp(2'000);
        EXPECT_EQ(ovs.dumpFlows("br0", "table=10").size(), 0u);

        // Errors carry the command and OVS's words.
        try {
            ovs.addFlows("br0", "table=0,in_port=1 actions=frobnicate\n");
            ADD_FAILURE() << "an unknown action was accepted";
        } catch (const OracleError& e) {
            EXPECT_NE(std::string(e.what()).find("ovs-oracle flows"), std::string::npos)
                << e.what();
            EXPECT_NE(std::string(e.what()).find("frobnicate"), std::string::npos) << e.what();
        }
        EXPECT_THROW(ovs.appctl({"fdb/show", "no-such-bridge"}), OracleError);
    }
    // The destructor stopped the daemons and removed the directory.
    EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace
}  // namespace nlab::difftest
