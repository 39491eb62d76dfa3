#include "model/agents/agents.h"

#include "engine/console/shell.h"
#include "engine/lab/vm.h"
#include "engine/services/dhcp_server.h"
#include "engine/services/nat.h"

namespace nlab::model {

namespace {
engine::Status notYet(const char* what) {
    return engine::Status::fail(engine::ErrorCode::Unsupported,
                                std::string(what) + ": not yet realised");
}
}  // namespace

struct Agents::Impl {
    Impl(engine::Lab& l, const TenantState& s) : lab(l), state(s) {}
    engine::Lab& lab;
    const TenantState& state;
};

Agents::Agents(engine::Lab& lab, const TenantState& state)
    : m_impl(std::make_unique<Impl>(lab, state)) {}
Agents::~Agents() = default;

engine::Status Agents::hostAdded(const Host&) { return notYet("hostAdded"); }
engine::Status Agents::portCreated(const Port&) { return notYet("portCreated"); }
engine::Status Agents::portDeleted(const Port&) { return notYet("portDeleted"); }
engine::Status Agents::subnetChanged(const Subnet&) { return notYet("subnetChanged"); }
engine::Status Agents::subnetDeleted(const Subnet&) { return notYet("subnetDeleted"); }
engine::Status Agents::routerChanged(const Router&) { return notYet("routerChanged"); }
engine::Status Agents::routerDeleted(const Router&) { return notYet("routerDeleted"); }
engine::Status Agents::instanceBooted(const Instance&, bool) { return notYet("instanceBooted"); }
engine::Status Agents::instanceDeleted(const Instance&) { return notYet("instanceDeleted"); }
engine::Status Agents::networkDeleted(const Network&) { return notYet("networkDeleted"); }

engine::Vm* Agents::vm(std::string_view) const { return nullptr; }
std::optional<int> Agents::localVlan(std::string_view, std::string_view) const { return std::nullopt; }
engine::DhcpServer* Agents::dhcpServer(std::string_view) const { return nullptr; }
engine::Nat* Agents::nat(std::string_view) const { return nullptr; }
engine::Node* Agents::outsideNode() const { return nullptr; }
void Agents::describeTo(engine::Shell&) const {}

}  // namespace nlab::model
