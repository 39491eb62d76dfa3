#pragma once
// The neutronlab command line: `neutronlab [FILE] [--lang en|zh_CN]
// [--screenshot PNG [--after-script SCRIPT]]`, the language set-up, and the screenshot run.
//
// What
//   parseCommandLine() reads the options (QCommandLineParser); setUpLanguage() installs the
//   translators (the app's from the embedded :/i18n resources, Qt's own when installed) and
//   a font fallback able to draw Chinese (WenQuanYi Micro Hei); runScreenshot() opens the
//   lab, runs the script ("CONTEXT: COMMAND" lines, as neutronlab-cli runs them, each through
//   the window's console), waits for the layout, poses the window mid-ping and writes the
//   PNG.
//
// Design
//   Everything but main() itself lives here, in nlab_app, so the tests run the same code.
//   Errors are returned as text; main() prints them and exits non-zero.

#include <QSize>
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace nlab::app {

class MainWindow;

struct Options {
    QString file;          ///< Lab file to open ("" : the built-in seed lab).
    QString language;      ///< "en", "zh_CN"; "" : the system's.
    QString screenshot;    ///< PNG to write ("" : run interactively).
    QString afterScript;   ///< Script to run before the screenshot.
    QSize size{1280, 800}; ///< Window size of the screenshot.
};

/// Parses 'arguments' (argv). On error or --help/--version sets '*message' and returns false
/// ('*exitCode' 0 for help/version, 1 for errors).
bool parseCommandLine(const QStringList& arguments, Options* options, QString* message, int* exitCode);

/// The language to use: 'requested' ("en", "zh_CN", "zh"), else the system locale's
/// ("zh_CN" for any Chinese locale, else "en").
QString effectiveLanguage(const QString& requested);

/// Installs the translators of 'language' into 'app' and a CJK-capable font fallback.
/// Returns false (with 'error') when the language is unknown or its translation is missing.
bool setUpLanguage(QCoreApplication& app, const QString& language, QString* error = nullptr);

/// Opens options.file (or the seed lab) in 'window'.
bool openLab(MainWindow& window, const Options& options, QString* error);

/// Runs the script file 'path' line by line in the window's consoles; stops at the first
/// failing command. Errors name "file:line".
bool runScriptFile(MainWindow& window, const QString& path, QString* error);

/// The whole --screenshot run on a shown window: open, script, layout, pose, grab, write.
bool runScreenshot(MainWindow& window, const Options& options, QString* error);

}  // namespace nlab::app
