#include "engine/flow/ofctl_format.h"

#include "engine/flow/flow_table.h"
#include "engine/packet/addresses.h"

#include <algorithm>
#include <bit>
#include <cstdio>

namespace nlab::engine {

namespace {

constexpr std::uint16_t kEthRarp = 0x8035;
constexpr std::uint16_t kEthMpls = 0x8847;
constexpr std::uint16_t kEthMplsMcast = 0x8848;
constexpr std::uint8_t kIpProtoSctp = 132;
constexpr std::uint8_t kIpProtoIcmpv6 = 58;
constexpr std::uint8_t kDscpMask = 0xfc;
constexpr std::uint8_t kEcnMask = 0x03;
constexpr std::uint32_t kMaxAge = 65534;  // NXST ages are encoded +1 in 16 bits.

template <typename... Args>
std::string sformat(const char* fmt, Args... args) {
    char buf[64];
    const int n = std::snprintf(buf, sizeof buf, fmt, args...);
    return std::string(buf, std::size_t(std::max(n, 0)));
}

std::string hexValue(std::uint64_t v) {
    return sformat("%#llx", static_cast<unsigned long long>(v));
}

bool isPlainWord(std::string_view name) {
    if (name.empty())
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok)
            return false;
    }
    if (name.front() == '-' || name.front() == '+')
        return false;  // Would read as a number.
    // A name made only of digits would read back as a port number, a reserved name as
    // the reserved port.
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return false;
    }
    static constexpr std::string_view kReserved[] = {
        "IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL", "ANY", "NONE"};
    for (std::string_view r : kReserved) {
        if (r.size() == name.size() &&
            std::equal(r.begin(), r.end(), name.begin(), [](char a, char b) {
                return a == (b >= 'a' && b <= 'z' ? char(b - 'a' + 'A') : b);
            })) {
            return false;
        }
    }
    return true;
}

const char* reservedPortName(std::uint32_t port) {
    switch (port) {
        case ofp::kInPort:
            return "IN_PORT";
        case ofp::kTable:
            return "TABLE";
        case ofp::kNormal:
            return "NORMAL";
        case ofp::kFlood:
            return "FLOOD";
        case ofp::kAll:
            return "ALL";
        case ofp::kController:
            return "CONTROLLER";
        case ofp::kLocal:
            return "LOCAL";
        case ofp::kNone:
            return "ANY";
        default:
            return nullptr;
    }
}

/// 2.x match_format helpers: each appends "name=value," when the mask is non-zero.
void putEthMasked(std::string& s, const char* name, std::uint64_t value, std::uint64_t mask) {
    if (mask == 0)
        return;
    s += name;
    s += '=';
    s += formatMac(value);
    if (mask != 0xffffffffffffULL) {
        s += '/';
        s += formatMac(mask);
    }
    s += ',';
}

std::string ipMasked(std::uint32_t ip, std::uint32_t mask) {
    std::string s = formatIpv4(ip);
    if (mask != 0xffffffffU) {
        // A CIDR mask is a run of ones followed by a run of zeros.
        const bool cidr = ((~mask + 1) & ~mask) == 0;
        if (cidr) {
            s += sformat("/%d", 32 - std::countr_zero(mask));
        } else {
            s += '/';
            s += formatIpv4(mask);
        }
    }
    return s;
}

void putIpMasked(std::string& s, const char* name, std::uint32_t ip, std::uint32_t mask) {
    if (mask == 0)
        return;
    s += name;
    s += '=';
    s += ipMasked(ip, mask);
    s += ',';
}

void putBe16Masked(std::string& s, const char* name, std::uint16_t value, std::uint16_t mask) {
    if (mask == 0)
        return;
    s += name;
    s += '=';
    if (mask == 0xffff) {
        s += sformat("%u", unsigned(value));
    } else {
        s += sformat("0x%x/0x%x", unsigned(value), unsigned(mask));
    }
    s += ',';
}

