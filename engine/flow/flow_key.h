#pragma once
// FlowKey: the header and metadata fields a flow table matches on, and the field registry.
//
// What
//   A FlowKey is the value extracted from a frame plus its pipeline metadata (in_port,
//   tunnel metadata, registers, metadata). A FlowMask has the same layout; a 1 bit means
//   "this bit is significant". Matches, classifier subtables and un-wildcarding all work on
//   the pair (key, mask).
//
// Design
//   The key is a flat, trivially-copyable struct of host-order unsigned integers whose size
//   is a multiple of 8 bytes, so that masking and hashing run word by word (`words()`).
//   Conventions follow Open vSwitch's `struct flow`:
//     - vlan_tci holds the 802.1Q TCI with the CFI bit (0x1000) set when a tag is present;
//       an untagged frame has vlan_tci == 0.
//     - ARP reuses nw_src/nw_dst for arp_spa/arp_tpa and nw_proto for the low byte of arp_op.
//     - ICMP type/code live in tp_src/tp_dst.
//     - MACs are 48-bit integers in the low bits of a uint64_t.
//   Every named field (ovs-ofctl name, NXM name) is described by a FieldInfo in one table,
//   so parsers, printers, learn, load and move share one definition of width and placement.
//
// Invariants
//   Padding bytes are always zero (FlowKey is value-initialised and only written through
//   its members), so byte-wise comparison and hashing are valid.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace nlab::engine {

/// OpenFlow 1.0 reserved port numbers, as Open vSwitch uses them in ovs-ofctl syntax.
namespace ofp {
inline constexpr std::uint32_t kMax = 0xff00;        ///< Highest ordinary port number + 1.
inline constexpr std::uint32_t kInPort = 0xfff8;
inline constexpr std::uint32_t kTable = 0xfff9;
inline constexpr std::uint32_t kNormal = 0xfffa;
inline constexpr std::uint32_t kFlood = 0xfffb;
inline constexpr std::uint32_t kAll = 0xfffc;
inline constexpr std::uint32_t kController = 0xfffd;
inline constexpr std::uint32_t kLocal = 0xfffe;
inline constexpr std::uint32_t kNone = 0xffff;
inline constexpr std::uint16_t kDefaultPriority = 0x8000;
}  // namespace ofp

/// EtherTypes and IP protocol numbers used across the engine.
namespace eth_type {
inline constexpr std::uint16_t kIpv4 = 0x0800;
inline constexpr std::uint16_t kArp = 0x0806;
inline constexpr std::uint16_t kVlan = 0x8100;
inline constexpr std::uint16_t kQinQ = 0x88a8;
inline constexpr std::uint16_t kIpv6 = 0x86dd;
inline constexpr std::uint16_t kTransparentEthernet = 0x6558;  ///< GRE payload type for L2.
}  // namespace eth_type
namespace ip_proto {
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kGre = 47;
}  // namespace ip_proto

inline constexpr std::uint16_t kVlanCfi = 0x1000;   ///< "Tag present" bit in FlowKey::vlan_tci.
inline constexpr std::uint16_t kVlanVidMask = 0x0fff;
inline constexpr std::uint16_t kVlanPcpMask = 0xe000;
inline constexpr int kNumRegs = 8;

struct FlowKey {
    std::uint64_t tun_id = 0;     ///< Tunnel key (GRE key / VXLAN VNI); 0 when not tunnelled.
    std::uint64_t metadata = 0;   ///< OpenFlow metadata register.
    std::uint64_t dl_src = 0;     ///< 48-bit Ethernet source.
    std::uint64_t dl_dst = 0;     ///< 48-bit Ethernet destination.
    std::uint64_t arp_sha = 0;    ///< 48-bit ARP sender hardware address (ARP only).
    std::uint64_t arp_tha = 0;    ///< 48-bit ARP target hardware address (ARP only).
    std::uint32_t regs[kNumRegs] = {};  ///< NXM_NX_REG0..7 scratch registers.
    std::uint32_t tun_src = 0;    ///< Outer IPv4 source of the tunnel a frame came in on.
    std::uint32_t tun_dst = 0;    ///< Outer IPv4 destination of that tunnel.
    std::uint32_t in_port = 0;    ///< OpenFlow port the frame entered on.
    std::uint32_t nw_src = 0;     ///< IPv4 source, or ARP spa.
    std::uint32_t nw_dst = 0;     ///< IPv4 destination, or ARP tpa.
    std::uint16_t dl_type = 0;    ///< EtherType after any 802.1Q tag (0x05ff for 802.2 frames).
    std::uint16_t vlan_tci = 0;   ///< 802.1Q TCI | kVlanCfi when tagged; 0 when untagged.
    std::uint16_t tp_src = 0;     ///< TCP/UDP source port, or ICMP type.
    std::uint16_t tp_dst = 0;     ///< TCP/UDP destination port, or ICMP code.
    std::uint8_t nw_proto = 0;    ///< IP protocol, or low 8 bits of the ARP opcode.
    std::uint8_t nw_tos = 0;      ///< IPv4 TOS byte (DSCP and ECN).
    std::uint8_t nw_ttl = 0;      ///< IPv4 TTL.
    std::uint8_t pad[1] = {};     ///< Always zero.

