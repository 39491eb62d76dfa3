#pragma once
// Link- and network-layer addresses, and typed big-endian integers for wire structs.
//
// MacAddress and Ipv4Address are small value types. Their canonical in-memory form inside a
// FlowKey is an unsigned integer in host order (48 bits for a MAC, 32 for IPv4), which is what
// `toU64()`/`toU32()` return; wire structs use Be16/Be32 so that byte order is in the type.

#include <array>
#include <bit>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nlab::engine {

/// A 16-bit integer stored in network byte order. Trivially copyable; use in wire structs.
struct Be16 {
    std::uint8_t b[2] = {0, 0};
    constexpr Be16() = default;
    constexpr explicit Be16(std::uint16_t host) : b{std::uint8_t(host >> 8), std::uint8_t(host)} {}
    constexpr std::uint16_t value() const { return std::uint16_t((b[0] << 8) | b[1]); }
    friend constexpr bool operator==(Be16, Be16) = default;
};

/// A 32-bit integer stored in network byte order.
struct Be32 {
    std::uint8_t b[4] = {0, 0, 0, 0};
    constexpr Be32() = default;
    constexpr explicit Be32(std::uint32_t host)
        : b{std::uint8_t(host >> 24), std::uint8_t(host >> 16), std::uint8_t(host >> 8),
            std::uint8_t(host)} {}
    constexpr std::uint32_t value() const {
        return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) |
               (std::uint32_t(b[2]) << 8) | std::uint32_t(b[3]);
    }
    friend constexpr bool operator==(Be32, Be32) = default;
};
static_assert(sizeof(Be16) == 2 && sizeof(Be32) == 4);

/// An Ethernet MAC address.
class MacAddress {
public:
    constexpr MacAddress() = default;
    constexpr explicit MacAddress(const std::array<std::uint8_t, 6>& bytes) : m_b(bytes) {}
    /// From the low 48 bits of 'v' (most significant byte first on the wire).
    static constexpr MacAddress fromU64(std::uint64_t v) {
        MacAddress m;
        for (int i = 0; i < 6; ++i) m.m_b[i] = std::uint8_t(v >> (8 * (5 - i)));
        return m;
    }
    /// Parses "xx:xx:xx:xx:xx:xx" (hex digits, either case; '-' also accepted as separator).
    /// Returns nullopt on any other text.
    static std::optional<MacAddress> parse(std::string_view text);
    static constexpr MacAddress broadcast() { return fromU64(0xffffffffffffULL); }

    constexpr std::uint64_t toU64() const {
        std::uint64_t v = 0;
        for (auto x : m_b) v = (v << 8) | x;
        return v;
    }
    constexpr const std::array<std::uint8_t, 6>& bytes() const { return m_b; }
    constexpr bool isMulticast() const { return (m_b[0] & 1) != 0; }
    constexpr bool isBroadcast() const { return toU64() == 0xffffffffffffULL; }
    constexpr bool isZero() const { return toU64() == 0; }
    /// "fa:16:3e:2a:46:e0" (lower case).
    std::string toString() const;

    friend constexpr auto operator<=>(const MacAddress&, const MacAddress&) = default;

private:
    std::array<std::uint8_t, 6> m_b{};
};

/// An IPv4 address, held in host byte order.
class Ipv4Address {
public:
    constexpr Ipv4Address() = default;
    constexpr explicit Ipv4Address(std::uint32_t host) : m_v(host) {}
    static constexpr Ipv4Address fromOctets(int a, int b, int c, int d) {
        return Ipv4Address((std::uint32_t(a) << 24) | (std::uint32_t(b) << 16) |
                           (std::uint32_t(c) << 8) | std::uint32_t(d));
    }
    /// Parses dotted quad "10.10.10.7". Returns nullopt on any other text.
    static std::optional<Ipv4Address> parse(std::string_view text);
    constexpr std::uint32_t toU32() const { return m_v; }
    /// "10.10.10.7".
    std::string toString() const;
    friend constexpr auto operator<=>(const Ipv4Address&, const Ipv4Address&) = default;

private:
    std::uint32_t m_v = 0;
};

/// Formats a host-order IPv4 value as a dotted quad.
std::string formatIpv4(std::uint32_t host);
/// Formats the low 48 bits of 'v' as a MAC address.
std::string formatMac(std::uint64_t v);

}  // namespace nlab::engine
