#pragma once
// decodeFrame / summarizeFrame: human-readable dissection of an Ethernet frame.
//
// What
//   `decodeFrame` splits a frame into layers (Ethernet, 802.1Q/802.1ad, LLC/SNAP, ARP, IPv4,
//   ICMP, UDP, TCP, DHCP on UDP 67/68, GRE, VXLAN on UDP 4789, the inner Ethernet frame of
//   GRE 0x6558 and VXLAN, inner IPv4 of GRE 0x0800, Data, Padding), each with its byte range
//   and a list of (field, value) pairs worded like Wireshark's packet-detail pane. It drives
//   the packet-detail pane and the headless tools. `summarizeFrame` gives the one-line,
//   tcpdump-like description used in event lists and console captures.
//
// Design
//   Both walk the frame with the codec parsers of engine/codec, so the error text a layer
//   shows is the parser's own ("IPv4: total length 84 > 40 bytes available"). A layer whose
//   fixed header is present but whose parse fails still shows its header fields, carries the
//   error, and ends the walk. Checksums are verified and shown as "[correct]" or
//   "[incorrect, should be 0x....]" in the field value; a bad checksum is not a parse error.
//   Encapsulation is followed to a depth of 4 inner frames.
//
// Invariants
//   Never throws (beyond std::bad_alloc), never reads outside the span, deterministic.
//   Layers are in wire order; offsets are absolute (from the start of the outer frame);
//   offset + length never exceeds the frame size.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nlab::engine {

/// One (field name, display value) pair of a decoded layer.
struct DecodedField {
    std::string name;   ///< "Source", "Time to live", "Option 53 (message type)".
    std::string value;  ///< "10.10.10.7", "64", "Discover (1)".
    friend bool operator==(const DecodedField&, const DecodedField&) = default;
};

/// One protocol layer of a frame.
struct DecodedLayer {
    std::string name;        ///< "Ethernet", "802.1Q", "IPv4", "ICMP", "DHCP", "Data", ...
    std::size_t offset = 0;  ///< First byte of the layer in the frame.
    std::size_t length = 0;  ///< Header length (whole message for ARP, DHCP, Data, Padding).
    int depth = 0;           ///< 0 for the outer frame, +1 per encapsulation.
    std::vector<DecodedField> fields;
    std::string error;  ///< Why decoding stopped at this layer; empty when it did not.

    /// The value of the first field called 'name', or "" when there is none.
    std::string_view field(std::string_view name) const;
};

/// The dissection of a frame.
struct DecodedFrame {
    std::vector<DecodedLayer> layers;  ///< Outermost first.

    /// True when no layer carries an error.
    bool ok() const;
    /// The first layer named 'name', or nullptr.
    const DecodedLayer* find(std::string_view name) const;
};

/// Dissects 'frame' (an Ethernet frame without FCS). Never fails: a truncated or malformed
/// frame yields the layers decoded so far, the last one carrying the error.
DecodedFrame decodeFrame(std::span<const std::uint8_t> frame);

/// One line describing 'frame', tcpdump style, e.g.
///   "fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, 10.10.10.7 > 10.10.10.1: ICMP echo request,
///    id 1, seq 1, length 64"
///   "ARP, Request who-has 10.10.10.1 tell 10.10.10.7"
///   "..., 10.10.100.140 > 10.10.100.139: GRE key=0x1, length 102: <inner frame summary>"
/// A problem is appended in brackets: "... [IPv4: header length 3 words < 5]".
std::string summarizeFrame(std::span<const std::uint8_t> frame);

}  // namespace nlab::engine
