#include "engine/devices/pipeline.h"

#include <cstdio>
#include <utility>
#include <variant>

#include "engine/codec/ethernet.h"
#include "engine/codec/flow_extract.h"
#include "engine/codec/frame_rewrite.h"
#include "engine/codec/ipv4.h"
#include "engine/flow/ofctl_format.h"
#include "engine/packet/addresses.h"

namespace nlab::engine {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string hex(std::uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
    return buf;
}

/// A frame produced by translation, delivered after translation ends.
struct PendingOutput {
    OvsBridge* bridge;
    std::uint32_t ofport;
    Packet packet;
};

/// A learn action's result, applied after translation (OVS installs learned flows in a
/// new classifier version, invisible to the translation that learned them).
struct PendingLearn {
    OvsBridge* bridge;
    std::uint8_t table;
    FlowSpec spec;
};

struct XlateContext {
    Pipeline::Mode mode = Pipeline::Mode::Trace;
    bool wantTrace = false;
    OvsBridge* bridge = nullptr;  // bridge being translated (changes across patch ports)
    const Packet* input = nullptr;
    std::uint64_t packetId = 0;
    std::size_t inputBytes = 0;
    FlowKey flow;                 // current flow, modified by actions
    FlowKey base;                 // headers the working frame carries
    std::vector<std::uint8_t> frame;  // working frame, committed up to 'base'
    FlowMask wc;                  // bits the translation depended on
    int depth = 0;
    int resubmits = 0;
    bool error = false;
    std::string errorText;
    std::uint8_t tableId = 0;
    TraceNode* node = nullptr;    // trace parent for the next node (null: no trace)
    std::vector<PendingOutput> outputs;
    std::vector<PendingLearn> learns;
    std::vector<std::string> odp;
    std::string dropReason;       // last explicit drop, for the event stream
    bool fragment = false;        // the frame is an IPv4 fragment (first or later)

