#include "engine/codec/dhcp.h"

#include "engine/codec/codec_internal.h"
#include "engine/codec/wire.h"

#include <algorithm>
#include <cstring>

namespace nlab::engine {

using codec_internal::codecError;

namespace {

constexpr std::size_t kSnameOffset = 44;
constexpr std::size_t kFileOffset = 108;

std::string optionLabel(std::uint8_t code) {
    std::string s = "option " + std::to_string(code);
    const std::string_view name = dhcpOptionName(code);
    if (!name.empty()) {
        s += " (";
        s += name;
        s += ')';
    }
    return s;
}

Error badLength(std::uint8_t code, std::size_t length, std::string_view expected) {
    return codecError(
        ErrorCode::Malformed, "DHCP",
        optionLabel(code) + " length " + std::to_string(length) + " " + std::string(expected));
}

std::string fieldString(std::span<const std::uint8_t> field) {
    const auto nul = std::find(field.begin(), field.end(), std::uint8_t{0});
    return std::string(field.begin(), nul);
}

void putString(std::span<std::uint8_t> field, const std::string& s) {
    std::fill(field.begin(), field.end(), 0);
    const std::size_t n = std::min(s.size(), field.size() - 1);
    std::memcpy(field.data(), s.data(), n);
}

/// Appends option 'code' with 'data', split into 255-byte instances (RFC 3396).
void putOption(std::vector<std::uint8_t>& out, std::uint8_t code,
               std::span<const std::uint8_t> data) {
    do {
        const std::size_t n = std::min<std::size_t>(data.size(), 255);
        out.push_back(code);
        out.push_back(static_cast<std::uint8_t>(n));
        wire::appendBytes(out, data.first(n));
        data = data.subspan(n);
    } while (!data.empty());
}

void putAddresses(std::vector<std::uint8_t>& out, std::uint8_t code,
                  std::span<const Ipv4Address> addresses) {
    std::vector<std::uint8_t> data(addresses.size() * 4);
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        wire::store32(data.data() + 4 * i, addresses[i].toU32());
    }
    putOption(out, code, data);
}

void putU32(std::vector<std::uint8_t>& out, std::uint8_t code, std::uint32_t value) {
    std::uint8_t data[4];
    wire::store32(data, value);
    putOption(out, code, data);
}

}  // namespace

Result<DhcpOptionScan> parseDhcpOptions(std::span<const std::uint8_t> region,
                                        std::vector<DhcpOptionView>& out) {
    DhcpOptionScan scan;
    std::size_t i = 0;
    while (i < region.size()) {
        const std::uint8_t code = region[i];
        if (code == dhcp_opt::kPad) {
            ++i;
            continue;
        }
        if (code == dhcp_opt::kEnd) {
            scan.sawEnd = true;
            scan.consumed = i + 1;
            return scan;
        }
        if (i + 1 >= region.size()) {
            return codecError(ErrorCode::Truncated, "DHCP",
                              optionLabel(code) + " has no length byte");
        }
        const std::size_t length = region[i + 1];
        if (region.size() - (i + 2) < length) {
            return codecError(ErrorCode::Truncated, "DHCP",
                              optionLabel(code) + " length " + std::to_string(length) + " > " +
                                  std::to_string(region.size() - (i + 2)) + " bytes remaining");
        }
        out.push_back(DhcpOptionView{code, region.subspan(i + 2, length)});
        i += 2 + length;
    }
    scan.consumed = i;
    return scan;
}

