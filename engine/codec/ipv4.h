#pragma once
// IPv4 (RFC 791) headers with options, and the Internet checksum (RFC 1071, RFC 1624).
//
// What
//   Parsing and building IPv4 headers, including options and fragmentation fields, and the
//   one's-complement Internet checksum that IPv4, ICMP, UDP, TCP and GRE share: full
//   computation, pseudo-header sums, and incremental updates for rewritten fields.
//
// Design
//   `Ipv4Header` is the fixed 20-byte wire layout; `Ipv4Datagram` is the parsed, host-order
//   view that also points at the options and at the payload, whose end is taken from the
//   total-length field (Ethernet padding after it is not payload).
//   Checksum values are handled as host-order integers of the big-endian wire field: summing
//   big-endian 16-bit words gives the value to store with a big-endian store.
//   Incremental updates use RFC 1624 equation 3, HC' = ~(~HC + ~m + m'), the form that
//   avoids the -0 result of RFC 1141's equation.
//
// Invariants
//   Parsers never read outside the span. Checksum sums carry 32-bit partial values in which
//   the carries are already folded, so they can be chained across spans; only the last span
//   of a chain may have an odd length.

#include "engine/core/result.h"
#include "engine/packet/addresses.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nlab::engine {

inline constexpr std::size_t kIpv4HeaderLength = 20;     ///< Without options.
inline constexpr std::size_t kIpv4MaxHeaderLength = 60;  ///< IHL 15.
inline constexpr std::uint16_t kIpv4DontFragment = 0x4000;
inline constexpr std::uint16_t kIpv4MoreFragments = 0x2000;
inline constexpr std::uint16_t kIpv4ReservedFlag = 0x8000;
inline constexpr std::uint16_t kIpv4FragmentOffsetMask = 0x1fff;  ///< In 8-byte units.

/// The fixed part of an IPv4 header as it is on the wire.
struct Ipv4Header {
    std::uint8_t versionIhl = 0x45;  ///< Version (high nibble) and header length in words.
    std::uint8_t tos = 0;            ///< DSCP (6 bits) and ECN (2 bits).
    Be16 totalLength;                ///< Header + payload, bytes.
    Be16 id;
    Be16 flagsFragment;  ///< Reserved | DF | MF | offset (8-byte units).
    std::uint8_t ttl = 0;
    std::uint8_t protocol = 0;
    Be16 checksum;
    Be32 src;
    Be32 dst;
};
static_assert(sizeof(Ipv4Header) == kIpv4HeaderLength && std::is_trivially_copyable_v<Ipv4Header>);

/// A parsed IPv4 header and the spans it delimits.
struct Ipv4Datagram {
    Ipv4Header header;                      ///< The fixed header, as on the wire.
    std::size_t headerLength = 0;           ///< IHL * 4, 20..60.
    std::uint16_t totalLength = 0;          ///< From the header; <= available bytes.
    std::span<const std::uint8_t> options;  ///< headerLength - 20 bytes.
    std::span<const std::uint8_t> payload;  ///< [headerLength, totalLength).

    Ipv4Address src() const { return Ipv4Address(header.src.value()); }
    Ipv4Address dst() const { return Ipv4Address(header.dst.value()); }
    std::uint8_t protocol() const { return header.protocol; }
    std::uint16_t fragmentOffset() const {
        return header.flagsFragment.value() & kIpv4FragmentOffsetMask;
    }
    bool dontFragment() const { return (header.flagsFragment.value() & kIpv4DontFragment) != 0; }
    bool moreFragments() const { return (header.flagsFragment.value() & kIpv4MoreFragments) != 0; }
    /// Any fragment (first, middle or last): MF set or a non-zero offset.
    bool isFragment() const { return moreFragments() || fragmentOffset() != 0; }
    /// A fragment other than the first: it carries no transport header.
    bool isLaterFragment() const { return fragmentOffset() != 0; }
};

/// Parses the IPv4 header at the start of 'bytes' (an Ethernet payload, which may carry
/// padding after the datagram) into 'out'. Returns the header length (bytes consumed), or
///   Truncated  fewer than 20 bytes, fewer than IHL*4 bytes, or total length > bytes;
///   Malformed  version != 4, IHL < 5, or total length < IHL*4.
/// Does not verify the header checksum (see ipv4HeaderChecksumValid).
Result<std::size_t> parseIpv4(std::span<const std::uint8_t> bytes, Ipv4Datagram& out);

/// Fields of a header to build. Lengths and the checksum are computed.
struct Ipv4Fields {
    Ipv4Address src;
    Ipv4Address dst;
    std::uint8_t protocol = 0;
    std::uint8_t ttl = 64;
    std::uint8_t tos = 0;
    std::uint16_t id = 0;
    bool dontFragment = false;
    bool moreFragments = false;
    std::uint16_t fragmentOffset = 0;  ///< In 8-byte units, <= 0x1fff.
};

/// Appends an IPv4 header for a payload of 'payloadLength' bytes: 'options' (zero-padded to a
/// multiple of 4 bytes, at most 40) after the fixed part, total length and header checksum
/// filled in. Asserts that the options fit and the total length is at most 65535.
void appendIpv4Header(std::vector<std::uint8_t>& out, const Ipv4Fields& fields,
                      std::size_t payloadLength, std::span<const std::uint8_t> options = {});

/// Builds a complete datagram: header (as appendIpv4Header) followed by 'payload'.
std::vector<std::uint8_t> buildIpv4(const Ipv4Fields& fields, std::span<const std::uint8_t> payload,
                                    std::span<const std::uint8_t> options = {});

/// Whether the checksum of the IPv4 header 'header' (exactly IHL*4 bytes) is correct.
bool ipv4HeaderChecksumValid(std::span<const std::uint8_t> header);

/// Recomputes the checksum of the IPv4 header 'header' (exactly IHL*4 bytes, >= 20) in place.
void setIpv4HeaderChecksum(std::span<std::uint8_t> header);

/// Adds the big-endian 16-bit words of 'bytes' (an odd last byte padded with zero) to the
/// partial sum 'sum' and returns the new partial sum (carries folded, <= 0xffff).
std::uint32_t checksumPartial(std::span<const std::uint8_t> bytes, std::uint32_t sum = 0);

/// Folds a partial sum and complements it: the value to store in a checksum field.
std::uint16_t checksumFinish(std::uint32_t sum);

/// The Internet checksum of 'bytes' (checksumFinish(checksumPartial(bytes))). Over a region
/// that contains its own correct checksum field, the result is 0.
std::uint16_t internetChecksum(std::span<const std::uint8_t> bytes);

/// Partial sum of the IPv4 pseudo-header used by UDP and TCP (RFC 768, RFC 9293).
std::uint32_t ipv4PseudoHeaderSum(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol,
                                  std::uint16_t l4Length);

/// Incremental update (RFC 1624 eqn. 3) of checksum 'checksum' after a 16-bit word of the
/// covered data changed from 'oldValue' to 'newValue'. Returns the new checksum.
std::uint16_t checksumUpdate16(std::uint16_t checksum, std::uint16_t oldValue,
                               std::uint16_t newValue);

/// Incremental update after a 16-bit-aligned 32-bit value changed (e.g. an IPv4 address).
std::uint16_t checksumUpdate32(std::uint16_t checksum, std::uint32_t oldValue,
                               std::uint32_t newValue);

/// "ICMP", "TCP", "UDP", "GRE", ... or "" for an unknown protocol number.
std::string_view ipProtoName(std::uint8_t protocol);

}  // namespace nlab::engine
