#include "engine/flow/flow_table.h"

#include "engine/flow/flow_table_internal.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace nlab::engine {
namespace {

// --- Helpers -----------------------------------------------------------------------------

constexpr std::uint64_t kMacA = 0x0000'5e00'5301ULL;  // 00:00:5e:00:53:01
constexpr std::uint64_t kMacB = 0x0000'5e00'5302ULL;
constexpr std::uint64_t kBroadcast = 0xffff'ffff'ffffULL;
constexpr std::uint64_t kMulticastBit = 0x0100'0000'0000ULL;

Match matchInPort(std::uint32_t port) {
    Match m;
    m.set(FieldId::InPort, port);
    return m;
}

Match matchDlDst(std::uint64_t mac, std::uint64_t mask = ~0ULL) {
    Match m;
    m.set(FieldId::DlDst, mac, mask);
    return m;
}

Match matchInPortDlDst(std::uint32_t port, std::uint64_t mac) {
    Match m = matchInPort(port);
    m.set(FieldId::DlDst, mac);
    return m;
}

ActionList output(std::uint32_t port) {
    return {OutputAction{port, 0}};
}

FlowSpec spec(const Match& match, std::uint16_t priority, ActionList actions = output(1)) {
    FlowSpec s;
    s.match = match;
    s.priority = priority;
    s.actions = std::move(actions);
    return s;
}

FlowKey packet(std::uint32_t inPort, std::uint64_t dlDst = kMacB, std::uint64_t dlSrc = kMacA) {
    FlowKey k;
    k.in_port = inPort;
    k.dl_dst = dlDst;
    k.dl_src = dlSrc;
    k.dl_type = eth_type::kIpv4;
    k.nw_src = 0x0a000001;
    k.nw_dst = 0x0a000002;
    return k;
}

FlowMask maskOf(std::initializer_list<Match> matches) {
    FlowMask m;
    for (const Match& x : matches)
        orMaskInto(m, x.mask);
    return m;
}

std::uint64_t idOf(const FlowEntry* e) {
    return e == nullptr ? 0 : e->id;
}

/// Records every removal the table reports.
struct RemovalLog {
    struct Item {
        std::uint64_t id;
        FlowRemovedReason reason;
        std::uint64_t nPackets;
        std::uint64_t cookie;
        bool operator==(const Item&) const = default;
    };
    std::vector<Item> items;
    void attach(FlowTable& t) {
        t.setRemovedCallback([this](const FlowEntry& e, FlowRemovedReason r) {
            items.push_back({e.id, r, e.nPackets, e.spec.cookie});
        });
    }
};

std::vector<std::uint64_t> ids(const FlowTable& t) {
    std::vector<std::uint64_t> out;
    for (const FlowEntry* e : t.entries())
        out.push_back(e->id);
    return out;
}

FlowEntry* mustAdd(FlowTable& t, FlowSpec s, SimTime now) {
    auto r = t.add(std::move(s), now);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : nullptr;
}

// Simulates the pipeline forwarding one packet of 'bytes' through 'e' at 'now'.
void hit(FlowEntry* e, SimTime now, std::uint64_t bytes = 60) {
    ++e->nPackets;
    e->nBytes += bytes;
    e->used = now;
}

FlowMod mod(FlowMod::Command c, const Match& m, std::uint16_t priority = ofp::kDefaultPriority) {
    FlowMod f;
    f.command = c;
    f.table = 0;
    f.spec.match = m;
    f.spec.priority = priority;
    return f;
}

// --- Free functions ----------------------------------------------------------------------

TEST(FlowTableTest, RemovedReasonNames) {
    EXPECT_EQ(toString(FlowRemovedReason::IdleTimeout), "idle");
    EXPECT_EQ(toString(FlowRemovedReason::HardTimeout), "hard");
    EXPECT_EQ(toString(FlowRemovedReason::Delete), "delete");
    EXPECT_EQ(toString(FlowRemovedReason::Replaced), "replaced");
}

TEST(FlowTableTest, MatchCoveredByIsLooseFlowModSelection) {
    const Match any;
    const Match port1 = matchInPort(1);
    const Match port1Dst = matchInPortDlDst(1, kMacB);
    const Match port2Dst = matchInPortDlDst(2, kMacB);
    EXPECT_TRUE(matchCoveredBy(port1, any));
    EXPECT_TRUE(matchCoveredBy(any, any));
    EXPECT_TRUE(matchCoveredBy(port1Dst, port1));
    EXPECT_TRUE(matchCoveredBy(port1, port1));
    EXPECT_FALSE(matchCoveredBy(port1, port1Dst));  // rule wildcards dl_dst, filter does not
    EXPECT_FALSE(matchCoveredBy(port2Dst, port1));  // different value
    EXPECT_FALSE(matchCoveredBy(any, port1));
    // Equal key bits are not enough: the rule must constrain them (its key is zero there).
    EXPECT_FALSE(matchCoveredBy(any, matchInPort(0)));
    EXPECT_FALSE(matchCoveredBy(matchDlDst(0, kMulticastBit), matchDlDst(0)));
    // Partial masks: the rule must care about every bit the filter cares about.
    const Match mcast = matchDlDst(kMulticastBit, kMulticastBit);
    EXPECT_TRUE(matchCoveredBy(matchDlDst(kBroadcast), mcast));
    EXPECT_FALSE(matchCoveredBy(matchDlDst(kMacB), mcast));
    EXPECT_FALSE(matchCoveredBy(mcast, matchDlDst(kBroadcast)));
}

TEST(FlowTableTest, MatchesOverlapWhenSomePacketMatchesBoth) {
    EXPECT_TRUE(matchesOverlap(matchInPort(1), Match{}));
    EXPECT_TRUE(matchesOverlap(matchInPort(1), matchDlDst(kMacB)));
    EXPECT_TRUE(matchesOverlap(matchInPort(1), matchInPortDlDst(1, kMacB)));
    EXPECT_FALSE(matchesOverlap(matchInPort(1), matchInPort(2)));
    EXPECT_FALSE(matchesOverlap(matchInPortDlDst(1, kMacA), matchInPortDlDst(1, kMacB)));
    EXPECT_TRUE(matchesOverlap(matchDlDst(kMulticastBit, kMulticastBit), matchDlDst(kBroadcast)));
    EXPECT_FALSE(matchesOverlap(matchDlDst(0, kMulticastBit), matchDlDst(kBroadcast)));
}

TEST(FlowTableTest, ActionsOutputToCountsOnlyLiteralOutputs) {
    const ActionList acts = {SetVlanVidAction{4}, OutputAction{2, 0},
                             OutputRegAction{Subfield{FieldId::Reg0, 0, 16}},
                             ResubmitAction{ofp::kInPort, 3, false}, OutputAction{ofp::kFlood, 0}};
    EXPECT_TRUE(actionsOutputTo(acts, 2));
    EXPECT_TRUE(actionsOutputTo(acts, ofp::kFlood));
    EXPECT_FALSE(actionsOutputTo(acts, 1));
    EXPECT_FALSE(actionsOutputTo(acts, 3));
    EXPECT_FALSE(actionsOutputTo({}, 2));
}

// --- Lookup ------------------------------------------------------------------------------

TEST(FlowTableTest, EmptyTable) {
    FlowTable t(3);
    EXPECT_EQ(t.id(), 3);
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.maskCount(), 0u);
    FlowMask wc;
    EXPECT_EQ(t.lookup(packet(1), &wc), nullptr);
    EXPECT_TRUE(isAllZero(wc));
    EXPECT_EQ(t.nextExpiry(), std::nullopt);
    EXPECT_EQ(t.expire(1000 * kSecond), 0u);
    EXPECT_TRUE(t.entries().empty());
    t.checkInvariants();
}

