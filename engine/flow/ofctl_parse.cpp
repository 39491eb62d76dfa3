#include "engine/flow/ofctl_parse.h"

#include "engine/flow/ofctl_format.h"
#include "engine/packet/addresses.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>

namespace nlab::engine {

namespace {

// ---------------------------------------------------------------------------------------
// Errors and small text helpers.

[[noreturn]] void fail(std::string message, std::string_view word) {
    throw ParseError(std::move(message), 0, std::string(word));
}

std::string str(std::string_view v) {
    return std::string(v);
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int bytesOf(FieldId id) {
    return (fieldInfo(id).bits + 7) / 8;
}

std::uint64_t bytesMask(int nBytes) {
    return nBytes >= 8 ? ~0ULL : (1ULL << (8 * nBytes)) - 1;
}

constexpr std::uint16_t kEthRarp = 0x8035;
constexpr std::uint8_t kDscpMask = 0xfc;
constexpr std::uint8_t kEcnMask = 0x03;

// ---------------------------------------------------------------------------------------
// Numbers, with the C library semantics OVS relies on but without errno or locales.

/// strtoull()/strtoll() core: parses an optional sign and digits in 'base' (0: detect 0x
/// and 0 prefixes) from the start of 's'. 'end' is 0 when nothing was parsed.
struct Scan {
    std::uint64_t magnitude = 0;
    bool negative = false;
    bool overflow = false;
    std::size_t end = 0;
};

Scan scanInteger(std::string_view s, int base) {
    Scan r;
    std::size_t i = 0;
    while (i < s.size() && isSpace(s[i]))
        ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        r.negative = s[i] == '-';
        ++i;
    }
    const bool hexPrefix = i + 2 < s.size() && s[i] == '0' &&
                           (s[i + 1] == 'x' || s[i + 1] == 'X') && hexDigit(s[i + 2]) >= 0;
    if (base == 0) {
        if (hexPrefix) {
            base = 16;
            i += 2;
        } else if (i < s.size() && s[i] == '0') {
            base = 8;
        } else {
            base = 10;
        }
    } else if (base == 16 && hexPrefix) {
        i += 2;
    }
    const std::size_t digitsStart = i;
    for (; i < s.size(); ++i) {
        const int d = hexDigit(s[i]);
        if (d < 0 || d >= base)
            break;
        if (r.magnitude > (~0ULL - std::uint64_t(d)) / std::uint64_t(base))
            r.overflow = true;
        r.magnitude = r.magnitude * std::uint64_t(base) + std::uint64_t(d);
    }
    r.end = i == digitsStart ? 0 : i;
    return r;
}

/// OVS str_to_llong(): the whole of 's' must be a number that fits a long long.
std::optional<long long> strToLongLong(std::string_view s, int base) {
    const Scan r = scanInteger(s, base);
    if (r.end == 0 || r.end != s.size() || r.overflow)
        return std::nullopt;
    if (r.negative) {
        if (r.magnitude > std::uint64_t(LLONG_MAX) + 1)
            return std::nullopt;
        return r.magnitude == std::uint64_t(LLONG_MAX) + 1 ? LLONG_MIN
                                                           : -static_cast<long long>(r.magnitude);
    }
    if (r.magnitude > std::uint64_t(LLONG_MAX))
        return std::nullopt;
    return static_cast<long long>(r.magnitude);
}

/// OVS str_to_u16()/str_to_u8(): "invalid NAME \"VALUE\"" unless 0..max.
unsigned parseSmall(std::string_view value, const char* name, unsigned max) {
    const auto v = strToLongLong(value, 0);
    if (!v || *v < 0 || *v > static_cast<long long>(max)) {
        fail("invalid " + std::string(name) + " \"" + str(value) + "\"", value);
    }
    return unsigned(*v);
}

/// OVS str_to_u64(): strtoull with base detection, all of 's' consumed.
std::uint64_t parseU64(std::string_view value) {
    if (value.empty())
        fail("missing required numeric argument", value);
    const Scan r = scanInteger(value, 0);
    if (r.end == 0 || r.end != value.size() || r.overflow) {
        fail("invalid numeric format " + str(value), value);
    }
    return r.negative ? std::uint64_t(0) - r.magnitude : r.magnitude;
}

/// OVS parse_int_string(): "0x" hex of any length (leading zeros free) or a strtoull
/// number, which must fit in 'nBytes' bytes. Returns false with 'range' set on overflow.
struct IntParse {
    bool ok = false;
    bool range = false;  ///< Failed because the value is too large.
    std::uint64_t value = 0;
    std::size_t tail = 0;  ///< Index of the first unparsed character.
};

IntParse parseIntString(std::string_view s, int nBytes) {
    IntParse r;
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        std::size_t i = 2;
        int significant = 0;
        std::uint64_t v = 0;
        for (; i < s.size(); ++i) {
            const int d = hexDigit(s[i]);
            if (d < 0)
                break;
            if (d != 0 || significant) {
                if ((significant + 2) / 2 > nBytes) {
                    r.range = true;
                    return r;
                }
                ++significant;
                v = (v << 4) | std::uint64_t(d);
            }
        }
        r.ok = true;
        r.value = v;
        r.tail = i;
        return r;
    }
    const Scan sc = scanInteger(s, 0);
    if (sc.end == 0)
        return r;
    if (sc.overflow) {
        r.range = true;
        return r;
    }
    const std::uint64_t v = sc.negative ? std::uint64_t(0) - sc.magnitude : sc.magnitude;
    if (nBytes < 8 && (v >> (8 * nBytes)) != 0) {
        r.range = true;
        return r;
    }
    r.ok = true;
    r.value = v;
    r.tail = sc.end;
    return r;
}

/// OVS ofputil_table_from_string() without table names: a decimal 0..255.
std::optional<std::uint8_t> parseTable(std::string_view s) {
    if (!s.empty() && s[0] == '-')
        return std::nullopt;
    const auto v = strToLongLong(s, 10);
    if (!v || *v < 0 || *v > 255)
        return std::nullopt;
    return std::uint8_t(*v);
}

// ---------------------------------------------------------------------------------------
// Addresses.

/// "xx:xx:xx:xx:xx:xx" with one or two hex digits per octet.
std::optional<std::uint64_t> scanMac(std::string_view s, std::size_t& i) {
    std::uint64_t v = 0;
    for (int octet = 0; octet < 6; ++octet) {
        if (octet > 0) {
            if (i >= s.size() || s[i] != ':')
                return std::nullopt;
            ++i;
        }
        int digits = 0;
        unsigned x = 0;
        while (i < s.size() && digits < 2 && hexDigit(s[i]) >= 0) {
            x = x * 16 + unsigned(hexDigit(s[i]));
            ++i;
            ++digits;
        }
        if (digits == 0)
            return std::nullopt;
        v = (v << 8) | x;
    }
    return v;
}

std::optional<std::uint64_t> parseMacExact(std::string_view s) {
    std::size_t i = 0;
    auto v = scanMac(s, i);
    if (!v || i != s.size())
        return std::nullopt;
    return v;
}

/// Dotted quad, 1-3 decimal digits per octet, each at most 255.
std::optional<std::uint32_t> scanIpv4(std::string_view s, std::size_t& i) {
    std::uint32_t v = 0;
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0) {
            if (i >= s.size() || s[i] != '.')
                return std::nullopt;
            ++i;
        }
        int digits = 0;
        unsigned x = 0;
        while (i < s.size() && digits < 3 && s[i] >= '0' && s[i] <= '9') {
            x = x * 10 + unsigned(s[i] - '0');
            ++i;
            ++digits;
        }
        if (digits == 0 || x > 255)
            return std::nullopt;
        if (i < s.size() && s[i] >= '0' && s[i] <= '9')
            return std::nullopt;
        v = (v << 8) | x;
    }
    return v;
}

std::optional<std::uint32_t> parseIpv4Exact(std::string_view s) {
    std::size_t i = 0;
    auto v = scanIpv4(s, i);
    if (!v || i != s.size())
        return std::nullopt;
    return v;
}

std::uint32_t prefixMask(int bits) {
    return bits == 0 ? 0U : ~0U << (32 - bits);
}

