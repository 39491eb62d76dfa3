#include "engine/packet/addresses.h"

#include <charconv>
#include <cstdio>

namespace nlab::engine {

namespace {
int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::optional<MacAddress> MacAddress::parse(std::string_view text) {
    std::array<std::uint8_t, 6> b{};
    std::size_t pos = 0;
    for (int i = 0; i < 6; ++i) {
        if (i > 0) {
            if (pos >= text.size() || (text[pos] != ':' && text[pos] != '-')) return std::nullopt;
            ++pos;
        }
        // One or two hex digits per octet, as ovs-ofctl accepts ("0:1:2:3:4:5").
        int v = 0;
        int digits = 0;
        while (pos < text.size() && digits < 2 && hexDigit(text[pos]) >= 0) {
            v = v * 16 + hexDigit(text[pos]);
            ++pos;
            ++digits;
        }
        if (digits == 0) return std::nullopt;
        b[std::size_t(i)] = std::uint8_t(v);
    }
    if (pos != text.size()) return std::nullopt;
    return MacAddress(b);
}

std::string MacAddress::toString() const { return formatMac(toU64()); }

std::string formatMac(std::uint64_t v) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", unsigned(v >> 40) & 0xff,
                  unsigned(v >> 32) & 0xff, unsigned(v >> 24) & 0xff, unsigned(v >> 16) & 0xff,
                  unsigned(v >> 8) & 0xff, unsigned(v) & 0xff);
    return buf;
}

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    std::uint32_t v = 0;
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (p >= end || *p != '.') return std::nullopt;
            ++p;
        }
        if (p >= end || *p < '0' || *p > '9') return std::nullopt;
        unsigned octet = 0;
        auto [next, ec] = std::from_chars(p, end, octet);
        if (ec != std::errc() || octet > 255 || next - p > 3) return std::nullopt;
        p = next;
        v = (v << 8) | octet;
    }
    if (p != end) return std::nullopt;
    return Ipv4Address(v);
}

std::string Ipv4Address::toString() const { return formatIpv4(m_v); }

std::string formatIpv4(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", (v >> 24) & 0xff, (v >> 16) & 0xff,
                  (v >> 8) & 0xff, v & 0xff);
    return buf;
}

}  // namespace nlab::engine
