#pragma once
// PacketBuilder: a fluent builder of test frames, independent of engine/codec.
//
// What
//   Builds real Ethernet frames for tests, layer by layer:
//     PacketBuilder().eth("fa:16:3e:32:28:af", "fa:16:3e:2a:46:e0").vlan(4)
//         .ipv4("10.10.10.7", "10.10.10.1").icmpEcho(1, 1, pattern(56)).build();
//     PacketBuilder().eth(src, "ff:ff:ff:ff:ff:ff").arp(1, src, "10.10.10.7",
//         "00:00:00:00:00:00", "10.10.10.1").build();
//     PacketBuilder().eth(mac, bcast).ipv4("0.0.0.0", "255.255.255.255")
//         .dhcp(DhcpSpec::discover(0x3903f326, mac)).build();
//     PacketBuilder().eth(a, b).ipv4(ip1, ip2).gre(0x1, innerFrame).build();
//
// Design
//   It writes every byte itself and computes lengths and checksums with its own few lines of
//   one's-complement arithmetic, sharing no code with the codecs, so tests that compare codec
//   output with builder output check one implementation against another. Everything is
//   computed in build(), so setters can be called in any order after the layer they modify.
//   Frames are zero-padded to 60 bytes unless noPad() is called.
//
// Invariants
//   Header-only; no engine code except the address value types of engine/packet/addresses.h.

#include "engine/packet/addresses.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nlab::engine::testing {

using ByteVector = std::vector<std::uint8_t>;

/// Bytes 0, 1, 2, ... (wrapping), the payload OVS and ping use.
inline ByteVector pattern(std::size_t n, std::uint8_t first = 0) {
    ByteVector v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<std::uint8_t>(first + i);
    return v;
}

/// Parses hex text ("fa163e 2a46e0", spaces, colons and newlines ignored). Throws on bad text.
inline ByteVector fromHex(std::string_view text) {
    ByteVector v;
    int hi = -1;
    for (char c : text) {
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (c == ' ' || c == ':' || c == '\n' || c == '\t')
            continue;
        else
            throw std::invalid_argument("fromHex: bad character");
        if (hi < 0) {
            hi = d;
        } else {
            v.push_back(static_cast<std::uint8_t>(hi * 16 + d));
            hi = -1;
        }
    }
    if (hi >= 0)
        throw std::invalid_argument("fromHex: odd number of digits");
    return v;
}

/// Lower-case hex of 'v' without separators.
inline std::string toHex(const ByteVector& v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    for (auto b : v) {
        s += kDigits[b >> 4];
        s += kDigits[b & 15];
    }
    return s;
}

inline std::uint64_t mac(std::string_view text) {
    auto m = MacAddress::parse(text);
    if (!m)
        throw std::invalid_argument("bad MAC " + std::string(text));
    return m->toU64();
}
inline std::uint32_t ip(std::string_view text) {
    auto a = Ipv4Address::parse(text);
    if (!a)
        throw std::invalid_argument("bad IPv4 " + std::string(text));
    return a->toU32();
}

/// What the DHCP layer of a frame holds. Options are written in the order given.
struct DhcpSpec {
    std::uint8_t op = 1;
    std::uint32_t xid = 0;
    std::uint64_t chaddr = 0;
    std::uint16_t flags = 0;
    std::uint32_t ciaddr = 0, yiaddr = 0, siaddr = 0, giaddr = 0;
    std::vector<std::pair<std::uint8_t, ByteVector>> options;
    bool end = true;  ///< Append option 255.

    DhcpSpec& option(std::uint8_t code, ByteVector data) {
        options.emplace_back(code, std::move(data));
        return *this;
    }
    DhcpSpec& optionIp(std::uint8_t code, std::uint32_t a) {
        return option(code, {std::uint8_t(a >> 24), std::uint8_t(a >> 16), std::uint8_t(a >> 8),
                             std::uint8_t(a)});
    }
    DhcpSpec& optionU32(std::uint8_t code, std::uint32_t v) { return optionIp(code, v); }

