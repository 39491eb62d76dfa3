// tcpdump in the emulated shell: tcpdump 4.5.1's line formats for the frames the lab carries,
// the capture life cycle in the foreground (-c N, the 60 s limit) and as a background job,
// and pcap files that tshark decodes.
#include "engine/console/tcpdump_command.h"

#include "engine/codec/frame_compose.h"
#include "engine/console/shell.h"
#include "engine/lab/lab.h"
#include "engine/services/ping.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace nlab::engine {
namespace {

std::uint32_t ip(const char* s) {
    return Ipv4Address::parse(s)->toU32();
}
std::uint64_t mac(const char* s) {
    return MacAddress::parse(s)->toU64();
}

FlowKey ethernet(const char* src, const char* dst, std::uint16_t type) {
    FlowKey k;
    k.dl_src = mac(src);
    k.dl_dst = mac(dst);
    k.dl_type = type;
    return k;
}

std::vector<std::uint8_t> arpRequest() {
    FlowKey k = ethernet("fa:16:3e:32:28:af", "ff:ff:ff:ff:ff:ff", eth_type::kArp);
    k.nw_proto = 1;
    k.nw_src = ip("10.10.10.7");
    k.nw_dst = ip("10.10.10.1");
    k.arp_sha = k.dl_src;
    return composeFrame(k);
}

std::vector<std::uint8_t> echoRequest(std::uint16_t vlanTci = 0) {
    FlowKey k = ethernet("fa:16:3e:32:28:af", "fa:16:3e:2a:46:e0", eth_type::kIpv4);
    k.vlan_tci = vlanTci;
    k.nw_proto = ip_proto::kIcmp;
    k.nw_src = ip("10.10.10.7");
    k.nw_dst = ip("10.10.10.1");
    k.nw_ttl = 64;
    k.tp_src = 8;
    std::vector<std::uint8_t> f = composeFrame(k, 56);
    const std::size_t icmp = 14 + (vlanTci ? 4 : 0) + 20;
    f[icmp + 5] = 1;  // id 1
    f[icmp + 7] = 1;  // seq 1
    return f;
}

std::string print(const std::vector<std::uint8_t>& f, bool n = true, bool e = false, int v = 0) {
    TcpdumpFormat fmt;
    fmt.numeric = n;
    fmt.linkHeader = e;
    fmt.verbose = v;
    return formatTcpdumpFrame(f, fmt);
}

TEST(TcpdumpFormatTest, TimeStampsAreTheVirtualTimeOfDay) {
    EXPECT_EQ(formatTcpdumpTime(5 * kSecond + 123'456'789), "00:00:05.123456");
    EXPECT_EQ(formatTcpdumpTime(3 * 3600 * kSecond + 61 * kSecond), "03:01:01.000000");
}

TEST(TcpdumpFormatTest, IcmpAndArpLines) {
    EXPECT_EQ(print(echoRequest()),
              "IP 10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, length 64");
    EXPECT_EQ(print(echoRequest(), true, true),
              "fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, ethertype IPv4 (0x0800), length 98: "
              "10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, length 64");
    EXPECT_EQ(print(echoRequest(), true, false, 1),
              "IP (tos 0x0, ttl 64, id 0, offset 0, flags [none], proto ICMP (1), length 84)\n"
              "    10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, length 64");
    EXPECT_EQ(print(arpRequest()), "ARP, Request who-has 10.10.10.1 tell 10.10.10.7, length 46");
    EXPECT_EQ(print(arpRequest(), true, true),
              "fa:16:3e:32:28:af > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 60: "
              "Request who-has 10.10.10.1 tell 10.10.10.7, length 46");
}

TEST(TcpdumpFormatTest, VlanTagsShowWithLinkHeaders) {
    const auto f = echoRequest(0x1004);
    EXPECT_EQ(print(f), "IP 10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, length 64");
    EXPECT_EQ(print(f, true, true),
              "fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, ethertype 802.1Q (0x8100), length 102: "
              "vlan 4, p 0, ethertype IPv4, 10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, "
              "seq 1, length 64");
}

TEST(TcpdumpFormatTest, DhcpRequestAndReply) {
    FlowKey k = ethernet("fa:16:3e:32:28:af", "ff:ff:ff:ff:ff:ff", eth_type::kIpv4);
    k.nw_proto = ip_proto::kUdp;
    k.nw_src = 0;
    k.nw_dst = ip("255.255.255.255");
    k.nw_ttl = 64;
    k.tp_src = 68;
    k.tp_dst = 67;
    std::vector<std::uint8_t> f = composeFrame(k, 300);
    std::uint8_t* bootp = f.data() + 14 + 20 + 8;
    bootp[0] = 1;
    bootp[1] = 1;
    bootp[2] = 6;
    const std::uint8_t chaddr[] = {0xfa, 0x16, 0x3e, 0x32, 0x28, 0xaf};
    std::copy(std::begin(chaddr), std::end(chaddr), bootp + 28);
    EXPECT_EQ(print(f),
              "IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Request from "
              "fa:16:3e:32:28:af, length 300");
    // Without -n, tcpdump names the well-known ports.
    EXPECT_EQ(print(f, false),
              "IP 0.0.0.0.bootpc > 255.255.255.255.bootps: BOOTP/DHCP, Request "
              "from fa:16:3e:32:28:af, length 300");
    bootp[0] = 2;
    EXPECT_EQ(print(f), "IP 0.0.0.0.68 > 255.255.255.255.67: BOOTP/DHCP, Reply, length 300");
}

TEST(TcpdumpFormatTest, GreWithKeyCarryingAnEthernetFrame) {
    const std::vector<std::uint8_t> inner = echoRequest();
    FlowKey k = ethernet("00:0c:29:07:13:c9", "00:0c:29:5a:1e:91", eth_type::kIpv4);
    k.nw_proto = ip_proto::kGre;
    k.nw_src = ip("10.10.100.140");
    k.nw_dst = ip("10.10.100.139");
    k.nw_ttl = 64;
    std::vector<std::uint8_t> f = composeFrame(k, 8 + inner.size());
    std::uint8_t* gre = f.data() + 14 + 20;
    const std::uint8_t header[] = {0x20, 0x00, 0x65, 0x58, 0, 0, 0, 1};
    std::copy(std::begin(header), std::end(header), gre);
    std::copy(inner.begin(), inner.end(), gre + 8);
    EXPECT_EQ(print(f),
              "IP 10.10.100.140 > 10.10.100.139: GREv0, key=0x1, length 106: "
              "IP 10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, length 64");
    EXPECT_EQ(print(f, true, true),
              "00:0c:29:07:13:c9 > 00:0c:29:5a:1e:91, ethertype IPv4 (0x0800), length 140: "
              "10.10.100.140 > 10.10.100.139: GREv0, key=0x1, proto TEB (0x6558), length 106: "
              "fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, ethertype IPv4 (0x0800), length 98: "
              "10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, length 64");
}

TEST(TcpdumpFormatTest, TruncatedFramesDoNotReadPastTheEnd) {
    std::vector<std::uint8_t> f = echoRequest();
    for (std::size_t n = 0; n < f.size(); ++n) {
        std::vector<std::uint8_t> cut(f.begin(), f.begin() + std::ptrdiff_t(n));
        (void)print(cut, true, true, 1);
    }
    EXPECT_EQ(print({1, 2, 3}), "[|ether]");
    std::vector<std::uint8_t> cut(f.begin(), f.begin() + 30);
    EXPECT_EQ(print(cut), "IP truncated-ip 16");
}

/// A node with a namespace holding 10.10.10.7 on a veth whose peer (in the root namespace)
/// holds 10.10.10.1: enough for pings, ARP and a capture point on each side.
class TcpdumpCommandTest : public ::testing::Test {
protected:
    Lab lab{3};
    Shell shell{lab};
    Node* node = nullptr;
    NetNamespace* ns = nullptr;
    NetDevice* veth = nullptr;
    ShellContext host;
    std::filesystem::path dir;

