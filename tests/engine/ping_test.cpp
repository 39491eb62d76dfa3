#include "engine/services/ping.h"

#include "engine/net/link.h"
#include "engine/net/net_device.h"
#include "engine/netns/net_namespace.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace nlab::engine {
namespace {

constexpr std::uint32_t ip(int a, int b, int c, int d) {
    return Ipv4Address::fromOctets(a, b, c, d).toU32();
}

using Lines = std::vector<std::string>;

/// A (10.0.0.1) --latency-- B (10.0.0.2) --latency2-- C (10.0.1.1), B forwarding.
class PingTest : public ::testing::Test {
protected:
    SimClock clock;
    EventBus bus;
    NetNamespace a{"a", clock, &bus};
    NetNamespace b{"b", clock, &bus};
    NetNamespace c{"c", clock, &bus};
    NetDevice aEth{2, "eth0", 0x02000000000aULL, DeviceKind::Veth};
    NetDevice bEth0{3, "eth0", 0x02000000000bULL, DeviceKind::Veth};
    NetDevice bEth1{4, "eth1", 0x0200000000b1ULL, DeviceKind::Veth};
    NetDevice cEth{5, "eth0", 0x02000000000cULL, DeviceKind::Veth};

    void build(SimDuration ab, SimDuration bc) {
        a.attach(aEth);
        b.attach(bEth0);
        b.attach(bEth1);
        c.attach(cEth);
        connectPointToPoint(clock, aEth, bEth0, ab);
        connectPointToPoint(clock, bEth1, cEth, bc);
        ASSERT_TRUE(a.addAddress("eth0", ip(10, 0, 0, 1), 24).ok());
        ASSERT_TRUE(b.addAddress("eth0", ip(10, 0, 0, 2), 24).ok());
        ASSERT_TRUE(b.addAddress("eth1", ip(10, 0, 1, 254), 24).ok());
        ASSERT_TRUE(c.addAddress("eth0", ip(10, 0, 1, 1), 24).ok());
        Route def;
        def.gateway = ip(10, 0, 0, 2);
        ASSERT_TRUE(a.addRoute(def).ok());
        def.gateway = ip(10, 0, 1, 254);
        ASSERT_TRUE(c.addRoute(def).ok());
        b.setIpForward(true);
    }

