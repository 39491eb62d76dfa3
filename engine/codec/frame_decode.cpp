#include "engine/codec/frame_decode.h"

#include "engine/codec/arp.h"
#include "engine/codec/codec_internal.h"
#include "engine/codec/dhcp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/icmp.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/codec/tunnel.h"
#include "engine/codec/wire.h"
#include "engine/flow/flow_key.h"

#include <algorithm>
#include <utility>

namespace nlab::engine {

std::string_view DecodedLayer::field(std::string_view fieldName) const {
    for (const auto& f : fields) {
        if (f.name == fieldName) {
            return f.value;
        }
    }
    return {};
}

bool DecodedFrame::ok() const {
    return std::all_of(layers.begin(), layers.end(),
                       [](const DecodedLayer& l) { return l.error.empty(); });
}

const DecodedLayer* DecodedFrame::find(std::string_view layerName) const {
    for (const auto& l : layers) {
        if (l.name == layerName) {
            return &l;
        }
    }
    return nullptr;
}

namespace {

using Bytes = std::span<const std::uint8_t>;
using codec_internal::hex;

constexpr int kMaxDepth = 4;               ///< Encapsulations followed.
constexpr std::size_t kMaxVlanLayers = 8;  ///< Stacked tags shown before giving up.
constexpr std::uint16_t kRarp = 0x8035;

std::string num(std::uint64_t v) {
    return std::to_string(v);
}

/// "name (code)" or just "code" when the name is unknown.
std::string named(std::string_view name, const std::string& code) {
    return name.empty() ? code : std::string(name) + " (" + code + ")";
}

std::string typeText(std::uint16_t type) {
    return named(etherTypeName(type), hex(type, 4));
}

std::string ipText(std::uint32_t v) {
    return formatIpv4(v);
}

/// "N (0xNNNN)".
std::string numHex16(std::uint16_t v) {
    return num(v) + " (" + hex(v, 4) + ")";
}

/// The checksum a region should carry in its 16-bit field at 'fieldOffset' (even).
std::uint16_t expectedChecksum(Bytes region, std::size_t fieldOffset, std::uint32_t initial = 0) {
    std::uint32_t sum = checksumPartial(region.first(fieldOffset), initial);
    sum = checksumPartial(region.subspan(fieldOffset + 2), sum);
    return checksumFinish(sum);
}

std::string checksumText(std::uint16_t stored, std::uint16_t expected) {
    if (stored == expected) {
        return hex(stored, 4) + " [correct]";
    }
    return hex(stored, 4) + " [incorrect, should be " + hex(expected, 4) + "]";
}

std::string bytesText(std::size_t n) {
    return num(n) + (n == 1 ? " byte" : " bytes");
}

std::string hexBytes(Bytes b, std::size_t max = 32) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    const std::size_t n = std::min(b.size(), max);
    for (std::size_t i = 0; i < n; ++i) {
        s += kDigits[b[i] >> 4];
        s += kDigits[b[i] & 15];
    }
    if (b.size() > max) {
        s += "...";
    }
    return s;
}

std::string quotedString(Bytes b) {
    std::string s = "\"";
    for (const std::uint8_t c : b) {
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            s += static_cast<char>(c);
        } else {
            s += "\\x";
            s += hex(c, 2).substr(2);
        }
    }
    return s + "\"";
}

std::string macText(const std::array<std::uint8_t, 6>& b) {
    return MacAddress(b).toString();
}

std::string dhcpOptionValue(std::uint8_t code, Bytes d) {
    auto addressList = [&]() {
        std::string s;
        for (std::size_t i = 0; i + 4 <= d.size(); i += 4) {
            s += (i ? ", " : "") + ipText(wire::load32(d.data() + i));
        }
        return s;
    };
    switch (code) {
        case dhcp_opt::kMessageType:
            if (d.size() == 1) {
                return named(dhcpMessageTypeName(d[0]), num(d[0]));
            }
            break;
        case dhcp_opt::kSubnetMask:
        case dhcp_opt::kRequestedIp:
        case dhcp_opt::kServerId:
        case dhcp_opt::kBroadcastAddress:
            if (d.size() == 4) {
                return ipText(wire::load32(d.data()));
            }
            break;
        case dhcp_opt::kRouter:
        case dhcp_opt::kDnsServer:
            if (!d.empty() && d.size() % 4 == 0) {
                return addressList();
            }
            break;
        case dhcp_opt::kLeaseTime:
        case dhcp_opt::kRenewalTime:
        case dhcp_opt::kRebindingTime:
            if (d.size() == 4) {
                return num(wire::load32(d.data())) + " s";
            }
            break;
        case dhcp_opt::kInterfaceMtu:
        case dhcp_opt::kMaxMessageSize:
            if (d.size() == 2) {
                return num(wire::load16(d.data()));
            }
            break;
        case dhcp_opt::kHostName:
        case dhcp_opt::kDomainName:
        case dhcp_opt::kMessage:
        case dhcp_opt::kVendorClass:
            return quotedString(d);
        case dhcp_opt::kParamRequestList: {
            std::string s;
            for (std::size_t i = 0; i < d.size(); ++i) {
                s += (i ? ", " : "") + num(d[i]);
            }
            return s;
        }
        case dhcp_opt::kOverload:
            if (d.size() == 1) {
                static constexpr std::string_view kNames[] = {"", "file", "sname",
                                                              "file and sname"};
                return named(d[0] <= 3 ? kNames[d[0]] : "", num(d[0]));
            }
            break;
        case dhcp_opt::kClientId:
            if (d.size() == 7 && d[0] == 1) {
                std::array<std::uint8_t, 6> mac{};
                std::copy_n(d.begin() + 1, 6, mac.begin());
                return "Ethernet " + macText(mac);
            }
            break;
        default:
            break;
    }
    return d.empty() ? std::string("(empty)") : hexBytes(d);
}

