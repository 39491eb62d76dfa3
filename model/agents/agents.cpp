// Agents: the Neutron (Icehouse) OVS, DHCP and L3 agents and Nova's libvirt VIF driver,
// realising the TenantState in the engine.
//
// Notes on what each step follows (Icehouse sources):
//   - OVS agent, neutron/plugins/openvswitch/agent/ovs_neutron_agent.py:
//     setup_integration_br(): br-int in secure mode, remove_all_flows(), then
//       "priority=1 actions=normal".
//     setup_tunnel_br(): br-tun reset, the patch-int/patch-tun pair, remove_all_flows(), then
//       the base flows in tables 0, 1, 2/3 (TUN_TABLE per tunnel type), 10 (learn), 20, 21.
//     setup_tunnel_port(): gre-<remote ip hex> with in_key=flow, out_key=flow, local_ip and
//       remote_ip; "table=0,priority=1,in_port=N actions=resubmit(,TUN_TABLE)"; the flood
//       flows of every local VLAN of that tunnel type are rewritten to output to all tunnels.
//     provision_local_vlan(): mod_flow(table=21, dl_vlan=LV, actions=strip_vlan,
//       set_tunnel:SEG,output:PORTS) -- a modify that selects nothing adds the flow at the
//       default priority, which is why the article's dump shows no "priority=" for it -- and
//       add_flow(table=TUN_TABLE, priority=1, tun_id=SEG, actions=mod_vlan_vid:LV,resubmit(,10)).
//     reclaim_local_vlan(): delete_flows(table=TUN_TABLE, tun_id=SEG), delete_flows(dl_vlan=LV).
//     port_bound(): the port's tag is the network's local VLAN.
//   - DHCP agent, neutron/agent/dhcp_agent.py and linux/dhcp.py: namespace qdhcp-<network>,
//     the interface driver plugs tap<port[:11]> into br-int (type internal) in that namespace
//     with the port's MAC and fixed IP/prefix; a default route via the subnet's gateway
//     (DeviceManager._set_default_route); dnsmasq with one host-file line per port address
//     ("host-10-10-10-7"), router option = gateway, DNS servers as given.
//   - L3 agent, neutron/agent/l3_agent.py: namespace qrouter-<router>, net.ipv4.ip_forward=1,
//     qr-<port[:11]> on br-int (internal_network_added), qg-<port[:11]> on br-ex
//     (external_network_bridge, external_gateway_added) with the default route via the
//     external subnet's gateway, SNAT of each internal CIDR to the gateway address when
//     enable_snat, floating IPs as DNAT/SNAT pairs with the address (/32) on qg-.
//   - Nova, nova/virt/libvirt/vif.py plug_ovs_hybrid(): qbr<port[:11]> (brctl addbr, setfd 0,
//     stp off), `ip link add qvb type veth peer name qvo` (the kernel registers the peer
//     first: qvo gets the lower ifindex), qvb into qbr, qvo into br-int with external-ids; then
//     libvirt creates tap<port[:11]> and adds it to qbr.
//
// Simplifications (deliberate): no gratuitous ARPs from qr-/qg- (the article's learned
// table-20 flows come from its pings only); ports of a flat network are not bound by the OVS
// agent (the seed's external network has no bridge mapping): a DHCP port of a flat network
// sits untagged on br-ex, and a VM port on one is refused; one DHCP server per network, for the
// subnet of the DHCP port's first fixed IP.
#include "model/agents/agents.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <vector>

#include "engine/console/shell.h"
#include "engine/flow/ofctl_parse.h"
#include "engine/lab/vm.h"
#include "engine/net/l2_segment.h"
#include "engine/net/linux_bridge.h"
#include "engine/services/dhcp_server.h"
#include "engine/services/nat.h"

namespace nlab::model {

using engine::ErrorCode;
using engine::Status;

namespace {

constexpr std::uint16_t kPatchOfport = 1;   // patch-int on br-tun, patch-tun on br-int
constexpr int kMaxVlan = 4094;

Status fail(ErrorCode code, std::string message) { return Status::fail(code, std::move(message)); }

/// Applies one ovs-ofctl style flow-mod to 'br'.
Status flowMod(engine::OvsBridge& br, engine::FlowMod::Command cmd, const std::string& text) {
    try {
        const engine::FlowMod mod = engine::parseFlowMod(text, cmd);
        auto r = br.applyFlowMod(mod);
        if (!r) return r.error();
        return {};
    } catch (const engine::ParseError& e) {
        return fail(ErrorCode::InvalidArgument, br.name() + ": " + text + ": " + e.what());
    }
}

Status addFlow(engine::OvsBridge& br, const std::string& text) {
    return flowMod(br, engine::FlowMod::Command::Add, text);
}

std::string hex8(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", v);
    return buf;
}

std::string hexId(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", v);
    return buf;
}

bool isTunnel(NetworkType t) { return t == NetworkType::Gre || t == NetworkType::Vxlan; }
int tunTable(NetworkType t) { return t == NetworkType::Vxlan ? 3 : 2; }


}  // namespace

struct Agents::Impl {
    /// What the OVS agent and the host setup hold per host.
    struct HostRt {
        std::string name;
        HostRole role = HostRole::Compute;
        std::uint32_t dataIp = 0;
        engine::Node* node = nullptr;
        engine::OvsBridge* brInt = nullptr;
        engine::OvsBridge* brTun = nullptr;
        engine::OvsBridge* brEx = nullptr;
        std::map<std::string, int> vlans;                         // network id -> local VLAN
        std::map<std::string, std::set<std::string>> boundPorts;  // network id -> port ids
        std::map<std::string, NetworkType> vlanTypes;             // network id -> type
        std::map<std::string, std::uint32_t> vlanSegs;            // network id -> tun_id
        // Tunnel ports per type: remote IP -> ofport.
        std::map<NetworkType, std::map<std::uint32_t, std::uint32_t>> tunnels;
    };
    struct DhcpRt {
        std::string host;
        std::string portId;
        std::string subnetId;
        std::string tapName;
        engine::NetNamespace* ns = nullptr;
        bool bound = false;                     // on br-int with a local VLAN (else br-ex)
        std::unique_ptr<engine::DhcpServer> server;
        std::uint32_t routeGateway = 0;         // the default route installed (0: none)
    };
    struct RouterPortRt {
        std::string networkId;
        std::string device;
        std::uint32_t address = 0;
        int prefix = 0;
    };
    struct RouterRt {
        std::string host;
        engine::NetNamespace* ns = nullptr;
        std::map<std::string, RouterPortRt> qr;    // port id -> plug
        std::string qgPort;
        RouterPortRt qg;
        std::uint32_t defaultGateway = 0;
        std::unique_ptr<engine::Nat> nat;
        std::set<std::pair<std::uint32_t, int>> snatSubnets;
        std::map<std::uint32_t, std::uint32_t> floating;  // floating -> fixed
    };
    struct VifRt {
        std::string portId;
        std::string networkId;
        std::string qbr, qvb, qvo, tap;
    };
    struct VmRt {
        std::string host;
        std::unique_ptr<engine::Vm> vm;
        std::vector<VifRt> vifs;
    };

