// MainWindow on the seed lab (offscreen): every dock populated, item models under
// QAbstractItemModelTester, the console's `ovs-vsctl show`, a ping through the Ping dialog's
// code path adding the learned br-tun rule, selection of an event moving the Player, save ->
// reopen -> same lab text, a capture tshark decodes, and --screenshot's 1280x800 PNG.

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QProcess>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeWidget>
#include <QtTest>

#include <memory>

#include "app/command_line.h"
#include "app/dialogs/ping_dialog.h"
#include "app/docks/charts_dock.h"
#include "app/docks/console_dock.h"
#include "app/docks/console_widget.h"
#include "app/docks/event_list_dock.h"
#include "app/docks/flow_row_delegate.h"
#include "app/docks/flow_tables_dock.h"
#include "app/docks/mac_tables_dock.h"
#include "app/docks/packet_detail_dock.h"
#include "app/docks/trace_dock.h"
#include "app/main_window.h"
#include "model/lab_file.h"
#include "model/qt/event_filter_proxy_model.h"
#include "model/qt/event_list_model.h"
#include "model/qt/flow_table_model.h"
#include "model/qt/lab_document.h"
#include "model/qt/mac_table_model.h"
#include "model/qt/player.h"
#include "model/qt/port_counter_series.h"
#include "model/qt/roles.h"
#include "views/logical_scene.h"
#include "views/logical_view.h"
#include "views/physical_view.h"
#include "views/physical_scene.h"

using nlab::app::MainWindow;
using nlab::model::FlowTableModel;
using Tester = QAbstractItemModelTester;

namespace {

// SCENARIO.md step 2: what compute's br-tun table 20 learns when instance1 pings 10.10.10.1.
const char kLearnedMatch[] = "vlan_tci=0x0004/0x0fff,dl_dst=fa:16:3e:2a:46:e0";

// `ovs-vsctl show` on compute in the seed lab: the article's, with the qvo ports of
// instance2 and instance3 the seed also boots.
const char kComputeShow[] =
    "b5553502-95e4-4ad2-90a6-a3da02d3819d\n"
    "    Bridge br-tun\n"
    "        Port br-tun\n"
    "            Interface br-tun\n"
    "                type: internal\n"
    "        Port patch-int\n"
    "            Interface patch-int\n"
    "                type: patch\n"
    "                options: {peer=patch-tun}\n"
    "        Port \"gre-0a0a648b\"\n"
    "            Interface \"gre-0a0a648b\"\n"
    "                type: gre\n"
    "                options: {in_key=flow, local_ip=\"10.10.100.140\", out_key=flow, "
    "remote_ip=\"10.10.100.139\"}\n"
    "    Bridge br-int\n"
    "        fail_mode: secure\n"
    "        Port patch-tun\n"
    "            Interface patch-tun\n"
    "                type: patch\n"
    "                options: {peer=patch-int}\n"
    "        Port \"qvo8cbe7bb6-18\"\n"
    "            tag: 4\n"
    "            Interface \"qvo8cbe7bb6-18\"\n"
    "        Port br-int\n"
    "            Interface br-int\n"
    "                type: internal\n"
    "        Port \"qvodd2c3906-f8\"\n"
    "            tag: 4\n"
    "            Interface \"qvodd2c3906-f8\"\n"
    "        Port \"qvoa6f975bb-60\"\n"
    "            tag: 5\n"
    "            Interface \"qvoa6f975bb-60\"\n"
    "    ovs_version: \"2.0.2\"\n";

int findRow(const QAbstractItemModel& m, int column, const QString& text) {
    for (int r = 0; r < m.rowCount(); ++r) {
        if (m.index(r, column).data().toString() == text) return r;
    }
    return -1;
}

QStringList tabTitles(const QTabWidget* tabs) {
    QStringList out;
    for (int i = 0; i < tabs->count(); ++i) out << tabs->tabText(i);
    return out;
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void opensOnTheSeedWithEveryDock();
    void modelsPassTheTester();
    void consoleRunsOvsVsctlShow();
    void pingFromTheDialogAddsTheLearnedRule();
    void selectingAnEventMovesThePlayerAndShowsItsFrame();
    void saveReopenCompare();
    void captureDecodesWithTshark();
    void screenshotIs1280x800();
    void screenshotProgram();
    void quittingAModifiedLabAsks();
    void recoveryIsOffered();

private:
    std::unique_ptr<MainWindow> seedWindow();
};

void MainWindowTest::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // recent files and recovery files out of ~
    QCoreApplication::setOrganizationName(QStringLiteral("NeutronLabTest"));
}

