// Randomized differential test of FlowTable against the linear ReferenceFlowTable (OVS
// tests/test-classifier.c does the same against "tcls"). Every run is seeded and
// deterministic: a failure names its seed and step.

#include "engine/flow/flow_table.h"
#include "tests/support/reference_flow_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace nlab::engine {
namespace {

using testing::ReferenceFlowTable;

constexpr std::uint64_t kMulticastBit = 0x0100'0000'0000ULL;

/// Random rules, packets and flow-mods over a realistic set of masks. 'spread' scales the
/// value pools: small pools make rules collide and overlap often, large ones make big
/// tables with many distinct rules per mask.
class Generator {
public:
    Generator(std::uint64_t seed, std::uint32_t spread) : m_rng(seed), m_spread(spread) {}

    std::uint64_t next() { return m_rng(); }
    std::uint64_t below(std::uint64_t n) { return m_rng() % n; }
    bool chance(int percent) { return below(100) < std::uint64_t(percent); }
    std::uint64_t pool(std::uint64_t base) { return below(base * m_spread); }

    std::uint32_t port() { return 1 + std::uint32_t(pool(6)); }
    std::uint64_t mac() {
        static constexpr std::array<std::uint64_t, 6> kMacs = {
            0xfa163e2a46e0ULL, 0xfa163e794564ULL, 0xfa163e3c5450ULL,
            0xffffffffffffULL, 0x01005e000001ULL, 0x333300000001ULL};
        if (m_spread > 1 && chance(70))
            return 0xfa163e000000ULL | pool(8);
        return kMacs[below(kMacs.size())];
    }
    std::uint32_t ip() {
        return 0x0a000000 | std::uint32_t(pool(2) << 16) | std::uint32_t(pool(2) << 8) |
               std::uint32_t(below(32));
    }
    std::uint64_t tunId() { return 1 + pool(4); }
    std::uint16_t vid() { return std::uint16_t(1 + pool(4) % 4000); }
    std::uint32_t reg() { return std::uint32_t(pool(4)); }
    std::uint64_t metadata() { return pool(4); }
    std::uint16_t tpPort() {
        static constexpr std::array<std::uint16_t, 5> kPorts = {22, 53, 67, 68, 80};
        return m_spread > 1 && chance(50) ? std::uint16_t(below(60000))
                                          : kPorts[below(kPorts.size())];
    }

    std::uint16_t priority() {
        static constexpr std::array<std::uint16_t, 8> kCommon = {0,  1,   2,      3,
                                                                 10, 100, 0x8000, 0xffff};
        return chance(70) ? kCommon[below(kCommon.size())] : std::uint16_t(below(200));
    }

    static constexpr int kShapes = 19;

    /// A match of shape 's' (one of the realistic masks below) with random values.
    Match match(int s) {
        Match m;
        auto ipv4 = [&] { m.set(FieldId::DlType, eth_type::kIpv4); };
        switch (s) {
            case 0:
                break;  // catch-all
            case 1:
                m.set(FieldId::InPort, port());
                break;
            case 2:
                m.set(FieldId::InPort, port());
                m.set(FieldId::DlDst, mac());
                break;
            case 3:
                m.set(FieldId::DlDst, chance(50) ? kMulticastBit : 0, kMulticastBit);
                break;
            case 4:
                m.set(FieldId::DlDst, mac());
                break;
            case 5:
                m.set(FieldId::VlanTci, kVlanCfi | vid(), kVlanCfi | kVlanVidMask);
                break;
            case 6: {
                static constexpr std::array<int, 4> kLens = {16, 24, 24, 32};
                ipv4();
                m.set(FieldId::NwSrc, ip(), prefix(kLens[below(kLens.size())]));
                break;
            }
            case 7: {
                static constexpr std::array<int, 3> kLens = {16, 24, 32};
                ipv4();
                m.set(FieldId::NwDst, ip(), prefix(kLens[below(kLens.size())]));
                break;
            }
            case 8:
                ipv4();
                m.set(FieldId::NwSrc, ip());
                m.set(FieldId::NwDst, ip(), prefix(24));
                break;
            case 9:
                m.set(FieldId::TunId, tunId());
                break;
            case 10:
                m.set(FieldId::TunId, tunId());
                m.set(FieldId::DlDst, chance(50) ? kMulticastBit : 0, kMulticastBit);
                break;
            case 11:
                m.set(FieldId::Reg0, reg());
                break;
            case 12:
                m.set(FieldId::Reg0, reg());
                m.set(FieldId::Reg1, reg());
                m.set(FieldId::InPort, port());
                break;
            case 13:
                ipv4();
                m.set(FieldId::NwProto, ip_proto::kTcp);
                m.set(FieldId::NwDst, ip());
                m.set(FieldId::TcpDst, tpPort());
                break;
            case 14:
                m.set(FieldId::Metadata, metadata());
                break;
            case 15:
                m.set(FieldId::DlType, eth_type::kArp);
                m.set(FieldId::ArpTpa, ip());
                break;
            case 16:  // a full TCI (VID and PCP) plus in_port
                m.set(FieldId::VlanTci, kVlanCfi | vid() | (below(2) << 13));
                m.set(FieldId::InPort, port());
                break;
            case 17:  // three key words: tun_id, dl_dst, in_port
                m.set(FieldId::TunId, tunId());
                m.set(FieldId::DlDst, mac());
                m.set(FieldId::InPort, port());
                break;
            default:  // 18: six key words (more than a bucket entry holds inline)
                m.set(FieldId::TunId, tunId());
                m.set(FieldId::Metadata, metadata());
                m.set(FieldId::DlSrc, mac());
                m.set(FieldId::DlDst, chance(50) ? kMulticastBit : 0, kMulticastBit);
                m.set(FieldId::Reg1, reg());
                ipv4();
                m.set(FieldId::NwDst, ip(), prefix(24));
                break;
        }
        return m;
    }
    /// A match of a random shape, as in real tables:
    /// Catch-alls and bare multicast-bit matches (which cover half of all packets) are rare.
    Match match() {
        const int shape = int(below(kShapes));
        return (shape == 0 || shape == 3) && !chance(5) ? match(shape + 1) : match(shape);
    }

