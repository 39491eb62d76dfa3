#include "model/lab_spec.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <exception>
#include <initializer_list>
#include <limits>
#include <map>
#include <utility>

namespace nlab::model {

std::string LabFileError::toString() const {
    std::string out = file;
    if (line > 0) {
        out += ":" + std::to_string(line);
        if (column > 0) out += ":" + std::to_string(column);
    }
    for (const std::string* part : {&field, &message}) {
        if (part->empty()) continue;
        if (!out.empty()) out += ": ";
        out += *part;
    }
    return out;
}

SourceLocation fieldLocation(const SourceLocation& where, const FieldLocations& fields,
                             std::string_view key) {
    if (auto it = fields.find(std::string(key)); it != fields.end()) return it->second;
    std::string field =
        where.field.empty() ? std::string(key) : where.field + "." + std::string(key);
    return SourceLocation{std::move(field), where.line, where.column};
}

LabFileError labFileError(std::string_view fileName, const SourceLocation& where,
                          std::string message) {
    return LabFileError{std::string(fileName), where.line, where.column, where.field,
                        std::move(message)};
}

namespace {

// Internal only: parsing stops at the first error by throwing this; parseLabSpec() turns
// it into a LabFileError.
struct SpecError {
    SourceLocation where;
    std::string message;
};

[[noreturn]] void fail(const SourceLocation& where, std::string message) {
    throw SpecError{where, std::move(message)};
}

std::string join(std::string_view path, std::string_view key) {
    if (path.empty()) return std::string(key);
    return std::string(path) + "." + std::string(key);
}

std::string indexed(std::string_view path, std::size_t i) {
    return std::string(path) + "[" + std::to_string(i) + "]";
}

/// The location of 'node' under the name 'field'. A null value (`key:` with nothing after
/// it) has no useful mark of its own (yaml-cpp places it on the next token): 'fallback',
/// the key's location, is used instead.
SourceLocation locate(const YAML::Node& node, std::string field, const SourceLocation& fallback) {
    const YAML::Mark m = node.Mark();
    if (node.IsNull() || m.is_null() || m.line < 0) {
        return SourceLocation{std::move(field), fallback.line, fallback.column};
    }
    return SourceLocation{std::move(field), m.line + 1, m.column + 1};
}

/// "first at networks[0].id, line 52".
std::string firstAt(const SourceLocation& where) {
    return "first at " + where.field + ", line " + std::to_string(where.line);
}

std::string kindOf(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: break;
    }
    return "nothing";
}

// ---- scalar values -------------------------------------------------------------------

/// The text of a scalar; 'what' names the expected value in the error ("an IPv4 address").
std::string scalarText(const YAML::Node& node, const SourceLocation& where, std::string_view what) {
    if (node.IsScalar()) return node.Scalar();
    fail(where, "expected " + std::string(what) + ", got " + kindOf(node));
}

std::string stringValue(const YAML::Node& node, const SourceLocation& where) {
    return scalarText(node, where, "a string");
}

std::string nameValue(const YAML::Node& node, const SourceLocation& where) {
    std::string s = scalarText(node, where, "a name");
    if (s.empty()) fail(where, "expected a name, got ''");
    return s;
}

template <typename T>
T integerValue(const YAML::Node& node, const SourceLocation& where, T min, T max) {
    const std::string s = scalarText(node, where, "an integer");
    T v{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || end != s.data() + s.size()) {
        fail(where, "expected an integer, got '" + s + "'");
    }
    if (ec != std::errc() || v < min || v > max) {
        fail(where, s + " is out of range (" + std::to_string(min) + ".." + std::to_string(max) +
                        ")");
    }
    return v;
}

bool boolValue(const YAML::Node& node, const SourceLocation& where) {
    const std::string s = scalarText(node, where, "true or false");
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    fail(where, "expected true or false, got '" + s + "'");
}

Ipv4Address ipValue(const YAML::Node& node, const SourceLocation& where) {
    const std::string s = scalarText(node, where, "an IPv4 address");
    auto ip = Ipv4Address::parse(s);
    if (!ip) fail(where, "expected an IPv4 address, got '" + s + "'");
    return *ip;
}

MacAddress macValue(const YAML::Node& node, const SourceLocation& where) {
    const std::string s = scalarText(node, where, "a MAC address");
    auto mac = MacAddress::parse(s);
    if (!mac) fail(where, "expected a MAC address, got '" + s + "'");
    return *mac;
}

Cidr cidrValue(const YAML::Node& node, const SourceLocation& where) {
    const std::string s = scalarText(node, where, "an IPv4 CIDR");
    if (auto c = Cidr::parse(s)) return *c;
    // Name the network when only host bits are wrong: "10.10.10.5/24" -> 10.10.10.0/24.
    if (const auto slash = s.find('/'); slash != std::string::npos) {
        auto addr = Ipv4Address::parse(std::string_view(s).substr(0, slash));
        int len = -1;
        const char* first = s.data() + slash + 1;
        const char* last = s.data() + s.size();
        auto [end, ec] = std::from_chars(first, last, len);
        if (addr && ec == std::errc() && end == last && first != last && len >= 0 && len <= 32) {
            Cidr c{Ipv4Address(0), len};
            c.network = Ipv4Address(addr->toU32() & c.mask());
            fail(where, "'" + s + "' has host bits set (the network is " + c.toString() + ")");
        }
    }
    fail(where, "'" + s + "' is not an IPv4 CIDR");
}

/// "192.168.232.139/24": an interface address with its prefix length.
std::pair<Ipv4Address, int> interfaceAddressValue(const YAML::Node& node,
                                                  const SourceLocation& where) {
    const std::string s = scalarText(node, where, "an IPv4 address with a prefix length");
    const auto slash = s.find('/');
    if (slash != std::string::npos) {
        auto addr = Ipv4Address::parse(std::string_view(s).substr(0, slash));
        int len = -1;
        const char* first = s.data() + slash + 1;
        const char* last = s.data() + s.size();
        auto [end, ec] = std::from_chars(first, last, len);
        if (addr && ec == std::errc() && end == last && first != last && len >= 1 && len <= 32) {
            return {*addr, len};
        }
    }
    fail(where, "expected an IPv4 address with a prefix length (a.b.c.d/n), got '" + s + "'");
}

// ---- mappings and sequences ----------------------------------------------------------

/// The keys of one YAML mapping, checked: keys are plain scalars, none twice.
class Fields {
public:
    struct Entry {
        std::string name;
        YAML::Node value;
        SourceLocation keyWhere;    ///< The key.
        SourceLocation where;       ///< The value (the key's position when it is null).
    };

