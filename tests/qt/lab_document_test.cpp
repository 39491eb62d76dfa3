// LabDocument: new/seed/open/save with the modified flag and its signals, located load
// errors, atomic save, edits and console commands (topology, time), and the recovery file.

#include "model/qt/lab_document.h"

#include "engine/lab/lab.h"
#include "model/lab_file.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using nlab::engine::kSecond;
using nlab::model::Cloud;
using nlab::model::LabDocument;
using nlab::model::NetworkRequest;
using nlab::model::RecoveryFile;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

nlab::engine::Status createNetwork(Cloud& cloud, const std::string& name) {
    NetworkRequest r;
    r.name = name;
    auto result = cloud.createNetwork(r);
    if (!result)
        return result.error();
    return {};
}

}  // namespace

class LabDocumentTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void startsEmptyAndUntitled();
    void newLabHasTwoHostsAndNoTenantObjects();
    void openSeedReplacesTheLab();
    void editMarksModifiedAndSignalsOnce();
    void failedEditChangesNothing();
    void saveThenOpenRoundTrips();
    void openErrorIsLocatedAndKeepsTheLab();
    void saveErrorNamesThePath();
    void commandsReportTimeAndTopology();
    void advanceRunsTheClock();
    void recoveryFileWrittenWhileModifiedAndRemovedOnSave();
    void recoveryFileOfferedAndRecovered();
    void recoveryFileRemovedOnClose();
};

void LabDocumentTest::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setApplicationName(QStringLiteral("neutronlab-lab-document-test"));
}

void LabDocumentTest::init() {
    // Each test starts without recovery files.
    QDir(LabDocument::recoveryDirectory()).removeRecursively();
}

void LabDocumentTest::startsEmptyAndUntitled() {
    LabDocument doc;
    QVERIFY(doc.cloud().state().hosts.empty());
    QVERIFY(!doc.isModified());
    QCOMPARE(doc.filePath(), QString());
    QCOMPARE(doc.displayName(), QStringLiteral("untitled"));
    QCOMPARE(doc.now(), nlab::engine::SimTime(0));
    QVERIFY(doc.eventLog().isAttached());
    // The shell works on the empty lab.
    const auto out = doc.runCommand(QStringLiteral("cloud"), QStringLiteral("neutron net-list"));
    QCOMPARE(out.status, 0);
    const auto bad = doc.runCommand(QStringLiteral("nowhere"), QStringLiteral("ls"));
    QCOMPARE(bad.status, 1);
    QCOMPARE(bad.err, std::string("unknown context 'nowhere'\n"));
}

void LabDocumentTest::newLabHasTwoHostsAndNoTenantObjects() {
    LabDocument doc;
    QSignalSpy reset(&doc, &LabDocument::labReset);
    doc.newLab();
    QCOMPARE(reset.count(), 1);
    const auto& state = doc.cloud().state();
    QCOMPARE(state.hosts.size(), std::size_t(2));
    QCOMPARE(state.hosts[0].name, std::string("network"));
    QVERIFY(state.hosts[0].role == nlab::model::HostRole::Network);
    QCOMPARE(state.hosts[1].name, std::string("compute"));
    QVERIFY(state.hosts[1].role == nlab::model::HostRole::Compute);
    QVERIFY(state.networks.empty());
    QVERIFY(state.routers.empty());
    QVERIFY(state.instances.empty());
    QVERIFY(state.ports.empty());
    QVERIFY(!doc.isModified());
    // The agents built both nodes, and the shell reaches them.
    QVERIFY(doc.cloud().lab().node("network") != nullptr);
    QVERIFY(doc.cloud().lab().node("compute")->ovsBridge("br-tun") != nullptr);
    const auto out = doc.runCommand(QStringLiteral("compute"), QStringLiteral("ovs-vsctl list-br"));
    QCOMPARE(out.out, std::string("br-int\nbr-tun\n"));
}