TEST(FlowTableTest, AddAssignsIdsAndTimesAndLookupPicksHighestPriority) {
    FlowTable t(7);
    FlowEntry* low = mustAdd(t, spec(Match{}, 0, {}), 5 * kSecond);
    ASSERT_NE(low, nullptr);
    EXPECT_EQ(low->id, 1u);
    EXPECT_EQ(low->tableId, 7);
    EXPECT_EQ(low->created, 5 * kSecond);
    EXPECT_EQ(low->modified, 5 * kSecond);
    EXPECT_EQ(low->used, 5 * kSecond);
    EXPECT_EQ(low->nPackets, 0u);
    EXPECT_FALSE(low->learned);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(t.maskCount(), 1u);

    FlowEntry* port = mustAdd(t, spec(matchInPort(1), 10, output(2)), 6 * kSecond);
    EXPECT_EQ(port->id, 2u);
    FlowEntry* dst = mustAdd(t, spec(matchInPortDlDst(1, kMacB), 20, output(3)), 6 * kSecond);
    EXPECT_EQ(dst->id, 3u);
    EXPECT_EQ(t.size(), 3u);
    EXPECT_EQ(t.maskCount(), 3u);
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{1, 2, 3}));

    EXPECT_EQ(t.lookup(packet(1, kMacB)), dst);
    EXPECT_EQ(t.lookup(packet(1, kMacA)), port);
    EXPECT_EQ(t.lookup(packet(2, kMacB)), low);
    // lookup() does not touch counters or times.
    EXPECT_EQ(dst->nPackets, 0u);
    EXPECT_EQ(dst->used, 6 * kSecond);
    t.checkInvariants();
}

TEST(FlowTableTest, EqualPrioritiesInDifferentSubtablesOldestWins) {
    FlowTable t(0);
    FlowEntry* byDst = mustAdd(t, spec(matchDlDst(kMacB), 100, output(1)), 0);
    FlowEntry* byPort = mustAdd(t, spec(matchInPort(4), 100, output(2)), 0);
    EXPECT_EQ(t.lookup(packet(4, kMacB)), byDst);
    EXPECT_EQ(t.lookup(packet(4, kMacA)), byPort);

    // Re-adding the older rule gives it a new id: now the in_port rule is the oldest.
    FlowEntry* byDst2 = mustAdd(t, spec(matchDlDst(kMacB), 100, output(1)), kSecond);
    EXPECT_EQ(byDst2->id, 3u);
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{2, 3}));
    EXPECT_EQ(t.lookup(packet(4, kMacB)), byPort);
    EXPECT_EQ(t.lookup(packet(5, kMacB)), byDst2);
    t.checkInvariants();
}

TEST(FlowTableTest, UnwildcardsExactlyTheConsultedSubtables) {
    FlowTable t(0);
    const Match port = matchInPort(1);
    const Match dst = matchDlDst(kMacB);
    const Match any;
    mustAdd(t, spec(port, 100), 0);
    mustAdd(t, spec(dst, 50), 0);
    mustAdd(t, spec(any, 10), 0);

    // Hit in the top subtable: 100 outranks every later subtable, nothing else is consulted.
    FlowMask wc;
    EXPECT_EQ(idOf(t.lookup(packet(1, kMacB), &wc)), 1u);
    EXPECT_EQ(wc, port.mask);

    // Hit in the second: the first and second masks.
    wc = FlowMask{};
    EXPECT_EQ(idOf(t.lookup(packet(2, kMacB), &wc)), 2u);
    EXPECT_EQ(wc, maskOf({port, dst}));

    // Falls to the catch-all: everything consulted (the catch-all mask is empty).
    wc = FlowMask{};
    EXPECT_EQ(idOf(t.lookup(packet(2, kMacA), &wc)), 3u);
    EXPECT_EQ(wc, maskOf({port, dst}));

    // Bits already in '*wc' stay.
    wc = FlowMask{};
    wc.tun_id = 0xff;
    EXPECT_EQ(idOf(t.lookup(packet(1, kMacA), &wc)), 1u);
    FlowMask expect = port.mask;
    expect.tun_id = 0xff;
    EXPECT_EQ(wc, expect);
}

TEST(FlowTableTest, EqualMaxPrioritySubtableIsStillConsulted) {
    FlowTable t(0);
    const Match port = matchInPort(1);
    const Match dst = matchDlDst(kMacB);
    mustAdd(t, spec(port, 100), 0);
    mustAdd(t, spec(dst, 100), 0);
    mustAdd(t, spec(Match{}, 99), 0);
    FlowMask wc;
    EXPECT_EQ(idOf(t.lookup(packet(1, kMacA), &wc)), 1u);
    // A rule of equal priority in the other subtable could be older, so it was consulted;
    // the catch-all (99) was not.
    EXPECT_EQ(wc, maskOf({port, dst}));
}

TEST(FlowTableTest, SubtableOrderFollowsMaxPriorityOnInsertAndRemove) {
    FlowTable t(0);
    const Match portA = matchInPort(1);
    const Match dst = matchDlDst(kMacB);
    FlowEntry* high = mustAdd(t, spec(portA, 100), 0);
    FlowEntry* lowSameMask = mustAdd(t, spec(matchInPort(2), 10), 0);
    FlowEntry* mid = mustAdd(t, spec(dst, 50), 0);
    EXPECT_EQ(t.maskCount(), 2u);

    FlowMask wc;
    EXPECT_EQ(t.lookup(packet(1, kMacB), &wc), high);
    EXPECT_EQ(wc, portA.mask);

    // Removing the 100 rule drops the in_port subtable's max priority to 10: the dl_dst
    // subtable (50) now comes first and a hit there ends the lookup.
    t.remove(high, FlowRemovedReason::Delete);
    t.checkInvariants();
    wc = FlowMask{};
    EXPECT_EQ(t.lookup(packet(2, kMacB), &wc), mid);
    EXPECT_EQ(wc, dst.mask);
    wc = FlowMask{};
    EXPECT_EQ(t.lookup(packet(2, kMacA), &wc), lowSameMask);
    EXPECT_EQ(wc, maskOf({portA, dst}));

    // Raising it again by insertion puts it back in front.
    FlowEntry* top = mustAdd(t, spec(matchInPort(3), 200), 0);
    t.checkInvariants();
    wc = FlowMask{};
    EXPECT_EQ(t.lookup(packet(3, kMacB), &wc), top);
    EXPECT_EQ(wc, portA.mask);

    // Emptying a subtable removes its mask.
    t.remove(mid, FlowRemovedReason::Delete);
    EXPECT_EQ(t.maskCount(), 1u);
    t.checkInvariants();
}

TEST(FlowTableTest, SameMatchDifferentPrioritiesShareABucketInRankOrder) {
    FlowTable t(0);
    FlowEntry* p5 = mustAdd(t, spec(matchInPort(1), 5), 0);
    FlowEntry* p9 = mustAdd(t, spec(matchInPort(1), 9), 0);
    FlowEntry* p7 = mustAdd(t, spec(matchInPort(1), 7), 0);
    EXPECT_EQ(t.maskCount(), 1u);
    EXPECT_EQ(t.lookup(packet(1)), p9);
    t.remove(p9, FlowRemovedReason::Delete);
    EXPECT_EQ(t.lookup(packet(1)), p7);
    t.remove(p7, FlowRemovedReason::Delete);
    EXPECT_EQ(t.lookup(packet(1)), p5);
    t.checkInvariants();
}

