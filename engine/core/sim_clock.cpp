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
    setPending(id);
    return id;
}

bool SimClock::isPending(EventId id) const {
    if (id < m_base) return false;
    const std::uint64_t idx = id - m_base;
    const std::size_t word = std::size_t(idx / 64);
    return word < m_pendingBits.size() && ((m_pendingBits[word] >> (idx % 64)) & 1);
}

void SimClock::setPending(EventId id) {
    const std::uint64_t idx = id - m_base;
    const std::size_t word = std::size_t(idx / 64);
    if (word >= m_pendingBits.size()) m_pendingBits.resize(word + 1, 0);
    m_pendingBits[word] |= 1ULL << (idx % 64);
    ++m_live;
}

void SimClock::clearPending(EventId id) {
    const std::uint64_t idx = id - m_base;
    m_pendingBits[std::size_t(idx / 64)] &= ~(1ULL << (idx % 64));
    --m_live;
    // Drop leading words whose ids are all allocated and settled.
    while (!m_pendingBits.empty() && m_pendingBits.front() == 0 && m_base + 64 <= m_nextId) {
        m_pendingBits.pop_front();
        m_base += 64;
    }
}

bool SimClock::cancel(EventId id) {
    if (!isPending(id)) return false;
    clearPending(id);
    return true;
}

void SimClock::dropCancelledTop() {
    while (!m_heap.empty() && !isPending(m_heap.front().id)) {
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
    clearPending(e.id);
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
