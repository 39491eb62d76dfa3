// FlowTable (classifier) benchmarks: lookups per second with 10, 1,000 and 100,000 rules
// spread over 10 masks, with a mix of hits and misses, and the insertion rate.
//
// Build Release and run:
//   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DNLAB_BUILD_BENCHMARKS=ON
//   ninja -C build-rel nlab_classifier_bench && build-rel/tests/bench/nlab_classifier_bench
//
// Targets (one core): >= 5 M lookups/s at 100,000 rules, and at most 2x slower than at 10.
//
// Rules: 10 masks of the kinds OVS agents install (in_port; in_port+dl_dst; dl_dst+VLAN
// VID; IPv4 nw_dst/24; IPv4 host pair; tun_id; tun_id+dl_dst; reg0+in_port; TCP
// nw_dst+tp_dst; metadata+nw_dst/16), the same number of rules in each, values random.
// "Banded" priorities give each mask its own priority band (rules of one kind share a
// priority range, as in real pipelines); "RandomPriority" draws every rule's priority from
// 0..65535, so that every subtable has a near-maximal max priority and every lookup has to
// visit all ten (the classifier's worst case).
//
// Packets: 16,384 precomputed keys, half built from a random rule's match (hits), half fully
// random (mostly misses); the lookups cycle through them. Each lookup un-wildcards into a
// FlowMask, as the pipeline does. Counters report the measured hit ratio.

#include "engine/flow/flow_table.h"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace nlab::engine {
namespace {

constexpr int kMasks = 10;
constexpr std::size_t kPackets = 16384;

enum class Priorities { Banded, Random };

class Workload {
public:
    explicit Workload(std::uint64_t seed) : m_rng(seed) {}

    std::uint64_t next() { return m_rng(); }

    /// A random match of mask kind 'kind' (0..9).
    Match match(int kind) {
        Match m;
        auto ipv4 = [&] { m.set(FieldId::DlType, eth_type::kIpv4); };
        const auto port = std::uint32_t(1 + next() % (ofp::kMax - 1));
        const std::uint64_t mac = 0xfa163e000000ULL | (next() & 0xffffff);
        const auto ip = std::uint32_t(next());
        switch (kind) {
            case 0:
                m.set(FieldId::InPort, port);
                break;
            case 1:
                m.set(FieldId::InPort, port);
                m.set(FieldId::DlDst, mac);
                break;
            case 2:
                m.set(FieldId::DlDst, mac);
                m.set(FieldId::VlanTci, kVlanCfi | (next() % 4095 + 1), kVlanCfi | kVlanVidMask);
                break;
            case 3:
                ipv4();
                m.set(FieldId::NwDst, ip, 0xffffff00);
                break;
            case 4:
                ipv4();
                m.set(FieldId::NwSrc, ip);
                m.set(FieldId::NwDst, std::uint32_t(next()));
                break;
            case 5:
                m.set(FieldId::TunId, next() & 0xffffffff);
                break;
            case 6:
                m.set(FieldId::TunId, next() & 0xffffffff);
                m.set(FieldId::DlDst, mac);
                break;
            case 7:
                m.set(FieldId::Reg0, std::uint32_t(next()));
                m.set(FieldId::InPort, port);
                break;
            case 8:
                ipv4();
                m.set(FieldId::NwProto, ip_proto::kTcp);
                m.set(FieldId::NwDst, ip);
                m.set(FieldId::TcpDst, next() & 0xffff);
                break;
            default:
                m.set(FieldId::Metadata, next() & 0xffffffff);
                ipv4();
                m.set(FieldId::NwDst, ip, 0xffff0000);
                break;
        }
        return m;
    }

    /// A random packet; IPv4/TCP half the time so the IP rules can match.
    FlowKey packet() {
        FlowKey k;
        k.in_port = std::uint32_t(1 + next() % (ofp::kMax - 1));
        k.dl_src = 0xfa163e000000ULL | (next() & 0xffffff);
        k.dl_dst = 0xfa163e000000ULL | (next() & 0xffffff);
        k.vlan_tci = std::uint16_t(kVlanCfi | (next() % 4095 + 1));
        k.dl_type = next() % 2 ? eth_type::kIpv4 : eth_type::kArp;
        k.nw_src = std::uint32_t(next());
        k.nw_dst = std::uint32_t(next());
        k.nw_proto = ip_proto::kTcp;
        k.tp_src = std::uint16_t(next());
        k.tp_dst = std::uint16_t(next());
        k.tun_id = next() & 0xffffffff;
        k.metadata = next() & 0xffffffff;
        k.regs[0] = std::uint32_t(next());
        return k;
    }

