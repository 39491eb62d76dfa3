// Cloud: validation as the Neutron server and Nova API do it (exact messages), generated
// values (uuid4, fa:16:3e MACs, addresses, segmentation ids), the ports each operation
// creates, and "a failed operation changes nothing".
#include "model/cloud.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "model/agents/agents.h"
#include "model/ids.h"
#include "model/ipam.h"

namespace nlab::model {
namespace {

using engine::ErrorCode;

Ipv4Address ip(const char* s) { return *Ipv4Address::parse(s); }
MacAddress mac(const char* s) { return *MacAddress::parse(s); }

Host makeHost(const char* name, HostRole role, int last) {
    Host h;
    h.name = name;
    h.role = role;
    h.managementIp = Ipv4Address::fromOctets(192, 168, 232, last);
    h.dataIp = Ipv4Address::fromOctets(10, 10, 100, last);
    return h;
}

/// A network node and a compute node, as `neutronlab-cli` builds them from a lab file.
class CloudTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(cloud.addHost(makeHost("network", HostRole::Network, 139)).ok());
        ASSERT_TRUE(cloud.addHost(makeHost("compute", HostRole::Compute, 140)).ok());
    }

    const Network* net(const std::string& name, std::optional<std::uint32_t> seg = std::nullopt) {
        NetworkRequest r;
        r.name = name;
        r.segmentationId = seg;
        auto n = cloud.createNetwork(r);
        EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message);
        return n.ok() ? n.value() : nullptr;
    }

    const Subnet* subnet(const std::string& network, const std::string& cidr, bool dhcp = true) {
        SubnetRequest r;
        r.network = network;
        r.cidr = cidr;
        r.name = network + "-subnet";
        r.enableDhcp = dhcp;
        auto s = cloud.createSubnet(r);
        EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
        return s.ok() ? s.value() : nullptr;
    }

    /// The external network of the seed: flat on physnet1, 192.168.0.0/24, pool .2-.100.
    const Network* external() {
        NetworkRequest r;
        r.name = "external";
        r.type = NetworkType::Flat;
        r.external = true;
        auto n = cloud.createNetwork(r);
        EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message);
        SubnetRequest s;
        s.network = "external";
        s.cidr = "192.168.0.0/24";
        s.gatewayIp = ip("192.168.0.1");
        s.allocationPools = {{ip("192.168.0.2"), ip("192.168.0.100")}};
        s.enableDhcp = false;
        auto sub = cloud.createSubnet(s);
        EXPECT_TRUE(sub.ok()) << (sub.ok() ? "" : sub.error().message);
        return n.ok() ? n.value() : nullptr;
    }

    Result<const Instance*> boot(const std::string& name, const std::string& network,
                                 std::optional<Ipv4Address> fixed = std::nullopt) {
        InstanceRequest r;
        r.name = name;
        NicRequest nic;
        nic.network = network;
        nic.port.ip = fixed;
        r.nics.push_back(nic);
        return cloud.bootInstance(r);
    }

    std::size_t objectCount() const {
        const TenantState& s = cloud.state();
        return s.networks.size() + s.subnets.size() + s.ports.size() + s.routers.size() +
               s.floatingIps.size() + s.instances.size();
    }

    Cloud cloud{7};
};

// ---- generated values

TEST(CloudIds, Uuid4HasVersionAndVariantBitsAndIsSeeded) {
    Cloud a(42);
    Cloud b(42);
    Cloud c(43);
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string u = a.generateUuid();
        ASSERT_EQ(u.size(), 36u);
        EXPECT_TRUE(looksLikeUuid(u)) << u;
        EXPECT_EQ(u[14], '4') << u;
        EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
        EXPECT_EQ(u, b.generateUuid());
        seen.insert(u);
    }
    EXPECT_EQ(seen.size(), 200u);
    Cloud d(42);
    EXPECT_NE(c.generateUuid(), d.generateUuid());
}

TEST(CloudIds, MacsAreNeutronsBaseMac) {
    Cloud a(5);
    for (int i = 0; i < 50; ++i) {
        const std::string m = a.generateMac().toString();
        EXPECT_EQ(m.substr(0, 9), "fa:16:3e:") << m;
    }
}