std::unique_ptr<MainWindow> MainWindowTest::seedWindow() {
    auto w = std::make_unique<MainWindow>();
    w->document().setAutosaveInterval(0);
    QString error;
    if (!w->openSeed(&error)) qFatal("seed: %s", qPrintable(error));
    w->show();
    if (!w->physicalScene().waitForLayout(60000)) qFatal("layout did not finish");
    return w;
}

void MainWindowTest::opensOnTheSeedWithEveryDock() {
    auto w = seedWindow();
    QVERIFY(w->windowTitle().startsWith(QStringLiteral("untitled[*] — NeutronLab")));
    QVERIFY(!w->isWindowModified());
    // The two views side by side, populated.
    QVERIFY(w->physicalScene().nodeItem(QStringLiteral("bridge:compute/br-tun")));
    QVERIFY(!w->physicalScene().items().isEmpty());
    QVERIFY(!w->logicalScene().items().isEmpty());
    QVERIFY(w->physicalView().isVisible());
    QVERIFY(w->logicalView().isVisible());
    // Every dock exists and has content.
    QStringList names;
    for (QDockWidget* d : w->docks()) names << d->objectName();
    names.sort();
    QCOMPARE(names, (QStringList{"chartsDock", "consoleDock", "eventListDock", "flowTablesDock", "macTablesDock",
                                 "packetDetailDock", "paletteDock", "propertiesDock", "traceDock"}));
    for (QDockWidget* d : w->docks()) QVERIFY2(d->widget() != nullptr, qPrintable(d->objectName()));
    QCOMPARE(tabTitles(w->flowTables().tabs()),
             (QStringList{"network: br-ex", "network: br-int", "network: br-tun", "compute: br-int",
                          "compute: br-tun"}));
    for (nlab::app::FlowTablePane* p : w->flowTables().panes()) {
        QVERIFY2(p->proxy()->rowCount() > 0, qPrintable(p->node() + "/" + p->bridge()));
    }
    const QStringList macTabs = tabTitles(w->macTables().tabs());
    QVERIFY(macTabs.contains("compute: br-int"));
    QVERIFY(macTabs.contains("compute: qbr8cbe7bb6-18"));
    QVERIFY(macTabs.contains("compute: virbr0"));
    QVERIFY(!macTabs.contains("compute: br-tun"));  // no NORMAL rule there
    const QStringList contexts = w->console().contexts();
    for (const char* c : {"network", "compute", "network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81",
                          "instance1", "instance2", "instance3", "cloud"}) {
        QVERIFY2(contexts.contains(QString::fromLatin1(c)), c);
        QVERIFY2(w->console().console(QString::fromLatin1(c)), c);
    }
    QCOMPARE(w->console().console("instance1")->prompt(), QStringLiteral("cirros@instance1:~$ "));
    QCOMPARE(w->charts().series().sourceCount(), 1);
    QCOMPARE(w->charts().series().sources().front().device, QStringLiteral("tap8cbe7bb6-18"));
    QVERIFY(w->eventList().nodeFilter()->count() >= 3);  // all nodes + network + compute
    // The event list, packet detail and trace fill once frames move.
    QCOMPARE(w->ping("instance1", "10.10.10.1", 1, false), 0);
    QVERIFY(w->eventList().proxy()->rowCount() > 20);
    w->eventList().view()->selectRow(0);
    QVERIFY(w->packetDetail().tree()->topLevelItemCount() > 0);
    QVERIFY(!w->packetDetail().hex()->toPlainText().isEmpty());
    QVERIFY(w->trace().tree()->topLevelItemCount() > 0);
}

