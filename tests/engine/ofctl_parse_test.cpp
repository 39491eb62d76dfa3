// Tests for the ovs-ofctl flow-language parser (engine/flow/ofctl_parse.h). Expected error
// texts are what OVS 3.1 `ovs-ofctl parse-flows` / `add-flows` print for the same input,
// unless a comment says the engine is deliberately stricter.

#include "engine/flow/ofctl_parse.h"

#include "engine/flow/ofctl_format.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace nlab::engine {
namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string flowText(const FlowMod& fm) {
    const std::string match = formatMatch(fm.spec.match, fm.spec.priority);
    return match + (match.empty() ? "" : " ") + "actions=" + formatActions(fm.spec.actions);
}

/// Runs 'fn' and returns the ParseError it throws; fails the test if it throws nothing.
template <typename Fn>
ParseError parseErrorOf(Fn&& fn) {
    try {
        fn();
    } catch (const ParseError& e) {
        return e;
    }
    ADD_FAILURE() << "no ParseError thrown";
    return ParseError("");
}

// ---------------------------------------------------------------------------------------
// The seed's br-tun flows file.

class IcehouseFlowsTest : public ::testing::Test {
protected:
    void SetUp() override {
        text = readFile(std::string(NLAB_TESTDATA_DIR) + "/icehouse-br-tun.flows");
        ASSERT_FALSE(text.empty());
        mods = parseFlowFile(text, "icehouse-br-tun.flows");
    }
    std::string text;
    std::vector<FlowMod> mods;
};

TEST_F(IcehouseFlowsTest, ParsesEveryLineAsAnAdd) {
    ASSERT_EQ(mods.size(), 12u);
    const std::uint8_t tables[] = {0, 0, 0, 1, 1, 2, 2, 3, 10, 20, 21, 21};
    const std::uint16_t priorities[] = {1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0};
    for (std::size_t i = 0; i < mods.size(); ++i) {
        EXPECT_EQ(mods[i].command, FlowMod::Command::Add) << i;
        EXPECT_EQ(mods[i].table, tables[i]) << i;
        EXPECT_EQ(mods[i].spec.priority, priorities[i]) << i;
        EXPECT_EQ(mods[i].spec.cookie, 0u) << i;
        EXPECT_EQ(mods[i].spec.idleTimeout, 0u) << i;
        EXPECT_EQ(mods[i].spec.hardTimeout, 0u) << i;
    }
}

TEST_F(IcehouseFlowsTest, InPortRuleStructure) {
    const FlowMod& fm = mods[0];
    Match expected;
    expected.set(FieldId::InPort, 1);
    EXPECT_EQ(fm.spec.match, expected);
    ASSERT_EQ(fm.spec.actions.size(), 1u);
    const auto& r = std::get<ResubmitAction>(fm.spec.actions[0]);
    EXPECT_EQ(r.inPort, ofp::kInPort);
    EXPECT_EQ(r.table, 1);
    EXPECT_FALSE(r.shortForm);
    EXPECT_TRUE(mods[2].spec.actions.empty());  // actions=drop
    EXPECT_EQ(mods[2].spec.match, Match{});
}

TEST_F(IcehouseFlowsTest, MulticastBitMatch) {
    const Match& m = mods[4].spec.match;
    EXPECT_EQ(m.key.dl_dst, 0x010000000000ULL);
    EXPECT_EQ(m.mask.dl_dst, 0x010000000000ULL);
    EXPECT_EQ(mods[3].spec.match.key.dl_dst, 0u);
    EXPECT_EQ(mods[3].spec.match.mask.dl_dst, 0x010000000000ULL);
}

TEST_F(IcehouseFlowsTest, TunnelAndVlanRules) {
    EXPECT_EQ(mods[5].spec.match.key.tun_id, 1u);
    EXPECT_EQ(mods[5].spec.match.mask.tun_id, ~0ULL);
    ASSERT_EQ(mods[5].spec.actions.size(), 2u);
    EXPECT_EQ(std::get<SetVlanVidAction>(mods[5].spec.actions[0]).vid, 4);
    EXPECT_EQ(std::get<ResubmitAction>(mods[5].spec.actions[1]).table, 10);

    const FlowMod& flood = mods[10];
    EXPECT_EQ(flood.spec.match.key.vlan_tci, 0x1004);
    EXPECT_EQ(flood.spec.match.mask.vlan_tci, 0x1fff);
    ASSERT_EQ(flood.spec.actions.size(), 3u);
    EXPECT_EQ(std::get<StripVlanAction>(flood.spec.actions[0]), StripVlanAction{false});
    EXPECT_EQ(std::get<SetTunnelAction>(flood.spec.actions[1]), (SetTunnelAction{1, false}));
    EXPECT_EQ(std::get<OutputAction>(flood.spec.actions[2]), (OutputAction{2, 0}));
}

TEST_F(IcehouseFlowsTest, LearnActionStructure) {
    const FlowMod& fm = mods[8];
    ASSERT_EQ(fm.spec.actions.size(), 2u);
    const auto& learn = std::get<LearnAction>(fm.spec.actions[0]);
    EXPECT_EQ(learn.table, 20);
    EXPECT_EQ(learn.hardTimeout, 300);
    EXPECT_EQ(learn.idleTimeout, 0);
    EXPECT_EQ(learn.priority, 1);
    ASSERT_EQ(learn.specs.size(), 5u);

    LearnSpec vlan;  // NXM_OF_VLAN_TCI[0..11]
    vlan.kind = LearnSpec::Kind::Match;
    vlan.dst = vlan.src = Subfield{FieldId::VlanTci, 0, 12};
    EXPECT_EQ(learn.specs[0], vlan);

    LearnSpec mac;  // NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]
    mac.kind = LearnSpec::Kind::Match;
    mac.dst = Subfield{FieldId::DlDst, 0, 48};
    mac.src = Subfield{FieldId::DlSrc, 0, 48};
    EXPECT_EQ(learn.specs[1], mac);

    LearnSpec strip;  // load:0->NXM_OF_VLAN_TCI[]
    strip.kind = LearnSpec::Kind::Load;
    strip.srcImmediate = true;
    strip.value = 0;
    strip.dst = Subfield{FieldId::VlanTci, 0, 16};
    EXPECT_EQ(learn.specs[2], strip);

    LearnSpec tun;  // load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[]
    tun.kind = LearnSpec::Kind::Load;
    tun.src = tun.dst = Subfield{FieldId::TunId, 0, 64};
    EXPECT_EQ(learn.specs[3], tun);

    LearnSpec out;  // output:NXM_OF_IN_PORT[]
    out.kind = LearnSpec::Kind::Output;
    out.src = Subfield{FieldId::InPort, 0, 16};
    EXPECT_EQ(learn.specs[4], out);

    EXPECT_EQ(std::get<OutputAction>(fm.spec.actions[1]), (OutputAction{1, 0}));
}

