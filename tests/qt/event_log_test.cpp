// EventLog and Player: value records of the engine's events on the seed lab (frames with
// their summaries and nodes, learned rules, drops, MACs), the bound, batched notification,
// and the Player's step, step back, ticks, pacing and fast mode.

#include "model/qt/event_log.h"

#include "engine/core/events.h"
#include "engine/flow/flow_table.h"
#include "engine/lab/lab.h"
#include "model/qt/lab_document.h"
#include "model/qt/player.h"

#include <QSignalSpy>
#include <QtTest>

using nlab::engine::kMillisecond;
using nlab::engine::kSecond;
using nlab::model::EventKind;
using nlab::model::EventLog;
using nlab::model::EventRecord;
using nlab::model::FrameProtocol;
using nlab::model::LabDocument;
using nlab::model::Player;

namespace {

// The rule compute's br-tun learns when instance1 pings its gateway (SCENARIO.md, step 2).
const char kLearnedGateway[] =
    "table=20, hard_timeout=300, priority=1,vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0 "
    "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2";

std::vector<std::uint8_t> ethernet(std::uint16_t type, std::vector<std::uint8_t> payload,
                                   std::optional<std::uint16_t> vlan = {}) {
    std::vector<std::uint8_t> f(12, 0x02);
    if (vlan) {
        f.insert(f.end(), {0x81, 0x00, std::uint8_t(*vlan >> 8), std::uint8_t(*vlan)});
    }
    f.push_back(std::uint8_t(type >> 8));
    f.push_back(std::uint8_t(type));
    f.insert(f.end(), payload.begin(), payload.end());
    return f;
}

std::vector<std::uint8_t> ipv4(std::uint8_t proto, std::vector<std::uint8_t> l4) {
    std::vector<std::uint8_t> ip(20, 0);
    ip[0] = 0x45;
    ip[9] = proto;
    ip.insert(ip.end(), l4.begin(), l4.end());
    return ip;
}

std::vector<std::uint8_t> udp(std::uint16_t src, std::uint16_t dst) {
    return {std::uint8_t(src >> 8),
            std::uint8_t(src),
            std::uint8_t(dst >> 8),
            std::uint8_t(dst),
            0,
            8,
            0,
            0};
}

QString runOk(LabDocument& doc, const char* context, const char* line) {
    const auto out = doc.runCommand(QString::fromLatin1(context), QString::fromLatin1(line));
    if (out.status != 0)
        qWarning("%s: %s failed: %s%s", context, line, out.out.c_str(), out.err.c_str());
    return QString::fromStdString(out.out);
}

}  // namespace

class EventLogTest : public QObject {
    Q_OBJECT
private slots:
    void classifiesFrames();
    void recordsThePingOnBothNodes();
    void sequenceAndTimeOrder();
    void capacityDropsTheOldestAndNotifies();
    void clearKeepsNumbering();
    void detachStopsRecording();
    void playerStepsOverHops();
    void playerStepRunsTheLabWhenNothingIsRecorded();
    void playerTickAdvancesTheLabAtSpeed();
    void playerReplaysRecordedHopsBeforeAdvancing();
    void playerPacesHops();
    void playerFastModeRunsEvents();
    void playerSpeedIsClamped();
    void playerRewindsOnLabReset();
};

void EventLogTest::classifiesFrames() {
    using nlab::model::classifyFrame;
    QCOMPARE(classifyFrame(ethernet(0x0806, std::vector<std::uint8_t>(28, 0))), FrameProtocol::Arp);
    QCOMPARE(classifyFrame(ethernet(0x0800, ipv4(1, std::vector<std::uint8_t>(8, 0)))),
             FrameProtocol::Icmp);
    QCOMPARE(classifyFrame(ethernet(0x0800, ipv4(1, std::vector<std::uint8_t>(8, 0)), 4)),
             FrameProtocol::Icmp);
    QCOMPARE(classifyFrame(ethernet(0x0800, ipv4(17, udp(68, 67)))), FrameProtocol::Dhcp);
    QCOMPARE(classifyFrame(ethernet(0x0800, ipv4(17, udp(67, 68)))), FrameProtocol::Dhcp);
    QCOMPARE(classifyFrame(ethernet(0x0800, ipv4(47, std::vector<std::uint8_t>(8, 0)))),
             FrameProtocol::Gre);
    QCOMPARE(classifyFrame(ethernet(0x0800, ipv4(17, udp(51000, 4789)))), FrameProtocol::Gre);
    QCOMPARE(classifyFrame(ethernet(0x0800, ipv4(17, udp(53, 1024)))), FrameProtocol::Other);
    QCOMPARE(classifyFrame(ethernet(0x0800, ipv4(6, std::vector<std::uint8_t>(20, 0)))),
             FrameProtocol::Other);
    QCOMPARE(classifyFrame(ethernet(0x86dd, std::vector<std::uint8_t>(40, 0))),
             FrameProtocol::Other);
    // Truncated frames never read out of bounds.
    QCOMPARE(classifyFrame({0x02, 0x02}), FrameProtocol::Other);
    QCOMPARE(classifyFrame(ethernet(0x0800, {0x45, 0})), FrameProtocol::Other);
    QCOMPARE(classifyFrame(ethernet(0x8100, {0x00})), FrameProtocol::Other);
}

