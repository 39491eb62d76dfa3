// Randomized differential test: kRandomTables random flow tables (random_flows.h), each
// with kFramesPerTable frames, run through a real Open vSwitch and through our engine.
// Per frame the normalized outputs (port, exact bytes) must be equal; after each table the
// learned flows must be equal (canonical form, diff_normalize.h).
//
// The tables are split into kShards tests so that ctest can run them in parallel; each shard
// reuses one OVS instance and one engine bridge, replacing the flows between tables.
//
// Reproducing a failure: the message names the seed, prints the flow table, the frames sent
// so far and both outputs, and writes a directory with the flow files and a shell script
// that replays the case against ovs-oracle. NLAB_DIFF_SEED=<seed> runs only that table.
// NLAB_DIFF_TABLES=<n> changes the number of tables for a local run (CI uses 200).

#include "engine/core/result.h"
#include "tests/differential/diff_normalize.h"
#include "tests/differential/engine_harness.h"
#include "tests/differential/ovs_oracle.h"
#include "tests/differential/random_flows.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace nlab::difftest {
namespace {

constexpr int kRandomTables = 200;  // in CI: the number of random tables, all shards
constexpr int kShards = 4;
constexpr int kFramesPerTable = 20;
constexpr std::uint64_t kBaseSeed = 20'240'601;
constexpr int kFullReports = 3;  // mismatches printed in full per shard

int tableCount() {
    if (const char* env = std::getenv("NLAB_DIFF_TABLES"); env && *env)
        return std::atoi(env);
    return kRandomTables;
}

std::optional<std::uint64_t> onlySeed() {
    if (const char* env = std::getenv("NLAB_DIFF_SEED"); env && *env) {
        return std::strtoull(env, nullptr, 0);
    }
    return std::nullopt;
}

std::vector<DumpedFlow> learnedOnly(const std::vector<DumpedFlow>& flows,
                                    const RandomFlowTable& table) {
    std::vector<DumpedFlow> out;
    for (const auto& f : flows) {
        if (!table.isStatic(f.table, f.priority))
            out.push_back(f);
    }
    return out;
}

std::string indent(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos)
            nl = text.size();
        out += "  " + text.substr(start, nl - start) + "\n";
        start = nl + 1;
    }
    return out;
}

/// Writes flows, frames and a replay script for a failing seed; returns the directory.
std::string writeReproducer(const RandomFlowTable& table, const std::vector<RandomFrame>& frames,
                            std::size_t upTo) {
    const char* tmp = std::getenv("TMPDIR");
    const std::string dir =
        std::string(tmp && *tmp ? tmp : "/tmp") + "/nlab-diff-repro-" + std::to_string(table.seed);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::ofstream(dir + "/flows-of10.txt") << table.textOf10();
    std::ofstream(dir + "/flows-of13.txt") << table.textOf13();
    std::ofstream script(dir + "/replay.sh");
    script << "#!/bin/sh\n# Replays random table seed " << table.seed << " against a real OVS.\n"
           << "O=${OVS_ORACLE:-" << oracleToolPath() << "}\nD=${D:-/tmp/diff-ovs-repro}\n"
           << "H=$(dirname \"$0\")\n"
           << "$O start $D && $O vsctl $D set Open_vSwitch . other_config:flow-limit=0\n"
           << "$O bridge $D br0 p1=1 p2=2 p3=3 p4=4\n"
           << "$O vsctl $D set interface br0 options:tx_pcap=$D/pcap/br0-tx.pcap  # LOCAL too\n"
           << "$O flows $D br0 $H/flows-of10.txt\n";
    if (!table.textOf13().empty()) {
        script << "OFCTL_OPTS='-O OpenFlow13' $O flows $D br0 $H/flows-of13.txt\n";
    }
    for (std::size_t i = 0; i <= upTo && i < frames.size(); ++i) {
        script << "echo '### frame " << i << "'; $O inject $D br0 p" << frames[i].inPort << " "
               << toHex(frames[i].bytes) << "\n";
    }
    script << "$O dump $D br0\necho \"stop with: $O stop $D\"\n";
    return dir;
}

class DiffRandomTables : public ::testing::TestWithParam<int> {};

