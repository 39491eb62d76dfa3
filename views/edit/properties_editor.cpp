#include "views/edit/properties_editor.h"

#include "model/qt/lab_document.h"
#include "views/edit/edit_controller.h"
#include "views/selection_model.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QVBoxLayout>

namespace nlab::views {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QLabel* value(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QString yesNo(bool b) {
    return b ? PropertiesEditor::tr("Yes") : PropertiesEditor::tr("No");
}

QString ipsOf(const model::Port& p) {
    QStringList ips;
    for (const model::FixedIp& f : p.fixedIps)
        ips << qs(f.ipAddress.toString());
    return ips.join(QStringLiteral(", "));
}

QString networkLabel(const model::TenantState& st, const std::string& id) {
    const model::Network* n = st.network(id);
    return n ? (n->name.empty() ? qs(n->id) : qs(n->name)) : qs(id);
}

}  // namespace

PropertiesEditor::PropertiesEditor(EditController& controller, model::LabDocument& document,
                                   SelectionModel& selection, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_document(document), m_selection(selection) {
    setObjectName(QStringLiteral("properties"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    layout->addWidget(m_scroll);
    connect(&m_selection, &SelectionModel::selectionChanged, this, &PropertiesEditor::rebuild);
    connect(&m_document, &model::LabDocument::topologyChanged, this, &PropertiesEditor::rebuild);
    connect(&m_document, &model::LabDocument::labReset, this, &PropertiesEditor::rebuild);
    rebuild();
}

QString PropertiesEditor::title() const {
    return m_title;
}

void PropertiesEditor::rebuild() {
    if (m_content) {
        // Possibly inside a signal of one of its widgets: hide now, delete later.
        QWidget* old = m_scroll->takeWidget();
        old->hide();
        old->deleteLater();
    }
    m_content = new QWidget;
    auto* layout = new QVBoxLayout(m_content);
    auto* heading = new QLabel(m_content);
    heading->setObjectName(QStringLiteral("title"));
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);
    layout->addWidget(heading);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(form);

    const SelectionRef ref = m_controller.tenantObjectFor(m_selection.current());
    const model::TenantState& st = m_document.cloud().state();
    m_title = tr("Nothing selected");
    if (ref.kind == selkind::kNetwork && st.network(ref.id.toStdString())) {
        m_title = tr("Network %1").arg(networkLabel(st, ref.id.toStdString()));
        buildNetwork(form, ref.id);
        for (const model::Subnet* s : st.subnetsOf(st.network(ref.id.toStdString())->id)) {
            auto* box = new QGroupBox(tr("Subnet %1").arg(qs(s->cidr.toString())), m_content);
            auto* sub = new QFormLayout(box);
            buildSubnet(sub, qs(s->id), true);
            layout->addWidget(box);
        }
    } else if (ref.kind == selkind::kSubnet && st.subnet(ref.id.toStdString())) {
        m_title = tr("Subnet %1").arg(qs(st.subnet(ref.id.toStdString())->cidr.toString()));
        buildSubnet(form, ref.id, false);
    } else if (ref.kind == selkind::kRouter && st.router(ref.id.toStdString())) {
        m_title = tr("Router %1").arg(qs(st.router(ref.id.toStdString())->name));
        buildRouter(form, ref.id);
    } else if (ref.kind == selkind::kInstance && st.instance(ref.id.toStdString())) {
        m_title = tr("Instance %1").arg(qs(st.instance(ref.id.toStdString())->name));
        buildInstance(form, ref.id);
    } else if (ref.kind == selkind::kPort && st.port(ref.id.toStdString())) {
        m_title = tr("Port %1").arg(ref.id.left(11));
        buildPort(form, ref.id);
    } else if (ref.kind == selkind::kHost && st.host(ref.id.toStdString())) {
        m_title = tr("Host %1").arg(ref.id);
        buildHost(form, ref.id);
    } else if (!m_selection.current().isEmpty()) {
        const SelectionRef cur = m_selection.current();
        m_title = cur.id;
        form->addRow(tr("Kind:"), value(cur.kind, m_content));
        form->addRow(tr("Name:"), value(cur.id, m_content));
    }
    heading->setText(m_title);
    layout->addStretch(1);
    m_scroll->setWidget(m_content);
}

void PropertiesEditor::addNameEditor(QFormLayout* form, const QString& kind, const QString& id,
                                     const QString& name, const QString& objectName) {
    auto* edit = new QLineEdit(name, m_content);
    edit->setObjectName(objectName);
    connect(edit, &QLineEdit::editingFinished, this, [this, edit, kind, id, name] {
        if (edit->text() == name)
            return;
        if (!m_controller.renameObject(kind, id, edit->text()))
            edit->setText(name);
    });
    form->addRow(tr("Name:"), edit);
}

void PropertiesEditor::buildNetwork(QFormLayout* form, const QString& id) {
    const model::Network& n = *m_document.cloud().state().network(id.toStdString());
    addNameEditor(form, selkind::kNetwork, qs(n.id), qs(n.name), QStringLiteral("name"));
    form->addRow(tr("ID:"), value(qs(n.id), m_content));
    form->addRow(tr("Type:"), value(qs(std::string(model::toString(n.type))), m_content));
    if (n.type == model::NetworkType::Flat) {
        form->addRow(tr("Physical network:"), value(qs(n.physicalNetwork), m_content));
    } else {
        form->addRow(
            tr("Segmentation ID:"),
            value(QStringLiteral("%1 (0x%2)").arg(n.segmentationId).arg(n.segmentationId, 0, 16),
                  m_content));
    }
    form->addRow(tr("External:"), value(yesNo(n.external), m_content));
    form->addRow(tr("Shared:"), value(yesNo(n.shared), m_content));
    form->addRow(
        tr("Ports:"),
        value(QString::number(m_document.cloud().state().portsOf(n.id).size()), m_content));
}

void PropertiesEditor::buildSubnet(QFormLayout* form, const QString& id, bool nested) {
    const model::TenantState& st = m_document.cloud().state();
    const model::Subnet& s = *st.subnet(id.toStdString());
    const QString sid = qs(s.id);
    const QString prefix = QStringLiteral("subnet.%1.").arg(sid);
    addNameEditor(form, selkind::kSubnet, sid, qs(s.name),
                  nested ? prefix + QStringLiteral("name") : QStringLiteral("name"));
    form->addRow(tr("ID:"), value(sid, m_content));
    if (!nested)
        form->addRow(tr("Network:"), value(networkLabel(st, s.networkId), m_content));
    form->addRow(tr("CIDR:"), value(qs(s.cidr.toString()), m_content));
    form->addRow(tr("Gateway IP:"),
                 value(s.gatewayIp ? qs(s.gatewayIp->toString()) : tr("None"), m_content));
    QStringList pools;
    for (const model::AllocationPool& p : s.allocationPools) {
        pools << QStringLiteral("%1 - %2").arg(qs(p.start.toString()), qs(p.end.toString()));
    }
    form->addRow(tr("Allocation pools:"), value(pools.join(QLatin1Char('\n')), m_content));

    auto* dhcp = new QCheckBox(tr("Enabled"), m_content);
    dhcp->setObjectName(prefix + QStringLiteral("dhcp"));
    dhcp->setChecked(s.enableDhcp);
    const bool was = s.enableDhcp;
    connect(dhcp, &QCheckBox::toggled, this, [this, dhcp, sid, was](bool on) {
        if (on == was)
            return;
        if (!m_controller.updateSubnet(sid, on, std::nullopt)) {
            const QSignalBlocker block(dhcp);
            dhcp->setChecked(was);
        }
    });
    form->addRow(tr("DHCP:"), dhcp);

    QStringList dnsList;
    for (const model::Ipv4Address& a : s.dnsNameservers)
        dnsList << qs(a.toString());
    const QString dnsText = dnsList.join(QStringLiteral(", "));
    auto* dns = new QLineEdit(dnsText, m_content);
    dns->setObjectName(prefix + QStringLiteral("dns"));
    dns->setPlaceholderText(tr("comma-separated addresses"));
    connect(dns, &QLineEdit::editingFinished, this, [this, dns, sid, dnsText] {
        if (dns->text().trimmed() == dnsText)
            return;
        QStringList servers;
        for (const QString& part : dns->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!part.trimmed().isEmpty())
                servers << part.trimmed();
        }
        if (!m_controller.updateSubnet(sid, std::nullopt, servers))
            dns->setText(dnsText);
    });
    form->addRow(tr("DNS name servers:"), dns);
}

void PropertiesEditor::buildRouter(QFormLayout* form, const QString& id) {
    const model::TenantState& st = m_document.cloud().state();
    const model::Router& r = *st.router(id.toStdString());
    addNameEditor(form, selkind::kRouter, qs(r.id), qs(r.name), QStringLiteral("name"));
    form->addRow(tr("ID:"), value(qs(r.id), m_content));
    form->addRow(tr("L3 agent host:"), value(qs(r.hostId), m_content));
    QString gateway = tr("None");
    if (const model::Port* p = st.port(r.gatewayPortId)) {
        gateway = QStringLiteral("%1 (%2)").arg(networkLabel(st, r.gatewayNetworkId), ipsOf(*p));
    }
    form->addRow(tr("External gateway:"), value(gateway, m_content));
    form->addRow(tr("SNAT:"), value(yesNo(r.enableSnat), m_content));
    QStringList interfaces;
    for (const std::string& pid : r.interfacePortIds) {
        if (const model::Port* p = st.port(pid)) {
            interfaces << QStringLiteral("%1: %2 (%3)")
                              .arg(qs(p->deviceName("qr-")), networkLabel(st, p->networkId),
                                   ipsOf(*p));
        }
    }
    form->addRow(
        tr("Interfaces:"),
        value(interfaces.isEmpty() ? tr("None") : interfaces.join(QLatin1Char('\n')), m_content));
}

void PropertiesEditor::buildInstance(QFormLayout* form, const QString& id) {
    const model::TenantState& st = m_document.cloud().state();
    const model::Instance& i = *st.instance(id.toStdString());
    auto* name = value(qs(i.name), m_content);
    name->setToolTip(tr("Instance names are console contexts in this lab; they cannot change"));
    form->addRow(tr("Name:"), name);
    form->addRow(tr("ID:"), value(qs(i.id), m_content));
    form->addRow(tr("Host:"), value(qs(i.hostId), m_content));
    form->addRow(tr("Image:"), value(qs(i.image), m_content));
    form->addRow(tr("Flavor:"), value(qs(i.flavor), m_content));
    const QString status = i.state == model::InstanceState::Active    ? tr("ACTIVE")
                           : i.state == model::InstanceState::Shutoff ? tr("SHUTOFF")
                                                                      : tr("ERROR");
    form->addRow(tr("Status:"), value(status, m_content));
    int n = 0;
    for (const std::string& pid : i.portIds) {
        const model::Port* p = st.port(pid);
        if (!p)
            continue;
        form->addRow(tr("eth%1:").arg(n++),
                     value(tr("%1: %2, MAC %3, port %4")
                               .arg(networkLabel(st, p->networkId), ipsOf(*p),
                                    qs(p->macAddress.toString()), qs(p->id)),
                           m_content));
    }
}

void PropertiesEditor::buildPort(QFormLayout* form, const QString& id) {
    const model::TenantState& st = m_document.cloud().state();
    const model::Port& p = *st.port(id.toStdString());
    form->addRow(tr("ID:"), value(qs(p.id), m_content));
    form->addRow(tr("Network:"), value(networkLabel(st, p.networkId), m_content));
    form->addRow(tr("MAC address:"), value(qs(p.macAddress.toString()), m_content));
    form->addRow(tr("Fixed IPs:"), value(ipsOf(p), m_content));
    form->addRow(tr("Device owner:"), value(qs(p.deviceOwner), m_content));
    form->addRow(tr("Device ID:"), value(qs(p.deviceId), m_content));
    form->addRow(tr("Host:"), value(qs(p.hostId), m_content));
}

void PropertiesEditor::buildHost(QFormLayout* form, const QString& name) {
    const model::Host& h = *m_document.cloud().state().host(name.toStdString());
    form->addRow(tr("Name:"), value(qs(h.name), m_content));
    form->addRow(tr("Role:"),
                 value(h.role == model::HostRole::Network ? tr("Network node") : tr("Compute node"),
                       m_content));
    form->addRow(
        tr("Management (eth0):"),
        value(QStringLiteral("%1/%2").arg(qs(h.managementIp.toString())).arg(h.prefixLength),
              m_content));
    form->addRow(
        tr("Data (eth1, tunnel endpoint):"),
        value(QStringLiteral("%1/%2").arg(qs(h.dataIp.toString())).arg(h.prefixLength), m_content));
}

}  // namespace nlab::views
