#pragma once
// EventLog: a bounded, sequence-numbered record of everything the engine's event bus says.
//
// What
//   The engine publishes events (engine/core/events.h) while it runs: frames entering and
//   leaving bridge ports, frames dropped, rules hit, added, refreshed and removed, MACs
//   learned and aged. Their payloads (the packet, the rule) are valid only during the
//   callback. The EventLog subscribes to a lab's bus and keeps a value copy of each event,
//   an EventRecord: the frame bytes and their one-line summary, device, port and node
//   names, the rule's text, the MAC, the drop reason, the virtual time, and a sequence
//   number. The event list, packet detail, trace and charts docks and the Player read it.
//
// Design
//   - Records live in a deque ordered by sequence number; sequence numbers start at 1 and
//     are never reused, not even across clear(), so a sequence number names one record for
//     the life of the log. find(seq) is O(1).
//   - Bounded: at most capacity() records (default kDefaultCapacity = 200 000; a frame record
//     of the seed lab takes about 600 bytes, so about 120 MB at the bound); when full the
//     oldest are dropped. Records are never changed once written.
//   - Notification is batched: the engine may publish thousands of events in one step, and
//     models must not look at engine state halfway through a step. Records are written at
//     once, but observers hear about them on flush(): first recordsDropped() (when old
//     records went), then recordsAppended() for the new range. LabDocument flushes after
//     every clock advance, command and edit; a flush is also posted to the event loop when
//     records arrive with none pending, so a log used alone still notifies.
//   - The protocol of a frame (for filters) is classified from its bytes. Rule hits (and
//     drops without a frame) carry the protocol of the last frame the same bridge of the
//     same node received: a bridge's pipeline runs synchronously after FrameReceived, so
//     that is the frame that hit the rule. (Packet ids are not used: the engine leaves
//     most of them 0.)
//
// Invariants
//   Every record with seq in [firstSeq(), lastSeq()] is present (no gaps). A record's time
//   is never less than the time of a record with a smaller sequence number. Between two
//   flushes, observers have been told about every record and every drop up to the first.

#include "engine/core/events.h"
#include "engine/core/sim_clock.h"

#include <QMetaType>
#include <QObject>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nlab::model {

/// What happened (one per engine event kind).
enum class EventKind : int {
    FrameReceived,  ///< A frame entered a device through a port.
    FrameSent,      ///< A frame left a device through a port.
    FrameDropped,   ///< A frame was dropped (reason set).
    FlowHit,        ///< A packet matched a rule.
    FlowAdded,      ///< A rule was added or refreshed (learned/refreshed flags).
    FlowRemoved,    ///< A rule left its table (reason set).
    MacLearned,     ///< A MAC was learned or moved.
    MacAged,        ///< A MAC entry aged out.
};

/// The protocol classes the event filters offer.
enum class FrameProtocol : int {
    Arp,
    Icmp,
    Dhcp,
    Gre,    ///< Tunnelled: GRE or VXLAN (the outer frame; the summary shows the inner one).
    Other,  ///< Anything else, and events without a frame.
};

/// Stable, untranslated names ("FrameReceived", "ARP"): for logs, tests and tr() lookups.
const char* eventKindName(EventKind kind);
const char* frameProtocolName(FrameProtocol protocol);

/// Classifies an Ethernet frame (802.1Q/802.1ad tags skipped): ARP; IPv4 ICMP; UDP port 67
/// or 68 as DHCP; GRE, or UDP port 4789 (VXLAN), as Gre; anything else Other.
FrameProtocol classifyFrame(const std::vector<std::uint8_t>& frame);

/// One engine event, copied by value. Fields that do not apply to the kind keep their
/// defaults.
struct EventRecord {
    std::uint64_t seq = 0;     ///< 1, 2, ...; unique for the log's life.
    engine::SimTime time = 0;  ///< Virtual time (ns) of the event.
    EventKind kind = EventKind::FrameReceived;
    std::string node;                 ///< Node the event happened on ("" if unknown).
    std::string device;               ///< Device, or bridge for flow and MAC events.
    std::string port;                 ///< Port or interface name ("" if none).
    std::uint32_t ofport = 0;         ///< OpenFlow port number (0: not OpenFlow / none).
    std::uint64_t packetId = 0;       ///< Engine-wide packet id (0: none).
    std::vector<std::uint8_t> frame;  ///< Frame bytes: frame events, learned FlowAdded.
    std::string summary;              ///< summarizeFrame() of 'frame' ("" without one).
    FrameProtocol protocol = FrameProtocol::Other;
    int table = -1;              ///< Flow events: the rule's table.
    std::uint64_t flowId = 0;    ///< Flow events: the rule's id in its table.
    std::uint16_t priority = 0;  ///< Flow events: the rule's priority.
    std::string flow;            ///< Flow events: `ovs-ofctl --no-stats` text of the
                                 ///  rule ("table=20, hard_timeout=300, priority=1,
                                 ///  ... actions=...").
    bool learned = false;        ///< FlowAdded: by a learn action.
    bool refreshed = false;      ///< FlowAdded: an identical learned rule refreshed.
    std::uint64_t mac = 0;       ///< MAC events.
    std::uint16_t vlan = 0;      ///< MAC events (0 for Linux bridges).
    bool moved = false;          ///< MacLearned: it was known on another port.
    std::string reason;          ///< FrameDropped: why; FlowRemoved: toString(reason).

