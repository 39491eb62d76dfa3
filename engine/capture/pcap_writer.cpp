#include "engine/capture/pcap_writer.h"

#include "engine/packet/packet.h"

#include <pcap/pcap.h>

#include <algorithm>

namespace nlab::engine {

std::string_view toString(CaptureDirection direction) {
    switch (direction) {
        case CaptureDirection::In:
            return "in";
        case CaptureDirection::Out:
            return "out";
        case CaptureDirection::InOut:
            return "inout";
    }
    return "unknown";
}

/// The libpcap objects, closed in reverse order of opening.
struct PcapWriter::PcapHandles {
    pcap_t* pcap = nullptr;
    pcap_dumper_t* dumper = nullptr;
    ~PcapHandles() {
        if (dumper != nullptr)
            pcap_dump_close(dumper);
        if (pcap != nullptr)
            pcap_close(pcap);
    }
};

Result<std::unique_ptr<PcapWriter>> PcapWriter::open(const std::string& path, const SimClock& clock,
                                                     PcapOptions options) {
    if (options.snapLength <= 0)
        return Result<std::unique_ptr<PcapWriter>>::fail(
            ErrorCode::InvalidArgument,
            "cannot open capture file " + path + ": snap length must be positive");
    auto handles = std::make_unique<PcapHandles>();
    handles->pcap = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, options.snapLength,
                                                         options.precision == PcapPrecision::Nano
                                                             ? PCAP_TSTAMP_PRECISION_NANO
                                                             : PCAP_TSTAMP_PRECISION_MICRO);
    if (handles->pcap == nullptr)
        return Result<std::unique_ptr<PcapWriter>>::fail(
            ErrorCode::InvalidArgument, "cannot open capture file " + path + ": pcap_open_dead");
    handles->dumper = pcap_dump_open(handles->pcap, path.c_str());
    if (handles->dumper == nullptr)
        return Result<std::unique_ptr<PcapWriter>>::fail(
            ErrorCode::InvalidArgument,
            "cannot open capture file " + path + ": " + pcap_geterr(handles->pcap));
    return std::unique_ptr<PcapWriter>(new PcapWriter(path, clock, options, std::move(handles)));
}

PcapWriter::PcapWriter(std::string path, const SimClock& clock, PcapOptions options,
                       std::unique_ptr<PcapHandles> handles)
    : m_path(std::move(path)), m_clock(clock), m_options(options), m_handles(std::move(handles)) {}

PcapWriter::~PcapWriter() {
    for (const Attachment& a : m_attachments)
        if (!a.alive.expired())
            a.device->removeTap(a.tap);
}

Status PcapWriter::attach(NetDevice& device, CaptureDirection direction) {
    for (const Attachment& a : m_attachments)
        if (a.device == &device && !a.alive.expired())
            return Status::fail(ErrorCode::AlreadyExists,
                                "capture " + m_path + " already records " + device.name());
    std::erase_if(m_attachments, [](const Attachment& a) { return a.alive.expired(); });
    const bool in = direction != CaptureDirection::Out;
    const bool out = direction != CaptureDirection::In;
    const NetDevice::TapId tap =
        device.addTap([this, in, out](const NetDevice&, Direction dir, const Packet& packet) {
            if (dir == Direction::Rx ? in : out)
                write(packet);
        });
    m_attachments.push_back(Attachment{&device, device.lifetime(), tap});
    return {};
}

Status PcapWriter::detach(NetDevice& device) {
    auto it = std::find_if(m_attachments.begin(), m_attachments.end(), [&](const Attachment& a) {
        return a.device == &device && !a.alive.expired();
    });
    if (it == m_attachments.end())
        return Status::fail(ErrorCode::NotFound,
                            "capture " + m_path + " does not record " + device.name());
    device.removeTap(it->tap);
    m_attachments.erase(it);
    return {};
}

bool PcapWriter::write(const Packet& packet) {
    if (limitReached())
        return false;
    const SimTime now = m_clock.now();
    const std::int64_t sub = now % kSecond;
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<time_t>(kPcapEpochUnixSeconds + now / kSecond);
    header.ts.tv_usec = static_cast<suseconds_t>(
        m_options.precision == PcapPrecision::Nano ? sub : sub / kMicrosecond);
    header.len = static_cast<bpf_u_int32>(packet.size());
    header.caplen = static_cast<bpf_u_int32>(
        std::min<std::size_t>(packet.size(), static_cast<std::size_t>(m_options.snapLength)));
    pcap_dump(reinterpret_cast<u_char*>(m_handles->dumper), &header,  // libpcap's own API type
              packet.bytes().data());
    m_written++;
    return true;
}

void PcapWriter::flush() {
    pcap_dump_flush(m_handles->dumper);
}

}  // namespace nlab::engine