    std::uint16_t priority(int kind, Priorities p) {
        if (p == Priorities::Random)
            return std::uint16_t(next());
        return std::uint16_t(1000 * (kind + 1) + next() % 100);
    }

private:
    std::mt19937_64 m_rng;
};

struct Fixture {
    std::unique_ptr<FlowTable> table;
    std::vector<Match> matches;
    std::vector<FlowKey> packets;
};

/// A table with 'n' rules (n / kMasks per mask, at least one each) and the packet set.
Fixture build(std::size_t n, Priorities prio) {
    Fixture f;
    f.table = std::make_unique<FlowTable>(0);
    Workload w(0x5eed + n);
    for (std::size_t i = 0; f.table->size() < n; ++i) {
        const int kind = int(i % kMasks);
        FlowSpec s;
        s.match = w.match(kind);
        s.priority = w.priority(kind, prio);
        s.actions = {OutputAction{std::uint32_t(1 + i % 8), 0}};
        if (f.table->findExact(s.match, s.priority) != nullptr)
            continue;
        f.table->add(s, 0);
        f.matches.push_back(s.match);
    }
    for (std::size_t i = 0; i < kPackets; ++i) {
        FlowKey k = w.packet();
        if (i % 2 == 0) {
            const Match& m = f.matches[w.next() % f.matches.size()];
            auto kw = k.words();
            auto mk = m.key.words();
            auto mm = m.mask.words();
            for (std::size_t j = 0; j < FlowKey::kWords; ++j)
                kw[j] = (kw[j] & ~mm[j]) | mk[j];
        }
        f.packets.push_back(k);
    }
    return f;
}

void runLookups(benchmark::State& state, Priorities prio) {
    Fixture f = build(std::size_t(state.range(0)), prio);
    std::size_t i = 0;
    std::uint64_t hits = 0;
    for (auto _ : state) {
        FlowMask wc;
        const FlowEntry* e = f.table->lookup(f.packets[i], &wc);
        benchmark::DoNotOptimize(e);
        benchmark::DoNotOptimize(wc);
        hits += e != nullptr;
        i = (i + 1) & (kPackets - 1);
    }
    state.SetItemsProcessed(std::int64_t(state.iterations()));
    state.counters["rules"] = double(f.table->size());
    state.counters["masks"] = double(f.table->maskCount());
    state.counters["hit_ratio"] = double(hits) / double(state.iterations());
}

void BM_Lookup(benchmark::State& state) {
    runLookups(state, Priorities::Banded);
}
BENCHMARK(BM_Lookup)->Arg(10)->Arg(1000)->Arg(100000);

void BM_LookupRandomPriority(benchmark::State& state) {
    runLookups(state, Priorities::Random);
}
BENCHMARK(BM_LookupRandomPriority)->Arg(10)->Arg(1000)->Arg(100000);

// Insertion rate: builds a table of range(0) rules from scratch per iteration.
void BM_Insert(benchmark::State& state) {
    const auto n = std::size_t(state.range(0));
    Workload w(7);
    std::vector<FlowSpec> specs;
    specs.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const int kind = int(i % kMasks);
        FlowSpec s;
        s.match = w.match(kind);
        s.priority = w.priority(kind, Priorities::Banded);
        s.actions = {OutputAction{std::uint32_t(1 + i % 8), 0}};
        specs.push_back(std::move(s));
    }
    for (auto _ : state) {
        auto table = std::make_unique<FlowTable>(0);
        for (const FlowSpec& s : specs)
            benchmark::DoNotOptimize(table->add(s, 0));
        state.PauseTiming();
        table.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(std::int64_t(state.iterations() * n));
}
BENCHMARK(BM_Insert)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nlab::engine

BENCHMARK_MAIN();
