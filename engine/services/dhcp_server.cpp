#include "engine/services/dhcp_server.h"

#include "engine/codec/dhcp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/netns/net_namespace.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace nlab::engine {

namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint32_t kBroadcastIp = 0xffffffffU;



/// A UDP datagram found in a frame, with the link and network addresses around it.
struct FrameUdp {
    MacAddress srcMac;
    MacAddress dstMac;
    std::uint32_t srcIp = 0;
    std::uint32_t dstIp = 0;
    std::uint16_t srcPort = 0;
    std::uint16_t dstPort = 0;
    std::span<const std::uint8_t> payload;
};

/// Parses an untagged Ethernet/IPv4/UDP frame as a kernel socket would accept it: valid IP
/// header checksum, not a fragment, valid (or absent) UDP checksum.
std::optional<FrameUdp> parseUdpFrame(std::span<const std::uint8_t> bytes) {
    EthernetFrame eth;
    if (!parseEthernet(bytes, eth) || eth.tagCount != 0 || eth.typeOrLength != kEtherTypeIpv4)
        return std::nullopt;
    Ipv4Datagram ip;
    if (!parseIpv4(eth.payload, ip) || ip.protocol() != kProtoUdp || ip.isFragment() ||
        !ipv4HeaderChecksumValid(eth.payload.first(ip.headerLength)))
        return std::nullopt;
    UdpDatagram udp;
    if (!parseUdp(ip.payload, udp).ok() ||
        !udpChecksumValid(ip.header.src.value(), ip.header.dst.value(),
                          ip.payload.first(udp.length())))
        return std::nullopt;
    FrameUdp out;
    out.srcMac = eth.src;
    out.dstMac = eth.dst;
    out.srcIp = ip.header.src.value();
    out.dstIp = ip.header.dst.value();
    out.srcPort = udp.srcPort();
    out.dstPort = udp.dstPort();
    out.payload = udp.payload;
    return out;
}

/// Builds the frame a kernel UDP socket sends: TTL 64, DF, IP id 0, UDP checksum.
std::vector<std::uint8_t> buildUdpFrame(MacAddress srcMac, MacAddress dstMac,
                                        std::uint32_t srcIp, std::uint32_t dstIp,
                                        std::uint16_t srcPort, std::uint16_t dstPort,
                                        std::span<const std::uint8_t> payload) {
    const auto udp = buildUdp(srcPort, dstPort, payload, srcIp, dstIp);
    Ipv4Fields fields;
    fields.src = Ipv4Address(srcIp);
    fields.dst = Ipv4Address(dstIp);
    fields.protocol = kProtoUdp;
    fields.ttl = 64;
    fields.dontFragment = true;
    const auto ip = buildIpv4(fields, udp);
    return buildEthernetFrame(dstMac, srcMac, {}, kEtherTypeIpv4, ip);
}

std::vector<std::uint8_t> be32Bytes(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
            static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
}

bool requested(const DhcpMessage& req, std::uint8_t code) {
    // dnsmasq's in_list(): without a parameter request list, everything is sent.
    return req.paramRequestList.empty() ||
           std::find(req.paramRequestList.begin(), req.paramRequestList.end(), code) !=
               req.paramRequestList.end();
}

std::string optionText(const DhcpMessage& msg, std::uint8_t code) {
    for (const auto& [c, data] : msg.otherOptions) {
        if (c == code) {
            std::string s;
            for (auto b : data) {
                if (b == 0)
                    break;
                // dnsmasq sanitises peer text to printable characters.
                s += (b >= 0x20 && b < 0x7f) ? static_cast<char>(b) : '?';
            }
            return s;
        }
    }
    return {};
}

}  // namespace

DhcpServer::DhcpServer(SimClock& clock, DhcpServerConfig config)
    : m_clock(clock), m_config(std::move(config)) {}

std::uint32_t DhcpServer::netmask() const {
    const int p = std::clamp(m_config.prefixLength, 0, 32);
    return p == 0 ? 0 : ~std::uint32_t{0} << (32 - p);
}

