#include "engine/console/tcpdump_command.h"

#include "engine/capture/pcap_writer.h"
#include "engine/console/shell.h"
#include "engine/packet/addresses.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nlab::engine {
namespace {

using Bytes = std::span<const std::uint8_t>;

std::string sformat(const char* fmt, auto... args) {
    char buf[256];
    const int n = std::snprintf(buf, sizeof buf, fmt, args...);
    if (n < 0)
        return {};
    return std::string(buf, std::size_t(std::min<int>(n, int(sizeof buf) - 1)));
}

std::uint16_t be16(Bytes b, std::size_t at) {
    return std::uint16_t((b[at] << 8) | b[at + 1]);
}
std::uint32_t be32(Bytes b, std::size_t at) {
    return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) |
           (std::uint32_t(b[at + 2]) << 8) | b[at + 3];
}
std::string ip4(Bytes b, std::size_t at) {
    return formatIpv4(be32(b, at));
}
std::string mac(Bytes b, std::size_t at) {
    std::uint64_t v = 0;
    for (int i = 0; i < 6; ++i)
        v = (v << 8) | b[at + std::size_t(i)];
    return formatMac(v);
}

std::string ethertypeName(std::uint16_t t) {
    switch (t) {
        case 0x0800:
            return "IPv4";
        case 0x0806:
            return "ARP";
        case 0x8035:
            return "Reverse ARP";
        case 0x8100:
            return "802.1Q";
        case 0x86dd:
            return "IPv6";
        case 0x88a8:
            return "802.1Q-QinQ";
        case 0x88cc:
            return "LLDP";
        case 0x6558:
            return "TEB";
        default:
            return {};
    }
}

std::string ipProtoName(std::uint8_t p) {
    switch (p) {
        case 1:
            return "ICMP";
        case 2:
            return "IGMP";
        case 6:
            return "TCP";
        case 17:
            return "UDP";
        case 47:
            return "GRE";
        case 50:
            return "ESP";
        case 51:
            return "AH";
        case 132:
            return "SCTP";
        default:
            return "unknown";
    }
}

std::string portString(std::uint16_t port, bool udp, const TcpdumpFormat& f) {
    if (!f.numeric) {
        static const std::map<std::uint16_t, const char*> kUdp = {
            {53, "domain"}, {67, "bootps"},      {68, "bootpc"}, {69, "tftp"},
            {123, "ntp"},   {137, "netbios-ns"}, {161, "snmp"},  {514, "syslog"}};
        static const std::map<std::uint16_t, const char*> kTcp = {
            {21, "ftp"},    {22, "ssh"},  {23, "telnet"}, {25, "smtp"},
            {53, "domain"}, {80, "http"}, {443, "https"}};
        const auto& m = udp ? kUdp : kTcp;
        if (auto it = m.find(port); it != m.end())
            return it->second;
    }
    return std::to_string(port);
}

void etherPrint(Bytes p, const TcpdumpFormat& f, std::string& out, int depth);
void ipPrint(Bytes p, const TcpdumpFormat& f, std::string& out, int depth);