TEST_F(IcehouseFlowsTest, PrintsBackByteExact) {
    // Every line of the file, minus its "table=N," prefix, is exactly what dump-flows shows
    // after "hard_age=...," in the seed.
    std::istringstream lines(text);
    std::string line;
    std::size_t i = 0;
    while (std::getline(lines, line)) {
        if (line.empty())
            continue;
        ASSERT_LT(i, mods.size());
        const std::string expected = line.substr(line.find(',') + 1);
        EXPECT_EQ(flowText(mods[i]), expected);
        ++i;
    }
    EXPECT_EQ(i, mods.size());
}

// ---------------------------------------------------------------------------------------
// Files: comments, blank lines, command words, line numbers.

TEST(OfctlParseFile, CommentsBlankLinesAndCommandWords) {
    const std::string text =
        "# br-tun\n"
        "\n"
        "   \t \n"
        "table=0,priority=1,in_port=1 actions=resubmit(,1)  # trailing comment\n"
        "add table=1 actions=drop\n"
        "modify table=2,tun_id=0x5 actions=output:1\n"
        "modify_strict table=2,priority=7,tun_id=0x5 actions=output:3\n"
        "delete table=3,in_port=2\n"
        "delete_strict priority=4,in_port=2,out_port=7\n"
        "del in_port=9\n"
        "modify_s priority=9 actions=drop\n"
        "delete\n";
    const auto mods = parseFlowFile(text, "x.flows");
    ASSERT_EQ(mods.size(), 9u);
    EXPECT_EQ(mods[0].command, FlowMod::Command::Add);
    EXPECT_EQ(mods[1].command, FlowMod::Command::Add);
    EXPECT_EQ(mods[1].table, 1);
    EXPECT_EQ(mods[2].command, FlowMod::Command::Modify);
    EXPECT_EQ(mods[2].table, 2);
    EXPECT_EQ(mods[3].command, FlowMod::Command::ModifyStrict);
    EXPECT_EQ(mods[3].spec.priority, 7);
    EXPECT_EQ(mods[4].command, FlowMod::Command::Delete);
    EXPECT_EQ(mods[4].table, 3);
    EXPECT_EQ(mods[5].command, FlowMod::Command::DeleteStrict);
    EXPECT_EQ(mods[5].table, FlowMod::kAllTables);
    EXPECT_EQ(mods[5].spec.priority, 4);
    EXPECT_EQ(mods[5].outPort, 7u);
    EXPECT_EQ(mods[6].command, FlowMod::Command::Delete);  // "del" is a prefix of "delete"
    EXPECT_EQ(mods[7].command, FlowMod::Command::ModifyStrict);
    EXPECT_EQ(mods[8].command, FlowMod::Command::Delete);
    EXPECT_EQ(mods[8].spec.match, Match{});
    EXPECT_EQ(mods[8].table, FlowMod::kAllTables);
}

TEST(OfctlParseFile, ErrorNamesFileLineAndWord) {
    const std::string text =
        "table=0,priority=1,in_port=1 actions=resubmit(,1)\n"
        "# a comment\n"
        "table=0,fooo=1 actions=drop\n";
    const ParseError e = parseErrorOf([&] { parseFlowFile(text, "br-tun.flows"); });
    EXPECT_STREQ(e.what(), "br-tun.flows:3: unknown keyword fooo");
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.word(), "fooo");
}

TEST(OfctlParseFile, ValueErrorInFile) {
    const ParseError e =
        parseErrorOf([&] { parseFlowFile("\n\nip,nw_src=10.0.0.300 actions=drop\n", "a.flows"); });
    EXPECT_STREQ(e.what(), "a.flows:3: 10.0.0.300: invalid IP address");
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.word(), "10.0.0.300");
}

TEST(OfctlParseFile, CommandWordsOnlyInFiles) {
    // ovs-ofctl add-flow takes no command word: "delete" is then an unknown field.
    const ParseError e =
        parseErrorOf([] { parseFlowMod("delete in_port=1 actions=drop", FlowMod::Command::Add); });
    EXPECT_STREQ(e.what(), "field delete missing value");
    EXPECT_EQ(e.line(), 0);
    EXPECT_EQ(e.word(), "delete");
}

TEST(OfctlParseFile, WarningsArePrefixed) {
    ParseWarnings warnings;
    parseFlowFile("\nnw_src=10.0.0.1 actions=drop\n", "w.flows", {}, &warnings);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0],
              "w.flows:2: normalization changed ofp_match, details: pre: nw_src=10.0.0.1 post: ");
}

// ---------------------------------------------------------------------------------------
// Flow-mod keywords.

TEST(OfctlParseFlowMod, DefaultsPerCommand) {
    const FlowMod add = parseFlowMod("actions=drop", FlowMod::Command::Add);
    EXPECT_EQ(add.table, 0);
    EXPECT_EQ(add.spec.priority, ofp::kDefaultPriority);
    EXPECT_EQ(add.outPort, ofp::kNone);
    EXPECT_TRUE(add.spec.resetCounts);  // OpenFlow 1.0 adds always reset counters.
    EXPECT_FALSE(add.spec.sendFlowRem);
    EXPECT_FALSE(add.spec.checkOverlap);

    const FlowMod delAll = parseFlowMod("", FlowMod::Command::Delete);
    EXPECT_EQ(delAll.table, FlowMod::kAllTables);
    EXPECT_EQ(delAll.spec.match, Match{});
    EXPECT_EQ(delAll.cookieMask, 0u);

    const FlowMod mod = parseFlowMod("in_port=1 actions=output:2", FlowMod::Command::Modify);
    EXPECT_EQ(mod.table, FlowMod::kAllTables);
    EXPECT_TRUE(mod.modifyCookie);  // ovs-ofctl sends new_cookie=0 over OpenFlow 1.0.
    EXPECT_EQ(mod.spec.cookie, 0u);
    EXPECT_FALSE(mod.spec.resetCounts);
    EXPECT_TRUE(
        parseFlowMod("reset_counts actions=drop", FlowMod::Command::ModifyStrict).spec.resetCounts);
}

