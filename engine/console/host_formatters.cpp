#include "engine/console/host_formatters.h"

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>

#include "engine/packet/addresses.h"

namespace nlab::engine {

namespace {

bool isAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

std::string quoted(std::string_view s) {
    if (!ovsNeedsQuotes(s)) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

/// The namespace a formatter works on: 'ns', or the node's root namespace.
const NetNamespace& namespaceOf(const Node& node, const NetNamespace* ns) {
    if (ns) return *ns;
    // Node::root() has no const overload; reading through it does not modify the node.
    return const_cast<Node&>(node).root();
}

bool isLocalPort(const OvsBridge& br, const BridgePort& p) {
    return p.config.type == PortType::Internal && p.config.name == br.name();
}

/// Ports in the default order: patch ports, other ports by number, LOCAL last.
std::vector<const BridgePort*> defaultPortOrder(const OvsBridge& br) {
    std::vector<const BridgePort*> patch, other, local;
    for (const BridgePort* p : br.ports()) {
        if (isLocalPort(br, *p)) {
            local.push_back(p);
        } else if (p->config.type == PortType::Patch) {
            patch.push_back(p);
        } else {
            other.push_back(p);
        }
    }
    patch.insert(patch.end(), other.begin(), other.end());
    patch.insert(patch.end(), local.begin(), local.end());
    return patch;
}

/// Moves the items named in 'names' (in that order) to the front of 'items'.
template <typename T, typename NameOf>
std::vector<T> applyOrder(std::vector<T> items, const std::vector<std::string>& names,
                          NameOf nameOf) {
    std::vector<T> out;
    for (const std::string& n : names) {
        auto it = std::find_if(items.begin(), items.end(), [&](T x) { return nameOf(x) == n; });
        if (it != items.end()) {
            out.push_back(*it);
            items.erase(it);
        }
    }
    out.insert(out.end(), items.begin(), items.end());
    return out;
}

std::string tunnelKey(const std::optional<std::uint64_t>& key) {
    return key ? std::to_string(*key) : std::string("flow");
}

/// The options map of an interface, keys sorted as OVS prints them; "" when none.
std::string formatOptions(const PortConfig& c) {
    std::map<std::string, std::string> opts;
    switch (c.type) {
    case PortType::Patch:
        opts["peer"] = c.peer;
        break;
    case PortType::Gre:
    case PortType::Vxlan:
        opts["in_key"] = tunnelKey(c.inKey);
        opts["out_key"] = tunnelKey(c.outKey);
        if (c.localIp) opts["local_ip"] = formatIpv4(c.localIp);
        opts["remote_ip"] = c.remoteIpFlow ? std::string("flow") : formatIpv4(c.remoteIp);
        if (c.type == PortType::Vxlan && c.dstPort && c.dstPort != 4789) {
            opts["dst_port"] = std::to_string(c.dstPort);
        }
        break;
    case PortType::Internal:
    case PortType::System:
        break;
    }
    if (opts.empty()) return {};
    std::string out = "{";
    bool first = true;
    for (const auto& [k, v] : opts) {
        if (!first) out += ", ";
        first = false;
        out += quoted(k) + "=" + quoted(v);
    }
    return out + "}";
}

std::string_view interfaceType(PortType t) {
    switch (t) {
    case PortType::Internal: return "internal";
    case PortType::Patch: return "patch";
    case PortType::Gre: return "gre";
    case PortType::Vxlan: return "vxlan";
    case PortType::System: return "";
    }
    return "";
}

/// net-tools' natural name order (nstrcmp): digit runs compare numerically.
bool naturalLess(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && isDigit(a[ie])) ++ie;
            while (je < b.size() && isDigit(b[je])) ++je;
            const std::string na = a.substr(i, ie - i), nb = b.substr(j, je - j);
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ie;
            j = je;
            continue;
        }
        if (a[i] != b[j]) return a[i] < b[j];
        ++i;
        ++j;
    }
    return a.size() - i < b.size() - j;
}

