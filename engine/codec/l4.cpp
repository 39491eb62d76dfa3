#include "engine/codec/l4.h"

#include "engine/codec/codec_internal.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/wire.h"
#include "engine/core/assert.h"
#include "engine/flow/flow_key.h"

#include <array>

namespace nlab::engine {

using codec_internal::codecError;
using codec_internal::truncatedError;

namespace {

/// Pseudo-header + segment sum with the 16-bit checksum field at 'csumOffset' read as zero.
std::uint32_t segmentSum(std::uint32_t srcIp, std::uint32_t dstIp, std::uint8_t proto,
                         std::span<const std::uint8_t> segment, std::size_t csumOffset) {
    std::uint32_t sum =
        ipv4PseudoHeaderSum(srcIp, dstIp, proto, static_cast<std::uint16_t>(segment.size()));
    sum = checksumPartial(segment.first(csumOffset), sum);
    return checksumPartial(segment.subspan(csumOffset + 2), sum);
}

}  // namespace

Result<std::size_t> parseUdp(std::span<const std::uint8_t> bytes, UdpDatagram& out) {
    UdpHeader h;
    if (!wire::readStruct(bytes, 0, h)) {
        return truncatedError("UDP", bytes.size(), kUdpHeaderLength, "header");
    }
    const std::uint16_t length = h.length.value();
    if (length < kUdpHeaderLength) {
        return codecError(ErrorCode::Malformed, "UDP",
                          "length " + std::to_string(length) + " < 8-byte header");
    }
    if (length > bytes.size()) {
        return codecError(ErrorCode::Truncated, "UDP",
                          "length " + std::to_string(length) + " > " +
                              std::to_string(bytes.size()) + " bytes available");
    }
    out.header = h;
    out.payload = bytes.subspan(kUdpHeaderLength, length - kUdpHeaderLength);
    return kUdpHeaderLength;
}

Result<std::size_t> parseTcp(std::span<const std::uint8_t> bytes, TcpSegment& out) {
    TcpHeader h;
    if (!wire::readStruct(bytes, 0, h)) {
        return truncatedError("TCP", bytes.size(), kTcpHeaderLength, "header");
    }
    const std::size_t words = h.dataOffset >> 4;
    if (words < 5) {
        return codecError(ErrorCode::Malformed, "TCP",
                          "data offset " + std::to_string(words) + " words < 5");
    }
    if (words * 4 > bytes.size()) {
        return codecError(ErrorCode::Truncated, "TCP",
                          "header length " + std::to_string(words * 4) + " > " +
                              std::to_string(bytes.size()) + " bytes available");
    }
    out.header = h;
    out.headerLength = words * 4;
    out.options = bytes.subspan(kTcpHeaderLength, out.headerLength - kTcpHeaderLength);
    out.payload = bytes.subspan(out.headerLength);
    return out.headerLength;
}

std::uint16_t udpChecksum(std::uint32_t srcIp, std::uint32_t dstIp,
                          std::span<const std::uint8_t> segment) {
    NLAB_ASSERT(segment.size() >= kUdpHeaderLength);
    const std::uint16_t c = checksumFinish(segmentSum(srcIp, dstIp, ip_proto::kUdp, segment, 6));
    return c == 0 ? 0xffff : c;
}

bool udpChecksumValid(std::uint32_t srcIp, std::uint32_t dstIp,
                      std::span<const std::uint8_t> segment) {
    if (segment.size() < kUdpHeaderLength) {
        return false;
    }
    if (wire::load16(segment.data() + 6) == 0) {
        return true;
    }
    const std::uint32_t sum = ipv4PseudoHeaderSum(srcIp, dstIp, ip_proto::kUdp,
                                                  static_cast<std::uint16_t>(segment.size()));
    return checksumFinish(checksumPartial(segment, sum)) == 0;
}

std::uint16_t tcpChecksum(std::uint32_t srcIp, std::uint32_t dstIp,
                          std::span<const std::uint8_t> segment) {
    NLAB_ASSERT(segment.size() >= kTcpHeaderLength);
    return checksumFinish(segmentSum(srcIp, dstIp, ip_proto::kTcp, segment, 16));
}

bool tcpChecksumValid(std::uint32_t srcIp, std::uint32_t dstIp,
                      std::span<const std::uint8_t> segment) {
    if (segment.size() < kTcpHeaderLength) {
        return false;
    }
    const std::uint32_t sum = ipv4PseudoHeaderSum(srcIp, dstIp, ip_proto::kTcp,
                                                  static_cast<std::uint16_t>(segment.size()));
    return checksumFinish(checksumPartial(segment, sum)) == 0;
}

std::vector<std::uint8_t> buildUdp(std::uint16_t srcPort, std::uint16_t dstPort,
                                   std::span<const std::uint8_t> payload, std::uint32_t srcIp,
                                   std::uint32_t dstIp, bool withChecksum) {
    NLAB_ASSERT(payload.size() + kUdpHeaderLength <= 0xffff);
    std::vector<std::uint8_t> out;
    out.reserve(kUdpHeaderLength + payload.size());
    UdpHeader h;
    h.srcPort = Be16(srcPort);
    h.dstPort = Be16(dstPort);
    h.length = Be16(static_cast<std::uint16_t>(kUdpHeaderLength + payload.size()));
    wire::appendStruct(out, h);
    wire::appendBytes(out, payload);
    if (withChecksum) {
        wire::store16(out.data() + 6, udpChecksum(srcIp, dstIp, out));
    }
    return out;
}

std::vector<std::uint8_t> buildTcp(const TcpFields& fields, std::span<const std::uint8_t> payload,
                                   std::uint32_t srcIp, std::uint32_t dstIp,
                                   std::span<const std::uint8_t> options) {
    const std::size_t optionLength = (options.size() + 3) / 4 * 4;
    NLAB_ASSERT(optionLength <= kTcpMaxHeaderLength - kTcpHeaderLength);
    const std::size_t headerLength = kTcpHeaderLength + optionLength;
    std::vector<std::uint8_t> out;
    out.reserve(headerLength + payload.size());
    TcpHeader h;
    h.srcPort = Be16(fields.srcPort);
    h.dstPort = Be16(fields.dstPort);
    h.seq = Be32(fields.seq);
    h.ack = Be32(fields.ack);
    h.dataOffset = static_cast<std::uint8_t>(((headerLength / 4) << 4) |
                                             ((fields.flags & tcp_flag::kNs) ? 1 : 0));
    h.flags = static_cast<std::uint8_t>(fields.flags & 0xff);
    h.window = Be16(fields.window);
    h.urgentPointer = Be16(fields.urgentPointer);
    wire::appendStruct(out, h);
    wire::appendBytes(out, options);
    out.resize(headerLength, 0);
    wire::appendBytes(out, payload);
    wire::store16(out.data() + 16, tcpChecksum(srcIp, dstIp, out));
    return out;
}

namespace {

std::uint32_t crc32cUpdate(std::uint32_t crc, std::span<const std::uint8_t> bytes) {
    static constexpr auto kTable = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) {
                c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
            }
            t[i] = c;
        }
        return t;
    }();
    for (const std::uint8_t b : bytes) {
        crc = kTable[(crc ^ b) & 0xff] ^ (crc >> 8);
    }
    return crc;
}

}  // namespace