TEST(OfctlParseFlowMod, AllAddKeywords) {
    const FlowMod fm = parseFlowMod(
        "table=22,priority=5,idle_timeout=10,hard_timeout=20,send_flow_rem,check_overlap,"
        "reset_counts,cookie=0x55,importance=3,ip,nw_src=10.0.0.0/8 actions=output:1",
        FlowMod::Command::Add);
    EXPECT_EQ(fm.table, 22);
    EXPECT_EQ(fm.spec.priority, 5);
    EXPECT_EQ(fm.spec.idleTimeout, 10);
    EXPECT_EQ(fm.spec.hardTimeout, 20);
    EXPECT_TRUE(fm.spec.sendFlowRem);
    EXPECT_TRUE(fm.spec.checkOverlap);
    EXPECT_TRUE(fm.spec.resetCounts);
    EXPECT_EQ(fm.spec.cookie, 0x55u);
    EXPECT_EQ(formatMatch(fm.spec.match, fm.spec.priority), "priority=5,ip,nw_src=10.0.0.0/8");
}

TEST(OfctlParseFlowMod, NumbersInDecimalHexAndOctal) {
    const FlowMod fm =
        parseFlowMod("priority=0x10,table=03,tun_id=010 actions=drop", FlowMod::Command::Add);
    EXPECT_EQ(fm.spec.priority, 16);
    EXPECT_EQ(fm.table, 3);
    EXPECT_EQ(fm.spec.match.key.tun_id, 8u);  // strtoull base 0: leading 0 is octal.
}

TEST(OfctlParseFlowMod, CookieMasksForModifyAndDelete) {
    const FlowMod mod = parseFlowMod("cookie=0x5/-1 actions=drop", FlowMod::Command::Modify);
    EXPECT_EQ(mod.spec.cookie, 5u);
    EXPECT_EQ(mod.cookieMask, ~0ULL);
    EXPECT_FALSE(mod.modifyCookie);

    const FlowMod set = parseFlowMod("cookie=7 actions=drop", FlowMod::Command::ModifyStrict);
    EXPECT_EQ(set.spec.cookie, 7u);
    EXPECT_TRUE(set.modifyCookie);
    EXPECT_EQ(set.cookieMask, 0u);

    const FlowMod del = parseFlowMod("cookie=0x10/0xf0,table=4", FlowMod::Command::Delete);
    EXPECT_EQ(del.spec.cookie, 0x10u);
    EXPECT_EQ(del.cookieMask, 0xf0u);
    EXPECT_EQ(del.table, 4);
}

TEST(OfctlParseFlowMod, DumpFlowsOutputCanBeFedBack) {
    const FlowMod fm = parseFlowMod(
        "cookie=0x0, duration=80.351s, table=20, n_packets=87, n_bytes=8190, hard_timeout=300, "
        "idle_age=0, hard_age=0, priority=1,vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0 "
        "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2",
        FlowMod::Command::Add);
    EXPECT_EQ(fm.table, 20);
    EXPECT_EQ(fm.spec.hardTimeout, 300);
    EXPECT_EQ(fm.spec.match.key.vlan_tci, 0x0004);
    EXPECT_EQ(fm.spec.match.mask.vlan_tci, 0x0fff);
    ASSERT_EQ(fm.spec.actions.size(), 3u);
    EXPECT_EQ(std::get<LoadAction>(fm.spec.actions[1]),
              (LoadAction{Subfield{FieldId::TunId, 0, 64}, 1}));
}

TEST(OfctlParseFlowMod, OutPortAndStrictDeletePriority) {
    const FlowMod fm =
        parseFlowMod("priority=3,out_port=LOCAL,dl_type=0x0806", FlowMod::Command::DeleteStrict);
    EXPECT_EQ(fm.outPort, ofp::kLocal);
    EXPECT_EQ(fm.spec.priority, 3);
    EXPECT_EQ(formatMatch(fm.spec.match), "arp");
}

// ---------------------------------------------------------------------------------------
// Matches.

TEST(OfctlParseMatch, ProtocolShorthands) {
    EXPECT_EQ(formatMatch(parseMatch("ip")), "ip");
    EXPECT_EQ(formatMatch(parseMatch("arp")), "arp");
    EXPECT_EQ(formatMatch(parseMatch("rarp")), "rarp");
    EXPECT_EQ(formatMatch(parseMatch("icmp")), "icmp");
    EXPECT_EQ(formatMatch(parseMatch("tcp")), "tcp");
    EXPECT_EQ(formatMatch(parseMatch("udp")), "udp");
    EXPECT_EQ(formatMatch(parseMatch("dl_type=0x0800,nw_proto=6")), "tcp");
    EXPECT_EQ(formatMatch(parseMatch("dl_type=0x1234")), "dl_type=0x1234");
    const Match m = parseMatch("udp");
    EXPECT_EQ(m.key.dl_type, eth_type::kIpv4);
    EXPECT_EQ(m.key.nw_proto, ip_proto::kUdp);
    EXPECT_EQ(m.mask.nw_proto, 0xff);
}

TEST(OfctlParseMatch, VlanForms) {
    Match m = parseMatch("dl_vlan=11");
    EXPECT_EQ(m.key.vlan_tci, 0x100b);
    EXPECT_EQ(m.mask.vlan_tci, 0x1fff);
    m = parseMatch("dl_vlan=0xffff");  // OFP10_VLAN_NONE: untagged only.
    EXPECT_EQ(m.key.vlan_tci, 0);
    EXPECT_EQ(m.mask.vlan_tci, 0xffff);
    EXPECT_EQ(formatMatch(m), "vlan_tci=0x0000");
    EXPECT_EQ(formatMatch(parseMatch("dl_vlan_pcp=3,dl_vlan=5")), "dl_vlan=5,dl_vlan_pcp=3");
    EXPECT_EQ(formatMatch(parseMatch("vlan_tci=0x1005/0x1fff,dl_vlan_pcp=3")),
              "dl_vlan=5,dl_vlan_pcp=3");
    EXPECT_EQ(formatMatch(parseMatch("dl_vlan=5,vlan_tci=0")), "vlan_tci=0x0000");
    EXPECT_EQ(formatMatch(parseMatch("vlan_tci=0x0004/0x0fff")), "vlan_tci=0x0004/0x0fff");
    EXPECT_EQ(formatMatch(parseMatch("dl_vlan=0x1fff")), "dl_vlan=4095");
    EXPECT_EQ(formatMatch(parseMatch("dl_vlan=4096")), "dl_vlan=0");  // OVS masks to 12 bits.
    EXPECT_EQ(formatMatch(parseMatch("vlan_vid=0x1005")), "dl_vlan=5");
    EXPECT_EQ(formatMatch(parseMatch("vlan_pcp=2")), "dl_vlan_pcp=2");
}

