#include "engine/services/ping.h"

#include "engine/codec/icmp.h"
#include "engine/netns/net_namespace.h"
#include "engine/packet/addresses.h"

#include <algorithm>
#include <climits>
#include <cstdio>

namespace nlab::engine {

namespace {

constexpr std::uint8_t kProtoIcmp = 1;

/// iputils' llsqrt: Newton's integer square root.
long integerSqrt(long long a) {
    long long prev = LLONG_MAX;
    long long x = a;
    if (x > 0) {
        while (x < prev) {
            prev = x;
            x = (x + (a / x)) / 2;
        }
    }
    return static_cast<long>(x);
}

/// pr_icmph's text for the errors ping reports.
std::string icmpErrorText(std::uint8_t type, std::uint8_t code, std::uint16_t word2) {
    if (type == icmp_type::kDestUnreachable) {
        switch (code) {
            case 0: return "Destination Net Unreachable";
            case 1: return "Destination Host Unreachable";
            case 2: return "Destination Protocol Unreachable";
            case 3: return "Destination Port Unreachable";
            case 4: return "Frag needed and DF set (mtu = " + std::to_string(word2) + ")";
            case 5: return "Source Route Failed";
            case 6: return "Destination Net Unknown";
            case 7: return "Destination Host Unknown";
            case 8: return "Source Host Isolated";
            case 9: return "Destination Net Prohibited";
            case 10: return "Destination Host Prohibited";
            case 11: return "Destination Net Unreachable for Type of Service";
            case 12: return "Destination Host Unreachable for Type of Service";
            case 13: return "Packet filtered";
            case 14: return "Precedence Violation";
            case 15: return "Precedence Cutoff";
            default: return "Dest Unreachable, Bad Code: " + std::to_string(code);
        }
    }
    if (type == icmp_type::kTimeExceeded) {
        switch (code) {
            case 0: return "Time to live exceeded";
            case 1: return "Frag reassembly time exceeded";
            default: return "Time exceeded, Bad Code: " + std::to_string(code);
        }
    }
    if (type == icmp_type::kParameterProblem) {
        return "Parameter problem: pointer = " + std::to_string(word2 >> 8);
    }
    return "Bad ICMP type: " + std::to_string(type);
}

std::uint16_t deriveIdentifier(std::string_view ns, std::uint32_t dst, SimTime now) {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
    auto mix = [&h](std::uint8_t b) {
        h ^= b;
        h *= 0x100000001b3ULL;
    };
    for (char c : ns) mix(static_cast<std::uint8_t>(c));
    for (int i = 0; i < 4; ++i) mix(static_cast<std::uint8_t>(dst >> (8 * i)));
    for (int i = 0; i < 8; ++i) mix(static_cast<std::uint8_t>(static_cast<std::uint64_t>(now) >> (8 * i)));
    const auto id = static_cast<std::uint16_t>(h ^ (h >> 16) ^ (h >> 32) ^ (h >> 48));
    return id == 0 ? 1 : id;
}

}  // namespace

Ping::Ping(NetNamespace& ns, PingOptions options, LineCallback onLine)
    : m_ns(ns), m_opt(std::move(options)), m_onLine(std::move(onLine)) {
    if (m_opt.hostname.empty()) m_opt.hostname = formatIpv4(m_opt.destination);
}

Ping::~Ping() {
    SimClock& clock = m_ns.clock();
    for (EventId id : {m_sendEvent, m_exitEvent, m_deadlineEvent})
        if (id) clock.cancel(id);
    if (m_listener) m_ns.removeIcmpListener(m_listener);
}

std::string Ping::formatRtt(long t) {
    char buf[48];
    if (t >= 100000 - 50) {
        std::snprintf(buf, sizeof buf, "%ld", (t + 500) / 1000);
    } else if (t >= 10000 - 5) {
        std::snprintf(buf, sizeof buf, "%ld.%01ld", (t + 50) / 1000, ((t + 50) % 1000) / 100);
    } else if (t >= 1000) {
        std::snprintf(buf, sizeof buf, "%ld.%02ld", (t + 5) / 1000, ((t + 5) % 1000) / 10);
    } else {
        std::snprintf(buf, sizeof buf, "%ld.%03ld", t / 1000, t % 1000);
    }
    return buf;
}

void Ping::print(std::string line) {
    if (m_onLine) m_onLine(line);
}

void Ping::start() {
    if (m_started) return;
    m_started = true;
    SimClock& clock = m_ns.clock();
    const std::string target = formatIpv4(m_opt.destination);
    bool strictSource = false;
    std::string deviceName;
    if (!m_opt.source.empty()) {
        if (auto a = Ipv4Address::parse(m_opt.source)) {
            if (!m_ns.isLocalAddress(a->toU32())) {
                print("ping: bind: Cannot assign requested address");
                m_result.exitCode = m_opt.flavor == PingFlavor::Busybox ? 1 : 2;
                m_result.finished = true;
                return;
            }
            m_source = a->toU32();
            strictSource = true;
        } else {
            m_oif = m_ns.device(m_opt.source);
            if (m_oif == nullptr) {
                print("ping: SO_BINDTODEVICE " + m_opt.source + ": No such device");
                m_result.exitCode = 2;
                m_result.finished = true;
                return;
            }
            deviceName = m_opt.source;
        }
    }
    const bool busybox = m_opt.flavor == PingFlavor::Busybox;
    if (busybox) {
        // busybox prints its header before the first send can fail.
        std::string header = "PING " + m_opt.hostname + " (" + target + ")";
        if (strictSource) header += " from " + formatIpv4(m_source);
        print(header + ": " + std::to_string(m_opt.size) + " data bytes");
        if (!m_ns.lookupRoute(m_opt.destination, m_oif)) {
            print("ping: sendto: Network is unreachable");
            m_result.exitCode = 1;
            m_result.finished = true;
            return;
        }
    } else if (!m_ns.lookupRoute(m_opt.destination, m_oif)) {
        print("ping: connect: Network is unreachable");
        m_result.exitCode = 2;
        m_result.finished = true;
        return;
    }
    if (!busybox) {
        const std::uint32_t shownSource =
            m_source ? m_source : m_ns.selectSource(m_opt.destination, m_oif);
        std::string header = "PING " + m_opt.hostname + " (" + target + ") ";
        if (m_oif != nullptr || strictSource) {
            header += "from " + formatIpv4(shownSource) + " " + deviceName + ": ";
        }
        header += std::to_string(m_opt.size) + "(" + std::to_string(m_opt.size + 8 + 20) +
                  ") bytes of data.";
        print(std::move(header));
    }

    m_ident = m_opt.identifier ? m_opt.identifier
                               : deriveIdentifier(m_ns.name(), m_opt.destination, clock.now());
    m_listener = m_ns.addIcmpListener([this](const IcmpReceived& r) { onIcmp(r); });
    m_start = clock.now();
    m_lastSend = m_start;
    if (m_opt.deadline > 0) {
        std::weak_ptr<int> token = m_alive;
        m_deadlineEvent = clock.schedule(m_opt.deadline, [this, token] {
            if (token.expired()) return;
            m_deadlineEvent = 0;
            finish();
        });
    }
    sendProbe();
}

void Ping::sendProbe() {
    m_sendEvent = 0;
    if (m_result.finished) return;
    if (m_opt.count && m_result.transmitted >= m_opt.count && m_opt.deadline == 0) return;
    SimClock& clock = m_ns.clock();
    // iputils numbers probes from 1, busybox from 0.
    const auto seq = static_cast<std::uint16_t>(
        m_opt.flavor == PingFlavor::Busybox ? m_result.transmitted : m_result.transmitted + 1);
    // rcvd_clear: the 16-bit sequence wraps, so its duplicate bit is reset on every send.
    if (m_seen.size() > seq) m_seen[seq] = false;
    const bool sent = m_ns.sendEchoRequest(m_opt.destination, m_ident, seq, m_opt.size, m_source,
                                           m_oif, m_opt.ttl);
    m_result.transmitted++;
    m_lastSend = clock.now();
    if (!sent) {
        // A hard local error: iputils pretends the packet was sent and reports it.
        if (auto rt = m_ns.lookupRoute(m_opt.destination, m_oif)) {
            const NetDevice* dev = m_ns.device(rt->device);
            const int mtu = dev ? dev->mtu() : 0;
            print("ping: local error: message too long, mtu=" + std::to_string(mtu));
            m_result.errors++;
        } else {
            print("ping: sendmsg: Network is unreachable");
        }
    }
    const bool more = m_opt.count == 0 || m_result.transmitted < m_opt.count || m_opt.deadline;
    if (more) {
        std::weak_ptr<int> token = m_alive;
        m_sendEvent = clock.schedule(m_opt.interval, [this, token] {
            if (!token.expired()) sendProbe();
        });
    } else {
        scheduleExit();
    }
    checkDone();
}

void Ping::scheduleExit() {
    if (m_exitScheduled) return;
    m_exitScheduled = true;
    // __schedule_exit: microseconds; interval counts in whole milliseconds as in iputils.
    long long waitUs;
    const long long intervalMs = m_opt.interval / kMillisecond;
    if (m_opt.flavor == PingFlavor::Busybox) {
        // sendping_tail: -W seconds without replies, else tmax / 2^19 seconds, at least 1.
        long long secs = m_opt.linger / kSecond;
        if (m_result.received) secs = std::max(1LL, static_cast<long long>(m_tmax) / (512 * 1024));
        waitUs = secs * 1000000;
    } else if (m_result.received) {
        waitUs = 2LL * m_tmax;
        if (waitUs < 1000 * intervalMs) waitUs = 1000 * intervalMs;
    } else {
        waitUs = (m_opt.linger / kMillisecond) * 1000;
    }
    std::weak_ptr<int> token = m_alive;
    m_exitEvent = m_ns.clock().schedule(waitUs * kMicrosecond, [this, token] {
        if (token.expired()) return;
        m_exitEvent = 0;
        finish();
    });
}

void Ping::acknowledge(std::uint16_t seq) {
    const auto diff = static_cast<std::uint16_t>(static_cast<std::uint16_t>(m_result.transmitted) - seq);
    if (diff <= 0x7fff) {
        if (int(diff) + 1 > m_pipesize) m_pipesize = int(diff) + 1;
        if (static_cast<std::int16_t>(seq - m_acked) > 0 ||
            static_cast<std::uint16_t>(static_cast<std::uint16_t>(m_result.transmitted) -
                                       m_acked) > 0x7fff)
            m_acked = seq;
    }
}

void Ping::onIcmp(const IcmpReceived& r) {
    if (m_result.finished) return;
    if (r.type == icmp_type::kEchoReply) {
        if (r.id != m_ident) return;
        const std::size_t cc = r.message.size();
        const std::uint16_t seq = r.seq;
        const bool timing = m_opt.size >= 16;
        long triptime = 0;
        m_result.received++;
        acknowledge(seq);
        if (timing && r.payload.size() >= 16) {
            std::uint64_t sec = 0, usec = 0;
            for (int i = 7; i >= 0; --i) {
                sec = (sec << 8) | r.payload[i];
                usec = (usec << 8) | r.payload[8 + i];
            }
            const SimTime now = m_ns.clock().now();
            const long long recvUs = now / kMicrosecond;
            triptime = static_cast<long>(recvUs - static_cast<long long>(sec * 1000000 + usec));
            if (triptime < 0) triptime = 0;
            m_tsum += triptime;
            m_tsum2 += double(static_cast<long long>(triptime) * triptime);
            m_tmin = std::min(m_tmin, triptime);
            m_tmax = std::max(m_tmax, triptime);
            m_result.rtts.push_back(triptime * kMicrosecond);
        }
        if (m_seen.size() <= seq) m_seen.resize(std::size_t(seq) + 1, false);
        bool dup = false;
        if (m_seen[seq]) {
            m_result.duplicates++;
            m_result.received--;
            dup = true;
        } else {
            m_seen[seq] = true;
        }
        if (m_opt.flavor == PingFlavor::Busybox) {
            char buf[128];
            std::snprintf(buf, sizeof buf, "%zu bytes from %s: seq=%u ttl=%u", cc,
                          formatIpv4(r.srcIp).c_str(), unsigned(seq), unsigned(r.ttl));
            std::string line = buf;
            if (timing) {
                std::snprintf(buf, sizeof buf, " time=%ld.%03ld ms", triptime / 1000,
                              triptime % 1000);
                line += buf;
            }
            if (dup) line += " (DUP!)";
            print(std::move(line));
            checkDone();
            return;
        }
        std::string line = std::to_string(cc) + " bytes from " + formatIpv4(r.srcIp) +
                           ": icmp_seq=" + std::to_string(seq) + " ttl=" + std::to_string(r.ttl);
        if (cc < m_opt.size + 8) {
            line += " (truncated)";
        } else {
            if (timing) line += " time=" + formatRtt(triptime) + " ms";
            if (dup) line += " (DUP!)";
            if (r.srcIp != m_opt.destination) line += " (DIFFERENT ADDRESS!)";
        }
        print(std::move(line));
        checkDone();
        return;
    }
    if (r.type != icmp_type::kDestUnreachable && r.type != icmp_type::kTimeExceeded &&
        r.type != icmp_type::kParameterProblem)
        return;
    // busybox compares the error's own id field (unused, 0) with its id: never reported.
    if (m_opt.flavor == PingFlavor::Busybox) return;
    IcmpMessage m;
    if (!parseIcmp(r.message, m).ok() || !m.hasQuote) return;
    if (m.quote.header.protocol != kProtoIcmp || m.quote.l4Bytes.size() < 8) return;
    if (m.quote.header.dst.value() != m_opt.destination) return;
    const auto& q = m.quote.l4Bytes;
    if (q[0] != icmp_type::kEchoRequest) return;
    const auto id = static_cast<std::uint16_t>((q[4] << 8) | q[5]);
    const auto seq = static_cast<std::uint16_t>((q[6] << 8) | q[7]);
    if (id != m_ident) return;
    acknowledge(seq);
    m_result.errors++;
    print("From " + formatIpv4(r.srcIp) + " icmp_seq=" + std::to_string(seq) + " " +
          icmpErrorText(r.type, r.code, m.header.word2.value()));
    checkDone();
}

void Ping::checkDone() {
    if (m_result.finished) return;
    if (m_opt.count && m_result.received + m_result.errors >= m_opt.count) {
        finish();
        return;
    }
    if (m_opt.deadline && m_result.errors) finish();
}

void Ping::stop() {
    if (m_started && !m_result.finished) finish();
}

void Ping::finish() {
    if (m_result.finished) return;
    SimClock& clock = m_ns.clock();
    for (EventId* id : {&m_sendEvent, &m_exitEvent, &m_deadlineEvent}) {
        if (*id) clock.cancel(*id);
        *id = 0;
    }
    if (m_listener) {
        m_ns.removeIcmpListener(m_listener);
        m_listener = 0;
    }
    m_result.time = m_lastSend - m_start;
    const long tx = m_result.transmitted, rx = m_result.received;

    print("");
    print("--- " + m_opt.hostname + " ping statistics ---");
    if (m_opt.flavor == PingFlavor::Busybox) {
        std::string stats = std::to_string(tx) + " packets transmitted, " + std::to_string(rx) +
                            " packets received, ";
        if (m_result.duplicates) stats += std::to_string(m_result.duplicates) + " duplicates, ";
        stats += std::to_string(tx ? (tx - rx) * 100 / tx : 0) + "% packet loss";
        print(std::move(stats));
        if (m_tmin != 0x7fffffffL) {
            const long tavg = static_cast<long>(m_tsum) / (rx + m_result.duplicates);
            char buf[128];
            std::snprintf(buf, sizeof buf, "round-trip min/avg/max = %ld.%03ld/%ld.%03ld/%ld.%03ld ms",
                          m_tmin / 1000, m_tmin % 1000, tavg / 1000, tavg % 1000, m_tmax / 1000,
                          m_tmax % 1000);
            print(buf);
        }
        m_result.exitCode = (!rx || (m_opt.deadline && m_opt.count && rx < m_opt.count)) ? 1 : 0;
        m_result.finished = true;
        if (m_onFinished) m_onFinished(m_result);
        return;
    }
    std::string stats = std::to_string(tx) + " packets transmitted, " + std::to_string(rx) +
                        " received";
    if (m_result.duplicates) stats += ", +" + std::to_string(m_result.duplicates) + " duplicates";
    if (m_result.errors) stats += ", +" + std::to_string(m_result.errors) + " errors";
    if (tx) {
        char buf[64];
        const float loss = static_cast<float>((static_cast<long long>(tx - rx) * 100.0) / tx);
        std::snprintf(buf, sizeof buf, ", %g%% packet loss", static_cast<double>(loss));
        stats += buf;
        const long long ms = (m_result.time + 500 * kMicrosecond) / kMillisecond;
        stats += ", time " + std::to_string(ms) + "ms";
    }
    print(std::move(stats));

    std::string last;
    std::string comma;
    if (rx && m_opt.size >= 16) {
        const long total = rx + m_result.duplicates;
        const long tmavg = static_cast<long>(m_tsum / total);
        long long tmvar;
        if (m_tsum < INT_MAX)
            tmvar = static_cast<long long>((m_tsum2 - ((m_tsum * m_tsum) / total)) / total);
        else
            tmvar = static_cast<long long>((m_tsum2 / total) - double(tmavg) * double(tmavg));
        const long tmdev = integerSqrt(tmvar);
        char buf[160];
        std::snprintf(buf, sizeof buf, "rtt min/avg/max/mdev = %ld.%03ld/%lu.%03ld/%ld.%03ld/%ld.%03ld ms",
                      m_tmin / 1000, m_tmin % 1000, static_cast<unsigned long>(tmavg / 1000),
                      tmavg % 1000, m_tmax / 1000, m_tmax % 1000, tmdev / 1000, tmdev % 1000);
        last = buf;
        comma = ", ";
    }
    if (m_pipesize > 1) last += comma + "pipe " + std::to_string(m_pipesize);
    print(std::move(last));

    m_result.exitCode =
        (!rx || (m_opt.deadline && m_opt.count && rx < m_opt.count)) ? 1 : 0;
    m_result.finished = true;
    if (m_onFinished) m_onFinished(m_result);
}

PingResult Ping::run(NetNamespace& ns, PingOptions options, std::vector<std::string>* lines) {
    Ping ping(ns, std::move(options), [lines](std::string_view l) {
        if (lines) lines->emplace_back(l);
    });
    ping.start();
    SimClock& clock = ns.clock();
    while (!ping.finished()) {
        const SimTime next = clock.nextEventTime();
        if (next < 0) break;
        clock.runUntil(next);
    }
    return ping.result();
}

}  // namespace nlab::engine
