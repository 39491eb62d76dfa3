// Lab files: the seed lab, the round trip, and one test per malformed case with the exact
// located message.

#include "model/lab_file.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <optional>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>

#include "model/agents/agents.h"
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

/// Compares 'actual' with the golden file tests/model/testdata/'name'; with
/// NLAB_UPDATE_GOLDEN=1 in the environment, rewrites the file instead (review the diff).
void expectGolden(const std::string& actual, const std::string& name) {
    const std::string path = NLAB_SOURCE_DIR "/tests/model/testdata/" + name;
    if (const char* update = std::getenv("NLAB_UPDATE_GOLDEN"); update && *update == '1') {
        std::ofstream(path, std::ios::binary) << actual;
    }
    EXPECT_EQ(actual, readFile(path)) << "golden file " << path;
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
              "lab.yaml:12:11: networks[0].name: expected a string, got a sequence");
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

// ---- stage 2: labs built through the Cloud -------------------------------------------

/// Every field of a TenantState, one object per line: equal states give equal text, and a
/// difference shows as a readable diff.
std::string describe(const TenantState& st) {
    std::ostringstream o;
    auto macs = [](const std::map<std::string, MacAddress>& m) {
        std::string out;
        for (const auto& [k, v] : m) out += k + "=" + v.toString() + " ";
        return out;
    };
    auto join = [](const std::vector<std::string>& v) {
        std::string out;
        for (const auto& x : v) out += x + ",";
        return out;
    };
    o << "tenant " << st.tenantId << "\n";
    for (const Host& h : st.hosts) {
        o << "host " << h.name << " " << static_cast<int>(h.role) << " "
          << h.managementIp.toString() << " " << h.managementMac.toString() << " "
          << h.dataIp.toString() << " " << h.dataMac.toString() << " /" << h.prefixLength << " "
          << h.externalNic << " " << h.ovsUuid << " " << h.libvirtDefaultNetwork << " ["
          << join(h.bridgeOrder) << "] [" << join(h.netnsOrder) << "] [" << macs(h.deviceMacs)
          << "]";
        for (const auto& [br, ports] : h.portOrder) o << " " << br << ":" << join(ports);
        for (const auto& [net, vlan] : h.localVlans) o << " vlan " << net << "=" << vlan;
        o << "\n";
    }
    for (const auto& [id, n] : st.networks) {
        o << "network " << id << " " << n.name << " " << n.tenantId << " " << toString(n.type)
          << " " << n.segmentationId << " " << n.physicalNetwork << " " << n.external
          << n.adminStateUp << n.shared << "\n";
    }
    for (const auto& [id, s] : st.subnets) {
        o << "subnet " << id << " " << s.name << " " << s.networkId << " " << s.tenantId << " "
          << s.cidr.toString() << " " << (s.gatewayIp ? s.gatewayIp->toString() : "-") << " "
          << s.enableDhcp;
        for (const auto& p : s.allocationPools) {
            o << " " << p.start.toString() << "-" << p.end.toString();
        }
        for (const auto& d : s.dnsNameservers) o << " dns " << d.toString();
        o << "\n";
    }
    for (const auto& [id, p] : st.ports) {
        o << "port " << id << " '" << p.name << "' " << p.networkId << " " << p.tenantId << " "
          << p.macAddress.toString() << " " << p.deviceOwner << " " << p.deviceId << " "
          << p.hostId << " " << p.adminStateUp;
        for (const auto& f : p.fixedIps) o << " " << f.subnetId << "/" << f.ipAddress.toString();
        o << "\n";
    }
    for (const auto& [id, r] : st.routers) {
        o << "router " << id << " " << r.name << " " << r.tenantId << " " << r.hostId << " "
          << r.gatewayNetworkId << " " << r.gatewayPortId << " " << r.enableSnat
          << r.adminStateUp << " " << join(r.interfacePortIds) << "\n";
    }
    for (const auto& [id, f] : st.floatingIps) {
        o << "floatingip " << id << " " << f.floatingNetworkId << " "
          << f.floatingIpAddress.toString() << " " << f.portId << " "
          << (f.fixedIpAddress ? f.fixedIpAddress->toString() : "-") << " " << f.routerId << " "
          << f.floatingPortId << " " << f.tenantId << "\n";
    }
    for (const auto& [id, i] : st.instances) {
        o << "instance " << id << " " << i.name << " " << i.hostId << " " << i.image << " "
          << i.flavor << " " << join(i.portIds) << " " << static_cast<int>(i.state) << " "
          << i.tenantId << "\n";
    }
    return o.str();
}

