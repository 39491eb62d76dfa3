#include "engine/netns/udp_glue_internal.h"

#include "engine/codec/l4.h"

namespace nlab::engine::netns_internal {

bool parseUdpFields(std::span<const std::uint8_t> segment, UdpFields& out) {
    UdpDatagram u;
    if (!parseUdp(segment, u).ok()) return false;
    out.srcPort = u.srcPort();
    out.dstPort = u.dstPort();
    out.length = u.length();
    out.payload = u.payload;
    return true;
}

bool udpChecksumOk(std::uint32_t srcIp, std::uint32_t dstIp,
                   std::span<const std::uint8_t> segment) {
    return udpChecksumValid(srcIp, dstIp, segment);
}

std::uint16_t udpChecksumFor(std::uint32_t srcIp, std::uint32_t dstIp,
                             std::span<const std::uint8_t> segment) {
    return udpChecksum(srcIp, dstIp, segment);
}

std::uint16_t tcpChecksumFor(std::uint32_t srcIp, std::uint32_t dstIp,
                             std::span<const std::uint8_t> segment) {
    return tcpChecksum(srcIp, dstIp, segment);
}

}  // namespace nlab::engine::netns_internal
