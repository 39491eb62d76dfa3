#pragma once
// DhcpClient: busybox udhcpc as CirrOS runs it on a VM interface.
//
// What
//   A DHCPv4 client on one interface. It prints what udhcpc v1.20.1 prints
//       udhcpc (v1.20.1) started
//       Sending discover...
//       Sending select for 10.10.10.7...
//       Lease of 10.10.10.7 obtained, lease time 86400
//   and, as udhcpc's default script does, configures the interface on a lease (address and
//   prefix, default route via the first router, DNS servers recorded) and deconfigures it
//   when the lease is lost or released.
//
// Design
//   The state machine is udhcpc's main loop with its single timeout, on the SimClock:
//     INIT_SELECTING  DISCOVER (broadcast, from 0.0.0.0, new xid on the first try) up to
//                     `discoverRetries` times `discoverTimeout` apart (-t 3 -T 3); then
//                     "leasefail": exit with "No lease, failing" under -n, else wait
//                     `tryAgainTimeout` (-A 20) and start over.
//     REQUESTING      on an OFFER: at once, up to 3 broadcast REQUESTs (server id + requested
//                     address) `discoverTimeout` apart, then back to leasefail.
//     BOUND           on an ACK: lease/2 until RENEWING.
//     RENEWING        while the remaining timeout exceeds 60 s: a REQUEST with ciaddr unicast
//                     to the server through the IP stack, then wait half the timeout.
//     REBINDING       the same REQUEST broadcast, halving until the timeout reaches 0; then
//                     "Lease lost, entering init state" and deconfiguration.
//   With the default 86400 s lease that renews at 43200 s, 64800 s, ... (halving) and
//   rebinds from 86356 s, as udhcpc does (its timer halving, not RFC 2131's fixed T2).
//   A NAK ("Received DHCP NAK") deconfigures (unless REQUESTING), waits 3 s and restarts.
//   Like udhcpc, the client listens on a raw packet socket (every IPv4 frame of the
//   interface for our MAC or broadcast) in INIT_SELECTING, REQUESTING and REBINDING, on a
//   UDP socket bound to port 68 in RENEWING, and not at all while BOUND; the I/O callbacks
//   say which (attach() maps them to a device tap and NetNamespace::bindUdp).
//   Raw frames go out with udhcpc's headers: TTL 64, no DF, IP id 0, TOS 0.
//   xids come from a seeded generator, so runs are deterministic.
//
// Invariants
//   At most one timer is pending. The interface is configured exactly while a lease is held
//   (BOUND, RENEWING, REBINDING). Time comes only from the SimClock.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "engine/packet/addresses.h"
#include "engine/packet/packet.h"

namespace nlab::engine {

class NetDevice;
class NetNamespace;
struct DhcpMessage;

/// udhcpc's command line, as far as the lab uses it.
struct DhcpClientConfig {
    std::string interface = "eth0";       ///< -i
    MacAddress mac;                       ///< The interface's MAC (chaddr, client id).
    std::string version = "1.20.1";       ///< Printed in "udhcpc (vX) started".
    int discoverRetries = 3;              ///< -t
    SimDuration discoverTimeout = 3 * kSecond;   ///< -T
    SimDuration tryAgainTimeout = 20 * kSecond;  ///< -A
    bool exitOnFailure = false;           ///< -n ("No lease, failing"); CirrOS's ifup passes it.
    bool releaseOnExit = true;            ///< -R (CirrOS's ifup passes it).
    bool broadcastFlag = false;           ///< -B: ask for broadcast replies.
    std::optional<std::string> hostname;  ///< -x hostname:NAME (option 12).
    std::vector<std::uint8_t> extraOptions;  ///< -O codes added to the parameter request list.
    std::optional<Ipv4Address> requestedIp;  ///< -r
    std::uint32_t seed = 1;               ///< Seeds the xid generator.
};

/// What an ACK gave the client (udhcpc's script environment).
struct DhcpLease {
    Ipv4Address address;          ///< $ip
    int prefixLength = 32;        ///< From $subnet (32 when the server sent no mask).
    std::optional<Ipv4Address> router;   ///< First of $router.
    std::vector<Ipv4Address> dns;        ///< $dns
    std::string domain;                  ///< $domain
    std::optional<std::uint16_t> mtu;    ///< $mtu
    Ipv4Address serverId;                ///< $serverid
    std::uint32_t leaseSeconds = 0;      ///< $lease
    SimTime obtainedAt = 0;
};

/// udhcpc's states.
enum class DhcpClientState : std::uint8_t {
    Stopped, InitSelecting, Requesting, Bound, Renewing, Rebinding, Released
};
std::string_view toString(DhcpClientState state);

/// udhcpc's listening socket.
enum class DhcpListenMode : std::uint8_t { None, Raw, Kernel };

/// How the client reaches the host it runs on.
struct DhcpClientIo {
    /// Sends a complete frame out of the interface (raw packet socket).
    std::function<void(Packet&&)> sendRaw;
    /// Sends a UDP datagram (header + payload, checksum filled in for 'src' -> 'dst')
    /// through the IP stack (kernel socket). Returns false when there is no route.
    std::function<bool(Ipv4Address dst, Ipv4Address src, std::vector<std::uint8_t> udp)> sendUdp;
    /// The script's "bound"/"renew": configure address, prefix and default route.
    std::function<void(const DhcpLease& lease, bool renew)> configure;
    /// The script's "deconfig": remove what configure() added for 'lease'.
    std::function<void(const DhcpLease& lease)> deconfigure;
    /// The listening socket changes.
    std::function<void(DhcpListenMode)> listen;
};

class DhcpClient {
public:
    using LineSink = std::function<void(std::string_view)>;

