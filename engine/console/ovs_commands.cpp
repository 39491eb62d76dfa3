// The Open vSwitch tools of the emulated shell: ovs-vsctl, ovs-ofctl and ovs-appctl, printing
// what Open vSwitch 2.0.2 prints (utilities/ovs-vsctl.c, utilities/ovs-ofctl.c, lib/ofp-print.c,
// ofproto/ofproto-dpif.c of that release), over the node the shell context belongs to.
//
// Known simplifications (each is also stated where it is implemented):
//   - ovs-vsctl applies a transaction's commands in order instead of atomically: a command
//     that fails leaves the effects of the commands before it.
//   - A port whose interface vswitchd could not open (a system port naming no device of the
//     root namespace, an internal port whose name a device already has) is not added; the
//     command prints the warning later releases print ("Error detected while setting up")
//     instead of adding a database row that has no OpenFlow port.
//   - Columns the engine does not model (trunks, external_ids, other_config, ...) are refused
//     with a message saying so, rather than stored and ignored.
//   - ofproto/trace: the odp actions and port numbers are the engine's (port names), and
//     -generate does not execute learn actions.

#include "engine/codec/frame_compose.h"
#include "engine/console/shell.h"
#include "engine/console/tcpdump_command.h"
#include "engine/devices/pipeline.h"
#include "engine/flow/ofctl_format.h"
#include "engine/flow/ofctl_parse.h"
#include "engine/packet/addresses.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace nlab::engine {
namespace {

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

CommandOutput fatal(std::string_view program, const std::string& message, int status = 1) {
    return CommandOutput::fail(std::string(program) + ": " + message + "\n", status);
}

std::string sformat(const char* fmt, auto... args) {
    char buf[512];
    const int n = std::snprintf(buf, sizeof buf, fmt, args...);
    if (n < 0)
        return {};
    if (std::size_t(n) < sizeof buf)
        return std::string(buf, std::size_t(n));
    std::string big(std::size_t(n) + 1, '\0');
    std::snprintf(big.data(), big.size(), fmt, args...);
    big.resize(std::size_t(n));
    return big;
}

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::optional<std::uint64_t> parseUnsigned(std::string_view text, int base = 0) {
    if (text.empty())
        return std::nullopt;
    std::string s(text);
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(s.c_str(), &end, base);
    if (errno != 0 || end != s.c_str() + s.size() || s[0] == '-')
        return std::nullopt;
    return v;
}

std::string stripQuotes(std::string_view v) {
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
        return std::string(v.substr(1, v.size() - 2));
    return std::string(v);
}

/// The port named 'name' on any bridge of 'node', the bridges' own (LOCAL) ports excluded,
/// as ovs-vsctl's find_port() sees ports.
std::pair<OvsBridge*, const BridgePort*> findPort(const Node& node, std::string_view name) {
    for (OvsBridge* br : node.ovsBridges()) {
        const BridgePort* p = br->portByName(name);
        if (p && p->ofport != ofp::kLocal)
            return {br, p};
    }
    return {nullptr, nullptr};
}

// ---------------------------------------------------------------------------------------
// ovs-vsctl
// ---------------------------------------------------------------------------------------

struct VsctlCommand {
    std::vector<std::string> options;  ///< "--may-exist", ...
    std::vector<std::string> argv;     ///< argv[0] is the command name.
};

struct VsctlSyntax {
    const char* name;
    int minArgs;
    int maxArgs;
    std::vector<std::string> options;
};

const std::vector<VsctlSyntax>& vsctlCommands() {
    static const std::vector<VsctlSyntax> k = {
        {"show", 0, 0, {}},
        {"list-br", 0, 0, {"--real", "--fake"}},
        {"br-exists", 1, 1, {}},
        {"add-br", 1, 3, {"--may-exist"}},
        {"del-br", 1, 1, {"--if-exists"}},
        {"list-ports", 1, 1, {}},
        {"add-port", 2, std::numeric_limits<int>::max(), {"--may-exist"}},
        {"del-port", 1, 2, {"--if-exists", "--with-iface"}},
        {"port-to-br", 1, 1, {}},
        {"list-ifaces", 1, 1, {}},
        {"iface-to-br", 1, 1, {}},
        {"set", 3, std::numeric_limits<int>::max(), {"--if-exists"}},
        {"clear", 3, std::numeric_limits<int>::max(), {"--if-exists"}},
    };
    return k;
}

/// The failure of one command: its message (printed after "ovs-vsctl: ") or an exit status
/// without a message (br-exists).
struct VsctlError {
    std::string message;
    int status = 1;
};

/// One "COLUMN[:KEY]=VALUE" argument.
struct Setting {
    std::string column;
    std::string key;
    std::string value;
};

std::optional<Setting> parseSetting(std::string_view arg) {
    const auto eq = arg.find('=');
    if (eq == std::string_view::npos)
        return std::nullopt;
    Setting s;
    std::string_view lhs = arg.substr(0, eq);
    s.value = stripQuotes(arg.substr(eq + 1));
    if (const auto colon = lhs.find(':'); colon != std::string_view::npos) {
        s.column = std::string(lhs.substr(0, colon));
        s.key = std::string(lhs.substr(colon + 1));
    } else {
        s.column = std::string(lhs);
    }
    return s;
}

/// Interface configuration collected from `-- set Interface NAME ...` in the same
/// transaction as the add-port that creates NAME.
struct IfaceSettings {
    std::string type;  ///< "", "system", "internal", "patch", "gre", "vxlan".
    std::map<std::string, std::string> options;
    std::uint32_t ofportRequest = 0;
};

class Vsctl {
public:
    Vsctl(Shell& shell, Node& node) : m_shell(shell), m_node(node) {}

    CommandOutput run(const std::vector<std::string>& argv);

private:
    std::optional<VsctlError> execute(const VsctlCommand& cmd);
    bool has(const VsctlCommand& c, std::string_view opt) const {
        return std::find(c.options.begin(), c.options.end(), opt) != c.options.end();
    }

    std::optional<VsctlError> checkConflicts(const std::string& name, const std::string& what);
    std::optional<VsctlError> addBr(const VsctlCommand& c);
    std::optional<VsctlError> delBr(const VsctlCommand& c);
    std::optional<VsctlError> addPort(const VsctlCommand& c);
    std::optional<VsctlError> delPort(const VsctlCommand& c);
    std::optional<VsctlError> setOrClear(const VsctlCommand& c, bool clear);
    std::optional<VsctlError> applyInterfaceSetting(IfaceSettings& s, const Setting& st);