    /// 'node' must be a mapping (else "expected a mapping"); a null node reads as empty
    /// when 'nullIsEmpty'.
    Fields(const YAML::Node& node, const SourceLocation& where, bool nullIsEmpty = false)
        : m_where(where) {
        if (node.IsNull() && nullIsEmpty) return;
        if (!node.IsMap()) fail(where, "expected a mapping, got " + kindOf(node));
        for (auto it = node.begin(); it != node.end(); ++it) {
            const YAML::Node key = it->first;
            const YAML::Node value = it->second;
            const SourceLocation mapWhere{where.field, where.line, where.column};
            if (!key.IsScalar()) {
                fail(locate(key, where.field, mapWhere),
                     "expected a key (a name), got " + kindOf(key));
            }
            const std::string name = key.Scalar();
            SourceLocation keyWhere = locate(key, join(where.field, name), mapWhere);
            for (const Entry& e : m_entries) {
                if (e.name == name) {
                    fail(keyWhere, "duplicate key '" + name + "' (" + firstAt(e.keyWhere) + ")");
                }
            }
            SourceLocation valueWhere = locate(value, keyWhere.field, keyWhere);
            m_entries.push_back(Entry{name, value, std::move(keyWhere), std::move(valueWhere)});
        }
    }

    /// Fails on the first key (in file order) not in 'allowed', listing the allowed ones.
    void allow(std::initializer_list<std::string_view> allowed) const {
        for (const Entry& e : m_entries) {
            bool ok = false;
            for (std::string_view a : allowed) ok = ok || a == e.name;
            if (ok) continue;
            std::string list;
            for (std::string_view a : allowed) {
                if (!list.empty()) list += ", ";
                list += a;
            }
            fail(e.keyWhere, "unknown key '" + e.name + "' (allowed: " + list + ")");
        }
    }

    const Entry* find(std::string_view name) const {
        for (const Entry& e : m_entries) {
            if (e.name == name) return &e;
        }
        return nullptr;
    }

    const Entry& require(std::string_view name) const {
        if (const Entry* e = find(name)) return *e;
        fail(m_where, "missing required field '" + std::string(name) + "'");
    }

    /// Records where each value was written, under 'prefix' + key.
    void record(FieldLocations& out, std::string_view prefix = {}) const {
        for (const Entry& e : m_entries) out[std::string(prefix) + e.name] = e.where;
    }

    const std::vector<Entry>& entries() const { return m_entries; }
    const SourceLocation& where() const { return m_where; }

private:
    SourceLocation m_where;
    std::vector<Entry> m_entries;
};

/// Calls 'each(item, where)' for every element of a sequence; null reads as empty.
template <typename Each>
void forEachItem(const YAML::Node& node, const SourceLocation& where, Each each) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) fail(where, "expected a sequence, got " + kindOf(node));
    std::size_t i = 0;
    for (auto it = node.begin(); it != node.end(); ++it, ++i) {
        const YAML::Node item = *it;
        each(item, locate(item, indexed(where.field, i), where));
    }
}

std::vector<std::string> nameList(const YAML::Node& node, const SourceLocation& where) {
    std::vector<std::string> out;
    forEachItem(node, where, [&](const YAML::Node& item, const SourceLocation& w) {
        out.push_back(nameValue(item, w));
    });
    return out;
}