std::string tcpFlagNames(std::uint16_t flags) {
    static constexpr struct {
        std::uint16_t bit;
        std::string_view name;
    } kNames[] = {{tcp_flag::kNs, "NS"},   {tcp_flag::kCwr, "CWR"}, {tcp_flag::kEce, "ECE"},
                  {tcp_flag::kUrg, "URG"}, {tcp_flag::kAck, "ACK"}, {tcp_flag::kPsh, "PSH"},
                  {tcp_flag::kRst, "RST"}, {tcp_flag::kSyn, "SYN"}, {tcp_flag::kFin, "FIN"}};
    std::string s;
    for (const auto& n : kNames) {
        if (flags & n.bit) {
            s += (s.empty() ? "" : ", ") + std::string(n.name);
        }
    }
    return hex(flags, 3) + (s.empty() ? "" : " (" + s + ")");
}

// ---------------------------------------------------------------------------------------------
// decodeFrame

class Decoder {
public:
    explicit Decoder(Bytes frame) : m_frame(frame) {}

    DecodedFrame run() {
        ethernet(m_frame, 0);
        return std::move(m_out);
    }

private:
    std::size_t at(Bytes s) const { return static_cast<std::size_t>(s.data() - m_frame.data()); }

    DecodedLayer begin(std::string name, Bytes s, std::size_t length, int depth) const {
        DecodedLayer l;
        l.name = std::move(name);
        l.offset = at(s);
        l.length = std::min(length, s.size());
        l.depth = depth;
        return l;
    }

    static void add(DecodedLayer& l, std::string name, std::string value) {
        l.fields.push_back(DecodedField{std::move(name), std::move(value)});
    }

    void push(DecodedLayer&& l) { m_out.layers.push_back(std::move(l)); }

    void fail(DecodedLayer&& l, const Error& e) {
        l.error = e.message;
        push(std::move(l));
    }

    void data(Bytes s, int depth, std::string name = "Data") {
        if (s.empty()) {
            return;
        }
        DecodedLayer l = begin(std::move(name), s, s.size(), depth);
        add(l, "Length", bytesText(s.size()));
        push(std::move(l));
    }

    void ethernet(Bytes bytes, int depth) {
        DecodedLayer l = begin("Ethernet", bytes, kEthernetHeaderLength, depth);
        EthernetHeader eh;
        if (!wire::readStruct(bytes, 0, eh)) {
            EthernetFrame unused;
            return fail(std::move(l), parseEthernet(bytes, unused).error());
        }
        add(l, "Destination", macText(eh.dst));
        add(l, "Source", macText(eh.src));
        std::uint16_t type = eh.type.value();
        add(l, type < kEtherTypeMin ? "Length" : "Type",
            type < kEtherTypeMin ? num(type) : typeText(type));
        push(std::move(l));

        std::size_t off = kEthernetHeaderLength;
        for (std::size_t n = 0; isVlanTpid(type) && n < kMaxVlanLayers; ++n) {
            const Bytes tagBytes = bytes.subspan(off);
            DecodedLayer t = begin(type == eth_type::kVlan ? "802.1Q" : "802.1ad", tagBytes,
                                   kVlanHeaderLength, depth);
            VlanHeader vh;
            if (!wire::readStruct(bytes, off, vh)) {
                return fail(std::move(t),
                            Error{ErrorCode::Truncated, t.name + ": tag truncated (" +
                                                            num(tagBytes.size()) + " of 4 bytes)"});
            }
            const VlanTag tag{type, vh.tci.value()};
            add(t, "Priority", num(tag.pcp()));
            add(t, "DEI", tag.dei() ? "1" : "0");
            add(t, "ID", num(tag.vid()));
            type = vh.innerType.value();
            add(t, type < kEtherTypeMin ? "Length" : "Type",
                type < kEtherTypeMin ? num(type) : typeText(type));
            push(std::move(t));
            off += kVlanHeaderLength;
        }
        const Bytes payload = bytes.subspan(off);
        if (type < kEtherTypeMin) {
            llc(payload, type, depth);
        } else {
            dispatch(type, payload, depth);
        }
    }

