// EventBus: delivery, unsubscribe during delivery, and per-node forwarding that stamps
// every event with the node it happened on.
#include <gtest/gtest.h>

#include "engine/core/events.h"
#include "engine/lab/lab.h"
#include "engine/packet/packet.h"
#include "tests/support/packet_builder.h"

namespace nlab::engine {
namespace {

TEST(EventBusTest, ForwardingStampsTheSourceAndFollowsTheParentsActivity) {
    EventBus lab;
    EventBus node;
    node.forwardTo(&lab, "compute");
    EXPECT_FALSE(node.active()) << "nobody listens anywhere: publishers may skip events";
    std::vector<std::string> seen;
    auto token = lab.subscribe([&](SimTime t, const Event& e) {
        const auto& d = std::get<FrameDropped>(e);
        seen.push_back(std::to_string(t) + " " + std::string(d.node) + " " + std::string(d.reason));
    });
    EXPECT_TRUE(node.active());
    node.publish(7, FrameDropped{"br-tun", "gre-1", 1, "no flow", nullptr});
    FrameDropped already{"br-int", "", 2, "pinned", nullptr};
    already.node = "network";
    node.publish(8, already);
    EXPECT_EQ(seen, (std::vector<std::string>{"7 compute no flow", "8 network pinned"}));
    EXPECT_TRUE(lab.unsubscribe(token));
    EXPECT_FALSE(node.active());
}

TEST(EventBusTest, ACallbackMayUnsubscribeItselfDuringDelivery) {
    EventBus bus;
    int calls = 0;
    EventBus::Token self = 0;
    self = bus.subscribe([&](SimTime, const Event&) {
        ++calls;
        bus.unsubscribe(self);
    });
    bus.publish(1, MacAged{"qbr1", 1, 0, "tap1"});
    bus.publish(2, MacAged{"qbr1", 1, 0, "tap1"});
    EXPECT_EQ(calls, 1);
}

TEST(EventBusTest, LabEventsSayWhichNodeTheyHappenedOn) {
    Lab lab;
    Node* a = lab.addNode("network").value();
    Node* b = lab.addNode("compute").value();
    OvsBridge* brA = a->addOvsBridge("br-int", OvsBridge::FailMode::Standalone).value();
    OvsBridge* brB = b->addOvsBridge("br-int", OvsBridge::FailMode::Standalone).value();
    NetDevice& pa = a->createDevice("eth9", DeviceKind::Ethernet);
    NetDevice& pb = b->createDevice("eth9", DeviceKind::Ethernet);
    ASSERT_TRUE(a->addOvsSystemPort(*brA, pa).ok());
    ASSERT_TRUE(b->addOvsSystemPort(*brB, pb).ok());
    std::vector<std::string> learned;
    lab.events().subscribe([&](SimTime, const Event& e) {
        if (const auto* m = std::get_if<MacLearned>(&e)) {
            learned.push_back(std::string(m->node) + "/" + std::string(m->bridge));
        }
    });
    pb.receive(Packet(testing::PacketBuilder()
                          .eth("fa:16:3e:00:00:01", "ff:ff:ff:ff:ff:ff")
                          .arp(1, "fa:16:3e:00:00:01", "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2")
                          .build()));
    lab.clock().runAll();
    EXPECT_EQ(learned, (std::vector<std::string>{"compute/br-int"}));
}

}  // namespace
}  // namespace nlab::engine

namespace nlab::engine {
namespace {

TEST(EventBusTest, DevicesPublishTheirHopsWithNodeAndNamespace) {
    Lab lab;
    Node* n = lab.addNode("compute").value();
    NetNamespace* vm = n->addNamespace("instance1").value();
    auto [a, b] = n->createVethPair("qvb1", "eth0", nullptr, vm);
    std::vector<std::string> hops;
    lab.events().subscribe([&](SimTime t, const Event& e) {
        if (const auto* s = std::get_if<FrameSent>(&e)) {
            hops.push_back(std::to_string(t) + " sent " + std::string(s->node) + "/" +
                           std::string(s->netns) + "/" + std::string(s->device));
        } else if (const auto* r = std::get_if<FrameReceived>(&e)) {
            hops.push_back(std::to_string(t) + " recv " + std::string(r->node) + "/" +
                           std::string(r->netns) + "/" + std::string(r->device));
        }
    });
    lab.clock().advance(kSecond);
    a->transmit(Packet(testing::PacketBuilder()
                           .eth("fa:16:3e:00:00:01", "ff:ff:ff:ff:ff:ff")
                           .arp(1, "fa:16:3e:00:00:01", "10.0.0.1", "00:00:00:00:00:00", "10.0.0.2")
                           .build()));
    lab.clock().runAll();
    const std::string t0 = std::to_string(kSecond);
    const std::string t1 = std::to_string(kSecond + lab.latencies().veth);
    EXPECT_EQ(hops, (std::vector<std::string>{t0 + " sent compute//qvb1", t1 + " recv compute/instance1/eth0"}));
}

}  // namespace
}  // namespace nlab::engine
