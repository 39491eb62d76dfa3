#include "engine/devices/ovs_bridge.h"

#include <algorithm>
#include <cstdio>

#include "engine/codec/tunnel.h"
#include "engine/devices/pipeline.h"
#include "engine/flow/ofctl_parse.h"
#include "engine/packet/addresses.h"

namespace nlab::engine {

std::string_view toString(PortType type) {
    switch (type) {
        case PortType::Internal: return "internal";
        case PortType::System: return "system";
        case PortType::Patch: return "patch";
        case PortType::Gre: return "gre";
        case PortType::Vxlan: return "vxlan";
    }
    return "unknown";
}

namespace {

/// A locally administered MAC derived from a name (FNV-1a), so labs are reproducible.
std::uint64_t macFromName(std::string_view name) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : name) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    // Locally administered (bit 1 of the first octet), unicast (bit 0 clear).
    return ((h & 0xffffffffffffULL) | 0x020000000000ULL) & ~0x010000000000ULL;
}

}  // namespace

OvsBridge::OvsBridge(std::string name, SimClock& clock, EventBus* events, FailMode failMode,
                     std::uint64_t localMac)
    : m_name(std::move(name)),
      m_clock(clock),
      m_events(events),
      m_failMode(failMode),
      m_localMac(localMac ? localMac : macFromName(m_name)) {
    m_tables.resize(256);
    BridgePort local;
    local.config.name = m_name;
    local.config.type = PortType::Internal;
    local.ofport = ofp::kLocal;
    local.mac = m_localMac;
    m_ports.emplace(ofp::kLocal, std::move(local));
    if (m_failMode == FailMode::Standalone) {
        // ovs-vswitchd's fail-open behaviour without a controller: a visible NORMAL rule.
        FlowSpec spec;
        spec.priority = 0;
        spec.actions.push_back(OutputAction{ofp::kNormal, 0});
        auto r = table(0).add(std::move(spec), m_clock.now());
        (void)r;
    }
}

OvsBridge::~OvsBridge() {
    for (auto& [entry, ev] : m_expiryEvents) m_clock.cancel(ev);
    m_expiryEvents.clear();
    // Tables die without reporting removals to observers that may be gone already.
    for (auto& t : m_tables) {
        if (t) t->setRemovedCallback({});
    }
}

std::uint64_t OvsBridge::datapathId() const { return m_localMac; }

// ---- Ports ----

Result<std::uint32_t> OvsBridge::addPort(PortConfig config) {
    if (config.name.empty()) {
        return Result<std::uint32_t>::fail(ErrorCode::InvalidArgument, "port name is empty");
    }
    if (portByName(config.name)) {
        return Result<std::uint32_t>::fail(
            ErrorCode::AlreadyExists,
            "cannot create a port named " + config.name + " because a port named " +
                config.name + " already exists on bridge " + m_name);
    }
    if (config.tag && *config.tag > 4095) {
        return Result<std::uint32_t>::fail(ErrorCode::InvalidArgument,
                                           "port " + config.name + ": tag " +
                                               std::to_string(*config.tag) + " is out of range");
    }
    for (auto t : config.trunks) {
        if (t > 4095) {
            return Result<std::uint32_t>::fail(ErrorCode::InvalidArgument,
                                               "port " + config.name + ": trunk VLAN " +
                                                   std::to_string(t) + " is out of range");
        }
    }
    const bool tunnel = config.type == PortType::Gre || config.type == PortType::Vxlan;
    if (tunnel && config.remoteIp == 0 && !config.remoteIpFlow) {
        return Result<std::uint32_t>::fail(
            ErrorCode::InvalidArgument,
            config.name + ": " + std::string(toString(config.type)) + " type requires 'remote_ip' argument");
    }
    if (config.type == PortType::Patch && config.peer.empty()) {
        return Result<std::uint32_t>::fail(ErrorCode::InvalidArgument,
                                           config.name + ": patch type requires valid 'peer' argument");
    }
    std::uint32_t no = config.ofportRequest;
    if (no != 0) {
        if (no >= ofp::kMax) {
            return Result<std::uint32_t>::fail(ErrorCode::InvalidArgument,
                                               "port " + config.name + ": ofport_request " +
                                                   std::to_string(no) + " is out of range");
        }
        if (m_ports.contains(no)) {
            return Result<std::uint32_t>::fail(ErrorCode::AlreadyExists,
                                               "port " + config.name + ": OpenFlow port " +
                                                   std::to_string(no) + " is already in use");
        }
    } else {
        // As ovs-vswitchd: the next number after the last one handed out, not an
        // immediately reused one, so that stale flows do not catch a new port.
        no = m_lastAllocatedPort;
        do {
            no = no + 1 >= ofp::kMax ? 1 : no + 1;
        } while (m_ports.contains(no));
    }
    m_lastAllocatedPort = std::max(m_lastAllocatedPort, no);
    BridgePort p;
    p.config = std::move(config);
    p.ofport = no;
    if (p.config.type == PortType::Internal) p.mac = macFromName(p.config.name);
    m_ports.emplace(no, std::move(p));
    return no;
}

