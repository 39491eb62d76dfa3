#pragma once
// The editing dialogs: a network/subnet dialog, an instance dialog and a name dialog.
//
// What
//   Small QDialogs the EditController opens when something is dropped from the palette.
//   Each validates by trying the edit: on OK it calls its validator (the controller's
//   operation, which pushes the undo command when the Cloud accepts it); when the Cloud
//   refuses, the dialog shows the Cloud's message inline and stays open.
//
// Design
//   Fields are plain widgets with object names ("name", "cidr", "gateway", ...) so tests and
//   scripts can fill them; accept() is the only path that runs the validator.

#include "views/edit/lab_commands.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace nlab::views {

/// Network (name + first subnet) or subnet-only dialog.
class SubnetDialog : public QDialog {
    Q_OBJECT
public:
    /// 'Validator': tries the edit; false with a message keeps the dialog open.
    using Validator =
        std::function<bool(const QString& networkName, const SubnetSpec& subnet, QString* error)>;

    /// 'withNetworkName': a new network (its name is asked); else a subnet of 'networkLabel'.
    SubnetDialog(bool withNetworkName, const QString& networkLabel, QWidget* parent = nullptr);

    void setValidator(Validator validator) { m_validator = std::move(validator); }
    void setNetworkName(const QString& name);
    QString networkName() const;
    void setSpec(const SubnetSpec& spec);
    SubnetSpec spec() const;
    /// The message shown inline ("" when none).
    QString errorText() const;

    void accept() override;

private:
    void updateEnabled();

    Validator m_validator;
    QLineEdit* m_networkName = nullptr;
    QLineEdit* m_name;
    QLineEdit* m_cidr;
    QLineEdit* m_gateway;
    QCheckBox* m_noGateway;
    QCheckBox* m_dhcp;
    QLineEdit* m_poolStart;
    QLineEdit* m_poolEnd;
    QLineEdit* m_dns;
    QLabel* m_error;
};

/// `nova boot` dialog: name, host, network.
class InstanceDialog : public QDialog {
    Q_OBJECT
public:
    using Validator = std::function<bool(const QString& name, const QString& host,
                                         const QString& network, QString* error)>;

    /// 'hosts': compute host names; 'networks': (label, id) pairs of tenant networks.
    InstanceDialog(const QStringList& hosts, const QList<QPair<QString, QString>>& networks,
                   QWidget* parent = nullptr);

    void setValidator(Validator validator) { m_validator = std::move(validator); }
    void setInstanceName(const QString& name);
    /// Selects a host by name ("" : let the scheduler choose).
    void setHost(const QString& host);
    /// Selects a network by id.
    void setNetwork(const QString& networkId);
    QString instanceName() const;
    QString host() const;
    QString network() const;
    QString errorText() const;

    void accept() override;

private:
    Validator m_validator;
    QLineEdit* m_name;
    QComboBox* m_host;
    QComboBox* m_network;
    QLabel* m_error;
};

/// A name (routers).
class NameDialog : public QDialog {
    Q_OBJECT
public:
    using Validator = std::function<bool(const QString& name, QString* error)>;

    NameDialog(const QString& title, const QString& label, QWidget* parent = nullptr);

    void setValidator(Validator validator) { m_validator = std::move(validator); }
    void setName(const QString& name);
    QString name() const;
    QString errorText() const;

    void accept() override;

private:
    Validator m_validator;
    QLineEdit* m_name;
    QLabel* m_error;
};

}  // namespace nlab::views
