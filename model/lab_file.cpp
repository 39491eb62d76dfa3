#include "model/lab_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <map>
#include <set>
#include <utility>

#include "model/lab_spec.h"
#include "seed_lab_text.h"

namespace nlab::model {

// ---- loading: the spec replayed through the Cloud ------------------------------------

namespace {

/// Builds the Cloud of a checked spec. Every Cloud error is located at the object whose
/// operation failed.
class Builder {
public:
    Builder(const LabSpec& spec, std::string_view fileName, LoadOptions options)
        : m_spec(spec), m_file(fileName), m_options(options) {}

    LoadedLab build() {
        m_cloud = std::make_unique<Cloud>(m_spec.seed);
        if (!m_spec.tenant.empty()) m_cloud->setTenantId(m_spec.tenant);
        if (!addHosts() || !addNetworks() || !addRouters() || !addPorts() || !addInstances() ||
            !addFloatingIps()) {
            return LoadedLab{nullptr, std::move(m_error)};
        }
        if (m_options.settle && !m_options.withoutInstances) m_cloud->settleInstances();
        return LoadedLab{std::move(m_cloud), std::nullopt};
    }

private:
    /// Records the Cloud's error at 'where'; returns false when there is one.
    template <typename R>
    bool check(const R& result, const SourceLocation& where) {
        if (result.ok()) return true;
        m_error = labFileError(m_file, where, result.error().message);
        return false;
    }

    bool addHosts() {
        // Hosts come first (every agent needs its host) but pin local VLANs by network id:
        // a network the file gives no id gets its generated id now.
        m_networkIds.resize(m_spec.networks.size());
        for (std::size_t i = 0; i < m_spec.networks.size(); ++i) {
            m_networkIds[i] = m_spec.networks[i].request.id;
        }
        for (const HostSpec& h : m_spec.hosts) {
            Host host = h.host;
            for (const HostSpec::LocalVlan& lv : h.localVlans) {
                std::string& id = m_networkIds[lv.networkIndex];
                if (id.empty()) id = m_cloud->generateUuid();
                host.localVlans[id] = lv.vlan;
            }
            if (!check(m_cloud->addHost(std::move(host)), h.where)) return false;
        }
        return true;
    }

    bool addNetworks() {
        m_subnetIds.resize(m_spec.networks.size());
        for (std::size_t i = 0; i < m_spec.networks.size(); ++i) {
            const NetworkSpec& n = m_spec.networks[i];
            NetworkRequest request = n.request;
            request.id = m_networkIds[i];
            auto network = m_cloud->createNetwork(request);
            if (!check(network, n.where)) return false;
            m_networkIds[i] = network.value()->id;
            for (const SubnetSpec& s : n.subnets) {
                SubnetRequest sr = s.request;
                sr.network = m_networkIds[i];
                auto subnet = m_cloud->createSubnet(sr);
                if (!check(subnet, s.where)) return false;
                m_subnetIds[i].push_back(subnet.value()->id);
            }
        }
        return true;
    }

    bool addRouters() {
        for (const RouterSpec& r : m_spec.routers) {
            auto router = m_cloud->createRouter(r.request);
            if (!check(router, r.where)) return false;
            const std::string id = router.value()->id;
            if (r.gateway) {
                auto gw = m_cloud->setRouterGateway(id, m_networkIds[r.gateway->networkIndex],
                                                    r.gateway->port.pin);
                if (!check(gw, r.gateway->where)) return false;
            }
            for (const RouterInterfaceSpec& i : r.interfaces) {
                auto port = m_cloud->addRouterInterface(
                    id, m_subnetIds[i.networkIndex][i.subnetIndex], i.port.pin);
                if (!check(port, i.where)) return false;
            }
        }
        return true;
    }

    bool addPorts() {
        for (const NicSpec& p : m_spec.ports) {
            if (!check(m_cloud->createPort(m_networkIds[p.networkIndex], p.port.pin), p.where)) {
                return false;
            }
        }
        return true;
    }

