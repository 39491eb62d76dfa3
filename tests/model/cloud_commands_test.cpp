// The neutron and nova clients: exact outputs (the article's `neutron port-list`, cliff's
// "Created a new ..." tables, nova's tables), argparse usage errors, client-side and server
// errors.
#include "model/cloud_commands.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/console/shell.h"
#include "model/cloud.h"

namespace nlab::model {
namespace {

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

PortPin pin(const char* id, const char* m, std::optional<Ipv4Address> a = std::nullopt) {
    PortPin p;
    p.id = id;
    p.mac = mac(m);
    p.ip = a;
    return p;
}

/// Replaces every "{key}" of 'text' by its value.
std::string fill(std::string text, const std::map<std::string, std::string>& values) {
    for (const auto& [k, v] : values) {
        const std::string key = "{" + k + "}";
        for (auto p = text.find(key); p != std::string::npos; p = text.find(key, p + v.size())) {
            text.replace(p, key.size(), v);
        }
    }
    return text;
}

class CloudCommandsTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(cloud.addHost(makeHost("network", HostRole::Network, 139)).ok());
        ASSERT_TRUE(cloud.addHost(makeHost("compute", HostRole::Compute, 140)).ok());
        cloud.attachShell(shell);
        ctx.kind = engine::ShellContext::Kind::Cloud;
    }
    engine::CommandOutput run(const std::string& line) { return shell.run(ctx, line); }

    Cloud cloud{3};
    engine::Shell shell{cloud.lab()};
    engine::ShellContext ctx;
};

TEST(PrettyTable, MultiLineCellsAndEmptyTables) {
    EXPECT_EQ(formatPrettyTable({"Field", "Value"}, {{"subnets", "a\nbbb"}, {"x", ""}}),
              "+---------+-------+\n"
              "| Field   | Value |\n"
              "+---------+-------+\n"
              "| subnets | a     |\n"
              "|         | bbb   |\n"
              "| x       |       |\n"
              "+---------+-------+\n");
    EXPECT_EQ(formatPrettyTable({"ID", "Name"}, {}),
              "+----+------+\n| ID | Name |\n+----+------+\n+----+------+\n");
}

