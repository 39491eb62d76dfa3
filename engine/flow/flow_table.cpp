#include "engine/flow/flow_table.h"

#include "engine/core/assert.h"
#include "engine/flow/flow_table_internal.h"

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>

// Flow-mod semantics follow Open vSwitch's ofproto/ofproto.c (add_flow_start,
// replace_rule_start, modify_flows_start__, collect_rules_loose/strict, delete_flows__) and
// ofproto-dpif.c (rule_insert, rule_expire), as ovs-ofctl drives them by default: OpenFlow
// 1.0 with NXM extensions. Points where OVS depends on the OpenFlow version are marked
// "OF1.0". Checked against OVS 3.1 with tools/ovs-oracle.

namespace nlab::engine {

using detail::BucketMap;
using detail::ExpiryQueue;
using detail::keyWords;
using detail::Rule;
using detail::Subtable;

std::string_view toString(FlowRemovedReason reason) {
    // The names OVS prints for OFPRR_* ("reason=idle"), plus our own "replaced".
    switch (reason) {
        case FlowRemovedReason::IdleTimeout:
            return "idle";
        case FlowRemovedReason::HardTimeout:
            return "hard";
        case FlowRemovedReason::Delete:
            return "delete";
        case FlowRemovedReason::Replaced:
            return "replaced";
    }
    return "unknown";
}

std::optional<SimTime> FlowEntry::expiresAt() const {
    std::optional<SimTime> at;
    if (spec.hardTimeout != 0)
        at = modified + SimTime(spec.hardTimeout) * kSecond;
    if (spec.idleTimeout != 0) {
        const SimTime idleAt = used + SimTime(spec.idleTimeout) * kSecond;
        at = at ? std::min(*at, idleAt) : idleAt;
    }
    return at;
}

bool matchCoveredBy(const Match& rule, const Match& filter) {
    const std::uint64_t* rk = keyWords(rule.key);
    const std::uint64_t* rm = keyWords(rule.mask);
    const std::uint64_t* fk = keyWords(filter.key);
    const std::uint64_t* fm = keyWords(filter.mask);
    for (std::size_t i = 0; i < FlowKey::kWords; ++i) {
        if ((fm[i] & ~rm[i]) != 0 || ((rk[i] ^ fk[i]) & fm[i]) != 0)
            return false;
    }
    return true;
}

bool matchesOverlap(const Match& a, const Match& b) {
    const std::uint64_t* ak = keyWords(a.key);
    const std::uint64_t* am = keyWords(a.mask);
    const std::uint64_t* bk = keyWords(b.key);
    const std::uint64_t* bm = keyWords(b.mask);
    for (std::size_t i = 0; i < FlowKey::kWords; ++i) {
        if (((ak[i] ^ bk[i]) & am[i] & bm[i]) != 0)
            return false;
    }
    return true;
}

bool actionsOutputTo(const ActionList& actions, std::uint32_t port) {
    // As OVS ofpacts_output_to_port(): only literal output actions count; output:REG,
    // resubmit, FLOOD/ALL and NORMAL do not (unless 'port' itself is that reserved port).
    return std::any_of(actions.begin(), actions.end(), [&](const Action& a) {
        const auto* out = std::get_if<OutputAction>(&a);
        return out != nullptr && out->port == port;
    });
}

namespace detail {

// --- BucketMap ---------------------------------------------------------------------------

void BucketMap::reset(std::size_t capacity) {
    NLAB_ASSERT(capacity >= kMinCapacity && (capacity & (capacity - 1)) == 0);
    // Home slots come from the low 32 bits of the hash (Entry::hashLow).
    NLAB_ASSERT(capacity <= (std::size_t{1} << 32));
    m_tags = std::make_unique<std::uint8_t[]>(capacity + kGroup);  // zeroed: all empty
    m_entries = std::make_unique<Entry[]>(capacity);
    m_mask = capacity - 1;
    m_size = 0;
}

void BucketMap::rehash(std::size_t capacity) {
    std::unique_ptr<std::uint8_t[]> oldTags = std::move(m_tags);
    std::unique_ptr<Entry[]> oldEntries = std::move(m_entries);
    const std::size_t oldCapacity = m_mask + 1;
    reset(capacity);
    for (std::size_t i = 0; i < oldCapacity; ++i) {
        if (oldTags[i] == 0)
            continue;
        std::size_t j = oldEntries[i].hashLow & m_mask;
        while (m_tags[j] != 0)
            j = (j + 1) & m_mask;
        place(j, oldTags[i], oldEntries[i]);
        ++m_size;
    }
}

std::size_t BucketMap::slotOf(const Entry* entry) const {
    NLAB_ASSERT(entry >= m_entries.get() && entry <= &m_entries[m_mask]);
    const auto slot = std::size_t(entry - m_entries.get());
    NLAB_ASSERT(m_tags[slot] != 0);
    return slot;
}

void BucketMap::insert(std::uint64_t hash, const Entry& entry) {
    NLAB_ASSERT(entry.head != nullptr && entry.hashLow == std::uint32_t(hash));
    // Keep the load factor at or below 3/4 so probe runs stay within a group or two.
    if (4 * (m_size + 1) > 3 * capacity())
        rehash(2 * capacity());
    std::size_t i = hash & m_mask;
    while (m_tags[i] != 0)
        i = (i + 1) & m_mask;
    place(i, tagOf(hash), entry);
    ++m_size;
}

void BucketMap::setHead(const Entry* entry, Rule* head) {
    NLAB_ASSERT(head != nullptr);
    Entry& e = m_entries[slotOf(entry)];
    e.head = head;
    e.priority = head->spec.priority;
}

void BucketMap::erase(const Entry* entry) {
    // Backward-shift deletion: move later members of the probe run into the hole when
    // their home slot is not cyclically inside (hole, their slot].
    std::size_t hole = slotOf(entry);
    for (std::size_t j = (hole + 1) & m_mask; m_tags[j] != 0; j = (j + 1) & m_mask) {
        const std::size_t home = m_entries[j].hashLow & m_mask;
        const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (stays)
            continue;
        place(hole, m_tags[j], m_entries[j]);
        hole = j;
    }
    setTag(hole, 0);
    m_entries[hole] = Entry{};
    --m_size;
    // Give memory back after mass deletions (load below 1/8).
    if (capacity() > kMinCapacity && 8 * m_size < capacity())
        rehash(capacity() / 2);
}

void BucketMap::checkInvariants() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < kGroup; ++i)
        NLAB_ASSERT(m_tags[m_mask + 1 + i] == m_tags[i]);
    for (std::size_t i = 0; i <= m_mask; ++i) {
        if (m_tags[i] == 0) {
            NLAB_ASSERT(m_entries[i].head == nullptr);
            continue;
        }
        ++n;
        NLAB_ASSERT((m_tags[i] & 0x80) != 0);
        NLAB_ASSERT(m_entries[i].head != nullptr);
        // Every slot between the home slot and this one must be occupied.
        for (std::size_t j = m_entries[i].hashLow & m_mask; j != i; j = (j + 1) & m_mask) {
            NLAB_ASSERT(m_tags[j] != 0);
        }
    }
    NLAB_ASSERT(n == m_size);
    NLAB_ASSERT(4 * m_size <= 3 * capacity());
}

