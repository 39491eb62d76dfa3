#include "engine/net/net_device.h"

#include "engine/core/events.h"
#include "engine/core/sim_clock.h"
#include "engine/netns/net_namespace.h"

#include <algorithm>

namespace nlab::engine {

std::string_view toString(DeviceKind kind) {
    switch (kind) {
        case DeviceKind::Loopback: return "loopback";
        case DeviceKind::Ethernet: return "ether";
        case DeviceKind::Veth: return "veth";
        case DeviceKind::Tap: return "tun";
        case DeviceKind::OvsInternal: return "openvswitch";
        case DeviceKind::LinuxBridge: return "bridge";
        case DeviceKind::OvsSystem: return "openvswitch";
    }
    return "unknown";
}

NetDevice::NetDevice(int ifindex, std::string name, std::uint64_t mac, DeviceKind kind)
    : m_ifindex(ifindex), m_name(std::move(name)), m_mac(mac), m_kind(kind) {}

void NetDevice::transmit(Packet&& packet) {
    // Ethernet header + one VLAN tag may ride on top of the MTU.
    if (!m_up || packet.size() > std::size_t(m_mtu) + 18) {
        m_stats.txDropped++;
        return;
    }
    m_stats.txPackets++;
    m_stats.txBytes += packet.size();
    for (const auto& [id, tap] : m_taps) tap(*this, Direction::Tx, packet);
    if (m_events != nullptr && m_events->active()) {
        FrameSent ev{m_name, m_name, 0, &packet};
        ev.netns = m_netns != nullptr ? std::string_view(m_netns->name()) : std::string_view();
        m_events->publish(m_clock != nullptr ? m_clock->now() : 0, ev);
    }
    if (m_tx) m_tx(*this, std::move(packet));
}

void NetDevice::receive(Packet&& packet) {
    if (!m_up || !m_rx) {
        m_stats.rxDropped++;
        return;
    }
    m_stats.rxPackets++;
    m_stats.rxBytes += packet.size();
    for (const auto& [id, tap] : m_taps) tap(*this, Direction::Rx, packet);
    if (m_events != nullptr && m_events->active()) {
        FrameReceived ev{m_name, m_name, 0, &packet};
        ev.netns = m_netns != nullptr ? std::string_view(m_netns->name()) : std::string_view();
        m_events->publish(m_clock != nullptr ? m_clock->now() : 0, ev);
    }
    m_rx(*this, std::move(packet));
}

NetDevice::TapId NetDevice::addTap(Tap tap) {
    m_taps.emplace_back(m_nextTap, std::move(tap));
    return m_nextTap++;
}

void NetDevice::removeTap(TapId id) {
    std::erase_if(m_taps, [id](const auto& t) { return t.first == id; });
}

}  // namespace nlab::engine