void icmpPrint(Bytes ip, std::size_t hlen, Bytes icmp, std::string& out) {
    if (icmp.size() < 4) {
        out += "[|icmp]";
        return;
    }
    const std::uint8_t type = icmp[0], code = icmp[1];
    std::string s;
    switch (type) {
        case 0:
        case 8:
            if (icmp.size() < 8) {
                out += "[|icmp]";
                return;
            }
            s = sformat("echo %s, id %u, seq %u", type == 8 ? "request" : "reply",
                        unsigned(be16(icmp, 4)), unsigned(be16(icmp, 6)));
            break;
        case 3: {
            // The quoted datagram names the unreachable destination.
            const bool quoted = icmp.size() >= 8 + 20;
            const std::string dst = quoted ? ip4(icmp, 8 + 16) : std::string("?");
            switch (code) {
                case 0:
                    s = "net " + dst + " unreachable";
                    break;
                case 1:
                    s = "host " + dst + " unreachable";
                    break;
                case 2:
                    s = dst + " protocol " + (quoted ? std::to_string(icmp[8 + 9]) : "?") +
                        " unreachable";
                    break;
                case 3: {
                    const std::size_t ihl = quoted ? std::size_t(icmp[8] & 0x0f) * 4 : 0;
                    if (quoted && icmp.size() >= 8 + ihl + 4) {
                        const std::uint8_t proto = icmp[8 + 9];
                        const std::uint16_t port = be16(icmp, 8 + ihl + 2);
                        s = dst + " " +
                            (proto == 6    ? "tcp"
                             : proto == 17 ? "udp"
                                           : "ip") +
                            " port " + std::to_string(port) + " unreachable";
                    } else {
                        s = dst + " port unreachable";
                    }
                    break;
                }
                case 4:
                    s = dst + " unreachable - need to frag (mtu " + std::to_string(be16(icmp, 6)) +
                        ")";
                    break;
                default:
                    s = dst + " unreachable - #" + std::to_string(code);
                    break;
            }
            break;
        }
        case 11:
            s = code == 0 ? "time exceeded in-transit" : "ip reassembly time exceeded";
            break;
        default:
            s = "type-#" + std::to_string(type);
            break;
    }
    (void)ip;
    (void)hlen;
    out += "ICMP " + s + ", length " + std::to_string(icmp.size());
}

void grePrint(Bytes g, const TcpdumpFormat& f, std::string& out, int depth) {
    const std::size_t length = g.size();
    if (length < 2) {
        out += "[|gre]";
        return;
    }
    const std::uint16_t flags = be16(g, 0);
    const unsigned vers = flags & 7;
    out += "GREv" + std::to_string(vers);
    if (vers != 0) {
        out += " ERROR: unknown-version";
        return;
    }
    if (f.verbose) {
        std::string names;
        auto add = [&](std::uint16_t bit, const char* name) {
            if (flags & bit)
                names += (names.empty() ? "" : ", ") + std::string(name);
        };
        add(0x8000, "checksum present");
        add(0x4000, "routing present");
        add(0x2000, "key present");
        add(0x1000, "seq present");
        out += ", Flags [" + (names.empty() ? std::string("none") : names) + "]";
    }
    std::size_t at = 2;
    if (g.size() < at + 2) {
        out += "[|gre]";
        return;
    }
    const std::uint16_t proto = be16(g, at);
    at += 2;
    if (flags & 0xc000) {
        if (g.size() < at + 4) {
            out += "[|gre]";
            return;
        }
        if (f.verbose)
            out += sformat(", sum 0x%x", unsigned(be16(g, at)));
        out += sformat(", off 0x%x", unsigned(be16(g, at + 2)));
        at += 4;
    }
    if (flags & 0x2000) {
        if (g.size() < at + 4) {
            out += "[|gre]";
            return;
        }
        out += sformat(", key=0x%x", be32(g, at));
        at += 4;
    }
    if (flags & 0x1000) {
        if (g.size() < at + 4) {
            out += "[|gre]";
            return;
        }
        out += sformat(", seq %u", be32(g, at));
        at += 4;
    }
    if (f.linkHeader) {
        const std::string n = ethertypeName(proto);
        out += sformat(", proto %s (0x%04x)", n.empty() ? "unknown" : n.c_str(), unsigned(proto));
    }
    out += ", length " + std::to_string(length);
    out += f.verbose < 1 ? ": " : "\n\t";
    Bytes inner = g.subspan(at);
    switch (proto) {
        case 0x0800:
            ipPrint(inner, f, out, depth + 1);
            break;
        case 0x6558:
            etherPrint(inner, f, out, depth + 1);
            break;
        default:
            out += sformat("gre-proto-0x%x", unsigned(proto));
            break;
    }
}

