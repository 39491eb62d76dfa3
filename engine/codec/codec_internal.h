#pragma once
// Helpers shared by the codec sources (engine/codec/*.cpp and their tests only):
// hexadecimal formatting and the error values the parsers return.

#include "engine/core/result.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace nlab::engine::codec_internal {

/// "0x" followed by 'value' in lower-case hex, zero-padded to 'digits' digits.
inline std::string hex(std::uint64_t value, int digits) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(value));
    return buf;
}

/// Truncated error: "<layer>: <have> bytes < <need>-byte <what>".
inline Error truncatedError(std::string_view layer, std::size_t have, std::size_t need,
                            std::string_view what) {
    return Error{ErrorCode::Truncated, std::string(layer) + ": " + std::to_string(have) +
                                           " bytes < " + std::to_string(need) + "-byte " +
                                           std::string(what)};
}

/// Error with 'code' and "<layer>: <message>".
inline Error codecError(ErrorCode code, std::string_view layer, std::string_view message) {
    return Error{code, std::string(layer) + ": " + std::string(message)};
}

}  // namespace nlab::engine::codec_internal
