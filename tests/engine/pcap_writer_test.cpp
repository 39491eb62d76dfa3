#include "engine/capture/pcap_writer.h"

#include "engine/core/sim_clock.h"
#include "engine/net/link.h"
#include "engine/net/net_device.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace nlab::engine {
namespace {

using testing::ByteVector;
using testing::DhcpSpec;
using testing::mac;
using testing::PacketBuilder;

constexpr const char* kVm = "fa:16:3e:32:28:af";
constexpr const char* kGw = "fa:16:3e:2a:46:e0";

ByteVector echo(std::uint16_t seq, bool reply = false) {
    return reply ? PacketBuilder()
                       .eth(kGw, kVm)
                       .ipv4("10.10.10.1", "10.10.10.7")
                       .icmpEcho(1, seq, testing::pattern(56), true)
                       .build()
                 : PacketBuilder()
                       .eth(kVm, kGw)
                       .ipv4("10.10.10.7", "10.10.10.1")
                       .icmpEcho(1, seq, testing::pattern(56))
                       .build();
}

/// Runs a shell command and returns its standard output (tshark's root warning goes to
/// stderr, which is discarded). Fails the test when the command fails.
std::string run(const std::string& command) {
    std::string out;
    FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
    if (p == nullptr) {
        ADD_FAILURE() << "cannot run " << command;
        return out;
    }
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    const int rc = pclose(p);
    EXPECT_EQ(rc, 0) << command;
    return out;
}

class PcapWriterTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (std::system("command -v tshark >/dev/null 2>&1") != 0)
            FAIL() << "tshark is not installed; install it (apt-get install tshark) to run the "
                      "capture tests";
        std::string tmpl = (std::filesystem::temp_directory_path() / "nlab-pcap-XXXXXX").string();
        ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
        dir = tmpl;
        vm = std::make_unique<NetDevice>(5, "tap8cbe7bb6-18", mac(kVm), DeviceKind::Tap);
        gw = std::make_unique<NetDevice>(6, "qr-1f5d7c2e-d3", mac(kGw), DeviceKind::OvsInternal);
        connectPointToPoint(clock, *vm, *gw, 50 * kMicrosecond);
        vm->setReceiveHandler([](NetDevice&, Packet&&) {});
        // The gateway answers every echo request after 10 us.
        gw->setReceiveHandler([this](NetDevice&, Packet&& p) {
            const std::uint16_t seq =
                static_cast<std::uint16_t>(p.bytes()[40] << 8 | p.bytes()[41]);
            clock.schedule(10 * kMicrosecond,
                           [this, seq] { gw->transmit(Packet(echo(seq, true))); });
        });
    }
    void TearDown() override {
        if (!dir.empty())
            std::filesystem::remove_all(dir);
    }

    std::string file(const std::string& name) const { return dir + "/" + name; }

    std::unique_ptr<PcapWriter> openWriter(const std::string& name, PcapOptions options = {}) {
        auto w = PcapWriter::open(file(name), clock, options);
        EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
        return w.ok() ? std::move(w).value() : nullptr;
    }

    /// tshark's field output for 'name'.
    std::string fields(const std::string& name, const std::string& fieldArgs) {
        return run("tshark -r " + file(name) + " -T fields " + fieldArgs);
    }
    /// Every packet tshark flags as malformed or with a bad IP/ICMP/UDP checksum.
    std::string problems(const std::string& name) {
        return run("tshark -r " + file(name) +
                   " -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE"
                   " -Y '_ws.malformed || _ws.expert.severity >= error'"
                   " -T fields -e frame.number -e _ws.expert.message");
    }

    /// Pings twice, one second apart, and runs the lab to the end.
    void pingTwice() {
        vm->transmit(Packet(echo(1)));
        clock.runUntil(kSecond);
        vm->transmit(Packet(echo(2)));
        clock.runAll();
    }

    SimClock clock;
    std::string dir;
    std::unique_ptr<NetDevice> vm, gw;
};