void udpPrint(Bytes ip, std::size_t hlen, Bytes seg, const TcpdumpFormat& f, std::string& out) {
    const std::string src = ip4(ip, 12), dst = ip4(ip, 16);
    if (seg.size() < 8) {
        out += src + " > " + dst + ": [|udp]";
        return;
    }
    (void)hlen;
    const std::uint16_t sport = be16(seg, 0), dport = be16(seg, 2), ulen = be16(seg, 4);
    out += src + "." + portString(sport, true, f) + " > " + dst + "." + portString(dport, true, f) +
           ": ";
    const std::size_t payload = ulen >= 8 ? std::size_t(ulen) - 8 : 0;
    Bytes data = seg.subspan(8, std::min(payload, seg.size() - 8));
    const bool bootp = sport == 67 || sport == 68 || dport == 67 || dport == 68;
    if (bootp && !data.empty()) {
        out += "BOOTP/DHCP, ";
        const std::uint8_t op = data[0];
        out += op == 1 ? "Request" : op == 2 ? "Reply" : sformat("unknown (0x%02x)", unsigned(op));
        if (op == 1 && data.size() >= 28 + 6 && data[1] == 1 && data[2] == 6) {
            out += " from " + mac(data, 28);
        }
        out += ", length " + std::to_string(payload);
        return;
    }
    out += "UDP, length " + std::to_string(payload);
}

void tcpPrint(Bytes ip, Bytes seg, const TcpdumpFormat& f, std::string& out) {
    const std::string src = ip4(ip, 12), dst = ip4(ip, 16);
    if (seg.size() < 20) {
        out += src + " > " + dst + ": [|tcp]";
        return;
    }
    const std::uint16_t sport = be16(seg, 0), dport = be16(seg, 2);
    const std::uint32_t seq = be32(seg, 4), ack = be32(seg, 8);
    const std::size_t off = std::size_t(seg[12] >> 4) * 4;
    const std::uint8_t fl = seg[13];
    std::string flags;
    if (fl & 0x02)
        flags += "S";
    if (fl & 0x01)
        flags += "F";
    if (fl & 0x08)
        flags += "P";
    if (fl & 0x04)
        flags += "R";
    if (fl & 0x20)
        flags += "U";
    if (fl & 0x10)
        flags += ".";
    if (flags.empty())
        flags = "none";
    const std::size_t len = seg.size() > off ? seg.size() - off : 0;
    out += src + "." + portString(sport, false, f) + " > " + dst + "." +
           portString(dport, false, f) + ": Flags [" + flags + "]";
    if (len || (fl & 0x07))
        out += sformat(", seq %u", seq);
    if (fl & 0x10)
        out += sformat(", ack %u", ack);
    out += sformat(", win %u", unsigned(be16(seg, 14)));
    out += ", length " + std::to_string(len);
}

void ipPrint(Bytes p, const TcpdumpFormat& f, std::string& out, int depth) {
    if (p.empty() || (p[0] >> 4) != 4) {
        out += sformat("IP%u ", p.empty() ? 0u : unsigned(p[0] >> 4));
        return;
    }
    if (!f.linkHeader)
        out += "IP ";
    if (p.size() < 20) {
        out += "truncated-ip " + std::to_string(p.size());
        return;
    }
    const std::size_t hlen = std::size_t(p[0] & 0x0f) * 4;
    if (hlen < 20) {
        out += "bad-hlen " + std::to_string(hlen);
        return;
    }
    std::size_t len = be16(p, 2);
    if (p.size() < len) {
        out += "truncated-ip - " + std::to_string(len - p.size()) + " bytes missing! ";
        len = p.size();
    }
    if (len < hlen || p.size() < hlen) {
        out += "bad-len " + std::to_string(len);
        return;
    }
    Bytes ip = p.subspan(0, len);
    const std::uint16_t offField = be16(ip, 6);
    const std::uint8_t proto = ip[9];
    if (f.verbose) {
        std::string fl;
        if (offField & 0x8000)
            fl += "rsvd";
        if (offField & 0x4000)
            fl += std::string(fl.empty() ? "" : ", ") + "DF";
        if (offField & 0x2000)
            fl += std::string(fl.empty() ? "" : ", ") + "+";
        out += sformat("(tos 0x%x", unsigned(ip[1]));
        if (ip[8] >= 1)
            out += sformat(", ttl %u", unsigned(ip[8]));
        out += sformat(", id %u, offset %u, flags [%s], proto %s (%u), length %u",
                       unsigned(be16(ip, 4)), unsigned((offField & 0x1fff) * 8),
                       fl.empty() ? "none" : fl.c_str(), ipProtoName(proto).c_str(),
                       unsigned(proto), unsigned(be16(ip, 2)));
        out += ")\n    ";
    }
    if ((offField & 0x1fff) != 0) {
        out += ip4(ip, 12) + " > " + ip4(ip, 16) + ": ip-proto-" + std::to_string(proto);
        return;
    }
    Bytes payload = ip.subspan(hlen);
    switch (proto) {
        case 17:
            udpPrint(ip, hlen, payload, f, out);
            return;
        case 6:
            tcpPrint(ip, payload, f, out);
            return;
        default:
            break;
    }
    out += ip4(ip, 12) + " > " + ip4(ip, 16) + ": ";
    switch (proto) {
        case 1:
            icmpPrint(ip, hlen, payload, out);
            break;
        case 47:
            if (depth < 4) {
                grePrint(payload, f, out, depth);
            } else {
                out += "GRE";
            }
            break;
        default:
            out += "ip-proto-" + std::to_string(proto) + " " + std::to_string(payload.size());
    }
}