void EventLogTest::recordsThePingOnBothNodes() {
    LabDocument doc;
    QString error;
    QVERIFY2(doc.openSeed(&error), qPrintable(error));
    QCOMPARE(doc.eventLog().size(), std::size_t(0));
    QSignalSpy appended(&doc.eventLog(), &EventLog::recordsAppended);
    const QString out = runOk(doc, "instance1", "ping -c 1 10.10.10.1");
    QVERIFY2(out.contains(QLatin1String("1 packets transmitted, 1 packets received")),
             qPrintable(out));
    // One batch per command, announced before runCommand returns.
    QCOMPARE(appended.count(), 1);
    QCOMPARE(appended[0][0].toULongLong(), doc.eventLog().firstSeq());
    QCOMPARE(appended[0][1].toULongLong(), doc.eventLog().lastSeq());

    const EventLog& log = doc.eventLog();
    const EventRecord* learned = nullptr;
    const EventRecord* request = nullptr;
    int networkRecords = 0;
    for (std::size_t i = 0; i < log.size(); ++i) {
        const EventRecord& r = log.at(i);
        if (r.node == "network")
            ++networkRecords;
        if (r.kind == EventKind::FlowAdded && r.node == "compute" && r.flow == kLearnedGateway &&
            learned == nullptr)
            learned = &r;
        if (r.kind == EventKind::FrameReceived && r.node == "compute" && r.device == "br-int" &&
            r.protocol == FrameProtocol::Icmp && request == nullptr)
            request = &r;
    }
    QVERIFY(networkRecords > 0);
    QVERIFY(learned != nullptr);
    QCOMPARE(learned->device, std::string("br-tun"));
    QCOMPARE(learned->table, 20);
    QCOMPARE(learned->priority, std::uint16_t(1));
    QVERIFY(learned->learned);
    QVERIFY(!learned->refreshed);
    QVERIFY(!learned->frame.empty());  // the frame that taught it, from the router's MAC
    QCOMPARE(learned->frame[6], std::uint8_t(0xfa));
    QCOMPARE(learned->frame[11], std::uint8_t(0xe0));

    QVERIFY(request != nullptr);
    QCOMPARE(request->port, std::string("qvo8cbe7bb6-18"));
    QVERIFY(request->ofport != 0);
    QVERIFY2(QString::fromStdString(request->summary)
                 .startsWith(QLatin1String("fa:16:3e:32:28:af > fa:16:3e:2a:46:e0, 10.10.10.7 > "
                                           "10.10.10.1: ICMP echo request")),
             request->summary.c_str());
    QCOMPARE(request->frame.size(), std::size_t(98));
    QVERIFY(request->isHop());

    // The echo request entering compute's br-tun from br-int goes through tables 0, 1 and the
    // rule learned from the router's ARP reply.
    const EventRecord* intoTun = nullptr;
    for (std::size_t i = 0; i < log.size() && intoTun == nullptr; ++i) {
        const EventRecord& r = log.at(i);
        if (r.kind == EventKind::FrameReceived && r.node == "compute" && r.device == "br-tun" &&
            r.port == "patch-int" && r.protocol == FrameProtocol::Icmp)
            intoTun = &r;
    }
    QVERIFY(intoTun != nullptr);
    const std::vector<std::uint64_t> hits = log.flowHitsOf(intoTun->seq);
    QCOMPARE(hits.size(), std::size_t(3));
    QCOMPARE(log.find(hits[0])->flow, std::string("priority=1,in_port=1 actions=resubmit(,1)"));
    QCOMPARE(log.find(hits[1])->flow,
             std::string("table=1, priority=1,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00 "
                         "actions=resubmit(,20)"));
    QCOMPARE(log.find(hits[2])->flow, std::string(kLearnedGateway));
    QCOMPARE(log.find(hits[2])->table, 20);
    QCOMPARE(log.find(hits[2])->protocol, FrameProtocol::Icmp);
    QVERIFY(log.flowHitsOf(hits[0]).empty());  // not a FrameReceived

    // The rule hit that follows a frame on a bridge carries that frame's protocol.
    for (std::size_t i = 0; i + 1 < log.size(); ++i) {
        const EventRecord& r = log.at(i);
        const EventRecord& next = log.at(i + 1);
        if (r.kind == EventKind::FrameReceived && next.kind == EventKind::FlowHit &&
            next.node == r.node && next.device == r.device) {
            QCOMPARE(next.protocol, r.protocol);
            QVERIFY(!next.flow.empty());
            QVERIFY(next.table >= 0);
        }
    }
}

