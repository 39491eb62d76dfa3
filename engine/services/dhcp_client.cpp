#include "engine/services/dhcp_client.h"

#include "engine/codec/dhcp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/net/net_device.h"
#include "engine/netns/net_namespace.h"

#include <algorithm>
#include <bit>
#include <set>
#include <utility>

namespace nlab::engine {

namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint8_t kProtoUdp = 17;
constexpr std::uint32_t kBroadcastIp = 0xffffffffU;


constexpr std::uint16_t kUdhcpMaxSize = 576;  ///< IP_UDP_DHCP_SIZE, udhcpc's option 57.
constexpr int kSelectTries = 3;               ///< REQUESTs sent for one OFFER.
constexpr SimDuration kNakPause = 3 * kSecond;
constexpr std::int64_t kRenewUnicastFloor = 60;  ///< Seconds: below this, rebind instead.
/// udhcpc's default parameter request list (options flagged OPTION_REQ in common.c).
constexpr std::uint8_t kDefaultRequest[] = {1, 3, 6, 12, 15, 28, 42};

std::string optionString(const DhcpMessage& msg, std::uint8_t code) {
    for (const auto& [c, data] : msg.otherOptions)
        if (c == code)
            return std::string(data.begin(), data.end());
    return {};
}

std::optional<std::uint16_t> optionU16(const DhcpMessage& msg, std::uint8_t code) {
    for (const auto& [c, data] : msg.otherOptions)
        if (c == code && data.size() == 2)
            return static_cast<std::uint16_t>((data[0] << 8) | data[1]);
    return std::nullopt;
}

/// Prefix length of 'mask'; without a mask, the classful default busybox ifconfig uses.
int prefixOf(std::optional<Ipv4Address> mask, Ipv4Address address) {
    if (mask)
        return std::countl_one(mask->toU32());
    const std::uint32_t a = address.toU32();
    if ((a >> 31) == 0)
        return 8;
    if ((a >> 30) == 2)
        return 16;
    return 24;
}

}  // namespace

std::string_view toString(DhcpClientState state) {
    switch (state) {
    case DhcpClientState::Stopped: return "stopped";
    case DhcpClientState::InitSelecting: return "init-selecting";
    case DhcpClientState::Requesting: return "requesting";
    case DhcpClientState::Bound: return "bound";
    case DhcpClientState::Renewing: return "renewing";
    case DhcpClientState::Rebinding: return "rebinding";
    case DhcpClientState::Released: return "released";
    }
    return "";
}

DhcpClient::DhcpClient(SimClock& clock, DhcpClientConfig config, DhcpClientIo io)
    : m_clock(clock), m_config(std::move(config)), m_io(std::move(io)), m_rng(m_config.seed) {}

DhcpClient::~DhcpClient() {
    if (m_timer != 0)
        m_clock.cancel(m_timer);
    if (m_ns && m_listen != DhcpListenMode::None && m_io.listen)
        m_io.listen(DhcpListenMode::None);
}

Status DhcpClient::attach(NetNamespace& ns) {
    NetDevice* dev = ns.device(m_config.interface);
    if (!dev)
        return Status::fail(ErrorCode::NotFound,
                            "udhcpc: SIOCGIFINDEX: No such device (" + m_config.interface + ")");
    m_ns = &ns;
    m_dev = dev;
    m_devAlive = dev->lifetime();
    const std::string ifname = m_config.interface;
    m_io.sendRaw = [&ns, ifname](Packet&& p) { ns.sendFrame(ifname, std::move(p)); };
    m_io.sendUdp = [&ns](Ipv4Address dst, Ipv4Address src, std::vector<std::uint8_t> udp) {
        return ns.sendIpv4(dst.toU32(), 17, std::move(udp), src.toU32());
    };
    m_io.configure = [&ns, ifname](const DhcpLease& lease, bool renew) {
        if (renew)
            return;  // the same address and router: nothing to change
        (void)ns.addAddress(ifname, lease.address.toU32(), lease.prefixLength);
        if (lease.router) {
            Route r;
            r.gateway = lease.router->toU32();
            r.device = ifname;
            r.protocol = Route::Protocol::Dhcp;
            (void)ns.addRoute(r);
        }
    };
    m_io.deconfigure = [&ns, ifname](const DhcpLease& lease) {
        if (lease.router)
            (void)ns.delRoute(0, 0);
        (void)ns.delAddress(ifname, lease.address.toU32(), lease.prefixLength);
    };
    m_io.listen = [this](DhcpListenMode mode) {
        const bool devAlive = !m_devAlive.expired();
        if (m_tap != 0 && devAlive)
            m_dev->removeTap(m_tap);
        m_tap = 0;
        m_ns->unbindUdp(kDhcpClientPort);
        if (mode == DhcpListenMode::Raw && devAlive) {
            // udhcpc reads its raw socket in user space, after the kernel has processed
            // the same frame (and, before the lease, dropped a unicast reply as not for
            // this host): deliver on the next event, not inside the device's receive path.
            m_tap = m_dev->addTap([this](const NetDevice&, Direction dir, const Packet& p) {
                if (dir != Direction::Rx)
                    return;
                auto copy = std::make_shared<Packet>(p.clone());
                m_clock.schedule(0, [alive = std::weak_ptr<int>(m_alive), this, copy] {
                    if (alive.lock())
                        receiveFrame(*copy);
                });
            });
        } else if (mode == DhcpListenMode::Kernel) {
            m_ns->bindUdp(kDhcpClientPort, [this](const auto& d) {
                if (d.frame && d.device == m_dev)
                    receiveFrame(*d.frame);
            });
        }
    };
    if (m_listen != DhcpListenMode::None)
        m_io.listen(m_listen);
    return {};
}

