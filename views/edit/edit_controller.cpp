#include "views/edit/edit_controller.h"

#include "model/ipam.h"
#include "model/qt/lab_document.h"
#include "views/edit/edit_dialogs.h"
#include "views/edit/palette_widget.h"
#include "views/edit/properties_editor.h"
#include "views/icon_cache.h"
#include "views/item_types.h"
#include "views/logical_scene.h"
#include "views/logical_view.h"
#include "views/physical_scene.h"
#include "views/physical_view.h"

#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QDrag>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QGraphicsItem>
#include <QKeySequence>
#include <QMenu>
#include <QMimeData>
#include <QMouseEvent>
#include <QPointer>
#include <QUndoStack>

#include <algorithm>
#include <memory>
#include <set>

namespace nlab::views {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}
std::string ss(const QString& s) {
    return s.toStdString();
}

/// The key of an item or of its nearest keyed ancestor ("" when none).
QString keyOf(QGraphicsItem* item) {
    for (; item; item = item->parentItem()) {
        const QString key = item->data(kItemKeyData).toString();
        if (!key.isEmpty())
            return key;
    }
    return {};
}

/// The tenant object a Neutron port belongs to, as the views select it.
SelectionRef ownerOfPort(const model::Port& p) {
    if (p.deviceOwner == model::owner::kCompute)
        return {selkind::kInstance, qs(p.deviceId)};
    if (p.deviceOwner == model::owner::kRouterInterface ||
        p.deviceOwner == model::owner::kRouterGateway) {
        return {selkind::kRouter, qs(p.deviceId)};
    }
    return {selkind::kNetwork, qs(p.networkId)};
}

/// The port whose device 'name' is (tap/qvb/qvo/qbr/qr-/qg-/ns- + 11 characters of its id).
const model::Port* portOfDevice(const model::TenantState& st, const QString& name) {
    static const char* const kPrefixes[] = {"tap", "qvb", "qvo", "qbr", "qr-", "qg-", "ns-"};
    for (const char* prefix : kPrefixes) {
        if (!name.startsWith(QLatin1String(prefix)))
            continue;
        const std::string idPrefix = ss(name.mid(static_cast<int>(qstrlen(prefix))));
        if (idPrefix.size() < 8)
            continue;
        for (const auto& [id, p] : st.ports) {
            if (id.compare(0, idPrefix.size(), idPrefix) == 0)
                return &p;
        }
    }
    return nullptr;
}

bool isTenantKind(const QString& kind) {
    return kind == selkind::kNetwork || kind == selkind::kSubnet || kind == selkind::kRouter ||
           kind == selkind::kInstance || kind == selkind::kPort ||
           kind == QLatin1String("floatingip");
}

QString networkLabel(const model::Network& n) {
    return n.name.empty() ? qs(n.id) : qs(n.name);
}

}  // namespace

struct EditController::Impl {
    model::LabDocument& document;
    SelectionModel& selection;
    QUndoStack& undo;
    QPointer<PhysicalView> physical;
    QPointer<LogicalView> logical;
    QAction* deleteAction = nullptr;
    std::function<bool(QDialog&)> runDialog;
    // An object drag starting in a view.
    QPointer<QGraphicsView> pressView;
    QPoint pressPos;
    SelectionRef pressObject;

    Impl(model::LabDocument& d, SelectionModel& s, QUndoStack& u)
        : document(d), selection(s), undo(u) {}

    const model::TenantState& state() const { return document.cloud().state(); }
};

EditController::EditController(model::LabDocument& document, SelectionModel& selection,
                               QUndoStack& undo, QObject* parent)
    : QObject(parent), m_impl(new Impl(document, selection, undo)) {
    m_impl->runDialog = [](QDialog& dialog) { return dialog.exec() == QDialog::Accepted; };
    m_impl->deleteAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("&Delete"), this);
    m_impl->deleteAction->setObjectName(QStringLiteral("editDelete"));
    m_impl->deleteAction->setShortcut(QKeySequence::Delete);
    m_impl->deleteAction->setStatusTip(tr("Delete the selected instance, router, network or port"));
    connect(m_impl->deleteAction, &QAction::triggered, this, [this] {
        const SelectionRef ref = tenantObjectFor(m_impl->selection.current());
        if (!ref.isEmpty())
            deleteObject(ref.kind, ref.id);
    });
    auto updateDelete = [this] {
        const SelectionRef ref = tenantObjectFor(m_impl->selection.current());
        m_impl->deleteAction->setEnabled(!ref.isEmpty() && isTenantKind(ref.kind));
    };
    connect(&selection, &SelectionModel::selectionChanged, this, updateDelete);
    connect(&document, &model::LabDocument::topologyChanged, this, updateDelete);
    // Commands refer to objects of the lab they were made in.
    connect(&document, &model::LabDocument::labReset, this, [this, updateDelete] {
        m_impl->undo.clear();
        updateDelete();
    });
    updateDelete();
}