std::uint32_t netmask(int prefix) {
    return prefix <= 0 ? 0u : (prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1u));
}

/// "(3.2 KB)": net-tools' short form, decimal units, truncated to one decimal.
std::string shortBytes(std::uint64_t n) {
    const char* unit = "B";
    std::uint64_t tenths = n * 10;
    if (n > 1000000000000ULL) {
        tenths /= 1000000000000ULL;
        unit = "TB";
    } else if (n > 1000000000ULL) {
        tenths /= 1000000000ULL;
        unit = "GB";
    } else if (n > 1000000ULL) {
        tenths /= 1000000ULL;
        unit = "MB";
    } else if (n > 1000ULL) {
        tenths /= 1000ULL;
        unit = "KB";
    }
    return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " " + unit;
}

int txQueueLen(DeviceKind k) {
    switch (k) {
    case DeviceKind::Ethernet:
    case DeviceKind::Veth: return 1000;
    case DeviceKind::Tap: return 500;
    case DeviceKind::Loopback:
    case DeviceKind::OvsInternal:
    case DeviceKind::LinuxBridge:
    case DeviceKind::OvsSystem: return 0;
    }
    return 0;
}

/// Whether the kernel sets IFF_MULTICAST (OVS 2.0 internal devices and lo do not).
bool hasMulticast(DeviceKind k) {
    return k != DeviceKind::Loopback && k != DeviceKind::OvsInternal;
}

std::string qdiscOf(const NetDevice& d) {
    if (!d.isUp()) return "noop";
    switch (d.kind()) {
    case DeviceKind::Ethernet:
    case DeviceKind::Veth:
    case DeviceKind::Tap: return "pfifo_fast";
    case DeviceKind::Loopback:
    case DeviceKind::OvsInternal:
    case DeviceKind::LinuxBridge:
    case DeviceKind::OvsSystem: return "noqueue";
    }
    return "noqueue";
}

/// `ip link` operstate: UNKNOWN for devices without carrier reporting (lo, tap, OVS internal).
std::string_view operState(const NetDevice& d) {
    if (!d.isUp()) return "DOWN";
    switch (d.kind()) {
    case DeviceKind::Loopback:
    case DeviceKind::Tap:
    case DeviceKind::OvsInternal: return "UNKNOWN";
    case DeviceKind::Ethernet:
    case DeviceKind::Veth:
    case DeviceKind::LinuxBridge:
    case DeviceKind::OvsSystem: return "UP";
    }
    return "UNKNOWN";
}

}  // namespace

bool ovsNeedsQuotes(std::string_view s) {
    if (s.empty()) return true;
    if (!isAlpha(s[0]) && s[0] != '_') return true;
    for (char c : s.substr(1)) {
        if (!isAlpha(c) && c != '_' && c != '-' && c != '.') return true;
    }
    return s == "true" || s == "false";
}

std::string formatOvsVsctlShow(const Node& node, std::string_view dbUuid,
                               std::string_view ovsVersion, const OvsShowOrder* order) {
    std::string out(dbUuid);
    out += '\n';
    std::vector<OvsBridge*> bridges = node.ovsBridges();
    if (order) {
        bridges = applyOrder(std::move(bridges), order->bridges,
                             [](const OvsBridge* b) -> const std::string& { return b->name(); });
    }
    for (const OvsBridge* br : bridges) {
        out += "    Bridge " + quoted(br->name()) + "\n";
        if (br->failMode() == OvsBridge::FailMode::Secure) out += "        fail_mode: secure\n";
        std::vector<const BridgePort*> ports = defaultPortOrder(*br);
        if (order) {
            if (auto it = order->ports.find(br->name()); it != order->ports.end()) {
                ports = applyOrder(std::move(ports), it->second,
                                   [](const BridgePort* p) -> const std::string& {
                                       return p->config.name;
                                   });
            }
        }
        for (const BridgePort* p : ports) {
            const PortConfig& c = p->config;
            out += "        Port " + quoted(c.name) + "\n";
            if (c.tag) out += "            tag: " + std::to_string(*c.tag) + "\n";
            if (!c.trunks.empty()) {
                out += "            trunks: [";
                for (std::size_t i = 0; i < c.trunks.size(); ++i) {
                    if (i) out += ", ";
                    out += std::to_string(c.trunks[i]);
                }
                out += "]\n";
            }
            out += "            Interface " + quoted(c.name) + "\n";
            if (const std::string_view type = interfaceType(c.type); !type.empty()) {
                out += "                type: " + std::string(type) + "\n";
            }
            if (const std::string opts = formatOptions(c); !opts.empty()) {
                out += "                options: " + opts + "\n";
            }
        }
    }
    out += "    ovs_version: \"" + std::string(ovsVersion) + "\"\n";
    return out;
}