// ---- objects -------------------------------------------------------------------------

/// A port pin: {id, mac, ip, name}, or the keys allowed by 'allowed'.
PortPinSpec parsePin(const Fields& f) {
    PortPinSpec p;
    p.where = f.where();
    if (auto* e = f.find("id")) {
        p.pin.id = nameValue(e->value, e->where);
        p.idWhere = e->where;
    }
    if (auto* e = f.find("mac")) {
        p.pin.mac = macValue(e->value, e->where);
        p.macWhere = e->where;
    }
    if (auto* e = f.find("ip")) {
        p.pin.ip = ipValue(e->value, e->where);
        p.ipWhere = e->where;
    }
    if (auto* e = f.find("name")) p.pin.name = stringValue(e->value, e->where);
    return p;
}

PortPinSpec parsePinMap(const Fields::Entry& e, std::initializer_list<std::string_view> allowed) {
    Fields f(e.value, e.where);
    f.allow(allowed);
    return parsePin(f);
}

/// The owner's location stands for an absent pin.
PortPinSpec absentPin(const SourceLocation& owner) {
    PortPinSpec p;
    p.where = owner;
    return p;
}

HostSpec parseHost(const YAML::Node& node, const SourceLocation& where) {
    Fields f(node, where);
    f.allow({"name", "role", "management", "data", "external_nic", "libvirt_default_network",
             "ovs_uuid", "local_vlans", "device_macs", "listing"});
    HostSpec h;
    h.where = where;
    f.record(h.fields);
    const auto& name = f.require("name");
    h.host.name = nameValue(name.value, name.where);
    const auto& role = f.require("role");
    const std::string r = scalarText(role.value, role.where, "'network' or 'compute'");
    if (r == "network") {
        h.host.role = HostRole::Network;
    } else if (r == "compute") {
        h.host.role = HostRole::Compute;
    } else {
        fail(role.where, "expected 'network' or 'compute', got '" + r + "'");
    }
    int managementPrefix = 0;
    for (const char* which : {"management", "data"}) {
        const auto& e = f.require(which);
        Fields a(e.value, e.where);
        a.allow({"ip", "mac"});
        a.record(h.fields, std::string(which) + ".");
        const auto& ip = a.require("ip");
        auto [addr, len] = interfaceAddressValue(ip.value, ip.where);
        std::optional<MacAddress> mac;
        if (auto* m = a.find("mac")) mac = macValue(m->value, m->where);
        if (std::string_view(which) == "management") {
            h.host.managementIp = addr;
            h.host.managementMac = mac.value_or(MacAddress{});
            h.host.prefixLength = len;
            managementPrefix = len;
        } else {
            if (len != managementPrefix) {
                fail(ip.where, "prefix length /" + std::to_string(len) +
                                   " differs from the management address's /" +
                                   std::to_string(managementPrefix) +
                                   " (a host has one prefix length)");
            }
            h.host.dataIp = addr;
            h.host.dataMac = mac.value_or(MacAddress{});
        }
    }
    if (auto* e = f.find("external_nic")) h.host.externalNic = nameValue(e->value, e->where);
    if (auto* e = f.find("libvirt_default_network")) {
        h.host.libvirtDefaultNetwork = boolValue(e->value, e->where);
    }
    if (auto* e = f.find("ovs_uuid")) h.host.ovsUuid = nameValue(e->value, e->where);
    if (auto* e = f.find("local_vlans")) {
        Fields vlans(e->value, e->where, true);
        for (const auto& v : vlans.entries()) {
            HostSpec::LocalVlan lv;
            lv.network = v.name;
            lv.vlan = integerValue<int>(v.value, v.where, 1, 4094);
            lv.where = v.keyWhere;
            h.localVlans.push_back(std::move(lv));
        }
    }
    if (auto* e = f.find("device_macs")) {
        Fields macs(e->value, e->where, true);
        for (const auto& m : macs.entries()) {
            h.host.deviceMacs[m.name] = macValue(m.value, m.where);
        }
    }
    if (auto* e = f.find("listing")) {
        Fields l(e->value, e->where, true);
        l.allow({"bridges", "ports", "netns"});
        if (auto* b = l.find("bridges")) h.host.bridgeOrder = nameList(b->value, b->where);
        if (auto* p = l.find("ports")) {
            Fields ports(p->value, p->where, true);
            for (const auto& bridge : ports.entries()) {
                h.host.portOrder[bridge.name] = nameList(bridge.value, bridge.where);
            }
        }
        if (auto* n = l.find("netns")) h.host.netnsOrder = nameList(n->value, n->where);
    }
    return h;
}