EditController::~EditController() {
    delete m_impl;
}

void EditController::attachTo(PhysicalView* physical, LogicalView* logical) {
    m_impl->physical = physical;
    m_impl->logical = logical;
    for (QGraphicsView* view :
         {static_cast<QGraphicsView*>(physical), static_cast<QGraphicsView*>(logical)}) {
        if (!view)
            continue;
        view->setAcceptDrops(true);
        view->viewport()->setAcceptDrops(true);
        view->viewport()->installEventFilter(this);
    }
}

QWidget* EditController::createPalette(QWidget* parent) {
    auto* palette = new PaletteWidget(parent);
    connect(palette, &PaletteWidget::itemRequested, this,
            [this, palette](const QString& name) { dropPaletteItem(name, {}, palette->window()); });
    return palette;
}

QWidget* EditController::createPropertiesEditor(QWidget* parent) {
    return new PropertiesEditor(*this, m_impl->document, m_impl->selection, parent);
}

QAction* EditController::deleteAction() const {
    return m_impl->deleteAction;
}

void EditController::setDialogRunner(std::function<bool(QDialog&)> runner) {
    m_impl->runDialog = std::move(runner);
}

// ---- Running commands ------------------------------------------------------------------

namespace {

/// Runs 'command' once; pushes it when the Cloud accepted it, else reports the message.
bool pushCommand(EditController& controller, QUndoStack& undo, std::unique_ptr<LabCommand> command,
                 QString* error) {
    QPointer<EditController> guard(&controller);
    command->setFailureHandler([guard](const QString& message) {
        if (guard)
            emit guard->editFailed(message);
    });
    QString message;
    if (!command->execute(&message)) {
        if (error)
            *error = message;
        emit controller.editFailed(message);
        return false;
    }
    undo.push(command.release());
    return true;
}

bool fail(EditController& controller, const QString& message, QString* error) {
    if (error)
        *error = message;
    emit controller.editFailed(message);
    return false;
}

}  // namespace

bool EditController::addHost(const QString& role, QString* error) {
    const model::TenantState& st = m_impl->state();
    model::Host host;
    const bool network =
        role == QLatin1String("network") || role == QLatin1String(paletteitem::kNetworkNode);
    if (!network && role != QLatin1String("compute") &&
        role != QLatin1String(paletteitem::kComputeNode)) {
        return fail(*this, tr("Unknown host role '%1'").arg(role), error);
    }
    host.role = network ? model::HostRole::Network : model::HostRole::Compute;
    const std::string base = network ? "network" : "compute";
    host.name = base;
    for (int n = 2; st.host(host.name); ++n)
        host.name = base + std::to_string(n);

    // The next free addresses on the subnets the existing hosts use.
    auto next = [&](model::Ipv4Address first, auto field) {
        if (st.hosts.empty())
            return first;
        const model::Host& ref = st.hosts.front();
        const std::uint32_t mask =
            ref.prefixLength == 0 ? 0 : ~std::uint32_t{0} << (32 - ref.prefixLength);
        const std::uint32_t net = field(ref).toU32() & mask;
        std::set<std::uint32_t> used;
        std::uint32_t highest = field(ref).toU32();
        for (const model::Host& h : st.hosts) {
            const std::uint32_t a = field(h).toU32();
            used.insert(a);
            if ((a & mask) == net)
                highest = std::max(highest, a);
        }
        std::uint32_t candidate = highest + 1;
        while (used.count(candidate) || (candidate & ~mask) == ~mask)
            ++candidate;
        return model::Ipv4Address(candidate);
    };
    host.prefixLength = st.hosts.empty() ? 24 : st.hosts.front().prefixLength;
    host.managementIp = next(model::Ipv4Address::fromOctets(192, 168, 1, 11),
                             [](const model::Host& h) { return h.managementIp; });
    host.dataIp = next(model::Ipv4Address::fromOctets(10, 0, 0, 11),
                       [](const model::Host& h) { return h.dataIp; });
    return pushCommand(*this, m_impl->undo,
                       std::make_unique<AddHostCommand>(m_impl->document, std::move(host)), error);
}

bool EditController::addNetwork(const QString& name, const QString& cidr, QString* error) {
    SubnetSpec spec;
    spec.cidr = cidr;
    if (!cidr.trimmed().isEmpty())
        spec.name = name + QStringLiteral("-subnet");
    return addNetwork(name, spec, false, error);
}