void MainWindowTest::modelsPassTheTester() {
    auto w = seedWindow();
    std::vector<std::unique_ptr<Tester>> testers;
    for (nlab::app::FlowTablePane* p : w->flowTables().panes())
        testers.push_back(std::make_unique<Tester>(p->proxy(), Tester::FailureReportingMode::Fatal));
    for (nlab::app::MacTablePane* p : w->macTables().panes())
        testers.push_back(std::make_unique<Tester>(p->view()->model(), Tester::FailureReportingMode::Fatal));
    testers.push_back(std::make_unique<Tester>(w->eventList().proxy(), Tester::FailureReportingMode::Fatal));
    // The lab changes under them: frames, learned rules, MACs, filters, sorting, time.
    QCOMPARE(w->ping("instance1", "10.10.10.1", 2, false), 0);
    nlab::app::FlowTablePane* brTun = w->flowTables().pane("compute", "br-tun");
    brTun->view()->sortByColumn(FlowTableModel::PacketsColumn, Qt::DescendingOrder);
    brTun->filterEdit()->setText("table=20");
    brTun->filterEdit()->setText("20");
    w->eventList().protocolButton(int(nlab::model::FrameProtocol::Arp))->setChecked(false);
    w->eventList().nodeFilter()->setCurrentIndex(w->eventList().nodeFilter()->findData("network"));
    w->eventList().hopsOnly()->setChecked(true);
    QCOMPARE(w->ping("instance1", "10.10.20.7", 1, false), 0);
    w->document().advance(301 * nlab::engine::kSecond);  // learned rules expire
    brTun->filterEdit()->clear();
    QVERIFY(brTun->proxy()->rowCount() > 10);
    QVERIFY(w->eventList().proxy()->rowCount() > 0);
}

void MainWindowTest::consoleRunsOvsVsctlShow() {
    auto w = seedWindow();
    QString out;
    QCOMPARE(w->runConsoleLine("compute", "ovs-vsctl show", &out), 0);
    QCOMPARE(out, QString::fromLatin1(kComputeShow));
    // The terminal shows the prompt, the command and the output, then a fresh prompt.
    nlab::app::ConsoleWidget* c = w->console().console("compute");
    QCOMPARE(w->console().tabs()->currentWidget(), c);
    const QString text = c->toPlainText();
    QVERIFY(text.startsWith(QStringLiteral("root@compute:~# ovs-vsctl show\n") + kComputeShow));
    QVERIFY(text.endsWith(QStringLiteral("root@compute:~# ")));
    // Typed with the keyboard, then recalled with Up.
    c->setFocus();
    QTest::keyClicks(c, "hostname");
    QTest::keyClick(c, Qt::Key_Return);
    QVERIFY(c->toPlainText().endsWith(QStringLiteral("root@compute:~# hostname\ncompute\nroot@compute:~# ")));
    QTest::keyClick(c, Qt::Key_Up);
    QCOMPARE(c->currentInput(), QStringLiteral("hostname"));
    QTest::keyClick(c, Qt::Key_Up);
    QCOMPARE(c->currentInput(), QStringLiteral("ovs-vsctl show"));
    QTest::keyClick(c, Qt::Key_Down);
    QTest::keyClick(c, Qt::Key_Down);
    QCOMPARE(c->currentInput(), QString());
    // A failing command gives its status and message.
    QCOMPARE(w->runConsoleLine("compute", "ovs-vsctl br-exists br-nope", &out), 2);
    QCOMPARE(w->runConsoleLine("nowhere", "hostname", &out), 1);
}