/// OVS ip_parse_masked(): "IP", "IP/MASK" or "IP/PREFIX".
std::pair<std::uint32_t, std::uint32_t> parseIpv4Masked(std::string_view s) {
    std::size_t i = 0;
    const auto ip = scanIpv4(s, i);
    const auto invalid = [&] { fail(str(s) + ": invalid IP address", s); };
    if (!ip)
        invalid();
    if (i == s.size())
        return {*ip, 0xffffffffU};
    if (s[i] != '/')
        invalid();
    const std::string_view rest = s.substr(i + 1);
    std::size_t j = 0;
    if (const auto mask = scanIpv4(rest, j)) {
        if (j != rest.size())
            invalid();
        return {*ip, *mask};
    }
    // As OVS: a prefix length is range-checked before trailing text is noticed.
    const Scan p = scanInteger(rest, 10);
    if (p.end == 0)
        invalid();
    if (p.negative || p.overflow || p.magnitude > 32) {
        fail(str(s) + ": IPv4 network prefix bits not between 0 and 32, inclusive", s);
    }
    if (p.end != rest.size())
        invalid();
    return {*ip, prefixMask(int(p.magnitude))};
}

// ---------------------------------------------------------------------------------------
// Ports.

struct NamedPort {
    std::string_view name;
    std::uint32_t port;
};
constexpr NamedPort kNamedPorts[] = {
    {"IN_PORT", ofp::kInPort}, {"TABLE", ofp::kTable}, {"NORMAL", ofp::kNormal},
    {"FLOOD", ofp::kFlood},    {"ALL", ofp::kAll},     {"CONTROLLER", ofp::kController},
    {"LOCAL", ofp::kLocal},    {"ANY", ofp::kNone},    {"NONE", ofp::kNone},
};

// ---------------------------------------------------------------------------------------
// ofputil_parse_key_value(): "key", "key=value", "key:value", "key(value)".

/// Length of the double-quoted run starting at s[at] (which is '"'), quotes included; up
/// to the end of 's' if the closing quote is missing. Quoted port names ("my-port") may
/// hold delimiters.
std::size_t quotedLength(std::string_view s, std::size_t at) {
    const std::size_t close = s.find('"', at + 1);
    return close == std::string_view::npos ? s.size() - at : close - at + 1;
}

std::size_t parseValueLength(std::string_view s, std::size_t start, std::string_view delims) {
    std::size_t n = 0;
    while (start + n < s.size() && delims.find(s[start + n]) == std::string_view::npos) {
        if (s[start + n] == '"') {
            n += quotedLength(s, start + n);
        } else if (s[start + n] == '(') {
            int level = 0;
            do {
                if (start + n >= s.size())
                    return n;
                if (s[start + n] == '(')
                    ++level;
                if (s[start + n] == ')')
                    --level;
                ++n;
            } while (level > 0);
        } else {
            ++n;
        }
    }
    return n;
}

struct KeyValue {
    std::string_view key;
    std::string_view value;
    std::string_view whole;  ///< key and value as written, for error words.
};

class KeyValueScanner {
public:
    explicit KeyValueScanner(std::string_view s) : m_s(s) {}

    bool next(KeyValue& kv) {
        static constexpr std::string_view kSkip = ", \t\r\n";
        while (m_pos < m_s.size() && kSkip.find(m_s[m_pos]) != std::string_view::npos)
            ++m_pos;
        if (m_pos >= m_s.size())
            return false;
        const std::size_t keyStart = m_pos;
        std::size_t keyLen = 0;
        static constexpr std::string_view kKeyEnd = ":=(, \t\r\n";
        while (keyStart + keyLen < m_s.size() &&
               kKeyEnd.find(m_s[keyStart + keyLen]) == std::string_view::npos) {
            keyLen += m_s[keyStart + keyLen] == '"' ? quotedLength(m_s, keyStart + keyLen) : 1;
        }
        const char keyDelim = keyStart + keyLen < m_s.size() ? m_s[keyStart + keyLen] : '\0';
        kv.key = m_s.substr(keyStart, keyLen);
        m_pos = keyStart + keyLen + (keyDelim != '\0' ? 1 : 0);

        std::string_view valueDelims;
        if (keyDelim == ':' || keyDelim == '=') {
            valueDelims = ", \t\r\n";
        } else if (keyDelim == '(') {
            valueDelims = ")";
        } else {
            kv.value = {};
            kv.whole = kv.key;
            return true;
        }
        const std::size_t valueStart = m_pos;
        std::size_t valueLen = parseValueLength(m_s, valueStart, valueDelims);
        auto at = [&](std::size_t i) { return i < m_s.size() ? m_s[i] : '\0'; };
        char valueDelim = at(valueStart + valueLen);
        if (keyDelim == '(' && valueDelim == ')' && at(valueStart + valueLen + 1) == '-' &&
            at(valueStart + valueLen + 2) == '>') {
            valueLen += parseValueLength(m_s, valueStart + valueLen, ", \t\r\n");
            valueDelim = at(valueStart + valueLen);
        }
        kv.value = m_s.substr(valueStart, valueLen);
        m_pos = valueStart + valueLen + (valueDelim != '\0' ? 1 : 0);
        kv.whole = m_s.substr(keyStart, std::min(m_pos, m_s.size()) - keyStart);
        while (!kv.whole.empty() && (kv.whole.back() == ',' || isSpace(kv.whole.back()))) {
            kv.whole.remove_suffix(1);
        }
        return true;
    }

private:
    std::string_view m_s;
    std::size_t m_pos = 0;
};

// ---------------------------------------------------------------------------------------
// Subfields (mf_parse_subfield__).

struct SubfieldParse {
    Subfield sf;
    std::size_t end = 0;       ///< Index just past the subfield in the text.
    std::string error;         ///< Non-empty on failure.
    bool boundsError = false;  ///< The syntax was right but the bits lie outside the field.
};

SubfieldParse scanSubfield(std::string_view s) {
    SubfieldParse r;
    std::size_t nameLen = 0;
    while (nameLen < s.size() && s[nameLen] != '[' && s[nameLen] != '-')
        ++nameLen;
    const std::string_view name = s.substr(0, nameLen);
    const FieldInfo* f = findField(name);
    if (!f) {
        r.error = str(s) + ": unknown field `" + str(name) + "'";
        return r;
    }
    long long start = 0;
    long long end = f->bits - 1;
    std::size_t i = nameLen;
    if (i < s.size() && s[i] == '[') {
        const auto syntax = [&] {
            r.error = str(s) + ": syntax error expecting [] or [<bit>] or [<start>..<end>]";
        };
        auto number = [&](std::size_t& j, long long& out) {
            const std::size_t from = j;
            out = 0;
            while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
                out = std::min<long long>(out * 10 + (s[j] - '0'), 1'000'000);
                ++j;
            }
            return j > from;
        };
        std::size_t j = i + 1;
        if (j < s.size() && s[j] == ']') {
            i = j + 1;
        } else {
            if (!number(j, start)) {
                syntax();
                return r;
            }
            if (j + 1 < s.size() && s[j] == '.' && s[j + 1] == '.') {
                j += 2;
                if (!number(j, end)) {
                    syntax();
                    return r;
                }
            } else {
                end = start;
            }
            if (j >= s.size() || s[j] != ']') {
                syntax();
                return r;
            }
            i = j + 1;
        }
    }
    if (start > end) {
        r.error = str(s) + ": starting bit " + std::to_string(start) + " is after ending bit " +
                  std::to_string(end);
    } else if (start >= f->bits) {
        r.error = str(s) + ": starting bit " + std::to_string(start) +
                  " is not valid because field is only " + std::to_string(f->bits) + " bits wide";
    } else if (end >= f->bits) {
        r.error = str(s) + ": ending bit " + std::to_string(end) +
                  " is not valid because field is only " + std::to_string(f->bits) + " bits wide";
    }
    if (!r.error.empty()) {
        r.boundsError = true;
        return r;
    }
    r.sf = Subfield{f->id, std::uint8_t(start), std::uint8_t(end - start + 1)};
    r.end = i;
    return r;
}