    /// A packet whose every field comes from the pools, so it hits rules now and then.
    FlowKey packet() {
        FlowKey k;
        k.in_port = port();
        k.dl_src = mac();
        k.dl_dst = mac();
        static constexpr std::array<std::uint16_t, 3> kTypes = {eth_type::kIpv4, eth_type::kArp,
                                                                eth_type::kIpv6};
        k.dl_type = kTypes[below(kTypes.size())];
        k.vlan_tci = chance(50) ? 0 : std::uint16_t(kVlanCfi | vid() | (below(2) << 13));
        k.nw_src = ip();
        k.nw_dst = ip();
        static constexpr std::array<std::uint8_t, 3> kProtos = {1, 6, 17};
        k.nw_proto = kProtos[below(kProtos.size())];
        k.nw_ttl = std::uint8_t(below(256));
        k.tp_src = tpPort();
        k.tp_dst = tpPort();
        k.tun_id = chance(30) ? 0 : tunId();
        k.metadata = metadata();
        for (auto& r : k.regs)
            r = chance(50) ? 0 : reg();
        return k;
    }

    /// A packet that agrees with 'm' on every bit it matches (and is random elsewhere).
    FlowKey packetFor(const Match& m) {
        FlowKey k = packet();
        auto kw = k.words();
        auto mk = m.key.words();
        auto mm = m.mask.words();
        for (std::size_t i = 0; i < FlowKey::kWords; ++i)
            kw[i] = (kw[i] & ~mm[i]) | mk[i];
        return k;
    }

    ActionList actions() {
        ActionList a;
        const auto n = below(3);
        for (std::uint64_t i = 0; i < n; ++i) {
            switch (below(5)) {
                case 0:
                case 1:
                    a.push_back(OutputAction{std::uint32_t(1 + below(6)), 0});
                    break;
                case 2:
                    a.push_back(OutputAction{ofp::kFlood, 0});
                    break;
                case 3:
                    a.push_back(ResubmitAction{ofp::kInPort, std::uint8_t(below(4)), false});
                    break;
                default:
                    a.push_back(SetVlanVidAction{std::uint16_t(below(5))});
                    break;
            }
        }
        return a;
    }

    FlowSpec spec() {
        FlowSpec s;
        s.match = match();
        s.priority = priority();
        s.cookie = below(4) * 0x10 + below(3);
        s.actions = actions();
        if (chance(30)) {
            if (chance(60))
                s.hardTimeout = std::uint16_t(1 + below(30));
            if (chance(60))
                s.idleTimeout = std::uint16_t(1 + below(20));
        }
        s.checkOverlap = chance(10);
        s.resetCounts = chance(50);
        s.sendFlowRem = chance(20);
        return s;
    }

