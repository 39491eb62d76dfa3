#pragma once
// IP address management as Neutron's (Icehouse) IPAM does it, for IPv4 subnets.
//
// What
//   Parsing a requested CIDR the way the API accepts it (host bits are cleared), the
//   default allocation pools around the gateway, validation of requested pools (order,
//   bounds, overlaps, the gateway), and the choice of the next address for a port.
//
// Design
//   Pure functions over tenant values; the Cloud decides what is in use. Messages are the
//   Neutron server's, without the "Invalid input for operation: " wrapper when the
//   server adds one (the Cloud adds it).
//
// Invariants
//   Addresses handed out are inside the subnet, never its network or broadcast address.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/tenant.h"

namespace nlab::model::ipam {

/// The result of parsing a CIDR argument: the normalised prefix or the server's reason.
struct ParsedCidr {
    std::optional<Cidr> cidr;
    std::string error;  ///< "'x' is not a valid IP subnet" (attribute validation wording).
};

/// Parses "a.b.c.d/n" as Neutron's API accepts it: host bits are cleared
/// ("10.10.10.5/24" -> 10.10.10.0/24); a bare address is refused with the server's hint.
ParsedCidr parseCidr(std::string_view text);

/// First and last usable host addresses (network + 1, broadcast - 1).
Ipv4Address firstHost(const Cidr& cidr);
Ipv4Address lastHost(const Cidr& cidr);

/// Neutron's default pools: the host range split around the gateway (the whole host
/// range when there is none).
std::vector<AllocationPool> defaultPools(const Cidr& cidr, std::optional<Ipv4Address> gateway);

/// Python's repr of a requested pool as the server prints it:
/// "{u'start': u'10.10.10.50', u'end': u'10.10.10.20'}".
std::string poolRepr(const AllocationPool& pool);

/// Validates requested pools against 'cidr' and the gateway. Returns the complete server
/// message ("The allocation pool ... is not valid.", "... spans beyond the subnet cidr ...",
/// "Found overlapping allocation pools:...", "Gateway ip ... conflicts with allocation
/// pool ...") or "" when valid.
std::string validatePools(const std::vector<AllocationPool>& pools, const Cidr& cidr,
                          std::optional<Ipv4Address> gateway);

/// True when 'ip' is a host address of 'cidr' (not its network or broadcast address for
/// prefixes shorter than /31), as Neutron's _check_subnet_ip requires.
bool isValidHostIp(const Cidr& cidr, Ipv4Address ip);

/// The lowest address of the subnet's pools that is not in 'used' (nullopt: exhausted).
std::optional<Ipv4Address> firstFree(const Subnet& subnet, const std::set<Ipv4Address>& used);

}  // namespace nlab::model::ipam
