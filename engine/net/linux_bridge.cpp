#include "engine/net/linux_bridge.h"

#include "engine/core/events.h"
#include "engine/net/net_device.h"
#include "engine/packet/addresses.h"
#include "engine/packet/packet.h"

#include <algorithm>
#include <cstdio>

namespace nlab::engine {

namespace {

constexpr std::uint64_t kMulticastBit = std::uint64_t{1} << 40;  // I/G bit of the first octet.

std::uint64_t readMac(std::span<const std::uint8_t> bytes, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 6; ++i)
        v = (v << 8) | bytes[at + i];
    return v;
}

std::string hex12(std::uint64_t mac) {
    char buf[13];
    std::snprintf(buf, sizeof buf, "%012llx",
                  static_cast<unsigned long long>(mac & 0xffffffffffffULL));
    return buf;
}

}  // namespace

LinuxBridge::LinuxBridge(NetDevice& device, SimClock& clock, EventBus* events)
    : m_device(&device), m_deviceAlive(device.lifetime()), m_clock(clock), m_events(events) {
    m_device->setTransmitHandler([this](NetDevice&, Packet&& p) { hostTransmit(std::move(p)); });
}

LinuxBridge::~LinuxBridge() {
    for (const Port& port : m_ports) {
        if (port.device == nullptr || port.alive.expired())
            continue;
        port.device->setMaster("");
        port.device->setReceiveHandler(nullptr);
    }
    if (!m_deviceAlive.expired())
        m_device->setTransmitHandler(nullptr);
    if (m_ageingEvent != 0)
        m_clock.cancel(m_ageingEvent);
}

const std::string& LinuxBridge::name() const {
    return m_device->name();
}

Status LinuxBridge::addInterface(NetDevice& port) {
    if (&port == m_device || port.kind() == DeviceKind::LinuxBridge)
        return Status::fail(ErrorCode::InvalidArgument,
                            "can't enslave a bridge device to a bridge device: " + port.name());
    if (port.kind() == DeviceKind::Loopback)
        return Status::fail(ErrorCode::InvalidArgument,
                            "can't enslave the loopback device " + port.name());
    if (!port.master().empty())
        return Status::fail(ErrorCode::AlreadyExists,
                            "device " + port.name() +
                                " is already a member of a bridge; can't enslave it to bridge " +
                                name() + ".");
    // The kernel gives the lowest free port number, starting at 1.
    std::size_t slot = 0;
    while (slot < m_ports.size() && m_ports[slot].device != nullptr)
        ++slot;
    if (slot == m_ports.size())
        m_ports.emplace_back();
    m_ports[slot] = Port{&port, port.lifetime()};
    const int portNo = static_cast<int>(slot) + 1;

    port.setMaster(name());
    port.setReceiveHandler([this, portNo](NetDevice&, Packet&& p) { input(portNo, std::move(p)); });
    m_fdb[port.mac()] = Entry{portNo, true, 0};
    recalculateBridgeId();
    return {};
}

Status LinuxBridge::removeInterface(NetDevice& port) {
    const int portNo = portNumber(port);
    if (portNo == 0)
        return Status::fail(ErrorCode::NotFound,
                            "device " + port.name() + " is not a slave of " + name());
    port.setMaster("");
    port.setReceiveHandler(nullptr);
    m_ports[static_cast<std::size_t>(portNo - 1)] = Port{};
    std::erase_if(m_fdb, [portNo](const auto& kv) { return kv.second.portNo == portNo; });
    recalculateBridgeId();
    return {};
}

std::vector<const NetDevice*> LinuxBridge::interfaces() const {
    std::vector<const NetDevice*> out;
    for (const Port& port : m_ports)
        if (port.device != nullptr && !port.alive.expired())
            out.push_back(port.device);
    return out;
}

int LinuxBridge::portNumber(const NetDevice& port) const {
    for (std::size_t i = 0; i < m_ports.size(); ++i)
        if (m_ports[i].device == &port && !m_ports[i].alive.expired())
            return static_cast<int>(i) + 1;
    return 0;
}

std::string LinuxBridge::bridgeIdText() const {
    return "8000." + hex12(m_bridgeMac);
}

void LinuxBridge::setBridgeMac(std::uint64_t mac) {
    m_macPinned = true;
    m_bridgeMac = mac;
    m_device->setMac(mac);
}

void LinuxBridge::setAgeingTime(SimDuration ageing) {
    m_ageingTime = ageing < 0 ? 0 : ageing;
    // Expiry times moved: re-plan the ageing event from scratch.
    if (m_ageingEvent != 0)
        m_clock.cancel(m_ageingEvent);
    m_ageingEvent = 0;
    m_ageingAt = -1;
    runAgeing();
}

