// The item models of model/qt on the seed lab, each watched by QAbstractItemModelTester
// (Fatal) while the lab changes: FlowTableModel (a learned rule appears after a ping and
// leaves 300 s later), MacTableModel (Linux bridge FDB, NORMAL table), EventListModel and its
// filter proxy, TenantTreeModel (incremental edits), and PortCounterSeries.

#include "engine/devices/ovs_bridge.h"
#include "engine/flow/ofctl_format.h"
#include "engine/lab/lab.h"
#include "engine/net/net_device.h"
#include "model/qt/event_filter_proxy_model.h"
#include "model/qt/event_list_model.h"
#include "model/qt/flow_table_model.h"
#include "model/qt/lab_document.h"
#include "model/qt/mac_table_model.h"
#include "model/qt/port_counter_series.h"
#include "model/qt/roles.h"
#include "model/qt/tenant_tree_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <cmath>

using nlab::engine::kSecond;
using nlab::model::Cloud;
using nlab::model::CounterSource;
using nlab::model::EventFilterProxyModel;
using nlab::model::EventKind;
using nlab::model::EventListModel;
using nlab::model::FlowTableModel;
using nlab::model::FrameProtocol;
using nlab::model::LabDocument;
using nlab::model::MacTableModel;
using nlab::model::ObjectKind;
using nlab::model::ObjectRef;
using nlab::model::PortCounterSeries;
using nlab::model::Role;
using nlab::model::roleId;
using nlab::model::TenantTreeModel;
using Tester = QAbstractItemModelTester;

namespace {

// SCENARIO.md step 2: what compute's br-tun table 20 learns when instance1 pings 10.10.10.1.
const char kLearnedMatch[] = "vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0";
const char kLearnedActions[] = "load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2";
const char kLearnedText[] =
    "table=20, hard_timeout=300, priority=1,vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0 "
    "actions=load:0->NXM_OF_VLAN_TCI[],load:0x1->NXM_NX_TUN_ID[],output:2";

QString cell(const QAbstractItemModel& m, int row, int column, const QModelIndex& parent = {}) {
    return m.index(row, column, parent).data().toString();
}

int findRow(const QAbstractItemModel& m, int column, const QString& text,
            const QModelIndex& parent = {}) {
    for (int r = 0; r < m.rowCount(parent); ++r) {
        if (cell(m, r, column, parent) == text)
            return r;
    }
    return -1;
}

void ping(LabDocument& doc, const char* vm, const char* target, int count = 1) {
    const auto out = doc.runCommand(QString::fromLatin1(vm),
                                    QStringLiteral("ping -c %1 %2").arg(count).arg(target));
    QVERIFY2(out.status == 0, out.out.c_str());
}

const nlab::engine::FlowEntry* learnedEntry(LabDocument& doc) {
    const nlab::engine::OvsBridge* br = doc.cloud().lab().node("compute")->ovsBridge("br-tun");
    for (const nlab::engine::FlowEntry* e : br->findTable(20)->entries()) {
        if (e->spec.priority == 1 && QString::fromStdString(nlab::engine::formatMatch(
                                         e->spec.match)) == QLatin1String(kLearnedMatch))
            return e;
    }
    return nullptr;
}

}  // namespace

class ItemModelsTest : public QObject {
    Q_OBJECT
private slots:
    void flowTableLearnsAndForgets();
    void flowTableCountersRiseWithoutReset();
    void flowTableOfAMissingBridgeIsEmpty();
    void macTableOfALinuxBridge();
    void macTableOfANormalBridge();
    void eventListFollowsTheLog();
    void eventFilterByProtocolNodeAndKind();
    void tenantTreeShowsTheSeed();
    void tenantTreeUpdatesIncrementally();
    void portCounterSeriesSamplesRates();
};