TEST(OfctlParseMatch, EthernetMasks) {
    Match m = parseMatch("dl_dst=01:00:00:00:00:00/01:00:00:00:00:00");
    EXPECT_EQ(m.key.dl_dst, 0x010000000000ULL);
    EXPECT_EQ(m.mask.dl_dst, 0x010000000000ULL);
    EXPECT_EQ(formatMatch(parseMatch("dl_src=00:11:22:33:44:55/ff:ff:ff:ff:ff:ff")),
              "dl_src=00:11:22:33:44:55");
    EXPECT_EQ(formatMatch(parseMatch("eth_dst=1:2:3:4:5:6")), "dl_dst=01:02:03:04:05:06");
}

TEST(OfctlParseMatch, Ipv4PrefixesAndMasks) {
    EXPECT_EQ(formatMatch(parseMatch("ip,nw_src=10.0.0.0/24")), "ip,nw_src=10.0.0.0/24");
    EXPECT_EQ(formatMatch(parseMatch("ip,nw_src=10.0.0.0/255.255.255.0")), "ip,nw_src=10.0.0.0/24");
    EXPECT_EQ(formatMatch(parseMatch("ip,nw_src=10.0.0.0/255.0.255.0")),
              "ip,nw_src=10.0.0.0/255.0.255.0");
    EXPECT_EQ(formatMatch(parseMatch("ip,nw_dst=1.2.3.4/32")), "ip,nw_dst=1.2.3.4");
    EXPECT_EQ(formatMatch(parseMatch("ip,nw_src=1.2.3.4/0")), "ip");
    EXPECT_EQ(formatMatch(parseMatch("ip,nw_src=01.02.03.04")), "ip,nw_src=1.2.3.4");
    const Match m = parseMatch("ip,nw_src=10.1.2.3/8");
    EXPECT_EQ(m.key.nw_src, 0x0a000000u);  // Key bits outside the mask are dropped.
    EXPECT_EQ(m.mask.nw_src, 0xff000000u);
}

TEST(OfctlParseMatch, ArpFields) {
    const Match m = parseMatch(
        "arp,arp_op=2,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_sha=00:11:22:33:44:55,"
        "arp_tha=00:00:00:00:00:00/ff:ff:ff:00:00:00");
    EXPECT_EQ(formatMatch(m),
              "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_op=2,arp_sha=00:11:22:33:44:55,"
              "arp_tha=00:00:00:00:00:00/ff:ff:ff:00:00:00");
    EXPECT_EQ(formatMatch(parseMatch("rarp,nw_src=1.2.3.4")), "rarp,arp_spa=1.2.3.4");
}

TEST(OfctlParseMatch, TransportAndIcmp) {
    EXPECT_EQ(formatMatch(parseMatch("tcp,tp_src=0x50/0xfff0")), "tcp,tp_src=0x50/0xfff0");
    EXPECT_EQ(formatMatch(parseMatch("udp,tp_src=53,tcp_dst=5")), "udp,tp_src=53,tp_dst=5");
    EXPECT_EQ(formatMatch(parseMatch("icmp,icmp_type=3,icmp_code=1")),
              "icmp,icmp_type=3,icmp_code=1");
    EXPECT_EQ(formatMatch(parseMatch("tcp,icmp_type=3")), "tcp,tp_src=3");  // same storage
}

TEST(OfctlParseMatch, IpHeaderFields) {
    EXPECT_EQ(formatMatch(parseMatch("ip,nw_tos=0x10,nw_ecn=2,nw_ttl=64,nw_proto=47")),
              "ip,nw_proto=47,nw_tos=16,nw_ecn=2,nw_ttl=64");
    // OVS masks nw_tos to its DSCP bits rather than rejecting it (checked with OVS 3.1).
    const Match m = parseMatch("ip,nw_tos=3");
    EXPECT_EQ(m.mask.nw_tos, 0xfc);
    EXPECT_EQ(m.key.nw_tos, 0);
    EXPECT_EQ(formatMatch(m), "ip,nw_tos=0");
}

TEST(OfctlParseMatch, MetadataRegistersAndTunnels) {
    EXPECT_EQ(formatMatch(parseMatch(
                  "reg0=5,reg7=0x10/0xf0,metadata=0,tun_id=0,tun_src=1.2.3.4,tun_dst=5.6.7.0/24")),
              "reg0=0x5,reg7=0x10/0xf0,tun_id=0,tun_src=1.2.3.4,tun_dst=5.6.7.0/24,metadata=0");
    EXPECT_EQ(formatMatch(parseMatch("tun_id=0x1/0xff")), "tun_id=0x1/0xff");
    EXPECT_EQ(formatMatch(parseMatch("tun_id=0x0001")), "tun_id=0x1");
    EXPECT_EQ(formatMatch(parseMatch("tun_id=-1")), "tun_id=0xffffffffffffffff");
    EXPECT_EQ(formatMatch(parseMatch("NXM_NX_REG0[0..3]=5")), "reg0=0x5/0xf");
    EXPECT_EQ(formatMatch(parseMatch("reg1[4]=1")), "reg1=0x10/0x10");
}

TEST(OfctlParseMatch, WildcardsAndEmptyValues) {
    EXPECT_EQ(parseMatch("tun_id=*"), Match{});
    EXPECT_EQ(parseMatch("tun_id=5/0"), Match{});
    EXPECT_EQ(parseMatch("tun_id"), Match{});
    EXPECT_EQ(parseMatch("in_port=*"), Match{});
    EXPECT_EQ(formatMatch(parseMatch("ip,nw_src=*")), "ip");
}

TEST(OfctlParseMatch, PortsByNumberReservedNameAndResolver) {
    const PortResolver ports = [](std::string_view name) -> std::optional<std::uint32_t> {
        if (name == "patch-int")
            return 1;
        if (name == "gre-1")
            return 2;
        return std::nullopt;
    };
    EXPECT_EQ(parseMatch("in_port=patch-int", ports).key.in_port, 1u);
    EXPECT_EQ(parseMatch("in_port=\"gre-1\"", ports).key.in_port, 2u);
    EXPECT_EQ(parseMatch("in_port=local").key.in_port, ofp::kLocal);
    EXPECT_EQ(parseMatch("in_port=In_Port").key.in_port, ofp::kInPort);
    EXPECT_EQ(parseMatch("in_port=05").key.in_port, 5u);
    EXPECT_EQ(parseMatch("in_port=4294967294").key.in_port, ofp::kLocal);  // OF1.1 number
    EXPECT_EQ(parsePort("NONE"), ofp::kNone);
    EXPECT_EQ(parsePort("0x5"), std::nullopt);  // Ports are decimal only.
    EXPECT_EQ(parsePort("-1"), std::nullopt);
    EXPECT_EQ(parsePort("70000"), std::nullopt);
    EXPECT_EQ(parsePort("patch-int"), std::nullopt);  // No resolver.
}