void EventLogTest::sequenceAndTimeOrder() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    const auto before = doc.now();
    runOk(doc, "instance1", "ping -c 2 10.10.10.1");
    const EventLog& log = doc.eventLog();
    QVERIFY(log.size() > 10);
    QCOMPARE(log.firstSeq(), std::uint64_t(1));
    for (std::size_t i = 0; i < log.size(); ++i) {
        QCOMPARE(log.at(i).seq, std::uint64_t(i + 1));
        QCOMPARE(log.find(i + 1), &log.at(i));
        QVERIFY(log.at(i).time >= before && log.at(i).time <= doc.now());
        if (i > 0)
            QVERIFY(log.at(i).time >= log.at(i - 1).time);
    }
    QVERIFY(log.find(0) == nullptr);
    QVERIFY(log.find(log.lastSeq() + 1) == nullptr);
    // nextHop / previousHop only stop at hops.
    const std::uint64_t first = log.nextHop(0);
    QVERIFY(first != 0);
    QVERIFY(log.find(first)->isHop());
    for (std::uint64_t s = 1; s < first; ++s)
        QVERIFY(!log.find(s)->isHop());
    const std::uint64_t last = log.previousHop(log.lastSeq() + 1);
    QVERIFY(log.find(last)->isHop());
    QCOMPARE(log.nextHop(last), std::uint64_t(0));
    QCOMPARE(log.previousHop(first), std::uint64_t(0));
}

void EventLogTest::capacityDropsTheOldestAndNotifies() {
    EventLog log;
    QSignalSpy dropped(&log, &EventLog::recordsDropped);
    QSignalSpy appended(&log, &EventLog::recordsAppended);
    log.setCapacity(3);
    nlab::engine::MacLearned e;
    e.bridge = "br-int";
    e.node = "network";
    for (int i = 0; i < 5; ++i) {
        e.mac = 0xfa163e000000ULL + std::uint64_t(i);
        log.record(i * kSecond, e);
    }
    // Nothing is announced before flush().
    QCOMPARE(dropped.count(), 0);
    QCOMPARE(appended.count(), 0);
    QCOMPARE(log.size(), std::size_t(3));
    QCOMPARE(log.firstSeq(), std::uint64_t(3));
    QCOMPARE(log.lastSeq(), std::uint64_t(5));
    QVERIFY(log.find(2) == nullptr);
    QCOMPARE(log.find(3)->mac, 0xfa163e000002ULL);
    QCOMPARE(log.find(3)->node, std::string("network"));
    QCOMPARE(log.find(3)->kind, EventKind::MacLearned);
    log.flush();
    QCOMPARE(dropped.count(), 1);
    QCOMPARE(dropped[0][0].toULongLong(), 3ULL);
    QCOMPARE(appended.count(), 1);
    QCOMPARE(appended[0][0].toULongLong(), 3ULL);
    QCOMPARE(appended[0][1].toULongLong(), 5ULL);
    log.flush();  // nothing pending: no signal
    QCOMPARE(dropped.count(), 1);
    QCOMPARE(appended.count(), 1);
    // Lowering the capacity drops at once.
    log.setCapacity(1);
    QCOMPARE(log.size(), std::size_t(1));
    QCOMPARE(log.firstSeq(), std::uint64_t(5));
    log.flush();
    QCOMPARE(dropped.count(), 2);
    QCOMPARE(dropped[1][0].toULongLong(), 5ULL);
    QCOMPARE(appended.count(), 1);
    // The flush is also posted to the event loop.
    log.record(9 * kSecond, e);
    QTRY_COMPARE(appended.count(), 2);
    QCOMPARE(appended[1][0].toULongLong(), 6ULL);
}

