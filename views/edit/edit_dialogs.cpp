#include "views/edit/edit_dialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace nlab::views {

namespace {

QLabel* makeErrorLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(QStringLiteral("error"));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(QStringLiteral("color: #c0392b;"));
    label->hide();
    return label;
}

QLineEdit* makeLine(QWidget* parent, const char* objectName, const QString& placeholder = {}) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(objectName));
    edit->setPlaceholderText(placeholder);
    return edit;
}

QDialogButtonBox* makeButtons(QDialog* dialog) {
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    return buttons;
}

void showError(QLabel* label, const QString& text) {
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

}  // namespace

// ---- SubnetDialog ----------------------------------------------------------------------

SubnetDialog::SubnetDialog(bool withNetworkName, const QString& networkLabel, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(withNetworkName ? tr("Create Network") : tr("Create Subnet"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    if (withNetworkName) {
        m_networkName = makeLine(this, "networkName");
        form->addRow(tr("Network &name:"), m_networkName);
    } else {
        form->addRow(tr("Network:"), new QLabel(networkLabel, this));
    }
    m_name = makeLine(this, "name");
    form->addRow(tr("&Subnet name:"), m_name);
    m_cidr = makeLine(this, "cidr", tr("e.g. 10.10.10.0/24"));
    form->addRow(tr("Network &address (CIDR):"), m_cidr);
    m_gateway = makeLine(this, "gateway", tr("default: the first host address"));
    form->addRow(tr("&Gateway IP:"), m_gateway);
    m_noGateway = new QCheckBox(tr("Disable gateway"), this);
    m_noGateway->setObjectName(QStringLiteral("noGateway"));
    form->addRow(QString(), m_noGateway);
    m_dhcp = new QCheckBox(tr("Enable &DHCP"), this);
    m_dhcp->setObjectName(QStringLiteral("dhcp"));
    m_dhcp->setChecked(true);
    form->addRow(QString(), m_dhcp);
    m_poolStart = makeLine(this, "poolStart", tr("default: the whole range"));
    form->addRow(tr("Allocation pool &start:"), m_poolStart);
    m_poolEnd = makeLine(this, "poolEnd");
    form->addRow(tr("Allocation pool &end:"), m_poolEnd);
    m_dns = makeLine(this, "dns", tr("comma-separated addresses"));
    form->addRow(tr("DNS name &servers:"), m_dns);
    layout->addLayout(form);
    m_error = makeErrorLabel(this);
    layout->addWidget(m_error);
    layout->addWidget(makeButtons(this));
    connect(m_noGateway, &QCheckBox::toggled, this, &SubnetDialog::updateEnabled);
    updateEnabled();
}

void SubnetDialog::updateEnabled() {
    m_gateway->setEnabled(!m_noGateway->isChecked());
}

void SubnetDialog::setNetworkName(const QString& name) {
    if (m_networkName)
        m_networkName->setText(name);
}

QString SubnetDialog::networkName() const {
    return m_networkName ? m_networkName->text().trimmed() : QString();
}

void SubnetDialog::setSpec(const SubnetSpec& spec) {
    m_name->setText(spec.name);
    m_cidr->setText(spec.cidr);
    m_gateway->setText(spec.gateway);
    m_noGateway->setChecked(spec.noGateway);
    m_dhcp->setChecked(spec.enableDhcp);
    m_poolStart->setText(spec.poolStart);
    m_poolEnd->setText(spec.poolEnd);
    m_dns->setText(spec.dnsNameservers.join(QStringLiteral(", ")));
}

SubnetSpec SubnetDialog::spec() const {
    SubnetSpec s;
    s.name = m_name->text().trimmed();
    s.cidr = m_cidr->text().trimmed();
    s.gateway = m_gateway->text().trimmed();
    s.noGateway = m_noGateway->isChecked();
    s.enableDhcp = m_dhcp->isChecked();
    s.poolStart = m_poolStart->text().trimmed();
    s.poolEnd = m_poolEnd->text().trimmed();
    for (const QString& part : m_dns->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            s.dnsNameservers << part.trimmed();
    }
    return s;
}

QString SubnetDialog::errorText() const {
    return m_error->text();
}

void SubnetDialog::accept() {
    QString error;
    if (m_validator && !m_validator(networkName(), spec(), &error)) {
        showError(m_error, error.isEmpty() ? tr("The edit failed") : error);
        return;
    }
    showError(m_error, {});
    QDialog::accept();
}

// ---- InstanceDialog ------------------------------------------------------------------

InstanceDialog::InstanceDialog(const QStringList& hosts,
                               const QList<QPair<QString, QString>>& networks, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Launch Instance"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_name = makeLine(this, "name");
    form->addRow(tr("Instance &name:"), m_name);
    m_host = new QComboBox(this);
    m_host->setObjectName(QStringLiteral("host"));
    m_host->addItem(tr("(any compute host)"), QString());
    for (const QString& h : hosts)
        m_host->addItem(h, h);
    form->addRow(tr("&Host:"), m_host);
    m_network = new QComboBox(this);
    m_network->setObjectName(QStringLiteral("network"));
    for (const auto& [label, id] : networks)
        m_network->addItem(label, id);
    form->addRow(tr("Ne&twork:"), m_network);
    layout->addLayout(form);
    m_error = makeErrorLabel(this);
    layout->addWidget(m_error);
    layout->addWidget(makeButtons(this));
}

void InstanceDialog::setInstanceName(const QString& name) {
    m_name->setText(name);
}

void InstanceDialog::setHost(const QString& host) {
    const int i = m_host->findData(host);
    if (i >= 0)
        m_host->setCurrentIndex(i);
}

void InstanceDialog::setNetwork(const QString& networkId) {
    const int i = m_network->findData(networkId);
    if (i >= 0)
        m_network->setCurrentIndex(i);
}

QString InstanceDialog::instanceName() const {
    return m_name->text().trimmed();
}
QString InstanceDialog::host() const {
    return m_host->currentData().toString();
}
QString InstanceDialog::network() const {
    return m_network->currentData().toString();
}
QString InstanceDialog::errorText() const {
    return m_error->text();
}

void InstanceDialog::accept() {
    QString error;
    if (m_validator && !m_validator(instanceName(), host(), network(), &error)) {
        showError(m_error, error.isEmpty() ? tr("The edit failed") : error);
        return;
    }
    showError(m_error, {});
    QDialog::accept();
}

// ---- NameDialog ----------------------------------------------------------------------

NameDialog::NameDialog(const QString& title, const QString& label, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(title);
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_name = makeLine(this, "name");
    form->addRow(label, m_name);
    layout->addLayout(form);
    m_error = makeErrorLabel(this);
    layout->addWidget(m_error);
    layout->addWidget(makeButtons(this));
}

void NameDialog::setName(const QString& name) {
    m_name->setText(name);
}
QString NameDialog::name() const {
    return m_name->text().trimmed();
}
QString NameDialog::errorText() const {
    return m_error->text();
}

void NameDialog::accept() {
    QString error;
    if (m_validator && !m_validator(name(), &error)) {
        showError(m_error, error.isEmpty() ? tr("The edit failed") : error);
        return;
    }
    showError(m_error, {});
    QDialog::accept();
}

}  // namespace nlab::views
