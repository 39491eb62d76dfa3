#include "engine/net/l2_segment.h"

#include "engine/net/net_device.h"

#include <algorithm>

namespace nlab::engine {

namespace {

constexpr std::uint64_t kMulticastBit = std::uint64_t{1} << 40;

std::uint64_t readMac(std::span<const std::uint8_t> bytes, std::size_t at) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 6; ++i)
        v = (v << 8) | bytes[at + i];
    return v;
}

}  // namespace

L2Segment::L2Segment(std::string name, SimClock& clock, SimDuration latency)
    : m_name(std::move(name)), m_clock(clock), m_latency(latency < 0 ? 0 : latency) {}

L2Segment::~L2Segment() {
    for (const Port& port : m_ports)
        if (port.device != nullptr && !port.alive.expired())
            port.device->setTransmitHandler(nullptr);
}

Result<int> L2Segment::attach(NetDevice& device) {
    for (const Port& port : m_ports)
        if (port.device == &device && !port.alive.expired())
            return Result<int>::fail(ErrorCode::AlreadyExists,
                                     device.name() + " is already attached to " + m_name);
    m_ports.push_back(Port{&device, device.lifetime()});
    const int portNo = static_cast<int>(m_ports.size());
    device.setTransmitHandler(
        [this, portNo](NetDevice&, Packet&& p) { enter(portNo, std::move(p)); });
    return portNo;
}

Status L2Segment::detach(NetDevice& device) {
    for (std::size_t i = 0; i < m_ports.size(); ++i) {
        Port& port = m_ports[i];
        if (port.device != &device || port.alive.expired())
            continue;
        device.setTransmitHandler(nullptr);
        port = Port{};
        const int portNo = static_cast<int>(i) + 1;
        std::erase_if(m_macs, [portNo](const auto& kv) { return kv.second.port == portNo; });
        return {};
    }
    return Status::fail(ErrorCode::NotFound, device.name() + " is not attached to " + m_name);
}

std::vector<const NetDevice*> L2Segment::devices() const {
    std::vector<const NetDevice*> out;
    for (const Port& port : m_ports)
        if (port.device != nullptr && !port.alive.expired())
            out.push_back(port.device);
    return out;
}

std::vector<SegmentMacEntry> L2Segment::macTable() const {
    std::vector<SegmentMacEntry> out;
    for (const auto& [mac, l] : m_macs) {
        if (m_clock.now() >= l.lastSeen + m_ageingTime)
            continue;
        const NetDevice* dev = livePort(l.port);
        if (dev == nullptr)
            continue;
        out.push_back(SegmentMacEntry{mac, l.port, dev->name(), l.lastSeen});
    }
    std::sort(out.begin(), out.end(),
              [](const SegmentMacEntry& a, const SegmentMacEntry& b) { return a.mac < b.mac; });
    return out;
}

NetDevice* L2Segment::livePort(int port) const {
    if (port < 1 || static_cast<std::size_t>(port) > m_ports.size())
        return nullptr;
    const Port& p = m_ports[static_cast<std::size_t>(port - 1)];
    return p.device != nullptr && !p.alive.expired() ? p.device : nullptr;
}

void L2Segment::enter(int inPort, Packet&& packet) {
    m_stats.frames++;
    m_inFlight.push_back(InFlight{inPort, std::move(packet)});
    m_clock.schedule(m_latency, [this, alive = std::weak_ptr<void>(m_alive)] {
        if (!alive.expired())
            deliver();
    });
}

void L2Segment::deliver() {
    InFlight f = std::move(m_inFlight.front());
    m_inFlight.pop_front();
    if (f.packet.size() < 14) {
        m_stats.dropped++;
        return;
    }
    const std::uint64_t dst = readMac(f.packet.bytes(), 0);
    const std::uint64_t src = readMac(f.packet.bytes(), 6);
    const SimTime now = m_clock.now();
    if ((src & kMulticastBit) == 0 && livePort(f.inPort) != nullptr)
        m_macs[src] = Learned{f.inPort, now};

    if ((dst & kMulticastBit) == 0) {
        auto it = m_macs.find(dst);
        if (it != m_macs.end() && now < it->second.lastSeen + m_ageingTime) {
            NetDevice* out = livePort(it->second.port);
            if (out == nullptr || it->second.port == f.inPort) {
                m_stats.dropped++;
                return;
            }
            m_stats.forwarded++;
            m_stats.deliveries++;
            out->receive(std::move(f.packet));
            return;
        }
    }
    // Flood: every other live port in port order; the last one gets the original frame.
    m_stats.flooded++;
    std::size_t last = m_ports.size();
    for (std::size_t i = m_ports.size(); i-- > 0;)
        if (static_cast<int>(i) + 1 != f.inPort && livePort(static_cast<int>(i) + 1) != nullptr) {
            last = i;
            break;
        }
    for (std::size_t i = 0; i < m_ports.size(); ++i) {
        const int portNo = static_cast<int>(i) + 1;
        NetDevice* out = portNo == f.inPort ? nullptr : livePort(portNo);
        if (out == nullptr)
            continue;
        m_stats.deliveries++;
        if (i == last) {
            out->receive(std::move(f.packet));
            return;
        }
        out->receive(f.packet.clone());
    }
}

}  // namespace nlab::engine
