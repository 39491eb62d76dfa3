#include "engine/core/sim_clock.h"

#include <algorithm>

namespace nlab::engine {

EventId SimClock::schedule(SimDuration delay, std::function<void()> fn) {
    return scheduleAt(m_now + std::max<SimDuration>(delay, 0), std::move(fn));
}

EventId SimClock::scheduleAt(SimTime at, std::function<void()> fn) {
    const EventId id = m_nextId++;
    m_heap.push_back(Event{std::max(at, m_now), m_seq++, id, std::move(fn)});
    std::push_heap(m_heap.begin(), m_heap.end(), Later{});
    m_pending.insert(id);
    return id;
}

bool SimClock::cancel(EventId id) { return m_pending.erase(id) == 1; }

void SimClock::dropCancelledTop() {
    while (!m_heap.empty() && !m_pending.contains(m_heap.front().id)) {
        std::pop_heap(m_heap.begin(), m_heap.end(), Later{});
        m_heap.pop_back();
    }
}

SimTime SimClock::nextEventTime() {
    dropCancelledTop();
    return m_heap.empty() ? -1 : m_heap.front().at;
}

bool SimClock::popAndRun() {
    std::pop_heap(m_heap.begin(), m_heap.end(), Later{});
    Event e = std::move(m_heap.back());
    m_heap.pop_back();
    m_pending.erase(e.id);
    m_now = e.at;
    e.fn();
    return true;
}

std::size_t SimClock::runUntil(SimTime until) {
    std::size_t n = 0;
    for (;;) {
        dropCancelledTop();
        if (m_heap.empty() || m_heap.front().at > until) break;
        popAndRun();
        ++n;
    }
    if (until > m_now) m_now = until;
    return n;
}

std::size_t SimClock::runAll(std::size_t maxEvents) {
    std::size_t n = 0;
    while (n < maxEvents) {
        dropCancelledTop();
        if (m_heap.empty()) break;
        popAndRun();
        ++n;
    }
    return n;
}

}  // namespace nlab::engine
