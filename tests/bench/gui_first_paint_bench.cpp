// Launch to first paint of the seed lab (issue 5, Benchmarks: target < 1.5 s).
//
// What is timed: everything the app does between QApplication and the first picture of the
// lab, in the order neutronlab's main() does it — construct the MainWindow (it creates the
// LabDocument, the scenes, views and docks), show() it at 1280x800, open the built-in seed
// lab (openSeed: the lab file replayed through the Cloud and its agents, the scenes rebuilt,
// the physical layout started off the GUI thread) — until the physical view's viewport has
// *completed* its first paint event with the layout applied (items visible and fitted). The
// paint is timed from inside: an event filter on the viewport delivers the paint event
// itself and notes when it returns. QApplication's construction is outside, as is tearing
// the window down.
//
// Benchmarks
//   FirstPaint/MainWindow/cold  the first window of the process (fonts, icons, Graphviz
//                               plugins, Qt's lazily loaded parts): run the program three
//                               times and take the median of this row.
//   FirstPaint/MainWindow       later windows in the same process (5 repetitions).
//   FirstPaint/Views            the physical and logical views alone (LabDocument, both
//                               scenes and views in a splitter): the docks' share is the
//                               difference.
// Counters (ms): construct_ms (window or views created), show_ms, seed_ms (openSeed),
// layout_ms (Graphviz, worker thread), layout_wait_ms (seed loaded -> layout applied),
// paint_ms (the first paint with the layout), first_paint_ms (the total, the target).
//
// Run: build-bench/tests/bench/nlab_gui_first_paint_bench (offscreen unless QT_QPA_PLATFORM
// is set).

#include "model/qt/lab_document.h"
#include "views/logical_scene.h"
#include "views/logical_view.h"
#include "views/network_palette.h"
#include "views/physical_scene.h"
#include "views/physical_view.h"
#include "views/selection_model.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSplitter>
#include <QStandardPaths>
#include <QTimer>

#include <benchmark/benchmark.h>

#include "tests/bench/gui_bench_main.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#ifdef NLAB_HAVE_APP
#include "app/main_window.h"
#endif

namespace {

using namespace nlab;

constexpr int kWidth = 1280;
constexpr int kHeight = 800;
constexpr int kTimeoutMs = 60000;

double ms(qint64 ns) {
    return static_cast<double>(ns) / 1e6;
}

/// Delivers the viewport's paint events itself; the first one for which ready() holds is
/// timed from its start to its end, then 'done' is called.
class FirstPaintProbe : public QObject {
public:
    FirstPaintProbe(QWidget* viewport, const QElapsedTimer& clock, std::function<bool()> ready,
                    std::function<void()> done)
        : m_viewport(viewport), m_clock(clock), m_ready(std::move(ready)), m_done(std::move(done)) {
        m_viewport->installEventFilter(this);
    }
    ~FirstPaintProbe() override {
        if (m_viewport && !m_finished)
            m_viewport->removeEventFilter(this);
    }

    bool finished() const { return m_finished; }
    qint64 startNs() const { return m_startNs; }
    qint64 endNs() const { return m_endNs; }
    int paintsBefore() const { return m_paintsBefore; }

    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched != m_viewport || event->type() != QEvent::Paint || m_finished)
            return false;
        if (!m_ready()) {
            ++m_paintsBefore;
            return false;
        }
        m_startNs = m_clock.nsecsElapsed();
        // Deliver the paint now (the view paints through its viewport filter), without us.
        m_viewport->removeEventFilter(this);
        QCoreApplication::sendEvent(m_viewport, event);
        m_endNs = m_clock.nsecsElapsed();
        m_finished = true;
        m_done();
        return true;  // already painted
    }

private:
    QWidget* m_viewport;
    const QElapsedTimer& m_clock;
    std::function<bool()> m_ready;
    std::function<void()> m_done;
    bool m_finished = false;
    int m_paintsBefore = 0;
    qint64 m_startNs = 0;
    qint64 m_endNs = 0;
};

struct Figures {
    qint64 constructNs = 0, showNs = 0, seedNs = 0, layoutAppliedNs = 0, paintStartNs = 0,
           paintEndNs = 0;
    qint64 layoutMs = -1;
    bool ok = false;
};

/// Runs the event loop until the probe saw its paint (or the timeout).
bool waitForPaint(const FirstPaintProbe& probe, QEventLoop& loop) {
    if (probe.finished())
        return true;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(kTimeoutMs);
    loop.exec();
    return probe.finished();
}

/// Layout applied: a finished full layout with positions (an empty lab or a lab still being
/// laid out has none).
bool layoutApplied(const views::PhysicalScene& scene) {
    return !scene.isLayoutRunning() && !scene.layoutResult().positions.isEmpty();
}