TEST_F(CloudCommandsTest, PortListOfTheSeedLabIsTheArticles) {
    // The seed lab's tenant objects, with every id, MAC and IP the article shows.
    NetworkRequest ext;
    ext.name = "external";
    ext.type = NetworkType::Flat;
    ext.external = true;
    ASSERT_TRUE(cloud.createNetwork(ext).ok());
    SubnetRequest extSub;
    extSub.network = "external";
    extSub.id = "7b2cd216-1251-4eaa-9f05-b8cadc82bc1e";
    extSub.cidr = "192.168.0.0/24";
    extSub.gatewayIp = ip("192.168.0.1");
    extSub.allocationPools = {{ip("192.168.0.2"), ip("192.168.0.100")}};
    extSub.enableDhcp = false;
    ASSERT_TRUE(cloud.createSubnet(extSub).ok());
    struct Net {
        const char* name;
        const char* id;
        std::uint32_t seg;
        const char* subnet;
        const char* cidr;
        PortPin dhcp;
    };
    const Net nets[] = {
        {"private1", "224f79e0-8068-4ef7-8c79-2326bc0cf5c4", 1, "dcdd699a-c4b0-4360-9219-c62cb6ed0b3e",
         "10.10.10.0/24", pin("78dd7f1e-53e6-4a2c-b166-5eef9add12b7", "fa:16:3e:3c:54:50", ip("10.10.10.2"))},
        {"private2", "70f7aa46-b66b-455e-896e-05f94a08fcb8", 2, "f380d778-d576-4179-96df-cb3a2618dbd3",
         "10.10.20.0/24", pin("ed034aae-1106-41b5-8b3f-2b8cb5776baf", "fa:16:3e:fb:f3:33", ip("10.10.20.2"))},
        {"private3", "4e3f621f-d6b9-4438-be58-aa51d3c2e061", 4, "410a9d7c-6ae8-4059-954e-973529a933c5",
         "10.10.30.0/24", pin("708ee330-0c8a-41bd-a2f5-271ca9662151", "fa:16:3e:75:82:cd", ip("10.10.30.2"))},
    };
    for (const Net& n : nets) {
        NetworkRequest r;
        r.name = n.name;
        r.id = n.id;
        r.segmentationId = n.seg;
        ASSERT_TRUE(cloud.createNetwork(r).ok());
        SubnetRequest s;
        s.network = n.id;
        s.id = n.subnet;
        s.cidr = n.cidr;
        s.dhcpPort = n.dhcp;
        auto sub = cloud.createSubnet(s);
        ASSERT_TRUE(sub.ok()) << sub.error().message;
    }
    RouterRequest rr;
    rr.name = "router1";
    rr.id = "040c1455-6096-4806-ba91-fec64cdaed81";
    ASSERT_TRUE(cloud.createRouter(rr).ok());
    ASSERT_TRUE(cloud.setRouterGateway("router1", "external",
                                       pin("6f726a6c-412d-4d22-bcc7-eadedf407680", "fa:16:3e:fc:53:dc",
                                           ip("192.168.0.2"))).ok());
    ASSERT_TRUE(cloud.addRouterInterface("router1", nets[0].subnet,
                                         pin("d8fd27a6-d1cf-46f4-8e0e-4965001d547a", "fa:16:3e:2a:46:e0")).ok());
    ASSERT_TRUE(cloud.addRouterInterface("router1", nets[1].subnet,
                                         pin("09208a89-0b45-4b80-bf11-2aee68b30eb1", "fa:16:3e:79:45:64")).ok());
    ASSERT_TRUE(cloud.addRouterInterface("router1", nets[2].subnet,
                                         pin("4debe62b-e44c-47c7-a5e5-b6a11da8d31c", "fa:16:3e:75:b5:d4")).ok());
    struct Vm {
        const char* name;
        const char* net;
        PortPin port;
    };
    const Vm vms[] = {
        {"instance1", "private1", pin("8cbe7bb6-18d9-4455-abce-473ebe5a9591", "fa:16:3e:32:28:af", ip("10.10.10.7"))},
        {"instance2", "private1", pin("dd2c3906-f8cf-48cd-85bf-d952a11eeab4", "fa:16:3e:53:9b:3b", ip("10.10.10.8"))},
        {"instance3", "private2", pin("a6f975bb-605b-4f36-ad3f-669ccdab5fe5", "fa:16:3e:cb:91:43", ip("10.10.20.7"))},
    };
    for (const Vm& v : vms) {
        InstanceRequest r;
        r.name = v.name;
        r.host = "compute";
        r.nics = {NicRequest{v.net, "", v.port}};
        auto i = cloud.bootInstance(r);
        ASSERT_TRUE(i.ok()) << i.error().message;
    }

    const auto out = run("neutron port-list");
    EXPECT_EQ(out.status, 0);
    EXPECT_EQ(out.err, "");
    EXPECT_EQ(out.out,
              "+--------------------------------------+------+-------------------+------------------------------------------------------------------------------------+\n"
              "| id                                   | name | mac_address       | fixed_ips                                                                          |\n"
              "+--------------------------------------+------+-------------------+------------------------------------------------------------------------------------+\n"
              "| 09208a89-0b45-4b80-bf11-2aee68b30eb1 |      | fa:16:3e:79:45:64 | {\"subnet_id\": \"f380d778-d576-4179-96df-cb3a2618dbd3\", \"ip_address\": \"10.10.20.1\"}  |\n"
              "| 4debe62b-e44c-47c7-a5e5-b6a11da8d31c |      | fa:16:3e:75:b5:d4 | {\"subnet_id\": \"410a9d7c-6ae8-4059-954e-973529a933c5\", \"ip_address\": \"10.10.30.1\"}  |\n"
              "| 6f726a6c-412d-4d22-bcc7-eadedf407680 |      | fa:16:3e:fc:53:dc | {\"subnet_id\": \"7b2cd216-1251-4eaa-9f05-b8cadc82bc1e\", \"ip_address\": \"192.168.0.2\"} |\n"
              "| 708ee330-0c8a-41bd-a2f5-271ca9662151 |      | fa:16:3e:75:82:cd | {\"subnet_id\": \"410a9d7c-6ae8-4059-954e-973529a933c5\", \"ip_address\": \"10.10.30.2\"}  |\n"
              "| 78dd7f1e-53e6-4a2c-b166-5eef9add12b7 |      | fa:16:3e:3c:54:50 | {\"subnet_id\": \"dcdd699a-c4b0-4360-9219-c62cb6ed0b3e\", \"ip_address\": \"10.10.10.2\"}  |\n"
              "| 8cbe7bb6-18d9-4455-abce-473ebe5a9591 |      | fa:16:3e:32:28:af | {\"subnet_id\": \"dcdd699a-c4b0-4360-9219-c62cb6ed0b3e\", \"ip_address\": \"10.10.10.7\"}  |\n"
              "| a6f975bb-605b-4f36-ad3f-669ccdab5fe5 |      | fa:16:3e:cb:91:43 | {\"subnet_id\": \"f380d778-d576-4179-96df-cb3a2618dbd3\", \"ip_address\": \"10.10.20.7\"}  |\n"
              "| d8fd27a6-d1cf-46f4-8e0e-4965001d547a |      | fa:16:3e:2a:46:e0 | {\"subnet_id\": \"dcdd699a-c4b0-4360-9219-c62cb6ed0b3e\", \"ip_address\": \"10.10.10.1\"}  |\n"
              "| dd2c3906-f8cf-48cd-85bf-d952a11eeab4 |      | fa:16:3e:53:9b:3b | {\"subnet_id\": \"dcdd699a-c4b0-4360-9219-c62cb6ed0b3e\", \"ip_address\": \"10.10.10.8\"}  |\n"
              "| ed034aae-1106-41b5-8b3f-2b8cb5776baf |      | fa:16:3e:fb:f3:33 | {\"subnet_id\": \"f380d778-d576-4179-96df-cb3a2618dbd3\", \"ip_address\": \"10.10.20.2\"}  |\n"
              "+--------------------------------------+------+-------------------+------------------------------------------------------------------------------------+\n");

    const auto list = run("nova list");
    EXPECT_NE(list.out.find("| instance1 | ACTIVE | -          | Running     | private1=10.10.10.7 |"),
              std::string::npos)
        << list.out;
    EXPECT_NE(list.out.find("| instance3 | ACTIVE | -          | Running     | private2=10.10.20.7 |"),
              std::string::npos)
        << list.out;
    EXPECT_LT(list.out.find("instance1"), list.out.find("instance2"));
    EXPECT_LT(list.out.find("instance2"), list.out.find("instance3"));
}