TEST(OfctlParseMatch, NormalizationDropsFieldsWithoutPrerequisites) {
    // OVS 3.1 accepts these and installs the flow without the field (checked with
    // `ovs-ofctl add-flow` + dump-flows): we do the same and say so in a warning.
    ParseWarnings warnings;
    EXPECT_EQ(parseMatch("nw_src=10.0.0.1", {}, &warnings), Match{});
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_EQ(warnings[0], "normalization changed ofp_match, details: pre: nw_src=10.0.0.1 post: ");
    warnings.clear();
    EXPECT_EQ(formatMatch(parseMatch("ip,tp_dst=80", {}, &warnings)), "ip");
    EXPECT_EQ(warnings.size(), 1u);
    EXPECT_EQ(formatMatch(parseMatch("arp,nw_ttl=3,nw_tos=4")), "arp");
    EXPECT_EQ(formatMatch(parseMatch("ip,arp_sha=00:00:00:00:00:01")), "ip");
    EXPECT_EQ(formatMatch(parseMatch("ipv6,tp_src=5")), "ipv6");
    EXPECT_EQ(formatMatch(parseMatch("tcp6,tp_src=5")), "tcp6,tp_src=5");
    warnings.clear();
    parseMatch("tcp,tp_dst=80", {}, &warnings);
    EXPECT_TRUE(warnings.empty());
}

// ---------------------------------------------------------------------------------------
// Actions.

TEST(OfctlParseActions, OutputForms) {
    const ActionList a = parseActions(
        "output:3,7,in_port,normal,LOCAL,flood,ALL,controller,output:controller,CONTROLLER:100,"
        "controller(max_len=9),TABLE,output:4294967294");
    const ActionList expected = {
        OutputAction{3, 0},
        OutputAction{7, 0},
        OutputAction{ofp::kInPort, 0},
        OutputAction{ofp::kNormal, 0},
        OutputAction{ofp::kLocal, 0},
        OutputAction{ofp::kFlood, 0},
        OutputAction{ofp::kAll, 0},
        OutputAction{ofp::kController, 65535},
        OutputAction{ofp::kController, 65535},
        OutputAction{ofp::kController, 100},
        OutputAction{ofp::kController, 9},
        OutputAction{ofp::kTable, 0},
        OutputAction{ofp::kLocal, 0},
    };
    EXPECT_EQ(a, expected);
    EXPECT_EQ(parseActions("output:NXM_NX_REG0[0..15],output:reg1"),
              (ActionList{OutputRegAction{Subfield{FieldId::Reg0, 0, 16}},
                          OutputRegAction{Subfield{FieldId::Reg1, 0, 32}}}));
    const PortResolver ports = [](std::string_view n) -> std::optional<std::uint32_t> {
        return n == "gre-1" ? std::optional<std::uint32_t>(2) : std::nullopt;
    };
    EXPECT_EQ(parseActions("output:gre-1,gre-1", ports),
              (ActionList{OutputAction{2, 0}, OutputAction{2, 0}}));
}

TEST(OfctlParseActions, DropAndEmpty) {
    EXPECT_TRUE(parseActions("").empty());
    EXPECT_TRUE(parseActions("drop").empty());
    EXPECT_TRUE(parseActions("DROP,drop").empty());
}

TEST(OfctlParseActions, ResubmitForms) {
    EXPECT_EQ(parseActions("resubmit(,21)"), (ActionList{ResubmitAction{ofp::kInPort, 21, false}}));
    EXPECT_EQ(parseActions("resubmit:3"),
              (ActionList{ResubmitAction{3, ResubmitAction::kCurrentTable, true}}));
    EXPECT_EQ(parseActions("resubmit(5,)"),
              (ActionList{ResubmitAction{5, ResubmitAction::kCurrentTable, true}}));
    EXPECT_EQ(parseActions("resubmit(in_port,3)"),
              (ActionList{ResubmitAction{ofp::kInPort, 3, false}}));
    EXPECT_EQ(parseActions("resubmit(1,2)"), (ActionList{ResubmitAction{1, 2, false}}));
}

TEST(OfctlParseActions, VlanTunnelAndAddressActions) {
    const ActionList a = parseActions(
        "mod_vlan_vid:4,mod_vlan_pcp:0x7,strip_vlan,pop_vlan,push_vlan:0x8100,"
        "push_vlan:0x88a8,set_tunnel:0x1,set_tunnel64:5,set_tunnel:0x100000000,"
        "mod_dl_src:00:11:22:33:44:55,mod_dl_dst:fa:16:3e:00:00:01,mod_nw_src:1.2.3.4,"
        "mod_nw_dst:10.0.0.1,dec_ttl,goto_table:3");
    const ActionList expected = {
        SetVlanVidAction{4},
        SetVlanPcpAction{7},
        StripVlanAction{false},
        StripVlanAction{true},
        PushVlanAction{0x8100},
        PushVlanAction{0x88a8},
        SetTunnelAction{1, false},
        SetTunnelAction{5, true},
        SetTunnelAction{0x100000000ULL, true},
        SetEthAddrAction{true, 0x001122334455ULL},
        SetEthAddrAction{false, 0xfa163e000001ULL},
        SetIpv4AddrAction{true, 0x01020304},
        SetIpv4AddrAction{false, 0x0a000001},
        DecTtlAction{},
        GotoTableAction{3},
    };
    EXPECT_EQ(a, expected);
}

TEST(OfctlParseActions, SetFieldLoadMove) {
    const ActionList a = parseActions(
        "set_field:1->reg0,set_field:0x15/0xf->reg1,set_field:fa:16:3e:00:00:01->eth_dst,"
        "set_field:10.0.0.1->tun_dst,set_field:LOCAL->in_port,set_field:5/0->reg2,"
        "load:0xff->NXM_NX_REG0[8..15],load:1->reg1,move:reg0->reg2,"
        "move:NXM_OF_ETH_SRC[0..15]->NXM_OF_VLAN_TCI[]");
    const ActionList expected = {
        SetFieldAction{FieldId::Reg0, 1, 0xffffffff},
        SetFieldAction{FieldId::Reg1, 5, 0xf},  // value & mask, as OVS stores it
        SetFieldAction{FieldId::DlDst, 0xfa163e000001ULL, 0xffffffffffffULL},
        SetFieldAction{FieldId::TunDst, 0x0a000001, 0xffffffff},
        SetFieldAction{FieldId::InPort, ofp::kLocal, 0xffff},
        // set_field with an all-zero mask sets nothing; OVS drops it too.
        LoadAction{Subfield{FieldId::Reg0, 8, 8}, 0xff},
        LoadAction{Subfield{FieldId::Reg1, 0, 32}, 1},
        MoveAction{Subfield{FieldId::Reg0, 0, 32}, Subfield{FieldId::Reg2, 0, 32}},
        MoveAction{Subfield{FieldId::DlSrc, 0, 16}, Subfield{FieldId::VlanTci, 0, 16}},
    };
    EXPECT_EQ(a, expected);
}