/// Whole-text subfield parse; returns the error text instead of throwing.
SubfieldParse scanWholeSubfield(std::string_view s) {
    SubfieldParse r = scanSubfield(s);
    if (r.error.empty() && r.end != s.size()) {
        r.error = "unexpected input following field syntax";
    }
    return r;
}

Subfield requireSubfield(std::string_view s) {
    SubfieldParse r = scanWholeSubfield(s);
    if (!r.error.empty())
        fail(r.error, s);
    return r.sf;
}

bool isWholeField(const Subfield& sf) {
    return sf.ofs == 0 && sf.nbits == fieldInfo(sf.field).bits;
}

/// Whether 'r' failed only because its bit range lies outside the field: then the subfield
/// error explains a failure better than OVS's generic one ("output to unknown port").
bool isBoundsError(const SubfieldParse& r) {
    return r.boundsError;
}

// ---------------------------------------------------------------------------------------
// Field values (mf_parse()).

struct ValueMask {
    std::uint64_t value = 0;
    std::uint64_t mask = 0;
};

/// mf_from_integer_string(): "VALUE" or "VALUE/MASK" in 'nBytes' bytes.
ValueMask parseIntegerValue(std::string_view s, int nBytes, std::string_view fieldName) {
    ValueMask vm;
    const auto error = [&](const IntParse& p, const char* what) {
        if (p.range) {
            fail(str(s) + ": " + what + " too large for " + std::to_string(nBytes) +
                     "-byte field " + str(fieldName),
                 s);
        }
        fail(str(s) + ": bad syntax for " + str(fieldName) + " " + what, s);
    };
    const IntParse v = parseIntString(s, nBytes);
    if (!v.ok || (v.tail != s.size() && s[v.tail] != '/'))
        error(v, "value");
    vm.value = v.value;
    if (v.tail != s.size()) {
        const std::string_view maskText = s.substr(v.tail + 1);
        const IntParse m = parseIntString(maskText, nBytes);
        if (!m.ok || m.tail != maskText.size())
            error(m, "mask");
        vm.mask = m.value;
    } else {
        vm.mask = bytesMask(nBytes);
    }
    return vm;
}

ValueMask parseFieldValue(FieldId id, std::string_view s, const PortResolver& ports) {
    const FieldInfo& f = fieldInfo(id);
    const std::string_view name = ovsFieldName(id);
    if (s == "*")
        return {};
    ValueMask vm;
    switch (fieldSyntax(id)) {
        case FieldSyntax::Decimal:
        case FieldSyntax::Hex:
            vm = parseIntegerValue(s, bytesOf(id), name);
            break;
        case FieldSyntax::Mac: {
            std::size_t i = 0;
            const auto mac = scanMac(s, i);
            if (mac && i == s.size()) {
                vm = {*mac, 0xffffffffffffULL};
            } else if (mac && s[i] == '/') {
                const auto mask = parseMacExact(s.substr(i + 1));
                if (!mask)
                    fail(str(s) + ": invalid Ethernet address", s);
                vm = {*mac, *mask};
            } else {
                fail(str(s) + ": invalid Ethernet address", s);
            }
            break;
        }
        case FieldSyntax::Ipv4: {
            const auto [ip, mask] = parseIpv4Masked(s);
            vm = {ip, mask};
            break;
        }
        case FieldSyntax::Port: {
            const auto port = parsePort(s, ports);
            if (!port)
                fail(str(s) + ": invalid or unknown port for " + str(name), s);
            vm = {*port, bytesMask(bytesOf(id))};
            break;
        }
    }
    const std::uint64_t full = bytesMask(bytesOf(id));
    if (!f.maskable && vm.mask != 0 && (vm.mask & full) != full) {
        fail(str(s) + ": invalid mask for field " + str(name), s);
    }
    return vm;
}

/// mf_format() of a value that fits the field's bytes but maybe not its bits.
std::string describeValue(FieldId id, std::uint64_t value) {
    switch (fieldSyntax(id)) {
        case FieldSyntax::Decimal:
            return std::to_string(value);
        case FieldSyntax::Mac:
            return formatMac(value);
        case FieldSyntax::Ipv4:
            return formatIpv4(std::uint32_t(value));
        case FieldSyntax::Port:
            return formatPort(std::uint32_t(value));
        case FieldSyntax::Hex:
            break;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(value));
    return buf;
}

// ---------------------------------------------------------------------------------------
// Matches.

struct Protocol {
    std::string_view name;
    std::uint16_t dlType;
    std::uint8_t nwProto;
};
constexpr Protocol kProtocols[] = {
    {"ip", eth_type::kIpv4, 0},     {"ipv4", eth_type::kIpv4, 0},
    {"ip4", eth_type::kIpv4, 0},    {"arp", eth_type::kArp, 0},
    {"icmp", eth_type::kIpv4, 1},   {"tcp", eth_type::kIpv4, 6},
    {"udp", eth_type::kIpv4, 17},   {"sctp", eth_type::kIpv4, 132},
    {"ipv6", eth_type::kIpv6, 0},   {"ip6", eth_type::kIpv6, 0},
    {"icmp6", eth_type::kIpv6, 58}, {"tcp6", eth_type::kIpv6, 6},
    {"udp6", eth_type::kIpv6, 17},  {"sctp6", eth_type::kIpv6, 132},
    {"rarp", kEthRarp, 0},          {"mpls", 0x8847, 0},
    {"mplsm", 0x8848, 0},
};