    Shell& m_shell;
    Node& m_node;
    std::string m_out;
    std::string m_err;
    std::map<std::string, IfaceSettings> m_pendingIfaces;  // by interface name
};

CommandOutput Vsctl::run(const std::vector<std::string>& argv) {
    // Global options come before the first command.
    std::size_t i = 1;
    for (; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--") {
            ++i;
            break;
        }
        if (!startsWith(a, "-"))
            break;
        if (startsWith(a, "--timeout=") || a == "--no-wait" || a == "--oneline" ||
            a == "--dry-run" || a == "--no-syslog" || startsWith(a, "--db=") ||
            startsWith(a, "--verbose") || a == "-v") {
            continue;
        }
        if (a == "-t" || a == "--timeout") {
            ++i;
            continue;
        }
        // Per-command options may also precede the first command.
        if (a == "--may-exist" || a == "--if-exists" || a == "--real" || a == "--fake" ||
            a == "--with-iface") {
            break;
        }
        return fatal("ovs-vsctl", "unrecognized option '" + a + "'");
    }
    // Split into commands at "--".
    std::vector<VsctlCommand> commands;
    VsctlCommand current;
    bool any = false;
    auto finish = [&]() -> std::optional<std::string> {
        if (current.argv.empty()) {
            if (!current.options.empty() || any)
                return "missing command name (use --help for help)";
            return std::nullopt;
        }
        commands.push_back(std::move(current));
        current = {};
        return std::nullopt;
    };
    for (; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "--") {
            if (auto e = finish())
                return fatal("ovs-vsctl", *e);
            any = true;
            continue;
        }
        if (current.argv.empty() && startsWith(a, "--")) {
            if (std::find(current.options.begin(), current.options.end(), a) !=
                current.options.end()) {
                return fatal("ovs-vsctl", "'" + a + "' option specified multiple times");
            }
            current.options.push_back(a);
            continue;
        }
        current.argv.push_back(a);
    }
    if (current.argv.empty()) {
        if (commands.empty() || !current.options.empty()) {
            return fatal("ovs-vsctl", "missing command name (use --help for help)");
        }
    } else {
        commands.push_back(std::move(current));
    }
    // Syntax checks of every command before anything runs (as parse_commands does).
    for (const VsctlCommand& c : commands) {
        const auto& table = vsctlCommands();
        auto it = std::find_if(table.begin(), table.end(),
                               [&](const VsctlSyntax& s) { return c.argv[0] == s.name; });
        if (it == table.end()) {
            return fatal("ovs-vsctl", "unknown command '" + c.argv[0] + "'; use --help for help");
        }
        for (const std::string& o : c.options) {
            if (std::find(it->options.begin(), it->options.end(), o) == it->options.end()) {
                return fatal("ovs-vsctl", "'" + c.argv[0] + "' command has no '" + o + "' option");
            }
        }
        const int n = int(c.argv.size()) - 1;
        if (n < it->minArgs) {
            return fatal("ovs-vsctl", "'" + c.argv[0] + "' command requires at least " +
                                          std::to_string(it->minArgs) + " arguments");
        }
        if (n > it->maxArgs) {
            return fatal("ovs-vsctl", "'" + c.argv[0] + "' command takes at most " +
                                          std::to_string(it->maxArgs) + " arguments");
        }
    }
    // Interfaces created by an add-port of this transaction take their configuration from
    // the transaction's `set Interface` commands.
    std::set<std::string> added;
    for (const VsctlCommand& c : commands) {
        if (c.argv[0] == "add-port")
            added.insert(c.argv[2]);
    }
    std::vector<const VsctlCommand*> toRun;
    for (const VsctlCommand& c : commands) {
        const bool ifaceSet =
            c.argv[0] == "set" && (c.argv[1] == "Interface" || c.argv[1] == "interface");
        if (ifaceSet && added.count(c.argv[2])) {
            IfaceSettings& s = m_pendingIfaces[c.argv[2]];
            for (std::size_t k = 3; k < c.argv.size(); ++k) {
                auto st = parseSetting(c.argv[k]);
                if (!st)
                    return fatal("ovs-vsctl", c.argv[k] + ": missing value");
                if (auto e = applyInterfaceSetting(s, *st))
                    return fatal("ovs-vsctl", e->message);
            }
            continue;
        }
        toRun.push_back(&c);
    }
    for (const VsctlCommand* c : toRun) {
        if (auto e = execute(*c)) {
            CommandOutput o;
            o.out = m_out;
            o.err = m_err + (e->message.empty() ? "" : "ovs-vsctl: " + e->message + "\n");
            o.status = e->status;
            return o;
        }
    }
    CommandOutput o;
    o.out = m_out;
    o.err = m_err;
    return o;
}

std::optional<VsctlError> Vsctl::applyInterfaceSetting(IfaceSettings& s, const Setting& st) {
    if (st.column == "type" && st.key.empty()) {
        static const std::set<std::string> kTypes = {"",      "system", "internal",
                                                     "patch", "gre",    "vxlan"};
        if (!kTypes.count(st.value)) {
            return VsctlError{"interface type \"" + st.value + "\" is not supported by the lab"};
        }
        s.type = st.value;
        return std::nullopt;
    }
    if (st.column == "options" && !st.key.empty()) {
        s.options[st.key] = st.value;
        return std::nullopt;
    }
    if (st.column == "ofport_request" && st.key.empty()) {
        auto v = parseUnsigned(st.value, 10);
        if (!v || *v < 1 || *v > 65279) {
            return VsctlError{"constraint violation: " + st.value +
                              " is not in the valid range 1 to 65279 (inclusive)"};
        }
        s.ofportRequest = std::uint32_t(*v);
        return std::nullopt;
    }
    return VsctlError{"Interface column \"" + st.column + "\" is not modelled by the lab"};
}

std::optional<VsctlError> Vsctl::checkConflicts(const std::string& name, const std::string& what) {
    if (m_node.ovsBridge(name)) {
        return VsctlError{what + " because a bridge named " + name + " already exists"};
    }
    if (auto [br, p] = findPort(m_node, name); p) {
        return VsctlError{what + " because a port named " + name + " already exists on bridge " +
                          br->name()};
    }
    return std::nullopt;
}

