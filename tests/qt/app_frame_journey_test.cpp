// A frame's journey (app/frame_journey.h) and its tokens (app/hop_animator.h) on the seed lab:
// the hops of one echo request across both nodes, the traces through the bridges it entered
// (with the tunnel id across the GRE tunnel), and the ways tokens take on the physical view.

#include <QtTest>

#include <functional>

#include "app/frame_journey.h"
#include "app/hop_animator.h"
#include "engine/core/trace.h"
#include "model/qt/event_log.h"
#include "model/qt/lab_document.h"
#include "views/physical_scene.h"

using nlab::model::EventKind;
using nlab::model::EventRecord;

namespace {

// The first hop of 'kind' at 'port' of a bridge ('bridge' true) or of the device itself.
quint64 findHop(const nlab::model::EventLog& log, EventKind kind, const std::string& node,
                const std::string& port, const char* what, bool bridge = true) {
    for (quint64 s = log.firstSeq(); s <= log.lastSeq(); ++s) {
        const EventRecord* r = log.find(s);
        if (r->kind == kind && r->node == node && r->port == port && (r->device != port) == bridge &&
            r->summary.find(what) != std::string::npos)
            return s;
    }
    return 0;
}

bool traceHas(const nlab::engine::TraceNode& n, const std::function<bool(const nlab::engine::TraceNode&)>& f) {
    if (f(n)) return true;
    for (const auto& c : n.children)
        if (traceHas(c, f)) return true;
    return false;
}

}  // namespace

class AppFrameJourneyTest : public QObject {
    Q_OBJECT
private slots:
    void untaggedFrameDropsVlanTags();
    void echoRequestJourneyAndTraces();
    void nonHopRecordsBelongToTheHopBefore();
    void tokensTakeTheWayOfTheFrame();
};

void AppFrameJourneyTest::untaggedFrameDropsVlanTags() {
    std::vector<std::uint8_t> plain(60, 0);
    plain[12] = 0x08;
    std::vector<std::uint8_t> tagged = plain;
    const std::uint8_t tag[] = {0x81, 0x00, 0x00, 0x04};
    tagged.insert(tagged.begin() + 12, tag, tag + 4);
    QCOMPARE(nlab::app::untaggedFrame(tagged), plain);
    QCOMPARE(nlab::app::untaggedFrame(plain), plain);
    QCOMPARE(nlab::app::untaggedFrame({1, 2, 3}), (std::vector<std::uint8_t>{1, 2, 3}));
}

void AppFrameJourneyTest::echoRequestJourneyAndTraces() {
    nlab::model::LabDocument doc;
    doc.setAutosaveInterval(0);
    QVERIFY(doc.openSeed());
    QCOMPARE(doc.runCommand("instance1", "ping -c 1 10.10.10.1").status, 0);
    const nlab::model::EventLog& log = doc.eventLog();
    const quint64 out = findHop(log, EventKind::FrameSent, "compute", "gre-0a0a648b", "echo request");
    QVERIFY(out != 0);
    nlab::app::FrameJourney j = nlab::app::findJourney(log, out);
    QCOMPARE(j.anchor, out);
    // From qvo on compute's br-int to qr- on the network node's br-int.
    const EventRecord* first = log.find(j.hops.front());
    const EventRecord* last = log.find(j.hops.back());
    QVERIFY(first->time < log.find(out)->time || first->seq < out);
    QVERIFY(std::find(j.hops.begin(), j.hops.end(),
                      findHop(log, EventKind::FrameReceived, "compute", "qvo8cbe7bb6-18", "echo request")) != j.hops.end());
    QVERIFY(std::find(j.hops.begin(), j.hops.end(),
                      findHop(log, EventKind::FrameSent, "network", "qr-d8fd27a6-d1", "echo request")) != j.hops.end());
    QVERIFY(last->summary.find("echo request") != std::string::npos);
    // No hop of the reply.
    for (quint64 s : j.hops) QVERIFY(log.find(s)->summary.find("echo reply") == std::string::npos);
    // Rule hits follow their hops: compute br-tun's learned table-20 rule is among them.
    bool learnedHit = false;
    for (quint64 s : j.records) {
        const EventRecord* r = log.find(s);
        if (r->kind == EventKind::FlowHit && r->node == "compute" && r->device == "br-tun" && r->table == 20 &&
            r->flow.find("dl_dst=fa:16:3e:2a:46:e0") != std::string::npos)
            learnedHit = true;
    }
    QVERIFY(learnedHit);

    nlab::app::traceJourney(doc.cloud().lab(), log, j);
    QCOMPARE(int(j.traces.size()), 2);
    const nlab::app::BridgeTrace& a = j.traces[0];
    QCOMPARE(a.node, std::string("compute"));
    QCOMPARE(a.bridge, std::string("br-int"));
    QCOMPARE(a.inPort, std::string("qvo8cbe7bb6-18"));
    QCOMPARE(a.tunId, std::uint64_t(0));
    QVERIFY(!a.dropped);
    // br-int's NORMAL, then br-tun through the patch, table 20's learned rule, out the tunnel.
    QVERIFY(traceHas(a.trace, [](const auto& n) {
        return n.kind == nlab::engine::TraceNode::Kind::Bridge && n.text.find("br-tun") != std::string::npos;
    }));
    QVERIFY(traceHas(a.trace, [](const auto& n) {
        return n.kind == nlab::engine::TraceNode::Kind::Table && n.table == 20 && n.ruleId != 0;
    }));
    QCOMPARE(int(a.datapathActions.size()), 1);
    QVERIFY2(a.datapathActions[0].find("tun_id=0x1") != std::string::npos, a.datapathActions[0].c_str());
    const nlab::app::BridgeTrace& b = j.traces[1];
    QCOMPARE(b.node + "/" + b.bridge + "/" + b.inPort, std::string("network/br-tun/gre-0a0a648c"));
    QCOMPARE(b.tunId, std::uint64_t(1));
    QVERIFY(!b.dropped);
    // tun_id 0x1 -> local VLAN 9 on the network node, then NORMAL to the router's port.
    QVERIFY(traceHas(b.trace, [](const auto& n) {
        return n.kind == nlab::engine::TraceNode::Kind::Table && n.table == 2 &&
               n.text.find("tun_id=0x1") != std::string::npos;
    }));
    QVERIFY2(b.datapathActions.size() == 1 && b.datapathActions[0].find("qr-d8fd27a6-d1") != std::string::npos,
             b.datapathActions.empty() ? "none" : b.datapathActions[0].c_str());
}