    void llc(Bytes payload, std::uint16_t length, int depth) {
        DecodedLayer l = begin("LLC", payload, kLlcSnapHeaderLength, depth);
        LlcSnap h;
        auto r = parseLlcSnap(payload, h);
        if (!r) {
            return fail(std::move(l), r.error());
        }
        l.length = h.headerLength;
        add(l, "DSAP", hex(h.dsap, 2));
        add(l, "SSAP", hex(h.ssap, 2));
        add(l, "Control", hex(h.control, 2));
        if (h.isSnap) {
            add(l, "Organization code", hex(h.oui, 6));
            add(l, "Type", typeText(h.type));
        }
        push(std::move(l));
        const Bytes rest = payload.subspan(h.headerLength);
        const std::size_t dataLength =
            length >= h.headerLength ? std::min<std::size_t>(length - h.headerLength, rest.size())
                                     : 0;
        if (h.isSnap && h.oui == 0 && h.type >= kEtherTypeMin) {
            dispatch(h.type, rest, depth);
            return;
        }
        data(rest.first(dataLength), depth);
        data(rest.subspan(dataLength), depth, "Padding");
    }

    void dispatch(std::uint16_t type, Bytes payload, int depth) {
        switch (type) {
            case eth_type::kIpv4:
                return ipv4(payload, depth);
            case eth_type::kArp:
            case kRarp:
                return arp(payload, depth);
            default:
                return data(payload, depth);
        }
    }

    void arp(Bytes payload, int depth) {
        DecodedLayer l = begin("ARP", payload, kArpPacketLength, depth);
        ArpHeader h;
        const bool have = wire::readStruct(payload, 0, h);
        ArpPacket a;
        auto r = parseArp(payload, a);
        if (have) {
            add(l, "Hardware type",
                named(h.hardwareType.value() == 1 ? "Ethernet" : "", num(h.hardwareType.value())));
            add(l, "Protocol type", typeText(h.protocolType.value()));
            add(l, "Hardware size", num(h.hardwareLength));
            add(l, "Protocol size", num(h.protocolLength));
            add(l, "Opcode", named(arpOpName(h.op.value()), num(h.op.value())));
        }
        if (!r) {
            return fail(std::move(l), r.error());
        }
        add(l, "Sender MAC address", a.sha.toString());
        add(l, "Sender IP address", a.spa.toString());
        add(l, "Target MAC address", a.tha.toString());
        add(l, "Target IP address", a.tpa.toString());
        push(std::move(l));
        data(payload.subspan(kArpPacketLength), depth, "Padding");
    }

    void ipv4(Bytes bytes, int depth) {
        DecodedLayer l = begin("IPv4", bytes, kIpv4HeaderLength, depth);
        Ipv4Header h;
        const bool have = wire::readStruct(bytes, 0, h);
        Ipv4Datagram ip;
        auto r = parseIpv4(bytes, ip);
        if (have) {
            const std::size_t ihl = h.versionIhl & 0x0f;
            l.length = std::min(std::max<std::size_t>(ihl * 4, kIpv4HeaderLength), bytes.size());
            add(l, "Version", num(h.versionIhl >> 4));
            add(l, "Header length", num(ihl * 4) + " bytes (" + num(ihl) + ")");
            add(l, "DSCP", num(h.tos >> 2));
            add(l, "ECN", num(h.tos & 3));
            add(l, "Total length", num(h.totalLength.value()));
            add(l, "Identification", hex(h.id.value(), 4) + " (" + num(h.id.value()) + ")");
            const std::uint16_t ff = h.flagsFragment.value();
            std::string flags;
            if (ff & kIpv4ReservedFlag)
                flags += "RB";
            if (ff & kIpv4DontFragment)
                flags += std::string(flags.empty() ? "" : ", ") + "DF";
            if (ff & kIpv4MoreFragments)
                flags += std::string(flags.empty() ? "" : ", ") + "MF";
            add(l, "Flags", hex(ff >> 13, 1) + (flags.empty() ? "" : " (" + flags + ")"));
            add(l, "Fragment offset", num(std::size_t(ff & kIpv4FragmentOffsetMask) * 8));
            add(l, "Time to live", num(h.ttl));
            add(l, "Protocol", named(ipProtoName(h.protocol), num(h.protocol)));
            if (ihl >= 5 && ihl * 4 <= bytes.size()) {
                add(l, "Header checksum",
                    checksumText(h.checksum.value(), expectedChecksum(bytes.first(ihl * 4), 10)));
            } else {
                add(l, "Header checksum", hex(h.checksum.value(), 4) + " [unverified]");
            }
            add(l, "Source address", ipText(h.src.value()));
            add(l, "Destination address", ipText(h.dst.value()));
        }
        if (!r) {
            return fail(std::move(l), r.error());
        }
        if (!ip.options.empty()) {
            add(l, "Options", bytesText(ip.options.size()) + " (" + hexBytes(ip.options) + ")");
        }
        push(std::move(l));

        const std::uint32_t src = ip.src().toU32();
        const std::uint32_t dst = ip.dst().toU32();
        if (ip.isFragment()) {
            DecodedLayer f = begin("Fragment", ip.payload, ip.payload.size(), depth);
            add(f, "Protocol", named(ipProtoName(ip.protocol()), num(ip.protocol())));
            add(f, "Offset", num(std::size_t(ip.fragmentOffset()) * 8));
            add(f, "Length", bytesText(ip.payload.size()));
            add(f, "More fragments", ip.moreFragments() ? "yes" : "no");
            push(std::move(f));
        } else {
            switch (ip.protocol()) {
                case ip_proto::kIcmp:
                    icmp(ip.payload, depth);
                    break;
                case ip_proto::kUdp:
                    udp(ip.payload, src, dst, depth);
                    break;
                case ip_proto::kTcp:
                    tcp(ip.payload, src, dst, depth);
                    break;
                case ip_proto::kGre:
                    gre(ip.payload, depth);
                    break;
                default:
                    data(ip.payload, depth);
                    break;
            }
        }
        data(bytes.subspan(ip.totalLength), depth, "Padding");
    }

