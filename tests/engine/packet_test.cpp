// Packet: ownership, explicit cloning, metadata.
#include "engine/packet/packet.h"

#include <gtest/gtest.h>

#include <type_traits>
#include <utility>
#include <vector>

namespace nlab::engine {
namespace {

static_assert(!std::is_copy_constructible_v<Packet>);
static_assert(!std::is_copy_assignable_v<Packet>);
static_assert(std::is_nothrow_move_constructible_v<Packet>);
static_assert(std::is_nothrow_move_assignable_v<Packet>);
static_assert(std::is_final_v<Packet>);
static_assert(std::is_same_v<Packet::TunnelMetadata, TunnelMetadata>);

TEST(PacketTest, NewPacketOwnsBytesWithoutMetadata) {
    Packet p({1, 2, 3, 4});
    EXPECT_EQ(p.size(), 4u);
    EXPECT_EQ(std::vector<std::uint8_t>(p.bytes().begin(), p.bytes().end()),
              (std::vector<std::uint8_t>{1, 2, 3, 4}));
    EXPECT_EQ(p.id, 0u);
    EXPECT_FALSE(p.tunnel.present);
    EXPECT_EQ(p.tunnel, TunnelMetadata{});
}

TEST(PacketTest, DataIsTheMutableFrame) {
    Packet p({1, 2, 3});
    p.data().push_back(9);
    p.data()[0] = 7;
    EXPECT_EQ(p.size(), 4u);
    EXPECT_EQ(p.bytes()[0], 7);
    EXPECT_EQ(p.bytes()[3], 9);
}

TEST(PacketTest, CloneCopiesEverythingAndIsIndependent) {
    Packet p({0xaa, 0xbb});
    p.id = 42;
    p.tunnel = TunnelMetadata{0x1, 0x0a0a648c, 0x0a0a648b, true};
    Packet c = p.clone();
    EXPECT_EQ(c.id, 42u);
    EXPECT_EQ(c.tunnel, p.tunnel);
    EXPECT_EQ(c.data(), p.data());
    c.data()[0] = 0;
    c.tunnel.tunId = 2;
    EXPECT_EQ(p.bytes()[0], 0xaa);
    EXPECT_EQ(p.tunnel.tunId, 1u);
}

TEST(PacketTest, MoveTransfersTheBuffer) {
    Packet p({5, 6, 7});
    p.id = 3;
    const std::uint8_t* buffer = p.bytes().data();
    Packet q = std::move(p);
    EXPECT_EQ(q.id, 3u);
    EXPECT_EQ(q.bytes().data(), buffer);  // No copy of the frame.
    EXPECT_EQ(q.size(), 3u);
}

}  // namespace
}  // namespace nlab::engine
