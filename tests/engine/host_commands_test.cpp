// Host and guest commands of the emulated shell on a small hand-built lab: a compute node
// whose instance1 (CirrOS) hangs off a Linux bridge together with a qrouter namespace
// (10.10.10.1) and a qdhcp namespace running the DHCP server (10.10.10.2). Every command's
// exact output, error texts and exit statuses.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/console/shell.h"
#include "engine/lab/vm.h"
#include "engine/net/linux_bridge.h"
#include "engine/services/dhcp_server.h"

namespace nlab::engine {
namespace {

std::uint32_t ip(const char* s) { return Ipv4Address::parse(s)->toU32(); }
std::uint64_t mac(const char* s) { return MacAddress::parse(s)->toU64(); }

class HostCommandsTest : public ::testing::Test {
protected:
    Lab lab{2014};
    Node* compute = nullptr;
    NetNamespace* qrouter = nullptr;
    NetNamespace* qdhcp = nullptr;
    LinuxBridge* qbr = nullptr;
    std::unique_ptr<Vm> instance1;
    std::unique_ptr<DhcpServer> dhcp;
    std::unique_ptr<Shell> shell;
    ShellContext host, router, vm;

    void SetUp() override {
        compute = lab.addNode("compute").value();
        NetDevice& eth0 = compute->createDevice("eth0", DeviceKind::Ethernet, mac("00:0c:29:07:13:bf"));
        ASSERT_TRUE(compute->root().addAddress("eth0", ip("192.168.232.140"), 24).ok());
        Route def;
        def.gateway = ip("192.168.232.2");
        def.device = "eth0";
        ASSERT_TRUE(compute->root().addRoute(def).ok());
        (void)eth0;

        qbr = compute->addLinuxBridge("qbr8cbe7bb6-18").value();
        qrouter = compute->addNamespace("qrouter-040c1455-6096-4806-ba91-fec64cdaed81").value();
        qdhcp = compute->addNamespace("qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4").value();
        auto [qvb, qr] = compute->createVethPair("qvb8cbe7bb6-18", "qr-d8fd27a6-d1", nullptr, qrouter);
        qr->setMac(mac("fa:16:3e:2a:46:e0"));
        ASSERT_TRUE(qbr->addInterface(*qvb).ok());
        ASSERT_TRUE(qrouter->addAddress("qr-d8fd27a6-d1", ip("10.10.10.1"), 24).ok());
        auto [qvd, tapd] = compute->createVethPair("qvd78dd7f1e-53", "tap78dd7f1e-53", nullptr, qdhcp);
        tapd->setMac(mac("fa:16:3e:3c:54:50"));
        ASSERT_TRUE(qbr->addInterface(*qvd).ok());
        ASSERT_TRUE(qdhcp->addAddress("tap78dd7f1e-53", ip("10.10.10.2"), 24).ok());

        DhcpServerConfig cfg;
        cfg.interface = "tap78dd7f1e-53";
        cfg.serverMac = MacAddress::fromU64(tapd->mac());
        cfg.serverAddress = Ipv4Address(ip("10.10.10.2"));
        cfg.router = Ipv4Address(ip("10.10.10.1"));
        dhcp = std::make_unique<DhcpServer>(lab.clock(), cfg);
        ASSERT_TRUE(dhcp->addHost({MacAddress::fromU64(mac("fa:16:3e:32:28:af")),
                                   Ipv4Address(ip("10.10.10.7")), "host-10-10-10-7"})
                        .ok());
        dhcp->setFrameSender([this](Packet&& p) { qdhcp->sendFrame("tap78dd7f1e-53", std::move(p)); });
        qdhcp->bindUdp(67, [this](const UdpReceived& d) { dhcp->receiveFrame(*d.frame); });

        instance1 = Vm::create(*compute, "instance1").value();
        NetDevice* tap = instance1->addNic("tap8cbe7bb6-18", mac("fa:16:3e:32:28:af")).value();
        ASSERT_TRUE(qbr->addInterface(*tap).ok());

        shell = std::make_unique<Shell>(lab);
        registerHostCommands(*shell);
        shell->addVm(*instance1);
        host = *shell->context("compute");
        router = *shell->context("compute/qrouter-040c1455-6096-4806-ba91-fec64cdaed81");
        vm = *shell->context("instance1");
    }