    void icmp(Bytes msg, int depth) {
        DecodedLayer l = begin("ICMP", msg, kIcmpHeaderLength, depth);
        IcmpHeader h;
        const bool have = wire::readStruct(msg, 0, h);
        IcmpMessage m;
        auto r = parseIcmp(msg, m);
        if (have) {
            add(l, "Type", named(icmpTypeName(h.type), num(h.type)));
            add(l, "Code",
                h.type == icmp_type::kDestUnreachable
                    ? named(icmpUnreachableCodeName(h.code), num(h.code))
                    : num(h.code));
            add(l, "Checksum", checksumText(h.checksum.value(), expectedChecksum(msg, 2)));
            switch (h.type) {
                case icmp_type::kEchoRequest:
                case icmp_type::kEchoReply:
                case icmp_type::kTimestamp:
                case icmp_type::kTimestampReply:
                    add(l, "Identifier", numHex16(h.word1.value()));
                    add(l, "Sequence number", numHex16(h.word2.value()));
                    break;
                case icmp_type::kDestUnreachable:
                    if (h.code == icmp_unreach::kFragmentationNeeded) {
                        add(l, "Next-hop MTU", num(h.word2.value()));
                    }
                    break;
                case icmp_type::kRedirect:
                    add(l, "Gateway address",
                        ipText((std::uint32_t(h.word1.value()) << 16) | h.word2.value()));
                    break;
                case icmp_type::kParameterProblem:
                    add(l, "Pointer", num(h.word1.value() >> 8));
                    break;
                default:
                    break;
            }
        }
        if (!r) {
            return fail(std::move(l), r.error());
        }
        if (m.hasQuote) {
            const auto& q = m.quote.header;
            add(l, "Quoted source", ipText(q.src.value()));
            add(l, "Quoted destination", ipText(q.dst.value()));
            add(l, "Quoted protocol", named(ipProtoName(q.protocol), num(q.protocol)));
            if ((q.protocol == ip_proto::kUdp || q.protocol == ip_proto::kTcp) &&
                m.quote.l4Bytes.size() >= 4) {
                add(l, "Quoted source port", num(wire::load16(m.quote.l4Bytes.data())));
                add(l, "Quoted destination port", num(wire::load16(m.quote.l4Bytes.data() + 2)));
            }
            l.length = msg.size();
        } else if (!m.body.empty()) {
            add(l, "Data", bytesText(m.body.size()));
            l.length = msg.size();
        }
        push(std::move(l));
    }

    void udp(Bytes seg, std::uint32_t src, std::uint32_t dst, int depth) {
        DecodedLayer l = begin("UDP", seg, kUdpHeaderLength, depth);
        UdpHeader h;
        const bool have = wire::readStruct(seg, 0, h);
        UdpDatagram u;
        auto r = parseUdp(seg, u);
        if (have) {
            add(l, "Source port", num(h.srcPort.value()));
            add(l, "Destination port", num(h.dstPort.value()));
            add(l, "Length", num(h.length.value()));
            const std::uint16_t c = h.checksum.value();
            if (c == 0) {
                add(l, "Checksum", "0x0000 [none]");
            } else if (r) {
                const Bytes covered = seg.first(u.length());
                std::uint16_t expect = expectedChecksum(
                    covered, 6, ipv4PseudoHeaderSum(src, dst, ip_proto::kUdp, u.length()));
                if (expect == 0) {
                    expect = 0xffff;
                }
                add(l, "Checksum", checksumText(c, expect));
            } else {
                add(l, "Checksum", hex(c, 4) + " [unverified]");
            }
        }
        if (!r) {
            return fail(std::move(l), r.error());
        }
        push(std::move(l));
        if (u.dstPort() == kVxlanPort) {
            vxlan(u.payload, depth);
        } else if (u.srcPort() == kDhcpServerPort || u.srcPort() == kDhcpClientPort ||
                   u.dstPort() == kDhcpServerPort || u.dstPort() == kDhcpClientPort) {
            dhcp(u.payload, depth);
        } else {
            data(u.payload, depth);
        }
    }