Status DhcpServer::addHost(DhcpHost host) {
    const std::uint32_t mask = netmask();
    const std::uint32_t net = m_config.serverAddress.toU32() & mask;
    const std::uint32_t a = host.address.toU32();
    if ((a & mask) != net)
        return Status::fail(ErrorCode::InvalidArgument,
                            "dnsmasq: " + host.address.toString() + " is not in the subnet of " +
                                m_config.serverAddress.toString() + "/" +
                                std::to_string(m_config.prefixLength));
    if (a == net || a == (net | ~mask) || a == m_config.serverAddress.toU32())
        return Status::fail(ErrorCode::InvalidArgument,
                            "dnsmasq: " + host.address.toString() +
                                " is the network, broadcast or server address");
    if (m_hosts.count(host.mac) != 0)
        return Status::fail(ErrorCode::AlreadyExists,
                            "dnsmasq: duplicate dhcp-host MAC " + host.mac.toString());
    for (const auto& [mac, st] : m_hosts) {
        if (st.host.address == host.address)
            return Status::fail(ErrorCode::AlreadyExists,
                                "dnsmasq: duplicate dhcp-host IP address " +
                                    host.address.toString());
    }
    const MacAddress mac = host.mac;
    m_hosts.emplace(mac, HostState{std::move(host), std::nullopt});
    return {};
}

bool DhcpServer::removeHost(MacAddress mac) {
    m_leases.erase(mac);
    return m_hosts.erase(mac) != 0;
}

std::vector<DhcpHost> DhcpServer::hosts() const {
    std::vector<DhcpHost> out;
    out.reserve(m_hosts.size());
    for (const auto& [mac, st] : m_hosts)
        out.push_back(st.host);
    return out;
}

Status DhcpServer::attach(NetNamespace& ns) {
    if (!ns.device(m_config.interface))
        return Status::fail(ErrorCode::NotFound,
                            "dnsmasq: unknown interface " + m_config.interface);
    m_send = [&ns, dev = m_config.interface](Packet&& p) { ns.sendFrame(dev, std::move(p)); };
    ns.bindUdp(kDhcpServerPort, [this](const auto& d) {
        if (d.device && d.frame && d.device->name() == m_config.interface)
            receiveFrame(*d.frame);
    });
    return {};
}

DhcpServer::HostState* DhcpServer::findHost(MacAddress mac) {
    auto it = m_hosts.find(mac);
    return it == m_hosts.end() ? nullptr : &it->second;
}

bool DhcpServer::isOurServerId(const DhcpMessage& req) const {
    return req.serverId && *req.serverId == m_config.serverAddress;
}

void DhcpServer::pruneExpired() {
    const SimTime now = m_clock.now();
    std::erase_if(m_leases, [now](const auto& kv) { return kv.second.expires <= now; });
}

std::vector<DhcpLeaseEntry> DhcpServer::leases() const {
    std::vector<DhcpLeaseEntry> out;
    for (const auto& [mac, lease] : m_leases) {
        if (lease.expires > m_clock.now())
            out.push_back(lease);
    }
    return out;
}

std::string DhcpServer::leaseFileText() const {
    std::string out;
    for (const auto& lease : leases()) {
        out += std::to_string(lease.expires / kSecond) + " " + lease.mac.toString() + " " +
               lease.address.toString() + " " +
               (lease.hostname.empty() ? std::string("*") : lease.hostname) + " ";
        if (lease.clientId.empty()) {
            out += "*";
        } else {
            char buf[4];
            for (std::size_t i = 0; i < lease.clientId.size(); ++i) {
                std::snprintf(buf, sizeof buf, i == 0 ? "%02x" : ":%02x", lease.clientId[i]);
                out += buf;
            }
        }
        out += "\n";
    }
    return out;
}

void DhcpServer::writeLog(std::string_view type, std::optional<Ipv4Address> address,
                          MacAddress mac, std::string_view extra) {
    std::string line(type);
    line += "(" + m_config.interface + ") ";
    if (address)
        line += address->toString() + " ";
    line += mac.toString();
    if (!extra.empty()) {
        line += " ";
        line += extra;
    }
    m_log.push_back(line);
    if (m_logSink)
        m_logSink(m_log.back());
}

void DhcpServer::receiveFrame(const Packet& frame) {
    const auto udp = parseUdpFrame(frame.bytes());
    if (!udp || udp->dstPort != kDhcpServerPort)
        return;
    auto parsed = parseDhcp(udp->payload);
    if (!parsed)
        return;
    const DhcpMessage& req = parsed.value();
    if (req.op != bootp_op::kRequest || req.htype != 1 || req.hlen != 6 || !req.messageType)
        return;
    // Requests through a relay agent (giaddr) do not occur in Neutron networks; not modelled.
    if (req.giaddr.toU32() != 0)
        return;
    m_requestSrcMac = udp->srcMac;
    pruneExpired();
    switch (*req.messageType) {
    case dhcp_msg::kDiscover:
        handleDiscover(req);
        break;
    case dhcp_msg::kRequest:
        handleRequest(req, udp->dstIp == m_config.serverAddress.toU32());
        break;
    case dhcp_msg::kDecline:
        handleDecline(req);
        break;
    case dhcp_msg::kRelease:
        handleRelease(req);
        break;
    case dhcp_msg::kInform:
        handleInform(req);
        break;
    default:
        break;
    }
}