Status OvsBridge::deletePort(std::string_view name) {
    BridgePort* p = portByName(name);
    if (!p || p->ofport == ofp::kLocal) {
        return Status::fail(ErrorCode::NotFound,
                            "bridge " + m_name + " does not have a port " + std::string(name));
    }
    const std::uint32_t no = p->ofport;
    if (p->peerBridge) {
        if (BridgePort* peer = p->peerBridge->port(p->peerOfport)) {
            peer->peerBridge = nullptr;
            peer->peerOfport = 0;
        }
    }
    for (auto it = m_macs.begin(); it != m_macs.end();) {
        if (it->second.ofport == no) {
            it = m_macs.erase(it);
        } else {
            ++it;
        }
    }
    m_ports.erase(no);
    return {};
}

Status OvsBridge::setPortTag(std::string_view name, std::optional<std::uint16_t> tag) {
    BridgePort* p = portByName(name);
    if (!p) return Status::fail(ErrorCode::NotFound, "no port named " + std::string(name));
    if (tag && *tag > 4095) {
        return Status::fail(ErrorCode::InvalidArgument,
                            "tag " + std::to_string(*tag) + " is out of range");
    }
    p->config.tag = tag;
    return {};
}

BridgePort* OvsBridge::port(std::uint32_t ofport) {
    auto it = m_ports.find(ofport);
    return it == m_ports.end() ? nullptr : &it->second;
}

const BridgePort* OvsBridge::port(std::uint32_t ofport) const {
    auto it = m_ports.find(ofport);
    return it == m_ports.end() ? nullptr : &it->second;
}

BridgePort* OvsBridge::portByName(std::string_view name) {
    for (auto& [no, p] : m_ports) {
        if (p.config.name == name) return &p;
    }
    return nullptr;
}

const BridgePort* OvsBridge::portByName(std::string_view name) const {
    return const_cast<OvsBridge*>(this)->portByName(name);
}

std::vector<const BridgePort*> OvsBridge::ports() const {
    std::vector<const BridgePort*> out;
    out.reserve(m_ports.size());
    for (const auto& [no, p] : m_ports) out.push_back(&p);  // std::map: LOCAL (65534) is last
    return out;
}

std::optional<std::uint32_t> OvsBridge::resolvePort(std::string_view text) const {
    // A port's own name wins over ovs-ofctl's reserved words and numbers.
    if (const BridgePort* p = portByName(text)) return p->ofport;
    return parsePort(text);
}

std::string OvsBridge::portName(std::uint32_t ofport) const {
    if (const BridgePort* p = port(ofport)) return p->config.name;
    return std::to_string(ofport);
}

Status OvsBridge::connectPatch(OvsBridge& a, std::string_view portA, OvsBridge& b,
                               std::string_view portB) {
    BridgePort* pa = a.portByName(portA);
    BridgePort* pb = b.portByName(portB);
    if (!pa || !pb) {
        return Status::fail(ErrorCode::NotFound,
                            "patch port " + std::string(!pa ? portA : portB) + " does not exist");
    }
    if (pa->config.type != PortType::Patch || pb->config.type != PortType::Patch) {
        return Status::fail(ErrorCode::InvalidArgument, "both ends of a patch must be patch ports");
    }
    pa->peerBridge = &b;
    pa->peerOfport = pb->ofport;
    pb->peerBridge = &a;
    pb->peerOfport = pa->ofport;
    return {};
}

Status OvsBridge::setPortSink(std::string_view name, std::function<void(Packet&&)> sink) {
    BridgePort* p = portByName(name);
    if (!p) return Status::fail(ErrorCode::NotFound, "no port named " + std::string(name));
    p->sink = std::move(sink);
    return {};
}

// ---- Flows ----