const Protocol* findProtocol(std::string_view name) {
    for (const Protocol& p : kProtocols) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

/// Match fields OVS knows but the engine's flow key does not hold.
constexpr std::string_view kUnsupportedFields[] = {
    "nw_frag",      "ip_frag",        "ipv6_src",     "ipv6_dst",      "ipv6_label",    "nd_target",
    "nd_sll",       "nd_tll",         "mpls_label",   "mpls_tc",       "mpls_bos",      "mpls_ttl",
    "tcp_flags",    "ct_state",       "ct_zone",      "ct_mark",       "ct_label",      "pkt_mark",
    "skb_priority", "tun_flags",      "tun_tos",      "tun_ttl",       "sctp_src",      "sctp_dst",
    "icmpv6_type",  "icmpv6_code",    "conj_id",      "actset_output", "packet_type",   "dl_vlan1",
    "ip_dscp",      "nw_tos_shifted", "in_port_oxm",  "tun_gbp_id",    "tun_gbp_flags", "recirc_id",
    "dp_hash",      "tun_ipv6_src",   "tun_ipv6_dst",
};

bool isUnsupportedField(std::string_view name) {
    return std::find(std::begin(kUnsupportedFields), std::end(kUnsupportedFields), name) !=
           std::end(kUnsupportedFields);
}

void setVlanTci(Match& m, std::uint16_t value, std::uint16_t mask) {
    m.mask.vlan_tci = mask;
    m.key.vlan_tci = value & mask;
}

/// OVS match_set_dl_vlan() / match_set_any_vid().
void setDlVlan(Match& m, std::uint64_t vid, bool wild) {
    if (wild) {
        if (m.mask.vlan_tci & kVlanPcpMask) {
            m.mask.vlan_tci &= std::uint16_t(~kVlanVidMask);
            m.key.vlan_tci &= std::uint16_t(~kVlanVidMask);
        } else {
            setVlanTci(m, 0, 0);
        }
        return;
    }
    if (vid == 0xffff) {
        setVlanTci(m, 0, 0xffff);
        return;
    }
    m.key.vlan_tci =
        std::uint16_t((m.key.vlan_tci & ~kVlanVidMask) | kVlanCfi | (vid & kVlanVidMask));
    m.mask.vlan_tci |= kVlanVidMask | kVlanCfi;
}

/// OVS match_set_dl_vlan_pcp() / match_set_any_pcp().
void setDlVlanPcp(Match& m, std::uint64_t pcp, bool wild) {
    if (wild) {
        if (m.mask.vlan_tci & kVlanVidMask) {
            m.mask.vlan_tci &= std::uint16_t(~kVlanPcpMask);
            m.key.vlan_tci &= std::uint16_t(~kVlanPcpMask);
        } else {
            setVlanTci(m, 0, 0);
        }
        return;
    }
    m.key.vlan_tci = std::uint16_t((m.key.vlan_tci & ~kVlanPcpMask) | kVlanCfi | ((pcp & 7) << 13));
    m.mask.vlan_tci |= kVlanPcpMask | kVlanCfi;
}

/// OVS match_set_vlan_vid_masked() (the OXM vlan_vid field, whose 0x1000 bit means
/// "tagged").
void setVlanVidOxm(Match& m, std::uint64_t vid, std::uint64_t mask) {
    const std::uint16_t keep = kVlanPcpMask;
    const auto bits = std::uint16_t(mask & (kVlanVidMask | kVlanCfi));
    m.mask.vlan_tci = std::uint16_t(bits | (m.mask.vlan_tci & keep));
    m.key.vlan_tci = std::uint16_t((vid & bits) | (m.key.vlan_tci & keep));
}

/// DSCP or ECN bits of nw_tos ('bits' is kDscpMask or kEcnMask).
void setTosBits(Match& m, std::uint64_t value, std::uint8_t bits, bool wild) {
    if (wild) {
        m.mask.nw_tos &= std::uint8_t(~bits);
        m.key.nw_tos &= std::uint8_t(~bits);
        return;
    }
    m.key.nw_tos = std::uint8_t((m.key.nw_tos & ~bits) | (value & bits));
    m.mask.nw_tos |= bits;
}

/// Sets a field of the registry, replacing any earlier constraint on it (as OVS's
/// match_set_*_masked() do).
void setGeneric(Match& m, FieldId id, std::uint64_t value, std::uint64_t mask) {
    m.clear(id);
    m.set(id, value & mask, mask);
}

/// ofp_parse_field() for one "name=value" match item. 'f' is the field 'name' resolved to.
void parseMatchField(Match& m, const FieldInfo& f, std::string_view name, std::string_view value,
                     const PortResolver& ports) {
    const std::string_view text = value.empty() ? std::string_view("0/0") : value;
    if (f.id == FieldId::VlanVid && name != "dl_vlan") {
        // OXM vlan_vid: 13 bits with the "present" bit, maskable.
        const ValueMask vm = text == "*" ? ValueMask{} : parseIntegerValue(text, 2, "vlan_vid");
        setVlanVidOxm(m, vm.value, vm.mask);
        return;
    }
    const ValueMask vm = parseFieldValue(f.id, text, ports);
    const bool wild = vm.mask == 0;
    switch (f.id) {
        case FieldId::VlanVid:
            setDlVlan(m, vm.value, wild);
            return;
        case FieldId::VlanPcp:
            setDlVlanPcp(m, vm.value, wild);
            return;
        case FieldId::NwTos:
            setTosBits(m, vm.value, kDscpMask, wild);
            return;
        case FieldId::VlanTci:
            setVlanTci(m, std::uint16_t(vm.value), std::uint16_t(vm.mask));
            return;
        case FieldId::IcmpType:
        case FieldId::IcmpCode:
            // OVS sets the whole 16-bit tp_src/tp_dst (match_set_icmp_type()).
            setGeneric(m, f.id == FieldId::IcmpType ? FieldId::TcpSrc : FieldId::TcpDst, vm.value,
                       wild ? 0 : 0xffff);
            return;
        default:
            setGeneric(m, f.id, vm.value, vm.mask);
            return;
    }
}

/// OVS parse_subfield(): "reg0[0..3]=5" in a match.
void parseMatchSubfield(Match& m, std::string_view name, std::string_view value) {
    const Subfield sf = requireSubfield(name);
    const int nBytes = bytesOf(sf.field);
    const IntParse p = parseIntString(value, nBytes);
    if (!p.ok || p.tail != value.size()) {
        fail(str(name) + ": cannot parse integer value: " + str(value), value);
    }
    if (sf.nbits < 64 && (p.value >> sf.nbits) != 0) {
        fail(str(name) + ": value " + describeValue(sf.field, p.value) + " does not fit into " +
                 std::to_string(sf.nbits) + " bits",
             value);
    }
    writeSubfield(m.key, sf, p.value);
    markSubfield(m.mask, sf);
}

/// Applies OVS's ofputil_normalize_match(): clears fields the match's dl_type and
/// nw_proto make meaningless. Returns whether anything changed.
bool normalizeLikeOvs(Match& m) {
    const Match before = m;
    const std::uint16_t type = m.key.dl_type;
    const std::uint8_t proto = m.key.nw_proto;
    bool nwAddr = false, tpAddr = false, nwProto = false, ipAny = false, arpHw = false;
    if (type == eth_type::kIpv4) {
        nwProto = ipAny = nwAddr = true;
        tpAddr = proto == ip_proto::kTcp || proto == ip_proto::kUdp || proto == 132 ||
                 proto == ip_proto::kIcmp;
    } else if (type == eth_type::kIpv6) {
        nwProto = ipAny = true;
        tpAddr = proto == ip_proto::kTcp || proto == ip_proto::kUdp || proto == 132 || proto == 58;
    } else if (type == eth_type::kArp || type == kEthRarp) {
        nwProto = nwAddr = arpHw = true;
    }
    if (!nwAddr)
        m.mask.nw_src = m.mask.nw_dst = 0;
    if (!tpAddr)
        m.mask.tp_src = m.mask.tp_dst = 0;
    if (!nwProto)
        m.mask.nw_proto = 0;
    if (!ipAny)
        m.mask.nw_tos = m.mask.nw_ttl = 0;
    if (!arpHw)
        m.mask.arp_sha = m.mask.arp_tha = 0;
    if (tpAddr && (proto == ip_proto::kIcmp || (type == eth_type::kIpv6 && proto == 58))) {
        // A partially masked ICMP type or code cannot go out as OpenFlow 1.0, and NXM
        // carries them as exact 8-bit fields: OVS installs the low byte, exactly. (An exact
        // 16-bit value goes out as OpenFlow 1.0 and stays as it is.)
        for (auto [k, mk] :
             {std::pair{&m.key.tp_src, &m.mask.tp_src}, std::pair{&m.key.tp_dst, &m.mask.tp_dst}}) {
            if (*mk != 0 && *mk != 0xffff) {
                *k = std::uint16_t(*k & 0xff);
                *mk = 0xffff;
            }
        }
    }
    m.normalize();
    return !(m == before);
}

/// Everything that may appear in a match part of a line. Returns false if 'kv' is not a
/// match item (the caller then tries flow-mod keywords).
bool applyMatchItem(Match& m, const KeyValue& kv, const PortResolver& ports) {
    if (const Protocol* p = findProtocol(kv.key)) {
        setGeneric(m, FieldId::DlType, p->dlType, 0xffff);
        if (p->nwProto)
            setGeneric(m, FieldId::NwProto, p->nwProto, 0xff);
        return true;
    }
    if (kv.key == "eth")
        return true;  // packet_type=ethernet: the only kind we have.
    if (kv.key == "nw_ecn" || kv.key == "ip_ecn") {
        const std::string_view text = kv.value.empty() ? std::string_view("0/0") : kv.value;
        const ValueMask vm = text == "*" ? ValueMask{} : parseIntegerValue(text, 1, "nw_ecn");
        if (vm.mask != 0 && vm.mask != 0xff) {
            fail(str(text) + ": invalid mask for field nw_ecn", text);
        }
        setTosBits(m, vm.value, kEcnMask, vm.mask == 0);
        return true;
    }
    if (const FieldInfo* f = findField(kv.key)) {
        parseMatchField(m, *f, kv.key, kv.value, ports);
        return true;
    }
    if (kv.key.find('[') != std::string_view::npos) {
        parseMatchSubfield(m, kv.key, kv.value);
        return true;
    }
    if (isUnsupportedField(kv.key))
        fail(str(kv.key) + ": field not supported", kv.key);
    return false;
}

std::string normalizationWarning(const Match& pre, const Match& post) {
    return "normalization changed ofp_match, details: pre: " + formatMatch(pre) +
           " post: " + formatMatch(post);
}

// ---------------------------------------------------------------------------------------
// Actions.

/// OVS action names the engine does not model.
constexpr std::string_view kUnsupportedActions[] = {
    "group",
    "enqueue",
    "bundle",
    "bundle_load",
    "set_vlan_vid",
    "set_vlan_pcp",
    "mod_nw_tos",
    "mod_nw_ecn",
    "mod_nw_ttl",
    "set_nw_ttl",
    "mod_tp_src",
    "mod_tp_dst",
    "push",
    "pop",
    "set_mpls_label",
    "set_mpls_tc",
    "set_mpls_ttl",
    "dec_mpls_ttl",
    "push_mpls",
    "pop_mpls",
    "dec_nsh_ttl",
    "delete_field",
    "encap",
    "decap",
    "set_queue",
    "pop_queue",
    "fin_timeout",
    "conjunction",
    "multipath",
    "exit",
    "sample",
    "unroll_xlate",
    "ct",
    "ct_clear",
    "nat",
    "output_trunc",
    "clone",
    "check_pkt_larger",
    "debug_recirc",
    "debug_slow",
    "meter",
    "clear_actions",
    "write_actions",
    "write_metadata",
};

bool isUnsupportedAction(std::string_view key) {
    for (std::string_view a : kUnsupportedActions) {
        if (equalsNoCase(a, key))
            return true;
    }
    return false;
}

[[noreturn]] void invalidWithMatch(const char* code, std::string_view word) {
    fail(std::string("actions are invalid with specified match (") + code + ")", word);
}

bool validOutputPort(std::uint32_t port) {
    switch (port) {
        case ofp::kInPort:
        case ofp::kTable:
        case ofp::kNormal:
        case ofp::kFlood:
        case ofp::kAll:
        case ofp::kController:
        case ofp::kLocal:
            return true;
        default:
            return port < ofp::kMax;
    }
}

/// Splits "VALUE->DST" as OVS set_field_split_str() does.
std::pair<std::string_view, std::string_view> splitArrow(std::string_view arg) {
    const std::size_t arrow = arg.find("->");
    if (arrow == std::string_view::npos)
        fail(str(arg) + ": missing `->'", arg);
    if (arrow + 2 >= arg.size())
        fail(str(arg) + ": missing field name following `->'", arg);
    return {arg.substr(0, arrow), arg.substr(arrow + 2)};
}

/// OVS nxm_parse_reg_move(): "SRC->DST" with equal widths.
MoveAction parseMove(std::string_view arg) {
    const SubfieldParse src = scanSubfield(arg);
    if (!src.error.empty())
        fail(src.error, arg);
    if (arg.substr(src.end, 2) != "->")
        fail(str(arg) + ": missing `->' following source", arg);
    const std::string_view dstText = arg.substr(src.end + 2);
    const Subfield dst = requireSubfield(dstText);
    if (src.sf.nbits != dst.nbits) {
        fail(str(arg) + ": source field is " + std::to_string(src.sf.nbits) +
                 " bits wide but destination is " + std::to_string(dst.nbits) + " bits wide",
             arg);
    }
    return MoveAction{src.sf, dst};
}

class ActionParser {
public:
    explicit ActionParser(const PortResolver& ports) : m_ports(ports) {}

    ActionList parse(std::string_view text) {
        ActionList out;
        KeyValueScanner scan(text);
        KeyValue kv;
        bool drop = false;
        std::size_t gotoCount = 0;
        while (scan.next(kv)) {
            const std::size_t before = out.size();
            if (equalsNoCase(kv.key, "drop")) {
                drop = true;
                continue;
            }
            parseOne(kv, out);
            for (std::size_t i = before; i < out.size(); ++i) {
                m_words.push_back(str(kv.whole));
                if (std::holds_alternative<GotoTableAction>(out[i]))
                    ++gotoCount;
            }
        }
        if (drop && !out.empty()) {
            fail("\"drop\" must not be accompanied by any other action or instruction", "drop");
        }
        if (gotoCount > 1) {
            fail("duplicate goto_table instruction not allowed, for OpenFlow 1.1+ compatibility",
                 "goto_table");
        }
        for (std::size_t i = 0; i + 1 < out.size(); ++i) {
            if (std::holds_alternative<GotoTableAction>(out[i])) {
                fail(
                    "invalid instruction ordering: apply_actions must appear before goto_table, "
                    "for OpenFlow 1.1+ compatibility",
                    m_words[i]);
            }
        }
        checkIndependent(out);
        return out;
    }

    /// The text each action came from, parallel to the last parse()'s result.
    const std::vector<std::string>& words() const { return m_words; }

private:
    void parseOne(const KeyValue& kv, ActionList& out) {
        const std::string_view key = kv.key;
        const std::string_view v = kv.value;
        auto is = [&](std::string_view name) { return equalsNoCase(key, name); };
        if (is("output")) {
            out.push_back(parseOutput(v));
        } else if (is("output_reg")) {
            out.push_back(OutputRegAction{requireSubfield(v)});
        } else if (is("controller")) {
            out.push_back(parseController(v));
        } else if (is("resubmit")) {
            out.push_back(parseResubmit(v));
        } else if (is("goto_table")) {
            const auto t = parseTable(v);
            if (!t)
                fail("unknown table \"" + str(v) + "\"", v);
            out.push_back(GotoTableAction{*t});
        } else if (is("mod_vlan_vid")) {
            const unsigned vid = parseSmall(v, "VLAN VID", 0xffff);
            if (vid & ~unsigned(kVlanVidMask))
                fail(str(v) + ": not a valid VLAN VID", v);
            out.push_back(SetVlanVidAction{std::uint16_t(vid)});
        } else if (is("mod_vlan_pcp")) {
            const unsigned pcp = parseSmall(v, "VLAN PCP", 0xff);
            if (pcp & ~7U)
                fail(str(v) + ": not a valid VLAN PCP", v);
            out.push_back(SetVlanPcpAction{std::uint8_t(pcp)});
        } else if (is("strip_vlan")) {
            out.push_back(StripVlanAction{false});
        } else if (is("pop_vlan")) {
            out.push_back(StripVlanAction{true});
        } else if (is("push_vlan")) {
            const unsigned type = parseSmall(v, "ethertype", 0xffff);
            if (type != eth_type::kVlan && type != eth_type::kQinQ) {
                fail(str(v) + ": not a valid VLAN ethertype", v);
            }
            out.push_back(PushVlanAction{std::uint16_t(type)});
        } else if (is("mod_dl_src") || is("mod_dl_dst")) {
            const auto mac = parseMacExact(v);
            if (!mac)
                fail("invalid mac address " + str(v), v);
            out.push_back(SetEthAddrAction{is("mod_dl_src"), *mac});
        } else if (is("mod_nw_src") || is("mod_nw_dst")) {
            const auto ip = parseIpv4Exact(v);
            if (!ip)
                fail(str(v) + ": could not convert to IP address", v);
            out.push_back(SetIpv4AddrAction{is("mod_nw_src"), *ip});
        } else if (is("set_field")) {
            if (auto a = parseSetField(v))
                out.push_back(*a);
        } else if (is("load")) {
            out.push_back(parseLoad(v));
        } else if (is("move")) {
            out.push_back(parseMove(v));
        } else if (is("dec_ttl")) {
            if (!v.empty())
                fail("dec_ttl(" + str(v) + "): controller ids not supported", v);
            out.push_back(DecTtlAction{});
        } else if (is("set_tunnel") || is("set_tunnel64")) {
            const std::uint64_t id = parseU64(v);
            out.push_back(SetTunnelAction{id, is("set_tunnel64") || id > 0xffffffffULL});
        } else if (is("note")) {
            out.push_back(parseNote(v));
        } else if (is("learn")) {
            out.push_back(parseLearn(v));
        } else if (is("apply_actions")) {
            fail("apply_actions is the default instruction", key);
        } else if (isUnsupportedAction(key)) {
            fail(str(key) + ": action not supported", key);
        } else if (const auto port = parsePort(key, m_ports)) {
            out.push_back(makeOutput(*port));
        } else {
            fail("unknown action " + str(key), key);
        }
    }

    static OutputAction makeOutput(std::uint32_t port) {
        return OutputAction{port, std::uint16_t(port == ofp::kController ? 0xffff : 0)};
    }

    Action parseOutput(std::string_view v) {
        if (v.find("port") != std::string_view::npos &&
            v.find("max_len") != std::string_view::npos) {
            fail("output(" + str(v) + "): truncated output not supported", v);
        }
        if (const auto port = parsePort(v, m_ports))
            return makeOutput(*port);
        const SubfieldParse sf = scanWholeSubfield(v);
        if (sf.error.empty())
            return OutputRegAction{sf.sf};
        if (isBoundsError(sf))
            fail(sf.error, v);
        fail(str(v) + ": output to unknown port", v);
    }

    Action parseController(std::string_view v) {
        OutputAction out{ofp::kController, 0xffff};
        if (v.empty())
            return out;
        if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            out.maxLen = std::uint16_t(parseSmall(v, "max_len", 0xffff));
            return out;
        }
        KeyValueScanner scan(v);
        KeyValue kv;
        while (scan.next(kv)) {
            if (kv.key == "max_len") {
                out.maxLen = std::uint16_t(parseSmall(kv.value, "max_len", 0xffff));
            } else if (kv.key == "reason" && kv.value == "action") {
                // The default reason.
            } else if (kv.key == "id" && parseSmall(kv.value, "id", 0xffff) == 0) {
                // Controller id 0 is the default.
            } else if (kv.key == "reason" || kv.key == "id" || kv.key == "userdata" ||
                       kv.key == "pause" || kv.key == "meter_id") {
                fail("controller(" + str(v) + "): " + str(kv.key) + " not supported", kv.whole);
            } else {
                fail("unknown key \"" + str(kv.key) + "\" parsing controller action", kv.key);
            }
        }
        return out;
    }

    Action parseResubmit(std::string_view v) {
        ResubmitAction r;
        std::array<std::string_view, 3> parts{};
        std::size_t n = 0;
        std::string_view rest = v;
        bool more = true;
        while (more && n < parts.size()) {
            const std::size_t comma = rest.find(',');
            parts[n++] = rest.substr(0, comma);
            if (comma == std::string_view::npos) {
                more = false;
            } else {
                rest.remove_prefix(comma + 1);
            }
        }
        if (!parts[0].empty()) {
            const auto port = parsePort(parts[0], m_ports);
            if (!port)
                fail(str(parts[0]) + ": resubmit to unknown port", parts[0]);
            r.inPort = *port;
        }
        if (!parts[1].empty()) {
            const auto table = parseTable(parts[1]);
            if (!table)
                fail(str(parts[1]) + ": resubmit to unknown table", parts[1]);
            r.table = *table;
        }
        if (!parts[2].empty()) {
            if (parts[2] != "ct")
                fail(str(parts[2]) + ": unknown parameter", parts[2]);
            fail("resubmit(" + str(v) + "): ct is not supported", parts[2]);
        }
        if (r.inPort == ofp::kInPort && r.table == ResubmitAction::kCurrentTable) {
            fail("at least one \"in_port\" or \"table\" must be specified on resubmit", v);
        }
        r.shortForm = r.table == ResubmitAction::kCurrentTable;
        return r;
    }

    std::optional<Action> parseSetField(std::string_view arg) {
        const auto [valueText, key] = splitArrow(arg);
        const FieldInfo* f = findField(key);
        if (!f)
            fail(str(key) + " is not a valid OXM field name", key);
        if (!f->writable)
            fail(str(key) + " is read-only", key);
        const ValueMask vm = parseFieldValue(f->id, valueText, m_ports);
        const std::uint64_t full = fieldMaxMask(f->id);
        const bool valid = [&] {
            switch (f->id) {
                case FieldId::NwTos:
                    return (vm.value & kEcnMask) == 0;
                case FieldId::VlanVid:
                case FieldId::VlanPcp:
                    return (vm.value & ~full) == 0;
                default:
                    return true;
            }
        }();
        if (!valid) {
            fail(str(valueText) + " is not a valid value for field " + str(key), valueText);
        }
        const std::uint64_t mask = vm.mask & full;
        if (mask == 0)
            return std::nullopt;  // OVS encodes nothing for an all-zero mask.
        return SetFieldAction{f->id, vm.value & mask, mask};
    }

    Action parseLoad(std::string_view arg) {
        const std::size_t arrow = arg.find("->");
        if (arrow == std::string_view::npos)
            fail(str(arg) + ": missing `->'", arg);
        if (arrow + 2 >= arg.size())
            fail(str(arg) + ": missing field name following `->'", arg);
        const std::string_view dstText = arg.substr(arrow + 2);
        const Subfield dst = requireSubfield(dstText);
        const std::string_view valueText = arg.substr(0, arrow);
        const IntParse p = parseIntString(valueText, bytesOf(dst.field));
        if (!p.ok || p.tail != valueText.size()) {
            fail(str(arg) + ": cannot parse integer value", valueText);
        }
        if (dst.nbits < 64 && (p.value >> dst.nbits) != 0) {
            fail(str(arg) + ": value " + describeValue(dst.field, p.value) + " does not fit into " +
                     std::to_string(dst.nbits) + " bits",
                 valueText);
        }
        return LoadAction{dst, p.value};
    }

    static Action parseNote(std::string_view v) {
        NoteAction note;
        std::size_t i = 0;
        for (;;) {
            while (i < v.size() && (v[i] == '.' || isSpace(v[i])))
                ++i;
            if (i + 1 >= v.size() || hexDigit(v[i]) < 0 || hexDigit(v[i + 1]) < 0)
                break;
            note.bytes.push_back(std::uint8_t(hexDigit(v[i]) * 16 + hexDigit(v[i + 1])));
            i += 2;
        }
        if (i != v.size())
            fail("bad hex digit in `note' argument", v);
        // NXAST_NOTE: a 10-byte header plus the note, padded to a multiple of 8 bytes.
        const std::size_t total = (10 + note.bytes.size() + 7) / 8 * 8;
        note.bytes.resize(total - 10, 0);
        return note;
    }

    Action parseLearn(std::string_view orig) {
        LearnAction learn;
        KeyValueScanner scan(orig);
        KeyValue kv;
        while (scan.next(kv)) {
            const std::string_view name = kv.key;
            const std::string_view value = kv.value;
            if (name == "table") {
                const auto t = parseTable(value);
                if (!t)
                    fail("unknown table \"" + str(value) + "\"", value);
                if (*t == 255)
                    fail(str(orig) + ": table id 255 not valid for `learn' action", value);
                learn.table = *t;
            } else if (name == "priority") {
                learn.priority = std::uint16_t(parseSmall(value, "priority", 0xffff));
            } else if (name == "idle_timeout") {
                learn.idleTimeout = std::uint16_t(parseSmall(value, "idle_timeout", 0xffff));
            } else if (name == "hard_timeout") {
                learn.hardTimeout = std::uint16_t(parseSmall(value, "hard_timeout", 0xffff));
            } else if (name == "fin_idle_timeout") {
                learn.finIdleTimeout = std::uint16_t(parseSmall(value, "fin_idle_timeout", 0xffff));
            } else if (name == "fin_hard_timeout") {
                learn.finHardTimeout = std::uint16_t(parseSmall(value, "fin_hard_timeout", 0xffff));
            } else if (name == "cookie") {
                learn.cookie = parseU64(value);
            } else if (name == "send_flow_rem") {
                learn.sendFlowRem = true;
            } else if (name == "delete_learned") {
                learn.deleteLearned = true;
            } else if (name == "limit" || name == "result_dst") {
                fail("learn: " + str(name) + " is not supported", name);
            } else {
                learn.specs.push_back(parseLearnSpec(orig, name, value));
            }
        }
        return learn;
    }

    LearnSpec parseLearnSpec(std::string_view orig, std::string_view name, std::string_view value) {
        LearnSpec spec;
        const SubfieldParse dst = scanWholeSubfield(name);
        if (dst.error.empty()) {
            spec.kind = LearnSpec::Kind::Match;
            spec.dst = dst.sf;
            if (value.empty()) {
                spec.src = dst.sf;
                return spec;
            }
            const SubfieldParse src = scanWholeSubfield(value);
            if (src.error.empty()) {
                if (src.sf.nbits != dst.sf.nbits) {
                    fail(str(orig) + ": bit widths of " + str(name) + " (" +
                             std::to_string(src.sf.nbits) + ") and " + str(value) + " (" +
                             std::to_string(dst.sf.nbits) + ") differ",
                         value);
                }
                spec.src = src.sf;
                return spec;
            }
            std::string immError;
            std::uint64_t imm = 0;
            if (isWholeField(dst.sf)) {
                try {
                    const ValueMask vm = parseFieldValue(dst.sf.field, value, m_ports);
                    const std::uint64_t full = bytesMask(bytesOf(dst.sf.field));
                    if ((vm.mask & full) != full) {
                        immError = str(value) + ": wildcards not allowed here";
                    } else if ((vm.value & ~fieldMaxMask(dst.sf.field)) != 0) {
                        immError = str(orig) + ": value " + str(value) + " does not fit into " +
                                   std::to_string(dst.sf.nbits) + " bits";
                    }
                    imm = vm.value;
                } catch (const ParseError& e) {
                    immError = e.what();
                }
            } else {
                const IntParse p = parseIntString(value, bytesOf(dst.sf.field));
                if (!p.ok || p.tail != value.size()) {
                    immError = str(orig) + ": cannot parse integer value";
                } else if ((p.value >> dst.sf.nbits) != 0) {
                    immError = str(orig) + ": value " + describeValue(dst.sf.field, p.value) +
                               " does not fit into " + std::to_string(dst.sf.nbits) + " bits";
                }
                imm = p.value;
            }
            if (!immError.empty()) {
                fail(str(orig) + ": " + str(name) + " value " + str(value) +
                         " cannot be parsed as a subfield (" + src.error +
                         ") or an immediate value (" + immError + ")",
                     value);
            }
            spec.srcImmediate = true;
            spec.value = imm;
            spec.dstWholeField = isWholeField(dst.sf);
            return spec;
        }
        if (name == "load") {
            const std::size_t arrow = value.find("->");
            if (arrow == 0) {
                fail("load: missing source before `->' in `" + str(value) + "'", value);
            }
            if (arrow == std::string_view::npos) {
                fail("load: missing `->' in `" + str(value) + "'", value);
            }
            spec.kind = LearnSpec::Kind::Load;
            const IntParse p = parseIntString(value, 8);
            if ((p.ok && p.tail != 0) || p.range) {
                if (p.ok && p.tail != arrow) {
                    fail("load: garbage before `->' in `" + str(value) + "'", value);
                }
                const Subfield d = requireSubfield(value.substr(arrow + 2));
                if (p.range || (d.nbits < 64 && (p.value >> d.nbits) != 0)) {
                    fail(str(value) + ": value does not fit into " + std::to_string(d.nbits) +
                             " bits",
                         value);
                }
                spec.srcImmediate = true;
                spec.value = p.value;
                spec.dst = d;
                return spec;
            }
            const MoveAction move = parseMove(value);
            spec.src = move.src;
            spec.dst = move.dst;
            return spec;
        }
        if (name == "output") {
            spec.kind = LearnSpec::Kind::Output;
            spec.src = requireSubfield(value);
            return spec;
        }
        if (isBoundsError(dst))
            fail(dst.error, name);
        fail(str(orig) + ": unknown keyword " + str(name), name);
    }

    /// The parts of OVS's ofpacts_check() that need no match.
    void checkIndependent(const ActionList& actions) const {
        for (std::size_t i = 0; i < actions.size(); ++i) {
            const Action& a = actions[i];
            const std::string& word = m_words[i];
            if (const auto* out = std::get_if<OutputAction>(&a)) {
                if (!validOutputPort(out->port))
                    invalidWithMatch("OFPBAC_BAD_OUT_PORT", word);
            } else if (const auto* load = std::get_if<LoadAction>(&a)) {
                if (!fieldInfo(load->dst.field).writable) {
                    invalidWithMatch("OFPBAC_BAD_SET_ARGUMENT", word);
                }
            } else if (const auto* move = std::get_if<MoveAction>(&a)) {
                if (!fieldInfo(move->dst.field).writable) {
                    invalidWithMatch("OFPBAC_BAD_SET_ARGUMENT", word);
                }
            } else if (const auto* learn = std::get_if<LearnAction>(&a)) {
                for (const LearnSpec& spec : learn->specs) {
                    if (spec.kind == LearnSpec::Kind::Load && !fieldInfo(spec.dst.field).writable) {
                        invalidWithMatch("OFPBAC_BAD_SET_ARGUMENT", word);
                    }
                }
            }
        }
    }

    const PortResolver& m_ports;
    std::vector<std::string> m_words;
};

