#pragma once
// Where extractFlowKey found each layer of a frame. Shared by flow_extract.cpp and
// frame_rewrite.cpp (and their tests) so that a rewrite touches exactly the headers that
// extraction read. Internal to engine/codec.

#include "engine/flow/flow_key.h"
#include "engine/packet/packet.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace nlab::engine::flow_extract_internal {

/// Transport header kinds whose fields extraction took.
enum class L4Kind : std::uint8_t { None, Tcp, Udp, Icmp, Sctp, Igmp };

/// Offsets of the layers of one frame, as extraction saw them.
struct FrameLayout {
    bool ethernet = false;         ///< A complete 14-byte Ethernet header.
    bool vlan = false;             ///< An outer VLAN tag was parsed (TPID at offset 12).
    bool ipv4 = false;             ///< dl_type IPv4 and the header passed the sanity check.
    bool arp = false;              ///< ARP fields were extracted.
    bool laterFragment = false;    ///< IPv4 fragment offset != 0.
    L4Kind l4Kind = L4Kind::None;  ///< Transport header whose fields were extracted.
    std::size_t l3 = 0;            ///< Offset of the network header (valid for ipv4/arp).
    std::size_t l4 = 0;            ///< Offset of the transport header (valid when ipv4).
    std::size_t l4Size = 0;        ///< Bytes from l4 to the IPv4 total length (valid when ipv4).
};

/// extractFlowKey that also reports the layout in '*layout' when 'layout' is non-null.
FlowKey extractWithLayout(std::span<const std::uint8_t> frame, std::uint32_t inPort,
                          const TunnelMetadata* tunnel, FrameLayout* layout);

}  // namespace nlab::engine::flow_extract_internal