SubnetSpec parseSubnet(const YAML::Node& node, const SourceLocation& where) {
    Fields f(node, where);
    f.allow({"id", "name", "cidr", "gateway", "allocation_pools", "enable_dhcp",
             "dns_nameservers", "dhcp_port"});
    SubnetSpec s;
    s.where = where;
    f.record(s.fields);
    if (auto* e = f.find("id")) s.request.id = nameValue(e->value, e->where);
    if (auto* e = f.find("name")) s.request.name = stringValue(e->value, e->where);
    const auto& cidr = f.require("cidr");
    s.cidr = cidrValue(cidr.value, cidr.where);
    s.request.cidr = s.cidr.toString();
    if (auto* e = f.find("gateway")) {
        if (e->value.IsNull()) {
            s.request.noGateway = true;
        } else {
            s.request.gatewayIp = ipValue(e->value, e->where);
        }
    }
    if (auto* e = f.find("allocation_pools")) {
        forEachItem(e->value, e->where, [&](const YAML::Node& item, const SourceLocation& w) {
            Fields pool(item, w);
            pool.allow({"start", "end"});
            const auto& start = pool.require("start");
            const auto& end = pool.require("end");
            s.request.allocationPools.push_back(
                AllocationPool{ipValue(start.value, start.where), ipValue(end.value, end.where)});
        });
    }
    if (auto* e = f.find("enable_dhcp")) s.request.enableDhcp = boolValue(e->value, e->where);
    if (auto* e = f.find("dns_nameservers")) {
        forEachItem(e->value, e->where, [&](const YAML::Node& item, const SourceLocation& w) {
            s.request.dnsNameservers.push_back(ipValue(item, w));
        });
    }
    if (auto* e = f.find("dhcp_port")) {
        if (!s.request.enableDhcp) {
            fail(e->keyWhere, "a subnet with enable_dhcp: false has no dhcp_port");
        }
        s.dhcpPort = parsePinMap(*e, {"id", "mac", "ip", "name"});
    } else {
        s.dhcpPort = absentPin(where);
    }
    s.request.dhcpPort = s.dhcpPort.pin;
    return s;
}

NetworkSpec parseNetwork(const YAML::Node& node, const SourceLocation& where) {
    Fields f(node, where);
    f.allow({"name", "id", "type", "segmentation_id", "physical_network", "external", "shared",
             "subnets"});
    NetworkSpec n;
    n.where = where;
    f.record(n.fields);
    // Neutron allows an empty name ("name: ''"), not a missing one in a lab file.
    const auto& name = f.require("name");
    n.request.name = stringValue(name.value, name.where);
    if (auto* e = f.find("id")) n.request.id = nameValue(e->value, e->where);
    if (auto* e = f.find("type")) {
        const std::string t = scalarText(e->value, e->where, "'gre', 'vxlan' or 'flat'");
        auto type = networkTypeFromString(t);
        if (!type) fail(e->where, "expected 'gre', 'vxlan' or 'flat', got '" + t + "'");
        n.request.type = *type;
    }
    if (auto* e = f.find("segmentation_id")) {
        switch (n.request.type) {
        case NetworkType::Flat:
            fail(e->keyWhere, "a flat network has no segmentation_id");
        case NetworkType::Gre:
            n.request.segmentationId =
                integerValue<std::uint32_t>(e->value, e->where, 1, 0xffffffffu);
            break;
        case NetworkType::Vxlan:
            n.request.segmentationId = integerValue<std::uint32_t>(e->value, e->where, 1, 0xffffff);
            break;
        }
    }
    if (auto* e = f.find("physical_network")) {
        if (n.request.type != NetworkType::Flat) {
            fail(e->keyWhere, "only a flat network has a physical_network");
        }
        n.request.physicalNetwork = nameValue(e->value, e->where);
    }
    if (auto* e = f.find("external")) n.request.external = boolValue(e->value, e->where);
    if (auto* e = f.find("shared")) n.request.shared = boolValue(e->value, e->where);
    if (auto* e = f.find("subnets")) {
        forEachItem(e->value, e->where, [&](const YAML::Node& item, const SourceLocation& w) {
            n.subnets.push_back(parseSubnet(item, w));
        });
    }
    return n;
}

RouterSpec parseRouter(const YAML::Node& node, const SourceLocation& where) {
    Fields f(node, where);
    f.allow({"name", "id", "gateway", "interfaces"});
    RouterSpec r;
    r.where = where;
    f.record(r.fields);
    const auto& name = f.require("name");
    r.request.name = stringValue(name.value, name.where);
    if (auto* e = f.find("id")) r.request.id = nameValue(e->value, e->where);
    if (auto* e = f.find("gateway")) {
        Fields g(e->value, e->where);
        g.allow({"network", "port"});
        RouterGatewaySpec gw;
        gw.where = e->where;
        g.record(gw.fields);
        const auto& net = g.require("network");
        gw.network = nameValue(net.value, net.where);
        gw.port = absentPin(e->where);
        if (auto* p = g.find("port")) gw.port = parsePinMap(*p, {"id", "mac", "ip", "name"});
        r.gateway = std::move(gw);
    }
    if (auto* e = f.find("interfaces")) {
        forEachItem(e->value, e->where, [&](const YAML::Node& item, const SourceLocation& w) {
            Fields i(item, w);
            i.allow({"subnet", "port"});
            RouterInterfaceSpec ri;
            ri.where = w;
            i.record(ri.fields);
            const auto& subnet = i.require("subnet");
            ri.subnet = nameValue(subnet.value, subnet.where);
            ri.port = absentPin(w);
            if (auto* p = i.find("port")) ri.port = parsePinMap(*p, {"id", "mac", "ip", "name"});
            r.interfaces.push_back(std::move(ri));
        });
    }
    return r;
}