    /// Frame hops the Player steps over: FrameReceived, FrameSent, FrameDropped.
    bool isHop() const {
        return kind == EventKind::FrameReceived || kind == EventKind::FrameSent ||
               kind == EventKind::FrameDropped;
    }
};

class EventLog : public QObject {
    Q_OBJECT
public:
    static constexpr std::size_t kDefaultCapacity = 200'000;

    explicit EventLog(QObject* parent = nullptr);
    /// Detaches from the bus (which must still exist if attached).
    ~EventLog() override;
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    /// Subscribes to 'bus' (detaching from a previous one first). Existing records stay.
    /// 'bus' must outlive the attachment: call detach() before destroying it.
    void attach(engine::EventBus& bus);
    /// Unsubscribes; no effect when not attached.
    void detach();
    bool isAttached() const { return m_bus != nullptr; }

    /// Pauses (false) or resumes recording; events published while paused are lost.
    void setRecording(bool on) { m_recording = on; }
    bool isRecording() const { return m_recording; }

    /// Maximum number of records kept (at least 1). Lowering it drops the oldest at once
    /// (observers hear of it on the next flush).
    void setCapacity(std::size_t capacity);
    std::size_t capacity() const { return m_capacity; }

    /// Records currently kept.
    std::size_t size() const { return m_records.size(); }
    bool isEmpty() const { return m_records.empty(); }
    /// Sequence number of the oldest record kept; of the next record when empty.
    std::uint64_t firstSeq() const { return m_nextSeq - m_records.size(); }
    /// Sequence number of the newest record; firstSeq() - 1 when empty.
    std::uint64_t lastSeq() const { return m_nextSeq - 1; }
    /// The record at 'index' (0 = oldest). 'index' must be < size().
    const EventRecord& at(std::size_t index) const { return m_records[index]; }
    /// The record numbered 'seq', or nullptr when it was dropped or does not exist yet.
    const EventRecord* find(std::uint64_t seq) const;
    /// Sequence number of the first hop record after 'seq' (0 when none).
    std::uint64_t nextHop(std::uint64_t seq) const;
    /// Sequence number of the last hop record before 'seq' still kept (0 when none).
    std::uint64_t previousHop(std::uint64_t seq) const;
    /// The rule hits (FlowHit records, in order) of the bridge pipeline run that record
    /// 'frameSeq' (a FrameReceived) started: the FlowHits of the same node and device that
    /// follow it at the same virtual time, up to the next frame received by that device. This
    /// is what the flow tables highlight for the current hop. Empty for other records.
    std::vector<std::uint64_t> flowHitsOf(std::uint64_t frameSeq) const;

    /// Forgets every record (sequence numbers continue). Emits cleared() at once.
    void clear();
    /// Copies one event into the log (what the bus subscription calls). Public for tests
    /// and for replaying events from elsewhere.
    void record(engine::SimTime time, const engine::Event& event);

public slots:
    /// Emits the pending recordsDropped() and recordsAppended(); nothing when none.
    void flush();

signals:
    /// Records with seq < 'firstKeptSeq' were dropped (capacity) since the last flush.
    void recordsDropped(quint64 firstKeptSeq);
    /// Records 'firstSeq'..'lastSeq' (inclusive) were added since the last flush.
    void recordsAppended(quint64 firstSeq, quint64 lastSeq);
    /// clear() was called: every record is gone.
    void cleared();

private:
    EventRecord& append(engine::SimTime time, EventKind kind);
    void trim();
    void scheduleFlush();
    void noteProtocol(std::string_view node, std::string_view device, FrameProtocol protocol);
    FrameProtocol protocolOf(std::string_view node, std::string_view device) const;

    engine::EventBus* m_bus = nullptr;
    engine::EventBus::Token m_token = 0;
    std::deque<EventRecord> m_records;
    std::uint64_t m_nextSeq = 1;
    std::size_t m_capacity = kDefaultCapacity;
    bool m_recording = true;
    // Pending notification: first unannounced seq (0: none), and whether records were dropped.
    std::uint64_t m_pendingFirst = 0;
    bool m_pendingDrop = false;
    bool m_flushScheduled = false;
    // Protocol of the last frame each (node, device) received: the rule hits that follow a
    // FrameReceived on a bridge are that frame's (the pipeline runs synchronously).
    std::unordered_map<std::string, FrameProtocol> m_deviceProtocols;
    // The last frame summarised, to reuse the summary when the same bytes hop on.
    std::vector<std::uint8_t> m_lastFrame;
    std::string m_lastSummary;
};

}  // namespace nlab::model

Q_DECLARE_METATYPE(nlab::model::EventRecord)
