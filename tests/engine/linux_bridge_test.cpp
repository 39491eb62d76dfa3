#include "engine/net/linux_bridge.h"

#include "engine/core/events.h"
#include "engine/core/sim_clock.h"
#include "engine/net/net_device.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace nlab::engine {
namespace {

using testing::ByteVector;
using testing::mac;
using testing::PacketBuilder;

constexpr const char* kQvbMac = "1a:8e:57:f2:7d:11";
constexpr const char* kTapMac = "fe:16:3e:32:28:af";
constexpr const char* kVmMac = "fa:16:3e:32:28:af";  // The VM's eth0, behind the tap.
constexpr const char* kGwMac = "fa:16:3e:2a:46:e0";  // qr- port, behind qvb.
constexpr const char* kBcast = "ff:ff:ff:ff:ff:ff";

/// Who got which frame, in order: "qvb8cbe7bb6-18", "tap8cbe7bb6-18" (sent out of that
/// port), "host" (delivered to the bridge device's upper layer).
struct Delivery {
    std::string where;
    ByteVector bytes;
    friend bool operator==(const Delivery&, const Delivery&) = default;
};

}  // namespace

// Readable failure messages.
void PrintTo(const BridgeFdbEntry& e, std::ostream* os) {
    *os << "{" << e.portNo << ", " << e.port << ", " << MacAddress::fromU64(e.mac).toString()
        << (e.isLocal ? ", local" : ", learned") << ", " << e.updated << "}";
}

namespace {

class LinuxBridgeTest : public ::testing::Test {
protected:
    LinuxBridgeTest() {
        qbr = std::make_unique<NetDevice>(20, "qbr8cbe7bb6-18", mac("06:e2:53:13:86:42"),
                                          DeviceKind::LinuxBridge);
        qvb = std::make_unique<NetDevice>(21, "qvb8cbe7bb6-18", mac(kQvbMac), DeviceKind::Veth);
        tap = std::make_unique<NetDevice>(22, "tap8cbe7bb6-18", mac(kTapMac), DeviceKind::Tap);
        for (NetDevice* d : {qvb.get(), tap.get()})
            d->setTransmitHandler([this](NetDevice& dev, Packet&& p) {
                log.push_back({dev.name(), p.data()});
            });
        qbr->setReceiveHandler([this](NetDevice&, Packet&& p) {
            log.push_back({"host", p.data()});
        });
        events.subscribe([this](SimTime t, const Event& e) {
            if (const auto* l = std::get_if<MacLearned>(&e))
                seen.push_back(std::to_string(t) + " learned " +
                               MacAddress::fromU64(l->mac).toString() + " " + std::string(l->port) +
                               " " + std::to_string(l->ofport) + (l->moved ? " moved" : ""));
            if (const auto* a = std::get_if<MacAged>(&e))
                seen.push_back(std::to_string(t) + " aged " +
                               MacAddress::fromU64(a->mac).toString() + " " + std::string(a->port));
        });
        br = std::make_unique<LinuxBridge>(*qbr, clock, &events);
        EXPECT_TRUE(br->addInterface(*qvb).ok());
        EXPECT_TRUE(br->addInterface(*tap).ok());
    }

    static ByteVector frame(const char* src, const char* dst) {
        return PacketBuilder()
            .eth(src, dst)
            .ipv4("10.10.10.7", "10.10.10.1")
            .icmpEcho(1, 1, testing::pattern(56))
            .build();
    }
    static ByteVector arpRequest(const char* src) {
        return PacketBuilder()
            .eth(src, kBcast)
            .arp(1, src, "10.10.10.7", "00:00:00:00:00:00", "10.10.10.1")
            .build();
    }