std::optional<VsctlError> Vsctl::execute(const VsctlCommand& c) {
    const std::string& cmd = c.argv[0];
    if (cmd == "show") {
        const NodeInfo& info = m_shell.nodeInfo(m_node);
        m_out += formatOvsVsctlShow(m_node, info.ovsUuid, info.ovsVersion, &info.showOrder);
        return std::nullopt;
    }
    if (cmd == "list-br") {
        // No fake (VLAN) bridges in the lab: --fake lists nothing.
        if (has(c, "--fake") && !has(c, "--real"))
            return std::nullopt;
        std::vector<std::string> names;
        for (OvsBridge* br : m_node.ovsBridges())
            names.push_back(br->name());
        std::sort(names.begin(), names.end());
        for (const auto& n : names)
            m_out += n + "\n";
        return std::nullopt;
    }
    if (cmd == "br-exists") {
        if (!m_node.ovsBridge(c.argv[1]))
            return VsctlError{"", 2};
        return std::nullopt;
    }
    if (cmd == "add-br")
        return addBr(c);
    if (cmd == "del-br")
        return delBr(c);
    if (cmd == "list-ports" || cmd == "list-ifaces") {
        OvsBridge* br = m_node.ovsBridge(c.argv[1]);
        if (!br)
            return VsctlError{"no bridge named " + c.argv[1]};
        std::vector<std::string> names;
        for (const BridgePort* p : br->ports()) {
            if (p->ofport != ofp::kLocal)
                names.push_back(p->config.name);
        }
        std::sort(names.begin(), names.end());
        for (const auto& n : names)
            m_out += n + "\n";
        return std::nullopt;
    }
    if (cmd == "port-to-br" || cmd == "iface-to-br") {
        auto [br, p] = findPort(m_node, c.argv[1]);
        if (!p) {
            return VsctlError{
                std::string(cmd == "port-to-br" ? "no port named " : "no interface named ") +
                c.argv[1]};
        }
        m_out += br->name() + "\n";
        return std::nullopt;
    }
    if (cmd == "add-port")
        return addPort(c);
    if (cmd == "del-port")
        return delPort(c);
    if (cmd == "set")
        return setOrClear(c, false);
    if (cmd == "clear")
        return setOrClear(c, true);
    return VsctlError{"unknown command '" + cmd + "'; use --help for help"};
}

std::optional<VsctlError> Vsctl::addBr(const VsctlCommand& c) {
    const std::string& name = c.argv[1];
    if (c.argv.size() == 3)
        return VsctlError{"'add-br' command takes exactly 1 or 3 arguments"};
    if (c.argv.size() == 4) {
        return VsctlError{"VLAN (fake) bridges are not modelled by the lab"};
    }
    if (has(c, "--may-exist") && m_node.ovsBridge(name))
        return std::nullopt;
    if (auto e = checkConflicts(name, "cannot create a bridge named " + name))
        return e;
    if (m_node.device(name)) {
        m_err += "ovs-vsctl: Error detected while setting up '" + name +
                 "'.  See ovs-vswitchd log for details.\n";
        return std::nullopt;
    }
    // A bridge made by ovs-vsctl has no fail_mode: it behaves as standalone.
    auto r = m_node.addOvsBridge(name, OvsBridge::FailMode::Standalone);
    if (!r)
        return VsctlError{r.error().message};
    return std::nullopt;
}

std::optional<VsctlError> Vsctl::delBr(const VsctlCommand& c) {
    const std::string& name = c.argv[1];
    if (!m_node.ovsBridge(name)) {
        if (has(c, "--if-exists"))
            return std::nullopt;
        return VsctlError{"no bridge named " + name};
    }
    Status s = m_node.deleteOvsBridge(name);
    if (!s)
        return VsctlError{s.error().message};
    return std::nullopt;
}

std::optional<VsctlError> Vsctl::addPort(const VsctlCommand& c) {
    const std::string& brName = c.argv[1];
    const std::string& name = c.argv[2];
    if (has(c, "--may-exist")) {
        if (auto [br, p] = findPort(m_node, name); p) {
            if (br->name() != brName) {
                std::string line = "add-port";
                for (std::size_t k = 1; k < c.argv.size(); ++k)
                    line += " " + c.argv[k];
                return VsctlError{"\"--may-exist " + line + "\" but " + name +
                                  " is actually attached to bridge " + br->name()};
            }
            return std::nullopt;
        }
    }
    if (auto e = checkConflicts(name, "cannot create a port named " + name))
        return e;
    OvsBridge* br = m_node.ovsBridge(brName);
    if (!br)
        return VsctlError{"no bridge named " + brName};

    std::optional<std::uint16_t> tag;
    for (std::size_t k = 3; k < c.argv.size(); ++k) {
        auto st = parseSetting(c.argv[k]);
        if (!st)
            return VsctlError{c.argv[k] + ": missing value"};
        if (st->column == "tag" && st->key.empty()) {
            auto v = parseUnsigned(st->value, 10);
            if (!v || *v > 4095) {
                return VsctlError{"constraint violation: " + st->value +
                                  " is not in the valid range 0 to 4095 (inclusive)"};
            }
            tag = std::uint16_t(*v);
        } else {
            return VsctlError{"Port column \"" + st->column + "\" is not modelled by the lab"};
        }
    }
    IfaceSettings iface;
    if (auto it = m_pendingIfaces.find(name); it != m_pendingIfaces.end())
        iface = it->second;
    auto setupError = [&]() {
        m_err += "ovs-vsctl: Error detected while setting up '" + name +
                 "'.  See ovs-vswitchd log for details.\n";
        return std::nullopt;
    };

    if (iface.type.empty() || iface.type == "system") {
        NetDevice* dev = m_node.device(name);
        if (!dev || !dev->master().empty())
            return setupError();
        auto r = m_node.addOvsSystemPort(*br, *dev, tag, iface.ofportRequest);
        if (!r)
            return VsctlError{r.error().message};
        return std::nullopt;
    }
    if (iface.type == "internal") {
        if (m_node.device(name))
            return setupError();
        auto r = m_node.addOvsInternalPort(*br, name, tag, nullptr, 0, iface.ofportRequest);
        if (!r)
            return VsctlError{r.error().message};
        return std::nullopt;
    }
    PortConfig cfg;
    cfg.name = name;
    cfg.tag = tag;
    cfg.ofportRequest = iface.ofportRequest;
    if (iface.type == "patch") {
        cfg.type = PortType::Patch;
        if (auto it = iface.options.find("peer"); it != iface.options.end())
            cfg.peer = it->second;
        for (const auto& [k, v] : iface.options) {
            if (k != "peer")
                return VsctlError{"patch option \"" + k + "\" is not modelled by the lab"};
        }
    } else {
        cfg.type = iface.type == "gre" ? PortType::Gre : PortType::Vxlan;
        // As netdev-vport: no key options means key 0 both ways.
        cfg.inKey = 0;
        cfg.outKey = 0;
        auto key = [&](const std::string& v) -> std::optional<std::optional<std::uint64_t>> {
            if (v == "flow")
                return std::optional<std::uint64_t>{};
            auto n = parseUnsigned(v);
            if (!n)
                return std::nullopt;
            return std::optional<std::uint64_t>{*n};
        };
        for (const auto& [k, v] : iface.options) {
            if (k == "remote_ip") {
                if (v == "flow") {
                    cfg.remoteIpFlow = true;
                } else if (auto ip = Ipv4Address::parse(v)) {
                    cfg.remoteIp = ip->toU32();
                } else {
                    return VsctlError{v + ": invalid remote_ip"};
                }
            } else if (k == "local_ip") {
                auto ip = Ipv4Address::parse(v);
                if (!ip)
                    return VsctlError{v + ": invalid local_ip"};
                cfg.localIp = ip->toU32();
            } else if (k == "key" || k == "in_key" || k == "out_key") {
                auto kv = key(v);
                if (!kv)
                    return VsctlError{v + ": invalid " + k};
                if (k != "out_key")
                    cfg.inKey = *kv;
                if (k != "in_key")
                    cfg.outKey = *kv;
            } else if (k == "dst_port" && cfg.type == PortType::Vxlan) {
                auto n = parseUnsigned(v, 10);
                if (!n || *n > 65535)
                    return VsctlError{v + ": invalid dst_port"};
                cfg.dstPort = std::uint16_t(*n);
            } else {
                return VsctlError{"tunnel option \"" + k + "\" is not modelled by the lab"};
            }
        }
        if (!cfg.remoteIp && !cfg.remoteIpFlow)
            return setupError();
    }
    auto r = br->addPort(cfg);
    if (!r)
        return VsctlError{r.error().message};
    if (cfg.type == PortType::Patch && !cfg.peer.empty()) {
        for (OvsBridge* other : m_node.ovsBridges()) {
            const BridgePort* p = other->portByName(cfg.peer);
            if (p && p->config.type == PortType::Patch && p->config.peer == name) {
                (void)OvsBridge::connectPatch(*br, name, *other, cfg.peer);
                break;
            }
        }
    }
    return std::nullopt;
}