    Impl(engine::Lab& l, const TenantState& s) : lab(l), state(s) {}

    engine::Lab& lab;
    const TenantState& state;
    std::map<std::string, HostRt, std::less<>> hosts;
    std::vector<std::string> hostOrder;
    std::map<std::string, DhcpRt, std::less<>> dhcp;       // network id
    std::map<std::string, RouterRt, std::less<>> routers;  // router id
    std::map<std::string, VmRt, std::less<>> vms;          // instance name
    engine::Node* outside = nullptr;
    std::uint32_t outsideAddress = 0;
    int outsidePrefix = 0;

    // ---------------------------------------------------------------- helpers

    HostRt* hostRt(std::string_view name) {
        auto it = hosts.find(name);
        return it == hosts.end() ? nullptr : &it->second;
    }

    /// The host of the network-side agents (DHCP, L3): 'preferred' when it is a known host,
    /// else the first network-role host, else the first host.
    HostRt* agentHost(std::string_view preferred) {
        if (HostRt* h = hostRt(preferred)) return h;
        for (const std::string& n : hostOrder) {
            if (hosts.at(n).role == HostRole::Network) return &hosts.at(n);
        }
        return hostOrder.empty() ? nullptr : &hosts.at(hostOrder.front());
    }

    engine::L2Segment* segment(const std::string& name) {
        if (engine::L2Segment* s = lab.segment(name)) return s;
        return lab.addSegment(name).value();
    }

    std::uint64_t deviceMac(const std::string& host, const std::string& device) const {
        const Host* h = state.host(host);
        if (!h) return 0;
        auto it = h->deviceMacs.find(device);
        return it == h->deviceMacs.end() ? 0 : it->second.toU64();
    }

    const Subnet* subnetOfIp(const Port& port, std::size_t index = 0) const {
        if (port.fixedIps.size() <= index) return nullptr;
        return state.subnet(port.fixedIps[index].subnetId);
    }

    // ---------------------------------------------------------------- hosts

    Status addHost(const Host& host) {
        if (hosts.count(host.name)) {
            return fail(ErrorCode::AlreadyExists, "host " + host.name + " already exists");
        }
        auto nodeR = lab.addNode(host.name);
        if (!nodeR) return nodeR.error();
        engine::Node& node = *nodeR.value();
        HostRt rt;
        rt.name = host.name;
        rt.role = host.role;
        rt.dataIp = host.dataIp.toU32();
        rt.node = &node;

        // eth0: management; eth1: data network, the tunnel endpoint.
        engine::NetDevice& eth0 = node.createDevice("eth0", engine::DeviceKind::Ethernet,
                                                    host.managementMac.toU64());
        if (auto r = segment("management")->attach(eth0); !r) return r.error();
        if (host.managementIp.toU32() != 0) {
            if (auto s = node.root().addAddress("eth0", host.managementIp.toU32(),
                                                host.prefixLength); !s) return s;
        }
        engine::NetDevice& eth1 =
            node.createDevice("eth1", engine::DeviceKind::Ethernet, host.dataMac.toU64());
        if (auto r = segment("underlay")->attach(eth1); !r) return r.error();
        if (auto s = node.root().addAddress("eth1", rt.dataIp, host.prefixLength); !s) return s;
        node.setTunnelEndpoint(rt.dataIp);

        // The network host's external NIC (eth2) on the external wire.
        engine::NetDevice* ext = nullptr;
        if (host.role == HostRole::Network) {
            ext = &node.createDevice(host.externalNic, engine::DeviceKind::Ethernet,
                                     deviceMac(host.name, host.externalNic));
            if (auto r = segment("external")->attach(*ext); !r) return r.error();
        }
        // The kernel's datapath device, created with the first bridge (down, as `ip link`
        // shows it).
        node.createDevice("ovs-system", engine::DeviceKind::OvsSystem,
                          deviceMac(host.name, "ovs-system"))
            .setUp(false);
        // br-ex exists before the agents start (the admin's `ovs-vsctl add-br br-ex`): a
        // standalone bridge with its NORMAL rule and eth2 as a system port.
        if (ext) {
            auto br = node.addOvsBridge("br-ex", engine::OvsBridge::FailMode::Standalone,
                                        deviceMac(host.name, "br-ex"));
            if (!br) return br.error();
            rt.brEx = br.value();
            if (auto r = node.addOvsSystemPort(*rt.brEx, *ext); !r) return r.error();
        }

        // setup_integration_br(): secure, all flows removed, NORMAL at priority 1.
        auto brInt = node.addOvsBridge("br-int", engine::OvsBridge::FailMode::Secure,
                                       deviceMac(host.name, "br-int"));
        if (!brInt) return brInt.error();
        rt.brInt = brInt.value();
        rt.brInt->clearFlows();
        if (auto s = addFlow(*rt.brInt, "priority=1,actions=normal"); !s) return s;

        // setup_tunnel_br(): a fresh bridge (standalone: no fail_mode shown), the patch
        // pair, every flow removed, then the base flows.
        auto brTun = node.addOvsBridge("br-tun", engine::OvsBridge::FailMode::Standalone,
                                       deviceMac(host.name, "br-tun"));
        if (!brTun) return brTun.error();
        rt.brTun = brTun.value();
        if (auto s = node.addOvsPatchPair(*rt.brInt, "patch-tun", *rt.brTun, "patch-int",
                                          kPatchOfport, kPatchOfport); !s) return s;
        rt.brTun->clearFlows();
        if (auto s = addTunnelBaseFlows(*rt.brTun); !s) return s;

        // libvirt's default network on compute hosts.
        if (host.libvirtDefaultNetwork) {
            auto virbr = node.addLinuxBridge("virbr0");
            if (!virbr) return virbr.error();
            virbr.value()->setStpEnabled(true);
            if (std::uint64_t m = deviceMac(host.name, "virbr0")) virbr.value()->device().setMac(m);
            if (auto s = node.root().addAddress("virbr0",
                                                Ipv4Address::fromOctets(192, 168, 122, 1).toU32(),
                                                24); !s) return s;
        }

        hosts.emplace(host.name, std::move(rt));
        hostOrder.push_back(host.name);

        // Tunnels between the new host and every existing one (tunnel_sync on the new
        // agent, tunnel_update on the others). GRE always (the lab's tunnel_types); VXLAN
        // ports once a VXLAN network is in use.
        std::set<NetworkType> types{NetworkType::Gre};
        for (const std::string& n : hostOrder) {
            for (const auto& [t, ports] : hosts.at(n).tunnels) {
                if (!ports.empty()) types.insert(t);
            }
        }
        for (NetworkType t : types) {
            if (auto s = ensureTunnels(t); !s) return s;
        }
        return {};
    }

