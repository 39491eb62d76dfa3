// A large lab in the physical view (issue 5, Benchmarks: layout and first paint < 5 s, the
// GUI thread never blocked > 100 ms).
//
// The lab: a network node and 20 compute nodes; an external flat network and ten GRE tenant
// networks (one /24 subnet each, DHCP on), one router with a gateway on the external network
// and an interface on every tenant subnet; 400 instances, 20 per compute node, spread over
// the ten networks. Built through model::Cloud (the agents realise everything in the engine).
//
// Benchmarks
//   LargeLab/ModelBuild   building that lab through the Cloud (no Qt). Counter build_ms.
//   LargeLab/PhysicalView the physical scene and view on it, from constructing the scene
//                         (graph, items, layout started off the GUI thread) to the end of the
//                         viewport's first paint with the layout applied, at 1280x800.
//   LargeLab/MainWindow   the same lab saved to a file and opened by neutronlab's MainWindow
//                         (openFile: load, both scenes, every dock), to its first paint;
//                         open_ms is openFile (synchronous, on the GUI thread), load_file_ms
//                         loading the file alone (timed apart, outside total_ms).
// A QTimer on the GUI thread fires every 10 ms from before the scene exists to the end of the
// paint; the gaps between its firings are the times the GUI thread was busy. Counters (ms):
// total_ms (the target), scene_build_ms (the synchronous part: graph and items),
// layout_ms (Graphviz, worker thread), layout_wait_ms, paint_ms, max_gap_ms (longest gap over
// the whole run), max_gap_layout_ms (longest gap overlapping the time from the start of the
// off-thread layout to its arrival on the GUI thread), apply_gap_ms (the gap in which the layout
// was applied to the items), paint_gap_ms (the gap that ended with the first paint),
// gaps_over_100ms (count); nodes, edges (the layout graph).
//
// Run: build-bench/tests/bench/nlab_gui_large_lab_bench (offscreen unless QT_QPA_PLATFORM
// is set).

#include "model/cloud.h"
#include "model/lab_file.h"
#include "views/physical_scene.h"
#include "views/physical_view.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStandardPaths>
#include <QTemporaryDir>
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
using engine::Ipv4Address;

constexpr int kComputeNodes = 20;
constexpr int kVmsPerNode = 20;
constexpr int kNetworks = 10;
constexpr int kWidth = 1280;
constexpr int kHeight = 800;
constexpr int kTimeoutMs = 120000;
constexpr int kTickMs = 10;

double ms(qint64 ns) {
    return static_cast<double>(ns) / 1e6;
}

// ------------------------------------------------------------------------------- the lab

bool check(bool ok, const std::string& what, const std::string& message, std::string* error) {
    if (!ok && error->empty())
        *error = what + ": " + message;
    return ok;
}

template <typename R>
bool check(const R& r, const std::string& what, std::string* error) {
    return check(r.ok(), what, r.ok() ? std::string() : r.error().message, error);
}