TEST_F(PcapWriterTest, BothDirectionsWithVirtualTimestamps) {
    auto w = openWriter("tap.pcap");
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->attach(*vm).ok());
    pingTwice();
    EXPECT_EQ(w->packetsWritten(), 4u);
    w.reset();
    EXPECT_EQ(fields("tap.pcap",
                     "-e frame.time_epoch -e eth.src -e eth.dst -e ip.src -e ip.dst -e icmp.type "
                     "-e icmp.seq -e frame.len"),
              "1401580800.000000000\tfa:16:3e:32:28:af\tfa:16:3e:2a:46:e0\t10.10.10.7\t"
              "10.10.10.1\t8\t1\t98\n"
              "1401580800.000110000\tfa:16:3e:2a:46:e0\tfa:16:3e:32:28:af\t10.10.10.1\t"
              "10.10.10.7\t0\t1\t98\n"
              "1401580801.000000000\tfa:16:3e:32:28:af\tfa:16:3e:2a:46:e0\t10.10.10.7\t"
              "10.10.10.1\t8\t2\t98\n"
              "1401580801.000110000\tfa:16:3e:2a:46:e0\tfa:16:3e:32:28:af\t10.10.10.1\t"
              "10.10.10.7\t0\t2\t98\n");
    EXPECT_EQ(problems("tap.pcap"), "");
}

TEST_F(PcapWriterTest, DirectionFiltersLikeTcpdumpQ) {
    auto in = openWriter("in.pcap");
    auto out = openWriter("out.pcap");
    ASSERT_TRUE(in && out);
    ASSERT_TRUE(in->attach(*vm, CaptureDirection::In).ok());
    ASSERT_TRUE(out->attach(*vm, CaptureDirection::Out).ok());
    pingTwice();
    EXPECT_EQ(in->packetsWritten(), 2u);
    EXPECT_EQ(out->packetsWritten(), 2u);
    in.reset();
    out.reset();
    EXPECT_EQ(fields("in.pcap", "-e frame.time_epoch -e icmp.type -e icmp.seq"),
              "1401580800.000110000\t0\t1\n1401580801.000110000\t0\t2\n");
    EXPECT_EQ(fields("out.pcap", "-e frame.time_epoch -e icmp.type -e icmp.seq"),
              "1401580800.000000000\t8\t1\n1401580801.000000000\t8\t2\n");
}

TEST_F(PcapWriterTest, OneWriterOnTwoDevicesInterleavesInTimeOrder) {
    auto w = openWriter("both.pcap");
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->attach(*vm, CaptureDirection::Out).ok());
    ASSERT_TRUE(w->attach(*gw, CaptureDirection::InOut).ok());
    EXPECT_EQ(w->attach(*gw).error().code, ErrorCode::AlreadyExists);
    vm->transmit(Packet(echo(1)));
    clock.runAll();
    w.reset();
    // vm out at 0, gw in at 50 us, gw out at 60 us (the reply; the vm's input is not recorded).
    EXPECT_EQ(fields("both.pcap", "-e frame.time_epoch -e icmp.type"),
              "1401580800.000000000\t8\n1401580800.000050000\t8\n1401580800.000060000\t0\n");
}

TEST_F(PcapWriterTest, PacketLimitLikeTcpdumpC) {
    PcapOptions options;
    options.maxPackets = 3;
    auto w = openWriter("c3.pcap", options);
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->attach(*vm).ok());
    EXPECT_FALSE(w->limitReached());
    pingTwice();
    EXPECT_EQ(w->packetsWritten(), 3u);
    EXPECT_TRUE(w->limitReached());
    w.reset();
    EXPECT_EQ(fields("c3.pcap", "-e icmp.seq -e icmp.type"), "1\t8\n1\t0\n2\t8\n");
}

TEST_F(PcapWriterTest, NanosecondPrecisionKeepsEveryDigit) {
    PcapOptions options;
    options.precision = PcapPrecision::Nano;
    auto nano = openWriter("nano.pcap", options);
    auto micro = openWriter("micro.pcap");
    ASSERT_TRUE(nano && micro);
    clock.runUntil(1234567891);  // 1.234567891 s
    nano->write(Packet(echo(1)));
    micro->write(Packet(echo(1)));
    nano.reset();
    micro.reset();
    EXPECT_EQ(fields("nano.pcap", "-e frame.time_epoch"), "1401580801.234567891\n");
    EXPECT_EQ(fields("micro.pcap", "-e frame.time_epoch"), "1401580801.234567000\n");
}

