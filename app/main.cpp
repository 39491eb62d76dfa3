// neutronlab: the desktop app. See app/command_line.h for the options and app/main_window.h
// for the window.

#include <cstdio>

#include <QApplication>
#include <QMessageBox>

#include "app/command_line.h"
#include "app/main_window.h"

int main(int argc, char* argv[]) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("NeutronLab"));
    QApplication::setApplicationName(QStringLiteral("NeutronLab"));
    QApplication::setApplicationVersion(QStringLiteral(NLAB_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("NeutronLab"));

    nlab::app::Options options;
    QString message;
    int exitCode = 0;
    if (!nlab::app::parseCommandLine(QApplication::arguments(), &options, &message, &exitCode)) {
        std::fprintf(exitCode == 0 ? stdout : stderr, "%s\n", qPrintable(message));
        return exitCode;
    }
    QString error;
    if (!nlab::app::setUpLanguage(app, nlab::app::effectiveLanguage(options.language), &error)) {
        std::fprintf(stderr, "neutronlab: %s\n", qPrintable(error));
        return 1;
    }

    nlab::app::MainWindow window;
    if (!options.screenshot.isEmpty()) {
        window.show();
        if (!nlab::app::runScreenshot(window, options, &error)) {
            std::fprintf(stderr, "neutronlab: %s\n", qPrintable(error));
            return 1;
        }
        return 0;
    }
    window.show();
    if (!window.offerRecovery() && !nlab::app::openLab(window, options, &error)) {
        QMessageBox::critical(&window, QObject::tr("NeutronLab"), error);
        if (!options.file.isEmpty()) window.openSeed();
    }
    return QApplication::exec();
}