void ItemModelsTest::flowTableLearnsAndForgets() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    FlowTableModel model(&doc, QStringLiteral("compute"), QStringLiteral("br-tun"));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QVERIFY(model.bridgeExists());
    QCOMPARE(model.columnCount(), int(FlowTableModel::ColumnCount));
    QCOMPARE(model.headerData(FlowTableModel::MatchColumn, Qt::Horizontal).toString(),
             QStringLiteral("Match"));
    // The table-20 miss rule of the base flows.
    int miss = -1;
    for (int r = 0; r < model.rowCount(); ++r) {
        if (cell(model, r, FlowTableModel::TableColumn) == QLatin1String("20") &&
            cell(model, r, FlowTableModel::PriorityColumn) == QLatin1String("0"))
            miss = r;
    }
    QVERIFY(miss >= 0);
    QCOMPARE(cell(model, miss, FlowTableModel::ActionsColumn), QStringLiteral("resubmit(,21)"));
    QCOMPARE(cell(model, miss, FlowTableModel::MatchColumn), QString());
    QCOMPARE(cell(model, miss, FlowTableModel::LearnedColumn), QString());
    QCOMPARE(model.index(miss, 0).data(roleId(Role::Expiring)).toDouble(), 1.0);
    QCOMPARE(model.index(miss, 0).data(roleId(Role::RemainingSeconds)).toDouble(), -1.0);
    QCOMPARE(findRow(model, FlowTableModel::MatchColumn, QLatin1String(kLearnedMatch)), -1);
    const int before = model.rowCount();

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    ping(doc, "instance1", "10.10.10.1");
    const int row = findRow(model, FlowTableModel::MatchColumn, QLatin1String(kLearnedMatch));
    QVERIFY(row >= 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), before + 1);
    QCOMPARE(reset.count(), 0);
    const nlab::engine::FlowEntry* entry = learnedEntry(doc);
    QVERIFY(entry != nullptr);
    QCOMPARE(cell(model, row, FlowTableModel::TableColumn), QStringLiteral("20"));
    QCOMPARE(cell(model, row, FlowTableModel::PriorityColumn), QStringLiteral("1"));
    QCOMPARE(cell(model, row, FlowTableModel::ActionsColumn), QLatin1String(kLearnedActions));
    QCOMPARE(cell(model, row, FlowTableModel::LearnedColumn), QStringLiteral("yes"));
    QCOMPARE(cell(model, row, FlowTableModel::IdleTimeoutColumn), QString());
    QCOMPARE(cell(model, row, FlowTableModel::PacketsColumn), QString::number(entry->nPackets));
    QCOMPARE(cell(model, row, FlowTableModel::BytesColumn), QString::number(entry->nBytes));
    const QModelIndex first = model.index(row, 0);
    QCOMPARE(first.data(roleId(Role::FlowText)).toString(), QLatin1String(kLearnedText));
    QCOMPARE(first.data(roleId(Role::Learned)).toBool(), true);
    QCOMPARE(first.data(roleId(Role::TableId)).toInt(), 20);
    QCOMPARE(first.data(roleId(Role::FlowId)).toULongLong(), quint64(entry->id));
    QCOMPARE(model.indexOfFlow(20, entry->id), first);
    QCOMPARE(first.data(roleId(Role::JustAdded)).toBool(), true);
    auto modified = entry->modified;
    const double left = double(modified + 300 * kSecond - doc.now()) / double(kSecond);
    QCOMPARE(first.data(roleId(Role::RemainingSeconds)).toDouble(), left);
    QCOMPARE(first.data(roleId(Role::Expiring)).toDouble(), left / 300.0);
    QCOMPARE(cell(model, row, FlowTableModel::HardTimeoutColumn),
             QStringLiteral("300 (%1 s left)").arg(std::ceil(left)));

    // The flash ends after flashDuration().
    doc.advance(model.flashDuration());
    QCOMPARE(model.index(row, 0).data(roleId(Role::JustAdded)).toBool(), false);
    // Half way: the fade is at one half. (The router's ARP probe of instance1, a few seconds
    // after the ping, refreshes the rule: the hard timeout counts from the last refresh.)
    doc.advance(10 * kSecond);
    QVERIFY(learnedEntry(doc) != nullptr);
    modified = learnedEntry(doc)->modified;
    doc.advance(modified + 150 * kSecond - doc.now());
    QCOMPARE(model.index(row, 0).data(roleId(Role::Expiring)).toDouble(), 0.5);
    QCOMPARE(cell(model, row, FlowTableModel::HardTimeoutColumn),
             QStringLiteral("300 (150 s left)"));
    QCOMPARE(cell(model, row, FlowTableModel::DurationColumn).right(1), QStringLiteral("s"));
    // Still there 1 ns before the hard timeout, gone at it.
    doc.advance(modified + 300 * kSecond - 1 - doc.now());
    QVERIFY(findRow(model, FlowTableModel::MatchColumn, QLatin1String(kLearnedMatch)) >= 0);
    QCOMPARE(
        model.index(findRow(model, FlowTableModel::MatchColumn, QLatin1String(kLearnedMatch)), 0)
            .data(roleId(Role::Expiring))
            .toDouble(),
        1.0 / double(kSecond) / 300.0);  // 1 ns of 300 s left
    const int removedBefore = removed.count();
    doc.advance(1);
    QCOMPARE(findRow(model, FlowTableModel::MatchColumn, QLatin1String(kLearnedMatch)), -1);
    QVERIFY(removed.count() > removedBefore);
    QVERIFY(learnedEntry(doc) == nullptr);
    QCOMPARE(reset.count(), 0);
    // A new lab resets the model.
    doc.newLab();
    QCOMPARE(reset.count(), 1);
    QVERIFY(model.rowCount() > 0);
    QCOMPARE(findRow(model, FlowTableModel::MatchColumn, QLatin1String(kLearnedMatch)), -1);
}