TEST(CloudIds, Uuid5AndDigestsMatchPython) {
    // python: uuid.uuid5(uuid.NAMESPACE_DNS, 'network'), hashlib.sha1/sha224(b'abc').
    EXPECT_EQ(uuid5Dns("network"), "7b60c1d9-602e-5110-8c89-a9475b89732c");
    EXPECT_EQ(sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(sha224Hex("abc"), "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
    EXPECT_EQ(isoTime(1397692800), "2014-04-17T00:00:00Z");
    EXPECT_EQ(isoTime(951782400 + 86399), "2000-02-29T23:59:59Z");
}

TEST(Ipam, DefaultPoolsSplitAroundTheGateway) {
    const Cidr c = *Cidr::parse("10.10.10.0/24");
    auto pools = ipam::defaultPools(c, ip("10.10.10.1"));
    ASSERT_EQ(pools.size(), 1u);
    EXPECT_EQ(pools[0], (AllocationPool{ip("10.10.10.2"), ip("10.10.10.254")}));
    pools = ipam::defaultPools(c, ip("10.10.10.100"));
    ASSERT_EQ(pools.size(), 2u);
    EXPECT_EQ(pools[0], (AllocationPool{ip("10.10.10.1"), ip("10.10.10.99")}));
    EXPECT_EQ(pools[1], (AllocationPool{ip("10.10.10.101"), ip("10.10.10.254")}));
    pools = ipam::defaultPools(c, std::nullopt);
    ASSERT_EQ(pools.size(), 1u);
    EXPECT_EQ(pools[0], (AllocationPool{ip("10.10.10.1"), ip("10.10.10.254")}));
    EXPECT_TRUE(ipam::defaultPools(*Cidr::parse("10.0.0.1/32"), std::nullopt).empty());
}

TEST(Ipam, CidrArgumentsAsTheApiAcceptsThem) {
    auto p = ipam::parseCidr("10.10.10.5/24");
    ASSERT_TRUE(p.cidr);
    EXPECT_EQ(p.cidr->toString(), "10.10.10.0/24");
    EXPECT_EQ(ipam::parseCidr("10.10.10.0").error,
              "'10.10.10.0' isn't a recognized IP subnet cidr, '10.10.10.0/32' is recommended");
    EXPECT_EQ(ipam::parseCidr("10.10.10.0/33").error, "'10.10.10.0/33' is not a valid IP subnet");
    EXPECT_EQ(ipam::parseCidr("ten/8").error, "'ten/8' is not a valid IP subnet");
}

// ---- hosts and networks

TEST_F(CloudTest, HostsAreUniqueWithOneNetworkNode) {
    auto dup = cloud.addHost(makeHost("compute", HostRole::Compute, 141));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(dup.error().message, "Host 'compute' already exists");
    auto second = cloud.addHost(makeHost("network2", HostRole::Network, 142));
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().message,
              "Host 'network2' cannot be a network node: 'network' already runs the L3 and DHCP "
              "agents (one network node per lab)");
    auto sameData = cloud.addHost(makeHost("compute2", HostRole::Compute, 140));
    ASSERT_FALSE(sameData.ok());
    EXPECT_EQ(sameData.error().message,
              "Data address 10.10.100.140 of host 'compute2' is already the tunnel endpoint of "
              "host 'compute'");
    EXPECT_EQ(cloud.state().hosts.size(), 2u);
    EXPECT_FALSE(cloud.state().hosts[0].ovsUuid.empty());
}

TEST_F(CloudTest, SegmentationIdsAreTheLowestFreePerType) {
    EXPECT_EQ(net("a")->segmentationId, 1u);
    EXPECT_EQ(net("b", 4)->segmentationId, 4u);
    EXPECT_EQ(net("c")->segmentationId, 2u);
    EXPECT_EQ(net("d")->segmentationId, 3u);
    EXPECT_EQ(net("e")->segmentationId, 5u);
    NetworkRequest vx;
    vx.name = "v";
    vx.type = NetworkType::Vxlan;
    EXPECT_EQ(cloud.createNetwork(vx).value()->segmentationId, 1u);

    NetworkRequest taken;
    taken.name = "f";
    taken.segmentationId = 4;
    auto r = cloud.createNetwork(taken);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(r.error().message, "Unable to create the network. The tunnel ID 4 is in use.");
    EXPECT_EQ(cloud.state().networks.size(), 6u);
    const Network* a = cloud.state().network("a");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->tenantId.size(), 32u);
    EXPECT_TRUE(looksLikeUuid(a->id));
}