void putHex64Masked(std::string& s, const char* name, std::uint64_t value, std::uint64_t mask) {
    if (mask == 0)
        return;
    s += name;
    s += '=';
    s += hexValue(value);
    if (mask != ~0ULL) {
        s += '/';
        s += hexValue(mask);
    }
    s += ',';
}

std::string formatSubvalue(std::uint64_t value) {
    // mf_format_subvalue(): "0" for zero, else hex with "0x" and no leading zeros.
    return hexValue(value);
}

std::string formatLearn(const LearnAction& learn, const PortNamer& namer) {
    std::string s = sformat("learn(table=%u", unsigned(learn.table));
    if (learn.idleTimeout != 0)
        s += sformat(",idle_timeout=%u", unsigned(learn.idleTimeout));
    if (learn.hardTimeout != 0)
        s += sformat(",hard_timeout=%u", unsigned(learn.hardTimeout));
    if (learn.finIdleTimeout != 0) {
        s += sformat(",fin_idle_timeout=%u", unsigned(learn.finIdleTimeout));
    }
    if (learn.finHardTimeout != 0) {
        s += sformat(",fin_hard_timeout=%u", unsigned(learn.finHardTimeout));
    }
    if (learn.priority != ofp::kDefaultPriority) {
        s += sformat(",priority=%u", unsigned(learn.priority));
    }
    if (learn.sendFlowRem)
        s += ",send_flow_rem";
    if (learn.deleteLearned)
        s += ",delete_learned";
    if (learn.cookie != 0) {
        s += ",cookie=";
        s += hexValue(learn.cookie);
    }
    for (const LearnSpec& spec : learn.specs) {
        s += ',';
        switch (spec.kind) {
            case LearnSpec::Kind::Match:
                if (spec.srcImmediate) {
                    const FieldInfo& f = fieldInfo(spec.dst.field);
                    if (spec.dst.ofs == 0 && spec.dst.nbits == f.bits) {
                        s += ovsFieldName(spec.dst.field);
                        s += '=';
                        s += formatFieldValue(spec.dst.field, spec.value, namer);
                    } else {
                        s += formatSubfield(spec.dst);
                        s += '=';
                        s += formatSubvalue(spec.value);
                    }
                } else {
                    s += formatSubfield(spec.dst);
                    if (spec.src.field != spec.dst.field || spec.src.ofs != spec.dst.ofs) {
                        s += '=';
                        s += formatSubfield(spec.src);
                    }
                }
                break;
            case LearnSpec::Kind::Load:
                s += "load:";
                s += spec.srcImmediate ? formatSubvalue(spec.value) : formatSubfield(spec.src);
                s += "->";
                s += formatSubfield(spec.dst);
                break;
            case LearnSpec::Kind::Output:
                s += "output:";
                s += formatSubfield(spec.src);
                break;
        }
    }
    s += ')';
    return s;
}

struct ActionPrinter {
    const PortNamer& namer;