NicSpec parseNic(const YAML::Node& node, const SourceLocation& where) {
    Fields f(node, where);
    f.allow({"network", "port"});
    NicSpec n;
    n.where = where;
    f.record(n.fields);
    const auto& net = f.require("network");
    n.network = nameValue(net.value, net.where);
    n.port = absentPin(where);
    if (auto* p = f.find("port")) n.port = parsePinMap(*p, {"id", "mac", "ip", "name"});
    return n;
}

/// An entry of `ports`: the port's own fields beside its network.
NicSpec parsePort(const YAML::Node& node, const SourceLocation& where) {
    Fields f(node, where);
    f.allow({"network", "id", "mac", "ip", "name"});
    NicSpec n;
    n.where = where;
    f.record(n.fields);
    const auto& net = f.require("network");
    n.network = nameValue(net.value, net.where);
    n.port = parsePin(f);
    return n;
}

InstanceSpec parseInstance(const YAML::Node& node, const SourceLocation& where) {
    Fields f(node, where);
    f.allow({"name", "id", "host", "image", "flavor", "nics"});
    InstanceSpec i;
    i.where = where;
    f.record(i.fields);
    const auto& name = f.require("name");
    i.request.name = nameValue(name.value, name.where);
    if (auto* e = f.find("id")) i.request.id = nameValue(e->value, e->where);
    if (auto* e = f.find("host")) i.request.host = nameValue(e->value, e->where);
    if (auto* e = f.find("image")) i.request.image = nameValue(e->value, e->where);
    if (auto* e = f.find("flavor")) i.request.flavor = nameValue(e->value, e->where);
    if (auto* e = f.find("nics")) {
        forEachItem(e->value, e->where, [&](const YAML::Node& item, const SourceLocation& w) {
            i.nics.push_back(parseNic(item, w));
        });
    }
    return i;
}

FloatingIpSpec parseFloatingIp(const YAML::Node& node, const SourceLocation& where) {
    Fields f(node, where);
    f.allow({"id", "network", "address", "port", "floating_port"});
    FloatingIpSpec fip;
    fip.where = where;
    f.record(fip.fields);
    if (auto* e = f.find("id")) fip.request.id = nameValue(e->value, e->where);
    const auto& net = f.require("network");
    fip.request.network = nameValue(net.value, net.where);
    if (auto* e = f.find("address")) {
        fip.request.address = ipValue(e->value, e->where);
        fip.floatingPort.ipWhere = e->where;
    }
    if (auto* e = f.find("port")) fip.request.portId = nameValue(e->value, e->where);
    fip.floatingPort.where = where;
    if (auto* e = f.find("floating_port")) {
        PortPinSpec p = parsePinMap(*e, {"id", "mac", "name"});
        p.ipWhere = fip.floatingPort.ipWhere;
        fip.floatingPort = std::move(p);
    }
    fip.floatingPort.pin.ip = fip.request.address;
    fip.request.floatingPort = fip.floatingPort.pin;
    return fip;
}

// ---- consistency checks --------------------------------------------------------------

/// Checks the spec as a whole and resolves its references.
class Checker {
public:
    explicit Checker(LabSpec& spec) : m_spec(spec) {}

    void run() {
        checkHosts();
        checkIds();
        resolveReferences();
        checkSubnets();
        checkPins();
    }

private:
    void checkHosts() {
        std::map<std::string, SourceLocation> names;
        std::map<Ipv4Address, SourceLocation> managementIps;
        std::map<Ipv4Address, SourceLocation> dataIps;
        for (std::size_t i = 0; i < m_spec.hosts.size(); ++i) {
            const HostSpec& h = m_spec.hosts[i];
            const SourceLocation nameWhere = fieldLocation(h.where, h.fields, "name");
            if (auto it = names.find(h.host.name); it != names.end()) {
                fail(nameWhere, "duplicate host name '" + h.host.name + "' (" +
                                    firstAt(it->second) + ")");
            }
            names.emplace(h.host.name, nameWhere);
            for (auto [ip, seen, key] :
                 {std::tuple{h.host.managementIp, &managementIps, "management"},
                  std::tuple{h.host.dataIp, &dataIps, "data"}}) {
                const SourceLocation w =
                    fieldLocation(h.where, h.fields, std::string(key) + ".ip");
                if (auto it = seen->find(ip); it != seen->end()) {
                    fail(w, "duplicate " + std::string(key) + " address " + ip.toString() + " (" +
                                firstAt(it->second) + ")");
                }
                seen->emplace(ip, w);
            }
        }
    }

