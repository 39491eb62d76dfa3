#pragma once
// commitKeyToFrame: make a frame's headers carry the header fields of a rewritten FlowKey.
//
// What
//   The OpenFlow pipeline works on a FlowKey: set_field, mod_dl_src, mod_vlan_vid, strip_vlan,
//   mod_nw_dst, ... change the key, not the bytes. Before a frame leaves (output, resubmit to
//   a patch port, controller), the differences between the key the frame was extracted into
//   ('before') and the current key ('after') are written back into the frame, as Open
//   vSwitch's commit_odp_actions() + odp_execute do.
//
// Design
//   Only fields that differ are touched, each with its checksum kept right incrementally:
//     - Ethernet source and destination;
//     - VLAN: push an 802.1Q tag (TPID 0x8100, TCI = after.vlan_tci without CFI) when 'after'
//       has CFI and 'before' did not; pop the outer tag when 'after' lost CFI; rewrite the
//       outer TCI (keeping its TPID) otherwise;
//     - IPv4 source/destination/TOS/TTL with the header checksum updated, and the TCP or UDP
//       checksum updated for address changes (a zero UDP checksum stays zero; a result of
//       zero becomes 0xffff). The transport header of a later fragment is never touched;
//     - TCP/UDP ports (checksums updated), SCTP ports (CRC32c recomputed), ICMP type/code
//       (checksum updated);
//     - ARP opcode, sender/target protocol and hardware addresses.
//   Which headers exist is decided by re-running extraction on the frame (the same code, see
//   flow_extract_internal.h), so a header that extraction could not see (truncated, bad IHL)
//   is left alone. Fields that are not packet headers (in_port, registers, metadata, tunnel
//   fields) and dl_type and nw_proto of IPv4 are ignored.
//
// Invariants
//   Never reads or writes outside 'frame'; the frame only changes size for a VLAN push (+4)
//   or pop (-4). Deterministic; no exceptions.

#include "engine/flow/flow_key.h"

#include <cstdint>
#include <vector>

namespace nlab::engine {

/// Rewrites 'frame' so that its headers carry the packet fields of 'after' wherever 'after'
/// differs from 'before' ('before' being what extractFlowKey returned for 'frame'). Fields
/// whose layer the frame does not have, complete, are skipped.
void commitKeyToFrame(const FlowKey& before, const FlowKey& after,
                      std::vector<std::uint8_t>& frame);

}  // namespace nlab::engine