    /// 'm' with some fields dropped: a loose filter that still covers the rule 'm' came from.
    /// Rarely the catch-all (which selects every rule).
    Match generalize(const Match& m) {
        Match g = m;
        for (const FieldInfo& f : allFields()) {
            if (g.has(f.id) && chance(40))
                g.clear(f.id);
        }
        return isAllZero(g.mask) && !chance(5) ? m : g;
    }

private:
    static std::uint64_t prefix(int len) {
        return len == 0 ? 0 : (0xffffffffULL << (32 - len)) & 0xffffffffULL;
    }

    std::mt19937_64 m_rng;
    std::uint32_t m_spread;
};

::testing::AssertionResult sameEntry(const FlowEntry& a, const FlowEntry& b) {
    auto fail = [&](const char* what) {
        return ::testing::AssertionFailure()
               << "entry id " << a.id << " vs " << b.id << " differ in " << what;
    };
    if (a.id != b.id)
        return fail("id");
    if (!(a.spec.match == b.spec.match))
        return fail("match");
    if (a.spec.priority != b.spec.priority)
        return fail("priority");
    if (a.spec.cookie != b.spec.cookie)
        return fail("cookie");
    if (a.spec.idleTimeout != b.spec.idleTimeout)
        return fail("idle_timeout");
    if (a.spec.hardTimeout != b.spec.hardTimeout)
        return fail("hard_timeout");
    if (a.spec.actions != b.spec.actions)
        return fail("actions");
    if (a.spec.sendFlowRem != b.spec.sendFlowRem)
        return fail("send_flow_rem");
    if (a.spec.checkOverlap || b.spec.checkOverlap)
        return fail("check_overlap (kept)");
    if (a.spec.resetCounts || b.spec.resetCounts)
        return fail("reset_counts (kept)");
    if (a.tableId != b.tableId)
        return fail("table");
    if (a.learned != b.learned)
        return fail("learned");
    if (a.nPackets != b.nPackets || a.nBytes != b.nBytes)
        return fail("counters");
    if (a.created != b.created)
        return fail("created");
    if (a.modified != b.modified)
        return fail("modified");
    if (a.used != b.used)
        return fail("used");
    if (a.expiresAt() != ReferenceFlowTable::expiry(b))
        return fail("expiresAt");
    return ::testing::AssertionSuccess();
}

/// One FlowTable and its reference, driven in lockstep.
class Harness {
public:
    explicit Harness(std::uint8_t tableId) : m_table(tableId), m_ref(tableId) {
        m_table.setRemovedCallback([this](const FlowEntry& e, FlowRemovedReason r) {
            m_removals.push_back({e.id, r});
        });
    }

    FlowTable& table() { return m_table; }
    ReferenceFlowTable& ref() { return m_ref; }

    ::testing::AssertionResult sameState() {
        if (m_table.size() != m_ref.rules().size()) {
            return ::testing::AssertionFailure()
                   << "size " << m_table.size() << " vs " << m_ref.rules().size();
        }
        const std::vector<FlowEntry*> entries = m_table.entries();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            auto r = sameEntry(*entries[i], m_ref.rules()[i]);
            if (!r)
                return r;
        }
        if (m_removals != m_ref.removals()) {
            return ::testing::AssertionFailure() << "removal logs differ (" << m_removals.size()
                                                 << " vs " << m_ref.removals().size() << ")";
        }
        if (m_table.nextExpiry() != m_ref.nextExpiry()) {
            return ::testing::AssertionFailure() << "nextExpiry differs";
        }
        return ::testing::AssertionSuccess();
    }