void LabDocumentTest::openSeedReplacesTheLab() {
    LabDocument doc;
    QSignalSpy reset(&doc, &LabDocument::labReset);
    QSignalSpy path(&doc, &LabDocument::filePathChanged);
    QString error;
    QVERIFY2(doc.openSeed(&error), qPrintable(error));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(path.count(), 0);  // still untitled
    QCOMPARE(doc.displayName(), QStringLiteral("untitled"));
    QVERIFY(!doc.isModified());
    QCOMPARE(doc.cloud().state().hosts.size(), std::size_t(2));
    QVERIFY(doc.cloud().state().network("private1") != nullptr);
    QVERIFY(doc.cloud().state().instance("instance1") != nullptr);
    QCOMPARE(nlab::model::saveLab(doc.cloud()),
             nlab::model::saveLab(*nlab::model::loadSeedLab().cloud));
    // Console contexts of the new lab, VMs included.
    const auto out = doc.runCommand(QStringLiteral("instance1"), QStringLiteral("hostname"));
    QCOMPARE(out.out, std::string("instance1\n"));
}

void LabDocumentTest::editMarksModifiedAndSignalsOnce() {
    LabDocument doc;
    doc.newLab();
    QSignalSpy modified(&doc, &LabDocument::modifiedChanged);
    QSignalSpy topology(&doc, &LabDocument::topologyChanged);
    auto status = doc.edit([](Cloud& c) { return createNetwork(c, "net-a"); });
    QVERIFY(status.ok());
    QVERIFY(doc.isModified());
    QCOMPARE(modified.count(), 1);
    QCOMPARE(modified[0][0].toBool(), true);
    QCOMPARE(topology.count(), 1);
    QVERIFY(doc.cloud().state().network("net-a") != nullptr);
    status = doc.edit([](Cloud& c) { return createNetwork(c, "net-b"); });
    QVERIFY(status.ok());
    QCOMPARE(modified.count(), 1);  // already modified
    QCOMPARE(topology.count(), 2);
    doc.setModified(false);
    QCOMPARE(modified.count(), 2);
    QCOMPARE(modified[1][0].toBool(), false);
}

void LabDocumentTest::failedEditChangesNothing() {
    LabDocument doc;
    doc.newLab();
    QSignalSpy topology(&doc, &LabDocument::topologyChanged);
    const auto status = doc.edit([](Cloud& c) -> nlab::engine::Status {
        nlab::model::SubnetRequest r;
        r.network = "no-such-network";
        r.cidr = "10.1.0.0/24";
        auto result = c.createSubnet(r);
        if (!result)
            return result.error();
        return {};
    });
    QVERIFY(!status.ok());
    QVERIFY(!status.error().message.empty());
    QVERIFY(!doc.isModified());
    QCOMPARE(topology.count(), 0);
    // A failure after a change still reports the change.
    const auto partial = doc.edit([](Cloud& c) -> nlab::engine::Status {
        if (auto s = createNetwork(c, "net-a"); !s)
            return s;
        return nlab::engine::Status::fail(nlab::engine::ErrorCode::InvalidArgument, "second step");
    });
    QCOMPARE(partial.error().message, std::string("second step"));
    QVERIFY(doc.isModified());
    QCOMPARE(topology.count(), 1);
}

void LabDocumentTest::saveThenOpenRoundTrips() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("two-networks.yaml"));
    LabDocument doc;
    QVERIFY(doc.openSeed());
    QVERIFY(doc.edit([](Cloud& c) { return createNetwork(c, "net-extra"); }).ok());
    QVERIFY(doc.isModified());
    QSignalSpy modified(&doc, &LabDocument::modifiedChanged);
    QSignalSpy pathChanged(&doc, &LabDocument::filePathChanged);
    QString error;
    QVERIFY2(doc.save(path, &error), qPrintable(error));
    QVERIFY(!doc.isModified());
    QCOMPARE(modified.count(), 1);
    QCOMPARE(pathChanged.count(), 1);
    QCOMPARE(doc.filePath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(doc.displayName(), QStringLiteral("two-networks.yaml"));
    const std::string saved = nlab::model::saveLab(doc.cloud());
    QCOMPARE(readAll(path), QByteArray::fromStdString(saved));
    // No temporary file is left beside it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
             QStringList{QStringLiteral("two-networks.yaml")});

    LabDocument other;
    QSignalSpy reset(&other, &LabDocument::labReset);
    QVERIFY2(other.open(path, &error), qPrintable(error));
    QCOMPARE(reset.count(), 1);
    QVERIFY(!other.isModified());
    QCOMPARE(other.filePath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(other.cloud().state().network("net-extra") != nullptr);
    QCOMPARE(nlab::model::saveLab(other.cloud()), saved);
}

