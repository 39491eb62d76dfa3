// The IP side of the lab: emulated ping round trips through the seed path, and the cost of
// building a large lab. Run: build-release/tests/bench/nlab_lab_bench
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <cstdio>
#include <memory>
#include <string>

#include "engine/lab/lab.h"
#include "engine/net/l2_segment.h"
#include "engine/net/linux_bridge.h"
#include "tests/support/seed_flows.h"

namespace {

using namespace nlab::engine;

std::uint32_t ip(const char* s) { return Ipv4Address::parse(s)->toU32(); }


/// A host with eth1 on the underlay, br-int (NORMAL) and br-tun (seed flows for 'vlan'),
/// GRE tunnels to 'peers'.
Node& host(Lab& lab, const std::string& name, std::uint32_t addr, L2Segment& underlay, int vlan,
           const std::vector<std::uint32_t>& peers) {
    Node& n = *lab.addNode(name).value();
    NetDevice& eth1 = n.createDevice("eth1", DeviceKind::Ethernet);
    (void)underlay.attach(eth1);
    (void)n.root().addAddress("eth1", addr, 16);
    n.setTunnelEndpoint(addr);
    OvsBridge* brInt = n.addOvsBridge("br-int").value();
    OvsBridge* brTun = n.addOvsBridge("br-tun").value();
    (void)n.addOvsPatchPair(*brInt, "patch-tun", *brTun, "patch-int", 1, 1);
    for (std::uint32_t peer : peers) {
        char gre[32];
        std::snprintf(gre, sizeof gre, "gre-%08x", peer);
        PortConfig c;
        c.name = gre;
        c.type = PortType::Gre;
        c.remoteIp = peer;
        c.localIp = addr;
        (void)brTun->addPort(c);
    }
    brInt->addFlowsText("priority=1,actions=normal\n");
    brTun->addFlowsText(testing::seedBrTunFlows(vlan));
    return n;
}

/// Nova's hybrid plug of one VM: namespace, eth0/tap, qbr, qvb/qvo, qvo on br-int.
NetNamespace& plugVm(Node& n, const std::string& id, std::uint64_t mac, std::uint16_t tag) {
    NetNamespace& vm = *n.addNamespace("vm-" + id).value();
    auto nic = n.addVmNic(vm, "tap" + id, mac).value();
    LinuxBridge* qbr = n.addLinuxBridge("qbr" + id).value();
    auto [qvb, qvo] = n.createVethPair("qvb" + id, "qvo" + id);
    (void)qbr->addInterface(*qvb);
    (void)qbr->addInterface(*nic.second);
    (void)n.addOvsSystemPort(*n.ovsBridge("br-int"), *qvo, tag);
    return vm;
}

/// Round trips instance1 -> 10.10.10.1 (qr- port in the network node's qrouter namespace):
/// qbr, br-int, br-tun, GRE over the underlay, and back.
void BM_SeedPathPingRoundTrip(benchmark::State& state) {
    Lab lab;
    L2Segment& underlay = *lab.addSegment("underlay").value();
    Node& compute = host(lab, "compute", ip("10.10.100.140"), underlay, 4, {ip("10.10.100.139")});
    Node& network = host(lab, "network", ip("10.10.100.139"), underlay, 9, {ip("10.10.100.140")});
    NetNamespace& vm = plugVm(compute, "8cbe7bb6-18", 0xfa163e3228afULL, 4);
    (void)vm.addAddress("eth0", ip("10.10.10.7"), 24);
    NetNamespace& qr = *network.addNamespace("qrouter").value();
    (void)network.addOvsInternalPort(*network.ovsBridge("br-int"), "qr-d8fd27a6-d1", 9, &qr,
                                     0xfa163e2a46e0ULL);
    (void)qr.addAddress("qr-d8fd27a6-d1", ip("10.10.10.1"), 24);
    std::uint64_t replies = 0;
    vm.addIcmpListener([&](const IcmpReceived& m) {
        if (m.type == 0) ++replies;
    });
    std::uint16_t seq = 0;
    // Warm up: ARP on both sides and the learned flows.
    vm.sendEchoRequest(ip("10.10.10.1"), 1, seq++, 56);
    lab.clock().runAll();
    const std::uint64_t before = replies;
    for (auto _ : state) {
        vm.sendEchoRequest(ip("10.10.10.1"), 1, seq++, 56);
        lab.clock().runAll();
    }
    state.SetItemsProcessed(state.iterations());
    if (replies - before != std::uint64_t(state.iterations())) state.SkipWithError("lost replies");
}

/// Bytes the allocator has handed out and not got back (glibc mallinfo2).
double heapBytesInUse() { return double(mallinfo2().uordblks); }

/// 100 nodes (a network node and 99 computes, full mesh of GRE tunnels as the OVS agent
/// builds) with 20 hybrid-plugged VMs each: 2,000 VMs, 10,000+ devices.
void BM_BuildLab100Nodes20Vms(benchmark::State& state) {
    for (auto _ : state) {
        const double heapBefore = heapBytesInUse();
        auto lab = std::make_unique<Lab>();
        L2Segment& underlay = *lab->addSegment("underlay").value();
        std::vector<std::uint32_t> addrs;
        for (int i = 0; i < 100; ++i) addrs.push_back(ip("10.10.0.1") + std::uint32_t(i));
        for (int i = 0; i < 100; ++i) {
            std::vector<std::uint32_t> peers;
            for (int j = 0; j < 100; ++j) {
                if (j != i) peers.push_back(addrs[std::size_t(j)]);
            }
            Node& n = host(*lab, "node" + std::to_string(i), addrs[std::size_t(i)], underlay,
                           4, peers);
            for (int v = 0; v < 20; ++v) {
                char id[16];
                std::snprintf(id, sizeof id, "%04x%02x-%02x", i, v, v);
                plugVm(n, id, 0xfa163e000000ULL | std::uint64_t(i * 20 + v), 4);
            }
        }
        state.counters["heap_MiB"] = (heapBytesInUse() - heapBefore) / (1024.0 * 1024.0);
        std::size_t devices = 0;
        for (Node* n : lab->nodes()) devices += n->devices().size();
        state.counters["devices"] = double(devices);
        state.counters["nodes"] = double(lab->nodes().size());
        state.PauseTiming();
        lab.reset();
        state.ResumeTiming();
    }
}

BENCHMARK(BM_SeedPathPingRoundTrip);
BENCHMARK(BM_BuildLab100Nodes20Vms)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
