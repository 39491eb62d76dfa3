#include "engine/codec/tunnel.h"

#include "engine/codec/codec_internal.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/codec/wire.h"
#include "engine/core/assert.h"
#include "engine/flow/flow_key.h"

#include <string>

namespace nlab::engine {

using codec_internal::codecError;

Result<std::size_t> parseGre(std::span<const std::uint8_t> bytes, GrePacket& out) {
    GreBaseHeader h;
    if (!wire::readStruct(bytes, 0, h)) {
        return codec_internal::truncatedError("GRE", bytes.size(), kGreBaseHeaderLength, "header");
    }
    const std::uint16_t fv = h.flagsVersion.value();
    if ((fv & gre_flag::kVersionMask) != 0) {
        return codecError(ErrorCode::Malformed, "GRE",
                          "version " + std::to_string(fv & gre_flag::kVersionMask) + " != 0");
    }
    // RFC 2784 section 2.3: bits 1 and 4-5 (routing, strict source route, recursion) non-zero
    // mean RFC 1701 source routing, which receivers must discard.
    const std::uint16_t rfc1701 = gre_flag::kRouting | gre_flag::kStrictRoute | 0x0400;
    if ((fv & rfc1701) != 0) {
        return codecError(ErrorCode::Malformed, "GRE",
                          "RFC 1701 routing bits " + codec_internal::hex(fv & rfc1701, 4) + " set");
    }
    GrePacket g;
    g.flagsVersion = fv;
    g.protocol = h.protocol.value();
    std::size_t offset = kGreBaseHeaderLength;
    auto field = [&](std::uint32_t& value) -> bool {
        if (!wire::has(bytes, offset, 4)) {
            return false;
        }
        value = wire::load32(bytes.data() + offset);
        offset += 4;
        return true;
    };
    auto missing = [&](const char* name) {
        return codecError(ErrorCode::Truncated, "GRE",
                          std::string(name) + " field announced but only " +
                              std::to_string(bytes.size() - offset) + " bytes remain");
    };
    if (fv & gre_flag::kChecksum) {
        std::uint32_t v = 0;
        if (!field(v)) {
            return missing("checksum");
        }
        g.checksumPresent = true;
        g.checksum = static_cast<std::uint16_t>(v >> 16);
    }
    if (fv & gre_flag::kKey) {
        if (!field(g.key)) {
            return missing("key");
        }
        g.keyPresent = true;
    }
    if (fv & gre_flag::kSequence) {
        if (!field(g.sequence)) {
            return missing("sequence");
        }
        g.sequencePresent = true;
    }
    g.headerLength = offset;
    g.payload = bytes.subspan(offset);
    out = g;
    return offset;
}

bool greChecksumValid(std::span<const std::uint8_t> greMessage) {
    if (greMessage.size() < kGreBaseHeaderLength) {
        return false;
    }
    if ((wire::load16(greMessage.data()) & gre_flag::kChecksum) == 0) {
        return true;
    }
    return greMessage.size() >= kGreBaseHeaderLength + 4 && internetChecksum(greMessage) == 0;
}

std::vector<std::uint8_t> buildGre(const GreFields& fields, std::span<const std::uint8_t> payload) {
    std::uint16_t fv = 0;
    std::size_t headerLength = kGreBaseHeaderLength;
    if (fields.checksum) {
        fv |= gre_flag::kChecksum;
        headerLength += 4;
    }
    if (fields.key) {
        fv |= gre_flag::kKey;
        headerLength += 4;
    }
    if (fields.sequence) {
        fv |= gre_flag::kSequence;
        headerLength += 4;
    }
    std::vector<std::uint8_t> out(headerLength, 0);
    out.reserve(headerLength + payload.size());
    wire::store16(out.data(), fv);
    wire::store16(out.data() + 2, fields.protocol);
    std::size_t offset = kGreBaseHeaderLength;
    const std::size_t csumOffset = offset;
    if (fields.checksum) {
        offset += 4;
    }
    if (fields.key) {
        wire::store32(out.data() + offset, *fields.key);
        offset += 4;
    }
    if (fields.sequence) {
        wire::store32(out.data() + offset, *fields.sequence);
    }
    wire::appendBytes(out, payload);
    if (fields.checksum) {
        wire::store16(out.data() + csumOffset, internetChecksum(out));
    }
    return out;
}

Result<std::size_t> parseVxlan(std::span<const std::uint8_t> bytes, VxlanPacket& out) {
    VxlanHeader h;
    if (!wire::readStruct(bytes, 0, h)) {
        return codec_internal::truncatedError("VXLAN", bytes.size(), kVxlanHeaderLength, "header");
    }
    if ((h.flags & vxlan_flag::kVniValid) == 0) {
        return codecError(
            ErrorCode::Malformed, "VXLAN",
            "I flag clear in flags " + codec_internal::hex(h.flags, 2) + " (VNI not valid)");
    }
    out.flags = h.flags;
    out.vni = h.vniReserved.value() >> 8;
    out.payload = bytes.subspan(kVxlanHeaderLength);
    return kVxlanHeaderLength;
}

std::vector<std::uint8_t> buildVxlan(std::uint32_t vni, std::span<const std::uint8_t> payload) {
    std::vector<std::uint8_t> out;
    out.reserve(kVxlanHeaderLength + payload.size());
    VxlanHeader h;
    h.vniReserved = Be32((vni & 0xffffff) << 8);
    wire::appendStruct(out, h);
    wire::appendBytes(out, payload);
    return out;
}

namespace {

/// Outer Ethernet + IPv4 header (protocol 'proto', 'l4Length' payload bytes) into 'out'.
void appendOuter(std::vector<std::uint8_t>& out, const OuterHeaders& outer, std::uint8_t proto,
                 std::size_t l4Length) {
    appendEthernetHeader(out, MacAddress::fromU64(outer.dstMac), MacAddress::fromU64(outer.srcMac),
                         eth_type::kIpv4);
    Ipv4Fields ip;
    ip.src = Ipv4Address(outer.srcIp);
    ip.dst = Ipv4Address(outer.dstIp);
    ip.protocol = proto;
    ip.ttl = outer.ttl;
    ip.tos = outer.tos;
    ip.id = outer.ipId;
    ip.dontFragment = outer.dontFragment;
    appendIpv4Header(out, ip, l4Length);
}

}  // namespace

std::vector<std::uint8_t> encapsulateGre(const OuterHeaders& outer, std::uint32_t key,
                                         std::span<const std::uint8_t> inner) {
    constexpr std::size_t kGreLength = kGreBaseHeaderLength + 4;
    const std::size_t l4Length = kGreLength + inner.size();
    NLAB_ASSERT(kIpv4HeaderLength + l4Length <= 0xffff);
    std::vector<std::uint8_t> out;
    out.reserve(kEthernetHeaderLength + kIpv4HeaderLength + l4Length);
    appendOuter(out, outer, ip_proto::kGre, l4Length);
    std::uint8_t gre[kGreLength];
    wire::store16(gre, gre_flag::kKey);
    wire::store16(gre + 2, eth_type::kTransparentEthernet);
    wire::store32(gre + 4, key);
    wire::appendBytes(out, gre);
    wire::appendBytes(out, inner);
    return out;
}

std::vector<std::uint8_t> encapsulateVxlan(const OuterHeaders& outer, std::uint32_t vni,
                                           std::uint16_t udpSrcPort,
                                           std::span<const std::uint8_t> inner) {
    const std::size_t udpLength = kUdpHeaderLength + kVxlanHeaderLength + inner.size();
    NLAB_ASSERT(kIpv4HeaderLength + udpLength <= 0xffff);
    std::vector<std::uint8_t> out;
    out.reserve(kEthernetHeaderLength + kIpv4HeaderLength + udpLength);
    appendOuter(out, outer, ip_proto::kUdp, udpLength);
    const std::size_t udpAt = out.size();
    UdpHeader uh;
    uh.srcPort = Be16(udpSrcPort);
    uh.dstPort = Be16(kVxlanPort);
    uh.length = Be16(static_cast<std::uint16_t>(udpLength));
    wire::appendStruct(out, uh);
    VxlanHeader vh;
    vh.vniReserved = Be32((vni & 0xffffff) << 8);
    wire::appendStruct(out, vh);
    wire::appendBytes(out, inner);
    if (outer.udpChecksum) {
        const std::uint16_t c = udpChecksum(outer.srcIp, outer.dstIp,
                                            std::span<const std::uint8_t>(out).subspan(udpAt));
        wire::store16(out.data() + udpAt + 6, c);
    }
    return out;
}

std::optional<Decapsulated> decapsulate(std::span<const std::uint8_t> frame) {
    EthernetFrame eth;
    if (!parseEthernet(frame, eth) || eth.typeOrLength != eth_type::kIpv4) {
        return std::nullopt;
    }
    Ipv4Datagram ip;
    if (!parseIpv4(eth.payload, ip) ||
        !ipv4HeaderChecksumValid(eth.payload.first(ip.headerLength)) || ip.isFragment()) {
        return std::nullopt;
    }
    Decapsulated d;
    d.outerSrc = ip.src().toU32();
    d.outerDst = ip.dst().toU32();
    std::span<const std::uint8_t> inner;
    if (ip.protocol() == ip_proto::kGre) {
        GrePacket gre;
        if (!parseGre(ip.payload, gre) || gre.protocol != eth_type::kTransparentEthernet ||
            !greChecksumValid(ip.payload)) {
            return std::nullopt;
        }
        d.kind = Decapsulated::Kind::Gre;
        d.key = gre.keyPresent ? gre.key : 0;
        inner = gre.payload;
    } else if (ip.protocol() == ip_proto::kUdp) {
        UdpDatagram udp;
        if (!parseUdp(ip.payload, udp) || udp.dstPort() != kVxlanPort) {
            return std::nullopt;
        }
        const auto segment = ip.payload.first(udp.length());
        if (!udpChecksumValid(d.outerSrc, d.outerDst, segment)) {
            return std::nullopt;
        }
        VxlanPacket vx;
        if (!parseVxlan(udp.payload, vx)) {
            return std::nullopt;
        }
        d.kind = Decapsulated::Kind::Vxlan;
        d.key = vx.vni;
        inner = vx.payload;
    } else {
        return std::nullopt;
    }
    if (inner.size() < kEthernetHeaderLength) {
        return std::nullopt;
    }
    d.inner.assign(inner.begin(), inner.end());
    return d;
}

}  // namespace nlab::engine