void LabDocumentTest::openErrorIsLocatedAndKeepsTheLab() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.yaml"));
    writeFile(path, "version: 1\nhosts:\n  - name: a\n    role: bogus\n");
    LabDocument doc;
    doc.newLab();
    QVERIFY(doc.edit([](Cloud& c) { return createNetwork(c, "keep-me"); }).ok());
    QSignalSpy reset(&doc, &LabDocument::labReset);
    QString error;
    QVERIFY(!doc.open(path, &error));
    // "file:line:column: field: message"
    QVERIFY2(QRegularExpression(QStringLiteral("^%1:4:\\d+: hosts\\[0\\]\\.role: .+")
                                    .arg(QRegularExpression::escape(path)))
                 .match(error)
                 .hasMatch(),
             qPrintable(error));
    QCOMPARE(reset.count(), 0);
    QVERIFY(doc.cloud().state().network("keep-me") != nullptr);
    QVERIFY(doc.isModified());
    QCOMPARE(doc.filePath(), QString());

    QVERIFY(!doc.open(dir.filePath(QStringLiteral("missing.yaml")), &error));
    QVERIFY2(error.startsWith(dir.filePath(QStringLiteral("missing.yaml"))), qPrintable(error));
}

void LabDocumentTest::saveErrorNamesThePath() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("no/such/dir/lab.yaml"));
    LabDocument doc;
    doc.newLab();
    doc.setModified(true);
    QString error;
    QVERIFY(!doc.save(path, &error));
    QVERIFY2(error.startsWith(QStringLiteral("Cannot write %1: ").arg(path)), qPrintable(error));
    QVERIFY(doc.isModified());
    QCOMPARE(doc.filePath(), QString());
}

void LabDocumentTest::commandsReportTimeAndTopology() {
    LabDocument doc;
    QVERIFY(doc.openSeed());
    QSignalSpy time(&doc, &LabDocument::timeAdvanced);
    QSignalSpy topology(&doc, &LabDocument::topologyChanged);
    // A read-only command: nothing.
    auto out = doc.runCommand(QStringLiteral("compute"), QStringLiteral("ovs-vsctl show"));
    QCOMPARE(out.status, 0);
    QCOMPARE(time.count(), 0);
    QCOMPARE(topology.count(), 0);
    QVERIFY(!doc.isModified());
    // ping runs the clock.
    const auto before = doc.now();
    out = doc.runCommand(QStringLiteral("instance1"), QStringLiteral("ping -c 1 10.10.10.1"));
    QCOMPARE(out.status, 0);
    QVERIFY(doc.now() > before);
    QCOMPARE(time.count(), 1);
    QCOMPARE(time[0][0].toLongLong(), qint64(doc.now()));
    QCOMPARE(topology.count(), 0);
    QVERIFY(!doc.isModified());
    // Plumbing changes are topology changes but not document changes (lab files hold tenant
    // objects only).
    out = doc.runCommand(QStringLiteral("compute"), QStringLiteral("ovs-vsctl add-br br-test"));
    QCOMPARE(out.status, 0);
    QCOMPARE(topology.count(), 1);
    QVERIFY(!doc.isModified());
    // neutron changes the tenant state: modified.
    out = doc.runCommand(QStringLiteral("cloud"), QStringLiteral("neutron net-create net-cli"));
    QCOMPARE(out.status, 0);
    QCOMPARE(topology.count(), 2);
    QVERIFY(doc.isModified());
    QVERIFY(doc.cloud().state().network("net-cli") != nullptr);
    // A failing neutron command changes nothing.
    out = doc.runCommand(QStringLiteral("cloud"), QStringLiteral("neutron net-delete no-such-net"));
    QVERIFY(out.status != 0);
    QCOMPARE(topology.count(), 2);
}

void LabDocumentTest::advanceRunsTheClock() {
    LabDocument doc;
    doc.newLab();
    QSignalSpy time(&doc, &LabDocument::timeAdvanced);
    const auto start = doc.now();
    doc.advance(3 * kSecond);
    QCOMPARE(doc.now(), start + 3 * kSecond);
    QCOMPARE(time.count(), 1);
    QCOMPARE(time[0][0].toLongLong(), qint64(start + 3 * kSecond));
    doc.advance(-5);  // runs what is due, never backwards
    QCOMPARE(doc.now(), start + 3 * kSecond);
    QCOMPARE(time.count(), 2);
    // runEvents stops at the limit.
    const auto ran = doc.runEvents(50, start + 4 * kSecond);
    Q_UNUSED(ran);
    QVERIFY(doc.now() <= start + 4 * kSecond);
    QCOMPARE(time.count(), 3);
}

