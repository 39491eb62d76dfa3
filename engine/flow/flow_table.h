#pragma once
// FlowTable: one OpenFlow table, a tuple-space-search classifier with OpenFlow flow-mod
// semantics, counters and timeouts.
//
// What
//   A table holds rules (FlowEntry): a Match, a priority and an ActionList. lookup() returns
//   the highest-priority rule whose match covers a packet's FlowKey. Flow-mods add, modify
//   and delete rules with the OpenFlow 1.0 semantics Open vSwitch implements (strict and
//   loose, cookies, out_port filter). Each rule keeps packet/byte counters and the times it
//   was created, last modified and last used, from which idle/hard timeouts are judged.
//
// Basic classifier design (after Open vSwitch lib/classifier.h)
//   Rules are grouped into subtables, one per distinct FlowMask. A subtable is a hash table
//   keyed by the masked key; each bucket holds the rules with that exact match, ordered by
//   priority (highest first) and then by insertion order. A subtable records the highest
//   priority it holds, and subtables are kept sorted by that value, so a lookup visits them
//   in descending max-priority order and stops as soon as the best rule found so far
//   outranks every subtable left. Each subtable hashes only the words of the key its mask
//   touches. Cost is O(number of masks), independent of the number of rules.
//
//   Ties: when two rules of equal priority both match, the one inserted first wins. (OVS
//   leaves this undefined; we make it deterministic so the linear reference agrees.)
//
//   Un-wildcarding: lookup() ORs into '*wc' the mask of every subtable it consulted, i.e. the
//   bits the decision depended on (OVS "megaflow" wildcards). The UI uses it to explain why
//   a rule matched.
//
//   Counters: lookup() does not touch a rule. The caller that forwards a packet through a
//   rule (the pipeline) adds to nPackets/nBytes and sets 'used' to the current time; 'used'
//   never moves backwards, which lets the table keep expiry times as lower bounds.
//
// Invariants
//   - Every FlowEntry is owned by exactly one table; pointers to it stay valid until it is
//     removed (removal goes through the table and is reported to the removal callback).
//   - No two entries have the same (match, priority).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "engine/flow/action.h"
#include "engine/flow/match.h"

namespace nlab::engine {

/// Why a rule left its table (OpenFlow flow-removed reasons).
enum class FlowRemovedReason : std::uint8_t { IdleTimeout, HardTimeout, Delete, Replaced };
std::string_view toString(FlowRemovedReason reason);

/// The definition of a rule, as a flow-mod or a learn action supplies it.
struct FlowSpec {
    Match match;
    std::uint16_t priority = ofp::kDefaultPriority;
    std::uint64_t cookie = 0;
    std::uint16_t idleTimeout = 0;  ///< Seconds; 0 means none.
    std::uint16_t hardTimeout = 0;  ///< Seconds; 0 means none.
    ActionList actions;
    bool sendFlowRem = false;
    bool checkOverlap = false;
    bool resetCounts = false;
};

/// A rule installed in a table.
struct FlowEntry {
    FlowSpec spec;                 ///< As installed; checkOverlap/resetCounts always false.
    std::uint8_t tableId = 0;
    std::uint64_t id = 0;          ///< Unique per table, increasing with insertion order.
    bool learned = false;          ///< Installed (or last refreshed) by a learn action.
    std::uint64_t nPackets = 0;
    std::uint64_t nBytes = 0;
    SimTime created = 0;           ///< When first added (kept across learn refreshes).
    SimTime modified = 0;          ///< Last add/modify/learn refresh; hard timeout counts from here.
    SimTime used = 0;              ///< Last packet hit (or 'modified' if never hit), set by
                                   ///  the caller on each hit; never decreases. A replacing
                                   ///  add or a modify carries it over (as OVS does).

    /// Absolute time at which this rule expires, or nullopt if it has no timeout.
    std::optional<SimTime> expiresAt() const;
};

/// A flow-mod command, as ovs-ofctl add-flow / mod-flows / del-flows produce.
struct FlowMod {
    enum class Command : std::uint8_t { Add, Modify, ModifyStrict, Delete, DeleteStrict };
    Command command = Command::Add;
    std::uint8_t table = 0;            ///< kAllTables for del-flows/mod-flows without table=.
    FlowSpec spec;                     ///< match, priority (strict), actions (add/modify).
    std::uint64_t cookieMask = 0;      ///< For modify/delete: only rules whose cookie & mask
                                       ///  equals spec.cookie & mask.
    std::uint32_t outPort = ofp::kNone;  ///< For delete: only rules that output to it.
    bool modifyCookie = false;         ///< Modify: cookie given without mask replaces cookies.
                                       ///  (ovs-ofctl over OF1.0/NXM sends cookie 0 when none
                                       ///  is given, so mod-flows without cookie= and without
                                       ///  a mask resets cookies to 0 in OVS 3.1.)
    static constexpr std::uint8_t kAllTables = 255;
};

class FlowTable {
public:
    using RemovedCallback = std::function<void(const FlowEntry&, FlowRemovedReason)>;

