#include "engine/codec/frame_rewrite.h"

#include "engine/codec/ethernet.h"
#include "engine/codec/flow_extract_internal.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/codec/wire.h"

#include <span>

namespace nlab::engine {

namespace {

using flow_extract_internal::FrameLayout;
using flow_extract_internal::L4Kind;

/// Updates the 16-bit checksum at 'at' for a 16-bit word changing from 'oldWord' to 'newWord'.
void update16(std::uint8_t* at, std::uint16_t oldWord, std::uint16_t newWord) {
    wire::store16(at, checksumUpdate16(wire::load16(at), oldWord, newWord));
}

/// Where the TCP/UDP checksum covering the pseudo-header is, or null when there is none to
/// update (later fragment, short segment, zero UDP checksum). 'isUdp' reports the kind.
std::uint8_t* pseudoHeaderChecksum(std::uint8_t* frame, const FrameLayout& lay, std::uint8_t proto,
                                   bool& isUdp) {
    isUdp = false;
    if (lay.laterFragment) {
        return nullptr;
    }
    std::uint8_t* l4 = frame + lay.l4;
    if (proto == ip_proto::kTcp && lay.l4Size >= kTcpHeaderLength) {
        return l4 + 16;
    }
    if (proto == ip_proto::kUdp && lay.l4Size >= kUdpHeaderLength && wire::load16(l4 + 6) != 0) {
        isUdp = true;
        return l4 + 6;
    }
    return nullptr;
}

/// Rewrites the IPv4 address at 'field' to 'newAddr', fixing the IPv4 header checksum and the
/// transport checksum (if any).
void setIpv4Address(std::uint8_t* frame, const FrameLayout& lay, std::size_t fieldOffset,
                    std::uint32_t newAddr) {
    std::uint8_t* nh = frame + lay.l3;
    const std::uint32_t oldAddr = wire::load32(nh + fieldOffset);
    if (oldAddr == newAddr) {
        return;
    }
    bool isUdp = false;
    if (std::uint8_t* csum = pseudoHeaderChecksum(frame, lay, nh[9], isUdp)) {
        std::uint16_t c = checksumUpdate32(wire::load16(csum), oldAddr, newAddr);
        if (isUdp && c == 0) {
            c = 0xffff;
        }
        wire::store16(csum, c);
    }
    wire::store16(nh + 10, checksumUpdate32(wire::load16(nh + 10), oldAddr, newAddr));
    wire::store32(nh + fieldOffset, newAddr);
}

void rewriteIpv4(std::uint8_t* frame, const FrameLayout& lay, const FlowKey& before,
                 const FlowKey& after) {
    std::uint8_t* nh = frame + lay.l3;
    if (after.nw_src != before.nw_src) {
        setIpv4Address(frame, lay, 12, after.nw_src);
    }
    if (after.nw_dst != before.nw_dst) {
        setIpv4Address(frame, lay, 16, after.nw_dst);
    }
    if (after.nw_tos != before.nw_tos && nh[1] != after.nw_tos) {
        const std::uint16_t oldWord = wire::load16(nh);
        const auto newWord = static_cast<std::uint16_t>((nh[0] << 8) | after.nw_tos);
        update16(nh + 10, oldWord, newWord);
        nh[1] = after.nw_tos;
    }
    if (after.nw_ttl != before.nw_ttl && nh[8] != after.nw_ttl) {
        const std::uint16_t oldWord = wire::load16(nh + 8);
        const auto newWord = static_cast<std::uint16_t>((after.nw_ttl << 8) | nh[9]);
        update16(nh + 10, oldWord, newWord);
        nh[8] = after.nw_ttl;
    }
}

void rewriteTransport(std::uint8_t* frame, const FrameLayout& lay, const FlowKey& before,
                      const FlowKey& after) {
    if (lay.laterFragment || (after.tp_src == before.tp_src && after.tp_dst == before.tp_dst)) {
        return;
    }
    std::uint8_t* th = frame + lay.l4;
    auto setPort = [&](std::size_t at, std::uint16_t port, std::uint8_t* csum, bool udp) {
        const std::uint16_t old = wire::load16(th + at);
        if (old == port) {
            return;
        }
        if (csum != nullptr) {
            std::uint16_t c = checksumUpdate16(wire::load16(csum), old, port);
            if (udp && c == 0) {
                c = 0xffff;
            }
            wire::store16(csum, c);
        }
        wire::store16(th + at, port);
    };
    switch (lay.l4Kind) {
        case L4Kind::Tcp:
            setPort(0, after.tp_src, th + 16, false);
            setPort(2, after.tp_dst, th + 16, false);
            break;
        case L4Kind::Udp: {
            std::uint8_t* csum = wire::load16(th + 6) != 0 ? th + 6 : nullptr;
            setPort(0, after.tp_src, csum, true);
            setPort(2, after.tp_dst, csum, true);
            break;
        }
        case L4Kind::Sctp: {
            // CRC32c cannot be updated incrementally: recompute, preserving a bad checksum
            // as bad (OVS does the same).
            const std::span<const std::uint8_t> seg(th, lay.l4Size);
            const std::uint32_t oldCorrect = sctpChecksum(seg);
            wire::store16(th, after.tp_src);
            wire::store16(th + 2, after.tp_dst);
            const std::uint32_t newCorrect = sctpChecksum(seg);
            wire::store32le(th + 8, wire::load32le(th + 8) ^ oldCorrect ^ newCorrect);
            break;
        }
        case L4Kind::Icmp: {
            const std::uint16_t oldWord = wire::load16(th);
            const auto newWord =
                static_cast<std::uint16_t>(((after.tp_src & 0xff) << 8) | (after.tp_dst & 0xff));
            if (oldWord != newWord) {
                update16(th + 2, oldWord, newWord);
                wire::store16(th, newWord);
                if (wire::load16(th + 2) == 0) {
                    // RFC 1624's update yields +0 only when the message sums to zero, i.e. is
                    // all zeros, whose checksum must be 0xffff: recompute (rare).
                    wire::store16(th + 2,
                                  internetChecksum(std::span<const std::uint8_t>(th, lay.l4Size)));
                }
            }
            break;
        }
        case L4Kind::Igmp:
        case L4Kind::None:
            break;
    }
}

void rewriteArp(std::uint8_t* frame, const FrameLayout& lay, const FlowKey& before,
                const FlowKey& after) {
    std::uint8_t* ah = frame + lay.l3;
    if (after.nw_proto != before.nw_proto) {
        wire::store16(ah + 6, after.nw_proto);
    }
    if (after.arp_sha != before.arp_sha) {
        wire::store48(ah + 8, after.arp_sha);
    }
    if (after.nw_src != before.nw_src) {
        wire::store32(ah + 14, after.nw_src);
    }
    if (after.arp_tha != before.arp_tha) {
        wire::store48(ah + 18, after.arp_tha);
    }
    if (after.nw_dst != before.nw_dst) {
        wire::store32(ah + 24, after.nw_dst);
    }
}

}  // namespace

void commitKeyToFrame(const FlowKey& before, const FlowKey& after,
                      std::vector<std::uint8_t>& frame) {
    FrameLayout lay;
    flow_extract_internal::extractWithLayout(frame, 0, nullptr, &lay);
    if (!lay.ethernet) {
        return;
    }
    std::uint8_t* p = frame.data();
    if (after.dl_dst != before.dl_dst) {
        wire::store48(p, after.dl_dst);
    }
    if (after.dl_src != before.dl_src) {
        wire::store48(p + 6, after.dl_src);
    }
    if (lay.ipv4) {
        rewriteIpv4(p, lay, before, after);
        rewriteTransport(p, lay, before, after);
    } else if (lay.arp) {
        rewriteArp(p, lay, before, after);
    }

    // VLAN last: a push or pop moves every later header.
    const bool wasTagged = (before.vlan_tci & kVlanCfi) != 0;
    const bool isTagged = (after.vlan_tci & kVlanCfi) != 0;
    const auto tci = static_cast<std::uint16_t>(after.vlan_tci & ~kVlanCfi);
    if (isTagged && !wasTagged) {
        (void)pushVlanTag(frame, eth_type::kVlan, tci);
    } else if (!isTagged && wasTagged) {
        if (lay.vlan) {
            popVlanTag(frame);
        }
    } else if (isTagged && after.vlan_tci != before.vlan_tci && lay.vlan) {
        setOuterVlanTci(frame, tci);
    }
}

}  // namespace nlab::engine