TEST_P(DiffRandomTables, OutputsAndLearnedFlowsMatchOvs) {
    NLAB_REQUIRE_OVS_ORACLE();
    const int shard = GetParam();
    std::vector<std::uint64_t> seeds;
    if (const auto only = onlySeed()) {
        if (shard != 0)
            GTEST_SKIP() << "NLAB_DIFF_SEED set: shard 0 runs it";
        seeds.push_back(*only);
    } else {
        const int total = tableCount();
        for (int i = shard; i < total; i += kShards)
            seeds.push_back(kBaseSeed + std::uint64_t(i));
    }

    const std::vector<std::string> portNames = {"p1", "p2", "p3", "p4"};
    OvsOracle ovs;
    std::vector<OraclePort> oraclePorts;
    for (std::size_t i = 0; i < portNames.size(); ++i) {
        oraclePorts.push_back(OraclePort{portNames[i], std::uint32_t(i + 1), "dummy", {}});
    }
    ovs.addBridge("br0", oraclePorts);

    const auto started = std::chrono::steady_clock::now();
    int tablesFailed = 0;
    int reported = 0;
    std::size_t frames = 0, framesWithOutput = 0, outputs = 0, learned = 0;
    std::vector<std::string> failureLines;

    for (const std::uint64_t seed : seeds) {
        const RandomFlowTable table = generateFlowTable(seed);
        const std::vector<RandomFrame> batch = generateFrames(table, kFramesPerTable, seed);
        // Each table starts from the same state on both sides, so that a seed fails alike
        // when run alone (NLAB_DIFF_SEED): flows replaced, MAC learning table (NORMAL) flushed,
        // and a fresh engine bridge.
        ovs.appctl({"fdb/flush", "br0"});
        EngineHarness ours("br0");
        ours.addSystemPorts(portNames);
        ovs.replaceFlows("br0", table.textOf10());
        if (!table.textOf13().empty())
            ovs.addFlows("br0", table.textOf13(), "-O OpenFlow13");

        std::string failure;
        try {
            ours.replaceFlows(table.text());
        } catch (const engine::ParseError& e) {
            failure = std::string("the engine rejected flows that OVS accepted: ") + e.what() +
                      " (line " + std::to_string(e.line()) + ", word '" + e.word() + "')";
        }

        std::size_t failedFrame = batch.size();
        std::string detail;
        for (std::size_t i = 0; failure.empty() && i < batch.size(); ++i) {
            const RandomFrame& f = batch[i];
            const std::string port = "p" + std::to_string(f.inPort);
            const auto o = normalizeOutputs(ovs.inject("br0", port, f.bytes));
            const auto e = normalizeOutputs(ours.inject(port, f.bytes));
            ++frames;
            outputs += o.size();
            if (!o.empty())
                ++framesWithOutput;
            if (o != e) {
                failedFrame = i;
                failure = "frame " + std::to_string(i) + " (" + f.origin + ") on " + port +
                          ": outputs differ";
                detail = "frame " + std::to_string(i) + " on " + port + ":\n  " +
                         describeFrame(f.bytes) + "\nOVS transmitted:\n" + describeOutputs(o) +
                         "engine transmitted:\n" + describeOutputs(e) + "engine trace:\n" +
                         indent(ours.lastTrace());
            }
        }
        if (failure.empty()) {
            const auto o = learnedOnly(ovs.dumpFlows("br0"), table);
            const auto e = learnedOnly(ours.dumpFlows(), table);
            learned += o.size();
            const auto oc = canonicalFlows(o);
            const auto ec = canonicalFlows(e);
            if (oc != ec) {
                failedFrame = batch.size() - 1;
                failure = "learned flows differ";
                detail = "learned flows, OVS (raw):\n" + describeLines([&] {
                             std::vector<std::string> v;
                             for (const auto& f : o)
                                 v.push_back(f.text());
                             return v;
                         }()) +
                         "learned flows, engine (raw):\n" + describeLines([&] {
                             std::vector<std::string> v;
                             for (const auto& f : e)
                                 v.push_back(f.text());
                             return v;
                         }()) +
                         "canonical, OVS:\n" + describeLines(oc) + "canonical, engine:\n" +
                         describeLines(ec);
            }
        }
        if (failure.empty())
            continue;

        ++tablesFailed;
        failureLines.push_back("seed " + std::to_string(seed) + ": " + failure);
        if (reported++ >= kFullReports)
            continue;
        const std::string dir = writeReproducer(table, batch, failedFrame);
        std::string frameList;
        for (std::size_t i = 0; i <= failedFrame && i < batch.size(); ++i) {
            frameList += "  " + std::to_string(i) + ": p" + std::to_string(batch[i].inPort) + " " +
                         toHex(batch[i].bytes) + "  (" + batch[i].origin + ")\n";
        }
        ADD_FAILURE() << "Random table seed " << seed << ": " << failure << "\n"
                      << "Reproduce: NLAB_DIFF_SEED=" << seed
                      << " nlab_differential_tests --gtest_filter='DiffRandomTables*'\n"
                      << "  or by hand against OVS: sh " << dir << "/replay.sh\n"
                      << "Flow table:\n"
                      << indent(table.text())
                      << "Frames sent (in order; the state they leave matters):\n"
                      << frameList << detail;
    }

    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "[ shard " << shard << " ] " << seeds.size() << " tables, " << frames
              << " frames (" << framesWithOutput << " with output, " << outputs << " frames out), "
              << learned << " learned flows compared, " << tablesFailed << " tables disagree; "
              << secs << " s\n";
    EXPECT_EQ(tablesFailed, 0) << tablesFailed << " of " << seeds.size()
                               << " random tables disagree with OVS:\n"
                               << describeLines(failureLines);
}

INSTANTIATE_TEST_SUITE_P(Shards, DiffRandomTables, ::testing::Range(0, kShards));

}  // namespace
}  // namespace nlab::difftest
