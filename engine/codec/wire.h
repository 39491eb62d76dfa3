#pragma once
// Byte-order loads and stores and bounds-checked struct copies for the codecs.
//
// What
//   The few primitives every codec uses to move bytes between a frame and host integers or
//   wire structs: big-endian 16/32/48-bit loads and stores, and `readStruct`/`writeStruct`,
//   which memcpy a trivially-copyable wire struct in or out of a buffer after checking bounds.
//
// Design
//   Wire structs are never overlaid on packet memory (no reinterpret_cast): memcpy is the only
//   way in and out, which is alignment-safe and lets the compiler emit plain loads.
//   Everything is inline and allocation-free so that the flow-extraction hot path can use it.
//
// Invariants
//   `readStruct` never reads outside 'bytes'; it returns false instead. The raw pointer loads
//   (`load16` ...) are for callers that have already checked the length.

#include "engine/core/assert.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>
#include <vector>

namespace nlab::engine::wire {

/// Big-endian 16-bit load from 'p' (caller guarantees 2 readable bytes).
inline std::uint16_t load16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
/// Big-endian 32-bit load from 'p' (caller guarantees 4 readable bytes).
inline std::uint32_t load32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}
/// Big-endian 48-bit load (a MAC address) from 'p' into the low bits of the result.
inline std::uint64_t load48(const std::uint8_t* p) {
    return (std::uint64_t(load16(p)) << 32) | load32(p + 2);
}
/// Big-endian 16-bit store.
inline void store16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
/// Big-endian 32-bit store.
inline void store32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}
/// Big-endian 48-bit store of the low 48 bits of 'v'.
inline void store48(std::uint8_t* p, std::uint64_t v) {
    store16(p, static_cast<std::uint16_t>(v >> 32));
    store32(p + 2, static_cast<std::uint32_t>(v));
}

/// Little-endian 32-bit load and store (the SCTP checksum field is little-endian).
inline std::uint32_t load32le(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
           (std::uint32_t(p[3]) << 24);
}
inline void store32le(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
    p[2] = static_cast<std::uint8_t>(v >> 16);
    p[3] = static_cast<std::uint8_t>(v >> 24);
}

/// True when 'bytes' holds at least 'length' bytes starting at 'offset'.
inline bool has(std::span<const std::uint8_t> bytes, std::size_t offset, std::size_t length) {
    return offset <= bytes.size() && bytes.size() - offset >= length;
}

/// Copies a T out of 'bytes' at 'offset'. Returns false (leaving 'out' untouched) when the
/// buffer is too short.
template <typename T>
requires std::is_trivially_copyable_v<T>
inline bool readStruct(std::span<const std::uint8_t> bytes, std::size_t offset, T& out) {
    if (!has(bytes, offset, sizeof(T))) {
        return false;
    }
    std::memcpy(&out, bytes.data() + offset, sizeof(T));
    return true;
}

/// Copies 'in' into 'bytes' at 'offset'. The caller guarantees the room (checked always).
template <typename T>
requires std::is_trivially_copyable_v<T>
inline void writeStruct(std::span<std::uint8_t> bytes, std::size_t offset, const T& in) {
    NLAB_ASSERT(offset <= bytes.size() && bytes.size() - offset >= sizeof(T));
    std::memcpy(bytes.data() + offset, &in, sizeof(T));
}

/// Appends the bytes of 'in' to 'out'.
template <typename T>
requires std::is_trivially_copyable_v<T>
inline void appendStruct(std::vector<std::uint8_t>& out, const T& in) {
    const std::size_t at = out.size();
    out.resize(at + sizeof(T));
    std::memcpy(out.data() + at, &in, sizeof(T));
}

/// Appends 'bytes' to 'out'.
inline void appendBytes(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace nlab::engine::wire
