#pragma once
// ReferenceFlowTable: a deliberately trivial linear classifier with FlowTable's flow-mod
// semantics, used as the oracle of the differential test (OVS tests/test-classifier.c
// "tcls").
//
// What
//   A vector of rules in id order. lookup() scans them all and keeps the highest priority,
//   the oldest (lowest id) among equals. add/learn/apply/expire restate the contract of
//   engine/flow/flow_table.h as plainly as possible, without sharing any code with it (not
//   even matchCoveredBy()/matchesOverlap()), so that a bug in one does not hide in both.
//
// Invariants
//   'rules' is sorted by id; ids come from one counter starting at 1, as in FlowTable.

#include "engine/flow/flow_table.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace nlab::engine::testing {

class ReferenceFlowTable {
public:
    struct Removal {
        std::uint64_t id;
        FlowRemovedReason reason;
        friend bool operator==(const Removal&, const Removal&) = default;
    };

    explicit ReferenceFlowTable(std::uint8_t id) : m_tableId(id) {}

    const std::vector<FlowEntry>& rules() const { return m_rules; }
    std::vector<FlowEntry>& rules() { return m_rules; }
    /// Every removal so far, in the order it happened.
    const std::vector<Removal>& removals() const { return m_removals; }

    /// The winning rule for 'key', or nullptr.
    FlowEntry* lookup(const FlowKey& key) {
        FlowEntry* best = nullptr;
        for (FlowEntry& e : m_rules) {
            if (!covers(e.spec.match, key))
                continue;
            // Rules are in id order, so only a strictly higher priority displaces 'best'.
            if (best == nullptr || e.spec.priority > best->spec.priority)
                best = &e;
        }
        return best;
    }

    /// OFPFC_ADD. Returns the new rule's id, or nullopt on an overlap.
    std::optional<std::uint64_t> add(FlowSpec spec, SimTime now) {
        spec.match.normalize();
        FlowEntry* old = find(spec.match, spec.priority);
        if (old == nullptr && spec.checkOverlap) {
            for (const FlowEntry& e : m_rules) {
                if (e.spec.priority == spec.priority && overlap(e.spec.match, spec.match)) {
                    return std::nullopt;
                }
            }
        }
        FlowEntry e;
        e.spec = std::move(spec);
        e.tableId = m_tableId;
        e.id = m_nextId++;
        e.created = e.modified = e.used = now;
        if (old != nullptr) {
            if (!e.spec.resetCounts) {
                e.nPackets = old->nPackets;
                e.nBytes = old->nBytes;
            }
            e.used = old->used;
            erase(old->id, FlowRemovedReason::Replaced);
        }
        e.spec.checkOverlap = false;
        e.spec.resetCounts = false;
        m_rules.push_back(std::move(e));
        return m_rules.back().id;
    }

    /// Learn-action add or refresh. Returns the rule's id.
    std::uint64_t learn(FlowSpec spec, SimTime now) {
        spec.match.normalize();
        if (FlowEntry* e = find(spec.match, spec.priority)) {
            e->spec.actions = spec.actions;
            e->spec.cookie = spec.cookie;
            e->spec.idleTimeout = spec.idleTimeout;
            e->spec.hardTimeout = spec.hardTimeout;
            e->modified = now;
            e->learned = true;
            return e->id;
        }
        FlowEntry e;
        e.spec = std::move(spec);
        e.spec.checkOverlap = false;
        e.spec.resetCounts = false;
        e.tableId = m_tableId;
        e.id = m_nextId++;
        e.learned = true;
        e.created = e.modified = e.used = now;
        m_rules.push_back(std::move(e));
        return m_rules.back().id;
    }

    /// A flow-mod addressed to this table (or kAllTables). Returns the count affected, or
    /// nullopt when the implied add failed with an overlap.
    std::optional<std::size_t> apply(const FlowMod& mod, SimTime now) {
        using Command = FlowMod::Command;
        if (mod.command == Command::Add) {
            return add(mod.spec, now) ? std::optional<std::size_t>(1) : std::nullopt;
        }
        const bool strict =
            mod.command == Command::ModifyStrict || mod.command == Command::DeleteStrict;
        const bool isDelete =
            mod.command == Command::Delete || mod.command == Command::DeleteStrict;
        Match filter = mod.spec.match;
        filter.normalize();
        std::vector<std::uint64_t> ids;
        for (const FlowEntry& e : m_rules) {
            const bool selected =
                strict ? (e.spec.match == filter && e.spec.priority == mod.spec.priority)
                       : looseCovered(e.spec.match, filter);
            if (!selected)
                continue;
            if (((e.spec.cookie ^ mod.spec.cookie) & mod.cookieMask) != 0)
                continue;
            if (isDelete && mod.outPort != ofp::kNone && !outputsTo(e.spec.actions, mod.outPort)) {
                continue;
            }
            ids.push_back(e.id);
        }
        if (isDelete) {
            for (std::uint64_t id : ids)
                erase(id, FlowRemovedReason::Delete);
            return ids.size();
        }
        if (ids.empty()) {
            if (mod.cookieMask != 0 || mod.table == FlowMod::kAllTables)
                return 0;
            return add(mod.spec, now) ? std::optional<std::size_t>(1) : std::nullopt;
        }
        for (FlowEntry& e : m_rules) {
            if (std::find(ids.begin(), ids.end(), e.id) == ids.end())
                continue;
            e.spec.actions = mod.spec.actions;
            if (mod.modifyCookie)
                e.spec.cookie = mod.spec.cookie;
            e.modified = now;
            if (mod.spec.resetCounts) {
                e.nPackets = 0;
                e.nBytes = 0;
            }
        }
        return ids.size();
    }

