#include "engine/codec/frame_compose.h"

#include "engine/codec/arp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/icmp.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/codec/wire.h"
#include "engine/core/assert.h"

namespace nlab::engine {

namespace {

constexpr std::uint16_t kRarp = 0x8035;
constexpr std::uint8_t kIgmp = 2;
constexpr std::uint8_t kSctp = 132;

/// OVS's arbitrary L7 payload: bytes 0, 1, 2, ... (wrapping).
void appendPattern(std::vector<std::uint8_t>& out, std::size_t n) {
    const std::size_t at = out.size();
    out.resize(at + n);
    for (std::size_t i = 0; i < n; ++i) {
        out[at + i] = static_cast<std::uint8_t>(i);
    }
}

/// The transport part of an IPv4 frame for 'key', appended to 'out' (which ends with the IPv4
/// header); checksums that cover the pseudo-header are filled in.
void appendTransport(std::vector<std::uint8_t>& out, const FlowKey& key, std::size_t payloadBytes) {
    const std::size_t l4 = out.size();
    switch (key.nw_proto) {
        case ip_proto::kTcp: {
            out.resize(l4 + kTcpHeaderLength, 0);
            wire::store16(&out[l4], key.tp_src);
            wire::store16(&out[l4 + 2], key.tp_dst);
            out[l4 + 12] = 0x50;
            appendPattern(out, payloadBytes);
            const std::span<const std::uint8_t> seg(out.data() + l4, out.size() - l4);
            wire::store16(&out[l4 + 16], tcpChecksum(key.nw_src, key.nw_dst, seg));
            break;
        }
        case ip_proto::kUdp: {
            out.resize(l4 + kUdpHeaderLength, 0);
            wire::store16(&out[l4], key.tp_src);
            wire::store16(&out[l4 + 2], key.tp_dst);
            NLAB_ASSERT(kUdpHeaderLength + payloadBytes <= 0xffff);
            wire::store16(&out[l4 + 4],
                          static_cast<std::uint16_t>(kUdpHeaderLength + payloadBytes));
            appendPattern(out, payloadBytes);
            const std::span<const std::uint8_t> seg(out.data() + l4, out.size() - l4);
            wire::store16(&out[l4 + 6], udpChecksum(key.nw_src, key.nw_dst, seg));
            break;
        }
        case kSctp: {
            out.resize(l4 + kSctpCommonHeaderLength, 0);
            wire::store16(&out[l4], key.tp_src);
            wire::store16(&out[l4 + 2], key.tp_dst);
            const std::span<const std::uint8_t> seg(out.data() + l4, out.size() - l4);
            wire::store32le(&out[l4 + 8], sctpChecksum(seg));
            break;
        }
        case ip_proto::kIcmp: {
            const auto type = static_cast<std::uint8_t>(key.tp_src);
            const auto code = static_cast<std::uint8_t>(key.tp_dst);
            std::vector<std::uint8_t> body;
            if ((type == icmp_type::kEchoRequest || type == icmp_type::kEchoReply) && code == 0) {
                appendPattern(body, payloadBytes);
            } else if (icmpTypeIsError(type)) {
                // A valid error quotes a datagram: the reverse direction, UDP, header only.
                Ipv4Fields q;
                q.src = Ipv4Address(key.nw_dst);
                q.dst = Ipv4Address(key.nw_src);
                q.protocol = ip_proto::kUdp;
                appendIpv4Header(body, q, kUdpHeaderLength);
                const std::uint8_t udp[8] = {0, 0, 0, 0, 0, 8, 0, 0};
                wire::appendBytes(body, udp);
            }
            wire::appendBytes(out, buildIcmp(type, code, 0, 0, body));
            break;
        }
        case kIgmp: {
            out.resize(l4 + 8, 0);
            out[l4] = static_cast<std::uint8_t>(key.tp_src);
            out[l4 + 1] = static_cast<std::uint8_t>(key.tp_dst);
            const std::span<const std::uint8_t> seg(out.data() + l4, 8);
            wire::store16(&out[l4 + 2], internetChecksum(seg));
            break;
        }
        default:
            appendPattern(out, payloadBytes);
            break;
    }
}

}  // namespace

std::vector<std::uint8_t> composeFrame(const FlowKey& key, std::size_t payloadBytes) {
    std::vector<std::uint8_t> out;
    out.reserve(kEthernetHeaderLength + kVlanHeaderLength + kIpv4HeaderLength + 64 + payloadBytes);
    const MacAddress dst = MacAddress::fromU64(key.dl_dst);
    const MacAddress src = MacAddress::fromU64(key.dl_src);
    const bool tagged = (key.vlan_tci & kVlanCfi) != 0;
    const std::uint16_t type =
        key.dl_type == kDlTypeNone ? static_cast<std::uint16_t>(payloadBytes) : key.dl_type;
    NLAB_ASSERT(key.dl_type != kDlTypeNone || payloadBytes < kEtherTypeMin);
    appendEthernetHeader(out, dst, src, tagged ? eth_type::kVlan : type);
    if (tagged) {
        wire::appendStruct(
            out,
            VlanHeader{Be16(static_cast<std::uint16_t>(key.vlan_tci & ~kVlanCfi)), Be16(type)});
    }

    if (key.dl_type == eth_type::kIpv4) {
        const std::size_t l3 = out.size();
        out.resize(l3 + kIpv4HeaderLength, 0);
        appendTransport(out, key, payloadBytes);
        const std::size_t totalLength = out.size() - l3;
        NLAB_ASSERT(totalLength <= 0xffff);
        Ipv4Header h;
        h.versionIhl = 0x45;
        h.tos = key.nw_tos;
        h.totalLength = Be16(static_cast<std::uint16_t>(totalLength));
        h.ttl = key.nw_ttl;
        h.protocol = key.nw_proto;
        h.src = Be32(key.nw_src);
        h.dst = Be32(key.nw_dst);
        wire::writeStruct(std::span<std::uint8_t>(out), l3, h);
        setIpv4HeaderChecksum(std::span<std::uint8_t>(out).subspan(l3, kIpv4HeaderLength));
    } else if (key.dl_type == eth_type::kArp || key.dl_type == kRarp) {
        ArpPacket arp;
        arp.op = key.nw_proto;
        arp.sha = MacAddress::fromU64(key.arp_sha);
        arp.spa = Ipv4Address(key.nw_src);
        arp.tha = MacAddress::fromU64(key.arp_tha);
        arp.tpa = Ipv4Address(key.nw_dst);
        appendArp(out, arp);
    } else {
        out.resize(out.size() + payloadBytes, 0);
    }
    padFrame(out);
    return out;
}

}  // namespace nlab::engine