bool EditController::addNetwork(const QString& name, const SubnetSpec& subnet, bool external,
                                QString* error) {
    model::NetworkRequest net;
    net.name = ss(name.trimmed());
    if (external) {
        net.external = true;
        net.type = model::NetworkType::Flat;
        net.physicalNetwork = "physnet1";
    }
    std::optional<model::SubnetRequest> sub;
    if (!subnet.cidr.trimmed().isEmpty()) {
        model::SubnetRequest r;
        QString message;
        if (!toSubnetRequest(subnet, {}, &r, &message))
            return fail(*this, message, error);
        // A malformed CIDR fails before anything is created.
        const model::ipam::ParsedCidr parsed = model::ipam::parseCidr(r.cidr);
        if (!parsed.cidr) {
            return fail(*this, qs("Invalid input for cidr. Reason: " + parsed.error + "."), error);
        }
        sub = std::move(r);
    }
    return pushCommand(
        *this, m_impl->undo,
        std::make_unique<CreateNetworkCommand>(m_impl->document, std::move(net), std::move(sub)),
        error);
}

bool EditController::addSubnet(const QString& network, const SubnetSpec& subnet, QString* error) {
    const model::Network* net = m_impl->state().network(ss(network));
    if (!net)
        return fail(*this, tr("Network %1 could not be found").arg(network), error);
    model::SubnetRequest r;
    QString message;
    if (!toSubnetRequest(subnet, net->id, &r, &message))
        return fail(*this, message, error);
    return pushCommand(*this, m_impl->undo,
                       std::make_unique<CreateSubnetCommand>(m_impl->document, std::move(r)),
                       error);
}

bool EditController::addRouter(const QString& name, QString* error) {
    model::RouterRequest r;
    r.name = ss(name.trimmed());
    return pushCommand(*this, m_impl->undo,
                       std::make_unique<CreateRouterCommand>(m_impl->document, std::move(r)),
                       error);
}

bool EditController::addInstance(const QString& name, const QString& host, const QString& network,
                                 QString* error) {
    model::InstanceRequest r;
    r.name = ss(name.trimmed());
    r.host = ss(host);
    if (!network.isEmpty()) {
        model::NicRequest nic;
        nic.network = ss(network);
        r.nics.push_back(std::move(nic));
    }
    return pushCommand(*this, m_impl->undo,
                       std::make_unique<BootInstanceCommand>(m_impl->document, std::move(r)),
                       error);
}

bool EditController::attachInstance(const QString& instance, const QString& network,
                                    QString* error) {
    return pushCommand(
        *this, m_impl->undo,
        std::make_unique<AttachInstanceCommand>(m_impl->document, ss(instance), ss(network)),
        error);
}

bool EditController::addRouterInterface(const QString& router, const QString& network,
                                        QString* error) {
    const model::TenantState& st = m_impl->state();
    const model::Router* r = st.router(ss(router));
    if (!r)
        return fail(*this, qs("Router " + ss(router) + " could not be found"), error);
    std::string subnetId;
    if (const model::Subnet* s = st.subnet(ss(network)); s && !st.network(ss(network))) {
        subnetId = s->id;
    } else {
        const model::Network* net = st.network(ss(network));
        if (!net)
            return fail(*this, qs("Network " + ss(network) + " could not be found"), error);
        if (net->external)
            return setRouterGateway(router, network, error);
        const std::vector<const model::Subnet*> subnets = st.subnetsOf(net->id);
        if (subnets.empty()) {
            return fail(
                *this,
                tr("Network %1 has no subnet to add a router interface on").arg(networkLabel(*net)),
                error);
        }
        // The first subnet the router has no port on yet (the Cloud reports the rest).
        subnetId = subnets.front()->id;
        for (const model::Subnet* candidate : subnets) {
            const bool has =
                std::any_of(r->interfacePortIds.begin(), r->interfacePortIds.end(),
                            [&](const std::string& pid) {
                                const model::Port* p = st.port(pid);
                                return p && std::any_of(p->fixedIps.begin(), p->fixedIps.end(),
                                                        [&](const model::FixedIp& f) {
                                                            return f.subnetId == candidate->id;
                                                        });
                            });
            if (!has) {
                subnetId = candidate->id;
                break;
            }
        }
    }
    return pushCommand(
        *this, m_impl->undo,
        std::make_unique<AddRouterInterfaceCommand>(m_impl->document, r->id, subnetId), error);
}

bool EditController::setRouterGateway(const QString& router, const QString& externalNetwork,
                                      QString* error) {
    if (externalNetwork.isEmpty())
        return clearRouterGateway(router, error);
    return pushCommand(*this, m_impl->undo,
                       std::make_unique<SetRouterGatewayCommand>(m_impl->document, ss(router),
                                                                 ss(externalNetwork)),
                       error);
}

bool EditController::clearRouterGateway(const QString& router, QString* error) {
    const model::Router* r = m_impl->state().router(ss(router));
    if (!r)
        return fail(*this, qs("Router " + ss(router) + " could not be found"), error);
    if (r->gatewayPortId.empty())
        return fail(*this, tr("Router %1 has no gateway").arg(qs(r->name)), error);
    return pushCommand(
        *this, m_impl->undo,
        std::make_unique<SetRouterGatewayCommand>(m_impl->document, r->id, std::string()), error);
}

