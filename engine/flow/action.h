#pragma once
// Actions: the right-hand side of a flow, as Open vSwitch's ovs-ofctl names them.
//
// What
//   `Action` is a closed std::variant of one struct per action kind. The pipeline handles
//   them in one std::visit, so adding a kind fails to compile until every stage (parser,
//   printer, translator) handles it, as OVS's single OFPACT_* switch does.
//
// Design
//   Actions keep what is needed to print them back exactly as ovs-ofctl does: e.g.
//   `strip_vlan` and `pop_vlan` behave the same but print differently, and `set_tunnel`
//   remembers whether it was spelled `set_tunnel64`.
//   An empty ActionList means "drop" (OVS prints "actions=drop").

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "engine/flow/flow_key.h"

namespace nlab::engine {

/// output:PORT, including the reserved ports IN_PORT, LOCAL, FLOOD, ALL, NORMAL, CONTROLLER.
struct OutputAction {
    std::uint32_t port = 0;
    std::uint16_t maxLen = 0;  ///< Bytes sent to the controller (CONTROLLER only).
    friend bool operator==(const OutputAction&, const OutputAction&) = default;
};

/// output:SUBFIELD (e.g. output:NXM_NX_REG0[0..15]).
struct OutputRegAction {
    Subfield src;
    friend bool operator==(const OutputRegAction&, const OutputRegAction&) = default;
};

/// resubmit(PORT,TABLE) and resubmit:PORT. `inPort` kInPort keeps the current in_port;
/// `table` kCurrentTable keeps the current table.
struct ResubmitAction {
    static constexpr std::uint8_t kCurrentTable = 255;
    std::uint32_t inPort = ofp::kInPort;
    std::uint8_t table = kCurrentTable;
    bool shortForm = false;  ///< Spelled "resubmit:PORT".
    friend bool operator==(const ResubmitAction&, const ResubmitAction&) = default;
};

/// goto_table:N (OpenFlow 1.1+ instruction; must be last).
struct GotoTableAction {
    std::uint8_t table = 0;
    friend bool operator==(const GotoTableAction&, const GotoTableAction&) = default;
};

/// mod_vlan_vid:VID (pushes an 802.1Q header if the frame has none).
struct SetVlanVidAction {
    std::uint16_t vid = 0;
    friend bool operator==(const SetVlanVidAction&, const SetVlanVidAction&) = default;
};

/// mod_vlan_pcp:PCP (pushes an 802.1Q header if the frame has none).
struct SetVlanPcpAction {
    std::uint8_t pcp = 0;
    friend bool operator==(const SetVlanPcpAction&, const SetVlanPcpAction&) = default;
};

/// strip_vlan or pop_vlan: removes the outer 802.1Q header, if any.
struct StripVlanAction {
    bool popSpelling = false;  ///< Spelled "pop_vlan".
    friend bool operator==(const StripVlanAction&, const StripVlanAction&) = default;
};

/// push_vlan:ETHERTYPE: pushes an 802.1Q header with VID 0 (OpenFlow 1.1 semantics).
struct PushVlanAction {
    std::uint16_t ethertype = eth_type::kVlan;
    friend bool operator==(const PushVlanAction&, const PushVlanAction&) = default;
};

/// set_field:VALUE[/MASK]->FIELD.
struct SetFieldAction {
    FieldId field = FieldId::InPort;
    std::uint64_t value = 0;
    std::uint64_t mask = ~0ULL;  ///< Restricted to the field's width by the parser.
    friend bool operator==(const SetFieldAction&, const SetFieldAction&) = default;
};

/// load:VALUE->DST[ofs..end].
struct LoadAction {
    Subfield dst;
    std::uint64_t value = 0;
    friend bool operator==(const LoadAction&, const LoadAction&) = default;
};

/// move:SRC[...]->DST[...] (equal widths).
struct MoveAction {
    Subfield src;
    Subfield dst;
    friend bool operator==(const MoveAction&, const MoveAction&) = default;
};

/// mod_dl_src:MAC / mod_dl_dst:MAC.
struct SetEthAddrAction {
    bool source = true;
    std::uint64_t mac = 0;
    friend bool operator==(const SetEthAddrAction&, const SetEthAddrAction&) = default;
};

/// mod_nw_src:IP / mod_nw_dst:IP.
struct SetIpv4AddrAction {
    bool source = true;
    std::uint32_t addr = 0;
    friend bool operator==(const SetIpv4AddrAction&, const SetIpv4AddrAction&) = default;
};

/// dec_ttl: decrements the IPv4 TTL; a frame whose TTL would reach 0 is dropped.
struct DecTtlAction {
    friend bool operator==(const DecTtlAction&, const DecTtlAction&) = default;
};

/// set_tunnel:ID / set_tunnel64:ID.
struct SetTunnelAction {
    std::uint64_t id = 0;
    bool wide = false;  ///< Spelled "set_tunnel64".
    friend bool operator==(const SetTunnelAction&, const SetTunnelAction&) = default;
};

/// note:HEX.HEX...: no effect on the packet; shown in dumps.
struct NoteAction {
    std::vector<std::uint8_t> bytes;
    friend bool operator==(const NoteAction&, const NoteAction&) = default;
};

/// One field specification of a learn action (OVS lib/learn.c grammar):
///   DST[..]               match:  DST of the new flow = same bits of the packet
///   DST[..]=SRC[..]       match:  DST of the new flow = SRC bits of the packet
///   DST[..]=VALUE         match:  DST of the new flow = VALUE
///   load:SRC[..]->DST[..] action: load the packet's SRC bits into DST
///   load:VALUE->DST[..]   action: load VALUE into DST
///   output:SRC[..]        action: output to the port held in SRC bits of the packet
struct LearnSpec {
    enum class Kind : std::uint8_t { Match, Load, Output };
    Kind kind = Kind::Match;
    bool srcImmediate = false;   ///< Source is 'value' rather than 'src'.
    Subfield src;                ///< Packet bits to copy (when !srcImmediate).
    std::uint64_t value = 0;     ///< Immediate source (when srcImmediate), right-aligned.
    Subfield dst;                ///< Destination (Match/Load); unused for Output.
    bool dstWholeField = false;  ///< Spelled "FIELD=VALUE" with an ofctl field name.
    friend bool operator==(const LearnSpec&, const LearnSpec&) = default;
};

/// learn(...): adds or refreshes a flow built from the current packet.
struct LearnAction {
    std::uint8_t table = 1;
    std::uint16_t idleTimeout = 0;
    std::uint16_t hardTimeout = 0;
    std::uint16_t finIdleTimeout = 0;
    std::uint16_t finHardTimeout = 0;
    std::uint16_t priority = ofp::kDefaultPriority;
    std::uint64_t cookie = 0;
    bool sendFlowRem = false;
    bool deleteLearned = false;
    std::vector<LearnSpec> specs;
    friend bool operator==(const LearnAction&, const LearnAction&) = default;
};

using Action = std::variant<OutputAction, OutputRegAction, ResubmitAction, GotoTableAction,
                            SetVlanVidAction, SetVlanPcpAction, StripVlanAction, PushVlanAction,
                            SetFieldAction, LoadAction, MoveAction, SetEthAddrAction,
                            SetIpv4AddrAction, DecTtlAction, SetTunnelAction, NoteAction,
                            LearnAction>;

using ActionList = std::vector<Action>;

}  // namespace nlab::engine