void DhcpServer::addOptions(const DhcpMessage& req, DhcpMessage& resp, const HostState* host,
                            bool withLease) const {
    resp.serverId = m_config.serverAddress;
    if (withLease) {
        const std::uint32_t lease = m_config.leaseSeconds;
        resp.leaseTime = lease;
        resp.otherOptions.emplace_back(dhcp_opt::kRenewalTime, be32Bytes(lease / 2));
        resp.otherOptions.emplace_back(
            dhcp_opt::kRebindingTime,
            be32Bytes(static_cast<std::uint32_t>((std::uint64_t{lease} * 7) / 8)));
    }
    const std::uint32_t mask = netmask();
    resp.subnetMask = Ipv4Address(mask);
    resp.otherOptions.emplace_back(
        dhcp_opt::kBroadcastAddress,
        be32Bytes((m_config.serverAddress.toU32() & mask) | ~mask));
    if (m_config.router && requested(req, dhcp_opt::kRouter))
        resp.routers.push_back(*m_config.router);
    if (requested(req, dhcp_opt::kDnsServer)) {
        if (m_config.dnsServers.empty())
            resp.dnsServers.push_back(m_config.serverAddress);
        else
            resp.dnsServers = m_config.dnsServers;
    }
    if (!m_config.domain.empty() && requested(req, dhcp_opt::kDomainName))
        resp.otherOptions.emplace_back(
            dhcp_opt::kDomainName,
            std::vector<std::uint8_t>(m_config.domain.begin(), m_config.domain.end()));
    if (host && !host->host.hostname.empty() && requested(req, dhcp_opt::kHostName))
        resp.hostName = host->host.hostname;
    if (m_config.mtu && requested(req, dhcp_opt::kInterfaceMtu))
        resp.otherOptions.emplace_back(
            dhcp_opt::kInterfaceMtu,
            std::vector<std::uint8_t>{static_cast<std::uint8_t>(*m_config.mtu >> 8),
                                      static_cast<std::uint8_t>(*m_config.mtu)});
}

namespace {

DhcpMessage replyTemplate(const DhcpMessage& req, std::uint8_t type, Ipv4Address server) {
    DhcpMessage resp;
    resp.op = bootp_op::kReply;
    resp.htype = req.htype;
    resp.hlen = req.hlen;
    resp.xid = req.xid;
    resp.flags = req.flags;
    resp.ciaddr = req.ciaddr;
    resp.siaddr = server;
    resp.giaddr = req.giaddr;
    resp.chaddr = req.chaddr;
    resp.messageType = type;
    return resp;
}

}  // namespace

void DhcpServer::reply(const DhcpMessage& req, DhcpMessage&& resp, bool isNak) {
    MacAddress dstMac;
    std::uint32_t dstIp = 0;
    if (isNak) {
        resp.flags |= kBootpBroadcastFlag;
        resp.ciaddr = Ipv4Address();
        dstMac = MacAddress::broadcast();
        dstIp = kBroadcastIp;
    } else if (req.ciaddr.toU32() != 0) {
        // A kernel socket sends to ciaddr; the next hop is the client that sent the request.
        dstMac = m_requestSrcMac;
        dstIp = req.ciaddr.toU32();
    } else if (req.broadcast()) {
        dstMac = MacAddress::broadcast();
        dstIp = kBroadcastIp;
    } else {
        // Unconfigured client: dnsmasq injects chaddr into the ARP cache and unicasts.
        dstMac = req.chaddr;
        dstIp = resp.yiaddr.toU32();
    }
    if (!m_send)
        return;
    const auto payload = buildDhcp(resp);
    m_send(Packet(buildUdpFrame(m_config.serverMac, dstMac, m_config.serverAddress.toU32(),
                                dstIp, kDhcpServerPort, kDhcpClientPort, payload)));
}

void DhcpServer::sendNak(const DhcpMessage& req, Ipv4Address address, std::string_view why) {
    writeLog("DHCPNAK", address, req.chaddr, why);
    DhcpMessage resp = replyTemplate(req, dhcp_msg::kNak, Ipv4Address());
    resp.serverId = m_config.serverAddress;
    resp.otherOptions.emplace_back(dhcp_opt::kMessage,
                                   std::vector<std::uint8_t>(why.begin(), why.end()));
    reply(req, std::move(resp), true);
}

