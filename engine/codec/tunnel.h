#pragma once
// Tunnel encapsulations: GRE (RFC 2784, RFC 2890) and VXLAN (RFC 7348) over IPv4.
//
// What
//   Header codecs for GRE (with the optional checksum, key and sequence number fields) and
//   VXLAN, plus the two operations a tunnel port performs: wrap an inner Ethernet frame in a
//   complete outer Ethernet + IPv4 (+ UDP) + GRE/VXLAN frame, and unwrap such a frame back
//   into its inner frame, tunnel key and outer addresses.
//
// Design
//   Encapsulation follows what Open vSwitch's native tunnels put on the wire: GRE with the
//   key bit set, no checksum or sequence number and protocol 0x6558 (Transparent Ethernet
//   Bridging); VXLAN on UDP destination port 4789 with the I flag and a 24-bit VNI, and a
//   zero UDP checksum unless asked for one (Linux and OVS default for IPv4). The outer IPv4
//   header checksum is always computed.
//   `decapsulate` is strict where a receiving kernel is strict (bad outer IPv4 checksum,
//   fragments, GRE version/reserved bits, bad GRE or UDP checksums, VXLAN without I flag,
//   inner frame shorter than an Ethernet header) and returns nullopt for all of them.
//
// Invariants
//   Parsers never read outside their span and never throw. Encapsulated frames are not padded
//   (they are always longer than 60 bytes when the inner frame is a valid Ethernet frame).

#include "engine/core/result.h"
#include "engine/packet/addresses.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