// --- Subtable ----------------------------------------------------------------------------

Subtable::Subtable(const FlowMask& mask) : m_mask(mask) {
    const std::uint64_t* mw = keyWords(mask);
    for (std::size_t i = 0; i < FlowKey::kWords; ++i) {
        if (mw[i] == 0)
            continue;
        m_wordIdx[m_nWords] = std::uint8_t(i);
        m_maskWords[m_nWords] = mw[i];
        ++m_nWords;
    }
    m_nInline = std::uint8_t(std::min<std::size_t>(m_nWords, BucketMap::kInlineWords));
}

Subtable::Entry Subtable::makeEntry(Rule* head) const {
    Entry e;
    e.head = head;
    e.hashLow = std::uint32_t(head->hash);
    e.priority = head->spec.priority;
    const std::uint64_t* kw = keyWords(head->spec.match.key);
    for (std::size_t k = 0; k < m_nInline; ++k)
        e.key[k] = kw[m_wordIdx[k]];
    return e;
}

Rule* Subtable::findExact(const FlowKey& maskedKey, std::uint16_t priority) const {
    for (Rule* r = find(maskedKey); r != nullptr; r = r->bucketNext) {
        if (r->spec.priority == priority)
            return r;
        if (r->spec.priority < priority)
            break;
    }
    return nullptr;
}