void OvsBridge::attachTable(FlowTable& t) {
    t.setRemovedCallback(
        [this](const FlowEntry& e, FlowRemovedReason reason) { onRuleRemoved(e, reason); });
}

FlowTable& OvsBridge::table(std::uint8_t id) {
    auto& slot = m_tables[id];
    if (!slot) {
        slot = std::make_unique<FlowTable>(id);
        attachTable(*slot);
    }
    return *slot;
}

const FlowTable* OvsBridge::findTable(std::uint8_t id) const { return m_tables[id].get(); }

std::vector<const FlowTable*> OvsBridge::tables() const {
    std::vector<const FlowTable*> out;
    for (const auto& t : m_tables) {
        if (t) out.push_back(t.get());
    }
    return out;
}

Result<std::size_t> OvsBridge::applyFlowMod(const FlowMod& mod) {
    const SimTime now = m_clock.now();
    auto scheduleAll = [this](FlowTable& t) {
        for (FlowEntry* e : t.entries()) {
            if (e->expiresAt() && !m_expiryEvents.contains(e)) scheduleExpiry(e);
        }
    };
    if (mod.table == FlowMod::kAllTables) {
        if (mod.command == FlowMod::Command::Add) {
            return Result<std::size_t>::fail(ErrorCode::InvalidArgument,
                                             "add-flow needs a single table");
        }
        // Each table applies the mod as an all-tables mod: a modify that selects nothing in
        // one table must not add there; when no table selected anything, OpenFlow 1.0 adds
        // the rule to table 0 (unless a cookie mask was given, as OVS does).
        std::size_t n = 0;
        for (std::size_t id = 0; id < m_tables.size(); ++id) {
            if (!m_tables[id]) continue;
            auto r = m_tables[id]->apply(mod, now);
            if (!r) return r;
            n += r.value();
            scheduleAll(*m_tables[id]);
        }
        if (n == 0 && mod.cookieMask == 0 &&
            (mod.command == FlowMod::Command::Modify ||
             mod.command == FlowMod::Command::ModifyStrict)) {
            FlowMod m = mod;
            m.table = 0;
            auto r = table(0).apply(m, now);
            scheduleAll(table(0));
            return r;
        }
        return n;
    }
    FlowTable& t = table(mod.table);
    auto r = t.apply(mod, now);
    if (r) scheduleAll(t);
    return r;
}

std::size_t OvsBridge::addFlowsText(std::string_view text, std::string_view fileName) {
    PortResolver resolver = [this](std::string_view name) { return resolvePort(name); };
    std::vector<FlowMod> mods = parseFlowFile(text, fileName, resolver);
    std::size_t n = 0;
    for (const FlowMod& m : mods) {
        auto r = applyFlowMod(m);
        if (!r) throw ParseError(std::string(fileName) + ": " + r.error().message);
        n += r.value();
    }
    return n;
}

void OvsBridge::clearFlows() {
    for (auto& t : m_tables) {
        if (t) t->clear();
    }
}

void OvsBridge::scheduleExpiry(FlowEntry* entry) {
    auto at = entry->expiresAt();
    if (!at) return;
    FlowTable* t = m_tables[entry->tableId].get();
    m_expiryEvents[entry] = scheduleGuarded(*at, [this, entry, t] {
        m_expiryEvents.erase(entry);
        // Hits and learn refreshes only move expiry later: re-check and re-arm.
        auto when = entry->expiresAt();
        if (!when) return;
        if (*when > m_clock.now()) {
            scheduleExpiry(entry);
            return;
        }
        const auto& s = entry->spec;
        const bool hard = s.hardTimeout && entry->modified + s.hardTimeout * kSecond <= m_clock.now();
        const bool idle = s.idleTimeout && entry->used + s.idleTimeout * kSecond <= m_clock.now();
        FlowRemovedReason reason = FlowRemovedReason::HardTimeout;
        if (idle && (!hard || entry->used + s.idleTimeout * kSecond <
                                  entry->modified + s.hardTimeout * kSecond)) {
            reason = FlowRemovedReason::IdleTimeout;
        }
        t->remove(entry, reason);
    });
}

void OvsBridge::onRuleRemoved(const FlowEntry& entry, FlowRemovedReason reason) {
    if (auto it = m_expiryEvents.find(&entry); it != m_expiryEvents.end()) {
        m_clock.cancel(it->second);
        m_expiryEvents.erase(it);
    }
    if (m_events && m_events->active()) {
        m_events->publish(m_clock.now(), FlowRemoved{m_name, &entry, reason});
    }
}