void LabDocumentTest::recoveryFileWrittenWhileModifiedAndRemovedOnSave() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("lab.yaml"));
    LabDocument doc;
    doc.newLab();
    QVERIFY(doc.save(path));
    doc.setAutosaveInterval(20);
    const QString recovery = doc.recoveryFilePath();
    QCOMPARE(recovery, LabDocument::recoveryDirectory() + QStringLiteral("/lab.yaml"));
    QTest::qWait(60);
    QVERIFY(!QFile::exists(recovery));  // not modified: no autosave
    QVERIFY(doc.edit([](Cloud& c) { return createNetwork(c, "net-r"); }).ok());
    QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(recovery), 2000);
    const QByteArray text = readAll(recovery);
    QVERIFY(text.startsWith(
        "# neutronlab-recovery: " + QFileInfo(path).absoluteFilePath().toUtf8() + "\n"));
    QVERIFY(text.endsWith(QByteArray::fromStdString(nlab::model::saveLab(doc.cloud()))));
    QVERIFY(doc.save(path));
    QVERIFY(!QFile::exists(recovery));
    QTest::qWait(60);
    QVERIFY(!QFile::exists(recovery));
}

void LabDocumentTest::recoveryFileOfferedAndRecovered() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("crashed.yaml"));
    std::string expected;
    {
        auto doc = std::make_unique<LabDocument>();
        doc->newLab();
        QVERIFY(doc->save(path));
        QVERIFY(doc->edit([](Cloud& c) { return createNetwork(c, "unsaved"); }).ok());
        QString error;
        QVERIFY2(doc->writeRecoveryFile(&error), qPrintable(error));
        expected = nlab::model::saveLab(doc->cloud());
        // A crash: the document is never destroyed, its recovery file stays.
        doc.release();
    }
    const QList<RecoveryFile> found = LabDocument::recoveryFiles();
    QCOMPARE(found.size(), 1);
    QCOMPARE(found[0].originalPath, QFileInfo(path).absoluteFilePath());
    QCOMPARE(found[0].path, LabDocument::recoveryDirectory() + QStringLiteral("/crashed.yaml"));

    LabDocument doc;
    QSignalSpy reset(&doc, &LabDocument::labReset);
    QString error;
    QVERIFY2(doc.recover(found[0], &error), qPrintable(error));
    QCOMPARE(reset.count(), 1);
    QVERIFY(doc.isModified());
    QCOMPARE(doc.filePath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(doc.cloud().state().network("unsaved") != nullptr);
    QCOMPARE(nlab::model::saveLab(doc.cloud()), expected);
    // The file on disk is still the saved one, without the unsaved network.
    QVERIFY(!readAll(path).contains("unsaved"));
    // The recovery file is now the document's own: saving removes it.
    QVERIFY(doc.save(path));
    QVERIFY(LabDocument::recoveryFiles().isEmpty());

    // Declining an offer deletes the file.
    LabDocument untitled;
    untitled.newLab();
    untitled.setModified(true);
    QVERIFY(untitled.writeRecoveryFile());
    const QList<RecoveryFile> again = LabDocument::recoveryFiles();
    QCOMPARE(again.size(), 1);
    QCOMPARE(again[0].originalPath, QString());
    QCOMPARE(again[0].path, LabDocument::recoveryDirectory() + QStringLiteral("/untitled.yaml"));
    QVERIFY(LabDocument::discardRecoveryFile(again[0]));
    QVERIFY(LabDocument::recoveryFiles().isEmpty());
}

void LabDocumentTest::recoveryFileRemovedOnClose() {
    QString recovery;
    {
        LabDocument doc;
        doc.newLab();
        doc.setModified(true);
        QVERIFY(doc.writeRecoveryFile());
        recovery = doc.recoveryFilePath();
        QVERIFY(QFile::exists(recovery));
        // Loading another lab removes it too.
        doc.newLab();
        QVERIFY(!QFile::exists(recovery));
        doc.setModified(true);
        QVERIFY(doc.writeRecoveryFile());
        QVERIFY(QFile::exists(recovery));
    }
    QVERIFY(!QFile::exists(recovery));
}

QTEST_MAIN(LabDocumentTest)
#include "lab_document_test.moc"
