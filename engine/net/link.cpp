#include "engine/net/link.h"

#include "engine/net/net_device.h"

#include <deque>
#include <memory>
#include <utility>

namespace nlab::engine {

namespace {

/// One direction of a link: the receiving device and the frames on their way to it.
struct LinkDirection {
    SimClock* clock = nullptr;
    NetDevice* receiver = nullptr;
    std::weak_ptr<void> receiverAlive;  ///< Expires with the receiver.
    SimDuration latency = 0;            ///< Nanoseconds, >= 0.
    std::deque<Packet> inFlight;        ///< Oldest first.
};

void send(const std::shared_ptr<LinkDirection>& dir, Packet&& packet) {
    dir->inFlight.push_back(std::move(packet));
    dir->clock->schedule(dir->latency, [dir] {
        Packet p = std::move(dir->inFlight.front());
        dir->inFlight.pop_front();
        if (!dir->receiverAlive.expired())
            dir->receiver->receive(std::move(p));
    });
}

std::shared_ptr<LinkDirection> makeDirection(SimClock& clock, NetDevice& to, SimDuration latency) {
    auto dir = std::make_shared<LinkDirection>();
    dir->clock = &clock;
    dir->receiver = &to;
    dir->receiverAlive = to.lifetime();
    dir->latency = latency < 0 ? 0 : latency;
    return dir;
}

}  // namespace

void connectPointToPoint(SimClock& clock, NetDevice& a, NetDevice& b, SimDuration latency) {
    auto toB = makeDirection(clock, b, latency);
    auto toA = makeDirection(clock, a, latency);
    a.setTransmitHandler([toB](NetDevice&, Packet&& p) { send(toB, std::move(p)); });
    b.setTransmitHandler([toA](NetDevice&, Packet&& p) { send(toA, std::move(p)); });
    a.setPeerIfindex(b.ifindex());
    b.setPeerIfindex(a.ifindex());
}

}  // namespace nlab::engine
