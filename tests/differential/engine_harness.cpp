#include "tests/differential/engine_harness.h"

#include "engine/core/trace.h"
#include "engine/flow/ofctl_format.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace nlab::difftest {

using namespace engine;  // NOLINT(google-build-using-namespace): a .cpp of test support

EngineHarness::EngineHarness(const std::string& bridge, OvsBridge::FailMode failMode)
    : m_bridge(std::make_unique<OvsBridge>(bridge, m_clock, nullptr, failMode)) {
    const std::string local = bridge;
    const Status s =
        m_bridge->setPortSink(local, [this, local](Packet&& p) { record(local, std::move(p)); });
    if (!s.ok())
        throw std::runtime_error("engine: cannot attach LOCAL sink: " + s.error().message);
}

EngineHarness::~EngineHarness() = default;

void EngineHarness::record(const std::string& port, Packet&& packet) {
    m_outputs.push_back(TxFrame{port, std::move(packet.data())});
}

std::uint32_t EngineHarness::addPort(PortConfig config) {
    const std::string name = config.name;
    const bool hasSink = config.type == PortType::Internal || config.type == PortType::System;
    auto r = m_bridge->addPort(std::move(config));
    if (!r.ok())
        throw std::runtime_error("engine: addPort " + name + ": " + r.error().message);
    if (hasSink) {
        const Status s =
            m_bridge->setPortSink(name, [this, name](Packet&& p) { record(name, std::move(p)); });
        if (!s.ok())
            throw std::runtime_error("engine: setPortSink " + name + ": " + s.error().message);
    }
    return r.value();
}

void EngineHarness::addSystemPorts(const std::vector<std::string>& names) {
    std::uint32_t n = 0;
    for (const auto& name : names) {
        PortConfig c;
        c.name = name;
        c.type = PortType::System;
        c.ofportRequest = ++n;
        addPort(std::move(c));
    }
}

void EngineHarness::setUnderlay(std::uint32_t localIp, std::uint64_t localMac,
                                std::uint64_t nextHopMac, const std::string& nic) {
    TunnelUnderlay u;
    u.localIp = localIp;
    u.resolve = [localMac, nextHopMac](std::uint32_t, std::uint32_t) {
        return std::optional<std::pair<std::uint64_t, std::uint64_t>>({localMac, nextHopMac});
    };
    u.transmit = [this, nic](Packet&& p) { record(nic, std::move(p)); };
    m_bridge->setTunnelUnderlay(std::move(u));
}

void EngineHarness::addFlows(const std::string& text) {
    m_bridge->addFlowsText(text);
}

void EngineHarness::replaceFlows(const std::string& text) {
    m_bridge->clearFlows();
    m_bridge->addFlowsText(text);
}

std::vector<TxFrame> EngineHarness::inject(const std::string& port,
                                           std::span<const std::uint8_t> frame,
                                           std::optional<TunnelMetadata> tunnel) {
    const auto ofport = m_bridge->resolvePort(port);
    if (!ofport)
        throw std::runtime_error("engine: no port " + port + " on " + m_bridge->name());
    Packet packet(std::vector<std::uint8_t>(frame.begin(), frame.end()));
    if (tunnel)
        packet.tunnel = *tunnel;
    m_outputs.clear();
    PacketResult r = m_bridge->receive(*ofport, std::move(packet), true);
    m_lastTrace = formatTrace(r.trace);
    m_lastDropReason = r.dropReason;
    return std::exchange(m_outputs, {});
}

std::vector<TxFrame> EngineHarness::injectUnderlay(std::span<const std::uint8_t> outer) {
    const Packet packet(std::vector<std::uint8_t>(outer.begin(), outer.end()));
    m_outputs.clear();
    m_lastTrace.clear();
    m_lastDropReason.clear();
    if (!m_bridge->receiveTunnelFrame(packet))
        m_lastDropReason = "no tunnel port accepted it";
    return std::exchange(m_outputs, {});
}

std::vector<DumpedFlow> EngineHarness::dumpFlows(std::optional<int> table) const {
    std::vector<DumpedFlow> out;
    for (const FlowTable* t : m_bridge->tables()) {
        if (table && int(t->id()) != *table)
            continue;
        for (const FlowEntry* e : t->entries()) {
            DumpedFlow f;
            f.table = int(t->id());
            f.priority = e->spec.priority;
            f.cookie = e->spec.cookie;
            f.idleTimeout = e->spec.idleTimeout;
            f.hardTimeout = e->spec.hardTimeout;
            f.match = formatMatch(e->spec.match);
            f.actions = formatActions(e->spec.actions);
            out.push_back(std::move(f));
        }
    }
    sortFlows(out);
    return out;
}

std::vector<FdbEntry> EngineHarness::fdb() const {
    std::vector<FdbEntry> out;
    for (const MacEntry& m : m_bridge->macTable())
        out.push_back(FdbEntry{m.ofport, m.vlan, m.mac});
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace nlab::difftest