    /// Ids unique per kind (ports: every pinned port id), instance names unique.
    void checkIds() {
        std::map<std::string, SourceLocation> networks, subnets, routers, instances, fips;
        auto claim = [](std::map<std::string, SourceLocation>& seen, const std::string& id,
                        const SourceLocation& where, const FieldLocations& fields) {
            if (id.empty()) return;
            const SourceLocation w = fieldLocation(where, fields, "id");
            if (auto it = seen.find(id); it != seen.end()) {
                fail(w, "duplicate id '" + id + "' (" + firstAt(it->second) + ")");
            }
            seen.emplace(id, w);
        };
        for (const NetworkSpec& n : m_spec.networks) {
            claim(networks, n.request.id, n.where, n.fields);
            for (const SubnetSpec& s : n.subnets) claim(subnets, s.request.id, s.where, s.fields);
        }
        for (const RouterSpec& r : m_spec.routers) claim(routers, r.request.id, r.where, r.fields);
        std::map<std::string, SourceLocation> names;
        for (const InstanceSpec& i : m_spec.instances) {
            claim(instances, i.request.id, i.where, i.fields);
            const SourceLocation w = fieldLocation(i.where, i.fields, "name");
            if (auto it = names.find(i.request.name); it != names.end()) {
                fail(w, "duplicate instance name '" + i.request.name + "' (" +
                            firstAt(it->second) + ")");
            }
            names.emplace(i.request.name, w);
        }
        for (const FloatingIpSpec& f : m_spec.floatingIps) {
            claim(fips, f.request.id, f.where, f.fields);
        }
        std::map<std::string, SourceLocation> ports;
        for (const PortPinSpec* p : allPins()) {
            if (p->pin.id.empty()) continue;
            if (auto it = ports.find(p->pin.id); it != ports.end()) {
                fail(p->idWhere, "duplicate port id '" + p->pin.id + "' (" + firstAt(it->second) +
                                     ")");
            }
            ports.emplace(p->pin.id, p->idWhere);
        }
    }

    std::vector<const PortPinSpec*> allPins() const {
        std::vector<const PortPinSpec*> out;
        for (const NetworkSpec& n : m_spec.networks) {
            for (const SubnetSpec& s : n.subnets) out.push_back(&s.dhcpPort);
        }
        for (const RouterSpec& r : m_spec.routers) {
            if (r.gateway) out.push_back(&r.gateway->port);
            for (const RouterInterfaceSpec& i : r.interfaces) out.push_back(&i.port);
        }
        for (const NicSpec& p : m_spec.ports) out.push_back(&p.port);
        for (const InstanceSpec& i : m_spec.instances) {
            for (const NicSpec& n : i.nics) out.push_back(&n.port);
        }
        for (const FloatingIpSpec& f : m_spec.floatingIps) out.push_back(&f.floatingPort);
        return out;
    }

    /// A network named by id, or by name when no network has that id.
    std::size_t networkIndex(const std::string& ref, const SourceLocation& where) const {
        const auto& nets = m_spec.networks;
        for (std::size_t i = 0; i < nets.size(); ++i) {
            if (!nets[i].request.id.empty() && nets[i].request.id == ref) return i;
        }
        std::optional<std::size_t> found;
        for (std::size_t i = 0; i < nets.size(); ++i) {
            if (nets[i].request.name != ref) continue;
            if (found) {
                fail(where, "network name '" + ref + "' is ambiguous (" + nets[*found].where.field +
                                " and " + nets[i].where.field + "); use its id");
            }
            found = i;
        }
        if (!found) fail(where, "unknown network '" + ref + "'");
        return *found;
    }

    std::pair<std::size_t, std::size_t> subnetIndex(const std::string& ref,
                                                    const SourceLocation& where) const {
        const auto& nets = m_spec.networks;
        for (std::size_t i = 0; i < nets.size(); ++i) {
            for (std::size_t j = 0; j < nets[i].subnets.size(); ++j) {
                const auto& id = nets[i].subnets[j].request.id;
                if (!id.empty() && id == ref) return {i, j};
            }
        }
        std::optional<std::pair<std::size_t, std::size_t>> found;
        for (std::size_t i = 0; i < nets.size(); ++i) {
            for (std::size_t j = 0; j < nets[i].subnets.size(); ++j) {
                if (nets[i].subnets[j].request.name != ref) continue;
                if (found) {
                    fail(where, "subnet name '" + ref + "' is ambiguous (" +
                                    nets[found->first].subnets[found->second].where.field +
                                    " and " + nets[i].subnets[j].where.field + "); use its id");
                }
                found = std::pair{i, j};
            }
        }
        if (!found) fail(where, "unknown subnet '" + ref + "'");
        return *found;
    }

    void requireExternal(std::size_t index, const SourceLocation& where) const {
        const NetworkSpec& n = m_spec.networks[index];
        if (!n.request.external) {
            fail(where, "network '" + n.request.name + "' is not external (external: true)");
        }
    }

