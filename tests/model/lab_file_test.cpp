// Lab files: the seed lab, the round trip, and one test per malformed case with the exact
// located message.

#include "model/lab_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include "model/lab_spec.h"

namespace nlab::model {
namespace {

/// The first error parseLabSpec() reports, as "file:line:column: field: message".
std::string specError(std::string_view text) {
    auto parsed = parseLabSpec(text, "lab.yaml");
    if (auto* e = std::get_if<LabFileError>(&parsed)) return e->toString();
    return "(no error)";
}

const LabSpec& spec(const std::variant<LabSpec, LabFileError>& parsed) {
    if (auto* e = std::get_if<LabFileError>(&parsed)) ADD_FAILURE() << e->toString();
    return std::get<LabSpec>(parsed);
}

// ---- stage 1: the seed file as a spec -------------------------------------------------

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(LabSpecTest, SeedParses) {
    const std::string text = readFile(NLAB_SOURCE_DIR "/resources/labs/seed.yaml");
    auto parsed = parseLabSpec(text, "seed.yaml");
    const LabSpec& s = spec(parsed);
    EXPECT_EQ(s.version, 1);
    EXPECT_EQ(s.seed, 2014u);
    ASSERT_EQ(s.hosts.size(), 2u);
    EXPECT_EQ(s.hosts[0].host.name, "network");
    EXPECT_EQ(s.hosts[0].host.role, HostRole::Network);
    EXPECT_EQ(s.hosts[1].host.managementMac.toString(), "00:0c:29:07:13:bf");
    EXPECT_EQ(s.hosts[1].host.dataIp.toString(), "10.10.100.140");
    EXPECT_EQ(s.hosts[1].host.prefixLength, 24);
    ASSERT_EQ(s.hosts[0].localVlans.size(), 3u);
    EXPECT_EQ(s.hosts[0].localVlans[2].network, "private3");
    EXPECT_EQ(s.hosts[0].localVlans[2].networkIndex, 3u);
    EXPECT_EQ(s.hosts[0].localVlans[2].vlan, 11);
    EXPECT_EQ(s.hosts[1].host.deviceMacs.at("qvb8cbe7bb6-18").toString(), "1a:8e:57:f2:7d:11");
    ASSERT_EQ(s.networks.size(), 4u);
    EXPECT_EQ(s.networks[3].request.segmentationId, 4u);
    EXPECT_EQ(s.networks[1].subnets[0].dhcpPort.pin.id, "78dd7f1e-53e6-4a2c-b166-5eef9add12b7");
    EXPECT_EQ(s.networks[1].subnets[0].where.field, "networks[1].subnets[0]");
    ASSERT_EQ(s.routers.size(), 1u);
    EXPECT_EQ(s.routers[0].interfaces[2].networkIndex, 3u);
    EXPECT_EQ(s.routers[0].interfaces[2].port.pin.mac->toString(), "fa:16:3e:75:b5:d4");
    ASSERT_EQ(s.instances.size(), 3u);
    EXPECT_EQ(s.instances[2].nics[0].networkIndex, 2u);
    EXPECT_EQ(s.instances[2].nics[0].port.pin.ip->toString(), "10.10.20.7");
}

// ---- stage 1: malformed files ---------------------------------------------------------

// Ten lines every malformed case below starts with; their own lines start at 11.
constexpr std::string_view kHosts = R"(version: 1
hosts:
  - name: network
    role: network
    management: {ip: 192.168.1.1/24}
    data: {ip: 10.0.0.1/24}
  - name: compute
    role: compute
    management: {ip: 192.168.1.2/24}
    data: {ip: 10.0.0.2/24}
)";

std::string withHosts(std::string_view rest) {
    return std::string(kHosts) + std::string(rest);
}

TEST(LabSpecTest, MinimalLabParses) {
    auto parsed = parseLabSpec(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
instances:
  - name: vm1
    host: compute
    nics:
      - network: net1
)"),
                               "lab.yaml");
    const LabSpec& s = spec(parsed);
    EXPECT_EQ(s.seed, 1u);
    EXPECT_EQ(s.tenant, "");
    ASSERT_EQ(s.networks.size(), 1u);
    EXPECT_EQ(s.networks[0].request.type, NetworkType::Gre);
    EXPECT_FALSE(s.networks[0].request.segmentationId.has_value());
    EXPECT_EQ(s.networks[0].subnets[0].request.cidr, "10.1.0.0/24");
    EXPECT_TRUE(s.networks[0].subnets[0].request.enableDhcp);
    EXPECT_FALSE(s.networks[0].subnets[0].dhcpPort.pin.mac.has_value());
    ASSERT_EQ(s.instances.size(), 1u);
    EXPECT_EQ(s.instances[0].request.host, "compute");
    EXPECT_EQ(s.instances[0].nics[0].networkIndex, 0u);
    EXPECT_EQ(s.instances[0].nics[0].where.field, "instances[0].nics[0]");
    EXPECT_EQ(s.instances[0].nics[0].where.line, 19);
    EXPECT_EQ(s.instances[0].nics[0].where.column, 9);
}

