#pragma once
// LinuxBridge: the kernel's learning bridge as Nova's hybrid VIF plug uses it (qbrXXXX).
//
// What
//   A bridge joins port devices (qvbXXXX, tapXXXX) and its own interface, the bridge
//   device, which is the host stack's port. It keeps a forwarding database (FDB) that learns
//   source MACs per port and forgets them after ageing_time (300 s), with a local entry for
//   each port's own MAC. Frames to a known MAC go to its port, broadcast/multicast and
//   unknown unicast are flooded to every other port, and frames for the bridge's MACs go up
//   to the host. STP is off and the forward delay is 0, as Nova sets them (`brctl stp off`,
//   `brctl setfd 0`), so a port forwards as soon as it is added. `formatBrctlShow` and
//   `formatShowMacs` print `brctl show` / `brctl showmacs` byte for byte.
//
// Design (after Linux net/bridge: br_input.c, br_forward.c, br_fdb.c, br_stp_if.c)
//   The Lab owns every device; a LinuxBridge refers to its bridge device (kind LinuxBridge)
//   and to its ports without owning them. addInterface enslaves a device: it sets its master
//   and replaces its receive handler with the bridge's input; the bridge becomes the bridge
//   device's transmit handler. Devices are held through their lifetime() token, so a port
//   destroyed while enslaved is skipped, never touched.
//   Input from a port (br_handle_frame): a frame shorter than an Ethernet header or with a
//   multicast or zero source MAC is dropped; the source is learned on the port (unless it
//   is a local entry); then a broadcast/multicast destination is flooded to the other ports
//   and delivered to the host; a destination equal to the bridge device's MAC or a local
//   entry goes to the host only; a learned destination goes to its port (dropped if that is
//   the input port: hairpin mode is off); an unknown unicast is flooded to the other ports,
//   and given to the host only when the bridge device is promiscuous, as the kernel does.
//   Frames the bridge device transmits (br_dev_xmit) are forwarded the same way without
//   learning, to the ports only.
//   Forwarding order is deterministic: ascending port number, then the host. Port numbers
//   are the kernel's: the lowest free number from 1. A port whose device is down is in the
//   disabled state and is skipped; a bridge whose device is down forwards nothing.
//   Ageing: an entry expires at exactly last-seen + ageing_time. A lookup ignores expired
//   entries and one SimClock event, at the earliest expiry, removes them and publishes
//   MacAged; refreshing an entry costs no event.
//   Bridge id (br_stp_recalculate_bridge_id): priority 8000 and the lowest MAC among the
//   ports, recomputed on every add/remove, and the bridge device takes that MAC; with no
//   port the id is 8000.000000000000 (checked against Linux 6.x with bridge-utils 1.7:
//   removing the last port sets the bridge's MAC to 00:00:00:00:00:00). A MAC pinned with
//   setBridgeMac() (`ip link set qbr address ...`) is kept instead.
//
// Invariants
//   Each port device is enslaved to at most one bridge (its master() is non-empty while it
//   is). Every FDB entry's port is a current port. No frame is ever sent back out of the
//   port it came in on. Flooding copies each frame once per extra destination, no more.

#include "engine/core/result.h"
#include "engine/core/sim_clock.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nlab::engine {

class EventBus;
class NetDevice;
class Packet;

/// The kernel default (and Nova's) FDB ageing time: 300 seconds.
inline constexpr SimDuration kBridgeDefaultAgeingTime = 300 * kSecond;

/// One FDB entry as `brctl showmacs` lists it.
struct BridgeFdbEntry {
    int portNo = 0;         ///< Port number (1-based) the MAC is on.
    std::string port;       ///< That port's device name.
    std::uint64_t mac = 0;  ///< 48-bit MAC, host order.
    bool isLocal = false;   ///< The port's own MAC: permanent, delivered to the host.
    SimTime updated = 0;    ///< When the entry was last learned/refreshed (0 for local).
    friend bool operator==(const BridgeFdbEntry&, const BridgeFdbEntry&) = default;
};

/// What the bridge did with the frames it saw.
struct LinuxBridgeStats {
    std::uint64_t forwarded = 0;  ///< Frames sent to one known port.
    std::uint64_t flooded = 0;    ///< Frames flooded (broadcast, multicast, unknown unicast).
    std::uint64_t delivered = 0;  ///< Frames handed to the bridge device (host stack).
    std::uint64_t dropped = 0;    ///< Invalid, hairpin, bridge down or to a disabled port.
    std::uint64_t learned = 0;    ///< FDB entries created or moved.
    std::uint64_t aged = 0;       ///< FDB entries removed by ageing.
};

class LinuxBridge {
public:
    /// Creates the bridge around 'device' (the qbrXXXX interface, created and owned by the
    /// Lab; it must outlive this object). 'events' (optional, not owned) receives MacLearned
    /// and MacAged. Side effect: becomes the transmit handler of 'device'.
    LinuxBridge(NetDevice& device, SimClock& clock, EventBus* events = nullptr);
    /// Releases every port (clears master and receive handler) and the bridge device's
    /// transmit handler, and cancels the ageing event.
    ~LinuxBridge();
    LinuxBridge(const LinuxBridge&) = delete;
    LinuxBridge& operator=(const LinuxBridge&) = delete;