    /// Looks 'pkt' up in both, checks the winner and the soundness of the wildcards on
    /// 'perturbations' packets that differ from 'pkt' only outside them. With 'hit', counts
    /// the packet on the winner in both, as the pipeline would.
    ::testing::AssertionResult lookup(const FlowKey& pkt, Generator& gen, int perturbations,
                                      bool hit, SimTime now) {
        FlowMask wc;
        FlowEntry* got = m_table.lookup(pkt, &wc);
        FlowEntry* want = m_ref.lookup(pkt);
        if ((got == nullptr) != (want == nullptr) || (got != nullptr && got->id != want->id)) {
            return ::testing::AssertionFailure()
                   << "lookup winner " << (got ? got->id : 0) << " vs " << (want ? want->id : 0);
        }
        if (got != nullptr) {
            auto same = sameEntry(*got, *want);
            if (!same)
                return same;
            // The winner's own mask is always among the consulted bits.
            if (maskKey(got->spec.match.mask, wc) != got->spec.match.mask) {
                return ::testing::AssertionFailure() << "wildcards miss the winner's mask";
            }
        }
        auto wcw = wc.words();
        for (int i = 0; i < perturbations; ++i) {
            FlowKey other = pkt;
            auto ow = other.words();
            const FlowKey noise = (i % 2 == 0) ? gen.packet() : FlowKey{};
            auto nw = noise.words();
            for (std::size_t w = 0; w < FlowKey::kWords; ++w) {
                std::uint64_t flip;
                switch (i % 3) {
                    case 0:
                        flip = nw[w] ^ ow[w];
                        break;  // another packet's bits
                    case 1:
                        flip = gen.next();
                        break;  // random bits
                    default:
                        flip = gen.below(14) == w ? 1ULL << gen.below(64) : 0;
                        break;
                }
                ow[w] ^= flip & ~wcw[w];
            }
            FlowEntry* refOther = m_ref.lookup(other);
            if ((refOther == nullptr ? 0 : refOther->id) != (want == nullptr ? 0 : want->id)) {
                return ::testing::AssertionFailure()
                       << "unsound wildcards: a packet agreeing on them gets rule "
                       << (refOther ? refOther->id : 0) << " instead of " << (want ? want->id : 0);
            }
            FlowEntry* tableOther = m_table.lookup(other);
            if (tableOther != got)
                return ::testing::AssertionFailure() << "perturbed lookup";
        }
        if (hit && got != nullptr) {
            for (FlowEntry* e : {got, want}) {
                ++e->nPackets;
                e->nBytes += 64;
                e->used = now;
            }
        }
        return ::testing::AssertionSuccess();
    }

private:
    FlowTable m_table;
    ReferenceFlowTable m_ref;
    std::vector<ReferenceFlowTable::Removal> m_removals;
};

/// A random flow-mod: the filter is an existing rule's match (or a generalization of it) or
/// a random one.
FlowMod randomMod(Generator& gen, Harness& h, FlowMod::Command command, std::uint8_t tableId) {
    FlowMod m;
    m.command = command;
    m.table = gen.chance(85) ? tableId : FlowMod::kAllTables;
    m.spec = gen.spec();
    const auto& rules = h.ref().rules();
    const auto pick = gen.below(10);
    if (!rules.empty() && pick < 5) {
        const FlowEntry& e = rules[gen.below(rules.size())];
        m.spec.match = e.spec.match;
        m.spec.priority = e.spec.priority;
    } else if (!rules.empty() && pick < 8) {
        m.spec.match = gen.generalize(rules[gen.below(rules.size())].spec.match);
    }
    if (gen.chance(20)) {
        m.cookieMask = gen.chance(50) ? ~0ULL : 0xf0;
    }
    m.modifyCookie = gen.chance(50);
    m.spec.resetCounts = gen.chance(10);
    if (gen.chance(25))
        m.outPort = gen.chance(80) ? std::uint32_t(1 + gen.below(6)) : ofp::kFlood;
    return m;
}

void runMixedOperations(std::uint64_t seed, int steps) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    constexpr std::uint8_t kTable = 3;
    Generator gen(seed, 4);
    Harness h(kTable);
    SimTime now = 0;
    std::size_t maxSize = 0, adds = 0, lookups = 0, hits = 0;
    for (int step = 0; step < steps; ++step) {
        SCOPED_TRACE("step " + std::to_string(step));
        const auto op = gen.below(100);
        if (op < 44) {
            FlowSpec s = gen.spec();
            auto got = h.table().add(s, now);
            auto want = h.ref().add(s, now);
            ASSERT_EQ(got.ok(), want.has_value());
            if (got.ok()) {
                ASSERT_EQ(got.value()->id, *want);
                ++adds;
            } else {
                ASSERT_EQ(got.error().code, ErrorCode::Overlap);
            }
        } else if (op < 50) {
            FlowSpec s = gen.spec();
            const auto& rules = h.ref().rules();
            if (!rules.empty() && gen.chance(50)) {
                const FlowEntry& e = rules[gen.below(rules.size())];
                s.match = e.spec.match;
                s.priority = e.spec.priority;
            }
            FlowEntry* got = h.table().learn(s, now);
            ASSERT_EQ(got->id, h.ref().learn(s, now));
        } else if (op < 62) {
            const bool isModify = op < 57;
            const bool strict = gen.chance(50);
            const auto cmd =
                isModify ? (strict ? FlowMod::Command::ModifyStrict : FlowMod::Command::Modify)
                         : (strict ? FlowMod::Command::DeleteStrict : FlowMod::Command::Delete);
            const FlowMod m = randomMod(gen, h, cmd, kTable);
            auto got = h.table().apply(m, now);
            auto want = h.ref().apply(m, now);
            ASSERT_EQ(got.ok(), want.has_value());
            if (got.ok()) {
                ASSERT_EQ(got.value(), *want);
            } else {
                ASSERT_EQ(got.error().code, ErrorCode::Overlap);
            }
        } else if (op < 64) {
            const auto entries = h.table().entries();
            if (!entries.empty()) {
                FlowEntry* e = entries[gen.below(entries.size())];
                const auto reason = FlowRemovedReason(gen.below(4));
                const std::uint64_t id = e->id;
                h.table().remove(e, reason);
                h.ref().erase(id, reason);
            }
        } else if (op < 72) {
            now += SimTime(gen.below(2000)) * kMillisecond;
            ASSERT_EQ(h.table().expire(now), h.ref().expire(now));
        } else if (op < 99) {
            for (int i = 0; i < 20; ++i) {
                const auto& rules = h.ref().rules();
                const FlowKey pkt = (!rules.empty() && gen.chance(50))
                                        ? gen.packetFor(rules[gen.below(rules.size())].spec.match)
                                        : gen.packet();
                ASSERT_TRUE(h.lookup(pkt, gen, 3, gen.chance(50), now));
                ++lookups;
                hits += h.table().lookup(pkt) != nullptr;
            }
        } else if (gen.chance(5)) {
            h.table().clear();
            h.ref().clear();
        }
        ASSERT_TRUE(h.sameState());
        if (step % 64 == 0)
            h.table().checkInvariants();
        maxSize = std::max(maxSize, h.table().size());
    }
    h.table().checkInvariants();
    // The run must have exercised a real table, with hits and misses.
    EXPECT_GT(adds, std::size_t(steps) / 5);
    EXPECT_GT(maxSize, 300u);
    EXPECT_GT(hits, lookups / 4);
    EXPECT_GT(lookups - hits, lookups / 200);  // misses happen too
    EXPECT_GT(h.table().maskCount(), 10u);
}

