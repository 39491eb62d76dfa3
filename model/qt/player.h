#pragma once
// Player: the animation cursor over the EventLog — Packet Tracer's play, pause, step, step
// back and speed — and the driver of the lab's clock while the app runs.
//
// What
//   The cursor is a frame hop record of the EventLog (received, sent, dropped; sequence
//   number 0 before the first). The playhead is a virtual time. play() moves the playhead
//   forward by speed x the wall time elapsed at each tick of a QTimer; the cursor follows
//   over every hop recorded up to the playhead, emitting hop(record) for each (the views
//   animate a token along the hop) and currentEventChanged(seq). When the playhead passes the
//   lab's time, the Player advances the lab (LabDocument::advance), so timers, leases and
//   flow timeouts happen in time with what is shown. step() moves to the next hop (running
//   the lab until one is recorded, when none is recorded yet); stepBack() moves to the
//   previous recorded hop. The engine never runs backwards: stepping back replays the
//   record, it does not undo the lab.
//
// Design
//   - Speed is a factor of real time, from kMinSpeed (0.1) up; kAsFastAsPossible (infinity)
//     runs the lab's pending events for a wall-time budget per tick (LabDocument::runEvents)
//     and moves the cursor to the newest hop at once, emitting only currentEventChanged.
//   - Commands that run the clock themselves (ping in the console) record their hops at
//     once; playing then replays them from the cursor at the chosen speed while the playhead
//     is behind the lab's time: replaying comes before advancing.
//   - Optional pacing (hopInterval(), wall milliseconds, default 0 = off) lets at most one
//     hop through per interval so every hop is seen at any speed: the playhead waits at the
//     next hop until its turn.
//   - Wall time is read here (QElapsedTimer) and only here; the engine sees virtual time.
//   - labReset() pauses and rewinds (cursor 0, playhead at the new lab's time); a cleared
//     or trimmed log that loses the cursor's record keeps the cursor's number (find() gives
//     null) until the next move.
//
// Invariants
//   The cursor is 0 or the sequence number of a hop record. The playhead never exceeds the
//   lab's time by more than one tick's worth and never goes backwards except by stepBack().

#include "engine/core/sim_clock.h"
#include "model/qt/event_log.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <cstdint>
#include <limits>

namespace nlab::model {

class LabDocument;

class Player : public QObject {
    Q_OBJECT
public:
    static constexpr double kMinSpeed = 0.1;
    static constexpr double kAsFastAsPossible = std::numeric_limits<double>::infinity();

    /// A player over 'document' and its EventLog (the document must outlive it). Paused,
    /// speed 1, cursor 0, playhead at the document's time.
    explicit Player(LabDocument* document, QObject* parent = nullptr);

    bool isPlaying() const { return m_timer.isActive(); }
    /// The speed factor (kMinSpeed..kAsFastAsPossible).
    double speed() const { return m_speed; }
    /// Sequence number of the current hop record (0: none yet).
    quint64 cursor() const { return m_cursor; }
    /// The current record (nullptr when the cursor is 0 or its record was dropped).
    const EventRecord* currentRecord() const;
    /// The playhead (virtual ns).
    qint64 playTime() const { return m_playTime; }
    /// Wall milliseconds between timer ticks (default 16).
    int tickInterval() const { return m_timer.interval(); }
    void setTickInterval(int ms);
    /// Minimum wall milliseconds between two hops while playing (0: no pacing).
    int hopInterval() const { return m_hopIntervalMs; }
    void setHopInterval(int ms);

public slots:
    void play();
    void pause();
    /// play() or pause().
    void toggle();
    /// Sets the speed, clamped to [kMinSpeed, kAsFastAsPossible]; a NaN is ignored.
    void setSpeed(double speed);
    /// Moves to the next hop; runs the lab's pending events until one is recorded when
    /// none is recorded after the cursor (up to 'maxEvents' engine events). Returns whether
    /// the cursor moved.
    bool step(int maxEvents = 100000);
    /// Moves to the previous recorded hop. Returns whether the cursor moved.
    bool stepBack();
    /// Moves the cursor to the last recorded hop and the playhead to the lab's time.
    void skipToEnd();
    /// One timer tick with 'wallMs' elapsed (what the timer calls with the measured time;
    /// public for tests).
    void tick(double wallMs);

signals:
    void playingChanged(bool playing);
    void speedChanged(double speed);
    /// The cursor moved to record 'seq' (0: none).
    void currentEventChanged(quint64 seq);
    /// The cursor passed over hop 'record' going forward (also for step()); views animate it.
    void hop(const nlab::model::EventRecord& record);
    void playTimeChanged(qint64 time);

private:
    void moveTo(quint64 seq, bool emitHop);
    void onTimer();
    void onLabReset();
    void setPlayTime(qint64 time);

    QPointer<LabDocument> m_document;
    QTimer m_timer;
    QElapsedTimer m_wall;
    double m_speed = 1.0;
    quint64 m_cursor = 0;
    qint64 m_playTime = 0;
    int m_hopIntervalMs = 0;
    double m_sinceHopMs = 0;  // wall ms since the last hop went through (pacing)
};

}  // namespace nlab::model