void arpPrint(Bytes a, const TcpdumpFormat& f, std::string& out) {
    if (a.size() < 8) {
        out += "[|ARP]";
        return;
    }
    const std::uint16_t hrd = be16(a, 0), pro = be16(a, 2), op = be16(a, 6);
    const std::size_t hln = a[4], pln = a[5];
    if (a.size() < 8 + 2 * hln + 2 * pln) {
        out += "[|ARP]";
        return;
    }
    if (!f.linkHeader)
        out += "ARP, ";
    const bool odd = pro != 0x0800 || pln != 4 || hln == 0;
    if (odd || f.verbose) {
        out += sformat(
            "%s (len %u), %s (len %u)",
            hrd == 1 ? "Ethernet" : sformat("Unknown Hardware (%u)", unsigned(hrd)).c_str(),
            unsigned(hln),
            pro == 0x0800 ? "IPv4" : sformat("Unknown Protocol (0x%04x)", unsigned(pro)).c_str(),
            unsigned(pln));
        if (!f.verbose) {
            out += ", length " + std::to_string(a.size());
            return;
        }
    }
    static const std::map<std::uint16_t, const char*> kOps = {
        {1, "Request"},         {2, "Reply"},         {3, "Reverse Request"}, {4, "Reverse Reply"},
        {8, "Inverse Request"}, {9, "Inverse Reply"}, {10, "NACK Reply"}};
    auto it = kOps.find(op);
    out += (f.verbose ? ", " : "") +
           (it != kOps.end() ? std::string(it->second) : "Unknown (" + std::to_string(op) + ")") +
           " ";
    const std::size_t sha = 8, spa = sha + hln, tha = spa + pln, tpa = tha + hln;
    switch (op) {
        case 1: {
            out += "who-has " + ip4(a, tpa);
            bool zero = true;
            for (std::size_t i = 0; i < hln; ++i)
                zero = zero && a[tha + i] == 0;
            if (!zero && hln == 6)
                out += " (" + mac(a, tha) + ")";
            out += " tell " + ip4(a, spa);
            break;
        }
        case 2:
            out += ip4(a, spa) + " is-at " + (hln == 6 ? mac(a, sha) : std::string("?"));
            break;
        case 3:
        case 8:
            out += "who-is " + mac(a, tha) + " tell " + mac(a, sha);
            break;
        case 4:
        case 9:
            out += mac(a, tha) + " at " + ip4(a, tpa);
            break;
        default:
            return;
    }
    out += ", length " + std::to_string(a.size());
}

void etherHeader(Bytes p, std::uint16_t type, std::string& out) {
    out += mac(p, 6) + " > " + mac(p, 0);
    if (type <= 1500) {
        out += ", 802.3";
    } else {
        const std::string n = ethertypeName(type);
        out +=
            sformat(", ethertype %s (0x%04x)", n.empty() ? "Unknown" : n.c_str(), unsigned(type));
    }
    out += ", length " + std::to_string(p.size()) + ": ";
}