void Subtable::insert(Rule* rule) {
    NLAB_ASSERT(rule->spec.match.mask == m_mask);
    const std::uint64_t* kw = keyWords(rule->spec.match.key);
    rule->subtable = this;
    rule->hash = hashOf(kw);
    const Entry* e = probe(kw, rule->hash);
    if (e == nullptr) {
        rule->bucketNext = nullptr;
        m_buckets.insert(rule->hash, makeEntry(rule));
    } else if (outranks(*rule, *e->head)) {
        rule->bucketNext = e->head;
        m_buckets.setHead(e, rule);
    } else {
        Rule* prev = e->head;
        while (prev->bucketNext != nullptr && !outranks(*rule, *prev->bucketNext)) {
            prev = prev->bucketNext;
        }
        rule->bucketNext = prev->bucketNext;
        prev->bucketNext = rule;
    }
    ++m_priorityCounts[rule->spec.priority];
    m_maxPriority = std::max(m_maxPriority, rule->spec.priority);
    ++m_nRules;
}

void Subtable::erase(Rule* rule) {
    NLAB_ASSERT(rule->subtable == this);
    const Entry* e = probe(keyWords(rule->spec.match.key), rule->hash);
    NLAB_ASSERT(e != nullptr);
    if (e->head == rule) {
        if (rule->bucketNext != nullptr) {
            m_buckets.setHead(e, rule->bucketNext);
        } else {
            m_buckets.erase(e);
        }
    } else {
        Rule* prev = e->head;
        while (prev->bucketNext != rule) {
            NLAB_ASSERT(prev->bucketNext != nullptr);
            prev = prev->bucketNext;
        }
        prev->bucketNext = rule->bucketNext;
    }
    rule->bucketNext = nullptr;
    rule->subtable = nullptr;

    auto it = m_priorityCounts.find(rule->spec.priority);
    NLAB_ASSERT(it != m_priorityCounts.end());
    if (--it->second == 0)
        m_priorityCounts.erase(it);
    m_maxPriority = m_priorityCounts.empty() ? 0 : m_priorityCounts.rbegin()->first;
    --m_nRules;
}

void Subtable::checkInvariants() const {
    m_buckets.checkInvariants();
    std::size_t n = 0;
    std::map<std::uint16_t, std::uint32_t> counts;
    m_buckets.forEachEntry([&](const Entry& e) {
        const Rule* head = e.head;
        const std::uint64_t* hk = keyWords(head->spec.match.key);
        NLAB_ASSERT(head->hash == hashOf(hk) && e.hashLow == std::uint32_t(head->hash));
        NLAB_ASSERT(probe(hk, head->hash) == &e);
        NLAB_ASSERT(e.priority == head->spec.priority);
        for (std::size_t k = 0; k < m_nInline; ++k)
            NLAB_ASSERT(e.key[k] == hk[m_wordIdx[k]]);
        for (const Rule* r = head; r != nullptr; r = r->bucketNext) {
            NLAB_ASSERT(r->subtable == this);
            NLAB_ASSERT(r->spec.match.mask == m_mask);
            NLAB_ASSERT(maskKey(r->spec.match.key, m_mask) == r->spec.match.key);
            NLAB_ASSERT(r->spec.match.key == head->spec.match.key);
            NLAB_ASSERT(r->hash == head->hash);
            if (r->bucketNext != nullptr) {
                NLAB_ASSERT(outranks(*r, *r->bucketNext));
                NLAB_ASSERT(r->spec.priority != r->bucketNext->spec.priority);
            }
            ++counts[r->spec.priority];
            ++n;
        }
    });
    NLAB_ASSERT(n == m_nRules);
    NLAB_ASSERT(counts == m_priorityCounts);
    NLAB_ASSERT(m_maxPriority == (counts.empty() ? 0 : counts.rbegin()->first));
}

