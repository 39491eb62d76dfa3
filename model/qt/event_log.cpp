#include "model/qt/event_log.h"

#include "engine/codec/frame_decode.h"
#include "engine/flow/flow_table.h"
#include "engine/flow/ofctl_format.h"
#include "engine/packet/packet.h"

#include <QTimer>

#include <algorithm>
#include <type_traits>

namespace nlab::model {

namespace {

// Bound of the device -> protocol memory (one entry per node and bridge that saw a frame);
// it is simply cleared when full.
constexpr std::size_t kMaxDeviceProtocols = 65536;

std::uint16_t readBe16(const std::vector<std::uint8_t>& b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

std::string flowText(const engine::FlowEntry& entry, engine::SimTime now) {
    engine::FormatOptions options;
    options.noStats = true;
    return engine::formatFlowStats(entry, now, options);
}

}  // namespace

const char* eventKindName(EventKind kind) {
    switch (kind) {
        case EventKind::FrameReceived:
            return "FrameReceived";
        case EventKind::FrameSent:
            return "FrameSent";
        case EventKind::FrameDropped:
            return "FrameDropped";
        case EventKind::FlowHit:
            return "FlowHit";
        case EventKind::FlowAdded:
            return "FlowAdded";
        case EventKind::FlowRemoved:
            return "FlowRemoved";
        case EventKind::MacLearned:
            return "MacLearned";
        case EventKind::MacAged:
            return "MacAged";
    }
    return "?";
}

const char* frameProtocolName(FrameProtocol protocol) {
    switch (protocol) {
        case FrameProtocol::Arp:
            return "ARP";
        case FrameProtocol::Icmp:
            return "ICMP";
        case FrameProtocol::Dhcp:
            return "DHCP";
        case FrameProtocol::Gre:
            return "GRE";
        case FrameProtocol::Other:
            return "other";
    }
    return "?";
}

FrameProtocol classifyFrame(const std::vector<std::uint8_t>& frame) {
    std::size_t at = 12;
    if (frame.size() < at + 2)
        return FrameProtocol::Other;
    std::uint16_t type = readBe16(frame, at);
    while (type == 0x8100 || type == 0x88a8) {  // 802.1Q / 802.1ad tags
        at += 4;
        if (frame.size() < at + 2)
            return FrameProtocol::Other;
        type = readBe16(frame, at);
    }
    at += 2;
    if (type == 0x0806)
        return FrameProtocol::Arp;
    if (type != 0x0800 || frame.size() < at + 20)
        return FrameProtocol::Other;
    const std::size_t ihl = static_cast<std::size_t>(frame[at] & 0x0f) * 4;
    const std::uint8_t proto = frame[at + 9];
    const std::size_t l4 = at + ihl;
    switch (proto) {
        case 1:
            return FrameProtocol::Icmp;
        case 47:
            return FrameProtocol::Gre;
        case 17: {
            if (ihl < 20 || frame.size() < l4 + 4)
                return FrameProtocol::Other;
            const std::uint16_t src = readBe16(frame, l4);
            const std::uint16_t dst = readBe16(frame, l4 + 2);
            if (src == 67 || src == 68 || dst == 67 || dst == 68)
                return FrameProtocol::Dhcp;
            if (dst == 4789)
                return FrameProtocol::Gre;
            return FrameProtocol::Other;
        }
        default:
            return FrameProtocol::Other;
    }
}

EventLog::EventLog(QObject* parent) : QObject(parent) {}

EventLog::~EventLog() {
    detach();
}

void EventLog::attach(engine::EventBus& bus) {
    detach();
    m_bus = &bus;
    m_token = bus.subscribe(
        [this](engine::SimTime time, const engine::Event& event) { record(time, event); });
}

void EventLog::detach() {
    if (m_bus == nullptr)
        return;
    m_bus->unsubscribe(m_token);
    m_bus = nullptr;
    m_token = 0;
}

void EventLog::setCapacity(std::size_t capacity) {
    m_capacity = std::max<std::size_t>(capacity, 1);
    trim();
}

const EventRecord* EventLog::find(std::uint64_t seq) const {
    if (seq < firstSeq() || seq > lastSeq())
        return nullptr;
    return &m_records[static_cast<std::size_t>(seq - firstSeq())];
}

std::uint64_t EventLog::nextHop(std::uint64_t seq) const {
    std::uint64_t s = std::max(seq + 1, firstSeq());
    for (; s <= lastSeq(); ++s) {
        if (find(s)->isHop())
            return s;
    }
    return 0;
}

std::uint64_t EventLog::previousHop(std::uint64_t seq) const {
    if (seq == 0 || m_records.empty())
        return 0;
    std::uint64_t s = std::min(seq - 1, lastSeq());
    for (; s >= firstSeq() && s > 0; --s) {
        if (find(s)->isHop())
            return s;
    }
    return 0;
}

std::vector<std::uint64_t> EventLog::flowHitsOf(std::uint64_t frameSeq) const {
    std::vector<std::uint64_t> hits;
    const EventRecord* frame = find(frameSeq);
    if (frame == nullptr || frame->kind != EventKind::FrameReceived)
        return hits;
    for (std::uint64_t s = frameSeq + 1; s <= lastSeq(); ++s) {
        const EventRecord& r = *find(s);
        if (r.time != frame->time)
            break;  // a pipeline run takes no virtual time
        if (r.node != frame->node || r.device != frame->device)
            continue;
        if (r.kind == EventKind::FrameReceived)
            break;  // the next frame into this bridge
        if (r.kind == EventKind::FlowHit)
            hits.push_back(s);
    }
    return hits;
}

void EventLog::clear() {
    m_records.clear();
    m_pendingFirst = 0;
    m_pendingDrop = false;
    m_deviceProtocols.clear();
    m_lastFrame.clear();
    m_lastSummary.clear();
    emit cleared();
}

EventRecord& EventLog::append(engine::SimTime time, EventKind kind) {
    EventRecord& r = m_records.emplace_back();
    r.seq = m_nextSeq++;
    r.time = time;
    r.kind = kind;
    if (m_pendingFirst == 0)
        m_pendingFirst = r.seq;
    return r;
}

void EventLog::trim() {
    if (m_records.size() <= m_capacity)
        return;
    const std::size_t excess = m_records.size() - m_capacity;
    m_records.erase(m_records.begin(), m_records.begin() + static_cast<std::ptrdiff_t>(excess));
    m_pendingDrop = true;
    if (m_pendingFirst != 0 && m_pendingFirst < firstSeq())
        m_pendingFirst = firstSeq();
    scheduleFlush();
}

void EventLog::scheduleFlush() {
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QTimer::singleShot(0, this, &EventLog::flush);
}

namespace {
std::string deviceKey(std::string_view node, std::string_view device) {
    std::string key(node);
    key += '\x1f';
    key += device;
    return key;
}
}  // namespace

void EventLog::noteProtocol(std::string_view node, std::string_view device,
                            FrameProtocol protocol) {
    if (m_deviceProtocols.size() >= kMaxDeviceProtocols)
        m_deviceProtocols.clear();
    m_deviceProtocols[deviceKey(node, device)] = protocol;
}

FrameProtocol EventLog::protocolOf(std::string_view node, std::string_view device) const {
    auto it = m_deviceProtocols.find(deviceKey(node, device));
    return it == m_deviceProtocols.end() ? FrameProtocol::Other : it->second;
}

void EventLog::flush() {
    m_flushScheduled = false;
    if (m_pendingDrop) {
        m_pendingDrop = false;
        emit recordsDropped(firstSeq());
    }
    if (m_pendingFirst != 0) {
        const std::uint64_t first = std::max(m_pendingFirst, firstSeq());
        m_pendingFirst = 0;
        if (first <= lastSeq())
            emit recordsAppended(first, lastSeq());
    }
}

void EventLog::record(engine::SimTime time, const engine::Event& event) {
    if (!m_recording)
        return;
    // Copies a frame and its summary into 'r' (the summary of identical consecutive bytes is
    // reused: a frame usually hops on unchanged).
    auto takeFrame = [this](EventRecord& r, const engine::Packet* p) {
        if (p == nullptr)
            return;
        r.frame.assign(p->bytes().begin(), p->bytes().end());
        if (r.frame != m_lastFrame) {
            m_lastFrame = r.frame;
            m_lastSummary = engine::summarizeFrame(r.frame);
        }
        r.summary = m_lastSummary;
        r.protocol = classifyFrame(r.frame);
    };
    auto takeFlow = [time](EventRecord& r, const engine::FlowEntry* e) {
        if (e == nullptr)
            return;
        r.table = e->tableId;
        r.flowId = e->id;
        r.priority = e->spec.priority;
        r.flow = flowText(*e, time);
    };
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, engine::FrameReceived> ||
                          std::is_same_v<T, engine::FrameSent>) {
                EventRecord& r =
                    append(time, std::is_same_v<T, engine::FrameReceived> ? EventKind::FrameReceived
                                                                          : EventKind::FrameSent);
                r.node = std::string(e.node);
                r.device = std::string(e.device);
                r.port = std::string(e.port);
                r.ofport = e.ofport;
                if (e.packet != nullptr)
                    r.packetId = e.packet->id;
                takeFrame(r, e.packet);
                if (std::is_same_v<T, engine::FrameReceived>)
                    noteProtocol(e.node, e.device, r.protocol);
            } else if constexpr (std::is_same_v<T, engine::FrameDropped>) {
                EventRecord& r = append(time, EventKind::FrameDropped);
                r.node = std::string(e.node);
                r.device = std::string(e.device);
                r.port = std::string(e.port);
                r.packetId = e.packetId;
                r.reason = std::string(e.reason);
                takeFrame(r, e.packet);
                if (e.packet == nullptr)
                    r.protocol = protocolOf(e.node, e.device);
            } else if constexpr (std::is_same_v<T, engine::FlowHit>) {
                EventRecord& r = append(time, EventKind::FlowHit);
                r.node = std::string(e.node);
                r.device = std::string(e.bridge);
                r.packetId = e.packetId;
                r.protocol = protocolOf(e.node, e.bridge);
                takeFlow(r, e.entry);
            } else if constexpr (std::is_same_v<T, engine::FlowAdded>) {
                EventRecord& r = append(time, EventKind::FlowAdded);
                r.node = std::string(e.node);
                r.device = std::string(e.bridge);
                r.learned = e.learned;
                r.refreshed = e.refreshed;
                r.packetId = e.packetId;
                takeFlow(r, e.entry);
                takeFrame(r, e.packet);
                if (e.packet == nullptr)
                    r.protocol = protocolOf(e.node, e.bridge);
            } else if constexpr (std::is_same_v<T, engine::FlowRemoved>) {
                EventRecord& r = append(time, EventKind::FlowRemoved);
                r.node = std::string(e.node);
                r.device = std::string(e.bridge);
                r.reason = std::string(engine::toString(e.reason));
                takeFlow(r, e.entry);
            } else if constexpr (std::is_same_v<T, engine::MacLearned>) {
                EventRecord& r = append(time, EventKind::MacLearned);
                r.node = std::string(e.node);
                r.device = std::string(e.bridge);
                r.port = std::string(e.port);
                r.ofport = e.ofport;
                r.mac = e.mac;
                r.vlan = e.vlan;
                r.moved = e.moved;
            } else if constexpr (std::is_same_v<T, engine::MacAged>) {
                EventRecord& r = append(time, EventKind::MacAged);
                r.node = std::string(e.node);
                r.device = std::string(e.bridge);
                r.port = std::string(e.port);
                r.mac = e.mac;
                r.vlan = e.vlan;
            }
        },
        event);
    trim();
    scheduleFlush();
}

}  // namespace nlab::model