    /// A DISCOVER as udhcpc sends it: broadcast flag clear, message type, client id,
    /// parameter request list.
    static DhcpSpec discover(std::uint32_t xid, std::uint64_t clientMac) {
        DhcpSpec d;
        d.xid = xid;
        d.chaddr = clientMac;
        ByteVector cid{1};
        for (int i = 5; i >= 0; --i)
            cid.push_back(std::uint8_t(clientMac >> (8 * i)));
        d.option(53, {1}).option(61, cid).option(55, {1, 3, 6, 12, 15, 28, 42});
        return d;
    }
    /// An OFFER/ACK ('type' 2 or 5) from 'server' giving 'yiaddr' with the usual options.
    static DhcpSpec reply(std::uint8_t type, std::uint32_t xid, std::uint64_t clientMac,
                          std::uint32_t yiaddr, std::uint32_t server, std::uint32_t mask,
                          std::uint32_t router, std::uint32_t lease) {
        DhcpSpec d;
        d.op = 2;
        d.xid = xid;
        d.chaddr = clientMac;
        d.yiaddr = yiaddr;
        d.option(53, {type})
            .optionIp(54, server)
            .optionU32(51, lease)
            .optionIp(1, mask)
            .optionIp(3, router)
            .optionIp(6, server);
        return d;
    }
};

class PacketBuilder {
public:
    /// Ethernet source and destination (text or 48-bit values).
    PacketBuilder& eth(std::string_view src, std::string_view dst) {
        return eth(mac(src), mac(dst));
    }
    PacketBuilder& eth(std::uint64_t src, std::uint64_t dst) {
        m_src = src;
        m_dst = dst;
        return *this;
    }
    /// Adds a VLAN tag (outermost first).
    PacketBuilder& vlan(std::uint16_t vid, std::uint8_t pcp = 0, std::uint16_t tpid = 0x8100,
                        bool dei = false) {
        m_tags.push_back(
            Tag{tpid, std::uint16_t((pcp << 13) | (dei ? 0x1000 : 0) | (vid & 0xfff))});
        return *this;
    }
    /// EtherType (or 802.3 length) after the tags, for frames without an IPv4/ARP layer.
    PacketBuilder& etherType(std::uint16_t type) {
        m_type = type;
        return *this;
    }

    PacketBuilder& ipv4(std::string_view src, std::string_view dst, std::uint8_t ttl = 64) {
        return ipv4(ip(src), ip(dst), ttl);
    }
    PacketBuilder& ipv4(std::uint32_t src, std::uint32_t dst, std::uint8_t ttl = 64) {
        m_type = 0x0800;
        m_ip = Ip{};
        m_ip->src = src;
        m_ip->dst = dst;
        m_ip->ttl = ttl;
        return *this;
    }
    PacketBuilder& tos(std::uint8_t v) {
        return ipField([&](Ip& i) { i.tos = v; });
    }
    PacketBuilder& ipId(std::uint16_t v) {
        return ipField([&](Ip& i) { i.id = v; });
    }
    PacketBuilder& dontFragment(bool v = true) {
        return ipField([&](Ip& i) { i.df = v; });
    }
    /// Fragment fields: MF flag and offset in 8-byte units.
    PacketBuilder& fragment(bool more, std::uint16_t offsetUnits) {
        return ipField([&](Ip& i) {
            i.mf = more;
            i.fragOffset = offsetUnits;
        });
    }
    /// IPv4 options (padded with zeros to a multiple of 4).
    PacketBuilder& ipOptions(ByteVector opts) {
        return ipField([&](Ip& i) { i.options = std::move(opts); });
    }
    /// Raw IP protocol number and payload (no transport header).
    PacketBuilder& ipPayload(std::uint8_t proto, ByteVector payload) {
        m_l4 = L4::Raw;
        m_proto = proto;
        m_payload = std::move(payload);
        return *this;
    }
    /// Overrides the computed IPv4 total length / IHL, or spoils the header checksum.
    PacketBuilder& ipTotalLength(std::uint16_t v) {
        return ipField([&](Ip& i) { i.totalOverride = v; });
    }
    PacketBuilder& ipIhl(std::uint8_t words) {
        return ipField([&](Ip& i) { i.ihlOverride = words; });
    }
    PacketBuilder& badIpChecksum() {
        return ipField([&](Ip& i) { i.badChecksum = true; });
    }