std::optional<VsctlError> Vsctl::delPort(const VsctlCommand& c) {
    const bool mustExist = !has(c, "--if-exists");
    const std::string& target = c.argv.back();
    if (m_node.ovsBridge(target)) {
        if (mustExist) {
            return VsctlError{"cannot delete port " + target +
                              " because it is the local port for bridge " + target +
                              " (deleting this port requires deleting the entire bridge)"};
        }
        return std::nullopt;
    }
    auto [br, p] = findPort(m_node, target);
    if (!p) {
        if (!mustExist)
            return std::nullopt;
        return VsctlError{has(c, "--with-iface") ? "no port or interface named " + target
                                                 : "no port named " + target};
    }
    if (c.argv.size() == 3) {
        OvsBridge* named = m_node.ovsBridge(c.argv[1]);
        if (!named)
            return VsctlError{"no bridge named " + c.argv[1]};
        if (named != br) {
            return VsctlError{"bridge " + c.argv[1] + " does not have a port " + c.argv[2]};
        }
    }
    Status s = m_node.deleteOvsPort(*br, target);
    if (!s)
        return VsctlError{s.error().message};
    return std::nullopt;
}

std::optional<VsctlError> Vsctl::setOrClear(const VsctlCommand& c, bool clear) {
    std::string table = c.argv[1];
    std::transform(table.begin(), table.end(), table.begin(),
                   [](unsigned char ch) { return char(std::tolower(ch)); });
    const std::string& record = c.argv[2];
    static const std::set<std::string> kTables = {
        "open_vswitch", "bridge", "port",    "interface",  "controller",
        "manager",      "mirror", "netflow", "sflow",      "ipfix",
        "qos",          "queue",  "ssl",     "flow_table", "flow_sample_collector_set"};
    if (!kTables.count(table))
        return VsctlError{"unknown table \"" + c.argv[1] + "\""};
    if (table != "port" && table != "interface") {
        return VsctlError{"table \"" + c.argv[1] + "\" is not modelled by the lab"};
    }
    auto [br, p] = findPort(m_node, record);
    if (!p) {
        if (has(c, "--if-exists"))
            return std::nullopt;
        return VsctlError{"no row \"" + record + "\" in table " +
                          (table == "port" ? "Port" : "Interface")};
    }
    for (std::size_t k = 3; k < c.argv.size(); ++k) {
        if (clear) {
            if (table == "port" && c.argv[k] == "tag") {
                (void)br->setPortTag(record, std::nullopt);
                continue;
            }
            return VsctlError{(table == "port" ? "Port" : "Interface") + std::string(" column \"") +
                              c.argv[k] + "\" is not modelled by the lab"};
        }
        auto st = parseSetting(c.argv[k]);
        if (!st)
            return VsctlError{c.argv[k] + ": missing value"};
        if (table == "port" && st->column == "tag" && st->key.empty()) {
            if (st->value == "[]") {
                (void)br->setPortTag(record, std::nullopt);
                continue;
            }
            auto v = parseUnsigned(st->value, 10);
            if (!v || *v > 4095) {
                return VsctlError{"constraint violation: " + st->value +
                                  " is not in the valid range 0 to 4095 (inclusive)"};
            }
            Status s = br->setPortTag(record, std::uint16_t(*v));
            if (!s)
                return VsctlError{s.error().message};
            continue;
        }
        return VsctlError{(table == "port" ? "Port" : "Interface") + std::string(" column \"") +
                          st->column + "\" is not modelled by the lab"};
    }
    return std::nullopt;
}

CommandOutput runVsctl(CommandCall& call) {
    Node* node = call.context.node;
    if (!node)
        return fatal("ovs-vsctl",
                     "unix:/var/run/openvswitch/db.sock: database connection failed (No such file "
                     "or directory)");
    Vsctl v(call.shell, *node);
    return v.run(call.argv);
}

// ---------------------------------------------------------------------------------------
// ovs-ofctl
// ---------------------------------------------------------------------------------------

