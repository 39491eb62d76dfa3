#pragma once
// LogicalScene: the tenant's view of the lab, like Horizon's network topology — the
// external network, routers, networks as vertical bars with their subnets, and instances
// attached by lines with their IPs.
//
// What
//   One NetworkBarItem per network (external ones first), one DeviceBoxItem per router and
//   instance, one LinkItem per port joining them (router interfaces and gateways, instance
//   NICs; DHCP and floating-IP ports are the agents' business and are not drawn). Network
//   colours come from the NetworkPalette shared with the physical view.
//
// Design
//   Horizon's layout: bars side by side at the left, devices one per row at the right,
//   each port a horizontal line from its device to its network's bar. No Graphviz: the
//   layout is a function of the order objects were first seen, so it is instant and stable
//   (a new network is a new bar at the right end, a new device a new row at the bottom;
//   nothing else moves). Selection follows the shared SelectionModel both ways; physical
//   selections (a device, a bridge, a namespace) map to their tenant object through the
//   Neutron port a device name carries (tap/qvb/qvo/qbr/qr-/qg- + port id prefix) and the
//   namespace names (qrouter-ROUTER, qdhcp-NETWORK).

#include "views/selection_model.h"

#include <QGraphicsScene>
#include <QHash>
#include <QSet>
#include <QStringList>

#include <memory>

namespace nlab::model {
class Cloud;
}

namespace nlab::views {

class DeviceBoxItem;
class LinkItem;
class NetworkBarItem;
class NetworkPalette;

class LogicalScene : public QGraphicsScene {
    Q_OBJECT
public:
    /// As PhysicalScene: 'cloud' may be null; 'selection' and 'palette' shared, not owned.
    explicit LogicalScene(model::Cloud* cloud, SelectionModel* selection = nullptr,
                          NetworkPalette* palette = nullptr, QObject* parent = nullptr);
    ~LogicalScene() override;

    void setCloud(model::Cloud* cloud);
    model::Cloud* cloud() const { return m_cloud; }
    SelectionModel* selectionModel() const { return m_selection; }
    NetworkPalette* palette() const { return m_palette; }

    /// Re-reads the tenant state (synchronous; existing items keep their place).
    void rebuild();

    /// Keys: "net:ID", "router:ID", "instance:ID", "link:PORT_ID".
    static QString networkKey(const QString& id);
    static QString routerKey(const QString& id);
    static QString instanceKey(const QString& id);
    static QString linkKey(const QString& portId);

    NetworkBarItem* networkItem(const QString& networkId) const;
    DeviceBoxItem* routerItem(const QString& routerId) const;
    DeviceBoxItem* instanceItem(const QString& instanceId) const;
    LinkItem* linkItem(const QString& portId) const;
    QGraphicsItem* itemForKey(const QString& key) const;
    /// Keys of the highlighted items, sorted.
    QStringList highlightedKeys() const;
    /// The tenant object a selection stands for (a physical device -> its port's instance,
    /// router or network); empty when none.
    SelectionRef tenantObjectFor(const SelectionRef& ref) const;

    /// The topology as DOT text (networks, routers, instances, ports as edges).
    QString toDot() const;

signals:
    void rebuilt();

private:
    void onSceneSelectionChanged();
    void applySelection(const SelectionRef& ref);
    void clearItems();

    model::Cloud* m_cloud;
    SelectionModel* m_selection;
    NetworkPalette* m_palette;
    std::unique_ptr<SelectionModel> m_ownSelection;
    std::unique_ptr<NetworkPalette> m_ownPalette;
    QStringList m_networkOrder;   ///< Network ids, first seen first.
    QStringList m_deviceOrder;    ///< Device keys, first seen first.
    QHash<QString, NetworkBarItem*> m_networks;  ///< By network id.
    QHash<QString, DeviceBoxItem*> m_devices;    ///< By device key.
    QHash<QString, LinkItem*> m_links;           ///< By port id.
    QHash<QString, QString> m_linkNetwork;       ///< Port id -> network id.
    QHash<QString, QString> m_linkDevice;        ///< Port id -> device key.
    QSet<QString> m_highlighted;
    bool m_syncing = false;
};

}  // namespace nlab::views