bool EditController::deleteObject(const QString& kind, const QString& id, QString* error) {
    const model::TenantState& st = m_impl->state();
    model::LabDocument& doc = m_impl->document;
    std::unique_ptr<LabCommand> command;
    if (kind == selkind::kInstance) {
        command = std::make_unique<DeleteInstanceCommand>(doc, ss(id));
    } else if (kind == selkind::kRouter) {
        command = std::make_unique<DeleteRouterCommand>(doc, ss(id));
    } else if (kind == selkind::kNetwork) {
        command = std::make_unique<DeleteNetworkCommand>(doc, ss(id));
    } else if (kind == selkind::kSubnet) {
        command = std::make_unique<DeleteSubnetCommand>(doc, ss(id));
    } else if (kind == QLatin1String("floatingip")) {
        command = std::make_unique<DeleteFloatingIpCommand>(doc, ss(id));
    } else if (kind == selkind::kPort) {
        const model::Port* p = st.port(ss(id));
        if (!p)
            return fail(*this, qs("Port " + ss(id) + " could not be found"), error);
        if (p->deviceOwner == model::owner::kRouterInterface && !p->fixedIps.empty()) {
            command = std::make_unique<RemoveRouterInterfaceCommand>(doc, p->deviceId,
                                                                     p->fixedIps.front().subnetId);
        } else if (p->deviceOwner == model::owner::kRouterGateway) {
            command = std::make_unique<SetRouterGatewayCommand>(doc, p->deviceId, std::string());
        } else if (p->deviceOwner == model::owner::kFloatingIp) {
            command = std::make_unique<DeleteFloatingIpCommand>(doc, p->deviceId);
        } else if (p->deviceOwner == model::owner::kCompute) {
            const model::Instance* i = st.instance(p->deviceId);
            return fail(
                *this,
                qs("Port " + p->id + " is a NIC of instance " + (i ? i->name : p->deviceId) +
                   ": delete the instance (nova delete) to remove it"),
                error);
        } else if (p->deviceOwner == model::owner::kDhcp) {
            return fail(*this,
                        qs("Port " + p->id +
                           " is the DHCP agent's port of its network: it goes with the "
                           "network's last DHCP-enabled subnet (subnet-delete)"),
                        error);
        } else {
            return fail(*this, tr("Port %1 cannot be deleted from here").arg(id), error);
        }
    } else if (kind == selkind::kHost) {
        return fail(*this, tr("Hosts cannot be removed from a running lab"), error);
    } else {
        return fail(*this, tr("Nothing to delete"), error);
    }
    const SelectionRef selected = tenantObjectFor(m_impl->selection.current());
    if (!pushCommand(*this, m_impl->undo, std::move(command), error))
        return false;
    if (selected.kind == kind && !selected.isEmpty()) {
        const bool gone = (kind == selkind::kInstance && !st.instance(ss(selected.id))) ||
                          (kind == selkind::kRouter && !st.router(ss(selected.id))) ||
                          (kind == selkind::kNetwork && !st.network(ss(selected.id))) ||
                          (kind == selkind::kSubnet && !st.subnet(ss(selected.id))) ||
                          (kind == selkind::kPort && !st.port(ss(selected.id)));
        if (gone)
            m_impl->selection.clear();
    }
    return true;
}

bool EditController::renameObject(const QString& kind, const QString& id, const QString& name,
                                  QString* error) {
    if (kind != selkind::kNetwork && kind != selkind::kRouter && kind != selkind::kSubnet) {
        return fail(*this, tr("A %1 cannot be renamed").arg(kind), error);
    }
    return pushCommand(
        *this, m_impl->undo,
        std::make_unique<RenameCommand>(m_impl->document, kind, ss(id), ss(name.trimmed())), error);
}

bool EditController::updateSubnet(const QString& subnet, std::optional<bool> enableDhcp,
                                  std::optional<QStringList> dnsNameservers, QString* error) {
    model::SubnetUpdate update;
    update.enableDhcp = enableDhcp;
    if (dnsNameservers) {
        std::vector<model::Ipv4Address> servers;
        for (const QString& text : *dnsNameservers) {
            auto a = model::Ipv4Address::parse(ss(text.trimmed()));
            if (!a) {
                return fail(*this,
                            qs("Invalid input for dns_nameservers. Reason: '" + ss(text.trimmed()) +
                               "' is not a valid nameserver."),
                            error);
            }
            servers.push_back(*a);
        }
        update.dnsNameservers = std::move(servers);
    }
    return pushCommand(
        *this, m_impl->undo,
        std::make_unique<UpdateSubnetCommand>(m_impl->document, ss(subnet), std::move(update)),
        error);
}

// ---- Selections and drop targets ----------------------------------------------------

