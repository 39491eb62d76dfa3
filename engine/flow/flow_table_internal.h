#pragma once
// FlowTable internals: the rule node, the per-mask subtable with its hash table, and the
// expiry queue. Only engine/flow and tests may include this file (STYLE rule 5; OVS keeps
// the same split between classifier.h and classifier-private.h).
//
// What
//   - Rule: a FlowEntry plus the links the table needs (bucket chain, expiry-queue slot).
//     The table hands out Rule* as FlowEntry*, and takes it back with a static_cast (OVS's
//     CONTAINER_OF) after checking the owner.
//   - BucketMap: an open-addressing hash table (linear probing, backward-shift deletion,
//     no tombstones) from a bucket's compact masked key to its head Rule, with a byte-wide
//     tag array probed before the entries (see the class comment).
//   - Subtable: the rules sharing one FlowMask. It precomputes the indices of the key words
//     its mask touches and hashes only those. A bucket is a singly-linked chain of rules
//     with the same masked key, ordered by (priority desc, id asc): its head is the only
//     rule of the bucket a lookup can return.
//   - ExpiryQueue: an indexed binary min-heap of rules with timeouts, keyed by a lower
//     bound of their expiry time (see below).
//
// Design
//   The lookup in FlowTable visits subtables in descending max-priority order, hashes the
//   packet's masked words, probes the bucket map, and keeps the best head. It first hashes
//   and prefetches for a batch of subtables, then probes them, so that the cache misses of a
//   large table overlap. Subtable fields the lookup reads sit at the start of the object.
//   The "compact key" of a bucket is the masked key restricted to the words the mask
//   touches, in ascending word order; its hash is the hash of those words.
//
//   Expiry keys are lower bounds: a rule's expiry time min(modified + hard, used + idle)
//   only grows when the pipeline records a hit (used) or a modify resets 'modified', so the
//   queue need not hear of those changes. When a stale key reaches the top, the table
//   recomputes the true time and sifts the rule down. Only a learn refresh, which may
//   shorten the timeouts, updates a key eagerly.
//
// Invariants
//   - Every rule in a Subtable has spec.match.mask == mask() and a normalized key.
//   - BucketMap holds one slot per bucket; no two buckets of a subtable have equal keys;
//     an entry's hash, inline key words and priority are those of its head.
//   - Within a bucket each rule outranks the next (outranks()); no two share a priority.
//   - maxPriority() is the highest priority of any rule in the subtable (0 when empty).
//   - Rule::heapIndex is the rule's position in the ExpiryQueue, or kNotQueued.

#include "engine/core/assert.h"
#include "engine/flow/flow_table.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
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

/// Open-addressing map from a bucket's key to its head rule (see the file comment).
///
/// Two parallel arrays with one slot per power-of-two capacity: a byte of tag per slot (0
/// for an empty slot, else 0x80 | the top 7 bits of the hash) and the entries. Probing is
/// linear from the hash's home slot, 16 tags at a time (one SSE2 compare, as in Abseil's
/// Swiss tables): an entry is read only when its tag matches, which for a miss happens a
/// few times in a hundred (7-bit tags, short runs). The tag array costs 1 byte per slot, so for the
/// ten subtables of a 100,000-rule table it stays in L2; an entry holds the head's priority and its
/// first kInlineWords key words, so a hit needs no Rule either (kInlineWords = 2 covers most masks
/// OVS agents install, which touch one or two words; a wider mask compares the rest through
/// the Rule). Entries are 32 bytes, two per cache line. The first kGroup tags are
/// mirrored after the last so that a group read never wraps. Load factor <= 3/4.
class BucketMap {
public:
    static constexpr std::size_t kInlineWords = 2;
    static constexpr std::size_t kGroup = 16;
    static constexpr std::size_t kMinCapacity = kGroup;

    struct alignas(32) Entry {
        Rule* head = nullptr;                  ///< Best rule of the bucket.
        std::uint32_t hashLow = 0;             ///< Low 32 bits of the key's hash.
        std::uint16_t priority = 0;            ///< head->spec.priority.
        std::uint64_t key[kInlineWords] = {};  ///< First words of the compact masked key.
    };
    static_assert(sizeof(Entry) == 32, "two entries per cache line");

    BucketMap() { reset(kMinCapacity); }
    BucketMap(const BucketMap&) = delete;
    BucketMap& operator=(const BucketMap&) = delete;

    /// Number of buckets stored.
    std::size_t size() const { return m_size; }
    /// Number of slots (a power of two).
    std::size_t capacity() const { return m_mask + 1; }

    static std::uint8_t tagOf(std::uint64_t hash) { return std::uint8_t(0x80 | (hash >> 57)); }

    /// Hints the CPU to load the tags a probe for 'hash' starts at and the entry of its home
    /// slot (where a hit usually is: probe runs are short).
    void prefetch(std::uint64_t hash) const {
        __builtin_prefetch(&m_tags[hash & m_mask]);
        __builtin_prefetch(&m_entries[hash & m_mask]);
    }

    /// Returns the entry with hash 'hash' for which 'same(entry)' holds, or nullptr.
    template <typename Same>
    const Entry* find(std::uint64_t hash, Same&& same) const {
        const std::uint8_t tag = tagOf(hash);
        for (std::size_t pos = hash & m_mask;; pos = (pos + kGroup) & m_mask) {
            std::uint32_t match, empty;
            scanGroup(pos, tag, match, empty);
            // Only slots before the first empty one belong to the probe run.
            match &= empty != 0 ? (empty & (0u - empty)) - 1 : 0xffffu;
            while (match != 0) {
                const std::size_t i = (pos + std::size_t(__builtin_ctz(match))) & m_mask;
                const Entry& e = m_entries[i];
                if (e.hashLow == std::uint32_t(hash) && same(e))
                    return &e;
                match &= match - 1;
            }
            if (empty != 0)
                return nullptr;
        }
    }

