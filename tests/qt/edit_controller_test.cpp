// EditController on a fresh LabDocument::newLab(): a two-network lab with a router and two
// instances built through the palette/drop code paths (synthesised QDropEvents on the views'
// viewports, the dialogs filled and accepted), checked in the tenant state and the engine,
// undone step by step back to the empty lab (saveLab text equal) and redone; deleting an
// instance and undoing restores its ids/MACs/IPs; the Cloud's errors reach the dialogs and
// push nothing; the properties editor edits names and DHCP undoably.

#include "views/edit/edit_controller.h"

#include "engine/devices/ovs_bridge.h"
#include "engine/lab/lab.h"
#include "engine/lab/vm.h"
#include "engine/netns/net_namespace.h"
#include "model/agents/agents.h"
#include "model/lab_file.h"
#include "model/qt/lab_document.h"
#include "views/edit/edit_dialogs.h"
#include "views/edit/palette_widget.h"
#include "views/frame_item.h"
#include "views/logical_scene.h"
#include "views/logical_view.h"
#include "views/network_bar_item.h"
#include "views/physical_scene.h"
#include "views/physical_view.h"
#include "views/selection_model.h"

#include <QCheckBox>
#include <QDropEvent>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

#include <deque>
#include <functional>

using namespace nlab;
using namespace nlab::views;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

/// The engine as the console shows it: namespaces, OVS configuration and br-tun flows of
/// both hosts (flow durations left out: they follow the clock).
QString engineText(model::LabDocument& doc) {
    QString out;
    for (const char* host : {"network", "compute"}) {
        for (const char* cmd : {"ip netns", "ovs-vsctl show", "ovs-ofctl dump-flows br-tun",
                                "ovs-ofctl dump-flows br-int", "brctl show"}) {
            const engine::CommandOutput o = doc.runCommand(QLatin1String(host), QLatin1String(cmd));
            QString text = qs(o.out) + qs(o.err);
            // Durations, counters and ages follow the clock and the frames the guests sent.
            text.replace(QRegularExpression(QStringLiteral("(duration=[0-9.]+s|n_packets=[0-9]+|"
                                                           "n_bytes=[0-9]+|idle_age=[0-9]+|"
                                                           "hard_age=[0-9]+), ")),
                         QString());
            // Linux bridge ids carry kernel-generated MACs (of qvb/tap), which the lab does
            // not pin: a re-created qbr gets a new one.
            text.replace(QRegularExpression(QStringLiteral("\\b8000\\.[0-9a-f]{12}\\b")),
                         QStringLiteral("8000.<mac>"));
            out +=
                QStringLiteral("== %1: %2\n%3").arg(QLatin1String(host), QLatin1String(cmd), text);
        }
    }
    return out;
}

}  // namespace

class EditControllerTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<model::LabDocument> m_doc;
    std::unique_ptr<QUndoStack> m_undo;
    std::unique_ptr<SelectionModel> m_selection;
    std::unique_ptr<PhysicalScene> m_physicalScene;
    std::unique_ptr<LogicalScene> m_logicalScene;
    std::unique_ptr<PhysicalView> m_physical;
    std::unique_ptr<LogicalView> m_logical;
    std::unique_ptr<EditController> m_edit;
    /// What the next dialogs do (filled by the tests); each returns whether to accept.
    std::deque<std::function<bool(QDialog&)>> m_fillers;
    QStringList m_dialogErrors;

    const model::TenantState& state() { return m_doc->cloud().state(); }
    QString saved() { return qs(model::saveLab(m_doc->cloud())); }

    /// Drops a payload of 'mimeType' at scene point 'scenePos' of 'view'.
    void drop(QGraphicsView* view, const char* mimeType, const QString& payload, QPointF scenePos) {
        QMimeData mime;
        mime.setData(QLatin1String(mimeType), payload.toUtf8());
        const QPoint pos = view->mapFromScene(scenePos);
        QDragEnterEvent enter(pos, Qt::CopyAction | Qt::LinkAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent dropEvent(QPointF(pos), Qt::CopyAction | Qt::LinkAction, &mime, Qt::LeftButton,
                             Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &dropEvent);
        QVERIFY(dropEvent.isAccepted());
    }

    /// A point on a network's bar in the logical view (its top, clear of port lines).
    QPointF onNetwork(const std::string& networkId) {
        NetworkBarItem* bar = m_logicalScene->networkItem(qs(networkId));
        if (!bar)
            return {};
        return bar->mapToScene(QPointF(NetworkBarItem::kWidth / 2, 4));
    }

    /// A point of the logical view's background (below and right of everything).
    QPointF background() {
        const QRectF r = m_logicalScene->itemsBoundingRect();
        return QPointF(r.right() + 200, r.bottom() + 200);
    }

    const model::Network* network(const char* name) { return state().network(name); }

    std::optional<std::uint16_t> qvoTag(const std::string& portId) {
        engine::Node* compute = m_doc->cloud().lab().node("compute");
        engine::OvsBridge* brInt = compute ? compute->ovsBridge("br-int") : nullptr;
        if (!brInt)
            return std::nullopt;
        const model::Port* p = state().port(portId);
        if (!p)
            return std::nullopt;
        const engine::BridgePort* port = brInt->portByName(p->deviceName("qvo"));
        if (!port)
            return std::nullopt;
        return port->config.tag;
    }

    bool hasNetns(const char* host, const std::string& name) {
        engine::Node* node = m_doc->cloud().lab().node(host);
        return node && node->netns(name) != nullptr;
    }

private slots:
    void init() {
        m_doc = std::make_unique<model::LabDocument>();
        m_doc->setAutosaveInterval(0);
        m_doc->newLab();
        m_undo = std::make_unique<QUndoStack>();
        m_selection = std::make_unique<SelectionModel>();
        m_physicalScene = std::make_unique<PhysicalScene>(&m_doc->cloud(), m_selection.get());
        m_logicalScene = std::make_unique<LogicalScene>(&m_doc->cloud(), m_selection.get());
        m_physical = std::make_unique<PhysicalView>(m_physicalScene.get());
        m_logical = std::make_unique<LogicalView>(m_logicalScene.get());
        m_physical->resize(1280, 800);
        m_logical->resize(1280, 800);
        connect(m_doc.get(), &model::LabDocument::topologyChanged, m_physicalScene.get(),
                &PhysicalScene::rebuild);
        connect(m_doc.get(), &model::LabDocument::topologyChanged, m_logicalScene.get(),
                &LogicalScene::rebuild);
        m_physicalScene->rebuild();
        QVERIFY(m_physicalScene->waitForLayout());
        m_logicalScene->rebuild();
        m_edit = std::make_unique<EditController>(*m_doc, *m_selection, *m_undo);
        m_edit->attachTo(m_physical.get(), m_logical.get());
        m_fillers.clear();
        m_dialogErrors.clear();
        m_edit->setDialogRunner([this](QDialog& dialog) {
            if (m_fillers.empty())
                return false;
            auto fill = std::move(m_fillers.front());
            m_fillers.pop_front();
            if (!fill(dialog)) {
                dialog.reject();
                return false;
            }
            dialog.accept();
            if (auto* d = qobject_cast<SubnetDialog*>(&dialog))
                m_dialogErrors << d->errorText();
            if (auto* d = qobject_cast<InstanceDialog*>(&dialog))
                m_dialogErrors << d->errorText();
            if (auto* d = qobject_cast<NameDialog*>(&dialog))
                m_dialogErrors << d->errorText();
            return dialog.result() == QDialog::Accepted;
        });
    }

    void cleanup() {
        m_edit.reset();
        m_undo.reset();
        m_physical.reset();
        m_logical.reset();
        m_physicalScene.reset();
        m_logicalScene.reset();
        m_selection.reset();
        m_doc.reset();
    }

    void paletteCarriesItemNames() {
        std::unique_ptr<QWidget> palette(m_edit->createPalette(nullptr));
        auto* list = qobject_cast<PaletteWidget*>(palette.get());
        QVERIFY(list);
        QStringList names;
        for (int i = 0; i < list->count(); ++i)
            names << PaletteWidget::itemName(list->item(i));
        QCOMPARE(names, QStringList({"network-node", "compute-node", "network", "router",
                                     "instance", "external-network"}));
        const QModelIndex router = list->model()->index(3, 0);
        std::unique_ptr<QMimeData> mime(list->model()->mimeData({router}));
        QVERIFY(mime);
        QCOMPARE(mime->data(kPaletteMimeType), QByteArray("router"));
        QVERIFY(!list->item(3)->icon().isNull());
    }

    void buildUndoRedoTwoNetworkLab() {
        const QString empty = saved();
        const QString emptyEngine = engineText(*m_doc);
        QVERIFY(!m_doc->isModified());

        // 1-2: two networks dropped on the logical view's background (the network dialog).
        for (const auto& [name, cidr] :
             {std::pair{"private1", "10.10.10.0/24"}, std::pair{"private2", "10.10.20.0/24"}}) {
            m_fillers.push_back([name = QString(name), cidr = QString(cidr)](QDialog& dialog) {
                auto* d = qobject_cast<SubnetDialog*>(&dialog);
                if (!d)
                    return false;
                d->setNetworkName(name);
                SubnetSpec spec = d->spec();
                spec.name = name + "-subnet";
                spec.cidr = cidr;
                d->setSpec(spec);
                return true;
            });
            drop(m_logical.get(), kPaletteMimeType, "network", background());
        }
        QVERIFY(m_fillers.empty());
        QCOMPARE(m_dialogErrors, QStringList({"", ""}));
        QCOMPARE(m_undo->count(), 2);
        QVERIFY(m_doc->isModified());
        const model::Network* p1 = network("private1");
        const model::Network* p2 = network("private2");
        QVERIFY(p1 && p2);
        const std::string n1 = p1->id, n2 = p2->id;
        QCOMPARE(p1->segmentationId, 1u);
        QCOMPARE(p2->segmentationId, 2u);
        QCOMPARE(state().subnetsOf(n1).size(), std::size_t{1});
        QCOMPARE(qs(state().subnetsOf(n1).front()->cidr.toString()), QString("10.10.10.0/24"));
        QVERIFY(hasNetns("network", "qdhcp-" + n1));
        QVERIFY(hasNetns("network", "qdhcp-" + n2));
        QVERIFY(m_logicalScene->networkItem(qs(n1)));

        // 3: a router dropped on the background (the name dialog).
        m_fillers.push_back([](QDialog& dialog) {
            auto* d = qobject_cast<NameDialog*>(&dialog);
            if (!d)
                return false;
            d->setName("router1");
            return true;
        });
        drop(m_logical.get(), kPaletteMimeType, "router", background());
        const model::Router* router = state().router("router1");
        QVERIFY(router);
        const std::string r = router->id;

        // 4: the router dragged onto private1 (an object drop on the network's bar).
        QVERIFY(m_logicalScene->routerItem(qs(r)));
        drop(m_logical.get(), kObjectMimeType, "router:" + qs(r), onNetwork(n1));
        QCOMPARE(state().router(r)->interfacePortIds.size(), std::size_t{1});
        QVERIFY(hasNetns("network", "qrouter-" + r));
        // 5: and to private2 through its context menu ("Add Interface to" > private2).
        {
            QMenu menu;
            const QList<QAction*> actions =
                m_edit->contextActions({selkind::kRouter, qs(r)}, &menu);
            QAction* add = nullptr;
            for (QAction* a : actions) {
                if (a->text().contains("Interface to"))
                    add = a;
            }
            QVERIFY(add && add->menu());
            QAction* target = nullptr;
            for (QAction* a : add->menu()->actions()) {
                if (a->text().startsWith("private2"))
                    target = a;
            }
            QVERIFY(target);
            target->trigger();
        }
        const std::vector<std::string> qrPorts = state().router(r)->interfacePortIds;
        QCOMPARE(qrPorts.size(), std::size_t{2});
        QCOMPARE(qs(state().port(qrPorts[0])->fixedIps[0].ipAddress.toString()),
                 QString("10.10.10.1"));
        QCOMPARE(qs(state().port(qrPorts[1])->fixedIps[0].ipAddress.toString()),
                 QString("10.10.20.1"));
        engine::NetNamespace* qrouter = m_doc->cloud().lab().node("network")->netns("qrouter-" + r);
        QVERIFY(qrouter);
        QVERIFY(qrouter->device("qr-" + qrPorts[0].substr(0, 11)));
        QVERIFY(qrouter->device("qr-" + qrPorts[1].substr(0, 11)));

        // 6: an instance dropped on private1's bar: the dialog comes with private1 chosen.
        m_fillers.push_back([n1](QDialog& dialog) {
            auto* d = qobject_cast<InstanceDialog*>(&dialog);
            if (!d || d->network() != qs(n1) || d->instanceName() != "instance1")
                return false;
            return true;
        });
        drop(m_logical.get(), kPaletteMimeType, "instance", onNetwork(n1));
        // 7: an instance dropped on the compute host's frame in the physical view: the
        // dialog comes with the host chosen; the network is picked there.
        FrameItem* computeFrame = m_physicalScene->frameItem("host:compute");
        QVERIFY(computeFrame);
        const QPointF inCompute = computeFrame->sceneBoundingRect().topLeft() + QPointF(4, 4);
        QCOMPARE(m_edit->targetAt(m_physical.get(), m_physical->mapFromScene(inCompute)).host,
                 QString("compute"));
        m_fillers.push_back([n2](QDialog& dialog) {
            auto* d = qobject_cast<InstanceDialog*>(&dialog);
            if (!d || d->host() != "compute")
                return false;
            d->setInstanceName("instance2");
            d->setNetwork(qs(n2));
            return true;
        });
        drop(m_physical.get(), kPaletteMimeType, "instance", inCompute);
        QVERIFY(m_fillers.empty());
        QCOMPARE(m_undo->count(), 7);

        const model::Instance* i1 = state().instance("instance1");
        const model::Instance* i2 = state().instance("instance2");
        QVERIFY(i1 && i2);
        QCOMPARE(qs(i1->hostId), QString("compute"));
        QCOMPARE(i1->portIds.size(), std::size_t{1});
        const std::string port1 = i1->portIds[0], port2 = i2->portIds[0];
        // .1 the router, .2 the DHCP port: the first free address is .3.
        QCOMPARE(qs(state().port(port1)->fixedIps[0].ipAddress.toString()), QString("10.10.10.3"));
        QCOMPARE(qs(state().port(port2)->fixedIps[0].ipAddress.toString()), QString("10.10.20.3"));
        // The engine: VMs, hybrid plug, qvo ports tagged with each network's local VLAN.
        QVERIFY(m_doc->cloud().vm("instance1") && m_doc->cloud().vm("instance2"));
        const auto vlan1 = m_doc->cloud().agents().localVlan("compute", n1);
        const auto vlan2 = m_doc->cloud().agents().localVlan("compute", n2);
        QVERIFY(vlan1 && vlan2 && *vlan1 != *vlan2);
        QCOMPARE(qvoTag(port1), std::optional<std::uint16_t>(static_cast<std::uint16_t>(*vlan1)));
        QCOMPARE(qvoTag(port2), std::optional<std::uint16_t>(static_cast<std::uint16_t>(*vlan2)));
        QVERIFY(m_logicalScene->instanceItem(qs(i1->id)));
        const QString built = saved();
        const QString builtEngine = engineText(*m_doc);
        QVERIFY(builtEngine.contains(qs("qvo" + port1.substr(0, 11))));

        // Undo step by step: each step takes back exactly its own objects.
        m_undo->undo();  // instance2
        QVERIFY(!state().instance("instance2"));
        QVERIFY(!state().port(port2));
        QVERIFY(!m_doc->cloud().vm("instance2"));
        QVERIFY(!qvoTag(port2).has_value());
        QVERIFY(!m_doc->cloud().lab().node("compute")->linuxBridge("qbr" + port2.substr(0, 11)));
        QVERIFY(!m_doc->cloud().agents().localVlan("compute", n2));
        m_undo->undo();  // instance1
        QVERIFY(state().instances.empty());
        QVERIFY(!m_doc->cloud().agents().localVlan("compute", n1));
        m_undo->undo();  // interface on private2
        QCOMPARE(state().router(r)->interfacePortIds, std::vector<std::string>{qrPorts[0]});
        QVERIFY(!qrouter->device("qr-" + qrPorts[1].substr(0, 11)));
        m_undo->undo();  // interface on private1
        QVERIFY(state().router(r)->interfacePortIds.empty());
        QVERIFY(!qrouter->device("qr-" + qrPorts[0].substr(0, 11)));
        m_undo->undo();  // router
        QVERIFY(!state().router(r));
        QVERIFY(!hasNetns("network", "qrouter-" + r));
        m_undo->undo();  // private2
        QVERIFY(!hasNetns("network", "qdhcp-" + n2));
        m_undo->undo();  // private1
        QVERIFY(!m_undo->canUndo());
        QCOMPARE(saved(), empty);
        QCOMPARE(engineText(*m_doc), emptyEngine);
        QVERIFY(!m_logicalScene->networkItem(qs(n1)));

        // Redo it all: the same lab, to the byte, with the same VLAN tags.
        while (m_undo->canRedo())
            m_undo->redo();
        QCOMPARE(saved(), built);
        QCOMPARE(engineText(*m_doc), builtEngine);
        QCOMPARE(qvoTag(port1), std::optional<std::uint16_t>(static_cast<std::uint16_t>(*vlan1)));
        QVERIFY(m_doc->cloud().vm("instance2"));
        // And all the way back once more.
        while (m_undo->canUndo())
            m_undo->undo();
        QCOMPARE(saved(), empty);
    }

    void deleteInstanceAndUndo() {
        QVERIFY(m_edit->addNetwork("private1", "10.10.10.0/24"));
        QVERIFY(m_edit->addInstance("vm1", "compute", "private1"));
        QVERIFY(m_edit->addInstance("vm2", "", "private1"));
        const model::Instance vm1 = *state().instance("vm1");
        const model::Port port = *state().port(vm1.portIds.at(0));
        const QString before = saved();
        const auto tag = qvoTag(port.id);
        QVERIFY(tag);
        const int steps = m_undo->count();

        // Delete through the action (Del), on the selection.
        m_selection->select(selkind::kInstance, qs(vm1.id));
        QVERIFY(m_edit->deleteAction()->isEnabled());
        QCOMPARE(m_edit->deleteAction()->shortcut(), QKeySequence(QKeySequence::Delete));
        m_edit->deleteAction()->trigger();
        QCOMPARE(m_undo->count(), steps + 1);
        QVERIFY(!state().instance("vm1"));
        QVERIFY(!state().port(port.id));
        QVERIFY(!m_doc->cloud().vm("vm1"));
        QVERIFY(!qvoTag(port.id));
        QVERIFY(m_selection->current().isEmpty());

        m_undo->undo();
        const model::Instance* back = state().instance("vm1");
        QVERIFY(back);
        QCOMPARE(qs(back->id), qs(vm1.id));
        QCOMPARE(qs(back->hostId), qs(vm1.hostId));
        QCOMPARE(back->portIds, vm1.portIds);
        const model::Port* p = state().port(port.id);
        QVERIFY(p);
        QCOMPARE(qs(p->macAddress.toString()), qs(port.macAddress.toString()));
        QVERIFY(p->fixedIps == port.fixedIps);
        QCOMPARE(saved(), before);
        QVERIFY(m_doc->cloud().vm("vm1"));
        QCOMPARE(qvoTag(port.id), tag);
        m_undo->redo();
        QVERIFY(!state().instance("vm1"));
    }

    void invalidSubnetShowsTheCloudsErrorAndPushesNothing() {
        QVERIFY(m_edit->addNetwork("private1", "10.10.10.0/24"));
        const std::string n1 = network("private1")->id;
        const QString before = saved();
        const int steps = m_undo->count();
        QSignalSpy failed(m_edit.get(), &EditController::editFailed);
        // A network dropped onto private1: a subnet dialog for it; an overlapping CIDR is
        // refused inline, then the user cancels.
        QString shown;
        m_fillers.push_back([&shown](QDialog& dialog) {
            auto* d = qobject_cast<SubnetDialog*>(&dialog);
            if (!d || !d->networkName().isEmpty())
                return false;
            SubnetSpec spec = d->spec();
            spec.cidr = "10.10.10.128/25";
            d->setSpec(spec);
            d->accept();
            shown = d->errorText();
            return d->result() == QDialog::Accepted;  // still open: cancel
        });
        drop(m_logical.get(), kPaletteMimeType, "network", onNetwork(n1));
        const QString expected =
            qs("Invalid input for operation: Requested subnet with cidr: "
               "10.10.10.128/25 for network: " +
               n1 + " overlaps with another subnet.");
        QCOMPARE(shown, expected);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).toString(), expected);
        QCOMPARE(m_undo->count(), steps);
        QCOMPARE(saved(), before);

        // A malformed CIDR for a new network creates nothing either.
        QString error;
        QVERIFY(!m_edit->addNetwork("broken", "10.10.300.0/24", &error));
        QVERIFY(error.startsWith("Invalid input for cidr."));
        QVERIFY(!network("broken"));
        QCOMPARE(saved(), before);
    }

    void deleteRulesAreNeutrons() {
        QVERIFY(m_edit->addNetwork("private1", "10.10.10.0/24"));
        QVERIFY(m_edit->addInstance("vm1", "compute", "private1"));
        const std::string n1 = network("private1")->id;
        const int steps = m_undo->count();
        QSignalSpy failed(m_edit.get(), &EditController::editFailed);
        m_selection->select(selkind::kNetwork, qs(n1));
        m_edit->deleteAction()->trigger();
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).toString(),
                 qs("Unable to complete operation on network " + n1 +
                    ". There are one or more ports still in use on the network."));
        QCOMPARE(m_undo->count(), steps);
        QVERIFY(network("private1"));

        // Without the instance the network goes, and undo brings it back with its subnet and
        // DHCP port as they were.
        QVERIFY(m_edit->deleteObject(selkind::kInstance, qs(state().instance("vm1")->id)));
        const QString before = saved();
        QVERIFY(m_edit->deleteObject(selkind::kNetwork, qs(n1)));
        QVERIFY(!network("private1"));
        QVERIFY(!hasNetns("network", "qdhcp-" + n1));
        m_undo->undo();
        QCOMPARE(saved(), before);
        QVERIFY(hasNetns("network", "qdhcp-" + n1));
    }

    void routerGatewayAndExternalNetwork() {
        SubnetSpec ext;
        ext.name = "external-subnet";
        ext.cidr = "172.24.4.0/24";
        ext.enableDhcp = false;
        QVERIFY(m_edit->addNetwork("external", ext, true));
        QVERIFY(m_edit->addNetwork("private1", "10.10.10.0/24"));
        QVERIFY(m_edit->addRouter("router1"));
        const std::string r = state().router("router1")->id;
        const QString before = saved();
        // A router dropped onto the external network: its gateway.
        QVERIFY(m_edit->dropObject({selkind::kRouter, qs(r)},
                                   {{selkind::kNetwork, qs(network("external")->id)}, {}}));
        const model::Router& router = *state().router(r);
        QVERIFY(!router.gatewayPortId.empty());
        QCOMPARE(qs(state().port(router.gatewayPortId)->fixedIps[0].ipAddress.toString()),
                 QString("172.24.4.2"));
        const QString withGateway = saved();
        QVERIFY(m_edit->clearRouterGateway(qs(r)));
        QVERIFY(state().router(r)->gatewayPortId.empty());
        m_undo->undo();
        QCOMPARE(saved(), withGateway);
        m_undo->undo();
        QCOMPARE(saved(), before);
        // An instance dropped onto the external network is refused.
        QVERIFY(!m_edit->dropObject({selkind::kInstance, "nothing"},
                                    {{selkind::kNetwork, qs(network("external")->id)}, {}}));
    }

    void attachInstanceToASecondNetwork() {
        QVERIFY(m_edit->addNetwork("private1", "10.10.10.0/24"));
        QVERIFY(m_edit->addNetwork("private2", "10.10.20.0/24"));
        QVERIFY(m_edit->addInstance("vm1", "compute", "private1"));
        const std::string id = state().instance("vm1")->id;
        const QString before = saved();
        QVERIFY(m_edit->dropObject({selkind::kInstance, qs(id)},
                                   {{selkind::kNetwork, qs(network("private2")->id)}, {}}));
        const model::Instance& vm = *state().instance(id);
        QCOMPARE(vm.portIds.size(), std::size_t{2});
        QCOMPARE(state().port(vm.portIds[1])->networkId, network("private2")->id);
        QCOMPARE(m_doc->cloud().vm("vm1")->nics().size(), std::size_t{2});
        QVERIFY(qvoTag(vm.portIds[1]).has_value());
        const QString attached = saved();
        m_undo->undo();
        QCOMPARE(saved(), before);
        QCOMPARE(m_doc->cloud().vm("vm1")->nics().size(), std::size_t{1});
        m_undo->redo();
        QCOMPARE(saved(), attached);
    }

    void propertiesEditorEditsUndoably() {
        QVERIFY(m_edit->addNetwork("private1", "10.10.10.0/24"));
        const std::string n1 = network("private1")->id;
        const std::string s1 = state().subnetsOf(n1).front()->id;
        std::unique_ptr<QWidget> editor(m_edit->createPropertiesEditor(nullptr));
        m_selection->select(selkind::kNetwork, qs(n1));
        const QString before = saved();

        auto* name = editor->findChild<QLineEdit*>("name");
        QVERIFY(name);
        QCOMPARE(name->text(), QString("private1"));
        name->setText("blue");
        emit name->editingFinished();
        QCOMPARE(qs(state().network(n1)->name), QString("blue"));

        auto* dhcp = editor->findChild<QCheckBox*>(qs("subnet." + s1 + ".dhcp"));
        QVERIFY(dhcp);
        QVERIFY(dhcp->isChecked());
        dhcp->setChecked(false);
        QVERIFY(!state().subnet(s1)->enableDhcp);
        QVERIFY(!hasNetns("network", "qdhcp-" + n1) ||
                m_doc->cloud().lab().node("network")->netns("qdhcp-" + n1)->devices().size() <= 1);
        bool dhcpPort = false;
        for (const model::Port* p : state().portsOf(n1))
            dhcpPort |= p->deviceOwner == model::owner::kDhcp;
        QVERIFY(!dhcpPort);

        auto* dns = editor->findChild<QLineEdit*>(qs("subnet." + s1 + ".dns"));
        QVERIFY(dns);
        dns->setText("8.8.8.8, 8.8.4.4");
        emit dns->editingFinished();
        QCOMPARE(state().subnet(s1)->dnsNameservers.size(), std::size_t{2});

        m_undo->undo();  // DNS
        m_undo->undo();  // DHCP back on: the same DHCP port
        QVERIFY(state().subnet(s1)->enableDhcp);
        m_undo->undo();  // name
        QCOMPARE(saved(), before);
        QVERIFY(hasNetns("network", "qdhcp-" + n1));
    }

    void addHostTakesTheNextAddresses() {
        QVERIFY(m_edit->addHost("compute"));
        const model::Host* h = state().host("compute2");
        QVERIFY(h);
        QCOMPARE(qs(h->managementIp.toString()), QString("192.168.1.13"));
        QCOMPARE(qs(h->dataIp.toString()), QString("10.0.0.13"));
        QVERIFY(m_doc->cloud().lab().node("compute2"));
        // The new host has a GRE tunnel from the existing ones; undo removes the host, its node
        // and those tunnels; redo brings it back with the same addresses.
        const std::string tunnelTo = "gre-0a00000d";  // 10.0.0.13
        auto brTunPorts = [&](const char* host) {
            return m_doc->runCommand(QLatin1String(host), QStringLiteral("ovs-vsctl list-ports br-tun")).out;
        };
        QVERIFY(brTunPorts("compute").find(tunnelTo) != std::string::npos);
        QCOMPARE(m_undo->count(), 1);
        m_undo->undo();
        QVERIFY(!state().host("compute2"));
        QVERIFY(!m_doc->cloud().lab().node("compute2"));
        QVERIFY(brTunPorts("compute").find(tunnelTo) == std::string::npos);
        QVERIFY(brTunPorts("network").find(tunnelTo) == std::string::npos);
        m_undo->redo();
        QVERIFY(state().host("compute2"));
        QCOMPARE(qs(state().host("compute2")->dataIp.toString()), QString("10.0.0.13"));
        QVERIFY(brTunPorts("network").find(tunnelTo) != std::string::npos);
        QString error;
        QVERIFY(!m_edit->addHost("network", &error));
        QVERIFY(error.contains("one network node per lab"));
    }
};

QTEST_MAIN(EditControllerTest)
#include "edit_controller_test.moc"
