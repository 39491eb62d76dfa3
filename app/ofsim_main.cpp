// neutronlab-ofsim: runs OpenFlow bridges of the NeutronLab engine headless.
//
// It reads a small script (one command per line; see usage()) or the same commands given
// as -c arguments, builds bridges and ports, loads ovs-ofctl flow files, injects frames,
// traces packets like `ovs-appctl ofproto/trace`, advances the virtual clock, and prints
// `ovs-ofctl dump-flows` and `ovs-appctl fdb/show` output. The full emulated command layer
// (ovs-vsctl, ip, brctl, neutron ...) comes with neutronlab-cli; this program stays small.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/codec/flow_extract.h"
#include "engine/codec/frame_compose.h"
#include "engine/codec/frame_decode.h"
#include "engine/core/events.h"
#include "engine/core/sim_clock.h"
#include "engine/devices/ovs_bridge.h"
#include "engine/devices/pipeline.h"
#include "engine/flow/ofctl_format.h"
#include "engine/flow/ofctl_parse.h"
#include "engine/packet/addresses.h"

#ifndef NLAB_RESOURCE_DIR
#define NLAB_RESOURCE_DIR "resources"
#endif

namespace {

using namespace nlab::engine;

const char* kUsage = R"(usage: neutronlab-ofsim [--script FILE]... [-c COMMAND]... [--demo]

Runs Open vSwitch bridges of the NeutronLab packet engine without the GUI.
With no arguments, runs the built-in demo (--demo): the seed article's compute-node br-tun.

Commands (in a script: one per line, '#' starts a comment):
  bridge NAME [secure|standalone]         create a bridge (fail_mode secure by default)
  port BRIDGE NAME=OFPORT[:TYPE[:K=V,...]] add a port; TYPE system (default), internal, patch,
                                          gre or vxlan; K=V: peer=, remote_ip=, local_ip=,
                                          key=, in_key=, out_key= (number or flow), tag=,
                                          trunks=A;B;C
  underlay IP                             this node's tunnel endpoint address
  flows BRIDGE FILE                       ovs-ofctl add-flows BRIDGE FILE
  add-flow BRIDGE FLOW                    ovs-ofctl add-flow
  mod-flows BRIDGE FLOW                   ovs-ofctl mod-flows
  del-flows BRIDGE [MATCH]                ovs-ofctl del-flows
  inject BRIDGE PORT HEX|FLOWSPEC         process one frame (hex bytes, or header fields as
                                          ovs-ofctl compose-packet takes them); prints outputs
  trace BRIDGE PORT HEX|FLOWSPEC          ovs-appctl ofproto/trace (no side effects)
  advance SECONDS                         advance the virtual clock (timeouts, MAC ageing)
  dump-flows BRIDGE [table=N]             ovs-ofctl dump-flows
  dump-ports BRIDGE                       per-port counters
  fdb BRIDGE                              ovs-appctl fdb/show
  echo TEXT                               print TEXT
)";

class Runner {
public:
    Runner() { m_events.subscribe([this](SimTime, const Event& e) { onEvent(e); }); }

    /// Runs one command line; returns false (after printing why) on failure.
    bool run(const std::string& line, const std::string& where) {
        std::istringstream in(line);
        std::string cmd;
        in >> cmd;
        if (cmd.empty() || cmd[0] == '#') return true;
        std::string rest;
        std::getline(in, rest);
        rest = trim(rest);
        try {
            return dispatch(cmd, rest, where);
        } catch (const ParseError& e) {
            std::cerr << where << ": " << e.what() << "\n";
            return false;
        }
    }

private:
    static std::string trim(std::string s) {
        const auto b = s.find_first_not_of(" \t\r");
        const auto e = s.find_last_not_of(" \t\r");
        return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    }
    static std::pair<std::string, std::string> split(const std::string& s) {
        const auto sp = s.find_first_of(" \t");
        if (sp == std::string::npos) return {s, ""};
        return {s.substr(0, sp), trim(s.substr(sp + 1))};
    }

    bool fail(const std::string& where, const std::string& msg) {
        std::cerr << where << ": " << msg << "\n";
        return false;
    }

    OvsBridge* bridge(const std::string& name, const std::string& where) {
        auto it = m_bridges.find(name);
        if (it == m_bridges.end()) {
            fail(where, "no bridge named " + name);
            return nullptr;
        }
        return it->second.get();
    }