TEST_F(CloudTest, FlatNetworksAsMl2ValidatesThem) {
    NetworkRequest r;
    r.name = "ext";
    r.type = NetworkType::Flat;
    r.segmentationId = 3;
    EXPECT_EQ(cloud.createNetwork(r).error().message,
              "Invalid input for operation: segmentation_id prohibited for flat provider network.");
    r.segmentationId.reset();
    r.physicalNetwork = "physnet9";
    EXPECT_EQ(cloud.createNetwork(r).error().message,
              "Invalid input for operation: physical_network 'physnet9' unknown for flat provider "
              "network.");
    r.physicalNetwork = "physnet1";
    ASSERT_TRUE(cloud.createNetwork(r).ok());
    EXPECT_EQ(cloud.state().network("ext")->segmentationId, 0u);
    EXPECT_EQ(cloud.state().network("ext")->physicalNetwork, "physnet1");
    r.name = "ext2";
    EXPECT_EQ(cloud.createNetwork(r).error().message,
              "Unable to create the flat network. Physical network physnet1 is in use.");
}

// ---- subnets

TEST_F(CloudTest, SubnetDefaultsAndTheDhcpPort) {
    const Network* n = net("private1");
    const Subnet* s = subnet("private1", "10.10.10.0/24");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->networkId, n->id);
    EXPECT_EQ(s->cidr.toString(), "10.10.10.0/24");
    EXPECT_EQ(s->gatewayIp, ip("10.10.10.1"));
    ASSERT_EQ(s->allocationPools.size(), 1u);
    EXPECT_EQ(s->allocationPools[0], (AllocationPool{ip("10.10.10.2"), ip("10.10.10.254")}));
    auto ports = cloud.state().portsOf(n->id);
    ASSERT_EQ(ports.size(), 1u);
    const Port& dhcp = *ports[0];
    EXPECT_EQ(dhcp.deviceOwner, owner::kDhcp);
    EXPECT_EQ(dhcp.deviceId, "dhcp7b60c1d9-602e-5110-8c89-a9475b89732c-" + n->id);
    EXPECT_EQ(dhcp.hostId, "network");
    ASSERT_EQ(dhcp.fixedIps.size(), 1u);
    EXPECT_EQ(dhcp.fixedIps[0], (FixedIp{s->id, ip("10.10.10.2")}));
    EXPECT_EQ(dhcp.macAddress.toString().substr(0, 9), "fa:16:3e:");
    EXPECT_NE(cloud.agents().dhcpServer(n->id), nullptr);
}

TEST_F(CloudTest, SubnetWithoutDhcpHasNoPortAndHostBitsAreCleared) {
    const Network* n = net("p");
    const Subnet* s = subnet("p", "10.1.2.77/16", false);
    EXPECT_EQ(s->cidr.toString(), "10.1.0.0/16");
    EXPECT_EQ(s->gatewayIp, ip("10.1.0.1"));
    EXPECT_TRUE(cloud.state().portsOf(n->id).empty());
}

