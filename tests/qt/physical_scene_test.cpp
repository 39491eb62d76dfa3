// PhysicalScene on the seed lab: the items the article's hosts have, the layout computed
// off the GUI thread, stability when an instance is added, selection linking, exports,
// token animation.

#include "model/agents/agents.h"
#include "model/cloud.h"
#include "model/lab_file.h"
#include "views/edge_item.h"
#include "views/frame_item.h"
#include "views/node_item.h"
#include "views/physical_scene.h"
#include "views/physical_view.h"
#include "views/selection_model.h"

#include <QElapsedTimer>
#include <QFontInfo>
#include <QFontMetricsF>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace nlab;
using namespace nlab::views;

class PhysicalSceneTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<model::Cloud> m_cloud;

    static std::unique_ptr<model::Cloud> seed() {
        auto loaded = model::loadSeedLab();
        if (!loaded) qFatal("seed lab: %s", loaded.error ? loaded.error->toString().c_str() : "?");
        return std::move(loaded.cloud);
    }

private slots:
    void init() { m_cloud = seed(); }
    void cleanup() { m_cloud.reset(); }

    void seedLabItems() {
        PhysicalScene scene(m_cloud.get());
        const PhysicalGraph& g = scene.graph();
        // Hosts, including the outside node.
        QVERIFY(scene.frameItem(hostKey("network")));
        QVERIFY(scene.frameItem(hostKey("compute")));
        QVERIFY(scene.frameItem(hostKey("outside")));
        QCOMPARE(scene.frameItem(hostKey("network"))->style(), FrameItem::Style::NetworkHost);
        // Bridges on compute, the hybrid plug of instance1, patch ports, tunnels.
        for (const char* k : {"bridge:compute/br-int", "bridge:compute/br-tun", "bridge:compute/qbr8cbe7bb6-18",
                              "bridge:compute/virbr0", "bridge:network/br-ex", "dev:compute/patch-tun",
                              "dev:compute/patch-int", "dev:compute/gre-0a0a648b", "dev:network/gre-0a0a648c",
                              "dev:network/eth2", "dev:compute/eth1", "seg:underlay", "seg:external"}) {
            QVERIFY2(scene.nodeItem(k), k);
        }
        // Three instances on compute, each with its tap/qbr/qvb/qvo chain.
        int vms = 0;
        for (const auto& [id, inst] : m_cloud->state().instances) {
            ++vms;
            QCOMPARE(QString::fromStdString(inst.hostId), QStringLiteral("compute"));
            const QString vm = vmKey("compute", QString::fromStdString(inst.name));
            QVERIFY2(scene.nodeItem(vm), qPrintable(vm));
            for (const std::string& pid : inst.portIds) {
                const QString s = QString::fromStdString(pid.substr(0, 11));
                const QString tap = "dev:compute/tap" + s, qbr = "bridge:compute/qbr" + s,
                              qvb = "dev:compute/qvb" + s, qvo = "dev:compute/qvo" + s;
                for (const QString& k : {tap, qbr, qvb, qvo}) QVERIFY2(scene.nodeItem(k), qPrintable(k));
                QVERIFY2(scene.edgeBetween(vm, tap), qPrintable(vm + " ~ " + tap));
                QVERIFY(scene.edgeBetween(tap, qbr));
                QVERIFY(scene.edgeBetween(qvb, qbr));
                QCOMPARE(scene.edgeBetween(qvb, qvo)->kind(), PhysEdgeKind::Veth);
                QVERIFY(scene.edgeBetween(qvo, "bridge:compute/br-int"));
                // Same network colour along the chain and on the VM.
                QVERIFY(scene.nodeItem(qvo)->networkColor().isValid());
                QCOMPARE(scene.nodeItem(qvo)->networkColor(), scene.nodeItem(vm)->networkColor());
            }
        }
        QCOMPARE(vms, 3);
        // qvo8cbe7bb6-18 carries the article's local VLAN 4 on compute.
        const PhysNode* qvo = g.node("dev:compute/qvo8cbe7bb6-18");
        QVERIFY(qvo && qvo->tag);
        QCOMPARE(*qvo->tag, 4);
        // Namespaces of the network node as groups holding their interfaces.
        QVERIFY(scene.frameItem("ns:network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81"));
        QVERIFY(scene.frameItem("ns:network/qdhcp-224f79e0-8068-4ef7-8c79-2326bc0cf5c4"));
        QCOMPARE(g.node("dev:network/qr-d8fd27a6-d1")->cluster,
                 QStringLiteral("ns:network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81"));
        QCOMPARE(g.node("dev:network/qg-6f726a6c-41")->cluster,
                 QStringLiteral("ns:network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81"));
        // Patch pair and the tunnel between the hosts, labelled with both remote IPs.
        QCOMPARE(scene.edgeBetween("dev:compute/patch-tun", "dev:compute/patch-int")->kind(), PhysEdgeKind::Patch);
        EdgeItem* tunnel = scene.edgeBetween("dev:network/gre-0a0a648c", "dev:compute/gre-0a0a648b");
        QVERIFY(tunnel);
        QCOMPARE(tunnel->kind(), PhysEdgeKind::Tunnel);
        QVERIFY2(tunnel->label().contains("GRE key=flow remote=10.10.100.140"), qPrintable(tunnel->label()));
        QVERIFY2(tunnel->label().contains("GRE key=flow remote=10.10.100.139"), qPrintable(tunnel->label()));
        // NICs on their segments.
        QCOMPARE(scene.edgeBetween("dev:network/eth1", "seg:underlay")->kind(), PhysEdgeKind::Segment);
        QVERIFY(scene.edgeBetween("dev:outside/eth0", "seg:external"));
    }

    void layoutRunsOffTheGuiThread() {
        PhysicalScene scene(m_cloud.get());
        QSignalSpy spy(&scene, &PhysicalScene::layoutFinished);
        // The layout was started by the constructor and the GUI thread is free meanwhile.
        QVERIFY(scene.isLayoutRunning());
        QVERIFY(!scene.nodeItem("bridge:compute/br-int")->isVisible());
        QVERIFY(spy.wait(30000));
        QVERIFY(!scene.isLayoutRunning());
        qInfo("seed lab layout: %lld ms (%s)", static_cast<long long>(spy.at(0).at(0).toLongLong()),
              qPrintable(scene.layoutResult().method));
        QVERIFY(scene.layoutResult().error.isEmpty());
        // Every item placed and shown, boxes inside their host frames, no two boxes overlap.
        const QStringList keys = scene.nodeKeys();
        for (const QString& k : keys) {
            NodeItem* n = scene.nodeItem(k);
            QVERIFY2(n->isVisible(), qPrintable(k));
            const PhysNode* pn = scene.graph().node(k);
            if (!pn->cluster.isEmpty()) {
                QVERIFY2(scene.frameItem(pn->cluster)->frameRect().contains(n->sceneBox()), qPrintable(k));
            }
        }
        for (int i = 0; i < keys.size(); ++i) {
            for (int j = i + 1; j < keys.size(); ++j) {
                QVERIFY2(!scene.nodeItem(keys[i])->sceneBox().intersects(scene.nodeItem(keys[j])->sceneBox()),
                         qPrintable(keys[i] + " overlaps " + keys[j]));
            }
        }
        // Host frames do not overlap each other.
        const QRectF net = scene.frameItem(hostKey("network"))->frameRect();
        const QRectF comp = scene.frameItem(hostKey("compute"))->frameRect();
        QVERIFY(!net.intersects(comp));
    }

    void positionsStableAfterAddingAnInstance() {
        PhysicalScene scene(m_cloud.get());
        QVERIFY(scene.waitForLayout());
        QHash<QString, QPointF> before;
        for (const QString& k : scene.nodeKeys()) before.insert(k, scene.nodeItem(k)->pos());
        const QRectF hostBefore = scene.frameItem(hostKey("compute"))->frameRect();

        model::InstanceRequest req;
        req.name = "instance4";
        req.host = "compute";
        req.nics.push_back({"private2", "", {}});
        req.boot = false;
        auto r = m_cloud->bootInstance(req);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        const std::string pid = r.value()->portIds.front();
        scene.rebuild();
        QVERIFY(!scene.isLayoutRunning());  // incremental: no Graphviz run
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            QVERIFY2(scene.nodeItem(it.key()), qPrintable(it.key()));
            QCOMPARE(scene.nodeItem(it.key())->pos(), it.value());
        }
        const QString s = QString::fromStdString(pid.substr(0, 11));
        const QString vm = vmKey("compute", "instance4");
        const QStringList added{vm, "dev:compute/tap" + s, "bridge:compute/qbr" + s, "dev:compute/qvb" + s,
                                "dev:compute/qvo" + s};
        for (const QString& k : added) {
            NodeItem* n = scene.nodeItem(k);
            QVERIFY2(n && n->isVisible(), qPrintable(k));
            // Inside its host, on no other box.
            QVERIFY2(scene.frameItem(hostKey("compute"))->frameRect().contains(n->sceneBox()), qPrintable(k));
            for (const QString& other : scene.nodeKeys()) {
                if (other != k) QVERIFY2(!n->sceneBox().intersects(scene.nodeItem(other)->sceneBox()), qPrintable(k + " on " + other));
            }
        }
        // The new qvo sits near br-int (its neighbour), the host frame only grew.
        const QPointF d = scene.nodeItem("dev:compute/qvo" + s)->pos() - scene.nodeItem("bridge:compute/br-int")->pos();
        QVERIFY2(std::hypot(d.x(), d.y()) < 400, qPrintable(QString::number(std::hypot(d.x(), d.y()))));
        QVERIFY(scene.frameItem(hostKey("compute"))->frameRect().contains(hostBefore));

        // Deleting it removes exactly its items; the others still do not move.
        QVERIFY(m_cloud->deleteInstance("instance4"));
        scene.rebuild();
        for (const QString& k : added) QVERIFY2(!scene.nodeItem(k), qPrintable(k));
        for (auto it = before.cbegin(); it != before.cend(); ++it) QCOMPARE(scene.nodeItem(it.key())->pos(), it.value());

        // relayout() recomputes everything, off the GUI thread.
        QSignalSpy spy(&scene, &PhysicalScene::layoutFinished);
        scene.relayout();
        QVERIFY(scene.isLayoutRunning());
        QVERIFY(spy.wait(30000));
    }

    void selectionLinking() {
        SelectionModel selection;
        PhysicalScene scene(m_cloud.get(), &selection);
        QVERIFY(scene.waitForLayout());
        const QString private1 = "224f79e0-8068-4ef7-8c79-2326bc0cf5c4";
        // A network: its tagged ports on every host, with VLAN / tunnel badges.
        selection.select(selkind::kNetwork, private1);
        QCOMPARE(scene.nodeItem("dev:compute/qvo8cbe7bb6-18")->badge(), QStringLiteral("VLAN 4 / tun 0x1"));
        QVERIFY(scene.nodeItem("dev:compute/qvo8cbe7bb6-18")->isHighlighted());
        QCOMPARE(scene.nodeItem("dev:network/tap78dd7f1e-53")->badge(), QStringLiteral("VLAN 9 / tun 0x1"));
        QCOMPARE(scene.nodeItem("dev:network/qr-d8fd27a6-d1")->badge(), QStringLiteral("VLAN 9 / tun 0x1"));
        QCOMPARE(scene.nodeItem("bridge:compute/br-tun")->badge(), QString::fromUtf8("VLAN 4 \u21c4 tun 0x1"));
        QCOMPARE(scene.nodeItem("bridge:network/br-tun")->badge(), QString::fromUtf8("VLAN 9 \u21c4 tun 0x1"));
        // private2's ports are not part of it.
        QVERIFY(!scene.nodeItem("dev:network/taped034aae-11")->isHighlighted());
        QVERIFY(scene.nodeItem("dev:network/taped034aae-11")->badge().isEmpty());

        // An instance: its tap/qbr/qvb/qvo chain and nothing else on br-int.
        const model::Instance* inst = m_cloud->state().instance("instance1");
        QVERIFY(inst);
        selection.select(selkind::kInstance, QString::fromStdString(inst->id));
        QCOMPARE(scene.highlightedKeys().filter(QRegularExpression("^(dev|bridge|vm):")),
                 QStringList({"bridge:compute/qbr8cbe7bb6-18", "dev:compute/qvb8cbe7bb6-18",
                              "dev:compute/qvo8cbe7bb6-18", "dev:compute/tap8cbe7bb6-18",
                              "vm:compute/instance1"}));
        QVERIFY(scene.nodeItem("vm:compute/instance1")->isSelected());
        QVERIFY(scene.edgeBetween("dev:compute/qvb8cbe7bb6-18", "dev:compute/qvo8cbe7bb6-18")->isHighlighted());
        QVERIFY(!scene.nodeItem("dev:compute/qvodd2c3906-f8")->isHighlighted());

        // Selecting an item in the scene selects its object.
        scene.clearSelection();
        QCOMPARE(selection.current().kind, QString());
        scene.nodeItem("dev:compute/qvodd2c3906-f8")->setSelected(true);
        QCOMPARE(selection.current(), (SelectionRef{selkind::kDevice, "compute/qvodd2c3906-f8"}));
        scene.clearSelection();
        scene.nodeItem("bridge:compute/br-int")->setSelected(true);
        QCOMPARE(selection.current(), (SelectionRef{selkind::kBridge, "compute/br-int"}));
        scene.clearSelection();
        scene.nodeItem("vm:compute/instance2")->setSelected(true);
        QCOMPARE(selection.current(), (SelectionRef{selkind::kInstance, QString::fromStdString(m_cloud->state().instance("instance2")->id)}));
        // A router: its namespace and ports.
        selection.select(selkind::kRouter, "040c1455-6096-4806-ba91-fec64cdaed81");
        QVERIFY(scene.frameItem("ns:network/qrouter-040c1455-6096-4806-ba91-fec64cdaed81")->isHighlighted());
        QVERIFY(scene.nodeItem("dev:network/qg-6f726a6c-41")->isHighlighted());
        QVERIFY(!scene.nodeItem("vm:compute/instance2")->isSelected());
    }

    void exports() {
        PhysicalScene scene(m_cloud.get());
        QVERIFY(scene.waitForLayout());
        PhysicalView view(&scene);
        view.resize(1280, 800);
        QTemporaryDir dir;
        const QString png = dir.filePath("physical.png"), svg = dir.filePath("physical.svg"),
                      dot = dir.filePath("physical.dot");
        QVERIFY(view.exportPng(png));
        QVERIFY(view.exportSvg(svg));
        QVERIFY(view.exportDot(dot));
        // NLAB_VIEWS_DUMP=dir keeps a copy to look at.
        if (const QString keep = qEnvironmentVariable("NLAB_VIEWS_DUMP"); !keep.isEmpty()) {
            QVERIFY(view.exportPng(keep + "/physical.png", 1.0));
            QVERIFY(view.exportSvg(keep + "/physical.svg"));
            QVERIFY(view.exportDot(keep + "/physical.dot"));
        }
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 400 && image.height() > 200);
        // Not blank: some pixels differ from the background.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
        }
        QVERIFY(colours.size() > 10);
        QFile s(svg);
        QVERIFY(s.open(QIODevice::ReadOnly));
        const QByteArray svgText = s.readAll();
        QVERIFY(svgText.contains("<svg"));
        QVERIFY(svgText.contains("</svg>"));
        QFile d(dot);
        QVERIFY(d.open(QIODevice::ReadOnly));
        const QString dotText = QString::fromUtf8(d.readAll());
        QVERIFY(dotText.startsWith("digraph lab {"));
        QVERIFY(dotText.contains("subgraph \"cluster_host:compute\""));
        QVERIFY(dotText.contains("\"dev:compute/qvb8cbe7bb6-18\" -> \"dev:compute/qvo8cbe7bb6-18\""));
        QVERIFY(dotText.contains("remote=10.10.100.140"));
        QVERIFY(dotText.trimmed().endsWith("}"));
        // Graphviz itself accepts the file.
        if (!QStandardPaths::findExecutable("dot").isEmpty()) {
            QProcess p;
            p.start("dot", {"-Tsvg", "-o", dir.filePath("check.svg"), dot});
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
        }
    }

    void readableInTheAppViewport() {
        // The physical view's share of the 1280x800 main window: about 740x440 pixels.
        PhysicalScene scene(m_cloud.get());
        QVERIFY(scene.waitForLayout());
        PhysicalView view(&scene);
        view.resize(740, 440);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.fitToView();
        QCoreApplication::processEvents();
        if (const QString keep = qEnvironmentVariable("NLAB_VIEWS_DUMP"); !keep.isEmpty()) {
            QVERIFY(view.grab().save(keep + "/physical-740x440.png"));
        }
        // Fitted, a port's name is drawn at least 7 pixels tall, a bridge's 9 (they were 3:
        // the lab was laid out four times wider than high).
        const qreal portPx = QFontInfo(physNodeFont(PhysNodeKind::Port)).pixelSize() * view.zoom();
        const qreal bridgePx = QFontInfo(physNodeFont(PhysNodeKind::OvsBridge)).pixelSize() * view.zoom();
        qInfo("fitted zoom %.2f: port labels %.1f px, bridge labels %.1f px", view.zoom(), portPx, bridgePx);
        QVERIFY2(portPx >= 7.0, qPrintable(QString::number(portPx)));
        QVERIFY2(bridgePx >= 9.0, qPrintable(QString::number(bridgePx)));
        // Every label fits its box (nothing elided).
        for (const QString& k : scene.nodeKeys()) {
            NodeItem* n = scene.nodeItem(k);
            const qreal text = QFontMetricsF(physNodeFont(n->kind())).horizontalAdvance(n->label());
            QVERIFY2(n->size().width() >= text + 2 * physbox::kPad, qPrintable(k));
        }
        // Left to right as the ping travels: compute, network, outside; the segments as bars
        // under all of them; the compute's VM chain and patch pair in place.
        const QRectF compute = scene.frameItem(hostKey("compute"))->frameRect();
        const QRectF network = scene.frameItem(hostKey("network"))->frameRect();
        const QRectF outside = scene.frameItem(hostKey("outside"))->frameRect();
        QVERIFY(compute.right() < network.left() && network.right() < outside.left());
        QCOMPARE(compute.bottom(), network.bottom());
        for (const QString& seg : physicalSegmentNames()) {
            NodeItem* bar = scene.nodeItem(segmentKey(seg));
            QVERIFY(bar->sceneBox().top() > std::max(compute.bottom(), outside.bottom()));
            QVERIFY(bar->size().width() > 200);
        }
        auto at = [&](const char* key) { return scene.nodeItem(key)->pos(); };
        QCOMPARE(at("dev:compute/patch-tun").y(), at("dev:compute/patch-int").y());
        for (const char* chain : {"vm:compute/instance1", "dev:compute/tap8cbe7bb6-18", "bridge:compute/qbr8cbe7bb6-18",
                                  "dev:compute/qvb8cbe7bb6-18", "dev:compute/qvo8cbe7bb6-18", "bridge:compute/br-int"}) {
            QVERIFY2(compute.contains(scene.nodeItem(chain)->sceneBox()), chain);
        }
        QVERIFY(at("vm:compute/instance1").y() < at("dev:compute/tap8cbe7bb6-18").y());
        QVERIFY(at("dev:compute/qvo8cbe7bb6-18").y() < at("bridge:compute/br-int").y());
        QVERIFY(at("bridge:compute/br-int").y() < at("bridge:compute/br-tun").y());
        // Tunnel ports right above the NIC their packets leave by; the tunnel runs in the
        // lane under the hosts, labelled on one line.
        QCOMPARE(at("dev:compute/gre-0a0a648b").x(), at("dev:compute/eth1").x());
        QCOMPARE(at("dev:network/gre-0a0a648c").x(), at("dev:network/eth1").x());
        EdgeItem* tunnel = scene.edgeBetween("dev:network/gre-0a0a648c", "dev:compute/gre-0a0a648b");
        QVERIFY(tunnel->path().boundingRect().bottom() > network.bottom());
        QVERIFY(tunnel->path().boundingRect().bottom() < scene.nodeItem(segmentKey("management"))->sceneBox().top());
        // The network node's namespaces one above the other, beside br-int.
        QList<QRectF> spaces;
        for (const PhysCluster& c : scene.graph().clusters) {
            if (c.kind == PhysClusterKind::Namespace) spaces << scene.frameItem(c.key)->frameRect();
        }
        QCOMPARE(spaces.size(), 4);
        std::sort(spaces.begin(), spaces.end(), [](const QRectF& a, const QRectF& b) { return a.top() < b.top(); });
        for (int i = 0; i + 1 < spaces.size(); ++i) QVERIFY(spaces[i].bottom() < spaces[i + 1].top());
    }

    void largeLab() {
        // A network node and 20 compute nodes with 20 instances each over ten networks, one
        // router (like tests/bench/gui_large_lab_bench.cpp).
        using engine::Ipv4Address;
        auto cloud = std::make_unique<model::Cloud>(11);
        model::Host network;
        network.name = "network";
        network.role = model::HostRole::Network;
        network.managementIp = Ipv4Address::fromOctets(192, 168, 1, 10);
        network.dataIp = Ipv4Address::fromOctets(10, 0, 0, 10);
        QVERIFY(cloud->addHost(network));
        for (int c = 1; c <= 20; ++c) {
            model::Host h;
            h.name = "compute" + std::to_string(c);
            h.role = model::HostRole::Compute;
            h.managementIp = Ipv4Address::fromOctets(192, 168, 1, static_cast<std::uint8_t>(10 + c));
            h.dataIp = Ipv4Address::fromOctets(10, 0, 0, static_cast<std::uint8_t>(10 + c));
            QVERIFY(cloud->addHost(h));
        }
        model::RouterRequest router;
        router.name = "router1";
        QVERIFY(cloud->createRouter(router));
        for (int n = 0; n < 10; ++n) {
            model::NetworkRequest net;
            net.name = "net" + std::to_string(n);
            QVERIFY(cloud->createNetwork(net));
            model::SubnetRequest sub;
            sub.network = net.name;
            sub.name = net.name + "-subnet";
            sub.cidr = "10.20." + std::to_string(n) + ".0/24";
            QVERIFY(cloud->createSubnet(sub));
            QVERIFY(cloud->addRouterInterface("router1", sub.name));
        }
        for (int c = 1; c <= 20; ++c) {
            for (int v = 0; v < 20; ++v) {
                model::InstanceRequest req;
                req.name = "vm" + std::to_string(c) + "-" + std::to_string(v);
                req.host = "compute" + std::to_string(c);
                req.nics.push_back({"net" + std::to_string((c * 20 + v) % 10), "", {}});
                req.boot = false;
                QVERIFY(cloud->bootInstance(req));
            }
        }
        QElapsedTimer t;
        t.start();
        const PhysicalGraph graph = buildPhysicalGraph(*cloud);
        const qint64 graphMs = t.restart();
        const LayoutGraph layoutGraph = graph.toLayoutGraph();
        qInfo("graph %lld ms, layout graph %lld ms (%zu nodes, %zu edges)", static_cast<long long>(graphMs),
              static_cast<long long>(t.restart()), layoutGraph.nodes.size(), layoutGraph.edges.size());
        PhysicalScene scene(cloud.get());
        const qint64 build = t.elapsed();
        QSignalSpy spy(&scene, &PhysicalScene::layoutFinished);
        QVERIFY(spy.wait(60000));
        const qint64 total = t.elapsed();
        qInfo("20 hosts x 400 VMs: %d items, scene built in %lld ms (GUI thread), layout %lld ms (%s), applied after %lld ms",
              static_cast<int>(scene.nodeKeys().size()), static_cast<long long>(build),
              static_cast<long long>(spy.at(0).at(0).toLongLong()), qPrintable(scene.layoutResult().method),
              static_cast<long long>(total));
        QVERIFY(scene.layoutResult().error.isEmpty());
        QVERIFY2(total < 5000, qPrintable(QString::number(total)));
        // Hosts apart, every segment under every host.
        QStringList hosts{hostKey("network")};
        for (int c = 1; c <= 20; ++c) hosts << hostKey(QString("compute%1").arg(c));
        qreal lowest = 0;
        for (int a = 0; a < hosts.size(); ++a) {
            lowest = std::max(lowest, scene.frameItem(hosts[a])->frameRect().bottom());
            for (int b = a + 1; b < hosts.size(); ++b) {
                QVERIFY2(!scene.frameItem(hosts[a])->frameRect().intersects(scene.frameItem(hosts[b])->frameRect()),
                         qPrintable(hosts[a] + " / " + hosts[b]));
            }
        }
        QVERIFY(scene.nodeItem(segmentKey("underlay"))->sceneBox().top() > lowest);
        if (const QString keep = qEnvironmentVariable("NLAB_VIEWS_DUMP"); !keep.isEmpty()) {
            PhysicalView view(&scene);
            view.resize(1280, 800);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            view.fitToView();
            QCoreApplication::processEvents();
            QVERIFY(view.grab().save(keep + "/physical-large.png"));
        }
    }

    void tokensAnimate() {
        PhysicalScene scene(m_cloud.get());
        QVERIFY(scene.waitForLayout());
        PhysicalView view(&scene);
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.fitToView();
        QSignalSpy arrived(&scene, &PhysicalScene::tokenArrived);
        QVERIFY(!scene.animateHop("nope", "dev:compute/qvo8cbe7bb6-18", Qt::red, 100));
        QVERIFY(scene.animateHop("dev:compute/qvb8cbe7bb6-18", "dev:compute/qvo8cbe7bb6-18", Qt::red, 100));
        QVERIFY(arrived.wait(2000));
        QCOMPARE(arrived.at(0).at(1).toString(), QStringLiteral("dev:compute/qvo8cbe7bb6-18"));
        QCOMPARE(scene.tokensInFlight(), 0);

        // 100 tokens in flight over 2 s, hop after hop, along the chains of the lab.
        const QStringList chain{"vm:compute/instance1", "dev:compute/tap8cbe7bb6-18", "bridge:compute/qbr8cbe7bb6-18",
                                "dev:compute/qvb8cbe7bb6-18", "dev:compute/qvo8cbe7bb6-18", "bridge:compute/br-int",
                                "dev:compute/patch-tun", "dev:compute/patch-int", "bridge:compute/br-tun",
                                "dev:compute/gre-0a0a648b", "dev:network/gre-0a0a648c", "bridge:network/br-tun"};
        int launched = 0;
        auto launch = [&](int i) {
            const int k = i % (chain.size() - 1);
            scene.animateHop(chain[k], chain[k + 1], QColor::fromHsv((i * 37) % 360, 200, 230), 400);
            ++launched;
        };
        for (int i = 0; i < 100; ++i) launch(i);
        connect(&scene, &PhysicalScene::tokenArrived, &scene, [&] { launch(launched); });
        int paints = 0;
        struct Counter : QObject {
            int* n;
            explicit Counter(int* c) : n(c) {}
            bool eventFilter(QObject*, QEvent* e) override {
                if (e->type() == QEvent::Paint) ++*n;
                return false;
            }
        } counter(&paints);
        view.viewport()->installEventFilter(&counter);
        const quint64 framesBefore = scene.tokenFrames();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 2000) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        }
        const double secs = t.elapsed() / 1000.0;
        QCOMPARE(scene.tokensInFlight(), 100);
        const double fps = paints / secs;
        qInfo("100 tokens: %.1f painted frames/s, %.1f animation ticks/s", fps, (scene.tokenFrames() - framesBefore) / secs);
        // The timer runs at ~66 Hz; a loaded machine (parallel builds) may drop some.
        QVERIFY2(fps >= 30, qPrintable(QString::number(fps)));
        scene.clearTokens();
        QCOMPARE(scene.tokensInFlight(), 0);
    }
};

QTEST_MAIN(PhysicalSceneTest)
#include "physical_scene_test.moc"