    /// The bridge's name: its device's name ("qbr8cbe7bb6-18").
    const std::string& name() const;
    /// The bridge device (the host stack's port).
    NetDevice& device() const { return *m_device; }

    /// Enslaves 'port' (`brctl addif`): gives it the lowest free port number, sets its master
    /// to name(), replaces its receive handler, adds a local FDB entry for its MAC and
    /// recomputes the bridge id. Returns InvalidArgument when 'port' is the bridge device,
    /// AlreadyExists when it already has a master (this bridge or another).
    Status addInterface(NetDevice& port);
    /// Releases 'port' (`brctl delif`): clears its master and receive handler, removes its
    /// FDB entries (learned and local) and recomputes the bridge id. Returns NotFound when
    /// it is not a port of this bridge.
    Status removeInterface(NetDevice& port);
    /// The ports, by ascending port number (destroyed devices are left out).
    std::vector<const NetDevice*> interfaces() const;
    /// The port number of 'port', or 0 when it is not a port of this bridge.
    int portNumber(const NetDevice& port) const;

    /// The bridge id's MAC (lowest port MAC, or the pinned one; 0 with no port).
    std::uint64_t bridgeMac() const { return m_bridgeMac; }
    /// The bridge id as brctl prints it: "8000.1a8e57f27d11".
    std::string bridgeIdText() const;
    /// Pins the bridge's MAC (`ip link set qbr address MAC`): sets the device's MAC and
    /// the bridge id, which no longer follow the ports.
    void setBridgeMac(std::uint64_t mac);
    /// Whether STP is on (`brctl stp BR on`, what `brctl show` prints). Off by default, as
    /// Nova sets it; libvirt's virbr0 has it on. The engine runs no spanning tree: the flag
    /// is shown, and ports forward at once either way.
    bool stpEnabled() const { return m_stpEnabled; }
    void setStpEnabled(bool on) { m_stpEnabled = on; }
    SimDuration forwardDelay() const { return 0; }  ///< `brctl setfd 0`.
    SimDuration ageingTime() const { return m_ageingTime; }
    /// Sets ageing_time (`brctl setageing`); entries then expire at last-seen + 'ageing'.
    void setAgeingTime(SimDuration ageing);

    /// The FDB as `brctl showmacs` lists it: sorted by MAC, expired entries left out.
    std::vector<BridgeFdbEntry> fdb() const;
    /// The live entry for 'mac', or nullopt when unknown or expired.
    std::optional<BridgeFdbEntry> lookup(std::uint64_t mac) const;
    /// Removes every learned entry (`bridge fdb flush`); local entries stay.
    void flushFdb();

    const LinuxBridgeStats& stats() const { return m_stats; }

private:
    struct Port {
        NetDevice* device = nullptr;  ///< Null for a free slot.
        std::weak_ptr<void> alive;    ///< The device's lifetime token.
    };
    struct Entry {
        int portNo = 0;
        bool isLocal = false;
        SimTime updated = 0;
    };

    void input(int portNo, Packet&& packet);
    void hostTransmit(Packet&& packet);
    /// Sends 'packet' to the ports/host chosen for destination 'dst'; 'inPort' is 0 for
    /// frames from the host.
    void forward(int inPort, std::uint64_t dst, Packet&& packet);
    void flood(int inPort, bool toHost, Packet&& packet);
    void deliverToHost(Packet&& packet);
    NetDevice* livePort(int portNo) const;
    void learn(std::uint64_t mac, int portNo);
    bool expired(const Entry& e) const;
    void scheduleAgeing(SimTime at);
    void runAgeing();
    void recalculateBridgeId();
    void publishLearned(std::uint64_t mac, int portNo, bool moved);

    NetDevice* m_device;
    std::weak_ptr<void> m_deviceAlive;
    SimClock& m_clock;
    EventBus* m_events;
    std::vector<Port> m_ports;  ///< Slot i holds port number i + 1.
    std::unordered_map<std::uint64_t, Entry> m_fdb;
    SimDuration m_ageingTime = kBridgeDefaultAgeingTime;
    bool m_stpEnabled = false;
    std::uint64_t m_bridgeMac = 0;
    bool m_macPinned = false;
    EventId m_ageingEvent = 0;
    SimTime m_ageingAt = -1;  ///< Time of m_ageingEvent, -1 when none is pending.
    LinuxBridgeStats m_stats;
};

/// `brctl show` for 'bridges', byte for byte: the header line, then one block per bridge
/// sorted by name — name, bridge id, STP, and the first interface in alphabetical order,
/// each further interface on a continuation line of seven tabs. E.g.
///   "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n"
///   "qbr8cbe7bb6-18\t\t8000.1a8e57f27d11\tno\t\tqvb8cbe7bb6-18\n"
///   "\t\t\t\t\t\t\ttap8cbe7bb6-18\n"
/// A bridge without interfaces ends its line with "no\t\t\n".
std::string formatBrctlShow(const std::vector<const LinuxBridge*>& bridges);

/// `brctl showmacs BRIDGE` at time 'now', byte for byte: the header
/// "port no\tmac addr\t\tis local?\tageing timer\n", then one line per FDB entry sorted by
/// MAC: "%3i\t%s\t%s\t\t%4i.%.2i\n" (port, MAC, yes/no, seconds since last seen with
/// hundredths truncated; 0.00 for local entries).
std::string formatShowMacs(const LinuxBridge& bridge, SimTime now);

}  // namespace nlab::engine