    static Status addTunnelBaseFlows(engine::OvsBridge& br) {
        const std::string patch = std::to_string(kPatchOfport);
        const std::vector<std::string> flows = {
            "table=0,priority=1,in_port=" + patch + ",actions=resubmit(,1)",
            "table=0,priority=0,actions=drop",
            "table=1,priority=1,dl_dst=00:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,20)",
            "table=1,priority=1,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=resubmit(,21)",
            "table=2,priority=0,actions=drop",
            "table=3,priority=0,actions=drop",
            "table=10,priority=1,actions=learn(table=20,priority=1,hard_timeout=300,"
            "NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
            "load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],"
            "output:NXM_OF_IN_PORT[]),output:" + patch,
            "table=20,priority=0,actions=resubmit(,21)",
            "table=21,priority=0,actions=drop",
        };
        for (const std::string& f : flows) {
            if (auto s = addFlow(br, f); !s) return s;
        }
        return {};
    }

    /// Tunnel ports of type 't' between every pair of hosts that lack one.
    Status ensureTunnels(NetworkType t) {
        for (const std::string& a : hostOrder) {
            for (const std::string& b : hostOrder) {
                if (a == b) continue;
                HostRt& from = hosts.at(a);
                const HostRt& to = hosts.at(b);
                if (from.tunnels[t].count(to.dataIp)) continue;
                if (auto s = addTunnelPort(from, to.dataIp, t); !s) return s;
            }
        }
        return {};
    }

    Status addTunnelPort(HostRt& h, std::uint32_t remote, NetworkType t) {
        engine::PortConfig c;
        c.name = std::string(t == NetworkType::Vxlan ? "vxlan-" : "gre-") + hex8(remote);
        c.type = t == NetworkType::Vxlan ? engine::PortType::Vxlan : engine::PortType::Gre;
        c.remoteIp = remote;
        c.localIp = h.dataIp;
        auto r = h.brTun->addPort(c);
        if (!r) return r.error();
        h.tunnels[t][remote] = r.value();
        if (auto s = addFlow(*h.brTun, "table=0,priority=1,in_port=" + std::to_string(r.value()) +
                                           ",actions=resubmit(," +
                                           std::to_string(tunTable(t)) + ")");
            !s) {
            return s;
        }
        // The flood flows of every local VLAN of this type now output to the new port too.
        for (const auto& [net, lv] : h.vlans) {
            if (h.vlanTypes.at(net) != t) continue;
            if (auto s = modFloodFlow(h, lv, h.vlanSegs.at(net), t); !s) return s;
        }
        return {};
    }

    /// mod_flow(table=21, dl_vlan=LV, actions=strip_vlan,set_tunnel:SEG,output:PORTS).
    Status modFloodFlow(HostRt& h, int lv, std::uint32_t seg, NetworkType t) {
        std::string ports;
        for (const auto& [remote, ofport] : sortedTunnelPorts(h, t)) {
            (void)remote;
            ports += (ports.empty() ? "" : ",") + std::string("output:") + std::to_string(ofport);
        }
        if (ports.empty()) return {};
        return flowMod(*h.brTun, engine::FlowMod::Command::Modify,
                       "table=21,dl_vlan=" + std::to_string(lv) +
                           ",actions=strip_vlan,set_tunnel:" + hexId(seg) + "," + ports);
    }

    /// Tunnel ports of type 't' by OpenFlow port number.
    static std::vector<std::pair<std::uint32_t, std::uint32_t>> sortedTunnelPorts(HostRt& h,
                                                                                   NetworkType t) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> v(h.tunnels[t].begin(),
                                                               h.tunnels[t].end());
        std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
        return v;
    }

    // ---------------------------------------------------------------- OVS agent: local VLANs

    std::optional<int> pinnedVlan(const std::string& host, const std::string& networkId) const {
        const Host* h = state.host(host);
        if (!h) return std::nullopt;
        if (auto it = h->localVlans.find(networkId); it != h->localVlans.end()) return it->second;
        if (const Network* n = state.network(networkId)) {
            if (auto it = h->localVlans.find(n->name); it != h->localVlans.end()) return it->second;
        }
        return std::nullopt;
    }

    /// A pin names a network (by id or name); true when it names another network than 'net'.
    bool pinnedToOther(const Host& h, int vlan, const std::string& net) const {
        for (const auto& [key, v] : h.localVlans) {
            if (v != vlan) continue;
            const Network* n = state.network(key);
            if (!n || n->id != net) return true;
        }
        return false;
    }

