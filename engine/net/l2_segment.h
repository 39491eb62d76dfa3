#pragma once
// L2Segment: an Ethernet segment — a physical learning switch — joining NICs of different nodes.
//
// What
//   The underlay network (10.10.100.0/24) that carries GRE/VXLAN between nodes, and the
//   external network that br-ex's NIC and external hosts share, are L2Segments. A NIC
//   attached to a segment transmits into it; the segment learns the frame's source MAC on
//   that NIC's port, then delivers the frame after the segment's latency to the port of the
//   destination MAC, or floods it to every other port when the destination is broadcast,
//   multicast or unknown. It never sends a frame back out of the port it came in on.
//
// Design
//   A frame's journey through the segment takes 'latency' (wire and switch together): at
//   transmit time it is queued and one SimClock event is scheduled; at delivery time the
//   switch learns and looks up. Ports are numbered in attachment order from 1 and flooding
//   visits them in that order, so delivery is deterministic. The learning table maps a MAC
//   to a port and forgets entries 'ageingTime' (default 300 s) after they were last seen,
//   checked lazily at lookup time (no clock events). Devices are not owned: they are held
//   through their lifetime() token and a destroyed device is skipped; detach() or the
//   segment's destruction clears the transmit handlers it installed. Frames in flight when
//   the segment is destroyed are discarded.
//
// Invariants
//   Each device is attached to at most one port of a segment. A frame reaches each
//   destination at most once, exactly 'latency' after it was sent, and never its sender.
//   Flooding copies a frame once per extra destination.

#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "engine/packet/packet.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace nlab::engine {

class NetDevice;

/// One learned MAC of a segment.
struct SegmentMacEntry {
    std::uint64_t mac = 0;  ///< 48-bit MAC, host order.
    int port = 0;           ///< Port number (1-based, attachment order).
    std::string device;     ///< Name of the device on that port.
    SimTime lastSeen = 0;   ///< Virtual time the MAC was last seen as a source.
    friend bool operator==(const SegmentMacEntry&, const SegmentMacEntry&) = default;
};

/// What the segment did with the frames it carried.
struct SegmentStats {
    std::uint64_t frames = 0;      ///< Frames that entered the segment.
    std::uint64_t forwarded = 0;   ///< Frames delivered to one learned port.
    std::uint64_t flooded = 0;     ///< Frames flooded (broadcast, multicast, unknown).
    std::uint64_t dropped = 0;     ///< Runts, destination behind the input port, port gone.
    std::uint64_t deliveries = 0;  ///< Copies handed to devices (forwarded + flooded copies).
};

class L2Segment {
public:
    /// Creates an empty segment called 'name' ("underlay", "external") on 'clock' (which
    /// must outlive it) with one-way delay 'latency' (negative counts as 0).
    L2Segment(std::string name, SimClock& clock, SimDuration latency);
    /// Clears the transmit handlers of the attached devices still alive and discards
    /// frames in flight.
    ~L2Segment();
    L2Segment(const L2Segment&) = delete;
    L2Segment& operator=(const L2Segment&) = delete;

    const std::string& name() const { return m_name; }
    SimDuration latency() const { return m_latency; }
    void setLatency(SimDuration latency) { m_latency = latency < 0 ? 0 : latency; }
    SimDuration ageingTime() const { return m_ageingTime; }
    void setAgeingTime(SimDuration ageing) { m_ageingTime = ageing < 0 ? 0 : ageing; }

    /// Plugs 'device' into a new port (numbered from 1 in attachment order) and makes the
    /// segment its transmit handler. Returns the port number, or AlreadyExists when the
    /// device is already attached to this segment.
    Result<int> attach(NetDevice& device);
    /// Unplugs 'device': clears its transmit handler and forgets the MACs learned on its
    /// port (the port number is not reused). Returns NotFound when it is not attached.
    Status detach(NetDevice& device);
    /// The attached devices, in port order (destroyed or detached ones left out).
    std::vector<const NetDevice*> devices() const;

    /// The learning table, sorted by MAC, expired entries left out.
    std::vector<SegmentMacEntry> macTable() const;
    const SegmentStats& stats() const { return m_stats; }

private:
    struct Port {
        NetDevice* device = nullptr;  ///< Null once detached.
        std::weak_ptr<void> alive;
    };
    struct InFlight {
        int inPort = 0;
        Packet packet;
    };
    struct Learned {
        int port = 0;
        SimTime lastSeen = 0;
    };

    void enter(int inPort, Packet&& packet);
    void deliver();
    NetDevice* livePort(int port) const;

    std::string m_name;
    SimClock& m_clock;
    SimDuration m_latency;
    SimDuration m_ageingTime = 300 * kSecond;
    std::vector<Port> m_ports;  ///< Port i + 1.
    std::unordered_map<std::uint64_t, Learned> m_macs;
    std::deque<InFlight> m_inFlight;  ///< Oldest first; one clock event per frame.
    SegmentStats m_stats;
    std::shared_ptr<void> m_alive = std::make_shared<int>(0);  ///< Guards clock events.
};

}  // namespace nlab::engine