std::vector<BridgeFdbEntry> LinuxBridge::fdb() const {
    std::vector<BridgeFdbEntry> out;
    out.reserve(m_fdb.size());
    for (const auto& [mac, e] : m_fdb) {
        if (expired(e))
            continue;
        const NetDevice* port = livePort(e.portNo);
        if (port == nullptr)
            continue;
        out.push_back(BridgeFdbEntry{e.portNo, port->name(), mac, e.isLocal, e.updated});
    }
    std::sort(out.begin(), out.end(),
              [](const BridgeFdbEntry& a, const BridgeFdbEntry& b) { return a.mac < b.mac; });
    return out;
}

std::optional<BridgeFdbEntry> LinuxBridge::lookup(std::uint64_t mac) const {
    auto it = m_fdb.find(mac);
    if (it == m_fdb.end() || expired(it->second))
        return std::nullopt;
    const NetDevice* port = livePort(it->second.portNo);
    if (port == nullptr)
        return std::nullopt;
    return BridgeFdbEntry{it->second.portNo, port->name(), mac, it->second.isLocal,
                          it->second.updated};
}

void LinuxBridge::flushFdb() {
    std::erase_if(m_fdb, [](const auto& kv) { return !kv.second.isLocal; });
}

NetDevice* LinuxBridge::livePort(int portNo) const {
    if (portNo < 1 || static_cast<std::size_t>(portNo) > m_ports.size())
        return nullptr;
    const Port& port = m_ports[static_cast<std::size_t>(portNo - 1)];
    if (port.device == nullptr || port.alive.expired())
        return nullptr;
    return port.device;
}

bool LinuxBridge::expired(const Entry& e) const {
    return !e.isLocal && m_clock.now() >= e.updated + m_ageingTime;
}

void LinuxBridge::input(int portNo, Packet&& packet) {
    if (m_deviceAlive.expired() || !m_device->isUp() || packet.size() < 14) {
        m_stats.dropped++;
        return;
    }
    const std::uint64_t dst = readMac(packet.bytes(), 0);
    const std::uint64_t src = readMac(packet.bytes(), 6);
    if ((src & kMulticastBit) != 0 || src == 0) {  // !is_valid_ether_addr(h_source)
        m_stats.dropped++;
        return;
    }
    learn(src, portNo);
    forward(portNo, dst, std::move(packet));
}

void LinuxBridge::hostTransmit(Packet&& packet) {
    if (packet.size() < 14) {
        m_stats.dropped++;
        return;
    }
    forward(0, readMac(packet.bytes(), 0), std::move(packet));
}

void LinuxBridge::forward(int inPort, std::uint64_t dst, Packet&& packet) {
    const bool fromHost = inPort == 0;
    if ((dst & kMulticastBit) != 0) {
        flood(inPort, !fromHost, std::move(packet));
        return;
    }
    if (!fromHost && dst == m_device->mac()) {
        deliverToHost(std::move(packet));
        return;
    }
    auto it = m_fdb.find(dst);
    if (it != m_fdb.end() && !expired(it->second) && livePort(it->second.portNo) != nullptr) {
        if (it->second.isLocal && !fromHost) {
            deliverToHost(std::move(packet));
            return;
        }
        NetDevice* out = livePort(it->second.portNo);
        if (it->second.portNo == inPort || !out->isUp()) {  // hairpin off; disabled port
            m_stats.dropped++;
            return;
        }
        m_stats.forwarded++;
        out->transmit(std::move(packet));
        return;
    }
    flood(inPort, !fromHost && m_device->promiscuous(), std::move(packet));
}

void LinuxBridge::flood(int inPort, bool toHost, Packet&& packet) {
    m_stats.flooded++;
    auto eligible = [this, inPort](std::size_t slot) -> NetDevice* {
        if (static_cast<int>(slot) + 1 == inPort)
            return nullptr;
        NetDevice* dev = livePort(static_cast<int>(slot) + 1);
        return dev != nullptr && dev->isUp() ? dev : nullptr;
    };
    // The last destination gets the original frame, every other one a copy.
    std::size_t last = m_ports.size();
    if (!toHost) {
        for (std::size_t slot = m_ports.size(); slot-- > 0;)
            if (eligible(slot) != nullptr) {
                last = slot;
                break;
            }
    }
    for (std::size_t slot = 0; slot < m_ports.size(); ++slot) {
        NetDevice* out = eligible(slot);
        if (out == nullptr)
            continue;
        if (slot == last) {
            out->transmit(std::move(packet));
            return;
        }
        out->transmit(packet.clone());
    }
    if (toHost)
        deliverToHost(std::move(packet));
}

void LinuxBridge::deliverToHost(Packet&& packet) {
    m_stats.delivered++;
    m_device->receive(std::move(packet));
}