void EventLogTest::clearKeepsNumbering() {
    EventLog log;
    QSignalSpy cleared(&log, &EventLog::cleared);
    nlab::engine::MacAged e;
    e.bridge = "qbr8cbe7bb6-18";
    e.port = "tap8cbe7bb6-18";
    log.record(1, e);
    log.record(2, e);
    log.clear();
    QCOMPARE(cleared.count(), 1);
    QVERIFY(log.isEmpty());
    QCOMPARE(log.firstSeq(), std::uint64_t(3));
    QCOMPARE(log.lastSeq(), std::uint64_t(2));
    log.record(3, e);
    QCOMPARE(log.firstSeq(), std::uint64_t(3));
    QCOMPARE(log.find(3)->port, std::string("tap8cbe7bb6-18"));
    QCOMPARE(log.find(3)->kind, EventKind::MacAged);
}

void EventLogTest::detachStopsRecording() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    doc.eventLog().detach();
    runOk(doc, "instance1", "ping -c 1 10.10.10.1");
    QCOMPARE(doc.eventLog().size(), std::size_t(0));
    doc.eventLog().attach(doc.cloud().lab().events());
    doc.eventLog().setRecording(false);
    runOk(doc, "instance1", "ping -c 1 10.10.10.1");
    QCOMPARE(doc.eventLog().size(), std::size_t(0));
    doc.eventLog().setRecording(true);
    runOk(doc, "instance1", "ping -c 1 10.10.10.1");
    QVERIFY(doc.eventLog().size() > 0);
}

void EventLogTest::playerStepsOverHops() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    Player player(&doc);
    QCOMPARE(player.cursor(), 0ULL);
    runOk(doc, "instance1", "ping -c 1 10.10.10.1");
    const EventLog& log = doc.eventLog();
    QSignalSpy hops(&player, &Player::hop);
    QSignalSpy current(&player, &Player::currentEventChanged);
    const std::uint64_t h1 = log.nextHop(0);
    const std::uint64_t h2 = log.nextHop(h1);
    const std::uint64_t h3 = log.nextHop(h2);
    QVERIFY(h1 != 0 && h2 != 0 && h3 != 0);
    const auto now = doc.now();

    QVERIFY(player.step());
    QCOMPARE(player.cursor(), quint64(h1));
    QCOMPARE(player.currentRecord(), log.find(h1));
    QCOMPARE(player.playTime(), qint64(log.find(h1)->time));
    QCOMPARE(hops.count(), 1);
    QCOMPARE(hops[0][0].value<EventRecord>().seq, h1);
    QVERIFY(player.step());
    QVERIFY(player.step());
    QCOMPARE(player.cursor(), quint64(h3));
    QCOMPARE(hops.count(), 3);
    QCOMPARE(hops[2][0].value<EventRecord>().seq, h3);

    QVERIFY(player.stepBack());
    QCOMPARE(player.cursor(), quint64(h2));
    QCOMPARE(player.playTime(), qint64(log.find(h2)->time));
    QVERIFY(player.stepBack());
    QCOMPARE(player.cursor(), quint64(h1));
    QVERIFY(!player.stepBack());
    QCOMPARE(player.cursor(), quint64(h1));
    QCOMPARE(hops.count(), 3);  // stepping back emits no hop
    QCOMPARE(current.count(), 5);
    QCOMPARE(current.last()[0].toULongLong(), quint64(h1));
    // Stepping over recorded hops never runs the lab.
    QCOMPARE(doc.now(), now);
    QVERIFY(player.step());
    QCOMPARE(player.cursor(), quint64(h2));
    QCOMPARE(hops.count(), 4);
}

void EventLogTest::playerStepRunsTheLabWhenNothingIsRecorded() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    Player player(&doc);
    QCOMPARE(doc.eventLog().size(), std::size_t(0));
    const auto before = doc.now();
    QSignalSpy time(&doc, &LabDocument::timeAdvanced);
    // The seed's guests retry DHCP on their own: the lab has pending events that send frames.
    QVERIFY(player.step());
    QVERIFY(player.cursor() != 0);
    const EventRecord* r = player.currentRecord();
    QVERIFY(r != nullptr && r->isHop());
    QVERIFY(doc.now() > before);
    QCOMPARE(r->seq, doc.eventLog().nextHop(0));
    QCOMPARE(time.count(), 1);
}

void EventLogTest::playerTickAdvancesTheLabAtSpeed() {
    LabDocument doc;
    doc.newLab();
    Player player(&doc);
    const auto start = doc.now();
    QSignalSpy time(&doc, &LabDocument::timeAdvanced);
    player.tick(10.0);  // 10 ms of wall time at speed 1
    QCOMPARE(doc.now(), start + 10 * kMillisecond);
    QCOMPARE(player.playTime(), qint64(start + 10 * kMillisecond));
    QCOMPARE(time.count(), 1);
    player.setSpeed(0.5);
    player.tick(10.0);
    QCOMPARE(doc.now(), start + 15 * kMillisecond);
    player.setSpeed(100);
    player.tick(10.0);
    QCOMPARE(doc.now(), start + 1015 * kMillisecond);
    QCOMPARE(player.playTime(), qint64(start + 1015 * kMillisecond));
}