    bool dispatch(const std::string& cmd, const std::string& rest, const std::string& where) {
        if (cmd == "echo") {
            std::cout << rest << "\n";
            return true;
        }
        if (cmd == "bridge") {
            auto [name, mode] = split(rest);
            if (name.empty()) return fail(where, "bridge: missing name");
            if (m_bridges.contains(name)) return fail(where, "bridge " + name + " already exists");
            if (!mode.empty() && mode != "secure" && mode != "standalone") {
                return fail(where, "bridge: fail mode must be secure or standalone, not " + mode);
            }
            auto br = std::make_unique<OvsBridge>(
                name, m_clock, &m_events,
                mode == "standalone" ? OvsBridge::FailMode::Standalone
                                     : OvsBridge::FailMode::Secure);
            setUnderlay(*br);
            m_bridges.emplace(name, std::move(br));
            return true;
        }
        if (cmd == "underlay") {
            auto ip = Ipv4Address::parse(rest);
            if (!ip) return fail(where, "underlay: " + rest + ": invalid IP address");
            m_underlayIp = ip->toU32();
            for (auto& [n, b] : m_bridges) setUnderlay(*b);
            return true;
        }
        if (cmd == "advance") {
            double secs = 0;
            try {
                secs = std::stod(rest);
            } catch (...) {
                return fail(where, "advance: " + rest + ": not a number of seconds");
            }
            if (secs < 0) return fail(where, "advance: time cannot go back");
            m_clock.advance(SimDuration(secs * double(kSecond)));
            return true;
        }
        auto [brName, args] = split(rest);
        OvsBridge* br = bridge(brName, where);
        if (!br) return false;
        if (cmd == "port") return addPort(*br, args, where);
        if (cmd == "flows") {
            const std::string path =
                !args.empty() && args[0] != '/' && !m_baseDir.empty() ? m_baseDir + "/" + args : args;
            std::ifstream f(path);
            if (!f) return fail(where, "flows: cannot open " + args);
            std::stringstream ss;
            ss << f.rdbuf();
            br->addFlowsText(ss.str(), args);
            return true;
        }
        if (cmd == "add-flow" || cmd == "mod-flows" || cmd == "del-flows") {
            const FlowMod::Command c = cmd == "add-flow"    ? FlowMod::Command::Add
                                       : cmd == "mod-flows" ? FlowMod::Command::Modify
                                                            : FlowMod::Command::Delete;
            PortResolver res = [br](std::string_view n) { return br->resolvePort(n); };
            FlowMod mod = parseFlowMod(args, c, res);
            auto r = br->applyFlowMod(mod);
            if (!r) return fail(where, cmd + ": " + r.error().message);
            return true;
        }
        if (cmd == "inject" || cmd == "trace") {
            auto [portText, what] = split(args);
            auto port = br->resolvePort(portText);
            if (!port || !br->port(*port)) return fail(where, cmd + ": no port " + portText);
            auto frame = makeFrame(what, *port, br, where);
            if (!frame) return false;
            Packet p(std::move(frame->first));
            p.id = m_nextPacketId++;
            if (const BridgePort* bp = br->port(*port);
                bp->config.type == PortType::Gre || bp->config.type == PortType::Vxlan) {
                // As if decapsulated by this port: the spec's tun_id, the port's endpoints.
                p.tunnel = TunnelMetadata{frame->second.tun_id, bp->config.remoteIp,
                                          bp->config.localIp ? bp->config.localIp : m_underlayIp,
                                          true};
            }
            if (cmd == "trace") {
                PacketResult r = br->trace(*port, p);
                std::cout << formatTrace(r.trace) << "\nFinal flow: "
                          << (r.finalFlow == extractFlowKeyOf(p, *port) ? "unchanged"
                                                                        : formatFlowKey(r.finalFlow))
                          << "\nDatapath actions: " << join(r.datapathActions) << "\n";
                return true;
            }
            std::cout << "inject " << br->name() << " " << br->portName(*port) << ": "
                      << summarizeFrame(p.bytes()) << "\n";
            PacketResult r = br->receive(*port, std::move(p));
            if (r.dropped) std::cout << "  dropped: " << r.dropReason << "\n";
            return true;
        }
        if (cmd == "dump-flows") {
            std::vector<const FlowEntry*> entries;
            int only = -1;
            if (args.rfind("table=", 0) == 0) only = std::stoi(args.substr(6));
            for (const FlowTable* t : br->tables()) {
                if (only >= 0 && t->id() != only) continue;
                for (const FlowEntry* e : t->entries()) entries.push_back(e);
            }
            std::cout << formatDumpFlows(entries, m_clock.now(), FormatOptions{});
            return true;
        }
        if (cmd == "dump-ports") {
            for (const BridgePort* p : br->ports()) {
                std::cout << "  port " << (p->ofport == ofp::kLocal ? "LOCAL" : std::to_string(p->ofport))
                          << "(" << p->config.name << "): rx pkts=" << p->rxPackets
                          << ", bytes=" << p->rxBytes << ", drop=" << p->rxDropped
                          << "; tx pkts=" << p->txPackets << ", bytes=" << p->txBytes
                          << ", drop=" << p->txDropped << "\n";
            }
            return true;
        }
        if (cmd == "fdb") {
            std::cout << br->formatFdb();
            return true;
        }
        return fail(where, "unknown command '" + cmd + "' (see --help)");
    }

