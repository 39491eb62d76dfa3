#pragma once
// ARP (RFC 826) for Ethernet hardware addresses and IPv4 protocol addresses.
//
// What
//   Parsing and building the 28-byte ARP packet that follows an Ethernet header with type
//   0x0806 (or 0x8035 for RARP). Other hardware or protocol types exist on the wire but are
//   not modelled: they parse as Unsupported.
//
// Design
//   `ArpHeader` is the exact wire layout; `ArpPacket` is its host-order value form used by
//   the rest of the engine (IP stack, flow extraction tests, ARP responder flows).
//
// Invariants
//   `parseArp` never reads past the span; the bytes after the 28-byte packet (Ethernet
//   padding) are ignored.

#include "engine/core/result.h"
#include "engine/packet/addresses.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nlab::engine {

inline constexpr std::size_t kArpPacketLength = 28;

/// ARP operation codes (RFC 826, RFC 903, RFC 2390).
namespace arp_op {
inline constexpr std::uint16_t kRequest = 1;
inline constexpr std::uint16_t kReply = 2;
inline constexpr std::uint16_t kRarpRequest = 3;
inline constexpr std::uint16_t kRarpReply = 4;
inline constexpr std::uint16_t kInArpRequest = 8;
inline constexpr std::uint16_t kInArpReply = 9;
}  // namespace arp_op

/// The ARP packet for Ethernet/IPv4 as it is on the wire.
struct ArpHeader {
    Be16 hardwareType;                  ///< 1 = Ethernet.
    Be16 protocolType;                  ///< 0x0800 = IPv4.
    std::uint8_t hardwareLength = 0;    ///< 6.
    std::uint8_t protocolLength = 0;    ///< 4.
    Be16 op;                            ///< 1 request, 2 reply, ...
    std::array<std::uint8_t, 6> sha{};  ///< Sender hardware address.
    Be32 spa;                           ///< Sender protocol address.
    std::array<std::uint8_t, 6> tha{};  ///< Target hardware address.
    Be32 tpa;                           ///< Target protocol address.
};
static_assert(sizeof(ArpHeader) == kArpPacketLength && std::is_trivially_copyable_v<ArpHeader>);

/// Host-order form of an Ethernet/IPv4 ARP packet.
struct ArpPacket {
    std::uint16_t op = arp_op::kRequest;
    MacAddress sha;
    Ipv4Address spa;
    MacAddress tha;
    Ipv4Address tpa;
    friend bool operator==(const ArpPacket&, const ArpPacket&) = default;
};

/// Parses the ARP packet at the start of 'bytes' (an Ethernet payload) into 'out'.
/// Returns 28 (bytes consumed); Truncated when fewer than 28 bytes; Unsupported when the
/// hardware type is not Ethernet (1) or the protocol type not IPv4 (0x0800); Malformed when
/// the address lengths are not 6 and 4.
Result<std::size_t> parseArp(std::span<const std::uint8_t> bytes, ArpPacket& out);

/// Appends the 28-byte wire form of 'arp' to 'out'.
void appendArp(std::vector<std::uint8_t>& out, const ArpPacket& arp);

/// Builds a complete ARP frame: Ethernet header (src = arp.sha) + ARP, padded to 60 bytes.
std::vector<std::uint8_t> buildArpFrame(MacAddress ethDst, const ArpPacket& arp);

/// "Request", "Reply", "Reverse Request", ... or "" for an unknown opcode.
std::string_view arpOpName(std::uint16_t op);

}  // namespace nlab::engine