/// The large lab described above; null with 'error' set when the Cloud refuses something.
std::unique_ptr<model::Cloud> buildLargeLab(std::string* error) {
    auto cloud = std::make_unique<model::Cloud>(11);
    model::Host network;
    network.name = "network";
    network.role = model::HostRole::Network;
    network.managementIp = Ipv4Address::fromOctets(192, 168, 1, 10);
    network.dataIp = Ipv4Address::fromOctets(10, 0, 0, 10);
    if (!check(cloud->addHost(network), "addHost network", error))
        return nullptr;
    for (int c = 1; c <= kComputeNodes; ++c) {
        model::Host h;
        h.name = "compute" + std::to_string(c);
        h.role = model::HostRole::Compute;
        h.managementIp = Ipv4Address::fromOctets(192, 168, 1, 10 + c);
        h.dataIp = Ipv4Address::fromOctets(10, 0, 0, 10 + c);
        h.libvirtDefaultNetwork = true;
        if (!check(cloud->addHost(h), "addHost " + h.name, error))
            return nullptr;
    }
    model::NetworkRequest ext;
    ext.name = "external";
    ext.type = model::NetworkType::Flat;
    ext.external = true;
    if (!check(cloud->createNetwork(ext), "external network", error))
        return nullptr;
    model::SubnetRequest extSubnet;
    extSubnet.network = "external";
    extSubnet.cidr = "192.168.0.0/24";
    extSubnet.gatewayIp = Ipv4Address::fromOctets(192, 168, 0, 1);
    extSubnet.allocationPools = {
        {Ipv4Address::fromOctets(192, 168, 0, 2), Ipv4Address::fromOctets(192, 168, 0, 100)}};
    extSubnet.enableDhcp = false;
    if (!check(cloud->createSubnet(extSubnet), "external subnet", error))
        return nullptr;
    model::RouterRequest router;
    router.name = "router1";
    if (!check(cloud->createRouter(router), "router", error))
        return nullptr;
    if (!check(cloud->setRouterGateway("router1", "external"), "gateway", error))
        return nullptr;
    for (int n = 0; n < kNetworks; ++n) {
        model::NetworkRequest net;
        net.name = "net" + std::to_string(n);
        if (!check(cloud->createNetwork(net), net.name, error))
            return nullptr;
        model::SubnetRequest sub;
        sub.network = net.name;
        sub.name = net.name + "-subnet";
        sub.cidr = "10.20." + std::to_string(n) + ".0/24";
        if (!check(cloud->createSubnet(sub), sub.name, error))
            return nullptr;
        if (!check(cloud->addRouterInterface("router1", sub.name), "interface " + sub.name, error))
            return nullptr;
    }
    for (int c = 1; c <= kComputeNodes; ++c) {
        for (int v = 0; v < kVmsPerNode; ++v) {
            model::InstanceRequest req;
            req.name = "vm" + std::to_string(c) + "-" + std::to_string(v);
            req.host = "compute" + std::to_string(c);
            req.nics.push_back({"net" + std::to_string((c * kVmsPerNode + v) % kNetworks), "", {}});
            if (!check(cloud->bootInstance(req), req.name, error))
                return nullptr;
        }
    }
    return cloud;
}

// ----------------------------------------------------------------------- measuring tools

/// Records the gaps between the firings of a 10 ms timer on the GUI thread.
class GapRecorder {
public:
    explicit GapRecorder(const QElapsedTimer& clock) : m_clock(clock) {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_gaps.push_back({m_last, now});
            m_last = now;
        });
    }
    /// Starts the timer and lets it settle for a few firings.
    void start() {
        m_timer.start();
        m_last = m_clock.nsecsElapsed();
        QEventLoop loop;
        QTimer::singleShot(5 * kTickMs, &loop, &QEventLoop::quit);
        loop.exec();
        m_gaps.clear();
    }
    void stop() {
        m_timer.stop();
        // The time since the last firing counts too (the paint may have been the last block).
        const qint64 now = m_clock.nsecsElapsed();
        m_gaps.push_back({m_last, now});
    }
    /// Longest gap (ns) among those overlapping [from, to] (all when to < 0).
    qint64 longest(qint64 from = 0, qint64 to = -1) const {
        qint64 worst = 0;
        for (const auto& [a, b] : m_gaps) {
            if (to >= 0 && (b < from || a > to))
                continue;
            worst = std::max(worst, b - a);
        }
        return worst;
    }
    /// The gap (ns) during which the GUI thread was at time 't' (0 when none).
    qint64 containing(qint64 t) const {
        for (const auto& [a, b] : m_gaps) {
            if (a <= t && t <= b)
                return b - a;
        }
        return 0;
    }
    int countOver(qint64 ns) const {
        return static_cast<int>(std::count_if(
            m_gaps.begin(), m_gaps.end(), [ns](const auto& g) { return g.second - g.first > ns; }));
    }

private:
    const QElapsedTimer& m_clock;
    QTimer m_timer;
    qint64 m_last = 0;
    std::vector<std::pair<qint64, qint64>> m_gaps;
};

/// Delivers the viewport's paint events itself; times the first one for which ready()
/// holds, then calls done().
class FirstPaintProbe : public QObject {
public:
    FirstPaintProbe(QWidget* viewport, const QElapsedTimer& clock, std::function<bool()> ready,
                    std::function<void()> done)
        : m_viewport(viewport), m_clock(clock), m_ready(std::move(ready)), m_done(std::move(done)) {
        m_viewport->installEventFilter(this);
    }
    ~FirstPaintProbe() override {
        if (!m_finished)
            m_viewport->removeEventFilter(this);
    }
    bool finished() const { return m_finished; }
    qint64 startNs() const { return m_startNs; }
    qint64 endNs() const { return m_endNs; }