    bool addInstances() {
        for (const InstanceSpec& i : m_spec.instances) {
            if (m_options.withoutInstances) {
                for (const NicSpec& nic : i.nics) {
                    auto port = m_cloud->createPort(m_networkIds[nic.networkIndex], nic.port.pin);
                    if (!check(port, nic.where)) return false;
                }
                continue;
            }
            InstanceRequest request = i.request;
            for (const NicSpec& nic : i.nics) {
                request.nics.push_back(
                    NicRequest{m_networkIds[nic.networkIndex], "", nic.port.pin});
            }
            if (!check(m_cloud->bootInstance(request), i.where)) return false;
        }
        return true;
    }

    bool addFloatingIps() {
        for (const FloatingIpSpec& f : m_spec.floatingIps) {
            FloatingIpRequest request = f.request;
            request.network = m_networkIds[f.networkIndex];
            if (!check(m_cloud->createFloatingIp(request), f.where)) return false;
        }
        return true;
    }

    const LabSpec& m_spec;
    std::string m_file;
    LoadOptions m_options;
    std::unique_ptr<Cloud> m_cloud;
    std::vector<std::string> m_networkIds;               ///< By spec index.
    std::vector<std::vector<std::string>> m_subnetIds;   ///< By spec indexes.
    std::optional<LabFileError> m_error;
};

LoadedLab failed(LabFileError error) {
    return LoadedLab{nullptr, std::move(error)};
}

std::string errnoText(int err) {
    return std::strerror(err);
}

}  // namespace

LoadedLab loadLabText(std::string_view text, std::string_view fileName, LoadOptions options) {
    try {
        auto parsed = parseLabSpec(text, fileName);
        if (auto* error = std::get_if<LabFileError>(&parsed)) return failed(std::move(*error));
        return Builder(std::get<LabSpec>(parsed), fileName, options).build();
    } catch (const std::exception& e) {
        return failed(LabFileError{std::string(fileName), 0, 0, "",
                                   std::string("internal error: ") + e.what()});
    }
}

LoadedLab loadLabFile(const std::string& path, LoadOptions options) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return failed(LabFileError{path, 0, 0, "", "cannot open: " + errnoText(errno)});
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            return failed(LabFileError{path, 0, 0, "", "cannot read: " + errnoText(err)});
        }
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return loadLabText(text, path, options);
}

std::string_view seedLabText() {
    return kSeedLabText;
}

LoadedLab loadSeedLab(LoadOptions options) {
    return loadLabText(kSeedLabText, "seed.yaml", options);
}

// ---- saving --------------------------------------------------------------------------

namespace {

constexpr std::size_t kLineWidth = 100;

bool isPlainSafe(std::string_view s) {
    if (s.empty()) return false;
    const auto ok = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.' || c == '/';
    };
    if (!std::all_of(s.begin(), s.end(), ok)) return false;
    if (s.front() == '-' || s.front() == '.') return false;
    // Words other YAML readers would take for booleans or null.
    std::string lower(s);
    for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    for (std::string_view w : {"true", "false", "yes", "no", "on", "off", "y", "n", "null"}) {
        if (lower == w) return false;
    }
    // Numbers (1, 1.5, 1e3, 0x1f, 0o17).
    if (lower.size() > 1 && lower[0] == '0' && (lower[1] == 'x' || lower[1] == 'o')) return false;
    double d = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    return !(ec == std::errc() && end == s.data() + s.size());
}