void etherPrint(Bytes p, const TcpdumpFormat& f, std::string& out, int depth) {
    if (p.size() < 14) {
        out += "[|ether]";
        return;
    }
    std::uint16_t type = be16(p, 12);
    if (f.linkHeader)
        etherHeader(p, type, out);
    std::size_t at = 14;
    while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
        if (p.size() < at + 4) {
            out += "[|vlan]";
            return;
        }
        const std::uint16_t tag = be16(p, at);
        type = be16(p, at + 2);
        if (f.linkHeader) {
            out += sformat("vlan %u, p %u%s, ", unsigned(tag & 0xfff), unsigned(tag >> 13),
                           (tag & 0x1000) ? ", CFI" : "");
            if (type > 1500) {
                const std::string n = ethertypeName(type);
                out += "ethertype " + (n.empty() ? sformat("0x%04x", unsigned(type)) : n) + ", ";
            }
        }
        at += 4;
    }
    Bytes payload = p.subspan(at);
    switch (type) {
        case 0x0800:
            ipPrint(payload, f, out, depth);
            return;
        case 0x0806:
            arpPrint(payload, f, out);
            return;
        default:
            if (!f.linkHeader)
                etherHeader(p, be16(p, 12), out);
            return;
    }
}

// ---- Filters (a conjunction of BPF primitives) ----

struct Primitive {
    enum class Kind { Ip, Arp, Icmp, Udp, Tcp, Gre, Vlan, Host, Port, EtherHost };
    Kind kind = Kind::Ip;
    int dir = 0;  ///< 0 either, 1 src, 2 dst.
    std::uint64_t value = 0;
    bool hasValue = false;
};

std::optional<std::vector<Primitive>> parseFilter(const std::vector<std::string>& words,
                                                  std::string& error) {
    std::vector<Primitive> out;
    std::size_t i = 0;
    auto fail = [&]() -> std::optional<std::vector<Primitive>> {
        error = "syntax error";
        return std::nullopt;
    };
    while (i < words.size()) {
        if (!out.empty()) {
            if (words[i] != "and" && words[i] != "&&") {
                error = "the lab's tcpdump filters are primitives joined by \"and\"";
                return std::nullopt;
            }
            if (++i >= words.size())
                return fail();
        }
        Primitive pr;
        std::string w = words[i++];
        if (w == "src" || w == "dst") {
            pr.dir = w == "src" ? 1 : 2;
            if (i >= words.size())
                return fail();
            w = words[i++];
        }
        static const std::map<std::string, Primitive::Kind> kSimple = {
            {"ip", Primitive::Kind::Ip},     {"arp", Primitive::Kind::Arp},
            {"icmp", Primitive::Kind::Icmp}, {"udp", Primitive::Kind::Udp},
            {"tcp", Primitive::Kind::Tcp},   {"gre", Primitive::Kind::Gre},
            {"vlan", Primitive::Kind::Vlan}};
        if (pr.dir == 0 && kSimple.count(w)) {
            pr.kind = kSimple.at(w);
            if (pr.kind == Primitive::Kind::Vlan && i < words.size() && !words[i].empty() &&
                std::isdigit(static_cast<unsigned char>(words[i][0]))) {
                pr.value = std::stoull(words[i++]) & 0xfff;
                pr.hasValue = true;
            }
        } else if (w == "host") {
            if (i >= words.size())
                return fail();
            auto a = Ipv4Address::parse(words[i++]);
            if (!a) {
                error = "unknown host '" + words[i - 1] + "'";
                return std::nullopt;
            }
            pr.kind = Primitive::Kind::Host;
            pr.value = a->toU32();
        } else if (w == "port") {
            if (i >= words.size())
                return fail();
            const std::string& v = words[i++];
            if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos ||
                v.size() > 5 || std::stoul(v) > 65535) {
                error = "illegal port number " + v;
                return std::nullopt;
            }
            pr.kind = Primitive::Kind::Port;
            pr.value = std::stoul(v);
        } else if (w == "ether" && pr.dir == 0) {
            if (i + 1 >= words.size() || words[i] != "host")
                return fail();
            auto m = MacAddress::parse(words[i + 1]);
            if (!m)
                return fail();
            i += 2;
            pr.kind = Primitive::Kind::EtherHost;
            pr.value = m->toU64();
        } else {
            return fail();
        }
        out.push_back(pr);
    }
    return out;
}