    /// The OVS agent binds 'portId' of network 'net' on 'h': provisions the network's local
    /// VLAN and br-tun flows when it is the network's first port there. Returns the VLAN.
    engine::Result<int> bindPort(HostRt& h, const std::string& portId, const Network& net) {
        auto existing = h.vlans.find(net.id);
        if (existing != h.vlans.end()) {
            h.boundPorts[net.id].insert(portId);
            return existing->second;
        }
        std::set<int> used;
        for (const auto& [n, v] : h.vlans) used.insert(v);
        int lv = 0;
        if (auto pin = pinnedVlan(h.name, net.id); pin && !used.count(*pin) && *pin >= 1 &&
                                                    *pin <= kMaxVlan) {
            lv = *pin;
        } else {
            const Host* host = state.host(h.name);
            for (int v = 1; v <= kMaxVlan; ++v) {
                if (used.count(v) || (host && pinnedToOther(*host, v, net.id))) continue;
                lv = v;
                break;
            }
        }
        if (lv == 0) {
            return engine::Result<int>::fail(ErrorCode::LimitExceeded,
                                             "no free local VLAN on " + h.name);
        }
        h.vlans[net.id] = lv;
        h.vlanTypes[net.id] = net.type;
        h.vlanSegs[net.id] = net.segmentationId;
        h.boundPorts[net.id].insert(portId);
        if (isTunnel(net.type)) {
            if (net.type == NetworkType::Vxlan) {
                if (auto s = ensureTunnels(NetworkType::Vxlan); !s) return s.error();
            }
            if (auto s = modFloodFlow(h, lv, net.segmentationId, net.type); !s) return s.error();
            if (auto s = addFlow(*h.brTun, "table=" + std::to_string(tunTable(net.type)) +
                                               ",priority=1,tun_id=" + hexId(net.segmentationId) +
                                               ",actions=mod_vlan_vid:" + std::to_string(lv) +
                                               ",resubmit(,10)");
                !s) {
                return s.error();
            }
        }
        return lv;
    }

    /// The port leaves 'h': when it was its network's last port there, the flows go and the
    /// VLAN is free again (reclaim_local_vlan).
    Status unbindPort(HostRt& h, const std::string& portId, const std::string& net) {
        auto bp = h.boundPorts.find(net);
        if (bp == h.boundPorts.end()) return {};
        bp->second.erase(portId);
        if (!bp->second.empty()) return {};
        h.boundPorts.erase(bp);
        auto it = h.vlans.find(net);
        if (it == h.vlans.end()) return {};
        const int lv = it->second;
        const NetworkType type = h.vlanTypes.at(net);
        const std::uint32_t seg = h.vlanSegs.at(net);
        h.vlans.erase(it);
        h.vlanTypes.erase(net);
        h.vlanSegs.erase(net);
        if (isTunnel(type)) {
            if (auto s = flowMod(*h.brTun, engine::FlowMod::Command::Delete,
                                 "table=" + std::to_string(tunTable(type)) + ",tun_id=" + hexId(seg));
                !s) {
                return s;
            }
            if (auto s = flowMod(*h.brTun, engine::FlowMod::Command::Delete,
                                 "dl_vlan=" + std::to_string(lv));
                !s) {
                return s;
            }
        }
        return {};
    }

    // ---------------------------------------------------------------- DHCP agent

    Status plugDhcp(const Port& port) {
        const Network* net = state.network(port.networkId);
        if (!net) return fail(ErrorCode::NotFound, "network " + port.networkId + " not found");
        HostRt* h = agentHost(port.hostId);
        if (!h) return fail(ErrorCode::NotFound, "no host for the DHCP agent");
        auto existing = dhcp.find(net->id);
        if (existing != dhcp.end() && existing->second.portId != port.id) {
            // One DHCP port per network and agent; a second one replaces the first.
            if (auto s = unplugDhcp(net->id); !s) return s;
            existing = dhcp.end();
        }
        if (existing == dhcp.end()) {
            DhcpRt rt;
            rt.host = h->name;
            rt.portId = port.id;
            rt.tapName = port.deviceName("tap");
            const std::string nsName = "qdhcp-" + net->id;
            rt.ns = h->node->netns(nsName);
            if (!rt.ns) {
                auto ns = h->node->addNamespace(nsName);
                if (!ns) return ns.error();
                rt.ns = ns.value();
            }
            std::optional<std::uint16_t> tag;
            engine::OvsBridge* br = h->brInt;
            if (isTunnel(net->type)) {
                auto lv = bindPort(*h, port.id, *net);
                if (!lv) return lv.error();
                tag = static_cast<std::uint16_t>(lv.value());
                rt.bound = true;
            } else if (h->brEx) {
                br = h->brEx;
            }
            auto dev = h->node->addOvsInternalPort(*br, rt.tapName, tag, rt.ns,
                                                   port.macAddress.toU64());
            if (!dev) {
                if (rt.bound) (void)unbindPort(*h, port.id, net->id);
                return dev.error();
            }
            existing = dhcp.emplace(net->id, std::move(rt)).first;
        }
        return syncDhcp(net->id);
    }

    /// Address, route and dnsmasq configuration of a network's DHCP port, from the state.
    /// 'exclude' holds ports about to be deleted (reload_allocations after port_delete_end).
    Status syncDhcp(const std::string& networkId, const std::set<std::string>& exclude = {}) {
        auto it = dhcp.find(networkId);
        if (it == dhcp.end()) return {};
        DhcpRt& rt = it->second;
        const Port* port = state.port(rt.portId);
        if (!port) return {};
        const Subnet* subnet = subnetOfIp(*port);
        const std::string subnetId = subnet ? subnet->id : std::string();

        // Addresses: exactly the port's fixed IPs with their subnets' prefixes.
        std::set<std::pair<std::uint32_t, int>> want;
        for (const FixedIp& ip : port->fixedIps) {
            if (const Subnet* s = state.subnet(ip.subnetId)) {
                want.insert({ip.ipAddress.toU32(), s->cidr.prefixLength});
            }
        }
        for (const engine::InterfaceAddress& a : rt.ns->addresses()) {
            if (!want.count({a.address, a.prefixLength})) {
                (void)rt.ns->delAddress(rt.tapName, a.address, a.prefixLength);
            }
        }
        for (const auto& [addr, prefix] : want) {
            if (!rt.ns->isLocalAddress(addr)) {
                if (auto s = rt.ns->addAddress(rt.tapName, addr, prefix); !s) return s;
            }
        }
        // Default route via the subnet's gateway.
        const std::uint32_t gw = subnet && subnet->gatewayIp ? subnet->gatewayIp->toU32() : 0;
        if (rt.routeGateway != gw) {
            if (rt.routeGateway) (void)rt.ns->delRoute(0, 0);
            rt.routeGateway = 0;
            if (gw) {
                engine::Route r;
                r.gateway = gw;
                r.device = rt.tapName;
                if (rt.ns->addRoute(r)) rt.routeGateway = gw;
            }
        }

        // dnsmasq: (re)started when its configuration changes, hosts updated in place.
        if (!subnet || !subnet->enableDhcp || port->fixedIps.empty()) {
            rt.server.reset();
            rt.ns->unbindUdp(67);
            rt.subnetId.clear();
            return {};
        }
        engine::DhcpServerConfig cfg;
        cfg.interface = rt.tapName;
        cfg.serverMac = port->macAddress;
        cfg.serverAddress = port->fixedIps.front().ipAddress;
        cfg.prefixLength = subnet->cidr.prefixLength;
        cfg.router = subnet->gatewayIp;
        cfg.dnsServers = subnet->dnsNameservers;
        const bool restart = !rt.server || rt.subnetId != subnetId ||
                             rt.server->config().serverAddress != cfg.serverAddress ||
                             rt.server->config().serverMac != cfg.serverMac ||
                             rt.server->config().prefixLength != cfg.prefixLength ||
                             rt.server->config().router != cfg.router ||
                             rt.server->config().dnsServers != cfg.dnsServers;
        if (restart) {
            rt.server = std::make_unique<engine::DhcpServer>(lab.clock(), cfg);
            rt.subnetId = subnetId;
            if (auto s = rt.server->attach(*rt.ns); !s) return s;
        }
        std::map<MacAddress, Ipv4Address> hostsWanted;
        for (const Port* p : state.portsOf(networkId)) {
            if (exclude.count(p->id)) continue;
            for (const FixedIp& ip : p->fixedIps) {
                if (ip.subnetId != subnetId || ip.ipAddress == cfg.serverAddress) continue;
                hostsWanted.emplace(p->macAddress, ip.ipAddress);
                break;
            }
        }
        for (const engine::DhcpHost& dh : rt.server->hosts()) {
            auto w = hostsWanted.find(dh.mac);
            if (w == hostsWanted.end() || w->second != dh.address) rt.server->removeHost(dh.mac);
        }
        std::set<MacAddress> have;
        for (const engine::DhcpHost& dh : rt.server->hosts()) have.insert(dh.mac);
        for (const auto& [mac, addr] : hostsWanted) {
            if (have.count(mac)) continue;
            std::string name = "host-" + addr.toString();
            std::replace(name.begin(), name.end(), '.', '-');
            if (auto s = rt.server->addHost({mac, addr, name}); !s) return s;
        }
        return {};
    }

