// commitKeyToFrame: header rewrites with checksums kept right. Expected frames come from the
// independent test builder, which computes every checksum from scratch, so each case checks
// the incremental updates against a full recomputation.
#include "engine/codec/frame_rewrite.h"

#include "engine/codec/flow_extract.h"
#include "engine/codec/frame_compose.h"
#include "engine/codec/frame_decode.h"
#include "engine/codec/l4.h"
#include "tests/support/packet_builder.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace nlab::engine {
namespace {

using testing::ip;
using testing::mac;
using testing::PacketBuilder;
using testing::pattern;

const std::uint64_t kA = 0xfa163e3228afULL;
const std::uint64_t kB = 0xfa163e2a46e0ULL;

/// Applies 'edit' to the key of 'frame' and commits it.
template <typename Edit>
std::vector<std::uint8_t> rewrite(std::vector<std::uint8_t> frame, Edit edit) {
    const FlowKey before = extractFlowKey(frame, 1);
    FlowKey after = before;
    edit(after);
    commitKeyToFrame(before, after, frame);
    return frame;
}

/// Whether every checksum decodeFrame verifies in 'frame' is correct (and SCTP's CRC32c).
bool allChecksumsCorrect(const std::vector<std::uint8_t>& frame) {
    const DecodedFrame d = decodeFrame(frame);
    for (const auto& l : d.layers) {
        for (const auto& f : l.fields) {
            if (f.value.find("incorrect") != std::string::npos)
                return false;
        }
    }
    const DecodedLayer* ip4 = d.find("IPv4");
    if (ip4 != nullptr && ip4->field("Protocol") == "SCTP (132)") {
        const std::size_t l4 = ip4->offset + ip4->length;
        const std::span<const std::uint8_t> seg(frame.data() + l4, 12);
        const std::uint32_t stored = std::uint32_t(seg[8]) | (std::uint32_t(seg[9]) << 8) |
                                     (std::uint32_t(seg[10]) << 16) |
                                     (std::uint32_t(seg[11]) << 24);
        if (stored != sctpChecksum(seg))
            return false;
    }
    return true;
}

TEST(FrameRewriteTest, EthernetAddresses) {
    const auto f = PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).build();
    EXPECT_EQ(
        rewrite(f,
                [](FlowKey& k) {
                    k.dl_src = 0x0a0b0c0d0e0fULL;
                    k.dl_dst = 1;
                }),
        PacketBuilder().eth(0x0a0b0c0d0e0fULL, 1).ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).build());
}

TEST(FrameRewriteTest, PushModifyPopVlan) {
    const auto untagged =
        PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").udp(1, 2, pattern(30)).build();
    const auto tagged = rewrite(untagged, [](FlowKey& k) { k.vlan_tci = 0x1000 | 0xa007; });
    EXPECT_EQ(tagged, PacketBuilder()
                          .eth(kA, kB)
                          .vlan(7, 5)
                          .ipv4("1.1.1.1", "2.2.2.2")
                          .udp(1, 2, pattern(30))
                          .build());
    const auto modified = rewrite(tagged, [](FlowKey& k) { k.vlan_tci = 0x1000 | 4; });
    EXPECT_EQ(modified, PacketBuilder()
                            .eth(kA, kB)
                            .vlan(4)
                            .ipv4("1.1.1.1", "2.2.2.2")
                            .udp(1, 2, pattern(30))
                            .build());
    const auto popped = rewrite(modified, [](FlowKey& k) { k.vlan_tci = 0; });
    EXPECT_EQ(popped, untagged);
    // mod_vlan_vid on an 802.1ad tag keeps its TPID.
    const auto qinq = PacketBuilder().eth(kA, kB).vlan(100, 0, 0x88a8).etherType(0x1234).build();
    EXPECT_EQ(rewrite(qinq, [](FlowKey& k) { k.vlan_tci = 0x1000 | 200; }),
              PacketBuilder().eth(kA, kB).vlan(200, 0, 0x88a8).etherType(0x1234).build());
    // Pushing onto a tagged frame's key that had no CFI (truncated tag) adds an outer tag.
    std::vector<std::uint8_t> cut = PacketBuilder().eth(kA, kB).etherType(0x8100).noPad().build();
    cut.push_back(0);
    const auto pushed = rewrite(cut, [](FlowKey& k) { k.vlan_tci = 0x1000 | 1; });
    EXPECT_EQ(pushed.size(), cut.size() + 4);
    EXPECT_EQ(pushed[12], 0x81);
    EXPECT_EQ(pushed[15], 0x01);
}

