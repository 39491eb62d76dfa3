#include "engine/flow/match.h"

namespace nlab::engine {

void Match::set(FieldId id, std::uint64_t value, std::uint64_t fieldMask) {
    fieldMask &= fieldMaxMask(id);
    const std::uint64_t oldMask = getField(mask, id);
    const std::uint64_t oldValue = getField(key, id);
    setField(mask, id, oldMask | fieldMask);
    setField(key, id, (oldValue & ~fieldMask) | (value & fieldMask));
}

void Match::clear(FieldId id) {
    setField(mask, id, 0);
    setField(key, id, 0);
}

bool Match::matches(const FlowKey& packet) const {
    auto k = key.words();
    auto m = mask.words();
    auto p = packet.words();
    for (std::size_t i = 0; i < FlowKey::kWords; ++i) {
        if ((p[i] & m[i]) != k[i]) return false;
    }
    return true;
}

}  // namespace nlab::engine
