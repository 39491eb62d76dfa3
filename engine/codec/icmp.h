#pragma once
// ICMP for IPv4 (RFC 792, RFC 1191, RFC 1812): echo, destination unreachable, time exceeded.
//
// What
//   Parsing any ICMP message into its 8-byte header and body, decoding the quoted datagram of
//   error messages (unreachable, time exceeded, redirect, source quench, parameter problem),
//   and building echo request/reply and error messages with a correct checksum.
//
// Design
//   `IcmpHeader` is the 8-byte wire header; the last 4 bytes ("rest of header") are kept as
//   two 16-bit words whose meaning depends on the type (echo id/sequence, unused/next-hop MTU,
//   parameter-problem pointer). Error messages quote the offending IPv4 header and the first
//   8 bytes of its payload, as RFC 792 requires and as Linux does for short datagrams.
//
// Invariants
//   Parsers never read outside the span. Builders always produce a correct checksum over the
//   whole message.

#include "engine/codec/ipv4.h"
#include "engine/core/result.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nlab::engine {

inline constexpr std::size_t kIcmpHeaderLength = 8;

namespace icmp_type {
inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestUnreachable = 3;
inline constexpr std::uint8_t kSourceQuench = 4;
inline constexpr std::uint8_t kRedirect = 5;
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kRouterAdvertisement = 9;
inline constexpr std::uint8_t kRouterSolicitation = 10;
inline constexpr std::uint8_t kTimeExceeded = 11;
inline constexpr std::uint8_t kParameterProblem = 12;
inline constexpr std::uint8_t kTimestamp = 13;
inline constexpr std::uint8_t kTimestampReply = 14;
}  // namespace icmp_type

namespace icmp_unreach {
inline constexpr std::uint8_t kNet = 0;
inline constexpr std::uint8_t kHost = 1;
inline constexpr std::uint8_t kProtocol = 2;
inline constexpr std::uint8_t kPort = 3;
inline constexpr std::uint8_t kFragmentationNeeded = 4;
inline constexpr std::uint8_t kSourceRouteFailed = 5;
inline constexpr std::uint8_t kAdminProhibited = 13;
}  // namespace icmp_unreach

namespace icmp_time_exceeded {
inline constexpr std::uint8_t kTtl = 0;         ///< TTL exceeded in transit.
inline constexpr std::uint8_t kReassembly = 1;  ///< Fragment reassembly time exceeded.
}  // namespace icmp_time_exceeded

/// The 8-byte ICMP header as it is on the wire.
struct IcmpHeader {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    Be16 checksum;  ///< Over the whole ICMP message.
    Be16 word1;     ///< Echo: identifier. Errors: unused (0). Parameter problem: pointer << 8.
    Be16 word2;     ///< Echo: sequence. Fragmentation needed: next-hop MTU.
};
static_assert(sizeof(IcmpHeader) == kIcmpHeaderLength && std::is_trivially_copyable_v<IcmpHeader>);

/// The IPv4 header and leading payload bytes quoted by an ICMP error message.
struct IcmpQuote {
    Ipv4Header header;                      ///< Fixed part of the quoted header.
    std::size_t headerLength = 0;           ///< Quoted IHL * 4.
    std::span<const std::uint8_t> l4Bytes;  ///< Quoted payload bytes (usually 8).
};

/// A parsed ICMP message.
struct IcmpMessage {
    IcmpHeader header;
    std::span<const std::uint8_t> body;  ///< Bytes after the 8-byte header.
    bool hasQuote = false;               ///< Error type whose body held a valid IPv4 header.
    IcmpQuote quote;                     ///< Meaningful when hasQuote.

    std::uint8_t type() const { return header.type; }
    std::uint8_t code() const { return header.code; }
    std::uint16_t id() const { return header.word1.value(); }
    std::uint16_t sequence() const { return header.word2.value(); }
    std::uint16_t nextHopMtu() const { return header.word2.value(); }
};

/// Whether ICMP 'type' is an error message that quotes a datagram (3, 4, 5, 11, 12).
bool icmpTypeIsError(std::uint8_t type);

/// Parses the ICMP message 'message' (the whole IPv4 payload) into 'out'. Returns 8 (header
/// bytes consumed); Truncated below 8 bytes; for error types, Truncated when the body is
/// shorter than the quoted IPv4 header and Malformed when that header is not IPv4 (version,
/// IHL). Does not verify the checksum (see icmpChecksumValid).
Result<std::size_t> parseIcmp(std::span<const std::uint8_t> message, IcmpMessage& out);

/// Whether the checksum of the complete ICMP message 'message' is correct.
bool icmpChecksumValid(std::span<const std::uint8_t> message);

/// Builds an ICMP message: header ('type', 'code', the two rest-of-header words) + 'body',
/// with the checksum computed.
std::vector<std::uint8_t> buildIcmp(std::uint8_t type, std::uint8_t code, std::uint16_t word1,
                                    std::uint16_t word2, std::span<const std::uint8_t> body);

/// Builds an echo request (or reply when 'reply') with identifier 'id', sequence 'seq' and
/// 'payload'.
std::vector<std::uint8_t> buildIcmpEcho(bool reply, std::uint16_t id, std::uint16_t seq,
                                        std::span<const std::uint8_t> payload);

/// Builds a destination-unreachable message with 'code' quoting 'original' (the offending
/// datagram from its IPv4 header on): its header plus 8 payload bytes, or all of it when
/// shorter. 'nextHopMtu' goes in word2 (only meaningful for code 4).
std::vector<std::uint8_t> buildIcmpUnreachable(std::uint8_t code,
                                               std::span<const std::uint8_t> original,
                                               std::uint16_t nextHopMtu = 0);

/// Builds a time-exceeded message with 'code' quoting 'original' as buildIcmpUnreachable.
std::vector<std::uint8_t> buildIcmpTimeExceeded(std::uint8_t code,
                                                std::span<const std::uint8_t> original);

/// The bytes of 'original' an ICMP error quotes: IHL*4 + 8 bytes, capped at its size.
std::span<const std::uint8_t> icmpQuotedPart(std::span<const std::uint8_t> original);

/// "echo request", "destination unreachable", ... or "" for an unknown type.
std::string_view icmpTypeName(std::uint8_t type);

/// "port unreachable", "fragmentation needed", ... for a destination-unreachable code, or "".
std::string_view icmpUnreachableCodeName(std::uint8_t code);

}  // namespace nlab::engine
