#pragma once
// NetDevice: a Linux network interface as the lab models it.
//
// What
//   Every interface of the lab — a NIC, one end of a veth pair, a tap, an OVS internal port,
//   a Linux bridge's own interface, a VM's eth0 — is a NetDevice: ifindex, name, MAC, MTU,
//   up/down state, the kernel's RX/TX counters, the namespace it lives in and the bridge
//   it is enslaved to (its "master").
//
// Design (after ns-3 NetDevice and its TracedCallbacks)
//   A device does not know what is on either side of it. Two handlers wire it:
//     - the transmit handler is the medium: what happens to a frame the device sends
//       (a veth delivers it to its peer after the link latency, an OVS internal port hands
//       it to its bridge, a NIC puts it on its L2 segment);
//     - the receive handler is the upper layer: who consumes a frame the device receives
//       (the namespace's IP stack, or the Linux/OVS bridge the device is enslaved to).
//   Taps observe both directions (pcap capture, statistics, the event stream) without the
//   device knowing about them. A device that is down drops in both directions and counts
//   the drop, as the kernel does.
//
// Invariants
//   ifindex is unique within a Lab and never reused. Counters only grow.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/packet/packet.h"

namespace nlab::engine {

class NetNamespace;
class EventBus;
class SimClock;

/// What a device is, for `ip link`/`ip -d link` style output and for the views.
enum class DeviceKind : std::uint8_t {
    Loopback, Ethernet, Veth, Tap, OvsInternal, LinuxBridge, OvsSystem /* ovs-system */
};
std::string_view toString(DeviceKind kind);

/// Kernel-style interface counters (`ip -s link`, `ifconfig`, `ethtool -S`).
struct DeviceStats {
    std::uint64_t rxPackets = 0, rxBytes = 0, rxErrors = 0, rxDropped = 0;
    std::uint64_t txPackets = 0, txBytes = 0, txErrors = 0, txDropped = 0;
};

enum class Direction : std::uint8_t { Rx, Tx };

class NetDevice {
public:
    using Handler = std::function<void(NetDevice&, Packet&&)>;
    using Tap = std::function<void(const NetDevice&, Direction, const Packet&)>;
    using TapId = std::uint64_t;

    NetDevice(int ifindex, std::string name, std::uint64_t mac, DeviceKind kind);
    NetDevice(const NetDevice&) = delete;
    NetDevice& operator=(const NetDevice&) = delete;

    int ifindex() const { return m_ifindex; }
    const std::string& name() const { return m_name; }
    void setName(std::string name) { m_name = std::move(name); }
    std::uint64_t mac() const { return m_mac; }
    void setMac(std::uint64_t mac) { m_mac = mac; }
    DeviceKind kind() const { return m_kind; }
    int mtu() const { return m_mtu; }
    void setMtu(int mtu) { m_mtu = mtu; }
    bool isUp() const { return m_up; }
    void setUp(bool up) { m_up = up; }
    bool promiscuous() const { return m_promisc; }
    void setPromiscuous(bool on) { m_promisc = on; }
    const DeviceStats& stats() const { return m_stats; }
    DeviceStats& stats() { return m_stats; }

    /// The namespace the device lives in (non-owning; null until placed).
    NetNamespace* netns() const { return m_netns; }
    void setNetns(NetNamespace* ns) { m_netns = ns; }
    /// Name of the bridge this device is enslaved to ("qbr8cbe7bb6-18", "ovs-system"), or "".
    const std::string& master() const { return m_master; }
    void setMaster(std::string master) { m_master = std::move(master); }
    /// For a veth end: the peer's ifindex (`ethtool -S` peer_ifindex); 0 otherwise.
    int peerIfindex() const { return m_peerIfindex; }
    void setPeerIfindex(int ifindex) { m_peerIfindex = ifindex; }

    /// Sets the medium: where frames this device transmits go.
    void setTransmitHandler(Handler h) { m_tx = std::move(h); }
    /// Sets the upper layer: who consumes frames this device receives.
    void setReceiveHandler(Handler h) { m_rx = std::move(h); }
    bool hasReceiveHandler() const { return static_cast<bool>(m_rx); }

    /// Sends 'packet' out of this device: counts TX (or a TX drop when down or when the frame
    /// exceeds MTU + 14 + 4), calls the taps, then the transmit handler.
    void transmit(Packet&& packet);
    /// A frame arrives at this device from the medium: counts RX (or an RX drop when down
    /// or when nobody consumes it), calls the taps, then the receive handler.
    void receive(Packet&& packet);

    /// A token that expires when the device is destroyed: callbacks scheduled on the clock
    /// (link latency) hold it weakly and do nothing once the device is gone.
    std::weak_ptr<void> lifetime() const { return m_alive; }

    /// Observes every frame sent or received (after the up/MTU checks). Returns an id.
    TapId addTap(Tap tap);
    /// Publishes FrameSent/FrameReceived for every frame this device passes (its node's bus;
    /// null: none). Events name the device twice (device and port) and its namespace.
    void setEvents(EventBus* events, const SimClock* clock) {
        m_events = events;
        m_clock = clock;
    }
    void removeTap(TapId id);

private:
    int m_ifindex;
    std::string m_name;
    std::uint64_t m_mac;
    DeviceKind m_kind;
    int m_mtu = 1500;
    bool m_up = true;
    bool m_promisc = false;
    DeviceStats m_stats;
    NetNamespace* m_netns = nullptr;
    std::string m_master;
    int m_peerIfindex = 0;
    Handler m_tx;
    Handler m_rx;
    std::vector<std::pair<TapId, Tap>> m_taps;
    EventBus* m_events = nullptr;
    const SimClock* m_clock = nullptr;
    TapId m_nextTap = 1;
    std::shared_ptr<void> m_alive = std::make_shared<int>(0);
};

}  // namespace nlab::engine