SelectionRef EditController::tenantObjectFor(const SelectionRef& ref) const {
    const model::TenantState& st = m_impl->state();
    if (ref.isEmpty())
        return {};
    if (isTenantKind(ref.kind) || ref.kind == selkind::kHost)
        return ref;
    if (ref.kind == selkind::kNamespace) {
        const QString name = SelectionModel::splitPhysicalId(ref.id).second;
        if (name.startsWith(QLatin1String("qrouter-")))
            return {selkind::kRouter, name.mid(8)};
        if (name.startsWith(QLatin1String("qdhcp-")))
            return {selkind::kNetwork, name.mid(6)};
        if (const model::Instance* i = st.instance(ss(name)))
            return {selkind::kInstance, qs(i->id)};
        return {};
    }
    if (ref.kind == selkind::kDevice || ref.kind == selkind::kBridge) {
        const QString name = SelectionModel::splitPhysicalId(ref.id).second;
        if (const model::Port* p = portOfDevice(st, name))
            return ownerOfPort(*p);
        if (const model::Instance* i = st.instance(ss(name)); i && i->name == ss(name)) {
            return {selkind::kInstance, qs(i->id)};
        }
    }
    return {};
}

DropTarget EditController::targetAt(QGraphicsView* view, const QPoint& pos) const {
    DropTarget target;
    if (!view)
        return target;
    const model::TenantState& st = m_impl->state();
    const QList<QGraphicsItem*> items = view->items(pos);
    if (view == m_impl->logical.data()) {
        for (QGraphicsItem* item : items) {
            const QString key = keyOf(item);
            const QString id = key.section(QLatin1Char(':'), 1);
            if (key.startsWith(QLatin1String("net:")))
                target.object = {selkind::kNetwork, id};
            else if (key.startsWith(QLatin1String("router:")))
                target.object = {selkind::kRouter, id};
            else if (key.startsWith(QLatin1String("instance:")))
                target.object = {selkind::kInstance, id};
            else if (key.startsWith(QLatin1String("link:")))
                target.object = {selkind::kPort, id};
            if (!target.object.isEmpty()) {
                if (target.object.kind == selkind::kInstance) {
                    if (const model::Instance* i = st.instance(ss(id)))
                        target.host = qs(i->hostId);
                }
                break;
            }
        }
        return target;
    }
    auto* physical = qobject_cast<PhysicalView*>(view);
    if (!physical || !physical->physicalScene())
        return target;
    const PhysicalGraph& graph = physical->physicalScene()->graph();
    for (QGraphicsItem* item : items) {
        const QString key = keyOf(item);
        if (key.isEmpty())
            continue;
        if (const PhysNode* n = graph.node(key)) {
            if (target.host.isEmpty())
                target.host = n->node;
            if (target.object.isEmpty()) {
                if (!n->instanceId.isEmpty())
                    target.object = {selkind::kInstance, n->instanceId};
                else if (!n->routerId.isEmpty())
                    target.object = {selkind::kRouter, n->routerId};
                else if (const model::Port* p = portOfDevice(st, n->name))
                    target.object = ownerOfPort(*p);
                else if (!n->networkId.isEmpty())
                    target.object = {selkind::kNetwork, n->networkId};
            }
        } else if (const PhysCluster* c = graph.cluster(key)) {
            if (target.host.isEmpty())
                target.host = c->node;
            if (target.object.isEmpty()) {
                if (!c->networkId.isEmpty())
                    target.object = {selkind::kNetwork, c->networkId};
                else if (!c->routerId.isEmpty())
                    target.object = {selkind::kRouter, c->routerId};
            }
        }
        if (!target.host.isEmpty() && !target.object.isEmpty())
            break;
    }
    return target;
}

// ---- Drops -----------------------------------------------------------------------------

namespace {

/// "net3", "router2": the first name of 'prefix' + N that 'taken' does not know.
QString nextName(const QString& prefix, const std::function<bool(const std::string&)>& taken) {
    for (int n = 1;; ++n) {
        const QString name = prefix + QString::number(n);
        if (!taken(ss(name)))
            return name;
    }
}

/// A /24 in 10.10.X.0 that overlaps no subnet of the lab.
QString freeCidr(const model::TenantState& st) {
    for (int x = 10; x < 250; x += 10) {
        const auto cidr = model::Cidr::parse("10.10." + std::to_string(x) + ".0/24");
        const bool used = std::any_of(st.subnets.begin(), st.subnets.end(), [&](const auto& kv) {
            return kv.second.cidr.overlaps(*cidr);
        });
        if (!used)
            return qs(cidr->toString());
    }
    return QStringLiteral("10.20.0.0/24");
}

}  // namespace