/// The first error loadLabText() reports.
std::string loadError(std::string_view text, LoadOptions options = {}) {
    LoadedLab lab = loadLabText(text, "lab.yaml", options);
    if (lab.error) return lab.error->toString();
    return lab ? "(no error)" : "(no cloud and no error)";
}

TEST(LabFileTest, SeedLabLoads) {
    LoadedLab lab = loadSeedLab();
    ASSERT_TRUE(lab) << lab.error->toString();
    EXPECT_FALSE(lab.error);
    const TenantState& st = lab.cloud->state();
    EXPECT_EQ(lab.cloud->seed(), 2014u);
    EXPECT_EQ(st.tenantId, "3f1d6a1e0b7c4d2f9a8e5c6b7d8e9f01");
    ASSERT_EQ(st.hosts.size(), 2u);
    EXPECT_EQ(st.hosts[0].ovsUuid, "909c85d0-ff4e-446b-bf8a-9166f0fccd24");
    EXPECT_EQ(st.hosts[1].dataMac.toString(), "00:0c:29:07:13:c9");
    EXPECT_EQ(st.hosts[0].localVlans.at("4e3f621f-d6b9-4438-be58-aa51d3c2e061"), 11);
    EXPECT_EQ(st.hosts[1].localVlans.at("70f7aa46-b66b-455e-896e-05f94a08fcb8"), 5);
    EXPECT_EQ(st.networks.size(), 4u);
    EXPECT_EQ(st.network("private3")->segmentationId, 4u);
    EXPECT_EQ(st.network("external")->type, NetworkType::Flat);
    EXPECT_EQ(st.subnet("dcdd699a-c4b0-4360-9219-c62cb6ed0b3e")->cidr.toString(), "10.10.10.0/24");
    EXPECT_EQ(st.ports.size(), 10u);
    const Port* vm1 = st.port("8cbe7bb6-18d9-4455-abce-473ebe5a9591");
    ASSERT_NE(vm1, nullptr);
    EXPECT_EQ(vm1->macAddress.toString(), "fa:16:3e:32:28:af");
    EXPECT_EQ(vm1->fixedIps.at(0).ipAddress.toString(), "10.10.10.7");
    EXPECT_EQ(vm1->deviceOwner, owner::kCompute);
    EXPECT_EQ(vm1->hostId, "compute");
    const Port* dhcp2 = st.port("ed034aae-1106-41b5-8b3f-2b8cb5776baf");
    ASSERT_NE(dhcp2, nullptr);
    EXPECT_EQ(dhcp2->deviceOwner, owner::kDhcp);
    EXPECT_EQ(dhcp2->macAddress.toString(), "fa:16:3e:fb:f3:33");
    const Router* r = st.router("router1");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->id, "040c1455-6096-4806-ba91-fec64cdaed81");
    EXPECT_EQ(r->gatewayPortId, "6f726a6c-412d-4d22-bcc7-eadedf407680");
    EXPECT_EQ(r->interfacePortIds,
              (std::vector<std::string>{"d8fd27a6-d1cf-46f4-8e0e-4965001d547a",
                                        "09208a89-0b45-4b80-bf11-2aee68b30eb1",
                                        "4debe62b-e44c-47c7-a5e5-b6a11da8d31c"}));
    EXPECT_EQ(st.port("4debe62b-e44c-47c7-a5e5-b6a11da8d31c")->fixedIps.at(0).ipAddress.toString(),
              "10.10.30.1");
    ASSERT_EQ(st.instances.size(), 3u);
    EXPECT_EQ(st.instance("instance3")->portIds,
              (std::vector<std::string>{"a6f975bb-605b-4f36-ad3f-669ccdab5fe5"}));
    // The agents realised the pinned local VLANs.
    Agents& agents = lab.cloud->agents();
    EXPECT_EQ(agents.localVlan("network", "224f79e0-8068-4ef7-8c79-2326bc0cf5c4"), 9);
    EXPECT_EQ(agents.localVlan("network", "70f7aa46-b66b-455e-896e-05f94a08fcb8"), 8);
    EXPECT_EQ(agents.localVlan("compute", "224f79e0-8068-4ef7-8c79-2326bc0cf5c4"), 4);
    EXPECT_EQ(agents.localVlan("compute", "70f7aa46-b66b-455e-896e-05f94a08fcb8"), 5);
    EXPECT_EQ(agents.localVlan("compute", "4e3f621f-d6b9-4438-be58-aa51d3c2e061"), std::nullopt);
}

