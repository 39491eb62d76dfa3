#include "engine/codec/arp.h"

#include "engine/codec/codec_internal.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/wire.h"
#include "engine/flow/flow_key.h"

#include <string>

namespace nlab::engine {

Result<std::size_t> parseArp(std::span<const std::uint8_t> bytes, ArpPacket& out) {
    ArpHeader h;
    if (!wire::readStruct(bytes, 0, h)) {
        return Error{ErrorCode::Truncated, "ARP: " + std::to_string(bytes.size()) +
                                               " bytes < 28-byte Ethernet/IPv4 ARP packet"};
    }
    if (h.hardwareType.value() != 1) {
        return Error{ErrorCode::Unsupported, "ARP: hardware type " +
                                                 std::to_string(h.hardwareType.value()) +
                                                 " is not Ethernet (1)"};
    }
    if (h.protocolType.value() != eth_type::kIpv4) {
        return Error{ErrorCode::Unsupported, "ARP: protocol type " +
                                                 codec_internal::hex(h.protocolType.value(), 4) +
                                                 " is not IPv4 (0x0800)"};
    }
    if (h.hardwareLength != 6) {
        return Error{ErrorCode::Malformed,
                     "ARP: hardware address length " + std::to_string(h.hardwareLength) + " != 6"};
    }
    if (h.protocolLength != 4) {
        return Error{ErrorCode::Malformed,
                     "ARP: protocol address length " + std::to_string(h.protocolLength) + " != 4"};
    }
    out.op = h.op.value();
    out.sha = MacAddress(h.sha);
    out.spa = Ipv4Address(h.spa.value());
    out.tha = MacAddress(h.tha);
    out.tpa = Ipv4Address(h.tpa.value());
    return kArpPacketLength;
}

void appendArp(std::vector<std::uint8_t>& out, const ArpPacket& arp) {
    ArpHeader h;
    h.hardwareType = Be16(1);
    h.protocolType = Be16(eth_type::kIpv4);
    h.hardwareLength = 6;
    h.protocolLength = 4;
    h.op = Be16(arp.op);
    h.sha = arp.sha.bytes();
    h.spa = Be32(arp.spa.toU32());
    h.tha = arp.tha.bytes();
    h.tpa = Be32(arp.tpa.toU32());
    wire::appendStruct(out, h);
}

std::vector<std::uint8_t> buildArpFrame(MacAddress ethDst, const ArpPacket& arp) {
    std::vector<std::uint8_t> out;
    out.reserve(kEthernetMinFrameLength);
    appendEthernetHeader(out, ethDst, arp.sha, eth_type::kArp);
    appendArp(out, arp);
    padFrame(out);
    return out;
}

std::string_view arpOpName(std::uint16_t op) {
    switch (op) {
        case arp_op::kRequest:
            return "Request";
        case arp_op::kReply:
            return "Reply";
        case arp_op::kRarpRequest:
            return "Reverse Request";
        case arp_op::kRarpReply:
            return "Reverse Reply";
        case arp_op::kInArpRequest:
            return "Inverse Request";
        case arp_op::kInArpReply:
            return "Inverse Reply";
        default:
            return "";
    }
}

}  // namespace nlab::engine