    /// Creates a stopped client; time comes from 'clock'. Missing I/O callbacks do nothing.
    DhcpClient(SimClock& clock, DhcpClientConfig config, DhcpClientIo io = {});
    ~DhcpClient();
    DhcpClient(const DhcpClient&) = delete;
    DhcpClient& operator=(const DhcpClient&) = delete;

    /// Runs the client on its interface in 'ns', replacing the I/O callbacks: raw frames go
    /// out with NetNamespace::sendFrame, unicasts through NetNamespace::sendIpv4; the raw
    /// socket is a receive tap on the device and the kernel socket NetNamespace::bindUdp(68);
    /// a lease adds ADDR/PREFIX to the interface and a default route via the router
    /// (protocol Dhcp), deconfiguration deletes both. Error: NotFound when the interface is
    /// not in 'ns'. 'ns' and the device must outlive the client's activity (stop() first).
    Status attach(NetNamespace& ns);

    /// Starts udhcpc: prints the banner and sends the first DISCOVER at once.
    void start();
    /// SIGTERM: prints "Received SIGTERM"; with -R and a lease, unicasts a RELEASE and
    /// deconfigures ("Unicasting a release of A to S", "Entering released state"). Cancels
    /// every timer; the client ends Stopped.
    void stop();

    /// A frame for the client: through the raw socket (every frame of the interface) or
    /// the UDP socket. Frames not for the current transaction are ignored, as udhcpc does.
    void receiveFrame(const Packet& frame);

    DhcpClientState state() const { return m_state; }
    DhcpListenMode listenMode() const { return m_listen; }
    /// The current lease (set from the ACK until lost, released or NAKed).
    const std::optional<DhcpLease>& lease() const { return m_lease; }
    /// Every line printed so far.
    const std::vector<std::string>& lines() const { return m_lines; }
    void setLineSink(LineSink sink) { m_sink = std::move(sink); }
    const DhcpClientConfig& config() const { return m_config; }

private:
    void onTimeout();
    void arm(SimDuration delay);
    void print(std::string line);
    void setListen(DhcpListenMode mode);
    DhcpMessage newMessage(std::uint8_t type);
    void addClientOptions(DhcpMessage& msg) const;
    void sendBroadcast(const DhcpMessage& msg, Ipv4Address src);
    bool sendUnicast(const DhcpMessage& msg, Ipv4Address src, Ipv4Address dst);
    void sendDiscover();
    void sendSelect();
    bool sendRenew(bool unicast);
    void leaseFail();
    void handleAck(const DhcpMessage& msg);
    void handleNak(const DhcpMessage& msg);
    void deconfigure();

    SimClock& m_clock;
    DhcpClientConfig m_config;
    DhcpClientIo m_io;
    DhcpClientState m_state = DhcpClientState::Stopped;
    DhcpListenMode m_listen = DhcpListenMode::None;
    std::mt19937 m_rng;
    std::uint32_t m_xid = 0;
    int m_packetNum = 0;
    std::int64_t m_timeout = 0;  ///< udhcpc's 'timeout', in seconds (BOUND to REBINDING).
    std::optional<SimTime> m_firstSecs;  ///< Start of the 'secs' count.
    Ipv4Address m_serverId;
    Ipv4Address m_requested;
    std::optional<DhcpLease> m_lease;
    bool m_configured = false;     ///< configure() ran for m_lease.
    bool m_sleeping = false;       ///< The 3 s pause after a NAK: frames are not read.
    EventId m_timer = 0;
    std::vector<std::string> m_lines;
    LineSink m_sink;
    // attach(): the namespace and the device tap that stands for the raw socket.
    NetNamespace* m_ns = nullptr;
    NetDevice* m_dev = nullptr;
    std::weak_ptr<void> m_devAlive;
    std::uint64_t m_tap = 0;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);  ///< Guards scheduled reads.
};

}  // namespace nlab::engine
