#include "engine/codec/ethernet.h"

#include "engine/codec/wire.h"
#include "engine/flow/flow_key.h"

#include <algorithm>
#include <cstring>

namespace nlab::engine {

namespace {

Error truncated(std::string message) {
    return Error{ErrorCode::Truncated, std::move(message)};
}

MacAddress macFrom(const std::array<std::uint8_t, 6>& bytes) {
    return MacAddress(bytes);
}

}  // namespace

bool isVlanTpid(std::uint16_t type) {
    return type == eth_type::kVlan || type == eth_type::kQinQ;
}

Result<std::size_t> parseEthernet(std::span<const std::uint8_t> frame, EthernetFrame& out) {
    EthernetHeader eh;
    if (!wire::readStruct(frame, 0, eh)) {
        return truncated("Ethernet: frame of " + std::to_string(frame.size()) +
                         " bytes < 14-byte header");
    }
    out = EthernetFrame{};
    out.dst = macFrom(eh.dst);
    out.src = macFrom(eh.src);
    std::uint16_t type = eh.type.value();
    std::size_t offset = kEthernetHeaderLength;
    while (isVlanTpid(type) && out.tagCount < kMaxVlanTags) {
        VlanHeader vh;
        if (!wire::readStruct(frame, offset, vh)) {
            return truncated(std::string(type == eth_type::kVlan ? "802.1Q" : "802.1ad") +
                             ": tag truncated (" + std::to_string(frame.size() - offset) +
                             " of 4 bytes)");
        }
        out.tags[out.tagCount++] = VlanTag{type, vh.tci.value()};
        type = vh.innerType.value();
        offset += kVlanHeaderLength;
    }
    out.typeOrLength = type;
    out.headerLength = offset;
    out.payload = frame.subspan(offset);
    return offset;
}

Result<std::size_t> parseLlcSnap(std::span<const std::uint8_t> payload, LlcSnap& out) {
    if (payload.size() < 3) {
        return truncated("LLC: " + std::to_string(payload.size()) + " bytes < 3-byte header");
    }
    out = LlcSnap{};
    out.dsap = payload[0];
    out.ssap = payload[1];
    out.control = payload[2];
    out.headerLength = 3;
    if (out.dsap == 0xaa && out.ssap == 0xaa && out.control == 0x03) {
        LlcSnapHeader h;
        if (!wire::readStruct(payload, 0, h)) {
            return truncated("SNAP: " + std::to_string(payload.size()) +
                             " bytes < 8-byte LLC/SNAP header");
        }
        out.isSnap = true;
        out.oui = (std::uint32_t(h.oui[0]) << 16) | (std::uint32_t(h.oui[1]) << 8) | h.oui[2];
        out.type = h.type.value();
        out.headerLength = kLlcSnapHeaderLength;
    }
    return out.headerLength;
}

void appendEthernetHeader(std::vector<std::uint8_t>& out, MacAddress dst, MacAddress src,
                          std::uint16_t type) {
    EthernetHeader eh;
    eh.dst = dst.bytes();
    eh.src = src.bytes();
    eh.type = Be16(type);
    wire::appendStruct(out, eh);
}

std::vector<std::uint8_t> buildEthernetFrame(MacAddress dst, MacAddress src,
                                             std::span<const VlanTag> tags, std::uint16_t type,
                                             std::span<const std::uint8_t> payload, bool pad) {
    std::vector<std::uint8_t> out;
    out.reserve(std::max(kEthernetMinFrameLength,
                         kEthernetHeaderLength + kVlanHeaderLength * tags.size() + payload.size()));
    appendEthernetHeader(out, dst, src, tags.empty() ? type : tags[0].tpid);
    for (std::size_t i = 0; i < tags.size(); ++i) {
        const std::uint16_t next = i + 1 < tags.size() ? tags[i + 1].tpid : type;
        wire::appendStruct(out, VlanHeader{Be16(tags[i].tci), Be16(next)});
    }
    wire::appendBytes(out, payload);
    if (pad) {
        padFrame(out);
    }
    return out;
}

void padFrame(std::vector<std::uint8_t>& frame, std::size_t minLength) {
    if (frame.size() < minLength) {
        frame.resize(minLength, 0);
    }
}

Status pushVlanTag(std::vector<std::uint8_t>& frame, std::uint16_t tpid, std::uint16_t tci) {
    if (frame.size() < kEthernetHeaderLength) {
        return Status::fail(ErrorCode::Truncated, "802.1Q: cannot push a tag onto a frame of " +
                                                      std::to_string(frame.size()) + " bytes");
    }
    // The old type field becomes the inner type of the new tag: insert TPID + TCI after the
    // two MAC addresses.
    std::uint8_t tag[4];
    wire::store16(tag, tpid);
    wire::store16(tag + 2, tci);
    frame.insert(frame.begin() + 12, tag, tag + 4);
    return {};
}

bool popVlanTag(std::vector<std::uint8_t>& frame) {
    if (frame.size() < kEthernetHeaderLength + kVlanHeaderLength ||
        !isVlanTpid(wire::load16(frame.data() + 12))) {
        return false;
    }
    frame.erase(frame.begin() + 12, frame.begin() + 16);
    return true;
}

bool setOuterVlanTci(std::span<std::uint8_t> frame, std::uint16_t tci) {
    if (frame.size() < kEthernetHeaderLength + kVlanHeaderLength ||
        !isVlanTpid(wire::load16(frame.data() + 12))) {
        return false;
    }
    wire::store16(frame.data() + 14, tci);
    return true;
}

std::string_view etherTypeName(std::uint16_t type) {
    switch (type) {
        case 0x0800:
            return "IPv4";
        case 0x0806:
            return "ARP";
        case 0x8035:
            return "RARP";
        case 0x8100:
            return "802.1Q";
        case 0x88a8:
            return "802.1ad";
        case 0x86dd:
            return "IPv6";
        case 0x8847:
            return "MPLS unicast";
        case 0x8848:
            return "MPLS multicast";
        case 0x88cc:
            return "LLDP";
        case 0x8809:
            return "Slow Protocols";
        case 0x894f:
            return "NSH";
        case 0x6558:
            return "Transparent Ethernet Bridging";
        case 0x9000:
            return "Loopback";
        default:
            return "";
    }
}

}  // namespace nlab::engine