    void boot() {
        instance1->boot();
        lab.clock().advance(5 * kSecond);
        ASSERT_EQ(instance1->dhcpClient()->state(), DhcpClientState::Bound);
    }

    CommandOutput run(const ShellContext& c, std::string_view line) { return shell->run(c, line); }
};

TEST_F(HostCommandsTest, IpAddrLinkRouteNeigh) {
    boot();
    const std::string eth0 =
        "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group "
        "default qlen 1000\n"
        "    link/ether 00:0c:29:07:13:bf brd ff:ff:ff:ff:ff:ff\n"
        "    inet 192.168.232.140/24 brd 192.168.232.255 scope global eth0\n"
        "       valid_lft forever preferred_lft forever\n";
    CommandOutput r = run(host, "ip addr show dev eth0");
    EXPECT_EQ(r.out, eth0);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(run(host, "ip a s eth0").out, eth0);
    EXPECT_EQ(run(host, "ip -4 address show eth0").out, eth0);
    EXPECT_EQ(run(host, "ip addr").out.substr(0, 4), "1: l");
    EXPECT_EQ(run(host, "ip link show eth0").out,
              "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode "
              "DEFAULT group default qlen 1000\n"
              "    link/ether 00:0c:29:07:13:bf brd ff:ff:ff:ff:ff:ff\n");
    EXPECT_EQ(run(host, "ip route").out,
              "default via 192.168.232.2 dev eth0 \n"
              "192.168.232.0/24 dev eth0  proto kernel  scope link  src 192.168.232.140 \n");
    EXPECT_EQ(run(host, "ip r show dev eth0").out,
              "default via 192.168.232.2 \n"
              "192.168.232.0/24  proto kernel  scope link  src 192.168.232.140 \n");
    EXPECT_EQ(run(host, "ip route get 192.168.232.9").out,
              "192.168.232.9 dev eth0  src 192.168.232.140 \n    cache \n");
    EXPECT_EQ(run(host, "ip route get 8.8.8.8").out,
              "8.8.8.8 via 192.168.232.2 dev eth0  src 192.168.232.140 \n    cache \n");
    EXPECT_EQ(run(host, "ip route get 192.168.232.140").out,
              "local 192.168.232.140 dev lo  src 192.168.232.140 \n    cache <local> \n");
    r = run(router, "ip route get 8.8.8.8");
    EXPECT_EQ(r.err, "RTNETLINK answers: Network is unreachable\n");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(run(vm, "ip route").out,
              "default via 10.10.10.1 dev eth0 \n"
              "10.10.10.0/24 dev eth0  proto kernel  scope link  src 10.10.10.7 \n");
    run(vm, "ping -c 1 10.10.10.1");
    EXPECT_EQ(run(vm, "ip neigh").out, "10.10.10.1 dev eth0 lladdr fa:16:3e:2a:46:e0 REACHABLE\n");
    EXPECT_EQ(run(vm, "ip neigh show dev eth0").out, "10.10.10.1 lladdr fa:16:3e:2a:46:e0 REACHABLE\n");
    EXPECT_EQ(run(host, "ip neigh").out, "");
    lab.clock().advance(60 * kSecond);
    EXPECT_EQ(run(vm, "ip n").out, "10.10.10.1 dev eth0 lladdr fa:16:3e:2a:46:e0 STALE\n");
}

TEST_F(HostCommandsTest, IpErrors) {
    CommandOutput r = run(host, "ip addr show dev eth9");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "Device \"eth9\" does not exist.\n");
    EXPECT_EQ(r.status, 1);
    r = run(host, "ip link show eth9");
    EXPECT_EQ(r.err, "Device \"eth9\" does not exist.\n");
    r = run(host, "ip foo");
    EXPECT_EQ(r.err, "Object \"foo\" is unknown, try \"ip help\".\n");
    EXPECT_EQ(r.status, 1);
    r = run(host, "ip addr foo");
    EXPECT_EQ(r.err, "Command \"foo\" is unknown, try \"ip addr help\".\n");
    EXPECT_EQ(r.status, 255);
    EXPECT_EQ(run(host, "ip link foo").err, "Command \"foo\" is unknown, try \"ip link help\".\n");
    EXPECT_EQ(run(host, "ip route foo").err, "Command \"foo\" is unknown, try \"ip route help\".\n");
    EXPECT_EQ(run(host, "ip neigh foo").err, "Command \"foo\" is unknown, try \"ip neigh help\".\n");
    EXPECT_EQ(run(host, "ip netns foo").err, "Command \"foo\" is unknown, try \"ip netns help\".\n");
    r = run(host, "ip -x addr");
    EXPECT_EQ(r.err, "Option \"-x\" is unknown, try \"ip -help\".\n");
    EXPECT_EQ(r.status, 255);
    r = run(host, "ip");
    EXPECT_EQ(r.err.substr(0, 50), "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n  ");
    EXPECT_EQ(r.status, 255);
    r = run(host, "ip netns help");
    EXPECT_EQ(r.err.substr(0, 22), "Usage: ip netns list\n ");
    EXPECT_EQ(r.status, 255);
    r = run(host, "ip addr add 1.2.3.4/24 dev eth0");
    EXPECT_EQ(r.err, "ip addr add: not available in NeutronLab: the lab's tools show state; the "
                     "Neutron agents make the changes\n");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(run(host, "ip neigh get 1.2.3.4").err, "Sorry, \"neigh get\" is not implemented :-(\n");
    EXPECT_EQ(run(host, "ip -V").out, "ip utility, iproute2-ss131122\n");
}

TEST_F(HostCommandsTest, IpNetns) {
    // VM guests are never listed; the rest newest first, NodeInfo::netnsOrder first.
    EXPECT_EQ(run(host, "ip netns").out,
              "qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4\n"
              "qrouter-040c1455-6096-4806-ba91-fec64cdaed81\n");
    EXPECT_EQ(run(host, "ip netns show").out, run(host, "ip netns list").out);
    NodeInfo info;
    info.netnsOrder = {"qrouter-040c1455-6096-4806-ba91-fec64cdaed81"};
    shell->setNodeInfo("compute", info);
    EXPECT_EQ(run(host, "ip netns show").out,
              "qrouter-040c1455-6096-4806-ba91-fec64cdaed81\n"
              "qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4\n");
    EXPECT_EQ(run(router, "ip netns").out, run(host, "ip netns").out);

    CommandOutput r = run(host, "ip netns exec qrouter-040c1455-6096-4806-ba91-fec64cdaed81 ip route");
    EXPECT_EQ(r.out, "10.10.10.0/24 dev qr-d8fd27a6-d1  proto kernel  scope link  src 10.10.10.1 \n");
    EXPECT_EQ(r.status, 0);
    r = run(host, "ip netns exec qrouter-040c1455-6096-4806-ba91-fec64cdaed81 ip addr | grep -c inet");
    EXPECT_EQ(r.out, "2\n");
    r = run(host, "ip netns exec nope ip addr");
    EXPECT_EQ(r.err, "Cannot open network namespace \"nope\": No such file or directory\n");
    EXPECT_EQ(r.status, 1);
    r = run(host, "ip netns exec instance1 ip addr");
    EXPECT_EQ(r.err, "Cannot open network namespace \"instance1\": No such file or directory\n");
    r = run(host, "ip netns exec qrouter-040c1455-6096-4806-ba91-fec64cdaed81 foo -x");
    EXPECT_EQ(r.err, "exec of \"foo\" failed: No such file or directory\n");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(run(host, "ip netns exec").err, "No netns name specified\n");
    EXPECT_EQ(run(host, "ip netns exec qrouter-040c1455-6096-4806-ba91-fec64cdaed81").err,
              "No command specified\n");
    // The exit status is the command's.
    r = run(host, "ip netns exec qrouter-040c1455-6096-4806-ba91-fec64cdaed81 ip addr show dev x");
    EXPECT_EQ(r.status, 1);
    // busybox ip in the guest has no netns object.
    EXPECT_EQ(run(vm, "ip netns").err, "Object \"netns\" is unknown, try \"ip help\".\n");
}

TEST_F(HostCommandsTest, Ifconfig) {
    CommandOutput r = run(host, "ifconfig eth0");
    EXPECT_EQ(r.out,
              "eth0      Link encap:Ethernet  HWaddr 00:0c:29:07:13:bf  \n"
              "          inet addr:192.168.232.140  Bcast:192.168.232.255  Mask:255.255.255.0\n"
              "          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n"
              "          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n"
              "          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n"
              "          collisions:0 txqueuelen:1000 \n"
              "          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n"
              "\n");
    compute->device("eth0")->setUp(false);
    EXPECT_EQ(run(host, "ifconfig | grep -c Link").out, "5\n");
    EXPECT_EQ(run(host, "ifconfig -a | grep -c Link").out, "6\n");
    EXPECT_EQ(run(host, "ifconfig eth0 | grep MTU").out,
              "          BROADCAST MULTICAST  MTU:1500  Metric:1\n");
    r = run(host, "ifconfig eth9");
    EXPECT_EQ(r.err, "eth9: error fetching interface information: Device not found\n");
    EXPECT_EQ(r.status, 1);
    r = run(vm, "ifconfig eth9");
    EXPECT_EQ(r.err, "ifconfig: eth9: error fetching interface information: Device not found\n");
    EXPECT_EQ(run(host, "ifconfig eth0 up").status, 1);
}

TEST_F(HostCommandsTest, ArpAndRoute) {
    boot();
    run(vm, "ping -c 1 10.10.10.2");
    EXPECT_EQ(run(vm, "arp -n").out,
              "? (10.10.10.2) at fa:16:3e:3c:54:50 [ether] on eth0\n");
    CommandOutput r = run(host, "ip netns exec qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4 arp -n");
    EXPECT_EQ(r.out,
              "Address                  HWtype  HWaddress           Flags Mask            Iface\n"
              "10.10.10.7               ether   fa:16:3e:32:28:af   C                     tap78dd7f1e-53\n");
    r = run(host, "ip netns exec qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4 arp -an");
    EXPECT_EQ(r.out, "? (10.10.10.7) at fa:16:3e:32:28:af [ether] on tap78dd7f1e-53\n");
    EXPECT_EQ(run(host, "arp -n").out, "");
    EXPECT_EQ(run(host, "arp -n -i eth0").out, "arp: in 0 entries no match found.\n");
    EXPECT_EQ(run(host, "arp -z").err, "arp: invalid option -- 'z'\n");
    EXPECT_EQ(run(host, "route -n").out,
              "Kernel IP routing table\n"
              "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n"
              "0.0.0.0         192.168.232.2   0.0.0.0         UG    0      0        0 eth0\n"
              "192.168.232.0   0.0.0.0         255.255.255.0   U     0      0        0 eth0\n");
    EXPECT_EQ(run(vm, "route -n").out,
              "Kernel IP routing table\n"
              "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n"
              "0.0.0.0         10.10.10.1      0.0.0.0         UG    0      0        0 eth0\n"
              "10.10.10.0      0.0.0.0         255.255.255.0   U     0      0        0 eth0\n");
}

TEST_F(HostCommandsTest, BrctlAndEthtool) {
    EXPECT_EQ(run(host, "brctl show").out,
              "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n"
              "qbr8cbe7bb6-18\t\t8000.c60260759027\tno\t\tqvb8cbe7bb6-18\n"
              "\t\t\t\t\t\t\tqvd78dd7f1e-53\n"
              "\t\t\t\t\t\t\ttap8cbe7bb6-18\n");
    EXPECT_EQ(run(host, "brctl show nothere").out, "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n");
    CommandOutput r = run(host, "brctl showmacs qbr8cbe7bb6-18");
    EXPECT_EQ(r.out.substr(0, 45), "port no\tmac addr\t\tis local?\tageing timer\n  2\t");
    r = run(host, "brctl showmacs nope");
    EXPECT_EQ(r.err, "read of forward table failed: No such device\n");
    EXPECT_EQ(r.status, 1);
    r = run(host, "brctl showmacs");
    EXPECT_EQ(r.out, "Incorrect number of arguments for command\n"
                     "Usage: brctl showmacs <bridge>\tshow a list of mac addrs\n");
    EXPECT_EQ(r.status, 1);
    r = run(host, "brctl frob");
    EXPECT_EQ(r.err, "never heard of command [frob]\n");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(run(host, "brctl addbr x").status, 1);

    r = run(host, "ethtool -S qvb8cbe7bb6-18");
    EXPECT_EQ(r.out, "NIC statistics:\n     peer_ifindex: 5\n");
    EXPECT_EQ(r.status, 0);
    r = run(host, "ethtool -S eth0");
    EXPECT_EQ(r.err, "no stats available\n");
    EXPECT_EQ(r.status, 94);
    r = run(host, "ethtool -S eth9");
    EXPECT_EQ(r.err, "Cannot get driver information: No such device\n");
    EXPECT_EQ(r.status, 71);
    EXPECT_EQ(run(vm, "ethtool -S eth0").err, "-sh: ethtool: not found\n");
    EXPECT_EQ(run(vm, "brctl show").status, 127);
}

TEST_F(HostCommandsTest, PingOnHosts) {
    boot();
    CommandOutput r = run(router, "ping -c 2 10.10.10.7");
    EXPECT_EQ(r.out,
              "PING 10.10.10.7 (10.10.10.7) 56(84) bytes of data.\n"
              "64 bytes from 10.10.10.7: icmp_seq=1 ttl=64 time=0.488 ms\n"
              "64 bytes from 10.10.10.7: icmp_seq=2 ttl=64 time=0.244 ms\n"
              "\n"
              "--- 10.10.10.7 ping statistics ---\n"
              "2 packets transmitted, 2 received, 0% packet loss, time 1000ms\n"
              "rtt min/avg/max/mdev = 0.244/0.366/0.488/0.122 ms\n");
    EXPECT_EQ(r.status, 0);
    r = run(router, "ping -q -c2 10.10.10.7");
    EXPECT_EQ(r.out,
              "PING 10.10.10.7 (10.10.10.7) 56(84) bytes of data.\n"
              "\n"
              "--- 10.10.10.7 ping statistics ---\n"
              "2 packets transmitted, 2 received, 0% packet loss, time 1000ms\n"
              "rtt min/avg/max/mdev = 0.244/0.244/0.244/0.000 ms\n");
    // No -c: Ctrl-C just before the 5th probe.
    const SimTime before = lab.clock().now();
    r = run(host, "ip netns exec qrouter-040c1455-6096-4806-ba91-fec64cdaed81 ping 10.10.10.7 | tail -n 4");
    EXPECT_EQ(r.out,
              "\n"
              "--- 10.10.10.7 ping statistics ---\n"
              "4 packets transmitted, 4 received, 0% packet loss, time 3000ms\n"
              "rtt min/avg/max/mdev = 0.244/0.244/0.244/0.000 ms\n");
    EXPECT_EQ(lab.clock().now() - before, 4 * kSecond - 1);
    r = run(router, "ping -c 1 -w 1 10.10.10.99");
    EXPECT_EQ(r.status, 1);
    r = run(router, "ping -c 1 8.8.8.8");
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "ping: connect: Network is unreachable\n");
    EXPECT_EQ(r.status, 2);
    r = run(router, "ping -c 1 -I 10.0.0.1 10.10.10.7");
    EXPECT_EQ(r.status, 2);
    r = run(router, "ping -c 1 -I qr-d8fd27a6-d1 10.10.10.7");
    EXPECT_EQ(r.out.substr(0, 70),
              "PING 10.10.10.7 (10.10.10.7) from 10.10.10.1 qr-d8fd27a6-d1: 56(84) by");
    r = run(host, "ping");
    EXPECT_EQ(r.err.substr(0, 30), "Usage: ping [-LRUbdfnqrvVaAD] ");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(run(host, "ping -c x 1.2.3.4").err, "ping: bad number of packets to transmit.\n");
    EXPECT_EQ(run(host, "ping -c 0 1.2.3.4").status, 2);
    EXPECT_EQ(run(host, "ping -t 300 1.2.3.4").err, "ping: ttl 300 out of range\n");
    EXPECT_EQ(run(host, "ping -s 70000 1.2.3.4").err,
              "ping: packet size 70000 is too large. Maximum is 65507\n");
    r = run(host, "ping foo.example");
    EXPECT_EQ(r.err, "ping: unknown host foo.example\n");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(run(host, "ping -Z 1.2.3.4").err.substr(0, 37), "ping: invalid option -- 'Z'\nUsage: pi");
}

