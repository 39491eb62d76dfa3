#pragma once
// connectPointToPoint: a cable (or the two ends of a veth pair) between two NetDevices.
//
// What
//   Joins two devices so that a frame one of them transmits is received by the other after
//   a fixed one-way latency, and records each as the other's peer (`ethtool -S` peer_ifindex),
//   which is what a veth pair is. The Lab uses it for veth pairs (qvb/qvo, tap/VM eth0) and
//   for any other point-to-point wire.
//
// Design
//   The link installs itself as the transmit handler of both devices. Each direction keeps a
//   FIFO of frames in flight and schedules one SimClock event per frame at send time +
//   latency; since the latency of a direction is constant and the clock runs same-instant
//   events in scheduling order, the event pops the queue's front, which is its own frame.
//   Delivery is always through the clock, even with zero latency, so a transmit never
//   re-enters the receiver synchronously. The link state is shared by the two transmit
//   handlers and by the pending events; devices are held through their lifetime() token
//   only, so a destroyed receiver is never touched (its frames in flight are discarded),
//   and a frame already in flight is still delivered when its sender is destroyed.
//   Up/down and MTU are the devices' business: a down sender drops and counts a TX drop,
//   a down receiver drops and counts an RX drop (NetDevice::transmit/receive).
//
// Invariants
//   Frames of one direction arrive in the order they were sent, exactly 'latency' after
//   their transmission. The link never allocates per frame beyond its clock event.

#include "engine/core/sim_clock.h"

namespace nlab::engine {

class NetDevice;

/// Connects 'a' and 'b' point to point: from now on a frame transmitted by either device is
/// received by the other at clock.now() + 'latency' (a negative latency counts as 0).
/// Side effects: replaces the transmit handlers of both devices and sets each device's
/// peerIfindex to the other's ifindex. 'clock' must outlive every frame in flight; the
/// devices need not (a destroyed device is never touched). Connecting a device again
/// replaces its previous medium.
void connectPointToPoint(SimClock& clock, NetDevice& a, NetDevice& b, SimDuration latency);

}  // namespace nlab::engine
