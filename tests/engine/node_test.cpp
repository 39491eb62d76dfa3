// Node: assembly of devices on one host (OVS bridges and their ports).
#include <gtest/gtest.h>

#include "engine/lab/lab.h"

namespace nlab::engine {
namespace {

TEST(NodeTest, DeletingABridgeReleasesOnlyItsOwnSystemPorts) {
    Lab lab;
    Node* n = lab.addNode("compute").value();
    OvsBridge* brInt = n->addOvsBridge("br-int").value();
    OvsBridge* brEx = n->addOvsBridge("br-ex", OvsBridge::FailMode::Standalone).value();
    NetDevice& qvo = n->createDevice("qvo1", DeviceKind::Veth);
    NetDevice& eth2 = n->createDevice("eth2", DeviceKind::Ethernet);
    ASSERT_TRUE(n->addOvsSystemPort(*brInt, qvo, 4).ok());
    ASSERT_TRUE(n->addOvsSystemPort(*brEx, eth2).ok());
    ASSERT_EQ(qvo.master(), "ovs-system");
    ASSERT_EQ(eth2.master(), "ovs-system");

    ASSERT_TRUE(n->deleteOvsBridge("br-ex").ok());
    EXPECT_EQ(eth2.master(), "") << "br-ex's port is released";
    EXPECT_EQ(qvo.master(), "ovs-system") << "br-int's port must stay on br-int";
    EXPECT_NE(brInt->portByName("qvo1"), nullptr);
    EXPECT_EQ(n->ovsBridge("br-ex"), nullptr);
    EXPECT_EQ(n->deleteOvsBridge("br-ex").error().code, ErrorCode::NotFound);
}

}  // namespace
}  // namespace nlab::engine