    bool eventFilter(QObject* watched, QEvent* event) override {
        if (watched != m_viewport || event->type() != QEvent::Paint || m_finished || !m_ready())
            return false;
        m_startNs = m_clock.nsecsElapsed();
        m_viewport->removeEventFilter(this);
        QCoreApplication::sendEvent(m_viewport, event);
        m_endNs = m_clock.nsecsElapsed();
        m_finished = true;
        m_done();
        return true;
    }

private:
    QWidget* m_viewport;
    const QElapsedTimer& m_clock;
    std::function<bool()> m_ready;
    std::function<void()> m_done;
    bool m_finished = false;
    qint64 m_startNs = 0;
    qint64 m_endNs = 0;
};

bool layoutApplied(const views::PhysicalScene& scene) {
    return !scene.isLayoutRunning() && !scene.layoutResult().positions.isEmpty();
}

bool runUntil(const FirstPaintProbe& probe, QEventLoop& loop) {
    if (probe.finished())
        return true;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    timeout.start(kTimeoutMs);
    loop.exec();
    return probe.finished();
}

struct Figures {
    qint64 startNs = 0, sceneBuiltNs = 0, layoutAppliedNs = 0, paintStartNs = 0, paintEndNs = 0;
    qint64 layoutMs = -1;
    qint64 maxGapNs = 0, maxGapLayoutNs = 0, applyGapNs = 0, paintGapNs = 0;
    int gapsOver100 = 0;
    std::size_t nodes = 0, edges = 0;
    qint64 loadFileNs = -1;  ///< MainWindow: model::loadLabFile alone, timed apart.
    bool ok = false;
};

void report(benchmark::State& state, const Figures& f) {
    state.SetIterationTime(static_cast<double>(f.paintEndNs - f.startNs) / 1e9);
    state.counters["total_ms"] = ms(f.paintEndNs - f.startNs);
    if (f.loadFileNs < 0) {
        state.counters["scene_build_ms"] = ms(f.sceneBuiltNs - f.startNs);
    } else {
        state.counters["open_ms"] = ms(f.sceneBuiltNs - f.startNs);
        state.counters["load_file_ms"] = ms(f.loadFileNs);
    }
    state.counters["layout_ms"] = static_cast<double>(f.layoutMs);
    state.counters["layout_wait_ms"] = ms(f.layoutAppliedNs - f.sceneBuiltNs);
    state.counters["paint_ms"] = ms(f.paintEndNs - f.paintStartNs);
    state.counters["max_gap_ms"] = ms(f.maxGapNs);
    state.counters["max_gap_layout_ms"] = ms(f.maxGapLayoutNs);
    state.counters["apply_gap_ms"] = ms(f.applyGapNs);
    state.counters["paint_gap_ms"] = ms(f.paintGapNs);
    state.counters["gaps_over_100ms"] = f.gapsOver100;
    state.counters["nodes"] = static_cast<double>(f.nodes);
    state.counters["edges"] = static_cast<double>(f.edges);
}

// ---------------------------------------------------------------------------- benchmarks

void BM_ModelBuild(benchmark::State& state) {
    for (auto _ : state) {
        QElapsedTimer t;
        t.start();
        std::string error;
        auto cloud = buildLargeLab(&error);
        const qint64 ns = t.nsecsElapsed();
        if (!cloud) {
            state.SkipWithError(error.c_str());
            break;
        }
        state.SetIterationTime(static_cast<double>(ns) / 1e9);
        state.counters["build_ms"] = ms(ns);
        state.counters["instances"] = static_cast<double>(cloud->state().instances.size());
        state.counters["ports"] = static_cast<double>(cloud->state().ports.size());
    }
}