void LinuxBridge::learn(std::uint64_t mac, int portNo) {
    const SimTime now = m_clock.now();
    auto [it, inserted] = m_fdb.try_emplace(mac, Entry{portNo, false, now});
    Entry& e = it->second;
    bool moved = false;
    if (!inserted) {
        if (e.isLocal)
            return;  // Our own address as a source: the kernel does not learn it.
        const bool live = !expired(e);
        if (live && e.portNo == portNo) {
            e.updated = now;  // Refresh: no event, the ageing event re-plans itself.
            return;
        }
        moved = live;
        e.portNo = portNo;
        e.updated = now;
    }
    m_stats.learned++;
    scheduleAgeing(now + m_ageingTime);
    publishLearned(mac, portNo, moved);
}

void LinuxBridge::publishLearned(std::uint64_t mac, int portNo, bool moved) {
    if (m_events == nullptr || !m_events->active())
        return;
    const NetDevice* port = livePort(portNo);
    m_events->publish(m_clock.now(), MacLearned{name(), mac, 0,
                                                port != nullptr ? port->name() : std::string_view{},
                                                static_cast<std::uint32_t>(portNo), moved});
}

void LinuxBridge::scheduleAgeing(SimTime at) {
    if (m_ageingAt >= 0 && m_ageingAt <= at)
        return;
    if (m_ageingEvent != 0)
        m_clock.cancel(m_ageingEvent);
    m_ageingAt = at;
    m_ageingEvent = m_clock.scheduleAt(at, [this] {
        m_ageingEvent = 0;
        m_ageingAt = -1;
        runAgeing();
    });
}

void LinuxBridge::runAgeing() {
    std::vector<std::pair<std::uint64_t, int>> gone;  // (MAC, port), published in MAC order.
    SimTime next = -1;
    for (const auto& [mac, e] : m_fdb) {
        if (e.isLocal)
            continue;
        if (expired(e))
            gone.emplace_back(mac, e.portNo);
        else if (next < 0 || e.updated + m_ageingTime < next)
            next = e.updated + m_ageingTime;
    }
    std::sort(gone.begin(), gone.end());
    for (const auto& [mac, portNo] : gone) {
        m_fdb.erase(mac);
        m_stats.aged++;
        if (m_events != nullptr && m_events->active()) {
            const NetDevice* port = livePort(portNo);
            m_events->publish(
                m_clock.now(),
                MacAged{name(), mac, 0, port != nullptr ? port->name() : std::string_view{}});
        }
    }
    if (next >= 0)
        scheduleAgeing(next);
}

void LinuxBridge::recalculateBridgeId() {
    if (m_macPinned)
        return;
    std::uint64_t lowest = 0;
    bool any = false;
    for (const Port& port : m_ports) {
        if (port.device == nullptr || port.alive.expired())
            continue;
        if (!any || port.device->mac() < lowest)
            lowest = port.device->mac();
        any = true;
    }
    m_bridgeMac = lowest;
    m_device->setMac(lowest);
}

std::string formatBrctlShow(const std::vector<const LinuxBridge*>& bridges) {
    std::vector<const LinuxBridge*> sorted(bridges);
    std::sort(sorted.begin(), sorted.end(),
              [](const LinuxBridge* a, const LinuxBridge* b) { return a->name() < b->name(); });
    std::string out = "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n";
    for (const LinuxBridge* br : sorted) {
        std::vector<std::string> names;
        for (const NetDevice* dev : br->interfaces())
            names.push_back(dev->name());
        std::sort(names.begin(), names.end());
        out += br->name() + "\t\t" + br->bridgeIdText() + "\t" + (br->stpEnabled() ? "yes" : "no") +
               "\t\t";
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i > 0)
                out += "\t\t\t\t\t\t\t";
            out += names[i];
            out += '\n';
        }
        if (names.empty())
            out += '\n';
    }
    return out;
}

std::string formatShowMacs(const LinuxBridge& bridge, SimTime now) {
    std::string out = "port no\tmac addr\t\tis local?\tageing timer\n";
    char buf[64];
    for (const BridgeFdbEntry& e : bridge.fdb()) {
        const SimDuration age = e.isLocal ? 0 : std::max<SimDuration>(0, now - e.updated);
        std::snprintf(buf, sizeof buf, "%3i\t", e.portNo);
        out += buf;
        out += MacAddress::fromU64(e.mac).toString();
        out += e.isLocal ? "\tyes\t\t" : "\tno\t\t";
        std::snprintf(buf, sizeof buf, "%4i.%.2i\n", static_cast<int>(age / kSecond),
                      static_cast<int>((age % kSecond) / (10 * kMillisecond)));
        out += buf;
    }
    return out;
}

}  // namespace nlab::engine
