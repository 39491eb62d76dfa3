#pragma once
// UDP (RFC 768) and TCP (RFC 9293) headers and their pseudo-header checksums over IPv4.
//
// What
//   Parsing and building UDP datagrams and TCP segment headers (with options), and computing
//   and verifying their checksums, which cover an IPv4 pseudo-header (source, destination,
//   protocol, length) plus the whole transport segment.
//
// Design
//   Segments are passed as the exact IPv4 payload (the caller has already cut Ethernet
//   padding off with the IPv4 total length). A UDP checksum of 0 means "not computed"
//   (allowed over IPv4); a computed value of 0 is sent as 0xffff. TCP has no such escape.
//
// Invariants
//   Parsers never read outside the span. `payload` spans are sub-spans of the input.

#include "engine/core/result.h"
#include "engine/packet/addresses.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace nlab::engine {

inline constexpr std::size_t kUdpHeaderLength = 8;
inline constexpr std::size_t kTcpHeaderLength = 20;     ///< Without options.
inline constexpr std::size_t kTcpMaxHeaderLength = 60;  ///< Data offset 15.

/// TCP control bits, as `TcpSegment::flags()` returns them (NS is bit 8).
namespace tcp_flag {
inline constexpr std::uint16_t kFin = 0x001;
inline constexpr std::uint16_t kSyn = 0x002;
inline constexpr std::uint16_t kRst = 0x004;
inline constexpr std::uint16_t kPsh = 0x008;
inline constexpr std::uint16_t kAck = 0x010;
inline constexpr std::uint16_t kUrg = 0x020;
inline constexpr std::uint16_t kEce = 0x040;
inline constexpr std::uint16_t kCwr = 0x080;
inline constexpr std::uint16_t kNs = 0x100;
}  // namespace tcp_flag

/// The 8-byte UDP header as it is on the wire.
struct UdpHeader {
    Be16 srcPort;
    Be16 dstPort;
    Be16 length;    ///< Header + payload, bytes (>= 8).
    Be16 checksum;  ///< 0 = none (IPv4 only).
};
static_assert(sizeof(UdpHeader) == kUdpHeaderLength && std::is_trivially_copyable_v<UdpHeader>);

/// The fixed 20-byte TCP header as it is on the wire.
struct TcpHeader {
    Be16 srcPort;
    Be16 dstPort;
    Be32 seq;
    Be32 ack;
    std::uint8_t dataOffset = 0x50;  ///< Header length in words (high nibble); NS in bit 0.
    std::uint8_t flags = 0;          ///< CWR ECE URG ACK PSH RST SYN FIN.
    Be16 window;
    Be16 checksum;
    Be16 urgentPointer;
};
static_assert(sizeof(TcpHeader) == kTcpHeaderLength && std::is_trivially_copyable_v<TcpHeader>);

/// A parsed UDP datagram.
struct UdpDatagram {
    UdpHeader header;
    std::span<const std::uint8_t> payload;  ///< [8, length).
    std::uint16_t srcPort() const { return header.srcPort.value(); }
    std::uint16_t dstPort() const { return header.dstPort.value(); }
    std::uint16_t length() const { return header.length.value(); }
};

/// A parsed TCP segment.
struct TcpSegment {
    TcpHeader header;
    std::size_t headerLength = 0;           ///< Data offset * 4, 20..60.
    std::span<const std::uint8_t> options;  ///< headerLength - 20 bytes.
    std::span<const std::uint8_t> payload;  ///< Everything after the header.
    std::uint16_t srcPort() const { return header.srcPort.value(); }
    std::uint16_t dstPort() const { return header.dstPort.value(); }
    std::uint16_t flags() const {
        return static_cast<std::uint16_t>(((header.dataOffset & 1) << 8) | header.flags);
    }
};

/// Parses the UDP datagram 'bytes' (an IPv4 payload) into 'out'. Returns 8; Truncated below
/// 8 bytes or when the length field exceeds the bytes; Malformed when the length field is
/// below 8. The payload ends where the length field says.
Result<std::size_t> parseUdp(std::span<const std::uint8_t> bytes, UdpDatagram& out);

/// Parses the TCP segment 'bytes' (an IPv4 payload) into 'out'. Returns the header length;
/// Truncated below 20 bytes or when the data offset exceeds the bytes; Malformed when the
/// data offset is below 5.
Result<std::size_t> parseTcp(std::span<const std::uint8_t> bytes, TcpSegment& out);

/// The value to store in the checksum field of UDP datagram 'segment' sent from 'srcIp' to
/// 'dstIp' (host order); the current field content is ignored. Never 0 (0 becomes 0xffff).
std::uint16_t udpChecksum(std::uint32_t srcIp, std::uint32_t dstIp,
                          std::span<const std::uint8_t> segment);

/// Whether the checksum of UDP datagram 'segment' is correct; a zero field counts as valid.
bool udpChecksumValid(std::uint32_t srcIp, std::uint32_t dstIp,
                      std::span<const std::uint8_t> segment);

/// The value to store in the checksum field of TCP segment 'segment'.
std::uint16_t tcpChecksum(std::uint32_t srcIp, std::uint32_t dstIp,
                          std::span<const std::uint8_t> segment);

/// Whether the checksum of TCP segment 'segment' is correct.
bool tcpChecksumValid(std::uint32_t srcIp, std::uint32_t dstIp,
                      std::span<const std::uint8_t> segment);

/// Builds a UDP datagram with 'payload'; with 'withChecksum' false the checksum is left 0.
std::vector<std::uint8_t> buildUdp(std::uint16_t srcPort, std::uint16_t dstPort,
                                   std::span<const std::uint8_t> payload, std::uint32_t srcIp,
                                   std::uint32_t dstIp, bool withChecksum = true);

/// Fields of a TCP header to build.
struct TcpFields {
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint16_t flags = 0;  ///< tcp_flag bits (NS included).
    std::uint16_t window = 0;
    std::uint16_t urgentPointer = 0;
};

/// Builds a TCP segment: header with 'options' (zero-padded to a multiple of 4, at most 40
/// bytes; asserted), 'payload', and the checksum for 'srcIp' -> 'dstIp'.
std::vector<std::uint8_t> buildTcp(const TcpFields& fields, std::span<const std::uint8_t> payload,
                                   std::uint32_t srcIp, std::uint32_t dstIp,
                                   std::span<const std::uint8_t> options = {});

inline constexpr std::size_t kSctpCommonHeaderLength = 12;

/// CRC-32C (Castagnoli, reflected, as SCTP uses it) of 'bytes', with the final XOR applied.
std::uint32_t crc32c(std::span<const std::uint8_t> bytes);

/// The SCTP checksum of 'packet' (common header + chunks) with the checksum field read as
/// zero, as the 32-bit value whose little-endian bytes go in the field (RFC 4960 appendix B).
std::uint32_t sctpChecksum(std::span<const std::uint8_t> packet);

/// tcpdump's rendering of TCP flags: "S", "S.", "P.", "F.", "R", "." ("none" when zero).
std::string tcpFlagsString(std::uint16_t flags);

}  // namespace nlab::engine
