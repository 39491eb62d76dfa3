// The neutronlab command line (app/command_line.h): options, languages, scripts.

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "app/command_line.h"
#include "app/docks/console_dock.h"
#include "app/main_window.h"
#include "model/qt/lab_document.h"

using nlab::app::Options;

class AppCommandLineTest : public QObject {
    Q_OBJECT
private slots:
    void parsesOptions();
    void rejectsBadOptions();
    void helpAndVersionExitZero();
    void effectiveLanguage();
    void unknownLanguageIsAnError();
    void scriptErrorsNameTheLine();
};

namespace {
bool parse(const QStringList& args, Options* o, QString* message, int* code) {
    return nlab::app::parseCommandLine(QStringList{"neutronlab"} + args, o, message, code);
}
}  // namespace

void AppCommandLineTest::parsesOptions() {
    Options o;
    QString message;
    int code = -1;
    QVERIFY(parse({}, &o, &message, &code));
    QCOMPARE(o.file, QString());
    QCOMPARE(o.screenshot, QString());
    QVERIFY(parse({"lab.yaml", "--lang", "zh_CN", "--screenshot", "out.png", "--after-script", "s.nlab"}, &o,
                  &message, &code));
    QCOMPARE(o.file, QStringLiteral("lab.yaml"));
    QCOMPARE(o.language, QStringLiteral("zh_CN"));
    QCOMPARE(o.screenshot, QStringLiteral("out.png"));
    QCOMPARE(o.afterScript, QStringLiteral("s.nlab"));
    QCOMPARE(o.size, QSize(1280, 800));
}

void AppCommandLineTest::rejectsBadOptions() {
    Options o;
    QString message;
    int code = -1;
    QVERIFY(!parse({"--frobnicate"}, &o, &message, &code));
    QCOMPARE(code, 1);
    QVERIFY(message.contains("frobnicate"));
    QVERIFY(!parse({"a.yaml", "b.yaml"}, &o, &message, &code));
    QCOMPARE(message, QStringLiteral("Only one lab file can be opened."));
    QVERIFY(!parse({"--lang", "fr"}, &o, &message, &code));
    QCOMPARE(message, QStringLiteral("Unknown language 'fr' (use en or zh_CN)."));
    QVERIFY(!parse({"--after-script", "s.nlab"}, &o, &message, &code));
    QCOMPARE(message, QStringLiteral("--after-script needs --screenshot."));
    QVERIFY(!parse({"--screenshot"}, &o, &message, &code));
    QCOMPARE(code, 1);
}

void AppCommandLineTest::helpAndVersionExitZero() {
    Options o;
    QString message;
    int code = -1;
    QVERIFY(!parse({"--help"}, &o, &message, &code));
    QCOMPARE(code, 0);
    QVERIFY(message.contains("--screenshot <PNG>"));
    QVERIFY(message.contains("--after-script <SCRIPT>"));
    QVERIFY(message.contains("--lang <LANG>"));
}

void AppCommandLineTest::effectiveLanguage() {
    QCOMPARE(nlab::app::effectiveLanguage("en"), QStringLiteral("en"));
    QCOMPARE(nlab::app::effectiveLanguage("zh_CN"), QStringLiteral("zh_CN"));
    QCOMPARE(nlab::app::effectiveLanguage("zh"), QStringLiteral("zh_CN"));
    QLocale::setDefault(QLocale::c());
    const QString system = QLocale::system().name();
    QCOMPARE(nlab::app::effectiveLanguage(QString()),
             system.startsWith("zh") ? QStringLiteral("zh_CN") : QStringLiteral("en"));
}

void AppCommandLineTest::unknownLanguageIsAnError() {
    QString error;
    QVERIFY(!nlab::app::setUpLanguage(*QCoreApplication::instance(), "fr", &error));
    QVERIFY(error.contains("fr"));
    QVERIFY(nlab::app::setUpLanguage(*QCoreApplication::instance(), "en", &error));
    // The CJK fallback is in the application font.
    QVERIFY(QApplication::font().families().contains("WenQuanYi Micro Hei"));
}

void AppCommandLineTest::scriptErrorsNameTheLine() {
    QTemporaryDir dir;
    nlab::app::MainWindow w;
    w.document().setAutosaveInterval(0);
    QString error;
    QVERIFY(w.openSeed(&error));
    QVERIFY(!nlab::app::runScriptFile(w, dir.filePath("missing.nlab"), &error));
    QVERIFY(error.contains("missing.nlab"));
    QFile f(dir.filePath("s.nlab"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("# comment\ncompute: hostname\nno context here\n");
    f.close();
    QVERIFY(!nlab::app::runScriptFile(w, f.fileName(), &error));
    QVERIFY2(error.contains("s.nlab:3"), qPrintable(error));
    // Nothing ran: the parse comes first.
    QVERIFY(!w.console().property("dummy").isValid());
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("compute: hostname\ncloud: neutron net-show nope\n");
    f.close();
    QVERIFY(!nlab::app::runScriptFile(w, f.fileName(), &error));
    QVERIFY2(error.startsWith(f.fileName() + ":2: 'neutron net-show nope' failed with status 1"), qPrintable(error));
}

QTEST_MAIN(AppCommandLineTest)
#include "app_command_line_test.moc"