TEST(FlowTableTest, FindExactNormalizesAndNeedsThePriority) {
    FlowTable t(0);
    FlowEntry* e = mustAdd(t, spec(matchDlDst(kMulticastBit, kMulticastBit), 1), 0);
    Match probe = matchDlDst(kMulticastBit, kMulticastBit);
    probe.key.dl_dst = kBroadcast;  // bits outside the mask are ignored
    EXPECT_EQ(t.findExact(probe, 1), e);
    EXPECT_EQ(t.findExact(probe, 2), nullptr);
    EXPECT_EQ(t.findExact(matchDlDst(kBroadcast), 1), nullptr);
    // add() stores the normalized match.
    FlowSpec s = spec(matchInPort(9), 3);
    s.match.key.dl_src = kMacA;  // outside the mask
    FlowEntry* n = mustAdd(t, s, 0);
    EXPECT_EQ(n->spec.match, matchInPort(9));
}

TEST(FlowTableTest, EntriesStayPutWhileTheTableGrowsAndShrinks) {
    FlowTable t(0);
    FlowEntry* first = mustAdd(t, spec(matchInPort(0), 1), 0);
    std::vector<FlowEntry*> all{first};
    for (std::uint32_t p = 1; p < 5000; ++p)
        all.push_back(mustAdd(t, spec(matchInPort(p), 1), 0));
    EXPECT_EQ(t.size(), 5000u);
    EXPECT_EQ(t.maskCount(), 1u);
    t.checkInvariants();
    for (std::uint32_t p = 0; p < 5000; p += 7)
        EXPECT_EQ(t.lookup(packet(p)), all[p]);
    EXPECT_EQ(first->id, 1u);
    for (std::uint32_t p = 0; p < 5000; ++p) {
        if (p % 3 != 0)
            t.remove(all[p], FlowRemovedReason::Delete);
    }
    EXPECT_EQ(t.size(), 1667u);
    t.checkInvariants();
    for (std::uint32_t p = 0; p < 5000; ++p) {
        EXPECT_EQ(t.lookup(packet(p)), p % 3 == 0 ? all[p] : nullptr);
    }
    t.clear();
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.maskCount(), 0u);
    t.checkInvariants();
}

// --- add ---------------------------------------------------------------------------------

TEST(FlowTableTest, AddReplacesIdenticalRuleKeepingCountersUnlessReset) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    FlowSpec s1 = spec(matchInPort(1), 10, output(2));
    s1.cookie = 0x11;
    s1.idleTimeout = 30;
    FlowEntry* e1 = mustAdd(t, s1, 1 * kSecond);
    hit(e1, 2 * kSecond, 100);
    hit(e1, 3 * kSecond, 50);

    // Replace, keeping counters (reset_counts not set).
    FlowSpec s2 = spec(matchInPort(1), 10, output(3));
    s2.cookie = 0x22;
    s2.hardTimeout = 60;
    FlowEntry* e2 = mustAdd(t, s2, 4 * kSecond);
    EXPECT_EQ(log.items,
              (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::Replaced, 2, 0x11}}));
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(e2->id, 2u);
    EXPECT_EQ(e2->nPackets, 2u);
    EXPECT_EQ(e2->nBytes, 150u);
    EXPECT_EQ(e2->created, 4 * kSecond);
    EXPECT_EQ(e2->modified, 4 * kSecond);
    EXPECT_EQ(e2->used, 3 * kSecond);  // carried over, as OVS rule_insert() does
    EXPECT_EQ(e2->spec.cookie, 0x22u);
    EXPECT_EQ(e2->spec.idleTimeout, 0);
    EXPECT_EQ(e2->spec.hardTimeout, 60);
    EXPECT_EQ(e2->spec.actions, output(3));
    EXPECT_EQ(t.lookup(packet(1)), e2);
    EXPECT_EQ(t.nextExpiry(), 64 * kSecond);

    // Replace with reset_counts (what every OF1.0 add-flow does).
    FlowSpec s3 = spec(matchInPort(1), 10, output(4));
    s3.resetCounts = true;
    FlowEntry* e3 = mustAdd(t, s3, 5 * kSecond);
    EXPECT_EQ(log.items.size(), 2u);
    EXPECT_EQ(log.items[1], (RemovalLog::Item{2, FlowRemovedReason::Replaced, 2, 0x22}));
    EXPECT_EQ(e3->id, 3u);
    EXPECT_EQ(e3->nPackets, 0u);
    EXPECT_EQ(e3->nBytes, 0u);
    EXPECT_EQ(e3->used, 3 * kSecond);
    EXPECT_FALSE(e3->spec.resetCounts);  // a flow-mod flag, not kept
    EXPECT_EQ(t.nextExpiry(), std::nullopt);
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{3}));

    // A different priority is a different rule.
    FlowEntry* e4 = mustAdd(t, spec(matchInPort(1), 11), 6 * kSecond);
    EXPECT_EQ(e4->id, 4u);
    EXPECT_EQ(t.size(), 2u);
    EXPECT_EQ(log.items.size(), 2u);
    t.checkInvariants();
}

TEST(FlowTableTest, AddReplacingALearnedRuleMakesItUnlearned) {
    FlowTable t(0);
    FlowEntry* l = t.learn(spec(matchInPort(1), 1), 0);
    EXPECT_TRUE(l->learned);
    FlowEntry* a = mustAdd(t, spec(matchInPort(1), 1), kSecond);
    EXPECT_FALSE(a->learned);
    EXPECT_EQ(a->id, 2u);
}

TEST(FlowTableTest, CheckOverlapRejectsOnlySamePriorityOverlaps) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    mustAdd(t, spec(matchInPort(1), 7), 0);

    FlowSpec overlapping = spec(matchDlDst(kMacB), 7);
    overlapping.checkOverlap = true;
    auto r = t.add(overlapping, kSecond);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Overlap);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(t.maskCount(), 1u);

    // More specific, same priority: still overlaps.
    FlowSpec narrower = spec(matchInPortDlDst(1, kMacB), 7);
    narrower.checkOverlap = true;
    EXPECT_EQ(t.add(narrower, kSecond).error().code, ErrorCode::Overlap);

    // Disjoint at the same priority: fine.
    FlowSpec disjoint = spec(matchInPortDlDst(2, kMacB), 7);
    disjoint.checkOverlap = true;
    auto d = t.add(disjoint, kSecond);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.value()->id, 2u);
    EXPECT_FALSE(d.value()->spec.checkOverlap);

    // Overlapping at another priority: fine.
    FlowSpec other = spec(matchDlDst(kMacB), 8);
    other.checkOverlap = true;
    ASSERT_TRUE(t.add(other, kSecond).ok());
    EXPECT_EQ(t.size(), 3u);

    // Identical match and priority: replaced, no overlap error (add_flow_start()).
    FlowSpec same = spec(matchInPort(1), 7, output(9));
    same.checkOverlap = true;
    auto s = t.add(same, 2 * kSecond);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.value()->id, 4u);
    EXPECT_EQ(t.size(), 3u);
    EXPECT_EQ(log.items, (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::Replaced, 0, 0}}));
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{2, 3, 4}));
    t.checkInvariants();
}

// --- learn -------------------------------------------------------------------------------