void ItemModelsTest::flowTableCountersRiseWithoutReset() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    FlowTableModel model(&doc, QStringLiteral("compute"), QStringLiteral("br-tun"));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    ping(doc, "instance1", "10.10.10.1");
    const int row = findRow(model, FlowTableModel::MatchColumn, QLatin1String(kLearnedMatch));
    QVERIFY(row >= 0);
    const quint64 packets = model.index(row, FlowTableModel::PacketsColumn).data().toULongLong();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    ping(doc, "instance1", "10.10.10.1", 2);
    const int again = findRow(model, FlowTableModel::MatchColumn, QLatin1String(kLearnedMatch));
    QCOMPARE(again, row);
    const quint64 now = model.index(row, FlowTableModel::PacketsColumn).data().toULongLong();
    QCOMPARE(now, quint64(learnedEntry(doc)->nPackets));
    QVERIFY(now >= packets + 2);
    QVERIFY(changed.count() > 0);
    QCOMPARE(reset.count(), 0);
    bool covered = false;
    for (const auto& args : changed) {
        const auto tl = args[0].value<QModelIndex>();
        const auto br = args[1].value<QModelIndex>();
        if (tl.row() <= row && br.row() >= row && tl.column() <= FlowTableModel::PacketsColumn &&
            br.column() >= FlowTableModel::PacketsColumn)
            covered = true;
    }
    QVERIFY(covered);
}

void ItemModelsTest::flowTableOfAMissingBridgeIsEmpty() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    FlowTableModel model(&doc, QStringLiteral("compute"), QStringLiteral("br-nope"));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QVERIFY(!model.bridgeExists());
    QCOMPARE(model.rowCount(), 0);
    ping(doc, "instance1", "10.10.10.1");
    QCOMPARE(model.rowCount(), 0);
    model.setBridge(QStringLiteral("network"), QStringLiteral("br-ex"));
    QVERIFY(model.bridgeExists());
    QCOMPARE(model.node(), QStringLiteral("network"));
    QCOMPARE(model.rowCount(), 1);  // standalone br-ex: priority=0 actions=NORMAL
    QCOMPARE(cell(model, 0, FlowTableModel::ActionsColumn), QStringLiteral("NORMAL"));
}

