#pragma once
// DHCP (RFC 2131, RFC 2132) over the BOOTP message format (RFC 951).
//
// What
//   Parsing and building DHCP messages: the 236-byte BOOTP fixed header, the magic cookie,
//   and the options the lab's DHCP server and client exchange: message type (53), server
//   identifier (54), requested address (50), lease time (51), subnet mask (1), routers (3),
//   DNS servers (6), host name (12), client identifier (61), parameter request list (55),
//   plus pad (0) and end (255). Other options are kept raw and re-emitted unchanged.
//
// Design
//   Two levels. `parseDhcpOptions` walks a TLV region and yields non-owning views; it is the
//   bounded, allocation-light primitive the decoder and fuzzer use. `parseDhcp` builds an
//   owning `DhcpMessage` value: it follows option overload (52) into the file and sname
//   fields (RFC 2131 order: options, file, sname), concatenates repeated options (RFC 3396)
//   and checks the lengths of the options it interprets. `buildDhcp` writes the options in a
//   fixed order (53, 54, 50, 51, 1, 3, 6, 12, 61, 55, then raw options, then end) and pads the
//   message to the 300-byte BOOTP minimum, as dnsmasq and udhcpc do.
//
// Invariants
//   No parser reads past its span: a length byte or value running off the end is Truncated.

#include "engine/core/result.h"
#include "engine/packet/addresses.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nlab::engine {

inline constexpr std::size_t kBootpHeaderLength = 236;
inline constexpr std::size_t kDhcpOptionsOffset = 240;  ///< After the magic cookie.
inline constexpr std::size_t kBootpMinLength = 300;     ///< RFC 951 minimum message size.
inline constexpr std::uint32_t kDhcpMagicCookie = 0x63825363;
inline constexpr std::uint16_t kDhcpServerPort = 67;
inline constexpr std::uint16_t kDhcpClientPort = 68;
inline constexpr std::uint16_t kBootpBroadcastFlag = 0x8000;

namespace bootp_op {
inline constexpr std::uint8_t kRequest = 1;
inline constexpr std::uint8_t kReply = 2;
}  // namespace bootp_op

namespace dhcp_msg {
inline constexpr std::uint8_t kDiscover = 1;
inline constexpr std::uint8_t kOffer = 2;
inline constexpr std::uint8_t kRequest = 3;
inline constexpr std::uint8_t kDecline = 4;
inline constexpr std::uint8_t kAck = 5;
inline constexpr std::uint8_t kNak = 6;
inline constexpr std::uint8_t kRelease = 7;
inline constexpr std::uint8_t kInform = 8;
}  // namespace dhcp_msg

namespace dhcp_opt {
inline constexpr std::uint8_t kPad = 0;
inline constexpr std::uint8_t kSubnetMask = 1;
inline constexpr std::uint8_t kRouter = 3;
inline constexpr std::uint8_t kDnsServer = 6;
inline constexpr std::uint8_t kHostName = 12;
inline constexpr std::uint8_t kDomainName = 15;
inline constexpr std::uint8_t kInterfaceMtu = 26;
inline constexpr std::uint8_t kBroadcastAddress = 28;
inline constexpr std::uint8_t kRequestedIp = 50;
inline constexpr std::uint8_t kLeaseTime = 51;
inline constexpr std::uint8_t kOverload = 52;
inline constexpr std::uint8_t kMessageType = 53;
inline constexpr std::uint8_t kServerId = 54;
inline constexpr std::uint8_t kParamRequestList = 55;
inline constexpr std::uint8_t kMessage = 56;
inline constexpr std::uint8_t kMaxMessageSize = 57;
inline constexpr std::uint8_t kRenewalTime = 58;
inline constexpr std::uint8_t kRebindingTime = 59;
inline constexpr std::uint8_t kVendorClass = 60;
inline constexpr std::uint8_t kClientId = 61;
inline constexpr std::uint8_t kEnd = 255;
}  // namespace dhcp_opt

