#include "tests/differential/random_flows.h"

#include "engine/codec/frame_compose.h"
#include "engine/packet/addresses.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

namespace nlab::difftest {

using engine::FlowKey;

namespace {

// ---- Value pools ---------------------------------------------------------------------------
// Small pools, so that shaped frames, learned flows and later frames meet each other.

const std::vector<std::uint64_t> kSrcMacs = {
    0x000000000001ULL, 0x000000000002ULL, 0x000000000003ULL,
    0xfa163e3228afULL, 0xfa163e2a46e0ULL, 0x525400123456ULL,
};
const std::vector<std::uint64_t> kMulticastMacs = {
    0xffffffffffffULL,
    0x01005e0000fbULL,
    0x333300000001ULL,
};
const std::vector<std::uint32_t> kIps = {
    0x0a000001, 0x0a000002, 0x0a000003, 0x0a000107, 0xc0a80101, 0xc0a80114, 0xac100505,
};
// (address, prefix length) pairs for nw_src/nw_dst/arp_spa/arp_tpa matches.
const std::vector<std::pair<std::uint32_t, int>> kPrefixes = {
    {0x0a000000, 24}, {0x0a000000, 16}, {0x0a000001, 32}, {0x0a000002, 32},
    {0xc0a80100, 24}, {0x0a000000, 8},  {0x80000000, 1},  {0x0a000100, 23},
};
const std::vector<std::uint16_t> kVids = {1, 5, 10, 100, 4094};
const std::vector<std::uint16_t> kL4Ports = {53, 67, 68, 80, 443, 4789, 32768};
const std::vector<std::uint16_t> kIcmpTypes = {0, 3, 8, 11};
const std::vector<std::uint16_t> kIcmpCodes = {0, 1, 3};
const std::vector<std::uint8_t> kTtls = {64, 64, 64, 128, 2, 1, 0};
const std::vector<std::uint8_t> kTos = {0x00, 0x10, 0xb8};
const std::vector<std::uint16_t> kOtherEthTypes = {0x88cc, 0x88b5, 0x0842};
const std::vector<std::uint8_t> kOtherIpProtos = {47, 89};
const std::vector<std::uint64_t> kRegValues = {0, 1, 2, 5, 0x10, 0xffff, 0xdeadbeef};
const std::vector<std::uint64_t> kTunIds = {0, 1, 2, 0x10, 0x64};

std::string hex(std::uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string mac(std::uint64_t v) {
    return engine::formatMac(v);
}
std::string ip(std::uint32_t v) {
    return engine::formatIpv4(v);
}

std::uint32_t prefixMask(int len) {
    return len == 0 ? 0 : std::uint32_t(0xffffffffULL << (32 - len));
}

std::uint16_t randomVlanTci(Rng& rng) {
    const std::uint16_t vid = rng.chance(5) ? 0 : rng.pick(kVids);
    const auto pcp = std::uint16_t(rng.chance(70) ? 0 : rng.range(1, 7));
    return std::uint16_t(engine::kVlanCfi | (pcp << 13) | vid);
}

bool isIpClass(ProtoClass p) {
    return p == ProtoClass::Ip || p == ProtoClass::Icmp || p == ProtoClass::Tcp ||
           p == ProtoClass::Udp;
}

/// A random key of protocol class 'proto' (Any: any kind of frame).
FlowKey randomKey(Rng& rng, ProtoClass proto) {
    if (proto == ProtoClass::Any) {
        const int r = rng.range(0, 99);
        if (r < 18)
            proto = ProtoClass::Icmp;
        else if (r < 36)
            proto = ProtoClass::Udp;
        else if (r < 50)
            proto = ProtoClass::Tcp;
        else if (r < 58)
            proto = ProtoClass::Ip;
        else if (r < 85)
            proto = ProtoClass::Arp;
        else
            proto = ProtoClass::Any;  // another EtherType
    }
    FlowKey k;
    k.dl_src = rng.pick(kSrcMacs);
    k.dl_dst = rng.chance(30) ? rng.pick(kMulticastMacs) : rng.pick(kSrcMacs);
    if (rng.chance(35))
        k.vlan_tci = randomVlanTci(rng);
    switch (proto) {
        case ProtoClass::Any:
            k.dl_type = rng.pick(kOtherEthTypes);
            break;
        case ProtoClass::Arp:
            k.dl_type = engine::eth_type::kArp;
            k.nw_proto = std::uint8_t(rng.range(1, 2));
            k.nw_src = rng.pick(kIps);
            k.nw_dst = rng.pick(kIps);
            k.arp_sha = rng.chance(80) ? k.dl_src : rng.pick(kSrcMacs);
            k.arp_tha = k.nw_proto == 1 ? 0 : (rng.chance(80) ? k.dl_dst : rng.pick(kSrcMacs));
            break;
        default:
            k.dl_type = engine::eth_type::kIpv4;
            k.nw_src = rng.pick(kIps);
            k.nw_dst = rng.pick(kIps);
            k.nw_tos = rng.pick(kTos);
            k.nw_ttl = rng.pick(kTtls);
            if (proto == ProtoClass::Icmp) {
                k.nw_proto = engine::ip_proto::kIcmp;
                k.tp_src = rng.pick(kIcmpTypes);
                k.tp_dst = rng.chance(70) ? 0 : rng.pick(kIcmpCodes);
            } else if (proto == ProtoClass::Tcp || proto == ProtoClass::Udp) {
                k.nw_proto =
                    proto == ProtoClass::Tcp ? engine::ip_proto::kTcp : engine::ip_proto::kUdp;
                k.tp_src = rng.pick(kL4Ports);
                k.tp_dst = rng.pick(kL4Ports);
            } else {
                k.nw_proto = rng.pick(kOtherIpProtos);
            }
            break;
    }
    return k;
}

/// One match constraint: its text and how a frame is made to satisfy it.
struct Constraint {
    std::string slot;  // fields it constrains; at most one constraint per slot
    std::string text;
    FrameShaper shape;  // may be empty (metadata fields a frame cannot carry)
};

/// Candidate match constraints for a rule of class 'proto'. 'limited': only those that
/// OpenFlow 1.3 encodes exactly as written (for push_vlan rules).
Constraint randomConstraint(Rng& rng, ProtoClass proto, int numPorts, bool limited) {
    std::vector<int> kinds = {0, 1, 2};  // in_port, dl_src, dl_dst
    if (!limited) {
        kinds.insert(kinds.end(), {3, 3, 4, 5, 6});  // vlan (x2), reg, metadata, tun_id
        if (isIpClass(proto))
            kinds.insert(kinds.end(), {7, 8});
        if (proto == ProtoClass::Ip)
            kinds.push_back(9);
        if (proto == ProtoClass::Tcp || proto == ProtoClass::Udp)
            kinds.insert(kinds.end(), {10, 11});
        if (proto == ProtoClass::Icmp)
            kinds.insert(kinds.end(), {12, 13});
        if (proto == ProtoClass::Arp)
            kinds.insert(kinds.end(), {14, 15, 16});
    }
    Constraint c;
    switch (rng.pick(kinds)) {
        case 0: {
            const auto port = std::uint32_t(rng.range(1, numPorts));
            c = {"in_port", "in_port=" + std::to_string(port),
                 [port](FlowKey&, std::uint32_t& in, Rng&) { in = port; }};
            break;
        }
        case 1: {
            const std::uint64_t m = rng.pick(kSrcMacs);
            c = {"dl_src", "dl_src=" + mac(m),
                 [m](FlowKey& k, std::uint32_t&, Rng&) { k.dl_src = m; }};
            break;
        }
        case 2: {
            const int form = rng.range(0, 3);
            if (form == 0) {
                c = {"dl_dst", "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
                     [](FlowKey& k, std::uint32_t&, Rng& r) { k.dl_dst = r.pick(kMulticastMacs); }};
            } else if (form == 1) {
                c = {"dl_dst", "dl_dst=00:00:00:00:00:00/01:00:00:00:00:00",
                     [](FlowKey& k, std::uint32_t&, Rng& r) { k.dl_dst = r.pick(kSrcMacs); }};
            } else {
                const std::uint64_t m =
                    rng.chance(25) ? rng.pick(kMulticastMacs) : rng.pick(kSrcMacs);
                c = {"dl_dst", "dl_dst=" + mac(m),
                     [m](FlowKey& k, std::uint32_t&, Rng&) { k.dl_dst = m; }};
            }
            break;
        }
        case 3: {
            const std::uint16_t vid = rng.pick(kVids);
            const auto pcp = std::uint16_t(rng.range(0, 7));
            auto tagged = [](std::uint16_t v) {
                return [v](FlowKey& k, std::uint32_t&, Rng& r) {
                    k.vlan_tci = std::uint16_t(engine::kVlanCfi |
                                               (r.chance(70) ? 0 : r.range(1, 7)) << 13 | v);
                };
            };
            auto untagged = [](FlowKey& k, std::uint32_t&, Rng&) { k.vlan_tci = 0; };
            char buf[64];
            switch (rng.range(0, 7)) {
                case 0:
                    c = {"vlan", "dl_vlan=" + std::to_string(vid), tagged(vid)};
                    break;
                case 1:
                    c = {"vlan", "dl_vlan=0xffff", untagged};
                    break;
                case 2:
                    c = {"vlan", "vlan_tci=0x0000/0x1000", untagged};
                    break;
                case 3:
                    c = {"vlan", "vlan_tci=0x1000/0x1000",
                         [](FlowKey& k, std::uint32_t&, Rng& r) { k.vlan_tci = randomVlanTci(r); }};
                    break;
                case 4:
                    c = {"vlan", "vlan_tci=0x0000", untagged};
                    break;
                case 5:
                    std::snprintf(buf, sizeof buf, "vlan_tci=0x%04x/0x0fff", vid);
                    c = {"vlan", buf, tagged(vid)};
                    break;
                case 6:
                    c = {"vlan", "dl_vlan_pcp=" + std::to_string(pcp),
                         [pcp](FlowKey& k, std::uint32_t&, Rng& r) {
                             k.vlan_tci =
                                 std::uint16_t(engine::kVlanCfi | pcp << 13 | r.pick(kVids));
                         }};
                    break;
                default:
                    std::snprintf(buf, sizeof buf, "vlan_tci=0x%04x/0x1fff", 0x1000 | vid);
                    c = {"vlan", buf, tagged(vid)};
                    break;
            }
            break;
        }
        case 4: {
            const int reg = rng.range(0, 3);
            const std::uint64_t v = rng.pick(kRegValues);
            std::string text = "reg" + std::to_string(reg) + "=" + hex(v);
            if (rng.chance(30)) {
                const std::uint64_t mask = rng.chance(50) ? 0xff : 0xffff0000;
                text = "reg" + std::to_string(reg) + "=" + hex(v & mask) + "/" + hex(mask);
            }
            c = {"reg" + std::to_string(reg), text, {}};
            break;
        }
        case 5: {
            const std::uint64_t v = rng.pick(kRegValues);
            c = {"metadata",
                 rng.chance(70) ? "metadata=" + hex(v) : "metadata=" + hex(v & 0xf0) + "/0xf0",
                 {}};
            break;
        }
        case 6: {
            const std::uint64_t v = rng.pick(kTunIds);
            c = {"tun_id",
                 rng.chance(75) ? "tun_id=" + hex(v) : "tun_id=" + hex(v & 0xff) + "/0xff",
                 {}};
            break;
        }
        case 7:
        case 8: {
            const bool src = rng.chance(50);
            const auto [addr, len] = rng.pick(kPrefixes);
            const std::uint32_t mask = prefixMask(len);
            std::string text = std::string(src ? "nw_src=" : "nw_dst=") + ip(addr & mask);
            if (len != 32)
                text += "/" + std::to_string(len);
            c = {src ? "nw_src" : "nw_dst", text,
                 [src, addr, mask](FlowKey& k, std::uint32_t&, Rng& r) {
                     std::uint32_t& f = src ? k.nw_src : k.nw_dst;
                     f = (addr & mask) | (std::uint32_t(r.next()) & ~mask);
                 }};
            break;
        }
        case 9: {
            const std::uint8_t proto2 =
                rng.chance(50) ? rng.pick(kOtherIpProtos) : std::uint8_t(17);
            c = {"nw_proto", "nw_proto=" + std::to_string(proto2),
                 [proto2](FlowKey& k, std::uint32_t&, Rng&) { k.nw_proto = proto2; }};
            break;
        }
        case 10:
        case 11: {
            const bool src = rng.chance(50);
            const std::uint16_t port = rng.pick(kL4Ports);
            const std::string name = src ? "tp_src" : "tp_dst";
            if (rng.chance(20)) {
                // A masked port match (NXM): the high byte only.
                c = {name, name + "=" + hex(port & 0xff00) + "/0xff00",
                     [src, port](FlowKey& k, std::uint32_t&, Rng& r) {
                         (src ? k.tp_src : k.tp_dst) =
                             std::uint16_t((port & 0xff00) | r.range(0, 255));
                     }};
            } else {
                c = {name, name + "=" + std::to_string(port),
                     [src, port](FlowKey& k, std::uint32_t&, Rng&) {
                         (src ? k.tp_src : k.tp_dst) = port;
                     }};
            }
            break;
        }
        case 12: {
            const std::uint16_t t = rng.pick(kIcmpTypes);
            c = {"icmp_type", "icmp_type=" + std::to_string(t),
                 [t](FlowKey& k, std::uint32_t&, Rng&) { k.tp_src = t; }};
            break;
        }
        case 13: {
            const std::uint16_t code = rng.pick(kIcmpCodes);
            c = {"icmp_code", "icmp_code=" + std::to_string(code),
                 [code](FlowKey& k, std::uint32_t&, Rng&) { k.tp_dst = code; }};
            break;
        }
        case 14: {
            const int op = rng.range(1, 2);
            c = {"arp_op", "arp_op=" + std::to_string(op),
                 [op](FlowKey& k, std::uint32_t&, Rng&) { k.nw_proto = std::uint8_t(op); }};
            break;
        }
        default: {
            const bool spa = rng.chance(50);
            const auto [addr, len] = rng.pick(kPrefixes);
            const std::uint32_t mask = prefixMask(len);
            std::string text = std::string(spa ? "arp_spa=" : "arp_tpa=") + ip(addr & mask);
            if (len != 32)
                text += "/" + std::to_string(len);
            c = {spa ? "arp_spa" : "arp_tpa", text,
                 [spa, addr, mask](FlowKey& k, std::uint32_t&, Rng& r) {
                     std::uint32_t& f = spa ? k.nw_src : k.nw_dst;
                     f = (addr & mask) | (std::uint32_t(r.next()) & ~mask);
                 }};
            break;
        }
    }
    return c;
}

const char* protoKeyword(ProtoClass p) {
    switch (p) {
        case ProtoClass::Ip:
            return "ip";
        case ProtoClass::Icmp:
            return "icmp";
        case ProtoClass::Tcp:
            return "tcp";
        case ProtoClass::Udp:
            return "udp";
        case ProtoClass::Arp:
            return "arp";
        case ProtoClass::Any:
            break;
    }
    return "";
}

/// Generation state shared by the rules of one table set.
struct Builder {
    Rng& rng;
    const RandomFlowConfig& cfg;
    std::map<int, std::set<int>> usedPriorities;  // table -> priorities taken
    std::set<std::pair<int, int>> learnSlots;

    int freshPriority(int table, int lo, int hi) {
        auto& used = usedPriorities[table];
        for (int attempt = 0; attempt < 1000; ++attempt) {
            const int p = rng.range(lo, hi);
            if (used.insert(p).second)
                return p;
        }
        for (int p = lo;; ++p) {
            if (used.insert(p).second)
                return p;
        }
    }

    std::string outputPort() {
        if (rng.chance(4))
            return std::to_string(cfg.numPorts + 5);  // no such port
        return std::to_string(rng.range(1, cfg.numPorts));
    }

    /// A resubmit target after 'table'; rarely any table (loops exercise the limits).
    std::optional<int> resubmitTarget(int table) {
        if (rng.chance(3))
            return rng.range(0, cfg.numTables - 1);
        if (table + 1 >= cfg.numTables)
            return std::nullopt;
        return rng.range(table + 1, cfg.numTables - 1);
    }

    std::string reg() { return "NXM_NX_REG" + std::to_string(rng.range(0, 3)); }

    std::string learnAction(int /*table*/) {
        const int target = rng.range(0, cfg.numTables - 1);
        const int priority = freshPriority(target, 1, 300);
        learnSlots.insert({target, priority});
        std::string s = "learn(table=" + std::to_string(target);
        switch (rng.range(0, 3)) {
            case 0:
                s += ",hard_timeout=300";
                break;
            case 1:
                s += ",idle_timeout=60";
                break;
            case 2:
                s += ",idle_timeout=30,hard_timeout=120";
                break;
            default:
                break;
        }
        s += ",priority=" + std::to_string(priority);
        // Match specs: distinct destination fields.
        std::vector<std::pair<std::string, std::string>> matchSpecs = {
            {"vlan", "NXM_OF_VLAN_TCI[0..11]"},
            {"eth_dst", "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[]"},
            {"eth_src", "NXM_OF_ETH_SRC[]"},
            {"in_port", "NXM_OF_IN_PORT[]"},
            {"reg0", "NXM_NX_REG0[]"},
            {"tun_id", "NXM_NX_TUN_ID[]"},
            {"reg1", "NXM_NX_REG1[0..15]=NXM_OF_IN_PORT[]"},
            {"reg2", "NXM_NX_REG2[0..7]=0x5"},
            {"metadata", "OXM_OF_METADATA[]"},
            {"eth_dst", "eth_dst=fa:16:3e:2a:46:e0"},
        };
        std::set<std::string> used;
        const int nMatch = rng.range(1, 3);
        for (int i = 0; i < nMatch; ++i) {
            const auto& [slot, text] = rng.pick(matchSpecs);
            if (!used.insert(slot).second)
                continue;
            s += "," + text;
        }
        const std::vector<std::string> actionSpecs = {
            "load:0->NXM_OF_VLAN_TCI[]",
            "load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[]",
            "output:NXM_OF_IN_PORT[]",
            "load:" + hex(rng.pick(kRegValues)) + "->" + reg() + "[]",
            "load:NXM_OF_IN_PORT[]->NXM_NX_REG2[0..15]",
            "load:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]",
            "load:" + hex(rng.below(256)) + "->NXM_NX_REG3[8..15]",
        };
        const int nActions = rng.range(1, 3);
        std::set<std::size_t> usedActions;
        for (int i = 0; i < nActions; ++i) {
            const std::size_t a = rng.below(actionSpecs.size());
            if (!usedActions.insert(a).second)
                continue;
            s += "," + actionSpecs[a];
        }
        return s + ")";
    }

    std::string loadAction() {
        switch (rng.range(0, 7)) {
            case 0:
            case 1:
                return "load:" + hex(rng.pick(kRegValues)) + "->" + reg() + "[]";
            case 2: {
                const int ofs = rng.range(0, 24);
                const int nbits = rng.range(1, 32 - ofs);
                const std::uint64_t v = rng.next() & ((1ULL << nbits) - 1);
                return "load:" + hex(v) + "->" + reg() + "[" + std::to_string(ofs) + ".." +
                       std::to_string(ofs + nbits - 1) + "]";
            }
            case 3:
                return "load:" + hex(rng.pick(kRegValues)) + "->OXM_OF_METADATA[]";
            case 4:
                return "load:" + hex(rng.pick(kTunIds)) + "->NXM_NX_TUN_ID[]";
            case 5:
                return "load:0->NXM_OF_VLAN_TCI[]";
            case 6:
                return "load:" + hex(0x1000 | rng.pick(kVids)) + "->NXM_OF_VLAN_TCI[]";
            default:
                return "load:" + hex(rng.pick(kSrcMacs)) + "->NXM_OF_ETH_DST[]";
        }
    }

    std::string moveAction(ProtoClass proto) {
        std::vector<std::string> moves = {
            "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]",
            "move:NXM_OF_ETH_DST[]->NXM_OF_ETH_SRC[]",
            "move:" + reg() + "[]->" + reg() + "[]",
            "move:" + reg() + "[0..15]->" + reg() + "[16..31]",
            "move:NXM_OF_IN_PORT[]->" + reg() + "[0..15]",
            "move:NXM_NX_TUN_ID[0..31]->" + reg() + "[]",
            "move:" + reg() + "[]->NXM_NX_TUN_ID[0..31]",
            "move:OXM_OF_METADATA[0..31]->" + reg() + "[]",
            "move:NXM_OF_VLAN_TCI[0..11]->" + reg() + "[0..11]",
        };
        if (isIpClass(proto)) {
            moves.push_back("move:NXM_OF_IP_SRC[]->" + reg() + "[]");
            moves.push_back("move:NXM_OF_IP_SRC[]->NXM_OF_IP_DST[]");
        }
        if (proto == ProtoClass::Arp)
            moves.push_back("move:NXM_OF_ARP_SPA[]->" + reg() + "[]");
        return rng.pick(moves);
    }

    std::string setFieldAction(ProtoClass proto) {
        std::vector<std::string> sets = {
            "set_field:" + hex(rng.pick(kRegValues)) + "->reg" + std::to_string(rng.range(0, 3)),
            "set_field:" + hex(rng.pick(kRegValues)) + "->metadata",
            "set_field:" + hex(rng.pick(kTunIds)) + "->tun_id",
            "set_field:" + mac(rng.pick(kSrcMacs)) + "->eth_src",
            "set_field:" + mac(rng.pick(kSrcMacs)) + "->eth_dst",
            "set_field:0x5/0xf->reg" + std::to_string(rng.range(0, 3)),
        };
        if (isIpClass(proto)) {
            sets.push_back("set_field:" + ip(rng.pick(kIps)) + "->ip_src");
            sets.push_back("set_field:" + ip(rng.pick(kIps)) + "->ip_dst");
        }
        if (proto == ProtoClass::Tcp)
            sets.push_back("set_field:" + std::to_string(rng.pick(kL4Ports)) + "->tcp_dst");
        if (proto == ProtoClass::Udp)
            sets.push_back("set_field:" + std::to_string(rng.pick(kL4Ports)) + "->udp_src");
        return rng.pick(sets);
    }

    /// One action of a rule in 'table' of class 'proto'.
    std::string action(int table, ProtoClass proto) {
        const int r = rng.range(0, 103);
        if (r < 20)
            return "output:" + outputPort();
        if (r < 22) {
            // Reserved ports: LOCAL (recorded on both sides), FLOOD, ALL, NORMAL.
            static const std::vector<std::string> kSpecial = {"LOCAL", "output:LOCAL", "FLOOD",
                                                              "ALL", "NORMAL"};
            return rng.pick(kSpecial);
        }
        if (r < 26)
            return "IN_PORT";
        if (r < 44) {
            if (auto t = resubmitTarget(table))
                return "resubmit(," + std::to_string(*t) + ")";
            return "output:" + outputPort();
        }
        if (r < 49) {
            if (auto t = resubmitTarget(table)) {
                return "resubmit(" + std::to_string(rng.range(1, cfg.numPorts)) + "," +
                       std::to_string(*t) + ")";
            }
            return "IN_PORT";
        }
        if (r < 54)
            return "mod_vlan_vid:" + std::to_string(rng.pick(kVids));
        if (r < 57)
            return "mod_vlan_pcp:" + std::to_string(rng.range(0, 7));
        if (r < 61)
            return "strip_vlan";
        if (r < 66)
            return std::string(rng.chance(50) ? "mod_dl_src:" : "mod_dl_dst:") +
                   mac(rng.pick(kSrcMacs));
        if (r < 71)
            return std::string(rng.chance(50) ? "mod_nw_src:" : "mod_nw_dst:") + ip(rng.pick(kIps));
        if (r < 76)
            return "dec_ttl";
        if (r < 84)
            return loadAction();
        if (r < 89)
            return moveAction(proto);
        if (r < 96)
            return setFieldAction(proto);
        return learnAction(table);
    }

    RandomRule rule(int table, int priority, bool catchAll) {
        RandomRule rule;
        rule.table = table;
        rule.priority = priority;
        std::vector<std::string> matchParts;
        std::vector<std::string> actions;
        if (!catchAll) {
            const int r = rng.range(0, 99);
            rule.proto = r < 40   ? ProtoClass::Any
                         : r < 52 ? ProtoClass::Ip
                         : r < 62 ? ProtoClass::Icmp
                         : r < 72 ? ProtoClass::Udp
                         : r < 82 ? ProtoClass::Tcp
                                  : ProtoClass::Arp;
            rule.needsOf13 = rng.chance(8);
            if (*protoKeyword(rule.proto))
                matchParts.emplace_back(protoKeyword(rule.proto));
            std::set<std::string> slots;
            if (rule.needsOf13) {
                slots.insert("vlan");
                matchParts.emplace_back("vlan_tci=0x0000/0x1000");
                rule.shapers.push_back([](FlowKey& k, std::uint32_t&, Rng&) { k.vlan_tci = 0; });
            }
            const int n = rng.range(rule.proto == ProtoClass::Any ? 1 : 0, 3);
            for (int i = 0; i < n; ++i) {
                Constraint c = randomConstraint(rng, rule.proto, cfg.numPorts, rule.needsOf13);
                if (!slots.insert(c.slot).second)
                    continue;
                matchParts.push_back(c.text);
                if (c.shape)
                    rule.shapers.push_back(c.shape);
            }
        }
        if (rule.needsOf13) {
            // OpenFlow 1.3 vocabulary only (see the file comment in random_flows.h).
            actions.emplace_back("push_vlan:0x8100");
            actions.push_back("mod_vlan_vid:" + std::to_string(rng.pick(kVids)));
            const int n = rng.range(1, 3);
            for (int i = 0; i < n; ++i) {
                switch (rng.range(0, 4)) {
                    case 0:
                        actions.push_back("output:" + outputPort());
                        break;
                    case 1:
                        actions.emplace_back("IN_PORT");
                        break;
                    case 2:
                        if (auto t = resubmitTarget(table)) {
                            actions.push_back("resubmit(," + std::to_string(*t) + ")");
                        } else {
                            actions.push_back("output:" + outputPort());
                        }
                        break;
                    case 3:
                        actions.push_back("load:" + hex(rng.pick(kRegValues)) + "->" + reg() +
                                          "[]");
                        break;
                    default:
                        actions.push_back("mod_dl_src:" + mac(rng.pick(kSrcMacs)));
                        break;
                }
            }
        } else if (!rng.chance(7)) {
            const int n = rng.range(1, 4);
            for (int i = 0; i < n; ++i)
                actions.push_back(action(table, rule.proto));
            const std::string& last = actions.back();
            const bool ends =
                last.rfind("output", 0) == 0 || last.rfind("resubmit", 0) == 0 || last == "IN_PORT";
            if (!ends && rng.chance(60))
                actions.push_back("output:" + outputPort());
        }
        for (std::size_t i = 0; i < matchParts.size(); ++i) {
            if (i)
                rule.match += ",";
            rule.match += matchParts[i];
        }
        for (std::size_t i = 0; i < actions.size(); ++i) {
            if (i)
                rule.actions += ",";
            rule.actions += actions[i];
        }
        if (rule.actions.empty())
            rule.actions = "drop";
        return rule;
    }
};

/// Mixes a seed so that consecutive seeds give unrelated streams.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t salt) {
    Rng r(seed * 0x9e3779b97f4a7c15ULL + salt);
    return r.next();
}

}  // namespace

std::uint64_t Rng::next() {
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::string RandomRule::text() const {
    std::string s = "table=" + std::to_string(table) + ",priority=" + std::to_string(priority);
    if (!match.empty())
        s += "," + match;
    return s + " actions=" + actions;
}

std::string RandomFlowTable::text() const {
    std::string s;
    for (const auto& r : rules)
        s += r.text() + "\n";
    return s;
}

std::string RandomFlowTable::textOf10() const {
    std::string s;
    for (const auto& r : rules) {
        if (!r.needsOf13)
            s += r.text() + "\n";
    }
    return s;
}

std::string RandomFlowTable::textOf13() const {
    std::string s;
    for (const auto& r : rules) {
        if (r.needsOf13)
            s += r.text() + "\n";
    }
    return s;
}

bool RandomFlowTable::isStatic(int table, int priority) const {
    return std::any_of(rules.begin(), rules.end(), [&](const RandomRule& r) {
        return r.table == table && r.priority == priority;
    });
}

RandomFlowTable generateFlowTable(std::uint64_t seed, const RandomFlowConfig& config) {
    Rng rng(mixSeed(seed, 1));
    Builder b{rng, config, {}, {}};
    RandomFlowTable out;
    out.seed = seed;
    out.config = config;
    // Priorities of the static rules first, so that learn actions can avoid them.
    std::vector<std::vector<int>> priorities(std::size_t(config.numTables));
    std::vector<bool> catchAll(std::size_t(config.numTables));
    for (int t = 0; t < config.numTables; ++t) {
        const int n = rng.range(config.minRulesPerTable, config.maxRulesPerTable);
        for (int i = 0; i < n; ++i)
            priorities[std::size_t(t)].push_back(b.freshPriority(t, 1, 300));
        catchAll[std::size_t(t)] = rng.chance(35);
        if (catchAll[std::size_t(t)])
            b.usedPriorities[t].insert(0);
    }
    for (int t = 0; t < config.numTables; ++t) {
        for (int p : priorities[std::size_t(t)])
            out.rules.push_back(b.rule(t, p, false));
        if (catchAll[std::size_t(t)])
            out.rules.push_back(b.rule(t, 0, true));
    }
    out.learnSlots = b.learnSlots;
    return out;
}

std::vector<RandomFrame> generateFrames(const RandomFlowTable& table, int count,
                                        std::uint64_t seed) {
    Rng rng(mixSeed(seed, 2));
    std::vector<RandomFrame> frames;
    const int numPorts = table.config.numPorts;
    std::vector<const RandomRule*> table0;
    for (const auto& r : table.rules) {
        if (r.table == 0)
            table0.push_back(&r);
    }
    for (int i = 0; i < count; ++i) {
        RandomFrame f;
        f.inPort = std::uint32_t(rng.range(1, numPorts));
        f.payloadBytes = std::size_t(rng.range(0, 24));
        const int r = rng.range(0, 99);
        if (i > 0 && r < 8) {
            // The same frame again (learn refreshes, learned flows now in place).
            const std::size_t j = rng.below(frames.size());
            f = frames[j];
            f.origin = "repeat of frame " + std::to_string(j);
            frames.push_back(f);
            continue;
        }
        if (i > 0 && r < 25) {
            // A reply: addresses swapped, so that flows learned from frame j match.
            const std::size_t j = rng.below(frames.size());
            f.key = frames[j].key;
            std::swap(f.key.dl_src, f.key.dl_dst);
            if (f.key.dl_src & 0x010000000000ULL)
                f.key.dl_src = rng.pick(kSrcMacs);
            std::swap(f.key.nw_src, f.key.nw_dst);
            if (f.key.dl_type == engine::eth_type::kArp) {
                f.key.nw_proto = 2;
                f.key.arp_sha = f.key.dl_src;
                f.key.arp_tha = f.key.dl_dst;
            } else if (f.key.nw_proto == engine::ip_proto::kTcp ||
                       f.key.nw_proto == engine::ip_proto::kUdp) {
                std::swap(f.key.tp_src, f.key.tp_dst);
            }
            f.origin = "reply to frame " + std::to_string(j);
        } else if (r < 80 && !table.rules.empty()) {
            const RandomRule* rule = rng.chance(50) && !table0.empty()
                                         ? table0[rng.below(table0.size())]
                                         : &table.rules[rng.below(table.rules.size())];
            f.key = randomKey(rng, rule->proto);
            for (const auto& shape : rule->shapers)
                shape(f.key, f.inPort, rng);
            f.origin = "shaped by rule \"" + rule->text() + "\"";
        } else {
            f.key = randomKey(rng, ProtoClass::Any);
            f.origin = "random";
        }
        f.key.in_port = f.inPort;
        f.bytes = engine::composeFrame(f.key, f.payloadBytes);
        if (f.key.dl_type == engine::eth_type::kIpv4 && rng.chance(8)) {
            // An IPv4 fragment: the first (MF) or a later one (offset 64 bytes).
            const bool first = rng.chance(50);
            const std::size_t l3 = (f.key.vlan_tci & engine::kVlanCfi) ? 18 : 14;
            f.bytes[l3 + 6] = first ? 0x20 : 0x00;
            f.bytes[l3 + 7] = first ? 0x00 : 0x08;
            f.bytes[l3 + 10] = f.bytes[l3 + 11] = 0;
            std::uint32_t sum = 0;
            for (std::size_t b = 0; b < 20; b += 2)
                sum += std::uint32_t(f.bytes[l3 + b] << 8 | f.bytes[l3 + b + 1]);
            while (sum >> 16)
                sum = (sum & 0xffff) + (sum >> 16);
            f.bytes[l3 + 10] = std::uint8_t(~sum >> 8);
            f.bytes[l3 + 11] = std::uint8_t(~sum);
            f.origin += first ? ", made a first fragment" : ", made a later fragment";
        }
        frames.push_back(std::move(f));
    }
    return frames;
}

}  // namespace nlab::difftest