TEST(FrameRewriteTest, Ipv4AddressesFixIpAndUdpChecksums) {
    const auto f = PacketBuilder()
                       .eth(kA, kB)
                       .ipv4("10.10.10.7", "10.10.10.1")
                       .udp(5000, 53, pattern(21))
                       .build();
    EXPECT_EQ(rewrite(f,
                      [](FlowKey& k) {
                          k.nw_src = ip("192.168.0.2");
                          k.nw_dst = ip("8.8.8.8");
                      }),
              PacketBuilder()
                  .eth(kA, kB)
                  .ipv4("192.168.0.2", "8.8.8.8")
                  .udp(5000, 53, pattern(21))
                  .build());
}

TEST(FrameRewriteTest, ZeroUdpChecksumStaysZero) {
    const auto f = PacketBuilder()
                       .eth(kA, kB)
                       .ipv4("10.10.10.7", "10.10.10.1")
                       .udp(5000, 53, pattern(4))
                       .udpNoChecksum()
                       .build();
    EXPECT_EQ(rewrite(f,
                      [](FlowKey& k) {
                          k.nw_dst = ip("8.8.4.4");
                          k.tp_src = 6000;
                      }),
              PacketBuilder()
                  .eth(kA, kB)
                  .ipv4("10.10.10.7", "8.8.4.4")
                  .udp(6000, 53, pattern(4))
                  .udpNoChecksum()
                  .build());
}

TEST(FrameRewriteTest, UdpChecksumThatBecomesZeroIsSentAsFfff) {
    // Find a source port for which the full UDP checksum computes to 0 (sent as 0xffff).
    auto build = [](std::uint16_t sport) {
        return PacketBuilder()
            .eth(kA, kB)
            .ipv4("10.0.0.1", "10.0.0.2")
            .udp(sport, 7, pattern(6))
            .build();
    };
    std::uint16_t port = 0;
    for (std::uint32_t p = 1; p < 65536; ++p) {
        const auto f = build(static_cast<std::uint16_t>(p));
        if (f[40] == 0xff && f[41] == 0xff) {
            port = static_cast<std::uint16_t>(p);
            break;
        }
    }
    ASSERT_NE(port, 0);
    EXPECT_EQ(rewrite(build(1000), [&](FlowKey& k) { k.tp_src = port; }), build(port));
}

TEST(FrameRewriteTest, TcpPortsAndAddresses) {
    const auto f = PacketBuilder()
                       .eth(kA, kB)
                       .vlan(9)
                       .ipv4("10.10.10.7", "10.10.10.1")
                       .tcp(5000, 80, 0x18, 7, 9, pattern(20))
                       .build();
    EXPECT_EQ(rewrite(f,
                      [](FlowKey& k) {
                          k.nw_dst = ip("172.16.0.9");
                          k.tp_dst = 8080;
                          k.tp_src = 1;
                      }),
              PacketBuilder()
                  .eth(kA, kB)
                  .vlan(9)
                  .ipv4("10.10.10.7", "172.16.0.9")
                  .tcp(1, 8080, 0x18, 7, 9, pattern(20))
                  .build());
}