TEST_F(CloudCommandsTest, CreateCommandsPrintTheServersObject) {
    auto out = run("neutron net-create private1");
    ASSERT_EQ(out.status, 0) << out.err;
    const Network& n = *cloud.state().network("private1");
    EXPECT_EQ(out.out, fill("Created a new network:\n"
                            "+---------------------------+--------------------------------------+\n"
                            "| Field                     | Value                                |\n"
                            "+---------------------------+--------------------------------------+\n"
                            "| admin_state_up            | True                                 |\n"
                            "| id                        | {id} |\n"
                            "| name                      | private1                             |\n"
                            "| provider:network_type     | gre                                  |\n"
                            "| provider:physical_network |                                      |\n"
                            "| provider:segmentation_id  | 1                                    |\n"
                            "| router:external           | False                                |\n"
                            "| shared                    | False                                |\n"
                            "| status                    | ACTIVE                               |\n"
                            "| subnets                   |                                      |\n"
                            "| tenant_id                 | {tenant}     |\n"
                            "+---------------------------+--------------------------------------+\n",
                            {{"id", n.id}, {"tenant", n.tenantId}}));

    out = run("neutron net-create external --provider:network_type flat "
              "--provider:physical_network physnet1 --router:external True");
    ASSERT_EQ(out.status, 0) << out.err;
    const Network& e = *cloud.state().network("external");
    EXPECT_EQ(e.type, NetworkType::Flat);
    EXPECT_TRUE(e.external);
    EXPECT_NE(out.out.find("| provider:network_type     | flat                                 |\n"
                           "| provider:physical_network | physnet1                             |\n"
                           "| provider:segmentation_id  |                                      |\n"
                           "| router:external           | True                                 |\n"),
              std::string::npos)
        << out.out;

    out = run("neutron subnet-create private1 10.10.10.0/24 --name private1-subnet");
    ASSERT_EQ(out.status, 0) << out.err;
    const Subnet& s = *cloud.state().subnet("private1-subnet");
    EXPECT_EQ(out.out, fill("Created a new subnet:\n"
                            "+------------------+------------------------------------------------+\n"
                            "| Field            | Value                                          |\n"
                            "+------------------+------------------------------------------------+\n"
                            "| allocation_pools | {\"start\": \"10.10.10.2\", \"end\": \"10.10.10.254\"} |\n"
                            "| cidr             | 10.10.10.0/24                                  |\n"
                            "| dns_nameservers  |                                                |\n"
                            "| enable_dhcp      | True                                           |\n"
                            "| gateway_ip       | 10.10.10.1                                     |\n"
                            "| host_routes      |                                                |\n"
                            "| id               | {id}           |\n"
                            "| ip_version       | 4                                              |\n"
                            "| name             | private1-subnet                                |\n"
                            "| network_id       | {net}           |\n"
                            "| tenant_id        | {tenant}               |\n"
                            "+------------------+------------------------------------------------+\n",
                            {{"id", s.id}, {"net", n.id}, {"tenant", n.tenantId}}));

    ASSERT_EQ(run("neutron subnet-create external 192.168.0.0/24 --disable-dhcp --gateway 192.168.0.1 "
                  "--allocation-pool start=192.168.0.2,end=192.168.0.100 --name ext-subnet").status, 0);
    out = run("neutron router-create router1");
    ASSERT_EQ(out.status, 0);
    const Router& r = *cloud.state().router("router1");
    EXPECT_EQ(out.out, fill("Created a new router:\n"
                            "+-----------------------+--------------------------------------+\n"
                            "| Field                 | Value                                |\n"
                            "+-----------------------+--------------------------------------+\n"
                            "| admin_state_up        | True                                 |\n"
                            "| external_gateway_info |                                      |\n"
                            "| id                    | {id} |\n"
                            "| name                  | router1                              |\n"
                            "| routes                |                                      |\n"
                            "| status                | ACTIVE                               |\n"
                            "| tenant_id             | {tenant}     |\n"
                            "+-----------------------+--------------------------------------+\n",
                            {{"id", r.id}, {"tenant", n.tenantId}}));

    out = run("neutron router-interface-add router1 private1-subnet");
    ASSERT_EQ(out.status, 0) << out.err;
    const std::string qr = cloud.state().routers.at(r.id).interfacePortIds.at(0);
    EXPECT_EQ(out.out, "Added interface " + qr + " to router router1.\n");
    EXPECT_EQ(run("neutron router-gateway-set router1 external").out, "Set gateway for router router1\n");

    out = run("neutron router-list");
    EXPECT_EQ(out.out, fill("+--------------------------------------+---------+-----------------------------------------------------------------------------+\n"
                            "| id                                   | name    | external_gateway_info                                                       |\n"
                            "+--------------------------------------+---------+-----------------------------------------------------------------------------+\n"
                            "| {id} | router1 | {\"network_id\": \"{ext}\", \"enable_snat\": true} |\n"
                            "+--------------------------------------+---------+-----------------------------------------------------------------------------+\n",
                            {{"id", r.id}, {"ext", e.id}}));

    out = run("neutron net-list");
    const Subnet& es = *cloud.state().subnet("ext-subnet");
    const bool externalFirst = e.id < n.id;
    const std::string rowExt = "| " + e.id + " | external | " + es.id + " 192.168.0.0/24 |\n";
    const std::string rowP1 = "| " + n.id + " | private1 | " + s.id + " 10.10.10.0/24  |\n";
    const std::string rule = "+--------------------------------------+----------+-----------------------------------------------------+\n";
    EXPECT_EQ(out.out, rule + "| id                                   | name     | subnets                                             |\n" +
                           rule + (externalFirst ? rowExt + rowP1 : rowP1 + rowExt) + rule);

    out = run("neutron router-interface-delete router1 private1-subnet");
    EXPECT_EQ(out.out, "Removed interface from router router1.\n");
    EXPECT_EQ(run("neutron router-gateway-clear router1").out, "Removed gateway from router router1\n");
    EXPECT_EQ(run("neutron router-delete router1").out, "Deleted router: router1\n");
    EXPECT_EQ(run("neutron subnet-delete private1-subnet").out, "Deleted subnet: private1-subnet\n");
    EXPECT_EQ(run("neutron net-delete private1").out, "Deleted network: private1\n");
    EXPECT_EQ(run("neutron net-list").out, rule + "| id                                   | name     | subnets                                             |\n" + rule + rowExt + rule);
}