    void tcp(Bytes seg, std::uint32_t src, std::uint32_t dst, int depth) {
        DecodedLayer l = begin("TCP", seg, kTcpHeaderLength, depth);
        TcpHeader h;
        const bool have = wire::readStruct(seg, 0, h);
        TcpSegment t;
        auto r = parseTcp(seg, t);
        if (have) {
            const std::size_t words = h.dataOffset >> 4;
            add(l, "Source port", num(h.srcPort.value()));
            add(l, "Destination port", num(h.dstPort.value()));
            add(l, "Sequence number", num(h.seq.value()));
            add(l, "Acknowledgment number", num(h.ack.value()));
            add(l, "Header length", num(words * 4) + " bytes (" + num(words) + ")");
            add(l, "Flags",
                tcpFlagNames(static_cast<std::uint16_t>(((h.dataOffset & 1) << 8) | h.flags)));
            add(l, "Window", num(h.window.value()));
            add(l, "Checksum",
                checksumText(
                    h.checksum.value(),
                    expectedChecksum(seg, 16,
                                     ipv4PseudoHeaderSum(src, dst, ip_proto::kTcp,
                                                         static_cast<std::uint16_t>(seg.size())))));
            add(l, "Urgent pointer", num(h.urgentPointer.value()));
        }
        if (!r) {
            return fail(std::move(l), r.error());
        }
        l.length = t.headerLength;
        if (!t.options.empty()) {
            add(l, "Options", bytesText(t.options.size()) + " (" + hexBytes(t.options) + ")");
        }
        push(std::move(l));
        data(t.payload, depth);
    }

    void dhcp(Bytes bytes, int depth) {
        DecodedLayer l = begin("DHCP", bytes, bytes.size(), depth);
        BootpHeader h;
        if (!wire::readStruct(bytes, 0, h)) {
            return fail(std::move(l),
                        codec_internal::truncatedError("DHCP", bytes.size(), kBootpHeaderLength,
                                                       "BOOTP header"));
        }
        add(l, "Message type",
            named(h.op == 1   ? "Boot Request"
                  : h.op == 2 ? "Boot Reply"
                              : "",
                  num(h.op)));
        add(l, "Hardware type", named(h.htype == 1 ? "Ethernet" : "", num(h.htype)));
        add(l, "Hardware address length", num(h.hlen));
        add(l, "Hops", num(h.hops));
        add(l, "Transaction ID", hex(h.xid.value(), 8));
        add(l, "Seconds elapsed", num(h.secs.value()));
        add(l, "Bootp flags",
            hex(h.flags.value(), 4) +
                ((h.flags.value() & kBootpBroadcastFlag) ? " (broadcast)" : " (unicast)"));
        add(l, "Client IP address", ipText(h.ciaddr.value()));
        add(l, "Your (client) IP address", ipText(h.yiaddr.value()));
        add(l, "Next server IP address", ipText(h.siaddr.value()));
        add(l, "Relay agent IP address", ipText(h.giaddr.value()));
        if (h.htype == 1 && h.hlen == 6) {
            std::array<std::uint8_t, 6> mac{};
            std::copy_n(h.chaddr.begin(), 6, mac.begin());
            add(l, "Client MAC address", macText(mac));
        } else {
            add(l, "Client hardware address",
                hexBytes(Bytes(h.chaddr).first(std::min<std::size_t>(h.hlen, 16))));
        }
        auto fieldText = [](const auto& field) {
            const auto nul = std::find(field.begin(), field.end(), std::uint8_t{0});
            return nul == field.begin() ? std::string("not given")
                                        : quotedString(Bytes(field.begin(), nul));
        };
        add(l, "Server host name", fieldText(h.sname));
        add(l, "Boot file name", fieldText(h.file));
        if (bytes.size() < kDhcpOptionsOffset) {
            return fail(std::move(l), parseDhcp(bytes).error());
        }
        const std::uint32_t cookie = wire::load32(bytes.data() + kBootpHeaderLength);
        add(l, "Magic cookie", cookie == kDhcpMagicCookie ? "DHCP" : hex(cookie, 8));
        if (cookie != kDhcpMagicCookie) {
            return fail(std::move(l), parseDhcp(bytes).error());
        }
        std::vector<DhcpOptionView> views;
        auto scan = parseDhcpOptions(bytes.subspan(kDhcpOptionsOffset), views);
        for (const auto& v : views) {
            add(l,
                "Option " + num(v.code) +
                    (dhcpOptionName(v.code).empty()
                         ? std::string()
                         : " (" + std::string(dhcpOptionName(v.code)) + ")"),
                dhcpOptionValue(v.code, v.data));
        }
        if (!scan) {
            return fail(std::move(l), scan.error());
        }
        if (scan.value().sawEnd) {
            add(l, "Option 255 (end)", "");
        }
        auto full = parseDhcp(bytes);
        if (!full) {
            return fail(std::move(l), full.error());
        }
        push(std::move(l));
    }

