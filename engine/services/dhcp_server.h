#pragma once
// DhcpServer: the dnsmasq instance the Neutron DHCP agent runs in a qdhcp- namespace.
//
// What
//   A DHCPv4 server bound to one interface (the DHCP port's tap device) that answers only
//   the hosts it was given, as dnsmasq does with Neutron's `--dhcp-hostsfile` and
//   `--dhcp-range=set:tag0,10.10.10.0,static,86400s`: a known MAC gets its fixed address,
//   an unknown MAC gets nothing ("no address available"). It keeps a lease table on the
//   virtual clock and a log in dnsmasq's syslog format:
//       DHCPDISCOVER(tap78dd7f1e-53) fa:16:3e:32:28:af
//       DHCPOFFER(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af
//       DHCPREQUEST(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af
//       DHCPACK(tap78dd7f1e-53) 10.10.10.7 fa:16:3e:32:28:af host-10-10-10-7
//
// Design
//   The server is a frame-in, frame-out machine: receiveFrame() takes a complete Ethernet
//   frame holding a BOOTREQUEST to UDP port 67 and the replies leave as complete frames
//   through the FrameSender (NetNamespace::sendFrame once attached). Message handling follows
//   dnsmasq's rfc2131.c for a static, non-authoritative context:
//     DISCOVER  known MAC: OFFER its address (unless declined in the last 600 s); else log
//               "no address available" and stay silent.
//     REQUEST   SELECTING (server id + requested address): silent when the server id is not
//               ours; INIT-REBOOT (requested address, no server id): silent without a lease;
//               RENEWING/REBINDING (ciaddr): a broadcast request without a matching lease is
//               ignored, a unicast one gets NAK "lease not found". Then NAK "address not
//               available" unless the address is the host's fixed address, else ACK.
//     DECLINE   (server id ours) marks the host's address declined for 600 s, drops the lease.
//     RELEASE   (server id ours) drops the lease ("unknown lease" when there is none).
//     INFORM    ACK with the options but no lease time, unicast to ciaddr.
//   Replies go to ciaddr when it is set, else broadcast when the broadcast flag is set, else
//   unicast to chaddr/yiaddr (RFC 2131 §4.1); a NAK is always broadcast. They are sent as a
//   kernel UDP socket would send them: from the server's address and port 67 to port 68,
//   TTL 64, DF set, IP id 0. Options: message type, server id, lease time with T1 = lease/2
//   and T2 = 7/8 lease (dnsmasq's values; its random renewal fuzz is not modelled), subnet
//   mask, broadcast, router (omitted when none), DNS (the server's own address by default),
//   and, when the client asks for them or sends no parameter request list, host name,
//   domain name and interface MTU (when configured).
//
// Invariants
//   Host MACs and host addresses are unique. A lease exists only for a configured host and
//   only for that host's address. Expired leases are never reported. Time comes only from
//   the SimClock.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "engine/packet/addresses.h"
#include "engine/packet/packet.h"

namespace nlab::engine {

class NetNamespace;
struct DhcpMessage;

/// One line of Neutron's dnsmasq host file: "fa:16:3e:32:28:af,host-10-10-10-7.openstacklocal,10.10.10.7".
struct DhcpHost {
    MacAddress mac;
    Ipv4Address address;
    std::string hostname;  ///< Without the domain ("host-10-10-10-7").
};

/// The dnsmasq command line and options file the DHCP agent writes, for one subnet.
struct DhcpServerConfig {
    std::string interface;           ///< Listening interface ("tap78dd7f1e-53").
    MacAddress serverMac;            ///< That interface's MAC (source of replies).
    Ipv4Address serverAddress;       ///< That interface's address (server identifier).
    int prefixLength = 24;           ///< The subnet's prefix (mask and broadcast options).
    std::optional<Ipv4Address> router;   ///< Option 3; none: the option is not sent.
    std::vector<Ipv4Address> dnsServers; ///< Option 6; empty: the server's own address.
    std::string domain = "openstacklocal";  ///< Option 15 (`--domain`); empty: not sent.
    std::optional<std::uint16_t> mtu;    ///< Option 26 when set.
    std::uint32_t leaseSeconds = 86400;  ///< Neutron's dhcp_lease_duration default.
};

/// One entry of the lease table.
struct DhcpLeaseEntry {
    MacAddress mac;
    Ipv4Address address;
    std::string hostname;
    std::vector<std::uint8_t> clientId;  ///< Option 61 as the client sent it (may be empty).
    SimTime expires = 0;                 ///< Virtual time at which the lease ends.
};

class DhcpServer {
public:
    /// Where reply frames go (NetNamespace::sendFrame on the configured interface).
    using FrameSender = std::function<void(Packet&&)>;
    /// Receives each log line as it is written.
    using LogSink = std::function<void(std::string_view)>;

