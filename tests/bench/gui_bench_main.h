#pragma once
// The shared main() of the desktop app's benchmarks (tests/bench/gui_*_bench.cpp): the offscreen
// platform unless QT_QPA_PLATFORM says otherwise, Qt's test-mode paths (settings, recent and
// recovery files do not touch the user's), the offscreen plugin's size-hint warning silenced,
// and five repetitions (medians printed) unless the command line asks for another count.
#include <QApplication>
#include <QStandardPaths>
#include <QString>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace nlab::bench {

inline void quietOffscreenWarnings(QtMsgType type, const QMessageLogContext& context,
                                   const QString& message) {
    // The offscreen platform cannot size native windows to hints; docks ask it to.
    if (message.contains(QLatin1String("does not support propagateSizeHints"))) return;
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

/// Runs the registered benchmarks inside a QApplication. @return the program's exit status.
inline int runGuiBenchmarks(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    qInstallMessageHandler(quietOffscreenWarnings);
    // Qt gets its own copy of the arguments: Google Benchmark edits argc/argv.
    int qtArgc = 1;
    char* qtArgv[] = {argv[0], nullptr};
    QApplication app(qtArgc, qtArgv);
    std::vector<char*> args(argv, argv + argc);
    std::string reps = "--benchmark_repetitions=5";
    if (std::none_of(args.begin(), args.end(), [](const char* a) {
            return std::string_view(a).starts_with("--benchmark_repetitions");
        })) {
        args.push_back(reps.data());
    }
    args.push_back(nullptr);
    int benchArgc = static_cast<int>(args.size()) - 1;
    benchmark::Initialize(&benchArgc, args.data());
    if (benchmark::ReportUnrecognizedArguments(benchArgc, args.data())) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

}  // namespace nlab::bench