// --- ExpiryQueue -------------------------------------------------------------------------

void ExpiryQueue::siftUp(std::size_t i) {
    Rule* r = m_heap[i];
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!before(r, m_heap[parent]))
            break;
        place(i, m_heap[parent]);
        i = parent;
    }
    place(i, r);
}

void ExpiryQueue::siftDown(std::size_t i) {
    Rule* r = m_heap[i];
    const std::size_t n = m_heap.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && before(m_heap[child + 1], m_heap[child]))
            ++child;
        if (!before(m_heap[child], r))
            break;
        place(i, m_heap[child]);
        i = child;
    }
    place(i, r);
}

void ExpiryQueue::push(Rule* rule, SimTime key) {
    NLAB_ASSERT(!contains(rule));
    rule->heapKey = key;
    m_heap.push_back(rule);
    rule->heapIndex = m_heap.size() - 1;
    siftUp(rule->heapIndex);
}

void ExpiryQueue::update(Rule* rule, SimTime key) {
    NLAB_ASSERT(contains(rule));
    const SimTime old = rule->heapKey;
    rule->heapKey = key;
    if (key < old) {
        siftUp(rule->heapIndex);
    } else {
        siftDown(rule->heapIndex);
    }
}

void ExpiryQueue::erase(Rule* rule) {
    NLAB_ASSERT(contains(rule) && m_heap[rule->heapIndex] == rule);
    const std::size_t i = rule->heapIndex;
    Rule* last = m_heap.back();
    m_heap.pop_back();
    rule->heapIndex = Rule::kNotQueued;
    if (last == rule)
        return;
    place(i, last);
    siftUp(i);
    siftDown(last->heapIndex);
}

void ExpiryQueue::checkInvariants() const {
    for (std::size_t i = 0; i < m_heap.size(); ++i) {
        NLAB_ASSERT(m_heap[i]->heapIndex == i);
        if (i > 0)
            NLAB_ASSERT(!before(m_heap[i], m_heap[(i - 1) / 2]));
    }
}

}  // namespace detail

// --- FlowTable::Impl ---------------------------------------------------------------------

namespace {

struct MaskHash {
    std::size_t operator()(const FlowMask& mask) const {
        std::uint64_t h = detail::kHashBasis;
        const std::uint64_t* w = keyWords(mask);
        for (std::size_t i = 0; i < FlowKey::kWords; ++i)
            h = detail::hashStep(h, w[i]);
        return std::size_t(detail::hashFinish(h));
    }
};

// The reason a rule that has expired at some time is removed with: the timeout that ran
// out first; hard wins a tie, as in OVS rule_expire(), which checks it first.
FlowRemovedReason expiryReason(const FlowEntry& e) {
    if (e.spec.hardTimeout == 0)
        return FlowRemovedReason::IdleTimeout;
    if (e.spec.idleTimeout == 0)
        return FlowRemovedReason::HardTimeout;
    const SimTime hardAt = e.modified + SimTime(e.spec.hardTimeout) * kSecond;
    const SimTime idleAt = e.used + SimTime(e.spec.idleTimeout) * kSecond;
    return hardAt <= idleAt ? FlowRemovedReason::HardTimeout : FlowRemovedReason::IdleTimeout;
}

}  // namespace

struct FlowTable::Impl {
    std::uint64_t nextId = 1;
    // Owns the rules, in id (= insertion) order.
    std::map<std::uint64_t, std::unique_ptr<Rule>> byId;
    // Owns the subtables, one per mask in use.
    std::unordered_map<FlowMask, std::unique_ptr<Subtable>, MaskHash> subtables;
    // The subtables by descending maxPriority(); among equals, the earlier-positioned first.
    std::vector<Subtable*> order;
    ExpiryQueue expiry;

    const FlowEntry* lookup(const FlowKey& key, FlowMask* wc) const;
    Rule* findExact(const Match& normalized, std::uint16_t priority) const;
    bool overlaps(const Match& normalized, std::uint16_t priority) const;
    std::vector<Rule*> select(const FlowMod& mod, bool strict, bool byOutPort) const;