TEST(FlowTableDifferentialTest, MixedOperationsSeed1) {
    runMixedOperations(1, 6000);
}
TEST(FlowTableDifferentialTest, MixedOperationsSeed2) {
    runMixedOperations(2, 6000);
}
TEST(FlowTableDifferentialTest, MixedOperationsSeed3) {
    runMixedOperations(3, 6000);
}
TEST(FlowTableDifferentialTest, MixedOperationsSeed4) {
    runMixedOperations(0xc0ffee, 6000);
}

// Thousands of rules over many masks, then many lookups, then loose and strict deletes that
// thin the table out, with lookups checked in between.
TEST(FlowTableDifferentialTest, LargeTableLookupsAndBulkDeletes) {
    Generator gen(42, 500);
    FlowMask multicastOnly;
    multicastOnly.dl_dst = kMulticastBit;
    Harness h(0);
    const SimTime now = 0;
    for (int i = 0; i < 6000; ++i) {
        FlowSpec s = gen.spec();
        // Leave out the matches that cover half of all packets or more, so some miss.
        if (isAllZero(s.match.mask) || s.match.mask == multicastOnly) {
            continue;
        }
        s.checkOverlap = false;
        s.hardTimeout = 0;
        s.idleTimeout = 0;
        auto got = h.table().add(s, now);
        ASSERT_TRUE(got.ok());
        ASSERT_EQ(got.value()->id, h.ref().add(s, now));
    }
    ASSERT_TRUE(h.sameState());
    EXPECT_GT(h.table().size(), 5000u);
    EXPECT_GE(h.table().maskCount(), 18u);
    h.table().checkInvariants();

    auto lookups = [&](int n) {
        int hits = 0;
        for (int i = 0; i < n; ++i) {
            const auto& rules = h.ref().rules();
            const FlowKey pkt = gen.chance(50)
                                    ? gen.packetFor(rules[gen.below(rules.size())].spec.match)
                                    : gen.packet();
            if (!h.lookup(pkt, gen, 2, false, now)) {
                ADD_FAILURE() << h.lookup(pkt, gen, 2, false, now).message();
                return -1;
            }
            hits += h.table().lookup(pkt) != nullptr;
        }
        return hits;
    };
    const int hits = lookups(4000);
    EXPECT_GT(hits, 2000);
    EXPECT_LT(hits, 4000);

    for (int round = 0; round < 40 && h.table().size() > 0; ++round) {
        FlowMod m = randomMod(
            gen, h, gen.chance(50) ? FlowMod::Command::Delete : FlowMod::Command::DeleteStrict, 0);
        ASSERT_EQ(h.table().apply(m, now).value(), *h.ref().apply(m, now));
        ASSERT_TRUE(h.sameState());
        ASSERT_GE(lookups(100), 0);
    }
    h.table().checkInvariants();
}

}  // namespace
}  // namespace nlab::engine