namespace nlab::engine {

inline constexpr std::size_t kGreBaseHeaderLength = 4;
inline constexpr std::size_t kVxlanHeaderLength = 8;
inline constexpr std::uint16_t kVxlanPort = 4789;

namespace gre_flag {
inline constexpr std::uint16_t kChecksum = 0x8000;     ///< C: checksum + reserved1 present.
inline constexpr std::uint16_t kRouting = 0x4000;      ///< R (RFC 1701): must be zero.
inline constexpr std::uint16_t kKey = 0x2000;          ///< K (RFC 2890): key present.
inline constexpr std::uint16_t kSequence = 0x1000;     ///< S (RFC 2890): sequence present.
inline constexpr std::uint16_t kStrictRoute = 0x0800;  ///< s (RFC 1701): must be zero.
inline constexpr std::uint16_t kRecursionMask = 0x0700;
inline constexpr std::uint16_t kVersionMask = 0x0007;
}  // namespace gre_flag

namespace vxlan_flag {
inline constexpr std::uint8_t kVniValid = 0x08;  ///< I flag.
}  // namespace vxlan_flag

/// The mandatory 4 bytes of a GRE header.
struct GreBaseHeader {
    Be16 flagsVersion;  ///< C R K S s Recur(3) Flags(5) Ver(3).
    Be16 protocol;      ///< EtherType of the payload.
};
static_assert(sizeof(GreBaseHeader) == kGreBaseHeaderLength &&
              std::is_trivially_copyable_v<GreBaseHeader>);

/// The 8-byte VXLAN header as it is on the wire.
struct VxlanHeader {
    std::uint8_t flags = vxlan_flag::kVniValid;
    std::array<std::uint8_t, 3> reserved1{};
    Be32 vniReserved;  ///< VNI in the high 24 bits, reserved low byte.
};
static_assert(sizeof(VxlanHeader) == kVxlanHeaderLength &&
              std::is_trivially_copyable_v<VxlanHeader>);

/// A parsed GRE header.
struct GrePacket {
    std::uint16_t flagsVersion = 0;
    std::uint16_t protocol = 0;
    bool checksumPresent = false;
    std::uint16_t checksum = 0;
    bool keyPresent = false;
    std::uint32_t key = 0;
    bool sequencePresent = false;
    std::uint32_t sequence = 0;
    std::size_t headerLength = 0;           ///< 4 + 4 per optional field.
    std::span<const std::uint8_t> payload;  ///< Everything after the header.
};

/// Parses the GRE header at the start of 'bytes' (an IPv4 payload). Returns the header
/// length; Truncated below 4 bytes or when an announced optional field is missing;
/// Malformed for version != 0 or RFC 1701 routing/strict-route/recursion bits (which RFC
/// 2784 receivers must discard).
Result<std::size_t> parseGre(std::span<const std::uint8_t> bytes, GrePacket& out);

/// Whether the GRE checksum of 'greMessage' (header + payload) is correct; true when the
/// message carries no checksum.
bool greChecksumValid(std::span<const std::uint8_t> greMessage);

/// Fields of a GRE header to build.
struct GreFields {
    std::uint16_t protocol = 0x6558;        ///< Transparent Ethernet Bridging by default.
    std::optional<std::uint32_t> key;       ///< K bit and key when set.
    std::optional<std::uint32_t> sequence;  ///< S bit and sequence number when set.
    bool checksum = false;                  ///< C bit and checksum over header + payload.
};

/// Builds a GRE message: header per 'fields' followed by 'payload'.
std::vector<std::uint8_t> buildGre(const GreFields& fields, std::span<const std::uint8_t> payload);

/// A parsed VXLAN header.
struct VxlanPacket {
    std::uint8_t flags = 0;
    std::uint32_t vni = 0;                  ///< 24 bits.
    std::span<const std::uint8_t> payload;  ///< The inner Ethernet frame.
};

/// Parses the VXLAN header at the start of 'bytes' (a UDP payload). Returns 8; Truncated
/// below 8 bytes; Malformed when the I flag is clear.
Result<std::size_t> parseVxlan(std::span<const std::uint8_t> bytes, VxlanPacket& out);

/// Builds a VXLAN message: header with the I flag and the low 24 bits of 'vni', + 'payload'.
std::vector<std::uint8_t> buildVxlan(std::uint32_t vni, std::span<const std::uint8_t> payload);

/// The outer headers a tunnel port puts around an inner frame.
struct OuterHeaders {
    std::uint64_t srcMac = 0;  ///< 48-bit outer Ethernet source (local NIC).
    std::uint64_t dstMac = 0;  ///< 48-bit outer Ethernet destination (next hop).
    std::uint32_t srcIp = 0;   ///< Tunnel local_ip, host order.
    std::uint32_t dstIp = 0;   ///< Tunnel remote_ip, host order.
    std::uint8_t ttl = 64;
    std::uint8_t tos = 0;
    std::uint16_t ipId = 0;
    bool dontFragment = true;
    bool udpChecksum = false;  ///< VXLAN only: compute the outer UDP checksum (else 0).
};

/// Wraps 'inner' (an Ethernet frame) in Ethernet + IPv4 (protocol 47) + GRE with the key bit
/// and 'key', protocol 0x6558, no checksum or sequence number. Asserts the result fits in
/// an IPv4 datagram.
std::vector<std::uint8_t> encapsulateGre(const OuterHeaders& outer, std::uint32_t key,
                                         std::span<const std::uint8_t> inner);

/// Wraps 'inner' in Ethernet + IPv4 (protocol 17) + UDP ('udpSrcPort' -> 4789) + VXLAN with
/// the low 24 bits of 'vni'.
std::vector<std::uint8_t> encapsulateVxlan(const OuterHeaders& outer, std::uint32_t vni,
                                           std::uint16_t udpSrcPort,
                                           std::span<const std::uint8_t> inner);

/// What `decapsulate` recovers from a tunnel frame.
struct Decapsulated {
    enum class Kind { Gre, Vxlan };
    Kind kind = Kind::Gre;
    std::uint64_t key = 0;            ///< GRE key (0 when absent) or VXLAN VNI.
    std::uint32_t outerSrc = 0;       ///< Outer IPv4 source, host order.
    std::uint32_t outerDst = 0;       ///< Outer IPv4 destination, host order.
    std::vector<std::uint8_t> inner;  ///< The inner Ethernet frame.
};

/// Unwraps an IPv4 GRE (protocol 0x6558) or UDP/4789 VXLAN frame (outer Ethernet with up to
/// two VLAN tags). Returns nullopt for any other frame and for malformed ones (see the file
/// comment for the checks).
std::optional<Decapsulated> decapsulate(std::span<const std::uint8_t> frame);

}  // namespace nlab::engine