Result<DhcpMessage> parseDhcp(std::span<const std::uint8_t> bytes) {
    BootpHeader h;
    if (!wire::readStruct(bytes, 0, h)) {
        return codec_internal::truncatedError("DHCP", bytes.size(), kBootpHeaderLength,
                                              "BOOTP header");
    }
    if (bytes.size() < kDhcpOptionsOffset) {
        return codecError(ErrorCode::Truncated, "DHCP",
                          std::to_string(bytes.size()) + " bytes < 240: no magic cookie");
    }
    const std::uint32_t cookie = wire::load32(bytes.data() + kBootpHeaderLength);
    if (cookie != kDhcpMagicCookie) {
        return codecError(ErrorCode::Malformed, "DHCP",
                          "magic cookie " + codec_internal::hex(cookie, 8) + " != 0x63825363");
    }
    if (h.hlen > 16) {
        return codecError(ErrorCode::Malformed, "DHCP",
                          "hardware address length " + std::to_string(h.hlen) + " > 16");
    }

    DhcpMessage msg;
    msg.op = h.op;
    msg.htype = h.htype;
    msg.hlen = h.hlen;
    msg.hops = h.hops;
    msg.xid = h.xid.value();
    msg.secs = h.secs.value();
    msg.flags = h.flags.value();
    msg.ciaddr = Ipv4Address(h.ciaddr.value());
    msg.yiaddr = Ipv4Address(h.yiaddr.value());
    msg.siaddr = Ipv4Address(h.siaddr.value());
    msg.giaddr = Ipv4Address(h.giaddr.value());
    std::array<std::uint8_t, 6> mac{};
    std::copy_n(h.chaddr.begin(), 6, mac.begin());
    msg.chaddr = MacAddress(mac);

    std::vector<DhcpOptionView> views;
    auto scan = parseDhcpOptions(bytes.subspan(kDhcpOptionsOffset), views);
    if (!scan) {
        return scan.error();
    }

    // Option overload (52): more options in 'file' (bit 0) and/or 'sname' (bit 1).
    std::uint8_t overload = 0;
    for (const auto& v : views) {
        if (v.code == dhcp_opt::kOverload) {
            if (v.data.size() != 1) {
                return badLength(v.code, v.data.size(), "!= 1");
            }
            if (v.data[0] < 1 || v.data[0] > 3) {
                return codecError(ErrorCode::Malformed, "DHCP",
                                  "option 52 (option overload) value " + std::to_string(v.data[0]) +
                                      " not in 1..3");
            }
            overload = v.data[0];
        }
    }
    if (overload & 1) {
        auto r = parseDhcpOptions(bytes.subspan(kFileOffset, 128), views);
        if (!r) {
            return r.error();
        }
    } else {
        msg.file = fieldString(bytes.subspan(kFileOffset, 128));
    }
    if (overload & 2) {
        auto r = parseDhcpOptions(bytes.subspan(kSnameOffset, 64), views);
        if (!r) {
            return r.error();
        }
    } else {
        msg.sname = fieldString(bytes.subspan(kSnameOffset, 64));
    }

    // Concatenate repeated options (RFC 3396), keeping first-appearance order.
    std::vector<std::pair<std::uint8_t, std::vector<std::uint8_t>>> merged;
    for (const auto& v : views) {
        if (v.code == dhcp_opt::kOverload) {
            continue;
        }
        auto it = std::find_if(merged.begin(), merged.end(),
                               [&](const auto& m) { return m.first == v.code; });
        if (it == merged.end()) {
            merged.emplace_back(v.code, std::vector<std::uint8_t>(v.data.begin(), v.data.end()));
        } else {
            it->second.insert(it->second.end(), v.data.begin(), v.data.end());
        }
    }

    auto address = [](const std::vector<std::uint8_t>& d, std::size_t i) {
        return Ipv4Address(wire::load32(d.data() + 4 * i));
    };
    for (auto& [code, data] : merged) {
        switch (code) {
            case dhcp_opt::kMessageType:
                if (data.size() != 1) {
                    return badLength(code, data.size(), "!= 1");
                }
                msg.messageType = data[0];
                break;
            case dhcp_opt::kServerId:
            case dhcp_opt::kRequestedIp:
            case dhcp_opt::kSubnetMask:
                if (data.size() != 4) {
                    return badLength(code, data.size(), "!= 4");
                }
                (code == dhcp_opt::kServerId      ? msg.serverId
                 : code == dhcp_opt::kRequestedIp ? msg.requestedIp
                                                  : msg.subnetMask) = address(data, 0);
                break;
            case dhcp_opt::kLeaseTime:
                if (data.size() != 4) {
                    return badLength(code, data.size(), "!= 4");
                }
                msg.leaseTime = wire::load32(data.data());
                break;
            case dhcp_opt::kRouter:
            case dhcp_opt::kDnsServer: {
                if (data.empty() || data.size() % 4 != 0) {
                    return badLength(code, data.size(), "is not a positive multiple of 4");
                }
                auto& list = code == dhcp_opt::kRouter ? msg.routers : msg.dnsServers;
                for (std::size_t i = 0; i < data.size() / 4; ++i) {
                    list.push_back(address(data, i));
                }
                break;
            }
            case dhcp_opt::kHostName:
                if (data.empty()) {
                    return badLength(code, 0, "< 1");
                }
                msg.hostName = std::string(data.begin(), data.end());
                break;
            case dhcp_opt::kClientId:
                if (data.size() < 2) {
                    return badLength(code, data.size(), "< 2");
                }
                msg.clientId = std::move(data);
                break;
            case dhcp_opt::kParamRequestList:
                if (data.empty()) {
                    return badLength(code, 0, "< 1");
                }
                msg.paramRequestList = std::move(data);
                break;
            default:
                msg.otherOptions.emplace_back(code, std::move(data));
                break;
        }
    }
    return msg;
}

