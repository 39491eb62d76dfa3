#pragma once
// OvsBridge: an Open vSwitch bridge — numbered ports, up to 255 flow tables, the
// OpenFlow pipeline, the NORMAL action with its MAC learning table, patch and tunnel ports.
//
// What
//   A frame enters through receive(port, packet). The bridge extracts its FlowKey and runs
//   the pipeline from table 0 (Pipeline in pipeline.h does the translation); outputs go to
//   the port's sink (internal/system ports), straight into the peer bridge (patch ports,
//   processed inline as OVS does, sharing the resubmit budget and the trace), or out of the
//   node's underlay as a real GRE/VXLAN-in-IPv4 frame (tunnel ports).
//
// Design
//   - Port numbers follow OVS: the first port added gets 1, then the lowest free number;
//     an explicit ofport request is honoured if free. The bridge's own internal port has
//     the reserved number LOCAL (65534) and the bridge's name.
//   - fail_mode secure: a table-0 miss drops. standalone: a new bridge gets the visible
//     default rule "priority=0 actions=NORMAL", as ovs-vswitchd installs without a
//     controller.
//   - Time comes from the SimClock passed in. Each rule with a timeout gets one scheduled
//     expiry check; learned-rule refreshes and hits move it, so rules expire exactly when
//     OVS semantics say (hard: modified + hard_timeout; idle: used + idle_timeout).
//   - The MAC learning table is keyed by (VLAN, MAC), ages entries after 300 s (OVS default
//     mac-aging-time), and is what `ovs-appctl fdb/show` prints.
//
// Invariants
//   Port names and numbers are unique in a bridge. A patch port's peer, once connected,
//   points back to it. Nothing here reads the wall clock.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/events.h"
#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "engine/core/trace.h"
#include "engine/flow/flow_table.h"
#include "engine/packet/packet.h"

namespace nlab::engine {

class OvsBridge;

enum class PortType : std::uint8_t { Internal, System, Patch, Gre, Vxlan };
std::string_view toString(PortType type);

/// Configuration of one bridge port, as `ovs-vsctl add-port ... -- set interface ...` gives.
struct PortConfig {
    std::string name{};
    PortType type = PortType::System;
    std::uint32_t ofportRequest = 0;   ///< 0: let the bridge choose.
    std::optional<std::uint16_t> tag{};  ///< Access VLAN (NORMAL); none: trunk.
    std::vector<std::uint16_t> trunks{}; ///< Trunk VLANs (NORMAL); empty: all.
    // Patch ports.
    std::string peer{};                ///< Name of the peer patch port (options:peer).
    // Tunnel ports (options:remote_ip, local_ip, in_key, out_key / key).
    std::uint32_t remoteIp = 0;        ///< 0 with remoteIpFlow false: unset (invalid).
    bool remoteIpFlow = false;         ///< remote_ip=flow: take tun_dst from the flow.
    std::uint32_t localIp = 0;         ///< 0: the underlay's address.
    std::optional<std::uint64_t> inKey{};   ///< nullopt: in_key=flow (any key, into tun_id).
    std::optional<std::uint64_t> outKey{};  ///< nullopt: out_key=flow (tun_id from the flow).
    std::uint16_t dstPort = 0;         ///< VXLAN UDP port; 0: 4789.
};

/// A port as the bridge holds it.
struct BridgePort {
    PortConfig config;
    std::uint32_t ofport = 0;
    std::uint64_t mac = 0;             ///< Internal ports: the interface MAC.
    // Counters, as `ovs-ofctl dump-ports` shows them (rx: into the bridge).
    std::uint64_t rxPackets = 0, rxBytes = 0, rxDropped = 0;
    std::uint64_t txPackets = 0, txBytes = 0, txDropped = 0;
    // Wiring (set by the owner of the bridge; not configuration).
    OvsBridge* peerBridge = nullptr;   ///< Patch ports: the bridge of the peer port.
    std::uint32_t peerOfport = 0;      ///< Patch ports: the peer's port number.
    std::function<void(Packet&&)> sink;  ///< Internal/system ports: where output goes.
};

/// What a tunnel port needs from the node it lives on: outer addresses and a transmitter.
struct TunnelUnderlay {
    /// Local underlay address used when a tunnel port has no local_ip.
    std::uint32_t localIp = 0;
    /// Resolves the outer Ethernet addresses to reach 'remoteIp' from 'localIp':
    /// {source MAC, next-hop MAC}, or nullopt when there is no route/neighbour (frame dropped).
    std::function<std::optional<std::pair<std::uint64_t, std::uint64_t>>(std::uint32_t localIp,
                                                                          std::uint32_t remoteIp)>
        resolve;
    /// Sends a complete outer frame out of the underlay interface.
    std::function<void(Packet&&)> transmit;
    /// Alternative to resolve + transmit, used by a node's IP stack: receives the outer
    /// frame with zero Ethernet addresses; the stack routes it on its IPv4 destination,
    /// resolves the next hop by ARP (queueing while it does) and fills the addresses in.
    std::function<void(Packet&&)> sendIpv4Frame;
};

/// One entry of the NORMAL action's MAC table.
struct MacEntry {
    std::uint64_t mac = 0;
    std::uint16_t vlan = 0;
    std::uint32_t ofport = 0;
    SimTime learnedAt = 0;   ///< Last time a frame from this MAC was seen.
};

/// Limits that bound the work per packet (OVS MAX_DEPTH / MAX_RESUBMITS).
inline constexpr int kMaxResubmitDepth = 64;
inline constexpr int kMaxResubmits = 4096;
inline constexpr SimDuration kDefaultMacAgingTime = 300 * kSecond;

/// Result of tracing or processing one packet.
struct PacketResult {
    TraceNode trace;                 ///< Kind Root.
    bool dropped = false;            ///< No output at all.
    bool error = false;              ///< Stopped by a limit or an invalid action.
    std::string dropReason;          ///< Why, when dropped or error.
    FlowMask wildcards;              ///< Bits of the input flow the decision depended on.
    FlowKey finalFlow;               ///< The flow after all actions (first bridge's view).
    std::vector<std::string> datapathActions;  ///< e.g. "pop_vlan", "set(tunnel(...)),gre-1",
                                               ///  "qvo..." (port names); only with a trace.
};

class OvsBridge {
public:
    enum class FailMode : std::uint8_t { Secure, Standalone };