void OvsBridge::installLearned(std::uint8_t tableId, FlowSpec spec, const Packet* teacher) {
    FlowTable& t = table(tableId);
    const bool existed = t.findExact(spec.match, spec.priority) != nullptr;
    FlowEntry* e = t.learn(std::move(spec), m_clock.now());
    if (!e) return;
    if (!m_expiryEvents.contains(e)) scheduleExpiry(e);
    if (m_events && m_events->active()) {
        m_events->publish(m_clock.now(), FlowAdded{m_name, e, true, existed,
                                                   teacher ? teacher->id : 0, teacher});
    }
}

// ---- Packets ----

PacketResult OvsBridge::receive(std::uint32_t ofport, Packet&& packet, bool wantTrace) {
    BridgePort* p = port(ofport);
    if (p) {
        p->rxPackets++;
        p->rxBytes += packet.size();
    }
    if (m_events && m_events->active()) {
        m_events->publish(m_clock.now(),
                          FrameReceived{m_name, p ? std::string_view(p->config.name) : "", ofport,
                                        &packet});
    }
    if (!p) {
        PacketResult r;
        r.dropped = true;
        r.dropReason = "frame received on nonexistent port " + std::to_string(ofport);
        return r;
    }
    return Pipeline::run(*this, ofport, packet, Pipeline::Mode::Execute, wantTrace);
}

PacketResult OvsBridge::trace(std::uint32_t ofport, const Packet& packet, bool execute) {
    return Pipeline::run(*this, ofport, packet,
                         execute ? Pipeline::Mode::Execute : Pipeline::Mode::Trace, true);
}

bool OvsBridge::receiveTunnelFrame(const Packet& outer) {
    auto d = decapsulate(outer.bytes());
    if (!d) return false;
    const PortType want = d->kind == Decapsulated::Kind::Gre ? PortType::Gre : PortType::Vxlan;
    for (auto& [no, p] : m_ports) {
        const PortConfig& c = p.config;
        if (c.type != want) continue;
        if (!c.remoteIpFlow && c.remoteIp != d->outerSrc) continue;
        const std::uint32_t local = c.localIp ? c.localIp : m_underlay.localIp;
        if (local && local != d->outerDst) continue;
        if (c.inKey && *c.inKey != d->key) continue;
        Packet inner(std::move(d->inner));
        inner.id = outer.id;
        inner.tunnel = TunnelMetadata{d->key, d->outerSrc, d->outerDst, true};
        receive(no, std::move(inner));
        return true;
    }
    return false;
}

void OvsBridge::transmit(std::uint32_t ofport, Packet&& packet) {
    BridgePort* p = port(ofport);
    if (!p) return;
    const bool tunnel = p->config.type == PortType::Gre || p->config.type == PortType::Vxlan;
    p->txPackets++;
    p->txBytes += packet.size();
    if (m_events && m_events->active()) {
        m_events->publish(m_clock.now(), FrameSent{m_name, p->config.name, ofport, &packet});
    }
    if (!tunnel) {
        if (p->sink) {
            p->sink(std::move(packet));
        }
        return;
    }
    const std::uint32_t local = packet.tunnel.src ? packet.tunnel.src : m_underlay.localIp;
    const std::uint32_t remote = packet.tunnel.dst;
    std::optional<std::pair<std::uint64_t, std::uint64_t>> macs;
    if (m_underlay.sendIpv4Frame) {
        macs = std::make_pair(0ULL, 0ULL);  // filled in by the node's stack after ARP
    } else if (m_underlay.resolve) {
        macs = m_underlay.resolve(local, remote);
    }
    if (!macs || (!m_underlay.transmit && !m_underlay.sendIpv4Frame)) {
        p->txDropped++;
        if (m_events && m_events->active()) {
            m_events->publish(m_clock.now(),
                              FrameDropped{m_name, p->config.name, packet.id,
                                           "tunnel: no route to remote " + formatIpv4(remote),
                                           &packet});
        }
        return;
    }
    OuterHeaders outer;
    outer.srcMac = macs->first;
    outer.dstMac = macs->second;
    outer.srcIp = local;
    outer.dstIp = remote;
    std::vector<std::uint8_t> bytes;
    if (p->config.type == PortType::Gre) {
        bytes = encapsulateGre(outer, std::uint32_t(packet.tunnel.tunId), packet.bytes());
    } else {
        // Source port from a hash of the inner frame, as the kernel does for entropy.
        std::uint32_t h = 2166136261u;
        for (std::size_t i = 0; i < std::min<std::size_t>(packet.size(), 34); ++i) {
            h = (h ^ packet.bytes()[i]) * 16777619u;
        }
        const auto srcPort = std::uint16_t(32768 + (h % 28232));
        bytes = encapsulateVxlan(outer, std::uint32_t(packet.tunnel.tunId), srcPort,
                                 packet.bytes());
    }
    Packet out(std::move(bytes));
    out.id = packet.id;
    if (m_underlay.sendIpv4Frame) {
        m_underlay.sendIpv4Frame(std::move(out));
    } else {
        m_underlay.transmit(std::move(out));
    }
}