void BM_PhysicalView(benchmark::State& state) {
    std::string error;
    auto cloud = buildLargeLab(&error);
    if (!cloud) {
        state.SkipWithError(error.c_str());
        return;
    }
    for (auto _ : state) {
        Figures f;
        QElapsedTimer clock;
        QEventLoop loop;
        clock.start();
        GapRecorder gaps(clock);
        gaps.start();
        f.startNs = clock.nsecsElapsed();
        auto scene = std::make_unique<views::PhysicalScene>(cloud.get());
        f.sceneBuiltNs = clock.nsecsElapsed();
        QObject::connect(scene.get(), &views::PhysicalScene::layoutFinished, &loop,
                         [&](qint64 elapsed) {
                             f.layoutAppliedNs = clock.nsecsElapsed();
                             f.layoutMs = elapsed;
                         });
        auto view = std::make_unique<views::PhysicalView>(scene.get());
        FirstPaintProbe probe(
            view->viewport(), clock, [&] { return layoutApplied(*scene); }, [&] { loop.quit(); });
        view->resize(kWidth, kHeight);
        view->show();
        f.ok = runUntil(probe, loop);
        gaps.stop();
        f.paintStartNs = probe.startNs();
        f.paintEndNs = probe.endNs();
        f.maxGapNs = gaps.longest();
        // While Graphviz runs: gaps overlapping the time from the scene's construction (the
        // layout started there) to the layout's arrival on the GUI thread.
        f.maxGapLayoutNs = gaps.longest(f.sceneBuiltNs, f.layoutAppliedNs);
        f.applyGapNs = gaps.containing(f.layoutAppliedNs);
        f.paintGapNs = gaps.containing(f.paintEndNs);
        f.gapsOver100 = gaps.countOver(100'000'000);
        const views::LayoutGraph lg = scene->graph().toLayoutGraph();
        f.nodes = lg.nodes.size();
        f.edges = lg.edges.size();
        view.reset();
        scene.reset();
        if (!f.ok) {
            state.SkipWithError("no paint with the layout applied");
            break;
        }
        report(state, f);
    }
}

#ifdef NLAB_HAVE_APP
void BM_MainWindow(benchmark::State& state) {
    std::string error;
    auto cloud = buildLargeLab(&error);
    if (!cloud) {
        state.SkipWithError(error.c_str());
        return;
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("large.yaml"));
    if (const auto st = model::saveLabFile(*cloud, path.toStdString()); !st.ok()) {
        state.SkipWithError(st.error().message.c_str());
        return;
    }
    cloud.reset();
    for (auto _ : state) {
        Figures f;
        auto window = std::make_unique<app::MainWindow>();
        window->resize(kWidth, kHeight);
        window->show();
        QCoreApplication::processEvents();
        QElapsedTimer clock;
        QEventLoop loop;
        clock.start();
        GapRecorder gaps(clock);
        gaps.start();
        views::PhysicalScene& scene = window->physicalScene();
        QObject::connect(&scene, &views::PhysicalScene::layoutFinished, &loop, [&](qint64 elapsed) {
            f.layoutAppliedNs = clock.nsecsElapsed();
            f.layoutMs = elapsed;
        });
        FirstPaintProbe probe(
            window->physicalView().viewport(), clock, [&] { return layoutApplied(scene); },
            [&] { loop.quit(); });
        f.startNs = clock.nsecsElapsed();
        QString openError;
        if (!window->openFile(path, &openError)) {
            state.SkipWithError(qPrintable(openError));
            break;
        }
        f.sceneBuiltNs = clock.nsecsElapsed();  // here: the whole openFile (load, scenes, docks)
        f.ok = runUntil(probe, loop);
        gaps.stop();
        f.paintStartNs = probe.startNs();
        f.paintEndNs = probe.endNs();
        f.maxGapNs = gaps.longest();
        f.maxGapLayoutNs = gaps.longest(f.sceneBuiltNs, f.layoutAppliedNs);
        f.applyGapNs = gaps.containing(f.layoutAppliedNs);
        f.paintGapNs = gaps.containing(f.paintEndNs);
        f.gapsOver100 = gaps.countOver(100'000'000);
        const views::LayoutGraph lg = scene.graph().toLayoutGraph();
        f.nodes = lg.nodes.size();
        f.edges = lg.edges.size();
        window.reset();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        if (!f.ok) {
            state.SkipWithError("no paint with the layout applied");
            break;
        }
        // The lab file's share of openFile: loading it alone (the Cloud, its agents, the
        // instances' DHCP leases), without the window.
        QElapsedTimer load;
        load.start();
        const model::LoadedLab loaded = model::loadLabFile(path.toStdString());
        f.loadFileNs = load.nsecsElapsed();
        if (!loaded) {
            state.SkipWithError("the saved lab does not load");
            break;
        }
        report(state, f);
    }
}
#endif

}  // namespace

BENCHMARK(BM_ModelBuild)
    ->Name("LargeLab/ModelBuild")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PhysicalView)
    ->Name("LargeLab/PhysicalView")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
#ifdef NLAB_HAVE_APP
BENCHMARK(BM_MainWindow)
    ->Name("LargeLab/MainWindow")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
#endif

int main(int argc, char** argv) { return nlab::bench::runGuiBenchmarks(argc, argv); }
