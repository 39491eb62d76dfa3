// neutronlab-cli's script format and runner: parsing errors name the line, a failing command
// stops the script (or not, with keepGoing) and is reported with its script line.
#include <gtest/gtest.h>

#include <sstream>

#include "app/cli/session.h"
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
