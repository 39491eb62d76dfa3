#include "model/tenant.h"

#include <charconv>

namespace nlab::model {

std::optional<Cidr> Cidr::parse(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto addr = Ipv4Address::parse(text.substr(0, slash));
    if (!addr) return std::nullopt;
    std::string_view len = text.substr(slash + 1);
    int n = -1;
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
    if (ec != std::errc() || end != len.data() + len.size() || len.empty() || n < 0 || n > 32) {
        return std::nullopt;
    }
    Cidr c{*addr, n};
    if ((addr->toU32() & ~c.mask()) != 0) return std::nullopt;
    return c;
}

std::string Cidr::toString() const {
    return network.toString() + "/" + std::to_string(prefixLength);
}

std::uint32_t Cidr::mask() const {
    return prefixLength == 0 ? 0u : ~std::uint32_t{0} << (32 - prefixLength);
}

bool Cidr::contains(Ipv4Address a) const {
    return (a.toU32() & mask()) == network.toU32();
}

bool Cidr::overlaps(const Cidr& other) const {
    const std::uint32_t m = prefixLength < other.prefixLength ? mask() : other.mask();
    return (network.toU32() & m) == (other.network.toU32() & m);
}

std::string_view toString(NetworkType t) {
    switch (t) {
    case NetworkType::Gre: return "gre";
    case NetworkType::Vxlan: return "vxlan";
    case NetworkType::Flat: return "flat";
    }
    return "gre";
}

std::optional<NetworkType> networkTypeFromString(std::string_view s) {
    if (s == "gre") return NetworkType::Gre;
    if (s == "vxlan") return NetworkType::Vxlan;
    if (s == "flat") return NetworkType::Flat;
    return std::nullopt;
}

namespace {

template <typename Map, typename NameOf>
const typename Map::mapped_type* byIdOrName(const Map& map, std::string_view key, NameOf nameOf) {
    if (auto it = map.find(std::string(key)); it != map.end()) return &it->second;
    for (const auto& [id, obj] : map) {
        if (!key.empty() && nameOf(obj) == key) return &obj;
    }
    return nullptr;
}

}  // namespace

const Host* TenantState::host(std::string_view name) const {
    for (const Host& h : hosts) {
        if (h.name == name) return &h;
    }
    return nullptr;
}

const Network* TenantState::network(std::string_view idOrName) const {
    return byIdOrName(networks, idOrName, [](const Network& n) { return n.name; });
}

const Subnet* TenantState::subnet(std::string_view idOrName) const {
    return byIdOrName(subnets, idOrName, [](const Subnet& s) { return s.name; });
}

const Port* TenantState::port(std::string_view id) const {
    auto it = ports.find(std::string(id));
    return it == ports.end() ? nullptr : &it->second;
}

const Router* TenantState::router(std::string_view idOrName) const {
    return byIdOrName(routers, idOrName, [](const Router& r) { return r.name; });
}

const Instance* TenantState::instance(std::string_view idOrName) const {
    return byIdOrName(instances, idOrName, [](const Instance& i) { return i.name; });
}

const FloatingIp* TenantState::floatingIp(std::string_view idOrAddress) const {
    if (auto it = floatingIps.find(std::string(idOrAddress)); it != floatingIps.end()) {
        return &it->second;
    }
    auto addr = Ipv4Address::parse(idOrAddress);
    if (!addr) return nullptr;
    for (const auto& [id, f] : floatingIps) {
        if (f.floatingIpAddress == *addr) return &f;
    }
    return nullptr;
}

std::vector<const Subnet*> TenantState::subnetsOf(std::string_view networkId) const {
    std::vector<const Subnet*> out;
    for (const auto& [id, s] : subnets) {
        if (s.networkId == networkId) out.push_back(&s);
    }
    return out;
}

std::vector<const Port*> TenantState::portsOf(std::string_view networkId) const {
    std::vector<const Port*> out;
    for (const auto& [id, p] : ports) {
        if (p.networkId == networkId) out.push_back(&p);
    }
    return out;
}

}  // namespace nlab::model