    Status unplugDhcp(const std::string& networkId) {
        auto it = dhcp.find(networkId);
        if (it == dhcp.end()) return {};
        DhcpRt& rt = it->second;
        HostRt& h = hosts.at(rt.host);
        rt.server.reset();
        for (engine::OvsBridge* br : {h.brInt, h.brEx}) {
            if (br && br->portByName(rt.tapName)) (void)h.node->deleteOvsPort(*br, rt.tapName);
        }
        if (rt.bound) {
            if (auto s = unbindPort(h, rt.portId, networkId); !s) return s;
        }
        (void)h.node->deleteNamespace(rt.ns->name());
        dhcp.erase(it);
        return {};
    }

    // ---------------------------------------------------------------- L3 agent

    Status syncRouter(const Router& router, const std::string& excludePort = {}) {
        std::vector<const Port*> qrPorts;
        for (const std::string& id : router.interfacePortIds) {
            if (id == excludePort) continue;
            if (const Port* p = state.port(id)) qrPorts.push_back(p);
        }
        const Port* qgPort = router.gatewayPortId.empty() || router.gatewayPortId == excludePort
                                 ? nullptr
                                 : state.port(router.gatewayPortId);
        auto it = routers.find(router.id);
        if (it == routers.end()) {
            if (qrPorts.empty() && !qgPort) return {};  // not scheduled yet
            HostRt* h = agentHost(router.hostId);
            if (!h) return fail(ErrorCode::NotFound, "no host for the L3 agent");
            RouterRt rt;
            rt.host = h->name;
            auto ns = h->node->addNamespace("qrouter-" + router.id);
            if (!ns) return ns.error();
            rt.ns = ns.value();
            rt.ns->setIpForward(true);
            it = routers.emplace(router.id, std::move(rt)).first;
        }
        RouterRt& rt = it->second;
        HostRt& h = hosts.at(rt.host);

        // Internal ports.
        std::set<std::string> wanted;
        for (const Port* p : qrPorts) wanted.insert(p->id);
        for (auto q = rt.qr.begin(); q != rt.qr.end();) {
            if (wanted.count(q->first)) {
                ++q;
                continue;
            }
            if (auto s = unplugRouterPort(h, q->first, q->second, h.brInt, true); !s) return s;
            q = rt.qr.erase(q);
        }
        for (const Port* p : qrPorts) {
            if (rt.qr.count(p->id)) continue;
            const Network* net = state.network(p->networkId);
            const Subnet* sub = subnetOfIp(*p);
            if (!net || !sub) continue;
            RouterPortRt pr;
            pr.networkId = net->id;
            pr.device = p->deviceName("qr-");
            pr.address = p->fixedIps.front().ipAddress.toU32();
            pr.prefix = sub->cidr.prefixLength;
            std::optional<std::uint16_t> tag;
            if (isTunnel(net->type)) {
                auto lv = bindPort(h, p->id, *net);
                if (!lv) return lv.error();
                tag = static_cast<std::uint16_t>(lv.value());
            }
            auto dev = h.node->addOvsInternalPort(*h.brInt, pr.device, tag, rt.ns,
                                                  p->macAddress.toU64());
            if (!dev) return dev.error();
            if (auto s = rt.ns->addAddress(pr.device, pr.address, pr.prefix); !s) return s;
            rt.qr.emplace(p->id, pr);
        }

        // Gateway port.
        const std::string qgId = qgPort ? qgPort->id : std::string();
        if (rt.qgPort != qgId && !rt.qgPort.empty()) {
            if (rt.nat) {
                rt.ns->setNatHook({});
                rt.nat.reset();
                rt.snatSubnets.clear();
                rt.floating.clear();
            }
            if (auto s = unplugRouterPort(h, rt.qgPort, rt.qg, h.brEx, false); !s) return s;
            rt.qgPort.clear();
            rt.qg = {};
            rt.defaultGateway = 0;
        }
        if (qgPort && rt.qgPort.empty()) {
            const Subnet* sub = subnetOfIp(*qgPort);
            if (!h.brEx) return fail(ErrorCode::NotFound, h.name + " has no br-ex");
            if (sub) {
                rt.qg.networkId = qgPort->networkId;
                rt.qg.device = qgPort->deviceName("qg-");
                rt.qg.address = qgPort->fixedIps.front().ipAddress.toU32();
                rt.qg.prefix = sub->cidr.prefixLength;
                auto dev = h.node->addOvsInternalPort(*h.brEx, rt.qg.device, std::nullopt, rt.ns,
                                                      qgPort->macAddress.toU64());
                if (!dev) return dev.error();
                if (auto s = rt.ns->addAddress(rt.qg.device, rt.qg.address, rt.qg.prefix); !s) {
                    return s;
                }
                rt.qgPort = qgPort->id;
                if (sub->gatewayIp) {
                    engine::Route r;
                    r.gateway = sub->gatewayIp->toU32();
                    r.device = rt.qg.device;
                    if (auto s = rt.ns->addRoute(r); !s) return s;
                    rt.defaultGateway = r.gateway;
                }
            }
        }
        return syncNat(router, rt, qrPorts);
    }

