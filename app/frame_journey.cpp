#include "app/frame_journey.h"

#include <algorithm>
#include <cstdlib>

#include "engine/devices/ovs_bridge.h"
#include "engine/lab/lab.h"
#include "engine/packet/packet.h"
#include "model/qt/event_log.h"

namespace nlab::app {

using model::EventKind;
using model::EventRecord;

namespace {

// Frames of one journey are at most this far apart in virtual time.
constexpr engine::SimDuration kWindow = 20 * engine::kMillisecond;

const EventRecord* at(const model::EventLog& log, std::uint64_t seq) { return log.find(seq); }

}  // namespace

std::vector<std::uint8_t> untaggedFrame(const std::vector<std::uint8_t>& frame) {
    std::vector<std::uint8_t> out = frame;
    while (out.size() >= 18) {
        const unsigned type = (unsigned(out[12]) << 8) | out[13];
        if (type != 0x8100 && type != 0x88a8) break;
        out.erase(out.begin() + 12, out.begin() + 16);
    }
    return out;
}

FrameJourney findJourney(const model::EventLog& log, std::uint64_t seq) {
    FrameJourney j;
    const EventRecord* r = at(log, seq);
    if (!r) return j;
    std::uint64_t anchor = seq;
    if (!r->isHop()) {
        anchor = log.previousHop(seq);
        r = anchor ? at(log, anchor) : nullptr;
        if (!r) return j;
    }
    if (r->frame.empty()) return j;
    j.anchor = anchor;
    const std::vector<std::uint8_t> key = untaggedFrame(r->frame);
    const engine::SimTime t0 = r->time;
    auto sameFrame = [&](const EventRecord& e) {
        return e.isHop() && !e.frame.empty() && untaggedFrame(e.frame) == key;
    };
    // Backwards to the first hop of the frame within the window.
    std::uint64_t first = anchor;
    for (std::uint64_t s = anchor; s > log.firstSeq();) {
        --s;
        const EventRecord* e = at(log, s);
        if (!e || e->time < t0 - kWindow) break;
        if (sameFrame(*e)) first = s;
    }
    // Forwards from there: hops of the frame, and the events that follow each of them.
    bool inFrame = false;
    for (std::uint64_t s = first; s <= log.lastSeq(); ++s) {
        const EventRecord* e = at(log, s);
        if (!e || e->time > t0 + kWindow) break;
        if (e->isHop()) {
            inFrame = sameFrame(*e);
            if (inFrame) {
                j.hops.push_back(s);
                j.records.push_back(s);
            }
        } else if (inFrame && (e->kind == EventKind::FlowHit || e->kind == EventKind::FlowAdded ||
                               e->kind == EventKind::MacLearned)) {
            j.records.push_back(s);
        }
    }
    return j;
}

void traceJourney(engine::Lab& lab, const model::EventLog& log, FrameJourney& journey) {
    journey.traces.clear();
    std::uint64_t tunId = 0;
    std::vector<std::string> tracedNodes;
    for (std::uint64_t seq : journey.hops) {
        const EventRecord* r = at(log, seq);
        if (!r || r->kind != EventKind::FrameReceived) continue;
        engine::Node* node = lab.node(r->node);
        engine::OvsBridge* br = node ? node->ovsBridge(r->device) : nullptr;
        const engine::BridgePort* port = br ? br->portByName(r->port) : nullptr;
        if (!port) continue;
        const bool tunnel = port->config.type == engine::PortType::Gre ||
                            port->config.type == engine::PortType::Vxlan;
        // A patch port is followed inline by the trace of the bridge the frame came from.
        const bool nodeTraced =
            std::find(tracedNodes.begin(), tracedNodes.end(), r->node) != tracedNodes.end();
        if (port->config.type == engine::PortType::Patch && nodeTraced) continue;
        // Only one trace per node and entry: a flood may enter several bridges of a node
        // from the same origin; those are inside the first trace.
        if (!tunnel && nodeTraced) continue;
        engine::Packet packet(r->frame);
        if (tunnel) {
            packet.tunnel.present = true;
            packet.tunnel.tunId = tunId;
            packet.tunnel.src = port->config.remoteIp;
            packet.tunnel.dst = node->tunnelEndpoint();
        }
        engine::PacketResult result = br->trace(port->ofport, packet);
        BridgeTrace t;
        t.seq = seq;
        t.node = r->node;
        t.bridge = r->device;
        t.inPort = r->port;
        t.ofport = port->ofport;
        t.tunId = tunnel ? tunId : 0;
        t.trace = std::move(result.trace);
        t.datapathActions = std::move(result.datapathActions);
        t.dropped = result.dropped;
        t.dropReason = result.dropReason;
        // The tunnel id the frame leaves with: "set(tunnel(tun_id=0x1,...)),gre-..." in the
        // datapath actions (the final flow is the first bridge's view, before the patch).
        for (const std::string& a : t.datapathActions) {
            const std::size_t at = a.find("tun_id=");
            if (at == std::string::npos) continue;
            tunId = std::strtoull(a.c_str() + at + 7, nullptr, 0);
        }
        journey.traces.push_back(std::move(t));
        tracedNodes.push_back(r->node);
    }
}

}  // namespace nlab::app
