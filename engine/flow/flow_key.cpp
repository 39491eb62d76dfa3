#include "engine/flow/flow_key.h"

#include <cstring>

#include "engine/core/assert.h"

namespace nlab::engine {

std::span<const std::uint64_t, FlowKey::kWords> FlowKey::words() const {
    // FlowKey is a standard-layout aggregate of unsigned integers whose size is a multiple
    // of 8 and whose alignment is 8; viewing it as words is how OVS's miniflow works too.
    return std::span<const std::uint64_t, kWords>(reinterpret_cast<const std::uint64_t*>(this),
                                                   kWords);
}

std::span<std::uint64_t, FlowKey::kWords> FlowKey::words() {
    return std::span<std::uint64_t, kWords>(reinterpret_cast<std::uint64_t*>(this), kWords);
}

bool operator==(const FlowKey& a, const FlowKey& b) {
    return std::memcmp(&a, &b, sizeof(FlowKey)) == 0;
}

FlowKey maskKey(const FlowKey& key, const FlowMask& mask) {
    FlowKey out;
    auto o = out.words();
    auto k = key.words();
    auto m = mask.words();
    for (std::size_t i = 0; i < FlowKey::kWords; ++i) o[i] = k[i] & m[i];
    return out;
}

void orMaskInto(FlowMask& into, const FlowMask& other) {
    auto o = into.words();
    auto m = other.words();
    for (std::size_t i = 0; i < FlowKey::kWords; ++i) o[i] |= m[i];
}

bool isAllZero(const FlowKey& key) {
    for (auto w : key.words()) {
        if (w != 0) return false;
    }
    return true;
}

namespace {

#define NLAB_F(member) std::uint8_t(offsetof(FlowKey, member)), std::uint8_t(sizeof(FlowKey::member))
#define NLAB_REG(n)                                                                         \
    FieldInfo {                                                                             \
        FieldId::Reg##n, "reg" #n, "NXM_NX_REG" #n, "", 32,                                 \
            std::uint8_t(offsetof(FlowKey, regs) + 4 * n), 4, 0, true, true, Prereq::None   \
    }

// clang-format off
constexpr FieldInfo kFields[] = {
    {FieldId::InPort,  "in_port",  "NXM_OF_IN_PORT",  "",        16, NLAB_F(in_port),  0, false, true,  Prereq::None},
    {FieldId::DlSrc,   "dl_src",   "NXM_OF_ETH_SRC",  "eth_src", 48, NLAB_F(dl_src),   0, true,  true,  Prereq::None},
    {FieldId::DlDst,   "dl_dst",   "NXM_OF_ETH_DST",  "eth_dst", 48, NLAB_F(dl_dst),   0, true,  true,  Prereq::None},
    {FieldId::DlType,  "dl_type",  "NXM_OF_ETH_TYPE", "eth_type",16, NLAB_F(dl_type),  0, false, false, Prereq::None},
    {FieldId::VlanTci, "vlan_tci", "NXM_OF_VLAN_TCI", "",        16, NLAB_F(vlan_tci), 0, true,  true,  Prereq::None},
    {FieldId::VlanVid, "dl_vlan",  "OXM_OF_VLAN_VID", "vlan_vid",12, NLAB_F(vlan_tci), 0, false, true,  Prereq::None},
    {FieldId::VlanPcp, "dl_vlan_pcp","OXM_OF_VLAN_PCP","vlan_pcp",3, NLAB_F(vlan_tci), 13,false, true,  Prereq::None},
    {FieldId::NwSrc,   "nw_src",   "NXM_OF_IP_SRC",   "ip_src",  32, NLAB_F(nw_src),   0, true,  true,  Prereq::Ip},
    {FieldId::NwDst,   "nw_dst",   "NXM_OF_IP_DST",   "ip_dst",  32, NLAB_F(nw_dst),   0, true,  true,  Prereq::Ip},
    {FieldId::NwProto, "nw_proto", "NXM_OF_IP_PROTO", "ip_proto", 8, NLAB_F(nw_proto), 0, false, false, Prereq::Ip},
    {FieldId::NwTos,   "nw_tos",   "NXM_OF_IP_TOS",   "",         8, NLAB_F(nw_tos),   0, false, true,  Prereq::Ip},
    {FieldId::NwTtl,   "nw_ttl",   "NXM_NX_IP_TTL",   "",         8, NLAB_F(nw_ttl),   0, false, true,  Prereq::Ip},
    {FieldId::TcpSrc,  "tcp_src",  "NXM_OF_TCP_SRC",  "",        16, NLAB_F(tp_src),   0, true,  true,  Prereq::Tcp},
    {FieldId::TcpDst,  "tcp_dst",  "NXM_OF_TCP_DST",  "",        16, NLAB_F(tp_dst),   0, true,  true,  Prereq::Tcp},
    {FieldId::UdpSrc,  "udp_src",  "NXM_OF_UDP_SRC",  "",        16, NLAB_F(tp_src),   0, true,  true,  Prereq::Udp},
    {FieldId::UdpDst,  "udp_dst",  "NXM_OF_UDP_DST",  "",        16, NLAB_F(tp_dst),   0, true,  true,  Prereq::Udp},
    {FieldId::IcmpType,"icmp_type","NXM_OF_ICMP_TYPE","",         8, NLAB_F(tp_src),   0, false, true,  Prereq::Icmp},
    {FieldId::IcmpCode,"icmp_code","NXM_OF_ICMP_CODE","",         8, NLAB_F(tp_dst),   0, false, true,  Prereq::Icmp},
    {FieldId::ArpOp,   "arp_op",   "NXM_OF_ARP_OP",   "",        16, NLAB_F(nw_proto), 0, false, true,  Prereq::Arp},
    {FieldId::ArpSpa,  "arp_spa",  "NXM_OF_ARP_SPA",  "",        32, NLAB_F(nw_src),   0, true,  true,  Prereq::Arp},
    {FieldId::ArpTpa,  "arp_tpa",  "NXM_OF_ARP_TPA",  "",        32, NLAB_F(nw_dst),   0, true,  true,  Prereq::Arp},
    {FieldId::ArpSha,  "arp_sha",  "NXM_NX_ARP_SHA",  "",        48, NLAB_F(arp_sha),  0, true,  true,  Prereq::Arp},
    {FieldId::ArpTha,  "arp_tha",  "NXM_NX_ARP_THA",  "",        48, NLAB_F(arp_tha),  0, true,  true,  Prereq::Arp},
    {FieldId::TunId,   "tun_id",   "NXM_NX_TUN_ID",   "tunnel_id",64,NLAB_F(tun_id),   0, true,  true,  Prereq::None},
    {FieldId::TunSrc,  "tun_src",  "NXM_NX_TUN_IPV4_SRC","",     32, NLAB_F(tun_src),  0, true,  true,  Prereq::None},
    {FieldId::TunDst,  "tun_dst",  "NXM_NX_TUN_IPV4_DST","",     32, NLAB_F(tun_dst),  0, true,  true,  Prereq::None},
    {FieldId::Metadata,"metadata", "OXM_OF_METADATA", "",        64, NLAB_F(metadata), 0, true,  true,  Prereq::None},
    NLAB_REG(0), NLAB_REG(1), NLAB_REG(2), NLAB_REG(3),
    NLAB_REG(4), NLAB_REG(5), NLAB_REG(6), NLAB_REG(7),
};
// clang-format on
#undef NLAB_F
#undef NLAB_REG

static_assert(std::size(kFields) == kFieldCount);

constexpr bool registryInOrder() {
    for (std::size_t i = 0; i < kFieldCount; ++i) {
        if (std::size_t(kFields[i].id) != i) return false;
    }
    return true;
}
static_assert(registryInOrder(), "kFields must be listed in FieldId order");

std::uint64_t readStorage(const FlowKey& key, const FieldInfo& f) {
    const auto* p = reinterpret_cast<const unsigned char*>(&key) + f.storageOffset;
    switch (f.storageSize) {
        case 1: return *p;
        case 2: { std::uint16_t v; std::memcpy(&v, p, 2); return v; }
        case 4: { std::uint32_t v; std::memcpy(&v, p, 4); return v; }
        default: { std::uint64_t v; std::memcpy(&v, p, 8); return v; }
    }
}

void writeStorage(FlowKey& key, const FieldInfo& f, std::uint64_t v) {
    auto* p = reinterpret_cast<unsigned char*>(&key) + f.storageOffset;
    switch (f.storageSize) {
        case 1: *p = std::uint8_t(v); break;
        case 2: { auto x = std::uint16_t(v); std::memcpy(p, &x, 2); break; }
        case 4: { auto x = std::uint32_t(v); std::memcpy(p, &x, 4); break; }
        default: std::memcpy(p, &v, 8); break;
    }
}

constexpr std::uint64_t lowBits(unsigned n) { return n >= 64 ? ~0ULL : ((1ULL << n) - 1); }

}  // namespace

const FieldInfo& fieldInfo(FieldId id) {
    NLAB_ASSERT(std::size_t(id) < kFieldCount);
    return kFields[std::size_t(id)];
}

std::span<const FieldInfo> allFields() { return kFields; }

const FieldInfo* findField(std::string_view name) {
    for (const auto& f : kFields) {
        if (name == f.name || name == f.nxmName || (!f.altName.empty() && name == f.altName)) {
            return &f;
        }
    }
    // OXM spellings of the common NXM fields, accepted by ovs-ofctl as synonyms.
    struct Alias { std::string_view name; FieldId id; };
    static constexpr Alias kAliases[] = {
        {"OXM_OF_IN_PORT", FieldId::InPort},     {"OXM_OF_ETH_SRC", FieldId::DlSrc},
        {"OXM_OF_ETH_DST", FieldId::DlDst},      {"OXM_OF_ETH_TYPE", FieldId::DlType},
        {"OXM_OF_IPV4_SRC", FieldId::NwSrc},     {"OXM_OF_IPV4_DST", FieldId::NwDst},
        {"OXM_OF_IP_PROTO", FieldId::NwProto},   {"OXM_OF_TCP_SRC", FieldId::TcpSrc},
        {"OXM_OF_TCP_DST", FieldId::TcpDst},     {"OXM_OF_UDP_SRC", FieldId::UdpSrc},
        {"OXM_OF_UDP_DST", FieldId::UdpDst},     {"OXM_OF_ARP_OP", FieldId::ArpOp},
        {"OXM_OF_ARP_SPA", FieldId::ArpSpa},     {"OXM_OF_ARP_TPA", FieldId::ArpTpa},
        {"OXM_OF_ARP_SHA", FieldId::ArpSha},     {"OXM_OF_ARP_THA", FieldId::ArpTha},
        {"OXM_OF_TUNNEL_ID", FieldId::TunId},    {"icmp_type", FieldId::IcmpType},
        {"tp_src", FieldId::TcpSrc},             {"tp_dst", FieldId::TcpDst},
        {"ip_ttl", FieldId::NwTtl},
    };
    for (const auto& a : kAliases) {
        if (a.name == name) return &kFields[std::size_t(a.id)];
    }
    return nullptr;
}

std::uint64_t fieldMaxMask(FieldId id) { return lowBits(fieldInfo(id).bits); }

std::uint64_t getField(const FlowKey& key, FieldId id) {
    const auto& f = fieldInfo(id);
    return (readStorage(key, f) >> f.shift) & lowBits(f.bits);
}

void setField(FlowKey& key, FieldId id, std::uint64_t value) {
    const auto& f = fieldInfo(id);
    const std::uint64_t m = lowBits(f.bits) << f.shift;
    const std::uint64_t old = readStorage(key, f);
    writeStorage(key, f, (old & ~m) | ((value << f.shift) & m));
}

bool prereqSatisfied(Prereq p, const FlowKey& key, const FlowMask* mask) {
    auto known16 = [&](std::uint16_t FlowKey::*m) { return !mask || mask->*m == 0xffff; };
    auto known8 = [&](std::uint8_t FlowKey::*m) { return !mask || mask->*m == 0xff; };
    const bool typeKnown = known16(&FlowKey::dl_type);
    const bool isIp = typeKnown && key.dl_type == eth_type::kIpv4;
    const bool isArp = typeKnown && key.dl_type == eth_type::kArp;
    const bool protoKnown = known8(&FlowKey::nw_proto);
    switch (p) {
        case Prereq::None: return true;
        case Prereq::Ip: return isIp;
        case Prereq::Arp: return isArp;
        case Prereq::IpOrArp: return isIp || isArp;
        case Prereq::Tcp: return isIp && protoKnown && key.nw_proto == ip_proto::kTcp;
        case Prereq::Udp: return isIp && protoKnown && key.nw_proto == ip_proto::kUdp;
        case Prereq::Icmp: return isIp && protoKnown && key.nw_proto == ip_proto::kIcmp;
    }
    return false;
}

std::uint64_t readSubfield(const FlowKey& key, const Subfield& sf) {
    return (getField(key, sf.field) >> sf.ofs) & lowBits(sf.nbits);
}

void writeSubfield(FlowKey& key, const Subfield& sf, std::uint64_t value) {
    const std::uint64_t m = lowBits(sf.nbits) << sf.ofs;
    const std::uint64_t old = getField(key, sf.field);
    setField(key, sf.field, (old & ~m) | ((value << sf.ofs) & m));
}

void markSubfield(FlowMask& mask, const Subfield& sf) {
    const std::uint64_t m = lowBits(sf.nbits) << sf.ofs;
    setField(mask, sf.field, getField(mask, sf.field) | m);
}

}  // namespace nlab::engine