    static FlowKey extractFlowKeyOf(const Packet& p, std::uint32_t port) {
        return extractFlowKey(p.bytes(), port, p.tunnel.present ? &p.tunnel : nullptr);
    }

    static std::string join(const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
        return s;
    }

    /// A frame from hex or from a flow spec, with the key it was composed from.
    std::optional<std::pair<std::vector<std::uint8_t>, FlowKey>> makeFrame(const std::string& what,
                                                        std::uint32_t port, OvsBridge* br,
                                                        const std::string& where) {
        bool isHex = what.size() >= 28 && what.find_first_not_of("0123456789abcdefABCDEF") ==
                                              std::string::npos;
        if (isHex) {
            std::vector<std::uint8_t> bytes;
            for (std::size_t i = 0; i + 1 < what.size(); i += 2) {
                bytes.push_back(std::uint8_t(std::stoi(what.substr(i, 2), nullptr, 16)));
            }
            return std::make_pair(std::move(bytes), FlowKey{});
        }
        PortResolver res = [br](std::string_view n) { return br->resolvePort(n); };
        Match m = parseMatch(what, res);
        FlowKey key = m.key;
        key.in_port = port;
        if (key.dl_type == 0 && !m.has(FieldId::DlType)) {
            fail(where, "a frame needs at least a protocol (e.g. 'arp,...' or 'icmp,...')");
            return std::nullopt;
        }
        // ICMP gets ping's 56 bytes of payload, so sizes match what `ping` sends.
        const std::size_t payload = key.dl_type == eth_type::kIpv4 && key.nw_proto == ip_proto::kIcmp ? 56 : 0;
        return std::make_pair(composeFrame(key, payload), key);
    }

    bool addPort(OvsBridge& br, const std::string& spec, const std::string& where) {
        // NAME=OFPORT[:TYPE[:K=V,...]], as ../shared/tools/ovs-oracle takes it.
        const auto eq = spec.find('=');
        if (eq == std::string::npos) return fail(where, "port: expected NAME=OFPORT[:TYPE[:K=V,...]]");
        PortConfig c;
        c.name = spec.substr(0, eq);
        std::string rest = spec.substr(eq + 1);
        std::vector<std::string> parts;
        for (std::size_t pos = 0;;) {
            auto colon = parts.size() < 2 ? rest.find(':', pos) : std::string::npos;
            parts.push_back(rest.substr(pos, colon == std::string::npos ? colon : colon - pos));
            if (colon == std::string::npos) break;
            pos = colon + 1;
        }
        try {
            c.ofportRequest = std::uint32_t(std::stoul(parts[0]));
        } catch (...) {
            return fail(where, "port " + c.name + ": bad OpenFlow port number " + parts[0]);
        }
        const std::string type = parts.size() > 1 ? parts[1] : "system";
        if (type == "system" || type == "dummy") c.type = PortType::System;
        else if (type == "internal") c.type = PortType::Internal;
        else if (type == "patch") c.type = PortType::Patch;
        else if (type == "gre") c.type = PortType::Gre;
        else if (type == "vxlan") c.type = PortType::Vxlan;
        else return fail(where, "port " + c.name + ": unknown type " + type);
        if (parts.size() > 2) {
            std::istringstream kvs(parts[2]);
            std::string kv;
            while (std::getline(kvs, kv, ',')) {
                const auto e = kv.find('=');
                if (e == std::string::npos) return fail(where, "port option " + kv + ": expected K=V");
                const std::string k = kv.substr(0, e), v = kv.substr(e + 1);
                auto ip = [&](std::uint32_t& out) {
                    auto a = Ipv4Address::parse(v);
                    if (!a) return fail(where, "port " + c.name + ": " + k + "=" + v + ": invalid IP address");
                    out = a->toU32();
                    return true;
                };
                auto key = [&](std::optional<std::uint64_t>& out) {
                    if (v == "flow") out.reset();
                    else out = std::stoull(v, nullptr, 0);
                    return true;
                };
                if (k == "peer") c.peer = v;
                else if (k == "remote_ip") { if (v == "flow") c.remoteIpFlow = true; else if (!ip(c.remoteIp)) return false; }
                else if (k == "local_ip") { if (!ip(c.localIp)) return false; }
                else if (k == "key") { key(c.inKey); key(c.outKey); }
                else if (k == "in_key") key(c.inKey);
                else if (k == "out_key") key(c.outKey);
                else if (k == "tag") c.tag = std::uint16_t(std::stoul(v));
                else if (k == "trunks") {
                    std::istringstream ts(v);
                    std::string t;
                    while (std::getline(ts, t, ';')) c.trunks.push_back(std::uint16_t(std::stoul(t)));
                } else return fail(where, "port " + c.name + ": unknown option " + k);
            }
        }
        const std::string name = c.name;
        const std::string peer = c.peer;
        auto r = br.addPort(std::move(c));
        if (!r) return fail(where, r.error().message);
        BridgePort* bp = br.portByName(name);
        bp->sink = [this, &br, name](Packet&& p) {
            std::cout << "  -> " << br.name() << " " << name << ": " << summarizeFrame(p.bytes())
                      << "\n";
        };
        if (!peer.empty()) {
            for (auto& [n, other] : m_bridges) {
                if (const BridgePort* pp = other->portByName(peer);
                    pp && pp->config.type == PortType::Patch && pp->config.peer == name) {
                    auto s = OvsBridge::connectPatch(br, name, *other, peer);
                    if (!s) return fail(where, s.error().message);
                }
            }
        }
        return true;
    }