std::vector<std::uint8_t> buildDhcp(const DhcpMessage& msg) {
    BootpHeader h;
    h.op = msg.op;
    h.htype = msg.htype;
    h.hlen = msg.hlen;
    h.hops = msg.hops;
    h.xid = Be32(msg.xid);
    h.secs = Be16(msg.secs);
    h.flags = Be16(msg.flags);
    h.ciaddr = Be32(msg.ciaddr.toU32());
    h.yiaddr = Be32(msg.yiaddr.toU32());
    h.siaddr = Be32(msg.siaddr.toU32());
    h.giaddr = Be32(msg.giaddr.toU32());
    std::copy_n(msg.chaddr.bytes().begin(), 6, h.chaddr.begin());
    putString(h.sname, msg.sname);
    putString(h.file, msg.file);

    std::vector<std::uint8_t> out;
    out.reserve(kBootpMinLength + 64);
    wire::appendStruct(out, h);
    std::uint8_t cookie[4];
    wire::store32(cookie, kDhcpMagicCookie);
    wire::appendBytes(out, cookie);

    if (msg.messageType) {
        const std::uint8_t t = *msg.messageType;
        putOption(out, dhcp_opt::kMessageType, std::span<const std::uint8_t>(&t, 1));
    }
    if (msg.serverId) {
        putU32(out, dhcp_opt::kServerId, msg.serverId->toU32());
    }
    if (msg.requestedIp) {
        putU32(out, dhcp_opt::kRequestedIp, msg.requestedIp->toU32());
    }
    if (msg.leaseTime) {
        putU32(out, dhcp_opt::kLeaseTime, *msg.leaseTime);
    }
    if (msg.subnetMask) {
        putU32(out, dhcp_opt::kSubnetMask, msg.subnetMask->toU32());
    }
    if (!msg.routers.empty()) {
        putAddresses(out, dhcp_opt::kRouter, msg.routers);
    }
    if (!msg.dnsServers.empty()) {
        putAddresses(out, dhcp_opt::kDnsServer, msg.dnsServers);
    }
    if (msg.hostName && !msg.hostName->empty()) {
        const std::vector<std::uint8_t> name(msg.hostName->begin(), msg.hostName->end());
        putOption(out, dhcp_opt::kHostName, name);
    }
    if (!msg.clientId.empty()) {
        putOption(out, dhcp_opt::kClientId, msg.clientId);
    }
    if (!msg.paramRequestList.empty()) {
        putOption(out, dhcp_opt::kParamRequestList, msg.paramRequestList);
    }
    for (const auto& [code, data] : msg.otherOptions) {
        if (code != dhcp_opt::kPad && code != dhcp_opt::kEnd) {
            putOption(out, code, data);
        }
    }
    out.push_back(dhcp_opt::kEnd);
    if (out.size() < kBootpMinLength) {
        out.resize(kBootpMinLength, 0);
    }
    return out;
}

std::string_view dhcpMessageTypeName(std::uint8_t type) {
    switch (type) {
        case dhcp_msg::kDiscover:
            return "Discover";
        case dhcp_msg::kOffer:
            return "Offer";
        case dhcp_msg::kRequest:
            return "Request";
        case dhcp_msg::kDecline:
            return "Decline";
        case dhcp_msg::kAck:
            return "ACK";
        case dhcp_msg::kNak:
            return "NAK";
        case dhcp_msg::kRelease:
            return "Release";
        case dhcp_msg::kInform:
            return "Inform";
        default:
            return "";
    }
}

std::string_view dhcpOptionName(std::uint8_t code) {
    switch (code) {
        case dhcp_opt::kPad:
            return "pad";
        case dhcp_opt::kSubnetMask:
            return "subnet mask";
        case dhcp_opt::kRouter:
            return "router";
        case dhcp_opt::kDnsServer:
            return "domain name server";
        case dhcp_opt::kHostName:
            return "host name";
        case dhcp_opt::kDomainName:
            return "domain name";
        case dhcp_opt::kInterfaceMtu:
            return "interface MTU";
        case dhcp_opt::kBroadcastAddress:
            return "broadcast address";
        case dhcp_opt::kRequestedIp:
            return "requested IP address";
        case dhcp_opt::kLeaseTime:
            return "IP address lease time";
        case dhcp_opt::kOverload:
            return "option overload";
        case dhcp_opt::kMessageType:
            return "message type";
        case dhcp_opt::kServerId:
            return "server identifier";
        case dhcp_opt::kParamRequestList:
            return "parameter request list";
        case dhcp_opt::kMessage:
            return "message";
        case dhcp_opt::kMaxMessageSize:
            return "maximum message size";
        case dhcp_opt::kRenewalTime:
            return "renewal time";
        case dhcp_opt::kRebindingTime:
            return "rebinding time";
        case dhcp_opt::kVendorClass:
            return "vendor class identifier";
        case dhcp_opt::kClientId:
            return "client identifier";
        case dhcp_opt::kEnd:
            return "end";
        default:
            return "";
    }
}

}  // namespace nlab::engine