void ItemModelsTest::macTableOfALinuxBridge() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    MacTableModel model(&doc, QStringLiteral("compute"), QStringLiteral("qbr8cbe7bb6-18"));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QVERIFY(model.isLinuxBridge());
    // Local entries (qvb's and the tap's own MACs), instance1 behind the tap, the DHCP server
    // (10.10.10.2) and instance2 behind qvb, sorted by MAC.
    QCOMPARE(model.rowCount(), 5);
    const QStringList expected[] = {
        {"1", "qvb8cbe7bb6-18", "", "1a:8e:57:f2:7d:11", "", "yes"},
        {"2", "tap8cbe7bb6-18", "", "fa:16:3e:32:28:af", "?", ""},
        {"1", "qvb8cbe7bb6-18", "", "fa:16:3e:3c:54:50", "?", ""},
        {"1", "qvb8cbe7bb6-18", "", "fa:16:3e:53:9b:3b", "?", ""},
        {"2", "tap8cbe7bb6-18", "", "fe:16:3e:32:28:af", "", "yes"},
    };
    for (int r = 0; r < 5; ++r) {
        for (int c = 0; c < MacTableModel::ColumnCount; ++c) {
            if (expected[r][c] == QLatin1String("?"))
                continue;  // age, checked below
            QCOMPARE(cell(model, r, c), expected[r][c]);
        }
    }
    const double age = model.index(1, 0).data(roleId(Role::AgeSeconds)).toDouble();
    QVERIFY(age >= 0);
    QCOMPARE(cell(model, 1, MacTableModel::AgeColumn), QString::number(int(age)));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    doc.advance(2 * kSecond);
    QCOMPARE(model.index(1, 0).data(roleId(Role::AgeSeconds)).toDouble(), age + 2.0);
    QVERIFY(changed.count() >= 1);
    QCOMPARE(model.index(0, 0).data(roleId(Role::Mac)).toULongLong(), 0x1a8e57f27d11ULL);
}

void ItemModelsTest::macTableOfANormalBridge() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    MacTableModel model(&doc, QStringLiteral("compute"), QStringLiteral("br-int"));
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QVERIFY(!model.isLinuxBridge());
    QCOMPARE(findRow(model, MacTableModel::MacColumn, QStringLiteral("fa:16:3e:2a:46:e0")), -1);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    ping(doc, "instance1", "10.10.10.1");
    const int row = findRow(model, MacTableModel::MacColumn, QStringLiteral("fa:16:3e:2a:46:e0"));
    QVERIFY(row >= 0);
    QVERIFY(inserted.count() >= 1);
    QCOMPARE(cell(model, row, MacTableModel::PortColumn), QStringLiteral("1"));
    QCOMPARE(cell(model, row, MacTableModel::PortNameColumn), QStringLiteral("patch-tun"));
    QCOMPARE(cell(model, row, MacTableModel::VlanColumn), QStringLiteral("4"));
    QCOMPARE(cell(model, row, MacTableModel::AgeColumn), QStringLiteral("0"));
    QCOMPARE(cell(model, row, MacTableModel::LocalColumn), QString());
    // Sorted by (VLAN, MAC).
    for (int r = 1; r < model.rowCount(); ++r) {
        const auto a = std::pair(model.index(r - 1, MacTableModel::VlanColumn).data().toInt(),
                                 model.index(r - 1, 0).data(roleId(Role::Mac)).toULongLong());
        const auto b = std::pair(model.index(r, MacTableModel::VlanColumn).data().toInt(),
                                 model.index(r, 0).data(roleId(Role::Mac)).toULongLong());
        QVERIFY(a < b);
    }
    // OVS ages MACs after 300 s without traffic (the router's ARP probe a few seconds after
    // the ping refreshes the entry: wait from the last time it was seen).
    doc.advance(5 * kSecond);
    const double age = model.index(row, 0).data(roleId(Role::AgeSeconds)).toDouble();
    QVERIFY(age < 300);
    doc.advance(nlab::engine::SimDuration((300 - age) * double(kSecond)) - 1);
    QCOMPARE(findRow(model, MacTableModel::MacColumn, QStringLiteral("fa:16:3e:2a:46:e0")), row);
    doc.advance(1);
    QCOMPARE(findRow(model, MacTableModel::MacColumn, QStringLiteral("fa:16:3e:2a:46:e0")), -1);
    QVERIFY(removed.count() >= 1);
}

