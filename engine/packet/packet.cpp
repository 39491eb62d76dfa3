#include "engine/packet/packet.h"

#include <utility>

namespace nlab::engine {

Packet::Packet(std::vector<std::uint8_t> bytes) : m_bytes(std::move(bytes)) {}

Packet Packet::clone() const {
    Packet copy(m_bytes);
    copy.id = id;
    copy.tunnel = tunnel;
    return copy;
}

}  // namespace nlab::engine