TEST_F(CloudTest, SubnetValidationMessages) {
    const Network* n = net("private1");
    subnet("private1", "10.10.10.0/24");
    const std::size_t before = objectCount();
    auto make = [&](auto edit) {
        SubnetRequest r;
        r.network = "private1";
        r.cidr = "10.10.20.0/24";
        edit(r);
        auto s = cloud.createSubnet(r);
        EXPECT_FALSE(s.ok());
        return s.ok() ? std::string("ok") : s.error().message;
    };
    EXPECT_EQ(make([](SubnetRequest& r) { r.cidr = "10.10.10.128/25"; }),
              "Invalid input for operation: Requested subnet with cidr: 10.10.10.128/25 for "
              "network: " + n->id + " overlaps with another subnet.");
    EXPECT_EQ(make([](SubnetRequest& r) { r.cidr = "10.10.0.0/16"; }),
              "Invalid input for operation: Requested subnet with cidr: 10.10.0.0/16 for "
              "network: " + n->id + " overlaps with another subnet.");
    EXPECT_EQ(make([](SubnetRequest& r) { r.cidr = "10.10.20.0/40"; }),
              "Invalid input for cidr. Reason: '10.10.20.0/40' is not a valid IP subnet.");
    EXPECT_EQ(make([](SubnetRequest& r) { r.network = "nope"; }),
              "Network nope could not be found");
    EXPECT_EQ(make([](SubnetRequest& r) { r.gatewayIp = ip("10.10.30.1"); }),
              "Invalid input for operation: Gateway is not valid on subnet.");
    EXPECT_EQ(make([](SubnetRequest& r) { r.gatewayIp = ip("10.10.20.255"); }),
              "Invalid input for operation: Gateway is not valid on subnet.");
    EXPECT_EQ(make([](SubnetRequest& r) {
                  r.allocationPools = {{ip("10.10.20.50"), ip("10.10.20.20")}};
              }),
              "The allocation pool {u'start': u'10.10.20.50', u'end': u'10.10.20.20'} is not valid.");
    EXPECT_EQ(make([](SubnetRequest& r) {
                  r.allocationPools = {{ip("10.10.20.2"), ip("10.10.21.20")}};
              }),
              "The allocation pool {u'start': u'10.10.20.2', u'end': u'10.10.21.20'} spans beyond "
              "the subnet cidr 10.10.20.0/24.");
    EXPECT_EQ(make([](SubnetRequest& r) {
                  r.allocationPools = {{ip("10.10.20.2"), ip("10.10.20.20")},
                                       {ip("10.10.20.10"), ip("10.10.20.30")}};
              }),
              "Found overlapping allocation pools:{u'start': u'10.10.20.2', u'end': u'10.10.20.20'} "
              "{u'start': u'10.10.20.10', u'end': u'10.10.20.30'} for subnet 10.10.20.0/24.");
    EXPECT_EQ(make([](SubnetRequest& r) {
                  r.allocationPools = {{ip("10.10.20.1"), ip("10.10.20.20")}};
              }),
              "Gateway ip 10.10.20.1 conflicts with allocation pool 10.10.20.1-10.10.20.20");
    EXPECT_EQ(make([](SubnetRequest& r) {
                  r.dnsNameservers = {ip("8.8.8.8"), ip("8.8.8.8")};
              }),
              "Invalid input for dns_nameservers. Reason: Duplicate nameserver '8.8.8.8'.");
    EXPECT_EQ(objectCount(), before);
}

// ---- ports