    void gre(Bytes msg, int depth) {
        DecodedLayer l = begin("GRE", msg, kGreBaseHeaderLength, depth);
        GreBaseHeader h;
        const bool have = wire::readStruct(msg, 0, h);
        GrePacket g;
        auto r = parseGre(msg, g);
        if (have) {
            const std::uint16_t fv = h.flagsVersion.value();
            std::string names;
            static constexpr struct {
                std::uint16_t bit;
                std::string_view name;
            } kFlags[] = {{gre_flag::kChecksum, "C"},
                          {gre_flag::kRouting, "R"},
                          {gre_flag::kKey, "K"},
                          {gre_flag::kSequence, "S"},
                          {gre_flag::kStrictRoute, "s"}};
            for (const auto& f : kFlags) {
                if (fv & f.bit) {
                    names += (names.empty() ? "" : ", ") + std::string(f.name);
                }
            }
            add(l, "Flags and version", hex(fv, 4) + (names.empty() ? "" : " (" + names + ")"));
            add(l, "Protocol type", typeText(h.protocol.value()));
        }
        if (!r) {
            return fail(std::move(l), r.error());
        }
        l.length = g.headerLength;
        if (g.checksumPresent) {
            add(l, "Checksum", checksumText(g.checksum, expectedChecksum(msg, 4)));
        }
        if (g.keyPresent) {
            add(l, "Key", hex(g.key, 8) + " (" + num(g.key) + ")");
        }
        if (g.sequencePresent) {
            add(l, "Sequence number", num(g.sequence));
        }
        push(std::move(l));
        if (g.protocol == eth_type::kTransparentEthernet || g.protocol == eth_type::kIpv4) {
            inner(g.payload, depth, g.protocol == eth_type::kIpv4);
        } else {
            data(g.payload, depth);
        }
    }

    void vxlan(Bytes bytes, int depth) {
        DecodedLayer l = begin("VXLAN", bytes, kVxlanHeaderLength, depth);
        VxlanHeader h;
        const bool have = wire::readStruct(bytes, 0, h);
        VxlanPacket v;
        auto r = parseVxlan(bytes, v);
        if (have) {
            add(l, "Flags", hex(h.flags, 2) + ((h.flags & vxlan_flag::kVniValid) ? " (I)" : ""));
            add(l, "VNI", num(h.vniReserved.value() >> 8));
        }
        if (!r) {
            return fail(std::move(l), r.error());
        }
        push(std::move(l));
        inner(v.payload, depth, false);
    }

    /// An encapsulated frame (or IPv4 datagram when 'isIp'), one level deeper.
    void inner(Bytes payload, int depth, bool isIp) {
        if (depth + 1 > kMaxDepth) {
            DecodedLayer l = begin("Data", payload, payload.size(), depth);
            add(l, "Length", bytesText(payload.size()));
            return fail(std::move(l),
                        Error{ErrorCode::LimitExceeded,
                              "encapsulation depth limit (" + num(kMaxDepth) + ") reached"});
        }
        if (isIp) {
            ipv4(payload, depth + 1);
        } else {
            ethernet(payload, depth + 1);
        }
    }

    Bytes m_frame;
    DecodedFrame m_out;
};

// ---------------------------------------------------------------------------------------------
// summarizeFrame

std::string summarizeEthernet(Bytes frame, int depth);
std::string summarizeIpv4(Bytes bytes, int depth);

std::string bracket(const Error& e) {
    return " [" + e.message + "]";
}

std::string summarizeArp(Bytes payload) {
    ArpPacket a;
    auto r = parseArp(payload, a);
    if (!r) {
        return "ARP" + bracket(r.error());
    }
    switch (a.op) {
        case arp_op::kRequest:
            return "ARP, Request who-has " + a.tpa.toString() +
                   (a.tha.isZero() ? "" : " (" + a.tha.toString() + ")") + " tell " +
                   a.spa.toString();
        case arp_op::kReply:
            return "ARP, Reply " + a.spa.toString() + " is-at " + a.sha.toString();
        case arp_op::kRarpRequest:
            return "RARP, Reverse Request who-is " + a.tha.toString() + " tell " + a.sha.toString();
        case arp_op::kRarpReply:
            return "RARP, Reverse Reply " + a.tha.toString() + " at " + a.tpa.toString();
        default:
            return "ARP, " + named(arpOpName(a.op), "op " + num(a.op)) + ", sender " +
                   a.spa.toString() + " (" + a.sha.toString() + "), target " + a.tpa.toString() +
                   " (" + a.tha.toString() + ")";
    }
}

