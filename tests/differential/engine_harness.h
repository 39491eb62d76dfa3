#pragma once
// EngineHarness: our engine's side of a differential test — one OvsBridge on its own
// SimClock, driven with the same operations as OvsOracle and reporting in the same types.
//
// What
//   The harness owns a SimClock and an OvsBridge. Every internal/system port gets a sink
//   that records what the port transmits (TxFrame, port name and bytes), the bridge's LOCAL
//   port included, as OvsOracle records its dummy ports' pcaps. Tunnel ports send through a
//   TunnelUnderlay whose transmitter records the outer frames as transmitted on the
//   underlay NIC ("p0", like br-phy's p0 in ovs-oracle's `underlay`).
//
// Design
//   inject() runs one frame through OvsBridge::receive() with a trace, and returns exactly
//   the frames transmitted during that call, in transmission order; the trace text of the
//   last injection is kept for failure messages. Flows come back as DumpedFlow through the
//   engine's ovs-ofctl formatter, so both sides can be normalized by the same code.
//
// Invariants
//   The harness never reads the wall clock; time moves only through advance().

#include "engine/core/sim_clock.h"
#include "engine/devices/ovs_bridge.h"
#include "engine/packet/packet.h"
#include "tests/differential/ovs_oracle.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace nlab::difftest {

class EngineHarness {
public:
    /// Creates bridge 'bridge' (fail mode secure, as ovs-oracle's bridges) on a fresh clock.
    explicit EngineHarness(const std::string& bridge, engine::OvsBridge::FailMode failMode =
                                                          engine::OvsBridge::FailMode::Secure);
    ~EngineHarness();
    EngineHarness(const EngineHarness&) = delete;
    EngineHarness& operator=(const EngineHarness&) = delete;

    engine::OvsBridge& bridge() { return *m_bridge; }
    engine::SimClock& clock() { return m_clock; }

    /// Adds a port; internal/system ports get a recording sink. Throws std::runtime_error
    /// with the engine's message if the bridge refuses it. Returns the port number.
    std::uint32_t addPort(engine::PortConfig config);
    /// Adds System ports named 'names', numbered 1, 2, ... in order.
    void addSystemPorts(const std::vector<std::string>& names);

    /// Attaches a tunnel underlay with local address 'localIp' whose outer frames go from
    /// 'localMac' to 'nextHopMac' for every remote, recorded as sent on port 'nic'.
    void setUnderlay(std::uint32_t localIp, std::uint64_t localMac, std::uint64_t nextHopMac,
                     const std::string& nic = "p0");

    /// Adds flows in ovs-ofctl add-flows syntax (throws engine::ParseError).
    void addFlows(const std::string& text);
    /// Removes every flow, then adds 'text'.
    void replaceFlows(const std::string& text);

    /// Receives 'frame' on 'port' (name or number), with tunnel metadata 'tunnel' if given,
    /// and returns every frame transmitted meanwhile, in transmission order.
    std::vector<TxFrame> inject(const std::string& port, std::span<const std::uint8_t> frame,
                                std::optional<engine::TunnelMetadata> tunnel = std::nullopt);
    /// An outer (GRE/VXLAN) frame arrives at the underlay address; returns the outputs.
    std::vector<TxFrame> injectUnderlay(std::span<const std::uint8_t> outer);

    /// The trace (ofproto/trace style) of the last injection.
    const std::string& lastTrace() const { return m_lastTrace; }
    /// The drop/error reason of the last injection ("" when it produced output normally).
    const std::string& lastDropReason() const { return m_lastDropReason; }

    /// Flows of every table (or only 'table'), formatted by the engine, sorted.
    std::vector<DumpedFlow> dumpFlows(std::optional<int> table = std::nullopt) const;
    /// The MAC learning table as fdb/show would list it, sorted.
    std::vector<FdbEntry> fdb() const;

    /// Advances the clock by 'delta' (running due events such as flow expiry).
    void advance(engine::SimDuration delta) { m_clock.advance(delta); }

private:
    void record(const std::string& port, engine::Packet&& packet);

    engine::SimClock m_clock;
    std::unique_ptr<engine::OvsBridge> m_bridge;
    std::vector<TxFrame> m_outputs;
    std::string m_lastTrace;
    std::string m_lastDropReason;
};

}  // namespace nlab::difftest