bool filterMatches(Bytes p, const std::vector<Primitive>& filter) {
    if (p.size() < 14)
        return filter.empty();
    std::size_t l3 = 14;
    std::uint16_t type = be16(p, 12);
    auto ipOk = [&]() { return type == 0x0800 && p.size() >= l3 + 20; };
    auto l4 = [&]() { return l3 + std::size_t(p[l3] & 0x0f) * 4; };
    for (const Primitive& pr : filter) {
        switch (pr.kind) {
            case Primitive::Kind::Vlan:
                if (type != 0x8100 || p.size() < l3 + 4)
                    return false;
                if (pr.hasValue && (be16(p, l3) & 0xfff) != pr.value)
                    return false;
                type = be16(p, l3 + 2);
                l3 += 4;
                break;
            case Primitive::Kind::Ip:
                if (type != 0x0800)
                    return false;
                break;
            case Primitive::Kind::Arp:
                if (type != 0x0806)
                    return false;
                break;
            case Primitive::Kind::Icmp:
            case Primitive::Kind::Udp:
            case Primitive::Kind::Tcp:
            case Primitive::Kind::Gre: {
                const std::uint8_t want = pr.kind == Primitive::Kind::Icmp  ? 1
                                          : pr.kind == Primitive::Kind::Udp ? 17
                                          : pr.kind == Primitive::Kind::Tcp ? 6
                                                                            : 47;
                if (!ipOk() || p[l3 + 9] != want)
                    return false;
                break;
            }
            case Primitive::Kind::Host: {
                std::uint32_t src = 0, dst = 0;
                if (ipOk()) {
                    src = be32(p, l3 + 12);
                    dst = be32(p, l3 + 16);
                } else if (type == 0x0806 && p.size() >= l3 + 28) {
                    src = be32(p, l3 + 14);
                    dst = be32(p, l3 + 24);
                } else {
                    return false;
                }
                const bool s = src == pr.value, d = dst == pr.value;
                if (!(pr.dir == 1 ? s : pr.dir == 2 ? d : (s || d)))
                    return false;
                break;
            }
            case Primitive::Kind::Port: {
                if (!ipOk() || (p[l3 + 9] != 6 && p[l3 + 9] != 17))
                    return false;
                if ((be16(p, l3 + 6) & 0x1fff) != 0 || p.size() < l4() + 4)
                    return false;
                const bool s = be16(p, l4()) == pr.value, d = be16(p, l4() + 2) == pr.value;
                if (!(pr.dir == 1 ? s : pr.dir == 2 ? d : (s || d)))
                    return false;
                break;
            }
            case Primitive::Kind::EtherHost: {
                std::uint64_t dst = 0, src = 0;
                for (int i = 0; i < 6; ++i) {
                    dst = (dst << 8) | p[std::size_t(i)];
                    src = (src << 8) | p[std::size_t(6 + i)];
                }
                if (src != pr.value && dst != pr.value)
                    return false;
                break;
            }
        }
    }
    return true;
}

// ---- The capture ----

struct TcpdumpArgs {
    std::string interface;
    std::string writeFile;
    std::uint64_t count = 0;
    TcpdumpFormat format;
    std::vector<Primitive> filter;
};