PortResolver resolverFor(const OvsBridge& br) {
    return [&br](std::string_view name) -> std::optional<std::uint32_t> {
        if (const BridgePort* p = br.portByName(name))
            return p->ofport;
        return std::nullopt;
    };
}

/// A MAC for ports that have no interface of their own (patch, tunnel): OVS's vports get a
/// random one; here it is derived from the name so that it is stable.
std::uint64_t vportMac(std::string_view name) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char ch : name) {
        h ^= std::uint8_t(ch);
        h *= 1099511628211ULL;
    }
    return ((h & 0xffffffffffffULL) | 0x020000000000ULL) & ~0x010000000000ULL;
}

std::string formatPortFeatures(const Node& node, const BridgePort& p) {
    // What a Linux netdev reports through ethtool: veths 10 Gb/s, taps 10 Mb/s, NICs
    // 1 Gb/s with autonegotiation; OVS internal, patch and tunnel ports nothing.
    std::string out;
    std::uint32_t now = 0, max = 0;
    if (p.config.type == PortType::System) {
        if (const NetDevice* d = node.device(p.config.name)) {
            switch (d->kind()) {
                case DeviceKind::Veth:
                    out += "     current:    10GB-FD COPPER\n";
                    now = 10000;
                    break;
                case DeviceKind::Tap:
                    out += "     current:    10MB-FD COPPER\n";
                    now = 10;
                    break;
                case DeviceKind::Ethernet:
                    out += "     current:    1GB-FD COPPER AUTO_NEG\n";
                    out +=
                        "     advertised: 10MB-HD 10MB-FD 100MB-HD 100MB-FD 1GB-FD COPPER "
                        "AUTO_NEG\n";
                    out +=
                        "     supported:  10MB-HD 10MB-FD 100MB-HD 100MB-FD 1GB-FD COPPER "
                        "AUTO_NEG\n";
                    now = 1000;
                    max = 1000;
                    break;
                default:
                    break;
            }
        }
    }
    out += sformat("     speed: %u Mbps now, %u Mbps max\n", now, max);
    return out;
}

const NetDevice* portDevice(const Node& node, const OvsBridge& br, const BridgePort& p) {
    if (p.config.type != PortType::Internal && p.config.type != PortType::System)
        return nullptr;
    for (const NetDevice* d : node.devices()) {
        if (d->name() != p.config.name)
            continue;
        if (p.config.type == PortType::System && d->master() != "ovs-system")
            continue;
        if (p.config.type == PortType::Internal && d->kind() != DeviceKind::OvsInternal)
            continue;
        if (p.config.type == PortType::Internal && p.mac && d->mac() != p.mac &&
            p.ofport != ofp::kLocal) {
            continue;
        }
        (void)br;
        return d;
    }
    return nullptr;
}

std::string ofctlShow(const Node& node, const OvsBridge& br) {
    std::string out = sformat("OFPT_FEATURES_REPLY (xid=0x2): dpid:%016llx\n",
                              static_cast<unsigned long long>(br.datapathId()));
    out += "n_tables:254, n_buffers:256\n";
    out += "capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP\n";
    out +=
        "actions: OUTPUT SET_VLAN_VID SET_VLAN_PCP STRIP_VLAN SET_DL_SRC SET_DL_DST "
        "SET_NW_SRC SET_NW_DST SET_NW_TOS SET_TP_SRC SET_TP_DST ENQUEUE\n";
    for (const BridgePort* p : br.ports()) {
        const NetDevice* dev = portDevice(node, br, *p);
        std::uint64_t mac = dev ? dev->mac() : (p->mac ? p->mac : vportMac(p->config.name));
        const bool down = dev && !dev->isUp();
        out +=
            " " + formatPort(p->ofport) + "(" + p->config.name + "): addr:" + formatMac(mac) + "\n";
        out += std::string("     config:     ") + (down ? "PORT_DOWN" : "0") + "\n";
        out += std::string("     state:      ") + (down ? "LINK_DOWN" : "0") + "\n";
        out += formatPortFeatures(node, *p);
    }
    out += "OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0\n";
    return out;
}

std::string portStatsLine(const BridgePort& p) {
    std::string port = formatPort(p.ofport);
    std::string out = "  port ";
    if (p.ofport < 10)
        out += ' ';
    out += port;
    out += sformat(": rx pkts=%llu, bytes=%llu, drop=%llu, errs=0, frame=0, over=0, crc=0\n",
                   static_cast<unsigned long long>(p.rxPackets),
                   static_cast<unsigned long long>(p.rxBytes),
                   static_cast<unsigned long long>(p.rxDropped));
    out += sformat("           tx pkts=%llu, bytes=%llu, drop=%llu, errs=0, coll=0\n",
                   static_cast<unsigned long long>(p.txPackets),
                   static_cast<unsigned long long>(p.txBytes),
                   static_cast<unsigned long long>(p.txDropped));
    return out;
}

std::string ofctlDumpTables(const OvsBridge& br) {
    std::string out = "OFPST_TABLE reply (xid=0x2): 254 tables\n";
    std::uint64_t lookups = 0;
    for (const BridgePort* p : br.ports())
        lookups += p->rxPackets;
    for (int id = 0; id < 254; ++id) {
        const FlowTable* t = br.findTable(std::uint8_t(id));
        std::uint64_t active = t ? t->size() : 0;
        std::uint64_t lookup = 0, matched = 0;
        if (id == 0) {
            // Table 0 sees every packet the bridge receives; "matched" counts those a rule
            // took (the engine keeps per-rule counters, summed here).
            lookup = lookups;
            if (t) {
                for (const FlowEntry* e : t->entries())
                    matched += e->nPackets;
            }
            matched = std::min(matched, lookup);
        }
        const std::string name = id == 0 ? "classifier" : "table" + std::to_string(id);
        out += sformat("  %d: %-8s: wild=0x%05x, max=%6u, active=%llu\n", id, name.c_str(),
                       0x3fffffu, 1000000u, static_cast<unsigned long long>(active));
        out += sformat("               lookup=%llu, matched=%llu\n",
                       static_cast<unsigned long long>(lookup),
                       static_cast<unsigned long long>(matched));
    }
    return out;
}

std::vector<const FlowEntry*> allEntries(const OvsBridge& br) {
    std::vector<const FlowEntry*> out;
    for (const FlowTable* t : br.tables()) {
        for (const FlowEntry* e : t->entries())
            out.push_back(e);
    }
    return out;
}