    explicit FlowTable(std::uint8_t id);
    ~FlowTable();
    FlowTable(const FlowTable&) = delete;
    FlowTable& operator=(const FlowTable&) = delete;

    std::uint8_t id() const { return m_id; }
    std::size_t size() const;
    /// Number of distinct masks (subtables) currently in use.
    std::size_t maskCount() const;

    /// Called for every rule removed or replaced, just before it is destroyed (after it has
    /// left the table). The callback must not modify the table. Destroying the table does
    /// not call it.
    void setRemovedCallback(RemovedCallback cb) { m_onRemoved = std::move(cb); }

    /// Finds the highest-priority rule covering 'key' (ties: oldest). ORs the consulted
    /// masks into '*wc' when non-null. Does not touch counters. nullptr if none.
    FlowEntry* lookup(const FlowKey& key, FlowMask* wc = nullptr) const;

    /// OFPFC_ADD: inserts 'spec' at time 'now'. An existing rule with the same match and
    /// priority is replaced (reported as Replaced) by a new entry (new id, created = now, the
    /// new cookie and timeouts); its counters are kept only when !spec.resetCounts (OpenFlow
    /// 1.0 resets them on every add, so the ovs-ofctl layer sets it), 'used' always. Fails
    /// with Overlap when spec.checkOverlap, no identical rule exists, and another rule of the
    /// same priority could match a packet this one matches. The match is normalized.
    Result<FlowEntry*> add(FlowSpec spec, SimTime now);

    /// Learn-action add: like add(), but an existing identical (match, priority) rule is
    /// refreshed in place (same entry and id, no callback): actions, cookie and timeouts
    /// replaced, 'modified' reset to 'now', counters, 'used' and 'created' kept, marked
    /// learned. A new rule is marked learned too. Never fails (no overlap check).
    FlowEntry* learn(FlowSpec spec, SimTime now);

    /// Applies a Modify/ModifyStrict/Delete/DeleteStrict (or Add) flow-mod to this table.
    /// mod.table must be id() or kAllTables (else InvalidArgument). Loose commands select the
    /// rules matchCoveredBy() the filter, whatever their priority; strict ones the rule with
    /// the identical match and priority; both then filter on the cookie (cookieMask), and
    /// deletes on mod.outPort (actionsOutputTo(), kNone = any). Modify replaces actions (and
    /// cookie when modifyCookie) of the selected rules and sets 'modified' = now, keeping
    /// counters ('used' too; reset when spec.resetCounts), timeouts, flags and 'created'.
    /// When it selects nothing it acts as Add (OpenFlow 1.0), unless cookieMask != 0 or
    /// mod.table is kAllTables (OVS then adds to table 0 once no table matched: the caller
    /// does that by applying the mod to table 0 with table = 0). Deleted rules are reported
    /// as Delete, in id order. Returns the number of rules affected (1 for an add), or the
    /// add's error (Overlap).
    Result<std::size_t> apply(const FlowMod& mod, SimTime now);

    /// Removes every rule whose expiresAt() <= 'now', reported as HardTimeout or IdleTimeout
    /// after whichever ran out first (HardTimeout on a tie, as OVS checks it first), in
    /// order of expiry time then id. Returns the count.
    std::size_t expire(SimTime now);
    /// Earliest expiry time among rules with timeouts, or nullopt.
    std::optional<SimTime> nextExpiry() const;

    /// Removes 'entry' (which must belong to this table) with 'reason'.
    void remove(FlowEntry* entry, FlowRemovedReason reason);
    /// Removes every rule (reported as Delete).
    void clear();

    /// All rules, in insertion (id) order.
    std::vector<FlowEntry*> entries() const;
    /// Finds the rule with exactly this match and priority.
    FlowEntry* findExact(const Match& match, std::uint16_t priority) const;

    /// Checks the classifier's internal invariants (subtable order and max priorities, bucket
    /// order, hash tables, expiry queue); aborts through NLAB_ASSERT on a violation. O(n);
    /// for tests.
    void checkInvariants() const;

private:
    struct Impl;
    std::uint8_t m_id;
    std::unique_ptr<Impl> m_impl;
    RemovedCallback m_onRemoved;
};

/// Whether 'rule' is selected by a loose flow-mod match 'filter': every bit 'filter' cares
/// about, 'rule' cares about too, with the same value.
bool matchCoveredBy(const Match& rule, const Match& filter);
/// Whether some packet could match both 'a' and 'b'.
bool matchesOverlap(const Match& a, const Match& b);
/// Whether 'actions' contain an output (directly, not via resubmit) to 'port'.
bool actionsOutputTo(const ActionList& actions, std::uint32_t port);

}  // namespace nlab::engine