TEST(OfctlParseActions, NoteIsPaddedLikeOvs) {
    // The NX note action is padded to a multiple of 8 bytes; OVS dumps the padding.
    const auto note = [](std::string_view text) {
        return std::get<NoteAction>(parseActions(text).at(0)).bytes;
    };
    EXPECT_EQ(note("note:ab"), (std::vector<std::uint8_t>{0xab, 0, 0, 0, 0, 0}));
    EXPECT_EQ(note("note:"), (std::vector<std::uint8_t>(6, 0)));
    EXPECT_EQ(note("note:01.02.03.04.05.06.07").size(), 14u);
    EXPECT_EQ(note("note:0102030405.06").size(), 6u);
}

TEST(OfctlParseActions, LearnFullGrammar) {
    const ActionList a = parseActions(
        "learn(table=20,idle_timeout=10,hard_timeout=30,fin_idle_timeout=5,fin_hard_timeout=6,"
        "priority=7,cookie=0x5,send_flow_rem,delete_learned,dl_type=0x800,nw_src=10.0.0.1,"
        "NXM_OF_IP_DST[],NXM_OF_IP_DST[0..7]=0x5,NXM_OF_VLAN_TCI[]=0x1005,"
        "load:0x5->NXM_NX_REG0[0..7],output:NXM_NX_REG1[0..15],in_port=99,"
        "NXM_NX_REG4[]=NXM_NX_REG5[])");
    ASSERT_EQ(a.size(), 1u);
    const auto& l = std::get<LearnAction>(a[0]);
    EXPECT_EQ(l.table, 20);
    EXPECT_EQ(l.idleTimeout, 10);
    EXPECT_EQ(l.hardTimeout, 30);
    EXPECT_EQ(l.finIdleTimeout, 5);
    EXPECT_EQ(l.finHardTimeout, 6);
    EXPECT_EQ(l.priority, 7);
    EXPECT_EQ(l.cookie, 5u);
    EXPECT_TRUE(l.sendFlowRem);
    EXPECT_TRUE(l.deleteLearned);
    ASSERT_EQ(l.specs.size(), 9u);
    EXPECT_TRUE(l.specs[0].srcImmediate);
    EXPECT_TRUE(l.specs[0].dstWholeField);
    EXPECT_EQ(l.specs[0].dst, (Subfield{FieldId::DlType, 0, 16}));
    EXPECT_EQ(l.specs[0].value, 0x800u);
    EXPECT_EQ(l.specs[1].value, 0x0a000001u);
    EXPECT_EQ(l.specs[2].src, l.specs[2].dst);
    EXPECT_FALSE(l.specs[3].dstWholeField);
    EXPECT_EQ(l.specs[3].dst, (Subfield{FieldId::NwDst, 0, 8}));
    EXPECT_EQ(l.specs[3].value, 5u);
    EXPECT_TRUE(l.specs[4].dstWholeField);  // NXM_OF_VLAN_TCI[] covers the whole field
    EXPECT_EQ(l.specs[5].kind, LearnSpec::Kind::Load);
    EXPECT_EQ(l.specs[6].kind, LearnSpec::Kind::Output);
    EXPECT_EQ(l.specs[7].value, 99u);
    EXPECT_EQ(l.specs[8].src, (Subfield{FieldId::Reg5, 0, 32}));
    EXPECT_EQ(parseActions("learn(table=1)"), (ActionList{LearnAction{}}));
}

// ---------------------------------------------------------------------------------------
// Errors: one per kind, with OVS 3.1's wording, the offending word and line 0.

struct ErrorCase {
    const char* line;
    FlowMod::Command cmd;
    const char* message;
    const char* word;
};

class OfctlParseError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(OfctlParseError, MessageAndWord) {
    const ErrorCase& c = GetParam();
    const ParseError e = parseErrorOf([&] { parseFlowMod(c.line, c.cmd); });
    EXPECT_STREQ(e.what(), c.message) << c.line;
    EXPECT_EQ(e.word(), c.word) << c.line;
    EXPECT_EQ(e.line(), 0) << c.line;
}

constexpr auto A = FlowMod::Command::Add;
constexpr auto D = FlowMod::Command::Delete;
constexpr auto M = FlowMod::Command::Modify;