void ItemModelsTest::eventListFollowsTheLog() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    EventListModel model(&doc.eventLog());
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QCOMPARE(model.rowCount(), 0);
    ping(doc, "instance1", "10.10.10.1");
    const auto& log = doc.eventLog();
    QCOMPARE(model.rowCount(), int(log.size()));
    int request = -1;
    for (int r = 0; r < model.rowCount(); ++r) {
        const auto* rec = model.record(r);
        QCOMPARE(rec, &log.at(std::size_t(r)));
        QCOMPARE(model.rowOf(rec->seq), r);
        if (request < 0 && rec->kind == EventKind::FrameReceived && rec->node == "compute" &&
            rec->device == "br-int" && rec->protocol == FrameProtocol::Icmp)
            request = r;
    }
    QVERIFY(request >= 0);
    const auto* rec = model.record(request);
    QCOMPARE(cell(model, request, EventListModel::SequenceColumn), QString::number(rec->seq));
    QCOMPARE(cell(model, request, EventListModel::TimeColumn),
             QStringLiteral("%1.%2")
                 .arg(rec->time / kSecond)
                 .arg((rec->time % kSecond) / 1000, 6, 10, QLatin1Char('0')));
    QCOMPARE(cell(model, request, EventListModel::NodeColumn), QStringLiteral("compute"));
    QCOMPARE(cell(model, request, EventListModel::DeviceColumn), QStringLiteral("br-int"));
    QCOMPARE(cell(model, request, EventListModel::PortColumn), QStringLiteral("qvo8cbe7bb6-18"));
    QCOMPARE(cell(model, request, EventListModel::KindColumn), QStringLiteral("Received"));
    QCOMPARE(cell(model, request, EventListModel::ProtocolColumn), QStringLiteral("ICMP"));
    QCOMPARE(cell(model, request, EventListModel::InfoColumn),
             QString::fromStdString(rec->summary));
    QCOMPARE(model.index(request, 0).data(roleId(Role::Sequence)).toULongLong(), rec->seq);
    QCOMPARE(model.index(request, 0).data(roleId(Role::Node)).toString(),
             QStringLiteral("compute"));
    QCOMPARE(EventListModel::timeText(61'000'125'000), QStringLiteral("61.000125"));

    // Dropping the oldest records removes rows at the top.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    const auto last = log.lastSeq();
    doc.eventLog().setCapacity(10);
    doc.eventLog().flush();
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.record(9)->seq, last);
    QCOMPARE(model.record(0)->seq, last - 9);
    // New records append at the bottom (and push out as many at the top).
    ping(doc, "instance1", "10.10.10.1");
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.record(9)->seq, log.lastSeq());
    // clear() resets.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    doc.newLab();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);
}