    void resolveReferences() {
        for (HostSpec& h : m_spec.hosts) {
            std::map<std::size_t, const HostSpec::LocalVlan*> byNetwork;
            std::map<int, const HostSpec::LocalVlan*> byVlan;
            for (HostSpec::LocalVlan& lv : h.localVlans) {
                lv.networkIndex = networkIndex(lv.network, lv.where);
                if (auto it = byNetwork.find(lv.networkIndex); it != byNetwork.end()) {
                    fail(lv.where, "network '" + lv.network + "' already has a local VLAN (" +
                                       firstAt(it->second->where) + ")");
                }
                if (auto it = byVlan.find(lv.vlan); it != byVlan.end()) {
                    fail(lv.where, "local VLAN " + std::to_string(lv.vlan) +
                                       " is already pinned for network '" + it->second->network +
                                       "' on this host");
                }
                byNetwork.emplace(lv.networkIndex, &lv);
                byVlan.emplace(lv.vlan, &lv);
            }
        }
        for (RouterSpec& r : m_spec.routers) {
            if (r.gateway) {
                const SourceLocation w =
                    fieldLocation(r.gateway->where, r.gateway->fields, "network");
                r.gateway->networkIndex = networkIndex(r.gateway->network, w);
                requireExternal(r.gateway->networkIndex, w);
            }
            for (RouterInterfaceSpec& i : r.interfaces) {
                const SourceLocation w = fieldLocation(i.where, i.fields, "subnet");
                std::tie(i.networkIndex, i.subnetIndex) = subnetIndex(i.subnet, w);
            }
        }
        auto resolveNic = [&](NicSpec& n) {
            const SourceLocation w = fieldLocation(n.where, n.fields, "network");
            n.networkIndex = networkIndex(n.network, w);
        };
        for (NicSpec& p : m_spec.ports) resolveNic(p);
        std::map<std::string, const HostSpec*> hosts;
        for (const HostSpec& h : m_spec.hosts) hosts.emplace(h.host.name, &h);
        for (InstanceSpec& i : m_spec.instances) {
            if (!i.request.host.empty()) {
                const SourceLocation w = fieldLocation(i.where, i.fields, "host");
                auto it = hosts.find(i.request.host);
                if (it == hosts.end()) {
                    std::string names;
                    for (const HostSpec& h : m_spec.hosts) {
                        if (h.host.role != HostRole::Compute) continue;
                        names += names.empty() ? "" : ", ";
                        names += h.host.name;
                    }
                    fail(w, "unknown host '" + i.request.host + "' (compute hosts: " +
                                (names.empty() ? "none" : names) + ")");
                }
                if (it->second->host.role != HostRole::Compute) {
                    fail(w, "host '" + i.request.host + "' is not a compute host");
                }
            }
            for (NicSpec& n : i.nics) resolveNic(n);
        }
        std::map<std::string, bool> portIds;
        for (const PortPinSpec* p : allPins()) portIds.emplace(p->pin.id, true);
        for (FloatingIpSpec& f : m_spec.floatingIps) {
            const SourceLocation w = fieldLocation(f.where, f.fields, "network");
            f.networkIndex = networkIndex(f.request.network, w);
            requireExternal(f.networkIndex, w);
            if (!f.request.portId.empty() && !portIds.count(f.request.portId)) {
                const SourceLocation pw = fieldLocation(f.where, f.fields, "port");
                fail(pw, "unknown port '" + f.request.portId +
                             "' (a port of an instance nic or of 'ports', by id)");
            }
        }
    }

    /// Subnets of one network do not overlap.
    void checkSubnets() const {
        for (const NetworkSpec& n : m_spec.networks) {
            for (std::size_t j = 0; j < n.subnets.size(); ++j) {
                for (std::size_t k = 0; k < j; ++k) {
                    const SubnetSpec& a = n.subnets[k];
                    const SubnetSpec& b = n.subnets[j];
                    if (!b.cidr.overlaps(a.cidr)) continue;
                    fail(fieldLocation(b.where, b.fields, "cidr"),
                         b.cidr.toString() + " overlaps " + a.cidr.toString() + " (" +
                             firstAt(fieldLocation(a.where, a.fields, "cidr")) + ")");
                }
            }
        }
    }

