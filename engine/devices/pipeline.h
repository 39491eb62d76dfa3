#pragma once
// Pipeline: translates one packet through an OvsBridge's OpenFlow tables.
//
// What
//   Given a bridge, an input port and a frame, the pipeline looks the packet's flow up in
//   table 0, executes the matched rule's actions (resubmit, learn, header changes, outputs,
//   NORMAL, patch ports into peer bridges) and produces the frames to send, a trace tree,
//   the wildcards the decision depended on, and a drop/error reason.
//
// Design (after Open vSwitch ofproto/ofproto-dpif-xlate.c)
//   All per-packet state lives in one XlateContext threaded through a single std::visit over
//   the Action variant. Header-changing actions modify only the context's `flow`; an output
//   first "commits" the difference between `flow` and `base` (the headers the working frame
//   carries) into the working frame, then copies it out, as OVS composes datapath actions.
//   Patch ports are translated inline in the peer bridge, with in_port set to the peer
//   port and registers, metadata and tunnel fields cleared; afterwards the flow is restored
//   but `base` is not, exactly as OVS does, so a later output re-commits what the peer undid.
//   Work is bounded: resubmit depth kMaxResubmitDepth, kMaxResubmits resubmits in total;
//   running out records an error in the trace and stops translation (never a hang).
//   Outputs are delivered only after translation ends, in action order, so a device that
//   reacts synchronously cannot re-enter a bridge mid-translation.
//
// Invariants
//   With Mode::Trace nothing outside the context changes: no counters, no learning, no MAC
//   learning, no output.

#include <cstdint>

#include "engine/devices/ovs_bridge.h"

namespace nlab::engine {

class Pipeline {
public:
    enum class Mode : std::uint8_t {
        Execute,  ///< Real processing: counters, learning, outputs.
        Trace,    ///< ofproto/trace: no side effects at all.
    };
    /// Processes 'packet' arriving at 'bridge' port 'inPort'. In Execute mode the frames
    /// produced are transmitted before returning. 'wantTrace' builds the trace tree.
    static PacketResult run(OvsBridge& bridge, std::uint32_t inPort, const Packet& packet,
                            Mode mode, bool wantTrace);
};

/// Formats a packet's flow as ofproto/trace's "Flow:" line does
/// ("icmp,in_port=1,vlan_tci=0x0000,dl_src=...,dl_dst=...,nw_src=...,...").
std::string formatFlowKey(const FlowKey& key);

}  // namespace nlab::engine
