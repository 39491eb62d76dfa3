#include "engine/lab/vm.h"

namespace nlab::engine {

Result<std::unique_ptr<Vm>> Vm::create(Node& node, const std::string& name) {
    auto ns = node.addNamespace(name);
    if (!ns) return ns.error();
    ns.value()->setVmGuest(true);
    return std::unique_ptr<Vm>(new Vm(node, name, *ns.value()));
}

Vm::Vm(Node& node, std::string name, NetNamespace& ns)
    : m_node(node), m_name(std::move(name)), m_ns(&ns) {}

Vm::~Vm() {
    // Clients detach their listeners from the namespace before it goes.
    m_dhcp.clear();
}

Result<NetDevice*> Vm::addNic(const std::string& tapName, std::uint64_t mac) {
    const std::string ifname = "eth" + std::to_string(m_nics.size());
    auto r = m_node.addVmNic(*m_ns, tapName, mac, ifname);
    if (!r) return r.error();
    m_nics.push_back(r.value().first);
    return r.value().second;
}

std::vector<NetDevice*> Vm::nics() const { return m_nics; }

void Vm::boot() {
    for (std::size_t i = 0; i < m_nics.size(); ++i) {
        if (i < m_dhcp.size() && m_dhcp[i]) continue;
        DhcpClientConfig cfg;
        cfg.interface = m_nics[i]->name();
        cfg.mac = MacAddress::fromU64(m_nics[i]->mac());
        cfg.seed = std::uint32_t(m_nics[i]->mac());  // distinct, reproducible xids
        cfg.hostname = m_name;
        auto client = std::make_unique<DhcpClient>(m_node.lab().clock(), cfg);
        (void)client->attach(*m_ns);
        client->setLineSink([this](std::string_view line) { m_console.emplace_back(line); });
        client->start();
        if (i < m_dhcp.size()) {
            m_dhcp[i] = std::move(client);
        } else {
            m_dhcp.push_back(std::move(client));
        }
    }
}

void Vm::shutdown() {
    for (auto& c : m_dhcp) {
        if (c) c->stop();
    }
}

DhcpClient* Vm::dhcpClient(std::size_t index) const {
    return index < m_dhcp.size() ? m_dhcp[index].get() : nullptr;
}

PingResult Vm::ping(const PingOptions& options, std::vector<std::string>* lines) {
    return Ping::run(*m_ns, options, lines);
}

}  // namespace nlab::engine