std::string formatIpNetnsShow(const Node& node) { return formatIpNetnsShow(node, {}); }

std::string formatIpNetnsShow(const Node& node, const std::vector<std::string>& order) {
    std::vector<NetNamespace*> newestFirst;
    const std::vector<NetNamespace*> all = node.namespaces();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (!(*it)->isVmGuest()) newestFirst.push_back(*it);
    }
    std::string out;
    for (const NetNamespace* ns : applyOrder(std::move(newestFirst), order,
                                              [](const NetNamespace* n) -> const std::string& {
                                                  return n->name();
                                              })) {
        out += ns->name() + "\n";
    }
    return out;
}

std::string formatEthtoolStats(const NetDevice& dev) {
    if (dev.kind() != DeviceKind::Veth) return "no stats available\n";
    return "NIC statistics:\n     peer_ifindex: " + std::to_string(dev.peerIfindex()) + "\n";
}

std::string formatIfconfigDevice(const NetNamespace& ns, const NetDevice& dev) {
    const std::vector<InterfaceAddress> addrs = ns.addresses();
    const NetDevice* d = &dev;
    std::string out;
    char buf[160];
    const bool lo = d->kind() == DeviceKind::Loopback;
    std::snprintf(buf, sizeof buf, "%-9s ", d->name().c_str());
    out += buf;
    if (lo) {
        out += "Link encap:Local Loopback  \n";
        out += "          inet addr:127.0.0.1  Mask:255.0.0.0\n";
    } else {
        out += "Link encap:Ethernet  HWaddr " + formatMac(d->mac()) + "  \n";
        auto a = std::find_if(addrs.begin(), addrs.end(),
                              [&](const InterfaceAddress& x) { return x.device == d->name(); });
        if (a != addrs.end()) {
            out += "          inet addr:" + formatIpv4(a->address) +
                   "  Bcast:" + formatIpv4(a->broadcast) +
                   "  Mask:" + formatIpv4(netmask(a->prefixLength)) + "\n";
        }
    }
    out += "          ";
    if (d->isUp()) out += "UP ";
    out += lo ? "LOOPBACK " : "BROADCAST ";
    if (d->isUp()) out += "RUNNING ";
    if (d->promiscuous()) out += "PROMISC ";
    if (hasMulticast(d->kind())) out += "MULTICAST ";
    out += " MTU:" + std::to_string(d->mtu()) + "  Metric:1\n";
    const DeviceStats& s = d->stats();
    std::snprintf(buf, sizeof buf,
                  "          RX packets:%" PRIu64 " errors:%" PRIu64 " dropped:%" PRIu64
                  " overruns:0 frame:0\n",
                  s.rxPackets, s.rxErrors, s.rxDropped);
    out += buf;
    std::snprintf(buf, sizeof buf,
                  "          TX packets:%" PRIu64 " errors:%" PRIu64 " dropped:%" PRIu64
                  " overruns:0 carrier:0\n",
                  s.txPackets, s.txErrors, s.txDropped);
    out += buf;
    out += "          collisions:0 txqueuelen:" + std::to_string(txQueueLen(d->kind())) + " \n";
    out += "          RX bytes:" + std::to_string(s.rxBytes) + " (" + shortBytes(s.rxBytes) +
           ")  TX bytes:" + std::to_string(s.txBytes) + " (" + shortBytes(s.txBytes) + ")\n";
    out += "\n";
    return out;
}