TEST_F(CloudTest, PortsTakeTheLowestFreeAddressAndCheckPins) {
    const Network* n = net("private1");
    const Subnet* s = subnet("private1", "10.10.10.0/24");
    auto p1 = cloud.createPort("private1");
    ASSERT_TRUE(p1.ok());
    EXPECT_EQ(p1.value()->fixedIps, (std::vector<FixedIp>{{s->id, ip("10.10.10.3")}}));
    EXPECT_EQ(p1.value()->deviceOwner, "");
    EXPECT_EQ(p1.value()->hostId, "");
    PortPin pin;
    pin.ip = ip("10.10.10.5");
    pin.mac = mac("fa:16:3e:00:00:05");
    ASSERT_TRUE(cloud.createPort(n->id, pin).ok());
    auto p3 = cloud.createPort("private1");
    EXPECT_EQ(p3.value()->fixedIps[0].ipAddress, ip("10.10.10.4"));
    auto p4 = cloud.createPort("private1");
    EXPECT_EQ(p4.value()->fixedIps[0].ipAddress, ip("10.10.10.6"));

    const std::size_t before = objectCount();
    pin.mac.reset();
    auto inUse = cloud.createPort("private1", pin);
    ASSERT_FALSE(inUse.ok());
    EXPECT_EQ(inUse.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(inUse.error().message, "Unable to complete operation for network " + n->id +
                                         ". The IP address 10.10.10.5 is in use.");
    pin.ip = ip("10.10.10.9");
    pin.mac = mac("fa:16:3e:00:00:05");
    EXPECT_EQ(cloud.createPort("private1", pin).error().message,
              "Unable to complete operation for network " + n->id +
                  ". The mac address fa:16:3e:00:00:05 is in use.");
    pin.mac.reset();
    pin.ip = ip("10.10.99.9");
    EXPECT_EQ(cloud.createPort("private1", pin).error().message,
              "Invalid input for operation: IP address 10.10.99.9 is not a valid IP for the "
              "defined networks subnets.");
    pin.ip = ip("10.10.10.255");
    EXPECT_EQ(cloud.createPort("private1", pin).error().message,
              "Invalid input for operation: IP address 10.10.10.255 is not a valid IP for the "
              "defined networks subnets.");
    EXPECT_EQ(cloud.createPort("nope").error().message, "Network nope could not be found");
    EXPECT_EQ(objectCount(), before);
}

TEST_F(CloudTest, PoolExhaustion) {
    const Network* n = net("tiny");
    SubnetRequest r;
    r.network = "tiny";
    r.cidr = "10.0.0.0/29";
    r.allocationPools = {{ip("10.0.0.2"), ip("10.0.0.3")}};
    ASSERT_TRUE(cloud.createSubnet(r).ok());  // DHCP port: .2
    ASSERT_TRUE(cloud.createPort("tiny").ok());  // .3
    auto full = cloud.createPort("tiny");
    ASSERT_FALSE(full.ok());
    EXPECT_EQ(full.error().message, "No more IP addresses available on network " + n->id + ".");
    PortPin outside;  // Addresses outside the pools are still valid when asked for.
    outside.ip = ip("10.0.0.6");
    EXPECT_TRUE(cloud.createPort("tiny", outside).ok());
}

TEST_F(CloudTest, FailedOperationsLeaveTheGeneratorAlone) {
    Cloud twin(7);
    ASSERT_TRUE(twin.addHost(makeHost("network", HostRole::Network, 139)).ok());
    ASSERT_TRUE(twin.addHost(makeHost("compute", HostRole::Compute, 140)).ok());
    net("a");
    NetworkRequest a;
    a.name = "a";
    ASSERT_TRUE(twin.createNetwork(a).ok());
    // A failed boot (unknown network after a good NIC) must not consume ids or MACs.
    subnet("a", "10.0.0.0/24");
    SubnetRequest s;
    s.network = "a";
    s.cidr = "10.0.0.0/24";
    s.name = "a-subnet";
    ASSERT_TRUE(twin.createSubnet(s).ok());
    InstanceRequest bad;
    bad.name = "vm";
    bad.nics = {NicRequest{"a", "", {}}, NicRequest{"missing", "", {}}};
    auto r = cloud.bootInstance(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "Network missing could not be found.");
    EXPECT_TRUE(cloud.state().instances.empty());
    EXPECT_EQ(cloud.state().ports.size(), 1u);
    EXPECT_EQ(cloud.generateUuid(), twin.generateUuid());
}

// ---- instances

TEST_F(CloudTest, BootCreatesBoundComputePorts) {
    const Network* n = net("private1");
    const Subnet* s = subnet("private1", "10.10.10.0/24");
    auto i1 = boot("instance1", "private1");
    ASSERT_TRUE(i1.ok()) << i1.error().message;
    const Instance& inst = *i1.value();
    EXPECT_EQ(inst.hostId, "compute");
    EXPECT_EQ(inst.image, "cirros-0.3.2-x86_64");
    EXPECT_EQ(inst.flavor, "m1.tiny");
    ASSERT_EQ(inst.portIds.size(), 1u);
    const Port* p = cloud.state().port(inst.portIds[0]);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->deviceOwner, owner::kCompute);
    EXPECT_EQ(p->deviceId, inst.id);
    EXPECT_EQ(p->hostId, "compute");
    EXPECT_EQ(p->networkId, n->id);
    EXPECT_EQ(p->fixedIps, (std::vector<FixedIp>{{s->id, ip("10.10.10.3")}}));
    EXPECT_NE(cloud.vm("instance1"), nullptr);
    EXPECT_EQ(cloud.agents().localVlan("compute", n->id), 1);

    auto i2 = boot("instance2", "private1", ip("10.10.10.8"));
    ASSERT_TRUE(i2.ok());
    EXPECT_EQ(cloud.state().port(i2.value()->portIds[0])->fixedIps[0].ipAddress, ip("10.10.10.8"));
}