bool EditController::dropPaletteItem(const QString& item, const DropTarget& target,
                                     QWidget* dialogParent) {
    const model::TenantState& st = m_impl->state();
    if (item == QLatin1String(paletteitem::kComputeNode))
        return addHost(QStringLiteral("compute"));
    if (item == QLatin1String(paletteitem::kNetworkNode))
        return addHost(QStringLiteral("network"));

    const model::Network* targetNet =
        target.object.kind == selkind::kNetwork ? st.network(ss(target.object.id)) : nullptr;
    if (item == QLatin1String(paletteitem::kNetwork) && targetNet) {
        // Onto a network: one more subnet there.
        const std::string netId = targetNet->id;
        SubnetDialog dialog(false, networkLabel(*targetNet), dialogParent);
        SubnetSpec spec;
        spec.cidr = freeCidr(st);
        dialog.setSpec(spec);
        dialog.setValidator([this, netId](const QString&, const SubnetSpec& s, QString* error) {
            return addSubnet(qs(netId), s, error);
        });
        return m_impl->runDialog(dialog);
    }
    if (item == QLatin1String(paletteitem::kNetwork) ||
        item == QLatin1String(paletteitem::kExternalNetwork)) {
        const bool external = item == QLatin1String(paletteitem::kExternalNetwork);
        SubnetDialog dialog(true, {}, dialogParent);
        if (external)
            dialog.setWindowTitle(tr("Create External Network"));
        const QString name = external ? QStringLiteral("external")
                                      : nextName(QStringLiteral("net"), [&](const std::string& n) {
                                            return st.network(n) != nullptr;
                                        });
        dialog.setNetworkName(name);
        SubnetSpec spec;
        spec.name = name + QStringLiteral("-subnet");
        if (external) {
            spec.cidr = QStringLiteral("172.24.4.0/24");
            spec.enableDhcp = false;
        } else {
            spec.cidr = freeCidr(st);
        }
        dialog.setSpec(spec);
        dialog.setValidator(
            [this, external](const QString& netName, const SubnetSpec& s, QString* error) {
                return addNetwork(netName, s, external, error);
            });
        return m_impl->runDialog(dialog);
    }
    if (item == QLatin1String(paletteitem::kRouter)) {
        NameDialog dialog(tr("Create Router"), tr("Router &name:"), dialogParent);
        dialog.setName(nextName(QStringLiteral("router"),
                                [&](const std::string& n) { return st.router(n) != nullptr; }));
        const QString netId = targetNet ? qs(targetNet->id) : QString();
        dialog.setValidator([this, netId](const QString& name, QString* error) {
            if (netId.isEmpty())
                return addRouter(name, error);
            // Onto a network: the router, then its interface (or gateway) there.
            std::set<std::string> before;
            for (const auto& [id, r] : m_impl->state().routers)
                before.insert(id);
            if (!addRouter(name, error))
                return false;
            for (const auto& [id, r] : m_impl->state().routers) {
                if (!before.count(id))
                    (void)addRouterInterface(qs(id), netId);
            }
            return true;
        });
        return m_impl->runDialog(dialog);
    }
    if (item == QLatin1String(paletteitem::kInstance)) {
        QStringList hosts;
        for (const model::Host& h : st.hosts) {
            if (h.role == model::HostRole::Compute)
                hosts << qs(h.name);
        }
        QList<QPair<QString, QString>> networks;
        for (const auto& [id, n] : st.networks) {
            if (n.external)
                continue;
            QStringList cidrs;
            for (const model::Subnet* s : st.subnetsOf(id))
                cidrs << qs(s->cidr.toString());
            networks.append({cidrs.isEmpty()
                                 ? networkLabel(n)
                                 : QStringLiteral("%1 (%2)").arg(networkLabel(n),
                                                                 cidrs.join(QStringLiteral(", "))),
                             qs(id)});
        }
        InstanceDialog dialog(hosts, networks, dialogParent);
        dialog.setInstanceName(nextName(QStringLiteral("instance"), [&](const std::string& n) {
            const model::Instance* i = st.instance(n);
            return i && i->name == n;
        }));
        const model::Host* host = st.host(ss(target.host));
        if (host && host->role == model::HostRole::Compute)
            dialog.setHost(target.host);
        if (targetNet && !targetNet->external)
            dialog.setNetwork(qs(targetNet->id));
        dialog.setValidator(
            [this](const QString& name, const QString& h, const QString& network, QString* error) {
                return addInstance(name, h, network, error);
            });
        return m_impl->runDialog(dialog);
    }
    return false;
}

bool EditController::dropObject(const SelectionRef& object, const DropTarget& target) {
    if (target.object.kind != selkind::kNetwork)
        return false;
    const model::Network* net = m_impl->state().network(ss(target.object.id));
    if (!net)
        return false;
    if (object.kind == selkind::kInstance)
        return attachInstance(object.id, qs(net->id));
    if (object.kind == selkind::kRouter) {
        if (net->external)
            return setRouterGateway(object.id, qs(net->id));
        return addRouterInterface(object.id, qs(net->id));
    }
    return false;
}

