// neutronlab-cli's script format and runner: parsing errors name the line, a failing command
// stops the script (or not, with keepGoing) and is reported with its script line.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "app/cli/session.h"
#include "model/agents/agents.h"
#include "model/lab_file.h"

namespace {

using nlab::cli::ScriptError;
using nlab::cli::ScriptLine;

std::vector<ScriptLine> parseOk(std::string_view text) {
    auto r = nlab::cli::parseScript(text, "t.nlab");
    EXPECT_TRUE(std::holds_alternative<std::vector<ScriptLine>>(r))
        << std::get<ScriptError>(r).toString();
    return std::holds_alternative<std::vector<ScriptLine>>(r) ? std::get<std::vector<ScriptLine>>(r)
                                                              : std::vector<ScriptLine>{};
}

std::string parseError(std::string_view text) {
    auto r = nlab::cli::parseScript(text, "t.nlab");
    return std::holds_alternative<ScriptError>(r) ? std::get<ScriptError>(r).toString() : "(parsed)";
}

TEST(CliScriptTest, ParsesContextsCommandsCommentsAndBlankLines) {
    auto lines = parseOk("# a comment\n\ncompute: ovs-vsctl show\n  network/qrouter-1: ip addr  \n"
                         "cloud: neutron port-list # trailing words stay\ninstance1:\tping -c 1 10.0.0.1\n");
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0].line, 3);
    EXPECT_EQ(lines[0].context, "compute");
    EXPECT_EQ(lines[0].command, "ovs-vsctl show");
    EXPECT_EQ(lines[1].line, 4);
    EXPECT_EQ(lines[1].context, "network/qrouter-1");
    EXPECT_EQ(lines[1].command, "ip addr");
    EXPECT_EQ(lines[2].command, "neutron port-list # trailing words stay");
    EXPECT_EQ(lines[3].context, "instance1");
    EXPECT_EQ(lines[3].command, "ping -c 1 10.0.0.1");
}

TEST(CliScriptTest, MalformedLinesAreRejectedWithTheirLineNumber) {
    EXPECT_EQ(parseError("compute: ip addr\novs-vsctl show\n"),
              "t.nlab:2: expected 'CONTEXT: COMMAND' (a node, NODE/NAMESPACE, an instance or "
              "'cloud', then a colon), got 'ovs-vsctl show'");
    EXPECT_EQ(parseError("\n\ncompute:\n"), "t.nlab:3: no command after 'compute:'");
    EXPECT_EQ(parseError("comp ute: ls\n"),
              "t.nlab:1: expected 'CONTEXT: COMMAND' (a node, NODE/NAMESPACE, an instance or "
              "'cloud', then a colon), got 'comp ute: ls'");
}

class CliRunTest : public ::testing::Test {
protected:
    void SetUp() override {
        nlab::model::LoadOptions o;
        o.withoutInstances = true;
        auto lab = nlab::model::loadSeedLab(o);
        ASSERT_TRUE(lab) << lab.error->toString();
        session = std::make_unique<nlab::cli::Session>(std::move(lab.cloud));
    }
    int run(std::string_view script, nlab::cli::ScriptOptions o = {}) {
        out.str("");
        err.str("");
        return nlab::cli::runScript(*session, parseOk(script), "t.nlab", out, err, o);
    }
    std::unique_ptr<nlab::cli::Session> session;
    std::ostringstream out, err;
};

TEST_F(CliRunTest, TranscriptShowsPromptsAndOutputs) {
    EXPECT_EQ(run("network: ip netns show\n"), 0) << err.str();
    EXPECT_EQ(out.str(),
              "root@network:~# ip netns show\n"
              "qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4\n"
              "qdhcp-70f7aa46-b66b-455e-896e-05f94a08fcb8\n"
              "qrouter-040c1455-6096-4806-ba91-fec64cdaed81\n"
              "qdhcp-4e3f621f-d6b9-4438-be58-aa51d3c2e061\n");
    EXPECT_EQ(err.str(), "");
}

