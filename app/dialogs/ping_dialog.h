#pragma once
// PingDialog: "Ping..." on an instance — choose a target and a count.
//
// What
//   The targets an instance can usefully ping in a Neutron lab: its subnet's gateway (the
//   router's qr- port), its network's DHCP server, the other instances, the router's
//   external (qg-) address, and the external host "outside" (the external subnet's
//   gateway), each shown with its address; or any address typed in.
//
// Design
//   pingTargets() computes the list from the tenant state (no widgets), so the tests and
//   the dialog agree on it. The dialog only collects the choice; the main window runs ping.

#include <QDialog>
#include <QList>
#include <QString>

class QComboBox;
class QSpinBox;

namespace nlab::model {
class Cloud;
}

namespace nlab::app {

/// One entry of the target chooser.
struct PingTarget {
    enum class Kind { Gateway, DhcpServer, Instance, RouterExternal, Outside };
    Kind kind = Kind::Gateway;
    QString label;    ///< Translated: "Gateway (router1)".
    QString address;  ///< "10.10.10.1".
};

/// The ping targets of instance 'instance' (name or id) in 'cloud', in the order above.
QList<PingTarget> pingTargets(const model::Cloud& cloud, const QString& instance);

class PingDialog : public QDialog {
    Q_OBJECT
public:
    PingDialog(const model::Cloud& cloud, const QString& instance, QWidget* parent = nullptr);

    /// The chosen (or typed) address.
    QString target() const;
    int count() const;
    /// Selects the target with this address (adds it when unknown).
    void setTarget(const QString& address);
    void setCount(int count);
    QComboBox* targetBox() const { return m_target; }

private:
    QComboBox* m_target;
    QSpinBox* m_count;
};

}  // namespace nlab::app