    void setUnderlay(OvsBridge& br) {
        TunnelUnderlay u;
        u.localIp = m_underlayIp;
        u.resolve = [](std::uint32_t local, std::uint32_t remote)
            -> std::optional<std::pair<std::uint64_t, std::uint64_t>> {
            // Stand-in neighbours: MACs derived from the addresses (02:00:<ip>).
            return std::make_pair(0x020000000000ULL | local, 0x020000000000ULL | remote);
        };
        u.transmit = [](Packet&& outer) {
            std::cout << "  -> underlay: " << summarizeFrame(outer.bytes()) << "\n";
        };
        br.setTunnelUnderlay(std::move(u));
    }

    void onEvent(const Event& e) {
        if (const auto* a = std::get_if<FlowAdded>(&e); a && a->learned && !a->refreshed) {
            std::cout << "  learned on " << a->bridge << ": table=" << int(a->entry->tableId)
                      << ", " << formatMatch(a->entry->spec.match, a->entry->spec.priority)
                      << " actions=" << formatActions(a->entry->spec.actions) << "\n";
        } else if (const auto* r = std::get_if<FlowRemoved>(&e)) {
            std::cout << "  removed from " << r->bridge << " (" << toString(r->reason)
                      << "): table=" << int(r->entry->tableId) << ", "
                      << formatMatch(r->entry->spec.match, r->entry->spec.priority) << "\n";
        }
    }

public:
    std::string m_baseDir;  ///< Directory of the script being run; relative paths start here.

private:
    SimClock m_clock;
    EventBus m_events;
    std::map<std::string, std::unique_ptr<OvsBridge>> m_bridges;
    std::uint32_t m_underlayIp = 0;
    std::uint64_t m_nextPacketId = 1;
};

bool runScript(Runner& runner, const std::string& path) {
    std::ifstream f(path);
    if (!f) {
        std::cerr << "neutronlab-ofsim: cannot open script " << path << "\n";
        return false;
    }
    const auto slash = path.find_last_of('/');
    const std::string savedBase = runner.m_baseDir;
    runner.m_baseDir = slash == std::string::npos ? "." : path.substr(0, slash);
    std::string line;
    int n = 0;
    while (std::getline(f, line)) {
        ++n;
        if (!runner.run(line, path + ":" + std::to_string(n))) return false;
    }
    runner.m_baseDir = savedBase;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    Runner runner;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) args.push_back("--demo");
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (a == "--demo") {
            if (!runScript(runner, std::string(NLAB_RESOURCE_DIR) + "/demo/seed-br-tun.ofsim")) {
                return 1;
            }
        } else if ((a == "--script" || a == "-c") && i + 1 < args.size()) {
            const std::string& v = args[++i];
            const bool ok = a == "--script" ? runScript(runner, v)
                                            : runner.run(v, "-c '" + v + "'");
            if (!ok) return 1;
        } else {
            std::cerr << "neutronlab-ofsim: unknown argument " << a << "\n" << kUsage;
            return 2;
        }
    }
    return 0;
}
