#include "engine/core/events.h"

#include <algorithm>

namespace nlab::engine {

EventBus::Token EventBus::subscribe(Callback cb) {
    m_subs.push_back(Sub{m_next, std::move(cb)});
    return m_next++;
}

bool EventBus::unsubscribe(Token token) {
    auto it = std::find_if(m_subs.begin(), m_subs.end(),
                           [token](const Sub& s) { return s.token == token; });
    if (it == m_subs.end()) return false;
    m_subs.erase(it);
    return true;
}

void EventBus::publish(SimTime now, const Event& e) {
    // Iterate over a snapshot of tokens so a callback may unsubscribe (itself or others).
    const std::size_t n = m_subs.size();
    for (std::size_t i = 0; i < n && i < m_subs.size(); ++i) {
        // Copy the callback: the vector may be modified by the callback itself.
        auto cb = m_subs[i].cb;
        cb(now, e);
    }
    if (m_parent != nullptr && m_parent->active()) {
        Event stamped = e;
        std::visit(
            [this](auto& ev) {
                if (ev.node.empty()) ev.node = m_source;
            },
            stamped);
        m_parent->publish(now, stamped);
    }
}

}  // namespace nlab::engine
