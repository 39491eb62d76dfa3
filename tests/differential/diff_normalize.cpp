#include "tests/differential/diff_normalize.h"

#include "engine/codec/ethernet.h"
#include "engine/codec/frame_decode.h"
#include "engine/codec/ipv4.h"
#include "engine/codec/tunnel.h"
#include "engine/flow/ofctl_format.h"
#include "engine/flow/ofctl_parse.h"
#include "engine/packet/addresses.h"

#include <algorithm>
#include <cstdio>
#include <exception>

namespace nlab::difftest {

namespace {

/// Normalization 5 (see the header): zero the would-be L4 checksum bytes of a later
/// TCP/UDP IPv4 fragment.
void maskLaterFragmentChecksumBytes(std::vector<std::uint8_t>& frame) {
    engine::EthernetFrame eth;
    if (!engine::parseEthernet(frame, eth).ok() || eth.typeOrLength != engine::eth_type::kIpv4) {
        return;
    }
    engine::Ipv4Datagram ip;
    if (!engine::parseIpv4(eth.payload, ip).ok() || !ip.isLaterFragment()) return;
    std::size_t at = 0;
    if (ip.protocol() == engine::ip_proto::kTcp) {
        at = 16;
    } else if (ip.protocol() == engine::ip_proto::kUdp) {
        at = 6;
    } else {
        return;
    }
    const std::size_t off = eth.headerLength + ip.headerLength + at;
    if (off + 2 <= eth.headerLength + ip.totalLength && off + 2 <= frame.size()) {
        frame[off] = 0;
        frame[off + 1] = 0;
    }
}

}  // namespace

std::vector<TxFrame> normalizeOutputs(std::vector<TxFrame> frames,
                                      const std::vector<TunnelPortInfo>& tunnels,
                                      const std::string& underlayNic) {
    for (auto& f : frames) {
        if (f.port != underlayNic)
            continue;
        const auto d = engine::decapsulate(f.bytes);
        if (!d)
            continue;
        const auto t = std::find_if(tunnels.begin(), tunnels.end(), [&](const TunnelPortInfo& i) {
            return i.remoteIp == d->outerDst;
        });
        if (t == tunnels.end())
            continue;
        char label[160];
        std::snprintf(label, sizeof label, "%s [%s key=0x%llx remote=%s]", t->name.c_str(),
                      d->kind == engine::Decapsulated::Kind::Gre ? "gre" : "vxlan",
                      static_cast<unsigned long long>(d->key),
                      engine::formatIpv4(d->outerDst).c_str());
        f.port = label;
        f.bytes = d->inner;
    }
    for (auto& f : frames) maskLaterFragmentChecksumBytes(f.bytes);
    std::stable_sort(frames.begin(), frames.end(),
                     [](const TxFrame& a, const TxFrame& b) { return a.port < b.port; });
    return frames;
}

std::string canonicalFlowText(const DumpedFlow& flow) {
    DumpedFlow c = flow;
    try {
        c.match = engine::formatMatch(engine::parseMatch(flow.match));
    } catch (const std::exception& e) {
        c.match = "UNPARSED(" + flow.match + ": " + e.what() + ")";
    }
    try {
        c.actions = engine::formatActions(engine::parseActions(flow.actions));
    } catch (const std::exception& e) {
        c.actions = "UNPARSED(" + flow.actions + ": " + e.what() + ")";
    }
    return c.text();
}

std::vector<std::string> canonicalFlows(const std::vector<DumpedFlow>& flows) {
    std::vector<std::string> out;
    out.reserve(flows.size());
    for (const auto& f : flows)
        out.push_back(canonicalFlowText(f));
    std::sort(out.begin(), out.end());
    return out;
}

std::string describeFrame(std::span<const std::uint8_t> frame) {
    return toHex(frame) + "\n      " + engine::summarizeFrame(frame);
}

std::string describeOutputs(const std::vector<TxFrame>& frames) {
    if (frames.empty())
        return "  (nothing)\n";
    std::string out;
    for (const auto& f : frames)
        out += "  " + f.port + ": " + describeFrame(f.bytes) + "\n";
    return out;
}

std::string describeLines(const std::vector<std::string>& lines) {
    if (lines.empty())
        return "  (none)\n";
    std::string out;
    for (const auto& l : lines)
        out += "  " + l + "\n";
    return out;
}

}  // namespace nlab::difftest