/// A YAML scalar: plain when that reads back as the same string everywhere, else quoted.
std::string scalar(std::string_view s) {
    if (isPlainSafe(s)) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (u < 0x20 || u == 0x7f) {
                const char* hex = "0123456789abcdef";
                out += "\\x";
                out += hex[u >> 4];
                out += hex[u & 15];
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

std::string quotedMac(const MacAddress& mac) {
    return "\"" + mac.toString() + "\"";
}

/// Writes the lab-file text, line by line.
class Writer {
public:
    void line(int indent, std::string_view text) {
        m_out.append(static_cast<std::size_t>(indent), ' ');
        m_out += text;
        m_out += '\n';
    }
    void blank() { m_out += '\n'; }
    /// `KEY: [a, b, c]` or `KEY: {a: 1}`, wrapped at the line width with continuation lines
    /// aligned after the bracket.
    void flow(int indent, std::string_view key, const std::vector<std::string>& items,
              char open, char close) {
        std::string first = std::string(static_cast<std::size_t>(indent), ' ');
        if (!key.empty()) first += std::string(key) + ": ";
        first += open;
        const std::size_t align = first.size();
        std::string current = first;
        bool lineEmpty = true;
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::string piece =
                items[i] + (i + 1 == items.size() ? std::string(1, close) : ",");
            if (!lineEmpty && current.size() + 1 + piece.size() > kLineWidth) {
                m_out += current + '\n';
                current = std::string(align, ' ');
                lineEmpty = true;
            }
            if (!lineEmpty) current += ' ';
            current += piece;
            lineEmpty = false;
        }
        if (items.empty()) current += close;
        m_out += current + '\n';
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

std::string flowMap(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out = "{";
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ", ";
        out += fields[i].first + ": " + fields[i].second;
    }
    return out + "}";
}

/// Serialises a TenantState (and the Cloud's seed) in the format lab_spec.cpp reads.
class Saver {
public:
    explicit Saver(const Cloud& cloud) : m_cloud(cloud), m_state(cloud.state()) {}

    std::string save() {
        sortObjects();
        m_w.line(0, "# NeutronLab lab file, saved by NeutronLab: every generated value is pinned.");
        m_w.line(0, "version: 1");
        m_w.line(0, "seed: " + std::to_string(m_cloud.seed()));
        if (!m_state.tenantId.empty()) m_w.line(0, "tenant: " + scalar(m_state.tenantId));
        writeHosts();
        writeNetworks();
        writeRouters();
        writePorts();
        writeInstances();
        writeFloatingIps();
        return m_w.take();
    }

private:
    template <typename T>
    static std::vector<const T*> sortedByName(const std::map<std::string, T>& map) {
        std::vector<const T*> out;
        for (const auto& [id, obj] : map) out.push_back(&obj);
        std::stable_sort(out.begin(), out.end(), [](const T* a, const T* b) {
            return std::tie(a->name, a->id) < std::tie(b->name, b->id);
        });
        return out;
    }

    void sortObjects() {
        m_networks = sortedByName(m_state.networks);
        m_routers = sortedByName(m_state.routers);
        m_instances = sortedByName(m_state.instances);
        for (const auto& [id, f] : m_state.floatingIps) m_floatingIps.push_back(&f);
        std::stable_sort(m_floatingIps.begin(), m_floatingIps.end(),
                         [](const FloatingIp* a, const FloatingIp* b) {
                             return std::tie(a->floatingIpAddress, a->id) <
                                    std::tie(b->floatingIpAddress, b->id);
                         });
    }

    /// A network reference: its name when that names it alone, else its id.
    std::string networkRef(const std::string& id) const {
        const Network* n = m_state.network(id);
        if (!n) return scalar(id);
        int same = 0;
        for (const auto& [otherId, other] : m_state.networks) {
            if (other.name == n->name || otherId == n->name) ++same;
        }
        return scalar(same == 1 && !n->name.empty() ? n->name : n->id);
    }

    std::string subnetRef(const std::string& id) const {
        const Subnet* s = m_state.subnet(id);
        if (!s) return scalar(id);
        int same = 0;
        for (const auto& [otherId, other] : m_state.subnets) {
            if (other.name == s->name || otherId == s->name) ++same;
        }
        return scalar(same == 1 && !s->name.empty() ? s->name : s->id);
    }

    /// `{id: ..., mac: "...", ip: ...}` of a port ('withIp': its first fixed IP).
    std::string pin(const Port& p, bool withIp) {
        m_written.insert(p.id);
        std::vector<std::pair<std::string, std::string>> f;
        f.emplace_back("id", scalar(p.id));
        f.emplace_back("mac", quotedMac(p.macAddress));
        if (withIp && !p.fixedIps.empty()) f.emplace_back("ip", p.fixedIps[0].ipAddress.toString());
        if (!p.name.empty()) f.emplace_back("name", scalar(p.name));
        return flowMap(f);
    }

    void writeHosts() {
        m_w.blank();
        if (m_state.hosts.empty()) {
            m_w.line(0, "hosts: []");
            return;
        }
        m_w.line(0, "hosts:");
        for (const Host& h : m_state.hosts) {
            m_w.line(2, "- name: " + scalar(h.name));
            m_w.line(4,
                     std::string("role: ") + (h.role == HostRole::Network ? "network" : "compute"));
            for (auto [key, ip, mac] : {std::tuple{"management", h.managementIp, h.managementMac},
                                        std::tuple{"data", h.dataIp, h.dataMac}}) {
                std::vector<std::pair<std::string, std::string>> f;
                f.emplace_back("ip", ip.toString() + "/" + std::to_string(h.prefixLength));
                if (!mac.isZero()) f.emplace_back("mac", quotedMac(mac));
                m_w.line(4, std::string(key) + ": " + flowMap(f));
            }
            if (h.role == HostRole::Network || h.externalNic != Host{}.externalNic) {
                m_w.line(4, "external_nic: " + scalar(h.externalNic));
            }
            if (h.libvirtDefaultNetwork) m_w.line(4, "libvirt_default_network: true");
            if (!h.ovsUuid.empty()) m_w.line(4, "ovs_uuid: " + scalar(h.ovsUuid));
            std::vector<std::string> vlans;
            for (const Network* n : m_networks) {
                if (auto it = h.localVlans.find(n->id); it != h.localVlans.end()) {
                    vlans.push_back(networkRef(n->id) + ": " + std::to_string(it->second));
                }
            }
            if (!vlans.empty()) m_w.flow(4, "local_vlans", vlans, '{', '}');
            if (!h.deviceMacs.empty()) {
                m_w.line(4, "device_macs:");
                for (const auto& [device, mac] : h.deviceMacs) {
                    m_w.line(6, scalar(device) + ": " + quotedMac(mac));
                }
            }
            if (!h.bridgeOrder.empty() || !h.portOrder.empty() || !h.netnsOrder.empty()) {
                m_w.line(4, "listing:");
                if (!h.bridgeOrder.empty()) {
                    m_w.flow(6, "bridges", scalars(h.bridgeOrder), '[', ']');
                }
                if (!h.portOrder.empty()) {
                    m_w.line(6, "ports:");
                    for (const auto& [bridge, ports] : h.portOrder) {
                        m_w.flow(8, scalar(bridge), scalars(ports), '[', ']');
                    }
                }
                if (!h.netnsOrder.empty()) m_w.flow(6, "netns", scalars(h.netnsOrder), '[', ']');
            }
        }
    }

    static std::vector<std::string> scalars(const std::vector<std::string>& names) {
        std::vector<std::string> out;
        for (const std::string& n : names) out.push_back(scalar(n));
        return out;
    }

    /// The DHCP port holding an address of 'subnet'.
    const Port* dhcpPortOf(const Subnet& subnet) const {
        for (const Port* p : m_state.portsOf(subnet.networkId)) {
            if (p->deviceOwner != owner::kDhcp) continue;
            for (const FixedIp& ip : p->fixedIps) {
                if (ip.subnetId == subnet.id) return p;
            }
        }
        return nullptr;
    }

    void writeSubnet(const Subnet& s) {
        m_w.line(6, "- id: " + scalar(s.id));
        if (!s.name.empty()) m_w.line(8, "name: " + scalar(s.name));
        m_w.line(8, "cidr: " + s.cidr.toString());
        m_w.line(8, "gateway: " + (s.gatewayIp ? s.gatewayIp->toString() : std::string("null")));
        std::vector<std::string> pools;
        for (const AllocationPool& p : s.allocationPools) {
            pools.push_back(flowMap({{"start", p.start.toString()}, {"end", p.end.toString()}}));
        }
        if (!pools.empty()) m_w.flow(8, "allocation_pools", pools, '[', ']');
        if (!s.enableDhcp) m_w.line(8, "enable_dhcp: false");
        if (!s.dnsNameservers.empty()) {
            std::vector<std::string> dns;
            for (const Ipv4Address& a : s.dnsNameservers) dns.push_back(a.toString());
            m_w.flow(8, "dns_nameservers", dns, '[', ']');
        }
        if (const Port* p = s.enableDhcp ? dhcpPortOf(s) : nullptr) {
            Ipv4Address address{};
            for (const FixedIp& ip : p->fixedIps) {
                if (ip.subnetId == s.id) address = ip.ipAddress;
            }
            std::vector<std::pair<std::string, std::string>> f;
            if (!m_written.count(p->id)) {
                f.emplace_back("id", scalar(p->id));
                f.emplace_back("mac", quotedMac(p->macAddress));
            }
            // else: the network's DHCP port, pinned with its first subnet: only this address.
            f.emplace_back("ip", address.toString());
            if (!m_written.count(p->id) && !p->name.empty()) {
                f.emplace_back("name", scalar(p->name));
            }
            m_written.insert(p->id);
            m_w.line(8, "dhcp_port: " + flowMap(f));
        }
    }

    void writeNetworks() {
        m_w.blank();
        if (m_networks.empty()) {
            m_w.line(0, "networks: []");
            return;
        }
        m_w.line(0, "networks:");
        for (const Network* n : m_networks) {
            m_w.line(2, "- name: " + scalar(n->name));
            m_w.line(4, "id: " + scalar(n->id));
            m_w.line(4, "type: " + std::string(toString(n->type)));
            if (n->type == NetworkType::Flat) {
                m_w.line(4, "physical_network: " + scalar(n->physicalNetwork));
            } else {
                m_w.line(4, "segmentation_id: " + std::to_string(n->segmentationId));
            }
            if (n->external) m_w.line(4, "external: true");
            if (n->shared) m_w.line(4, "shared: true");
            std::vector<const Subnet*> subnets = m_state.subnetsOf(n->id);
            std::stable_sort(subnets.begin(), subnets.end(), [](const Subnet* a, const Subnet* b) {
                return std::tie(a->name, a->id) < std::tie(b->name, b->id);
            });
            if (subnets.empty()) continue;
            m_w.line(4, "subnets:");
            for (const Subnet* s : subnets) writeSubnet(*s);
        }
    }

    void writeRouters() {
        m_w.blank();
        if (m_routers.empty()) {
            m_w.line(0, "routers: []");
            return;
        }
        m_w.line(0, "routers:");
        for (const Router* r : m_routers) {
            m_w.line(2, "- name: " + scalar(r->name));
            m_w.line(4, "id: " + scalar(r->id));
            if (!r->gatewayNetworkId.empty()) {
                m_w.line(4, "gateway:");
                m_w.line(6, "network: " + networkRef(r->gatewayNetworkId));
                if (const Port* p = m_state.port(r->gatewayPortId)) {
                    m_w.line(6, "port: " + pin(*p, true));
                }
            }
            if (r->interfacePortIds.empty()) continue;
            m_w.line(4, "interfaces:");
            for (const std::string& portId : r->interfacePortIds) {
                const Port* p = m_state.port(portId);
                if (!p || p->fixedIps.empty()) continue;
                const FixedIp& ip = p->fixedIps[0];
                const Subnet* s = m_state.subnet(ip.subnetId);
                m_w.line(6, "- subnet: " + subnetRef(ip.subnetId));
                // The interface takes the subnet's gateway address unless pinned otherwise.
                const bool isGateway = s && s->gatewayIp && *s->gatewayIp == ip.ipAddress;
                m_w.line(8, "port: " + pin(*p, !isGateway));
            }
        }
    }

    void writeInstances() {
        m_w.blank();
        if (m_instances.empty()) {
            m_w.line(0, "instances: []");
            return;
        }
        m_w.line(0, "instances:");
        const Instance defaults;
        for (const Instance* i : m_instances) {
            m_w.line(2, "- name: " + scalar(i->name));
            m_w.line(4, "id: " + scalar(i->id));
            if (!i->hostId.empty()) m_w.line(4, "host: " + scalar(i->hostId));
            if (i->image != defaults.image) m_w.line(4, "image: " + scalar(i->image));
            if (i->flavor != defaults.flavor) m_w.line(4, "flavor: " + scalar(i->flavor));
            if (i->portIds.empty()) continue;
            m_w.line(4, "nics:");
            for (const std::string& portId : i->portIds) {
                const Port* p = m_state.port(portId);
                if (!p) continue;
                m_w.line(6, "- network: " + networkRef(p->networkId));
                m_w.line(8, "port: " + pin(*p, true));
            }
        }
    }

    /// Ports no other object writes (`neutron port-create`), by id; written after routers
    /// and instances are known, placed before the instances in the file.
    void writePorts() {
        std::set<std::string> owned = m_written;
        for (const Instance* i : m_instances) owned.insert(i->portIds.begin(), i->portIds.end());
        for (const FloatingIp* f : m_floatingIps) owned.insert(f->floatingPortId);
        std::vector<const Port*> free;
        for (const auto& [id, p] : m_state.ports) {
            if (!owned.count(id)) free.push_back(&p);
        }
        if (free.empty()) return;
        m_w.blank();
        m_w.line(0, "ports:");
        for (const Port* p : free) {
            m_w.line(2, "- network: " + networkRef(p->networkId));
            m_w.line(4, "id: " + scalar(p->id));
            m_w.line(4, "mac: " + quotedMac(p->macAddress));
            if (!p->fixedIps.empty()) m_w.line(4, "ip: " + p->fixedIps[0].ipAddress.toString());
            if (!p->name.empty()) m_w.line(4, "name: " + scalar(p->name));
            m_written.insert(p->id);
        }
    }

    void writeFloatingIps() {
        m_w.blank();
        if (m_floatingIps.empty()) {
            m_w.line(0, "floating_ips: []");
            return;
        }
        m_w.line(0, "floating_ips:");
        for (const FloatingIp* f : m_floatingIps) {
            m_w.line(2, "- id: " + scalar(f->id));
            m_w.line(4, "network: " + networkRef(f->floatingNetworkId));
            m_w.line(4, "address: " + f->floatingIpAddress.toString());
            if (!f->portId.empty()) m_w.line(4, "port: " + scalar(f->portId));
            if (const Port* p = m_state.port(f->floatingPortId)) {
                std::vector<std::pair<std::string, std::string>> pf;
                pf.emplace_back("id", scalar(p->id));
                pf.emplace_back("mac", quotedMac(p->macAddress));
                if (!p->name.empty()) pf.emplace_back("name", scalar(p->name));
                m_w.line(4, "floating_port: " + flowMap(pf));
            }
        }
    }

    const Cloud& m_cloud;
    const TenantState& m_state;
    Writer m_w;
    std::vector<const Network*> m_networks;
    std::vector<const Router*> m_routers;
    std::vector<const Instance*> m_instances;
    std::vector<const FloatingIp*> m_floatingIps;
    std::set<std::string> m_written;  ///< Ids of the ports written so far.
};

}  // namespace

std::string saveLab(const Cloud& cloud) {
    return Saver(cloud).save();
}

engine::Status saveLabFile(const Cloud& cloud, const std::string& path) {
    std::string text;
    try {
        text = saveLab(cloud);
    } catch (const std::exception& e) {
        return engine::Status::fail(ErrorCode::InvalidArgument,
                                    "cannot save " + path + ": " + e.what());
    }
    const std::string tmp = path + ".tmp";
    auto ioError = [](const std::string& what, const std::string& file, int err) {
        return engine::Status::fail(
            err == ENOENT ? ErrorCode::NotFound : ErrorCode::InvalidArgument,
            "cannot " + what + " " + file + ": " + errnoText(err));
    };
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ioError("write", tmp, errno);
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return ioError("write", tmp, err);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        return ioError("write", tmp, err);
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return ioError("write", tmp, err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return ioError("replace", path, err);
    }
    // Make the rename itself durable.
    const auto slash = path.rfind('/');
    const std::string dir =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

}  // namespace nlab::model
