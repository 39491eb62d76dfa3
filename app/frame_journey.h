#pragma once
// FrameJourney: the path of one frame through the lab, reconstructed from the EventLog, and
// its per-table trace through every OVS bridge it crossed (ofproto/trace across nodes).
//
// What
//   findJourney(log, seq) gathers, around record 'seq', the hops of the same frame — the
//   frame bytes compared with VLAN tags removed (bridges push and pop local VLANs), within
//   a short window of virtual time — and the rule hits, learned rules and MAC events that
//   follow each of them. traceJourney() then runs OvsBridge::trace (no side effects) for the
//   frame at each bridge it entered from outside the bridge's own node plumbing: the first
//   bridge, and each bridge entered from a tunnel (carrying the tunnel id the previous trace
//   ended with). Patch ports need no trace of their own: a trace follows them inline, as
//   ovs-vswitchd does.
//
// Design
//   Pure functions over the log and the lab; no Qt widgets. The traces use the tables as
//   they are now (a rule learned by this very frame shows as already there).
//
// Invariants
//   Journey records are in sequence order; every hop in 'hops' has the journey's frame.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/trace.h"

namespace nlab::engine {
class Lab;
}

namespace nlab::model {
class EventLog;
}

namespace nlab::app {

/// One bridge the frame entered, with the trace of what that bridge (and the bridges it
/// patches into) did with it.
struct BridgeTrace {
    std::uint64_t seq = 0;       ///< The FrameReceived record.
    std::string node;            ///< "compute".
    std::string bridge;          ///< "br-int".
    std::string inPort;          ///< "qvo8cbe7bb6-18".
    std::uint32_t ofport = 0;
    std::uint64_t tunId = 0;     ///< Tunnel id given to the trace (tunnel ports).
    engine::TraceNode trace;     ///< Root of OvsBridge::trace.
    std::vector<std::string> datapathActions;
    bool dropped = false;
    std::string dropReason;
};

struct FrameJourney {
    std::uint64_t anchor = 0;              ///< The hop the journey was built around.
    std::vector<std::uint64_t> hops;       ///< Hop records of the frame, in order.
    std::vector<std::uint64_t> records;    ///< Hops plus their rule and MAC events.
    std::vector<BridgeTrace> traces;       ///< Filled by traceJourney().
    bool isEmpty() const { return hops.empty(); }
};

/// The frame with its 802.1Q/802.1ad tags removed (what stays the same across bridges).
std::vector<std::uint8_t> untaggedFrame(const std::vector<std::uint8_t>& frame);

/// The journey of the frame of record 'seq' (a non-hop record: of the hop before it).
/// Empty when the record is unknown or has no frame.
FrameJourney findJourney(const model::EventLog& log, std::uint64_t seq);

/// Traces the journey through the bridges of 'lab' (see the essay).
void traceJourney(engine::Lab& lab, const model::EventLog& log, FrameJourney& journey);

}  // namespace nlab::app