TEST_F(CloudCommandsTest, ArgparseErrorsAndUnknownCommands) {
    auto out = run("neutron net-create");
    EXPECT_EQ(out.status, 2);
    EXPECT_EQ(out.out, "");
    EXPECT_EQ(out.err,
              "usage: neutron net-create [-h] [-f {shell,table}] [-c COLUMN]\n"
              "                          [--variable VARIABLE] [--prefix PREFIX]\n"
              "                          [--request-format {json,xml}]\n"
              "                          [--tenant-id TENANT_ID] [--admin-state-down]\n"
              "                          [--shared]\n"
              "                          NAME\n"
              "neutron net-create: error: too few arguments\n");
    out = run("neutron net-delete");
    EXPECT_EQ(out.err,
              "usage: neutron net-delete [-h] [--request-format {json,xml}] NETWORK\n"
              "neutron net-delete: error: too few arguments\n");
    out = run("neutron subnet-create private1 10.0.0.0/24 --gateway");
    EXPECT_EQ(out.status, 2);
    EXPECT_NE(out.err.find("neutron subnet-create: error: argument --gateway: expected one argument\n"),
              std::string::npos);
    out = run("neutron foo bar");
    EXPECT_EQ(out.status, 1);
    EXPECT_EQ(out.err, "Unknown command ['foo', 'bar']\n");
    out = run("nova list --foo");
    EXPECT_EQ(out.status, 2);
    EXPECT_EQ(out.err,
              "usage: nova list [--reservation-id <reservation-id>] [--ip <ip-regexp>]\n"
              "                 [--ip6 <ip6-regexp>] [--name <name-regexp>]\n"
              "                 [--instance-name <name-regexp>] [--status <status>]\n"
              "                 [--flavor <flavor>] [--image <image>] [--host <hostname>]\n"
              "                 [--all-tenants [<0|1>]] [--tenant [<tenant>]] [--deleted]\n"
              "                 [--fields <fields>] [--minimal]\n"
              "error: unrecognized arguments: --foo\n"
              "Try 'nova help list' for more information.\n");
    out = run("nova frob");
    EXPECT_EQ(out.status, 2);
    EXPECT_NE(out.err.find("\nerror: argument <subcommand>: invalid choice: u'frob'\n"
                           "Try 'nova help ' for more information.\n"),
              std::string::npos);
    out = run("nova boot x");
    EXPECT_EQ(out.status, 1);
    EXPECT_EQ(out.err, "ERROR: you need to specify a Flavor ID \n");
    out = run("nova boot --flavor m1.tiny x");
    EXPECT_EQ(out.err,
              "ERROR: you need to specify at least one source ID (Image, Snapshot, or Volume), a block "
              "device mapping or provide a set of properties to match against an image\n");
    out = run("nova boot --flavor m1.tiny --image cirros --nic foo x");
    EXPECT_EQ(out.err, "ERROR: No image with a name or ID of 'cirros' exists.\n");
    out = run("nova boot --flavor m1.tiny --image cirros-0.3.2-x86_64 --nic foo x");
    EXPECT_EQ(out.err,
              "ERROR: Invalid nic argument 'foo'. Nic arguments must be of the form --nic "
              "<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>, with at minimum net-id or "
              "port-id specified.\n");
    EXPECT_TRUE(cloud.state().instances.empty());
}