    void SetUp() override {
        registerHostCommands(shell);
        registerOvsCommands(shell);
        node = lab.addNode("compute").value();
        ns = node->addNamespace("vm1").value();
        auto [a, b] = node->createVethPair("veth0", "eth0", nullptr, ns);
        veth = a;
        a->setMac(mac("fa:16:3e:2a:46:e0"));
        b->setMac(mac("fa:16:3e:32:28:af"));
        ASSERT_TRUE(node->root().addAddress("veth0", ip("10.10.10.1"), 24).ok());
        ASSERT_TRUE(ns->addAddress("eth0", ip("10.10.10.7"), 24).ok());
        host.kind = ShellContext::Kind::Host;
        host.node = node;
        dir =
            std::filesystem::temp_directory_path() / ("nlab-tcpdump-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        shell.setFileDir(dir.string());
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    PingResult ping(int count) {
        PingOptions o;
        o.destination = ip("10.10.10.1");
        o.count = count;
        o.identifier = 1;
        return Ping::run(*ns, o);
    }
};

TEST_F(TcpdumpCommandTest, UnknownInterfaceIsReportedAsLibpcapDoes) {
    CommandOutput o = shell.run(host, "tcpdump -i nope");
    EXPECT_EQ(o.err, "tcpdump: nope: No such device exists\n(SIOCGIFHWADDR: No such device)\n");
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.status, 1);
    // eth0 lives in the namespace, not in the root.
    EXPECT_EQ(shell.run(host, "tcpdump -i eth0").status, 1);
    EXPECT_EQ(shell.run(host, "tcpdump -i veth0 -c x").err, "tcpdump: invalid packet count x\n");
    EXPECT_EQ(shell.run(host, "tcpdump -i veth0 -Z").err, "tcpdump: invalid option -- 'Z'\n");
    EXPECT_EQ(shell.run(host, "tcpdump -i veth0 port").err, "tcpdump: syntax error\n");
}

TEST_F(TcpdumpCommandTest, ForegroundCountRunsTheClockUntilEnoughFramesPassed) {
    const auto arp = arpRequest();
    lab.clock().schedule(kSecond, [&] { veth->transmit(Packet(arp)); });
    lab.clock().schedule(2 * kSecond, [&] { veth->transmit(Packet(echoRequest())); });
    lab.clock().schedule(3 * kSecond, [&] { veth->transmit(Packet(arp)); });
    CommandOutput o = shell.run(host, "tcpdump -n -i veth0 -c 2 icmp or arp");
    EXPECT_EQ(o.err, "tcpdump: the lab's tcpdump filters are primitives joined by \"and\"\n");
    o = shell.run(host, "tcpdump -n -i veth0 -c 2");
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.out,
              "00:00:01.000000 ARP, Request who-has 10.10.10.1 tell 10.10.10.7, length 46\n"
              "00:00:02.000000 IP 10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, "
              "length 64\n");
    EXPECT_EQ(o.err,
              "tcpdump: verbose output suppressed, use -v or -vv for full protocol decode\n"
              "listening on veth0, link-type EN10MB (Ethernet), capture size 65535 bytes\n"
              "2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n");
    EXPECT_EQ(lab.clock().now(), 2 * kSecond);
}

TEST_F(TcpdumpCommandTest, ForegroundWithoutCountStopsAfterSixtySeconds) {
    lab.clock().schedule(kSecond, [&] { veth->transmit(Packet(echoRequest())); });
    CommandOutput o = shell.run(host, "tcpdump -nn -i veth0 arp");
    EXPECT_EQ(o.out, "\n");
    EXPECT_EQ(o.err,
              "tcpdump: verbose output suppressed, use -v or -vv for full protocol decode\n"
              "listening on veth0, link-type EN10MB (Ethernet), capture size 65535 bytes\n"
              "0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n");
    EXPECT_EQ(lab.clock().now(), 60 * kSecond);
    // The tap is gone: nothing else is printed or counted.
    veth->transmit(Packet(arpRequest()));
}

TEST_F(TcpdumpCommandTest, InsideANamespaceTheNamespacesDevicesAreSeen) {
    ShellContext inside{ShellContext::Kind::Namespace, node, ns, nullptr};
    // A frame the root side sends arrives at eth0 after the veth's latency.
    lab.clock().schedule(kSecond, [&] { veth->transmit(Packet(arpRequest())); });
    CommandOutput o = shell.run(inside, "tcpdump -c 1 -e -i eth0");
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out,
              "00:00:01.000002 fa:16:3e:32:28:af > ff:ff:ff:ff:ff:ff, ethertype ARP "
              "(0x0806), length 60: Request who-has 10.10.10.1 tell 10.10.10.7, length "
              "46\n");
    EXPECT_EQ(shell.run(inside, "tcpdump -i veth0").status, 1);
}

