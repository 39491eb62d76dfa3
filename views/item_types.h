#pragma once
// The QGraphicsItem::type() values of the graph views' items, in one place (STYLE rule 29),
// so qgraphicsitem_cast works and no two item classes share a number.

#include <QGraphicsItem>

namespace nlab::views {

enum ItemType : int {
    kFrameItemType = QGraphicsItem::UserType + 1,  ///< FrameItem: a host or namespace group.
    kNodeItemType,                                 ///< NodeItem: bridge, port, VM, segment.
    kEdgeItemType,                                 ///< EdgeItem: a link between two items.
    kTokenItemType,                                ///< TokenItem: an animated frame.
    kNetworkBarItemType,                           ///< NetworkBarItem (logical view).
    kDeviceBoxItemType,                            ///< DeviceBoxItem: router/instance (logical).
    kLinkItemType,                                 ///< LinkItem: port line (logical).
};

/// The data slot (QGraphicsItem::data) holding every graph item's key ("dev:compute/qvo...").
inline constexpr int kItemKeyData = 0;

}  // namespace nlab::views
