#pragma once
// The IPv4 stack's window on the UDP/TCP codec (engine/codec/l4.h).
//
// What
//   l4.h and net_namespace.h both declare a `nlab::engine::UdpDatagram` (the codec's parse
//   result and the stack's delivery record), so no file can include both. The stack calls
//   the codec through these few functions, defined in udp_glue.cpp, which includes l4.h only.
//   Internal to engine/netns (and its tests).

#include <cstdint>
#include <span>

namespace nlab::engine::netns_internal {

/// The fields of a parsed UDP datagram the stack needs.
struct UdpFields {
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::uint16_t length = 0;               ///< Header + payload, from the length field.
    std::span<const std::uint8_t> payload;  ///< [8, length) of the segment.
};

/// parseUdp on 'segment' (an IPv4 payload); false when truncated or malformed.
bool parseUdpFields(std::span<const std::uint8_t> segment, UdpFields& out);
/// udpChecksumValid: true when correct or zero ("not computed").
bool udpChecksumOk(std::uint32_t srcIp, std::uint32_t dstIp, std::span<const std::uint8_t> segment);
/// The UDP checksum field value for 'segment' (its current field content is ignored).
std::uint16_t udpChecksumFor(std::uint32_t srcIp, std::uint32_t dstIp,
                             std::span<const std::uint8_t> segment);
/// The TCP checksum field value for 'segment' (with its checksum field zeroed by the caller).
std::uint16_t tcpChecksumFor(std::uint32_t srcIp, std::uint32_t dstIp,
                             std::span<const std::uint8_t> segment);

}  // namespace nlab::engine::netns_internal
