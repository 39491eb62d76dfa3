#include "app/dialogs/ping_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>

#include "model/cloud.h"
#include "model/tenant.h"

namespace nlab::app {

namespace {

QString ipOf(const model::Port& port) {
    return port.fixedIps.empty() ? QString() : QString::fromStdString(port.fixedIps.front().ipAddress.toString());
}

}  // namespace

QList<PingTarget> pingTargets(const model::Cloud& cloud, const QString& instance) {
    QList<PingTarget> out;
    const model::TenantState& st = cloud.state();
    const model::Instance* inst = st.instance(instance.toStdString());
    if (!inst) return out;
    QStringList own;
    std::vector<const model::Port*> nics;
    for (const std::string& pid : inst->portIds) {
        if (const model::Port* p = st.port(pid)) {
            nics.push_back(p);
            own << ipOf(*p);
        }
    }
    QStringList seen = own;
    auto add = [&](PingTarget::Kind kind, const QString& label, const QString& address) {
        if (address.isEmpty() || seen.contains(address)) return;
        seen << address;
        out.push_back({kind, label, address});
    };
    // Gateways of the instance's subnets, and the routers behind them.
    std::vector<const model::Router*> routers;
    for (const model::Port* nic : nics) {
        for (const model::FixedIp& ip : nic->fixedIps) {
            const model::Subnet* sn = st.subnet(ip.subnetId);
            if (!sn || !sn->gatewayIp) continue;
            QString label = QObject::tr("Gateway of %1").arg(QString::fromStdString(sn->name.empty() ? sn->id : sn->name));
            for (const auto& [rid, r] : st.routers) {
                for (const std::string& pid : r.interfacePortIds) {
                    const model::Port* rp = st.port(pid);
                    if (rp && !rp->fixedIps.empty() && rp->fixedIps.front().subnetId == sn->id) {
                        label = QObject::tr("Gateway (router %1)").arg(QString::fromStdString(r.name.empty() ? r.id : r.name));
                        if (std::find(routers.begin(), routers.end(), &r) == routers.end()) routers.push_back(&r);
                    }
                }
            }
            add(PingTarget::Kind::Gateway, label, QString::fromStdString(sn->gatewayIp->toString()));
        }
    }
    // DHCP servers of the instance's networks.
    for (const model::Port* nic : nics) {
        for (const model::Port* p : st.portsOf(nic->networkId)) {
            if (p->deviceOwner == model::owner::kDhcp) {
                const model::Network* net = st.network(nic->networkId);
                add(PingTarget::Kind::DhcpServer,
                    QObject::tr("DHCP server of %1").arg(QString::fromStdString(net ? net->name : nic->networkId)),
                    ipOf(*p));
            }
        }
    }
    // The other instances.
    for (const auto& [iid, other] : st.instances) {
        if (other.id == inst->id) continue;
        for (const std::string& pid : other.portIds) {
            if (const model::Port* p = st.port(pid)) {
                add(PingTarget::Kind::Instance, QObject::tr("Instance %1").arg(QString::fromStdString(other.name)), ipOf(*p));
            }
        }
    }
    // The routers' external addresses and the outside host.
    for (const model::Router* r : routers) {
        if (const model::Port* gw = st.port(r->gatewayPortId)) {
            add(PingTarget::Kind::RouterExternal,
                QObject::tr("External address of router %1").arg(QString::fromStdString(r->name.empty() ? r->id : r->name)),
                ipOf(*gw));
            for (const model::Subnet* sn : st.subnetsOf(gw->networkId)) {
                if (sn->gatewayIp) {
                    add(PingTarget::Kind::Outside, QObject::tr("External host \"outside\""),
                        QString::fromStdString(sn->gatewayIp->toString()));
                }
            }
        }
    }
    return out;
}

PingDialog::PingDialog(const model::Cloud& cloud, const QString& instance, QWidget* parent)
    : QDialog(parent), m_target(new QComboBox), m_count(new QSpinBox) {
    setWindowTitle(tr("Ping from %1").arg(instance));
    m_target->setEditable(true);
    m_target->setInsertPolicy(QComboBox::NoInsert);
    for (const PingTarget& t : pingTargets(cloud, instance)) {
        m_target->addItem(QStringLiteral("%1 — %2").arg(t.address, t.label), t.address);
    }
    m_target->setMinimumContentsLength(34);
    m_count->setRange(1, 100);
    m_count->setValue(3);
    auto* form = new QFormLayout(this);
    auto* hint = new QLabel(tr("The frames travel as tokens along the physical view; the flows they "
                               "touch are highlighted in the flow tables."));
    hint->setWordWrap(true);
    form->addRow(hint);
    form->addRow(tr("&Target:"), m_target);
    form->addRow(tr("&Count:"), m_count);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Ping"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QString PingDialog::target() const {
    const int i = m_target->currentIndex();
    if (i >= 0 && m_target->itemText(i) == m_target->currentText()) return m_target->itemData(i).toString();
    // Typed: the first word is the address.
    return m_target->currentText().section(QLatin1Char(' '), 0, 0).trimmed();
}

int PingDialog::count() const { return m_count->value(); }

void PingDialog::setTarget(const QString& address) {
    int i = m_target->findData(address);
    if (i < 0) {
        m_target->addItem(address, address);
        i = m_target->count() - 1;
    }
    m_target->setCurrentIndex(i);
}

void PingDialog::setCount(int count) { m_count->setValue(count); }

}  // namespace nlab::app
