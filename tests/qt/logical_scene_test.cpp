// LogicalScene on the seed lab: Horizon-like items, colours shared with the physical view,
// selection linked both ways with the physical scene, stability, exports.

#include "model/cloud.h"
#include "model/lab_file.h"
#include "views/device_box_item.h"
#include "views/link_item.h"
#include "views/logical_scene.h"
#include "views/logical_view.h"
#include "views/network_bar_item.h"
#include "views/network_palette.h"
#include "views/node_item.h"
#include "views/physical_scene.h"
#include "views/selection_model.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

using namespace nlab;
using namespace nlab::views;

namespace {
const QString kExternal = "5c4b2f3e-1a0d-4e7b-9c6d-8f2a1b3c4d5e";
const QString kPrivate1 = "224f79e0-8068-4ef7-8c79-2326bc0cf5c4";
const QString kPrivate2 = "70f7aa46-b66b-455e-896e-05f94a08fcb8";
const QString kRouter = "040c1455-6096-4806-ba91-fec64cdaed81";
const QString kPort1 = "8cbe7bb6-18d9-4455-abce-473ebe5a9591";  // instance1's NIC
}  // namespace

class LogicalSceneTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<model::Cloud> m_cloud;

private slots:
    void init() {
        auto loaded = model::loadSeedLab();
        QVERIFY(loaded);
        m_cloud = std::move(loaded.cloud);
    }
    void cleanup() { m_cloud.reset(); }

    void seedItems() {
        LogicalScene scene(m_cloud.get());
        // External network first, then the tenant networks, with their subnets.
        NetworkBarItem* ext = scene.networkItem(kExternal);
        QVERIFY(ext);
        QCOMPARE(ext->title(), QStringLiteral("external"));
        QCOMPARE(ext->subtitle(), QStringLiteral("192.168.0.0/24"));
        QCOMPARE(ext->color(), NetworkPalette::externalColor());
        QCOMPARE(scene.networkItem(kPrivate1)->subtitle(), QStringLiteral("10.10.10.0/24"));
        QVERIFY(ext->pos().x() < scene.networkItem(kPrivate1)->pos().x());
        for (const auto& [id, net] : m_cloud->state().networks) QVERIFY(scene.networkItem(QString::fromStdString(id)));
        // Router1 with its gateway on the external network and three interfaces.
        DeviceBoxItem* router = scene.routerItem(kRouter);
        QVERIFY(router);
        QCOMPARE(router->title(), QStringLiteral("router1"));
        QCOMPARE(scene.linkItem("6f726a6c-412d-4d22-bcc7-eadedf407680")->label(), QStringLiteral("192.168.0.2"));
        QCOMPARE(scene.linkItem("d8fd27a6-d1cf-46f4-8e0e-4965001d547a")->label(), QStringLiteral("10.10.10.1"));
        // Instances with their IPs, lines reaching their network's bar.
        const model::Instance* i1 = m_cloud->state().instance("instance1");
        DeviceBoxItem* box = scene.instanceItem(QString::fromStdString(i1->id));
        QVERIFY(box);
        QCOMPARE(box->title(), QStringLiteral("instance1"));
        LinkItem* link = scene.linkItem(kPort1);
        QCOMPARE(link->label(), QStringLiteral("10.10.10.7"));
        NetworkBarItem* p1 = scene.networkItem(kPrivate1);
        QCOMPARE(link->barX(), p1->pos().x() + NetworkBarItem::kWidth / 2);
        QCOMPARE(link->from().x(), box->pos().x());
        QVERIFY(link->from().y() > box->pos().y() && link->from().y() < box->pos().y() + DeviceBoxItem::kHeight);
        QVERIFY(link->from().y() < p1->pos().y() + p1->height());
        // Devices do not overlap.
        const QList<QGraphicsItem*> items = scene.items();
        QList<DeviceBoxItem*> boxes;
        for (QGraphicsItem* i : items) if (auto* b = qgraphicsitem_cast<DeviceBoxItem*>(i)) boxes << b;
        QCOMPARE(boxes.size(), 4);
        for (int a = 0; a < boxes.size(); ++a)
            for (int b = a + 1; b < boxes.size(); ++b)
                QVERIFY(!boxes[a]->sceneBoundingRect().adjusted(4, 4, -4, -4).intersects(boxes[b]->sceneBoundingRect().adjusted(4, 4, -4, -4)));
    }

    void coloursMatchThePhysicalView() {
        SelectionModel selection;
        NetworkPalette palette;
        LogicalScene logical(m_cloud.get(), &selection, &palette);
        PhysicalScene physical(m_cloud.get(), &selection, &palette);
        QCOMPARE(physical.nodeItem("dev:compute/qvo8cbe7bb6-18")->networkColor(), logical.networkItem(kPrivate1)->color());
        QCOMPARE(physical.nodeItem("dev:network/taped034aae-11")->networkColor(), logical.networkItem(kPrivate2)->color());
        QVERIFY(logical.networkItem(kPrivate1)->color() != logical.networkItem(kPrivate2)->color());
        // Built alone, each scene still gets the same colours (deterministic assignment).
        LogicalScene alone(m_cloud.get());
        QCOMPARE(alone.networkItem(kPrivate2)->color(), logical.networkItem(kPrivate2)->color());
    }

    void selectionLinkedBothWays() {
        SelectionModel selection;
        NetworkPalette palette;
        LogicalScene logical(m_cloud.get(), &selection, &palette);
        PhysicalScene physical(m_cloud.get(), &selection, &palette);
        QVERIFY(physical.waitForLayout());

        // Logical -> physical: clicking a network shows its tags on every node.
        logical.networkItem(kPrivate1)->setSelected(true);
        QCOMPARE(selection.current(), (SelectionRef{selkind::kNetwork, kPrivate1}));
        QCOMPARE(physical.nodeItem("dev:compute/qvo8cbe7bb6-18")->badge(), QStringLiteral("VLAN 4 / tun 0x1"));
        QCOMPARE(physical.nodeItem("dev:network/qr-d8fd27a6-d1")->badge(), QStringLiteral("VLAN 9 / tun 0x1"));
        QVERIFY(logical.linkItem(kPort1)->isHighlighted());
        QVERIFY(logical.linkItem("dd2c3906-f8cf-48cd-85bf-d952a11eeab4")->isHighlighted());  // instance2: private1 too
        QVERIFY(!logical.linkItem("09208a89-0b45-4b80-bf11-2aee68b30eb1")->isHighlighted());  // router on private2

        // Logical -> physical: an instance shows its hybrid-plug chain.
        logical.clearSelection();
        const QString i1 = QString::fromStdString(m_cloud->state().instance("instance1")->id);
        logical.instanceItem(i1)->setSelected(true);
        QCOMPARE(selection.current(), (SelectionRef{selkind::kInstance, i1}));
        for (const char* k : {"vm:compute/instance1", "dev:compute/tap8cbe7bb6-18", "bridge:compute/qbr8cbe7bb6-18",
                              "dev:compute/qvb8cbe7bb6-18", "dev:compute/qvo8cbe7bb6-18"}) {
            QVERIFY2(physical.nodeItem(k)->isHighlighted(), k);
        }
        QVERIFY(physical.nodeItem("vm:compute/instance1")->isSelected());

        // Physical -> logical: a qvo selects instance1's port line (and the instance).
        physical.clearSelection();
        physical.nodeItem("dev:compute/qvo8cbe7bb6-18")->setSelected(true);
        QCOMPARE(selection.current(), (SelectionRef{selkind::kDevice, "compute/qvo8cbe7bb6-18"}));
        QCOMPARE(logical.highlightedKeys(), QStringList({"instance:" + i1, "link:" + kPort1}));
        QVERIFY(logical.linkItem(kPort1)->isSelected());
        // ... a qr- port its router interface; the qrouter namespace the router.
        physical.clearSelection();
        physical.nodeItem("dev:network/qr-d8fd27a6-d1")->setSelected(true);
        QCOMPARE(logical.highlightedKeys(), QStringList({"link:d8fd27a6-d1cf-46f4-8e0e-4965001d547a", "router:" + kRouter}));
        selection.select(selkind::kNamespace, "network/qrouter-" + kRouter);
        QVERIFY(logical.routerItem(kRouter)->isHighlighted());
        QVERIFY(logical.routerItem(kRouter)->isSelected());
        // ... a qdhcp namespace its network; a VM its instance.
        selection.select(selkind::kNamespace, "network/qdhcp-" + kPrivate2);
        QVERIFY(logical.networkItem(kPrivate2)->isHighlighted());
        physical.clearSelection();
        physical.nodeItem("vm:compute/instance1")->setSelected(true);
        QVERIFY(logical.instanceItem(i1)->isSelected());
        // br-int stands for no tenant object: nothing highlighted in the logical view.
        physical.clearSelection();
        physical.nodeItem("bridge:compute/br-int")->setSelected(true);
        QVERIFY(logical.highlightedKeys().isEmpty());
        QVERIFY(logical.selectedItems().isEmpty());
        // Clearing clears both.
        selection.clear();
        QVERIFY(physical.highlightedKeys().isEmpty());
        QVERIFY(physical.selectedItems().isEmpty());
    }

    void stableWhenObjectsAreAdded() {
        LogicalScene scene(m_cloud.get());
        QHash<QString, QPointF> bars;
        for (const auto& [id, n] : m_cloud->state().networks) {
            bars.insert(QString::fromStdString(id), scene.networkItem(QString::fromStdString(id))->pos());
        }
        const QPointF routerPos = scene.routerItem(kRouter)->pos();
        model::InstanceRequest req;
        req.name = "instance4";
        req.host = "compute";
        req.nics.push_back({"private2", "", {}});
        req.boot = false;
        auto r = m_cloud->bootInstance(req);
        QVERIFY(r);
        scene.rebuild();
        for (auto it = bars.cbegin(); it != bars.cend(); ++it) QCOMPARE(scene.networkItem(it.key())->pos(), it.value());
        QCOMPARE(scene.routerItem(kRouter)->pos(), routerPos);
        DeviceBoxItem* box = scene.instanceItem(QString::fromStdString(r.value()->id));
        QVERIFY(box);
        // The new instance takes a new row below the others.
        for (QGraphicsItem* i : scene.items()) {
            if (auto* b = qgraphicsitem_cast<DeviceBoxItem*>(i); b && b != box) QVERIFY(b->pos().y() < box->pos().y());
        }
        const QString pid = QString::fromStdString(r.value()->portIds.front());
        QVERIFY(scene.linkItem(pid)->label().startsWith("10.10.20."));
        // Deleting it removes its box and line ('r' points into the state: keep the id first).
        const QString instanceId = QString::fromStdString(r.value()->id);
        QVERIFY(m_cloud->deleteInstance("instance4"));
        scene.rebuild();
        QVERIFY(!scene.instanceItem(instanceId));
        QVERIFY(!scene.linkItem(pid));
    }

    void exports() {
        LogicalScene scene(m_cloud.get());
        LogicalView view(&scene);
        view.resize(1280, 800);
        view.fitToView();
        QTemporaryDir dir;
        QVERIFY(view.exportPng(dir.filePath("l.png")));
        QVERIFY(view.exportSvg(dir.filePath("l.svg")));
        QVERIFY(view.exportDot(dir.filePath("l.dot")));
        if (const QString keep = qEnvironmentVariable("NLAB_VIEWS_DUMP"); !keep.isEmpty()) {
            QVERIFY(view.exportPng(keep + "/logical.png", 1.0));
        }
        QImage image(dir.filePath("l.png"));
        QVERIFY(!image.isNull() && image.width() > 300);
        QFile svg(dir.filePath("l.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("</svg>"));
        QFile dot(dir.filePath("l.dot"));
        QVERIFY(dot.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(dot.readAll());
        QVERIFY(text.startsWith("digraph lab {"));
        QVERIFY(text.contains("\"instance:" + QString::fromStdString(m_cloud->state().instance("instance1")->id) +
                              "\" -> \"net:" + kPrivate1 + "\" [label=\"10.10.10.7\"]"));
    }
};

QTEST_MAIN(LogicalSceneTest)
#include "logical_scene_test.moc"