    PacketBuilder& icmpEcho(std::uint16_t id, std::uint16_t seq, ByteVector payload = {},
                            bool reply = false) {
        return icmp(reply ? 0 : 8, 0, (std::uint32_t(id) << 16) | seq, std::move(payload));
    }
    /// Any ICMP message: type, code, the 4 rest-of-header bytes, body.
    PacketBuilder& icmp(std::uint8_t type, std::uint8_t code, std::uint32_t rest, ByteVector body) {
        m_l4 = L4::Icmp;
        m_proto = 1;
        m_icmpType = type;
        m_icmpCode = code;
        m_icmpRest = rest;
        m_payload = std::move(body);
        return *this;
    }
    PacketBuilder& udp(std::uint16_t sp, std::uint16_t dp, ByteVector payload = {}) {
        m_l4 = L4::Udp;
        m_proto = 17;
        m_sport = sp;
        m_dport = dp;
        m_payload = std::move(payload);
        return *this;
    }
    /// Leaves the UDP checksum zero (allowed over IPv4).
    PacketBuilder& udpNoChecksum() {
        m_udpChecksum = false;
        return *this;
    }
    /// Spoils the transport (ICMP/UDP/TCP/GRE-less) checksum by flipping a bit.
    PacketBuilder& badL4Checksum() {
        m_badL4 = true;
        return *this;
    }
    PacketBuilder& tcp(std::uint16_t sp, std::uint16_t dp, std::uint8_t flags = 0x02,
                       std::uint32_t seq = 0, std::uint32_t ack = 0, ByteVector payload = {},
                       std::uint16_t window = 65535) {
        m_l4 = L4::Tcp;
        m_proto = 6;
        m_sport = sp;
        m_dport = dp;
        m_tcpFlags = flags;
        m_seq = seq;
        m_ack = ack;
        m_window = window;
        m_payload = std::move(payload);
        return *this;
    }
    /// TCP options (padded with zeros to a multiple of 4).
    PacketBuilder& tcpOptions(ByteVector opts) {
        m_tcpOptions = std::move(opts);
        return *this;
    }
    PacketBuilder& arp(std::uint16_t op, std::string_view sha, std::string_view spa,
                       std::string_view tha, std::string_view tpa) {
        return arp(op, mac(sha), ip(spa), mac(tha), ip(tpa));
    }
    PacketBuilder& arp(std::uint16_t op, std::uint64_t sha, std::uint32_t spa, std::uint64_t tha,
                       std::uint32_t tpa) {
        m_type = 0x0806;
        m_ip.reset();
        ByteVector a;
        put16(a, 1);
        put16(a, 0x0800);
        a.push_back(6);
        a.push_back(4);
        put16(a, op);
        put48(a, sha);
        put32(a, spa);
        put48(a, tha);
        put32(a, tpa);
        m_l4 = L4::None;
        m_payload = std::move(a);
        return *this;
    }
    /// A DHCP message over UDP (68 -> 67 for requests, 67 -> 68 for replies).
    PacketBuilder& dhcp(const DhcpSpec& d) {
        ByteVector b;
        b.push_back(d.op);
        b.push_back(1);
        b.push_back(6);
        b.push_back(0);
        put32(b, d.xid);
        put16(b, 0);
        put16(b, d.flags);
        put32(b, d.ciaddr);
        put32(b, d.yiaddr);
        put32(b, d.siaddr);
        put32(b, d.giaddr);
        put48(b, d.chaddr);
        b.resize(236, 0);
        put32(b, 0x63825363);
        for (const auto& [code, data] : d.options) {
            b.push_back(code);
            b.push_back(std::uint8_t(data.size()));
            b.insert(b.end(), data.begin(), data.end());
        }
        if (d.end)
            b.push_back(255);
        if (b.size() < 300)
            b.resize(300, 0);
        return d.op == 1 ? udp(68, 67, std::move(b)) : udp(67, 68, std::move(b));
    }
    /// GRE with the key bit and 'key', protocol 0x6558, carrying 'inner'.
    PacketBuilder& gre(std::uint32_t key, ByteVector inner, std::uint16_t proto = 0x6558) {
        ByteVector g;
        put16(g, 0x2000);
        put16(g, proto);
        put32(g, key);
        g.insert(g.end(), inner.begin(), inner.end());
        return ipPayload(47, std::move(g));
    }
    /// VXLAN (I flag, 'vni') over UDP 'srcPort' -> 4789 with a zero UDP checksum.
    PacketBuilder& vxlan(std::uint32_t vni, ByteVector inner, std::uint16_t srcPort = 49152) {
        ByteVector v{0x08, 0, 0, 0};
        put32(v, vni << 8);
        v.insert(v.end(), inner.begin(), inner.end());
        udp(srcPort, 4789, std::move(v));
        return udpNoChecksum();
    }
    /// Raw bytes after the Ethernet header and tags (with etherType()).
    PacketBuilder& payload(ByteVector bytes) {
        m_payload = std::move(bytes);
        return *this;
    }
    PacketBuilder& noPad() {
        m_pad = false;
        return *this;
    }