TEST(LabSpecTest, BadYamlSyntax) {
    EXPECT_EQ(specError("version: 1\nhosts: [a, b\nnetworks: []\n"),
              "lab.yaml:3:9: end of sequence flow not found");
    EXPECT_EQ(specError("version: 1\nhosts:\n\t- name: x\n"),
              "lab.yaml:3:2: illegal block entry");
}

TEST(LabSpecTest, EmptyFileAndNotAMapping) {
    EXPECT_EQ(specError(""), "lab.yaml:1:1: the lab file is empty (it starts with 'version: 1')");
    EXPECT_EQ(specError("- version: 1\n"), "lab.yaml:1:1: expected a mapping, got a sequence");
    EXPECT_EQ(specError("version: 1\n---\nversion: 1\n"),
              "lab.yaml:3:1: a lab file holds one YAML document (found a second one)");
}

TEST(LabSpecTest, UnknownTopLevelKey) {
    EXPECT_EQ(specError("version: 1\nnetwork: []\n"),
              "lab.yaml:2:1: network: unknown key 'network' (allowed: version, seed, tenant, "
              "hosts, networks, routers, ports, instances, floating_ips)");
}

TEST(LabSpecTest, UnknownNestedKey) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
        gateway_ip: 10.1.0.1
)")),
              "lab.yaml:15:9: networks[0].subnets[0].gateway_ip: unknown key 'gateway_ip' "
              "(allowed: id, name, cidr, gateway, allocation_pools, enable_dhcp, "
              "dns_nameservers, dhcp_port)");
    EXPECT_EQ(specError(withHosts(R"(instances:
  - name: vm1
    nics:
      - network: net1
        port: {id: p1, address: 10.1.0.5}
)")),
              "lab.yaml:15:24: instances[0].nics[0].port.address: unknown key 'address' "
              "(allowed: id, mac, ip, name)");
}

TEST(LabSpecTest, DuplicateKey) {
    EXPECT_EQ(specError("version: 1\nseed: 1\nseed: 2\n"),
              "lab.yaml:3:1: seed: duplicate key 'seed' (first at seed, line 2)");
}

TEST(LabSpecTest, WrongTypes) {
    EXPECT_EQ(specError("version: 1\nhosts: {name: network}\n"),
              "lab.yaml:2:8: hosts: expected a sequence, got a mapping");
    EXPECT_EQ(specError("version: 1\nnetworks: net1\n"),
              "lab.yaml:2:11: networks: expected a sequence, got 'net1'");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: [net1]
)")),
              "lab.yaml:12:11: networks[0].name: expected a name, got a sequence");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    external: maybe
)")),
              "lab.yaml:13:15: networks[0].external: expected true or false, got 'maybe'");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    segmentation_id: one
)")),
              "lab.yaml:13:22: networks[0].segmentation_id: expected an integer, got 'one'");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    type: vxlan
    segmentation_id: 16777216
)")),
              "lab.yaml:14:22: networks[0].segmentation_id: 16777216 is out of range "
              "(1..16777215)");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    type: vlan
)")),
              "lab.yaml:13:11: networks[0].type: expected 'gre', 'vxlan' or 'flat', got 'vlan'");
}

TEST(LabSpecTest, MissingVersion) {
    EXPECT_EQ(specError("hosts: []\n"),
              "lab.yaml:1:1: missing required field 'version'");
}

TEST(LabSpecTest, WrongVersion) {
    EXPECT_EQ(specError("version: 2\nhosts: []\nfuture_key: 1\n"),
              "lab.yaml:1:10: version: unsupported lab file version 2 (this NeutronLab reads "
              "version 1)");
    EXPECT_EQ(specError("version: one\n"),
              "lab.yaml:1:10: version: expected an integer, got 'one'");
}

TEST(LabSpecTest, MissingRequiredField) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - name: sub1
)")),
              "lab.yaml:14:9: networks[0].subnets[0]: missing required field 'cidr'");
    EXPECT_EQ(specError("version: 1\nhosts:\n  - name: h\n    role: compute\n"
                        "    management: {ip: 10.0.0.1/24}\n"),
              "lab.yaml:3:5: hosts[0]: missing required field 'data'");
}

TEST(LabSpecTest, BadCidr) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.10.10.0/33
)")),
              "lab.yaml:14:15: networks[0].subnets[0].cidr: '10.10.10.0/33' is not an IPv4 CIDR");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.10.10.5/24
)")),
              "lab.yaml:14:15: networks[0].subnets[0].cidr: '10.10.10.5/24' has host bits set "
              "(the network is 10.10.10.0/24)");
}

