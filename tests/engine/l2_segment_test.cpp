#include "engine/net/l2_segment.h"

#include "engine/core/sim_clock.h"
#include "engine/net/net_device.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace nlab::engine {
namespace {

using testing::ByteVector;
using testing::mac;
using testing::PacketBuilder;

constexpr const char* kCompute = "52:54:00:00:00:8c";  // eth1 of the compute node.
constexpr const char* kNetwork = "52:54:00:00:00:8b";  // eth1 of the network node.
constexpr const char* kExtra = "52:54:00:00:00:99";
constexpr const char* kBcast = "ff:ff:ff:ff:ff:ff";

struct Arrival {
    SimTime at;
    std::string device;
    ByteVector bytes;
    friend bool operator==(const Arrival&, const Arrival&) = default;
};

class L2SegmentTest : public ::testing::Test {
protected:
    L2SegmentTest() : seg("underlay", clock, 20 * kMicrosecond) {
        const char* macs[] = {kCompute, kNetwork, kExtra};
        const char* names[] = {"eth1-compute", "eth1-network", "eth1-extra"};
        for (int i = 0; i < 3; ++i) {
            nics.push_back(
                std::make_unique<NetDevice>(2 + i, names[i], mac(macs[i]), DeviceKind::Ethernet));
            nics.back()->setReceiveHandler([this](NetDevice& d, Packet&& p) {
                log.push_back({clock.now(), d.name(), p.data()});
            });
            auto port = seg.attach(*nics.back());
            EXPECT_TRUE(port.ok());
            EXPECT_EQ(port.value(), i + 1);
        }
    }
    static ByteVector frame(const char* src, const char* dst) {
        return PacketBuilder().eth(src, dst).ipv4("10.10.100.140", "10.10.100.139").build();
    }

    SimClock clock;
    L2Segment seg;
    std::vector<std::unique_ptr<NetDevice>> nics;
    std::vector<Arrival> log;
};

TEST_F(L2SegmentTest, BroadcastFloodsInAttachmentOrderAfterTheLatency) {
    nics[1]->transmit(Packet(frame(kNetwork, kBcast)));
    clock.runUntil(20 * kMicrosecond - 1);
    EXPECT_TRUE(log.empty());
    clock.runAll();
    EXPECT_EQ(log, (std::vector<Arrival>{{20000, "eth1-compute", frame(kNetwork, kBcast)},
                                         {20000, "eth1-extra", frame(kNetwork, kBcast)}}));
    EXPECT_EQ(seg.macTable(),
              (std::vector<SegmentMacEntry>{{mac(kNetwork), 2, "eth1-network", 20000}}));
    EXPECT_EQ(seg.stats().frames, 1u);
    EXPECT_EQ(seg.stats().flooded, 1u);
    EXPECT_EQ(seg.stats().deliveries, 2u);
    EXPECT_EQ(nics[1]->stats().txPackets, 1u);
    EXPECT_EQ(nics[0]->stats().rxPackets, 1u);
    EXPECT_EQ(nics[1]->stats().rxPackets, 0u);
}

TEST_F(L2SegmentTest, LearnedUnicastGoesToOnePort) {
    nics[1]->transmit(Packet(frame(kNetwork, kBcast)));
    clock.runAll();
    log.clear();
    nics[0]->transmit(Packet(frame(kCompute, kNetwork)));
    clock.runAll();
    EXPECT_EQ(log, (std::vector<Arrival>{{40000, "eth1-network", frame(kCompute, kNetwork)}}));
    EXPECT_EQ(seg.stats().forwarded, 1u);
    // Unknown unicast floods.
    log.clear();
    nics[0]->transmit(Packet(frame(kCompute, "52:54:00:00:00:01")));
    clock.runAll();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].device, "eth1-network");
    EXPECT_EQ(log[1].device, "eth1-extra");
    // Destination behind the input port: dropped, never sent back.
    log.clear();
    nics[0]->transmit(Packet(frame(kCompute, kCompute)));
    clock.runAll();
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(seg.stats().dropped, 1u);
}

TEST_F(L2SegmentTest, EntriesAgeAndDetachForgets) {
    seg.setAgeingTime(10 * kSecond);
    nics[1]->transmit(Packet(frame(kNetwork, kBcast)));
    clock.runAll();
    clock.runUntil(20 * kMicrosecond + 10 * kSecond - 1);
    EXPECT_EQ(seg.macTable().size(), 1u);
    clock.runUntil(20 * kMicrosecond + 10 * kSecond);
    EXPECT_TRUE(seg.macTable().empty());

    nics[1]->transmit(Packet(frame(kNetwork, kBcast)));
    clock.runAll();
    ASSERT_TRUE(seg.detach(*nics[1]).ok());
    EXPECT_EQ(seg.detach(*nics[1]).error().code, ErrorCode::NotFound);
    EXPECT_TRUE(seg.macTable().empty());
    EXPECT_EQ(seg.devices(), (std::vector<const NetDevice*>{nics[0].get(), nics[2].get()}));
    EXPECT_EQ(seg.attach(*nics[0]).error().code, ErrorCode::AlreadyExists);
    log.clear();
    nics[1]->transmit(Packet(frame(kNetwork, kBcast)));  // No medium any more.
    clock.runAll();
    EXPECT_TRUE(log.empty());
    auto again = seg.attach(*nics[1]);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value(), 4);
}

TEST_F(L2SegmentTest, DownAndDestroyedDevices) {
    nics[2]->setUp(false);
    nics[1]->transmit(Packet(frame(kNetwork, kBcast)));
    clock.runAll();
    EXPECT_EQ(log.size(), 1u);
    EXPECT_EQ(nics[2]->stats().rxDropped, 1u);
    nics[0].reset();
    log.clear();
    nics[1]->transmit(Packet(frame(kNetwork, kBcast)));
    clock.runAll();
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(nics[2]->stats().rxDropped, 2u);
    nics[1]->transmit(Packet(frame(kNetwork, kBcast)));
}

TEST_F(L2SegmentTest, DestroyedSegmentDiscardsFramesInFlight) {
    auto seg2 = std::make_unique<L2Segment>("external", clock, kMillisecond);
    NetDevice a(20, "eth2", mac("52:54:00:00:01:01"), DeviceKind::Ethernet);
    NetDevice b(21, "ext-host", mac("52:54:00:00:01:02"), DeviceKind::Ethernet);
    b.setReceiveHandler([this](NetDevice& d, Packet&& p) {
        log.push_back({clock.now(), d.name(), p.data()});
    });
    ASSERT_TRUE(seg2->attach(a).ok());
    ASSERT_TRUE(seg2->attach(b).ok());
    a.transmit(Packet(frame("52:54:00:00:01:01", kBcast)));
    seg2.reset();
    clock.runAll();
    EXPECT_TRUE(log.empty());
}

}  // namespace
}  // namespace nlab::engine
