#pragma once
// FlowTable internals: the rule node, the per-mask subtable with its hash table, and the
// expiry queue. Only engine/flow and tests may include this file (STYLE rule 5; OVS keeps
// the same split between classifier.h and classifier-private.h).
//
// What
//   - Rule: a FlowEntry plus the links the table needs (bucket chain, expiry-queue slot). The table
//   hands out Rule* as FlowEntry*, and takes it back with
//     a static_cast (OVS's CONTAINER_OF), after checking the owner.
//   - BucketMap: an open-addressing hash table (linear probing, backward-shift deletion,
//     no tombstones) from a 64-bit hash to the head Rule of a bucket. It stores the full
//     hash in each slot, so a probe dereferences a Rule only when the hashes are equal.
//   - Subtable: the rules sharing one FlowMask. It precomputes the indices of the key words
//     its mask touches and hashes only those. A bucket is a singly-linked chain of rules
//     with the same masked key, ordered by (priority desc, id asc): its head is the only
//     rule of the bucket a lookup can return.
//   - ExpiryQueue: an indexed binary min-heap of rules with timeouts, keyed by a lower
//     bound of their expiry time (see below).
//
// Design
//   The lookup in FlowTable visits subtables in descending max-priority order, hashes the
//   packet's masked words, probes the bucket map, and keeps the best head. Subtable fields
//   the lookup reads sit at the start of the object.
//
//   Expiry keys are lower bounds: a rule's expiry time min(modified + hard, used + idle)
//   only grows when the pipeline records a hit (used) or a modify resets 'modified', so the
//   queue need not hear of those changes. When a stale key reaches the top, the table
//   recomputes the true time and sifts the rule down. Only a learn refresh, which may
//   shorten the timeouts, updates a key eagerly.
//
// Invariants
//   - Every rule in a Subtable has spec.match.mask == mask() and a normalized key.
//   - BucketMap holds one slot per bucket; no two buckets of a subtable have equal keys.
//   - Within a bucket no rule outranks the one before it; no two share a priority.
//   - maxPriority() is the highest priority of any rule in the subtable (0 when empty).
//   - Rule::heapIndex is the rule's position in the ExpiryQueue, or kNotQueued.

#include "engine/core/assert.h"
#include "engine/flow/flow_table.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <vector>

namespace nlab::engine::detail {

class Subtable;

/// The key words of 'key', as FlowKey::words() gives them, inlined for the lookup path.
/// (FlowKey is a standard-layout struct of unsigned integers, 8-byte aligned, whose size is
/// a whole number of words; flow_key.cpp views it the same way.)
inline const std::uint64_t* keyWords(const FlowKey& key) {
    return reinterpret_cast<const std::uint64_t*>(&key);
}
inline std::uint64_t* keyWords(FlowKey& key) {
    return reinterpret_cast<std::uint64_t*>(&key);
}

/// A rule as the table stores it. Allocated one by one so FlowEntry pointers stay stable.
struct Rule final : FlowEntry {
    static constexpr std::size_t kNotQueued = ~std::size_t{0};

    const void* owner = nullptr;         ///< The FlowTable implementation that owns this rule.
    Subtable* subtable = nullptr;        ///< The subtable holding it (non-owning).
    Rule* bucketNext = nullptr;          ///< Next rule of the same bucket, ranked lower.
    std::uint64_t hash = 0;              ///< Hash of spec.match.key under the subtable's mask.
    std::size_t heapIndex = kNotQueued;  ///< Slot in the ExpiryQueue, or kNotQueued.
    SimTime heapKey = 0;                 ///< Lower bound of expiresAt() while queued (ns).
};

/// Whether 'a' beats 'b' in a lookup: higher priority, then older (lower id).
inline bool outranks(const FlowEntry& a, const FlowEntry& b) {
    return a.spec.priority != b.spec.priority ? a.spec.priority > b.spec.priority : a.id < b.id;
}

/// Hashing of masked key words: a multiply-xorshift step per word and a final avalanche
/// (the splitmix64 finaliser), so keys that differ in any bit spread over all index bits.
inline std::uint64_t hashStep(std::uint64_t h, std::uint64_t word) {
    h ^= word;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 31);
}
inline std::uint64_t hashFinish(std::uint64_t h) {
    h ^= h >> 30;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 29);
}
inline constexpr std::uint64_t kHashBasis = 0x9e3779b97f4a7c15ULL;