TEST_F(CloudTest, BootValidation) {
    net("private1");
    subnet("private1", "10.10.10.0/24");
    ASSERT_TRUE(boot("instance1", "private1").ok());
    const std::size_t before = objectCount();
    auto dup = boot("instance1", "private1");
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(dup.error().message.substr(0, 41), "An instance named 'instance1' already exi");

    InstanceRequest r;
    r.name = "x";
    r.host = "network";
    r.nics = {NicRequest{"private1", "", {}}};
    EXPECT_EQ(cloud.bootInstance(r).error().message, "Host 'network' is not a compute host");
    r.host = "nowhere";
    EXPECT_EQ(cloud.bootInstance(r).error().message, "Host 'nowhere' is not a compute host");
    r.host.clear();
    r.flavor = "m1.huge";
    EXPECT_EQ(cloud.bootInstance(r).error().message, "Flavor m1.huge could not be found.");
    r.flavor = "m1.tiny";
    r.nics = {NicRequest{"", "no-such-port", {}}};
    EXPECT_EQ(cloud.bootInstance(r).error().message, "Port no-such-port could not be found.");
    const std::string used = cloud.state().instance("instance1")->portIds[0];
    r.nics = {NicRequest{"", used, {}}};
    EXPECT_EQ(cloud.bootInstance(r).error().message, "Port " + used + " is still in use.");
    EXPECT_EQ(boot("y", "private1", ip("10.10.10.3")).error().message,
              "Unable to complete operation for network " + cloud.state().network("private1")->id +
                  ". The IP address 10.10.10.3 is in use.");
    EXPECT_EQ(objectCount(), before);
}

TEST_F(CloudTest, BootWithAPreCreatedPortAndLeastLoadedHost) {
    ASSERT_TRUE(cloud.addHost(makeHost("compute2", HostRole::Compute, 141)).ok());
    net("private1");
    subnet("private1", "10.10.10.0/24");
    PortPin pin;
    pin.id = "8cbe7bb6-18d9-4455-abce-473ebe5a9591";
    pin.mac = mac("fa:16:3e:32:28:af");
    pin.ip = ip("10.10.10.7");
    ASSERT_TRUE(cloud.createPort("private1", pin).ok());
    InstanceRequest r;
    r.name = "instance1";
    r.nics = {NicRequest{"", pin.id, {}}};
    auto i1 = cloud.bootInstance(r);
    ASSERT_TRUE(i1.ok()) << i1.error().message;
    EXPECT_EQ(i1.value()->hostId, "compute");
    const Port* p = cloud.state().port(pin.id);
    EXPECT_EQ(p->deviceId, i1.value()->id);
    EXPECT_EQ(p->deviceOwner, owner::kCompute);
    EXPECT_EQ(p->hostId, "compute");
    auto i2 = boot("instance2", "private1");
    ASSERT_TRUE(i2.ok());
    EXPECT_EQ(i2.value()->hostId, "compute2");
    auto i3 = boot("instance3", "private1");
    EXPECT_EQ(i3.value()->hostId, "compute");
}

TEST_F(CloudTest, DeleteInstanceDeletesItsPortsAndFreesTheAddress) {
    net("private1");
    subnet("private1", "10.10.10.0/24");
    auto i1 = boot("instance1", "private1");
    ASSERT_TRUE(i1.ok());
    const std::string port = i1.value()->portIds[0];
    ASSERT_TRUE(cloud.deleteInstance("instance1").ok());
    EXPECT_TRUE(cloud.state().instances.empty());
    EXPECT_EQ(cloud.state().port(port), nullptr);
    EXPECT_EQ(cloud.vm("instance1"), nullptr);
    EXPECT_EQ(cloud.deleteInstance("instance1").error().message,
              "Instance instance1 could not be found.");
    auto again = boot("instance1", "private1");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(cloud.state().port(again.value()->portIds[0])->fixedIps[0].ipAddress,
              ip("10.10.10.3"));
}

TEST_F(CloudTest, NoNicWithSeveralNetworksIsAmbiguous) {
    net("a");
    net("b");
    InstanceRequest r;
    r.name = "vm";
    EXPECT_EQ(cloud.bootInstance(r).error().message,
              "Multiple possible networks found, use a Network ID to be more specific.");
}

// ---- deletes

