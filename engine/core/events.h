#pragma once
// The engine's event stream: what observers (the app's models, pcap writers, statistics,
// tests) learn about frames and tables as the lab runs.
//
// What
//   Devices publish events to an EventBus; observers subscribe with a callback. An event is
//   delivered synchronously, during the step that caused it, at the virtual time of that step.
//
// Design
//   Events are a closed std::variant, so an observer that std::visit's them is told by the
//   compiler when a kind is added. Event structs refer to the frame and the rule by pointer:
//   the pointees are valid only during the callback, and an observer that keeps anything
//   copies it. Publishers test `active()` first, so an idle bus costs one branch per frame.
//
// Invariants
//   Delivery order is subscription order; unsubscribing during delivery is allowed and takes
//   effect for the next event.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/core/sim_clock.h"

namespace nlab::engine {

class Packet;
struct FlowEntry;
enum class FlowRemovedReason : std::uint8_t;

/// A frame entered a device through a port (or interface).
struct FrameReceived {
    std::string_view device;   ///< Bridge or device name ("br-tun").
    std::string_view port;     ///< Port or interface name ("gre-0a0a648c").
    std::uint32_t ofport = 0;  ///< OpenFlow port number, 0 for non-OpenFlow devices.
    const Packet* packet = nullptr;
    std::string_view netns{};  ///< Device hops: the namespace ("" root, a qdhcp-/qrouter-/VM name).
    std::string_view node{};   ///< The node (host) it happened on; set by the node's bus.
};

/// A frame left a device through a port.
struct FrameSent {
    std::string_view device;
    std::string_view port;
    std::uint32_t ofport = 0;
    const Packet* packet = nullptr;
    std::string_view netns{};  ///< Device hops: the namespace ("" root, a qdhcp-/qrouter-/VM name).
    std::string_view node{};   ///< The node (host) it happened on; set by the node's bus.
};

/// A packet matched a rule.
struct FlowHit {
    std::string_view bridge;
    const FlowEntry* entry = nullptr;
    std::uint64_t packetId = 0;
    std::string_view node{};   ///< The node (host) it happened on; set by the node's bus.
};

/// A rule was added, or refreshed by a learn action.
struct FlowAdded {
    std::string_view bridge;
    const FlowEntry* entry = nullptr;
    bool learned = false;           ///< Added by a learn action.
    bool refreshed = false;         ///< An identical learned rule existed and was refreshed.
    std::uint64_t packetId = 0;     ///< The packet that taught it (learned only).
    const Packet* packet = nullptr; ///< That packet (learned only).
    std::string_view node{};   ///< The node (host) it happened on; set by the node's bus.
};

/// A rule left its table.
struct FlowRemoved {
    std::string_view bridge;
    const FlowEntry* entry = nullptr;
    FlowRemovedReason reason{};
    std::string_view node{};   ///< The node (host) it happened on; set by the node's bus.
};

/// A MAC was learned (or moved) on a NORMAL bridge or Linux bridge.
struct MacLearned {
    std::string_view bridge;
    std::uint64_t mac = 0;
    std::uint16_t vlan = 0;
    std::string_view port;
    std::uint32_t ofport = 0;
    bool moved = false;  ///< It was known on another port before.
    std::string_view node{};   ///< The node (host) it happened on; set by the node's bus.
};

/// A MAC entry aged out.
struct MacAged {
    std::string_view bridge;
    std::uint64_t mac = 0;
    std::uint16_t vlan = 0;
    std::string_view port;
    std::string_view node{};   ///< The node (host) it happened on; set by the node's bus.
};

/// A frame was dropped, with the reason in words.
struct FrameDropped {
    std::string_view device;
    std::string_view port;
    std::uint64_t packetId = 0;
    std::string_view reason;
    const Packet* packet = nullptr;
    std::string_view node{};   ///< The node (host) it happened on; set by the node's bus.
};

using Event = std::variant<FrameReceived, FrameSent, FlowHit, FlowAdded, FlowRemoved, MacLearned,
                           MacAged, FrameDropped>;

class EventBus {
public:
    using Callback = std::function<void(SimTime, const Event&)>;
    using Token = std::uint64_t;

    EventBus() = default;
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;

    /// Registers 'cb'; returns a token for unsubscribe().
    Token subscribe(Callback cb);
    /// Removes a subscription; false if the token is unknown.
    bool unsubscribe(Token token);
    /// Whether anyone listens (publishers skip building events otherwise).
    bool active() const { return !m_subs.empty() || (m_parent != nullptr && m_parent->active()); }
    /// Delivers 'e' at time 'now' to every subscriber, then (when forwarding) to the parent
    /// bus with 'node' set to this bus's source name.
    void publish(SimTime now, const Event& e);
    /// Makes this bus forward every event to 'parent', stamped with 'source' as its node
    /// (each Node has such a bus in front of the Lab's, so events say where they happened).
    /// 'source' must outlive the bus.
    void forwardTo(EventBus* parent, std::string_view source) {
        m_parent = parent;
        m_source = source;
    }

private:
    struct Sub {
        Token token;
        Callback cb;
    };
    std::vector<Sub> m_subs;
    Token m_next = 1;
    EventBus* m_parent = nullptr;
    std::string_view m_source;
};

}  // namespace nlab::engine
