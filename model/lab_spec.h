#pragma once
// LabSpec: a lab file parsed and checked, before anything is built.
//
// What
//   The first of the two stages of loading a lab file (lab_file.h). parseLabSpec() reads
//   the YAML text into plain values — hosts, networks with their subnets, routers with
//   gateway and interfaces, unbound ports, instances with their NICs, floating IPs — and
//   checks everything that can be checked without a Cloud: YAML syntax, keys, types,
//   required fields, version, and the lab's consistency as a document (unique names and
//   ids, unique MACs, references that name an object of the file, pinned IPs inside a
//   subnet of their network and not used twice, subnets of a network that do not
//   overlap). The second stage (lab_file.cpp) replays the spec through the Cloud.
//
// Design
//   - The spec keeps the request types of cloud.h (NetworkRequest, SubnetRequest, ...)
//     so that applying it is a plain sequence of Cloud calls. What a request cannot hold
//     before the Cloud exists (ids of objects a reference names) is kept beside it as an
//     index into the spec, resolved once when parsing: a reference may be an id or a name.
//   - Every object, and every field an error may point at, carries its SourceLocation:
//     the field path ("networks[1].subnets[0].cidr") and the 1-based line and column of
//     its YAML node, so that errors found when parsing and errors the Cloud reports when
//     applying are both located in the file.
//   - yaml-cpp stays inside lab_spec.cpp: its exceptions never leave parseLabSpec().
//
// Invariants (of a spec parseLabSpec() returned)
//   version == 1; every index refers to an element of the spec; every reference names
//   exactly one object.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/cloud.h"
#include "model/lab_file.h"

namespace nlab::model {

/// Where a value came from in the lab file.
struct SourceLocation {
    std::string field;  ///< "networks[1].subnets[0].cidr"; "" for the document.
    int line = 0;       ///< 1-based; 0 when unknown.
    int column = 0;     ///< 1-based.
};

/// Where each field of an object was written: key ("cidr", "management.ip") -> location.
using FieldLocations = std::map<std::string, SourceLocation>;

/// The location of field 'key' of an object at 'where': as recorded in 'fields', else the
/// object's position under the field's path.
SourceLocation fieldLocation(const SourceLocation& where, const FieldLocations& fields,
                             std::string_view key);

/// A port's pinned values (`{id: ..., mac: "...", ip: ...}`) and where each was written.
struct PortPinSpec {
    PortPin pin;
    SourceLocation where;      ///< The mapping; the owner's location when absent.
    SourceLocation idWhere;    ///< Valid when pin.id is set.
    SourceLocation macWhere;   ///< Valid when pin.mac is set.
    SourceLocation ipWhere;    ///< Valid when pin.ip is set.
};

struct HostSpec {
    Host host;                 ///< host.localVlans is empty: see localVlans.
    struct LocalVlan {
        std::string network;   ///< As written (id or name).
        std::size_t networkIndex = 0;  ///< Into LabSpec::networks.
        int vlan = 0;
        SourceLocation where;  ///< The key.
    };
    std::vector<LocalVlan> localVlans;
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

struct SubnetSpec {
    SubnetRequest request;     ///< request.network is empty: the owning network.
    Cidr cidr{};               ///< request.cidr parsed.
    PortPinSpec dhcpPort;      ///< Also in request.dhcpPort.
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

struct NetworkSpec {
    NetworkRequest request;
    std::vector<SubnetSpec> subnets;
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

struct RouterGatewaySpec {
    std::string network;       ///< As written.
    std::size_t networkIndex = 0;
    PortPinSpec port;
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

struct RouterInterfaceSpec {
    std::string subnet;        ///< As written.
    std::size_t networkIndex = 0;  ///< The subnet's network.
    std::size_t subnetIndex = 0;   ///< Into that network's subnets.
    PortPinSpec port;
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

struct RouterSpec {
    RouterRequest request;
    std::optional<RouterGatewaySpec> gateway;
    std::vector<RouterInterfaceSpec> interfaces;
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

/// An instance NIC, or an unbound port of the `ports` section: a port on a network.
struct NicSpec {
    std::string network;       ///< As written.
    std::size_t networkIndex = 0;
    PortPinSpec port;
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

struct InstanceSpec {
    InstanceRequest request;   ///< request.nics is empty: see nics.
    std::vector<NicSpec> nics;
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

struct FloatingIpSpec {
    FloatingIpRequest request; ///< request.network as written; request.portId a port id.
    std::size_t networkIndex = 0;
    PortPinSpec floatingPort;  ///< Also in request.floatingPort.
    SourceLocation where;
    FieldLocations fields;     ///< Where this object's keys were written.
};

/// A lab file's content, checked.
struct LabSpec {
    int version = 1;
    std::uint64_t seed = 1;
    std::string tenant;                 ///< "" : generated by the Cloud.
    std::vector<HostSpec> hosts;
    std::vector<NetworkSpec> networks;
    std::vector<RouterSpec> routers;
    std::vector<NicSpec> ports;         ///< Unbound ports (`neutron port-create`).
    std::vector<InstanceSpec> instances;
    std::vector<FloatingIpSpec> floatingIps;
    SourceLocation where;               ///< The document.
};

/// Parses and checks lab-file YAML; 'fileName' names the file in errors. Returns the spec
/// or the first error, located. Never throws.
std::variant<LabSpec, LabFileError> parseLabSpec(std::string_view text, std::string_view fileName);

/// A LabFileError for 'fileName' at 'where'.
LabFileError labFileError(std::string_view fileName, const SourceLocation& where,
                          std::string message);

}  // namespace nlab::model