/// The fixed BOOTP header as it is on the wire.
struct BootpHeader {
    std::uint8_t op = 0;     ///< 1 BOOTREQUEST, 2 BOOTREPLY.
    std::uint8_t htype = 0;  ///< 1 Ethernet.
    std::uint8_t hlen = 0;   ///< 6 for Ethernet.
    std::uint8_t hops = 0;
    Be32 xid;
    Be16 secs;
    Be16 flags;  ///< Bit 15: broadcast.
    Be32 ciaddr;
    Be32 yiaddr;
    Be32 siaddr;
    Be32 giaddr;
    std::array<std::uint8_t, 16> chaddr{};
    std::array<std::uint8_t, 64> sname{};
    std::array<std::uint8_t, 128> file{};
};
static_assert(sizeof(BootpHeader) == kBootpHeaderLength &&
              std::is_trivially_copyable_v<BootpHeader>);

/// One option as found in a TLV region; 'data' points into the parsed buffer.
struct DhcpOptionView {
    std::uint8_t code = 0;
    std::span<const std::uint8_t> data;
};

/// Where an option region ended.
struct DhcpOptionScan {
    std::size_t consumed = 0;  ///< Bytes walked, including the end option when present.
    bool sawEnd = false;       ///< The region was terminated by option 255.
};

/// Walks the option region 'region' (pad and end have no length byte), appending each other
/// option to 'out' in order. Stops at end (255) or at the end of 'region'. Returns what was
/// walked; Truncated when a length byte or an option value runs past the end of 'region'
/// (the options before it are still appended).
Result<DhcpOptionScan> parseDhcpOptions(std::span<const std::uint8_t> region,
                                        std::vector<DhcpOptionView>& out);

/// A DHCP message in host form.
struct DhcpMessage {
    std::uint8_t op = bootp_op::kRequest;
    std::uint8_t htype = 1;
    std::uint8_t hlen = 6;
    std::uint8_t hops = 0;
    std::uint32_t xid = 0;
    std::uint16_t secs = 0;
    std::uint16_t flags = 0;  ///< kBootpBroadcastFlag or 0 (other bits must be zero).
    Ipv4Address ciaddr;       ///< Client's current address (RENEW/INFORM).
    Ipv4Address yiaddr;       ///< "Your" address offered or acknowledged.
    Ipv4Address siaddr;       ///< Next server (TFTP), usually 0.
    Ipv4Address giaddr;       ///< Relay agent.
    MacAddress chaddr;        ///< First 6 bytes of the client hardware address.
    std::string sname;        ///< Server host name (NUL-terminated on the wire), if not overloaded.
    std::string file;         ///< Boot file name, if not overloaded.

    std::optional<std::uint8_t> messageType;     ///< Option 53 (dhcp_msg values).
    std::optional<Ipv4Address> serverId;         ///< Option 54.
    std::optional<Ipv4Address> requestedIp;      ///< Option 50.
    std::optional<std::uint32_t> leaseTime;      ///< Option 51, seconds.
    std::optional<Ipv4Address> subnetMask;       ///< Option 1.
    std::vector<Ipv4Address> routers;            ///< Option 3 (empty = absent).
    std::vector<Ipv4Address> dnsServers;         ///< Option 6 (empty = absent).
    std::optional<std::string> hostName;         ///< Option 12.
    std::vector<std::uint8_t> clientId;          ///< Option 61 (empty = absent).
    std::vector<std::uint8_t> paramRequestList;  ///< Option 55 (empty = absent).
    std::vector<std::pair<std::uint8_t, std::vector<std::uint8_t>>> otherOptions;  ///< In order.

    bool broadcast() const { return (flags & kBootpBroadcastFlag) != 0; }
    friend bool operator==(const DhcpMessage&, const DhcpMessage&) = default;
};

/// Parses the DHCP message 'bytes' (a UDP payload). Errors:
///   Truncated  fewer than 240 bytes (header + cookie), or an option running off the end;
///   Malformed  wrong magic cookie, hlen > 16, or an interpreted option with a bad length
///              (e.g. "DHCP: option 54 (server identifier) length 3 != 4").
Result<DhcpMessage> parseDhcp(std::span<const std::uint8_t> bytes);

/// Builds the UDP payload for 'msg' (header, cookie, options, end, zero padding to 300).
/// Asserts that every option value fits in 255 bytes.
std::vector<std::uint8_t> buildDhcp(const DhcpMessage& msg);

/// "Discover", "Offer", "Request", "Decline", "ACK", "NAK", "Release", "Inform", or "".
std::string_view dhcpMessageTypeName(std::uint8_t type);

/// "subnet mask", "router", "message type", ... or "" for an option this file does not name.
std::string_view dhcpOptionName(std::uint8_t code);

}  // namespace nlab::engine
