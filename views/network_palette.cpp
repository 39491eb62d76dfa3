#include "views/network_palette.h"

#include "model/tenant.h"

#include <array>

namespace nlab::views {

namespace {

// Okabe-Ito's colour-blind-safe hues first, then more distinct ones.
constexpr std::array<QRgb, 12> kColors = {
    0xff0072b2, 0xffe69f00, 0xff009e73, 0xffcc79a7, 0xff56b4e9, 0xffd55e00,
    0xff8e44ad, 0xff2e7d32, 0xffc0392b, 0xff00838f, 0xff6d4c41, 0xff7f8c00,
};

}  // namespace

void NetworkPalette::sync(const model::TenantState& state) {
    for (const auto& [id, net] : state.networks) {
        const QString key = QString::fromStdString(id);
        if (m_index.contains(key)) continue;
        if (net.external) {
            m_index.insert(key, -1);
        } else {
            m_index.insert(key, m_next);
            m_next = (m_next + 1) % static_cast<int>(kColors.size());
        }
    }
}

QColor NetworkPalette::color(const QString& networkId) const {
    const auto it = m_index.constFind(networkId);
    if (it == m_index.constEnd()) return neutralColor();
    if (*it < 0) return externalColor();
    return QColor::fromRgba(kColors[static_cast<std::size_t>(*it)]);
}

QColor NetworkPalette::externalColor() { return QColor(0x5d, 0x40, 0x37); }

QColor NetworkPalette::neutralColor() { return QColor(0x78, 0x90, 0x9c); }

}  // namespace nlab::views
