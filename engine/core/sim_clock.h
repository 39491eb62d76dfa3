#pragma once
// SimClock: the virtual clock and discrete-event scheduler every lab runs on.
//
// What
//   Time in the engine is virtual: nanoseconds since the lab started, advanced only by
//   running events. Nothing in engine/ reads the wall clock.
//
// Design
//   Events are kept in a binary heap ordered by (time, sequence number); the sequence number
//   is assigned at scheduling, so events due at the same instant run in the order they were
//   scheduled and every run of the same lab is identical. Cancelled events stay in the heap
//   and are skipped when popped (lazy deletion), so cancel() is O(1).
//
// Invariants
//   now() never decreases. An event never runs before its time, and runs at most once.

#include <cstdint>
#include <functional>
#include <deque>
#include <vector>

namespace nlab::engine {

/// Virtual time in nanoseconds since the lab started.
using SimTime = std::int64_t;
/// A virtual duration in nanoseconds.
using SimDuration = std::int64_t;

inline constexpr SimDuration kNanosecond = 1;
inline constexpr SimDuration kMicrosecond = 1000;
inline constexpr SimDuration kMillisecond = 1000 * kMicrosecond;
inline constexpr SimDuration kSecond = 1000 * kMillisecond;

/// Identifies a scheduled event for cancel(). 0 is never a valid id.
using EventId = std::uint64_t;

class SimClock {
public:
    SimClock() = default;
    SimClock(const SimClock&) = delete;
    SimClock& operator=(const SimClock&) = delete;

    /// The current virtual time.
    SimTime now() const { return m_now; }

    /// Schedules 'fn' to run at now() + 'delay' (a negative delay counts as 0).
    /// Returns an id for cancel().
    EventId schedule(SimDuration delay, std::function<void()> fn);
    /// Schedules 'fn' at absolute time 'at' (clamped to now()).
    EventId scheduleAt(SimTime at, std::function<void()> fn);
    /// Cancels a pending event; returns false if it already ran, was cancelled or is unknown.
    bool cancel(EventId id);

    /// Runs every event due at or before 'until', in order, then sets now() to 'until'
    /// (if later). Events may schedule further events; those due by 'until' run too.
    /// Returns the number of events run.
    std::size_t runUntil(SimTime until);
    /// Advances by 'delta': runUntil(now() + delta).
    std::size_t advance(SimDuration delta) { return runUntil(m_now + delta); }
    /// Runs events until none is pending or 'maxEvents' have run. Returns the number run.
    std::size_t runAll(std::size_t maxEvents = 10'000'000);
    /// Number of pending (not cancelled) events.
    std::size_t pending() const { return m_live; }
    /// Time of the earliest pending event, or -1 if none.
    SimTime nextEventTime();

private:
    struct Event {
        SimTime at;
        std::uint64_t seq;  // tie-break: scheduling order
        EventId id;
        std::function<void()> fn;
    };
    struct Later {
        bool operator()(const Event& a, const Event& b) const {
            return a.at != b.at ? a.at > b.at : a.seq > b.seq;
        }
    };
    void dropCancelledTop();
    bool popAndRun();

    SimTime m_now = 0;
    std::uint64_t m_seq = 0;
    EventId m_nextId = 1;
    std::vector<Event> m_heap;  // a binary heap under Later (std::push_heap/pop_heap), so the
                                // earliest event can be moved out rather than copied
    // Which ids are still pending (scheduled, neither run nor cancelled): one bit per id from
    // m_base on. Ids only grow, so fully settled words at the front are dropped as the clock
    // runs; this costs no allocation per event, unlike a hash set.
    std::deque<std::uint64_t> m_pendingBits;
    EventId m_base = 1;
    std::size_t m_live = 0;
    bool isPending(EventId id) const;
    void setPending(EventId id);
    void clearPending(EventId id);
};

}  // namespace nlab::engine
