#pragma once
// Random flow tables and frames for the differential tests: seeded, reproducible, valid.
//
// What
//   generateFlowTable(seed) returns a multi-table OpenFlow program in ovs-ofctl add-flows
//   syntax, built from the match fields and actions whose semantics the engine claims to
//   share with Open vSwitch (see the lists in random_flows.cpp). generateFrames() returns
//   frames to push through it: some random, most shaped so that a chosen rule matches
//   them, some "replies" to earlier frames (source and destination swapped) so that learned
//   flows get hit, a few exact repeats, and some IPv4 frames turned into first or later
//   fragments. Frames are built by the engine's composeFrame() from a FlowKey.
//
// Design
//   - One seed determines everything (the RNG is a splitmix64 of our own, so every
//     platform and standard library produces the same tables): a failing case is
//     reproduced from the seed alone.
//   - Every rule is valid for `ovs-ofctl add-flows`: match fields always come with their
//     prerequisites (ip/arp/icmp/tcp/udp); values fit their fields.
//   - No two rules of one table share a priority, and every learn action gets a priority
//     of its own in its target table, so no packet can match two rules of equal priority
//     (OVS leaves their order undefined). Learned flows of one learn action all have the
//     same mask, so they are disjoint or identical (a refresh).
//   - Rules that use push_vlan must be loaded over OpenFlow 1.3 (OVS rejects push_vlan over
//     OpenFlow 1.0+NXM, the protocol ovs-oracle uses by default); they are kept apart
//     (RandomRule::needsOf13) and restricted to a vocabulary that OpenFlow 1.3 encodes
//     without changing its meaning: an untagged match, push_vlan:0x8100, mod_vlan_vid,
//     outputs, resubmits, register loads and MAC rewrites.
//
// Invariants
//   generateFlowTable(s) and generateFrames(t, n, s) are pure functions of their arguments.

#include "engine/flow/flow_key.h"

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace nlab::difftest {

/// A small deterministic RNG (splitmix64): the same sequence everywhere.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next();
    /// Uniform in [0, n); n > 0.
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    /// Uniform in [lo, hi].
    int range(int lo, int hi) { return lo + int(below(std::uint64_t(hi - lo + 1))); }
    /// True with probability percent/100.
    bool chance(int percent) { return int(below(100)) < percent; }
    template <typename T>
    const T& pick(const std::vector<T>& v) {
        return v[below(v.size())];
    }

private:
    std::uint64_t m_state;
};

/// Shapes a frame so that one match constraint holds (sets key fields and/or the port).
using FrameShaper = std::function<void(engine::FlowKey& key, std::uint32_t& inPort, Rng& rng)>;

/// The protocol class of a rule's match (its ovs-ofctl shorthand).
enum class ProtoClass : std::uint8_t { Any, Ip, Icmp, Tcp, Udp, Arp };

/// One generated rule.
struct RandomRule {
    int table = 0;
    int priority = 0;
    ProtoClass proto = ProtoClass::Any;
    std::string match;                 ///< Match text without table/priority ("" = any).
    std::string actions;               ///< Action text ("drop" for none).
    bool needsOf13 = false;            ///< Uses push_vlan: load with `ovs-ofctl -O OpenFlow13`.
    std::vector<FrameShaper> shapers;  ///< Make a frame satisfy the match (where a frame can).

    /// "table=T,priority=P[,MATCH] actions=A" (one add-flows line).
    std::string text() const;
};

/// Size knobs of a generated table.
struct RandomFlowConfig {
    int numPorts = 4;   ///< Ports 1..numPorts exist on both sides.
    int numTables = 4;  ///< Tables 0..numTables-1 are used.
    int minRulesPerTable = 2;
    int maxRulesPerTable = 6;
};

/// A generated OpenFlow program.
struct RandomFlowTable {
    std::uint64_t seed = 0;
    RandomFlowConfig config;
    std::vector<RandomRule> rules;
    /// (table, priority) of every learn action's flows.
    std::set<std::pair<int, int>> learnSlots;

    /// All rules, one per line.
    std::string text() const;
    /// Rules loadable over OpenFlow 1.0 + NXM (everything but the push_vlan rules).
    std::string textOf10() const;
    /// Rules that must be loaded over OpenFlow 1.3 ("" if none).
    std::string textOf13() const;
    /// Whether (table, priority) is a static rule's (as opposed to a learned flow's).
    bool isStatic(int table, int priority) const;
};

/// A frame to inject.
struct RandomFrame {
    std::uint32_t inPort = 1;  ///< OpenFlow port (1..numPorts) it arrives on.
    engine::FlowKey key;       ///< Packet fields it was composed from.
    std::size_t payloadBytes = 0;
    std::vector<std::uint8_t> bytes;  ///< composeFrame(key, payloadBytes).
    std::string origin;               ///< "random", "shaped by rule N", "reply to frame N".
};

/// Generates a flow table from 'seed'.
RandomFlowTable generateFlowTable(std::uint64_t seed, const RandomFlowConfig& config = {});

/// Generates 'count' frames for 'table' from 'seed'.
std::vector<RandomFrame> generateFrames(const RandomFlowTable& table, int count,
                                        std::uint64_t seed);

}  // namespace nlab::difftest
