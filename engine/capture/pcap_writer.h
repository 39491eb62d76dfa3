#pragma once
// PcapWriter: packet capture into a pcap file, like `tcpdump -i DEV -Q DIR -c N -w FILE`.
//
// What
//   A writer owns one pcap file (Ethernet link type, snap length 65535) and records the
//   frames that one or more NetDevices send and/or receive, with timestamps taken from the
//   lab's SimClock. Several writers may observe the same device, and one writer may observe
//   several devices (the frames are interleaved in the order they happen).
//
// Design (after ns-3's PcapHelper over TracedCallbacks)
//   The writer subscribes to a device through NetDevice::addTap, so device code never
//   mentions pcap; this file is the only one in the engine that calls libpcap
//   (pcap_open_dead + pcap_dump_open / pcap_dump / pcap_dump_close), wrapped in RAII.
//   Virtual time t (ns since the lab started) is written as kPcapEpochUnixSeconds + t, so
//   captures carry plausible, fixed dates: the epoch is 2014-06-01T00:00:00Z, the Icehouse
//   era the seed lab reproduces. Time stamps have microsecond resolution (classic pcap,
//   truncated) or nanosecond resolution (the nanosecond pcap format) on request.
//   Taps hold the writer by pointer and the writer holds each device through its lifetime()
//   token: destroying the writer removes its taps from the devices still alive; destroying a
//   device first is harmless.
//
// Invariants
//   The file is a valid pcap file from open() to destruction (flushed by flush() and on
//   close). No more than 'maxPackets' frames are written when a limit is set.

#include "engine/core/result.h"
#include "engine/core/sim_clock.h"
#include "engine/net/net_device.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nlab::engine {

class Packet;

/// Unix time of virtual time 0 in every capture: 2014-06-01T00:00:00Z.
inline constexpr std::int64_t kPcapEpochUnixSeconds = 1401580800;

/// Which frames of a device to record (`tcpdump -Q in|out|inout`).
enum class CaptureDirection : std::uint8_t { In, Out, InOut };
std::string_view toString(CaptureDirection direction);

/// Time stamp resolution of the file.
enum class PcapPrecision : std::uint8_t { Micro, Nano };

struct PcapOptions {
    std::uint64_t maxPackets = 0;  ///< `-c N`: stop after N frames; 0 = no limit.
    int snapLength = 65535;        ///< Bytes kept per frame (> 0).
    PcapPrecision precision = PcapPrecision::Micro;
};

class PcapWriter {
public:
    /// Creates (truncates) the pcap file at 'path'. 'clock' (not owned) must outlive the
    /// writer. Returns InvalidArgument with the path and libpcap's reason when the file
    /// cannot be opened, or when options.snapLength is not positive.
    static Result<std::unique_ptr<PcapWriter>> open(const std::string& path, const SimClock& clock,
                                                    PcapOptions options = {});
    /// Removes the taps from the devices still alive and closes the file.
    ~PcapWriter();
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    /// Starts recording the frames 'device' receives (In), sends (Out) or both. A device may
    /// be attached once per writer; returns AlreadyExists otherwise.
    Status attach(NetDevice& device, CaptureDirection direction = CaptureDirection::InOut);
    /// Stops recording 'device'. Returns NotFound when it is not attached.
    Status detach(NetDevice& device);

    /// Writes 'packet' stamped with the current virtual time, unless the limit is reached.
    /// Returns whether it was written.
    bool write(const Packet& packet);

    /// Flushes buffered frames to the file (so it can be read while the lab runs).
    void flush();

    const std::string& path() const { return m_path; }
    /// Frames written so far.
    std::uint64_t packetsWritten() const { return m_written; }
    /// True once maxPackets frames were written (further frames are ignored).
    bool limitReached() const {
        return m_options.maxPackets != 0 && m_written >= m_options.maxPackets;
    }

private:
    struct PcapHandles;
    struct Attachment {
        NetDevice* device = nullptr;
        std::weak_ptr<void> alive;
        NetDevice::TapId tap = 0;
    };
    PcapWriter(std::string path, const SimClock& clock, PcapOptions options,
               std::unique_ptr<PcapHandles> handles);

    std::string m_path;
    const SimClock& m_clock;
    PcapOptions m_options;
    std::unique_ptr<PcapHandles> m_handles;
    std::vector<Attachment> m_attachments;
    std::uint64_t m_written = 0;
};

}  // namespace nlab::engine