TEST(FlowTableTest, LearnAddsThenRefreshesInPlace) {
    FlowTable t(20);
    RemovalLog log;
    log.attach(t);
    FlowSpec s = spec(matchDlDst(kMacA), 1, output(2));
    s.hardTimeout = 300;
    s.cookie = 0x5;
    FlowEntry* e = t.learn(s, 10 * kSecond);
    EXPECT_EQ(e->id, 1u);
    EXPECT_TRUE(e->learned);
    EXPECT_EQ(e->tableId, 20);
    EXPECT_EQ(e->created, 10 * kSecond);
    EXPECT_EQ(e->modified, 10 * kSecond);
    EXPECT_EQ(e->used, 10 * kSecond);
    EXPECT_EQ(t.nextExpiry(), 310 * kSecond);
    hit(e, 11 * kSecond, 98);

    FlowSpec s2 = spec(matchDlDst(kMacA), 1, output(3));
    s2.hardTimeout = 100;
    s2.idleTimeout = 10;
    s2.cookie = 0x6;
    FlowEntry* again = t.learn(s2, 20 * kSecond);
    EXPECT_EQ(again, e);
    EXPECT_EQ(e->id, 1u);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_TRUE(log.items.empty());
    EXPECT_EQ(e->created, 10 * kSecond);
    EXPECT_EQ(e->modified, 20 * kSecond);
    EXPECT_EQ(e->used, 11 * kSecond);
    EXPECT_EQ(e->nPackets, 1u);
    EXPECT_EQ(e->nBytes, 98u);
    EXPECT_EQ(e->spec.actions, output(3));
    EXPECT_EQ(e->spec.cookie, 0x6u);
    EXPECT_EQ(e->spec.hardTimeout, 100);
    EXPECT_EQ(e->spec.idleTimeout, 10);
    // Shorter timeouts take effect at once: idle from used (11 s) beats hard (120 s).
    EXPECT_EQ(t.nextExpiry(), 21 * kSecond);

    // Timeouts removed by a refresh leave the expiry queue.
    t.learn(spec(matchDlDst(kMacA), 1, output(3)), 21 * kSecond);
    EXPECT_EQ(t.nextExpiry(), std::nullopt);
    EXPECT_EQ(t.expire(1000 * kSecond), 0u);
    EXPECT_EQ(t.size(), 1u);

    // Another priority is another rule.
    FlowEntry* other = t.learn(spec(matchDlDst(kMacA), 2), 22 * kSecond);
    EXPECT_EQ(other->id, 2u);
    EXPECT_EQ(t.size(), 2u);
    t.checkInvariants();
}

TEST(FlowTableTest, LearnRefreshMarksAnAddedRuleLearned) {
    FlowTable t(0);
    FlowEntry* a = mustAdd(t, spec(matchInPort(1), 1), 0);
    EXPECT_FALSE(a->learned);
    EXPECT_EQ(t.learn(spec(matchInPort(1), 1, output(5)), kSecond), a);
    EXPECT_TRUE(a->learned);
    EXPECT_EQ(a->spec.actions, output(5));
}

// --- modify ------------------------------------------------------------------------------

TEST(FlowTableTest, ModifyLooseUpdatesCoveredRulesAndKeepsTheRest) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    FlowSpec a = spec(matchInPort(1), 10, output(2));
    a.cookie = 0xa;
    a.hardTimeout = 100;
    a.idleTimeout = 50;
    FlowEntry* ea = mustAdd(t, a, 1 * kSecond);
    FlowSpec b = spec(matchInPortDlDst(1, kMacB), 20, output(2));
    b.cookie = 0xb;
    FlowEntry* eb = mustAdd(t, b, 1 * kSecond);
    FlowEntry* ec = mustAdd(t, spec(Match{}, 0, output(2)), 1 * kSecond);  // less specific
    FlowEntry* ed = mustAdd(t, spec(matchInPort(2), 10, output(2)), 1 * kSecond);
    hit(ea, 2 * kSecond, 10);
    hit(eb, 3 * kSecond, 20);

    FlowMod m = mod(FlowMod::Command::Modify, matchInPort(1), 999);  // priority ignored
    m.spec.actions = output(7);
    m.spec.idleTimeout = 1;  // ignored by modify
    m.spec.cookie = 0x77;    // ignored: modifyCookie is false
    auto r = t.apply(m, 5 * kSecond);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 2u);
    EXPECT_TRUE(log.items.empty());
    EXPECT_EQ(t.size(), 4u);
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{1, 2, 3, 4}));

    EXPECT_EQ(ea->spec.actions, output(7));
    EXPECT_EQ(ea->spec.cookie, 0xau);
    EXPECT_EQ(ea->spec.hardTimeout, 100);
    EXPECT_EQ(ea->spec.idleTimeout, 50);
    EXPECT_EQ(ea->created, 1 * kSecond);
    EXPECT_EQ(ea->modified, 5 * kSecond);
    EXPECT_EQ(ea->used, 2 * kSecond);
    EXPECT_EQ(ea->nPackets, 1u);
    EXPECT_EQ(ea->nBytes, 10u);
    EXPECT_EQ(eb->spec.actions, output(7));
    EXPECT_EQ(eb->spec.cookie, 0xbu);
    EXPECT_EQ(eb->nBytes, 20u);
    EXPECT_EQ(ec->spec.actions, output(2));
    EXPECT_EQ(ec->modified, 1 * kSecond);
    EXPECT_EQ(ed->spec.actions, output(2));

    // Hard timeout now counts from the modification: 5 + 100; idle from used: 2 + 50.
    EXPECT_EQ(ea->expiresAt(), 52 * kSecond);
    EXPECT_EQ(t.nextExpiry(), 52 * kSecond);

    // modifyCookie replaces the cookie of every selected rule.
    m.modifyCookie = true;
    ASSERT_EQ(t.apply(m, 6 * kSecond).value(), 2u);
    EXPECT_EQ(ea->spec.cookie, 0x77u);
    EXPECT_EQ(eb->spec.cookie, 0x77u);
    EXPECT_EQ(ec->spec.cookie, 0u);
    t.checkInvariants();
}

TEST(FlowTableTest, ModifyStrictSelectsOnlyTheIdenticalRule) {
    FlowTable t(0);
    FlowEntry* p10 = mustAdd(t, spec(matchInPort(1), 10, output(2)), 0);
    FlowEntry* p11 = mustAdd(t, spec(matchInPort(1), 11, output(2)), 0);
    FlowEntry* narrower = mustAdd(t, spec(matchInPortDlDst(1, kMacB), 10, output(2)), 0);
    FlowMod m = mod(FlowMod::Command::ModifyStrict, matchInPort(1), 10);
    m.spec.actions = output(8);
    auto r = t.apply(m, kSecond);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 1u);
    EXPECT_EQ(p10->spec.actions, output(8));
    EXPECT_EQ(p10->modified, kSecond);
    EXPECT_EQ(p11->spec.actions, output(2));
    EXPECT_EQ(narrower->spec.actions, output(2));
    EXPECT_EQ(t.size(), 3u);
}