    Rule* link(std::unique_ptr<Rule> rule);
    std::unique_ptr<Rule> unlink(Rule* rule);
    void destroy(const FlowTable& table, Rule* rule, FlowRemovedReason reason);
    void reposition(Subtable* st);
    void requeue(Rule* rule);
    void checkInvariants(const FlowTable& table) const;
};

const FlowEntry* FlowTable::Impl::lookup(const FlowKey& key, FlowMask* wc) const {
    const std::uint64_t* kw = keyWords(key);
    std::uint64_t* wcw = wc != nullptr ? keyWords(*wc) : nullptr;
    const Rule* best = nullptr;
    int bestPriority = -1;  // best->spec.priority, or -1 while there is no best
    const std::size_t n = order.size();
    Subtable* const* sts = order.data();

    // Hash the packet for a batch of subtables and prefetch what their probes read first
    // before probing any of them, so the cache misses of a large table overlap instead of
    // queueing one behind the other. No heap allocation: 'hashes' lives on the stack.
    constexpr std::size_t kBatch = 16;
    std::uint64_t hashes[kBatch];
    for (std::size_t base = 0; base < n; base += kBatch) {
        const std::size_t m = std::min(kBatch, n - base);
        for (std::size_t i = 0; i < m; ++i) {
            const Subtable* st = sts[base + i];
            if (bestPriority > int(st->maxPriority()))
                break;
            hashes[i] = st->hashOf(kw);
            st->prefetch(hashes[i]);
        }
        for (std::size_t i = 0; i < m; ++i) {
            const Subtable* st = sts[base + i];
            // Rules of equal priority must still be visited: the older one wins a tie.
            if (bestPriority > int(st->maxPriority()))
                return best;
            if (wcw != nullptr)
                st->orMaskInto(wcw);
            const Subtable::Entry* e = st->probe(kw, hashes[i]);
            if (e == nullptr)
                continue;
            if (int(e->priority) > bestPriority ||
                (int(e->priority) == bestPriority && e->head->id < best->id)) {
                best = e->head;
                bestPriority = e->priority;
            }
        }
    }
    return best;
}

Rule* FlowTable::Impl::findExact(const Match& normalized, std::uint16_t priority) const {
    auto it = subtables.find(normalized.mask);
    return it == subtables.end() ? nullptr : it->second->findExact(normalized.key, priority);
}

bool FlowTable::Impl::overlaps(const Match& normalized, std::uint16_t priority) const {
    // As OVS classifier_rule_overlaps(): only rules of the same priority count.
    bool found = false;
    for (const Subtable* st : order) {
        if (st->maxPriority() < priority)
            break;
        if (!st->hasPriority(priority))
            continue;
        st->forEachRule([&](const Rule* r) {
            if (!found && r->spec.priority == priority &&
                matchesOverlap(r->spec.match, normalized)) {
                found = true;
            }
        });
        if (found)
            return true;
    }
    return false;
}

std::vector<Rule*> FlowTable::Impl::select(const FlowMod& mod, bool strict, bool byOutPort) const {
    // As OVS collect_rule(): cookie filter, then out_port filter (deletes only).
    auto wanted = [&](const Rule* r) {
        if (((r->spec.cookie ^ mod.spec.cookie) & mod.cookieMask) != 0)
            return false;
        if (byOutPort && mod.outPort != ofp::kNone &&
            !actionsOutputTo(r->spec.actions, mod.outPort)) {
            return false;
        }
        return true;
    };
    std::vector<Rule*> out;
    if (strict) {
        Match m = mod.spec.match;
        m.normalize();
        Rule* r = findExact(m, mod.spec.priority);
        if (r != nullptr && wanted(r))
            out.push_back(r);
        return out;
    }
    // Loose (OF1.0): priority is ignored; a rule is selected when its match is at least as
    // specific as the filter. Only subtables whose mask covers the filter's can hold one.
    const std::uint64_t* fm = keyWords(mod.spec.match.mask);
    for (const Subtable* st : order) {
        const std::uint64_t* sm = keyWords(st->mask());
        bool covers = true;
        for (std::size_t i = 0; i < FlowKey::kWords && covers; ++i)
            covers = (fm[i] & ~sm[i]) == 0;
        if (!covers)
            continue;
        st->forEachRule([&](Rule* r) {
            if (matchCoveredBy(r->spec.match, mod.spec.match) && wanted(r))
                out.push_back(r);
        });
    }
    std::sort(out.begin(), out.end(), [](const Rule* a, const Rule* b) { return a->id < b->id; });
    return out;
}

