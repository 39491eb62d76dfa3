#pragma once
// Packet: one Ethernet frame travelling through the engine, with its metadata.
//
// What
//   A Packet owns the bytes of one Ethernet frame (no FCS) plus the metadata that travels
//   with it between stages but is not in the bytes: an engine-wide id and the tunnel
//   metadata a tunnel port attached when it decapsulated the frame.
//
// Design
//   As in bmv2, a Packet is `final` and move-only: copies are deleted so that a frame can
//   only be duplicated on purpose, through `clone()` (flooding, mirroring, learn-and-forward).
//   The bytes live in a plain std::vector so that codecs can grow or shrink the frame
//   (push/pop VLAN, encapsulation) in place.
//
// Invariants
//   `id == 0` means "not yet assigned"; the Lab assigns ids. `tunnel.present` is false for
//   frames that did not arrive through a tunnel, and then the other tunnel fields are zero.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace nlab::engine {

/// Tunnel metadata of a decapsulated frame (OVS `struct flow_tnl`, reduced to what we model).
struct TunnelMetadata {
    std::uint64_t tunId = 0;  ///< GRE key or VXLAN VNI the frame arrived with.
    std::uint32_t src = 0;    ///< Outer IPv4 source, host order.
    std::uint32_t dst = 0;    ///< Outer IPv4 destination, host order.
    bool present = false;     ///< True when the frame came out of a tunnel.
    friend bool operator==(const TunnelMetadata&, const TunnelMetadata&) = default;
};

class Packet final {
public:
    using TunnelMetadata = ::nlab::engine::TunnelMetadata;

    /// Creates a packet owning 'bytes' (an Ethernet frame without FCS), with id 0 and no
    /// tunnel metadata.
    explicit Packet(std::vector<std::uint8_t> bytes);

    Packet(const Packet&) = delete;
    Packet& operator=(const Packet&) = delete;
    Packet(Packet&&) noexcept = default;
    Packet& operator=(Packet&&) noexcept = default;
    ~Packet() = default;

    /// Returns an independent copy: same bytes, same id, same tunnel metadata.
    Packet clone() const;

    /// The frame bytes, read-only. Invalidated by any change to `data()`.
    std::span<const std::uint8_t> bytes() const { return m_bytes; }
    /// The frame bytes, for stages that rewrite or resize the frame.
    std::vector<std::uint8_t>& data() { return m_bytes; }
    const std::vector<std::uint8_t>& data() const { return m_bytes; }
    /// Length of the frame in bytes.
    std::size_t size() const { return m_bytes.size(); }

    std::uint64_t id = 0;   ///< Engine-wide packet id; 0 = unassigned.
    TunnelMetadata tunnel;  ///< Set by the tunnel port that decapsulated the frame.

private:
    std::vector<std::uint8_t> m_bytes;
};

}  // namespace nlab::engine
