#pragma once
// Match: a FlowKey with a FlowMask, the left-hand side of a flow.
//
// Invariant: key bits outside the mask are zero (`normalize()` restores it), so two Matches
// that select the same packets compare equal.

#include <cstdint>

#include "engine/flow/flow_key.h"

namespace nlab::engine {

struct Match {
    FlowKey key;    ///< Values of the significant bits; zero elsewhere.
    FlowMask mask;  ///< 1 bits are significant.

    /// Sets field 'id' to 'value' under 'fieldMask' (all-ones by default), keeping the
    /// invariant.
    void set(FieldId id, std::uint64_t value, std::uint64_t fieldMask = ~0ULL);
    /// Drops any constraint on field 'id'.
    void clear(FieldId id);
    /// Whether field 'id' is constrained at all.
    bool has(FieldId id) const { return getField(mask, id) != 0; }
    /// Zeroes key bits outside the mask.
    void normalize() { key = maskKey(key, mask); }
    /// Whether 'packet' falls under this match.
    bool matches(const FlowKey& packet) const;

    friend bool operator==(const Match& a, const Match& b) = default;
};

}  // namespace nlab::engine