TEST_F(CliRunTest, AFailingCommandStopsTheScriptAndNamesItsLine) {
    EXPECT_EQ(run("network: ip netns show\n# comment\nnetwork: ovs-vsctl list-ports br-nope\n"
                  "network: ip netns show\n"),
              1);
    EXPECT_EQ(err.str(), "t.nlab:3: network: 'ovs-vsctl list-ports br-nope' failed with status 1: "
                         "ovs-vsctl: no bridge named br-nope\n");
    EXPECT_EQ(out.str().find("ip netns show", out.str().find("br-nope")), std::string::npos)
        << "line 4 must not run";
}

TEST_F(CliRunTest, KeepGoingRunsEveryLineButStillFails) {
    nlab::cli::ScriptOptions o;
    o.keepGoing = true;
    EXPECT_EQ(run("network: frobnicate\nnetwork: ip netns show\n", o), 1);
    EXPECT_NE(out.str().find("qrouter-040c1455"), std::string::npos);
    EXPECT_EQ(err.str().rfind("t.nlab:1: network: 'frobnicate' failed with status 127", 0), 0u)
        << err.str();
}

TEST_F(CliRunTest, UnknownContextIsAnErrorNamingTheKnownOnes) {
    EXPECT_EQ(run("nowhere: ip addr\n"), 1);
    EXPECT_NE(err.str().find("t.nlab:1: nowhere: 'ip addr' failed with status 2: neutronlab-cli: "
                             "unknown context 'nowhere' (known: network, network/qdhcp-"),
              std::string::npos)
        << err.str();
}

TEST_F(CliRunTest, ContextsListNodesNamespacesInstancesAndCloud) {
    auto c = session->contexts();
    EXPECT_NE(std::find(c.begin(), c.end(), "compute"), c.end());
    EXPECT_NE(std::find(c.begin(), c.end(), "network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81"),
              c.end());
    EXPECT_EQ(c.back(), "cloud");
}

}  // namespace

namespace {

// The built-in lab boots its instances at load and waits for their DHCP leases, so a newcomer's
// first ping answers; an instance booted later with a new port (not a pre-created one) gets
// its address too, because the DHCP agent hears about the port before the guest boots.
TEST(CliBuiltInLabTest, InstancesHaveTheirAddressesAndAnswerAtOnce) {
    auto lab = nlab::model::loadSeedLab();
    ASSERT_TRUE(lab) << lab.error->toString();
    nlab::cli::Session session(std::move(lab.cloud));
    auto ping = session.run("instance1", "ping -c 1 10.10.10.1");
    EXPECT_EQ(ping.output.status, 0) << ping.output.out << ping.output.err;
    EXPECT_EQ(ping.output.out.substr(0, ping.output.out.find('\n')),
              "PING 10.10.10.1 (10.10.10.1): 56 data bytes");
    auto routed = session.run("instance3", "ping -c 1 10.10.10.8");
    EXPECT_NE(routed.output.out.find("64 bytes from 10.10.10.8: seq=0 ttl=63 time="), std::string::npos)
        << routed.output.out;

    auto boot = session.run("cloud", "nova boot --image cirros-0.3.2-x86_64 --flavor m1.tiny "
                                     "--nic net-id=4e3f621f-d6b9-4438-be58-aa51d3c2e061 instance4");
    ASSERT_EQ(boot.output.status, 0) << boot.output.err;
    session.run("compute", "sleep 5");
    auto addr = session.run("instance4", "ip addr show eth0");
    EXPECT_NE(addr.output.out.find("inet 10.10.30.3/24"), std::string::npos) << addr.output.out;
    auto gw = session.run("instance4", "ping -c 1 10.10.30.1");
    EXPECT_EQ(gw.output.status, 0) << gw.output.out;
}

}  // namespace

namespace {

/// Lines of 'text' containing 'needle'.
std::vector<std::string> linesWith(const std::string& text, const std::string& needle) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.find(needle) != std::string::npos) out.push_back(line);
    }
    return out;
}