TEST_F(HostCommandsTest, PingInGuestIsBusybox) {
    boot();
    CommandOutput r = run(vm, "ping -c 2 10.10.10.1");
    EXPECT_EQ(r.out,
              "PING 10.10.10.1 (10.10.10.1): 56 data bytes\n"
              "64 bytes from 10.10.10.1: seq=0 ttl=64 time=0.488 ms\n"
              "64 bytes from 10.10.10.1: seq=1 ttl=64 time=0.244 ms\n"
              "\n"
              "--- 10.10.10.1 ping statistics ---\n"
              "2 packets transmitted, 2 packets received, 0% packet loss\n"
              "round-trip min/avg/max = 0.244/0.366/0.488 ms\n");
    EXPECT_EQ(r.status, 0);
    // No reply: -W 2 after the last probe, no errors reported, exit 1.
    const SimTime before = lab.clock().now();
    r = run(vm, "ping -c 1 -W 2 10.10.10.99");
    EXPECT_EQ(r.out,
              "PING 10.10.10.99 (10.10.10.99): 56 data bytes\n"
              "\n"
              "--- 10.10.10.99 ping statistics ---\n"
              "1 packets transmitted, 0 packets received, 100% packet loss\n");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(lab.clock().now() - before, 2 * kSecond);
    r = run(vm, "ping -i 1 10.10.10.1");
    EXPECT_EQ(r.err.substr(0, 29), "ping: invalid option -- 'i'\nB");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(run(vm, "ping foo").err, "ping: bad address 'foo'\n");
    r = run(vm, "ping 10.10.10.1 | tail -n 3");
    EXPECT_EQ(r.out.substr(0, 58), "--- 10.10.10.1 ping statistics ---\n4 packets transmitted, ");
}

