// libFuzzer target for the frame layer: every parser, the decoder and summarizer, flow
// extraction, decapsulation, DHCP option parsing, and header rewrites with a key mutated from
// the input. Besides memory safety (ASan/UBSan), it checks properties that must hold for any
// input, and traps when one does not:
//   - decodeFrame's layers lie inside the frame;
//   - committing a key change never turns a correct checksum into an incorrect one;
//   - committing the unchanged key of a frame leaves it byte-for-byte unchanged.
#include "engine/codec/arp.h"
#include "engine/codec/dhcp.h"
#include "engine/codec/ethernet.h"
#include "engine/codec/flow_extract.h"
#include "engine/codec/frame_decode.h"
#include "engine/codec/frame_rewrite.h"
#include "engine/codec/icmp.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/l4.h"
#include "engine/codec/tunnel.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace {

using namespace nlab::engine;

void check(bool ok) {
    if (!ok) {
        __builtin_trap();
    }
}

/// Small deterministic generator seeded from the input (xorshift64*).
class Rng {
public:
    explicit Rng(std::span<const std::uint8_t> in) {
        std::uint64_t h = 0xcbf29ce484222325ULL;
        for (const std::uint8_t b : in) {
            h = (h ^ b) * 0x100000001b3ULL;
        }
        m_s = h | 1;
    }
    std::uint64_t next() {
        m_s ^= m_s >> 12;
        m_s ^= m_s << 25;
        m_s ^= m_s >> 27;
        return m_s * 0x2545f4914f6cdd1dULL;
    }
    bool coin() { return (next() & 1) != 0; }

private:
    std::uint64_t m_s;
};

std::size_t incorrectChecksums(const DecodedFrame& d) {
    std::size_t n = 0;
    for (const auto& l : d.layers) {
        for (const auto& f : l.fields) {
            n += f.value.find("[incorrect") != std::string::npos;
        }
    }
    return n;
}

void checkLayers(const DecodedFrame& d, std::size_t size) {
    for (const auto& l : d.layers) {
        check(l.offset <= size && l.length <= size - l.offset);
    }
}

void runParsers(std::span<const std::uint8_t> in) {
    EthernetFrame eth;
    (void)parseEthernet(in, eth);
    LlcSnap llc;
    (void)parseLlcSnap(in, llc);
    ArpPacket arp;
    (void)parseArp(in, arp);
    Ipv4Datagram ip;
    if (parseIpv4(in, ip)) {
        (void)ipv4HeaderChecksumValid(in.first(ip.headerLength));
    }
    IcmpMessage icmp;
    (void)parseIcmp(in, icmp);
    (void)icmpChecksumValid(in);
    UdpDatagram udp;
    if (parseUdp(in, udp)) {
        (void)udpChecksumValid(1, 2, in.first(udp.length()));
    }
    TcpSegment tcp;
    if (parseTcp(in, tcp)) {
        (void)tcpChecksumValid(1, 2, in);
    }
    GrePacket gre;
    (void)parseGre(in, gre);
    (void)greChecksumValid(in);
    VxlanPacket vx;
    (void)parseVxlan(in, vx);
    std::vector<DhcpOptionView> options;
    (void)parseDhcpOptions(in, options);
    auto dhcp = parseDhcp(in);
    if (dhcp) {
        // A parsed message rebuilds into something that parses to the same value.
        auto again = parseDhcp(buildDhcp(dhcp.value()));
        check(again.ok());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> in(data, size);
    runParsers(in);

    const DecodedFrame decoded = decodeFrame(in);
    checkLayers(decoded, size);
    (void)summarizeFrame(in);

    // DHCP and the other parsers on every layer's bytes the decoder found.
    for (const auto& l : decoded.layers) {
        runParsers(in.subspan(l.offset));
    }

    const TunnelMetadata tunnel{0x1, 0x0a0a648c, 0x0a0a648b, true};
    const FlowKey before = extractFlowKey(in, 1, &tunnel);
    if (auto d = decapsulate(in)) {
        check(d->inner.size() >= kEthernetHeaderLength && d->inner.size() < size);
        const TunnelMetadata inner{d->key, d->outerSrc, d->outerDst, true};
        (void)extractFlowKey(d->inner, 2, &inner);
        checkLayers(decodeFrame(d->inner), d->inner.size());
    }

    // Unchanged key: no change.
    std::vector<std::uint8_t> frame(in.begin(), in.end());
    commitKeyToFrame(before, before, frame);
    check(frame == std::vector<std::uint8_t>(in.begin(), in.end()));

    // Mutated key: checksums that were right stay right.
    Rng rng(in);
    FlowKey after = before;
    if (rng.coin())
        after.dl_src = rng.next() & 0xffffffffffffULL;
    if (rng.coin())
        after.dl_dst = rng.next() & 0xffffffffffffULL;
    switch (rng.next() % 3) {
        case 0:
            after.vlan_tci = 0;
            break;
        case 1:
            after.vlan_tci = static_cast<std::uint16_t>(kVlanCfi | (rng.next() & 0xefff));
            break;
        default:
            break;
    }
    if (rng.coin())
        after.nw_src = static_cast<std::uint32_t>(rng.next());
    if (rng.coin())
        after.nw_dst = static_cast<std::uint32_t>(rng.next());
    if (rng.coin())
        after.nw_tos = static_cast<std::uint8_t>(rng.next());
    if (rng.coin())
        after.nw_ttl = static_cast<std::uint8_t>(rng.next());
    if (rng.coin())
        after.nw_proto = static_cast<std::uint8_t>(rng.next());
    if (rng.coin())
        after.tp_src = static_cast<std::uint16_t>(rng.next());
    if (rng.coin())
        after.tp_dst = static_cast<std::uint16_t>(rng.next());
    if (rng.coin())
        after.arp_sha = rng.next() & 0xffffffffffffULL;
    if (rng.coin())
        after.arp_tha = rng.next() & 0xffffffffffffULL;
    if (rng.coin())
        after.in_port = static_cast<std::uint32_t>(rng.next());
    const std::size_t badBefore = incorrectChecksums(decoded);
    commitKeyToFrame(before, after, frame);
    check(frame.size() == size || frame.size() == size + 4 || frame.size() + 4 == size);
    const DecodedFrame rewritten = decodeFrame(frame);
    checkLayers(rewritten, frame.size());
    if (badBefore == 0) {
        check(incorrectChecksums(rewritten) == 0);
    }
    (void)extractFlowKey(frame, 1);
    (void)summarizeFrame(frame);
    return 0;
}