std::string formatIfconfig(const Node& node, const NetNamespace* ns, bool all) {
    const NetNamespace& space = namespaceOf(node, ns);
    std::vector<NetDevice*> devs = space.devices();
    std::stable_sort(devs.begin(), devs.end(), [](const NetDevice* a, const NetDevice* b) {
        return naturalLess(a->name(), b->name());
    });
    std::string out;
    for (const NetDevice* d : devs) {
        if (d->isUp() || all) out += formatIfconfigDevice(space, *d);
    }
    return out;
}

std::string formatIfconfig(const Node& node, const NetNamespace* ns) {
    return formatIfconfig(node, ns, false);
}

std::string formatIpAddrDevice(const NetNamespace& ns, const NetDevice& dev, bool withAddresses) {
    const NetDevice* d = &dev;
    const bool lo = d->kind() == DeviceKind::Loopback;
    std::string out;
    std::string flags;
    if (lo) {
        flags = "LOOPBACK";
    } else {
        flags = "BROADCAST";
        if (hasMulticast(d->kind())) flags += ",MULTICAST";
    }
    if (d->promiscuous()) flags += ",PROMISC";
    if (d->isUp()) flags += ",UP,LOWER_UP";
    out += std::to_string(d->ifindex()) + ": " + d->name() + ": <" + flags + "> mtu " +
           std::to_string(d->mtu()) + " qdisc " + qdiscOf(*d);
    if (!d->master().empty()) out += " master " + d->master();
    out += " state " + std::string(operState(*d)) + " " + (withAddresses ? "group default " : "mode DEFAULT group default ");
    if (const int qlen = txQueueLen(d->kind()); qlen) out += "qlen " + std::to_string(qlen);
    out += "\n";
    if (lo) {
        out += "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n";
    } else {
        out += "    link/ether " + formatMac(d->mac()) + " brd ff:ff:ff:ff:ff:ff\n";
    }
    if (!withAddresses) return out;
    if (lo) {
        out += "    inet 127.0.0.1/8 scope host lo\n";
        out += "       valid_lft forever preferred_lft forever\n";
    }
    std::vector<InterfaceAddress> shown;
    for (const InterfaceAddress& a : ns.addresses()) {
        if (a.device != d->name()) continue;
        // The kernel marks an address secondary when an earlier one covers its subnet.
        const bool secondary = std::any_of(shown.begin(), shown.end(), [&](const auto& p) {
            const std::uint32_t m = netmask(p.prefixLength);
            return p.prefixLength == a.prefixLength && (p.address & m) == (a.address & m);
        });
        out += "    inet " + formatIpv4(a.address) + "/" + std::to_string(a.prefixLength) +
               " brd " + formatIpv4(a.broadcast) + " scope global ";
        if (secondary) out += "secondary ";
        out += d->name() + "\n";
        out += "       valid_lft forever preferred_lft forever\n";
        shown.push_back(a);
    }
    return out;
}

std::string formatIpAddr(const Node& node, const NetNamespace* ns) {
    const NetNamespace& space = namespaceOf(node, ns);
    std::string out;
    for (const NetDevice* d : space.devices()) out += formatIpAddrDevice(space, *d, true);
    return out;
}

std::string formatIpLink(const Node& node, const NetNamespace* ns) {
    const NetNamespace& space = namespaceOf(node, ns);
    std::string out;
    for (const NetDevice* d : space.devices()) out += formatIpAddrDevice(space, *d, false);
    return out;
}

std::vector<Route> routesInKernelOrder(const NetNamespace& ns) {
    std::vector<Route> routes = ns.routes();
    // The fib trie dumps by destination; a key's longer prefixes first, then by metric.
    std::stable_sort(routes.begin(), routes.end(), [](const Route& a, const Route& b) {
        if (a.destination != b.destination) return a.destination < b.destination;
        if (a.prefixLength != b.prefixLength) return a.prefixLength > b.prefixLength;
        return a.metric < b.metric;
    });
    return routes;
}

