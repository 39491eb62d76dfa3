#pragma once
// Normalization for the differential tests: the single place where what real Open vSwitch
// produced and what our engine produced are brought into one comparable form.
//
// What
//   Outputs of one injected frame (a list of (port, frame bytes)) and flow dumps differ in
//   ways that are not disagreements. Each such difference is removed here, and only here:
//
//   1. Order of frames across ports. OVS records each port's transmissions in its own
//      pcap file, so the relative order of frames sent to different ports is unobservable
//      on that side; frames are stably sorted by port name, keeping each port's own order
//      (which is observable, and compared).
//   2. Outer headers of tunnel frames. A frame sent through a GRE port leaves the node as
//      Ethernet + IPv4 + GRE on the underlay NIC; IP id, outer MACs and the like are
//      implementation details of the encapsulation (and differ by design). Each outer frame
//      on the underlay NIC is decapsulated; what matters is kept in the port label (tunnel
//      port name, outer protocol, GRE key, remote IP) and the inner frame is compared byte
//      for byte. A frame on the NIC that is not a tunnel frame to a known tunnel port is
//      kept as it is, so it shows up as a difference.
//   3. Flow printing. OVS 3.1 prints some flows differently from the OVS 2.x style our
//      formatter follows (e.g. "reg0=0" vs "reg0=0x0", set_field re-encoded as load over
//      OpenFlow 1.0). Learned flows are compared in a canonical form: the match and the
//      actions of the text are parsed with the engine's ovs-ofctl parser and printed with
//      its formatter; both sides go through the same function, so equal flows print equally
//      however each side spelled them, while any semantic difference (a field, a mask, a
//      value, an action) survives. The seed test also compares the raw text exactly.
//   4. Flow order in dumps: OVS prints in hash order; both sides are sorted by table,
//      descending priority, then text.
//   5. The L4 checksum position of a later IPv4 fragment. When an action rewrites the IPv4
//      source or destination of a non-first TCP/UDP fragment, OVS's userspace datapath
//      (lib/packets.c packet_set_ipv4_addr, which the oracle runs) also "updates" the two
//      bytes where a TCP/UDP checksum would sit, although a later fragment carries payload
//      there, not a transport header. The kernel datapath that Neutron deployments use
//      (net/openvswitch/actions.c update_ip_l4_checksum) skips later fragments, and so
//      does the engine. Those two payload bytes (offset 16 for TCP, 6 for UDP after the
//      IPv4 header) are zeroed on both sides; every other byte is compared.
//
// Invariants
//   Every function here treats both sides identically.

#include "tests/differential/ovs_oracle.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nlab::difftest {

/// A tunnel port as the normalization needs to know it.
struct TunnelPortInfo {
    std::string name;            ///< "gre-1".
    std::uint32_t remoteIp = 0;  ///< Host order.
};

/// Applies normalizations 1 and 2 (see the file comment): frames on 'underlayNic' that are
/// GRE/VXLAN frames to a tunnel in 'tunnels' become their inner frame on port
/// "NAME [gre key=0xK remote=A.B.C.D]"; then a stable sort by port name.
std::vector<TxFrame> normalizeOutputs(std::vector<TxFrame> frames,
                                      const std::vector<TunnelPortInfo>& tunnels = {},
                                      const std::string& underlayNic = "p0");

/// Normalization 3: the canonical text of one flow (see the file comment). A match or
/// action list the engine cannot parse is kept verbatim and marked "UNPARSED(...)", so it
/// can never compare equal to a parsed one by accident.
std::string canonicalFlowText(const DumpedFlow& flow);

/// canonicalFlowText() of every flow, sorted.
std::vector<std::string> canonicalFlows(const std::vector<DumpedFlow>& flows);

/// "HEX\n      SUMMARY" of a frame, for failure messages (summary by the engine's decoder).
std::string describeFrame(std::span<const std::uint8_t> frame);

/// One line per frame ("  port: hex" + decoded summary), or "  (nothing)".
std::string describeOutputs(const std::vector<TxFrame>& frames);

/// Lines prefixed with "  ", or "  (none)".
std::string describeLines(const std::vector<std::string>& lines);

}  // namespace nlab::difftest