    Status unplugRouterPort(HostRt& h, const std::string& portId, const RouterPortRt& pr,
                            engine::OvsBridge* br, bool bound) {
        if (br && br->portByName(pr.device)) {
            if (auto s = h.node->deleteOvsPort(*br, pr.device); !s) return s;
        }
        if (bound) return unbindPort(h, portId, pr.networkId);
        return {};
    }

    /// SNAT of the internal subnets and the floating IPs (process_router_floating_ips).
    Status syncNat(const Router& router, RouterRt& rt, const std::vector<const Port*>& qrPorts) {
        if (rt.qgPort.empty()) return {};
        std::set<std::pair<std::uint32_t, int>> subnets;
        if (router.enableSnat) {
            for (const Port* p : qrPorts) {
                for (const FixedIp& ip : p->fixedIps) {
                    if (const Subnet* s = state.subnet(ip.subnetId)) {
                        subnets.insert({s->cidr.network.toU32(), s->cidr.prefixLength});
                    }
                }
            }
        }
        std::map<std::uint32_t, std::uint32_t> floating;
        for (const auto& [id, fip] : state.floatingIps) {
            if (fip.routerId == router.id && fip.fixedIpAddress && !fip.portId.empty()) {
                floating[fip.floatingIpAddress.toU32()] = fip.fixedIpAddress->toU32();
            }
        }
        // Nat has no rule removal for subnets: a removed subnet rebuilds the table.
        bool rebuild = !rt.nat;
        for (const auto& sn : rt.snatSubnets) {
            if (!subnets.count(sn)) rebuild = true;
        }
        if (rebuild) {
            for (const auto& [f, fixed] : rt.floating) {
                (void)fixed;
                (void)rt.ns->delAddress(rt.qg.device, f, 32);
            }
            rt.floating.clear();
            rt.snatSubnets.clear();
            rt.nat = std::make_unique<engine::Nat>(lab.clock());
            rt.nat->setGateway(rt.qg.device, Ipv4Address(rt.qg.address));
            rt.nat->install(*rt.ns);
        }
        for (const auto& sn : subnets) {
            if (rt.snatSubnets.count(sn)) continue;
            if (auto s = rt.nat->addInternalSubnet(Ipv4Address(sn.first), sn.second); !s) return s;
            rt.snatSubnets.insert(sn);
        }
        for (auto f = rt.floating.begin(); f != rt.floating.end();) {
            auto w = floating.find(f->first);
            if (w != floating.end() && w->second == f->second) {
                ++f;
                continue;
            }
            (void)rt.nat->removeFloatingIp(Ipv4Address(f->first));
            (void)rt.ns->delAddress(rt.qg.device, f->first, 32);
            f = rt.floating.erase(f);
        }
        for (const auto& [f, fixed] : floating) {
            if (rt.floating.count(f)) continue;
            if (auto s = rt.nat->addFloatingIp(Ipv4Address(f), Ipv4Address(fixed)); !s) return s;
            if (!rt.ns->isLocalAddress(f)) {
                if (auto s = rt.ns->addAddress(rt.qg.device, f, 32); !s) return s;
            }
            rt.floating[f] = fixed;
        }
        return {};
    }

    Status removeRouter(const std::string& routerId) {
        auto it = routers.find(routerId);
        if (it == routers.end()) return {};
        RouterRt& rt = it->second;
        HostRt& h = hosts.at(rt.host);
        rt.ns->setNatHook({});
        rt.nat.reset();
        for (const auto& [id, pr] : rt.qr) {
            if (auto s = unplugRouterPort(h, id, pr, h.brInt, true); !s) return s;
        }
        if (!rt.qgPort.empty()) {
            if (auto s = unplugRouterPort(h, rt.qgPort, rt.qg, h.brEx, false); !s) return s;
        }
        (void)h.node->deleteNamespace(rt.ns->name());
        routers.erase(it);
        return {};
    }

    // ---------------------------------------------------------------- the outside node

    /// The upstream router holds the gateway of the (first) external subnet with one.
    Status syncOutside(const std::string& excludeSubnet = {}) {
        std::uint32_t addr = 0;
        int prefix = 0;
        for (const auto& [id, sub] : state.subnets) {
            if (id == excludeSubnet || !sub.gatewayIp) continue;
            const Network* net = state.network(sub.networkId);
            if (!net || !net->external) continue;
            addr = sub.gatewayIp->toU32();
            prefix = sub.cidr.prefixLength;
            break;
        }
        if (addr == outsideAddress && prefix == outsidePrefix) return {};
        if (!outside && addr) {
            auto n = lab.addNode("outside");
            if (!n) return n.error();
            outside = n.value();
            engine::NetDevice& eth0 = outside->createDevice("eth0", engine::DeviceKind::Ethernet);
            if (auto r = segment("external")->attach(eth0); !r) return r.error();
        }
        if (!outside) return {};
        if (outsideAddress) (void)outside->root().delAddress("eth0", outsideAddress, outsidePrefix);
        outsideAddress = 0;
        outsidePrefix = 0;
        if (addr) {
            if (auto s = outside->root().addAddress("eth0", addr, prefix); !s) return s;
            outsideAddress = addr;
            outsidePrefix = prefix;
        }
        return {};
    }

    // ---------------------------------------------------------------- Nova