struct OfctlCommand {
    const char* name;
    int minArgs;
    int maxArgs;
};

CommandOutput runOfctl(CommandCall& call) {
    const auto& argv = call.argv;
    bool strict = false;
    std::vector<std::string> args;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (!args.empty() || a.empty() || a[0] != '-' || a == "-") {
            args.push_back(a);
            continue;
        }
        if (a == "--strict") {
            strict = true;
        } else if (a == "-O" || a == "--protocols") {
            if (i + 1 >= argv.size())
                return fatal("ovs-ofctl", "option '" + a + "' requires an argument");
            const std::string& v = argv[++i];
            if (v != "OpenFlow10") {
                return fatal("ovs-ofctl", "the lab's ovs-ofctl speaks OpenFlow10 only (" + v + ")");
            }
        } else if (a == "-OOpenFlow10" || a == "--protocols=OpenFlow10" ||
                   startsWith(a, "--timeout=") || a == "--readd" || a == "--sort" || a == "-v" ||
                   startsWith(a, "--verbose")) {
            // Accepted; no effect on the lab's output.
        } else {
            return fatal("ovs-ofctl", "unrecognized option '" + a + "'");
        }
    }
    static const OfctlCommand kCommands[] = {
        {"show", 1, 1},      {"dump-flows", 1, 2}, {"add-flow", 2, 2},   {"add-flows", 2, 2},
        {"mod-flows", 2, 2}, {"del-flows", 1, 2},  {"dump-ports", 1, 2}, {"dump-tables", 1, 1},
    };
    if (args.empty())
        return fatal("ovs-ofctl", "missing command name; use --help for help");
    const OfctlCommand* cmd = nullptr;
    for (const auto& c : kCommands) {
        if (args[0] == c.name)
            cmd = &c;
    }
    if (!cmd)
        return fatal("ovs-ofctl", "unknown command '" + args[0] + "'; use --help for help");
    const int n = int(args.size()) - 1;
    if (n < cmd->minArgs) {
        return fatal("ovs-ofctl", "'" + args[0] + "' command requires at least " +
                                      std::to_string(cmd->minArgs) + " arguments");
    }
    if (n > cmd->maxArgs) {
        return fatal("ovs-ofctl", "'" + args[0] + "' command takes at most " +
                                      std::to_string(cmd->maxArgs) + " arguments");
    }
    Node* node = call.context.node;
    OvsBridge* br = node ? node->ovsBridge(args[1]) : nullptr;
    if (!br)
        return fatal("ovs-ofctl", args[1] + " is not a bridge or a socket");
    const std::string& verb = args[0];
    const SimTime now = call.shell.lab().clock().now();
    const PortResolver resolver = resolverFor(*br);

    try {
        if (verb == "show")
            return CommandOutput::ok(ofctlShow(*node, *br));
        if (verb == "dump-tables")
            return CommandOutput::ok(ofctlDumpTables(*br));
        if (verb == "dump-ports") {
            std::vector<const BridgePort*> ports;
            if (args.size() == 3) {
                auto no = br->resolvePort(args[2]);
                const BridgePort* p = no ? br->port(*no) : nullptr;
                if (!p) {
                    return fatal("ovs-ofctl", args[1] + ": couldn't find port `" + args[2] + "'");
                }
                ports.push_back(p);
            } else {
                ports = br->ports();
            }
            std::string out = sformat("OFPST_PORT reply (xid=0x2): %zu ports\n", ports.size());
            for (const BridgePort* p : ports)
                out += portStatsLine(*p);
            return CommandOutput::ok(out);
        }
        if (verb == "dump-flows") {
            FlowMod filter = parseFlowMod(args.size() == 3 ? args[2] : std::string(),
                                          FlowMod::Command::Delete, resolver);
            std::vector<const FlowEntry*> selected;
            for (const FlowEntry* e : allEntries(*br)) {
                if (filter.table != FlowMod::kAllTables && e->tableId != filter.table)
                    continue;
                if (!matchCoveredBy(e->spec.match, filter.spec.match))
                    continue;
                if ((e->spec.cookie & filter.cookieMask) !=
                    (filter.spec.cookie & filter.cookieMask)) {
                    continue;
                }
                if (filter.outPort != ofp::kNone &&
                    !actionsOutputTo(e->spec.actions, filter.outPort)) {
                    continue;
                }
                selected.push_back(e);
            }
            return CommandOutput::ok(formatDumpFlows(selected, now));
        }
        if (verb == "add-flow" || verb == "mod-flows" || verb == "del-flows") {
            FlowMod::Command command = FlowMod::Command::Add;
            if (verb == "mod-flows") {
                command = strict ? FlowMod::Command::ModifyStrict : FlowMod::Command::Modify;
            } else if (verb == "del-flows") {
                command = strict ? FlowMod::Command::DeleteStrict : FlowMod::Command::Delete;
            }
            FlowMod mod =
                parseFlowMod(args.size() == 3 ? args[2] : std::string(), command, resolver);
            auto r = br->applyFlowMod(mod);
            if (!r) {
                if (r.error().code == ErrorCode::Overlap) {
                    return CommandOutput::fail("OFPT_ERROR (xid=0x4): OFPFMFC_OVERLAP\n", 1);
                }
                return fatal("ovs-ofctl", r.error().message);
            }
            return CommandOutput::ok({});
        }
        if (verb == "add-flows") {
            const std::string path = call.shell.resolvePath(args[2]);
            std::ifstream f(path, std::ios::binary);
            if (!f)
                return fatal("ovs-ofctl", args[2] + ": open (No such file or directory)");
            std::stringstream ss;
            ss << f.rdbuf();
            std::vector<FlowMod> mods = parseFlowFile(ss.str(), args[2], resolver);
            for (const FlowMod& m : mods) {
                auto r = br->applyFlowMod(m);
                if (!r) {
                    if (r.error().code == ErrorCode::Overlap) {
                        return CommandOutput::fail("OFPT_ERROR (xid=0x4): OFPFMFC_OVERLAP\n", 1);
                    }
                    return fatal("ovs-ofctl", r.error().message);
                }
            }
            return CommandOutput::ok({});
        }
    } catch (const ParseError& e) {
        return fatal("ovs-ofctl", e.what());
    }
    return fatal("ovs-ofctl", "unknown command '" + verb + "'; use --help for help");
}

// ---------------------------------------------------------------------------------------
// ovs-appctl
// ---------------------------------------------------------------------------------------