    std::string operator()(const OutputAction& a) const {
        if (a.port < ofp::kMax)
            return "output:" + formatPort(a.port, namer);
        std::string s = formatPort(a.port, namer);
        if (a.port == ofp::kController)
            s += sformat(":%u", unsigned(a.maxLen));
        return s;
    }
    std::string operator()(const OutputRegAction& a) const {
        return "output:" + formatSubfield(a.src);
    }
    std::string operator()(const ResubmitAction& a) const {
        if (a.inPort != ofp::kInPort && a.table == ResubmitAction::kCurrentTable) {
            return "resubmit:" + formatPort(a.inPort, namer);
        }
        std::string s = "resubmit(";
        if (a.inPort != ofp::kInPort)
            s += formatPort(a.inPort, namer);
        s += ',';
        if (a.table != ResubmitAction::kCurrentTable)
            s += sformat("%u", unsigned(a.table));
        s += ')';
        return s;
    }
    std::string operator()(const GotoTableAction& a) const {
        return sformat("goto_table:%u", unsigned(a.table));
    }
    std::string operator()(const SetVlanVidAction& a) const {
        return sformat("mod_vlan_vid:%u", unsigned(a.vid));
    }
    std::string operator()(const SetVlanPcpAction& a) const {
        return sformat("mod_vlan_pcp:%u", unsigned(a.pcp));
    }
    std::string operator()(const StripVlanAction& a) const {
        return a.popSpelling ? "pop_vlan" : "strip_vlan";
    }
    std::string operator()(const PushVlanAction& a) const {
        return sformat("push_vlan:%#x", unsigned(a.ethertype));
    }
    std::string operator()(const SetFieldAction& a) const {
        return "set_field:" + formatFieldValueMasked(a.field, a.value, a.mask, namer) + "->" +
               std::string(ovsFieldName(a.field));
    }
    std::string operator()(const LoadAction& a) const {
        return "load:" + formatSubvalue(a.value) + "->" + formatSubfield(a.dst);
    }
    std::string operator()(const MoveAction& a) const {
        return "move:" + formatSubfield(a.src) + "->" + formatSubfield(a.dst);
    }
    std::string operator()(const SetEthAddrAction& a) const {
        return std::string(a.source ? "mod_dl_src:" : "mod_dl_dst:") + formatMac(a.mac);
    }
    std::string operator()(const SetIpv4AddrAction& a) const {
        return std::string(a.source ? "mod_nw_src:" : "mod_nw_dst:") + formatIpv4(a.addr);
    }
    std::string operator()(const DecTtlAction&) const { return "dec_ttl"; }
    std::string operator()(const SetTunnelAction& a) const {
        const bool wide = a.wide || a.id > 0xffffffffULL;
        return std::string(wide ? "set_tunnel64:" : "set_tunnel:") + hexValue(a.id);
    }
    std::string operator()(const NoteAction& a) const {
        std::string s = "note:";
        for (std::size_t i = 0; i < a.bytes.size(); ++i) {
            if (i)
                s += '.';
            s += sformat("%02x", unsigned(a.bytes[i]));
        }
        return s;
    }
    std::string operator()(const LearnAction& a) const { return formatLearn(a, namer); }
};

std::uint32_t ageSeconds(SimTime now, SimTime since) {
    const SimDuration d = now - since;
    if (d <= 0)
        return 0;
    const auto secs = std::uint64_t(d / kSecond);
    return std::uint32_t(std::min<std::uint64_t>(secs, kMaxAge));
}

}  // namespace

FieldSyntax fieldSyntax(FieldId id) {
    switch (id) {
        case FieldId::InPort:
            return FieldSyntax::Port;
        case FieldId::DlSrc:
        case FieldId::DlDst:
        case FieldId::ArpSha:
        case FieldId::ArpTha:
            return FieldSyntax::Mac;
        case FieldId::DlType:
        case FieldId::VlanTci:
        case FieldId::TunId:
        case FieldId::Metadata:
        case FieldId::Reg0:
        case FieldId::Reg1:
        case FieldId::Reg2:
        case FieldId::Reg3:
        case FieldId::Reg4:
        case FieldId::Reg5:
        case FieldId::Reg6:
        case FieldId::Reg7:
            return FieldSyntax::Hex;
        case FieldId::NwSrc:
        case FieldId::NwDst:
        case FieldId::ArpSpa:
        case FieldId::ArpTpa:
        case FieldId::TunSrc:
        case FieldId::TunDst:
            return FieldSyntax::Ipv4;
        default:
            return FieldSyntax::Decimal;
    }
}

std::string_view ovsFieldName(FieldId id) {
    switch (id) {
        case FieldId::DlSrc:
            return "eth_src";
        case FieldId::DlDst:
            return "eth_dst";
        case FieldId::DlType:
            return "eth_type";
        case FieldId::NwSrc:
            return "ip_src";
        case FieldId::NwDst:
            return "ip_dst";
        default:
            return fieldInfo(id).name;
    }
}

std::string formatPort(std::uint32_t port, const PortNamer& namer) {
    if (const char* reserved = reservedPortName(port))
        return reserved;
    if (namer) {
        if (auto name = namer(port)) {
            if (isPlainWord(*name))
                return *name;
            // A name holding a quote cannot be written so that it reads back: use the number.
            if (name->find('"') == std::string::npos && !name->empty()) {
                return '"' + *name + '"';
            }
        }
    }
    return sformat("%u", unsigned(port));
}

