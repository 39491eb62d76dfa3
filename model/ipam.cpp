#include "model/ipam.h"

#include <algorithm>
#include <charconv>

namespace nlab::model::ipam {

ParsedCidr parseCidr(std::string_view text) {
    ParsedCidr out;
    const std::string quoted = "'" + std::string(text) + "'";
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        if (auto a = Ipv4Address::parse(text)) {
            out.error = quoted + " isn't a recognized IP subnet cidr, '" + a->toString() +
                        "/32' is recommended";
        } else {
            out.error = quoted + " is not a valid IP subnet";
        }
        return out;
    }
    auto addr = Ipv4Address::parse(text.substr(0, slash));
    std::string_view len = text.substr(slash + 1);
    int n = -1;
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
    if (!addr || len.empty() || ec != std::errc() || end != len.data() + len.size() || n < 0 ||
        n > 32) {
        out.error = quoted + " is not a valid IP subnet";
        return out;
    }
    Cidr c{Ipv4Address{}, n};
    c.network = Ipv4Address(addr->toU32() & c.mask());
    out.cidr = c;
    return out;
}

Ipv4Address firstHost(const Cidr& cidr) { return Ipv4Address(cidr.network.toU32() + 1); }

Ipv4Address lastHost(const Cidr& cidr) {
    return Ipv4Address((cidr.network.toU32() | ~cidr.mask()) - 1);
}

std::vector<AllocationPool> defaultPools(const Cidr& cidr, std::optional<Ipv4Address> gateway) {
    // neutron/db/db_base_plugin_v2.py _allocate_pools_for_subnet (Icehouse): the range
    // first+1 .. last-1, split at the gateway (the broadcast address when there is none).
    const std::int64_t netFirst = cidr.network.toU32();
    const std::int64_t netLast = netFirst + (std::int64_t{~cidr.mask()} & 0xffffffff);
    const std::int64_t first = netFirst + 1;
    const std::int64_t last = netLast - 1;
    const std::int64_t gw = gateway ? std::int64_t{gateway->toU32()} : netLast;
    const std::int64_t split = std::min(std::max(gw, netFirst), netLast);
    std::vector<AllocationPool> pools;
    auto ip = [](std::int64_t v) { return Ipv4Address(static_cast<std::uint32_t>(v)); };
    if (split > first) pools.push_back({ip(first), ip(split - 1)});
    if (split < last) pools.push_back({ip(split + 1), ip(last)});
    return pools;
}

std::string poolRepr(const AllocationPool& pool) {
    return "{u'start': u'" + pool.start.toString() + "', u'end': u'" + pool.end.toString() + "'}";
}

std::string validatePools(const std::vector<AllocationPool>& pools, const Cidr& cidr,
                          std::optional<Ipv4Address> gateway) {
    const std::uint32_t first = firstHost(cidr).toU32();
    const std::uint32_t last = lastHost(cidr).toU32();
    for (const AllocationPool& p : pools) {
        if (p.end < p.start) return "The allocation pool " + poolRepr(p) + " is not valid.";
        if (p.start.toU32() < first || p.end.toU32() > last || !cidr.contains(p.start) ||
            !cidr.contains(p.end)) {
            return "The allocation pool " + poolRepr(p) + " spans beyond the subnet cidr " +
                   cidr.toString() + ".";
        }
    }
    for (std::size_t i = 0; i < pools.size(); ++i) {
        for (std::size_t j = i + 1; j < pools.size(); ++j) {
            if (pools[i].start <= pools[j].end && pools[j].start <= pools[i].end) {
                return "Found overlapping allocation pools:" + poolRepr(pools[i]) + " " +
                       poolRepr(pools[j]) + " for subnet " + cidr.toString() + ".";
            }
        }
    }
    if (gateway) {
        for (const AllocationPool& p : pools) {
            if (p.start <= *gateway && *gateway <= p.end) {
                return "Gateway ip " + gateway->toString() + " conflicts with allocation pool " +
                       p.start.toString() + "-" + p.end.toString();
            }
        }
    }
    return {};
}

bool isValidHostIp(const Cidr& cidr, Ipv4Address ip) {
    if (!cidr.contains(ip)) return false;
    if (cidr.prefixLength >= 31) return true;
    const std::uint32_t broadcast = cidr.network.toU32() | ~cidr.mask();
    return ip != cidr.network && ip.toU32() != broadcast;
}

std::optional<Ipv4Address> firstFree(const Subnet& subnet, const std::set<Ipv4Address>& used) {
    std::vector<AllocationPool> pools = subnet.allocationPools;
    std::sort(pools.begin(), pools.end(),
              [](const AllocationPool& a, const AllocationPool& b) { return a.start < b.start; });
    for (const AllocationPool& p : pools) {
        for (std::uint64_t v = p.start.toU32(); v <= p.end.toU32(); ++v) {
            const Ipv4Address a(static_cast<std::uint32_t>(v));
            if (!used.count(a)) return a;
        }
    }
    return std::nullopt;
}

}  // namespace nlab::model::ipam