    bool execute() const { return mode == Pipeline::Mode::Execute; }
};

/// Whether 'frame' carries an IPv4 fragment (MF set or a non-zero offset).
bool isIpv4Fragment(std::span<const std::uint8_t> frame) {
    EthernetFrame eth;
    if (!parseEthernet(frame, eth).ok() || eth.typeOrLength != eth_type::kIpv4) return false;
    Ipv4Datagram ip;
    if (!parseIpv4(eth.payload, ip).ok()) return false;
    return ip.isFragment();
}

TraceNode* trace(XlateContext& ctx, TraceNode::Kind kind, std::string text) {
    if (!ctx.node) return nullptr;
    TraceNode& n = ctx.node->add(kind, std::move(text));
    n.bridge = ctx.bridge->name();
    return &n;
}

/// Records an explicit drop: the reason goes to the trace and to the result.
void dropNote(XlateContext& ctx, std::string reason) {
    ctx.dropReason = reason;
    trace(ctx, TraceNode::Kind::Drop, std::move(reason));
}

/// Records, as datapath-style actions, what commit() is about to change in the frame.
void describeCommit(XlateContext& ctx) {
    const FlowKey& b = ctx.base;
    const FlowKey& f = ctx.flow;
    if (b.vlan_tci != f.vlan_tci) {
        const bool had = (b.vlan_tci & kVlanCfi) != 0;
        const bool has = (f.vlan_tci & kVlanCfi) != 0;
        if (had && !has) {
            ctx.odp.push_back("pop_vlan");
        } else if (has) {
            if (had) ctx.odp.push_back("pop_vlan");
            ctx.odp.push_back("push_vlan(vid=" + std::to_string(f.vlan_tci & kVlanVidMask) +
                              ",pcp=" + std::to_string(f.vlan_tci >> 13) + ")");
        }
    }
    if (b.dl_src != f.dl_src || b.dl_dst != f.dl_dst) {
        ctx.odp.push_back("set(eth(src=" + formatMac(f.dl_src) + ",dst=" + formatMac(f.dl_dst) +
                          "))");
    }
    if (f.dl_type == eth_type::kIpv4 &&
        (b.nw_src != f.nw_src || b.nw_dst != f.nw_dst || b.nw_tos != f.nw_tos ||
         b.nw_ttl != f.nw_ttl)) {
        ctx.odp.push_back("set(ipv4(src=" + formatIpv4(f.nw_src) + ",dst=" + formatIpv4(f.nw_dst) +
                          ",tos=" + hex(f.nw_tos) + ",ttl=" + std::to_string(f.nw_ttl) + "))");
    }
    if (b.tp_src != f.tp_src || b.tp_dst != f.tp_dst) {
        ctx.odp.push_back("set(l4(src=" + std::to_string(f.tp_src) +
                          ",dst=" + std::to_string(f.tp_dst) + "))");
    }
    if (f.dl_type == eth_type::kArp &&
        (b.nw_src != f.nw_src || b.nw_dst != f.nw_dst || b.nw_proto != f.nw_proto ||
         b.arp_sha != f.arp_sha || b.arp_tha != f.arp_tha)) {
        ctx.odp.push_back("set(arp(sip=" + formatIpv4(f.nw_src) + ",tip=" + formatIpv4(f.nw_dst) +
                          ",op=" + std::to_string(f.nw_proto) + ",sha=" + formatMac(f.arp_sha) +
                          ",tha=" + formatMac(f.arp_tha) + "))");
    }
}

/// Makes the working frame carry the current flow's headers (datapath actions are recorded
/// only when tracing: building their text costs more than forwarding the frame).
void commit(XlateContext& ctx) {
    if (ctx.wantTrace) describeCommit(ctx);
    commitKeyToFrame(ctx.base, ctx.flow, ctx.frame);
    ctx.base = ctx.flow;
}

void doTable(XlateContext& ctx, std::uint8_t tableId, bool resubmitted,
             std::uint32_t lookupInPort);
void outputToPort(XlateContext& ctx, std::uint32_t ofport);
void executeActions(XlateContext& ctx, const ActionList& actions);

bool resourceCheck(XlateContext& ctx) {
    if (ctx.depth >= kMaxResubmitDepth) {
        ctx.error = true;
        ctx.errorText = "over max translation depth " + std::to_string(kMaxResubmitDepth);
    } else if (ctx.resubmits >= kMaxResubmits) {
        ctx.error = true;
        ctx.errorText = "over " + std::to_string(kMaxResubmits) + " resubmit actions on bridge " +
                        ctx.bridge->name();
    } else {
        return true;
    }
    trace(ctx, TraceNode::Kind::Error, ctx.errorText);
    return false;
}

/// Looks up 'tableId' with the current flow (with in_port 'lookupInPort' unless kInPort)
/// and executes the matched rule.
void doTable(XlateContext& ctx, std::uint8_t tableId, bool resubmitted,
             std::uint32_t lookupInPort) {
    const FlowTable* table = ctx.bridge->findTable(tableId);
    FlowMask wc;
    FlowEntry* entry = nullptr;
    if (table) {
        // As OVS rule_dpif_lookup_from_table(): resubmit(PORT,...) substitutes in_port for
        // the lookup only, and with frag handling "normal" every IPv4 fragment (the first
        // too) is looked up as if it had no transport ports. The actions then see the
        // packet's real in_port and ports again.
        if (lookupInPort == ofp::kInPort && !ctx.fragment) {
            entry = table->lookup(ctx.flow, &wc);
        } else {
            FlowKey key = ctx.flow;
            if (lookupInPort != ofp::kInPort) key.in_port = lookupInPort;
            if (ctx.fragment) {
                key.tp_src = 0;
                key.tp_dst = 0;
            }
            entry = table->lookup(key, &wc);
        }
    }
    orMaskInto(ctx.wc, wc);

    TraceNode* tn = nullptr;
    if (ctx.node) {
        std::string text;
        if (entry) {
            std::string m = formatMatch(entry->spec.match, ofp::kDefaultPriority);
            text = (m.empty() ? std::string() : m + ", ") + "priority " +
                   std::to_string(entry->spec.priority);
            if (entry->spec.cookie) text += ", cookie " + hex(entry->spec.cookie);
        } else {
            text = "No match.";
        }
        tn = trace(ctx, TraceNode::Kind::Table, std::move(text));
        tn->table = tableId;
        tn->ruleId = entry ? entry->id : 0;
    }
    if (!entry) {
        if (!resubmitted) {
            TraceNode* saved = ctx.node;
            if (ctx.node) ctx.node = tn;
            dropNote(ctx,
                  ctx.bridge->failMode() == OvsBridge::FailMode::Secure
                      ? "no match in table " + std::to_string(tableId) +
                            " and no controller: drop (fail_mode secure)"
                      : "no match in table " + std::to_string(tableId) + ": drop");
            ctx.node = saved;
        }
        return;
    }
    if (ctx.execute()) {
        entry->nPackets += 1;
        entry->nBytes += ctx.inputBytes;
        entry->used = ctx.bridge->clock().now();
        if (EventBus* bus = ctx.bridge->events(); bus && bus->active()) {
            bus->publish(ctx.bridge->clock().now(),
                         FlowHit{ctx.bridge->name(), entry, ctx.packetId});
        }
    }
    const std::uint8_t savedTable = ctx.tableId;
    TraceNode* savedNode = ctx.node;
    ctx.tableId = tableId;
    if (ctx.node) ctx.node = tn;
    executeActions(ctx, entry->spec.actions);
    ctx.node = savedNode;
    ctx.tableId = savedTable;
}

void resubmit(XlateContext& ctx, std::uint32_t inPort, std::uint8_t table) {
    if (!resourceCheck(ctx)) return;
    ctx.resubmits++;
    ctx.depth++;
    doTable(ctx, table, true, inPort);
    ctx.depth--;
}

void patchOutput(XlateContext& ctx, BridgePort& port) {
    OvsBridge* peer = port.peerBridge;
    if (!peer) {
        trace(ctx, TraceNode::Kind::Warn, "patch port " + port.config.name + " has no peer");
        return;
    }
    BridgePort* peerPort = peer->port(port.peerOfport);
    if (!peerPort) {
        trace(ctx, TraceNode::Kind::Warn, "patch port " + port.config.name + " peer is gone");
        return;
    }
    if (!resourceCheck(ctx)) return;
    if (ctx.execute()) {
        port.txPackets++;
        port.txBytes += ctx.inputBytes;
        peerPort->rxPackets++;
        peerPort->rxBytes += ctx.inputBytes;
        EventBus* bus = ctx.bridge->events();
        if (bus && bus->active()) {
            std::vector<std::uint8_t> bytes = ctx.frame;
            commitKeyToFrame(ctx.base, ctx.flow, bytes);
            Packet p(std::move(bytes));
            p.id = ctx.packetId;
            const SimTime now = ctx.bridge->clock().now();
            bus->publish(now, FrameSent{ctx.bridge->name(), port.config.name, port.ofport, &p});
            bus->publish(now, FrameReceived{peer->name(), peerPort->config.name,
                                            peerPort->ofport, &p});
        }
    }
    const FlowKey savedFlow = ctx.flow;
    OvsBridge* savedBridge = ctx.bridge;
    const std::uint8_t savedTable = ctx.tableId;
    TraceNode* savedNode = ctx.node;

    ctx.flow.in_port = peerPort->ofport;
    ctx.flow.metadata = 0;
    ctx.flow.tun_id = 0;
    ctx.flow.tun_src = 0;
    ctx.flow.tun_dst = 0;
    for (auto& r : ctx.flow.regs) r = 0;
    ctx.bridge = peer;
    if (ctx.node) {
        TraceNode* bn = trace(ctx, TraceNode::Kind::Bridge, peer->name());
        ctx.node = bn;
    }
    ctx.resubmits++;
    ctx.depth++;
    doTable(ctx, 0, false, ofp::kInPort);
    ctx.depth--;

    ctx.flow = savedFlow;
    ctx.bridge = savedBridge;
    ctx.tableId = savedTable;
    ctx.node = savedNode;
}

void tunnelOutput(XlateContext& ctx, BridgePort& port) {
    commit(ctx);
    const PortConfig& c = port.config;
    const std::uint64_t key = c.outKey ? *c.outKey : ctx.flow.tun_id;
    const std::uint32_t remote = c.remoteIpFlow ? ctx.flow.tun_dst : c.remoteIp;
    const std::uint32_t local = c.localIp;
    if (ctx.wantTrace) {
        ctx.odp.push_back("set(tunnel(tun_id=" + hex(key) +
                          (local ? ",src=" + formatIpv4(local) : std::string()) +
                          ",dst=" + formatIpv4(remote) + ",ttl=64,flags(df|key)))," + c.name);
        if (TraceNode* n = trace(ctx, TraceNode::Kind::Output,
                                 "output to " + std::string(toString(c.type)) + " tunnel " +
                                     c.name + " (key " + hex(key) + ", remote " +
                                     formatIpv4(remote) + ")")) {
            n->port = port.ofport;
        }
    }
    Packet p(ctx.frame);
    p.id = ctx.packetId;
    p.tunnel = TunnelMetadata{key, local, remote, true};
    ctx.outputs.push_back(PendingOutput{ctx.bridge, port.ofport, std::move(p)});
}

void outputToPort(XlateContext& ctx, std::uint32_t ofport) {
    BridgePort* port = ctx.bridge->port(ofport);
    if (!port) {
        trace(ctx, TraceNode::Kind::Warn, "output to nonexistent port " + std::to_string(ofport));
        return;
    }
    switch (port->config.type) {
        case PortType::Patch: patchOutput(ctx, *port); return;
        case PortType::Gre:
        case PortType::Vxlan: tunnelOutput(ctx, *port); return;
        case PortType::Internal:
        case PortType::System: break;
    }
    commit(ctx);
    if (ctx.wantTrace) {
        ctx.odp.push_back(port->config.name);
        if (TraceNode* n = trace(ctx, TraceNode::Kind::Output, "output to " + port->config.name)) {
            n->port = ofport;
        }
    }
    Packet p(ctx.frame);
    p.id = ctx.packetId;
    ctx.outputs.push_back(PendingOutput{ctx.bridge, ofport, std::move(p)});
}

/// Output for OFPP_FLOOD / OFPP_ALL: every port but the input port, in port-number order.
void floodOutput(XlateContext& ctx) {
    const std::uint32_t in = ctx.flow.in_port;
    for (const BridgePort* p : ctx.bridge->ports()) {
        if (p->ofport != in) outputToPort(ctx, p->ofport);
    }
}

// ---- NORMAL (after OVS xlate_normal) ----

bool vlanAllowed(const BridgePort& p, std::uint16_t vlan) {
    if (p.config.tag) return *p.config.tag == vlan;
    if (p.config.trunks.empty()) return true;
    for (auto t : p.config.trunks) {
        if (t == vlan) return true;
    }
    return false;
}

void normalOutput(XlateContext& ctx, const BridgePort& out, std::uint16_t vlan) {
    const std::uint16_t savedTci = ctx.flow.vlan_tci;
    std::uint16_t tci = 0;
    if (!out.config.tag && vlan != 0) {
        tci = std::uint16_t(vlan | kVlanCfi | (savedTci & kVlanPcpMask));
    }
    ctx.flow.vlan_tci = tci;
    outputToPort(ctx, out.ofport);
    ctx.flow.vlan_tci = savedTci;
}

void xlateNormal(XlateContext& ctx) {
    OvsBridge& br = *ctx.bridge;
    const std::uint32_t in = ctx.flow.in_port;
    // The decision depends on these whatever the outcome.
    ctx.wc.in_port = ~0u;
    ctx.wc.dl_src = 0xffffffffffffULL;
    ctx.wc.dl_dst = 0xffffffffffffULL;
    ctx.wc.vlan_tci = 0xffff;
    const BridgePort* inPort = br.port(in);
    if (!inPort) {
        dropNote(ctx, "no input bundle for port " + std::to_string(in));
        return;
    }
    const bool tagged = (ctx.flow.vlan_tci & kVlanCfi) != 0;
    const std::uint16_t vid = tagged ? (ctx.flow.vlan_tci & kVlanVidMask) : 0;
    std::uint16_t vlan = vid;
    if (inPort->config.tag) {
        if (vid != 0) {
            dropNote(ctx,
                  "dropping VLAN " + std::to_string(vid) + " tagged packet received on port " +
                      inPort->config.name + " configured as VLAN " +
                      std::to_string(*inPort->config.tag) + " access port");
            return;
        }
        vlan = *inPort->config.tag;
    } else if (!vlanAllowed(*inPort, vid)) {
        dropNote(ctx,
              "dropping VLAN " + std::to_string(vid) + " packet received on port " +
                  inPort->config.name + " not configured for trunking VLAN " +
                  std::to_string(vid));
        return;
    }
    // Reserved multicast (802.1D STP, LLDP, ...) is never forwarded by NORMAL.
    if ((ctx.flow.dl_dst & 0xfffffffffff0ULL) == 0x0180c2000000ULL) {
        dropNote(ctx, "drop reserved multicast " + formatMac(ctx.flow.dl_dst));
        return;
    }
    const bool srcMulticast = (ctx.flow.dl_src >> 40) & 1;
    if (!srcMulticast && ctx.execute()) {
        br.learnMac(ctx.flow.dl_src, vlan, in);
        if (ctx.node) {
            trace(ctx, TraceNode::Kind::Detail,
                  "learned that " + formatMac(ctx.flow.dl_src) + " is on port " +
                      inPort->config.name + " in VLAN " + std::to_string(vlan));
        }
    }
    const bool dstMulticast = (ctx.flow.dl_dst >> 40) & 1;
    if (!dstMulticast) {
        if (auto out = br.lookupMac(ctx.flow.dl_dst, vlan)) {
            if (*out == in) {
                dropNote(ctx, "learned port is input port, dropping");
                return;
            }
            if (const BridgePort* op = br.port(*out)) {
                trace(ctx, TraceNode::Kind::Detail, "forwarding to learned port");
                normalOutput(ctx, *op, vlan);
                return;
            }
        }
        trace(ctx, TraceNode::Kind::Detail, "no learned MAC for destination, flooding");
    } else {
        trace(ctx, TraceNode::Kind::Detail, "multicast/broadcast destination, flooding");
    }
    for (const BridgePort* p : br.ports()) {
        if (p->ofport == in || !vlanAllowed(*p, vlan)) continue;
        normalOutput(ctx, *p, vlan);
    }
}

// ---- learn ----

void xlateLearn(XlateContext& ctx, const LearnAction& la) {
    FlowSpec spec;
    spec.priority = la.priority;
    spec.cookie = la.cookie;
    spec.idleTimeout = la.idleTimeout;
    spec.hardTimeout = la.hardTimeout;
    spec.sendFlowRem = la.sendFlowRem;
    for (const LearnSpec& s : la.specs) {
        std::uint64_t value = s.value;
        if (!s.srcImmediate) {
            value = readSubfield(ctx.flow, s.src);
            markSubfield(ctx.wc, s.src);
        }
        switch (s.kind) {
            case LearnSpec::Kind::Match:
                writeSubfield(spec.match.key, s.dst, value);
                markSubfield(spec.match.mask, s.dst);
                break;
            case LearnSpec::Kind::Load: spec.actions.push_back(LoadAction{s.dst, value}); break;
            case LearnSpec::Kind::Output:
                spec.actions.push_back(OutputAction{std::uint32_t(value), 0});
                break;
        }
    }
    spec.match.normalize();
    if (ctx.node) {
        trace(ctx, TraceNode::Kind::Detail,
              "table=" + std::to_string(la.table) + " " +
                  formatMatch(spec.match, spec.priority) +
                  " actions=" + formatActions(spec.actions));
    }
    if (ctx.execute()) ctx.learns.push_back(PendingLearn{ctx.bridge, la.table, std::move(spec)});
}

/// Executes one action list; returns early when an action ends the list (dec_ttl failure,
/// an error).
void executeActions(XlateContext& ctx, const ActionList& actions) {
    for (const Action& action : actions) {
        if (ctx.error) return;
        if (ctx.node) trace(ctx, TraceNode::Kind::ActionStep, formatActions(ActionList{action}));
        // Nested stages (resubmit, learn, NORMAL, patch) hang under the action's node.
        TraceNode* savedNode = ctx.node;
        if (ctx.node && !ctx.node->children.empty()) ctx.node = &ctx.node->children.back();
        bool stop = false;
        std::visit(
            Overloaded{
                [&](const OutputAction& a) {
                    switch (a.port) {
                        case ofp::kInPort: outputToPort(ctx, ctx.flow.in_port); break;
                        case ofp::kNormal: xlateNormal(ctx); break;
                        case ofp::kFlood:
                        case ofp::kAll: floodOutput(ctx); break;
                        case ofp::kController:
                            dropNote(ctx,
                                  "no controller connected: packet-in dropped");
                            break;
                        case ofp::kNone:
                        case ofp::kTable: break;
                        default:
                            if (a.port == ctx.flow.in_port) {
                                trace(ctx, TraceNode::Kind::Warn, "skipping output to input port");
                            } else {
                                outputToPort(ctx, a.port);
                            }
                    }
                },
                [&](const OutputRegAction& a) {
                    markSubfield(ctx.wc, a.src);
                    const auto port = std::uint32_t(readSubfield(ctx.flow, a.src));
                    if (port == ctx.flow.in_port) {
                        trace(ctx, TraceNode::Kind::Warn, "skipping output to input port");
                    } else {
                        outputToPort(ctx, port);
                    }
                },
                [&](const ResubmitAction& a) {
                    resubmit(ctx, a.inPort,
                             a.table == ResubmitAction::kCurrentTable ? ctx.tableId : a.table);
                },
                [&](const GotoTableAction& a) {
                    resubmit(ctx, ofp::kInPort, a.table);
                    stop = true;
                },
                [&](const SetVlanVidAction& a) {
                    ctx.wc.vlan_tci |= kVlanVidMask | kVlanCfi;
                    ctx.flow.vlan_tci = std::uint16_t((ctx.flow.vlan_tci & ~kVlanVidMask) |
                                                      (a.vid & kVlanVidMask) | kVlanCfi);
                },
                [&](const SetVlanPcpAction& a) {
                    ctx.wc.vlan_tci |= kVlanPcpMask | kVlanCfi;
                    ctx.flow.vlan_tci = std::uint16_t((ctx.flow.vlan_tci & ~kVlanPcpMask) |
                                                      ((a.pcp & 7) << 13) | kVlanCfi);
                },
                [&](const StripVlanAction&) {
                    ctx.wc.vlan_tci = 0xffff;
                    ctx.flow.vlan_tci = 0;
                },
                [&](const PushVlanAction&) {
                    ctx.wc.vlan_tci = 0xffff;
                    if (ctx.flow.vlan_tci & kVlanCfi) {
                        trace(ctx, TraceNode::Kind::Warn,
                              "push_vlan on a tagged frame: double tagging is not modelled, "
                              "tag unchanged");
                    } else {
                        ctx.flow.vlan_tci = kVlanCfi;
                    }
                },
                [&](const SetFieldAction& a) {
                    const std::uint64_t m = a.mask & fieldMaxMask(a.field);
                    const std::uint64_t old = getField(ctx.flow, a.field);
                    setField(ctx.flow, a.field, (old & ~m) | (a.value & m));
                    setField(ctx.wc, a.field, getField(ctx.wc, a.field) | m);
                    if (a.field == FieldId::VlanVid || a.field == FieldId::VlanPcp) {
                        ctx.flow.vlan_tci |= kVlanCfi;  // OpenFlow 1.2 set_field pushes
                    }
                },
                [&](const LoadAction& a) {
                    writeSubfield(ctx.flow, a.dst, a.value);
                    markSubfield(ctx.wc, a.dst);
                },
                [&](const MoveAction& a) {
                    markSubfield(ctx.wc, a.src);
                    markSubfield(ctx.wc, a.dst);
                    writeSubfield(ctx.flow, a.dst, readSubfield(ctx.flow, a.src));
                },
                [&](const SetEthAddrAction& a) {
                    if (a.source) {
                        ctx.wc.dl_src = 0xffffffffffffULL;
                        ctx.flow.dl_src = a.mac;
                    } else {
                        ctx.wc.dl_dst = 0xffffffffffffULL;
                        ctx.flow.dl_dst = a.mac;
                    }
                },
                [&](const SetIpv4AddrAction& a) {
                    if (ctx.flow.dl_type != eth_type::kIpv4) return;
                    if (a.source) {
                        ctx.wc.nw_src = ~0u;
                        ctx.flow.nw_src = a.addr;
                    } else {
                        ctx.wc.nw_dst = ~0u;
                        ctx.flow.nw_dst = a.addr;
                    }
                },
                [&](const DecTtlAction&) {
                    if (ctx.flow.dl_type != eth_type::kIpv4) return;
                    ctx.wc.nw_ttl = 0xff;
                    if (ctx.flow.nw_ttl > 1) {
                        ctx.flow.nw_ttl--;
                    } else {
                        dropNote(ctx,
                              "dec_ttl: TTL " + std::to_string(ctx.flow.nw_ttl) +
                                  " exceeded, no controller: drop");
                        stop = true;
                    }
                },
                [&](const SetTunnelAction& a) {
                    ctx.flow.tun_id = a.wide ? a.id : (a.id & 0xffffffffULL);
                },
                [&](const NoteAction&) {},
                [&](const LearnAction& a) { xlateLearn(ctx, a); },
            },
            action);
        ctx.node = savedNode;
        if (stop) return;
    }
}

void addRelevantMasks(const FlowKey& key, Match& m) {
    m.set(FieldId::InPort, key.in_port);
    if (key.tun_id || key.tun_src || key.tun_dst) {
        m.set(FieldId::TunId, key.tun_id);
        if (key.tun_src) m.set(FieldId::TunSrc, key.tun_src);
        if (key.tun_dst) m.set(FieldId::TunDst, key.tun_dst);
    }
    if (key.metadata) m.set(FieldId::Metadata, key.metadata);
    for (int i = 0; i < kNumRegs; ++i) {
        if (key.regs[i]) m.set(FieldId(int(FieldId::Reg0) + i), key.regs[i]);
    }
    m.set(FieldId::VlanTci, key.vlan_tci);
    m.set(FieldId::DlSrc, key.dl_src);
    m.set(FieldId::DlDst, key.dl_dst);
    m.set(FieldId::DlType, key.dl_type);
    if (key.dl_type == eth_type::kIpv4) {
        m.set(FieldId::NwSrc, key.nw_src);
        m.set(FieldId::NwDst, key.nw_dst);
        m.set(FieldId::NwProto, key.nw_proto);
        m.set(FieldId::NwTos, key.nw_tos);
        m.set(FieldId::NwTtl, key.nw_ttl);
        // ICMP type/code live in tp_src/tp_dst; OVS matches them with full 16-bit masks.
        if (key.nw_proto == ip_proto::kIcmp || key.nw_proto == ip_proto::kTcp ||
            key.nw_proto == ip_proto::kUdp) {
            m.set(FieldId::TcpSrc, key.tp_src);
            m.set(FieldId::TcpDst, key.tp_dst);
        }
    } else if (key.dl_type == eth_type::kArp) {
        m.set(FieldId::ArpOp, key.nw_proto);
        m.set(FieldId::ArpSpa, key.nw_src);
        m.set(FieldId::ArpTpa, key.nw_dst);
        m.set(FieldId::ArpSha, key.arp_sha);
        m.set(FieldId::ArpTha, key.arp_tha);
    }
}

}  // namespace

