#pragma once
// tcpdump in the emulated shell: what the OVS commands and tcpdump share.
//
// What
//   `tcpdump -i IF [-w FILE] [-c N] [-n] [-e] [-v] [EXPRESSION]` on a device of the shell
//   context's namespace, printing frames as tcpdump 4.5.1 (Ubuntu 14.04) does, with virtual
//   time stamps, or writing them to a pcap file through PcapWriter.
//
// Design
//   A capture is a tap on the device (NetDevice::addTap) removed when the capture ends.
//   In the foreground the command runs the lab's clock itself: until N frames are captured
//   with -c N, and for at most 60 s of virtual time (without -c that is the whole capture,
//   which then ends as after Ctrl-C). With a trailing '&' it becomes a Job of the Shell that
//   captures while other commands run the clock.
//   The printer follows print-ether.c, print-ip.c, print-arp.c, print-icmp.c, print-udp.c,
//   print-bootp.c and print-gre.c of tcpdump 4.5.1 for the protocols the lab carries.
//   Simplifications: names are never resolved (addresses always print as numbers, as with
//   -n; without -n well-known UDP/TCP ports print by service name as tcpdump does), -v
//   affects the IPv4 and ARP headers only, TCP prints flags, absolute sequence numbers,
//   window and length without options, and the filter language is a conjunction ("and") of
//   the primitives ip, arp, icmp, udp, tcp, gre, vlan [ID], host A, src|dst host A, port N,
//   src|dst port N, ether host M.
//
// Invariants
//   formatTcpdumpFrame() never reads outside the frame and never throws.

#include "engine/core/sim_clock.h"

#include <cstdint>
#include <span>
#include <string>

namespace nlab::engine {

class Shell;

/// Printing options of tcpdump.
struct TcpdumpFormat {
    bool numeric = false;     ///< -n: ports as numbers too.
    bool linkHeader = false;  ///< -e: Ethernet (and 802.1Q) headers.
    int verbose = 0;          ///< -v count.
};

/// The text tcpdump prints for 'frame' after the time stamp and a space, without the
/// newline, e.g. "IP 10.10.10.7 > 10.10.10.1: ICMP echo request, id 1, seq 1, length 64".
std::string formatTcpdumpFrame(std::span<const std::uint8_t> frame, const TcpdumpFormat& format);

/// A time stamp as tcpdump prints it by default: the time of day of virtual time 't' in the
/// captures' epoch (UTC), "HH:MM:SS.uuuuuu".
std::string formatTcpdumpTime(SimTime t);

/// Registers `tcpdump` (host and namespace contexts) in 'shell'.
void registerTcpdumpCommand(Shell& shell);

}  // namespace nlab::engine