TEST(FlowTableTest, ModifyThatSelectsNothingAdds) {
    FlowTable t(4);
    mustAdd(t, spec(matchInPort(1), 10), 0);

    FlowMod m = mod(FlowMod::Command::Modify, matchInPort(2), 33);
    m.table = 4;
    m.spec.actions = output(6);
    m.spec.hardTimeout = 9;
    m.spec.cookie = 0x44;
    auto r = t.apply(m, 2 * kSecond);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 1u);
    EXPECT_EQ(t.size(), 2u);
    FlowEntry* added = t.findExact(matchInPort(2), 33);
    ASSERT_NE(added, nullptr);
    EXPECT_EQ(added->id, 2u);
    EXPECT_EQ(added->tableId, 4);
    EXPECT_EQ(added->spec.actions, output(6));
    EXPECT_EQ(added->spec.hardTimeout, 9);
    EXPECT_EQ(added->spec.cookie, 0x44u);
    EXPECT_EQ(added->created, 2 * kSecond);
    EXPECT_FALSE(added->learned);

    // Strict too.
    FlowMod ms = mod(FlowMod::Command::ModifyStrict, matchInPort(1), 11);
    ms.table = 4;
    ASSERT_EQ(t.apply(ms, 3 * kSecond).value(), 1u);
    EXPECT_EQ(t.size(), 3u);
    EXPECT_NE(t.findExact(matchInPort(1), 11), nullptr);

    // Not when the modify filters on the cookie...
    FlowMod mc = mod(FlowMod::Command::Modify, matchInPort(3), 1);
    mc.table = 4;
    mc.cookieMask = 0xff;
    ASSERT_EQ(t.apply(mc, 3 * kSecond).value(), 0u);
    EXPECT_EQ(t.size(), 3u);

    // ...nor when addressed to all tables (the caller adds to table 0).
    FlowMod ma = mod(FlowMod::Command::Modify, matchInPort(3), 1);
    ma.table = FlowMod::kAllTables;
    ASSERT_EQ(t.apply(ma, 3 * kSecond).value(), 0u);
    EXPECT_EQ(t.size(), 3u);
    t.checkInvariants();
}

TEST(FlowTableTest, ModifyAsAddHonoursCheckOverlap) {
    FlowTable t(0);
    mustAdd(t, spec(matchInPort(1), 5), 0);
    FlowMod m = mod(FlowMod::Command::ModifyStrict, matchDlDst(kMacB), 5);
    m.spec.checkOverlap = true;
    auto r = t.apply(m, kSecond);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::Overlap);
    EXPECT_EQ(t.size(), 1u);
}

TEST(FlowTableTest, ModifyWithResetCountsClearsCountersButKeepsUsed) {
    FlowTable t(0);
    FlowEntry* e = mustAdd(t, spec(matchInPort(1), 10), 0);
    hit(e, 3 * kSecond, 70);
    FlowMod m = mod(FlowMod::Command::Modify, matchInPort(1));
    m.spec.resetCounts = true;
    ASSERT_EQ(t.apply(m, 4 * kSecond).value(), 1u);
    EXPECT_EQ(e->nPackets, 0u);
    EXPECT_EQ(e->nBytes, 0u);
    EXPECT_EQ(e->used, 3 * kSecond);
    EXPECT_EQ(e->modified, 4 * kSecond);
    EXPECT_EQ(e->spec.actions, ActionList{});
}

// --- delete ------------------------------------------------------------------------------

TEST(FlowTableTest, DeleteLooseRemovesCoveredRulesInIdOrder) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    mustAdd(t, spec(matchInPortDlDst(1, kMacB), 30), 0);      // 1: covered
    mustAdd(t, spec(matchInPort(2), 10), 0);                  // 2
    mustAdd(t, spec(matchInPort(1), 10), 0);                  // 3: covered
    mustAdd(t, spec(Match{}, 0), 0);                          // 4: less specific
    FlowEntry* e5 = mustAdd(t, spec(matchInPort(1), 99), 0);  // 5: covered
    hit(e5, kSecond);

    auto r = t.apply(mod(FlowMod::Command::Delete, matchInPort(1), 1), 2 * kSecond);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), 3u);
    EXPECT_EQ(log.items, (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::Delete, 0, 0},
                                                        {3, FlowRemovedReason::Delete, 0, 0},
                                                        {5, FlowRemovedReason::Delete, 1, 0}}));
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{2, 4}));
    EXPECT_EQ(t.maskCount(), 2u);
    EXPECT_EQ(idOf(t.lookup(packet(1, kMacB))), 4u);

    // Nothing selected: 0, nothing added.
    EXPECT_EQ(t.apply(mod(FlowMod::Command::Delete, matchInPort(1)), 3 * kSecond).value(), 0u);
    EXPECT_EQ(t.size(), 2u);

    // An empty match selects everything.
    EXPECT_EQ(t.apply(mod(FlowMod::Command::Delete, Match{}), 3 * kSecond).value(), 2u);
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.maskCount(), 0u);
    EXPECT_EQ(log.items.size(), 5u);
    t.checkInvariants();
}

TEST(FlowTableTest, DeleteStrictNeedsMatchAndPriority) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    mustAdd(t, spec(matchInPort(1), 10), 0);
    mustAdd(t, spec(matchInPort(1), 20), 0);
    mustAdd(t, spec(matchInPortDlDst(1, kMacB), 10), 0);
    EXPECT_EQ(t.apply(mod(FlowMod::Command::DeleteStrict, matchInPort(1), 15), 0).value(), 0u);
    EXPECT_EQ(t.size(), 3u);
    EXPECT_EQ(t.apply(mod(FlowMod::Command::DeleteStrict, matchInPort(1), 10), 0).value(), 1u);
    EXPECT_EQ(log.items, (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::Delete, 0, 0}}));
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{2, 3}));
    t.checkInvariants();
}

TEST(FlowTableTest, CookieMaskFiltersModifyAndDelete) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    for (std::uint64_t cookie : {0x11, 0x12, 0x21}) {
        FlowSpec s = spec(matchInPort(std::uint32_t(cookie)), 1);
        s.cookie = cookie;
        mustAdd(t, s, 0);
    }
    FlowMod m = mod(FlowMod::Command::Modify, Match{});
    m.spec.cookie = 0x20;
    m.cookieMask = 0xf0;
    m.spec.actions = output(4);
    ASSERT_EQ(t.apply(m, kSecond).value(), 1u);
    EXPECT_EQ(t.findExact(matchInPort(0x21), 1)->spec.actions, output(4));
    EXPECT_EQ(t.findExact(matchInPort(0x11), 1)->spec.actions, output(1));

    FlowMod d = mod(FlowMod::Command::Delete, Match{});
    d.spec.cookie = 0x10;
    d.cookieMask = 0xf0;
    ASSERT_EQ(t.apply(d, kSecond).value(), 2u);
    EXPECT_EQ(log.items, (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::Delete, 0, 0x11},
                                                        {2, FlowRemovedReason::Delete, 0, 0x12}}));
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{3}));

    // Strict delete with a cookie that does not match: nothing.
    FlowMod ds = mod(FlowMod::Command::DeleteStrict, matchInPort(0x21), 1);
    ds.spec.cookie = 0x22;
    ds.cookieMask = ~0ULL;
    EXPECT_EQ(t.apply(ds, kSecond).value(), 0u);
    ds.spec.cookie = 0x21;
    EXPECT_EQ(t.apply(ds, kSecond).value(), 1u);
    EXPECT_EQ(t.size(), 0u);
}