void DhcpClient::print(std::string line) {
    m_lines.push_back(std::move(line));
    if (m_sink)
        m_sink(m_lines.back());
}

void DhcpClient::setListen(DhcpListenMode mode) {
    if (m_listen == mode)
        return;
    m_listen = mode;
    if (m_io.listen)
        m_io.listen(mode);
}

void DhcpClient::arm(SimDuration delay) {
    if (m_timer != 0)
        m_clock.cancel(m_timer);
    m_timer = m_clock.schedule(delay, [this] {
        m_timer = 0;
        onTimeout();
    });
}

void DhcpClient::start() {
    if (m_state != DhcpClientState::Stopped && m_state != DhcpClientState::Released)
        return;
    print("udhcpc (v" + m_config.version + ") started");
    m_state = DhcpClientState::InitSelecting;
    m_firstSecs.reset();
    m_packetNum = 0;
    m_requested = m_config.requestedIp.value_or(Ipv4Address());
    m_sleeping = false;
    setListen(DhcpListenMode::Raw);
    onTimeout();
}

void DhcpClient::stop() {
    if (m_state == DhcpClientState::Stopped)
        return;
    print("Received SIGTERM");
    if (m_config.releaseOnExit) {
        if (m_state == DhcpClientState::Bound || m_state == DhcpClientState::Renewing ||
            m_state == DhcpClientState::Rebinding) {
            print("Unicasting a release of " + m_requested.toString() + " to " +
                  m_serverId.toString());
            DhcpMessage msg = newMessage(dhcp_msg::kRelease);
            msg.xid = m_rng();
            msg.ciaddr = m_requested;
            msg.serverId = m_serverId;
            sendUnicast(msg, m_requested, m_serverId);
            deconfigure();
        }
        print("Entering released state");
    }
    if (m_timer != 0) {
        m_clock.cancel(m_timer);
        m_timer = 0;
    }
    setListen(DhcpListenMode::None);
    m_state = DhcpClientState::Stopped;
}

DhcpMessage DhcpClient::newMessage(std::uint8_t type) {
    DhcpMessage msg;
    msg.op = bootp_op::kRequest;
    msg.xid = m_xid;
    const SimTime now = m_clock.now();
    if (!m_firstSecs)
        m_firstSecs = now;
    msg.secs = static_cast<std::uint16_t>(now / kSecond - *m_firstSecs / kSecond);
    msg.chaddr = m_config.mac;
    msg.messageType = type;
    const auto& b = m_config.mac.bytes();
    msg.clientId = {1, b[0], b[1], b[2], b[3], b[4], b[5]};
    return msg;
}

void DhcpClient::addClientOptions(DhcpMessage& msg) const {
    msg.otherOptions.emplace_back(
        dhcp_opt::kMaxMessageSize,
        std::vector<std::uint8_t>{static_cast<std::uint8_t>(kUdhcpMaxSize >> 8),
                                  static_cast<std::uint8_t>(kUdhcpMaxSize & 0xff)});
    std::set<std::uint8_t> prl(std::begin(kDefaultRequest), std::end(kDefaultRequest));
    prl.insert(m_config.extraOptions.begin(), m_config.extraOptions.end());
    msg.paramRequestList.assign(prl.begin(), prl.end());
    if (m_config.hostname)
        msg.hostName = *m_config.hostname;
    if (m_config.broadcastFlag && msg.ciaddr.toU32() == 0)
        msg.flags |= kBootpBroadcastFlag;
}