void ItemModelsTest::eventFilterByProtocolNodeAndKind() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    EventListModel source(&doc.eventLog());
    EventFilterProxyModel proxy;
    proxy.setSourceModel(&source);
    Tester tester(&proxy, Tester::FailureReportingMode::Fatal);
    ping(doc, "instance1", "10.10.10.1");
    const auto& log = doc.eventLog();
    QCOMPARE(proxy.rowCount(), int(log.size()));
    auto count = [&](auto pred) {
        int n = 0;
        for (std::size_t i = 0; i < log.size(); ++i)
            n += pred(log.at(i)) ? 1 : 0;
        return n;
    };
    proxy.setProtocolMask(1u << int(FrameProtocol::Icmp));
    const int icmp = count([](const auto& r) { return r.protocol == FrameProtocol::Icmp; });
    QVERIFY(icmp > 0);
    QCOMPARE(proxy.rowCount(), icmp);
    for (int r = 0; r < proxy.rowCount(); ++r)
        QCOMPARE(proxy.index(r, EventListModel::ProtocolColumn).data().toString(),
                 QStringLiteral("ICMP"));
    proxy.setProtocolEnabled(FrameProtocol::Arp, true);
    QVERIFY(proxy.isProtocolEnabled(FrameProtocol::Arp));
    QCOMPARE(proxy.rowCount(),
             icmp + count([](const auto& r) { return r.protocol == FrameProtocol::Arp; }));
    proxy.setProtocolMask(EventFilterProxyModel::kAllProtocols);
    proxy.setNodeFilter(QStringLiteral("network"));
    const int network = count([](const auto& r) { return r.node == "network"; });
    QVERIFY(network > 0);
    QCOMPARE(proxy.rowCount(), network);
    proxy.setHopsOnly(true);
    QCOMPARE(proxy.rowCount(),
             count([](const auto& r) { return r.node == "network" && r.isHop(); }));
    proxy.setNodeFilter(QString());
    proxy.setHopsOnly(false);
    proxy.setProtocolEnabled(FrameProtocol::Other, false);
    QCOMPARE(proxy.rowCount(),
             count([](const auto& r) { return r.protocol != FrameProtocol::Other; }));
    // New records pass through the filter as they arrive.
    ping(doc, "instance1", "10.10.10.1");
    QCOMPARE(proxy.rowCount(),
             count([](const auto& r) { return r.protocol != FrameProtocol::Other; }));
}

void ItemModelsTest::tenantTreeShowsTheSeed() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    TenantTreeModel model(&doc);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    const auto& state = doc.cloud().state();
    QCOMPARE(model.rowCount(), 5);
    const QStringList groups = {"Hosts", "Networks", "Routers", "Instances", "Floating IPs"};
    for (int r = 0; r < 5; ++r) {
        QCOMPARE(cell(model, r, 0), groups[r]);
        QCOMPARE(model.index(r, 0).data(roleId(Role::ObjectKind)).toInt(), int(ObjectKind::Group));
    }
    QCOMPARE(model.rowCount(model.index(0, 0)), int(state.hosts.size()));
    QCOMPARE(model.rowCount(model.index(1, 0)), int(state.networks.size()));
    QCOMPARE(model.rowCount(model.index(2, 0)), int(state.routers.size()));
    QCOMPARE(model.rowCount(model.index(3, 0)), int(state.instances.size()));
    QCOMPARE(model.rowCount(model.index(4, 0)), int(state.floatingIps.size()));
    QCOMPARE(cell(model, 0, 1, model.index(0, 0)),
             QStringLiteral("network node, data 10.10.100.139"));
    QCOMPARE(cell(model, 1, 1, model.index(0, 0)),
             QStringLiteral("compute node, data 10.10.100.140"));

    const auto* private1 = state.network("private1");
    QVERIFY(private1 != nullptr);
    const QModelIndex net =
        model.indexOf({ObjectKind::Network, QString::fromStdString(private1->id)});
    QVERIFY(net.isValid());
    QCOMPARE(net.data().toString(), QStringLiteral("private1"));
    QCOMPARE(model.index(net.row(), TenantTreeModel::DetailColumn, net.parent()).data().toString(),
             QStringLiteral("gre 1"));
    QCOMPARE(model.index(net.row(), TenantTreeModel::IdColumn, net.parent()).data().toString(),
             QString::fromStdString(private1->id));
    QCOMPARE(TenantTreeModel::objectAt(net),
             (ObjectRef{ObjectKind::Network, QString::fromStdString(private1->id)}));
    // Its subnet first, then its ports.
    const QModelIndex subnet = model.index(0, 0, net);
    QCOMPARE(subnet.data(roleId(Role::ObjectKind)).toInt(), int(ObjectKind::Subnet));
    QCOMPARE(model.index(0, TenantTreeModel::DetailColumn, net).data().toString(),
             QStringLiteral("10.10.10.0/24, gateway 10.10.10.1, DHCP"));
    QCOMPARE(model.rowCount(net),
             int(state.subnetsOf(private1->id).size() + state.portsOf(private1->id).size()));

    // instance1's NIC appears under its network and under the instance.
    const auto* instance1 = state.instance("instance1");
    QVERIFY(instance1 != nullptr);
    const QModelIndex inst =
        model.indexOf({ObjectKind::Instance, QString::fromStdString(instance1->id)});
    QCOMPARE(inst.data().toString(), QStringLiteral("instance1"));
    QCOMPARE(model.index(inst.row(), 1, inst.parent()).data().toString(),
             QStringLiteral("on compute"));
    QCOMPARE(model.rowCount(inst), 1);
    const QModelIndex nic = model.index(0, 0, inst);
    QCOMPARE(nic.data().toString(), QStringLiteral("tap8cbe7bb6-18"));
    QCOMPARE(model.index(0, 1, inst).data().toString(),
             QStringLiteral("10.10.10.7, fa:16:3e:32:28:af, compute:nova"));
    const ObjectRef port = TenantTreeModel::objectAt(nic);
    QCOMPARE(port.kind, ObjectKind::Port);
    QCOMPARE(port.id, QStringLiteral("8cbe7bb6-18d9-4455-abce-473ebe5a9591"));
    const QModelIndexList both = model.indexesOf(port);
    QCOMPARE(both.size(), 2);
    QCOMPARE(both[0].parent(), net);
    QCOMPARE(both[1].parent(), inst);
    QCOMPARE(model.indexOf(port), both[0]);
    QVERIFY(!model.indexOf({ObjectKind::Port, QStringLiteral("no-such-port")}).isValid());
    // A router shows its qr- interfaces.
    const QModelIndex router = model.index(0, 0, model.index(2, 0));
    QVERIFY(model.rowCount(router) >= 1);
    QVERIFY(model.index(0, 0, router).data().toString().startsWith(QLatin1String("qr-")));
}

