#include "engine/codec/flow_extract.h"

#include "engine/codec/ethernet.h"
#include "engine/codec/flow_extract_internal.h"
#include "engine/codec/wire.h"

namespace nlab::engine {

namespace flow_extract_internal {

namespace {

constexpr std::uint16_t kRarp = 0x8035;
constexpr std::uint8_t kIgmp = 2;
constexpr std::uint8_t kSctp = 132;

}  // namespace

FlowKey extractWithLayout(std::span<const std::uint8_t> frame, std::uint32_t inPort,
                          const TunnelMetadata* tunnel, FrameLayout* layout) {
    FlowKey key{};
    FrameLayout lay;
    key.in_port = inPort;
    if (tunnel != nullptr && tunnel->present) {
        key.tun_id = tunnel->tunId;
        key.tun_src = tunnel->src;
        key.tun_dst = tunnel->dst;
    }

    const std::uint8_t* const p = frame.data();
    const std::size_t size = frame.size();
    if (size < kEthernetHeaderLength) {
        if (layout != nullptr) {
            *layout = lay;
        }
        return key;
    }
    lay.ethernet = true;
    key.dl_dst = wire::load48(p);
    key.dl_src = wire::load48(p + 6);

    // One VLAN tag (vlan-limit=1): the TPID at 12 and TCI + next type after it.
    std::size_t off = 12;
    std::uint16_t type = wire::load16(p + off);
    if (isVlanTpid(type) && size - off >= 6) {
        key.vlan_tci = static_cast<std::uint16_t>(wire::load16(p + off + 2) | kVlanCfi);
        lay.vlan = true;
        off += 4;
        type = wire::load16(p + off);
    }
    off += 2;  // Past the type (or length) field.
    if (type < kEtherTypeMin) {
        // 802.3: only LLC/SNAP with an Ethernet OUI names a protocol.
        type = kDlTypeNone;
        if (size - off >= kLlcSnapHeaderLength && p[off] == 0xaa && p[off + 1] == 0xaa &&
            p[off + 2] == 0x03 && p[off + 3] == 0 && p[off + 4] == 0 && p[off + 5] == 0) {
            const std::uint16_t snapType = wire::load16(p + off + 6);
            off += kLlcSnapHeaderLength;
            if (snapType >= kEtherTypeMin) {
                type = snapType;
            }
        }
    }
    key.dl_type = type;
    lay.l3 = off;
    const std::size_t l3Size = size - off;
    const std::uint8_t* const nh = p + off;

    if (type == eth_type::kIpv4) {
        if (l3Size < 20) {
            goto done;
        }
        const std::size_t ipLen = std::size_t(nh[0] & 0x0f) * 4;
        if (ipLen < 20 || l3Size < ipLen) {
            goto done;
        }
        const std::size_t totLen = wire::load16(nh + 2);
        if (totLen > l3Size || ipLen > totLen) {
            goto done;
        }
        lay.ipv4 = true;
        key.nw_src = wire::load32(nh + 12);
        key.nw_dst = wire::load32(nh + 16);
        key.nw_tos = nh[1];
        key.nw_ttl = nh[8];
        key.nw_proto = nh[9];
        const std::uint16_t frag = wire::load16(nh + 6);
        lay.laterFragment = (frag & 0x1fff) != 0;
        lay.l4 = off + ipLen;
        lay.l4Size = totLen - ipLen;
        if (lay.laterFragment) {
            goto done;
        }
        const std::uint8_t* const th = p + lay.l4;
        const std::size_t l4Size = lay.l4Size;
        switch (key.nw_proto) {
            case ip_proto::kTcp:
                if (l4Size >= 20) {
                    const std::size_t hdrLen = std::size_t(th[12] >> 4) * 4;
                    if (hdrLen >= 20 && l4Size >= hdrLen) {
                        key.tp_src = wire::load16(th);
                        key.tp_dst = wire::load16(th + 2);
                        lay.l4Kind = L4Kind::Tcp;
                    }
                }
                break;
            case ip_proto::kUdp:
                if (l4Size >= 8) {
                    key.tp_src = wire::load16(th);
                    key.tp_dst = wire::load16(th + 2);
                    lay.l4Kind = L4Kind::Udp;
                }
                break;
            case kSctp:
                if (l4Size >= 12) {
                    key.tp_src = wire::load16(th);
                    key.tp_dst = wire::load16(th + 2);
                    lay.l4Kind = L4Kind::Sctp;
                }
                break;
            case ip_proto::kIcmp:
                if (l4Size >= 8) {
                    key.tp_src = th[0];
                    key.tp_dst = th[1];
                    lay.l4Kind = L4Kind::Icmp;
                }
                break;
            case kIgmp:
                if (l4Size >= 8) {
                    key.tp_src = th[0];
                    key.tp_dst = th[1];
                    lay.l4Kind = L4Kind::Igmp;
                }
                break;
            default:
                break;
        }
    } else if (type == eth_type::kArp || type == kRarp) {
        if (l3Size >= 28 && wire::load16(nh) == 1 && wire::load16(nh + 2) == eth_type::kIpv4 &&
            nh[4] == 6 && nh[5] == 4) {
            lay.arp = true;
            const std::uint16_t op = wire::load16(nh + 6);
            if (op <= 0xff) {
                key.nw_proto = static_cast<std::uint8_t>(op);
            }
            key.arp_sha = wire::load48(nh + 8);
            key.nw_src = wire::load32(nh + 14);
            key.arp_tha = wire::load48(nh + 18);
            key.nw_dst = wire::load32(nh + 24);
        }
    }

done:
    if (layout != nullptr) {
        *layout = lay;
    }
    return key;
}

}  // namespace flow_extract_internal

FlowKey extractFlowKey(std::span<const std::uint8_t> frame, std::uint32_t inPort,
                       const TunnelMetadata* tunnel) {
    return flow_extract_internal::extractWithLayout(frame, inPort, tunnel, nullptr);
}

FlowKey extractFlowKey(const Packet& packet, std::uint32_t inPort) {
    return flow_extract_internal::extractWithLayout(
        packet.bytes(), inPort, packet.tunnel.present ? &packet.tunnel : nullptr, nullptr);
}

}  // namespace nlab::engine