TEST(FlowTableTest, OutPortFiltersDeletesOnly) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    mustAdd(t, spec(matchInPort(1), 1, output(2)), 0);                                  // 1
    mustAdd(t, spec(matchInPort(2), 1, {OutputAction{3, 0}, OutputAction{2, 0}}), 0);   // 2
    mustAdd(t, spec(matchInPort(3), 1, {ResubmitAction{2, 1, false}}), 0);              // 3
    mustAdd(t, spec(matchInPort(4), 1, {OutputRegAction{{FieldId::Reg0, 0, 16}}}), 0);  // 4
    mustAdd(t, spec(matchInPort(5), 1, {OutputAction{ofp::kFlood, 0}}), 0);             // 5

    // Modify ignores out_port.
    FlowMod m = mod(FlowMod::Command::Modify, Match{});
    m.outPort = 2;
    m.spec.actions = output(2);
    EXPECT_EQ(t.apply(m, 0).value(), 5u);
    // Put the original actions back for the delete checks.
    t.clear();
    log.items.clear();
    mustAdd(t, spec(matchInPort(1), 1, output(2)), 0);                                  // 6
    mustAdd(t, spec(matchInPort(2), 1, {OutputAction{3, 0}, OutputAction{2, 0}}), 0);   // 7
    mustAdd(t, spec(matchInPort(3), 1, {ResubmitAction{2, 1, false}}), 0);              // 8
    mustAdd(t, spec(matchInPort(4), 1, {OutputRegAction{{FieldId::Reg0, 0, 16}}}), 0);  // 9
    mustAdd(t, spec(matchInPort(5), 1, {OutputAction{ofp::kFlood, 0}}), 0);             // 10

    FlowMod d = mod(FlowMod::Command::Delete, Match{});
    d.outPort = 2;
    ASSERT_EQ(t.apply(d, 0).value(), 2u);
    EXPECT_EQ(log.items, (std::vector<RemovalLog::Item>{{6, FlowRemovedReason::Delete, 0, 0},
                                                        {7, FlowRemovedReason::Delete, 0, 0}}));
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{8, 9, 10}));

    // Strict deletes honour it too.
    FlowMod ds = mod(FlowMod::Command::DeleteStrict, matchInPort(5), 1);
    ds.outPort = 2;
    EXPECT_EQ(t.apply(ds, 0).value(), 0u);
    ds.outPort = ofp::kFlood;
    EXPECT_EQ(t.apply(ds, 0).value(), 1u);
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{8, 9}));
}

TEST(FlowTableTest, ApplyChecksTheTableAndReportsAdds) {
    FlowTable t(2);
    FlowMod a = mod(FlowMod::Command::Add, matchInPort(1), 5);
    a.table = 3;
    auto wrong = t.apply(a, 0);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(t.size(), 0u);

    a.table = 2;
    ASSERT_EQ(t.apply(a, 0).value(), 1u);
    a.table = FlowMod::kAllTables;
    a.spec.match = matchInPort(2);
    ASSERT_EQ(t.apply(a, 0).value(), 1u);
    EXPECT_EQ(t.size(), 2u);

    a.spec.match = matchDlDst(kMacB);
    a.spec.checkOverlap = true;
    auto overlap = t.apply(a, 0);
    ASSERT_FALSE(overlap.ok());
    EXPECT_EQ(overlap.error().code, ErrorCode::Overlap);
    EXPECT_EQ(t.size(), 2u);
}

// --- timeouts ----------------------------------------------------------------------------

TEST(FlowTableTest, HardTimeoutCountsFromModified) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    FlowSpec s = spec(matchInPort(1), 1);
    s.hardTimeout = 10;
    FlowEntry* e = mustAdd(t, s, 1 * kSecond);
    EXPECT_EQ(e->expiresAt(), 11 * kSecond);
    EXPECT_EQ(t.nextExpiry(), 11 * kSecond);
    hit(e, 5 * kSecond);  // hits do not delay a hard timeout
    EXPECT_EQ(t.nextExpiry(), 11 * kSecond);
    EXPECT_EQ(t.expire(11 * kSecond - 1), 0u);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_EQ(t.expire(11 * kSecond), 1u);
    EXPECT_EQ(log.items,
              (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::HardTimeout, 1, 0}}));
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.nextExpiry(), std::nullopt);
}

TEST(FlowTableTest, IdleTimeoutCountsFromLastUse) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    FlowSpec s = spec(matchInPort(1), 1);
    s.idleTimeout = 5;
    FlowEntry* e = mustAdd(t, s, 0);
    EXPECT_EQ(t.nextExpiry(), 5 * kSecond);
    hit(e, 3 * kSecond);
    EXPECT_EQ(e->expiresAt(), 8 * kSecond);
    EXPECT_EQ(t.nextExpiry(), 8 * kSecond);
    EXPECT_EQ(t.expire(7 * kSecond), 0u);
    hit(e, 7 * kSecond);
    EXPECT_EQ(t.expire(8 * kSecond), 0u);
    EXPECT_EQ(t.nextExpiry(), 12 * kSecond);
    EXPECT_EQ(t.expire(12 * kSecond), 1u);
    EXPECT_EQ(log.items,
              (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::IdleTimeout, 2, 0}}));
}

TEST(FlowTableTest, BothTimeoutsReportWhicheverRanOutFirst) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    FlowSpec s = spec(matchInPort(1), 1);
    s.hardTimeout = 10;
    s.idleTimeout = 4;
    FlowEntry* idle = mustAdd(t, s, 0);  // idle at 4 s
    s.match = matchInPort(2);
    FlowEntry* hard = mustAdd(t, s, 0);  // kept busy: hard at 10 s
    s.match = matchInPort(3);
    s.hardTimeout = 4;
    FlowEntry* tie = mustAdd(t, s, 0);  // both at 4 s: hard wins
    hit(idle, 1 * kSecond);             // idle now at 5 s
    for (int sec : {3, 6, 9})
        hit(hard, sec * kSecond);
    EXPECT_EQ(idle->expiresAt(), 5 * kSecond);
    EXPECT_EQ(hard->expiresAt(), 10 * kSecond);
    EXPECT_EQ(tie->expiresAt(), 4 * kSecond);
    EXPECT_EQ(t.nextExpiry(), 4 * kSecond);

    EXPECT_EQ(t.expire(20 * kSecond), 3u);
    EXPECT_EQ(log.items,
              (std::vector<RemovalLog::Item>{{3, FlowRemovedReason::HardTimeout, 0, 0},
                                             {1, FlowRemovedReason::IdleTimeout, 1, 0},
                                             {2, FlowRemovedReason::HardTimeout, 3, 0}}));
    EXPECT_EQ(t.size(), 0u);
    t.checkInvariants();
}

TEST(FlowTableTest, ExpireReportsInTimeThenIdOrderAndKeepsTheRest) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    auto timed = [&](std::uint32_t port, std::uint16_t hard) {
        FlowSpec s = spec(matchInPort(port), 1);
        s.hardTimeout = hard;
        return mustAdd(t, s, 0);
    };
    timed(1, 7);   // id 1
    timed(2, 3);   // id 2
    timed(3, 7);   // id 3
    timed(4, 0);   // id 4: never
    timed(5, 30);  // id 5
    EXPECT_EQ(t.nextExpiry(), 3 * kSecond);
    EXPECT_EQ(t.expire(7 * kSecond), 3u);
    EXPECT_EQ(log.items,
              (std::vector<RemovalLog::Item>{{2, FlowRemovedReason::HardTimeout, 0, 0},
                                             {1, FlowRemovedReason::HardTimeout, 0, 0},
                                             {3, FlowRemovedReason::HardTimeout, 0, 0}}));
    EXPECT_EQ(ids(t), (std::vector<std::uint64_t>{4, 5}));
    EXPECT_EQ(t.nextExpiry(), 30 * kSecond);
    t.checkInvariants();
}