    /// Creates a bridge named 'name' with its LOCAL internal port. 'events' may be null.
    OvsBridge(std::string name, SimClock& clock, EventBus* events,
              FailMode failMode = FailMode::Secure, std::uint64_t localMac = 0);
    ~OvsBridge();
    OvsBridge(const OvsBridge&) = delete;
    OvsBridge& operator=(const OvsBridge&) = delete;

    const std::string& name() const { return m_name; }
    FailMode failMode() const { return m_failMode; }
    /// Expires when the bridge is destroyed; callbacks scheduled on the clock by the
    /// bridge's owner hold it weakly.
    std::weak_ptr<int> lifetime() const { return m_alive; }
    SimClock& clock() const { return m_clock; }
    EventBus* events() const { return m_events; }
    /// The datapath-style identifier used in `ovs-ofctl show` ("0000a6985..." from the MAC).
    std::uint64_t datapathId() const;

    // ---- Ports ----
    /// Adds a port. Fails with AlreadyExists (name or requested number taken) or
    /// InvalidArgument (tag > 4095, tunnel without remote_ip). Returns the port number.
    Result<std::uint32_t> addPort(PortConfig config);
    /// Removes a port (and the MAC entries on it); NotFound if unknown.
    Status deletePort(std::string_view name);
    /// Sets or clears a port's access tag (ovs-vsctl set port X tag=N / clear port X tag).
    Status setPortTag(std::string_view name, std::optional<std::uint16_t> tag);
    BridgePort* port(std::uint32_t ofport);
    const BridgePort* port(std::uint32_t ofport) const;
    BridgePort* portByName(std::string_view name);
    const BridgePort* portByName(std::string_view name) const;
    /// All ports in port-number order (LOCAL last).
    std::vector<const BridgePort*> ports() const;
    /// Resolves a port name or number text as ovs-ofctl does ("patch-int", "2", "LOCAL").
    std::optional<std::uint32_t> resolvePort(std::string_view text) const;
    /// Returns the name of port 'ofport' or its number as text.
    std::string portName(std::uint32_t ofport) const;

