#include "engine/lab/lab.h"

#include <algorithm>

#include "engine/net/l2_segment.h"
#include "engine/net/link.h"
#include "engine/net/linux_bridge.h"
#include "engine/packet/addresses.h"

namespace nlab::engine {

namespace {

/// Schedules 'fn(packet)' after 'delay' if 'guard' is still alive then. Packets are
/// move-only and std::function needs copyable callables, hence the shared_ptr.
template <typename Guard, typename Fn>
void deliverLater(SimClock& clock, SimDuration delay, std::weak_ptr<Guard> guard, Packet&& p,
                  Fn fn) {
    auto sp = std::make_shared<Packet>(std::move(p));
    clock.schedule(delay, [guard = std::move(guard), sp, fn = std::move(fn)]() mutable {
        if (guard.lock()) fn(std::move(*sp));
    });
}

}  // namespace

// ---- Node ----

Node::Node(Lab& lab, std::string name)
    : m_lab(lab),
      m_name(std::move(name)),
      m_root(std::make_unique<NetNamespace>("", lab.clock(), &m_events)) {
    m_events.forwardTo(&lab.events(), m_name);
}

Node::~Node() {
    // Bridges reference devices through sinks and handlers; drop them first.
    m_linuxBridges.clear();
    m_ovsBridges.clear();
}

Result<LinuxBridge*> Node::addLinuxBridge(const std::string& name) {
    if (device(name)) {
        return Result<LinuxBridge*>::fail(ErrorCode::AlreadyExists,
                                          "device " + name + " already exists; can't create "
                                          "bridge with the same name");
    }
    NetDevice& dev = createDevice(name, DeviceKind::LinuxBridge, 0);
    m_linuxBridges.push_back(std::make_unique<LinuxBridge>(dev, m_lab.clock(), &m_events));
    return m_linuxBridges.back().get();
}

LinuxBridge* Node::linuxBridge(std::string_view name) const {
    for (const auto& b : m_linuxBridges) {
        if (b->device().name() == name) return b.get();
    }
    return nullptr;
}

std::vector<LinuxBridge*> Node::linuxBridges() const {
    std::vector<LinuxBridge*> out;
    for (const auto& b : m_linuxBridges) out.push_back(b.get());
    return out;
}

Status Node::deleteLinuxBridge(std::string_view name) {
    auto it = std::find_if(m_linuxBridges.begin(), m_linuxBridges.end(),
                           [&](const auto& b) { return b->device().name() == name; });
    if (it == m_linuxBridges.end()) {
        return Status::fail(ErrorCode::NotFound,
                            "bridge " + std::string(name) + " doesn't exist; can't delete it");
    }
    NetDevice& dev = (*it)->device();
    for (const NetDevice* port : (*it)->interfaces()) {
        if (NetDevice* d = deviceByIfindex(port->ifindex())) (void)(*it)->removeInterface(*d);
    }
    m_linuxBridges.erase(it);
    destroyDevice(dev);
    return {};
}

Result<NetNamespace*> Node::addNamespace(const std::string& name) {
    if (name.empty() || netns(name)) {
        return Result<NetNamespace*>::fail(
            ErrorCode::AlreadyExists,
            "Cannot create namespace file \"/var/run/netns/" + name + "\": File exists");
    }
    m_namespaces.push_back(std::make_unique<NetNamespace>(name, m_lab.clock(), &m_events));
    return m_namespaces.back().get();
}

Status Node::deleteNamespace(std::string_view name) {
    auto it = std::find_if(m_namespaces.begin(), m_namespaces.end(),
                           [&](const auto& ns) { return ns->name() == name; });
    if (it == m_namespaces.end()) {
        return Status::fail(ErrorCode::NotFound,
                            "Cannot remove namespace file \"/var/run/netns/" + std::string(name) +
                                "\": No such file or directory");
    }
    for (NetDevice* d : devices()) {
        if (d->netns() == it->get()) destroyDevice(*d);
    }
    m_namespaces.erase(it);
    return {};
}

NetNamespace* Node::netns(std::string_view name) const {
    for (const auto& ns : m_namespaces) {
        if (ns->name() == name) return ns.get();
    }
    return nullptr;
}

std::vector<NetNamespace*> Node::namespaces() const {
    std::vector<NetNamespace*> out;
    for (const auto& ns : m_namespaces) out.push_back(ns.get());
    return out;
}

NetDevice& Node::createDevice(const std::string& name, DeviceKind kind, std::uint64_t mac,
                              NetNamespace* ns) {
    const int ifindex = m_nextIfindex++;
    auto dev = std::make_unique<NetDevice>(ifindex, name, mac ? mac : m_lab.generateMac(), kind);
    NetDevice& ref = *dev;
    ref.setEvents(&m_events, &m_lab.clock());
    m_devices.emplace(ifindex, std::move(dev));
    (ns ? *ns : *m_root).attach(ref);
    return ref;
}

std::pair<NetDevice*, NetDevice*> Node::createVethPair(const std::string& a, const std::string& b,
                                                       NetNamespace* nsA, NetNamespace* nsB) {
    NetDevice& da = createDevice(a, DeviceKind::Veth, 0, nsA);
    NetDevice& db = createDevice(b, DeviceKind::Veth, 0, nsB);
    m_lab.connect(da, db, m_lab.latencies().veth);
    return {&da, &db};
}

void Node::destroyDevice(NetDevice& dev) {
    if (NetNamespace* ns = dev.netns()) ns->detach(dev);
    for (auto it = m_internalPorts.begin(); it != m_internalPorts.end();) {
        if (it->second == &dev) {
            it = m_internalPorts.erase(it);
        } else {
            ++it;
        }
    }
    m_devices.erase(dev.ifindex());
}

NetDevice* Node::device(std::string_view name, const NetNamespace* ns) const {
    const NetNamespace* want = ns ? ns : m_root.get();
    for (const auto& [i, d] : m_devices) {
        if (d->name() == name && d->netns() == want) return d.get();
    }
    return nullptr;
}

NetDevice* Node::deviceByIfindex(int ifindex) const {
    auto it = m_devices.find(ifindex);
    return it == m_devices.end() ? nullptr : it->second.get();
}

std::vector<NetDevice*> Node::devices() const {
    std::vector<NetDevice*> out;
    for (const auto& [i, d] : m_devices) out.push_back(d.get());
    return out;
}

// ---- OVS ----

Result<OvsBridge*> Node::addOvsBridge(const std::string& name, OvsBridge::FailMode mode,
                                      std::uint64_t mac) {
    if (ovsBridge(name)) {
        return Result<OvsBridge*>::fail(ErrorCode::AlreadyExists,
                                        "cannot create a bridge named " + name +
                                            " because a bridge named " + name + " already exists");
    }
    NetDevice& local = createDevice(name, DeviceKind::OvsInternal, mac);
    m_ovsBridges.push_back(
        std::make_unique<OvsBridge>(name, m_lab.clock(), &m_events, mode, local.mac()));
    OvsBridge& br = *m_ovsBridges.back();
    // The LOCAL port is the bridge's own interface in the root namespace.
    const SimDuration lat = m_lab.latencies().ovsPort;
    SimClock& clock = m_lab.clock();
    local.setTransmitHandler([&br, &clock, lat](NetDevice&, Packet&& p) {
        deliverLater(clock, lat, br.lifetime(), std::move(p),
                     [&br](Packet&& q) { br.receive(ofp::kLocal, std::move(q)); });
    });
    NetDevice* localPtr = &local;
    (void)br.setPortSink(name, [localPtr, &clock, lat](Packet&& p) {
        deliverLater(clock, lat, localPtr->lifetime(), std::move(p),
                     [localPtr](Packet&& q) { localPtr->receive(std::move(q)); });
    });
    m_internalPorts[{&br, ofp::kLocal}] = &local;
    wireOvsBridge(br);
    return &br;
}

Status Node::deleteOvsBridge(std::string_view name) {
    auto it = std::find_if(m_ovsBridges.begin(), m_ovsBridges.end(),
                           [&](const auto& b) { return b->name() == name; });
    if (it == m_ovsBridges.end()) {
        return Status::fail(ErrorCode::NotFound, "no bridge named " + std::string(name));
    }
    OvsBridge* br = it->get();
    std::vector<NetDevice*> owned;
    for (const auto& [key, dev] : m_internalPorts) {
        if (key.first == br) owned.push_back(dev);
    }
    for (NetDevice* d : owned) destroyDevice(*d);
    // This bridge's system ports go back to their namespace's stack (other bridges' stay).
    std::vector<std::string> systemPorts;
    for (const BridgePort* p : br->ports()) {
        if (p->config.type == PortType::System) systemPorts.push_back(p->config.name);
    }
    for (NetDevice* d : devices()) {
        if (d->master() == "ovs-system" && d->netns() &&
            std::find(systemPorts.begin(), systemPorts.end(), d->name()) != systemPorts.end()) {
            d->setMaster("");
            d->netns()->attach(*d);
        }
    }
    m_ovsBridges.erase(it);
    return {};
}

OvsBridge* Node::ovsBridge(std::string_view name) const {
    for (const auto& b : m_ovsBridges) {
        if (b->name() == name) return b.get();
    }
    return nullptr;
}

std::vector<OvsBridge*> Node::ovsBridges() const {
    std::vector<OvsBridge*> out;
    for (const auto& b : m_ovsBridges) out.push_back(b.get());
    return out;
}

Result<NetDevice*> Node::addOvsInternalPort(OvsBridge& br, const std::string& name,
                                            std::optional<std::uint16_t> tag, NetNamespace* ns,
                                            std::uint64_t mac, std::uint32_t ofport) {
    PortConfig c;
    c.name = name;
    c.type = PortType::Internal;
    c.tag = tag;
    c.ofportRequest = ofport;
    auto r = br.addPort(std::move(c));
    if (!r) return r.error();
    NetDevice& dev = createDevice(name, DeviceKind::OvsInternal, mac, ns);
    br.port(r.value())->mac = dev.mac();
    const std::uint32_t no = r.value();
    const SimDuration lat = m_lab.latencies().ovsPort;
    SimClock& clock = m_lab.clock();
    dev.setTransmitHandler([&br, &clock, lat, no](NetDevice&, Packet&& p) {
        deliverLater(clock, lat, br.lifetime(), std::move(p),
                     [&br, no](Packet&& q) { br.receive(no, std::move(q)); });
    });
    NetDevice* devPtr = &dev;
    (void)br.setPortSink(name, [devPtr, &clock, lat](Packet&& p) {
        deliverLater(clock, lat, devPtr->lifetime(), std::move(p),
                     [devPtr](Packet&& q) { devPtr->receive(std::move(q)); });
    });
    m_internalPorts[{&br, no}] = &dev;
    return &dev;
}

Result<std::uint32_t> Node::addOvsSystemPort(OvsBridge& br, NetDevice& dev,
                                             std::optional<std::uint16_t> tag,
                                             std::uint32_t ofport) {
    PortConfig c;
    c.name = dev.name();
    c.type = PortType::System;
    c.tag = tag;
    c.ofportRequest = ofport;
    auto r = br.addPort(std::move(c));
    if (!r) return r;
    const std::uint32_t no = r.value();
    dev.setMaster("ovs-system");
    dev.setPromiscuous(true);
    const SimDuration lat = m_lab.latencies().ovsPort;
    SimClock& clock = m_lab.clock();
    // Frames the interface receives enter the bridge; frames the bridge outputs leave
    // through the interface.
    dev.setReceiveHandler([&br, &clock, lat, no](NetDevice&, Packet&& p) {
        deliverLater(clock, lat, br.lifetime(), std::move(p),
                     [&br, no](Packet&& q) { br.receive(no, std::move(q)); });
    });
    NetDevice* devPtr = &dev;
    (void)br.setPortSink(dev.name(), [devPtr](Packet&& p) { devPtr->transmit(std::move(p)); });
    return no;
}

Status Node::addOvsPatchPair(OvsBridge& a, const std::string& portA, OvsBridge& b,
                             const std::string& portB, std::uint32_t ofportA,
                             std::uint32_t ofportB) {
    PortConfig ca;
    ca.name = portA;
    ca.type = PortType::Patch;
    ca.peer = portB;
    ca.ofportRequest = ofportA;
    if (auto r = a.addPort(std::move(ca)); !r) return r.error();
    PortConfig cb;
    cb.name = portB;
    cb.type = PortType::Patch;
    cb.peer = portA;
    cb.ofportRequest = ofportB;
    if (auto r = b.addPort(std::move(cb)); !r) {
        (void)a.deletePort(portA);
        return r.error();
    }
    return OvsBridge::connectPatch(a, portA, b, portB);
}

Status Node::deleteOvsPort(OvsBridge& br, std::string_view port) {
    const BridgePort* p = br.portByName(port);
    if (!p) {
        return Status::fail(ErrorCode::NotFound,
                            "bridge " + br.name() + " does not have a port " + std::string(port));
    }
    const std::uint32_t no = p->ofport;
    NetDevice* internal = nullptr;
    if (auto it = m_internalPorts.find({&br, no}); it != m_internalPorts.end()) {
        internal = it->second;
    }
    if (!internal) {
        if (NetDevice* d = device(port); d && d->master() == "ovs-system") {
            d->setMaster("");
            d->setPromiscuous(false);
            if (d->netns()) d->netns()->attach(*d);
        }
    }
    Status s = br.deletePort(port);
    if (s && internal) destroyDevice(*internal);
    return s;
}

Result<std::pair<NetDevice*, NetDevice*>> Node::addVmNic(NetNamespace& vmNs,
                                                         const std::string& tapName,
                                                         std::uint64_t mac,
                                                         const std::string& ifname) {
    using R = Result<std::pair<NetDevice*, NetDevice*>>;
    if (device(tapName)) {
        return R::fail(ErrorCode::AlreadyExists, "RTNETLINK answers: File exists (" + tapName + ")");
    }
    if (device(ifname, &vmNs)) {
        return R::fail(ErrorCode::AlreadyExists,
                       "RTNETLINK answers: File exists (" + ifname + " in " + vmNs.name() + ")");
    }
    NetDevice& eth = createDevice(ifname, DeviceKind::Ethernet, mac, &vmNs);
    const std::uint64_t tapMac = (mac & 0x00ffffffffffULL) | 0xfe0000000000ULL;
    NetDevice& tap = createDevice(tapName, DeviceKind::Tap, tapMac);
    m_lab.connect(eth, tap, m_lab.latencies().tap);
    // A tap is not a veth: ethtool shows no peer.
    eth.setPeerIfindex(0);
    tap.setPeerIfindex(0);
    return std::make_pair(&eth, &tap);
}

void Node::wireOvsBridge(OvsBridge& br) {
    if (!m_tunnelIp) return;
    TunnelUnderlay u;
    u.localIp = m_tunnelIp;
    u.sendIpv4Frame = [this](Packet&& p) { m_root->sendIpv4Frame(std::move(p)); };
    br.setTunnelUnderlay(std::move(u));
}

void Node::setTunnelEndpoint(std::uint32_t localIp) {
    m_tunnelIp = localIp;
    for (auto& b : m_ovsBridges) wireOvsBridge(*b);
    m_root->setProtocolHandler(ip_proto::kGre, [this](const NetDevice&, Packet&& frame) {
        dispatchTunnelFrame(std::move(frame));
    });
    m_root->bindUdp(4789, [this](const UdpReceived& d) {
        if (d.frame) dispatchTunnelFrame(d.frame->clone());
    });
}

void Node::dispatchTunnelFrame(Packet&& frame) {
    for (auto& b : m_ovsBridges) {
        if (b->receiveTunnelFrame(frame)) return;
    }
    if (m_events.active()) {
        m_events.publish(m_lab.clock().now(),
                               FrameDropped{m_name, "", frame.id,
                                            "tunnel packet matches no tunnel port", &frame});
    }
}

// ---- Lab ----

Lab::Lab(std::uint64_t seed) : m_rng(seed) {}

Lab::~Lab() { m_nodes.clear(); }

Result<Node*> Lab::addNode(const std::string& name) {
    if (name.empty() || node(name)) {
        return Result<Node*>::fail(ErrorCode::AlreadyExists,
                                   "a node named '" + name + "' already exists");
    }
    m_nodes.push_back(std::make_unique<Node>(*this, name));
    return m_nodes.back().get();
}

Status Lab::removeNode(std::string_view name) {
    auto it = std::find_if(m_nodes.begin(), m_nodes.end(),
                           [&](const auto& n) { return n->name() == name; });
    if (it == m_nodes.end()) {
        return Status::fail(ErrorCode::NotFound, "no node named '" + std::string(name) + "'");
    }
    m_nodes.erase(it);
    return {};
}

Node* Lab::node(std::string_view name) const {
    for (const auto& n : m_nodes) {
        if (n->name() == name) return n.get();
    }
    return nullptr;
}

std::vector<Node*> Lab::nodes() const {
    std::vector<Node*> out;
    for (const auto& n : m_nodes) out.push_back(n.get());
    return out;
}

std::uint64_t Lab::generateMac(std::uint32_t oui) {
    const std::uint64_t low = m_rng() & 0xffffffULL;
    if (oui) return (std::uint64_t(oui & 0xffffff) << 24) | low;
    // Locally administered, unicast, 40 random bits after the first octet.
    const std::uint64_t v = m_rng() & 0xffffffffffffULL;
    return (v | 0x020000000000ULL) & ~0x010000000000ULL;
}

void Lab::connect(NetDevice& a, NetDevice& b, SimDuration latency) {
    connectPointToPoint(m_clock, a, b, latency);
}

Result<L2Segment*> Lab::addSegment(const std::string& name) {
    if (name.empty() || segment(name)) {
        return Result<L2Segment*>::fail(ErrorCode::AlreadyExists,
                                        "a network segment named '" + name + "' already exists");
    }
    m_segments.push_back(std::make_unique<L2Segment>(name, m_clock, m_latencies.wire));
    return m_segments.back().get();
}

L2Segment* Lab::segment(std::string_view name) const {
    for (const auto& s : m_segments) {
        if (s->name() == name) return s.get();
    }
    return nullptr;
}

}  // namespace nlab::engine
