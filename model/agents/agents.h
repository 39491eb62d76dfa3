#pragma once
// Agents: how Neutron's agents and Nova realise tenant objects in the engine.
//
// What
//   One object standing for every agent of the lab: per host the OVS agent (br-int,
//   br-tun, local VLAN allocation, br-tun flows of the Icehouse GRE profile, tunnel ports
//   to every peer), on the network host the DHCP agent (qdhcp namespace, tap port, DHCP
//   server with fixed leases) and the L3 agent (qrouter namespace, qr-/qg- ports, routes,
//   SNAT, floating IPs), and on compute hosts Nova's libvirt driver (VM, tap, hybrid plug
//   qbr/qvb/qvo). The Cloud calls it after each change of the TenantState.
//
// Design
//   See agents.cpp's notes for the Neutron (Icehouse) code each step follows.
//   Everything an agent creates is recorded so that deleting the tenant object removes
//   exactly that (ports, flows, namespaces, devices) and frees the local VLAN.
//
// Invariants
//   Agents never change the TenantState; they read it through the reference given at
//   construction.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/lab/lab.h"
#include "model/tenant.h"

namespace nlab::engine {
class Vm;
class DhcpServer;
class Nat;
class Shell;
}

namespace nlab::model {

class Agents {
public:
    Agents(engine::Lab& lab, const TenantState& state);
    ~Agents();
    Agents(const Agents&) = delete;
    Agents& operator=(const Agents&) = delete;

    /// A host joins: its node (eth0 management, eth1 data on the "underlay" segment with
    /// the tunnel endpoint, virbr0 on compute hosts), br-int (secure, NORMAL) and br-tun
    /// (base flows), tunnel ports between it and every existing host; on the network host
    /// br-ex with its external NIC on the "external" segment.
    engine::Status hostAdded(const Host& host);
    /// A host leaves (it holds no bound port, DHCP server, router or VM): the other hosts'
    /// tunnel ports to it and their table-0 rules go, their flood flows stop outputting to
    /// it, and its node is removed from the lab.
    engine::Status hostRemoved(const Host& host);
    /// A port was created or changed (DHCP, router interface/gateway ports: the DHCP and L3
    /// agents plug them; compute ports are plugged by instanceBooted()).
    engine::Status portCreated(const Port& port);
    /// A port is about to be deleted: unplug it, and drop its network's flows and local VLAN
    /// on that host when it was the network's last port there.
    engine::Status portDeleted(const Port& port);
    /// A subnet was created/changed: DHCP server config (leases of every port), routes.
    engine::Status subnetChanged(const Subnet& subnet);
    /// A subnet is about to be deleted.
    engine::Status subnetDeleted(const Subnet& subnet);
    /// Router interfaces, gateway, SNAT or floating IPs changed: the L3 agent resyncs.
    engine::Status routerChanged(const Router& router);
    /// A router is about to be deleted (its ports are already gone): the qrouter namespace goes.
    engine::Status routerDeleted(const Router& router);
    /// Nova boots: VM namespace, NICs, taps, hybrid plug, qvo tagged on br-int; the OVS agent
    /// binds each port; the guest's DHCP client starts when 'boot'.
    engine::Status instanceBooted(const Instance& instance, bool boot = true);
    /// Nova deletes: the guest stops, every device of the hybrid plug goes.
    engine::Status instanceDeleted(const Instance& instance);
    /// A network is about to be deleted (its ports are already gone).
    engine::Status networkDeleted(const Network& network);

    engine::Vm* vm(std::string_view instanceName) const;
    /// The local VLAN of a network on a host (nullopt: the network has no port there).
    std::optional<int> localVlan(std::string_view host, std::string_view networkId) const;
    engine::DhcpServer* dhcpServer(std::string_view networkId) const;
    engine::Nat* nat(std::string_view routerId) const;
    /// The node standing for the upstream router on the external network ("outside"),
    /// holding the external subnet's gateway address; null before an external subnet exists.
    engine::Node* outsideNode() const;
    /// Node infos (OVS uuid, listing orders) and VM contexts for a shell.
    void describeTo(engine::Shell& shell) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace nlab::model