    SimClock clock;
    EventBus events;
    std::unique_ptr<NetDevice> qbr, qvb, tap;
    std::unique_ptr<LinuxBridge> br;
    std::vector<Delivery> log;
    std::vector<std::string> seen;
};

TEST_F(LinuxBridgeTest, AddInterfaceEnslavesAndTakesTheLowestPortMac) {
    EXPECT_EQ(br->name(), "qbr8cbe7bb6-18");
    EXPECT_EQ(br->portNumber(*qvb), 1);
    EXPECT_EQ(br->portNumber(*tap), 2);
    EXPECT_EQ(qvb->master(), "qbr8cbe7bb6-18");
    EXPECT_EQ(tap->master(), "qbr8cbe7bb6-18");
    EXPECT_TRUE(qvb->hasReceiveHandler());
    EXPECT_EQ(br->bridgeIdText(), "8000.1a8e57f27d11");
    EXPECT_EQ(qbr->mac(), mac(kQvbMac));
    EXPECT_FALSE(br->stpEnabled());
    EXPECT_EQ(br->forwardDelay(), 0);
    EXPECT_EQ(br->ageingTime(), 300 * kSecond);
    EXPECT_EQ(formatBrctlShow({br.get()}),
              "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n"
              "qbr8cbe7bb6-18\t\t8000.1a8e57f27d11\tno\t\tqvb8cbe7bb6-18\n"
              "\t\t\t\t\t\t\ttap8cbe7bb6-18\n");
    // Local entries for the ports' own MACs, sorted by MAC, as brctl showmacs prints them.
    EXPECT_EQ(formatShowMacs(*br, clock.now()),
              "port no\tmac addr\t\tis local?\tageing timer\n"
              "  1\t1a:8e:57:f2:7d:11\tyes\t\t   0.00\n"
              "  2\tfe:16:3e:32:28:af\tyes\t\t   0.00\n");
}

TEST_F(LinuxBridgeTest, AddInterfaceErrors) {
    Status again = br->addInterface(*tap);
    EXPECT_EQ(again.error().code, ErrorCode::AlreadyExists);
    EXPECT_EQ(again.error().message,
              "device tap8cbe7bb6-18 is already a member of a bridge; can't enslave it to "
              "bridge qbr8cbe7bb6-18.");
    EXPECT_EQ(br->addInterface(*qbr).error().code, ErrorCode::InvalidArgument);
    NetDevice lo(1, "lo", 0, DeviceKind::Loopback);
    EXPECT_EQ(br->addInterface(lo).error().code, ErrorCode::InvalidArgument);
    NetDevice other(30, "eth9", mac("00:00:00:00:00:01"), DeviceKind::Ethernet);
    Status rm = br->removeInterface(other);
    EXPECT_EQ(rm.error().code, ErrorCode::NotFound);
    EXPECT_EQ(rm.error().message, "device eth9 is not a slave of qbr8cbe7bb6-18");
    EXPECT_EQ(br->interfaces().size(), 2u);
    EXPECT_EQ(br->bridgeIdText(), "8000.1a8e57f27d11");
}

TEST_F(LinuxBridgeTest, UnknownUnicastFloodsToOtherPortsNotToTheHost) {
    tap->receive(Packet(frame(kVmMac, kGwMac)));
    EXPECT_EQ(log, (std::vector<Delivery>{{"qvb8cbe7bb6-18", frame(kVmMac, kGwMac)}}));
    EXPECT_EQ(br->stats().flooded, 1u);
    EXPECT_EQ(br->stats().delivered, 0u);
    EXPECT_EQ(qvb->stats().txPackets, 1u);
    EXPECT_EQ(tap->stats().rxPackets, 1u);
    EXPECT_EQ(tap->stats().txPackets, 0u);
    // A promiscuous bridge device also gets unknown unicast (br_handle_frame_finish).
    log.clear();
    qbr->setPromiscuous(true);
    tap->receive(Packet(frame(kVmMac, kGwMac)));
    EXPECT_EQ(log, (std::vector<Delivery>{{"qvb8cbe7bb6-18", frame(kVmMac, kGwMac)},
                                          {"host", frame(kVmMac, kGwMac)}}));
}

TEST_F(LinuxBridgeTest, BroadcastGoesToEveryOtherPortThenTheHost) {
    tap->receive(Packet(arpRequest(kVmMac)));
    EXPECT_EQ(log, (std::vector<Delivery>{{"qvb8cbe7bb6-18", arpRequest(kVmMac)},
                                          {"host", arpRequest(kVmMac)}}));
    EXPECT_EQ(qbr->stats().rxPackets, 1u);
    EXPECT_EQ(br->stats().flooded, 1u);
    EXPECT_EQ(br->stats().delivered, 1u);
    EXPECT_EQ(seen, (std::vector<std::string>{"0 learned fa:16:3e:32:28:af tap8cbe7bb6-18 2"}));
}

TEST_F(LinuxBridgeTest, LearnedDestinationGoesToItsPortOnly) {
    tap->receive(Packet(arpRequest(kVmMac)));
    clock.advance(2 * kSecond);
    qvb->receive(Packet(frame(kGwMac, kVmMac)));
    log.erase(log.begin(), log.begin() + 2);
    EXPECT_EQ(log, (std::vector<Delivery>{{"tap8cbe7bb6-18", frame(kGwMac, kVmMac)}}));
    EXPECT_EQ(br->stats().forwarded, 1u);
    EXPECT_EQ(br->fdb(), (std::vector<BridgeFdbEntry>{
                             {1, "qvb8cbe7bb6-18", mac(kQvbMac), true, 0},
                             {1, "qvb8cbe7bb6-18", mac(kGwMac), false, 2 * kSecond},
                             {2, "tap8cbe7bb6-18", mac(kVmMac), false, 0},
                             {2, "tap8cbe7bb6-18", mac(kTapMac), true, 0},
                         }));
    clock.advance(6137 * kMillisecond);  // Now 8.137 s; hundredths are truncated.
    EXPECT_EQ(formatShowMacs(*br, clock.now()),
              "port no\tmac addr\t\tis local?\tageing timer\n"
              "  1\t1a:8e:57:f2:7d:11\tyes\t\t   0.00\n"
              "  1\tfa:16:3e:2a:46:e0\tno\t\t   6.13\n"
              "  2\tfa:16:3e:32:28:af\tno\t\t   8.13\n"
              "  2\tfe:16:3e:32:28:af\tyes\t\t   0.00\n");
}

TEST_F(LinuxBridgeTest, FramesForTheBridgeOrAPortMacGoToTheHostOnly) {
    tap->receive(Packet(frame(kVmMac, kQvbMac)));  // Bridge MAC (= qvb's, local).
    tap->receive(Packet(frame(kVmMac, kTapMac)));  // The tap's own MAC (local entry).
    EXPECT_EQ(log, (std::vector<Delivery>{{"host", frame(kVmMac, kQvbMac)},
                                          {"host", frame(kVmMac, kTapMac)}}));
    EXPECT_EQ(br->stats().delivered, 2u);
    // The bridge device has no upper layer: the kernel counts an RX drop on it.
    qbr->setReceiveHandler(nullptr);
    tap->receive(Packet(frame(kVmMac, kQvbMac)));
    EXPECT_EQ(qbr->stats().rxDropped, 1u);
}

TEST_F(LinuxBridgeTest, NeverSendsBackOutOfTheInputPort) {
    tap->receive(Packet(arpRequest(kVmMac)));
    log.clear();
    const char* other = "fa:16:3e:00:00:99";
    tap->receive(Packet(frame(other, kVmMac)));  // Both behind the tap: hairpin off.
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(br->stats().dropped, 1u);
}

TEST_F(LinuxBridgeTest, InvalidFramesAreDroppedWithoutLearning) {
    tap->receive(Packet(frame("01:00:5e:00:00:01", kBcast)));  // Multicast source.
    tap->receive(Packet(frame("00:00:00:00:00:00", kBcast)));  // Zero source.
    tap->receive(Packet(ByteVector{0xff, 0xff, 0xff}));        // Runt.
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(br->stats().dropped, 3u);
    EXPECT_EQ(br->fdb().size(), 2u);
    EXPECT_TRUE(seen.empty());
}

TEST_F(LinuxBridgeTest, EntriesAgeOutAtExactly300Seconds) {
    tap->receive(Packet(arpRequest(kVmMac)));
    clock.runUntil(300 * kSecond - 1);
    ASSERT_TRUE(br->lookup(mac(kVmMac)).has_value());
    EXPECT_EQ(br->lookup(mac(kVmMac))->portNo, 2);
    clock.runUntil(300 * kSecond);
    EXPECT_FALSE(br->lookup(mac(kVmMac)).has_value());
    EXPECT_EQ(br->fdb().size(), 2u);
    EXPECT_EQ(br->stats().aged, 1u);
    EXPECT_EQ(seen, (std::vector<std::string>{"0 learned fa:16:3e:32:28:af tap8cbe7bb6-18 2",
                                              "300000000000 aged fa:16:3e:32:28:af "
                                              "tap8cbe7bb6-18"}));
    EXPECT_EQ(clock.pending(), 0u);
    // Unknown again: flooded.
    log.clear();
    qvb->receive(Packet(frame(kGwMac, kVmMac)));
    EXPECT_EQ(log, (std::vector<Delivery>{{"tap8cbe7bb6-18", frame(kGwMac, kVmMac)}}));
    EXPECT_EQ(br->stats().flooded, 2u);
}

TEST_F(LinuxBridgeTest, RefreshPostponesAgeing) {
    tap->receive(Packet(arpRequest(kVmMac)));
    clock.runUntil(100 * kSecond);
    tap->receive(Packet(arpRequest(kVmMac)));  // Refresh: no new event published.
    clock.runUntil(399 * kSecond);
    ASSERT_TRUE(br->lookup(mac(kVmMac)).has_value());
    EXPECT_EQ(br->lookup(mac(kVmMac))->updated, 100 * kSecond);
    clock.runUntil(400 * kSecond);
    EXPECT_FALSE(br->lookup(mac(kVmMac)).has_value());
    EXPECT_EQ(seen, (std::vector<std::string>{"0 learned fa:16:3e:32:28:af tap8cbe7bb6-18 2",
                                              "400000000000 aged fa:16:3e:32:28:af "
                                              "tap8cbe7bb6-18"}));
}

TEST_F(LinuxBridgeTest, SetAgeingTimeReplansExpiry) {
    tap->receive(Packet(arpRequest(kVmMac)));
    clock.runUntil(10 * kSecond);
    br->setAgeingTime(15 * kSecond);
    clock.runUntil(15 * kSecond - 1);
    EXPECT_TRUE(br->lookup(mac(kVmMac)).has_value());
    clock.runUntil(15 * kSecond);
    EXPECT_FALSE(br->lookup(mac(kVmMac)).has_value());
    EXPECT_EQ(br->stats().aged, 1u);
}

TEST_F(LinuxBridgeTest, MovedMacIsReportedAndFollowed) {
    tap->receive(Packet(arpRequest(kVmMac)));
    clock.advance(kSecond);
    qvb->receive(Packet(arpRequest(kVmMac)));
    EXPECT_EQ(br->lookup(mac(kVmMac))->portNo, 1);
    EXPECT_EQ(seen, (std::vector<std::string>{
                        "0 learned fa:16:3e:32:28:af tap8cbe7bb6-18 2",
                        "1000000000 learned fa:16:3e:32:28:af qvb8cbe7bb6-18 1 moved"}));
    EXPECT_EQ(br->stats().learned, 2u);
}

TEST_F(LinuxBridgeTest, HostTransmitIsForwardedWithoutLearning) {
    const ByteVector arp = arpRequest(kQvbMac);
    qbr->transmit(Packet(arp));
    EXPECT_EQ(log, (std::vector<Delivery>{{"qvb8cbe7bb6-18", arp}, {"tap8cbe7bb6-18", arp}}));
    EXPECT_EQ(qbr->stats().txPackets, 1u);
    EXPECT_EQ(br->fdb().size(), 2u);
    tap->receive(Packet(arpRequest(kVmMac)));
    log.clear();
    qbr->transmit(Packet(frame(kQvbMac, kVmMac)));
    EXPECT_EQ(log, (std::vector<Delivery>{{"tap8cbe7bb6-18", frame(kQvbMac, kVmMac)}}));
    // Unknown unicast from the host floods to the ports only.
    log.clear();
    qbr->transmit(Packet(frame(kQvbMac, kGwMac)));
    EXPECT_EQ(log, (std::vector<Delivery>{{"qvb8cbe7bb6-18", frame(kQvbMac, kGwMac)},
                                          {"tap8cbe7bb6-18", frame(kQvbMac, kGwMac)}}));
}

TEST_F(LinuxBridgeTest, DownDevicesDrop) {
    qvb->setUp(false);  // A down port is disabled: skipped by flooding.
    tap->receive(Packet(arpRequest(kVmMac)));
    EXPECT_EQ(log, (std::vector<Delivery>{{"host", arpRequest(kVmMac)}}));
    EXPECT_EQ(qvb->stats().txDropped, 0u);
    // A down port drops what arrives on it before the bridge sees it.
    qvb->receive(Packet(frame(kGwMac, kVmMac)));
    EXPECT_EQ(qvb->stats().rxDropped, 1u);
    EXPECT_EQ(log.size(), 1u);
    // Known unicast towards a down port is dropped.
    qvb->setUp(true);
    qvb->receive(Packet(arpRequest(kGwMac)));
    qvb->setUp(false);
    log.clear();
    tap->receive(Packet(frame(kVmMac, kGwMac)));
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(br->stats().dropped, 1u);
    // A down bridge forwards nothing.
    qvb->setUp(true);
    qbr->setUp(false);
    tap->receive(Packet(frame(kVmMac, kGwMac)));
    EXPECT_TRUE(log.empty());
    EXPECT_EQ(br->stats().dropped, 2u);
}

TEST_F(LinuxBridgeTest, RemoveInterfaceForgetsItsEntriesAndRecomputesTheId) {
    tap->receive(Packet(arpRequest(kVmMac)));
    qvb->receive(Packet(arpRequest(kGwMac)));
    ASSERT_TRUE(br->removeInterface(*qvb).ok());
    EXPECT_EQ(qvb->master(), "");
    EXPECT_FALSE(qvb->hasReceiveHandler());
    EXPECT_EQ(br->bridgeIdText(), "8000.fe163e3228af");
    EXPECT_EQ(qbr->mac(), mac(kTapMac));
    EXPECT_EQ(br->fdb(), (std::vector<BridgeFdbEntry>{
                             {2, "tap8cbe7bb6-18", mac(kVmMac), false, 0},
                             {2, "tap8cbe7bb6-18", mac(kTapMac), true, 0},
                         }));
    // Port numbers: the lowest free one is reused.
    NetDevice qvb2(23, "qvbaaaa", mac("02:00:00:00:00:02"), DeviceKind::Veth);
    ASSERT_TRUE(br->addInterface(qvb2).ok());
    EXPECT_EQ(br->portNumber(qvb2), 1);
    EXPECT_EQ(br->bridgeIdText(), "8000.020000000002");
    ASSERT_TRUE(br->removeInterface(qvb2).ok());
    ASSERT_TRUE(br->removeInterface(*tap).ok());
    EXPECT_EQ(br->bridgeIdText(), "8000.000000000000");
    EXPECT_EQ(qbr->mac(), 0u);
    EXPECT_EQ(formatBrctlShow({br.get()}),
              "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n"
              "qbr8cbe7bb6-18\t\t8000.000000000000\tno\t\t\n");
}

TEST_F(LinuxBridgeTest, PinnedMacIsKept) {
    br->setBridgeMac(mac("02:00:00:00:00:01"));
    NetDevice low(23, "aaa", mac("00:00:00:00:00:05"), DeviceKind::Veth);
    ASSERT_TRUE(br->addInterface(low).ok());
    EXPECT_EQ(br->bridgeIdText(), "8000.020000000001");
    EXPECT_EQ(qbr->mac(), mac("02:00:00:00:00:01"));
    // Interfaces are listed alphabetically, bridges by name.
    NetDevice qbr2dev(24, "br-ex-test", mac("02:00:00:00:00:09"), DeviceKind::LinuxBridge);
    LinuxBridge empty(qbr2dev, clock);
    EXPECT_EQ(formatBrctlShow({br.get(), &empty}),
              "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n"
              "br-ex-test\t\t8000.000000000000\tno\t\t\n"
              "qbr8cbe7bb6-18\t\t8000.020000000001\tno\t\taaa\n"
              "\t\t\t\t\t\t\tqvb8cbe7bb6-18\n"
              "\t\t\t\t\t\t\ttap8cbe7bb6-18\n");
    ASSERT_TRUE(br->removeInterface(low).ok());
}

TEST_F(LinuxBridgeTest, DestroyedPortIsSkipped) {
    qvb.reset();
    tap->receive(Packet(arpRequest(kVmMac)));
    EXPECT_EQ(log, (std::vector<Delivery>{{"host", arpRequest(kVmMac)}}));
    EXPECT_EQ(br->interfaces(), (std::vector<const NetDevice*>{tap.get()}));
}

TEST_F(LinuxBridgeTest, DestructionReleasesThePorts) {
    br.reset();
    EXPECT_EQ(qvb->master(), "");
    EXPECT_EQ(tap->master(), "");
    EXPECT_FALSE(tap->hasReceiveHandler());
    tap->receive(Packet(arpRequest(kVmMac)));
    EXPECT_EQ(tap->stats().rxDropped, 1u);
    EXPECT_TRUE(log.empty());
}

}  // namespace
}  // namespace nlab::engine