std::string formatSubfield(const Subfield& sf) {
    const FieldInfo& f = fieldInfo(sf.field);
    std::string s(f.nxmName.empty() ? f.name : f.nxmName);
    if (sf.ofs == 0 && sf.nbits == f.bits) {
        s += "[]";
    } else if (sf.nbits == 1) {
        s += sformat("[%u]", unsigned(sf.ofs));
    } else {
        s += sformat("[%u..%u]", unsigned(sf.ofs), unsigned(sf.ofs + sf.nbits - 1));
    }
    return s;
}

std::string formatFieldValue(FieldId id, std::uint64_t value, const PortNamer& namer) {
    value &= fieldMaxMask(id);
    switch (fieldSyntax(id)) {
        case FieldSyntax::Decimal:
            return sformat("%llu", static_cast<unsigned long long>(value));
        case FieldSyntax::Hex:
            return hexValue(value);
        case FieldSyntax::Mac:
            return formatMac(value);
        case FieldSyntax::Ipv4:
            return formatIpv4(std::uint32_t(value));
        case FieldSyntax::Port:
            return formatPort(std::uint32_t(value), namer);
    }
    return {};
}

std::string formatFieldValueMasked(FieldId id, std::uint64_t value, std::uint64_t mask,
                                   const PortNamer& namer) {
    const std::uint64_t full = fieldMaxMask(id);
    mask &= full;
    value &= full;
    if (mask == full)
        return formatFieldValue(id, value, namer);
    switch (fieldSyntax(id)) {
        case FieldSyntax::Mac:
            return formatMac(value) + "/" + formatMac(mask);
        case FieldSyntax::Ipv4:
            return ipMasked(std::uint32_t(value), std::uint32_t(mask));
        default:
            return hexValue(value) + "/" + hexValue(mask);
    }
}