bool prereqOk(FieldId id, const Match& m) {
    return prereqSatisfied(fieldInfo(id).prereq, m.key, &m.mask);
}

/// The match-dependent parts of OVS's ofpacts_check() (and learn_check()).
void checkAgainstMatch(const ActionList& actions, const std::vector<std::string>& words,
                       const Match& match, std::optional<std::uint8_t> table) {
    for (std::size_t i = 0; i < actions.size(); ++i) {
        const Action& a = actions[i];
        const std::string& word = words[i];
        const auto need = [&](FieldId id) {
            if (!prereqOk(id, match))
                invalidWithMatch("OFPBAC_MATCH_INCONSISTENT", word);
        };
        if (const auto* reg = std::get_if<OutputRegAction>(&a)) {
            need(reg->src.field);
        } else if (const auto* sf = std::get_if<SetFieldAction>(&a)) {
            need(sf->field);
        } else if (const auto* load = std::get_if<LoadAction>(&a)) {
            need(load->dst.field);
        } else if (const auto* move = std::get_if<MoveAction>(&a)) {
            need(move->src.field);
            need(move->dst.field);
        } else if (const auto* go = std::get_if<GotoTableAction>(&a)) {
            if (table && go->table <= *table)
                invalidWithMatch("OFPBIC_BAD_TABLE_ID", word);
        } else if (const auto* learn = std::get_if<LearnAction>(&a)) {
            Match learned;  // What the learned flow will match, as far as immediates say.
            for (const LearnSpec& spec : learn->specs) {
                if (!spec.srcImmediate)
                    need(spec.src.field);
                if (spec.kind == LearnSpec::Kind::Match || spec.kind == LearnSpec::Kind::Load) {
                    if (!prereqOk(spec.dst.field, learned)) {
                        invalidWithMatch("OFPBAC_MATCH_INCONSISTENT", word);
                    }
                }
                if (spec.kind == LearnSpec::Kind::Match && spec.srcImmediate) {
                    writeSubfield(learned.key, spec.dst, spec.value);
                    markSubfield(learned.mask, spec.dst);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Flow mods (parse_ofp_str__()).

enum FlowFields : unsigned {
    kOutPort = 1U << 0,
    kActions = 1U << 1,
    kImportance = 1U << 2,
    kTimeout = 1U << 3,
    kPriority = 1U << 4,
    kFlags = 1U << 5,
};

unsigned fieldsFor(FlowMod::Command cmd) {
    switch (cmd) {
        case FlowMod::Command::Add:
            return kActions | kTimeout | kPriority | kFlags | kImportance;
        case FlowMod::Command::Modify:
        case FlowMod::Command::ModifyStrict:
            return kActions | kTimeout | kPriority | kFlags;
        case FlowMod::Command::Delete:
            return kOutPort;
        case FlowMod::Command::DeleteStrict:
            return kOutPort | kPriority;
    }
    return 0;
}

FlowMod parseFlowModImpl(std::string_view line, FlowMod::Command cmd, bool allowCommandWord,
                         const PortResolver& ports, ParseWarnings* warnings) {
    if (allowCommandWord) {
        std::size_t i = 0;
        while (i < line.size() && isSpace(line[i]))
            ++i;
        std::size_t len = 0;
        while (i + len < line.size() &&
               std::string_view(", \t\r\n").find(line[i + len]) == std::string_view::npos) {
            ++len;
        }
        const std::string_view word = line.substr(i, len);
        struct Cmd {
            std::string_view name;
            FlowMod::Command cmd;
        };
        static constexpr Cmd kCommands[] = {
            {"add", FlowMod::Command::Add},
            {"delete", FlowMod::Command::Delete},
            {"delete_strict", FlowMod::Command::DeleteStrict},
            {"modify", FlowMod::Command::Modify},
            {"modify_strict", FlowMod::Command::ModifyStrict},
        };
        cmd = FlowMod::Command::Add;
        bool found = false;
        for (const Cmd& c : kCommands) {
            if (c.name.substr(0, len) == word) {
                cmd = c.cmd;
                found = true;
                break;
            }
        }
        line.remove_prefix(found ? i + len : 0);
    }

    const unsigned fields = fieldsFor(cmd);
    const bool isModify = cmd == FlowMod::Command::Modify || cmd == FlowMod::Command::ModifyStrict;
    FlowMod fm;
    fm.command = cmd;
    std::optional<std::uint8_t> table;
    bool newCookieGiven = false;

    std::string_view matchText = line;
    std::string_view actionText;
    if (fields & kActions) {
        const std::size_t at = line.find("action");
        const std::size_t eq =
            at == std::string_view::npos ? std::string_view::npos : line.find('=', at + 1);
        if (eq == std::string_view::npos)
            fail("must specify an action", line);
        matchText = line.substr(0, at);
        actionText = line.substr(eq + 1);
    }

    Match match;
    KeyValueScanner scan(matchText);
    KeyValue kv;
    while (scan.next(kv)) {
        const std::string_view name = kv.key;
        const std::string_view value = kv.value;
        if ((fields & kFlags) && name == "send_flow_rem") {
            fm.spec.sendFlowRem = true;
        } else if ((fields & kFlags) && name == "check_overlap") {
            fm.spec.checkOverlap = true;
        } else if ((fields & kFlags) && name == "reset_counts") {
            fm.spec.resetCounts = true;
        } else if ((fields & kFlags) && (name == "no_packet_counts" || name == "no_byte_counts")) {
            // Counting is free in the simulator; OVS treats these as hints too.
        } else if (name == "no_readonly_table" || name == "allow_hidden_fields") {
            // Ignored by OVS as well.
        } else if (applyMatchItem(match, kv, ports)) {
            // A protocol shorthand or a match field.
        } else if (value.empty()) {
            fail("field " + str(name) + " missing value", name);
        } else if (name == "table") {
            const auto t = parseTable(value);
            if (!t)
                fail("unknown table \"" + str(value) + "\"", value);
            table = *t;
        } else if ((fields & kOutPort) && name == "out_port") {
            const auto port = parsePort(value, ports);
            if (!port)
                fail(str(value) + " is not a valid OpenFlow port", value);
            fm.outPort = *port;
        } else if ((fields & kPriority) && name == "priority") {
            fm.spec.priority = std::uint16_t(parseSmall(value, "priority", 0xffff));
        } else if ((fields & kTimeout) && name == "idle_timeout") {
            fm.spec.idleTimeout = std::uint16_t(parseSmall(value, "idle_timeout", 0xffff));
        } else if ((fields & kTimeout) && name == "hard_timeout") {
            fm.spec.hardTimeout = std::uint16_t(parseSmall(value, "hard_timeout", 0xffff));
        } else if ((fields & kImportance) && name == "importance") {
            parseSmall(value, "importance", 0xffff);  // Eviction is not modelled.
        } else if (name == "cookie") {
            const std::size_t slash = value.find('/');
            if (slash != std::string_view::npos) {
                if (cmd == FlowMod::Command::Add) {
                    fail("flow additions cannot use a cookie mask", value);
                }
                fm.spec.cookie = parseU64(value.substr(0, slash));
                fm.cookieMask = parseU64(value.substr(slash + 1));
            } else {
                if (!(fields & kActions)) {
                    fail("cannot set cookie (to match on a cookie, specify a mask, e.g. cookie=" +
                             str(value) + "/-1)",
                         value);
                }
                fm.spec.cookie = parseU64(value);
                fm.modifyCookie = true;
                newCookieGiven = true;
            }
        } else if (name == "duration" || name == "n_packets" || name == "n_bytes" ||
                   name == "idle_age" || name == "hard_age") {
            // Ignored, so that dump-flows output can be fed back.
        } else {
            fail("unknown keyword " + str(name), name);
        }
    }
    if (cmd == FlowMod::Command::Add) {
        // OVS decodes every OpenFlow 1.0 add with OFPUTIL_FF_RESET_COUNTS.
        fm.spec.resetCounts = true;
    }
    if (isModify && fm.cookieMask == 0 && !newCookieGiven) {
        // ovs-ofctl sends new_cookie 0 when neither a cookie nor a mask is given.
        fm.spec.cookie = 0;
        fm.modifyCookie = true;
    }

    const Match parsed = match;
    const bool changed = normalizeLikeOvs(match);
    if (fields & kActions) {
        ActionParser parser(ports);
        fm.spec.actions = parser.parse(actionText);
        checkAgainstMatch(fm.spec.actions, parser.words(), match, table);
    }
    fm.spec.match = match;
    if (cmd == FlowMod::Command::Add) {
        fm.table = table && *table != FlowMod::kAllTables ? *table : 0;
    } else {
        fm.table = table ? *table : FlowMod::kAllTables;
    }
    if (changed && warnings)
        warnings->push_back(normalizationWarning(parsed, match));
    return fm;
}

}  // namespace

std::optional<std::uint32_t> parsePort(std::string_view text, const PortResolver& ports) {
    if (text.empty() || text[0] == '-')
        return std::nullopt;
    if (const auto n = strToLongLong(text, 10)) {
        if (*n < 0 || *n > 0xffffffffLL)
            return std::nullopt;
        const auto port = std::uint32_t(*n);
        if (port <= 0xffff)
            return port;
        if (port >= 0xffffff00U)
            return port - 0xffff0000U;
        return std::nullopt;
    }
    for (const NamedPort& p : kNamedPorts) {
        if (equalsNoCase(text, p.name))
            return p.port;
    }
    if (!ports)
        return std::nullopt;
    std::string_view name = text;
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
        name = name.substr(1, name.size() - 2);
    }
    return ports(name);
}

Subfield parseSubfield(std::string_view text) {
    return requireSubfield(text);
}

Match parseMatch(std::string_view text, const PortResolver& ports, ParseWarnings* warnings) {
    Match match;
    KeyValueScanner scan(text);
    KeyValue kv;
    while (scan.next(kv)) {
        if (!applyMatchItem(match, kv, ports)) {
            if (kv.value.empty())
                fail("field " + str(kv.key) + " missing value", kv.key);
            fail("unknown keyword " + str(kv.key), kv.key);
        }
    }
    const Match parsed = match;
    if (normalizeLikeOvs(match) && warnings) {
        warnings->push_back(normalizationWarning(parsed, match));
    }
    return match;
}

ActionList parseActions(std::string_view text, const PortResolver& ports) {
    ActionParser parser(ports);
    return parser.parse(text);
}

FlowMod parseFlowMod(std::string_view line, FlowMod::Command cmd, const PortResolver& ports,
                     ParseWarnings* warnings) {
    return parseFlowModImpl(line, cmd, false, ports, warnings);
}

std::vector<FlowMod> parseFlowFile(std::string_view text, std::string_view fileName,
                                   const PortResolver& ports, ParseWarnings* warnings) {
    std::vector<FlowMod> mods;
    int lineNo = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++lineNo;
        if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }
        if (std::all_of(line.begin(), line.end(), isSpace))
            continue;
        const std::string prefix = str(fileName) + ":" + std::to_string(lineNo) + ": ";
        ParseWarnings lineWarnings;
        try {
            mods.push_back(parseFlowModImpl(line, FlowMod::Command::Add, true, ports,
                                            warnings ? &lineWarnings : nullptr));
        } catch (const ParseError& e) {
            throw ParseError(prefix + e.what(), lineNo, e.word());
        }
        if (warnings) {
            for (std::string& w : lineWarnings)
                warnings->push_back(prefix + w);
        }
    }
    return mods;
}

}  // namespace nlab::engine