TEST_F(TcpdumpCommandTest, BackgroundJobPrintsWhileOtherCommandsRunTheClock) {
    CommandOutput o = shell.run(host, "tcpdump -n -i veth0 icmp &");
    EXPECT_EQ(o.status, 0);
    EXPECT_EQ(o.out, "");
    EXPECT_NE(o.err.find("[1] "), std::string::npos) << o.err;
    ASSERT_EQ(ping(2).received, 2);
    const std::string out = shell.takeJobOutput();
    EXPECT_EQ(
        out.find("tcpdump: verbose output suppressed, use -v or -vv for full protocol decode\n"
                 "listening on veth0, link-type EN10MB (Ethernet), capture size 65535 "
                 "bytes\n"),
        0u)
        << out;
    EXPECT_NE(out.find(" IP 10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, length 64\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find(" IP 10.10.10.1 > 10.10.10.7: ICMP echo reply, id 1, seq 2, length 64\n"),
              std::string::npos)
        << out;
    const std::string stopped = shell.stopAllJobs();
    EXPECT_NE(stopped.find("\n4 packets captured\n4 packets received by filter\n"
                           "0 packets dropped by kernel\n"),
              std::string::npos)
        << stopped;
}

TEST_F(TcpdumpCommandTest, BackgroundCountEndsTheJobByItself) {
    ASSERT_EQ(shell.run(host, "tcpdump -c 1 -n -i veth0 icmp &").status, 0);
    ASSERT_EQ(ping(1).received, 1);
    const std::string out = shell.takeJobOutput();
    EXPECT_NE(out.find("1 packet captured\n1 packet received by filter\n0 packets dropped by "
                       "kernel\n"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("Done"), std::string::npos) << out;
    EXPECT_EQ(shell.takeJobOutput(), "");
}

std::string runTool(const std::string& command) {
    std::string out;
    FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
    if (!p)
        return out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    pclose(p);
    return out;
}

TEST_F(TcpdumpCommandTest, WrittenCaptureDecodesInTshark) {
    if (std::system("command -v tshark >/dev/null 2>&1") != 0) {
        FAIL() << "tshark is not installed; install it (apt-get install tshark)";
    }
    CommandOutput o = shell.run(host, "tcpdump -i veth0 -w cap.pcap &");
    EXPECT_EQ(o.status, 0);
    ASSERT_EQ(ping(2).received, 2);
    const std::string first = shell.takeJobOutput();
    EXPECT_EQ(first,
              "tcpdump: listening on veth0, link-type EN10MB (Ethernet), capture size "
              "65535 bytes\n");
    const CommandOutput killed = shell.run(host, "kill %1");
    EXPECT_EQ(killed.status, 0) << killed.err;
    const std::string stopped = shell.takeJobOutput();
    EXPECT_NE(stopped.find("\n6 packets captured\n6 packets received by filter\n"),
              std::string::npos)
        << stopped;
    const std::string file = (dir / "cap.pcap").string();
    EXPECT_EQ(runTool("tshark -r " + file + " -T fields -e eth.type"),
              "0x0806\n0x0806\n0x0800\n0x0800\n0x0800\n0x0800\n");
    EXPECT_EQ(runTool("tshark -r " + file + " -Y icmp -T fields -e icmp.type -e icmp.seq"),
              "8\t1\n0\t1\n8\t2\n0\t2\n");
    EXPECT_EQ(runTool("tshark -r " + file +
                      " -o ip.check_checksum:TRUE -Y '_ws.malformed || _ws.expert.severity >= "
                      "error' -T fields -e frame.number"),
              "");
}

TEST_F(TcpdumpCommandTest, UnwritableFileIsAnError) {
    CommandOutput o = shell.run(host, "tcpdump -i veth0 -w /nonexistent/dir/x.pcap -c 1");
    EXPECT_EQ(o.status, 1);
    EXPECT_EQ(o.err.rfind("tcpdump: /nonexistent/dir/x.pcap: ", 0), 0u) << o.err;
}

}  // namespace
}  // namespace nlab::engine