    static constexpr std::size_t kWords = 14;
    std::span<const std::uint64_t, kWords> words() const;
    std::span<std::uint64_t, kWords> words();

    friend bool operator==(const FlowKey& a, const FlowKey& b);
};
static_assert(sizeof(FlowKey) == FlowKey::kWords * 8, "FlowKey must be a whole number of words");

/// A mask over a FlowKey: same layout, 1 bits significant.
using FlowMask = FlowKey;

/// Bitwise helpers over whole keys.
FlowKey maskKey(const FlowKey& key, const FlowMask& mask);
void orMaskInto(FlowMask& into, const FlowMask& other);
bool isAllZero(const FlowKey& key);

/// Every field a match, set_field, load, move or learn can name.
enum class FieldId : std::uint8_t {
    InPort, DlSrc, DlDst, DlType, VlanTci, VlanVid, VlanPcp,
    NwSrc, NwDst, NwProto, NwTos, NwTtl,
    TcpSrc, TcpDst, UdpSrc, UdpDst, IcmpType, IcmpCode,
    ArpOp, ArpSpa, ArpTpa, ArpSha, ArpTha,
    TunId, TunSrc, TunDst, Metadata,
    Reg0, Reg1, Reg2, Reg3, Reg4, Reg5, Reg6, Reg7,
    Count_
};
inline constexpr std::size_t kFieldCount = std::size_t(FieldId::Count_);

/// What a frame must be for a field to be meaningful (OVS "prerequisites").
enum class Prereq : std::uint8_t { None, Ip, Arp, IpOrArp, Tcp, Udp, Icmp };

/// Static description of one field.
struct FieldInfo {
    FieldId id;
    std::string_view name;      ///< ovs-ofctl match name ("dl_src", "nw_src", "reg0").
    std::string_view nxmName;   ///< NXM/OXM name used in learn/load/move ("NXM_OF_ETH_SRC").
    std::string_view altName;   ///< Second accepted name ("eth_src", "ip_src"), may be empty.
    std::uint8_t bits;          ///< Width in bits of the field as NXM defines it.
    std::uint8_t storageOffset; ///< Byte offset of the backing member in FlowKey.
    std::uint8_t storageSize;   ///< Size in bytes of the backing member (1, 2, 4 or 8).
    std::uint8_t shift;         ///< Bit position of the field inside its storage (dl_vlan: 0).
    bool maskable;              ///< Whether ovs-ofctl accepts "value/mask" for it.
    bool writable;              ///< Whether set_field/load/move may write it.
    Prereq prereq;
};

/// Returns the description of 'id'.
const FieldInfo& fieldInfo(FieldId id);
/// Looks up a field by any of its names (ofctl, NXM, alternative); nullptr if unknown.
const FieldInfo* findField(std::string_view name);
/// All fields, in FieldId order.
std::span<const FieldInfo> allFields();

/// Reads field 'id' of 'key' as an unsigned value of fieldInfo(id).bits bits.
std::uint64_t getField(const FlowKey& key, FieldId id);
/// Writes the low fieldInfo(id).bits of 'value' into field 'id' of 'key'.
void setField(FlowKey& key, FieldId id, std::uint64_t value);
/// Returns a value with the low fieldInfo(id).bits set.
std::uint64_t fieldMaxMask(FieldId id);

/// Whether 'key' (with 'mask' saying which bits are known) satisfies 'p'.
/// With a null mask every bit counts as known.
bool prereqSatisfied(Prereq p, const FlowKey& key, const FlowMask* mask = nullptr);

/// A bit range of a field: NXM_OF_VLAN_TCI[0..11] is {VlanTci, 0, 12}.
struct Subfield {
    FieldId field = FieldId::InPort;
    std::uint8_t ofs = 0;     ///< First bit, counted from the least significant.
    std::uint8_t nbits = 0;   ///< Number of bits, >= 1.
    friend bool operator==(const Subfield&, const Subfield&) = default;
};

/// Reads the bits of 'sf' from 'key', right-aligned.
std::uint64_t readSubfield(const FlowKey& key, const Subfield& sf);
/// Writes the low sf.nbits of 'value' into 'sf' of 'key'.
void writeSubfield(FlowKey& key, const Subfield& sf, std::uint64_t value);
/// Sets the bits of 'sf' in 'mask' to all-ones.
void markSubfield(FlowMask& mask, const Subfield& sf);

}  // namespace nlab::engine