    ByteVector build() const {
        ByteVector f;
        put48(f, m_dst);
        put48(f, m_src);
        for (const Tag& t : m_tags) {  // TPID in the type position, then the TCI.
            put16(f, t.tpid);
            put16(f, t.tci);
        }
        put16(f, m_type);
        if (m_ip) {
            const ByteVector l4 = transport();
            const Ip& i = *m_ip;
            ByteVector opts = i.options;
            opts.resize((opts.size() + 3) / 4 * 4, 0);
            const std::size_t hl = 20 + opts.size();
            const std::size_t at = f.size();
            f.push_back(std::uint8_t(0x40 | (i.ihlOverride ? *i.ihlOverride : hl / 4)));
            f.push_back(i.tos);
            put16(f, i.totalOverride ? *i.totalOverride : std::uint16_t(hl + l4.size()));
            put16(f, i.id);
            put16(f, std::uint16_t((i.df ? 0x4000 : 0) | (i.mf ? 0x2000 : 0) | i.fragOffset));
            f.push_back(i.ttl);
            f.push_back(m_proto);
            put16(f, 0);
            put32(f, i.src);
            put32(f, i.dst);
            f.insert(f.end(), opts.begin(), opts.end());
            std::uint16_t c = finish(sum(f, at, hl));
            if (i.badChecksum)
                c ^= 1;
            f[at + 10] = std::uint8_t(c >> 8);
            f[at + 11] = std::uint8_t(c);
            f.insert(f.end(), l4.begin(), l4.end());
        } else {
            f.insert(f.end(), m_payload.begin(), m_payload.end());
        }
        if (m_pad && f.size() < 60)
            f.resize(60, 0);
        return f;
    }

private:
    enum class L4 { None, Raw, Icmp, Udp, Tcp };
    struct Tag {
        std::uint16_t tpid;
        std::uint16_t tci;
    };
    struct Ip {
        std::uint32_t src = 0, dst = 0;
        std::uint8_t ttl = 64, tos = 0;
        std::uint16_t id = 0;
        bool df = false, mf = false;
        std::uint16_t fragOffset = 0;
        ByteVector options;
        std::optional<std::uint16_t> totalOverride;
        std::optional<std::uint8_t> ihlOverride;
        bool badChecksum = false;
    };

    template <typename F>
    PacketBuilder& ipField(F f) {
        if (!m_ip)
            throw std::logic_error("PacketBuilder: call ipv4() first");
        f(*m_ip);
        return *this;
    }

