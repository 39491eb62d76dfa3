#pragma once
// Nat: the iptables NAT table the Icehouse L3 agent installs in a qrouter- namespace, and
// the connection tracking that makes it work.
//
// What
//   The rules the agent writes (`iptables -t nat -S` in the router namespace):
//     -A neutron-l3-agent-PREROUTING -d 192.168.0.3/32 -j DNAT --to-destination 10.10.10.7
//     -A neutron-l3-agent-POSTROUTING ! -i qg-X ! -o qg-X -m conntrack ! --ctstate DNAT -j ACCEPT
//     -A neutron-l3-agent-float-snat -s 10.10.10.7/32 -j SNAT --to-source 192.168.0.3
//     -A neutron-l3-agent-snat -s 10.10.10.0/24 -j SNAT --to-source 192.168.0.2
//   evaluated on the first packet of each connection, and a conntrack table (`conntrack -L`)
//   that translates every later packet of the connection, in both directions, including
//   ICMP errors that quote one of its packets.
//
// Design (after Linux nf_conntrack and nf_nat)
//   A connection has an original tuple (as its first packet arrived) and a reply tuple (as
//   a reply arrives on the wire, i.e. after both translations). TCP/UDP tuples hold
//   addresses and ports; ICMP echo tuples hold addresses, the echo id and the type.
//   Destination translation happens at PREROUTING (DNAT of the original direction, un-SNAT of
//   the reply direction), source translation at POSTROUTING (SNAT, un-DNAT). DNAT is decided
//   when a connection is created at PREROUTING; SNAT when its first packet reaches
//   POSTROUTING. Packets the namespace itself sends are only seen at POSTROUTING (the hook has
//   no OUTPUT point, so the agent's OUTPUT-chain DNAT of floating IPs is not modelled).
//   SNAT keeps the source port unless the resulting reply tuple is taken; then, like Linux,
//   it picks another port of the same class (1-511, 600-1023, 1024-65535; any id for ICMP):
//   deterministically, the next free one above the original, wrapping.
//   ICMP errors are matched through the inverted tuple of the packet they quote; the outer
//   address and the quoted header are both translated (quoted IP checksum recomputed, quoted
//   UDP checksum adjusted, ICMP checksum recomputed), as nf_nat_icmp_reply_translation does.
//   Every other rewrite adjusts the IPv4 and TCP/UDP/ICMP checksums incrementally (RFC 1624);
//   a zero UDP checksum stays zero.
//   Timeouts are those of the Linux 3.13 kernels Icehouse ran on (nf_conntrack defaults):
//   UDP 30 s, 180 s once both directions were seen (then ASSURED); ICMP 30 s; TCP SYN_SENT
//   120 s, SYN_RECV 60 s, ESTABLISHED 432000 s (5 days), FIN_WAIT 120 s, LAST_ACK 30 s,
//   TIME_WAIT 120 s, CLOSE 10 s. Expired entries are removed lazily, on the virtual clock.
//   Fragments and non-echo ICMP queries pass untracked.
//
// Invariants
//   Every live connection is reachable from its original and reply tuples; no two live
//   connections share a reply tuple. Packets are only rewritten in place, never resized.

#include <cstdint>
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

/// A conntrack tuple. For ICMP, 'srcPort' is the echo id and 'dstPort' the ICMP type.
struct NatTuple {
    std::uint32_t src = 0, dst = 0;  ///< Host order.
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint8_t proto = 0;
    friend auto operator<=>(const NatTuple&, const NatTuple&) = default;
};

/// TCP conntrack states (`conntrack -L` names).
enum class TcpConnState : std::uint8_t {
    None, SynSent, SynRecv, Established, FinWait, CloseWait, LastAck, TimeWait, Close
};
std::string_view toString(TcpConnState state);