void EventLogTest::playerReplaysRecordedHopsBeforeAdvancing() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    Player player(&doc);
    const auto start = player.playTime();
    runOk(doc, "instance1", "ping -c 1 10.10.10.1");
    const auto labTime = doc.now();
    QVERIFY(labTime > start);
    QSignalSpy hops(&player, &Player::hop);
    // The ping's hops lie between the playhead and the lab's time: ticks replay them in
    // order, and the lab does not move until the playhead has caught up.
    int ticks = 0;
    while (player.playTime() < labTime && ticks < 10000) {
        player.tick(1.0);
        ++ticks;
        if (player.playTime() < labTime)
            QCOMPARE(doc.now(), labTime);
    }
    QVERIFY(ticks < 10000);
    // Once caught up, every hop recorded so far has been replayed, in order, none twice.
    player.tick(1.0);
    const EventLog& log = doc.eventLog();
    QCOMPARE(player.cursor(), quint64(log.previousHop(log.lastSeq() + 1)));
    int expected = 0;
    for (std::size_t i = 0; i < log.size(); ++i) {
        if (log.at(i).isHop())
            ++expected;
    }
    QVERIFY(expected > 20);
    QCOMPARE(hops.count(), expected);
    std::uint64_t previous = 0;
    for (const auto& args : hops) {
        const auto seq = args[0].value<EventRecord>().seq;
        QCOMPARE(seq, log.nextHop(previous));
        previous = seq;
    }
}

void EventLogTest::playerPacesHops() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    Player player(&doc);
    runOk(doc, "instance1", "ping -c 1 10.10.10.1");
    const auto labTime = doc.now();
    player.setSpeed(1000);  // the whole ping fits in one tick
    player.setHopInterval(100);
    QSignalSpy hops(&player, &Player::hop);
    player.tick(50);  // pacing: 50 ms since the last hop (none yet) < 100 ms
    QCOMPARE(hops.count(), 0);
    player.tick(50);
    QCOMPARE(hops.count(), 1);
    QCOMPARE(hops[0][0].value<EventRecord>().seq, doc.eventLog().nextHop(0));
    QCOMPARE(player.playTime(), qint64(doc.eventLog().find(player.cursor())->time));
    player.tick(99);
    QCOMPARE(hops.count(), 1);
    player.tick(1);
    QCOMPARE(hops.count(), 2);
    QCOMPARE(doc.now(), labTime);  // still replaying
}

void EventLogTest::playerFastModeRunsEvents() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    Player player(&doc);
    player.setSpeed(Player::kAsFastAsPossible);
    QCOMPARE(player.speed(), Player::kAsFastAsPossible);
    const auto before = doc.now();
    QSignalSpy hops(&player, &Player::hop);
    player.tick(16);
    QVERIFY(doc.now() > before);
    QVERIFY(doc.eventLog().size() > 0);
    QCOMPARE(player.cursor(), quint64(doc.eventLog().previousHop(doc.eventLog().lastSeq() + 1)));
    QCOMPARE(player.playTime(), qint64(doc.now()));
    QCOMPARE(hops.count(), 0);  // too fast to animate
}

void EventLogTest::playerSpeedIsClamped() {
    LabDocument doc;
    Player player(&doc);
    QSignalSpy speed(&player, &Player::speedChanged);
    player.setSpeed(0.01);
    QCOMPARE(player.speed(), Player::kMinSpeed);
    player.setSpeed(std::nan(""));
    QCOMPARE(player.speed(), Player::kMinSpeed);
    player.setSpeed(2);
    QCOMPARE(player.speed(), 2.0);
    QCOMPARE(speed.count(), 2);
    QSignalSpy playing(&player, &Player::playingChanged);
    player.play();
    QVERIFY(player.isPlaying());
    player.toggle();
    QVERIFY(!player.isPlaying());
    QCOMPARE(playing.count(), 2);
}

void EventLogTest::playerRewindsOnLabReset() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    Player player(&doc);
    runOk(doc, "instance1", "ping -c 1 10.10.10.1");
    QVERIFY(player.step());
    player.play();
    doc.newLab();
    QVERIFY(!player.isPlaying());
    QCOMPARE(player.cursor(), 0ULL);
    QCOMPARE(player.playTime(), qint64(doc.now()));
    QVERIFY(player.currentRecord() == nullptr);
}

QTEST_MAIN(EventLogTest)
#include "event_log_test.moc"