    PingResult ping(PingOptions o, Lines& lines) { return Ping::run(a, std::move(o), &lines); }
};

TEST(PingFormatTest, RttUsesIputilsSignificantDigits) {
    EXPECT_EQ(Ping::formatRtt(45), "0.045");
    EXPECT_EQ(Ping::formatRtt(999), "0.999");
    EXPECT_EQ(Ping::formatRtt(1050), "1.05");
    EXPECT_EQ(Ping::formatRtt(1004), "1.00");
    EXPECT_EQ(Ping::formatRtt(9994), "9.99");
    EXPECT_EQ(Ping::formatRtt(9995), "10.0");
    EXPECT_EQ(Ping::formatRtt(12345), "12.3");
    EXPECT_EQ(Ping::formatRtt(99949), "99.9");
    EXPECT_EQ(Ping::formatRtt(99950), "100");
    EXPECT_EQ(Ping::formatRtt(123456), "123");
}

TEST_F(PingTest, ThreeRepliesPrintExactlyWhatIputilsPrints) {
    build(525 * kMicrosecond, kMillisecond);
    Lines lines;
    PingOptions o;
    o.destination = ip(10, 0, 0, 2);
    o.count = 3;
    PingResult r = ping(o, lines);
    // The first round trip includes the ARP exchange (4 link crossings instead of 2).
    EXPECT_EQ(lines, (Lines{"PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.",
                            "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=2.10 ms",
                            "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=1.05 ms",
                            "64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=1.05 ms",
                            "",
                            "--- 10.0.0.2 ping statistics ---",
                            "3 packets transmitted, 3 received, 0% packet loss, time 2000ms",
                            "rtt min/avg/max/mdev = 1.050/1.400/2.100/0.494 ms"}));
    EXPECT_EQ(r.transmitted, 3);
    EXPECT_EQ(r.received, 3);
    EXPECT_EQ(r.errors, 0);
    EXPECT_EQ(r.rtts, (std::vector<SimDuration>{2100 * kMicrosecond, 1050 * kMicrosecond,
                                                1050 * kMicrosecond}));
    EXPECT_EQ(r.time, 2 * kSecond);
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(clock.now(), 2 * kSecond + 1050 * kMicrosecond);
}

TEST_F(PingTest, TotalLossWaitsForTheLingerTime) {
    build(kMillisecond, kMillisecond);
    b.setNatHook([](HookPoint, Packet&, const NetDevice*, const NetDevice*) { return false; });
    Lines lines;
    PingOptions o;
    o.destination = ip(10, 0, 0, 2);
    o.count = 3;
    PingResult r = ping(o, lines);
    EXPECT_EQ(lines, (Lines{"PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.",
                            "",
                            "--- 10.0.0.2 ping statistics ---",
                            "3 packets transmitted, 0 received, 100% packet loss, time 2000ms",
                            ""}));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(clock.now(), 12 * kSecond);  // Last probe at 2 s + -W 10 s.

    lines.clear();
    o.linger = 2 * kSecond;
    o.count = 1;
    ping(o, lines);
    EXPECT_EQ(lines[3], "1 packets transmitted, 0 received, 100% packet loss, time 0ms");
    EXPECT_EQ(clock.now(), 14 * kSecond);
}

TEST_F(PingTest, DeadNeighbourGivesHostUnreachableFromTheSender) {
    build(kMillisecond, kMillisecond);
    Lines lines;
    PingOptions o;
    o.destination = ip(10, 0, 0, 9);
    o.count = 3;
    PingResult r = ping(o, lines);
    EXPECT_EQ(lines, (Lines{"PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.",
                            "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable",
                            "From 10.0.0.1 icmp_seq=2 Destination Host Unreachable",
                            "From 10.0.0.1 icmp_seq=3 Destination Host Unreachable",
                            "",
                            "--- 10.0.0.9 ping statistics ---",
                            "3 packets transmitted, 0 received, +3 errors, 100% packet loss, "
                            "time 2000ms",
                            "pipe 3"}));
    EXPECT_EQ(r.errors, 3);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(clock.now(), 3 * kSecond);
}

TEST_F(PingTest, RouterReportsHostUnreachableAndTimeExceeded) {
    build(kMillisecond, kMillisecond);
    Lines lines;
    PingOptions o;
    o.destination = ip(10, 0, 1, 99);
    o.count = 1;
    ping(o, lines);
    EXPECT_EQ(lines[1], "From 10.0.0.2 icmp_seq=1 Destination Host Unreachable");
    EXPECT_EQ(lines[4], "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms");
    EXPECT_EQ(lines[5], "");

    lines.clear();
    o.destination = ip(10, 0, 1, 1);
    o.ttl = 1;
    ping(o, lines);
    EXPECT_EQ(lines[1], "From 10.0.0.2 icmp_seq=1 Time to live exceeded");
}

TEST_F(PingTest, RttFollowsTheConfiguredLatencyOverTwoHops) {
    build(2 * kMillisecond, 3 * kMillisecond);
    Lines lines;
    PingOptions o;
    o.destination = ip(10, 0, 1, 1);
    o.count = 3;
    o.interval = 200 * kMillisecond;
    PingResult r = ping(o, lines);
    EXPECT_EQ(lines[1], "64 bytes from 10.0.1.1: icmp_seq=1 ttl=63 time=20.0 ms");
    EXPECT_EQ(lines[2], "64 bytes from 10.0.1.1: icmp_seq=2 ttl=63 time=10.0 ms");
    EXPECT_EQ(lines[6], "3 packets transmitted, 3 received, 0% packet loss, time 400ms");
    EXPECT_EQ(lines[7], "rtt min/avg/max/mdev = 10.000/13.333/20.000/4.714 ms");
    EXPECT_EQ(r.received, 3);
}

TEST_F(PingTest, SourceOptionsSizesAndSetupErrors) {
    build(kMillisecond, kMillisecond);
    Lines lines;
    PingOptions o;
    o.destination = ip(10, 0, 0, 2);
    o.count = 1;
    o.source = "10.0.0.1";
    ping(o, lines);
    EXPECT_EQ(lines[0], "PING 10.0.0.2 (10.0.0.2) from 10.0.0.1 : 56(84) bytes of data.");

    lines.clear();
    o.source = "eth0";
    o.size = 100;
    ping(o, lines);
    EXPECT_EQ(lines[0], "PING 10.0.0.2 (10.0.0.2) from 10.0.0.1 eth0: 100(128) bytes of data.");
    EXPECT_EQ(lines[1], "108 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=2.00 ms");

    lines.clear();
    o.source.clear();
    o.size = 8;  // Too small for a timestamp: no times, no rtt line.
    ping(o, lines);
    EXPECT_EQ(lines[1], "16 bytes from 10.0.0.2: icmp_seq=1 ttl=64");
    EXPECT_EQ(lines.back(), "");
    EXPECT_EQ(lines.size(), 6u);

    lines.clear();
    o.source = "10.9.9.9";
    EXPECT_EQ(ping(o, lines).exitCode, 2);
    EXPECT_EQ(lines, (Lines{"ping: bind: Cannot assign requested address"}));
    lines.clear();
    o.source = "eth9";
    ping(o, lines);
    EXPECT_EQ(lines, (Lines{"ping: SO_BINDTODEVICE eth9: No such device"}));
    lines.clear();
    o.source.clear();
    ASSERT_TRUE(a.delRoute(0, 0).ok());
    o.destination = ip(192, 168, 1, 1);
    ping(o, lines);
    EXPECT_EQ(lines, (Lines{"ping: connect: Network is unreachable"}));
}

TEST_F(PingTest, DeadlineStopsARunWithoutCount) {
    build(kMillisecond, kMillisecond);
    Lines lines;
    PingOptions o;
    o.destination = ip(10, 0, 0, 2);
    o.deadline = 3 * kSecond;
    PingResult r = ping(o, lines);
    EXPECT_EQ(r.transmitted, 3);
    EXPECT_EQ(r.received, 3);
    EXPECT_EQ(lines[lines.size() - 2],
              "3 packets transmitted, 3 received, 0% packet loss, time 2000ms");
    EXPECT_EQ(clock.now(), 3 * kSecond);
}

TEST_F(PingTest, ManyFastRoundTripsAreDeterministic) {
    build(10 * kMicrosecond, 10 * kMicrosecond);
    Lines lines;
    PingOptions o;
    o.destination = ip(10, 0, 1, 1);
    o.count = 2000;
    o.interval = kMillisecond;
    PingResult r = ping(o, lines);
    EXPECT_EQ(r.received, 2000);
    EXPECT_EQ(lines[2], "64 bytes from 10.0.1.1: icmp_seq=2 ttl=63 time=0.040 ms");
    EXPECT_EQ(lines.back(), "rtt min/avg/max/mdev = 0.040/0.040/0.080/0.000 ms");
}

}  // namespace
}  // namespace nlab::engine