/// One conntrack entry.
struct NatConnection {
    std::uint64_t id = 0;       ///< Creation order.
    NatTuple original;          ///< As the first packet arrived.
    NatTuple reply;             ///< As replies arrive.
    bool srcNat = false;        ///< SNAT applied (reply.dst != original.src or ports differ).
    bool dstNat = false;        ///< DNAT applied.
    bool snatDecided = false;   ///< POSTROUTING has seen the connection.
    bool seenReply = false;
    bool assured = false;
    TcpConnState tcp = TcpConnState::None;
    std::uint8_t finFrom = 0;   ///< 1: original direction sent the first FIN, 2: reply.
    SimTime expires = 0;
};

class Nat {
public:
    /// Creates an empty NAT table (no gateway, no subnets, no floating IPs).
    explicit Nat(SimClock& clock);
    Nat(const Nat&) = delete;
    Nat& operator=(const Nat&) = delete;

    /// Sets the router's external interface ("qg-7f0f2e40-5c") and its gateway address.
    void setGateway(std::string externalDevice, Ipv4Address gatewayAddress);
    /// Adds the SNAT rule of an internal subnet. Errors: InvalidArgument (prefix > 32 or host
    /// bits set), AlreadyExists.
    Status addInternalSubnet(Ipv4Address network, int prefixLength);
    /// Adds a floating IP: DNAT of 'floating' to 'fixed' and SNAT of 'fixed' to 'floating'.
    /// Errors: AlreadyExists when either address already has a floating IP mapping.
    Status addFloatingIp(Ipv4Address floating, Ipv4Address fixed);
    /// Removes a floating IP and the connections it translated. Error: NotFound.
    Status removeFloatingIp(Ipv4Address floating);

    /// The PREROUTING hook: tracks and destination-translates an arriving frame ('in' is
    /// the input device name). Returns false to drop (never, at present).
    bool prerouting(Packet& frame, std::string_view in);
    /// The POSTROUTING hook: tracks and source-translates a leaving frame ('in' is the input
    /// device name, "" for packets the namespace sends itself; 'out' the output device).
    bool postrouting(Packet& frame, std::string_view in, std::string_view out);
    /// Installs both hooks on 'ns' (NetNamespace::setNatHook).
    void install(NetNamespace& ns);

    /// Live connections in creation order.
    std::vector<NatConnection> connections() const;
    /// Removes every connection (`conntrack -F`).
    void flushConnections();
    /// `iptables -t nat -S` as the Icehouse L3 agent leaves it (without the metadata REDIRECT).
    std::string rulesText() const;
    /// `conntrack -L` (stdout only), one line per live connection in creation order.
    std::string conntrackText() const;

private:
    enum class Dir : std::uint8_t { Original, Reply };
    struct Ref {
        std::uint64_t id = 0;
        Dir dir = Dir::Original;
    };
    struct FloatingIp {
        Ipv4Address floating, fixed;
    };
    struct Subnet {
        std::uint32_t network = 0;
        int prefixLength = 0;
    };

    NatConnection* find(const std::map<NatTuple, Ref>& index, const NatTuple& key, Dir& dir);
    void indexConnection(const NatConnection& c);
    void unindexConnection(const NatConnection& c);
    void decideSnat(NatConnection& c, std::string_view in, std::string_view out);
    bool replyTupleTaken(const NatTuple& reply) const;
    void updateState(NatConnection& c, Dir dir, std::uint16_t tcpFlags);
    bool handleIcmpError(Packet& frame, bool pre, std::string_view in, std::string_view out);
    NatConnection& create(const NatTuple& original);
    void erase(std::uint64_t id);

    SimClock& m_clock;
    std::string m_external;
    Ipv4Address m_gateway;
    std::vector<Subnet> m_subnets;
    std::vector<FloatingIp> m_floating;
    std::map<std::uint64_t, NatConnection> m_conns;
    std::map<NatTuple, Ref> m_pre;   ///< Tuples as seen at PREROUTING (original, reply).
    std::map<NatTuple, Ref> m_post;  ///< Tuples as seen at POSTROUTING.
    std::uint64_t m_nextId = 1;
};

}  // namespace nlab::engine