TEST(LabFileTest, SeedLabPinsEveryPortOfTheScenario) {
    // ../shared/seed/SCENARIO.md, "Tenant objects": every port's id, MAC, IP and owner.
    struct Expected {
        const char* id;
        const char* mac;
        const char* ip;
        std::string_view owner;
        const char* network;
    };
    const Expected table[] = {
        {"d8fd27a6-d1cf-46f4-8e0e-4965001d547a", "fa:16:3e:2a:46:e0", "10.10.10.1",
         owner::kRouterInterface, "private1"},
        {"09208a89-0b45-4b80-bf11-2aee68b30eb1", "fa:16:3e:79:45:64", "10.10.20.1",
         owner::kRouterInterface, "private2"},
        {"4debe62b-e44c-47c7-a5e5-b6a11da8d31c", "fa:16:3e:75:b5:d4", "10.10.30.1",
         owner::kRouterInterface, "private3"},
        {"6f726a6c-412d-4d22-bcc7-eadedf407680", "fa:16:3e:fc:53:dc", "192.168.0.2",
         owner::kRouterGateway, "external"},
        {"78dd7f1e-53e6-4a2c-b166-5eef9add12b7", "fa:16:3e:3c:54:50", "10.10.10.2", owner::kDhcp,
         "private1"},
        {"ed034aae-1106-41b5-8b3f-2b8cb5776baf", "fa:16:3e:fb:f3:33", "10.10.20.2", owner::kDhcp,
         "private2"},
        {"708ee330-0c8a-41bd-a2f5-271ca9662151", "fa:16:3e:75:82:cd", "10.10.30.2", owner::kDhcp,
         "private3"},
        {"8cbe7bb6-18d9-4455-abce-473ebe5a9591", "fa:16:3e:32:28:af", "10.10.10.7",
         owner::kCompute, "private1"},
        {"dd2c3906-f8cf-48cd-85bf-d952a11eeab4", "fa:16:3e:53:9b:3b", "10.10.10.8",
         owner::kCompute, "private1"},
        {"a6f975bb-605b-4f36-ad3f-669ccdab5fe5", "fa:16:3e:cb:91:43", "10.10.20.7",
         owner::kCompute, "private2"},
    };
    LoadedLab lab = loadSeedLab();
    ASSERT_TRUE(lab) << lab.error->toString();
    const TenantState& st = lab.cloud->state();
    EXPECT_EQ(st.ports.size(), std::size(table));
    for (const Expected& e : table) {
        SCOPED_TRACE(e.id);
        const Port* p = st.port(e.id);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(p->macAddress.toString(), e.mac);
        ASSERT_EQ(p->fixedIps.size(), 1u);
        EXPECT_EQ(p->fixedIps[0].ipAddress.toString(), e.ip);
        EXPECT_EQ(p->deviceOwner, e.owner);
        EXPECT_EQ(p->networkId, st.network(e.network)->id);
    }
    // Subnets, tunnel ids and local VLANs per node.
    struct Net {
        const char* name;
        const char* subnet;
        const char* cidr;
        std::uint32_t tunId;
        std::optional<int> vlanNetwork, vlanCompute;
    };
    const Net nets[] = {
        {"private1", "dcdd699a-c4b0-4360-9219-c62cb6ed0b3e", "10.10.10.0/24", 1, 9, 4},
        {"private2", "f380d778-d576-4179-96df-cb3a2618dbd3", "10.10.20.0/24", 2, 8, 5},
        {"private3", "410a9d7c-6ae8-4059-954e-973529a933c5", "10.10.30.0/24", 4, 11, std::nullopt},
    };
    for (const Net& n : nets) {
        SCOPED_TRACE(n.name);
        const Network* net = st.network(n.name);
        ASSERT_NE(net, nullptr);
        EXPECT_EQ(net->segmentationId, n.tunId);
        const Subnet* sub = st.subnet(n.subnet);
        ASSERT_NE(sub, nullptr);
        EXPECT_EQ(sub->networkId, net->id);
        EXPECT_EQ(sub->cidr.toString(), n.cidr);
        EXPECT_EQ(lab.cloud->agents().localVlan("network", net->id), n.vlanNetwork);
        EXPECT_EQ(lab.cloud->agents().localVlan("compute", net->id), n.vlanCompute);
    }
    EXPECT_EQ(st.subnet("7b2cd216-1251-4eaa-9f05-b8cadc82bc1e")->cidr.toString(), "192.168.0.0/24");
    EXPECT_EQ(st.hosts[0].dataIp.toString(), "10.10.100.139");
    EXPECT_EQ(st.hosts[1].managementIp.toString(), "192.168.232.140");
    EXPECT_EQ(st.hosts[1].managementMac.toString(), "00:0c:29:07:13:bf");
    EXPECT_EQ(st.hosts[1].ovsUuid, "b5553502-95e4-4ad2-90a6-a3da02d3819d");
}

