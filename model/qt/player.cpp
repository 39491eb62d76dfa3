#include "model/qt/player.h"

#include "engine/lab/lab.h"
#include "model/qt/lab_document.h"

#include <algorithm>
#include <cmath>

namespace nlab::model {

namespace {

// While replaying recorded hops, a quiet stretch that would take longer than this much wall
// time at the current speed is cut short (the playhead jumps to just before the next hop).
constexpr double kMaxIdleWallMs = 1000.0;

// Virtual nanoseconds per wall millisecond at speed 1.
constexpr double kNsPerMs = 1e6;

}  // namespace

Player::Player(LabDocument* document, QObject* parent) : QObject(parent), m_document(document) {
    m_timer.setInterval(16);
    connect(&m_timer, &QTimer::timeout, this, &Player::onTimer);
    connect(document, &LabDocument::labReset, this, &Player::onLabReset);
    connect(&document->eventLog(), &EventLog::cleared, this, [this] {
        if (m_cursor != 0)
            moveTo(0, false);
    });
    const EventLog& log = document->eventLog();
    m_cursor = log.previousHop(log.lastSeq() + 1);
    m_playTime = document->now();
}

const EventRecord* Player::currentRecord() const {
    if (m_document.isNull() || m_cursor == 0)
        return nullptr;
    return m_document->eventLog().find(m_cursor);
}

void Player::setTickInterval(int ms) {
    m_timer.setInterval(std::max(ms, 1));
}

void Player::setHopInterval(int ms) {
    m_hopIntervalMs = std::max(ms, 0);
}

void Player::play() {
    if (isPlaying() || m_document.isNull())
        return;
    m_wall.start();
    m_sinceHopMs = m_hopIntervalMs;  // the first hop may go at once
    m_timer.start();
    emit playingChanged(true);
}

void Player::pause() {
    if (!isPlaying())
        return;
    m_timer.stop();
    emit playingChanged(false);
}

void Player::toggle() {
    isPlaying() ? pause() : play();
}

void Player::setSpeed(double speed) {
    if (std::isnan(speed))
        return;
    speed = std::max(speed, kMinSpeed);
    if (speed == m_speed)
        return;
    m_speed = speed;
    emit speedChanged(m_speed);
}

void Player::setPlayTime(qint64 time) {
    if (time == m_playTime)
        return;
    m_playTime = time;
    emit playTimeChanged(time);
}

void Player::moveTo(quint64 seq, bool emitHop) {
    m_cursor = seq;
    if (emitHop && !m_document.isNull()) {
        if (const EventRecord* r = m_document->eventLog().find(seq))
            emit hop(*r);
    }
    emit currentEventChanged(seq);
}

bool Player::step(int maxEvents) {
    if (m_document.isNull())
        return false;
    EventLog& log = m_document->eventLog();
    std::uint64_t next = log.nextHop(m_cursor);
    if (next == 0) {
        engine::SimClock& clock = m_document->cloud().lab().clock();
        const engine::SimTime before = clock.now();
        int ran = 0;
        while (next == 0 && ran < maxEvents) {
            const engine::SimTime t = clock.nextEventTime();
            if (t < 0)
                break;
            ran += int(clock.runUntil(t));
            next = log.nextHop(m_cursor);
        }
        if (clock.now() != before || ran > 0)
            m_document->advance(0);  // flush and notify
    }
    if (next == 0)
        return false;
    const EventRecord* r = log.find(next);
    setPlayTime(std::max(m_playTime, qint64(r->time)));
    moveTo(next, true);
    return true;
}

bool Player::stepBack() {
    if (m_document.isNull())
        return false;
    const EventLog& log = m_document->eventLog();
    const std::uint64_t prev = log.previousHop(m_cursor);
    if (prev == 0)
        return false;
    setPlayTime(log.find(prev)->time);
    moveTo(prev, false);
    return true;
}

void Player::skipToEnd() {
    if (m_document.isNull())
        return;
    const EventLog& log = m_document->eventLog();
    const std::uint64_t last = log.previousHop(log.lastSeq() + 1);
    if (last != 0 && last != m_cursor)
        moveTo(last, false);
    setPlayTime(std::max(m_playTime, qint64(m_document->now())));
}

void Player::onTimer() {
    const double ms = double(m_wall.nsecsElapsed()) / 1e6;
    m_wall.restart();
    tick(ms);
}

void Player::tick(double wallMs) {
    if (m_document.isNull())
        return;
    EventLog& log = m_document->eventLog();
    if (std::isinf(m_speed)) {
        m_document->runEvents(std::max(1, m_timer.interval() / 2));
        skipToEnd();
        return;
    }
    m_sinceHopMs += wallMs;
    double target = double(m_playTime) + m_speed * wallMs * kNsPerMs;
    const double maxIdle = m_speed * kMaxIdleWallMs * kNsPerMs;
    bool advanced = false;
    for (;;) {
        const std::uint64_t next = log.nextHop(m_cursor);
        const EventRecord* r = next != 0 ? log.find(next) : nullptr;
        if (r != nullptr && double(r->time) <= target) {
            if (m_hopIntervalMs > 0 && m_sinceHopMs < m_hopIntervalMs) {
                // Pacing: the playhead holds at the hop shown last until the next one's turn
                // (not at the next hop's time: the clock would run ahead of the picture).
                const EventRecord* shown = m_cursor != 0 ? log.find(m_cursor) : nullptr;
                target = std::max(double(m_playTime), shown != nullptr ? double(shown->time) : 0.0);
                break;
            }
            if (m_hopIntervalMs > 0)
                m_sinceHopMs = 0;
            moveTo(next, true);
            continue;
        }
        const double now = double(m_document->now());
        if (target < now) {
            // Replaying: cut a long quiet stretch before the next hop (or the lab's time).
            const double until = r != nullptr ? std::min(double(r->time), now) : now;
            if (until - target > maxIdle)
                target = until - maxIdle / 2;
            break;
        }
        if (advanced || target <= now)
            break;
        // Live: the lab catches up with the playhead; new hops may be recorded.
        m_document->advance(engine::SimDuration(target - now));
        advanced = true;
    }
    setPlayTime(std::max(m_playTime, qint64(target)));
}

void Player::onLabReset() {
    pause();
    m_cursor = 0;
    emit currentEventChanged(0);
    setPlayTime(m_document.isNull() ? 0 : m_document->now());
}

}  // namespace nlab::model