Rule* FlowTable::Impl::link(std::unique_ptr<Rule> rule) {
    Rule* r = rule.get();
    auto& slot = subtables[r->spec.match.mask];
    if (!slot)
        slot = std::make_unique<Subtable>(r->spec.match.mask);
    Subtable* st = slot.get();
    const bool wasEmpty = st->empty();
    const std::uint16_t oldMax = st->maxPriority();
    st->insert(r);
    if (wasEmpty || st->maxPriority() != oldMax)
        reposition(st);
    if (auto at = r->expiresAt())
        expiry.push(r, *at);
    byId.emplace_hint(byId.end(), r->id, std::move(rule));
    return r;
}

std::unique_ptr<Rule> FlowTable::Impl::unlink(Rule* rule) {
    Subtable* st = rule->subtable;
    NLAB_ASSERT(st != nullptr);
    const std::uint16_t oldMax = st->maxPriority();
    st->erase(rule);
    if (st->empty()) {
        order.erase(std::find(order.begin(), order.end(), st));
        const FlowMask mask = st->mask();  // the key must outlive the subtable it names
        subtables.erase(mask);
    } else if (st->maxPriority() != oldMax) {
        reposition(st);
    }
    if (expiry.contains(rule))
        expiry.erase(rule);
    auto node = byId.extract(rule->id);
    NLAB_ASSERT(!node.empty());
    return std::move(node.mapped());
}

void FlowTable::Impl::destroy(const FlowTable& table, Rule* rule, FlowRemovedReason reason) {
    std::unique_ptr<Rule> owned = unlink(rule);
    if (table.m_onRemoved)
        table.m_onRemoved(*owned, reason);
}

void FlowTable::Impl::reposition(Subtable* st) {
    auto it = std::find(order.begin(), order.end(), st);
    if (it != order.end())
        order.erase(it);
    auto pos = std::find_if(order.begin(), order.end(), [&](const Subtable* other) {
        return other->maxPriority() < st->maxPriority();
    });
    order.insert(pos, st);
}

void FlowTable::Impl::requeue(Rule* rule) {
    const auto at = rule->expiresAt();
    if (!at) {
        if (expiry.contains(rule))
            expiry.erase(rule);
    } else if (expiry.contains(rule)) {
        expiry.update(rule, *at);
    } else {
        expiry.push(rule, *at);
    }
}

void FlowTable::Impl::checkInvariants(const FlowTable& table) const {
    std::size_t n = 0;
    NLAB_ASSERT(order.size() == subtables.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        const Subtable* st = order[i];
        auto it = subtables.find(st->mask());
        NLAB_ASSERT(it != subtables.end() && it->second.get() == st);
        NLAB_ASSERT(!st->empty());
        if (i > 0)
            NLAB_ASSERT(order[i - 1]->maxPriority() >= st->maxPriority());
        st->checkInvariants();
        n += st->ruleCount();
    }
    NLAB_ASSERT(n == byId.size());
    std::size_t timed = 0;
    for (const auto& [id, rule] : byId) {
        NLAB_ASSERT(rule->id == id && id < nextId);
        NLAB_ASSERT(rule->owner == this && rule->tableId == table.id());
        NLAB_ASSERT(rule->subtable != nullptr);
        NLAB_ASSERT(rule->subtable->findExact(rule->spec.match.key, rule->spec.priority) ==
                    rule.get());
        const auto at = rule->expiresAt();
        NLAB_ASSERT(at.has_value() == expiry.contains(rule.get()));
        if (at) {
            ++timed;
            NLAB_ASSERT(rule->heapKey <= *at);  // keys are lower bounds
        }
    }
    NLAB_ASSERT(timed == expiry.size());
    expiry.checkInvariants();
}