    /// Pinned MACs unique; pinned IPs inside their subnet and unique on their network.
    void checkPins() const {
        std::map<MacAddress, const PortPinSpec*> macs;
        for (const PortPinSpec* p : allPins()) {
            if (!p->pin.mac) continue;
            if (auto it = macs.find(*p->pin.mac); it != macs.end()) {
                fail(p->macWhere, "duplicate MAC " + p->pin.mac->toString() + " (" +
                                      firstAt(it->second->macWhere) + ")");
            }
            macs.emplace(*p->pin.mac, p);
        }
        std::map<std::pair<std::size_t, Ipv4Address>, const PortPinSpec*> ips;
        auto claim = [&](std::size_t net, std::optional<std::size_t> subnet,
                         const PortPinSpec& p) {
            if (!p.pin.ip) return;
            const Ipv4Address ip = *p.pin.ip;
            const NetworkSpec& n = m_spec.networks[net];
            if (subnet) {
                const SubnetSpec& s = n.subnets[*subnet];
                if (!s.cidr.contains(ip)) {
                    fail(p.ipWhere, ip.toString() + " is outside the subnet " +
                                        s.cidr.toString());
                }
            } else {
                bool inside = false;
                std::string cidrs;
                for (const SubnetSpec& s : n.subnets) {
                    inside = inside || s.cidr.contains(ip);
                    cidrs += cidrs.empty() ? "" : ", ";
                    cidrs += s.cidr.toString();
                }
                if (!inside) {
                    fail(p.ipWhere, ip.toString() + " is not in a subnet of network '" +
                                        n.request.name + "' (" +
                                        (cidrs.empty() ? "it has none" : cidrs) + ")");
                }
            }
            if (auto it = ips.find({net, ip}); it != ips.end()) {
                fail(p.ipWhere, "duplicate IP " + ip.toString() + " on network '" +
                                    n.request.name + "' (" + firstAt(it->second->ipWhere) + ")");
            }
            ips.emplace(std::pair{net, ip}, &p);
        };
        for (std::size_t i = 0; i < m_spec.networks.size(); ++i) {
            const NetworkSpec& n = m_spec.networks[i];
            for (std::size_t j = 0; j < n.subnets.size(); ++j) claim(i, j, n.subnets[j].dhcpPort);
        }
        for (const RouterSpec& r : m_spec.routers) {
            if (r.gateway) claim(r.gateway->networkIndex, std::nullopt, r.gateway->port);
            for (const RouterInterfaceSpec& ri : r.interfaces) {
                claim(ri.networkIndex, ri.subnetIndex, ri.port);
            }
        }
        for (const NicSpec& p : m_spec.ports) claim(p.networkIndex, std::nullopt, p.port);
        for (const InstanceSpec& inst : m_spec.instances) {
            for (const NicSpec& n : inst.nics) claim(n.networkIndex, std::nullopt, n.port);
        }
        for (const FloatingIpSpec& f : m_spec.floatingIps) {
            claim(f.networkIndex, std::nullopt, f.floatingPort);
        }
    }

    LabSpec& m_spec;
};

LabSpec parseDocument(const YAML::Node& root, const SourceLocation& where) {
    Fields f(root, where);
    LabSpec spec;
    spec.where = where;
    // The version first: a file of another version may use keys this one does not know.
    const auto& version = f.require("version");
    spec.version = integerValue<int>(version.value, version.where, 0,
                                     std::numeric_limits<int>::max());
    if (spec.version != 1) {
        fail(version.where, "unsupported lab file version " + std::to_string(spec.version) +
                                " (this NeutronLab reads version 1)");
    }
    f.allow({"version", "seed", "tenant", "hosts", "networks", "routers", "ports", "instances",
             "floating_ips"});
    if (auto* e = f.find("seed")) {
        spec.seed = integerValue<std::uint64_t>(e->value, e->where, 0,
                                                std::numeric_limits<std::uint64_t>::max());
    }
    if (auto* e = f.find("tenant")) spec.tenant = nameValue(e->value, e->where);
    auto items = [&](std::string_view key, auto parse, auto& out) {
        if (auto* e = f.find(key)) {
            forEachItem(e->value, e->where, [&](const YAML::Node& item, const SourceLocation& w) {
                out.push_back(parse(item, w));
            });
        }
    };
    items("hosts", parseHost, spec.hosts);
    items("networks", parseNetwork, spec.networks);
    items("routers", parseRouter, spec.routers);
    items("ports", parsePort, spec.ports);
    items("instances", parseInstance, spec.instances);
    items("floating_ips", parseFloatingIp, spec.floatingIps);
    Checker(spec).run();
    return spec;
}

}  // namespace

std::variant<LabSpec, LabFileError> parseLabSpec(std::string_view text, std::string_view fileName) {
    try {
        std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
        const SourceLocation start{"", 1, 1};
        if (docs.empty()) {
            return labFileError(fileName, start,
                                "the lab file is empty (it starts with 'version: 1')");
        }
        if (docs.size() > 1) {
            return labFileError(fileName, locate(docs[1], "", start),
                                "a lab file holds one YAML document (found a second one)");
        }
        return parseDocument(docs[0], locate(docs[0], "", start));
    } catch (const SpecError& e) {
        return labFileError(fileName, e.where, e.message);
    } catch (const YAML::Exception& e) {
        SourceLocation where;
        if (!e.mark.is_null()) where = SourceLocation{"", e.mark.line + 1, e.mark.column + 1};
        return labFileError(fileName, where, e.msg);
    } catch (const std::exception& e) {
        return labFileError(fileName, SourceLocation{}, std::string("cannot read: ") + e.what());
    }
}

}  // namespace nlab::model