// ---- Context menus ---------------------------------------------------------------------

QList<QAction*> EditController::contextActions(const SelectionRef& object, QObject* parent) {
    QList<QAction*> actions;
    const model::TenantState& st = m_impl->state();
    QWidget* parentWidget = qobject_cast<QWidget*>(parent);
    auto action = [&](const QString& text, std::function<void()> fn) {
        auto* a = new QAction(text, parent);
        connect(a, &QAction::triggered, this, std::move(fn));
        actions << a;
        return a;
    };
    auto submenu = [&](const QString& text) {
        auto* a = new QAction(text, parent);
        auto* menu = new QMenu(parentWidget);
        if (!parentWidget)
            connect(a, &QObject::destroyed, menu, &QObject::deleteLater);
        a->setMenu(menu);
        actions << a;
        return menu;
    };
    QWidget* dialogParent = parentWidget ? parentWidget->window() : nullptr;
    if (object.isEmpty()) {
        action(tr("New &Network..."), [this, dialogParent] {
            dropPaletteItem(QLatin1String(paletteitem::kNetwork), {}, dialogParent);
        });
        action(tr("New &Router..."), [this, dialogParent] {
            dropPaletteItem(QLatin1String(paletteitem::kRouter), {}, dialogParent);
        });
        action(tr("New &Instance..."), [this, dialogParent] {
            dropPaletteItem(QLatin1String(paletteitem::kInstance), {}, dialogParent);
        });
        return actions;
    }
    if (object.kind == selkind::kNetwork) {
        const model::Network* n = st.network(ss(object.id));
        if (!n)
            return actions;
        const QString id = qs(n->id);
        if (!n->external) {
            action(tr("Add &Subnet..."), [this, id, dialogParent] {
                dropPaletteItem(QLatin1String(paletteitem::kNetwork), {{selkind::kNetwork, id}, {}},
                                dialogParent);
            });
            action(tr("&Launch Instance Here..."), [this, id, dialogParent] {
                dropPaletteItem(QLatin1String(paletteitem::kInstance),
                                {{selkind::kNetwork, id}, {}}, dialogParent);
            });
        }
        action(tr("&Delete Network"), [this, id] { deleteObject(selkind::kNetwork, id); });
    } else if (object.kind == selkind::kRouter) {
        const model::Router* r = st.router(ss(object.id));
        if (!r)
            return actions;
        const QString id = qs(r->id);
        QMenu* add = submenu(tr("Add &Interface to"));
        QMenu* gateway = submenu(tr("Set &Gateway"));
        for (const auto& [nid, n] : st.networks) {
            const QString netId = qs(nid);
            if (n.external) {
                gateway->addAction(networkLabel(n), this,
                                   [this, id, netId] { setRouterGateway(id, netId); });
                continue;
            }
            for (const model::Subnet* s : st.subnetsOf(nid)) {
                const QString subnetId = qs(s->id);
                add->addAction(
                    QStringLiteral("%1 (%2)").arg(networkLabel(n), qs(s->cidr.toString())), this,
                    [this, id, subnetId] { addRouterInterface(id, subnetId); });
            }
        }
        add->menuAction()->setEnabled(!add->isEmpty());
        actions[actions.size() - 2]->setEnabled(!add->isEmpty());
        actions.back()->setEnabled(!gateway->isEmpty());
        if (!r->gatewayPortId.empty()) {
            action(tr("&Clear Gateway"), [this, id] { clearRouterGateway(id); });
        }
        for (const std::string& pid : r->interfacePortIds) {
            const model::Port* p = st.port(pid);
            if (!p || p->fixedIps.empty())
                continue;
            const model::Network* n = st.network(p->networkId);
            const QString portId = qs(pid);
            action(tr("&Remove Interface %1 (%2)")
                       .arg(n ? networkLabel(*n) : qs(p->networkId),
                            qs(p->fixedIps.front().ipAddress.toString())),
                   [this, portId] { deleteObject(selkind::kPort, portId); });
        }
        action(tr("&Delete Router"), [this, id] { deleteObject(selkind::kRouter, id); });
    } else if (object.kind == selkind::kInstance) {
        const model::Instance* i = st.instance(ss(object.id));
        if (!i)
            return actions;
        const QString id = qs(i->id);
        QMenu* attach = submenu(tr("&Attach to Network"));
        for (const auto& [nid, n] : st.networks) {
            if (n.external)
                continue;
            const QString netId = qs(nid);
            attach->addAction(networkLabel(n), this,
                              [this, id, netId] { attachInstance(id, netId); });
        }
        actions.back()->setEnabled(!attach->isEmpty());
        action(tr("&Delete Instance"), [this, id] { deleteObject(selkind::kInstance, id); });
    } else if (object.kind == selkind::kPort) {
        const model::Port* p = st.port(ss(object.id));
        if (!p)
            return actions;
        const QString id = qs(p->id);
        if (p->deviceOwner == model::owner::kRouterInterface) {
            action(tr("&Remove Router Interface"),
                   [this, id] { deleteObject(selkind::kPort, id); });
        } else if (p->deviceOwner == model::owner::kRouterGateway) {
            action(tr("&Clear Gateway"), [this, id] { deleteObject(selkind::kPort, id); });
        }
    } else if (object.kind == selkind::kSubnet) {
        const QString id = object.id;
        action(tr("&Delete Subnet"), [this, id] { deleteObject(selkind::kSubnet, id); });
    }
    return actions;
}