TEST(LabFileTest, SeedLabWithoutInstances) {
    LoadedLab lab = loadSeedLab(LoadOptions{true});
    ASSERT_TRUE(lab) << lab.error->toString();
    const TenantState& st = lab.cloud->state();
    EXPECT_TRUE(st.instances.empty());
    EXPECT_EQ(st.ports.size(), 10u);
    const Port* p = st.port("dd2c3906-f8cf-48cd-85bf-d952a11eeab4");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->deviceOwner, "");
    EXPECT_EQ(p->hostId, "");
    EXPECT_EQ(p->macAddress.toString(), "fa:16:3e:53:9b:3b");
    EXPECT_EQ(p->fixedIps.at(0).ipAddress.toString(), "10.10.10.8");
}

TEST(LabFileTest, SeedSavesAsGolden) {
    LoadedLab lab = loadSeedLab();
    ASSERT_TRUE(lab) << lab.error->toString();
    expectGolden(saveLab(*lab.cloud), "seed_saved.yaml");
}

TEST(LabFileTest, SeedRoundTrip) {
    for (bool withoutInstances : {false, true}) {
        SCOPED_TRACE(withoutInstances ? "without instances" : "with instances");
        LoadedLab first = loadSeedLab(LoadOptions{withoutInstances});
        ASSERT_TRUE(first) << first.error->toString();
        const std::string saved = saveLab(*first.cloud);
        LoadedLab second = loadLabText(saved, "saved.yaml");
        ASSERT_TRUE(second) << second.error->toString();
        EXPECT_EQ(describe(second.cloud->state()), describe(first.cloud->state()));
        EXPECT_EQ(saveLab(*second.cloud), saved);
    }
}

TEST(LabFileTest, SeedAfterCommandsRoundTrips) {
    // The seed changed the way a session changes it: an instance deleted, one booted with
    // generated values, a floating IP, a spare port.
    LoadedLab lab = loadSeedLab();
    ASSERT_TRUE(lab) << lab.error->toString();
    Cloud& cloud = *lab.cloud;
    ASSERT_TRUE(cloud.deleteInstance("instance2"));
    InstanceRequest boot;
    boot.name = "instance4";
    NicRequest nic;
    nic.network = "private3";
    boot.nics = {nic};
    ASSERT_TRUE(cloud.bootInstance(boot));
    FloatingIpRequest floating;
    floating.network = "external";
    floating.portId = "8cbe7bb6-18d9-4455-abce-473ebe5a9591";
    auto fip = cloud.createFloatingIp(floating);
    ASSERT_TRUE(fip) << fip.error().message;
    ASSERT_TRUE(cloud.createPort("private2"));
    const std::string saved = saveLab(cloud);
    LoadedLab again = loadLabText(saved, "saved.yaml");
    ASSERT_TRUE(again) << again.error->toString() << "\n" << saved;
    EXPECT_EQ(describe(again.cloud->state()), describe(cloud.state()));
    EXPECT_EQ(saveLab(*again.cloud), saved);
}

