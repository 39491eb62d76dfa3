#pragma once
// Vm: an instance as the lab runs it — a namespace with one NIC per port, each NIC's
// hypervisor tap in the node's root namespace, and a DHCP client per NIC that starts at boot
// (CirrOS runs udhcpc on eth0 from ifup), plus ping as the guest's shell would run it.
//
// Design
//   The Vm owns its DHCP clients; the namespace and devices belong to the Node (Vm never
//   outlives its Node). How the tap reaches br-int (Nova's hybrid plug: qbr, qvb/qvo) is not
//   the VM's business: the caller plugs the tap returned by addNic().

#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/lab/lab.h"
#include "engine/services/dhcp_client.h"
#include "engine/services/ping.h"

namespace nlab::engine {

class Vm {
public:
    /// Creates the VM's namespace 'name' on 'node'. Fails (AlreadyExists) if it exists.
    static Result<std::unique_ptr<Vm>> create(Node& node, const std::string& name);
    ~Vm();
    Vm(const Vm&) = delete;
    Vm& operator=(const Vm&) = delete;

    const std::string& name() const { return m_name; }
    Node& node() const { return m_node; }
    NetNamespace& netns() const { return *m_ns; }

    /// Adds NIC eth<N> (N = number of NICs so far) with 'mac' and its hypervisor tap
    /// 'tapName'. Returns the tap, for the caller to plug into the host's bridges.
    Result<NetDevice*> addNic(const std::string& tapName, std::uint64_t mac);
    /// The guest's NICs, eth0 first.
    std::vector<NetDevice*> nics() const;

    /// Boots: a DHCP client (udhcpc) starts on every NIC. Its printed lines are collected
    /// (console()).
    void boot();
    /// Shuts down: the clients release their leases (udhcpc -R) and stop.
    void shutdown();
    /// The DHCP client of NIC 'index' (null before boot).
    DhcpClient* dhcpClient(std::size_t index = 0) const;
    /// Everything the guest printed so far (udhcpc lines), oldest first.
    const std::vector<std::string>& console() const { return m_console; }

    /// Runs `ping` in the guest to completion on the lab's clock; returns its result and
    /// appends its lines to 'lines' when not null.
    PingResult ping(const PingOptions& options, std::vector<std::string>* lines = nullptr);

private:
    Vm(Node& node, std::string name, NetNamespace& ns);

    Node& m_node;
    std::string m_name;
    NetNamespace* m_ns;
    std::vector<NetDevice*> m_nics;
    std::vector<std::unique_ptr<DhcpClient>> m_dhcp;
    std::vector<std::string> m_console;
};

}  // namespace nlab::engine
