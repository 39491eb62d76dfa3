#include "engine/core/sim_clock.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nlab::engine {
namespace {

TEST(SimClockTest, RunsEventsInTimeThenSchedulingOrder) {
    SimClock clock;
    std::vector<std::string> log;
    clock.schedule(2 * kSecond, [&] { log.push_back("b@2s"); });
    clock.schedule(1 * kSecond, [&] { log.push_back("a@1s"); });
    clock.schedule(2 * kSecond, [&] { log.push_back("c@2s"); });
    EXPECT_EQ(clock.pending(), 3u);
    EXPECT_EQ(clock.runUntil(2 * kSecond), 3u);
    EXPECT_EQ(log, (std::vector<std::string>{"a@1s", "b@2s", "c@2s"}));
    EXPECT_EQ(clock.now(), 2 * kSecond);
    EXPECT_EQ(clock.pending(), 0u);
}

TEST(SimClockTest, CancelledEventsNeverRunAndCancelIsIdempotent) {
    SimClock clock;
    int ran = 0;
    EventId id = clock.schedule(kSecond, [&] { ++ran; });
    EXPECT_TRUE(clock.cancel(id));
    EXPECT_FALSE(clock.cancel(id));
    EXPECT_FALSE(clock.cancel(0));
    EXPECT_EQ(clock.pending(), 0u);
    EXPECT_EQ(clock.advance(5 * kSecond), 0u);
    EXPECT_EQ(ran, 0);
    EXPECT_EQ(clock.now(), 5 * kSecond);
}

TEST(SimClockTest, EventsScheduledWhileRunningRunIfDue) {
    SimClock clock;
    std::vector<SimTime> at;
    clock.schedule(kSecond, [&] {
        at.push_back(clock.now());
        clock.schedule(kSecond, [&] { at.push_back(clock.now()); });
        clock.schedule(10 * kSecond, [&] { at.push_back(clock.now()); });
    });
    clock.runUntil(3 * kSecond);
    EXPECT_EQ(at, (std::vector<SimTime>{kSecond, 2 * kSecond}));
    EXPECT_EQ(clock.nextEventTime(), 11 * kSecond);
    EXPECT_EQ(clock.runAll(), 1u);
    EXPECT_EQ(clock.now(), 11 * kSecond);
}

TEST(SimClockTest, NegativeDelayRunsNowAndTimeNeverGoesBack) {
    SimClock clock;
    clock.advance(kSecond);
    SimTime seen = -1;
    clock.schedule(-5, [&] { seen = clock.now(); });
    clock.runUntil(0);  // 'until' in the past: runs nothing due later, keeps now()
    EXPECT_EQ(clock.now(), kSecond);
    clock.runUntil(kSecond);
    EXPECT_EQ(seen, kSecond);
}

}  // namespace
}  // namespace nlab::engine

namespace nlab::engine {
namespace {

TEST(SimClockTest, CancelAnswersCorrectlyAcrossManyEvents) {
    // Thousands of ids: the pending set slides along without losing track of any.
    SimClock clock;
    std::vector<EventId> ids;
    int ran = 0;
    for (int i = 0; i < 5000; ++i) ids.push_back(clock.schedule(i * kMicrosecond, [&] { ++ran; }));
    for (int i = 0; i < 5000; i += 7) EXPECT_TRUE(clock.cancel(ids[std::size_t(i)]));
    EXPECT_EQ(clock.pending(), 5000u - 715u);
    clock.runUntil(2500 * kMicrosecond);
    // Run and cancelled ids cannot be cancelled; later ones can.
    EXPECT_FALSE(clock.cancel(ids[1]));
    EXPECT_FALSE(clock.cancel(ids[7]));
    EXPECT_TRUE(clock.cancel(ids[4999]));
    clock.runAll();
    EXPECT_EQ(ran, 5000 - 715 - 1);
    EXPECT_EQ(clock.pending(), 0u);
    EXPECT_FALSE(clock.cancel(ids[4998]));
    // New events after the window slid still work.
    EventId late = clock.schedule(kSecond, [&] { ++ran; });
    EXPECT_TRUE(clock.cancel(late));
    EXPECT_FALSE(clock.cancel(late));
}

}  // namespace
}  // namespace nlab::engine