    /// The time 'e' expires, computed from the definition.
    static std::optional<SimTime> expiry(const FlowEntry& e) {
        std::optional<SimTime> hard, idle;
        if (e.spec.hardTimeout != 0)
            hard = e.modified + SimTime(e.spec.hardTimeout) * kSecond;
        if (e.spec.idleTimeout != 0)
            idle = e.used + SimTime(e.spec.idleTimeout) * kSecond;
        if (hard && idle)
            return std::min(*hard, *idle);
        return hard ? hard : idle;
    }

    std::size_t expire(SimTime now) {
        std::vector<std::pair<SimTime, std::uint64_t>> due;
        for (const FlowEntry& e : m_rules) {
            auto t = expiry(e);
            if (t && *t <= now)
                due.emplace_back(*t, e.id);
        }
        std::sort(due.begin(), due.end());
        for (const auto& [t, id] : due) {
            const FlowEntry& e = *std::find_if(m_rules.begin(), m_rules.end(),
                                               [&](const FlowEntry& x) { return x.id == id; });
            const bool hard =
                e.spec.hardTimeout != 0 && e.modified + SimTime(e.spec.hardTimeout) * kSecond == t;
            erase(id, hard ? FlowRemovedReason::HardTimeout : FlowRemovedReason::IdleTimeout);
        }
        return due.size();
    }

    std::optional<SimTime> nextExpiry() const {
        std::optional<SimTime> best;
        for (const FlowEntry& e : m_rules) {
            auto t = expiry(e);
            if (t && (!best || *t < *best))
                best = t;
        }
        return best;
    }

    void erase(std::uint64_t id, FlowRemovedReason reason) {
        auto it = std::find_if(m_rules.begin(), m_rules.end(),
                               [&](const FlowEntry& e) { return e.id == id; });
        if (it == m_rules.end())
            return;
        m_removals.push_back({id, reason});
        m_rules.erase(it);
    }

    void clear() {
        while (!m_rules.empty())
            erase(m_rules.front().id, FlowRemovedReason::Delete);
    }

    FlowEntry* find(const Match& normalized, std::uint16_t priority) {
        for (FlowEntry& e : m_rules) {
            if (e.spec.priority == priority && e.spec.match == normalized)
                return &e;
        }
        return nullptr;
    }

private:
    static bool covers(const Match& m, const FlowKey& key) {
        auto k = m.key.words();
        auto mk = m.mask.words();
        auto p = key.words();
        for (std::size_t i = 0; i < FlowKey::kWords; ++i) {
            if ((p[i] & mk[i]) != k[i])
                return false;
        }
        return true;
    }
    // Every bit the filter constrains, the rule constrains to the same value.
    static bool looseCovered(const Match& rule, const Match& filter) {
        auto rk = rule.key.words();
        auto rm = rule.mask.words();
        auto fk = filter.key.words();
        auto fm = filter.mask.words();
        for (std::size_t i = 0; i < FlowKey::kWords; ++i) {
            for (int b = 0; b < 64; ++b) {
                const std::uint64_t bit = 1ULL << b;
                if ((fm[i] & bit) == 0)
                    continue;
                if ((rm[i] & bit) == 0 || (rk[i] & bit) != (fk[i] & bit))
                    return false;
            }
        }
        return true;
    }
    static bool overlap(const Match& a, const Match& b) {
        auto ak = a.key.words();
        auto am = a.mask.words();
        auto bk = b.key.words();
        auto bm = b.mask.words();
        for (std::size_t i = 0; i < FlowKey::kWords; ++i) {
            const std::uint64_t both = am[i] & bm[i];
            if ((ak[i] & both) != (bk[i] & both))
                return false;
        }
        return true;
    }
    static bool outputsTo(const ActionList& actions, std::uint32_t port) {
        for (const Action& a : actions) {
            if (const auto* o = std::get_if<OutputAction>(&a); o && o->port == port)
                return true;
        }
        return false;
    }

    std::uint8_t m_tableId;
    std::uint64_t m_nextId = 1;
    std::vector<FlowEntry> m_rules;
    std::vector<Removal> m_removals;
};

}  // namespace nlab::engine::testing
