#pragma once
// Ethernet II / IEEE 802.3 framing and 802.1Q / 802.1ad VLAN tags.
//
// What
//   Parsing and building the link-layer header of a frame: destination and source MAC, up
//   to two VLAN tags (802.1ad S-tag 0x88a8 or 802.1Q C-tag 0x8100, in any order), and the
//   EtherType or, for 802.3 frames, the length field and an optional LLC/SNAP header.
//   Also the in-place tag operations an OpenFlow pipeline needs: push, pop, set TCI.
//
// Design
//   Wire layouts are trivially-copyable structs (`EthernetHeader`, `VlanHeader`,
//   `LlcSnapHeader`) moved with memcpy; `parseEthernet` fills a small value struct
//   (`EthernetFrame`) that also points at the payload. Frames are handled without FCS,
//   as Linux and Open vSwitch hand them around; the minimum frame is therefore 60 bytes.
//
// Invariants
//   Parsers never read past the span they are given and never throw. `EthernetFrame::payload`
//   is a sub-span of the parsed frame.

#include "engine/core/result.h"
#include "engine/packet/addresses.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace nlab::engine {

inline constexpr std::size_t kEthernetHeaderLength = 14;  ///< dst + src + type.
inline constexpr std::size_t kVlanHeaderLength = 4;       ///< TCI + inner type.
inline constexpr std::size_t kLlcSnapHeaderLength = 8;
inline constexpr std::size_t kEthernetMinFrameLength = 60;  ///< Without the 4-byte FCS.
inline constexpr std::uint16_t kEtherTypeMin = 0x0600;      ///< Smaller values are 802.3 lengths.
inline constexpr std::uint16_t kDlTypeNone = 0x05ff;  ///< OVS dl_type of non-SNAP 802.3 frames.
inline constexpr std::size_t kMaxVlanTags = 2;        ///< Tags `parseEthernet` decodes.

/// The 14-byte Ethernet II header as it is on the wire.
struct EthernetHeader {
    std::array<std::uint8_t, 6> dst{};  ///< Destination MAC.
    std::array<std::uint8_t, 6> src{};  ///< Source MAC.
    Be16 type;                          ///< EtherType (>= 0x600), TPID, or 802.3 length.
};
static_assert(sizeof(EthernetHeader) == kEthernetHeaderLength &&
              std::is_trivially_copyable_v<EthernetHeader>);

/// The 4 bytes that follow a TPID: the tag control information and the next type.
struct VlanHeader {
    Be16 tci;        ///< PCP (3 bits) | DEI (1 bit) | VID (12 bits).
    Be16 innerType;  ///< EtherType or TPID of the next header.
};
static_assert(sizeof(VlanHeader) == kVlanHeaderLength && std::is_trivially_copyable_v<VlanHeader>);

/// IEEE 802.2 LLC header with a SNAP extension (DSAP = SSAP = 0xaa, control 0x03).
struct LlcSnapHeader {
    std::uint8_t dsap = 0;
    std::uint8_t ssap = 0;
    std::uint8_t control = 0;
    std::array<std::uint8_t, 3> oui{};  ///< 00:00:00 means "an EtherType follows".
    Be16 type;                          ///< Protocol id (an EtherType when oui is zero).
};
static_assert(sizeof(LlcSnapHeader) == kLlcSnapHeaderLength &&
              std::is_trivially_copyable_v<LlcSnapHeader>);

/// One decoded VLAN tag.
struct VlanTag {
    std::uint16_t tpid = 0;  ///< 0x8100 (802.1Q) or 0x88a8 (802.1ad).
    std::uint16_t tci = 0;   ///< Raw TCI as on the wire (DEI kept, no OVS CFI convention).
    std::uint16_t vid() const { return tci & 0x0fff; }
    std::uint8_t pcp() const { return static_cast<std::uint8_t>(tci >> 13); }
    bool dei() const { return (tci & 0x1000) != 0; }
};

