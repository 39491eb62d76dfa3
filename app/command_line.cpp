#include "app/command_line.h"

#include <variant>

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QFontDatabase>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include "app/cli/session.h"
#include "app/main_window.h"

namespace nlab::app {

bool parseCommandLine(const QStringList& arguments, Options* options, QString* message, int* exitCode) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "NeutronLab: a lab for OpenStack Neutron and Open vSwitch networking."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QCoreApplication::translate("main", "Lab file to open (default: the built-in seed lab)."),
                                 QStringLiteral("[FILE]"));
    QCommandLineOption lang(QStringLiteral("lang"),
                            QCoreApplication::translate("main", "Language of the interface: en or zh_CN (default: the system's)."),
                            QStringLiteral("LANG"));
    QCommandLineOption shot(QStringLiteral("screenshot"),
                            QCoreApplication::translate("main", "Render the main window to PNG and exit."),
                            QStringLiteral("PNG"));
    QCommandLineOption script(QStringLiteral("after-script"),
                              QCoreApplication::translate("main", "With --screenshot: run SCRIPT (CONTEXT: COMMAND lines) first."),
                              QStringLiteral("SCRIPT"));
    parser.addOptions({lang, shot, script});
    *exitCode = 1;
    if (!parser.parse(arguments)) {
        *message = parser.errorText();
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        *message = parser.helpText();
        *exitCode = 0;
        return false;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        *message = QCoreApplication::applicationName() + QLatin1Char(' ') + QCoreApplication::applicationVersion();
        *exitCode = 0;
        return false;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        *message = QCoreApplication::translate("main", "Only one lab file can be opened.");
        return false;
    }
    options->file = positional.value(0);
    options->language = parser.value(lang);
    options->screenshot = parser.value(shot);
    options->afterScript = parser.value(script);
    if (!options->language.isEmpty() && options->language != QLatin1String("en") &&
        !options->language.startsWith(QLatin1String("zh"))) {
        *message = QCoreApplication::translate("main", "Unknown language '%1' (use en or zh_CN).").arg(options->language);
        return false;
    }
    if (!options->afterScript.isEmpty() && options->screenshot.isEmpty()) {
        *message = QCoreApplication::translate("main", "--after-script needs --screenshot.");
        return false;
    }
    return true;
}

QString effectiveLanguage(const QString& requested) {
    QString lang = requested;
    if (lang.isEmpty()) lang = QLocale::system().name();
    if (lang.startsWith(QLatin1String("zh"))) return QStringLiteral("zh_CN");
    return QStringLiteral("en");
}

bool setUpLanguage(QCoreApplication& app, const QString& language, QString* error) {
    // A font able to draw Chinese, after the platform's default for Latin text.
    if (auto* gui = qobject_cast<QGuiApplication*>(&app)) {
        QFont font = gui->font();
        QStringList families = font.families();
        if (families.isEmpty()) families << font.family();
        const QString cjk = QStringLiteral("WenQuanYi Micro Hei");
        if (!families.contains(cjk)) families << cjk;
        font.setFamilies(families);
        gui->setFont(font);
    }
    if (language == QLatin1String("en")) return true;
    if (language != QLatin1String("zh_CN")) {
        if (error) *error = QStringLiteral("unknown language '%1'").arg(language);
        return false;
    }
    QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    auto* own = new QTranslator(&app);
    if (!own->load(QStringLiteral(":/i18n/neutronlab_zh_CN.qm"))) {
        delete own;
        if (error) *error = QStringLiteral("the zh_CN translation is missing from the program's resources");
        return false;
    }
    app.installTranslator(own);
    // Qt's own strings (standard buttons, dialogs), when Qt's translations are installed.
    auto* qt = new QTranslator(&app);
    if (qt->load(QStringLiteral("qtbase_zh_CN"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        app.installTranslator(qt);
    } else {
        delete qt;
    }
    return true;
}

bool openLab(MainWindow& window, const Options& options, QString* error) {
    if (options.file.isEmpty()) return window.openSeed(error);
    return window.openFile(options.file, error);
}

bool runScriptFile(MainWindow& window, const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        if (error) *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    const std::string text = file.readAll().toStdString();
    auto parsed = cli::parseScript(text, path.toStdString());
    if (auto* e = std::get_if<cli::ScriptError>(&parsed)) {
        if (error) *error = QString::fromStdString(e->toString());
        return false;
    }
    for (const cli::ScriptLine& line : std::get<std::vector<cli::ScriptLine>>(parsed)) {
        QString output;
        const int status = window.runConsoleLine(QString::fromStdString(line.context),
                                                 QString::fromStdString(line.command), &output);
        if (status != 0) {
            if (error) {
                *error = QStringLiteral("%1:%2: '%3' failed with status %4\n%5")
                             .arg(path)
                             .arg(line.line)
                             .arg(QString::fromStdString(line.command))
                             .arg(status)
                             .arg(output.trimmed());
            }
            return false;
        }
    }
    return true;
}

bool runScreenshot(MainWindow& window, const Options& options, QString* error) {
    window.resize(options.size);
    if (!openLab(window, options, error)) return false;
    if (!options.afterScript.isEmpty() && !runScriptFile(window, options.afterScript, error)) return false;
    window.resize(options.size);
    if (!window.prepareScreenshot(error)) return false;
    return window.grabScreenshot(options.screenshot, error);
}

}  // namespace nlab::app