std::string summarizeIcmp(Bytes msg) {
    IcmpMessage m;
    auto r = parseIcmp(msg, m);
    if (msg.size() < kIcmpHeaderLength) {
        return "ICMP" + bracket(r.error());
    }
    IcmpHeader h;
    wire::readStruct(msg, 0, h);
    std::string s = "ICMP ";
    const std::uint8_t type = h.type;
    const std::uint8_t code = h.code;
    if (type == icmp_type::kEchoRequest || type == icmp_type::kEchoReply) {
        s += std::string(icmpTypeName(type)) + ", id " + num(h.word1.value()) + ", seq " +
             num(h.word2.value());
    } else if (type == icmp_type::kDestUnreachable && r && m.hasQuote) {
        const auto& q = m.quote.header;
        const std::string qdst = ipText(q.dst.value());
        switch (code) {
            case icmp_unreach::kNet:
                s += "net " + qdst + " unreachable";
                break;
            case icmp_unreach::kHost:
                s += "host " + qdst + " unreachable";
                break;
            case icmp_unreach::kProtocol:
                s += qdst + " protocol " + num(q.protocol) + " unreachable";
                break;
            case icmp_unreach::kPort: {
                std::string proto(ipProtoName(q.protocol));
                std::transform(proto.begin(), proto.end(), proto.begin(),
                               [](char c) { return static_cast<char>(c | 0x20); });
                s += qdst + " " + (proto.empty() ? "ip-proto-" + num(q.protocol) : proto);
                if (m.quote.l4Bytes.size() >= 4) {
                    s += " port " + num(wire::load16(m.quote.l4Bytes.data() + 2));
                }
                s += " unreachable";
                break;
            }
            case icmp_unreach::kFragmentationNeeded:
                s += qdst + " unreachable - need to frag (mtu " + num(h.word2.value()) + ")";
                break;
            default:
                s += qdst + " unreachable - " +
                     (icmpUnreachableCodeName(code).empty()
                          ? "code " + num(code)
                          : std::string(icmpUnreachableCodeName(code)));
                break;
        }
    } else if (type == icmp_type::kTimeExceeded && code <= 1) {
        s += code == 0 ? "time exceeded in-transit" : "ip reassembly time exceeded";
    } else if (!icmpTypeName(type).empty()) {
        s += std::string(icmpTypeName(type)) + (code ? ", code " + num(code) : "");
    } else {
        s += "type " + num(type) + ", code " + num(code);
    }
    s += ", length " + num(msg.size());
    if (!r) {
        s += bracket(r.error());
    } else if (!icmpChecksumValid(msg)) {
        s += " [bad ICMP checksum]";
    }
    return s;
}

std::string summarizeDhcp(Bytes payload) {
    auto r = parseDhcp(payload);
    if (!r) {
        return "BOOTP/DHCP" + bracket(r.error());
    }
    const DhcpMessage& m = r.value();
    std::string s;
    if (m.messageType) {
        const std::string_view name = dhcpMessageTypeName(*m.messageType);
        s = "DHCP " + (name.empty() ? "type " + num(*m.messageType) : std::string(name));
    } else {
        s = std::string("BOOTP ") + (m.op == bootp_op::kRequest ? "Request" : "Reply");
    }
    s += ", xid " + hex(m.xid, 8) + ", chaddr " + m.chaddr.toString();
    if (m.yiaddr.toU32() != 0) {
        s += ", yiaddr " + m.yiaddr.toString();
    }
    return s + ", length " + num(payload.size());
}

