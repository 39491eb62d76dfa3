#include "engine/net/link.h"

#include "engine/core/sim_clock.h"
#include "engine/net/net_device.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace nlab::engine {
namespace {

using testing::ByteVector;
using testing::PacketBuilder;

struct Received {
    SimTime at;
    ByteVector bytes;
};

class LinkTest : public ::testing::Test {
protected:
    LinkTest() {
        a = std::make_unique<NetDevice>(7, "qvb8cbe7bb6-18", testing::mac("1a:8e:57:f2:7d:11"),
                                        DeviceKind::Veth);
        b = std::make_unique<NetDevice>(8, "qvo8cbe7bb6-18", testing::mac("b6:2c:0d:5e:1f:02"),
                                        DeviceKind::Veth);
        a->setReceiveHandler([this](NetDevice&, Packet&& p) {
            atA.push_back({clock.now(), p.data()});
        });
        b->setReceiveHandler([this](NetDevice&, Packet&& p) {
            atB.push_back({clock.now(), p.data()});
        });
        connectPointToPoint(clock, *a, *b, 50 * kMicrosecond);
    }

    static ByteVector frame(std::uint8_t seq) {
        return PacketBuilder()
            .eth("fa:16:3e:32:28:af", "fa:16:3e:2a:46:e0")
            .ipv4("10.10.10.7", "10.10.10.1")
            .icmpEcho(1, seq, testing::pattern(56))
            .build();
    }

    SimClock clock;
    std::unique_ptr<NetDevice> a, b;
    std::vector<Received> atA, atB;
};

TEST_F(LinkTest, SetsPeerIfindexBothWays) {
    EXPECT_EQ(a->peerIfindex(), 8);
    EXPECT_EQ(b->peerIfindex(), 7);
}

TEST_F(LinkTest, DeliversAfterExactlyTheLatency) {
    a->transmit(Packet(frame(1)));
    EXPECT_TRUE(atB.empty());
    EXPECT_EQ(clock.pending(), 1u);
    clock.runUntil(50 * kMicrosecond - 1);
    EXPECT_TRUE(atB.empty());
    clock.runUntil(50 * kMicrosecond);
    ASSERT_EQ(atB.size(), 1u);
    EXPECT_EQ(atB[0].at, 50 * kMicrosecond);
    EXPECT_EQ(atB[0].bytes, frame(1));
    EXPECT_TRUE(atA.empty());
    EXPECT_EQ(a->stats().txPackets, 1u);
    EXPECT_EQ(a->stats().txBytes, 98u);
    EXPECT_EQ(b->stats().rxPackets, 1u);
    EXPECT_EQ(b->stats().rxBytes, 98u);
    EXPECT_EQ(a->stats().rxPackets, 0u);
    EXPECT_EQ(b->stats().txPackets, 0u);
}

TEST_F(LinkTest, BothDirectionsKeepOrderAndTiming) {
    a->transmit(Packet(frame(1)));
    clock.advance(10 * kMicrosecond);
    b->transmit(Packet(frame(2)));
    a->transmit(Packet(frame(3)));
    clock.runAll();
    ASSERT_EQ(atB.size(), 2u);
    EXPECT_EQ(atB[0].at, 50 * kMicrosecond);
    EXPECT_EQ(atB[0].bytes, frame(1));
    EXPECT_EQ(atB[1].at, 60 * kMicrosecond);
    EXPECT_EQ(atB[1].bytes, frame(3));
    ASSERT_EQ(atA.size(), 1u);
    EXPECT_EQ(atA[0].at, 60 * kMicrosecond);
    EXPECT_EQ(atA[0].bytes, frame(2));
}

TEST_F(LinkTest, ZeroLatencyStillGoesThroughTheClock) {
    connectPointToPoint(clock, *a, *b, 0);
    a->transmit(Packet(frame(1)));
    EXPECT_TRUE(atB.empty());
    EXPECT_EQ(clock.runUntil(0), 1u);
    ASSERT_EQ(atB.size(), 1u);
    EXPECT_EQ(atB[0].at, 0);
}

TEST_F(LinkTest, DownSenderDropsBeforeTheWire) {
    a->setUp(false);
    a->transmit(Packet(frame(1)));
    EXPECT_EQ(clock.pending(), 0u);
    EXPECT_EQ(a->stats().txDropped, 1u);
    EXPECT_EQ(a->stats().txPackets, 0u);
    clock.runAll();
    EXPECT_TRUE(atB.empty());
}

TEST_F(LinkTest, DownReceiverCountsAnRxDrop) {
    a->transmit(Packet(frame(1)));
    b->setUp(false);
    clock.runAll();
    EXPECT_TRUE(atB.empty());
    EXPECT_EQ(a->stats().txPackets, 1u);
    EXPECT_EQ(b->stats().rxDropped, 1u);
    EXPECT_EQ(b->stats().rxPackets, 0u);
}

TEST_F(LinkTest, DestroyedReceiverIsNeverTouched) {
    a->transmit(Packet(frame(1)));
    a->transmit(Packet(frame(2)));
    b.reset();
    EXPECT_EQ(clock.runAll(), 2u);
    EXPECT_TRUE(atB.empty());
    EXPECT_EQ(clock.pending(), 0u);
}

TEST_F(LinkTest, FrameInFlightOutlivesItsSender) {
    a->transmit(Packet(frame(1)));
    a.reset();
    clock.runAll();
    ASSERT_EQ(atB.size(), 1u);
    EXPECT_EQ(atB[0].bytes, frame(1));
}

}  // namespace
}  // namespace nlab::engine
