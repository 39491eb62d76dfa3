// Frames per second through the seed's br-tun pipeline (Icehouse GRE profile), including the
// learn action, GRE encapsulation of outbound frames and tunnel metadata on inbound ones.
// Run: build-release/tests/bench/nlab_pipeline_bench
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/codec/frame_compose.h"
#include "engine/core/sim_clock.h"
#include "engine/devices/ovs_bridge.h"
#include "engine/flow/ofctl_parse.h"
#include "engine/packet/addresses.h"

namespace {

using namespace nlab::engine;

std::string seedFlows() {
    std::ifstream f(std::string(NLAB_TESTDATA_DIR) + "/icehouse-br-tun.flows");
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

struct SeedBrTun {
    SimClock clock;
    OvsBridge br{"br-tun", clock, nullptr};
    std::uint64_t delivered = 0;
    std::uint64_t tunnelled = 0;

    SeedBrTun() {
        (void)br.addPort({.name = "patch-int", .ofportRequest = 1});
        (void)br.addPort({.name = "gre-0a0a648b", .type = PortType::Gre, .ofportRequest = 2,
                          .remoteIp = Ipv4Address::fromOctets(10, 10, 100, 139).toU32(),
                          .localIp = Ipv4Address::fromOctets(10, 10, 100, 140).toU32()});
        (void)br.setPortSink("patch-int", [this](Packet&&) { ++delivered; });
        TunnelUnderlay u;
        u.localIp = Ipv4Address::fromOctets(10, 10, 100, 140).toU32();
        u.resolve = [](std::uint32_t, std::uint32_t) {
            return std::optional(std::make_pair(0x000c290713c9ULL, 0x000c29aaaaaaULL));
        };
        u.transmit = [this](Packet&&) { ++tunnelled; };
        br.setTunnelUnderlay(std::move(u));
        br.addFlowsText(seedFlows());
    }
};

std::vector<std::uint8_t> frame(const std::string& spec) {
    return composeFrame(parseMatch(spec).key, 56);
}

/// Inbound: GRE key 0x1 -> table 2 -> mod_vlan_vid -> table 10 learn + output to br-int.
void BM_SeedBrTunInboundWithLearn(benchmark::State& state) {
    SeedBrTun s;
    const auto bytes = frame("icmp,dl_src=fa:16:3e:2a:46:e0,dl_dst=fa:16:3e:32:28:af,"
                             "nw_src=10.10.10.1,nw_dst=10.10.10.7,nw_ttl=64,icmp_type=0");
    const TunnelMetadata tnl{1, Ipv4Address::fromOctets(10, 10, 100, 139).toU32(),
                             Ipv4Address::fromOctets(10, 10, 100, 140).toU32(), true};
    for (auto _ : state) {
        Packet p(bytes);
        p.tunnel = tnl;
        s.br.receive(2, std::move(p));
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["learned_rules"] = double(s.br.findTable(20)->size() - 1);
    if (s.delivered != std::uint64_t(state.iterations())) state.SkipWithError("frames lost");
}

/// Outbound: tagged VLAN 4 unicast to a learned MAC -> table 20 hit -> GRE encapsulation.
void BM_SeedBrTunOutboundToLearnedMac(benchmark::State& state) {
    SeedBrTun s;
    {
        Packet teach(frame("icmp,dl_src=fa:16:3e:2a:46:e0,dl_dst=fa:16:3e:32:28:af"));
        teach.tunnel = TunnelMetadata{1, 0, 0, true};
        s.br.receive(2, std::move(teach));
    }
    const auto bytes = frame("icmp,dl_vlan=4,dl_src=fa:16:3e:32:28:af,dl_dst=fa:16:3e:2a:46:e0,"
                             "nw_src=10.10.10.7,nw_dst=10.10.10.1,nw_ttl=64,icmp_type=8");
    for (auto _ : state) s.br.receive(1, Packet(bytes));
    state.SetItemsProcessed(state.iterations());
    if (s.tunnelled != std::uint64_t(state.iterations())) state.SkipWithError("frames lost");
}

/// Both directions alternately, with 256 distinct VM MACs so learn keeps adding and
/// refreshing rules, as a busy compute node does.
void BM_SeedBrTunMixed(benchmark::State& state) {
    SeedBrTun s;
    std::vector<std::vector<std::uint8_t>> in, out;
    for (int i = 0; i < 256; ++i) {
        char mac[32];
        std::snprintf(mac, sizeof mac, "fa:16:3e:00:%02x:%02x", i / 256, i % 256);
        in.push_back(frame(std::string("icmp,dl_src=") + mac +
                           ",dl_dst=fa:16:3e:32:28:af,nw_src=10.10.10.1,nw_dst=10.10.10.7"));
        out.push_back(frame(std::string("icmp,dl_vlan=4,dl_src=fa:16:3e:32:28:af,dl_dst=") + mac +
                            ",nw_src=10.10.10.7,nw_dst=10.10.10.1"));
    }
    std::size_t i = 0;
    for (auto _ : state) {
        if (i & 1) {
            s.br.receive(1, Packet(out[(i >> 1) & 255]));
        } else {
            Packet p(in[(i >> 1) & 255]);
            p.tunnel = TunnelMetadata{1, 0, 0, true};
            s.br.receive(2, std::move(p));
        }
        ++i;
    }
    state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_SeedBrTunInboundWithLearn);
BENCHMARK(BM_SeedBrTunOutboundToLearnedMac);
BENCHMARK(BM_SeedBrTunMixed);

}  // namespace

BENCHMARK_MAIN();