/// Open-addressing map from a bucket's hash to its head rule (see the file comment).
class BucketMap {
public:
    struct Slot {
        std::uint64_t hash = 0;
        Rule* head = nullptr;  ///< nullptr marks an empty slot.
    };
    static constexpr std::size_t kMinCapacity = 8;

    BucketMap() { reset(kMinCapacity); }
    BucketMap(const BucketMap&) = delete;
    BucketMap& operator=(const BucketMap&) = delete;

    /// Number of buckets stored.
    std::size_t size() const { return m_size; }
    /// Number of slots (a power of two).
    std::size_t capacity() const { return m_mask + 1; }

    /// The slot a probe for 'hash' starts at (for prefetching).
    const Slot* homeSlot(std::uint64_t hash) const { return &m_slots[hash & m_mask]; }

    /// Returns the head of the bucket with hash 'hash' for which 'same(head)' holds, or
    /// nullptr.
    template <typename Same>
    Rule* find(std::uint64_t hash, Same&& same) const {
        for (std::size_t i = hash & m_mask;; i = (i + 1) & m_mask) {
            const Slot& s = m_slots[i];
            if (s.head == nullptr)
                return nullptr;
            if (s.hash == hash && same(s.head))
                return s.head;
        }
    }

    /// Adds a bucket whose head is 'head'. No bucket with the same key may exist.
    void insert(std::uint64_t hash, Rule* head);
    /// Makes 'newHead' the head of the bucket currently headed by 'oldHead'.
    void replaceHead(std::uint64_t hash, const Rule* oldHead, Rule* newHead);
    /// Removes the bucket headed by 'head'.
    void erase(std::uint64_t hash, const Rule* head);

    /// Calls 'f(head)' for every bucket, in slot order.
    template <typename F>
    void forEachHead(F&& f) const {
        for (std::size_t i = 0; i <= m_mask; ++i) {
            if (m_slots[i].head != nullptr)
                f(m_slots[i].head);
        }
    }

    /// Checks that every bucket is reachable from its home slot and the count is right.
    void checkInvariants() const;

private:
    std::size_t slotOf(std::uint64_t hash, const Rule* head) const;
    void reset(std::size_t capacity);
    void rehash(std::size_t capacity);

    std::unique_ptr<Slot[]> m_slots;
    std::size_t m_mask = 0;  // capacity - 1
    std::size_t m_size = 0;
};

/// The rules of one FlowTable that share one mask.
class Subtable {
public:
    explicit Subtable(const FlowMask& mask);
    Subtable(const Subtable&) = delete;
    Subtable& operator=(const Subtable&) = delete;

    // --- Lookup path -----------------------------------------------------------------

    /// Highest priority among the rules, 0 when empty.
    std::uint16_t maxPriority() const { return m_maxPriority; }

    /// Hash of ('words' & mask) over the words the mask touches; 'words' are a key's
    /// words (keyWords()).
    std::uint64_t hashOf(const std::uint64_t* words) const {
        std::uint64_t h = kHashBasis;
        for (std::size_t k = 0; k < m_nWords; ++k) {
            h = hashStep(h, words[m_wordIdx[k]] & m_maskWords[k]);
        }
        return hashFinish(h);
    }

    /// Hints the CPU to load the slot a probe for 'hash' starts at.
    void prefetch(std::uint64_t hash) const { __builtin_prefetch(m_buckets.homeSlot(hash)); }