void AppFrameJourneyTest::nonHopRecordsBelongToTheHopBefore() {
    nlab::model::LabDocument doc;
    doc.setAutosaveInterval(0);
    QVERIFY(doc.openSeed());
    QCOMPARE(doc.runCommand("instance1", "ping -c 1 10.10.10.1").status, 0);
    const nlab::model::EventLog& log = doc.eventLog();
    const quint64 in = findHop(log, EventKind::FrameReceived, "compute", "qvo8cbe7bb6-18", "echo request");
    QVERIFY(in != 0);
    quint64 hit = 0;
    for (quint64 s = in + 1; s <= log.lastSeq() && !hit; ++s)
        if (log.find(s)->kind == EventKind::FlowHit) hit = s;
    QVERIFY(hit != 0);
    const nlab::app::FrameJourney j = nlab::app::findJourney(log, hit);
    QCOMPARE(j.anchor, log.previousHop(hit));
    QVERIFY(std::find(j.records.begin(), j.records.end(), hit) != j.records.end());
    QVERIFY(nlab::app::findJourney(log, log.lastSeq() + 10).isEmpty());
}

void AppFrameJourneyTest::tokensTakeTheWayOfTheFrame() {
    nlab::model::LabDocument doc;
    doc.setAutosaveInterval(0);
    QVERIFY(doc.openSeed());
    nlab::views::PhysicalScene scene(&doc.cloud());
    nlab::app::HopAnimator animator(&scene);
    QCOMPARE(doc.runCommand("instance1", "ping -c 1 10.10.10.1").status, 0);
    const nlab::model::EventLog& log = doc.eventLog();
    // Into compute's br-int from instance1: VM, tap, qbr, qvb, qvo, bridge.
    const EventRecord* in = log.find(findHop(log, EventKind::FrameReceived, "compute", "qvo8cbe7bb6-18", "echo request"));
    QVERIFY(in);
    QCOMPARE(animator.wayOf(*in), (QStringList{"vm:compute/instance1", "dev:compute/tap8cbe7bb6-18",
                                               "bridge:compute/qbr8cbe7bb6-18", "dev:compute/qvb8cbe7bb6-18",
                                               "dev:compute/qvo8cbe7bb6-18", "bridge:compute/br-int"}));
    // Out of compute's br-tun through the GRE port, across the tunnel.
    const EventRecord* out = log.find(findHop(log, EventKind::FrameSent, "compute", "gre-0a0a648b", "echo request"));
    QVERIFY(out);
    QCOMPARE(animator.wayOf(*out), (QStringList{"bridge:compute/br-tun", "dev:compute/gre-0a0a648b",
                                                "dev:network/gre-0a0a648c"}));
    // Through the patch between br-int and br-tun.
    const EventRecord* patch = log.find(findHop(log, EventKind::FrameSent, "compute", "patch-tun", "echo request"));
    QVERIFY(patch);
    QCOMPARE(animator.wayOf(*patch), (QStringList{"bridge:compute/br-int", "dev:compute/patch-tun",
                                                  "dev:compute/patch-int"}));
    // Device hops (tap, veths) move no token of their own.
    const EventRecord* tap = log.find(findHop(log, EventKind::FrameReceived, "compute", "tap8cbe7bb6-18", "echo request", false));
    if (tap) QVERIFY(animator.wayOf(*tap).isEmpty());
    // A token starts and its chain goes on.
    QVERIFY(animator.animate(*in));
    QCOMPARE(scene.tokensInFlight(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(scene.tokensInFlight() == 0, 10000);
}

QTEST_MAIN(AppFrameJourneyTest)
#include "app_frame_journey_test.moc"
