#pragma once
// PhysicalGraph: what the physical view shows, read from a Cloud — a value, no Qt items.
//
// What
//   buildPhysicalGraph() walks the engine Lab of a Cloud (nodes, namespaces, devices, OVS
//   bridges and their ports, Linux bridges, veth peers, tunnel ports' remote IPs, the L2
//   segments) and the tenant state (which Neutron port a device belongs to, which network
//   a local VLAN stands for) and describes:
//     - clusters: hosts (network, compute, the "outside" node) and, inside them, the
//       qdhcp-/qrouter- namespaces;
//     - nodes: OVS bridges, Linux bridges (qbr, virbr0), ports and interfaces (tap, qvb,
//       qvo, patch-int/patch-tun, gre-..., qr-, qg-, eth0/eth1/eth2), VMs, and the L2
//       segments between hosts (management, underlay, external);
//     - edges: bridge membership, veth pairs, patch pairs, VM NIC ~ tap, tunnels between
//       hosts (labelled "GRE key=flow remote=10.10.100.140"), NIC ~ segment.
//   Every element has a stable key (see the key functions) so that a scene can diff two
//   graphs and keep the items that did not change.
//
// Design
//   Read-only: it never changes the Lab or the Cloud. Edges are oriented from the guest
//   down to the wire (VM -> tap -> qbr -> qvb -> qvo -> br-int -> patch -> br-tun -> gre)
//   so that a layered layout stacks each host top-down. Device names are unique per node
//   except inside VMs (each guest has an eth0): a VM's NICs are not items of their own,
//   they are the VM.
//
// Invariants
//   Keys are unique per kind; every edge's ends are node keys of the graph; every node's
//   cluster is "" or a cluster key of the graph.

#include "views/graph_layout.h"

#include <QFont>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace nlab::model {
class Cloud;
}

namespace nlab::views {

enum class PhysNodeKind { OvsBridge, LinuxBridge, Port, Interface, Vm, Segment };
enum class PhysClusterKind { NetworkHost, ComputeHost, OutsideHost, Namespace };
enum class PhysEdgeKind { Membership, Veth, Patch, VmNic, Tunnel, Segment };

struct PhysNode {
    QString key;               ///< "bridge:compute/br-int", "dev:compute/qvo8cbe7bb6-18", ...
    PhysNodeKind kind = PhysNodeKind::Interface;
    QString label;             ///< What the item shows ("br-int", "qvo8cbe7bb6-18").
    QString cluster;           ///< Host or namespace cluster key.
    QString node;              ///< Engine node (host) name.
    QString netns;             ///< Namespace of the device ("" : root).
    QString name;              ///< Engine name (device, bridge, port, VM, segment).
    QString detail;            ///< Second line: port type, tag, addresses.
    QString toolTip;
    QString networkId;         ///< Tenant network colouring the item ("" : none).
    std::optional<int> tag;    ///< OVS access VLAN of the port.
    QString portId;            ///< The Neutron port the device realises ("" : none).
    QString instanceId;        ///< VMs and their tap chains: the Nova instance.
    QString routerId;          ///< qr-/qg- devices: their router.
    int tier = 0;              ///< Layer from the guest (0) down to the wire.
    QString underlay;          ///< Tunnel ports: the key of the NIC their packets leave by.
};

struct PhysCluster {
    QString key;               ///< "host:compute", "ns:network/qrouter-040c...".
    PhysClusterKind kind = PhysClusterKind::ComputeHost;
    QString parent;            ///< "" for hosts; the host key for namespaces.
    QString label;
    QString node;
    QString name;              ///< Host or namespace name.
    QString networkId;         ///< qdhcp-: its network.
    QString routerId;          ///< qrouter-: its router.
    QString toolTip;
};

struct PhysEdge {
    QString key;               ///< "edge:<from>|<to>".
    PhysEdgeKind kind = PhysEdgeKind::Membership;
    QString from;
    QString to;
    QString label;             ///< Tunnels: "GRE key=flow remote=..." (one line per end).
    QString networkId;         ///< Colours the edge ("" : neutral).
};

struct PhysicalGraph {
    std::vector<PhysNode> nodes;
    std::vector<PhysCluster> clusters;
    std::vector<PhysEdge> edges;
    QHash<QString, int> nodeIndex;     ///< Node key -> index in 'nodes' (built with the graph).
    QHash<QString, int> clusterIndex;  ///< Cluster key -> index in 'clusters'.

    /// By key, in constant time (null when absent).
    const PhysNode* node(const QString& key) const;
    const PhysCluster* cluster(const QString& key) const;
    /// The graph for GraphLayout, with the item sizes the physical scene draws (GUI
    /// thread: it measures labels) and the hints that keep hosts compact: compute hosts
    /// first, segments as bars, patch pairs side by side, tunnel ports above their NIC, a
    /// host's namespaces stacked in a column beside the bridge they plug into (layout-only
    /// edges, ids "layout:...").
    LayoutGraph toLayoutGraph() const;
};

/// Reads the physical topology of 'cloud' (lab and tenant state), without changing it.
PhysicalGraph buildPhysicalGraph(model::Cloud& cloud);

/// Keys.
QString hostKey(const QString& node);
QString namespaceKey(const QString& node, const QString& ns);
QString bridgeKey(const QString& node, const QString& bridge);
QString deviceKey(const QString& node, const QString& device);
QString vmKey(const QString& node, const QString& vm);
QString segmentKey(const QString& segment);
QString edgeKey(const QString& from, const QString& to);

/// The nominal size of a node of 'kind' (scene units): its height, and a width for a short
/// label. Bars (segments) are stretched by the layout.
QSizeF physNodeSize(PhysNodeKind kind);
/// The size the scene draws 'node' with: as tall as its kind, as wide as its label in
/// physNodeFont() plus the padding, network stripe, icon and tag pill that NodeItem draws
/// (see the physbox constants), never narrower than a minimum per kind. GUI thread.
QSizeF physNodeSize(const PhysNode& node);
/// The font a node's label is drawn with; physNodeTagFont() for its tag pill.
QFont physNodeFont(PhysNodeKind kind);
QFont physNodeTagFont();
/// The font of a frame's title: hosts bold, namespaces ('namespaceFrame') regular and smaller.
QFont physFrameFont(bool namespaceFrame);
/// Whether a node of 'kind' named 'label' shows an icon (bridges, VMs, segments, tunnels).
bool physNodeHasIcon(PhysNodeKind kind, const QString& label);

/// The horizontal anatomy of a node's box, shared by physNodeSize() and NodeItem::paint():
/// | pad | stripe gap | icon gap | label | gap tag | pad |.
namespace physbox {
inline constexpr qreal kPad = 5;          ///< Inside the border, both ends.
inline constexpr qreal kStripe = 6;       ///< The network colour's stripe at the left end.
inline constexpr qreal kGap = 3;          ///< After the stripe and the icon, before the tag.
inline constexpr qreal kTagPad = 7;       ///< Added to the tag text's width.
inline constexpr qreal kIconMax = 18;     ///< Icons are min(height - 6, kIconMax) square.
}  // namespace physbox

/// The names of the L2 segments the agents create between hosts.
QStringList physicalSegmentNames();

}  // namespace nlab::views