TEST(LabFileTest, LabBuiltByCommandsRoundTrips) {
    // Nothing pinned: ids, MACs, IPs, tunnel ids, the tenant and the OVS uuids are all
    // generated; two networks and two subnets share a name (references fall back to ids);
    // one network has two DHCP subnets (one DHCP port with two addresses).
    Cloud cloud(7);
    Host network;
    network.name = "network";
    network.role = HostRole::Network;
    network.managementIp = Ipv4Address::fromOctets(192, 168, 1, 1);
    network.dataIp = Ipv4Address::fromOctets(10, 0, 0, 1);
    ASSERT_TRUE(cloud.addHost(network));
    Host compute;
    compute.name = "compute";
    compute.managementIp = Ipv4Address::fromOctets(192, 168, 1, 2);
    compute.dataIp = Ipv4Address::fromOctets(10, 0, 0, 2);
    compute.dataMac = MacAddress::fromU64(0x000c29000002);
    ASSERT_TRUE(cloud.addHost(compute));
    NetworkRequest ext;
    ext.name = "ext";
    ext.type = NetworkType::Flat;
    ext.external = true;
    ASSERT_TRUE(cloud.createNetwork(ext));
    SubnetRequest extSubnet;
    extSubnet.network = "ext";
    extSubnet.cidr = "172.24.4.0/24";
    extSubnet.enableDhcp = false;
    ASSERT_TRUE(cloud.createSubnet(extSubnet));
    NetworkRequest gre;
    gre.name = "net1";
    auto net1 = cloud.createNetwork(gre);
    ASSERT_TRUE(net1);
    const std::string net1Id = net1.value()->id;
    NetworkRequest vxlan;
    vxlan.name = "net1";
    vxlan.type = NetworkType::Vxlan;
    auto net1b = cloud.createNetwork(vxlan);
    ASSERT_TRUE(net1b);
    const std::string net1bId = net1b.value()->id;
    SubnetRequest a;
    a.network = net1Id;
    a.cidr = "10.1.0.0/24";
    a.name = "a";
    auto subnetA = cloud.createSubnet(a);
    ASSERT_TRUE(subnetA) << subnetA.error().message;
    const std::string aId = subnetA.value()->id;
    SubnetRequest b;
    b.network = net1Id;
    b.cidr = "10.1.1.0/24";
    b.name = "b";
    b.noGateway = true;
    b.dnsNameservers = {Ipv4Address::fromOctets(8, 8, 8, 8)};
    ASSERT_TRUE(cloud.createSubnet(b));
    SubnetRequest a2;
    a2.network = net1bId;
    a2.cidr = "10.2.0.0/24";
    a2.name = "a";
    ASSERT_TRUE(cloud.createSubnet(a2));
    RouterRequest router;
    router.name = "r1";
    ASSERT_TRUE(cloud.createRouter(router));
    ASSERT_TRUE(cloud.setRouterGateway("r1", "ext"));
    ASSERT_TRUE(cloud.addRouterInterface("r1", aId));
    PortPin spare;
    spare.name = "spare";
    ASSERT_TRUE(cloud.createPort(net1Id, spare));
    InstanceRequest boot;
    boot.name = "vm 1";
    boot.host = "compute";
    boot.image = "cirros-0.3.1-x86_64";
    NicRequest nic1;
    nic1.network = net1Id;
    nic1.port.subnet = aId;
    NicRequest nic2;
    nic2.network = net1bId;
    boot.nics = {nic1, nic2};
    auto vm = cloud.bootInstance(boot);
    ASSERT_TRUE(vm) << vm.error().message;
    FloatingIpRequest floating;
    floating.network = "ext";
    floating.portId = vm.value()->portIds.at(0);
    auto fip = cloud.createFloatingIp(floating);
    ASSERT_TRUE(fip) << fip.error().message;

    const std::string saved = saveLab(cloud);
    LoadedLab loaded = loadLabText(saved, "saved.yaml");
    ASSERT_TRUE(loaded) << loaded.error->toString() << "\n" << saved;
    EXPECT_EQ(describe(loaded.cloud->state()), describe(cloud.state()));
    EXPECT_EQ(saveLab(*loaded.cloud), saved);
    expectGolden(saved, "commands_saved.yaml");
}