TEST(FrameRewriteTest, TosTtlAndIcmpTypeCode) {
    const auto f = PacketBuilder()
                       .eth(kA, kB)
                       .ipv4("10.10.10.7", "10.10.10.1", 64)
                       .icmpEcho(1, 1, pattern(56))
                       .build();
    EXPECT_EQ(rewrite(f,
                      [](FlowKey& k) {
                          k.nw_ttl = 63;
                          k.nw_tos = 0xb8;
                          k.tp_src = 0;  // Echo reply.
                          k.nw_src = ip("10.10.10.1");
                          k.nw_dst = ip("10.10.10.7");
                      }),
              PacketBuilder()
                  .eth(kA, kB)
                  .ipv4("10.10.10.1", "10.10.10.7", 63)
                  .tos(0xb8)
                  .icmpEcho(1, 1, pattern(56), true)
                  .build());
    const auto unreach =
        PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").icmp(3, 3, 0, pattern(28)).build();
    EXPECT_EQ(
        rewrite(unreach, [](FlowKey& k) { k.tp_dst = 1; }),
        PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").icmp(3, 1, 0, pattern(28)).build());
}

TEST(FrameRewriteTest, AllZeroIcmpMessageGetsFfff) {
    // Echo request id 0 seq 0 -> echo reply: the reply sums to zero, so its checksum is 0xffff,
    // which RFC 1624's incremental form alone would give as 0x0000.
    const auto f = PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").icmpEcho(0, 0).build();
    const auto out = rewrite(f, [](FlowKey& k) { k.tp_src = 0; });
    EXPECT_EQ(
        out,
        PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").icmpEcho(0, 0, {}, true).build());
    EXPECT_EQ(out[36], 0xff);
    EXPECT_EQ(out[37], 0xff);
}

TEST(FrameRewriteTest, LaterFragmentKeepsItsPayload) {
    const auto f = PacketBuilder()
                       .eth(kA, kB)
                       .ipv4("1.1.1.1", "2.2.2.2")
                       .fragment(false, 100)
                       .udp(1, 2, pattern(8))
                       .build();
    // Only the IPv4 header changes: the "UDP header" of a later fragment is payload.
    EXPECT_EQ(rewrite(f, [](FlowKey& k) { k.nw_src = ip("3.3.3.3"); }),
              PacketBuilder()
                  .eth(kA, kB)
                  .ipv4("3.3.3.3", "2.2.2.2")
                  .fragment(false, 100)
                  .ipPayload(17, {f.begin() + 34, f.begin() + 50})
                  .build());
}

TEST(FrameRewriteTest, ArpFields) {
    const auto f = PacketBuilder()
                       .eth(kA, 0xffffffffffffULL)
                       .arp(1, kA, ip("10.10.10.7"), 0, ip("10.10.10.1"))
                       .build();
    EXPECT_EQ(
        rewrite(f,
                [](FlowKey& k) {
                    k.nw_proto = 2;
                    k.arp_sha = kB;
                    k.nw_src = ip("10.10.10.1");
                    k.arp_tha = kA;
                    k.nw_dst = ip("10.10.10.7");
                    k.dl_src = kB;
                    k.dl_dst = kA;
                }),
        PacketBuilder().eth(kB, kA).arp(2, kB, ip("10.10.10.1"), kA, ip("10.10.10.7")).build());
}

TEST(FrameRewriteTest, MetadataChangesLeaveTheFrameAlone) {
    const auto f = PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2).build();
    EXPECT_EQ(rewrite(f,
                      [](FlowKey& k) {
                          k.in_port = 9;
                          k.regs[0] = 1;
                          k.tun_id = 5;
                          k.tun_src = 1;
                          k.tun_dst = 2;
                          k.metadata = 7;
                          k.dl_type = 0x86dd;  // Not writable: ignored.
                          k.nw_proto = 17;     // Not writable for IPv4: ignored.
                      }),
              f);
}

TEST(FrameRewriteTest, LayersTheFrameLacksAreSkipped) {
    // IHL 3: extraction stopped at L3, so the IPv4 rewrite is skipped; MACs still change.
    const auto bad =
        PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").ipIhl(3).udp(1, 2).build();
    auto out = rewrite(bad, [](FlowKey& k) {
        k.nw_src = 5;
        k.tp_src = 9;
        k.dl_src = 1;
    });
    auto expect = bad;
    expect[6] = expect[7] = expect[8] = expect[9] = expect[10] = 0;
    expect[11] = 1;
    EXPECT_EQ(out, expect);
    // Shorter than an Ethernet header: nothing at all.
    std::vector<std::uint8_t> tiny(10, 0xab);
    FlowKey before = extractFlowKey(tiny, 1);
    FlowKey after = before;
    after.dl_src = 1;
    after.vlan_tci = 0x1005;
    commitKeyToFrame(before, after, tiny);
    EXPECT_EQ(tiny, std::vector<std::uint8_t>(10, 0xab));
    // A UDP header cut short by the IPv4 total length: ports are not rewritten.
    const auto shortUdp =
        PacketBuilder().eth(kA, kB).ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).ipTotalLength(27).build();
    EXPECT_EQ(rewrite(shortUdp, [](FlowKey& k) { k.tp_src = 99; }), shortUdp);
}