// --- FlowTable ---------------------------------------------------------------------------

FlowTable::FlowTable(std::uint8_t id) : m_id(id), m_impl(std::make_unique<Impl>()) {}

// Destroying the table does not report its rules to the removal callback.
FlowTable::~FlowTable() = default;

std::size_t FlowTable::size() const {
    return m_impl->byId.size();
}

std::size_t FlowTable::maskCount() const {
    return m_impl->subtables.size();
}

FlowEntry* FlowTable::lookup(const FlowKey& key, FlowMask* wc) const {
    // The table hands out mutable entries so that the pipeline can update their counters.
    return const_cast<FlowEntry*>(m_impl->lookup(key, wc));
}

Result<FlowEntry*> FlowTable::add(FlowSpec spec, SimTime now) {
    spec.match.normalize();
    Rule* old = m_impl->findExact(spec.match, spec.priority);
    // A rule identical in match and priority is replaced without an overlap check
    // (add_flow_start()).
    if (old == nullptr && spec.checkOverlap && m_impl->overlaps(spec.match, spec.priority)) {
        return Result<FlowEntry*>::fail(
            ErrorCode::Overlap, "a rule of priority " + std::to_string(spec.priority) +
                                    " in table " + std::to_string(m_id) + " overlaps the new rule");
    }
    const bool resetCounts = spec.resetCounts;
    // check_overlap and reset_counts act on the flow-mod only; OVS does not keep them.
    spec.checkOverlap = false;
    spec.resetCounts = false;

    auto rule = std::make_unique<Rule>();
    rule->spec = std::move(spec);
    rule->tableId = m_id;
    rule->id = m_impl->nextId++;
    rule->owner = m_impl.get();
    rule->created = rule->modified = rule->used = now;
    if (old != nullptr) {
        // The replacement is a new rule (new id, 'created' = now, its own timeouts and
        // cookie). OVS rule_insert() carries the old statistics over unless reset_counts
        // (which OF1.0 sets on every add) and always carries 'used' over.
        if (!resetCounts) {
            rule->nPackets = old->nPackets;
            rule->nBytes = old->nBytes;
        }
        rule->used = old->used;
        m_impl->destroy(*this, old, FlowRemovedReason::Replaced);
    }
    return static_cast<FlowEntry*>(m_impl->link(std::move(rule)));
}

FlowEntry* FlowTable::learn(FlowSpec spec, SimTime now) {
    spec.match.normalize();
    spec.checkOverlap = false;
    spec.resetCounts = false;
    if (Rule* r = m_impl->findExact(spec.match, spec.priority)) {
        // Refresh in place. (OVS refreshes only 'modified' when nothing else changed, and
        // otherwise issues a modify-strict that keeps the old timeouts; we take the learn
        // action's timeouts, which are the same whenever one learn action owns the flow.)
        r->spec.actions = std::move(spec.actions);
        r->spec.cookie = spec.cookie;
        r->spec.idleTimeout = spec.idleTimeout;
        r->spec.hardTimeout = spec.hardTimeout;
        r->modified = now;
        r->learned = true;
        m_impl->requeue(r);
        return r;
    }
    auto rule = std::make_unique<Rule>();
    rule->spec = std::move(spec);
    rule->tableId = m_id;
    rule->id = m_impl->nextId++;
    rule->owner = m_impl.get();
    rule->learned = true;
    rule->created = rule->modified = rule->used = now;
    return m_impl->link(std::move(rule));
}