std::string formatFlowKey(const FlowKey& key) {
    Match m;
    addRelevantMasks(key, m);
    return formatMatch(m, ofp::kDefaultPriority);
}

PacketResult Pipeline::run(OvsBridge& bridge, std::uint32_t inPort, const Packet& packet,
                           Mode mode, bool wantTrace) {
    PacketResult result;
    XlateContext ctx;
    ctx.mode = mode;
    ctx.wantTrace = wantTrace;
    ctx.bridge = &bridge;
    ctx.input = &packet;
    ctx.packetId = packet.id;
    ctx.inputBytes = packet.size();
    ctx.flow = extractFlowKey(packet.bytes(), inPort,
                              packet.tunnel.present ? &packet.tunnel : nullptr);
    ctx.frame = packet.data();
    ctx.fragment = ctx.flow.dl_type == eth_type::kIpv4 && isIpv4Fragment(packet.bytes());
    ctx.base = ctx.flow;
    result.trace.kind = TraceNode::Kind::Root;
    if (wantTrace) {
        result.trace.text = formatFlowKey(ctx.flow);
        TraceNode& bn = result.trace.add(TraceNode::Kind::Bridge, bridge.name());
        bn.bridge = bridge.name();
        ctx.node = &bn;
    }

    doTable(ctx, 0, false, ofp::kInPort);

    result.finalFlow = ctx.flow;
    result.wildcards = ctx.wc;
    if (ctx.error) {
        // OVS discards every datapath action when translation fails.
        result.error = true;
        result.dropped = true;
        result.dropReason = ctx.errorText;
        ctx.outputs.clear();
        ctx.odp.clear();
    } else if (ctx.outputs.empty()) {
        result.dropped = true;
        result.dropReason = ctx.dropReason.empty() ? "no output action" : ctx.dropReason;
    }
    if (wantTrace) {
        result.datapathActions = ctx.odp.empty() ? std::vector<std::string>{"drop"} : ctx.odp;
    }

    if (mode == Mode::Execute) {
        if (!ctx.error) {
            for (PendingLearn& l : ctx.learns) {
                l.bridge->installLearned(l.table, std::move(l.spec), &packet);
            }
        }
        if (result.dropped) {
            if (EventBus* bus = bridge.events(); bus && bus->active()) {
                const BridgePort* p = bridge.port(inPort);
                bus->publish(bridge.clock().now(),
                             FrameDropped{bridge.name(), p ? std::string_view(p->config.name) : "",
                                          packet.id, result.dropReason, &packet});
            }
        }
        for (PendingOutput& o : ctx.outputs) o.bridge->transmit(o.ofport, std::move(o.packet));
    }
    return result;
}

}  // namespace nlab::engine