/// Applies 'action''s effect on the flow (not on the frame) to 'flow', as the translation
/// does, so that the trace can print the flow each resubmit sees.
void applyToFlow(FlowKey& flow, const Action& action) {
    std::visit(
        Overloaded{
            [&](const SetVlanVidAction& a) {
                flow.vlan_tci = std::uint16_t((flow.vlan_tci & ~kVlanVidMask) |
                                              (a.vid & kVlanVidMask) | kVlanCfi);
            },
            [&](const SetVlanPcpAction& a) {
                flow.vlan_tci =
                    std::uint16_t((flow.vlan_tci & ~kVlanPcpMask) | ((a.pcp & 7) << 13) | kVlanCfi);
            },
            [&](const StripVlanAction&) { flow.vlan_tci = 0; },
            [&](const PushVlanAction&) {
                if (!(flow.vlan_tci & kVlanCfi))
                    flow.vlan_tci = kVlanCfi;
            },
            [&](const SetFieldAction& a) {
                const std::uint64_t m = a.mask & fieldMaxMask(a.field);
                const std::uint64_t old = getField(flow, a.field);
                setField(flow, a.field, (old & ~m) | (a.value & m));
                if (a.field == FieldId::VlanVid || a.field == FieldId::VlanPcp) {
                    flow.vlan_tci |= kVlanCfi;
                }
            },
            [&](const LoadAction& a) { writeSubfield(flow, a.dst, a.value); },
            [&](const MoveAction& a) { writeSubfield(flow, a.dst, readSubfield(flow, a.src)); },
            [&](const SetEthAddrAction& a) { (a.source ? flow.dl_src : flow.dl_dst) = a.mac; },
            [&](const SetIpv4AddrAction& a) { (a.source ? flow.nw_src : flow.nw_dst) = a.addr; },
            [&](const DecTtlAction&) {
                if (flow.nw_ttl > 0)
                    flow.nw_ttl--;
            },
            [&](const SetTunnelAction& a) { flow.tun_id = a.id; },
            [&](const auto&) {},
        },
        action);
}

/// Renders an engine trace in the layout of OVS 2.0's ofproto/trace.
class TraceRenderer {
public:
    TraceRenderer(const Node& node, const PacketResult& result, const FlowKey& initial)
        : m_node(node), m_result(result), m_start(initial), m_flow(initial), m_printed(initial) {}

    std::string render() {
        m_out = "Flow: " + formatFlowKey(m_start) + "\n";
        bool first = true;
        for (const TraceNode& c : m_result.trace.children)
            walk(c, 0, first);
        if (first)
            m_out += "No match\n";
        m_out += "\nFinal flow: ";
        m_out += m_flow == m_printed ? std::string("unchanged") : formatFlowKey(m_flow);
        m_out += "\n";
        Match relevant;
        relevant.key = maskKey(m_start, m_result.wildcards);
        relevant.mask = m_result.wildcards;
        m_out += "Relevant fields: " + formatMatch(relevant) + "\n";
        m_out += "Datapath actions: ";
        for (std::size_t i = 0; i < m_result.datapathActions.size(); ++i) {
            if (i)
                m_out += ",";
            m_out += m_result.datapathActions[i];
        }
        m_out += "\n";
        return m_out;
    }

private:
    static bool isOutputOdp(const std::string& a) {
        return !(startsWith(a, "pop_vlan") || startsWith(a, "push_vlan") ||
                 (startsWith(a, "set(") && !startsWith(a, "set(tunnel(")));
    }

    std::string odpSoFar() const {
        std::size_t n = 0, outputs = 0;
        const auto& odp = m_result.datapathActions;
        while (n < odp.size() && outputs < m_outputsSeen) {
            if (isOutputOdp(odp[n]) && odp[n] != "drop")
                outputs++;
            n++;
        }
        if (n == 0)
            return "drop";
        std::string s;
        for (std::size_t i = 0; i < n; ++i) {
            if (i)
                s += ",";
            s += odp[i];
        }
        return s;
    }

    const FlowEntry* findEntry(const TraceNode& t) const {
        const OvsBridge* br = m_node.ovsBridge(t.bridge);
        if (!br || t.table < 0 || !t.ruleId)
            return nullptr;
        const FlowTable* table = br->findTable(std::uint8_t(t.table));
        if (!table)
            return nullptr;
        for (const FlowEntry* e : table->entries()) {
            if (e->id == t.ruleId)
                return e;
        }
        return nullptr;
    }

    void putRule(int level, const FlowEntry* e) {
        const std::string tabs(std::size_t(level), '\t');
        if (!e) {
            m_out += tabs + "No match\n";
            return;
        }
        m_out += tabs + sformat("Rule: table=%u cookie=%#llx ", unsigned(e->tableId),
                                static_cast<unsigned long long>(e->spec.cookie));
        m_out += formatMatch(e->spec.match, e->spec.priority) + "\n";
        m_out += tabs + "OpenFlow actions=" + formatActions(e->spec.actions) + "\n";
    }

    void walk(const TraceNode& n, int depth, bool& first) {
        switch (n.kind) {
            case TraceNode::Kind::Bridge:
                for (const TraceNode& c : n.children)
                    walk(c, depth, first);
                return;
            case TraceNode::Kind::Table: {
                const FlowEntry* e = findEntry(n);
                if (first) {
                    first = false;
                    putRule(0, e);
                } else {
                    const std::string tabs(std::size_t(depth), '\t');
                    m_out += "\n" + tabs + "Resubmitted flow: ";
                    if (m_flow == m_printed) {
                        m_out += "unchanged";
                    } else {
                        m_out += formatFlowKey(m_flow);
                        m_printed = m_flow;
                    }
                    m_out += "\n" + tabs + "Resubmitted regs:";
                    for (int r = 0; r < kNumRegs; ++r) {
                        m_out += sformat(" reg%d=0x%x", r, m_flow.regs[r]);
                    }
                    m_out += "\n" + tabs + "Resubmitted  odp: " + odpSoFar() + "\n";
                    putRule(depth, e);
                }
                std::size_t actionIndex = 0;
                for (const TraceNode& c : n.children) {
                    if (c.kind == TraceNode::Kind::ActionStep) {
                        const Action* a = e && actionIndex < e->spec.actions.size()
                                              ? &e->spec.actions[actionIndex]
                                              : nullptr;
                        actionIndex++;
                        walkAction(c, a, depth + 1, first);
                    } else {
                        walk(c, depth + 1, first);
                    }
                }
                return;
            }
            case TraceNode::Kind::Output:
                m_outputsSeen++;
                break;
            case TraceNode::Kind::Detail:
            case TraceNode::Kind::Warn:
            case TraceNode::Kind::Drop:
                report(n.text, depth - 1);
                break;
            default:
                break;
        }
        for (const TraceNode& c : n.children)
            walk(c, depth, first);
    }