TEST_F(CloudCommandsTest, ServerAndClientErrors) {
    ASSERT_EQ(run("neutron net-create private1").status, 0);
    ASSERT_EQ(run("neutron subnet-create private1 10.10.10.0/24").status, 0);
    const std::string netId = cloud.state().network("private1")->id;
    auto out = run("neutron subnet-create private1 10.10.10.0/25");
    EXPECT_EQ(out.status, 1);
    EXPECT_EQ(out.err, "Invalid input for operation: Requested subnet with cidr: 10.10.10.0/25 for network: " +
                           netId + " overlaps with another subnet.\n");
    out = run("neutron port-create private1 --fixed-ip ip_address=10.10.10.2");
    EXPECT_EQ(out.err, "Unable to complete operation for network " + netId +
                           ". The IP address 10.10.10.2 is in use.\n");
    out = run("neutron net-show nothing");
    EXPECT_EQ(out.err, "Unable to find network with name 'nothing'\n");
    ASSERT_EQ(run("neutron net-create private1").status, 0);
    out = run("neutron net-show private1");
    EXPECT_EQ(out.err, "Multiple network matches found for name 'private1', use an ID to be more specific.\n");
    out = run("neutron net-create x --provider:network_type vlan");
    EXPECT_EQ(out.err, "Invalid input for operation: network_type value 'vlan' not supported.\n");
    out = run("neutron net-create x --colour blue");
    EXPECT_EQ(out.err, "Unrecognized attribute(s) 'colour'\n");
    // argparse takes the first free word as NAME: the unknown option's value is 'x'.
    out = run("neutron net-create --provider:network_type gre x");
    EXPECT_EQ(out.err, "Invalid input for operation: network_type value 'x' not supported.\n");
    ASSERT_EQ(run("neutron port-create " + netId).status, 0);
    out = run("neutron net-delete " + netId);
    EXPECT_EQ(out.err, "Unable to complete operation on network " + netId +
                           ". There are one or more ports still in use on the network.\n");

    out = run("nova boot --flavor m1.tiny --image cirros-0.3.2-x86_64 --nic net-id=" + netId +
              " --availability-zone nova:network vm1");
    EXPECT_EQ(out.status, 1);
    EXPECT_EQ(out.err.substr(0, out.err.find(" (Request-ID")),
              "ERROR: Host 'network' is not a compute host (HTTP 400)");
    out = run("nova delete nope");
    EXPECT_EQ(out.out, "No server with a name or ID of 'nope' exists.\n");
    EXPECT_EQ(out.err, "ERROR: Unable to delete any of the specified servers.\n");
    EXPECT_EQ(out.status, 1);
}

