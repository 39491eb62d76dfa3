#pragma once
// Icons: one SVG per item kind (resources/icons/*.svg, compiled in through icons.qrc),
// rendered crisply at any size and device pixel ratio.

#include <QIcon>
#include <QPixmap>
#include <QString>

namespace nlab::views {

enum class IconKind {
    Host, NetworkNode, ComputeNode, OvsBridge, LinuxBridge, Port, Namespace, Router, Network,
    Instance, ExternalNetwork, Tunnel,
};

/// The resource path of an icon (":/icons/ovs_bridge.svg").
QString iconPath(IconKind kind);
/// The icon as a QIcon (scales from the SVG; for actions, palettes, tree views).
QIcon icon(IconKind kind);
/// The icon rendered at 'logicalSize' pixels for device pixel ratio 'dpr' (cached).
QPixmap iconPixmap(IconKind kind, int logicalSize, qreal dpr = 1.0);

}  // namespace nlab::views