const ErrorCase kErrorCases[] = {
    {"fooo=1 actions=drop", A, "unknown keyword fooo", "fooo"},
    {"in_port=1", A, "must specify an action", "in_port=1"},
    {"frob actions=drop", A, "field frob missing value", "frob"},
    // OVS wraps octets above 255 (10.0.0.300 is 10.0.0.44); the engine rejects them.
    {"ip,nw_src=10.0.0.300 actions=drop", A, "10.0.0.300: invalid IP address", "10.0.0.300"},
    {"ip,nw_src=foo actions=drop", A, "foo: invalid IP address", "foo"},
    {"ip,nw_src=10.0.0.0/33 actions=drop", A,
     "10.0.0.0/33: IPv4 network prefix bits not between 0 and 32, inclusive", "10.0.0.0/33"},
    {"nw_src actions=drop", A, "0/0: invalid IP address", "0/0"},
    {"in_port=foo actions=drop", A, "foo: invalid or unknown port for in_port", "foo"},
    {"in_port=1/2 actions=drop", A, "1/2: invalid or unknown port for in_port", "1/2"},
    {"priority=70000 actions=drop", A, "invalid priority \"70000\"", "70000"},
    {"idle_timeout=x actions=drop", A, "invalid idle_timeout \"x\"", "x"},
    {"table=256 actions=drop", A, "unknown table \"256\"", "256"},
    {"dl_dst=01:02:03:04:05 actions=drop", A, "01:02:03:04:05: invalid Ethernet address",
     "01:02:03:04:05"},
    {"ip,nw_tos=256 actions=drop", A, "256: value too large for 1-byte field nw_tos", "256"},
    {"tcp,tp_src=70000 actions=drop", A, "70000: value too large for 2-byte field tcp_src",
     "70000"},
    {"tun_id=0x1/0xz actions=drop", A, "0x1/0xz: bad syntax for tun_id mask", "0x1/0xz"},
    {"reg0=1/2/3 actions=drop", A, "1/2/3: bad syntax for reg0 mask", "1/2/3"},
    {"dl_type=0x800/0xfff actions=drop", A, "0x800/0xfff: invalid mask for field eth_type",
     "0x800/0xfff"},
    {"reg0[0..3]=0x10 actions=drop", A, "reg0[0..3]: value 0x10 does not fit into 4 bits", "0x10"},
    {"nw_frag=no actions=drop", A, "nw_frag: field not supported", "nw_frag"},
    {"cookie=1/2 actions=drop", A, "flow additions cannot use a cookie mask", "1/2"},
    {"cookie=5", D, "cannot set cookie (to match on a cookie, specify a mask, e.g. cookie=5/-1)",
     "5"},
    {"priority=1", D, "unknown keyword priority", "priority"},
    {"idle_timeout=5", D, "unknown keyword idle_timeout", "idle_timeout"},
    {"in_port=1 actions=drop", D, "unknown keyword actions", "actions"},
    {"out_port=foo", D, "foo is not a valid OpenFlow port", "foo"},
    {"cookie=abc/1 actions=drop", M, "invalid numeric format abc", "abc"},
    // Actions.
    {"actions=frob", A, "unknown action frob", "frob"},
    {"actions=enqueue:1:2", A, "enqueue: action not supported", "enqueue"},
    {"actions=output:foo", A, "foo: output to unknown port", "foo"},
    {"actions=output:NXM_OF_VLAN_TCI[0..16]", A,
     "NXM_OF_VLAN_TCI[0..16]: ending bit 16 is not valid because field is only 16 bits wide",
     "NXM_OF_VLAN_TCI[0..16]"},
    {"actions=output:NONE", A, "actions are invalid with specified match (OFPBAC_BAD_OUT_PORT)",
     "output:NONE"},
    {"actions=drop,output:1", A,
     "\"drop\" must not be accompanied by any other action or instruction", "drop"},
    {"actions=resubmit(1,2,3)", A, "3: unknown parameter", "3"},
    {"actions=resubmit(,256)", A, "256: resubmit to unknown table", "256"},
    {"actions=resubmit(foo,1)", A, "foo: resubmit to unknown port", "foo"},
    {"actions=resubmit", A, "at least one \"in_port\" or \"table\" must be specified on resubmit",
     ""},
    {"actions=goto_table:foo", A, "unknown table \"foo\"", "foo"},
    {"actions=goto_table:1,output:1", A,
     "invalid instruction ordering: apply_actions must appear before goto_table, for OpenFlow "
     "1.1+ compatibility",
     "goto_table:1"},
    {"actions=goto_table:1,goto_table:2", A,
     "duplicate goto_table instruction not allowed, for OpenFlow 1.1+ compatibility", "goto_table"},
    {"table=3 actions=goto_table:3", A,
     "actions are invalid with specified match (OFPBIC_BAD_TABLE_ID)", "goto_table:3"},
    {"actions=mod_vlan_vid:4096", A, "4096: not a valid VLAN VID", "4096"},
    {"actions=mod_vlan_vid:abc", A, "invalid VLAN VID \"abc\"", "abc"},
    {"actions=mod_vlan_pcp:8", A, "8: not a valid VLAN PCP", "8"},
    {"actions=push_vlan:0x800", A, "0x800: not a valid VLAN ethertype", "0x800"},
    {"actions=mod_dl_src:1:2:3", A, "invalid mac address 1:2:3", "1:2:3"},
    {"actions=mod_nw_src:1.2.3", A, "1.2.3: could not convert to IP address", "1.2.3"},
    {"actions=set_tunnel", A, "missing required numeric argument", ""},
    {"actions=set_tunnel:abc", A, "invalid numeric format abc", "abc"},
    {"actions=note:a", A, "bad hex digit in `note' argument", "a"},
    {"actions=set_field:1", A, "1: missing `->'", "1"},
    {"actions=set_field:1->", A, "1->: missing field name following `->'", "1->"},
    {"ip actions=set_field:1.2.3.4->nw_frob", A, "nw_frob is not a valid OXM field name",
     "nw_frob"},
    {"actions=set_field:5->dl_type", A, "dl_type is read-only", "dl_type"},
    {"ip actions=set_field:5->nw_tos", A, "5 is not a valid value for field nw_tos", "5"},
    {"actions=set_field:1.2.3.4->nw_src", A,
     "actions are invalid with specified match (OFPBAC_MATCH_INCONSISTENT)",
     "set_field:1.2.3.4->nw_src"},
    {"actions=load:0x10000->NXM_OF_VLAN_TCI[]", A,
     "0x10000->NXM_OF_VLAN_TCI[]: cannot parse integer value", "0x10000"},
    {"actions=load:0x1000->NXM_OF_VLAN_TCI[0..11]", A,
     "0x1000->NXM_OF_VLAN_TCI[0..11]: value 0x1000 does not fit into 12 bits", "0x1000"},
    {"actions=load:0->NXM_OF_FOO[]", A, "NXM_OF_FOO[]: unknown field `NXM_OF_FOO'", "NXM_OF_FOO[]"},
    {"actions=load:1->NXM_NX_REG0[5..3]", A,
     "NXM_NX_REG0[5..3]: starting bit 5 is after ending bit 3", "NXM_NX_REG0[5..3]"},
    {"actions=load:1->NXM_NX_REG0[32]", A,
     "NXM_NX_REG0[32]: starting bit 32 is not valid because field is only 32 bits wide",
     "NXM_NX_REG0[32]"},
    {"actions=load:1->NXM_NX_REG0[x]", A,
     "NXM_NX_REG0[x]: syntax error expecting [] or [<bit>] or [<start>..<end>]", "NXM_NX_REG0[x]"},
    {"actions=load:1->NXM_NX_REG0[]junk", A, "unexpected input following field syntax",
     "NXM_NX_REG0[]junk"},
    {"actions=load:1->NXM_OF_ETH_TYPE[]", A,
     "actions are invalid with specified match (OFPBAC_BAD_SET_ARGUMENT)",
     "load:1->NXM_OF_ETH_TYPE[]"},
    {"actions=move:NXM_OF_ETH_SRC[]->NXM_OF_VLAN_TCI[]", A,
     "NXM_OF_ETH_SRC[]->NXM_OF_VLAN_TCI[]: source field is 48 bits wide but destination is 16 "
     "bits wide",
     "NXM_OF_ETH_SRC[]->NXM_OF_VLAN_TCI[]"},
    {"actions=move:NXM_NX_REG0[]", A, "NXM_NX_REG0[]: missing `->' following source",
     "NXM_NX_REG0[]"},
    {"actions=move:NXM_OF_IP_SRC[]->NXM_NX_REG0[]", A,
     "actions are invalid with specified match (OFPBAC_MATCH_INCONSISTENT)",
     "move:NXM_OF_IP_SRC[]->NXM_NX_REG0[]"},
    // learn(...).
    {"actions=learn(table=20,NXM_OF_VLAN_TCI[0..16])", A,
     "NXM_OF_VLAN_TCI[0..16]: ending bit 16 is not valid because field is only 16 bits wide",
     "NXM_OF_VLAN_TCI[0..16]"},
    {"actions=learn(table=20,foo=bar)", A, "table=20,foo=bar: unknown keyword foo", "foo"},
    {"actions=learn(table=20,NXM_OF_ETH_DST[]=NXM_OF_VLAN_TCI[])", A,
     "table=20,NXM_OF_ETH_DST[]=NXM_OF_VLAN_TCI[]: bit widths of NXM_OF_ETH_DST[] (16) and "
     "NXM_OF_VLAN_TCI[] (48) differ",
     "NXM_OF_VLAN_TCI[]"},
    {"actions=learn(table=20,load:NXM_OF_ETH_DST[]->NXM_OF_VLAN_TCI[])", A,
     "NXM_OF_ETH_DST[]->NXM_OF_VLAN_TCI[]: source field is 48 bits wide but destination is 16 "
     "bits wide",
     "NXM_OF_ETH_DST[]->NXM_OF_VLAN_TCI[]"},
    {"actions=learn(table=20,load:0x1000->NXM_OF_VLAN_TCI[0..11])", A,
     "0x1000->NXM_OF_VLAN_TCI[0..11]: value does not fit into 12 bits",
     "0x1000->NXM_OF_VLAN_TCI[0..11]"},
    {"actions=learn(table=20,load:1)", A, "load: missing `->' in `1'", "1"},
    {"actions=learn(table=20,load:->NXM_NX_REG0[])", A,
     "load: missing source before `->' in `->NXM_NX_REG0[]'", "->NXM_NX_REG0[]"},
    {"actions=learn(table=20,output:foo)", A, "foo: unknown field `foo'", "foo"},
    {"actions=learn(priority=5,table=255)", A,
     "priority=5,table=255: table id 255 not valid for `learn' action", "255"},
    {"actions=learn(table=20,NXM_OF_VLAN_TCI[0..11]=0x10000)", A,
     "table=20,NXM_OF_VLAN_TCI[0..11]=0x10000: NXM_OF_VLAN_TCI[0..11] value 0x10000 cannot be "
     "parsed as a subfield (0x10000: unknown field `0x10000') or an immediate value "
     "(table=20,NXM_OF_VLAN_TCI[0..11]=0x10000: cannot parse integer value)",
     "0x10000"},
    {"ip actions=learn(table=20,dl_type=0x800,vlan_tci=0x1005/0x1fff)", A,
     "table=20,dl_type=0x800,vlan_tci=0x1005/0x1fff: vlan_tci value 0x1005/0x1fff cannot be "
     "parsed as a subfield (0x1005/0x1fff: unknown field `0x1005/0x1fff') or an immediate "
     "value (0x1005/0x1fff: wildcards not allowed here)",
     "0x1005/0x1fff"},
    {"actions=learn(table=20,NXM_OF_ETH_TYPE[],NXM_OF_IP_DST[])", A,
     "actions are invalid with specified match (OFPBAC_MATCH_INCONSISTENT)",
     "learn(table=20,NXM_OF_ETH_TYPE[],NXM_OF_IP_DST[])"},
    // The engine is stricter than OVS's atoi() here.
    {"actions=learn(priority=abc)", A, "invalid priority \"abc\"", "abc"},
};