TEST_F(CloudCommandsTest, NovaBootListShowDelete) {
    ASSERT_EQ(run("neutron net-create private1").status, 0);
    ASSERT_EQ(run("neutron subnet-create private1 10.10.10.0/24").status, 0);
    const std::string netId = cloud.state().network("private1")->id;
    auto out = run("nova boot --image cirros-0.3.2-x86_64 --flavor m1.tiny --nic net-id=" + netId +
                   " instance1");
    ASSERT_EQ(out.status, 0) << out.err;
    const Instance& inst = *cloud.state().instance("instance1");
    EXPECT_NE(out.out.find("| status                               | BUILD                                                      |\n"),
              std::string::npos)
        << out.out;
    EXPECT_NE(out.out.find("| id                                   | " + inst.id + "                       |\n"),
              std::string::npos);
    EXPECT_NE(out.out.find("| flavor                               | m1.tiny (1)                                                |\n"),
              std::string::npos);
    EXPECT_NE(out.out.find("| image                                | cirros-0.3.2-x86_64 (acafc7c0-40aa-4026-9673-b879898e1fc2) |\n"),
              std::string::npos);
    EXPECT_NE(shell.context("instance1"), std::nullopt);

    out = run("nova list");
    EXPECT_EQ(out.out, fill("+--------------------------------------+-----------+--------+------------+-------------+---------------------+\n"
                            "| ID                                   | Name      | Status | Task State | Power State | Networks            |\n"
                            "+--------------------------------------+-----------+--------+------------+-------------+---------------------+\n"
                            "| {id} | instance1 | ACTIVE | -          | Running     | private1=10.10.10.3 |\n"
                            "+--------------------------------------+-----------+--------+------------+-------------+---------------------+\n",
                            {{"id", inst.id}}));
    out = run("nova show instance1");
    EXPECT_NE(out.out.find("| private1 network                     | 10.10.10.3                                                 |\n"),
              std::string::npos)
        << out.out;
    EXPECT_NE(out.out.find("| OS-EXT-SRV-ATTR:host                 | compute                                                    |\n"),
              std::string::npos);
    out = run("nova delete instance1");
    EXPECT_EQ(out.status, 0);
    EXPECT_EQ(out.out, "");
    EXPECT_EQ(shell.context("instance1"), std::nullopt);
    EXPECT_EQ(run("nova list").out,
              "+----+------+--------+------------+-------------+----------+\n"
              "| ID | Name | Status | Task State | Power State | Networks |\n"
              "+----+------+--------+------------+-------------+----------+\n"
              "+----+------+--------+------------+-------------+----------+\n");
    EXPECT_EQ(run("neutron port-list -- --device_owner compute:nova").out, "\n");
}