void DhcpClient::sendBroadcast(const DhcpMessage& msg, Ipv4Address src) {
    if (!m_io.sendRaw)
        return;
    const auto payload = buildDhcp(msg);
    const auto udp =
        buildUdp(kDhcpClientPort, kDhcpServerPort, payload, src.toU32(), kBroadcastIp);
    Ipv4Fields fields;  // udhcp_send_raw_packet: TTL 64, TOS 0, id 0, no DF.
    fields.src = src;
    fields.dst = Ipv4Address(kBroadcastIp);
    fields.protocol = kProtoUdp;
    fields.ttl = 64;
    const auto ip = buildIpv4(fields, udp);
    m_io.sendRaw(Packet(buildEthernetFrame(MacAddress::broadcast(), m_config.mac, {},
                                           kEtherTypeIpv4, ip)));
}

bool DhcpClient::sendUnicast(const DhcpMessage& msg, Ipv4Address src, Ipv4Address dst) {
    if (!m_io.sendUdp)
        return false;
    const auto payload = buildDhcp(msg);
    return m_io.sendUdp(dst, src,
                        buildUdp(kDhcpClientPort, kDhcpServerPort, payload, src.toU32(),
                                   dst.toU32()));
}

void DhcpClient::sendDiscover() {
    DhcpMessage msg = newMessage(dhcp_msg::kDiscover);
    if (m_requested.toU32() != 0)
        msg.requestedIp = m_requested;
    addClientOptions(msg);
    print("Sending discover...");
    sendBroadcast(msg, Ipv4Address());
}

void DhcpClient::sendSelect() {
    DhcpMessage msg = newMessage(dhcp_msg::kRequest);
    msg.requestedIp = m_requested;
    msg.serverId = m_serverId;
    addClientOptions(msg);
    print("Sending select for " + m_requested.toString() + "...");
    sendBroadcast(msg, Ipv4Address());
}

bool DhcpClient::sendRenew(bool unicast) {
    DhcpMessage msg = newMessage(dhcp_msg::kRequest);
    msg.ciaddr = m_requested;
    addClientOptions(msg);
    print("Sending renew...");
    if (unicast)
        return sendUnicast(msg, m_requested, m_serverId);
    sendBroadcast(msg, m_requested);
    return true;
}

void DhcpClient::leaseFail() {
    if (m_config.exitOnFailure) {
        print("No lease, failing");
        setListen(DhcpListenMode::None);
        m_state = DhcpClientState::Stopped;
        return;
    }
    m_packetNum = 0;
    arm(m_config.tryAgainTimeout);
}

void DhcpClient::deconfigure() {
    if (m_configured && m_lease && m_io.deconfigure)
        m_io.deconfigure(*m_lease);
    m_configured = false;
    m_lease.reset();
}

void DhcpClient::onTimeout() {
    m_sleeping = false;
    switch (m_state) {
    case DhcpClientState::InitSelecting:
        if (m_config.discoverRetries <= 0 || m_packetNum < m_config.discoverRetries) {
            // The timer is armed before sending: a reply may arrive during the send.
            if (m_packetNum == 0)
                m_xid = m_rng();
            ++m_packetNum;
            arm(m_config.discoverTimeout);
            sendDiscover();
            return;
        }
        leaseFail();
        return;
    case DhcpClientState::Requesting:
        if (m_packetNum < kSelectTries) {
            ++m_packetNum;
            arm(m_config.discoverTimeout);
            sendSelect();
            return;
        }
        setListen(DhcpListenMode::Raw);
        m_state = DhcpClientState::InitSelecting;
        leaseFail();
        return;
    case DhcpClientState::Bound:
        m_state = DhcpClientState::Renewing;
        m_firstSecs.reset();
        setListen(DhcpListenMode::Kernel);
        [[fallthrough]];
    case DhcpClientState::Renewing:
        if (m_timeout > kRenewUnicastFloor) {
            const std::int64_t before = m_timeout;
            m_timeout /= 2;
            arm(m_timeout * kSecond);
            if (sendRenew(true))
                return;
            // No route to the server: udhcpc rebinds at once with the timeout unhalved.
            m_timeout = before;
        }
        m_state = DhcpClientState::Rebinding;
        [[fallthrough]];
    case DhcpClientState::Rebinding:
        setListen(DhcpListenMode::Raw);
        if (m_timeout > 0) {
            m_timeout /= 2;
            arm(m_timeout * kSecond);
            sendRenew(false);
            return;
        }
        print("Lease lost, entering init state");
        deconfigure();
        m_state = DhcpClientState::InitSelecting;
        m_firstSecs.reset();
        m_packetNum = 0;
        onTimeout();
        return;
    case DhcpClientState::Stopped:
    case DhcpClientState::Released:
        return;
    }
}