std::string plural(std::uint64_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

/// One running capture: a tap on the device, printing or writing what passes the filter.
class Capture {
public:
    Capture(Shell& shell, NetDevice& dev, TcpdumpArgs args, std::unique_ptr<PcapWriter> writer)
        : m_shell(shell),
          m_dev(&dev),
          m_alive(dev.lifetime()),
          m_args(std::move(args)),
          m_writer(std::move(writer)) {
        m_tap = dev.addTap([this](const NetDevice&, Direction, const Packet& p) { onFrame(p); });
    }
    ~Capture() { detach(); }
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    bool done() const { return m_args.count && m_captured >= m_args.count; }
    std::uint64_t captured() const { return m_captured; }
    std::string takeLines() { return std::exchange(m_lines, {}); }

    /// Removes the tap and closes the file; returns the statistics tcpdump prints on exit.
    std::string finish() {
        detach();
        return plural(m_captured, "packet") + " captured\n" + plural(m_captured, "packet") +
               " received by filter\n0 packets dropped by kernel\n";
    }

private:
    void onFrame(const Packet& p) {
        if (done() || !m_tap)
            return;
        if (!filterMatches(p.bytes(), m_args.filter))
            return;
        m_captured++;
        if (m_writer) {
            m_writer->write(p);
            m_writer->flush();
        } else {
            m_lines += formatTcpdumpTime(m_shell.lab().clock().now()) + " " +
                       formatTcpdumpFrame(p.bytes(), m_args.format) + "\n";
        }
    }
    void detach() {
        if (m_tap && !m_alive.expired())
            m_dev->removeTap(m_tap);
        m_tap = 0;
        m_writer.reset();
    }

    Shell& m_shell;
    NetDevice* m_dev;
    std::weak_ptr<void> m_alive;
    TcpdumpArgs m_args;
    std::unique_ptr<PcapWriter> m_writer;
    NetDevice::TapId m_tap = 0;
    std::uint64_t m_captured = 0;
    std::string m_lines;
};

class TcpdumpJob final : public Job {
public:
    TcpdumpJob(std::string line, std::unique_ptr<Capture> capture, std::string banner)
        : m_line(std::move(line)), m_capture(std::move(capture)), m_pending(std::move(banner)) {}

    std::string commandLine() const override { return m_line; }
    bool finished() const override { return m_ended || m_capture->done(); }
    std::string drainOutput() override {
        std::string out = std::exchange(m_pending, {});
        if (!m_ended) {
            out += m_capture->takeLines();
            if (m_capture->done()) {
                m_ended = true;
                out += m_capture->finish();
            }
        }
        return out;
    }
    std::string stop() override {
        std::string out = drainOutput();
        if (!m_ended) {
            m_ended = true;
            // Interrupted: tcpdump ends the line it may have been printing.
            out += "\n" + m_capture->finish();
        }
        return out;
    }

private:
    std::string m_line;
    std::unique_ptr<Capture> m_capture;
    std::string m_pending;
    bool m_ended = false;
};

constexpr SimDuration kForegroundLimit = 60 * kSecond;

CommandOutput tcpdumpFail(const std::string& message) {
    return CommandOutput::fail("tcpdump: " + message + "\n", 1);
}

CommandOutput runTcpdump(CommandCall& call) {
    TcpdumpArgs args;
    std::vector<std::string> expression;
    const auto& argv = call.argv;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.size() < 2 || a[0] != '-') {
            expression.push_back(a);
            continue;
        }
        // Clustered flags, e.g. -nne, -vv, -ni eth0, -c5.
        for (std::size_t k = 1; k < a.size(); ++k) {
            const char opt = a[k];
            auto value = [&]() -> std::optional<std::string> {
                if (k + 1 < a.size()) {
                    std::string v = a.substr(k + 1);
                    k = a.size();
                    return v;
                }
                if (i + 1 < argv.size())
                    return argv[++i];
                return std::nullopt;
            };
            switch (opt) {
                case 'n':
                    args.format.numeric = true;
                    break;
                case 'e':
                    args.format.linkHeader = true;
                    break;
                case 'v':
                    args.format.verbose++;
                    break;
                case 'l':
                case 'U':
                case 'p':
                    break;
                case 'i':
                case 'w':
                case 'c':
                case 's': {
                    auto v = value();
                    if (!v) {
                        return CommandOutput::fail(
                            std::string("tcpdump: option requires an argument -- '") + opt + "'\n",
                            1);
                    }
                    if (opt == 'i')
                        args.interface = *v;
                    if (opt == 'w')
                        args.writeFile = *v;
                    if (opt == 'c' || opt == 's') {
                        const bool digits =
                            !v->empty() && v->find_first_not_of("0123456789") == std::string::npos;
                        if (!digits || (opt == 'c' && std::stoull(*v) == 0)) {
                            return tcpdumpFail(std::string("invalid ") +
                                               (opt == 'c' ? "packet count" : "snaplen") + " " +
                                               *v);
                        }
                        if (opt == 'c')
                            args.count = std::stoull(*v);
                    }
                    break;
                }
                default:
                    return CommandOutput::fail(
                        std::string("tcpdump: invalid option -- '") + opt + "'\n", 1);
            }
        }
    }
    std::string filterError;
    auto filter = parseFilter(expression, filterError);
    if (!filter)
        return tcpdumpFail(filterError);
    args.filter = std::move(*filter);

    Node* node = call.context.node;
    if (!node)
        return tcpdumpFail("no suitable device found");
    NetNamespace* ns = call.context.kind == ShellContext::Kind::Host ? nullptr : call.context.netns;
    if (args.interface.empty()) {
        // tcpdump takes the first interface that is up and not a loopback.
        for (NetDevice* d : node->devices()) {
            const NetNamespace* want = ns ? ns : &node->root();
            if (d->netns() == want && d->isUp() && d->kind() != DeviceKind::Loopback) {
                args.interface = d->name();
                break;
            }
        }
        if (args.interface.empty())
            return tcpdumpFail("no suitable device found");
    }
    NetDevice* dev = node->device(args.interface, ns);
    if (!dev) {
        return CommandOutput::fail("tcpdump: " + args.interface +
                                       ": No such device exists\n(SIOCGIFHWADDR: No such device)\n",
                                   1);
    }
    std::unique_ptr<PcapWriter> writer;
    if (!args.writeFile.empty()) {
        PcapOptions o;
        auto w =
            PcapWriter::open(call.shell.resolvePath(args.writeFile), call.shell.lab().clock(), o);
        if (!w)
            return tcpdumpFail(args.writeFile + ": " + w.error().message);
        writer = std::move(w.value());
    }
    std::string banner;
    if (!args.format.verbose && args.writeFile.empty()) {
        banner = "tcpdump: verbose output suppressed, use -v or -vv for full protocol decode\n";
    } else {
        banner = "tcpdump: ";
    }
    banner += "listening on " + args.interface +
              ", link-type EN10MB (Ethernet), capture size 65535 bytes\n";

    auto capture = std::make_unique<Capture>(call.shell, *dev, args, std::move(writer));
    if (call.background) {
        std::string line;
        for (const std::string& w : argv)
            line += (line.empty() ? "" : " ") + w;
        call.shell.addJob(std::make_unique<TcpdumpJob>(line, std::move(capture), banner));
        return CommandOutput::ok({});
    }
    SimClock& clock = call.shell.lab().clock();
    const SimTime deadline = clock.now() + kForegroundLimit;
    while (!capture->done()) {
        const SimTime next = clock.nextEventTime();
        if (next < 0 || next > deadline) {
            clock.runUntil(deadline);
            break;
        }
        clock.runUntil(next);
    }
    CommandOutput out;
    out.out = capture->takeLines();
    if (!capture->done())
        out.out += "\n";  // Stopped as by Ctrl-C.
    out.err = banner + capture->finish();
    return out;
}

}  // namespace

std::string formatTcpdumpFrame(std::span<const std::uint8_t> frame, const TcpdumpFormat& format) {
    std::string out;
    etherPrint(frame, format, out, 0);
    return out;
}

std::string formatTcpdumpTime(SimTime t) {
    if (t < 0)
        t = 0;
    const std::int64_t us = t / 1000;
    const std::int64_t secs = us / 1'000'000 + kPcapEpochUnixSeconds;
    const std::int64_t day = secs % 86400;
    return sformat("%02d:%02d:%02d.%06d", int(day / 3600), int(day / 60 % 60), int(day % 60),
                   int(us % 1'000'000));
}

void registerTcpdumpCommand(Shell& shell) {
    shell.add({"tcpdump", kScopeHost,
               "tcpdump [-i IF] [-w FILE] [-c N] [-n] [-e] [-v] [EXPR] (foreground: stops after N "
               "packets or 60 s of lab time; with & runs as a job until kill %N)",
               runTcpdump});
}

}  // namespace nlab::engine
