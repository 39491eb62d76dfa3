#pragma once
// ofctl_parse: reads the ovs-ofctl flow language into Match, ActionList and FlowMod.
//
// What
//   The parsing half of the ovs-ofctl flow language (ofctl_format.h prints it back):
//   add-flow / mod-flows / del-flows arguments, add-flows files, matches and action lists,
//   including learn(...) with the full lib/learn.c grammar. Errors throw ParseError with
//   the message ovs-ofctl would print (e.g. "unknown keyword fooo", "10.0.0.300: invalid
//   IP address"), the offending word, and for files "FILE:LINE: " and the line number.
//
// Design
//   The grammar and its quirks follow OVS 3.1 (checked against `ovs-ofctl parse-flows` and
//   `add-flows`): a line is a sequence of key[=|:value] or key(value) items separated by
//   commas or white space; "actions=" (anything from the first "action" on) comes last;
//   integers are decimal, 0x-hex or 0-octal (strtoull), masks follow '/', "*" wildcards.
//   Things OVS does that we do too, deliberately:
//     - Match fields whose prerequisites are not met are dropped, not rejected: OVS 3.1
//       accepts "nw_src=10.0.0.1,actions=drop" and installs a catch-all flow, logging
//       "normalization changed ofp_match". parseMatch/parseFlowMod apply the same
//       normalization (lib/ofp-match.c ofputil_normalize_match) and report it through the
//       optional 'warnings' list. E.g. tp_src needs tcp/udp (or icmp), nw_tos needs ip.
//     - Values too wide for their field's bytes are errors ("70000: value too large for
//       2-byte field tcp_src"), but values inside the bytes are masked to the field's bits
//       as OVS's match setters do: dl_vlan=4096 matches VLAN 0, nw_tos=3 is nw_tos=0,
//       dl_vlan_pcp=8 is 0. (set_field checks instead: "5 is not a valid value for field
//       nw_tos".)
//     - Action checks of ofpacts_check(): output to NONE or to 0xff00..0xfff7 and set_field/
//       load/move/output/learn on fields whose prerequisites the flow's match does not
//       guarantee fail with "actions are invalid with specified match (OFPBAC_...)".
//     - note:HEX is padded with zero bytes to the length OVS stores (the NX action is padded
//       to a multiple of 8 bytes), so dumps show what real OVS shows.
//     - A partially masked ICMP type/code becomes the exact low byte of its value, as OVS
//       installs it over NXM ("icmp,tp_src=0x50/0xfff0" is "icmp,icmp_type=80").
//   Deliberate deviations, all stricter or clearer: an IPv4 octet above 255 is an error
//   (OVS wraps 10.0.0.300 to 10.0.0.44); MAC octets have at most two hex digits; numbers
//   must not be followed by junk (OVS reads "load:5junk->reg0" as 5); learn's numeric
//   arguments must be numbers (OVS uses atoi); a subfield whose bits lie outside its field
//   is reported as such ("NXM_OF_VLAN_TCI[0..16]: ending bit 16 is not valid ...") where
//   OVS says "output to unknown port" or "unknown keyword". Fields and actions OVS knows
//   but the engine does not model fail with "X: field not supported" / "X: action not
//   supported" (nw_frag, ipv6_src, ct, enqueue, mod_tp_src, ...).
//   Not modelled: which OpenFlow version ovs-ofctl would pick. A few impossible matches
//   print differently when OVS would fall back to OpenFlow 1.0 (e.g. an exact vlan_tci
//   without the 0x1000 "present" bit, which OpenFlow 1.0 turns into "untagged").
//   Port names resolve through a PortResolver; numbers and the reserved names IN_PORT,
//   TABLE, NORMAL, FLOOD, ALL, CONTROLLER, LOCAL, ANY/NONE (any case) always work.
//
// Invariants
//   Every Match returned is normalized (Match::normalize) and satisfies OVS's
//   normalization; formatMatch/formatActions of anything returned parse back to an equal
//   value.

#include "engine/core/result.h"
#include "engine/flow/action.h"
#include "engine/flow/flow_table.h"
#include "engine/flow/match.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nlab::engine {