void ItemModelsTest::tenantTreeUpdatesIncrementally() {
    LabDocument doc;
    doc.newLab();
    TenantTreeModel model(&doc);
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QModelIndex networks = model.index(1, 0);
    QCOMPARE(model.rowCount(networks), 0);
    std::string netId;
    QVERIFY(doc.edit([&](Cloud& c) -> nlab::engine::Status {
                   nlab::model::NetworkRequest r;
                   r.name = "net-a";
                   auto n = c.createNetwork(r);
                   if (!n)
                       return n.error();
                   netId = n.value()->id;
                   return {};
               })
                .ok());
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted[0][0].value<QModelIndex>(), networks);
    QCOMPARE(model.rowCount(networks), 1);
    QCOMPARE(cell(model, 0, 0, networks), QStringLiteral("net-a"));
    const QPersistentModelIndex netRow = model.index(0, 0, networks);
    QVERIFY(doc.edit([&](Cloud& c) -> nlab::engine::Status {
                   nlab::model::SubnetRequest r;
                   r.network = netId;
                   r.cidr = "10.20.0.0/24";
                   r.name = "sub-a";
                   auto s = c.createSubnet(r);
                   if (!s)
                       return s.error();
                   return {};
               })
                .ok());
    // The subnet and its DHCP port came in under the network, which kept its row.
    QVERIFY(netRow.isValid());
    QCOMPARE(model.rowCount(netRow), 2);
    QCOMPARE(cell(model, 0, 0, netRow), QStringLiteral("sub-a"));
    QCOMPARE(cell(model, 0, 1, netRow), QStringLiteral("10.20.0.0/24, gateway 10.20.0.1, DHCP"));
    QCOMPARE(model.index(1, 0, netRow).data(roleId(Role::ObjectKind)).toInt(),
             int(ObjectKind::Port));
    QCOMPARE(reset.count(), 0);
    // Deleting the network removes its row.
    const int removedBefore = removed.count();
    QVERIFY(doc.edit([&](Cloud& c) { return c.deleteNetwork(netId); }).ok());
    QVERIFY(removed.count() > removedBefore);
    QCOMPARE(model.rowCount(networks), 0);
    QVERIFY(!netRow.isValid());
    QCOMPARE(reset.count(), 0);
    Q_UNUSED(changed);
    // labReset resets.
    QVERIFY(doc.openSeed());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(model.index(3, 0)), int(doc.cloud().state().instances.size()));
}