    /// Wires two patch ports together (both directions). Both must be PortType::Patch.
    static Status connectPatch(OvsBridge& a, std::string_view portA, OvsBridge& b,
                               std::string_view portB);
    /// Sets the sink that receives frames output to an internal/system port.
    Status setPortSink(std::string_view name, std::function<void(Packet&&)> sink);
    /// Attaches the node's underlay for tunnel ports.
    void setTunnelUnderlay(TunnelUnderlay underlay) { m_underlay = std::move(underlay); }

    // ---- Flows ----
    /// Table 'id', created on first use.
    FlowTable& table(std::uint8_t id);
    /// Table 'id' if it exists, else nullptr.
    const FlowTable* findTable(std::uint8_t id) const;
    /// All existing tables in id order.
    std::vector<const FlowTable*> tables() const;
    /// Applies a flow-mod (table kAllTables applies to every table). Returns rules affected.
    Result<std::size_t> applyFlowMod(const FlowMod& mod);
    /// Adds flows from ovs-ofctl add-flows text; ParseError on bad text (nothing applied).
    std::size_t addFlowsText(std::string_view text, std::string_view fileName = "-");
    /// Removes every rule in every table (del-flows without arguments).
    void clearFlows();

    // ---- Packets ----
    /// A frame arrives on port 'ofport': runs the pipeline with side effects (counters,
    /// learning, outputs). Returns the trace (built only when 'wantTrace').
    PacketResult receive(std::uint32_t ofport, Packet&& packet, bool wantTrace = false);
    /// An outer frame arrives at the node's underlay address: if it is GRE/VXLAN for one of
    /// this bridge's tunnel ports, decapsulates and receives it on that port. Returns false
    /// (and does nothing) if no tunnel port accepts it.
    bool receiveTunnelFrame(const Packet& outer);
    /// Like `ovs-appctl ofproto/trace`: translates 'packet' arriving on 'ofport' without
    /// side effects (no counters, no learning, no output) unless 'execute'.
    PacketResult trace(std::uint32_t ofport, const Packet& packet, bool execute = false);

    // ---- MAC learning (NORMAL) ----
    std::vector<MacEntry> macTable() const;
    void setMacAgingTime(SimDuration t) { m_macAging = t; }
    SimDuration macAgingTime() const { return m_macAging; }
    /// Removes MAC entries older than the aging time; returns how many.
    std::size_t ageMacTable();
    /// Records that 'mac' in 'vlan' was seen on 'ofport' now (publishes MacLearned when new or
    /// moved) and arms its ageing.
    void learnMac(std::uint64_t mac, std::uint16_t vlan, std::uint32_t ofport);
    /// The port 'mac' in 'vlan' was last seen on, unless unknown or aged.
    std::optional<std::uint32_t> lookupMac(std::uint64_t mac, std::uint16_t vlan) const;
    /// `ovs-appctl fdb/show BRIDGE` text.
    std::string formatFdb() const;

private:
    friend class Pipeline;
    void scheduleExpiry(FlowEntry* entry);
    void onRuleRemoved(const FlowEntry& entry, FlowRemovedReason reason);
    void transmit(std::uint32_t ofport, Packet&& packet);
    void scheduleMacAgeCheck(std::uint64_t mac, std::uint16_t vlan, SimTime at);
    /// Schedules 'fn' at 'at'; it does not run if this bridge no longer exists by then.
    EventId scheduleGuarded(SimTime at, std::function<void()> fn);
    void installLearned(std::uint8_t table, FlowSpec spec, const Packet* teacher);
    void attachTable(FlowTable& table);

    std::string m_name;
    SimClock& m_clock;
    EventBus* m_events;
    FailMode m_failMode;
    std::uint64_t m_localMac;
    std::map<std::uint32_t, BridgePort> m_ports;
    std::vector<std::unique_ptr<FlowTable>> m_tables;  // index = table id; null if unused
    std::map<std::pair<std::uint16_t, std::uint64_t>, MacEntry> m_macs;  // (vlan, mac)
    SimDuration m_macAging = kDefaultMacAgingTime;
    TunnelUnderlay m_underlay;
    std::map<const FlowEntry*, EventId> m_expiryEvents;
    std::uint32_t m_lastAllocatedPort = 0;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);  // guards scheduled callbacks
};

}  // namespace nlab::engine