/// Resolves a port name ("patch-int", "gre-1") to its OpenFlow number; nullopt if unknown.
/// Called only for words that are neither numbers nor reserved port names.
using PortResolver = std::function<std::optional<std::uint32_t>(std::string_view)>;

/// Non-fatal notes from parsing, in the words OVS logs them, e.g. "normalization changed
/// ofp_match, details: pre: nw_src=10.0.0.1 post: ".
using ParseWarnings = std::vector<std::string>;

/// Parses a match such as "tcp,nw_src=10.0.0.0/24,tp_dst=80": protocol shorthands (ip,
/// arp, rarp, icmp, tcp, udp, sctp, ipv6, ...), every field of the flow-key registry by its
/// ofctl, NXM/OXM or alternative name, dl_vlan/dl_vlan_pcp/vlan_vid/vlan_pcp/nw_ecn, and
/// subfield matches ("reg0[0..3]=5"). Only match syntax is accepted (no priority= or
/// actions=). Throws ParseError (line 0) on bad text; appends normalization notes to
/// '*warnings' when non-null.
Match parseMatch(std::string_view text, const PortResolver& ports = {},
                 ParseWarnings* warnings = nullptr);

/// Parses an action list such as "strip_vlan,set_tunnel:0x1,output:2" (the part after
/// "actions="). An empty text or "drop" gives an empty list. Checks everything that does
/// not depend on a flow's match (output ports, drop alone, goto_table last, widths);
/// prerequisite checks against a match happen in parseFlowMod(). Throws ParseError.
ActionList parseActions(std::string_view text, const PortResolver& ports = {});

/// Parses one ovs-ofctl add-flow / mod-flows / del-flows argument for command 'cmd', as
/// OVS's parse_ofp_str() does. Keywords: table=, priority= (not for loose delete),
/// cookie=V (add/modify) or cookie=V/MASK (modify/delete), idle_timeout=, hard_timeout=,
/// send_flow_rem, check_overlap, reset_counts (add/modify), out_port= (delete), importance=
/// (add, ignored), the dump-flows statistics words (duration=, n_packets=, ... ignored, so
/// dump output can be fed back), match fields, and actions=... last (add/modify only,
/// required there). Without table=, add targets table 0 and modify/delete all tables
/// (FlowMod::kAllTables); an empty del-flows line deletes everything. The result is the
/// flow-mod as an OVS switch receives it over OpenFlow 1.0/NXM: an add always has
/// spec.resetCounts (OpenFlow 1.0 adds reset counters), and a modify without any cookie=
/// has modifyCookie with cookie 0 (ovs-ofctl sends new_cookie 0).
/// Throws ParseError (line 0) naming the offending word.
FlowMod parseFlowMod(std::string_view line, FlowMod::Command cmd, const PortResolver& ports = {},
                     ParseWarnings* warnings = nullptr);

/// Parses an `ovs-ofctl add-flows` file: one flow per line, '#' starts a comment, blank
/// lines are skipped, and a line may begin with add, modify, delete, modify_strict or
/// delete_strict (or any prefix of them, as OVS accepts) to choose its command; the
/// default is add. Throws ParseError whose message starts with "FILENAME:LINE: " and whose
/// line() is the 1-based line number. Warnings are prefixed the same way.
std::vector<FlowMod> parseFlowFile(std::string_view text, std::string_view fileName,
                                   const PortResolver& ports = {},
                                   ParseWarnings* warnings = nullptr);

/// Parses a port as ovs-ofctl does: a decimal number (OpenFlow 1.1 numbers 0xffffff00 and
/// up map to the 16-bit reserved range), a reserved name in any case (IN_PORT, TABLE,
/// NORMAL, FLOOD, ALL, CONTROLLER, LOCAL, ANY, NONE), or a name 'ports' resolves (optionally
/// in double quotes). Returns nullopt if it is none of those.
std::optional<std::uint32_t> parsePort(std::string_view text, const PortResolver& ports = {});

/// Parses a subfield "NAME[]", "NAME[N]", "NAME[A..B]" or a bare field name (whole field),
/// where NAME is any name findField() knows. Throws ParseError with OVS's messages
/// ("NXM_OF_VLAN_TCI[0..16]: ending bit 16 is not valid because field is only 16 bits
/// wide").
Subfield parseSubfield(std::string_view text);

}  // namespace nlab::engine