    /// The best rule of the bucket whose key equals ('words' & mask), or nullptr.
    /// 'hash' must be hashOf(words).
    Rule* find(const std::uint64_t* words, std::uint64_t hash) const {
        return m_buckets.find(hash, [&](const Rule* head) {
            const std::uint64_t* rk = keyWords(head->spec.match.key);
            for (std::size_t k = 0; k < m_nWords; ++k) {
                const std::size_t w = m_wordIdx[k];
                if ((words[w] & m_maskWords[k]) != rk[w])
                    return false;
            }
            return true;
        });
    }

    /// ORs the mask into 'wcWords' (the words of a FlowMask).
    void orMaskInto(std::uint64_t* wcWords) const {
        for (std::size_t k = 0; k < m_nWords; ++k)
            wcWords[m_wordIdx[k]] |= m_maskWords[k];
    }

    // --- Maintenance -----------------------------------------------------------------

    const FlowMask& mask() const { return m_mask; }
    std::size_t ruleCount() const { return m_nRules; }
    bool empty() const { return m_nRules == 0; }
    std::size_t bucketCount() const { return m_buckets.size(); }
    /// Indices (into FlowKey::words()) of the words the mask touches, ascending.
    std::span<const std::uint8_t> wordIndices() const { return {m_wordIdx, m_nWords}; }
    /// Whether some rule has priority 'priority'.
    bool hasPriority(std::uint16_t priority) const {
        return m_priorityCounts.find(priority) != m_priorityCounts.end();
    }

    /// The rule whose (normalized) key is 'maskedKey' and priority 'priority', or nullptr.
    Rule* findExact(const FlowKey& maskedKey, std::uint16_t priority) const;
    /// Adds 'rule' (its mask must be mask(); no rule with the same key and priority may be
    /// present). Sets rule->subtable and rule->hash.
    void insert(Rule* rule);
    /// Removes 'rule', which must be present.
    void erase(Rule* rule);

    /// Calls 'f(rule)' for every rule (bucket by bucket, each in rank order).
    template <typename F>
    void forEachRule(F&& f) const {
        m_buckets.forEachHead([&](Rule* head) {
            for (Rule* r = head; r != nullptr;) {
                Rule* next = r->bucketNext;  // 'f' may not unlink, but read it first anyway
                f(r);
                r = next;
            }
        });
    }

    /// Aborts through NLAB_ASSERT if an invariant of the file comment is broken.
    void checkInvariants() const;

private:
    // Fields read by every lookup come first.
    BucketMap m_buckets;
    std::uint16_t m_maxPriority = 0;
    std::uint8_t m_nWords = 0;
    std::uint8_t m_wordIdx[FlowKey::kWords] = {};
    std::uint64_t m_maskWords[FlowKey::kWords] = {};
    // Maintenance only.
    FlowMask m_mask;
    std::size_t m_nRules = 0;
    std::map<std::uint16_t, std::uint32_t> m_priorityCounts;  // priority -> number of rules
};

/// Indexed binary min-heap of rules ordered by (heapKey, id); see the file comment.
class ExpiryQueue {
public:
    bool empty() const { return m_heap.empty(); }
    std::size_t size() const { return m_heap.size(); }
    /// The rule with the smallest key; the queue must not be empty.
    Rule* top() const { return m_heap.front(); }
    bool contains(const Rule* rule) const { return rule->heapIndex != Rule::kNotQueued; }

    /// Queues 'rule' (not yet queued) with 'key'.
    void push(Rule* rule, SimTime key);
    /// Changes the key of queued 'rule' to 'key' (either direction).
    void update(Rule* rule, SimTime key);
    /// Unqueues 'rule' (which must be queued).
    void erase(Rule* rule);

    /// Checks the heap order and the back-pointers.
    void checkInvariants() const;

private:
    static bool before(const Rule* a, const Rule* b) {
        return a->heapKey != b->heapKey ? a->heapKey < b->heapKey : a->id < b->id;
    }
    void place(std::size_t i, Rule* rule) {
        m_heap[i] = rule;
        rule->heapIndex = i;
    }
    void siftUp(std::size_t i);
    void siftDown(std::size_t i);

    std::vector<Rule*> m_heap;
};

}  // namespace nlab::engine::detail