void ItemModelsTest::portCounterSeriesSamplesRates() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    PortCounterSeries series(&doc);
    QSignalSpy sources(&series, &PortCounterSeries::sourcesChanged);
    const CounterSource tap{QStringLiteral("compute"), QStringLiteral("tap8cbe7bb6-18")};
    const CounterSource gre{QStringLiteral("compute"), QStringLiteral("gre-0a0a648b")};
    QCOMPARE(series.addSource(tap), 0);
    QCOMPARE(series.addSource(tap), 0);
    QCOMPARE(series.addSource(gre), 1);
    QCOMPARE(series.addSource({QStringLiteral("compute"), QStringLiteral("nope")}), 2);
    QCOMPARE(sources.count(), 3);
    QVERIFY(series.sourceExists(0));
    QVERIFY(series.sourceExists(1));
    QVERIFY(!series.sourceExists(2));
    series.removeSource(2);
    QCOMPARE(series.sourceCount(), 2);

    auto* node = doc.cloud().lab().node("compute");
    const auto tapStats = node->device("tap8cbe7bb6-18")->stats();
    const auto* grePort = node->ovsBridge("br-tun")->portByName("gre-0a0a648b");
    const auto greTx = grePort->txPackets;
    const auto t0 = doc.now();
    QSignalSpy added(&series, &PortCounterSeries::sampleAdded);
    doc.advance(kSecond / 2);  // under the interval: no sample
    QCOMPARE(added.count(), 0);
    ping(doc, "instance1", "10.10.10.1", 3);
    QCOMPARE(added.count(), 2);
    const double secs = double(doc.now() - t0) / double(kSecond);
    const auto& s = series.samples(0);
    QCOMPARE(s.size(), std::size_t(1));
    QCOMPARE(s[0].time, qint64(doc.now()));
    const auto tapNow = node->device("tap8cbe7bb6-18")->stats();
    QCOMPARE(s[0].rxPackets, double(tapNow.rxPackets - tapStats.rxPackets) / secs);
    QCOMPARE(s[0].txPackets, double(tapNow.txPackets - tapStats.txPackets) / secs);
    QCOMPARE(s[0].rxBytes, double(tapNow.rxBytes - tapStats.rxBytes) / secs);
    QCOMPARE(s[0].txBytes, double(tapNow.txBytes - tapStats.txBytes) / secs);
    QVERIFY(s[0].rxPackets > 0);
    QVERIFY(s[0].txPackets > 0);
    const auto& g = series.samples(1);
    QCOMPARE(g.size(), std::size_t(1));
    QCOMPARE(g[0].txPackets, double(grePort->txPackets - greTx) / secs);
    QVERIFY(g[0].txPackets > 0);
    // A quiet second: a zero sample.
    doc.advance(kSecond);
    QCOMPARE(series.samples(0).size(), std::size_t(2));
    QCOMPARE(series.samples(0)[1].rxPackets, 0.0);
    QCOMPARE(series.samples(0)[1].time, qint64(doc.now()));
    // Bounded.
    series.setCapacity(1);
    QCOMPARE(series.samples(0).size(), std::size_t(1));
    QCOMPARE(series.samples(0)[0].time, qint64(doc.now()));
    // A new lab clears the samples, keeps the devices.
    QSignalSpy cleared(&series, &PortCounterSeries::samplesCleared);
    QVERIFY(doc.openSeed());
    QCOMPARE(cleared.count(), 1);
    QCOMPARE(series.sourceCount(), 2);
    QVERIFY(series.samples(0).empty());
}

QTEST_MAIN(ItemModelsTest)
#include "item_models_test.moc"