TEST(FlowTableTest, ModifyAndAddReplaceMoveExpiry) {
    FlowTable t(0);
    FlowSpec s = spec(matchInPort(1), 1);
    s.hardTimeout = 10;
    FlowEntry* e = mustAdd(t, s, 0);
    ASSERT_EQ(t.apply(mod(FlowMod::Command::Modify, matchInPort(1)), 4 * kSecond).value(), 1u);
    EXPECT_EQ(e->expiresAt(), 14 * kSecond);
    EXPECT_EQ(t.nextExpiry(), 14 * kSecond);
    EXPECT_EQ(t.expire(13 * kSecond), 0u);

    // A replacing add with a shorter idle timeout: idle counts from the carried-over 'used'
    // (OVS does the same; verified with OVS 3.1).
    FlowSpec r = spec(matchInPort(1), 1);
    r.idleTimeout = 2;
    FlowEntry* e2 = mustAdd(t, r, 13 * kSecond);
    EXPECT_EQ(e2->used, 0);
    EXPECT_EQ(t.nextExpiry(), 2 * kSecond);
    EXPECT_EQ(t.expire(13 * kSecond), 1u);
    EXPECT_EQ(t.size(), 0u);
}

TEST(FlowTableTest, RemoveAndClearReportEveryRule) {
    FlowTable t(0);
    RemovalLog log;
    log.attach(t);
    FlowEntry* a = mustAdd(t, spec(matchInPort(1), 1), 0);
    mustAdd(t, spec(matchDlDst(kMacB), 1), 0);
    FlowSpec s = spec(matchInPort(3), 1);
    s.idleTimeout = 1;
    mustAdd(t, s, 0);
    t.remove(a, FlowRemovedReason::IdleTimeout);
    EXPECT_EQ(log.items,
              (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::IdleTimeout, 0, 0}}));
    EXPECT_EQ(t.size(), 2u);
    EXPECT_EQ(t.maskCount(), 2u);
    t.clear();
    EXPECT_EQ(log.items, (std::vector<RemovalLog::Item>{{1, FlowRemovedReason::IdleTimeout, 0, 0},
                                                        {2, FlowRemovedReason::Delete, 0, 0},
                                                        {3, FlowRemovedReason::Delete, 0, 0}}));
    EXPECT_EQ(t.size(), 0u);
    EXPECT_EQ(t.maskCount(), 0u);
    EXPECT_EQ(t.nextExpiry(), std::nullopt);
    // Ids keep increasing after a clear.
    EXPECT_EQ(mustAdd(t, spec(matchInPort(1), 1), 0)->id, 4u);
    t.checkInvariants();
}

TEST(FlowTableTest, TheCallbackSeesTheRuleAfterItLeftTheTable) {
    FlowTable t(0);
    std::vector<std::size_t> sizes;
    std::vector<bool> stillFound;
    t.setRemovedCallback([&](const FlowEntry& e, FlowRemovedReason) {
        sizes.push_back(t.size());
        stillFound.push_back(t.findExact(e.spec.match, e.spec.priority) != nullptr);
    });
    mustAdd(t, spec(matchInPort(1), 1), 0);
    mustAdd(t, spec(matchInPort(2), 1), 0);
    t.apply(mod(FlowMod::Command::Delete, Match{}), 0);
    EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 0}));
    EXPECT_EQ(stillFound, (std::vector<bool>{false, false}));
}

TEST(FlowTableTest, IcehouseBrTunTable1SplitsUnicastAndMulticast) {
    // table=1 of the seed lab's br-tun: the dl_dst multicast bit decides.
    FlowTable t(1);
    FlowEntry* uni = mustAdd(
        t, spec(matchDlDst(0, kMulticastBit), 1, {ResubmitAction{ofp::kInPort, 20, false}}), 0);
    FlowEntry* multi = mustAdd(t,
                               spec(matchDlDst(kMulticastBit, kMulticastBit), 1,
                                    {ResubmitAction{ofp::kInPort, 21, false}}),
                               0);
    EXPECT_EQ(t.maskCount(), 1u);
    FlowMask wc;
    EXPECT_EQ(t.lookup(packet(1, 0xfa163e2a46e0ULL), &wc), uni);
    FlowMask expect;
    expect.dl_dst = kMulticastBit;
    EXPECT_EQ(wc, expect);
    EXPECT_EQ(t.lookup(packet(1, kBroadcast)), multi);
    EXPECT_EQ(t.lookup(packet(1, 0x01005e000001ULL)), multi);
}

// --- Internals ---------------------------------------------------------------------------

TEST(FlowTableInternalTest, SubtableHashesOnlyTheWordsItsMaskTouches) {
    Match m = matchInPort(1);  // in_port shares word 11 with nw_src
    m.set(FieldId::DlDst, 0, kMulticastBit);
    m.set(FieldId::TunId, 5);
    detail::Subtable st(m.mask);
    const std::vector<std::uint8_t> idx(st.wordIndices().begin(), st.wordIndices().end());
    EXPECT_EQ(idx, (std::vector<std::uint8_t>{0, 3, 11}));
    FlowKey a = packet(1, kMacB);
    a.tun_id = 5;
    FlowKey b = a;
    b.nw_src = 0x01020304;  // same word as in_port, outside the mask
    b.dl_src = kMacB;       // untouched word
    b.dl_dst = kMacA;       // same word as the mask, outside it (both unicast)
    EXPECT_EQ(st.hashOf(detail::keyWords(a)), st.hashOf(detail::keyWords(b)));
    b.tun_id = 6;
    EXPECT_NE(st.hashOf(detail::keyWords(a)), st.hashOf(detail::keyWords(b)));
}

TEST(FlowTableInternalTest, WideMasksCompareTheWordsBeyondTheInlineKey) {
    // Five words: tun_id (0), metadata (1), dl_src (2), dl_dst (3), in_port (11). The
    // bucket entry holds the first two inline; the rest are compared through the rule.
    auto wide = [](std::uint32_t port, std::uint64_t dst) {
        Match m = matchInPortDlDst(port, dst);
        m.set(FieldId::TunId, 7);
        m.set(FieldId::Metadata, 9);
        m.set(FieldId::DlSrc, kMacA);
        return m;
    };
    FlowTable t(0);
    FlowEntry* a = mustAdd(t, spec(wide(1, kMacB), 5), 0);
    FlowEntry* b = mustAdd(t, spec(wide(2, kMacB), 5), 0);
    FlowEntry* c = mustAdd(t, spec(wide(1, kBroadcast), 5), 0);
    EXPECT_EQ(t.maskCount(), 1u);
    FlowKey p = packet(1, kMacB, kMacA);
    p.tun_id = 7;
    p.metadata = 9;
    EXPECT_EQ(t.lookup(p), a);
    p.in_port = 2;
    EXPECT_EQ(t.lookup(p), b);
    p.in_port = 3;  // equal inline words (tun_id, metadata), different in_port
    EXPECT_EQ(t.lookup(p), nullptr);
    p.in_port = 1;
    p.dl_dst = kBroadcast;
    EXPECT_EQ(t.lookup(p), c);
    p.dl_src = kMacB;
    EXPECT_EQ(t.lookup(p), nullptr);
    EXPECT_EQ(t.findExact(wide(2, kMacB), 5), b);
    t.checkInvariants();
}