std::string summarizeIpv4(Bytes bytes, int depth) {
    Ipv4Datagram ip;
    auto r = parseIpv4(bytes, ip);
    if (!r) {
        return "IP" + bracket(r.error());
    }
    const std::string src = ip.src().toString();
    const std::string dst = ip.dst().toString();
    const std::string badSum =
        ipv4HeaderChecksumValid(bytes.first(ip.headerLength)) ? "" : " [bad IPv4 checksum]";
    const std::string protoName = ipProtoName(ip.protocol()).empty()
                                      ? "ip-proto-" + num(ip.protocol())
                                      : std::string(ipProtoName(ip.protocol()));
    if (ip.isFragment()) {
        return src + " > " + dst + ": " + protoName + " fragment, id " + num(ip.header.id.value()) +
               ", offset " + num(std::size_t(ip.fragmentOffset()) * 8) + ", length " +
               num(ip.payload.size()) + (ip.moreFragments() ? ", more" : "") + badSum;
    }
    switch (ip.protocol()) {
        case ip_proto::kIcmp:
            return src + " > " + dst + ": " + summarizeIcmp(ip.payload) + badSum;
        case ip_proto::kUdp: {
            UdpDatagram u;
            auto ur = parseUdp(ip.payload, u);
            if (!ur) {
                return src + " > " + dst + ": UDP" + bracket(ur.error()) + badSum;
            }
            std::string s =
                src + "." + num(u.srcPort()) + " > " + dst + "." + num(u.dstPort()) + ": ";
            if (u.dstPort() == kVxlanPort) {
                VxlanPacket v;
                auto vr = parseVxlan(u.payload, v);
                if (!vr) {
                    s += "VXLAN" + bracket(vr.error());
                } else {
                    s += "VXLAN, vni " + num(v.vni) + ": " +
                         (depth + 1 > kMaxDepth ? "[encapsulation depth limit]"
                                                : summarizeEthernet(v.payload, depth + 1));
                }
            } else if (u.srcPort() == kDhcpServerPort || u.srcPort() == kDhcpClientPort ||
                       u.dstPort() == kDhcpServerPort || u.dstPort() == kDhcpClientPort) {
                s += summarizeDhcp(u.payload);
            } else {
                s += "UDP, length " + num(u.payload.size());
            }
            if (!udpChecksumValid(ip.src().toU32(), ip.dst().toU32(),
                                  ip.payload.first(u.length()))) {
                s += " [bad UDP checksum]";
            }
            return s + badSum;
        }
        case ip_proto::kTcp: {
            TcpSegment t;
            auto tr = parseTcp(ip.payload, t);
            if (!tr) {
                return src + " > " + dst + ": TCP" + bracket(tr.error()) + badSum;
            }
            std::string s = src + "." + num(t.srcPort()) + " > " + dst + "." + num(t.dstPort()) +
                            ": Flags [" + tcpFlagsString(t.flags()) + "], seq " +
                            num(t.header.seq.value());
            if (t.flags() & tcp_flag::kAck) {
                s += ", ack " + num(t.header.ack.value());
            }
            s += ", win " + num(t.header.window.value()) + ", length " + num(t.payload.size());
            if (!tcpChecksumValid(ip.src().toU32(), ip.dst().toU32(), ip.payload)) {
                s += " [bad TCP checksum]";
            }
            return s + badSum;
        }
        case ip_proto::kGre: {
            GrePacket g;
            auto gr = parseGre(ip.payload, g);
            std::string s = src + " > " + dst + ": GRE";
            if (!gr) {
                return s + bracket(gr.error()) + badSum;
            }
            if (g.keyPresent) {
                s += " key=" + hex(g.key, 1);
            }
            s += ", length " + num(ip.payload.size());
            if (!greChecksumValid(ip.payload)) {
                s += " [bad GRE checksum]";
            }
            if (g.protocol == eth_type::kTransparentEthernet || g.protocol == eth_type::kIpv4) {
                s += ": ";
                if (depth + 1 > kMaxDepth) {
                    s += "[encapsulation depth limit]";
                } else if (g.protocol == eth_type::kIpv4) {
                    s += summarizeIpv4(g.payload, depth + 1);
                } else {
                    s += summarizeEthernet(g.payload, depth + 1);
                }
            } else {
                s += ", proto " + typeText(g.protocol);
            }
            return s + badSum;
        }
        default:
            return src + " > " + dst + ": " + protoName + ", length " + num(ip.payload.size()) +
                   badSum;
    }
}

std::string summarizeEthernet(Bytes frame, int depth) {
    EthernetFrame eth;
    auto r = parseEthernet(frame, eth);
    if (frame.size() < kEthernetHeaderLength) {
        return "[" + r.error().message + "]";
    }
    EthernetHeader eh;
    wire::readStruct(frame, 0, eh);
    const std::string macs = macText(eh.src) + " > " + macText(eh.dst);
    if (!r) {
        return macs + bracket(r.error());
    }
    std::string tags;
    for (std::size_t i = 0; i < eth.tagCount; ++i) {
        const VlanTag& t = eth.tags[i];
        tags += (t.tpid == eth_type::kQinQ ? "802.1ad vlan " : "vlan ") + num(t.vid()) + ", p " +
                num(t.pcp()) + ", ";
    }
    const std::uint16_t type = eth.typeOrLength;
    if (type == eth_type::kArp || type == kRarp) {
        return tags + summarizeArp(eth.payload);
    }
    if (type == eth_type::kIpv4) {
        return macs + ", " + tags + summarizeIpv4(eth.payload, depth);
    }
    if (eth.isLength()) {
        return macs + ", " + tags + "802.3, length " + num(type);
    }
    return macs + ", " + tags + "ethertype " + typeText(type) + ", length " + num(frame.size());
}

}  // namespace

DecodedFrame decodeFrame(std::span<const std::uint8_t> frame) {
    return Decoder(frame).run();
}

std::string summarizeFrame(std::span<const std::uint8_t> frame) {
    return summarizeEthernet(frame, 0);
}

}  // namespace nlab::engine