void DhcpClient::receiveFrame(const Packet& frame) {
    if (m_listen == DhcpListenMode::None || m_sleeping)
        return;
    // udhcp_recv_raw_packet's checks (the kernel made the same ones for a UDP socket).
    EthernetFrame eth;
    if (!parseEthernet(frame.bytes(), eth) || eth.tagCount != 0 ||
        eth.typeOrLength != kEtherTypeIpv4)
        return;
    if (eth.dst != m_config.mac && !eth.dst.isBroadcast())
        return;
    Ipv4Datagram ip;
    if (!parseIpv4(eth.payload, ip) || ip.protocol() != kProtoUdp ||
        ip.headerLength != kIpv4HeaderLength ||
        !ipv4HeaderChecksumValid(eth.payload.first(ip.headerLength)))
        return;
    UdpDatagram udp;
    if (!parseUdp(ip.payload, udp).ok() ||
        !udpChecksumValid(ip.header.src.value(), ip.header.dst.value(),
                          ip.payload.first(udp.length())) ||
        udp.dstPort() != kDhcpClientPort || udp.length() != ip.payload.size())
        return;
    if (m_listen == DhcpListenMode::Kernel && ip.header.dst.value() != m_requested.toU32() &&
        ip.header.dst.value() != kBroadcastIp)
        return;
    auto parsed = parseDhcp(udp.payload);
    if (!parsed)
        return;
    const DhcpMessage& msg = parsed.value();
    if (msg.xid != m_xid || msg.hlen != 6 || msg.chaddr != m_config.mac || !msg.messageType)
        return;
    switch (m_state) {
    case DhcpClientState::InitSelecting:
        if (*msg.messageType == dhcp_msg::kOffer) {
            m_serverId = msg.serverId.value_or(Ipv4Address());
            m_requested = msg.yiaddr;
            m_state = DhcpClientState::Requesting;
            m_packetNum = 0;
            onTimeout();
        }
        return;
    case DhcpClientState::Requesting:
    case DhcpClientState::Renewing:
    case DhcpClientState::Rebinding:
        if (*msg.messageType == dhcp_msg::kAck)
            handleAck(msg);
        else if (*msg.messageType == dhcp_msg::kNak)
            handleNak(msg);
        return;
    default:
        return;
    }
}

void DhcpClient::handleAck(const DhcpMessage& msg) {
    std::uint32_t seconds = 0;
    if (!msg.leaseTime) {
        print("No lease time with ACK, using 1 hour lease");
        seconds = 3600;
    } else {
        seconds = std::max<std::uint32_t>(*msg.leaseTime, 0x10);
    }
    print("Lease of " + msg.yiaddr.toString() + " obtained, lease time " +
          std::to_string(seconds));
    m_requested = msg.yiaddr;
    if (msg.serverId)
        m_serverId = *msg.serverId;

    DhcpLease lease;
    lease.address = msg.yiaddr;
    lease.prefixLength = prefixOf(msg.subnetMask, msg.yiaddr);
    if (!msg.routers.empty())
        lease.router = msg.routers.front();
    lease.dns = msg.dnsServers;
    lease.domain = optionString(msg, dhcp_opt::kDomainName);
    lease.mtu = optionU16(msg, dhcp_opt::kInterfaceMtu);
    lease.serverId = m_serverId;
    lease.leaseSeconds = seconds;
    lease.obtainedAt = m_clock.now();

    const bool renew = m_state != DhcpClientState::Requesting;
    if (m_configured && m_lease &&
        (m_lease->address != lease.address || m_lease->prefixLength != lease.prefixLength ||
         m_lease->router != lease.router)) {
        if (m_io.deconfigure)
            m_io.deconfigure(*m_lease);
        m_configured = false;
    }
    if (m_io.configure)
        m_io.configure(lease, renew && m_configured);
    m_configured = true;
    m_lease = lease;

    m_timeout = seconds / 2;
    m_state = DhcpClientState::Bound;
    setListen(DhcpListenMode::None);
    arm(m_timeout * kSecond);
}

void DhcpClient::handleNak(const DhcpMessage&) {
    print("Received DHCP NAK");
    if (m_state != DhcpClientState::Requesting)
        deconfigure();
    setListen(DhcpListenMode::Raw);
    m_state = DhcpClientState::InitSelecting;
    m_firstSecs.reset();
    m_requested = Ipv4Address();
    m_packetNum = 0;
    // udhcpc sleeps 3 s, then sends a DISCOVER at once.
    m_sleeping = true;
    arm(kNakPause);
}

}  // namespace nlab::engine
