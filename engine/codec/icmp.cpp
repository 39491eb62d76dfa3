#include "engine/codec/icmp.h"

#include "engine/codec/codec_internal.h"
#include "engine/codec/wire.h"

#include <algorithm>
#include <string>

namespace nlab::engine {

using codec_internal::codecError;

bool icmpTypeIsError(std::uint8_t type) {
    switch (type) {
        case icmp_type::kDestUnreachable:
        case icmp_type::kSourceQuench:
        case icmp_type::kRedirect:
        case icmp_type::kTimeExceeded:
        case icmp_type::kParameterProblem:
            return true;
        default:
            return false;
    }
}

Result<std::size_t> parseIcmp(std::span<const std::uint8_t> message, IcmpMessage& out) {
    IcmpHeader h;
    if (!wire::readStruct(message, 0, h)) {
        return codec_internal::truncatedError("ICMP", message.size(), kIcmpHeaderLength, "header");
    }
    out = IcmpMessage{};
    out.header = h;
    out.body = message.subspan(kIcmpHeaderLength);
    if (!icmpTypeIsError(h.type)) {
        return kIcmpHeaderLength;
    }
    Ipv4Header q;
    if (!wire::readStruct(out.body, 0, q)) {
        return codecError(
            ErrorCode::Truncated, "ICMP",
            "quoted datagram " + std::to_string(out.body.size()) + " bytes < 20-byte IPv4 header");
    }
    if ((q.versionIhl >> 4) != 4) {
        return codecError(ErrorCode::Malformed, "ICMP",
                          "quoted IPv4 version " + std::to_string(q.versionIhl >> 4) + " != 4");
    }
    const std::size_t ihl = q.versionIhl & 0x0f;
    if (ihl < 5) {
        return codecError(ErrorCode::Malformed, "ICMP",
                          "quoted IPv4 header length " + std::to_string(ihl) + " words < 5");
    }
    if (out.body.size() < ihl * 4) {
        return codecError(ErrorCode::Truncated, "ICMP",
                          "quoted IPv4 header length " + std::to_string(ihl * 4) + " > " +
                              std::to_string(out.body.size()) + " bytes available");
    }
    out.hasQuote = true;
    out.quote.header = q;
    out.quote.headerLength = ihl * 4;
    out.quote.l4Bytes = out.body.subspan(ihl * 4);
    return kIcmpHeaderLength;
}

bool icmpChecksumValid(std::span<const std::uint8_t> message) {
    return message.size() >= kIcmpHeaderLength && internetChecksum(message) == 0;
}

std::vector<std::uint8_t> buildIcmp(std::uint8_t type, std::uint8_t code, std::uint16_t word1,
                                    std::uint16_t word2, std::span<const std::uint8_t> body) {
    std::vector<std::uint8_t> out;
    out.reserve(kIcmpHeaderLength + body.size());
    IcmpHeader h;
    h.type = type;
    h.code = code;
    h.word1 = Be16(word1);
    h.word2 = Be16(word2);
    wire::appendStruct(out, h);
    wire::appendBytes(out, body);
    wire::store16(out.data() + 2, internetChecksum(out));
    return out;
}

std::vector<std::uint8_t> buildIcmpEcho(bool reply, std::uint16_t id, std::uint16_t seq,
                                        std::span<const std::uint8_t> payload) {
    return buildIcmp(reply ? icmp_type::kEchoReply : icmp_type::kEchoRequest, 0, id, seq, payload);
}

std::span<const std::uint8_t> icmpQuotedPart(std::span<const std::uint8_t> original) {
    std::size_t want = kIpv4HeaderLength + 8;
    if (!original.empty()) {
        const std::size_t ihl = original[0] & 0x0f;
        want = std::max<std::size_t>(ihl, 5) * 4 + 8;
    }
    return original.first(std::min(want, original.size()));
}

std::vector<std::uint8_t> buildIcmpUnreachable(std::uint8_t code,
                                               std::span<const std::uint8_t> original,
                                               std::uint16_t nextHopMtu) {
    return buildIcmp(icmp_type::kDestUnreachable, code, 0, nextHopMtu, icmpQuotedPart(original));
}

std::vector<std::uint8_t> buildIcmpTimeExceeded(std::uint8_t code,
                                                std::span<const std::uint8_t> original) {
    return buildIcmp(icmp_type::kTimeExceeded, code, 0, 0, icmpQuotedPart(original));
}

std::string_view icmpTypeName(std::uint8_t type) {
    switch (type) {
        case icmp_type::kEchoReply:
            return "echo reply";
        case icmp_type::kDestUnreachable:
            return "destination unreachable";
        case icmp_type::kSourceQuench:
            return "source quench";
        case icmp_type::kRedirect:
            return "redirect";
        case icmp_type::kEchoRequest:
            return "echo request";
        case icmp_type::kRouterAdvertisement:
            return "router advertisement";
        case icmp_type::kRouterSolicitation:
            return "router solicitation";
        case icmp_type::kTimeExceeded:
            return "time exceeded";
        case icmp_type::kParameterProblem:
            return "parameter problem";
        case icmp_type::kTimestamp:
            return "timestamp request";
        case icmp_type::kTimestampReply:
            return "timestamp reply";
        default:
            return "";
    }
}

std::string_view icmpUnreachableCodeName(std::uint8_t code) {
    switch (code) {
        case 0:
            return "net unreachable";
        case 1:
            return "host unreachable";
        case 2:
            return "protocol unreachable";
        case 3:
            return "port unreachable";
        case 4:
            return "fragmentation needed";
        case 5:
            return "source route failed";
        case 6:
            return "destination network unknown";
        case 7:
            return "destination host unknown";
        case 9:
            return "network administratively prohibited";
        case 10:
            return "host administratively prohibited";
        case 13:
            return "communication administratively prohibited";
        default:
            return "";
    }
}

}  // namespace nlab::engine