    /// Adds a bucket whose key hashes to 'hash'. No bucket with the same key may exist.
    void insert(std::uint64_t hash, const Entry& entry);
    /// Makes 'head' the head of the bucket of 'entry' (an entry of this map).
    void setHead(const Entry* entry, Rule* head);
    /// Removes the bucket of 'entry' (an entry of this map).
    void erase(const Entry* entry);

    /// Calls 'f(head)' for every bucket, in slot order.
    template <typename F>
    void forEachHead(F&& f) const {
        for (std::size_t i = 0; i <= m_mask; ++i) {
            if (m_tags[i] != 0)
                f(m_entries[i].head);
        }
    }
    /// Calls 'f(entry)' for every bucket, in slot order.
    template <typename F>
    void forEachEntry(F&& f) const {
        for (std::size_t i = 0; i <= m_mask; ++i) {
            if (m_tags[i] != 0)
                f(m_entries[i]);
        }
    }

    /// Checks tags and their mirror, probe runs, the count and the load factor.
    void checkInvariants() const;

private:
    /// Bit i of 'match' / 'empty': tag pos+i equals 'tag' / is empty (i < kGroup).
    void scanGroup(std::size_t pos, std::uint8_t tag, std::uint32_t& match,
                   std::uint32_t& empty) const;
    std::size_t slotOf(const Entry* entry) const;
    void setTag(std::size_t slot, std::uint8_t tag) {
        m_tags[slot] = tag;
        if (slot < kGroup)
            m_tags[m_mask + 1 + slot] = tag;
    }
    void place(std::size_t slot, std::uint8_t tag, const Entry& entry) {
        setTag(slot, tag);
        m_entries[slot] = entry;
    }
    void reset(std::size_t capacity);
    void rehash(std::size_t capacity);

    std::unique_ptr<std::uint8_t[]> m_tags;  // capacity + kGroup bytes; 0 = empty
    std::unique_ptr<Entry[]> m_entries;
    std::size_t m_mask = 0;  // capacity - 1
    std::size_t m_size = 0;
};

inline void BucketMap::scanGroup(std::size_t pos, std::uint8_t tag, std::uint32_t& match,
                                 std::uint32_t& empty) const {
#if defined(__SSE2__)
    __m128i group;
    std::memcpy(&group, &m_tags[pos], sizeof group);
    match = std::uint32_t(
        _mm_movemask_epi8(_mm_cmpeq_epi8(group, _mm_set1_epi8(static_cast<char>(tag)))));
    empty = std::uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(group, _mm_setzero_si128())));
#else
    match = empty = 0;
    for (std::size_t i = 0; i < kGroup; ++i) {
        match |= std::uint32_t(m_tags[pos + i] == tag) << i;
        empty |= std::uint32_t(m_tags[pos + i] == 0) << i;
    }
#endif
}

/// The rules of one FlowTable that share one mask.
class Subtable {
public:
    using Entry = BucketMap::Entry;

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

    /// Hints the CPU to load what a probe for 'hash' reads first.
    void prefetch(std::uint64_t hash) const { m_buckets.prefetch(hash); }

    /// The bucket whose key equals ('words' & mask), or nullptr. 'hash' must be
    /// hashOf(words). The entry's head is the best rule of the bucket.
    const Entry* probe(const std::uint64_t* words, std::uint64_t hash) const {
        return m_buckets.find(hash, [&](const Entry& e) {
            for (std::size_t k = 0; k < m_nInline; ++k) {
                if ((words[m_wordIdx[k]] & m_maskWords[k]) != e.key[k])
                    return false;
            }
            if (m_nWords > m_nInline) {
                const std::uint64_t* rk = keyWords(e.head->spec.match.key);
                for (std::size_t k = m_nInline; k < m_nWords; ++k) {
                    const std::size_t w = m_wordIdx[k];
                    if ((words[w] & m_maskWords[k]) != rk[w])
                        return false;
                }
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

    /// The best rule of the bucket of ('key' & mask), or nullptr.
    Rule* find(const FlowKey& key) const {
        const std::uint64_t* w = keyWords(key);
        const Entry* e = probe(w, hashOf(w));
        return e == nullptr ? nullptr : e->head;
    }
    /// The rule whose (normalized) key is 'maskedKey' and priority 'priority', or nullptr.
    Rule* findExact(const FlowKey& maskedKey, std::uint16_t priority) const;
    /// Adds 'rule' (its mask must be mask(); no rule with the same key and priority may be
    /// present). Sets rule->subtable.
    void insert(Rule* rule);
    /// Removes 'rule', which must be present.
    void erase(Rule* rule);

    /// Calls 'f(rule)' for every rule (bucket by bucket, each in rank order).
    template <typename F>
    void forEachRule(F&& f) const {
        m_buckets.forEachHead([&](Rule* head) {
            for (Rule* r = head; r != nullptr;) {
                Rule* next = r->bucketNext;  // read first, in case 'f' looks at it
                f(r);
                r = next;
            }
        });
    }

    /// Aborts through NLAB_ASSERT if an invariant of the file comment is broken.
    void checkInvariants() const;

private:
    Entry makeEntry(Rule* head) const;

    // Fields read by every lookup come first.
    BucketMap m_buckets;
    std::uint16_t m_maxPriority = 0;
    std::uint8_t m_nWords = 0;
    std::uint8_t m_nInline = 0;  // min(m_nWords, kInlineWords)
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