void MainWindowTest::pingFromTheDialogAddsTheLearnedRule() {
    auto w = seedWindow();
    // The dialog's targets for instance1.
    const QList<nlab::app::PingTarget> targets = nlab::app::pingTargets(w->document().cloud(), "instance1");
    QStringList addresses;
    for (const auto& t : targets) addresses << t.address;
    QCOMPARE(addresses, (QStringList{"10.10.10.1", "10.10.10.2", "10.10.10.8", "10.10.20.7", "192.168.0.2",
                                     "192.168.0.1"}));
    QCOMPARE(int(targets[0].kind), int(nlab::app::PingTarget::Kind::Gateway));
    QCOMPARE(int(targets[4].kind), int(nlab::app::PingTarget::Kind::RouterExternal));
    QCOMPARE(int(targets[5].kind), int(nlab::app::PingTarget::Kind::Outside));
    nlab::app::PingDialog dialog(w->document().cloud(), "instance1", w.get());
    QCOMPARE(dialog.target(), QStringLiteral("10.10.10.1"));
    dialog.setCount(2);

    nlab::app::FlowTablePane* pane = w->flowTables().pane("compute", "br-tun");
    QVERIFY(pane);
    Tester tester(pane->proxy(), Tester::FailureReportingMode::Fatal);
    QCOMPARE(findRow(*pane->model(), FlowTableModel::MatchColumn, kLearnedMatch), -1);
    QCOMPARE(w->ping("instance1", dialog.target(), dialog.count(), true), 0);
    const int row = findRow(*pane->model(), FlowTableModel::MatchColumn, kLearnedMatch);
    QVERIFY(row >= 0);
    QCOMPARE(pane->model()->index(row, FlowTableModel::LearnedColumn).data().toString(), QStringLiteral("yes"));
    QVERIFY(pane->model()->index(row, 0).data(nlab::model::roleId(nlab::model::Role::JustAdded)).toBool());
    // The console tab of instance1 shows the ping; the Player replays the frames.
    QVERIFY(w->console().console("instance1")->toPlainText().contains("2 packets transmitted, 2 packets received"));
    QVERIFY(w->player().isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(w->physicalScene().tokensInFlight() > 0, 5000);
    w->player().pause();
}

void MainWindowTest::selectingAnEventMovesThePlayerAndShowsItsFrame() {
    auto w = seedWindow();
    QCOMPARE(w->ping("instance1", "10.10.10.1", 1, false), 0);
    // The echo request leaving compute through the GRE port.
    const nlab::model::EventLog& log = w->document().eventLog();
    quint64 seq = 0;
    for (quint64 s = log.firstSeq(); s <= log.lastSeq() && !seq; ++s) {
        const nlab::model::EventRecord* r = log.find(s);
        if (r->kind == nlab::model::EventKind::FrameSent && r->port == "gre-0a0a648b" &&
            r->summary.find("echo request") != std::string::npos)
            seq = s;
    }
    QVERIFY(seq != 0);
    w->eventList().selectSequence(seq);  // emits nothing
    QCOMPARE(w->player().cursor(), quint64(0));
    emit w->eventList().eventSelected(seq);
    QCOMPARE(w->player().cursor(), seq);
    QCOMPARE(w->player().currentRecord()->seq, seq);
    // Packet detail: Ethernet, IPv4, ICMP.
    QStringList layers;
    for (int i = 0; i < w->packetDetail().tree()->topLevelItemCount(); ++i)
        layers << w->packetDetail().tree()->topLevelItem(i)->text(0);
    QCOMPARE(layers, (QStringList{"Ethernet", "IPv4", "ICMP"}));
    QVERIFY(w->packetDetail().hex()->toPlainText().startsWith("0000  fa 16 3e 2a 46 e0 fa 16  3e 32 28 af 08 00"));
    // Trace: compute br-int (into br-tun through the patch), then network br-tun.
    const nlab::app::FrameJourney& j = w->trace().journey();
    QCOMPARE(int(j.traces.size()), 2);
    QCOMPARE(j.traces[0].node + "/" + j.traces[0].bridge, std::string("compute/br-int"));
    QCOMPARE(j.traces[1].node + "/" + j.traces[1].bridge, std::string("network/br-tun"));
    QCOMPARE(j.traces[1].tunId, std::uint64_t(1));
    QVERIFY(w->trace().tree()->topLevelItem(0)->text(0).startsWith("compute: br-int  in_port=qvo8cbe7bb6-18"));
    // The flows it went through are highlighted: the learned rule on compute's br-tun.
    nlab::app::FlowTablePane* pane = w->flowTables().pane("compute", "br-tun");
    QCOMPARE(w->flowTables().tabs()->currentWidget(), pane);
    const int row = findRow(*pane->model(), FlowTableModel::MatchColumn, kLearnedMatch);
    QVERIFY(row >= 0);
    const quint64 flowId = pane->model()->index(row, 0).data(nlab::model::roleId(nlab::model::Role::FlowId)).toULongLong();
    QVERIFY(pane->delegate()->touched().contains(nlab::app::FlowRowDelegate::touchKey(20, flowId)));
    // Stepping moves the selection along.
    w->player().step();
    QVERIFY(w->player().cursor() > seq);
    QCOMPARE(w->eventList().selectedSequence(), w->player().cursor());
    w->player().stepBack();
    QCOMPARE(w->player().cursor(), seq);
}

void MainWindowTest::saveReopenCompare() {
    auto w = seedWindow();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A change first: a console command that changes the tenant state marks the lab modified.
    QCOMPARE(w->runConsoleLine("cloud", "neutron net-create private4"), 0);
    QVERIFY(w->document().isModified());
    QVERIFY(w->isWindowModified());
    const QString path = dir.filePath("lab.yaml");
    QString error;
    QVERIFY2(w->saveFile(path, &error), qPrintable(error));
    QVERIFY(!w->isWindowModified());
    QVERIFY(w->windowTitle().startsWith("lab.yaml[*] — NeutronLab"));
    QCOMPARE(w->recentFiles().value(0), QFileInfo(path).absoluteFilePath());
    const std::string saved = nlab::model::saveLab(w->document().cloud());

    MainWindow other;
    other.document().setAutosaveInterval(0);
    QVERIFY2(other.openFile(path, &error), qPrintable(error));
    QCOMPARE(nlab::model::saveLab(other.document().cloud()), saved);
    QVERIFY(other.document().cloud().state().network("private4") != nullptr);
    QVERIFY(other.flowTables().pane("compute", "br-tun"));
    // A broken file keeps the current lab and says where.
    QFile bad(dir.filePath("bad.yaml"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("version: 1\nhosts: [\n");
    bad.close();
    QVERIFY(!other.openFile(bad.fileName(), &error));
    QVERIFY2(error.contains("bad.yaml:"), qPrintable(error));
    QCOMPARE(nlab::model::saveLab(other.document().cloud()), saved);
}

void MainWindowTest::captureDecodesWithTshark() {
    auto w = seedWindow();
    QTemporaryDir dir;
    QString error;
    QVERIFY(!w->startCapture("compute", "patch-int", &error));  // OVS-only port
    QVERIFY(!error.isEmpty());
    QVERIFY2(w->startCapture("compute", "tap8cbe7bb6-18", &error), qPrintable(error));
    QVERIFY(w->isCapturing());
    QCOMPARE(w->ping("instance1", "10.10.10.1", 2, false), 0);
    const QString path = dir.filePath("tap.pcap");
    const qint64 frames = w->stopCapture(path, &error);
    QVERIFY2(frames >= 4, qPrintable(error));  // 2 requests, 2 replies (+ ARP)
    QVERIFY(!w->isCapturing());
    QProcess tshark;
    tshark.start("tshark", {"-r", path, "-Y", "icmp", "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.type"});
    QVERIFY2(tshark.waitForFinished(60000), "tshark did not finish");
    QCOMPARE(tshark.exitCode(), 0);
    const QString out = QString::fromLocal8Bit(tshark.readAllStandardOutput());
    QCOMPARE(out.count("10.10.10.7\t10.10.10.1\t8\n"), 2);
    QCOMPARE(out.count("10.10.10.1\t10.10.10.7\t0\n"), 2);
}

void MainWindowTest::screenshotIs1280x800() {
    QTemporaryDir dir;
    nlab::app::Options options;
    options.screenshot = dir.filePath("shot.png");
    options.afterScript = QStringLiteral(NLAB_SOURCE_DIR "/resources/screenshots/seed-mid-ping.nlab");
    MainWindow w;
    w.document().setAutosaveInterval(0);
    w.show();
    QString error;
    QVERIFY2(nlab::app::runScreenshot(w, options, &error), qPrintable(error));
    QImage image(options.screenshot);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size() / image.devicePixelRatio(), QSize(1280, 800));
    QVERIFY(QFileInfo(options.screenshot).size() > 20000);
    // Paused mid-ping: the token in flight, the echo request selected.
    QVERIFY(!w.player().isPlaying());
    QVERIFY(w.physicalScene().tokensInFlight() > 0);
    QVERIFY(w.player().currentRecord() != nullptr);
    QCOMPARE(w.player().currentRecord()->port, std::string("gre-0a0a648b"));
    // A failing script line is an error naming the line.
    QFile bad(dir.filePath("bad.nlab"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("compute: hostname\ncompute: frobnicate\n");
    bad.close();
    options.afterScript = bad.fileName();
    MainWindow w2;
    w2.document().setAutosaveInterval(0);
    QVERIFY(!nlab::app::runScreenshot(w2, options, &error));
    QVERIFY2(error.contains("bad.nlab:2:"), qPrintable(error));
}

void MainWindowTest::screenshotProgram() {
    // The program itself, when built beside the tests.
    const QString program = QCoreApplication::applicationDirPath() + "/../app/neutronlab";
    if (!QFile::exists(program)) QSKIP("neutronlab is not built");
    QTemporaryDir dir;
    for (const char* lang : {"en", "zh_CN"}) {
        const QString png = dir.filePath(QStringLiteral("shot-%1.png").arg(lang));
        QProcess p;
        p.start(program, {"--lang", lang, "--screenshot", png});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QImage image(png);
        QCOMPARE(image.size(), QSize(1280, 800));
    }
    QProcess p;
    p.start(program, {"--lang", "xx", "--screenshot", dir.filePath("x.png")});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("xx"));
}

namespace {
// Answers the next message box with 'button' once it shows.
void answerNextMessageBox(QMessageBox::StandardButton button, QString* text = nullptr) {
    QTimer::singleShot(0, [button, text] {
        QTRY_VERIFY_WITH_TIMEOUT(qobject_cast<QMessageBox*>(QApplication::activeModalWidget()) != nullptr, 5000);
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (text) *text = box->text();
        box->button(button)->click();
    });
}
}  // namespace

void MainWindowTest::quittingAModifiedLabAsks() {
    auto w = seedWindow();
    QVERIFY(w->close());  // unmodified: no question
    w->show();
    QCOMPARE(w->runConsoleLine("cloud", "neutron net-create asked"), 0);
    QVERIFY(w->isWindowModified());
    QString text;
    answerNextMessageBox(QMessageBox::Cancel, &text);
    QVERIFY(!w->close());
    QVERIFY(w->isVisible());
    QVERIFY(text.contains("untitled"));
    answerNextMessageBox(QMessageBox::Discard);
    QVERIFY(w->close());
}

void MainWindowTest::recoveryIsOffered() {
    for (const auto& f : nlab::model::LabDocument::recoveryFiles()) nlab::model::LabDocument::discardRecoveryFile(f);
    QString copy;
    {
        // A session that crashes: its recovery file stays (copied before the normal close).
        nlab::model::LabDocument doc;
        doc.setAutosaveInterval(0);
        QVERIFY(doc.openSeed());
        QCOMPARE(doc.runCommand("cloud", "neutron net-create recovered").status, 0);
        QVERIFY(doc.writeRecoveryFile());
        copy = doc.recoveryFilePath() + ".crash";
        QVERIFY(QFile::copy(doc.recoveryFilePath(), copy));
    }
    QVERIFY(QFile::rename(copy, copy.chopped(6)));
    QCOMPARE(nlab::model::LabDocument::recoveryFiles().size(), 1);
    MainWindow w;
    w.document().setAutosaveInterval(0);
    answerNextMessageBox(QMessageBox::Yes);
    QVERIFY(w.offerRecovery());
    QVERIFY(w.document().cloud().state().network("recovered") != nullptr);
    QVERIFY(w.document().isModified());
    QVERIFY(w.isWindowModified());
    // Declined: the file goes.
    w.document().setModified(false);
    w.document().removeRecoveryFile();
    QVERIFY(nlab::model::LabDocument::recoveryFiles().isEmpty());
}

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