    void walkAction(const TraceNode& step, const Action* action, int depth, bool& first) {
        // Nested stages first see the flow as it is before the action's own effect (a
        // resubmit or a patch output does not change it; a field action has no children).
        const auto* out = action ? std::get_if<OutputAction>(action) : nullptr;
        FlowKey saved = m_flow;
        bool patch = false;
        for (const TraceNode& c : step.children) {
            if (c.kind == TraceNode::Kind::Bridge && out) {
                // Into the peer bridge of a patch port: OVS clears metadata, tunnel and
                // registers, and the in_port becomes the peer port.
                patch = true;
                const OvsBridge* from = m_node.ovsBridge(step.bridge);
                const BridgePort* p = from ? from->port(out->port) : nullptr;
                if (p)
                    m_flow.in_port = p->peerOfport;
                m_flow.metadata = 0;
                m_flow.tun_id = 0;
                m_flow.tun_src = 0;
                m_flow.tun_dst = 0;
                for (auto& r : m_flow.regs)
                    r = 0;
                walk(c, depth, first);
                m_flow = saved;
            } else {
                walk(c, depth, first);
            }
        }
        if (action && !patch)
            applyToFlow(m_flow, *action);
    }

    void report(const std::string& text, int level) {
        // The messages ofproto-dpif-xlate.c reports; the engine's other notes have no OVS 2.0
        // counterpart and are left out.
        static const char* const kKnown[] = {
            "forwarding to learned port",
            "no learned MAC for destination, flooding",
            "learned port is input port, dropping",
            "skipping output to input port",
        };
        std::string t = text;
        if (t == "multicast/broadcast destination, flooding") {
            t = "no learned MAC for destination, flooding";
        }
        for (const char* k : kKnown) {
            if (t == k) {
                m_out += std::string(std::size_t(std::max(level, 0)), '\t') + t + "\n";
                return;
            }
        }
    }

    const Node& m_node;
    const PacketResult& m_result;
    FlowKey m_start;
    FlowKey m_flow;
    FlowKey m_printed;
    std::size_t m_outputsSeen = 0;
    std::string m_out;
};

CommandOutput appctlError(const std::string& message) {
    return CommandOutput::fail(message + "\novs-appctl: ovs-vswitchd: server returned an error\n",
                               2);
}

CommandOutput runAppctl(CommandCall& call) {
    std::vector<std::string> args;
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        const std::string& a = call.argv[i];
        if (args.empty() && (startsWith(a, "--target=") || startsWith(a, "--timeout=")))
            continue;
        if (args.empty() && (a == "-t" || a == "--target" || a == "-T")) {
            ++i;
            continue;
        }
        args.push_back(a);
    }
    if (args.empty())
        return fatal("ovs-appctl",
                     "at least one non-option argument is required (use --help for help)");
    Node* node = call.context.node;
    const std::string& cmd = args[0];
    if (cmd == "fdb/show") {
        if (args.size() < 2)
            return appctlError("\"fdb/show\" command requires at least 1 arguments");
        if (args.size() > 2)
            return appctlError("\"fdb/show\" command takes at most 1 arguments");
        OvsBridge* br = node ? node->ovsBridge(args[1]) : nullptr;
        if (!br)
            return appctlError("no such bridge");
        return CommandOutput::ok(br->formatFdb());
    }
    if (cmd == "ofproto/trace") {
        std::vector<std::string> a(args.begin() + 1, args.end());
        if (!a.empty() && a.back() == "-generate")
            a.pop_back();
        if (a.empty())
            return appctlError("\"ofproto/trace\" command requires at least 1 arguments");
        if (a.size() > 2)
            return appctlError("\"ofproto/trace\" command takes at most 3 arguments");
        OvsBridge* br = nullptr;
        Match m;
        try {
            m = parseMatch(a.back(), a.size() == 2 && node && node->ovsBridge(a[0])
                                         ? resolverFor(*node->ovsBridge(a[0]))
                                         : PortResolver{});
        } catch (const ParseError&) {
            return appctlError("Bad flow syntax");
        }
        if (a.size() != 2)
            return appctlError("Must specify bridge name");
        br = node ? node->ovsBridge(a[0]) : nullptr;
        if (!br)
            return appctlError("Unknown bridge name");
        FlowKey key = m.key;
        Packet packet(composeFrame(key, 0));
        if (key.tun_id || key.tun_src || key.tun_dst) {
            packet.tunnel = TunnelMetadata{key.tun_id, key.tun_src, key.tun_dst, true};
        }
        PacketResult r = br->trace(key.in_port, packet, false);
        // The flow as given (OVS 2.0 traces the parsed flow; the engine's frame of a flow
        // without dl_type is an 802.3 frame, which is no business of the printed flow).
        TraceRenderer renderer(*node, r, key);
        return CommandOutput::ok(renderer.render());
    }
    return appctlError("\"" + cmd + "\" is not a valid command");
}

}  // namespace

void registerOvsCommands(Shell& shell) {
    shell.add({"ovs-vsctl", kScopeHost,
               "ovs-vsctl [--may-exist|--if-exists] show|list-br|br-exists BR|add-br BR|del-br BR|"
               "list-ports BR|list-ifaces BR|add-port BR PORT [tag=N] [-- set Interface PORT "
               "type=internal|patch|gre|vxlan options:K=V]|del-port [BR] PORT|port-to-br PORT|"
               "set Port PORT tag=N|clear Port PORT tag",
               runVsctl});
    shell.add({"ovs-ofctl", kScopeHost,
               "ovs-ofctl [--strict] show|dump-flows BR [table=N,MATCH]|add-flow BR FLOW|"
               "add-flows BR FILE|mod-flows BR FLOW|del-flows BR [FLOW]|dump-ports BR [PORT]|"
               "dump-tables BR",
               runOfctl});
    shell.add(
        {"ovs-appctl", kScopeHost, "ovs-appctl ofproto/trace BR FLOW | fdb/show BR", runAppctl});
    registerTcpdumpCommand(shell);
}

}  // namespace nlab::engine
