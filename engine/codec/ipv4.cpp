#include "engine/codec/ipv4.h"

#include "engine/codec/codec_internal.h"
#include "engine/codec/wire.h"
#include "engine/core/assert.h"
#include "engine/flow/flow_key.h"

#include <string>

namespace nlab::engine {

using codec_internal::codecError;
using codec_internal::truncatedError;

Result<std::size_t> parseIpv4(std::span<const std::uint8_t> bytes, Ipv4Datagram& out) {
    Ipv4Header h;
    if (!wire::readStruct(bytes, 0, h)) {
        return truncatedError("IPv4", bytes.size(), kIpv4HeaderLength, "header");
    }
    const unsigned version = h.versionIhl >> 4;
    const unsigned ihl = h.versionIhl & 0x0f;
    if (version != 4) {
        return codecError(ErrorCode::Malformed, "IPv4",
                          "version " + std::to_string(version) + " != 4");
    }
    if (ihl < 5) {
        return codecError(ErrorCode::Malformed, "IPv4",
                          "header length " + std::to_string(ihl) + " words < 5");
    }
    const std::size_t headerLength = std::size_t(ihl) * 4;
    if (bytes.size() < headerLength) {
        return codecError(ErrorCode::Truncated, "IPv4",
                          "header length " + std::to_string(headerLength) + " > " +
                              std::to_string(bytes.size()) + " bytes available");
    }
    const std::uint16_t totalLength = h.totalLength.value();
    if (totalLength < headerLength) {
        return codecError(ErrorCode::Malformed, "IPv4",
                          "total length " + std::to_string(totalLength) + " < header length " +
                              std::to_string(headerLength));
    }
    if (totalLength > bytes.size()) {
        return codecError(ErrorCode::Truncated, "IPv4",
                          "total length " + std::to_string(totalLength) + " > " +
                              std::to_string(bytes.size()) + " bytes available");
    }
    out.header = h;
    out.headerLength = headerLength;
    out.totalLength = totalLength;
    out.options = bytes.subspan(kIpv4HeaderLength, headerLength - kIpv4HeaderLength);
    out.payload = bytes.subspan(headerLength, totalLength - headerLength);
    return headerLength;
}

void appendIpv4Header(std::vector<std::uint8_t>& out, const Ipv4Fields& fields,
                      std::size_t payloadLength, std::span<const std::uint8_t> options) {
    const std::size_t optionLength = (options.size() + 3) / 4 * 4;
    NLAB_ASSERT(optionLength <= kIpv4MaxHeaderLength - kIpv4HeaderLength);
    const std::size_t headerLength = kIpv4HeaderLength + optionLength;
    NLAB_ASSERT(headerLength + payloadLength <= 0xffff);
    NLAB_ASSERT(fields.fragmentOffset <= kIpv4FragmentOffsetMask);

    Ipv4Header h;
    h.versionIhl = static_cast<std::uint8_t>(0x40 | (headerLength / 4));
    h.tos = fields.tos;
    h.totalLength = Be16(static_cast<std::uint16_t>(headerLength + payloadLength));
    h.id = Be16(fields.id);
    h.flagsFragment = Be16(static_cast<std::uint16_t>(
        (fields.dontFragment ? kIpv4DontFragment : 0) |
        (fields.moreFragments ? kIpv4MoreFragments : 0) | fields.fragmentOffset));
    h.ttl = fields.ttl;
    h.protocol = fields.protocol;
    h.src = Be32(fields.src.toU32());
    h.dst = Be32(fields.dst.toU32());

    const std::size_t at = out.size();
    wire::appendStruct(out, h);
    wire::appendBytes(out, options);
    out.resize(at + headerLength, 0);
    setIpv4HeaderChecksum(std::span<std::uint8_t>(out).subspan(at, headerLength));
}

std::vector<std::uint8_t> buildIpv4(const Ipv4Fields& fields, std::span<const std::uint8_t> payload,
                                    std::span<const std::uint8_t> options) {
    std::vector<std::uint8_t> out;
    out.reserve(kIpv4MaxHeaderLength + payload.size());
    appendIpv4Header(out, fields, payload.size(), options);
    wire::appendBytes(out, payload);
    return out;
}

bool ipv4HeaderChecksumValid(std::span<const std::uint8_t> header) {
    return internetChecksum(header) == 0;
}

void setIpv4HeaderChecksum(std::span<std::uint8_t> header) {
    NLAB_ASSERT(header.size() >= kIpv4HeaderLength);
    wire::store16(header.data() + 10, 0);
    wire::store16(header.data() + 10, internetChecksum(header));
}

std::uint32_t checksumPartial(std::span<const std::uint8_t> bytes, std::uint32_t sum) {
    std::uint64_t acc = sum;
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    while (n >= 2) {
        acc += wire::load16(p);
        p += 2;
        n -= 2;
    }
    if (n == 1) {
        acc += std::uint32_t(p[0]) << 8;
    }
    while (acc >> 16) {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    return static_cast<std::uint32_t>(acc);
}

std::uint16_t checksumFinish(std::uint32_t sum) {
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::uint16_t internetChecksum(std::span<const std::uint8_t> bytes) {
    return checksumFinish(checksumPartial(bytes));
}

std::uint32_t ipv4PseudoHeaderSum(std::uint32_t src, std::uint32_t dst, std::uint8_t protocol,
                                  std::uint16_t l4Length) {
    std::uint64_t acc =
        (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + protocol + l4Length;
    while (acc >> 16) {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    return static_cast<std::uint32_t>(acc);
}

std::uint16_t checksumUpdate16(std::uint16_t checksum, std::uint16_t oldValue,
                               std::uint16_t newValue) {
    std::uint32_t sum =
        std::uint32_t(~checksum & 0xffff) + std::uint32_t(~oldValue & 0xffff) + newValue;
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::uint16_t checksumUpdate32(std::uint16_t checksum, std::uint32_t oldValue,
                               std::uint32_t newValue) {
    checksum = checksumUpdate16(checksum, static_cast<std::uint16_t>(oldValue >> 16),
                                static_cast<std::uint16_t>(newValue >> 16));
    return checksumUpdate16(checksum, static_cast<std::uint16_t>(oldValue),
                            static_cast<std::uint16_t>(newValue));
}

std::string_view ipProtoName(std::uint8_t protocol) {
    switch (protocol) {
        case 1:
            return "ICMP";
        case 2:
            return "IGMP";
        case 4:
            return "IPIP";
        case 6:
            return "TCP";
        case 17:
            return "UDP";
        case 41:
            return "IPv6";
        case 47:
            return "GRE";
        case 50:
            return "ESP";
        case 51:
            return "AH";
        case 58:
            return "ICMPv6";
        case 89:
            return "OSPF";
        case 103:
            return "PIM";
        case 112:
            return "VRRP";
        case 132:
            return "SCTP";
        default:
            return "";
    }
}

}  // namespace nlab::engine
