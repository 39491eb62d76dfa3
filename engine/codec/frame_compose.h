#pragma once
// composeFrame: build a frame from a FlowKey (OVS flow_compose / `ovs-ofctl compose-packet`).
//
// What
//   The inverse of extractFlowKey for the packet fields: given a key, produce a valid frame
//   whose extracted key equals it. Used by the ofproto/trace-style runner ("trace this flow")
//   and by randomized tests (compose, extract, compare).
//
// Design
//   Byte for byte what Open vSwitch's flow_compose() writes for the same flow and payload
//   length, except where OVS's frame would not round-trip or not be valid:
//     - Ethernet (+ one 802.1Q tag, TPID 0x8100, when vlan_tci has CFI; the CFI/DEI bit is
//       written as 0, as OVS does);
//     - IPv4: version 4, IHL 5, the key's TOS/TTL/protocol/addresses, id 0, no flags, header
//       checksum; then TCP (data offset 5, no flags, window 0), UDP (length, checksum; 0
//       becomes 0xffff), ICMP (type/code from tp_src/tp_dst, rest zero, checksum), SCTP
//       (ports, CRC32c) or IGMP (type/code, checksum), with 'payloadBytes' bytes of payload
//       0, 1, 2, ... for TCP, UDP, SCTP-less data and ICMP echo request/reply (OVS's pattern);
//       other IP protocols get the payload right after the IPv4 header;
//     - ARP/RARP: hardware 1, protocol 0x0800, op = nw_proto, and sha/spa/tha/tpa always
//       (OVS fills the addresses only for op 1 and 2, which breaks the round trip);
//     - dl_type 0x05ff: an 802.3 frame whose length field counts the payload (OVS writes the
//       frame length there); any other dl_type: the type, then 'payloadBytes' zero bytes;
//     - the frame is zero-padded to 60 bytes (OVS's compose-packet does not pad; the padding
//       is after the IPv4 total length, so extraction ignores it).
//
// Invariants
//   For every key a frame can produce (see composeFrame), extractFlowKey(composeFrame(k),
//   k.in_port) equals k on all packet fields; metadata fields of the key are ignored.

#include "engine/flow/flow_key.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nlab::engine {

/// Builds a frame carrying the packet fields of 'key' with 'payloadBytes' bytes of L4 payload
/// (L3 payload for unknown IP protocols, L2 payload for other dl_types), padded to 60 bytes.
/// Keys no real frame can produce do not round-trip: vlan_tci with bits but no CFI, dl_type
/// below 0x600 other than 0x05ff, a VLAN TPID as dl_type without CFI, ports for IP protocols
/// without ports, ICMP type/code above 255, fields of other layers (nw_* for non-IP/ARP,
/// arp_* for non-ARP). The resulting IPv4 datagram must fit in 65535 bytes (asserted).
std::vector<std::uint8_t> composeFrame(const FlowKey& key, std::size_t payloadBytes = 0);

}  // namespace nlab::engine