    /// A declined address is not offered again for this long (dnsmasq DECLINE_BACKOFF).
    static constexpr SimDuration kDeclineBackoff = 600 * kSecond;

    /// Creates a server with no hosts; time comes from 'clock'. Frames are dropped until a
    /// sender is set (setFrameSender or attach).
    DhcpServer(SimClock& clock, DhcpServerConfig config);
    DhcpServer(const DhcpServer&) = delete;
    DhcpServer& operator=(const DhcpServer&) = delete;

    const DhcpServerConfig& config() const { return m_config; }

    /// Adds a host-file line. Errors: AlreadyExists when the MAC or the address is already
    /// configured; InvalidArgument when the address is not in the server's subnet, or is the
    /// network, broadcast or server address.
    Status addHost(DhcpHost host);
    /// Removes the host with 'mac' and its lease; false when there is none.
    bool removeHost(MacAddress mac);
    /// The configured hosts, in MAC order.
    std::vector<DhcpHost> hosts() const;

    /// Sets where reply frames go.
    void setFrameSender(FrameSender sender) { m_send = std::move(sender); }
    /// Binds the server to 'ns' as dnsmasq `--bind-interfaces --interface=`: listens on UDP
    /// 67 (datagrams that arrive on other interfaces are ignored) and sends its replies with
    /// NetNamespace::sendFrame on the configured interface. Replaces the frame sender and
    /// any UDP 67 listener of 'ns'; 'ns' must outlive the server or be re-bound. Error:
    /// NotFound when the interface is not in 'ns'.
    Status attach(NetNamespace& ns);

    /// Handles one received frame: an Ethernet II frame carrying IPv4/UDP to port 67 with a
    /// BOOTREQUEST. Anything else (bad checksum, other port, BOOTREPLY, no message type) is
    /// ignored. Side effects: lease table, log, and at most one reply frame.
    void receiveFrame(const Packet& frame);

    /// The unexpired leases, in MAC order.
    std::vector<DhcpLeaseEntry> leases() const;
    /// The lease file as dnsmasq writes it: "<expiry s> <mac> <ip> <hostname|*> <client-id|*>"
    /// per line, expiry in virtual seconds.
    std::string leaseFileText() const;

    /// Every log line so far, oldest first.
    const std::vector<std::string>& log() const { return m_log; }
    void setLogSink(LogSink sink) { m_logSink = std::move(sink); }

private:
    struct HostState {
        DhcpHost host;
        std::optional<SimTime> declinedAt;
    };

    void handleDiscover(const DhcpMessage& req);
    void handleRequest(const DhcpMessage& req, bool unicastToUs);
    void handleDecline(const DhcpMessage& req);
    void handleRelease(const DhcpMessage& req);
    void handleInform(const DhcpMessage& req);
    void reply(const DhcpMessage& req, DhcpMessage&& resp, bool isNak);
    void addOptions(const DhcpMessage& req, DhcpMessage& resp, const HostState* host,
                    bool withLease) const;
    void sendNak(const DhcpMessage& req, Ipv4Address address, std::string_view why);
    void writeLog(std::string_view type, std::optional<Ipv4Address> address, MacAddress mac,
                  std::string_view extra);
    void pruneExpired();
    HostState* findHost(MacAddress mac);
    bool isOurServerId(const DhcpMessage& req) const;
    std::uint32_t netmask() const;

    SimClock& m_clock;
    DhcpServerConfig m_config;
    std::map<MacAddress, HostState> m_hosts;
    std::map<MacAddress, DhcpLeaseEntry> m_leases;
    FrameSender m_send;
    LogSink m_logSink;
    std::vector<std::string> m_log;
    MacAddress m_requestSrcMac;  ///< Ethernet source of the request being handled.
};

}  // namespace nlab::engine
