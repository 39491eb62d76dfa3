#pragma once
// NetworkPalette: one colour per tenant network, the same in every view.
//
// What
//   Both graph views (and any dock that wants to) colour a network's VLAN-tagged ports,
//   qr-/tap ports, instance NICs and logical bar with color(networkId).
//
// Design
//   Colours come from a fixed palette of distinct, colour-blind-friendly hues (Okabe-Ito
//   plus a few). sync() hands the first unused colour to each network it has not seen, in
//   id order, so a lab always gets the same colours and adding a network never recolours
//   the others. External networks get one fixed neutral colour. Share one palette between
//   the views (or build each from the same state: the assignment is deterministic).

#include <QColor>
#include <QHash>
#include <QString>

namespace nlab::model {
struct TenantState;
}

namespace nlab::views {

class NetworkPalette {
public:
    /// Assigns colours to the networks of 'state' not yet coloured (id order); keeps the
    /// colours of networks already seen, including ones since deleted.
    void sync(const model::TenantState& state);
    /// The colour of 'networkId'; a neutral grey for unknown ids and "".
    QColor color(const QString& networkId) const;
    /// The colour of external networks.
    static QColor externalColor();
    /// The colour of items belonging to no tenant network.
    static QColor neutralColor();

private:
    QHash<QString, int> m_index;  ///< Network id -> palette index (-1: external).
    int m_next = 0;
};

}  // namespace nlab::views