std::string formatIpRoute(const NetNamespace& ns) {
    std::string out;
    for (const Route& r : routesInKernelOrder(ns)) {
        if (r.prefixLength == 0) {
            out += "default ";
        } else if (r.prefixLength == 32) {
            out += formatIpv4(r.destination) + " ";
        } else {
            out += formatIpv4(r.destination) + "/" + std::to_string(r.prefixLength) + " ";
        }
        if (r.gateway) out += "via " + formatIpv4(r.gateway) + " ";
        out += "dev " + r.device + " ";
        // RTPROT_BOOT (what `ip route add` and the DHCP scripts use) is not printed.
        if (r.protocol == Route::Protocol::Kernel) out += " proto kernel ";
        if (!r.gateway) out += " scope link ";
        std::uint32_t src = r.source;
        if (!src && r.protocol == Route::Protocol::Kernel) src = ns.selectSource(r.destination);
        if (src) out += " src " + formatIpv4(src) + " ";
        if (r.metric) out += " metric " + std::to_string(r.metric) + " ";
        out += "\n";
    }
    return out;
}

std::string formatIpNeigh(const NetNamespace& ns, const NetDevice* dev) {
    std::string out;
    for (const NeighborEntry& n : ns.neighbors()) {
        if (dev && n.device != dev->name()) continue;
        out += formatIpv4(n.address) + " ";
        if (!dev) out += "dev " + n.device + " ";
        const bool valid = n.state != NeighborEntry::State::Incomplete &&
                           n.state != NeighborEntry::State::Failed;
        if (valid) out += "lladdr " + formatMac(n.mac);
        std::string state(toString(n.state));
        for (char& c : state) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out += " " + state + "\n";
    }
    return out;
}

std::string formatArp(const NetNamespace& ns, bool bsdStyle, std::string_view device) {
    std::string out;
    char buf[160];
    bool title = false;
    for (const NeighborEntry& n : ns.neighbors()) {
        if (!device.empty() && n.device != device) continue;
        const bool complete = n.state != NeighborEntry::State::Incomplete &&
                              n.state != NeighborEntry::State::Failed;
        const bool perm = n.state == NeighborEntry::State::Permanent;
        const std::string ip = formatIpv4(n.address);
        if (bsdStyle) {
            out += "? (" + ip + ") at ";
            out += complete ? formatMac(n.mac) + " [ether] " : std::string("<incomplete> ");
            if (perm) out += "PERM ";
            out += "on " + n.device + "\n";
            continue;
        }
        if (!title) {
            out += "Address                  HWtype  HWaddress           Flags Mask            Iface\n";
            title = true;
        }
        std::string flags = complete ? "C" : "";
        if (perm) flags += "M";
        std::snprintf(buf, sizeof buf, "%-23.23s  %-8.8s%-20.20s%-6.6s%-15.15s %s\n", ip.c_str(),
                      complete ? "ether" : "", complete ? formatMac(n.mac).c_str() : "(incomplete)",
                      flags.c_str(), "", n.device.c_str());
        out += buf;
    }
    return out;
}

std::string formatRouteN(const NetNamespace& ns) {
    std::string out = "Kernel IP routing table\n"
                      "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n";
    char buf[160];
    for (const Route& r : routesInKernelOrder(ns)) {
        std::string flags = "U";
        if (r.gateway) flags += "G";
        if (r.prefixLength == 32) flags += "H";
        std::snprintf(buf, sizeof buf, "%-15s %-15s %-15s %-5s %-6d %-2d %7d %s\n",
                      formatIpv4(r.destination).c_str(), formatIpv4(r.gateway).c_str(),
                      formatIpv4(netmask(r.prefixLength)).c_str(), flags.c_str(), r.metric, 0, 0,
                      r.device.c_str());
        out += buf;
    }
    return out;
}

}  // namespace nlab::engine