TEST_F(HostCommandsTest, PingInBackground) {
    boot();
    CommandOutput r = run(router, "ping 10.10.10.7 &");
    EXPECT_EQ(r.err, "[1] 2417\n");
    EXPECT_EQ(r.out, "PING 10.10.10.7 (10.10.10.7) 56(84) bytes of data.\n");
    // The clock stops at +2 s: the 3rd probe is out, its reply not yet back.
    run(host, "sleep 2");
    EXPECT_EQ(shell->takeJobOutput(),
              "64 bytes from 10.10.10.7: icmp_seq=1 ttl=64 time=0.488 ms\n"
              "64 bytes from 10.10.10.7: icmp_seq=2 ttl=64 time=0.244 ms\n");
    EXPECT_EQ(run(host, "jobs").out, "[1]+  Running                 ping 10.10.10.7 &\n");
    EXPECT_EQ(run(host, "kill %1").status, 0);
    EXPECT_EQ(shell->takeJobOutput(),
              "\n--- 10.10.10.7 ping statistics ---\n"
              "3 packets transmitted, 2 received, 33.3333% packet loss, time 2000ms\n"
              "rtt min/avg/max/mdev = 0.244/0.366/0.488/0.122 ms\n"
              "[1]+  Done                    ping 10.10.10.7\n");
}