TEST(LabSpecTest, BadAddresses) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
        dhcp_port: {mac: "fa:16:3e:zz:00:01"}
)")),
              "lab.yaml:15:26: networks[0].subnets[0].dhcp_port.mac: expected a MAC address, "
              "got 'fa:16:3e:zz:00:01'");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
        gateway: 10.1.0.256
)")),
              "lab.yaml:15:18: networks[0].subnets[0].gateway: expected an IPv4 address, got "
              "'10.1.0.256'");
    EXPECT_EQ(specError("version: 1\nhosts:\n  - name: h\n    role: compute\n"
                        "    management: {ip: 10.0.0.1}\n"),
              "lab.yaml:5:22: hosts[0].management.ip: expected an IPv4 address with a prefix "
              "length (a.b.c.d/n), got '10.0.0.1'");
}

TEST(LabSpecTest, OverlappingSubnets) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
      - cidr: 10.1.0.128/25
)")),
              "lab.yaml:15:15: networks[0].subnets[1].cidr: 10.1.0.128/25 overlaps 10.1.0.0/24 "
              "(first at networks[0].subnets[0].cidr, line 14)");
}

TEST(LabSpecTest, DuplicateMac) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
        dhcp_port: {mac: "fa:16:3e:00:00:01"}
instances:
  - name: vm1
    host: compute
    nics:
      - network: net1
        port: {mac: "FA:16:3E:00:00:01"}
)")),
              "lab.yaml:21:21: instances[0].nics[0].port.mac: duplicate MAC fa:16:3e:00:00:01 "
              "(first at networks[0].subnets[0].dhcp_port.mac, line 15)");
}

TEST(LabSpecTest, DuplicateIp) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
ports:
  - {network: net1, ip: 10.1.0.5}
instances:
  - name: vm1
    host: compute
    nics:
      - network: net1
        port: {ip: 10.1.0.5}
)")),
              "lab.yaml:22:20: instances[0].nics[0].port.ip: duplicate IP 10.1.0.5 on network "
              "'net1' (first at ports[0].ip, line 16)");
}

TEST(LabSpecTest, IpOutsideSubnet) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
instances:
  - name: vm1
    host: compute
    nics:
      - network: net1
        port: {ip: 10.2.0.5}
)")),
              "lab.yaml:20:20: instances[0].nics[0].port.ip: 10.2.0.5 is not in a subnet of "
              "network 'net1' (10.1.0.0/24)");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
        dhcp_port: {ip: 10.1.1.2}
)")),
              "lab.yaml:15:25: networks[0].subnets[0].dhcp_port.ip: 10.1.1.2 is outside the "
              "subnet 10.1.0.0/24");
}

TEST(LabSpecTest, InstanceOnUnknownHost) {
    EXPECT_EQ(specError(withHosts(R"(instances:
  - name: vm1
    host: compute2
)")),
              "lab.yaml:13:11: instances[0].host: unknown host 'compute2' (compute hosts: "
              "compute)");
    EXPECT_EQ(specError(withHosts(R"(instances:
  - name: vm1
    host: network
)")),
              "lab.yaml:13:11: instances[0].host: host 'network' is not a compute host");
}

TEST(LabSpecTest, UnknownNetworkInNic) {
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
instances:
  - name: vm1
    nics:
      - network: net2
)")),
              "lab.yaml:16:18: instances[0].nics[0].network: unknown network 'net2'");
}

TEST(LabSpecTest, UnknownReferences) {
    EXPECT_EQ(specError(withHosts(R"(routers:
  - name: r1
    interfaces:
      - subnet: sub9
)")),
              "lab.yaml:14:17: routers[0].interfaces[0].subnet: unknown subnet 'sub9'");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
routers:
  - name: r1
    gateway: {network: net1}
)")),
              "lab.yaml:15:24: routers[0].gateway.network: network 'net1' is not external "
              "(external: true)");
    EXPECT_EQ(specError(R"(version: 1
hosts:
  - name: network
    role: network
    management: {ip: 192.168.1.1/24}
    data: {ip: 10.0.0.1/24}
    local_vlans: {net1: 5}
)"),
              "lab.yaml:7:19: hosts[0].local_vlans.net1: unknown network 'net1'");
}

TEST(LabSpecTest, DuplicateHostNamesAndIds) {
    EXPECT_EQ(specError(withHosts(R"(  - name: compute
    role: compute
    management: {ip: 192.168.1.3/24}
    data: {ip: 10.0.0.3/24}
)")),
              "lab.yaml:11:11: hosts[2].name: duplicate host name 'compute' (first at "
              "hosts[1].name, line 7)");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    id: 224f79e0-8068-4ef7-8c79-2326bc0cf5c4
  - name: net2
    id: 224f79e0-8068-4ef7-8c79-2326bc0cf5c4
)")),
              "lab.yaml:15:9: networks[1].id: duplicate id "
              "'224f79e0-8068-4ef7-8c79-2326bc0cf5c4' (first at networks[0].id, line 13)");
    EXPECT_EQ(specError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
        dhcp_port: {id: p1}
ports:
  - {network: net1, id: p1}
)")),
              "lab.yaml:17:25: ports[0].id: duplicate port id 'p1' (first at "
              "networks[0].subnets[0].dhcp_port.id, line 15)");
}

}  // namespace
}  // namespace nlab::model