void report(benchmark::State& state, const Figures& f) {
    state.SetIterationTime(static_cast<double>(f.paintEndNs) / 1e9);
    state.counters["construct_ms"] = ms(f.constructNs);
    state.counters["show_ms"] = ms(f.showNs - f.constructNs);
    state.counters["seed_ms"] = ms(f.seedNs - f.showNs);
    state.counters["layout_ms"] = static_cast<double>(f.layoutMs);
    state.counters["layout_wait_ms"] = ms(f.layoutAppliedNs - f.seedNs);
    state.counters["paint_ms"] = ms(f.paintEndNs - f.paintStartNs);
    state.counters["first_paint_ms"] = ms(f.paintEndNs);
}

#ifdef NLAB_HAVE_APP
Figures firstPaintMainWindow() {
    Figures f;
    QElapsedTimer clock;
    QEventLoop loop;
    clock.start();
    auto window = std::make_unique<app::MainWindow>();
    f.constructNs = clock.nsecsElapsed();
    views::PhysicalScene& scene = window->physicalScene();
    QObject::connect(&scene, &views::PhysicalScene::layoutFinished, &loop, [&](qint64 elapsed) {
        f.layoutAppliedNs = clock.nsecsElapsed();
        f.layoutMs = elapsed;
    });
    FirstPaintProbe probe(
        window->physicalView().viewport(), clock, [&] { return layoutApplied(scene); },
        [&] { loop.quit(); });
    // neutronlab's main(): show the window, then open the lab.
    window->resize(kWidth, kHeight);
    window->show();
    f.showNs = clock.nsecsElapsed();
    QString error;
    if (!window->openSeed(&error)) {
        std::fprintf(stderr, "openSeed: %s\n", qPrintable(error));
        return f;
    }
    f.seedNs = clock.nsecsElapsed();
    f.ok = waitForPaint(probe, loop);
    f.paintStartNs = probe.startNs();
    f.paintEndNs = probe.endNs();
    window.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return f;
}

void BM_FirstPaintMainWindow(benchmark::State& state) {
    for (auto _ : state) {
        const Figures f = firstPaintMainWindow();
        if (!f.ok) {
            state.SkipWithError("no paint with the layout applied");
            break;
        }
        report(state, f);
    }
}
#endif

/// The two graph views without the main window's docks.
Figures firstPaintViews() {
    Figures f;
    QElapsedTimer clock;
    QEventLoop loop;
    clock.start();
    auto document = std::make_unique<model::LabDocument>();
    views::SelectionModel selection;
    views::NetworkPalette palette;
    auto* physicalScene = new views::PhysicalScene(&document->cloud(), &selection, &palette);
    auto* logicalScene = new views::LogicalScene(&document->cloud(), &selection, &palette);
    auto splitter = std::make_unique<QSplitter>(Qt::Horizontal);
    auto* physicalView = new views::PhysicalView(physicalScene);
    auto* logicalView = new views::LogicalView(logicalScene);
    splitter->addWidget(physicalView);
    splitter->addWidget(logicalView);
    splitter->setSizes({kWidth * 2 / 3, kWidth / 3});
    QObject::connect(document.get(), &model::LabDocument::labReset, physicalScene, [&] {
        physicalScene->setCloud(&document->cloud());
        logicalScene->setCloud(&document->cloud());
    });
    f.constructNs = clock.nsecsElapsed();
    QObject::connect(physicalScene, &views::PhysicalScene::layoutFinished, &loop,
                     [&](qint64 elapsed) {
                         f.layoutAppliedNs = clock.nsecsElapsed();
                         f.layoutMs = elapsed;
                     });
    FirstPaintProbe probe(
        physicalView->viewport(), clock, [&] { return layoutApplied(*physicalScene); },
        [&] { loop.quit(); });
    splitter->resize(kWidth, kHeight);
    splitter->show();
    f.showNs = clock.nsecsElapsed();
    QString error;
    if (!document->openSeed(&error)) {
        std::fprintf(stderr, "openSeed: %s\n", qPrintable(error));
        return f;
    }
    f.seedNs = clock.nsecsElapsed();
    f.ok = waitForPaint(probe, loop);
    f.paintStartNs = probe.startNs();
    f.paintEndNs = probe.endNs();
    splitter.reset();  // the views first, then their scenes, then the lab
    delete logicalScene;
    delete physicalScene;
    document.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return f;
}

void BM_FirstPaintViews(benchmark::State& state) {
    for (auto _ : state) {
        const Figures f = firstPaintViews();
        if (!f.ok) {
            state.SkipWithError("no paint with the layout applied");
            break;
        }
        report(state, f);
    }
}

}  // namespace

// The cold run first: it must be the process's first window.
#ifdef NLAB_HAVE_APP
BENCHMARK(BM_FirstPaintMainWindow)
    ->Name("FirstPaint/MainWindow/cold")
    ->Iterations(1)
    ->Repetitions(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FirstPaintMainWindow)
    ->Name("FirstPaint/MainWindow")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
#endif
BENCHMARK(BM_FirstPaintViews)
    ->Name("FirstPaint/Views")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) { return nlab::bench::runGuiBenchmarks(argc, argv); }