    Status boot(const Instance& inst, bool start) {
        if (vms.count(inst.name)) {
            return fail(ErrorCode::AlreadyExists, "instance " + inst.name + " is already running");
        }
        HostRt* h = hostRt(inst.hostId);
        if (!h) return fail(ErrorCode::NotFound, "host " + inst.hostId + " not found");
        // Check every port before touching anything.
        std::vector<std::pair<const Port*, const Network*>> nics;
        for (const std::string& id : inst.portIds) {
            const Port* p = state.port(id);
            if (!p) return fail(ErrorCode::NotFound, "port " + id + " not found");
            const Network* net = state.network(p->networkId);
            if (!net) return fail(ErrorCode::NotFound, "network " + p->networkId + " not found");
            if (!isTunnel(net->type)) {
                return fail(ErrorCode::Unsupported,
                            "network " + net->name + " is " + std::string(toString(net->type)) +
                                ": no bridge mapping for it on " + h->name);
            }
            nics.emplace_back(p, net);
        }
        auto vmR = engine::Vm::create(*h->node, inst.name);
        if (!vmR) return vmR.error();
        VmRt rt;
        rt.host = h->name;
        rt.vm = std::move(vmR).value();
        engine::Node& node = *h->node;
        for (const auto& [p, net] : nics) {
            VifRt v;
            v.portId = p->id;
            v.networkId = net->id;
            v.qbr = p->deviceName("qbr");
            v.qvb = p->deviceName("qvb");
            v.qvo = p->deviceName("qvo");
            v.tap = p->deviceName("tap");
            // plug_ovs_hybrid(): the bridge, then the veth pair (the peer, qvo, first).
            auto qbr = node.addLinuxBridge(v.qbr);
            if (!qbr) return abortBoot(std::move(rt), qbr.error());
            if (std::uint64_t m = deviceMac(h->name, v.qbr)) qbr.value()->setBridgeMac(m);
            auto [qvo, qvb] = node.createVethPair(v.qvo, v.qvb);
            if (std::uint64_t m = deviceMac(h->name, v.qvo)) qvo->setMac(m);
            if (std::uint64_t m = deviceMac(h->name, v.qvb)) qvb->setMac(m);
            rt.vifs.push_back(v);
            if (auto s = qbr.value()->addInterface(*qvb); !s) return abortBoot(std::move(rt), s);
            auto lv = bindPort(*h, p->id, *net);
            if (!lv) return abortBoot(std::move(rt), lv.error());
            if (auto r = node.addOvsSystemPort(*h->brInt, *qvo,
                                               static_cast<std::uint16_t>(lv.value()));
                !r) {
                return abortBoot(std::move(rt), r.error());
            }
            // libvirt: the guest's NIC and its tap, added to qbr.
            auto tap = rt.vm->addNic(v.tap, p->macAddress.toU64());
            if (!tap) return abortBoot(std::move(rt), tap.error());
            if (auto s = qbr.value()->addInterface(*tap.value()); !s) {
                return abortBoot(std::move(rt), s);
            }
        }
        engine::Vm* vm = rt.vm.get();
        vms.emplace(inst.name, std::move(rt));
        if (start) vm->boot();
        return {};
    }

    Status abortBoot(VmRt&& rt, Status why) {
        (void)teardown(rt);
        return why;
    }

    /// Removes every device and binding of a VM (in the reverse order of boot()).
    Status teardown(VmRt& rt) {
        HostRt& h = hosts.at(rt.host);
        engine::Node& node = *h.node;
        Status result;
        if (rt.vm) rt.vm->shutdown();
        for (auto v = rt.vifs.rbegin(); v != rt.vifs.rend(); ++v) {
            if (h.brInt->portByName(v->qvo)) (void)node.deleteOvsPort(*h.brInt, v->qvo);
            if (auto s = unbindPort(h, v->portId, v->networkId); !s && result.ok()) result = s;
            if (node.linuxBridge(v->qbr)) (void)node.deleteLinuxBridge(v->qbr);
            for (const std::string& name : {v->qvo, v->qvb, v->tap}) {
                if (engine::NetDevice* d = node.device(name)) node.destroyDevice(*d);
            }
        }
        const std::string ns = rt.vm ? rt.vm->name() : std::string();
        rt.vm.reset();
        if (!ns.empty()) (void)node.deleteNamespace(ns);
        return result;
    }
};

// ==================================================================== Agents

Agents::Agents(engine::Lab& lab, const TenantState& state)
    : m_impl(std::make_unique<Impl>(lab, state)) {}

Agents::~Agents() {
    // VMs go first: their DHCP clients detach from namespaces the nodes still own.
    for (auto& [name, rt] : m_impl->vms) rt.vm.reset();
}

Status Agents::hostAdded(const Host& host) { return m_impl->addHost(host); }

Status Agents::hostRemoved(const Host& host) {
    Impl& d = *m_impl;
    Impl::HostRt* gone = d.hostRt(host.name);
    if (gone == nullptr) return fail(ErrorCode::NotFound, "Host " + host.name + " could not be found");
    if (!gone->vlans.empty()) {
        return fail(ErrorCode::InvalidArgument, "Host " + host.name + " still has ports bound");
    }
    for (const auto& [net, rt] : d.dhcp) {
        if (rt.host == host.name) {
            return fail(ErrorCode::InvalidArgument, "Host " + host.name + " runs a DHCP server");
        }
    }
    for (const auto& [id, rt] : d.routers) {
        if (rt.host == host.name) {
            return fail(ErrorCode::InvalidArgument, "Host " + host.name + " hosts a router");
        }
    }
    for (const auto& [name, vm] : d.vms) {
        if (vm.host == host.name) {
            return fail(ErrorCode::InvalidArgument, "Host " + host.name + " runs instances");
        }
    }
    const std::uint32_t remote = gone->dataIp;
    for (auto& [name, h] : d.hosts) {
        if (name == host.name) continue;
        for (auto& [type, ports] : h.tunnels) {
            auto p = ports.find(remote);
            if (p == ports.end()) continue;
            const std::uint32_t ofport = p->second;
            const std::string portName = h.brTun->portName(ofport);
            if (auto st = flowMod(*h.brTun, engine::FlowMod::Command::DeleteStrict,
                                  "table=0,priority=1,in_port=" + std::to_string(ofport));
                !st) {
                return st;
            }
            if (auto st = h.node->deleteOvsPort(*h.brTun, portName); !st) return st;
            ports.erase(p);
            for (const auto& [net, lv] : h.vlans) {
                if (h.vlanTypes.at(net) != type) continue;
                // No tunnel left: the flood flow goes (a later tunnel_sync adds it back).
                auto st = ports.empty()
                              ? flowMod(*h.brTun, engine::FlowMod::Command::Delete,
                                        "table=21,dl_vlan=" + std::to_string(lv))
                              : d.modFloodFlow(h, lv, h.vlanSegs.at(net), type);
                if (!st) return st;
            }
        }
    }
    if (auto st = d.lab.removeNode(host.name); !st) return st;
    d.hosts.erase(host.name);
    std::erase(d.hostOrder, host.name);
    return {};
}