    static void put16(ByteVector& v, std::uint16_t x) {
        v.push_back(std::uint8_t(x >> 8));
        v.push_back(std::uint8_t(x));
    }
    static void put32(ByteVector& v, std::uint32_t x) {
        put16(v, std::uint16_t(x >> 16));
        put16(v, std::uint16_t(x));
    }
    static void put48(ByteVector& v, std::uint64_t x) {
        put16(v, std::uint16_t(x >> 32));
        put32(v, std::uint32_t(x));
    }
    /// One's-complement sum of v[at, at+n) as big-endian words, plus 'start'.
    static std::uint32_t sum(const ByteVector& v, std::size_t at, std::size_t n,
                             std::uint32_t start = 0) {
        std::uint64_t s = start;
        for (std::size_t i = 0; i < n; i += 2) {
            s += std::uint32_t(v[at + i]) << 8;
            if (i + 1 < n)
                s += v[at + i + 1];
        }
        while (s >> 16)
            s = (s & 0xffff) + (s >> 16);
        return std::uint32_t(s);
    }
    static std::uint16_t finish(std::uint32_t s) {
        while (s >> 16)
            s = (s & 0xffff) + (s >> 16);
        return std::uint16_t(~s);
    }
    std::uint32_t pseudo(std::size_t length) const {
        std::uint32_t s = (m_ip->src >> 16) + (m_ip->src & 0xffff) + (m_ip->dst >> 16) +
                          (m_ip->dst & 0xffff) + m_proto + std::uint32_t(length);
        while (s >> 16)
            s = (s & 0xffff) + (s >> 16);
        return s;
    }

    ByteVector transport() const {
        ByteVector t;
        switch (m_l4) {
            case L4::None:
            case L4::Raw:
                return m_payload;
            case L4::Icmp: {
                t.push_back(m_icmpType);
                t.push_back(m_icmpCode);
                put16(t, 0);
                put32(t, m_icmpRest);
                t.insert(t.end(), m_payload.begin(), m_payload.end());
                std::uint16_t c = finish(sum(t, 0, t.size()));
                if (m_badL4)
                    c ^= 1;
                t[2] = std::uint8_t(c >> 8);
                t[3] = std::uint8_t(c);
                return t;
            }
            case L4::Udp: {
                put16(t, m_sport);
                put16(t, m_dport);
                put16(t, std::uint16_t(8 + m_payload.size()));
                put16(t, 0);
                t.insert(t.end(), m_payload.begin(), m_payload.end());
                if (m_udpChecksum) {
                    std::uint16_t c = finish(sum(t, 0, t.size(), pseudo(t.size())));
                    if (c == 0)
                        c = 0xffff;
                    if (m_badL4)
                        c ^= 1;
                    t[6] = std::uint8_t(c >> 8);
                    t[7] = std::uint8_t(c);
                }
                return t;
            }
            case L4::Tcp: {
                ByteVector opts = m_tcpOptions;
                opts.resize((opts.size() + 3) / 4 * 4, 0);
                put16(t, m_sport);
                put16(t, m_dport);
                put32(t, m_seq);
                put32(t, m_ack);
                t.push_back(std::uint8_t(((20 + opts.size()) / 4) << 4));
                t.push_back(m_tcpFlags);
                put16(t, m_window);
                put16(t, 0);
                put16(t, 0);
                t.insert(t.end(), opts.begin(), opts.end());
                t.insert(t.end(), m_payload.begin(), m_payload.end());
                std::uint16_t c = finish(sum(t, 0, t.size(), pseudo(t.size())));
                if (m_badL4)
                    c ^= 1;
                t[16] = std::uint8_t(c >> 8);
                t[17] = std::uint8_t(c);
                return t;
            }
        }
        return t;
    }

    std::uint64_t m_src = 0, m_dst = 0;
    std::vector<Tag> m_tags;
    std::uint16_t m_type = 0;
    std::optional<Ip> m_ip;
    L4 m_l4 = L4::None;
    std::uint8_t m_proto = 0;
    std::uint8_t m_icmpType = 0, m_icmpCode = 0;
    std::uint32_t m_icmpRest = 0;
    std::uint16_t m_sport = 0, m_dport = 0;
    std::uint8_t m_tcpFlags = 0;
    std::uint32_t m_seq = 0, m_ack = 0;
    std::uint16_t m_window = 65535;
    ByteVector m_tcpOptions;
    bool m_udpChecksum = true;
    bool m_badL4 = false;
    ByteVector m_payload;
    bool m_pad = true;
};

}  // namespace nlab::engine::testing