// ---- Events on the views ---------------------------------------------------------------

bool EditController::eventFilter(QObject* watched, QEvent* event) {
    auto* viewport = qobject_cast<QWidget*>(watched);
    auto* view = viewport ? qobject_cast<QGraphicsView*>(viewport->parentWidget()) : nullptr;
    if (!view || (view != m_impl->physical.data() && view != m_impl->logical.data())) {
        return QObject::eventFilter(watched, event);
    }
    const QString paletteType = QString::fromLatin1(kPaletteMimeType);
    const QString objectType = QString::fromLatin1(kObjectMimeType);
    switch (event->type()) {
        case QEvent::DragEnter:
        case QEvent::DragMove: {
            auto* e = static_cast<QDragMoveEvent*>(event);
            const QMimeData* mime = e->mimeData();
            if (mime->hasFormat(paletteType)) {
                e->acceptProposedAction();
                return true;
            }
            if (mime->hasFormat(objectType)) {
                // Entering is always accepted (to hear the moves); a move only over a network.
                const DropTarget t = targetAt(view, e->position().toPoint());
                if (event->type() == QEvent::DragEnter || t.object.kind == selkind::kNetwork) {
                    e->acceptProposedAction();
                } else {
                    e->ignore();
                }
                return true;
            }
            return false;
        }
        case QEvent::Drop: {
            auto* e = static_cast<QDropEvent*>(event);
            const QMimeData* mime = e->mimeData();
            const DropTarget t = targetAt(view, e->position().toPoint());
            if (mime->hasFormat(paletteType)) {
                e->acceptProposedAction();
                dropPaletteItem(QString::fromUtf8(mime->data(paletteType)), t, view->window());
                return true;
            }
            if (mime->hasFormat(objectType)) {
                const QString payload = QString::fromUtf8(mime->data(objectType));
                e->acceptProposedAction();
                dropObject(
                    {payload.section(QLatin1Char(':'), 0, 0), payload.section(QLatin1Char(':'), 1)},
                    t);
                return true;
            }
            return false;
        }
        case QEvent::MouseButtonPress: {
            auto* e = static_cast<QMouseEvent*>(event);
            m_impl->pressObject = {};
            if (e->button() == Qt::LeftButton) {
                const DropTarget t = targetAt(view, e->position().toPoint());
                if (t.object.kind == selkind::kInstance || t.object.kind == selkind::kRouter) {
                    m_impl->pressView = view;
                    m_impl->pressPos = e->position().toPoint();
                    m_impl->pressObject = t.object;
                }
            }
            return false;
        }
        case QEvent::MouseMove: {
            auto* e = static_cast<QMouseEvent*>(event);
            if (m_impl->pressObject.isEmpty() || m_impl->pressView != view ||
                !(e->buttons() & Qt::LeftButton) ||
                (e->position().toPoint() - m_impl->pressPos).manhattanLength() <
                    QApplication::startDragDistance()) {
                return false;
            }
            const SelectionRef object = m_impl->pressObject;
            m_impl->pressObject = {};
            auto* mime = new QMimeData;
            mime->setData(objectType, QStringLiteral("%1:%2").arg(object.kind, object.id).toUtf8());
            auto* drag = new QDrag(viewport);
            drag->setMimeData(mime);
            drag->setPixmap(
                iconPixmap(object.kind == selkind::kRouter ? IconKind::Router : IconKind::Instance,
                           32, viewport->devicePixelRatioF()));
            drag->exec(Qt::LinkAction | Qt::CopyAction, Qt::LinkAction);
            return true;
        }
        case QEvent::MouseButtonRelease:
            m_impl->pressObject = {};
            return false;
        case QEvent::ContextMenu: {
            auto* e = static_cast<QContextMenuEvent*>(event);
            const DropTarget t = targetAt(view, e->pos());
            QMenu menu(view);
            if (!t.object.isEmpty())
                m_impl->selection.select(t.object);
            menu.addActions(contextActions(t.object, &menu));
            emit contextMenuAboutToShow(&menu, t.object);
            if (!menu.isEmpty())
                menu.exec(e->globalPos());
            return true;
        }
        default:
            return false;
    }
}

}  // namespace nlab::views