TEST_F(CloudTest, DeletingNetworksAndSubnetsInUse) {
    const Network* n = net("private1");
    const std::string netId = n->id;
    const Subnet* s = subnet("private1", "10.10.10.0/24");
    const std::string subnetId = s->id;
    auto port = cloud.createPort("private1");
    ASSERT_TRUE(port.ok());
    const std::string portId = port.value()->id;
    EXPECT_EQ(cloud.deleteNetwork("private1").error().message,
              "Unable to complete operation on network " + netId +
                  ". There are one or more ports still in use on the network.");
    EXPECT_EQ(cloud.deleteSubnet(subnetId).error().message,
              "Unable to complete operation on subnet " + subnetId +
                  ". One or more ports have an IP allocation from this subnet.");
    ASSERT_TRUE(cloud.deletePort(portId).ok());
    EXPECT_EQ(cloud.deletePort(portId).error().message, "Port " + portId + " could not be found");
    ASSERT_TRUE(cloud.deleteNetwork(netId).ok());
    EXPECT_TRUE(cloud.state().networks.empty());
    EXPECT_TRUE(cloud.state().subnets.empty());
    EXPECT_TRUE(cloud.state().ports.empty());  // The DHCP port went with the network.
    EXPECT_EQ(cloud.agents().dhcpServer(netId), nullptr);
    EXPECT_EQ(cloud.deleteNetwork(netId).error().message, "Network " + netId + " could not be found");
}

// ---- routers, gateways and floating IPs