TEST(FlowTableInternalTest, ProbeComparesEveryKeyWordOnAHashCollision) {
    // Probing with the bucket's own hash simulates a collision: only the key compare (the
    // inline words, then the words beyond them through the rule) can tell keys apart.
    Match m = matchInPortDlDst(1, kMacB);
    m.set(FieldId::TunId, 7);
    m.set(FieldId::Metadata, 9);
    m.set(FieldId::DlSrc, kMacA);
    detail::Subtable st(m.mask);
    ASSERT_EQ(st.wordIndices().size(), 5u);
    detail::Rule rule;
    rule.spec.match = m;
    rule.id = 1;
    st.insert(&rule);
    const std::uint64_t h = rule.hash;
    FlowKey p = packet(1, kMacB, kMacA);
    p.tun_id = 7;
    p.metadata = 9;
    p.nw_src = 0x01020304;  // outside the mask
    ASSERT_NE(st.probe(detail::keyWords(p), h), nullptr);
    EXPECT_EQ(st.probe(detail::keyWords(p), h)->head, &rule);
    for (FieldId f :
         {FieldId::TunId, FieldId::Metadata, FieldId::DlSrc, FieldId::DlDst, FieldId::InPort}) {
        FlowKey q = p;
        setField(q, f, getField(q, f) ^ 1);
        EXPECT_EQ(st.probe(detail::keyWords(q), h), nullptr) << fieldInfo(f).name;
    }
    st.erase(&rule);
    EXPECT_TRUE(st.empty());
}

TEST(FlowTableInternalTest, SubtableTracksMaxPriorityAndBucketRank) {
    const Match m = matchInPort(1);
    detail::Subtable st(m.mask);
    std::vector<std::unique_ptr<detail::Rule>> rules;
    auto make = [&](std::uint64_t id, std::uint32_t port, std::uint16_t priority) {
        auto r = std::make_unique<detail::Rule>();
        r->id = id;
        r->spec.match = matchInPort(port);
        r->spec.priority = priority;
        st.insert(r.get());
        rules.push_back(std::move(r));
        return rules.back().get();
    };
    detail::Rule* r1 = make(1, 1, 10);
    detail::Rule* r2 = make(2, 1, 30);
    detail::Rule* r3 = make(3, 2, 20);
    detail::Rule* r4 = make(4, 1, 5);
    EXPECT_EQ(st.maxPriority(), 30);
    EXPECT_EQ(st.ruleCount(), 4u);
    EXPECT_EQ(st.bucketCount(), 2u);
    st.checkInvariants();
    const FlowKey p1 = packet(1);
    const std::uint64_t* w = detail::keyWords(p1);
    EXPECT_EQ(st.find(p1), r2);
    const detail::Subtable::Entry* e = st.probe(w, st.hashOf(w));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->head, r2);
    EXPECT_EQ(e->priority, 30);
    EXPECT_EQ(e->key[0], p1.words()[11] & 0xffffULL);  // in_port is 16 bits wide
    EXPECT_EQ(r2->bucketNext, r1);
    EXPECT_EQ(r1->bucketNext, r4);
    EXPECT_EQ(st.findExact(matchInPort(1).key, 5), r4);
    EXPECT_EQ(st.findExact(matchInPort(1).key, 6), nullptr);
    st.erase(r2);
    EXPECT_EQ(st.maxPriority(), 20);
    EXPECT_EQ(st.find(p1), r1);
    EXPECT_EQ(st.probe(w, st.hashOf(w))->priority, 10);
    st.erase(r3);
    EXPECT_EQ(st.maxPriority(), 10);
    EXPECT_EQ(st.bucketCount(), 1u);
    st.erase(r1);
    st.erase(r4);
    EXPECT_TRUE(st.empty());
    EXPECT_EQ(st.maxPriority(), 0);
    EXPECT_EQ(st.bucketCount(), 0u);
    st.checkInvariants();
}

TEST(FlowTableInternalTest, BucketMapSurvivesCollisionsAndBackwardShift) {
    // Force every bucket into one probe run longer than a tag group: equal hashes (hence
    // equal tags and home slots), distinct keys. The home slot is near the end of the table
    // so that the run wraps around and the mirrored tags are used.
    using Entry = detail::BucketMap::Entry;
    detail::BucketMap map;
    std::vector<std::unique_ptr<detail::Rule>> rules;
    std::uint64_t hash = 0xabcd'0000'0000'003eULL;  // home slot 62 of 64, then 126 of 128
    auto findKey = [&](std::uint64_t key) {
        return map.find(hash, [&](const Entry& e) { return e.key[0] == key; });
    };
    for (std::uint64_t i = 0; i < 40; ++i) {
        rules.push_back(std::make_unique<detail::Rule>());
        rules.back()->spec.priority = std::uint16_t(i);
        Entry e;
        e.head = rules.back().get();
        e.hashLow = std::uint32_t(hash);
        e.key[0] = i;
        e.priority = std::uint16_t(i);
        map.insert(hash, e);
        map.checkInvariants();
    }
    EXPECT_EQ(map.size(), 40u);
    EXPECT_EQ(map.capacity(), 64u);
    for (std::uint64_t i = 0; i < 40; ++i)
        ASSERT_NE(findKey(i), nullptr) << i;
    for (std::uint64_t i = 0; i < 40; i += 2)
        map.erase(findKey(i));
    map.checkInvariants();
    for (std::uint64_t i = 0; i < 40; ++i) {
        const Entry* e = findKey(i);
        if (i % 2 == 0) {
            EXPECT_EQ(e, nullptr);
        } else {
            ASSERT_NE(e, nullptr);
            EXPECT_EQ(e->head, rules[i].get());
            EXPECT_EQ(e->priority, i);
        }
    }
    // A new head updates the entry's priority.
    map.setHead(findKey(1), rules[0].get());
    EXPECT_EQ(findKey(1)->head, rules[0].get());
    EXPECT_EQ(findKey(1)->priority, 0);
    // Same home slot and tag, other hash: not found.
    EXPECT_EQ(map.find(hash ^ (1ULL << 20), [](const Entry&) { return true; }), nullptr);
    for (std::uint64_t i = 1; i < 40; i += 2)
        map.erase(findKey(i));
    EXPECT_EQ(map.size(), 0u);
    EXPECT_EQ(map.capacity(), detail::BucketMap::kMinCapacity);
    map.checkInvariants();
}

TEST(FlowTableInternalTest, ExpiryQueueOrdersByKeyThenId) {
    detail::ExpiryQueue q;
    std::vector<std::unique_ptr<detail::Rule>> rules;
    for (std::uint64_t id = 1; id <= 6; ++id) {
        rules.push_back(std::make_unique<detail::Rule>());
        rules.back()->id = id;
    }
    q.push(rules[0].get(), 50);
    q.push(rules[1].get(), 20);
    q.push(rules[2].get(), 20);
    q.push(rules[3].get(), 70);
    q.push(rules[4].get(), 10);
    q.checkInvariants();
    EXPECT_EQ(q.top()->id, 5u);
    q.update(rules[4].get(), 60);
    EXPECT_EQ(q.top()->id, 2u);
    q.erase(rules[1].get());
    EXPECT_EQ(q.top()->id, 3u);
    EXPECT_FALSE(q.contains(rules[1].get()));
    q.update(rules[3].get(), 5);
    EXPECT_EQ(q.top()->id, 4u);
    q.checkInvariants();
    std::vector<std::uint64_t> order;
    while (!q.empty()) {
        order.push_back(q.top()->id);
        q.erase(q.top());
    }
    EXPECT_EQ(order, (std::vector<std::uint64_t>{4, 3, 1, 5}));
}

}  // namespace
}  // namespace nlab::engine
