#include "engine/services/nat.h"

#include "engine/codec/ethernet.h"
#include "engine/codec/icmp.h"
#include "engine/codec/ipv4.h"
#include "engine/netns/net_namespace.h"

#include <utility>

namespace nlab::engine {

namespace {

constexpr std::uint8_t kIcmp = 1;
constexpr std::uint8_t kTcp = 6;
constexpr std::uint8_t kUdp = 17;
constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;

constexpr SimDuration kUdpTimeout = 30 * kSecond;
constexpr SimDuration kUdpStreamTimeout = 180 * kSecond;
constexpr SimDuration kIcmpTimeout = 30 * kSecond;

SimDuration tcpTimeout(TcpConnState s) {
    switch (s) {
    case TcpConnState::SynSent: return 120 * kSecond;
    case TcpConnState::SynRecv: return 60 * kSecond;
    case TcpConnState::Established: return 432000 * kSecond;
    case TcpConnState::FinWait: return 120 * kSecond;
    case TcpConnState::CloseWait: return 60 * kSecond;
    case TcpConnState::LastAck: return 30 * kSecond;
    case TcpConnState::TimeWait: return 120 * kSecond;
    case TcpConnState::Close: return 10 * kSecond;
    case TcpConnState::None: break;
    }
    return 10 * kSecond;
}

/// Where the headers of one IPv4 packet (a frame's, or one quoted by an ICMP error) are.
struct Layout {
    std::size_t ip = 0;   ///< Offset of the IPv4 header in the frame.
    std::size_t l4 = 0;   ///< Offset of the transport header.
    std::size_t end = 0;  ///< End of the IPv4 packet (or of the quoted bytes).
    std::uint8_t proto = 0;
};

std::uint16_t rd16(const std::vector<std::uint8_t>& f, std::size_t off) {
    return static_cast<std::uint16_t>((f[off] << 8) | f[off + 1]);
}
std::uint32_t rd32(const std::vector<std::uint8_t>& f, std::size_t off) {
    return (std::uint32_t{f[off]} << 24) | (std::uint32_t{f[off + 1]} << 16) |
           (std::uint32_t{f[off + 2]} << 8) | std::uint32_t{f[off + 3]};
}
void wr16(std::vector<std::uint8_t>& f, std::size_t off, std::uint16_t v) {
    f[off] = static_cast<std::uint8_t>(v >> 8);
    f[off + 1] = static_cast<std::uint8_t>(v);
}
void wr32(std::vector<std::uint8_t>& f, std::size_t off, std::uint32_t v) {
    wr16(f, off, static_cast<std::uint16_t>(v >> 16));
    wr16(f, off + 2, static_cast<std::uint16_t>(v));
}

/// The frame's own IPv4 packet: untagged IPv4, not a fragment.
std::optional<Layout> locate(const Packet& frame) {
    EthernetFrame eth;
    if (!parseEthernet(frame.bytes(), eth) || eth.tagCount != 0 ||
        eth.typeOrLength != kEtherTypeIpv4)
        return std::nullopt;
    Ipv4Datagram ip;
    if (!parseIpv4(eth.payload, ip) || ip.isFragment())
        return std::nullopt;
    Layout l;
    l.ip = eth.headerLength;
    l.l4 = l.ip + ip.headerLength;
    l.end = l.ip + ip.totalLength;
    l.proto = ip.protocol();
    return l;
}

/// Offset of the checksum a rewrite of this packet must adjust, if it is present.
std::optional<std::size_t> l4ChecksumOffset(const Layout& l) {
    switch (l.proto) {
    case kTcp:
        if (l.l4 + 20 <= l.end)  // Linux adjusts only a complete TCP header
            return l.l4 + 16;
        return std::nullopt;
    case kUdp:
        if (l.l4 + 8 <= l.end)
            return l.l4 + 6;
        return std::nullopt;
    case kIcmp:
        if (l.l4 + 8 <= l.end)
            return l.l4 + 2;
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

/// Adjusts the L4 checksum at 'off' (UDP: a zero checksum stays zero, a result of zero is
/// sent as 0xffff).
template <typename Update>
void adjustL4(std::vector<std::uint8_t>& f, const Layout& l, Update update) {
    const auto off = l4ChecksumOffset(l);
    if (!off)
        return;
    const std::uint16_t old = rd16(f, *off);
    if (l.proto == kUdp && old == 0)
        return;
    std::uint16_t now = update(old);
    if (l.proto == kUdp && now == 0)
        now = 0xffff;
    wr16(f, *off, now);
}

/// Rewrites the source ('src') or destination address of the packet at 'l' and, when
/// given, its port on that side (TCP/UDP) or its echo id (ICMP).
void rewrite(std::vector<std::uint8_t>& f, const Layout& l, bool src, std::uint32_t addr,
             std::optional<std::uint16_t> port) {
    const std::size_t aoff = l.ip + (src ? 12 : 16);
    const std::uint32_t oldAddr = rd32(f, aoff);
    if (oldAddr != addr) {
        wr32(f, aoff, addr);
        wr16(f, l.ip + 10, checksumUpdate32(rd16(f, l.ip + 10), oldAddr, addr));
        if (l.proto == kTcp || l.proto == kUdp)
            adjustL4(f, l, [&](std::uint16_t c) { return checksumUpdate32(c, oldAddr, addr); });
    }
    if (!port)
        return;
    std::size_t poff = 0;
    if (l.proto == kTcp || l.proto == kUdp)
        poff = l.l4 + (src ? 0 : 2);
    else if (l.proto == kIcmp)
        poff = l.l4 + 4;
    else
        return;
    if (poff + 2 > l.end)
        return;
    const std::uint16_t oldPort = rd16(f, poff);
    if (oldPort == *port)
        return;
    wr16(f, poff, *port);
    adjustL4(f, l, [&](std::uint16_t c) { return checksumUpdate16(c, oldPort, *port); });
}

bool isTcpUdp(std::uint8_t proto) { return proto == kTcp || proto == kUdp; }

/// The tuple of the packet at 'l' (TCP/UDP ports, or ICMP echo id and type).
std::optional<NatTuple> tupleAt(const std::vector<std::uint8_t>& f, const Layout& l) {
    NatTuple t;
    t.src = rd32(f, l.ip + 12);
    t.dst = rd32(f, l.ip + 16);
    t.proto = l.proto;
    if (isTcpUdp(l.proto)) {
        if (l.l4 + 4 > l.end)
            return std::nullopt;
        t.srcPort = rd16(f, l.l4);
        t.dstPort = rd16(f, l.l4 + 2);
        return t;
    }
    if (l.proto == kIcmp) {
        if (l.l4 + 8 > l.end)
            return std::nullopt;
        const std::uint8_t type = f[l.l4];
        if (type != icmp_type::kEchoRequest && type != icmp_type::kEchoReply)
            return std::nullopt;
        t.srcPort = rd16(f, l.l4 + 4);
        t.dstPort = type;
        return t;
    }
    return std::nullopt;
}

NatTuple invert(const NatTuple& t) {
    NatTuple r;
    r.src = t.dst;
    r.dst = t.src;
    r.proto = t.proto;
    if (t.proto == kIcmp) {
        r.srcPort = t.srcPort;
        r.dstPort = t.dstPort == icmp_type::kEchoRequest ? icmp_type::kEchoReply
                                                          : icmp_type::kEchoRequest;
    } else {
        r.srcPort = t.dstPort;
        r.dstPort = t.srcPort;
    }
    return r;
}

std::uint32_t maskOf(int prefix) { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }

std::string tupleText(const NatTuple& t) {
    std::string s = "src=" + formatIpv4(t.src) + " dst=" + formatIpv4(t.dst) + " ";
    if (t.proto == kIcmp)
        s += "type=" + std::to_string(t.dstPort) + " code=0 id=" + std::to_string(t.srcPort);
    else
        s += "sport=" + std::to_string(t.srcPort) + " dport=" + std::to_string(t.dstPort);
    return s;
}

}  // namespace

std::string_view toString(TcpConnState state) {
    switch (state) {
    case TcpConnState::None: return "NONE";
    case TcpConnState::SynSent: return "SYN_SENT";
    case TcpConnState::SynRecv: return "SYN_RECV";
    case TcpConnState::Established: return "ESTABLISHED";
    case TcpConnState::FinWait: return "FIN_WAIT";
    case TcpConnState::CloseWait: return "CLOSE_WAIT";
    case TcpConnState::LastAck: return "LAST_ACK";
    case TcpConnState::TimeWait: return "TIME_WAIT";
    case TcpConnState::Close: return "CLOSE";
    }
    return "";
}

Nat::Nat(SimClock& clock) : m_clock(clock) {}

void Nat::setGateway(std::string externalDevice, Ipv4Address gatewayAddress) {
    m_external = std::move(externalDevice);
    m_gateway = gatewayAddress;
}

Status Nat::addInternalSubnet(Ipv4Address network, int prefixLength) {
    if (prefixLength < 0 || prefixLength > 32)
        return Status::fail(ErrorCode::InvalidArgument,
                            "iptables: invalid mask `" + std::to_string(prefixLength) + "'");
    if ((network.toU32() & ~maskOf(prefixLength)) != 0)
        return Status::fail(ErrorCode::InvalidArgument,
                            "nat: " + network.toString() + "/" + std::to_string(prefixLength) +
                                " has host bits set");
    for (const auto& s : m_subnets)
        if (s.network == network.toU32() && s.prefixLength == prefixLength)
            return Status::fail(ErrorCode::AlreadyExists,
                                "nat: SNAT rule for " + network.toString() + "/" +
                                    std::to_string(prefixLength) + " exists");
    m_subnets.push_back({network.toU32(), prefixLength});
    return {};
}

Status Nat::addFloatingIp(Ipv4Address floating, Ipv4Address fixed) {
    for (const auto& f : m_floating)
        if (f.floating == floating || f.fixed == fixed)
            return Status::fail(ErrorCode::AlreadyExists,
                                "nat: " + (f.floating == floating ? floating : fixed).toString() +
                                    " already has a floating IP mapping");
    m_floating.push_back({floating, fixed});
    return {};
}

Status Nat::removeFloatingIp(Ipv4Address floating) {
    for (auto it = m_floating.begin(); it != m_floating.end(); ++it) {
        if (it->floating != floating)
            continue;
        std::vector<std::uint64_t> gone;
        for (const auto& [id, c] : m_conns)
            if ((c.dstNat && c.original.dst == floating.toU32()) ||
                (c.srcNat && c.reply.dst == floating.toU32()))
                gone.push_back(id);
        for (auto id : gone)
            erase(id);
        m_floating.erase(it);
        return {};
    }
    return Status::fail(ErrorCode::NotFound, "nat: no floating IP " + floating.toString());
}

void Nat::install(NetNamespace& ns) {
    ns.setNatHook([this](HookPoint point, Packet& frame, const NetDevice* in,
                         const NetDevice* out) {
        const std::string_view inName = in ? std::string_view(in->name()) : std::string_view();
        const std::string_view outName = out ? std::string_view(out->name()) : std::string_view();
        return point == HookPoint::Prerouting ? prerouting(frame, inName)
                                              : postrouting(frame, inName, outName);
    });
}

// ---- Connection table ----

namespace {

/// The tuples a connection's packets have at POSTROUTING (after PREROUTING's translation).
std::pair<NatTuple, NatTuple> postKeys(const NatConnection& c) {
    NatTuple o;
    NatTuple r;
    o.proto = r.proto = c.original.proto;
    o.src = c.original.src;
    o.dst = c.reply.src;
    r.src = c.reply.src;
    r.dst = c.original.src;
    if (c.original.proto == kIcmp) {
        o.srcPort = r.srcPort = c.original.srcPort;
        o.dstPort = icmp_type::kEchoRequest;
        r.dstPort = icmp_type::kEchoReply;
    } else {
        o.srcPort = c.original.srcPort;
        o.dstPort = c.reply.srcPort;
        r.srcPort = c.reply.srcPort;
        r.dstPort = c.original.srcPort;
    }
    return {o, r};
}

}  // namespace

void Nat::indexConnection(const NatConnection& c) {
    m_pre[c.original] = {c.id, Dir::Original};
    m_pre[c.reply] = {c.id, Dir::Reply};
    const auto [o, r] = postKeys(c);
    m_post[o] = {c.id, Dir::Original};
    m_post[r] = {c.id, Dir::Reply};
}

void Nat::unindexConnection(const NatConnection& c) {
    const auto drop = [&](std::map<NatTuple, Ref>& index, const NatTuple& key) {
        auto it = index.find(key);
        if (it != index.end() && it->second.id == c.id)
            index.erase(it);
    };
    drop(m_pre, c.original);
    drop(m_pre, c.reply);
    const auto [o, r] = postKeys(c);
    drop(m_post, o);
    drop(m_post, r);
}

void Nat::erase(std::uint64_t id) {
    auto it = m_conns.find(id);
    if (it == m_conns.end())
        return;
    unindexConnection(it->second);
    m_conns.erase(it);
}

NatConnection* Nat::find(const std::map<NatTuple, Ref>& index, const NatTuple& key, Dir& dir) {
    auto it = index.find(key);
    if (it == index.end())
        return nullptr;
    const Ref ref = it->second;
    auto c = m_conns.find(ref.id);
    if (c == m_conns.end())
        return nullptr;
    if (c->second.expires <= m_clock.now()) {
        erase(ref.id);
        return nullptr;
    }
    dir = ref.dir;
    return &c->second;
}

NatConnection& Nat::create(const NatTuple& original) {
    NatConnection c;
    c.id = m_nextId++;
    c.original = original;
    c.reply = invert(original);
    c.expires = m_clock.now();
    auto [it, inserted] = m_conns.emplace(c.id, c);
    indexConnection(it->second);
    return it->second;
}

bool Nat::replyTupleTaken(const NatTuple& reply) const {
    auto it = m_pre.find(reply);
    if (it == m_pre.end())
        return false;
    auto c = m_conns.find(it->second.id);
    return c != m_conns.end() && c->second.expires > m_clock.now();
}

void Nat::decideSnat(NatConnection& c, std::string_view in, std::string_view out) {
    c.snatDecided = true;
    if (m_external.empty())
        return;
    // neutron-l3-agent-POSTROUTING ! -i qg ! -o qg -m conntrack ! --ctstate DNAT -j ACCEPT
    if (in != m_external && out != m_external && !c.dstNat)
        return;
    std::uint32_t newSrc = 0;
    for (const auto& f : m_floating)  // neutron-l3-agent-float-snat comes first
        if (f.fixed.toU32() == c.original.src) {
            newSrc = f.floating.toU32();
            break;
        }
    if (newSrc == 0)
        for (const auto& s : m_subnets)
            if ((c.original.src & maskOf(s.prefixLength)) == s.network) {
                newSrc = m_gateway.toU32();
                break;
            }
    if (newSrc == 0)
        return;
    unindexConnection(c);
    const NatTuple before = c.reply;
    NatTuple cand = c.reply;
    cand.dst = newSrc;
    if (replyTupleTaken(cand)) {
        // Another port (or echo id) of the same class, the next free one above the original.
        const bool icmp = c.original.proto == kIcmp;
        const std::uint32_t port = c.original.srcPort;
        std::uint32_t lo = 0;
        std::uint32_t hi = 65535;
        if (!icmp) {
            if (port < 512) {
                lo = 1;
                hi = 511;
            } else if (port < 1024) {
                lo = 600;
                hi = 1023;
            } else {
                lo = 1024;
            }
        }
        const std::uint32_t range = hi - lo + 1;
        const std::uint32_t base = port >= lo && port <= hi ? port - lo : 0;
        for (std::uint32_t i = 1; i <= range; ++i) {
            const auto p = static_cast<std::uint16_t>(lo + (base + i) % range);
            if (icmp)
                cand.srcPort = p;
            else
                cand.dstPort = p;
            if (!replyTupleTaken(cand))
                break;
        }
    }
    c.reply = cand;
    c.srcNat = cand != before;
    indexConnection(c);
}

void Nat::updateState(NatConnection& c, Dir dir, std::uint16_t tcpFlags) {
    const SimTime now = m_clock.now();
    switch (c.original.proto) {
    case kUdp:
        if (c.seenReply) {
            c.expires = now + kUdpStreamTimeout;
            c.assured = true;
        } else {
            c.expires = now + kUdpTimeout;
        }
        break;
    case kIcmp:
        c.expires = now + kIcmpTimeout;
        break;
    case kTcp: {
        const bool syn = (tcpFlags & 0x02) != 0;
        const bool ack = (tcpFlags & 0x10) != 0;
        const bool fin = (tcpFlags & 0x01) != 0;
        const bool rst = (tcpFlags & 0x04) != 0;
        const std::uint8_t from = dir == Dir::Original ? 1 : 2;
        if (rst) {
            c.tcp = TcpConnState::Close;
        } else {
            switch (c.tcp) {
            case TcpConnState::None:
                c.tcp = syn && !ack ? TcpConnState::SynSent : TcpConnState::Established;
                break;
            case TcpConnState::SynSent:
                if (dir == Dir::Reply && syn && ack)
                    c.tcp = TcpConnState::SynRecv;
                break;
            case TcpConnState::SynRecv:
                if (dir == Dir::Original && ack && !syn) {
                    c.tcp = TcpConnState::Established;
                    c.assured = true;
                }
                break;
            case TcpConnState::Established:
                if (fin) {
                    c.tcp = TcpConnState::FinWait;
                    c.finFrom = from;
                }
                break;
            case TcpConnState::FinWait:
            case TcpConnState::CloseWait:
                if (fin && from != c.finFrom)
                    c.tcp = TcpConnState::LastAck;
                break;
            case TcpConnState::LastAck:
                if (ack && !fin && from == c.finFrom)
                    c.tcp = TcpConnState::TimeWait;
                break;
            case TcpConnState::TimeWait:
            case TcpConnState::Close:
                if (syn && !ack && dir == Dir::Original)
                    c.tcp = TcpConnState::SynSent;
                break;
            }
        }
        c.expires = now + tcpTimeout(c.tcp);
        break;
    }
    default:
        break;
    }
    if (dir == Dir::Reply)
        c.seenReply = true;
}

// ---- Hooks ----

namespace {

std::uint16_t tcpFlagsAt(const std::vector<std::uint8_t>& f, const Layout& l) {
    if (l.proto != kTcp || l.l4 + 14 > l.end)
        return 0;
    return static_cast<std::uint16_t>(((f[l.l4 + 12] & 1) << 8) | f[l.l4 + 13]);
}

}  // namespace

bool Nat::prerouting(Packet& frame, std::string_view in) {
    const auto l = locate(frame);
    if (!l)
        return true;
    auto& f = frame.data();
    if (l->proto == kIcmp && l->l4 < l->end && icmpTypeIsError(f[l->l4]))
        return handleIcmpError(frame, true, in, {});
    const auto t = tupleAt(f, *l);
    if (!t)
        return true;
    Dir dir = Dir::Original;
    NatConnection* c = find(m_pre, *t, dir);
    if (!c) {
        if (t->proto == kIcmp && t->dstPort != icmp_type::kEchoRequest)
            return true;  // an echo reply with no request: untracked
        c = &create(*t);
        // neutron-l3-agent-PREROUTING: -d FLOATING/32 -j DNAT --to-destination FIXED
        for (const auto& fip : m_floating) {
            if (fip.floating.toU32() == t->dst) {
                unindexConnection(*c);
                c->reply.src = fip.fixed.toU32();
                c->dstNat = true;
                indexConnection(*c);
                break;
            }
        }
    }
    updateState(*c, dir, tcpFlagsAt(f, *l));
    const bool tcpUdp = isTcpUdp(l->proto);
    if (dir == Dir::Original && c->dstNat)
        rewrite(f, *l, false, c->reply.src,
                tcpUdp ? std::optional<std::uint16_t>(c->reply.srcPort) : std::nullopt);
    else if (dir == Dir::Reply && c->srcNat)
        rewrite(f, *l, false, c->original.src, c->original.srcPort);
    return true;
}

bool Nat::postrouting(Packet& frame, std::string_view in, std::string_view out) {
    const auto l = locate(frame);
    if (!l)
        return true;
    auto& f = frame.data();
    if (l->proto == kIcmp && l->l4 < l->end && icmpTypeIsError(f[l->l4]))
        return handleIcmpError(frame, false, in, out);
    const auto t = tupleAt(f, *l);
    if (!t)
        return true;
    Dir dir = Dir::Original;
    NatConnection* c = find(m_post, *t, dir);
    if (!c) {
        if (t->proto == kIcmp && t->dstPort != icmp_type::kEchoRequest)
            return true;
        c = &create(*t);  // sent by the namespace itself
        dir = Dir::Original;
        updateState(*c, dir, tcpFlagsAt(f, *l));
    } else if (in.empty()) {
        updateState(*c, dir, tcpFlagsAt(f, *l));  // local packets skip PREROUTING
    }
    if (dir == Dir::Original && !c->snatDecided)
        decideSnat(*c, in, out);
    const bool tcpUdp = isTcpUdp(l->proto);
    if (dir == Dir::Original && c->srcNat)
        rewrite(f, *l, true, c->reply.dst, tcpUdp ? c->reply.dstPort : c->reply.srcPort);
    else if (dir == Dir::Reply && c->dstNat)
        rewrite(f, *l, true, c->original.dst,
                tcpUdp ? std::optional<std::uint16_t>(c->original.dstPort) : std::nullopt);
    return true;
}

bool Nat::handleIcmpError(Packet& frame, bool pre, std::string_view, std::string_view) {
    const auto outer = locate(frame);
    auto& f = frame.data();
    if (!outer || outer->l4 + 8 + kIpv4HeaderLength > outer->end)
        return true;
    Layout inner;
    inner.ip = outer->l4 + 8;
    if ((f[inner.ip] >> 4) != 4 || (f[inner.ip] & 0x0f) < 5)
        return true;
    inner.l4 = inner.ip + std::size_t{f[inner.ip] & 0x0fU} * 4;
    inner.end = outer->end;
    inner.proto = f[inner.ip + 9];
    if (inner.l4 > inner.end)
        return true;
    const auto q = tupleAt(f, inner);
    if (!q)
        return true;
    Dir dir = Dir::Original;
    NatConnection* c = find(pre ? m_pre : m_post, invert(*q), dir);
    if (!c)
        return true;
    const bool tcpUdp = isTcpUdp(q->proto);
    // The NAT this direction undoes or applies (nf_nat_icmp_reply_translation's status bit).
    const bool applies = pre ? (dir == Dir::Original ? c->dstNat : c->srcNat)
                             : (dir == Dir::Original ? c->srcNat : c->dstNat);
    if (!applies)
        return true;
    // The quoted packet travelled the other way: it gets the opposite manipulation, with
    // the tuple of the other direction.
    const NatTuple& other = dir == Dir::Original ? c->reply : c->original;
    if (pre) {
        rewrite(f, *outer, false, dir == Dir::Original ? c->reply.src : c->original.src,
                std::nullopt);
        rewrite(f, inner, true, other.src, other.srcPort);
    } else {
        rewrite(f, *outer, true, dir == Dir::Original ? c->reply.dst : c->original.dst,
                std::nullopt);
        rewrite(f, inner, false, other.dst,
                tcpUdp ? other.dstPort : other.srcPort);
    }
    // The ICMP checksum covers the quoted bytes: recompute it over the whole message.
    wr16(f, outer->l4 + 2, 0);
    wr16(f, outer->l4 + 2,
         internetChecksum(std::span<const std::uint8_t>(f).subspan(outer->l4,
                                                                  outer->end - outer->l4)));
    return true;
}

// ---- Listings ----

std::vector<NatConnection> Nat::connections() const {
    std::vector<NatConnection> out;
    for (const auto& [id, c] : m_conns)
        if (c.expires > m_clock.now())
            out.push_back(c);
    return out;
}

void Nat::flushConnections() {
    m_conns.clear();
    m_pre.clear();
    m_post.clear();
}

std::string Nat::rulesText() const {
    std::string s =
        "-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n"
        "-N neutron-l3-agent-OUTPUT\n-N neutron-l3-agent-POSTROUTING\n"
        "-N neutron-l3-agent-PREROUTING\n-N neutron-l3-agent-float-snat\n"
        "-N neutron-l3-agent-snat\n-N neutron-postrouting-bottom\n"
        "-A PREROUTING -j neutron-l3-agent-PREROUTING\n"
        "-A OUTPUT -j neutron-l3-agent-OUTPUT\n"
        "-A POSTROUTING -j neutron-l3-agent-POSTROUTING\n"
        "-A POSTROUTING -j neutron-postrouting-bottom\n";
    if (!m_external.empty())
        s += "-A neutron-l3-agent-POSTROUTING ! -i " + m_external + " ! -o " + m_external +
             " -m conntrack ! --ctstate DNAT -j ACCEPT\n";
    for (const auto& f : m_floating)
        s += "-A neutron-l3-agent-PREROUTING -d " + f.floating.toString() +
             "/32 -j DNAT --to-destination " + f.fixed.toString() + "\n";
    for (const auto& f : m_floating)
        s += "-A neutron-l3-agent-float-snat -s " + f.fixed.toString() +
             "/32 -j SNAT --to-source " + f.floating.toString() + "\n";
    s += "-A neutron-l3-agent-snat -j neutron-l3-agent-float-snat\n";
    if (!m_external.empty())
        for (const auto& sub : m_subnets)
            s += "-A neutron-l3-agent-snat -s " + formatIpv4(sub.network) + "/" +
                 std::to_string(sub.prefixLength) + " -j SNAT --to-source " +
                 m_gateway.toString() + "\n";
    s += "-A neutron-postrouting-bottom -j neutron-l3-agent-snat\n";
    return s;
}

std::string Nat::conntrackText() const {
    std::string s;
    const SimTime now = m_clock.now();
    for (const auto& c : connections()) {
        const std::string_view name = c.original.proto == kTcp   ? "tcp"
                                      : c.original.proto == kUdp ? "udp"
                                                                 : "icmp";
        // conntrack-tools: "%-8s %u %lu " (name, protocol number, seconds left).
        std::string line(name);
        line.resize(8, ' ');
        line += " " + std::to_string(c.original.proto) + " " +
                std::to_string((c.expires - now) / kSecond) + " ";
        if (c.original.proto == kTcp)
            line += std::string(toString(c.tcp)) + " ";
        line += tupleText(c.original) + " ";
        if (!c.seenReply)
            line += "[UNREPLIED] ";
        line += tupleText(c.reply) + " ";
        if (c.assured)
            line += "[ASSURED] ";
        line += "mark=0 use=1\n";
        s += line;
    }
    return s;
}

}  // namespace nlab::engine