TEST_F(CloudTest, RouterInterfacesGatewayAndFloatingIps) {
    const Network* ext = external();
    const std::string extId = ext->id;
    net("private1");
    net("private2");
    const std::string s1 = subnet("private1", "10.10.10.0/24")->id;
    const std::string s2 = subnet("private2", "10.10.20.0/24")->id;
    RouterRequest rr;
    rr.name = "router1";
    auto router = cloud.createRouter(rr);
    ASSERT_TRUE(router.ok());
    const std::string routerId = router.value()->id;
    EXPECT_EQ(router.value()->hostId, "network");

    auto qr = cloud.addRouterInterface("router1", s1);
    ASSERT_TRUE(qr.ok()) << qr.error().message;
    EXPECT_EQ(qr.value()->deviceOwner, owner::kRouterInterface);
    EXPECT_EQ(qr.value()->deviceId, routerId);
    EXPECT_EQ(qr.value()->hostId, "network");
    EXPECT_EQ(qr.value()->fixedIps, (std::vector<FixedIp>{{s1, ip("10.10.10.1")}}));
    EXPECT_EQ(cloud.addRouterInterface("router1", s1).error().message,
              "Bad router request: Router already has a port on subnet " + s1);
    ASSERT_TRUE(cloud.addRouterInterface(routerId, "private2-subnet").ok());
    EXPECT_EQ(cloud.state().routers.at(routerId).interfacePortIds.size(), 2u);

    // A third network overlapping private1 cannot join the same router.
    net("other");
    const std::string s3 = subnet("other", "10.10.10.0/25")->id;
    EXPECT_EQ(cloud.addRouterInterface("router1", s3).error().message,
              "Bad router request: Cidr 10.10.10.0/25 of subnet " + s3 +
                  " overlaps with cidr 10.10.10.0/24 of subnet " + s1);

    EXPECT_EQ(cloud.setRouterGateway("router1", "private1").error().message,
              "Bad router request: Network " + cloud.state().network("private1")->id +
                  " is not a valid external network");
    auto qg = cloud.setRouterGateway("router1", "external");
    ASSERT_TRUE(qg.ok()) << qg.error().message;
    EXPECT_EQ(qg.value()->deviceOwner, owner::kRouterGateway);
    EXPECT_EQ(qg.value()->tenantId, "");
    EXPECT_EQ(qg.value()->fixedIps[0].ipAddress, ip("192.168.0.2"));
    EXPECT_EQ(cloud.state().routers.at(routerId).gatewayNetworkId, extId);

    auto vm = boot("instance1", "private1");
    ASSERT_TRUE(vm.ok());
    const std::string vmPort = vm.value()->portIds[0];
    FloatingIpRequest fr;
    fr.network = "external";
    fr.portId = vmPort;
    auto fip = cloud.createFloatingIp(fr);
    ASSERT_TRUE(fip.ok()) << fip.error().message;
    EXPECT_EQ(fip.value()->floatingIpAddress, ip("192.168.0.3"));
    EXPECT_EQ(fip.value()->routerId, routerId);
    EXPECT_EQ(fip.value()->fixedIpAddress, ip("10.10.10.3"));
    const std::string fipId = fip.value()->id;
    EXPECT_EQ(cloud.state().port(fip.value()->floatingPortId)->deviceOwner, owner::kFloatingIp);
    EXPECT_EQ(cloud.createFloatingIp(fr).error().message,
              "Cannot associate floating IP 192.168.0.3 (" + fipId + ") with port " + vmPort +
                  " using fixed IP 10.10.10.3, as that fixed IP already has a floating IP on "
                  "external network " + extId + ".");

    // Errors that must leave everything as it is.
    EXPECT_EQ(cloud.removeRouterInterface("router1", s1).error().message,
              "Router interface for subnet " + s1 + " on router " + routerId +
                  " cannot be deleted, as it is required by one or more floating IPs.");
    EXPECT_EQ(cloud.deleteRouter("router1").error().message,
              "Router " + routerId + " still has ports");
    EXPECT_EQ(cloud.clearRouterGateway("router1").error().message,
              "Gateway cannot be updated for router " + routerId +
                  ", since a gateway to external network " + extId +
                  " is required by one or more floating IPs.");
    EXPECT_EQ(cloud.deletePort(qr.value()->id).error().message,
              "Port " + qr.value()->id +
                  " has owner network:router_interface and therefore cannot be deleted directly "
                  "via the port API.");

    // A VM on a network the router does not reach.
    net("island");
    subnet("island", "10.10.50.0/24");
    auto lone = boot("lonely", "island");
    ASSERT_TRUE(lone.ok());
    const std::string lonePort = lone.value()->portIds[0];
    const std::string islandSubnet = cloud.state().subnet("island-subnet")->id;
    EXPECT_EQ(cloud.associateFloatingIp(fipId, lonePort).error().message,
              "External network " + extId + " is not reachable from subnet " + islandSubnet +
                  ".  Therefore, cannot associate Port " + lonePort + " with a Floating IP.");

    ASSERT_TRUE(cloud.associateFloatingIp(fipId, "").ok());
    EXPECT_EQ(cloud.state().floatingIps.at(fipId).routerId, "");
    ASSERT_TRUE(cloud.deleteFloatingIp(fipId).ok());
    EXPECT_TRUE(cloud.state().floatingIps.empty());
    ASSERT_TRUE(cloud.removeRouterInterface("router1", s1).ok());
    ASSERT_TRUE(cloud.removeRouterInterface("router1", s2).ok());
    EXPECT_EQ(cloud.removeRouterInterface("router1", s2).error().message,
              "Router " + routerId + " has no interface on subnet " + s2);
    ASSERT_TRUE(cloud.deleteRouter("router1").ok());
    EXPECT_TRUE(cloud.state().routers.empty());
    for (const auto& [id, p] : cloud.state().ports) {
        EXPECT_NE(p.deviceOwner, owner::kRouterGateway);
        EXPECT_NE(p.deviceOwner, owner::kRouterInterface);
    }
}

TEST_F(CloudTest, RouterInterfaceNeedsAGateway) {
    net("p");
    SubnetRequest r;
    r.network = "p";
    r.cidr = "10.9.0.0/24";
    r.noGateway = true;
    auto s = cloud.createSubnet(r);
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE(s.value()->gatewayIp);
    EXPECT_EQ(s.value()->allocationPools,
              (std::vector<AllocationPool>{{ip("10.9.0.1"), ip("10.9.0.254")}}));
    RouterRequest rr;
    rr.name = "r";
    ASSERT_TRUE(cloud.createRouter(rr).ok());
    EXPECT_EQ(cloud.addRouterInterface("r", s.value()->id).error().message,
              "Bad router request: Subnet for router interface must have a gateway IP");
    EXPECT_EQ(cloud.addRouterInterface("nope", s.value()->id).error().message,
              "Router nope could not be found");
}

}  // namespace
}  // namespace nlab::model