Result<std::size_t> FlowTable::apply(const FlowMod& mod, SimTime now) {
    if (mod.table != FlowMod::kAllTables && mod.table != m_id) {
        return Result<std::size_t>::fail(ErrorCode::InvalidArgument,
                                         "flow-mod for table " + std::to_string(mod.table) +
                                             " applied to table " + std::to_string(m_id));
    }
    using Command = FlowMod::Command;
    switch (mod.command) {
        case Command::Add: {
            auto added = add(mod.spec, now);
            if (!added)
                return added.error();
            return std::size_t{1};
        }
        case Command::Modify:
        case Command::ModifyStrict: {
            const std::vector<Rule*> rules =
                m_impl->select(mod, mod.command == Command::ModifyStrict, false);
            if (rules.empty()) {
                // OF1.0 (modify_flows_start__): a modify that selects nothing adds its flow,
                // unless it filtered on the cookie. For kAllTables OVS adds to table 0 once no
                // table matched; only the caller, which sees every table, can tell that.
                if (mod.cookieMask != 0 || mod.table == FlowMod::kAllTables) {
                    return std::size_t{0};
                }
                auto added = add(mod.spec, now);
                if (!added)
                    return added.error();
                return std::size_t{1};
            }
            for (Rule* r : rules) {
                // replace_rule_start(): timeouts, flags and 'created' are kept, the statistics
                // (and 'used') too unless reset_counts; the cookie changes when asked to.
                r->spec.actions = mod.spec.actions;
                if (mod.modifyCookie)
                    r->spec.cookie = mod.spec.cookie;
                r->modified = now;
                if (mod.spec.resetCounts) {
                    r->nPackets = 0;
                    r->nBytes = 0;
                }
                // A later 'modified' only delays expiry: the queued key stays a lower bound.
            }
            return rules.size();
        }
        case Command::Delete:
        case Command::DeleteStrict: {
            const std::vector<Rule*> rules =
                m_impl->select(mod, mod.command == Command::DeleteStrict, true);
            for (Rule* r : rules)
                m_impl->destroy(*this, r, FlowRemovedReason::Delete);
            return rules.size();
        }
    }
    return Result<std::size_t>::fail(ErrorCode::InvalidArgument, "unknown flow-mod command");
}

std::size_t FlowTable::expire(SimTime now) {
    ExpiryQueue& q = m_impl->expiry;
    std::vector<Rule*> due;
    while (!q.empty() && q.top()->heapKey <= now) {
        Rule* r = q.top();
        const SimTime at = *r->expiresAt();
        if (at <= now) {
            q.erase(r);
            due.push_back(r);
        } else {
            q.update(r, at);  // the key was stale: the rule was hit or modified since
        }
    }
    // Report in the order the rules expired, then by id.
    std::sort(due.begin(), due.end(), [](const Rule* a, const Rule* b) {
        const SimTime ta = *a->expiresAt();
        const SimTime tb = *b->expiresAt();
        return ta != tb ? ta < tb : a->id < b->id;
    });
    for (Rule* r : due)
        m_impl->destroy(*this, r, expiryReason(*r));
    return due.size();
}

std::optional<SimTime> FlowTable::nextExpiry() const {
    ExpiryQueue& q = m_impl->expiry;
    while (!q.empty()) {
        Rule* r = q.top();
        const SimTime at = *r->expiresAt();
        if (at == r->heapKey)
            return at;
        q.update(r, at);
    }
    return std::nullopt;
}

void FlowTable::remove(FlowEntry* entry, FlowRemovedReason reason) {
    NLAB_ASSERT(entry != nullptr);
    Rule* rule = static_cast<Rule*>(entry);
    NLAB_ASSERT(rule->owner == m_impl.get());
    m_impl->destroy(*this, rule, reason);
}

void FlowTable::clear() {
    while (!m_impl->byId.empty()) {
        m_impl->destroy(*this, m_impl->byId.begin()->second.get(), FlowRemovedReason::Delete);
    }
}

std::vector<FlowEntry*> FlowTable::entries() const {
    std::vector<FlowEntry*> out;
    out.reserve(m_impl->byId.size());
    for (const auto& [id, rule] : m_impl->byId)
        out.push_back(rule.get());
    return out;
}

FlowEntry* FlowTable::findExact(const Match& match, std::uint16_t priority) const {
    Match m = match;
    m.normalize();
    return m_impl->findExact(m, priority);
}

void FlowTable::checkInvariants() const {
    m_impl->checkInvariants(*this);
}

}  // namespace nlab::engine
