#pragma once
// extractFlowKey: the FlowKey of a frame, with Open vSwitch's flow_extract() semantics.
//
// What
//   Given the bytes of an Ethernet frame, the OpenFlow port it arrived on and, for frames that
//   came out of a tunnel, the tunnel metadata, computes the FlowKey that flow tables match on:
//   Ethernet addresses and type, the outer VLAN TCI, IPv4 addresses/TOS/TTL/protocol, TCP/UDP
//   (and SCTP) ports, ICMP (and IGMP) type and code, and the ARP fields.
//
// Design
//   This follows lib/flow.c miniflow_extract() of Open vSwitch 3.x with the default
//   `other_config:vlan-limit=1`, field by field:
//     - fewer than 14 bytes: no packet field is set (not even the MACs), only metadata;
//     - one VLAN tag (TPID 0x8100 or 0x88a8, with 4 more bytes present) is parsed; vlan_tci is
//       its TCI with the CFI bit 0x1000 forced on; dl_type is the type after that one tag
//       (so the C-tag TPID of a QinQ frame);
//     - types below 0x600 are 802.3 lengths: an LLC/SNAP header with OUI 0 yields its
//       protocol as dl_type, anything else yields dl_type 0x05ff;
//     - IPv4 must pass OVS's sanity check (>= 20 bytes, 20 <= IHL*4 <= bytes,
//       IHL*4 <= total length <= bytes) or extraction stops with only dl_type set; the version
//       nibble is not checked (OVS does not either); the L4 region is cut at the total length;
//     - later fragments (offset != 0) carry no L4 fields; first fragments do;
//     - TCP needs a complete header (data offset >= 5 and present); UDP 8 bytes; ICMP 8
//       bytes (OVS's ICMP_HEADER_LEN); SCTP 12; IGMP 8;
//     - ARP and RARP need 28 bytes, hardware type 1, protocol 0x0800 and lengths 6/4;
//       nw_proto is the opcode only when the opcode is <= 255.
//   The function never allocates and never throws: it reads through bounds-checked offsets
//   into the span. It runs once per frame per bridge, so it is written for speed.
//
// Invariants
//   Never reads outside 'frame'. Fields of layers that are absent or incomplete stay zero.
//   The result depends on nothing but the arguments.

#include "engine/flow/flow_key.h"
#include "engine/packet/packet.h"

#include <cstdint>
#include <span>

namespace nlab::engine {

/// Returns the FlowKey of 'frame' received on OpenFlow port 'inPort'. When 'tunnel' is non-null
/// and present, tun_id/tun_src/tun_dst are taken from it. Registers and metadata are zero.
/// Never fails: truncated or malformed frames yield the fields OVS would extract from them.
FlowKey extractFlowKey(std::span<const std::uint8_t> frame, std::uint32_t inPort,
                       const TunnelMetadata* tunnel = nullptr);

/// The FlowKey of 'packet' received on 'inPort', with its tunnel metadata when present.
FlowKey extractFlowKey(const Packet& packet, std::uint32_t inPort);

}  // namespace nlab::engine