TEST_F(PcapWriterTest, DetachAndDestroyStopRecording) {
    auto w = openWriter("detach.pcap");
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->attach(*vm).ok());
    vm->transmit(Packet(echo(1)));
    ASSERT_TRUE(w->detach(*vm).ok());
    EXPECT_EQ(w->detach(*vm).error().code, ErrorCode::NotFound);
    vm->transmit(Packet(echo(2)));
    clock.runAll();
    EXPECT_EQ(w->packetsWritten(), 1u);
    // A writer destroyed before its device leaves no tap behind; a device destroyed before
    // its writer is not touched.
    ASSERT_TRUE(w->attach(*gw).ok());
    w.reset();
    gw->transmit(Packet(echo(3, true)));
    auto w2 = openWriter("gone.pcap");
    ASSERT_TRUE(w2);
    ASSERT_TRUE(w2->attach(*vm).ok());
    vm.reset();
    w2.reset();
    EXPECT_EQ(fields("detach.pcap", "-e icmp.seq"), "1\n");
}

TEST_F(PcapWriterTest, UnopenableFileIsAnErrorNamingThePath) {
    const std::string path = file("no-such-dir/x.pcap");
    auto w = PcapWriter::open(path, clock);
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.error().code, ErrorCode::InvalidArgument);
    EXPECT_EQ(w.error().message.rfind("cannot open capture file " + path + ": ", 0), 0u)
        << w.error().message;
    EXPECT_NE(w.error().message.find("No such file or directory"), std::string::npos)
        << w.error().message;
    PcapOptions bad;
    bad.snapLength = 0;
    EXPECT_EQ(PcapWriter::open(file("x.pcap"), clock, bad).error().code,
              ErrorCode::InvalidArgument);
}

TEST_F(PcapWriterTest, SnapLengthTruncatesCapturedBytes) {
    PcapOptions options;
    options.snapLength = 64;
    auto w = openWriter("snap.pcap", options);
    ASSERT_TRUE(w);
    w->write(Packet(echo(1)));
    w.reset();
    EXPECT_EQ(fields("snap.pcap", "-e frame.len -e frame.cap_len"), "98\t64\n");
}

TEST_F(PcapWriterTest, TsharkSeesArpDhcpAndGreKeyWithGoodChecksums) {
    auto w = openWriter("mix.pcap");
    ASSERT_TRUE(w);
    ASSERT_TRUE(w->attach(*vm, CaptureDirection::Out).ok());
    vm->transmit(Packet(PacketBuilder()
                            .eth(kVm, "ff:ff:ff:ff:ff:ff")
                            .arp(1, kVm, "10.10.10.7", "00:00:00:00:00:00", "10.10.10.1")
                            .build()));
    vm->transmit(Packet(PacketBuilder()
                            .eth(kVm, "ff:ff:ff:ff:ff:ff")
                            .ipv4("0.0.0.0", "255.255.255.255")
                            .dhcp(DhcpSpec::discover(0x3903f326, mac(kVm)))
                            .build()));
    vm->transmit(Packet(PacketBuilder()
                            .eth("fa:16:3e:00:00:8b", "fa:16:3e:00:00:8c")
                            .ipv4("10.10.100.139", "10.10.100.140")
                            .gre(0x1, echo(1))
                            .build()));
    w.reset();
    EXPECT_EQ(fields("mix.pcap",
                     "-e frame.protocols -e arp.dst.proto_ipv4 -e dhcp.option.dhcp -e gre.key "
                     "-e ip.src"),
              "eth:ethertype:arp\t10.10.10.1\t\t\t\n"
              "eth:ethertype:ip:udp:dhcp\t\t1\t\t0.0.0.0\n"
              "eth:ethertype:ip:gre:eth:ethertype:ip:icmp:data\t\t\t0x00000001\t"
              "10.10.100.139,10.10.10.7\n");
    EXPECT_EQ(problems("mix.pcap"), "");
}

TEST_F(PcapWriterTest, TheChecksumCheckCanFail) {
    auto w = openWriter("bad.pcap");
    ASSERT_TRUE(w);
    w->write(Packet(echo(1)));
    w->write(Packet(PacketBuilder()
                        .eth(kVm, kGw)
                        .ipv4("10.10.10.7", "10.10.10.1")
                        .badIpChecksum()
                        .icmpEcho(1, 2, testing::pattern(56))
                        .build()));
    w.reset();
    const std::string p = problems("bad.pcap");
    EXPECT_EQ(p.rfind("2\t", 0), 0u) << p;
    EXPECT_NE(p.find("Bad checksum"), std::string::npos) << p;
}

}  // namespace
}  // namespace nlab::engine