TEST_F(CloudCommandsTest, FloatingIps) {
    ASSERT_EQ(run("neutron net-create external --router:external=True --provider:network_type flat "
                  "--provider:physical_network physnet1").status, 0);
    ASSERT_EQ(run("neutron subnet-create external 192.168.0.0/24 --disable-dhcp "
                  "--allocation-pool start=192.168.0.2,end=192.168.0.100").status, 0);
    auto out = run("neutron floatingip-create external");
    ASSERT_EQ(out.status, 0) << out.err;
    const FloatingIp& f = cloud.state().floatingIps.begin()->second;
    EXPECT_EQ(out.out, fill("Created a new floatingip:\n"
                            "+---------------------+--------------------------------------+\n"
                            "| Field               | Value                                |\n"
                            "+---------------------+--------------------------------------+\n"
                            "| fixed_ip_address    |                                      |\n"
                            "| floating_ip_address | 192.168.0.2                          |\n"
                            "| floating_network_id | {net} |\n"
                            "| id                  | {id} |\n"
                            "| port_id             |                                      |\n"
                            "| router_id           |                                      |\n"
                            "| status              | DOWN                                 |\n"
                            "| tenant_id           | {tenant}     |\n"
                            "+---------------------+--------------------------------------+\n",
                            {{"net", f.floatingNetworkId}, {"id", f.id}, {"tenant", f.tenantId}}));
    EXPECT_EQ(run("neutron floatingip-delete " + f.id).out, "Deleted floatingip: " + f.id + "\n");
    EXPECT_EQ(run("neutron floatingip-list").out, "\n");
    EXPECT_EQ(run("neutron floatingip-delete nope").err, "Floating IP nope could not be found\n");
}

}  // namespace
}  // namespace nlab::model