Status Agents::portCreated(const Port& port) {
    Impl& d = *m_impl;
    if (port.deviceOwner == owner::kDhcp) {
        if (auto s = d.plugDhcp(port); !s) return s;
    } else if (port.deviceOwner == owner::kRouterInterface ||
               port.deviceOwner == owner::kRouterGateway) {
        if (const Router* r = d.state.router(port.deviceId)) {
            if (auto s = d.syncRouter(*r); !s) return s;
        }
    }
    // dnsmasq's host file lists every port of the network.
    return d.syncDhcp(port.networkId);
}

Status Agents::portDeleted(const Port& port) {
    Impl& d = *m_impl;
    if (auto it = d.dhcp.find(port.networkId); it != d.dhcp.end() && it->second.portId == port.id) {
        return d.unplugDhcp(port.networkId);
    }
    for (auto& [id, rt] : d.routers) {
        if (rt.qr.count(port.id) || rt.qgPort == port.id) {
            if (const Router* r = d.state.router(id)) {
                if (auto s = d.syncRouter(*r, port.id); !s) return s;
            }
            break;
        }
    }
    // A port still plugged into a running VM: Nova unplugs its VIF (the guest's NIC stays).
    for (auto& [name, vm] : d.vms) {
        for (auto v = vm.vifs.begin(); v != vm.vifs.end(); ++v) {
            if (v->portId != port.id) continue;
            Impl::HostRt& h = d.hosts.at(vm.host);
            if (h.brInt->portByName(v->qvo)) (void)h.node->deleteOvsPort(*h.brInt, v->qvo);
            if (auto s = d.unbindPort(h, v->portId, v->networkId); !s) return s;
            if (h.node->linuxBridge(v->qbr)) (void)h.node->deleteLinuxBridge(v->qbr);
            for (const std::string& n : {v->qvo, v->qvb}) {
                if (engine::NetDevice* dev = h.node->device(n)) h.node->destroyDevice(*dev);
            }
            vm.vifs.erase(v);
            break;
        }
    }
    return d.syncDhcp(port.networkId, {port.id});
}

Status Agents::subnetChanged(const Subnet& subnet) {
    Impl& d = *m_impl;
    if (auto s = d.syncOutside(); !s) return s;
    return d.syncDhcp(subnet.networkId);
}

Status Agents::subnetDeleted(const Subnet& subnet) {
    Impl& d = *m_impl;
    if (auto s = d.syncOutside(subnet.id); !s) return s;
    auto it = d.dhcp.find(subnet.networkId);
    if (it != d.dhcp.end() && it->second.subnetId == subnet.id) {
        it->second.server.reset();
        it->second.ns->unbindUdp(67);
        it->second.subnetId.clear();
    }
    return {};
}

Status Agents::routerChanged(const Router& router) { return m_impl->syncRouter(router); }

Status Agents::routerDeleted(const Router& router) { return m_impl->removeRouter(router.id); }

Status Agents::instanceBooted(const Instance& instance, bool boot) {
    return m_impl->boot(instance, boot);
}

Status Agents::instanceDeleted(const Instance& instance) {
    Impl& d = *m_impl;
    auto it = d.vms.find(instance.name);
    if (it == d.vms.end()) return fail(ErrorCode::NotFound, "instance " + instance.name + " is not running");
    std::set<std::string> networks;
    std::set<std::string> ports;
    for (const Impl::VifRt& v : it->second.vifs) {
        networks.insert(v.networkId);
        ports.insert(v.portId);
    }
    Status s = d.teardown(it->second);
    d.vms.erase(it);
    // Nova deletes the instance's ports with it: dnsmasq forgets them.
    for (const std::string& net : networks) {
        if (Status st = d.syncDhcp(net, ports); !st && s.ok()) s = st;
    }
    return s;
}

Status Agents::networkDeleted(const Network& network) {
    Impl& d = *m_impl;
    if (auto s = d.unplugDhcp(network.id); !s) return s;
    // Anything still bound (ports deleted without portDeleted) is reclaimed.
    for (auto& [name, h] : d.hosts) {
        auto bp = h.boundPorts.find(network.id);
        if (bp == h.boundPorts.end()) continue;
        const std::set<std::string> ports = bp->second;
        for (const std::string& p : ports) {
            if (auto s = d.unbindPort(h, p, network.id); !s) return s;
        }
    }
    return {};
}

engine::Vm* Agents::vm(std::string_view instanceName) const {
    auto it = m_impl->vms.find(instanceName);
    return it == m_impl->vms.end() ? nullptr : it->second.vm.get();
}

std::optional<int> Agents::localVlan(std::string_view host, std::string_view networkId) const {
    const Impl::HostRt* h = m_impl->hostRt(host);
    if (!h) return std::nullopt;
    auto it = h->vlans.find(std::string(networkId));
    if (it == h->vlans.end()) return std::nullopt;
    return it->second;
}

engine::DhcpServer* Agents::dhcpServer(std::string_view networkId) const {
    auto it = m_impl->dhcp.find(networkId);
    return it == m_impl->dhcp.end() ? nullptr : it->second.server.get();
}

engine::Nat* Agents::nat(std::string_view routerId) const {
    auto it = m_impl->routers.find(routerId);
    return it == m_impl->routers.end() ? nullptr : it->second.nat.get();
}

engine::Node* Agents::outsideNode() const {
    return m_impl->outsideAddress ? m_impl->outside : nullptr;
}

void Agents::describeTo(engine::Shell& shell) const {
    const Impl& d = *m_impl;
    for (const std::string& name : d.hostOrder) {
        const Host* h = d.state.host(name);
        if (!h) continue;
        engine::NodeInfo info;
        info.ovsUuid = h->ovsUuid;
        info.showOrder.bridges = h->bridgeOrder;
        info.showOrder.ports = h->portOrder;
        info.netnsOrder = h->netnsOrder;
        shell.setNodeInfo(name, std::move(info));
    }
    const std::vector<engine::Vm*> known = shell.vms();
    for (const auto& [name, rt] : d.vms) {
        if (rt.vm && std::find(known.begin(), known.end(), rt.vm.get()) == known.end()) {
            shell.addVm(*rt.vm);
        }
    }
}

}  // namespace nlab::model
