// Removing a host (the undo of adding one): only an empty host goes; the others drop their
// tunnels to it and stop flooding to it.
#include <gtest/gtest.h>

#include "engine/flow/ofctl_format.h"
#include "model/agents/agents.h"
#include "model/cloud.h"

namespace nlab::model {
namespace {

Host makeHost(const char* name, HostRole role, const char* mgmt, const char* data) {
    Host h;
    h.name = name;
    h.role = role;
    h.managementIp = *Ipv4Address::parse(mgmt);
    h.dataIp = *Ipv4Address::parse(data);
    return h;
}

std::vector<std::string> brTun(Cloud& c, const char* node, int table) {
    std::vector<std::string> out;
    engine::OvsBridge* br = c.lab().node(node)->ovsBridge("br-tun");
    if (const engine::FlowTable* t = br->findTable(static_cast<std::uint8_t>(table))) {
        for (const engine::FlowEntry* e : t->entries()) {
            out.push_back(engine::formatMatch(e->spec.match, e->spec.priority) + " actions=" +
                          engine::formatActions(e->spec.actions));
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(HostRemovalTest, AnEmptyHostGoesWithItsTunnelsAndFloodOutputs) {
    Cloud c(3);
    ASSERT_TRUE(c.addHost(makeHost("network", HostRole::Network, "192.168.1.10", "10.0.0.10")).ok());
    ASSERT_TRUE(c.addHost(makeHost("compute", HostRole::Compute, "192.168.1.11", "10.0.0.11")).ok());
    NetworkRequest n;
    n.name = "net";
    ASSERT_TRUE(c.createNetwork(n).ok());
    SubnetRequest s;
    s.network = "net";
    s.cidr = "10.1.0.0/24";
    ASSERT_TRUE(c.createSubnet(s).ok());
    const auto before0 = brTun(c, "network", 0);
    const auto before21 = brTun(c, "network", 21);

    ASSERT_TRUE(c.addHost(makeHost("compute2", HostRole::Compute, "192.168.1.12", "10.0.0.12")).ok());
    EXPECT_NE(c.lab().node("network")->ovsBridge("br-tun")->portByName("gre-0a00000c"), nullptr);
    EXPECT_NE(brTun(c, "network", 21), before21) << "the flood flow outputs to compute2 too";

    ASSERT_TRUE(c.removeHost("compute2").ok());
    EXPECT_EQ(c.state().host("compute2"), nullptr);
    EXPECT_EQ(c.lab().node("compute2"), nullptr);
    EXPECT_EQ(c.lab().node("network")->ovsBridge("br-tun")->portByName("gre-0a00000c"), nullptr);
    EXPECT_EQ(c.lab().node("compute")->ovsBridge("br-tun")->portByName("gre-0a00000c"), nullptr);
    EXPECT_EQ(brTun(c, "network", 0), before0);
    EXPECT_EQ(brTun(c, "network", 21), before21);
    EXPECT_EQ(c.removeHost("compute2").error().code, ErrorCode::NotFound);
}

TEST(HostRemovalTest, AHostWithAnInstanceOrTheNetworkAgentsStays) {
    Cloud c(3);
    ASSERT_TRUE(c.addHost(makeHost("network", HostRole::Network, "192.168.1.10", "10.0.0.10")).ok());
    ASSERT_TRUE(c.addHost(makeHost("compute", HostRole::Compute, "192.168.1.11", "10.0.0.11")).ok());
    NetworkRequest n;
    n.name = "net";
    ASSERT_TRUE(c.createNetwork(n).ok());
    SubnetRequest s;
    s.network = "net";
    s.cidr = "10.1.0.0/24";
    ASSERT_TRUE(c.createSubnet(s).ok());
    InstanceRequest i;
    i.name = "vm1";
    i.nics.push_back(NicRequest{"net", "", {}});
    ASSERT_TRUE(c.bootInstance(i).ok());
    EXPECT_EQ(c.removeHost("compute").error().message, "Host compute still runs instance vm1");
    EXPECT_EQ(c.removeHost("network").error().code, ErrorCode::InvalidArgument)
        << "the DHCP port is bound there";
    EXPECT_NE(c.lab().node("compute"), nullptr);
    EXPECT_NE(c.lab().node("network"), nullptr);
}

}  // namespace
}  // namespace nlab::model