/// The parsed link-layer header of a frame.
struct EthernetFrame {
    MacAddress dst;
    MacAddress src;
    std::array<VlanTag, kMaxVlanTags> tags{};  ///< Outermost first.
    std::size_t tagCount = 0;                  ///< Number of valid entries in 'tags'.
    std::uint16_t typeOrLength = 0;         ///< Field after the tags: EtherType, or 802.3 length.
    std::size_t headerLength = 0;           ///< 14 + 4 * tagCount: offset of 'payload'.
    std::span<const std::uint8_t> payload;  ///< Everything after the header (padding too).

    /// True for an IEEE 802.3 frame, whose type field is a length.
    bool isLength() const { return typeOrLength < kEtherTypeMin; }
};

/// The parsed LLC/SNAP header of an 802.3 frame.
struct LlcSnap {
    std::uint8_t dsap = 0, ssap = 0, control = 0;
    std::uint32_t oui = 0;         ///< Only meaningful when isSnap.
    std::uint16_t type = 0;        ///< SNAP protocol id; only meaningful when isSnap.
    bool isSnap = false;           ///< DSAP/SSAP 0xaa and control 0x03.
    std::size_t headerLength = 0;  ///< 3 for plain LLC, 8 for SNAP.
};

/// Whether 'type' is a VLAN TPID this engine recognises (0x8100, 0x88a8).
bool isVlanTpid(std::uint16_t type);

/// Parses the Ethernet header and up to kMaxVlanTags VLAN tags of 'frame' into 'out'.
/// A third tag is not decoded: its TPID is reported as typeOrLength.
/// Returns the header length (bytes consumed), or Truncated when the frame is shorter than
/// 14 bytes or ends inside a tag. Never reads outside 'frame'.
Result<std::size_t> parseEthernet(std::span<const std::uint8_t> frame, EthernetFrame& out);

/// Parses an 802.2 LLC header (and SNAP extension when DSAP = SSAP = 0xaa) at the start of an
/// 802.3 payload. Returns the bytes consumed or Truncated.
Result<std::size_t> parseLlcSnap(std::span<const std::uint8_t> payload, LlcSnap& out);

/// Appends a 14-byte Ethernet II header to 'out'.
void appendEthernetHeader(std::vector<std::uint8_t>& out, MacAddress dst, MacAddress src,
                          std::uint16_t type);

/// Builds a frame: Ethernet header, the given tags (outermost first; each tag's TPID goes in
/// the type position before it), 'type', then 'payload', zero-padded to 60 bytes when 'pad'.
std::vector<std::uint8_t> buildEthernetFrame(MacAddress dst, MacAddress src,
                                             std::span<const VlanTag> tags, std::uint16_t type,
                                             std::span<const std::uint8_t> payload,
                                             bool pad = true);

/// Zero-pads 'frame' to at least 'minLength' bytes.
void padFrame(std::vector<std::uint8_t>& frame, std::size_t minLength = kEthernetMinFrameLength);

/// Inserts a VLAN tag ('tpid', raw 'tci') as the new outermost tag of 'frame'.
/// Returns Truncated (frame untouched) when 'frame' is shorter than an Ethernet header.
Status pushVlanTag(std::vector<std::uint8_t>& frame, std::uint16_t tpid, std::uint16_t tci);

/// Removes the outermost VLAN tag of 'frame'. Returns false (frame untouched) when the frame
/// has no complete outer tag.
bool popVlanTag(std::vector<std::uint8_t>& frame);

/// Replaces the TCI of the outermost VLAN tag. Returns false when there is no complete tag.
bool setOuterVlanTci(std::span<std::uint8_t> frame, std::uint16_t tci);

/// Short protocol name of an EtherType ("IPv4", "ARP", "802.1Q", ...), or "" when unknown.
std::string_view etherTypeName(std::uint16_t type);

}  // namespace nlab::engine