TEST(FrameRewriteTest, RandomizedCommitsExtractBackAndKeepChecksums) {
    std::mt19937_64 rng(20240611);
    const std::uint8_t protos[] = {1, 6, 17, 132};
    for (int i = 0; i < 3000; ++i) {
        FlowKey k{};
        k.dl_src = rng() & 0xffffffffffffULL;
        k.dl_dst = rng() & 0xffffffffffffULL;
        if (rng() % 2)
            k.vlan_tci = static_cast<std::uint16_t>(0x1000 | (rng() & 0xefff));
        const bool arp = rng() % 4 == 0;
        k.dl_type = arp ? 0x0806 : 0x0800;
        k.nw_src = static_cast<std::uint32_t>(rng());
        k.nw_dst = static_cast<std::uint32_t>(rng());
        if (arp) {
            k.nw_proto = static_cast<std::uint8_t>(rng() % 3);
            k.arp_sha = rng() & 0xffffffffffffULL;
            k.arp_tha = rng() & 0xffffffffffffULL;
        } else {
            k.nw_proto = protos[rng() % 4];
            k.nw_tos = static_cast<std::uint8_t>(rng());
            k.nw_ttl = static_cast<std::uint8_t>(rng());
            k.tp_src = static_cast<std::uint16_t>(k.nw_proto == 1 ? rng() % 256 : rng());
            k.tp_dst = static_cast<std::uint16_t>(k.nw_proto == 1 ? rng() % 256 : rng());
        }
        auto frame = composeFrame(k, rng() % 80);
        const FlowKey before = extractFlowKey(frame, 0);
        ASSERT_EQ(before, k) << i;

        FlowKey after = before;
        if (rng() % 2)
            after.dl_src = rng() & 0xffffffffffffULL;
        if (rng() % 2)
            after.dl_dst = rng() & 0xffffffffffffULL;
        switch (rng() % 3) {
            case 0:
                after.vlan_tci = 0;
                break;
            case 1:
                after.vlan_tci = static_cast<std::uint16_t>(0x1000 | (rng() & 0xefff));
                break;
            default:
                break;
        }
        if (rng() % 2)
            after.nw_src = static_cast<std::uint32_t>(rng());
        if (rng() % 2)
            after.nw_dst = static_cast<std::uint32_t>(rng());
        if (arp) {
            if (rng() % 2)
                after.nw_proto = static_cast<std::uint8_t>(rng() % 3);
            if (rng() % 2)
                after.arp_sha = rng() & 0xffffffffffffULL;
            if (rng() % 2)
                after.arp_tha = rng() & 0xffffffffffffULL;
        } else {
            if (rng() % 2)
                after.nw_tos = static_cast<std::uint8_t>(rng());
            if (rng() % 2)
                after.nw_ttl = static_cast<std::uint8_t>(rng());
            if (after.nw_proto == 1) {
                if (rng() % 2)
                    after.tp_src = static_cast<std::uint16_t>(rng() % 256);
                if (rng() % 2)
                    after.tp_dst = static_cast<std::uint16_t>(rng() % 256);
            } else {
                if (rng() % 2)
                    after.tp_src = static_cast<std::uint16_t>(rng());
                if (rng() % 2)
                    after.tp_dst = static_cast<std::uint16_t>(rng());
            }
        }
        // The vlan TCI's DEI/CFI bit is the presence flag; the wire DEI is written as 0.
        commitKeyToFrame(before, after, frame);
        EXPECT_EQ(extractFlowKey(frame, 0), after) << i;
        if (after.dl_type == 0x0800) {
            EXPECT_TRUE(allChecksumsCorrect(frame)) << i << " " << summarizeFrame(frame);
        }
    }
}

}  // namespace
}  // namespace nlab::engine