/// The "priority=..,tun_id=.. actions=..." / "dl_vlan=.. actions=.." part of per-network flows.
std::vector<std::string> networkFlows(nlab::cli::Session& s, const std::string& node) {
    auto r = s.run(node, "ovs-ofctl dump-flows br-tun");
    EXPECT_EQ(r.output.status, 0) << r.output.err;
    std::vector<std::string> out;
    for (const std::string& l : linesWith(r.output.out, "")) {
        for (const char* key : {"tun_id=0x", "dl_vlan="}) {
            if (auto p = l.find(key); p != std::string::npos && l.find("table=20") == std::string::npos) {
                // Back up to the start of the match field list (after the last ", ").
                out.push_back(l.substr(l.rfind(", ", p) + 2));
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Issue 4: labs built from commands get distinct local VLANs per node, allocated where the
// network has ports; a node without ports of a network has none of its flows, and loses them
// again when its last port goes.
TEST(CliCommandsLabTest, LocalVlansAndFlowsFollowWherePortsAre) {
    auto lab = nlab::model::loadLabFile(std::string(NLAB_SOURCE_DIR) + "/tests/golden/labs/three_hosts.yaml");
    ASSERT_TRUE(lab) << lab.error->toString();
    nlab::cli::Session s(std::move(lab.cloud));
    auto ok = [&](const std::string& ctx, const std::string& cmd) {
        auto r = s.run(ctx, cmd);
        EXPECT_EQ(r.output.status, 0) << ctx << ": " << cmd << "\n" << r.output.out << r.output.err;
        return r.output.out;
    };
    ok("cloud", "neutron net-create net-a");
    ok("cloud", "neutron subnet-create net-a 10.1.0.0/24 --name sub-a");
    ok("cloud", "neutron net-create net-b");
    ok("cloud", "neutron subnet-create net-b 10.2.0.0/24 --name sub-b");
    const std::string a = s.cloud().state().network("net-a")->id;
    const std::string b = s.cloud().state().network("net-b")->id;
    const auto tunA = s.cloud().state().network("net-a")->segmentationId;
    const auto tunB = s.cloud().state().network("net-b")->segmentationId;
    EXPECT_EQ(tunA, 1u);
    EXPECT_EQ(tunB, 2u);

    // The DHCP ports bind on the network node in creation order: net-a VLAN 1, net-b VLAN 2.
    EXPECT_EQ(networkFlows(s, "network"),
              (std::vector<std::string>{"dl_vlan=1 actions=strip_vlan,set_tunnel:0x1,output:2,output:3",
                                        "dl_vlan=2 actions=strip_vlan,set_tunnel:0x2,output:2,output:3",
                                        "priority=1,tun_id=0x1 actions=mod_vlan_vid:1,resubmit(,10)",
                                        "priority=1,tun_id=0x2 actions=mod_vlan_vid:2,resubmit(,10)"}));
    // No instance yet: the compute nodes have no per-network flows at all.
    EXPECT_EQ(networkFlows(s, "compute1"), std::vector<std::string>{});
    EXPECT_EQ(networkFlows(s, "compute2"), std::vector<std::string>{});

    // compute1 sees net-b first (VLAN 1 there), then net-a (VLAN 2); compute2 only net-a (VLAN 1).
    ok("cloud", "nova boot --image cirros-0.3.2-x86_64 --flavor m1.tiny --nic net-id=" + b +
                    " --availability-zone nova:compute1 vm-b1");
    ok("cloud", "nova boot --image cirros-0.3.2-x86_64 --flavor m1.tiny --nic net-id=" + a +
                    " --availability-zone nova:compute1 vm-a1");
    ok("cloud", "nova boot --image cirros-0.3.2-x86_64 --flavor m1.tiny --nic net-id=" + a +
                    " --availability-zone nova:compute2 vm-a2");
    EXPECT_EQ(networkFlows(s, "compute1"),
              (std::vector<std::string>{"dl_vlan=1 actions=strip_vlan,set_tunnel:0x2,output:2,output:3",
                                        "dl_vlan=2 actions=strip_vlan,set_tunnel:0x1,output:2,output:3",
                                        "priority=1,tun_id=0x1 actions=mod_vlan_vid:2,resubmit(,10)",
                                        "priority=1,tun_id=0x2 actions=mod_vlan_vid:1,resubmit(,10)"}));
    EXPECT_EQ(networkFlows(s, "compute2"),
              (std::vector<std::string>{"dl_vlan=1 actions=strip_vlan,set_tunnel:0x1,output:2,output:3",
                                        "priority=1,tun_id=0x1 actions=mod_vlan_vid:1,resubmit(,10)"}));
    const std::string show = ok("compute1", "ovs-vsctl show");
    EXPECT_EQ(linesWith(show, "tag:").size(), 2u) << show;

    // The VMs get addresses and reach each other across the compute-to-compute tunnel.
    ok("compute1", "sleep 10");
    const auto* a1 = s.cloud().state().instance("vm-a1");
    ASSERT_NE(a1, nullptr);
    const std::string a1Ip = s.cloud().state().port(a1->portIds[0])->fixedIps[0].ipAddress.toString();
    const std::string ping = ok("vm-a2", "ping -c 2 " + a1Ip);
    EXPECT_NE(ping.find("2 packets transmitted, 2 packets received, 0% packet loss"), std::string::npos) << ping;

    // Deleting compute2's only instance removes net-a's flows there and frees its VLAN.
    ok("cloud", "nova delete vm-a2");
    EXPECT_EQ(networkFlows(s, "compute2"), std::vector<std::string>{});
    EXPECT_EQ(s.cloud().agents().localVlan("compute2", a), std::nullopt);
    EXPECT_EQ(s.cloud().agents().localVlan("compute1", a), std::optional<int>(2));
}

}  // namespace

namespace {

TEST(CliCommandsLabTest, DeletingANetworkRemovesItsNamespaceFlowsPortsAndVlan) {
    auto lab = nlab::model::loadSeedLab();
    ASSERT_TRUE(lab) << lab.error->toString();
    nlab::cli::Session s(std::move(lab.cloud));
    const std::string id = "4e3f621f-d6b9-4438-be58-aa51d3c2e061";  // private3
    ASSERT_EQ(s.cloud().agents().localVlan("network", id), std::optional<int>(11));
    EXPECT_EQ(s.run("cloud", "neutron net-delete private3").output.err,
              "Unable to complete operation on network " + id +
                  ". There are one or more ports still in use on the network.\n");
    EXPECT_EQ(s.run("cloud", "neutron router-interface-delete router1 410a9d7c-6ae8-4059-954e-973529a933c5")
                  .output.out,
              "Removed interface from router router1.\n");
    EXPECT_EQ(s.run("cloud", "neutron net-delete private3").output.out, "Deleted network: private3\n");
    EXPECT_EQ(s.cloud().agents().localVlan("network", id), std::nullopt);
    EXPECT_EQ(s.run("network", "ip netns").output.out,
              "qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4\n"
              "qdhcp-70f7aa46-b66b-455e-896e-05f94a08fcb8\n"
              "qrouter-040c1455-6096-4806-ba91-fec64cdaed81\n");
    EXPECT_EQ(s.run("network", "ovs-vsctl list-ports br-int").output.out,
              "patch-tun\nqr-09208a89-0b\nqr-d8fd27a6-d1\ntap78dd7f1e-53\ntaped034aae-11\n");
    const std::string flows = s.run("network", "ovs-ofctl dump-flows br-tun").output.out;
    EXPECT_EQ(flows.find("tun_id=0x4"), std::string::npos) << flows;
    EXPECT_EQ(flows.find("dl_vlan=11"), std::string::npos) << flows;
    EXPECT_EQ(s.run("network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81", "ip route show 10.10.30.0/24")
                  .output.out,
              "");
}

}  // namespace