std::uint32_t crc32c(std::span<const std::uint8_t> bytes) {
    return ~crc32cUpdate(0xffffffffu, bytes);
}

std::uint32_t sctpChecksum(std::span<const std::uint8_t> packet) {
    NLAB_ASSERT(packet.size() >= kSctpCommonHeaderLength);
    static constexpr std::uint8_t kZero[4] = {0, 0, 0, 0};
    std::uint32_t crc = crc32cUpdate(0xffffffffu, packet.first(8));
    crc = crc32cUpdate(crc, kZero);
    crc = crc32cUpdate(crc, packet.subspan(kSctpCommonHeaderLength));
    return ~crc;
}

std::string tcpFlagsString(std::uint16_t flags) {
    static constexpr struct {
        std::uint16_t bit;
        char c;
    } kOrder[] = {{tcp_flag::kFin, 'F'}, {tcp_flag::kSyn, 'S'}, {tcp_flag::kRst, 'R'},
                  {tcp_flag::kPsh, 'P'}, {tcp_flag::kAck, '.'}, {tcp_flag::kUrg, 'U'},
                  {tcp_flag::kEce, 'E'}, {tcp_flag::kCwr, 'W'}};
    std::string s;
    for (const auto& f : kOrder) {
        if (flags & f.bit) {
            s += f.c;
        }
    }
    return s.empty() ? "none" : s;
}

}  // namespace nlab::engine