INSTANTIATE_TEST_SUITE_P(Ovs31Wording, OfctlParseError, ::testing::ValuesIn(kErrorCases));

TEST(OfctlParseActions, PrerequisitesSatisfiedByTheMatch) {
    EXPECT_NO_THROW(parseFlowMod("ip actions=set_field:1.2.3.4->nw_src", FlowMod::Command::Add));
    EXPECT_NO_THROW(parseFlowMod("ip actions=output:NXM_OF_IP_SRC[0..15]", FlowMod::Command::Add));
    EXPECT_NO_THROW(parseFlowMod("ip actions=learn(table=20,dl_type=0x800,NXM_OF_IP_DST[])",
                                 FlowMod::Command::Add));
    // The learned flow needs dl_type before NXM_OF_IP_DST, and the packet must be IP.
    EXPECT_THROW(parseFlowMod("ip actions=learn(table=20,NXM_OF_IP_DST[])", FlowMod::Command::Add),
                 ParseError);
    EXPECT_THROW(parseFlowMod("actions=learn(table=20,dl_type=0x800,NXM_OF_IP_DST[])",
                              FlowMod::Command::Add),
                 ParseError);
    EXPECT_NO_THROW(parseFlowMod("table=3 actions=goto_table:4", FlowMod::Command::Add));
    // Without a match, parseActions() cannot know: it leaves the check to parseFlowMod().
    EXPECT_NO_THROW(parseActions("set_field:1.2.3.4->nw_src"));
}

TEST(OfctlParseSubfield, Forms) {
    EXPECT_EQ(parseSubfield("NXM_OF_VLAN_TCI[0..11]"), (Subfield{FieldId::VlanTci, 0, 12}));
    EXPECT_EQ(parseSubfield("NXM_NX_REG0[5]"), (Subfield{FieldId::Reg0, 5, 1}));
    EXPECT_EQ(parseSubfield("NXM_OF_ETH_DST[]"), (Subfield{FieldId::DlDst, 0, 48}));
    EXPECT_EQ(parseSubfield("reg3"), (Subfield{FieldId::Reg3, 0, 32}));
    EXPECT_EQ(parseSubfield("tun_id[32..63]"), (Subfield{FieldId::TunId, 32, 32}));
    const ParseError e = parseErrorOf([] { parseSubfield("NXM_OF_VLAN_TCI[0..16]"); });
    EXPECT_STREQ(e.what(),
                 "NXM_OF_VLAN_TCI[0..16]: ending bit 16 is not valid because field is only 16 "
                 "bits wide");
}

}  // namespace
}  // namespace nlab::engine