void DhcpServer::handleDiscover(const DhcpMessage& req) {
    HostState* host = findHost(req.chaddr);
    const SimTime now = m_clock.now();
    const bool declined = host && host->declinedAt && now - *host->declinedAt < kDeclineBackoff;
    if (!host || declined) {
        writeLog("DHCPDISCOVER", req.requestedIp, req.chaddr, "no address available");
        return;
    }
    writeLog("DHCPDISCOVER", req.requestedIp, req.chaddr, "");
    DhcpMessage resp = replyTemplate(req, dhcp_msg::kOffer, m_config.serverAddress);
    resp.yiaddr = host->host.address;
    addOptions(req, resp, host, true);
    writeLog("DHCPOFFER", resp.yiaddr, req.chaddr, "");
    reply(req, std::move(resp), false);
}

void DhcpServer::handleRequest(const DhcpMessage& req, bool unicastToUs) {
    HostState* host = findHost(req.chaddr);
    auto leaseIt = m_leases.find(req.chaddr);
    Ipv4Address address;
    std::string message;
    if (req.requestedIp) {
        address = *req.requestedIp;
        if (req.serverId) {
            // SELECTING: the client chose another server's offer.
            if (!isOurServerId(req))
                return;
            if (leaseIt != m_leases.end() && leaseIt->second.address != address) {
                m_leases.erase(leaseIt);
                leaseIt = m_leases.end();
            }
        } else {
            // INIT-REBOOT: a non-authoritative server stays silent about leases it lacks.
            if (leaseIt == m_leases.end())
                return;
            if (leaseIt->second.address != address)
                message = "wrong address";
        }
    } else {
        // RENEWING (unicast) or REBINDING (broadcast).
        if (leaseIt == m_leases.end() || leaseIt->second.address != req.ciaddr) {
            if (!unicastToUs)
                return;
            message = "lease not found";
        }
        address = req.ciaddr;
    }
    writeLog("DHCPREQUEST", address, req.chaddr, "");
    if (message.empty()) {
        const std::uint32_t mask = netmask();
        if ((address.toU32() & mask) != (m_config.serverAddress.toU32() & mask))
            message = "wrong network";
        else if (!host || host->host.address != address)
            message = "address not available";
    }
    if (!message.empty()) {
        sendNak(req, address, message);
        return;
    }
    DhcpLeaseEntry& lease = m_leases[req.chaddr];
    lease.mac = req.chaddr;
    lease.address = address;
    lease.hostname = host->host.hostname;
    lease.clientId = req.clientId;
    lease.expires = m_clock.now() + SimDuration{m_config.leaseSeconds} * kSecond;

    DhcpMessage resp = replyTemplate(req, dhcp_msg::kAck, m_config.serverAddress);
    resp.yiaddr = address;
    addOptions(req, resp, host, true);
    writeLog("DHCPACK", address, req.chaddr, host->host.hostname);
    reply(req, std::move(resp), false);
}

void DhcpServer::handleDecline(const DhcpMessage& req) {
    if (!isOurServerId(req) || !req.requestedIp)
        return;
    const Ipv4Address address = *req.requestedIp;
    writeLog("DHCPDECLINE", address, req.chaddr, optionText(req, dhcp_opt::kMessage));
    if (HostState* host = findHost(req.chaddr); host && host->host.address == address)
        host->declinedAt = m_clock.now();
    if (auto it = m_leases.find(req.chaddr); it != m_leases.end() && it->second.address == address)
        m_leases.erase(it);
}

void DhcpServer::handleRelease(const DhcpMessage& req) {
    if (!isOurServerId(req))
        return;
    auto it = m_leases.find(req.chaddr);
    if (it != m_leases.end() && it->second.address == req.ciaddr) {
        m_leases.erase(it);
        writeLog("DHCPRELEASE", req.ciaddr, req.chaddr, "");
    } else {
        writeLog("DHCPRELEASE", req.ciaddr, req.chaddr, "unknown lease");
    }
}

void DhcpServer::handleInform(const DhcpMessage& req) {
    if (req.ciaddr.toU32() == 0)
        return;
    writeLog("DHCPINFORM", req.ciaddr, req.chaddr, "");
    const HostState* host = findHost(req.chaddr);
    DhcpMessage resp = replyTemplate(req, dhcp_msg::kAck, m_config.serverAddress);
    addOptions(req, resp, host, false);
    writeLog("DHCPACK", req.ciaddr, req.chaddr, host ? std::string_view(host->host.hostname) : "");
    reply(req, std::move(resp), false);
}

}  // namespace nlab::engine