std::string formatMatch(const Match& match, std::uint16_t priority, const PortNamer& namer) {
    const FlowKey& f = match.key;
    const FlowMask& m = match.mask;
    std::string s;
    bool skipType = false;
    bool skipProto = false;

    if (priority != ofp::kDefaultPriority)
        s += sformat("priority=%u,", unsigned(priority));

    if (m.dl_type != 0) {
        skipType = true;
        if (f.dl_type == eth_type::kIpv4 || f.dl_type == eth_type::kIpv6) {
            const bool v6 = f.dl_type == eth_type::kIpv6;
            if (m.nw_proto != 0) {
                skipProto = true;
                if (!v6 && f.nw_proto == ip_proto::kIcmp) {
                    s += "icmp,";
                } else if (v6 && f.nw_proto == kIpProtoIcmpv6) {
                    s += "icmp6,";
                } else if (f.nw_proto == ip_proto::kTcp) {
                    s += v6 ? "tcp6," : "tcp,";
                } else if (f.nw_proto == ip_proto::kUdp) {
                    s += v6 ? "udp6," : "udp,";
                } else if (f.nw_proto == kIpProtoSctp) {
                    s += v6 ? "sctp6," : "sctp,";
                } else {
                    s += v6 ? "ipv6," : "ip,";
                    skipProto = false;
                }
            } else {
                s += v6 ? "ipv6," : "ip,";
            }
        } else if (f.dl_type == eth_type::kArp) {
            s += "arp,";
        } else if (f.dl_type == kEthRarp) {
            s += "rarp,";
        } else if (f.dl_type == kEthMpls) {
            s += "mpls,";
        } else if (f.dl_type == kEthMplsMcast) {
            s += "mplsm,";
        } else {
            skipType = false;
        }
    }
    for (int i = 0; i < kNumRegs; ++i) {
        if (m.regs[i] == 0)
            continue;
        if (m.regs[i] == 0xffffffffU) {
            s += sformat("reg%d=0x%x,", i, unsigned(f.regs[i]));
        } else {
            s += sformat("reg%d=0x%x/0x%x,", i, unsigned(f.regs[i]), unsigned(m.regs[i]));
        }
    }
    putHex64Masked(s, "tun_id", f.tun_id, m.tun_id);
    putIpMasked(s, "tun_src", f.tun_src, m.tun_src);
    putIpMasked(s, "tun_dst", f.tun_dst, m.tun_dst);
    putHex64Masked(s, "metadata", f.metadata, m.metadata);
    if (m.in_port != 0) {
        s += "in_port=";
        s += formatPort(f.in_port, namer);
        s += ',';
    }
    if (m.vlan_tci != 0) {
        const std::uint16_t vidMask = m.vlan_tci & kVlanVidMask;
        const std::uint16_t pcpMask = m.vlan_tci & kVlanPcpMask;
        const bool cfi = (m.vlan_tci & kVlanCfi) != 0;
        if (cfi && (f.vlan_tci & kVlanCfi) && (vidMask == 0 || vidMask == kVlanVidMask) &&
            (pcpMask == 0 || pcpMask == kVlanPcpMask) && (vidMask || pcpMask)) {
            if (vidMask)
                s += sformat("dl_vlan=%u,", unsigned(f.vlan_tci & kVlanVidMask));
            if (pcpMask)
                s += sformat("dl_vlan_pcp=%u,", unsigned(f.vlan_tci >> 13));
        } else if (m.vlan_tci == 0xffff) {
            s += sformat("vlan_tci=0x%04x,", unsigned(f.vlan_tci));
        } else {
            s += sformat("vlan_tci=0x%04x/0x%04x,", unsigned(f.vlan_tci), unsigned(m.vlan_tci));
        }
    }
    putEthMasked(s, "dl_src", f.dl_src, m.dl_src);
    putEthMasked(s, "dl_dst", f.dl_dst, m.dl_dst);
    if (!skipType && m.dl_type != 0)
        s += sformat("dl_type=0x%04x,", unsigned(f.dl_type));

    const bool arpLike = f.dl_type == eth_type::kArp || f.dl_type == kEthRarp;
    if (f.dl_type == eth_type::kIpv6) {
        // The engine keeps no IPv6 addresses.
    } else if (arpLike) {
        putIpMasked(s, "arp_spa", f.nw_src, m.nw_src);
        putIpMasked(s, "arp_tpa", f.nw_dst, m.nw_dst);
    } else {
        putIpMasked(s, "nw_src", f.nw_src, m.nw_src);
        putIpMasked(s, "nw_dst", f.nw_dst, m.nw_dst);
    }
    if (!skipProto && m.nw_proto != 0) {
        s += sformat(arpLike ? "arp_op=%u," : "nw_proto=%u,", unsigned(f.nw_proto));
    }
    if (arpLike) {
        putEthMasked(s, "arp_sha", f.arp_sha, m.arp_sha);
        putEthMasked(s, "arp_tha", f.arp_tha, m.arp_tha);
    }
    if (m.nw_tos & kDscpMask)
        s += sformat("nw_tos=%u,", unsigned(f.nw_tos & kDscpMask));
    if (m.nw_tos & kEcnMask)
        s += sformat("nw_ecn=%u,", unsigned(f.nw_tos & kEcnMask));
    if (m.nw_ttl != 0)
        s += sformat("nw_ttl=%u,", unsigned(f.nw_ttl));
    if ((f.dl_type == eth_type::kIpv4 && f.nw_proto == ip_proto::kIcmp) ||
        (f.dl_type == eth_type::kIpv6 && f.nw_proto == kIpProtoIcmpv6)) {
        // OVS would print a masked or wide value as "icmp_type=0x.../0x...", which its own
        // parser rejects; "tp_src=" keeps the text parseable and means the same bits.
        const auto icmpName = [](std::uint16_t v, std::uint16_t mask, const char* name,
                                 const char* alt) {
            return (mask == 0xffff && v <= 0xff) ? name : alt;
        };
        putBe16Masked(s, icmpName(f.tp_src, m.tp_src, "icmp_type", "tp_src"), f.tp_src, m.tp_src);
        putBe16Masked(s, icmpName(f.tp_dst, m.tp_dst, "icmp_code", "tp_dst"), f.tp_dst, m.tp_dst);
    } else {
        putBe16Masked(s, "tp_src", f.tp_src, m.tp_src);
        putBe16Masked(s, "tp_dst", f.tp_dst, m.tp_dst);
    }
    if (!s.empty() && s.back() == ',')
        s.pop_back();
    return s;
}