TEST_F(HostCommandsTest, SleepAndBuiltins) {
    const SimTime t0 = lab.clock().now();
    CommandOutput r = run(host, "sleep 2");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(lab.clock().now() - t0, 2 * kSecond);
    run(host, "sleep 0.5");
    EXPECT_EQ(lab.clock().now() - t0, 2 * kSecond + 500 * kMillisecond);
    r = run(host, "sleep");
    EXPECT_EQ(r.err, "sleep: missing operand\nTry 'sleep --help' for more information.\n");
    EXPECT_EQ(r.status, 1);
    r = run(host, "sleep x");
    EXPECT_EQ(r.err, "sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n");
    r = run(host, "sleep 3 &");
    EXPECT_EQ(r.err, "[1] 2417\n");
    EXPECT_EQ(lab.clock().now() - t0, 2 * kSecond + 500 * kMillisecond);
    EXPECT_EQ(shell->takeJobOutput(), "");
    run(host, "sleep 3");
    EXPECT_EQ(shell->takeJobOutput(), "[1]+  Done                    sleep 3\n");

    EXPECT_EQ(run(host, "hostname").out, "compute\n");
    EXPECT_EQ(run(router, "hostname").out, "compute\n");
    EXPECT_EQ(run(vm, "hostname").out, "instance1\n");
    EXPECT_EQ(run(host, "echo  a   'b  c'").out, "a b  c\n");
    r = run(host, "help");
    EXPECT_EQ(r.out.substr(0, 59), "NeutronLab emulated shell (compute). Commands here:\n  arp  ");
    EXPECT_NE(r.out.find("  ping         ping [-c N]"), std::string::npos);
    EXPECT_NE(r.out.find("before its 5th probe"), std::string::npos);
    EXPECT_EQ(r.out.find("udhcpc"), std::string::npos);
    r = run(vm, "help");
    EXPECT_NE(r.out.find("  udhcpc       udhcpc [-i IF]"), std::string::npos);
    EXPECT_EQ(r.out.find("brctl"), std::string::npos);
    EXPECT_EQ(run(vm, "jobs").err, "-sh: jobs: not found\n");
}

TEST_F(HostCommandsTest, Udhcpc) {
    boot();
    CommandOutput r = run(vm, "udhcpc -i eth0");
    EXPECT_EQ(r.out,
              "udhcpc (v1.20.1) started\n"
              "Sending discover...\n"
              "Sending select for 10.10.10.7...\n"
              "Lease of 10.10.10.7 obtained, lease time 86400\n");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(run(vm, "ip route").out,
              "default via 10.10.10.1 dev eth0 \n"
              "10.10.10.0/24 dev eth0  proto kernel  scope link  src 10.10.10.7 \n");
    r = run(vm, "udhcpc -i eth5");
    EXPECT_EQ(r.err, "udhcpc: ioctl 0x8933 failed: No such device\n");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(run(host, "udhcpc").err, "udhcpc: command not found\n");
}

}  // namespace
}  // namespace nlab::engine
