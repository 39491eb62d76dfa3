#pragma once
// Ping: iputils `ping` (IPv4) running in a NetNamespace on the virtual clock.
//
// What
//   The emulated VMs and namespaces ping as iputils 20221126 does, and print what it prints:
//     PING 10.10.10.7 (10.10.10.7) 56(84) bytes of data.
//     64 bytes from 10.10.10.7: icmp_seq=1 ttl=64 time=1.05 ms
//     From 10.10.10.1 icmp_seq=2 Destination Host Unreachable
//
//     --- 10.10.10.7 ping statistics ---
//     3 packets transmitted, 2 received, +1 errors, 33.3333% packet loss, time 2000ms
//     rtt min/avg/max/mdev = 1.050/1.050/1.050/0.000 ms
//   Options: count (-c), interval (-i), source address or device (-I), data size (-s),
//   linger time (-W), deadline (-w), TTL (-t).
//
// Design
//   A state machine on the SimClock mirroring ping_common.c: a probe every 'interval'
//   (the first at start()), replies matched by identifier and sequence, RTT taken from the
//   timeval the request carries in its first 16 data bytes (so it is the wire round trip,
//   in microseconds, as iputils measures it), ICMP errors quoting our echo request counted
//   as errors ("From ... icmp_seq=N Destination Host Unreachable"). After the last probe
//   the run ends when every probe is answered, or after the linger time (no reply yet:
//   -W, default 10 s) or max(2 * max RTT, interval) (some replies), or at the deadline.
//   The statistics use iputils' integer arithmetic (time = last send - start, rounded to
//   ms; mdev by integer square root), so the text is exactly iputils'.
//   Output lines go to a callback as they are printed; the result struct holds the counts.
//
// Invariants
//   Uses only virtual time. After finish() no event of this Ping remains scheduled and it
//   no longer listens; destroying a running Ping is safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/sim_clock.h"

namespace nlab::engine {

class NetNamespace;
class NetDevice;
struct IcmpReceived;

/// Whose ping prints: iputils (hosts) or busybox 1.20 (CirrOS guests: "PING a (a): 56 data
/// bytes", "64 bytes from a: seq=0 ttl=64 time=1.234 ms", "N packets transmitted, M packets
/// received, L% packet loss", "round-trip min/avg/max = ..."; sequence numbers from 0; ICMP
/// errors are not reported (busybox matches them by the echo id they do not carry); after the
/// last probe of -c N it waits -W seconds without replies, else about 2 RTT, at least 1 s).
enum class PingFlavor : std::uint8_t { Iputils, Busybox };

struct PingOptions {
    std::uint32_t destination = 0;    ///< Host order.
    std::string hostname;             ///< Printed name; "" prints the dotted address.
    int count = 0;                    ///< -c; 0: until the deadline or stop().
    SimDuration interval = kSecond;   ///< -i.
    std::string source;               ///< -I: an address of the namespace or a device name.
    std::size_t size = 56;            ///< -s: ICMP data bytes.
    SimDuration linger = 10 * kSecond;  ///< -W: time to wait for a response.
    SimDuration deadline = 0;         ///< -w; 0: none.
    std::uint8_t ttl = 0;             ///< -t; 0: 64.
    std::uint16_t identifier = 0;     ///< ICMP id; 0: derived deterministically.
    PingFlavor flavor = PingFlavor::Iputils;  ///< Output and timing rules.
};

struct PingResult {
    long transmitted = 0;
    long received = 0;
    long errors = 0;
    long duplicates = 0;
    std::vector<SimDuration> rtts;  ///< Round-trip times of replies, in receive order (us precision).
    SimDuration time = 0;           ///< Last send - start (the "time" of the statistics).
    int exitCode = 0;               ///< 0: some reply, 1: none (or deadline short), 2: error.
    bool finished = false;
};

class Ping {
public:
    using LineCallback = std::function<void(std::string_view line)>;

    /// Prepares a ping from namespace 'ns' with 'options'; lines printed go to 'onLine'
    /// (may be empty). Nothing is sent before start().
    Ping(NetNamespace& ns, PingOptions options, LineCallback onLine);
    ~Ping();
    Ping(const Ping&) = delete;
    Ping& operator=(const Ping&) = delete;

    /// Prints the header and sends the first probe now. On a setup error (no route, unknown
    /// source) prints iputils' message and finishes with exit code 2.
    void start();
    /// Interrupts the run (Ctrl-C): prints the statistics now.
    void stop();
    bool finished() const { return m_result.finished; }
    const PingResult& result() const { return m_result; }
    /// Called once when the run ends, after the statistics are printed.
    void setOnFinished(std::function<void(const PingResult&)> cb) { m_onFinished = std::move(cb); }

    /// Runs a ping to completion on the namespace's clock (advancing it), collecting the
    /// lines into 'lines' when not null. The clock runs until the ping finishes.
    static PingResult run(NetNamespace& ns, PingOptions options,
                          std::vector<std::string>* lines = nullptr);

    /// iputils' rendering of a round-trip time in microseconds: "0.045", "1.05", "12.3",
    /// "123".
    static std::string formatRtt(long microseconds);

private:
    void print(std::string line);
    void sendProbe();
    void onIcmp(const IcmpReceived& msg);
    void acknowledge(std::uint16_t seq);
    void scheduleExit();
    void checkDone();
    void finish();

    NetNamespace& m_ns;
    PingOptions m_opt;
    LineCallback m_onLine;
    std::function<void(const PingResult&)> m_onFinished;
    PingResult m_result;
    const NetDevice* m_oif = nullptr;
    std::uint32_t m_source = 0;  ///< Fixed source (-I address), else 0.
    std::uint16_t m_ident = 0;
    SimTime m_start = 0;
    SimTime m_lastSend = 0;
    long m_tmin = 0x7fffffffL, m_tmax = 0;
    double m_tsum = 0, m_tsum2 = 0;
    int m_pipesize = -1;
    std::uint16_t m_acked = 0;
    std::vector<bool> m_seen;   ///< Replies seen by sequence (duplicate detection).
    std::uint64_t m_listener = 0;
    EventId m_sendEvent = 0, m_exitEvent = 0, m_deadlineEvent = 0;
    bool m_exitScheduled = false;
    bool m_started = false;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

}  // namespace nlab::engine