std::string formatAction(const Action& action, const PortNamer& namer) {
    return std::visit(ActionPrinter{namer}, action);
}

std::string formatActions(const ActionList& actions, const PortNamer& namer) {
    if (actions.empty())
        return "drop";
    std::string s;
    for (std::size_t i = 0; i < actions.size(); ++i) {
        if (i)
            s += ',';
        s += formatAction(actions[i], namer);
    }
    return s;
}

std::string formatDuration(SimDuration duration) {
    const std::int64_t ms = duration > 0 ? duration / kMillisecond : 0;
    std::string s = sformat("%lld", static_cast<long long>(ms / 1000));
    if (const auto frac = unsigned(ms % 1000); frac != 0) {
        std::string digits = sformat(".%03u", frac);
        while (digits.back() == '0')
            digits.pop_back();
        s += digits;
    }
    s += 's';
    return s;
}

std::string formatFlowStats(const FlowEntry& entry, SimTime now, const FormatOptions& options) {
    const FlowSpec& spec = entry.spec;
    const bool stats = !options.noStats;
    std::string s;
    if (stats || spec.cookie != 0) {
        s += sformat("cookie=0x%llx, ", static_cast<unsigned long long>(spec.cookie));
    }
    const SimDuration age = now - entry.created;
    const std::int64_t durationSec = age > 0 ? age / kSecond : 0;
    if (stats)
        s += "duration=" + formatDuration(age) + ", ";
    if (stats || entry.tableId != 0)
        s += sformat("table=%u, ", unsigned(entry.tableId));
    if (stats) {
        s += sformat("n_packets=%llu, ", static_cast<unsigned long long>(entry.nPackets));
        s += sformat("n_bytes=%llu, ", static_cast<unsigned long long>(entry.nBytes));
    }
    if (spec.idleTimeout != 0)
        s += sformat("idle_timeout=%u, ", unsigned(spec.idleTimeout));
    if (spec.hardTimeout != 0)
        s += sformat("hard_timeout=%u, ", unsigned(spec.hardTimeout));
    if (stats) {
        s += sformat("idle_age=%u, ", unsigned(ageSeconds(now, entry.used)));
        const std::uint32_t hardAge = ageSeconds(now, entry.modified);
        if (std::int64_t(hardAge) != durationSec)
            s += sformat("hard_age=%u, ", unsigned(hardAge));
    }
    const std::string match = formatMatch(spec.match, spec.priority, options.portNamer);
    s += match;
    if (!match.empty())
        s += ' ';
    s += "actions=";
    s += formatActions(spec.actions, options.portNamer);
    return s;
}

std::string formatDumpFlows(const std::vector<const FlowEntry*>& entries, SimTime now,
                            const FormatOptions& options) {
    std::vector<const FlowEntry*> sorted;
    sorted.reserve(entries.size());
    for (const FlowEntry* e : entries) {
        if (e && (!options.table || e->tableId == *options.table))
            sorted.push_back(e);
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const FlowEntry* a, const FlowEntry* b) {
        if (a->tableId != b->tableId)
            return a->tableId < b->tableId;
        if (a->spec.priority != b->spec.priority)
            return a->spec.priority > b->spec.priority;
        return a->id < b->id;
    });
    std::string out;
    if (!options.noStats)
        out += sformat("NXST_FLOW reply (xid=0x%x):\n", unsigned(options.xid));
    for (const FlowEntry* e : sorted) {
        out += ' ';
        out += formatFlowStats(*e, now, options);
        out += '\n';
    }
    return out;
}

}  // namespace nlab::engine