TEST(LabFileTest, CloudErrorsAreLocatedAtTheObject) {
    // What only the Cloud checks (Neutron's own validation) is reported at the object whose
    // operation failed, with the Cloud's message.
    EXPECT_EQ(
        loadError(withHosts(R"(  - name: network2
    role: network
    management: {ip: 192.168.1.3/24}
    data: {ip: 10.0.0.3/24}
)")),
        "lab.yaml:11:5: hosts[2]: Host 'network2' cannot be a network node: 'network' already "
        "runs the L3 and DHCP agents (one network node per lab)");
    EXPECT_EQ(
        loadError(withHosts(R"(networks:
  - name: ext
    type: flat
    physical_network: physnet2
)")),
        "lab.yaml:12:5: networks[0]: Invalid input for operation: physical_network 'physnet2' "
        "unknown for flat provider network.");
    EXPECT_EQ(loadError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
        allocation_pools: [{start: 10.1.0.10, end: 10.1.1.20}]
)")),
              "lab.yaml:14:9: networks[0].subnets[0]: The allocation pool {u'start': u'10.1.0.10', "
              "u'end': u'10.1.1.20'} spans beyond the subnet cidr 10.1.0.0/24.");
    EXPECT_EQ(loadError(withHosts(R"(networks:
  - name: net1
    subnets:
      - name: sub1
        cidr: 10.1.0.0/24
        gateway: null
routers:
  - name: r1
    interfaces:
      - subnet: sub1
)")),
              "lab.yaml:20:9: routers[0].interfaces[0]: Bad router request: Subnet for router "
              "interface must have a gateway IP");
    EXPECT_EQ(
        loadError(withHosts(R"(networks:
  - name: net1
    subnets:
      - cidr: 10.1.0.0/24
instances:
  - name: vm1
    host: compute
    nics:
      - network: net1
        port: {ip: 10.1.0.255}
)")),
        "lab.yaml:16:5: instances[0]: Invalid input for operation: IP address 10.1.0.255 is not "
        "a valid IP for the defined networks subnets.");
}

TEST(LabFileTest, NamesThatNeedQuotingRoundTrip) {
    LoadedLab lab = loadLabText(kHosts, "hosts.yaml");
    ASSERT_TRUE(lab) << lab.error->toString();
    Cloud& cloud = *lab.cloud;
    const char* names[] = {"", "yes", "a: b {x}", "5", "#hash", "-x", "null", "1e3", "0x1f"};
    int third = 0;
    for (const char* name : names) {
        NetworkRequest n;
        n.name = name;
        auto net = cloud.createNetwork(n);
        ASSERT_TRUE(net) << net.error().message;
        SubnetRequest sr;
        sr.network = net.value()->id;
        sr.cidr = "10.9." + std::to_string(third++) + ".0/24";
        sr.name = name;
        ASSERT_TRUE(cloud.createSubnet(sr));
        PortPin pin;
        pin.name = name;
        ASSERT_TRUE(cloud.createPort(net.value()->id, pin));
    }
    RouterRequest router;
    router.name = "";
    ASSERT_TRUE(cloud.createRouter(router));
    InstanceRequest boot;
    boot.name = "vm\t\"q\"\\";
    NicRequest nic;
    nic.network = cloud.state().network("yes")->id;
    boot.nics = {nic};
    ASSERT_TRUE(cloud.bootInstance(boot));
    const std::string saved = saveLab(cloud);
    LoadedLab again = loadLabText(saved, "saved.yaml");
    ASSERT_TRUE(again) << again.error->toString() << "\n" << saved;
    EXPECT_EQ(describe(again.cloud->state()), describe(cloud.state()));
    EXPECT_EQ(saveLab(*again.cloud), saved);
    EXPECT_NE(saved.find("  - name: \"vm\\t\\\"q\\\"\\\\\"\n"), std::string::npos) << saved;
}

TEST(LabFileTest, StageOneErrorsThroughLoad) {
    EXPECT_EQ(loadError("version: 1\nnetwork: []\n"),
              "lab.yaml:2:1: network: unknown key 'network' (allowed: version, seed, tenant, "
              "hosts, networks, routers, ports, instances, floating_ips)");
}

TEST(LabFileTest, FileNotFound) {
    LoadedLab lab = loadLabFile("/nonexistent/dir/lab.yaml");
    EXPECT_FALSE(lab);
    ASSERT_TRUE(lab.error);
    EXPECT_EQ(lab.error->toString(),
              "/nonexistent/dir/lab.yaml: cannot open: No such file or directory");
}

TEST(LabFileTest, SaveLabFileIsAtomicAndReadable) {
    LoadedLab lab = loadSeedLab();
    ASSERT_TRUE(lab) << lab.error->toString();
    const std::string path = ::testing::TempDir() + "lab_file_test_seed.yaml";
    std::remove(path.c_str());
    ASSERT_TRUE(saveLabFile(*lab.cloud, path));
    EXPECT_EQ(readFile(path), saveLab(*lab.cloud));
    EXPECT_FALSE(std::ifstream(path + ".tmp").good());
    LoadedLab again = loadLabFile(path);
    ASSERT_TRUE(again) << again.error->toString();
    EXPECT_EQ(describe(again.cloud->state()), describe(lab.cloud->state()));
    std::remove(path.c_str());

    engine::Status bad = saveLabFile(*lab.cloud, "/nonexistent/dir/lab.yaml");
    EXPECT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::NotFound);
    EXPECT_EQ(bad.error().message,
              "cannot write /nonexistent/dir/lab.yaml.tmp: No such file or directory");
}

}  // namespace
}  // namespace nlab::model