// ---- MAC learning ----

void OvsBridge::learnMac(std::uint64_t mac, std::uint16_t vlan, std::uint32_t ofport) {
    const SimTime now = m_clock.now();
    auto key = std::make_pair(vlan, mac);
    auto it = m_macs.find(key);
    const bool isNew = it == m_macs.end();
    const bool moved = !isNew && it->second.ofport != ofport;
    if (isNew) {
        it = m_macs.emplace(key, MacEntry{mac, vlan, ofport, now}).first;
        // One ageing check per new entry; refreshed entries re-arm it when it fires.
        scheduleMacAgeCheck(mac, vlan, now + m_macAging);
    } else {
        it->second.ofport = ofport;
        it->second.learnedAt = now;
    }
    if ((isNew || moved) && m_events && m_events->active()) {
        const BridgePort* p = port(ofport);
        m_events->publish(now, MacLearned{m_name, mac, vlan,
                                          p ? std::string_view(p->config.name) : "", ofport,
                                          moved});
    }
}

void OvsBridge::scheduleMacAgeCheck(std::uint64_t mac, std::uint16_t vlan, SimTime at) {
    scheduleGuarded(at, [this, mac, vlan] {
        auto e = m_macs.find({vlan, mac});
        if (e == m_macs.end()) return;
        const SimTime due = e->second.learnedAt + m_macAging;
        if (due > m_clock.now()) {
            scheduleMacAgeCheck(mac, vlan, due);
            return;
        }
        const MacEntry gone = e->second;
        m_macs.erase(e);
        if (m_events && m_events->active()) {
            const std::string portText = portName(gone.ofport);
            m_events->publish(m_clock.now(), MacAged{m_name, gone.mac, gone.vlan, portText});
        }
    });
}

EventId OvsBridge::scheduleGuarded(SimTime at, std::function<void()> fn) {
    return m_clock.scheduleAt(at, [alive = std::weak_ptr<int>(m_alive), fn = std::move(fn)] {
        if (alive.lock()) fn();
    });
}

std::optional<std::uint32_t> OvsBridge::lookupMac(std::uint64_t mac, std::uint16_t vlan) const {
    auto it = m_macs.find({vlan, mac});
    if (it == m_macs.end()) return std::nullopt;
    if (it->second.learnedAt + m_macAging <= m_clock.now()) return std::nullopt;
    return it->second.ofport;
}

std::vector<MacEntry> OvsBridge::macTable() const {
    std::vector<MacEntry> out;
    for (const auto& [k, e] : m_macs) out.push_back(e);
    return out;
}

std::size_t OvsBridge::ageMacTable() {
    std::size_t n = 0;
    for (auto it = m_macs.begin(); it != m_macs.end();) {
        if (it->second.learnedAt + m_macAging <= m_clock.now()) {
            it = m_macs.erase(it);
            ++n;
        } else {
            ++it;
        }
    }
    return n;
}

std::string OvsBridge::formatFdb() const {
    std::string out = " port  VLAN  MAC                Age\n";
    std::vector<MacEntry> entries = macTable();
    // Newest first, as OVS lists its LRU.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const MacEntry& a, const MacEntry& b) { return a.learnedAt > b.learnedAt; });
    char line[96];
    for (const MacEntry& e : entries) {
        const BridgePort* p = port(e.ofport);
        std::string portText = e.ofport == ofp::kLocal ? "LOCAL"
                               : p                     ? std::to_string(e.ofport)
                                                       : "?";
        std::snprintf(line, sizeof line, "%5s  %4u  %s  %3lld\n", portText.c_str(),
                      unsigned(e.vlan), formatMac(e.mac).c_str(),
                      static_cast<long long>((m_clock.now() - e.learnedAt) / kSecond));
        out += line;
    }
    return out;
}

}  // namespace nlab::engine
