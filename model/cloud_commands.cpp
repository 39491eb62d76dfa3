#include "model/cloud_commands.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "engine/console/shell.h"
#include "model/catalog.h"
#include "model/cloud.h"
#include "model/ids.h"

namespace nlab::model {

using engine::CommandCall;
using engine::CommandOutput;

// ---------------------------------------------------------------------------------------
// prettytable

std::string formatPrettyTable(const std::vector<std::string>& headers,
                              const std::vector<std::vector<std::string>>& rows) {
    auto splitLines = [](const std::string& s) {
        std::vector<std::string> lines;
        std::string cur;
        for (char c : s) {
            if (c == '\n') {
                lines.push_back(cur);
                cur.clear();
            } else {
                cur += c;
            }
        }
        lines.push_back(cur);
        return lines;
    };
    std::vector<std::size_t> width(headers.size(), 0);
    for (std::size_t c = 0; c < headers.size(); ++c) width[c] = headers[c].size();
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < headers.size() && c < row.size(); ++c) {
            for (const std::string& l : splitLines(row[c])) width[c] = std::max(width[c], l.size());
        }
    }
    std::string rule = "+";
    for (std::size_t w : width) rule += std::string(w + 2, '-') + "+";
    rule += "\n";
    auto line = [&](const std::vector<std::string>& cells) {
        std::string out = "|";
        for (std::size_t c = 0; c < width.size(); ++c) {
            const std::string& v = c < cells.size() ? cells[c] : std::string();
            out += " " + v + std::string(width[c] - v.size(), ' ') + " |";
        }
        return out + "\n";
    };
    std::string out = rule + line(headers) + rule;
    for (const auto& row : rows) {
        std::vector<std::vector<std::string>> cellLines;
        std::size_t height = 1;
        for (std::size_t c = 0; c < width.size(); ++c) {
            cellLines.push_back(splitLines(c < row.size() ? row[c] : std::string()));
            height = std::max(height, cellLines.back().size());
        }
        for (std::size_t h = 0; h < height; ++h) {
            std::vector<std::string> cells;
            for (auto& cl : cellLines) cells.push_back(h < cl.size() ? cl[h] : std::string());
            out += line(cells);
        }
    }
    return out + rule;
}

namespace {

// ---------------------------------------------------------------------------------------
// argparse (Python 2.7) emulation

struct Option {
    std::vector<std::string> names;  ///< "-D", "--show-details".
    std::string dest;
    enum class Kind { Value, Flag, OptionalValue } kind = Kind::Value;
    std::string metavar;             ///< Usage text of the value ("NAME", "{json,xml}").
    std::vector<std::string> choices;
    bool hidden = false;             ///< argparse.SUPPRESS: not in the usage.
    int group = 0;                   ///< Mutually exclusive group (0: none).
    bool isInt = false;
};

struct Positional {
    std::string dest;
    std::string metavar;
    bool plus = false;  ///< nargs='+'.
};

struct ArgSpec {
    std::string prog;  ///< "neutron net-create".
    std::vector<Option> options;
    std::vector<Positional> positionals;
    std::string description;
};

struct ParsedArgs {
    std::map<std::string, std::vector<std::string>> values;
    std::set<std::string> flags;
    std::vector<std::string> extras;
    bool help = false;

    bool has(const std::string& dest) const { return values.count(dest) || flags.count(dest); }
    std::string get(const std::string& dest) const {
        auto it = values.find(dest);
        return it == values.end() || it->second.empty() ? std::string() : it->second.back();
    }
    std::vector<std::string> all(const std::string& dest) const {
        auto it = values.find(dest);
        return it == values.end() ? std::vector<std::string>{} : it->second;
    }
};

/// argparse's HelpFormatter usage, wrapped at 78 columns (COLUMNS=80).
std::string formatUsage(const std::string& prog, const std::vector<std::string>& optParts,
                        const std::vector<std::string>& posParts) {
    const std::string prefix = "usage: ";
    const std::size_t textWidth = 78;
    std::string all = prog;
    for (const auto& p : optParts) all += " " + p;
    for (const auto& p : posParts) all += " " + p;
    if (prefix.size() + all.size() <= textWidth) return prefix + all + "\n";
    auto getLines = [&](const std::vector<std::string>& parts, const std::string& indent,
                        bool withPrefix) {
        std::vector<std::string> lines;
        std::vector<std::string> line;
        std::size_t lineLen = withPrefix ? prefix.size() - 1 : indent.size() - 1;
        for (const std::string& part : parts) {
            if (lineLen + 1 + part.size() > textWidth && !line.empty()) {
                std::string l = indent;
                for (std::size_t i = 0; i < line.size(); ++i) l += (i ? " " : "") + line[i];
                lines.push_back(l);
                line.clear();
                lineLen = indent.size() - 1;
            }
            line.push_back(part);
            lineLen += part.size() + 1;
        }
        if (!line.empty()) {
            std::string l = indent;
            for (std::size_t i = 0; i < line.size(); ++i) l += (i ? " " : "") + line[i];
            lines.push_back(l);
        }
        if (withPrefix && !lines.empty()) lines[0] = lines[0].substr(indent.size());
        return lines;
    };
    const std::string indent(prefix.size() + prog.size() + 1, ' ');
    std::vector<std::string> lines;
    if (!optParts.empty()) {
        std::vector<std::string> parts{prog};
        parts.insert(parts.end(), optParts.begin(), optParts.end());
        lines = getLines(parts, indent, true);
        auto more = getLines(posParts, indent, false);
        lines.insert(lines.end(), more.begin(), more.end());
    } else if (!posParts.empty()) {
        std::vector<std::string> parts{prog};
        parts.insert(parts.end(), posParts.begin(), posParts.end());
        lines = getLines(parts, indent, true);
    } else {
        lines = {prog};
    }
    std::string out = prefix;
    for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n" : "") + lines[i];
    return out + "\n";
}

std::string usageOf(const ArgSpec& spec, bool withHelp = true) {
    std::vector<std::string> opt;
    if (withHelp) opt.push_back("[-h]");
    for (std::size_t i = 0; i < spec.options.size(); ++i) {
        const Option& o = spec.options[i];
        if (o.hidden) continue;
        auto partOf = [](const Option& x) {
            std::string p = x.names.front();
            if (x.kind == Option::Kind::Value) p += " " + x.metavar;
            if (x.kind == Option::Kind::OptionalValue) p += " [" + x.metavar + "]";
            return p;
        };
        if (o.group != 0) {
            bool first = true;
            for (std::size_t j = 0; j < i; ++j) {
                if (spec.options[j].group == o.group && !spec.options[j].hidden) first = false;
            }
            if (!first) continue;
            std::string p = "[";
            bool any = false;
            for (const Option& x : spec.options) {
                if (x.group != o.group || x.hidden) continue;
                p += (any ? " | " : "") + partOf(x);
                any = true;
            }
            opt.push_back(p + "]");
            continue;
        }
        opt.push_back("[" + partOf(o) + "]");
    }
    std::vector<std::string> pos;
    for (const Positional& p : spec.positionals) {
        pos.push_back(p.plus ? p.metavar + " [" + p.metavar + " ...]" : p.metavar);
    }
    return formatUsage(spec.prog, opt, pos);
}

struct ParseResult {
    ParsedArgs args;
    std::string error;  ///< argparse's message ("too few arguments"); "" when parsed.
};

bool isNegativeNumber(const std::string& s) {
    if (s.size() < 2 || s[0] != '-') return false;
    bool digit = false;
    for (std::size_t i = 1; i < s.size(); ++i) {
        if (std::isdigit(static_cast<unsigned char>(s[i]))) digit = true;
        else if (s[i] != '.') return false;
    }
    return digit;
}

std::string optionName(const Option& o) {
    std::string n;
    for (const std::string& s : o.names) n += (n.empty() ? "" : "/") + s;
    return n;
}

ParseResult parseArgs(const ArgSpec& spec, const std::vector<std::string>& argv) {
    ParseResult r;
    std::vector<std::string> words;
    std::vector<char> pattern;
    bool rest = false;
    for (const std::string& w : argv) {
        if (!rest && w == "--") {
            rest = true;
            continue;
        }
        words.push_back(w);
        const bool isOpt = !rest && w.size() > 1 && w[0] == '-' && !isNegativeNumber(w);
        pattern.push_back(isOpt ? 'O' : 'A');
    }
    std::size_t nextPositional = 0;
    std::map<int, const Option*> groupSeen;
    auto findOption = [&](const std::string& name, std::string& error) -> const Option* {
        for (const Option& o : spec.options) {
            for (const std::string& n : o.names) {
                if (n == name) return &o;
            }
        }
        if (name.rfind("--", 0) != 0) return nullptr;
        std::vector<std::pair<const Option*, std::string>> matches;
        for (const Option& o : spec.options) {
            for (const std::string& n : o.names) {
                if (n.rfind("--", 0) == 0 && n.rfind(name, 0) == 0) matches.push_back({&o, n});
            }
        }
        if (name == "--help" || std::string("--help").rfind(name, 0) == 0) {
            matches.push_back({nullptr, "--help"});
        }
        if (matches.size() > 1) {
            std::string list;
            for (const auto& m : matches) list += (list.empty() ? "" : ", ") + m.second;
            error = "ambiguous option: " + name + " could match " + list;
            return nullptr;
        }
        if (matches.size() == 1 && matches[0].first == nullptr) {
            error = "--help";
            return nullptr;
        }
        return matches.size() == 1 ? matches[0].first : nullptr;
    };
    std::size_t i = 0;
    while (i < words.size()) {
        if (pattern[i] == 'A') {
            std::size_t j = i;
            while (j < words.size() && pattern[j] == 'A') ++j;
            std::size_t k = i;
            while (nextPositional < spec.positionals.size() && k < j) {
                const Positional& p = spec.positionals[nextPositional++];
                if (p.plus) {
                    for (; k < j; ++k) r.args.values[p.dest].push_back(words[k]);
                } else {
                    r.args.values[p.dest].push_back(words[k++]);
                }
            }
            for (; k < j; ++k) r.args.extras.push_back(words[k]);
            i = j;
            continue;
        }
        const std::string& w = words[i];
        if (w == "-h" || w == "--help") {
            r.args.help = true;
            return r;
        }
        std::string name = w;
        std::optional<std::string> inlineValue;
        if (auto eq = w.find('='); eq != std::string::npos && w.rfind("--", 0) == 0) {
            name = w.substr(0, eq);
            inlineValue = w.substr(eq + 1);
        }
        std::string error;
        const Option* o = findOption(name, error);
        if (!o && error == "--help") {
            r.args.help = true;
            return r;
        }
        if (!error.empty()) {
            r.error = error;
            return r;
        }
        if (!o && w.size() > 2 && w[1] != '-') {
            // "-cCOLUMN": a short option with its value attached.
            std::string shortName = w.substr(0, 2);
            o = findOption(shortName, error);
            if (o && o->kind != Option::Kind::Flag) inlineValue = w.substr(2);
            else o = nullptr;
        }
        if (!o) {
            r.args.extras.push_back(w);
            ++i;
            continue;
        }
        if (o->group != 0) {
            auto seen = groupSeen.find(o->group);
            if (seen != groupSeen.end() && seen->second != o) {
                r.error = "argument " + optionName(*o) + ": not allowed with argument " +
                          optionName(*seen->second);
                return r;
            }
            groupSeen[o->group] = o;
        }
        ++i;
        if (o->kind == Option::Kind::Flag) {
            if (inlineValue) {
                r.error = "argument " + optionName(*o) + ": ignored explicit argument '" +
                          *inlineValue + "'";
                return r;
            }
            r.args.flags.insert(o->dest);
            continue;
        }
        std::string value;
        if (inlineValue) {
            value = *inlineValue;
        } else if (i < words.size() && pattern[i] == 'A') {
            value = words[i++];
        } else if (o->kind == Option::Kind::OptionalValue) {
            r.args.values[o->dest].push_back("");
            continue;
        } else {
            r.error = "argument " + optionName(*o) + ": expected one argument";
            return r;
        }
        if (!o->choices.empty() &&
            std::find(o->choices.begin(), o->choices.end(), value) == o->choices.end()) {
            std::string list;
            for (const auto& c : o->choices) {
                list += (list.empty() ? "" : ", ") + (o->isInt ? c : "'" + c + "'");
            }
            r.error = "argument " + optionName(*o) + ": invalid choice: " +
                      (o->isInt ? value : "'" + value + "'") + " (choose from " + list + ")";
            if (o->isInt && !std::all_of(value.begin(), value.end(), ::isdigit)) {
                r.error = "argument " + optionName(*o) + ": invalid int value: '" + value + "'";
            }
            return r;
        }
        r.args.values[o->dest].push_back(value);
    }
    if (nextPositional < spec.positionals.size()) r.error = "too few arguments";
    return r;
}

// ---------------------------------------------------------------------------------------
// Shared helpers

std::string pyBool(bool b) { return b ? "True" : "False"; }

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

/// Splits "k1=v1,k2=v2" as neutronclient's utils.str2dict does.
std::map<std::string, std::string> str2dict(const std::string& text) {
    std::map<std::string, std::string> out;
    std::string item;
    std::stringstream ss(text);
    while (std::getline(ss, item, ',')) {
        auto eq = item.find('=');
        if (eq == std::string::npos) out[item] = "";
        else out[item.substr(0, eq)] = item.substr(eq + 1);
    }
    return out;
}

/// What a command prints when it is done.
CommandOutput neutronError(const std::string& message) {
    return CommandOutput::fail(message + "\n", 1);
}

/// A neutron resource shown by the server: field -> value as neutronclient prints it.
using Fields = std::map<std::string, std::string>;

/// Per-shell state of the clients.
struct ClientState {
    Cloud& cloud;
    std::mt19937_64 rng;                         ///< Display-only values (request ids, ...).
    std::string userId;
    std::map<std::string, std::int64_t> createdAt;  ///< Instance id -> boot time (s).
    explicit ClientState(Cloud& c) : cloud(c), rng(c.seed() ^ 0x6e6f7661636c6931ULL) {
        userId = makeHexId(rng);
    }
    /// Seconds since the epoch now: Icehouse's release day plus the lab's virtual time.
    std::int64_t now() const {
        return 1397692800 + cloud.lab().clock().now() / 1000000000;
    }
};

// ---------------------------------------------------------------------------------------
// Neutron resources as the server returns them (Icehouse, ML2 + L3 router plugin, admin).

std::string fixedIpJson(const FixedIp& f) {
    return "{\"subnet_id\": " + jsonString(f.subnetId) + ", \"ip_address\": " +
           jsonString(f.ipAddress.toString()) + "}";
}

std::string poolJson(const AllocationPool& p) {
    return "{\"start\": " + jsonString(p.start.toString()) + ", \"end\": " +
           jsonString(p.end.toString()) + "}";
}

std::string joinLines(const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? "\n" : "") + v[i];
    return out;
}

Fields networkFields(const TenantState& st, const Network& n) {
    std::vector<std::string> subnets;
    for (const Subnet* s : st.subnetsOf(n.id)) subnets.push_back(s->id);
    return {
        {"admin_state_up", pyBool(n.adminStateUp)},
        {"id", n.id},
        {"name", n.name},
        {"provider:network_type", std::string(toString(n.type))},
        {"provider:physical_network", n.physicalNetwork},
        {"provider:segmentation_id", n.type == NetworkType::Flat ? "" : std::to_string(n.segmentationId)},
        {"router:external", pyBool(n.external)},
        {"shared", pyBool(n.shared)},
        {"status", "ACTIVE"},
        {"subnets", joinLines(subnets)},
        {"tenant_id", n.tenantId},
    };
}

Fields subnetFields(const Subnet& s) {
    std::vector<std::string> pools;
    for (const AllocationPool& p : s.allocationPools) pools.push_back(poolJson(p));
    std::vector<std::string> dns;
    for (const Ipv4Address& a : s.dnsNameservers) dns.push_back(a.toString());
    return {
        {"allocation_pools", joinLines(pools)},
        {"cidr", s.cidr.toString()},
        {"dns_nameservers", joinLines(dns)},
        {"enable_dhcp", pyBool(s.enableDhcp)},
        {"gateway_ip", s.gatewayIp ? s.gatewayIp->toString() : ""},
        {"host_routes", ""},
        {"id", s.id},
        {"ip_version", "4"},
        {"name", s.name},
        {"network_id", s.networkId},
        {"tenant_id", s.tenantId},
    };
}

/// The id of the tenant's "default" security group (display only: the lab has no
/// security groups, but Neutron puts compute and plain ports in it).
std::string defaultSecurityGroup(const Cloud& cloud) {
    std::mt19937_64 rng(cloud.seed() ^ 0x7365637572697479ULL);
    return makeUuid4(rng);
}

Fields portFields(const Cloud& cloud, const Port& p) {
    std::vector<std::string> ips;
    for (const FixedIp& f : p.fixedIps) ips.push_back(fixedIpJson(f));
    const bool bound = !p.hostId.empty();
    const bool networkOwned = p.deviceOwner.rfind("network:", 0) == 0;
    const bool active = bound || p.deviceOwner == owner::kFloatingIp;
    return {
        {"admin_state_up", pyBool(p.adminStateUp)},
        {"allowed_address_pairs", ""},
        {"binding:host_id", p.hostId},
        {"binding:profile", "{}"},
        {"binding:vif_details", bound ? "{\"port_filter\": true, \"ovs_hybrid_plug\": true}" : "{}"},
        {"binding:vif_type", bound ? "ovs" : "unbound"},
        {"binding:vnic_type", "normal"},
        {"device_id", p.deviceId},
        {"device_owner", p.deviceOwner},
        {"extra_dhcp_opts", ""},
        {"fixed_ips", joinLines(ips)},
        {"id", p.id},
        {"mac_address", p.macAddress.toString()},
        {"name", p.name},
        {"network_id", p.networkId},
        {"security_groups", networkOwned ? "" : defaultSecurityGroup(cloud)},
        {"status", active ? "ACTIVE" : "DOWN"},
        {"tenant_id", p.tenantId},
    };
}

std::string gatewayInfoJson(const Router& r) {
    if (r.gatewayNetworkId.empty()) return "";
    return "{\"network_id\": " + jsonString(r.gatewayNetworkId) +
           ", \"enable_snat\": " + (r.enableSnat ? "true" : "false") + "}";
}

Fields routerFields(const Router& r) {
    return {
        {"admin_state_up", pyBool(r.adminStateUp)},
        {"external_gateway_info", gatewayInfoJson(r)},
        {"id", r.id},
        {"name", r.name},
        {"routes", ""},
        {"status", "ACTIVE"},
        {"tenant_id", r.tenantId},
    };
}

Fields floatingIpFields(const FloatingIp& f) {
    return {
        {"fixed_ip_address", f.fixedIpAddress ? f.fixedIpAddress->toString() : ""},
        {"floating_ip_address", f.floatingIpAddress.toString()},
        {"floating_network_id", f.floatingNetworkId},
        {"id", f.id},
        {"port_id", f.portId},
        {"router_id", f.routerId},
        {"status", f.portId.empty() ? "DOWN" : "ACTIVE"},
        {"tenant_id", f.tenantId},
    };
}

/// cliff's ShowOne table (Field/Value, sorted by field), optionally restricted to -c columns.
std::string showTable(const Fields& fields, const std::vector<std::string>& columns) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : fields) {
        if (!columns.empty() && std::find(columns.begin(), columns.end(), k) == columns.end()) continue;
        rows.push_back({k, v});
    }
    if (rows.empty()) return "\n";
    return formatPrettyTable({"Field", "Value"}, rows);
}

/// cliff's Lister table: 'listColumns' in order (or the -c ones), rows in server order.
std::string listTable(const std::vector<std::string>& listColumns, const std::vector<Fields>& rows,
                      const std::vector<std::string>& columnsArg,
                      const std::map<std::string, std::function<std::string(const Fields&)>>& fmt = {}) {
    if (rows.empty()) return "\n";
    std::vector<std::string> cols;
    const std::vector<std::string>& wanted = columnsArg.empty() ? listColumns : columnsArg;
    for (const std::string& c : wanted) {
        if (rows.front().count(c)) cols.push_back(c);
    }
    if (columnsArg.empty() && cols.empty()) {
        for (const auto& [k, v] : rows.front()) cols.push_back(k);
    }
    std::vector<std::vector<std::string>> table;
    for (const Fields& f : rows) {
        std::vector<std::string> row;
        for (const std::string& c : cols) {
            auto it = fmt.find(c);
            row.push_back(it != fmt.end() ? it->second(f) : f.at(c));
        }
        table.push_back(row);
    }
    if (cols.empty()) return "\n";
    return formatPrettyTable(cols, table);
}

// ---------------------------------------------------------------------------------------
// neutron

struct NeutronCommand {
    std::string name;
    std::string help;  ///< The command's docstring (`neutron help`).
    enum class Kind { List, Show, Create, Delete, Other } kind = Kind::Other;
    std::string resource;  ///< "network", ...
    std::vector<Option> options;
    std::vector<Positional> positionals;
    std::function<CommandOutput(ClientState&, const ParsedArgs&, const std::vector<std::string>& valuesSpecs)> run;
};

Option opt(std::vector<std::string> names, std::string dest, std::string metavar = {}) {
    Option o;
    o.names = std::move(names);
    o.dest = std::move(dest);
    o.metavar = metavar.empty() ? [&] {
        std::string m = o.dest;
        for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return m;
    }()
                                : std::move(metavar);
    return o;
}

Option flag(std::vector<std::string> names, std::string dest) {
    Option o;
    o.names = std::move(names);
    o.dest = std::move(dest);
    o.kind = Option::Kind::Flag;
    return o;
}

Option hidden(Option o) {
    o.hidden = true;
    return o;
}

Option choices(Option o, std::vector<std::string> c) {
    o.choices = c;
    std::string m = "{";
    for (std::size_t i = 0; i < c.size(); ++i) m += (i ? "," : "") + c[i];
    o.metavar = m + "}";
    return o;
}

std::vector<Option> showOneOptions() {
    return {choices(opt({"-f", "--format"}, "formatter"), {"shell", "table"}),
            opt({"-c", "--column"}, "columns", "COLUMN"),
            opt({"--variable"}, "variable", "VARIABLE"),
            opt({"--prefix"}, "prefix", "PREFIX")};
}

std::vector<Option> listerOptions() {
    return {choices(opt({"-f", "--format"}, "formatter"), {"csv", "table"}),
            opt({"-c", "--column"}, "columns", "COLUMN"),
            choices(opt({"--quote"}, "quote_mode"), {"all", "minimal", "none", "nonnumeric"})};
}

std::vector<Option> requestFormat() {
    return {choices(opt({"--request-format"}, "request_format"), {"json", "xml"}),
            hidden(choices(opt({"--request_format"}, "request_format"), {"json", "xml"}))};
}

/// The argparse spec of a neutron command (cliff options, NeutronCommand's, the
/// command kind's, the command's own).
ArgSpec specOf(const NeutronCommand& c) {
    ArgSpec spec;
    spec.prog = "neutron " + c.name;
    spec.description = c.help;
    auto add = [&](const std::vector<Option>& v) { spec.options.insert(spec.options.end(), v.begin(), v.end()); };
    switch (c.kind) {
    case NeutronCommand::Kind::Create:
        add(showOneOptions());
        add(requestFormat());
        add({opt({"--tenant-id"}, "tenant_id", "TENANT_ID"), hidden(opt({"--tenant_id"}, "tenant_id"))});
        break;
    case NeutronCommand::Kind::Show:
        add(showOneOptions());
        add(requestFormat());
        add({flag({"-D", "--show-details"}, "show_details"), hidden(flag({"--show_details"}, "show_details")),
             hidden(opt({"--fields"}, "fields")), opt({"-F", "--field"}, "fields", "FIELD")});
        break;
    case NeutronCommand::Kind::List:
        add(listerOptions());
        add(requestFormat());
        add({flag({"-D", "--show-details"}, "show_details"), hidden(flag({"--show_details"}, "show_details")),
             hidden(opt({"--fields"}, "fields")), opt({"-F", "--field"}, "fields", "FIELD"),
             opt({"-P", "--page-size"}, "page_size", "SIZE"), opt({"--sort-key"}, "sort_key", "FIELD"),
             choices(opt({"--sort-dir"}, "sort_dir"), {"asc", "desc"})});
        spec.options.back().metavar = "{asc,desc}";
        break;
    case NeutronCommand::Kind::Delete:
    case NeutronCommand::Kind::Other:
        add(requestFormat());
        break;
    }
    add(c.options);
    spec.positionals = c.positionals;
    return spec;
}

/// neutronclient's parse_args_to_dict for the words argparse did not know.
struct ValuesSpecs {
    std::map<std::string, std::string> values;  ///< "provider:network_type" -> "gre".
    std::string error;
};

ValuesSpecs parseValuesSpecs(const std::vector<std::string>& specs) {
    ValuesSpecs out;
    std::vector<std::string> words = specs;
    if (!words.empty() && words.front() == "--") words.erase(words.begin());
    std::string joined;
    for (const auto& w : specs) joined += (joined.empty() ? "" : " ") + w;
    std::string current;
    bool currentHasValue = false;
    for (const std::string& w : words) {
        if (w.rfind("--", 0) == 0) {
            std::string key = w.substr(2);
            currentHasValue = false;
            if (auto eq = key.find('='); eq != std::string::npos) {
                const std::string k = key.substr(0, eq);
                if (out.values.count(k)) {
                    out.error = "Duplicated options " + joined;
                    return out;
                }
                out.values[k] = key.substr(eq + 1);
                current.clear();
                continue;
            }
            if (out.values.count(key)) {
                out.error = "Duplicated options " + joined;
                return out;
            }
            out.values[key] = "True";  // A key without a value is a boolean option.
            current = key;
            continue;
        }
        if (w.rfind("type=", 0) == 0 && !current.empty()) continue;
        if (current.empty() || (w.rfind("-", 0) == 0 && !isNegativeNumber(w))) {
            out.error = "Invalid values_specs " + joined;
            return out;
        }
        out.values[current] = currentHasValue ? out.values[current] + "\n" + w : w;
        currentHasValue = true;
    }
    std::map<std::string, std::string> normalised;
    for (auto& [k, v] : out.values) {
        std::string key = k;
        std::replace(key.begin(), key.end(), '-', '_');
        normalised[key] = v;
    }
    out.values = std::move(normalised);
    return out;
}

/// find_resourceid_by_name_or_id (neutronclient 2.3.4): the id when the argument is an
/// existing id, else the one object of that name.
template <typename Map, typename NameOf>
std::optional<std::string> findByNameOrId(const Map& map, const std::string& resource,
                                          const std::string& arg, NameOf nameOf, std::string& error) {
    if (looksLikeUuid(arg) && map.count(arg)) return arg;
    std::vector<std::string> ids;
    for (const auto& [id, obj] : map) {
        if (nameOf(obj) == arg) ids.push_back(id);
    }
    if (ids.size() > 1) {
        error = "Multiple " + resource + " matches found for name '" + arg +
                "', use an ID to be more specific.";
        return std::nullopt;
    }
    if (ids.empty()) {
        error = "Unable to find " + resource + " with name '" + arg + "'";
        return std::nullopt;
    }
    return ids.front();
}

std::optional<std::string> findNetwork(const Cloud& c, const std::string& arg, std::string& e) {
    return findByNameOrId(c.state().networks, "network", arg, [](const Network& n) { return n.name; }, e);
}
std::optional<std::string> findSubnet(const Cloud& c, const std::string& arg, std::string& e) {
    return findByNameOrId(c.state().subnets, "subnet", arg, [](const Subnet& s) { return s.name; }, e);
}
std::optional<std::string> findPort(const Cloud& c, const std::string& arg, std::string& e) {
    return findByNameOrId(c.state().ports, "port", arg, [](const Port& p) { return p.name; }, e);
}
std::optional<std::string> findRouter(const Cloud& c, const std::string& arg, std::string& e) {
    return findByNameOrId(c.state().routers, "router", arg, [](const Router& r) { return r.name; }, e);
}

/// The list filters of `neutron X-list -- --key value`: fields that must equal the value.
bool matchesFilters(const Fields& f, const std::map<std::string, std::string>& filters) {
    for (const auto& [k, v] : filters) {
        auto it = f.find(k);
        if (it == f.end()) continue;  // The server ignores unknown filters.
        if (it->second != v) return false;
    }
    return true;
}

std::optional<bool> parseBool(const std::string& s) {
    std::string l = s;
    for (char& ch : l) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (l == "true" || l == "1") return true;
    if (l == "false" || l == "0") return false;
    return std::nullopt;
}

std::string unrecognized(const std::map<std::string, std::string>& extra,
                         const std::set<std::string>& allowed) {
    std::vector<std::string> bad;
    for (const auto& [k, v] : extra) {
        if (!allowed.count(k)) bad.push_back(k);
    }
    if (bad.empty()) return {};
    std::string list;
    for (const auto& b : bad) list += (list.empty() ? "" : ", ") + b;
    return "Unrecognized attribute(s) '" + list + "'";
}

std::optional<PortPin> pinFromMac(const std::string& mac, std::string& error) {
    PortPin pin;
    if (mac.empty()) return pin;
    auto m = MacAddress::parse(mac);
    if (!m) {
        error = "Invalid input for mac_address. Reason: '" + mac + "' is not a valid MAC address.";
        return std::nullopt;
    }
    pin.mac = m;
    return pin;
}

std::vector<NeutronCommand> neutronCommands() {
    std::vector<NeutronCommand> cmds;
    using K = NeutronCommand::Kind;
    auto columnsOf = [](const ParsedArgs& a) { return a.all("columns"); };

    // ---- networks
    cmds.push_back({"net-list", "List networks that belong to a given tenant.", K::List, "network", {}, {},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                        ValuesSpecs filters = parseValuesSpecs(vs);
                        if (!filters.error.empty()) return neutronError(filters.error);
                        std::vector<Fields> rows;
                        for (const auto& [id, n] : cs.cloud.state().networks) {
                            Fields f = networkFields(cs.cloud.state(), n);
                            if (matchesFilters(f, filters.values)) rows.push_back(f);
                        }
                        const TenantState& st = cs.cloud.state();
                        auto subnetsFmt = [&st](const Fields& f) {
                            std::vector<std::string> out;
                            for (const Subnet* s : st.subnetsOf(f.at("id"))) {
                                out.push_back(s->id + " " + s->cidr.toString());
                            }
                            return joinLines(out);
                        };
                        return CommandOutput::ok(listTable({"id", "name", "subnets"}, rows, columnsOf(a),
                                                           {{"subnets", subnetsFmt}}));
                    }});
    cmds.push_back({"net-show", "Show information of a given network.", K::Show, "network", {},
                    {{"id", "NETWORK"}},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto id = findNetwork(cs.cloud, a.get("id"), e);
                        if (!id) return neutronError(e);
                        return CommandOutput::ok(
                            showTable(networkFields(cs.cloud.state(), cs.cloud.state().networks.at(*id)), columnsOf(a)));
                    }});
    cmds.push_back(
        {"net-create", "Create a network for a given tenant.", K::Create, "network",
         {flag({"--admin-state-down"}, "admin_state_down"), hidden(flag({"--admin_state_down"}, "admin_state_down")),
          flag({"--shared"}, "shared")},
         {{"name", "NAME"}},
         [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
             ValuesSpecs extra = parseValuesSpecs(vs);
             if (!extra.error.empty()) return neutronError(extra.error);
             std::string bad = unrecognized(extra.values, {"provider:network_type", "provider:physical_network",
                                                           "provider:segmentation_id", "router:external",
                                                           "shared", "name", "admin_state_up", "tenant_id"});
             if (!bad.empty()) return neutronError(bad);
             if (a.has("admin_state_down")) {
                 return neutronError("This lab models networks with admin_state_up True only "
                                     "(--admin-state-down is not supported)");
             }
             NetworkRequest req;
             req.name = a.get("name");
             req.shared = a.has("shared");
             auto get = [&](const std::string& k) -> std::optional<std::string> {
                 auto it = extra.values.find(k);
                 if (it == extra.values.end()) return std::nullopt;
                 return it->second;
             };
             if (auto t = get("provider:network_type")) {
                 auto type = networkTypeFromString(*t);
                 if (!type) {
                     return neutronError("Invalid input for operation: network_type value '" + *t +
                                         "' not supported.");
                 }
                 req.type = *type;
             }
             if (auto p = get("provider:physical_network")) {
                 if (req.type != NetworkType::Flat) {
                     return neutronError("Invalid input for operation: provider:physical_network specified for " +
                                         std::string(toString(req.type)) + " network.");
                 }
                 req.physicalNetwork = *p;
             }
             if (auto s = get("provider:segmentation_id")) {
                 std::uint32_t v = 0;
                 if (s->empty() || !std::all_of(s->begin(), s->end(), ::isdigit) || s->size() > 10 ||
                     std::stoull(*s) > 0xffffffffULL) {
                     return neutronError("Invalid input for provider:segmentation_id. Reason: '" + *s +
                                         "' is not an integer.");
                 }
                 v = static_cast<std::uint32_t>(std::stoull(*s));
                 req.segmentationId = v;
             }
             if (auto e = get("router:external")) {
                 auto b = parseBool(*e);
                 if (!b) {
                     return neutronError("Invalid input for router:external. Reason: '" + *e +
                                         "' cannot be converted to boolean.");
                 }
                 req.external = *b;
             }
             if (auto sh = get("shared")) {
                 auto b = parseBool(*sh);
                 if (!b) {
                     return neutronError("Invalid input for shared. Reason: '" + *sh +
                                         "' cannot be converted to boolean.");
                 }
                 req.shared = *b;
             }
             auto r = cs.cloud.createNetwork(req);
             if (!r) return neutronError(r.error().message);
             return CommandOutput::ok("Created a new network:\n" +
                                      showTable(networkFields(cs.cloud.state(), *r.value()), columnsOf(a)));
         }});
    cmds.push_back({"net-delete", "Delete a given network.", K::Delete, "network", {}, {{"id", "NETWORK"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto id = findNetwork(cs.cloud, a.get("id"), e);
                        if (!id) return neutronError(e);
                        if (Status s = cs.cloud.deleteNetwork(*id); !s) return neutronError(s.error().message);
                        return CommandOutput::ok("Deleted network: " + a.get("id") + "\n");
                    }});

    // ---- subnets
    cmds.push_back({"subnet-list", "List subnets that belong to a given tenant.", K::List, "subnet", {}, {},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                        ValuesSpecs filters = parseValuesSpecs(vs);
                        if (!filters.error.empty()) return neutronError(filters.error);
                        std::vector<Fields> rows;
                        for (const auto& [id, s] : cs.cloud.state().subnets) {
                            Fields f = subnetFields(s);
                            if (matchesFilters(f, filters.values)) rows.push_back(f);
                        }
                        return CommandOutput::ok(
                            listTable({"id", "name", "cidr", "allocation_pools"}, rows, columnsOf(a)));
                    }});
    cmds.push_back({"subnet-show", "Show information of a given subnet.", K::Show, "subnet", {},
                    {{"id", "SUBNET"}},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto id = findSubnet(cs.cloud, a.get("id"), e);
                        if (!id) return neutronError(e);
                        return CommandOutput::ok(showTable(subnetFields(cs.cloud.state().subnets.at(*id)), columnsOf(a)));
                    }});
    {
        Option ipVersion = choices(opt({"--ip-version"}, "ip_version"), {"4", "6"});
        ipVersion.isInt = true;
        Option ipVersionHidden = hidden(ipVersion);
        ipVersionHidden.names = {"--ip_version"};
        Option pool = opt({"--allocation-pool"}, "allocation_pools", "start=IP_ADDR,end=IP_ADDR");
        Option route = opt({"--host-route"}, "host_routes", "destination=CIDR,nexthop=IP_ADDR");
        cmds.push_back(
            {"subnet-create", "Create a subnet for a given tenant.", K::Create, "subnet",
             {opt({"--name"}, "name"), ipVersion, ipVersionHidden, opt({"--gateway"}, "gateway", "GATEWAY_IP"),
              flag({"--no-gateway"}, "no_gateway"), pool, hidden(opt({"--allocation_pool"}, "allocation_pools")),
              route, opt({"--dns-nameserver"}, "dns_nameservers", "DNS_NAMESERVER"),
              flag({"--disable-dhcp"}, "disable_dhcp")},
             {{"network_id", "NETWORK"}, {"cidr", "CIDR"}},
             [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                 ValuesSpecs extra = parseValuesSpecs(vs);
                 if (!extra.error.empty()) return neutronError(extra.error);
                 std::string e;
                 auto net = findNetwork(cs.cloud, a.get("network_id"), e);
                 if (!net) return neutronError(e);
                 if (a.has("gateway") && a.has("no_gateway")) {
                     return neutronError("--gateway option and --no-gateway option can not be used same time");
                 }
                 std::string bad = unrecognized(extra.values, {"name", "enable_dhcp", "gateway_ip", "tenant_id"});
                 if (!bad.empty()) return neutronError(bad);
                 if (a.get("ip_version") == "6") {
                     return neutronError("This lab models IPv4 subnets only (--ip-version 6 is not supported)");
                 }
                 if (a.has("host_routes")) {
                     return neutronError("This lab does not model subnet host routes (--host-route)");
                 }
                 SubnetRequest req;
                 req.network = *net;
                 req.cidr = a.get("cidr");
                 req.name = a.get("name");
                 req.noGateway = a.has("no_gateway");
                 req.enableDhcp = !a.has("disable_dhcp");
                 if (a.has("gateway")) {
                     auto g = Ipv4Address::parse(a.get("gateway"));
                     if (!g) {
                         return neutronError("Invalid input for gateway_ip. Reason: '" + a.get("gateway") +
                                             "' is not a valid IP address.");
                     }
                     req.gatewayIp = g;
                 }
                 for (const std::string& p : a.all("allocation_pools")) {
                     auto d = str2dict(p);
                     if (!d.count("start") || !d.count("end") || d.size() != 2) {
                         return neutronError("Invalid input for allocation_pools. Reason: Validation of "
                                             "dictionary's keys failed.Expected keys: set(['start', 'end']) "
                                             "Provided keys: set([" +
                                             [&] {
                                                 std::string k;
                                                 for (const auto& [key, v] : d) k += (k.empty() ? "'" : ", '") + key + "'";
                                                 return k;
                                             }() + "]).");
                     }
                     auto s = Ipv4Address::parse(d["start"]);
                     auto en = Ipv4Address::parse(d["end"]);
                     if (!s || !en) {
                         return neutronError("Invalid input for allocation_pools. Reason: '" +
                                             (!s ? d["start"] : d["end"]) + "' is not a valid IP address.");
                     }
                     req.allocationPools.push_back({*s, *en});
                 }
                 for (const std::string& d : a.all("dns_nameservers")) {
                     auto ip = Ipv4Address::parse(d);
                     if (!ip) {
                         return neutronError("Invalid input for dns_nameservers. Reason: '" + d +
                                             "' is not a valid nameserver.");
                     }
                     req.dnsNameservers.push_back(*ip);
                 }
                 if (auto it = extra.values.find("enable_dhcp"); it != extra.values.end()) {
                     auto b = parseBool(it->second);
                     if (!b) {
                         return neutronError("Invalid input for enable_dhcp. Reason: '" + it->second +
                                             "' cannot be converted to boolean.");
                     }
                     req.enableDhcp = *b;
                 }
                 if (auto it = extra.values.find("name"); it != extra.values.end()) req.name = it->second;
                 auto r = cs.cloud.createSubnet(req);
                 if (!r) return neutronError(r.error().message);
                 return CommandOutput::ok("Created a new subnet:\n" + showTable(subnetFields(*r.value()), columnsOf(a)));
             }});
    }
    cmds.push_back({"subnet-delete", "Delete a given subnet.", K::Delete, "subnet", {}, {{"id", "SUBNET"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto id = findSubnet(cs.cloud, a.get("id"), e);
                        if (!id) return neutronError(e);
                        if (Status s = cs.cloud.deleteSubnet(*id); !s) return neutronError(s.error().message);
                        return CommandOutput::ok("Deleted subnet: " + a.get("id") + "\n");
                    }});

    // ---- ports
    auto fixedIpsFmt = [](const Fields& f) { return f.at("fixed_ips"); };
    cmds.push_back({"port-list", "List ports that belong to a given tenant.", K::List, "port", {}, {},
                    [columnsOf, fixedIpsFmt](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                        ValuesSpecs filters = parseValuesSpecs(vs);
                        if (!filters.error.empty()) return neutronError(filters.error);
                        std::vector<Fields> rows;
                        for (const auto& [id, p] : cs.cloud.state().ports) {
                            Fields f = portFields(cs.cloud, p);
                            if (matchesFilters(f, filters.values)) rows.push_back(f);
                        }
                        return CommandOutput::ok(listTable({"id", "name", "mac_address", "fixed_ips"}, rows,
                                                           columnsOf(a), {{"fixed_ips", fixedIpsFmt}}));
                    }});
    cmds.push_back({"port-show", "Show information of a given port.", K::Show, "port", {}, {{"id", "PORT"}},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto id = findPort(cs.cloud, a.get("id"), e);
                        if (!id) return neutronError(e);
                        return CommandOutput::ok(showTable(portFields(cs.cloud, cs.cloud.state().ports.at(*id)), columnsOf(a)));
                    }});
    {
        Option sg = opt({"--security-group"}, "security_groups", "SECURITY_GROUP");
        sg.group = 1;
        Option nosg = flag({"--no-security-groups"}, "no_security_groups");
        nosg.group = 1;
        Option dhcpOpt = opt({"--extra-dhcp-opt"}, "extra_dhcp_opts");
        dhcpOpt.group = 2;
        cmds.push_back(
            {"port-create", "Create a port for a given tenant.", K::Create, "port",
             {opt({"--name"}, "name"), flag({"--admin-state-down"}, "admin_state_down"),
              hidden(flag({"--admin_state_down"}, "admin_state_down")), opt({"--mac-address"}, "mac_address"),
              hidden(opt({"--mac_address"}, "mac_address")), opt({"--device-id"}, "device_id"),
              hidden(opt({"--device_id"}, "device_id")),
              opt({"--fixed-ip"}, "fixed_ip", "subnet_id=SUBNET,ip_address=IP_ADDR"),
              hidden(opt({"--fixed_ip"}, "fixed_ip")), sg, nosg, dhcpOpt},
             {{"network_id", "NETWORK"}},
             [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                 ValuesSpecs extra = parseValuesSpecs(vs);
                 if (!extra.error.empty()) return neutronError(extra.error);
                 std::string e;
                 auto net = findNetwork(cs.cloud, a.get("network_id"), e);
                 if (!net) return neutronError(e);
                 std::string bad = unrecognized(extra.values, {"name", "tenant_id"});
                 if (!bad.empty()) return neutronError(bad);
                 if (a.has("device_id") || a.has("admin_state_down") || a.has("security_groups") ||
                     a.has("extra_dhcp_opts")) {
                     return neutronError("This lab does not model --device-id, --admin-state-down, security "
                                         "groups or extra DHCP options on ports");
                 }
                 auto pin = pinFromMac(a.get("mac_address"), e);
                 if (!pin) return neutronError(e);
                 pin->name = a.get("name");
                 const auto fixedIps = a.all("fixed_ip");
                 if (fixedIps.size() > 1) {
                     return neutronError("This lab gives a port one fixed IP (--fixed-ip given " +
                                         std::to_string(fixedIps.size()) + " times)");
                 }
                 if (!fixedIps.empty()) {
                     auto d = str2dict(fixedIps.front());
                     if (!d.count("subnet_id") && !d.count("ip_address")) {
                         return neutronError("Invalid input for operation: IP allocation requires subnet_id or "
                                             "ip_address.");
                     }
                     if (d.count("subnet_id")) {
                         auto sid = findSubnet(cs.cloud, d["subnet_id"], e);
                         if (!sid) return neutronError(e);
                         pin->subnet = *sid;
                     }
                     if (d.count("ip_address")) {
                         auto ip = Ipv4Address::parse(d["ip_address"]);
                         if (!ip) {
                             return neutronError("Invalid input for fixed_ips. Reason: '" + d["ip_address"] +
                                                 "' is not a valid IP address.");
                         }
                         pin->ip = ip;
                     }
                 }
                 auto r = cs.cloud.createPort(*net, *pin);
                 if (!r) return neutronError(r.error().message);
                 return CommandOutput::ok("Created a new port:\n" + showTable(portFields(cs.cloud, *r.value()), columnsOf(a)));
             }});
    }
    cmds.push_back({"port-delete", "Delete a given port.", K::Delete, "port", {}, {{"id", "PORT"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto id = findPort(cs.cloud, a.get("id"), e);
                        if (!id) return neutronError(e);
                        if (Status s = cs.cloud.deletePort(*id); !s) return neutronError(s.error().message);
                        return CommandOutput::ok("Deleted port: " + a.get("id") + "\n");
                    }});

    // ---- routers
    auto gwFmt = [](const Fields& f) { return f.at("external_gateway_info"); };
    cmds.push_back({"router-list", "List routers that belong to a given tenant.", K::List, "router", {}, {},
                    [columnsOf, gwFmt](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                        ValuesSpecs filters = parseValuesSpecs(vs);
                        if (!filters.error.empty()) return neutronError(filters.error);
                        std::vector<Fields> rows;
                        for (const auto& [id, r] : cs.cloud.state().routers) {
                            Fields f = routerFields(r);
                            if (matchesFilters(f, filters.values)) rows.push_back(f);
                        }
                        return CommandOutput::ok(listTable({"id", "name", "external_gateway_info"}, rows,
                                                           columnsOf(a), {{"external_gateway_info", gwFmt}}));
                    }});
    cmds.push_back({"router-show", "Show information of a given router.", K::Show, "router", {}, {{"id", "ROUTER"}},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto id = findRouter(cs.cloud, a.get("id"), e);
                        if (!id) return neutronError(e);
                        return CommandOutput::ok(showTable(routerFields(cs.cloud.state().routers.at(*id)), columnsOf(a)));
                    }});
    cmds.push_back({"router-create", "Create a router for a given tenant.", K::Create, "router",
                    {flag({"--admin-state-down"}, "admin_state_down"),
                     hidden(flag({"--admin_state_down"}, "admin_state_down"))},
                    {{"name", "NAME"}},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                        ValuesSpecs extra = parseValuesSpecs(vs);
                        if (!extra.error.empty()) return neutronError(extra.error);
                        std::string bad = unrecognized(extra.values, {"name", "tenant_id"});
                        if (!bad.empty()) return neutronError(bad);
                        if (a.has("admin_state_down")) {
                            return neutronError("This lab models routers with admin_state_up True only "
                                                "(--admin-state-down is not supported)");
                        }
                        RouterRequest req;
                        req.name = a.get("name");
                        auto r = cs.cloud.createRouter(req);
                        if (!r) return neutronError(r.error().message);
                        return CommandOutput::ok("Created a new router:\n" + showTable(routerFields(*r.value()), columnsOf(a)));
                    }});
    cmds.push_back({"router-delete", "Delete a given router.", K::Delete, "router", {}, {{"id", "ROUTER"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto id = findRouter(cs.cloud, a.get("id"), e);
                        if (!id) return neutronError(e);
                        if (Status s = cs.cloud.deleteRouter(*id); !s) return neutronError(s.error().message);
                        return CommandOutput::ok("Deleted router: " + a.get("id") + "\n");
                    }});
    auto interfaceCommand = [](bool add) {
        return [add](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
            std::string e;
            std::string iface = a.get("interface");
            std::string kind = "subnet";
            if (auto eq = iface.find('='); eq != std::string::npos) {
                kind = iface.substr(0, eq);
                iface = iface.substr(eq + 1);
            }
            auto router = findRouter(cs.cloud, a.get("router_id"), e);
            if (!router) return neutronError(e);
            if (kind == "port") {
                auto port = findPort(cs.cloud, iface, e);
                if (!port) return neutronError(e);
                return neutronError("This lab adds and removes router interfaces by subnet only "
                                    "(INTERFACE port=PORT is not supported)");
            }
            auto subnet = findSubnet(cs.cloud, iface, e);
            if (!subnet) return neutronError(e);
            if (add) {
                auto r = cs.cloud.addRouterInterface(*router, *subnet);
                if (!r) return neutronError(r.error().message);
                return CommandOutput::ok("Added interface " + r.value()->id + " to router " +
                                         a.get("router_id") + ".\n");
            }
            if (Status s = cs.cloud.removeRouterInterface(*router, *subnet); !s) {
                return neutronError(s.error().message);
            }
            return CommandOutput::ok("Removed interface from router " + a.get("router_id") + ".\n");
        };
    };
    cmds.push_back({"router-interface-add", "Add an internal network interface to a router.", K::Other, "router",
                    {}, {{"router_id", "router-id"}, {"interface", "INTERFACE"}}, interfaceCommand(true)});
    cmds.push_back({"router-interface-delete", "Remove an internal network interface from a router.", K::Other,
                    "router", {}, {{"router_id", "router-id"}, {"interface", "INTERFACE"}}, interfaceCommand(false)});
    cmds.push_back({"router-gateway-set", "Set the external network gateway for a router.", K::Other, "router",
                    {flag({"--disable-snat"}, "disable_snat")},
                    {{"router_id", "router-id"}, {"external_network_id", "external-network-id"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto router = findRouter(cs.cloud, a.get("router_id"), e);
                        if (!router) return neutronError(e);
                        auto net = findNetwork(cs.cloud, a.get("external_network_id"), e);
                        if (!net) return neutronError(e);
                        if (a.has("disable_snat")) {
                            return neutronError("This lab always SNATs through the router gateway "
                                                "(--disable-snat is not supported)");
                        }
                        auto r = cs.cloud.setRouterGateway(*router, *net);
                        if (!r) return neutronError(r.error().message);
                        return CommandOutput::ok("Set gateway for router " + a.get("router_id") + "\n");
                    }});
    cmds.push_back({"router-gateway-clear", "Remove an external network gateway from a router.", K::Other,
                    "router", {}, {{"router_id", "router-id"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        std::string e;
                        auto router = findRouter(cs.cloud, a.get("router_id"), e);
                        if (!router) return neutronError(e);
                        if (Status s = cs.cloud.clearRouterGateway(*router); !s) return neutronError(s.error().message);
                        return CommandOutput::ok("Removed gateway from router " + a.get("router_id") + "\n");
                    }});

    // ---- floating IPs
    cmds.push_back({"floatingip-list", "List floating ips that belong to a given tenant.", K::List, "floatingip",
                    {}, {},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                        ValuesSpecs filters = parseValuesSpecs(vs);
                        if (!filters.error.empty()) return neutronError(filters.error);
                        std::vector<Fields> rows;
                        for (const auto& [id, f] : cs.cloud.state().floatingIps) {
                            Fields fields = floatingIpFields(f);
                            if (matchesFilters(fields, filters.values)) rows.push_back(fields);
                        }
                        return CommandOutput::ok(listTable({"id", "fixed_ip_address", "floating_ip_address", "port_id"},
                                                           rows, columnsOf(a)));
                    }});
    cmds.push_back({"floatingip-show", "Show information of a given floating ip.", K::Show, "floatingip", {},
                    {{"id", "FLOATINGIP"}},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        auto it = cs.cloud.state().floatingIps.find(a.get("id"));
                        if (it == cs.cloud.state().floatingIps.end()) {
                            return neutronError("Floating IP " + a.get("id") + " could not be found");
                        }
                        return CommandOutput::ok(showTable(floatingIpFields(it->second), columnsOf(a)));
                    }});
    cmds.push_back({"floatingip-create", "Create a floating ip for a given tenant.", K::Create, "floatingip",
                    {opt({"--port-id"}, "port_id"), hidden(opt({"--port_id"}, "port_id")),
                     opt({"--fixed-ip-address"}, "fixed_ip_address"),
                     hidden(opt({"--fixed_ip_address"}, "fixed_ip_address"))},
                    {{"floating_network_id", "FLOATING_NETWORK"}},
                    [columnsOf](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>& vs) {
                        ValuesSpecs extra = parseValuesSpecs(vs);
                        if (!extra.error.empty()) return neutronError(extra.error);
                        std::string e;
                        auto net = findNetwork(cs.cloud, a.get("floating_network_id"), e);
                        if (!net) return neutronError(e);
                        std::string bad = unrecognized(extra.values, {"tenant_id", "floating_ip_address"});
                        if (!bad.empty()) return neutronError(bad);
                        FloatingIpRequest req;
                        req.network = *net;
                        req.portId = a.get("port_id");
                        if (a.has("fixed_ip_address") && req.portId.empty()) {
                            return neutronError("Bad floatingip request: fixed_ip_address cannot be specified "
                                                "without a port_id");
                        }
                        if (!req.portId.empty() && !cs.cloud.state().port(req.portId)) {
                            return neutronError("Port " + req.portId + " could not be found");
                        }
                        if (auto it = extra.values.find("floating_ip_address"); it != extra.values.end()) {
                            auto ip = Ipv4Address::parse(it->second);
                            if (!ip) {
                                return neutronError("Invalid input for floating_ip_address. Reason: '" +
                                                    it->second + "' is not a valid IP address.");
                            }
                            req.address = ip;
                        }
                        auto r = cs.cloud.createFloatingIp(req);
                        if (!r) return neutronError(r.error().message);
                        return CommandOutput::ok("Created a new floatingip:\n" +
                                                 showTable(floatingIpFields(*r.value()), columnsOf(a)));
                    }});
    cmds.push_back({"floatingip-delete", "Delete a given floating ip.", K::Delete, "floatingip", {},
                    {{"id", "FLOATINGIP"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        if (!cs.cloud.state().floatingIps.count(a.get("id"))) {
                            return neutronError("Floating IP " + a.get("id") + " could not be found");
                        }
                        if (Status s = cs.cloud.deleteFloatingIp(a.get("id")); !s) return neutronError(s.error().message);
                        return CommandOutput::ok("Deleted floatingip: " + a.get("id") + "\n");
                    }});
    cmds.push_back({"floatingip-associate", "Create a mapping between a floating ip and a fixed ip.", K::Other,
                    "floatingip",
                    {opt({"--fixed-ip-address"}, "fixed_ip_address"),
                     hidden(opt({"--fixed_ip_address"}, "fixed_ip_address"))},
                    {{"floatingip_id", "FLOATINGIP_ID"}, {"port_id", "PORT"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        const std::string fip = a.get("floatingip_id");
                        if (!cs.cloud.state().floatingIps.count(fip)) {
                            return neutronError("Floating IP " + fip + " could not be found");
                        }
                        if (!cs.cloud.state().port(a.get("port_id"))) {
                            return neutronError("Port " + a.get("port_id") + " could not be found");
                        }
                        if (Status s = cs.cloud.associateFloatingIp(fip, a.get("port_id")); !s) {
                            return neutronError(s.error().message);
                        }
                        return CommandOutput::ok("Associated floatingip " + fip + "\n");
                    }});
    cmds.push_back({"floatingip-disassociate", "Remove a mapping from a floating ip to a fixed ip.", K::Other,
                    "floatingip", {}, {{"floatingip_id", "FLOATINGIP_ID"}},
                    [](ClientState& cs, const ParsedArgs& a, const std::vector<std::string>&) {
                        const std::string fip = a.get("floatingip_id");
                        if (!cs.cloud.state().floatingIps.count(fip)) {
                            return neutronError("Floating IP " + fip + " could not be found");
                        }
                        if (Status s = cs.cloud.associateFloatingIp(fip, ""); !s) return neutronError(s.error().message);
                        return CommandOutput::ok("Disassociated floatingip " + fip + "\n");
                    }});
    std::sort(cmds.begin(), cmds.end(), [](const auto& x, const auto& y) { return x.name < y.name; });
    return cmds;
}

CommandOutput runNeutron(ClientState& cs, const std::vector<NeutronCommand>& cmds,
                         const std::vector<std::string>& argv) {
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    auto helpList = [&] {
        std::size_t w = 0;
        for (const auto& c : cmds) w = std::max(w, c.name.size());
        std::string out = "Commands for API v2.0:\n";
        for (const auto& c : cmds) out += "  " + c.name + std::string(w - c.name.size() + 2, ' ') + c.help + "\n";
        return CommandOutput::ok(out);
    };
    if (args.empty() || args.front() == "help" || args.front() == "-h" || args.front() == "--help") {
        if (args.size() >= 2 && args.front() == "help") {
            for (const auto& c : cmds) {
                if (c.name == args[1]) {
                    const ArgSpec spec = specOf(c);
                    return CommandOutput::ok(usageOf(spec) + "\n" + c.help + "\n");
                }
            }
            return neutronError("Unknown command ['" + args[1] + "']");
        }
        return helpList();
    }
    if (args.front().rfind("-", 0) == 0) return neutronError("Invalid command '" + args.front() + "'");
    const NeutronCommand* cmd = nullptr;
    for (const auto& c : cmds) {
        if (c.name == args.front()) cmd = &c;
    }
    if (!cmd) {
        std::string list;
        for (const auto& a : args) list += (list.empty() ? "'" : ", '") + a + "'";
        return neutronError("Unknown command [" + list + "]");
    }
    // run_command: words after '--' are the request's extra values, never argparse's.
    std::vector<std::string> sub(args.begin() + 1, args.end());
    std::vector<std::string> valuesSpecs;
    if (auto dd = std::find(sub.begin(), sub.end(), "--"); dd != sub.end()) {
        valuesSpecs.assign(dd, sub.end());
        sub.erase(dd, sub.end());
    }
    const ArgSpec spec = specOf(*cmd);
    ParseResult parsed = parseArgs(spec, sub);
    if (parsed.args.help) return CommandOutput::ok(usageOf(spec) + "\n" + cmd->help + "\n");
    if (!parsed.error.empty()) {
        return CommandOutput::fail(usageOf(spec) + spec.prog + ": error: " + parsed.error + "\n", 2);
    }
    if (valuesSpecs.empty()) valuesSpecs = parsed.args.extras;
    const std::string formatter = parsed.args.get("formatter");
    if (!formatter.empty() && formatter != "table") {
        return neutronError("This lab prints tables only (-f " + formatter + " is not supported)");
    }
    return cmd->run(cs, parsed.args, valuesSpecs);
}

// ---------------------------------------------------------------------------------------
// nova

struct NovaCommand {
    std::string name;
    std::string help;
    ArgSpec spec;
    std::function<CommandOutput(ClientState&, const ParsedArgs&)> run;
};

Option novaOpt(std::string name, std::string dest, std::string metavar) {
    Option o;
    o.names = {std::move(name)};
    o.dest = std::move(dest);
    o.metavar = std::move(metavar);
    return o;
}

std::string novaMainUsage() {
    return formatUsage(
        "nova",
        {"[--version]", "[--debug]", "[--os-cache]", "[--timings]", "[--timeout <seconds>]",
         "[--os-auth-token OS_AUTH_TOKEN]", "[--os-username <auth-user-name>]",
         "[--os-password <auth-password>]", "[--os-tenant-name <auth-tenant-name>]",
         "[--os-tenant-id <auth-tenant-id>]", "[--os-auth-url <auth-url>]",
         "[--os-region-name <region-name>]", "[--os-auth-system <auth-system>]",
         "[--service-type <service-type>]", "[--service-name <service-name>]",
         "[--volume-service-name <volume-service-name>]", "[--endpoint-type <endpoint-type>]",
         "[--os-compute-api-version <compute-api-ver>]", "[--os-cacert <ca-certificate>]",
         "[--insecure]", "[--bypass-url <bypass-url>]"},
        {"<subcommand> ..."});
}

/// "ERROR: message (HTTP code) (Request-ID: req-...)" as novaclient prints API errors.
CommandOutput novaApiError(ClientState& cs, const std::string& message, int code) {
    return CommandOutput::fail("ERROR: " + message + " (HTTP " + std::to_string(code) +
                                   ") (Request-ID: req-" + makeUuid4(cs.rng) + ")\n",
                               1);
}

CommandOutput novaError(const std::string& message) {
    return CommandOutput::fail("ERROR: " + message + "\n", 1);
}

/// novaclient's find_resource for servers: id, then a unique name.
std::optional<std::string> findServer(const Cloud& cloud, const std::string& arg, std::string& error) {
    const auto& instances = cloud.state().instances;
    if (instances.count(arg)) return arg;
    std::vector<std::string> ids;
    for (const auto& [id, i] : instances) {
        if (i.name == arg) ids.push_back(id);
    }
    if (ids.size() > 1) {
        error = "Multiple server matches found for '" + arg + "', use an ID to be more specific.";
        return std::nullopt;
    }
    if (ids.empty()) {
        error = "No server with a name or ID of '" + arg + "' exists.";
        return std::nullopt;
    }
    return ids.front();
}

/// The instance's addresses per network label, in NIC order (floating IPs after fixed).
std::vector<std::pair<std::string, std::vector<std::string>>> serverNetworks(const Cloud& cloud,
                                                                             const Instance& inst) {
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    const TenantState& st = cloud.state();
    for (const std::string& pid : inst.portIds) {
        const Port* p = st.port(pid);
        if (!p) continue;
        const Network* n = st.network(p->networkId);
        const std::string label = n ? n->name : p->networkId;
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == label; });
        if (it == out.end()) {
            out.push_back({label, {}});
            it = out.end() - 1;
        }
        for (const FixedIp& f : p->fixedIps) it->second.push_back(f.ipAddress.toString());
        for (const auto& [fid, f] : st.floatingIps) {
            if (f.portId == pid) it->second.push_back(f.floatingIpAddress.toString());
        }
    }
    return out;
}

std::string generatePassword(std::mt19937_64& rng) {
    // nova.utils.generate_password: 12 characters from groups without look-alikes.
    static constexpr std::string_view kSymbols =
        "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    std::string out;
    for (int i = 0; i < 12; ++i) out += kSymbols[rng() % kSymbols.size()];
    return out;
}

std::string serverTable(ClientState& cs, const Instance& inst, bool building,
                        const std::string& adminPass) {
    const catalog::Image* image = catalog::findImage(inst.image);
    const catalog::Flavor* flavor = catalog::findFlavor(inst.flavor);
    auto created = cs.createdAt.find(inst.id);
    const std::string createdText = isoTime(created == cs.createdAt.end() ? 1397692800 : created->second);
    std::map<std::string, std::string> info{
        {"OS-DCF:diskConfig", "MANUAL"},
        {"OS-EXT-AZ:availability_zone", "nova"},
        {"OS-EXT-SRV-ATTR:host", building ? "-" : inst.hostId},
        {"OS-EXT-SRV-ATTR:hypervisor_hostname", building ? "-" : inst.hostId},
        {"OS-EXT-STS:power_state", building ? "0" : (inst.state == InstanceState::Active ? "1" : "4")},
        {"OS-EXT-STS:task_state", building ? "scheduling" : "-"},
        {"OS-EXT-STS:vm_state", building ? "building"
                                          : (inst.state == InstanceState::Active ? "active"
                                             : inst.state == InstanceState::Shutoff ? "stopped"
                                                                                    : "error")},
        {"OS-SRV-USG:launched_at", building ? "-" : createdText.substr(0, createdText.size() - 1) + ".000000"},
        {"OS-SRV-USG:terminated_at", "-"},
        {"accessIPv4", ""},
        {"accessIPv6", ""},
        {"config_drive", ""},
        {"created", createdText},
        {"flavor", flavor ? std::string(flavor->name) + " (" + std::string(flavor->id) + ")" : inst.flavor},
        {"hostId", building ? "" : sha224Hex(inst.tenantId + inst.hostId)},
        {"id", inst.id},
        {"image", image ? std::string(image->name) + " (" + std::string(image->id) + ")" : inst.image},
        {"key_name", "-"},
        {"metadata", "{}"},
        {"name", inst.name},
        {"os-extended-volumes:volumes_attached", "[]"},
        {"progress", "0"},
        {"security_groups", "default"},
        {"status", building ? "BUILD"
                            : (inst.state == InstanceState::Active ? "ACTIVE"
                               : inst.state == InstanceState::Shutoff ? "SHUTOFF"
                                                                      : "ERROR")},
        {"tenant_id", inst.tenantId},
        {"updated", createdText},
        {"user_id", cs.userId},
    };
    if (!adminPass.empty()) info["adminPass"] = adminPass;
    if (!building) {
        for (const auto& [label, addrs] : serverNetworks(cs.cloud, inst)) {
            std::string v;
            for (const auto& a : addrs) v += (v.empty() ? "" : ", ") + a;
            info[label + " network"] = v;
        }
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& [k, v] : info) rows.push_back({k, v});
    return formatPrettyTable({"Property", "Value"}, rows);
}

std::vector<NovaCommand> novaCommands() {
    std::vector<NovaCommand> cmds;
    {
        NovaCommand c{"boot", "Boot a new server.", {}, nullptr};
        c.spec.prog = "nova boot";
        auto append = [](Option o) {
            o.kind = Option::Kind::Value;
            return o;
        };
        c.spec.options = {novaOpt("--flavor", "flavor", "<flavor>"),
                          novaOpt("--image", "image", "<image>"),
                          append(novaOpt("--image-with", "image_with", "<key=value>")),
                          novaOpt("--boot-volume", "boot_volume", "<volume_id>"),
                          novaOpt("--snapshot", "snapshot", "<snapshot_id>"),
                          novaOpt("--num-instances", "num_instances", "<number>"),
                          novaOpt("--meta", "meta", "<key=value>"),
                          novaOpt("--file", "files", "<dst-path=src-path>"),
                          novaOpt("--key-name", "key_name", "<key-name>"),
                          hidden(novaOpt("--key_name", "key_name", "")),
                          novaOpt("--user-data", "user_data", "<user-data>"),
                          hidden(novaOpt("--user_data", "user_data", "")),
                          novaOpt("--availability-zone", "availability_zone", "<availability-zone>"),
                          hidden(novaOpt("--availability_zone", "availability_zone", "")),
                          novaOpt("--security-groups", "security_groups", "<security-groups>"),
                          hidden(novaOpt("--security_groups", "security_groups", "")),
                          novaOpt("--block-device-mapping", "block_device_mapping", "<dev-name=mapping>"),
                          hidden(novaOpt("--block_device_mapping", "block_device_mapping", "")),
                          novaOpt("--block-device", "block_device", "key1=value1[,key2=value2...]"),
                          novaOpt("--swap", "swap", "<swap_size>"),
                          novaOpt("--ephemeral", "ephemeral", "size=<size>[,format=<format>]"),
                          novaOpt("--hint", "scheduler_hints", "<key=value>"),
                          novaOpt("--nic", "nics", "<net-id=net-uuid,v4-fixed-ip=ip-addr,port-id=port-uuid>"),
                          novaOpt("--config-drive", "config_drive", "<value>"),
                          flag({"--poll"}, "poll")};
        c.spec.positionals = {{"name", "<name>"}};
        c.run = [](ClientState& cs, const ParsedArgs& a) -> CommandOutput {
            for (const char* unsupported : {"image_with", "boot_volume", "snapshot", "num_instances", "meta",
                                            "files", "key_name", "user_data", "security_groups",
                                            "block_device_mapping", "block_device", "swap", "ephemeral",
                                            "scheduler_hints", "config_drive"}) {
                if (a.has(unsupported)) {
                    return novaError(std::string("This lab boots CirrOS instances with networks only (--") +
                                     [&] {
                                         std::string o = unsupported;
                                         std::replace(o.begin(), o.end(), '_', '-');
                                         return o;
                                     }() +
                                     " is not supported)");
                }
            }
            const catalog::Image* image = nullptr;
            if (a.has("image")) {
                image = catalog::findImage(a.get("image"));
                if (!image) return novaError("No image with a name or ID of '" + a.get("image") + "' exists.");
            }
            if (!a.has("flavor")) return novaError("you need to specify a Flavor ID ");
            const catalog::Flavor* flavor = catalog::findFlavor(a.get("flavor"));
            if (!flavor) return novaError("No flavor with a name or ID of '" + a.get("flavor") + "' exists.");
            if (!image) {
                return novaError("you need to specify at least one source ID (Image, Snapshot, or Volume), a "
                                 "block device mapping or provide a set of properties to match against an image");
            }
            InstanceRequest req;
            req.name = a.get("name");
            req.image = std::string(image->name);
            req.flavor = std::string(flavor->name);
            for (const std::string& nicStr : a.all("nics")) {
                const std::string err = "Invalid nic argument '" + nicStr +
                                        "'. Nic arguments must be of the form --nic <net-id=net-uuid,"
                                        "v4-fixed-ip=ip-addr,port-id=port-uuid>, with at minimum net-id or "
                                        "port-id specified.";
                std::map<std::string, std::string> info{{"net-id", ""}, {"v4-fixed-ip", ""}, {"port-id", ""}};
                std::stringstream ss(nicStr);
                std::string kv;
                while (std::getline(ss, kv, ',')) {
                    auto eq = kv.find('=');
                    if (eq == std::string::npos) return novaError(err);
                    const std::string k = kv.substr(0, eq);
                    if (!info.count(k)) return novaError(err);
                    info[k] = kv.substr(eq + 1);
                }
                if (nicStr.empty() || (info["net-id"].empty() && info["port-id"].empty())) return novaError(err);
                NicRequest nic;
                if (!info["port-id"].empty()) {
                    nic.portId = info["port-id"];
                } else {
                    nic.network = info["net-id"];
                    // Nova takes net-id as an id: names are not resolved.
                    if (!cs.cloud.state().networks.count(nic.network)) {
                        return novaApiError(cs, "Network " + nic.network + " could not be found.", 400);
                    }
                    if (!info["v4-fixed-ip"].empty()) {
                        auto ip = Ipv4Address::parse(info["v4-fixed-ip"]);
                        if (!ip) {
                            return novaApiError(cs, "Invalid fixed IP address (" + info["v4-fixed-ip"] + ")",
                                                400);
                        }
                        nic.port.ip = ip;
                    }
                }
                req.nics.push_back(nic);
            }
            if (a.has("availability_zone")) {
                const std::string az = a.get("availability_zone");
                const auto colon = az.find(':');
                const std::string zone = az.substr(0, colon);
                if (zone != "nova") {
                    return novaApiError(cs, "The requested availability zone is not available", 400);
                }
                if (colon != std::string::npos) req.host = az.substr(colon + 1);
            }
            auto r = cs.cloud.bootInstance(req);
            if (!r) {
                return novaApiError(cs, r.error().message, r.error().code == ErrorCode::AlreadyExists ? 409 : 400);
            }
            cs.createdAt[r.value()->id] = cs.now();
            return CommandOutput::ok(serverTable(cs, *r.value(), true, generatePassword(cs.rng)));
        };
        cmds.push_back(std::move(c));
    }
    {
        NovaCommand c{"list", "List active servers.", {}, nullptr};
        c.spec.prog = "nova list";
        Option allTenants = novaOpt("--all-tenants", "all_tenants", "<0|1>");
        allTenants.kind = Option::Kind::OptionalValue;
        Option allTenantsHidden = hidden(allTenants);
        allTenantsHidden.names = {"--all_tenants"};
        Option tenant = novaOpt("--tenant", "tenant", "<tenant>");
        tenant.kind = Option::Kind::OptionalValue;
        c.spec.options = {novaOpt("--reservation-id", "reservation_id", "<reservation-id>"),
                          hidden(novaOpt("--reservation_id", "reservation_id", "")),
                          novaOpt("--ip", "ip", "<ip-regexp>"),
                          novaOpt("--ip6", "ip6", "<ip6-regexp>"),
                          novaOpt("--name", "name", "<name-regexp>"),
                          novaOpt("--instance-name", "instance_name", "<name-regexp>"),
                          hidden(novaOpt("--instance_name", "instance_name", "")),
                          novaOpt("--status", "status", "<status>"),
                          novaOpt("--flavor", "flavor", "<flavor>"),
                          novaOpt("--image", "image", "<image>"),
                          novaOpt("--host", "host", "<hostname>"),
                          allTenants,
                          allTenantsHidden,
                          tenant,
                          flag({"--deleted"}, "deleted"),
                          novaOpt("--fields", "fields", "<fields>"),
                          flag({"--minimal"}, "minimal")};
        c.run = [](ClientState& cs, const ParsedArgs& a) -> CommandOutput {
            for (const char* unsupported : {"reservation_id", "ip", "ip6", "instance_name", "image", "flavor",
                                            "fields", "deleted"}) {
                if (a.has(unsupported)) {
                    return novaError(std::string("This lab lists servers by --name, --status and --host only (--") +
                                     [&] {
                                         std::string o = unsupported;
                                         std::replace(o.begin(), o.end(), '_', '-');
                                         return o;
                                     }() +
                                     " is not supported)");
                }
            }
            std::vector<std::vector<std::string>> rows;
            for (const auto& [id, inst] : cs.cloud.state().instances) {
                if (a.has("name") && inst.name.find(a.get("name")) == std::string::npos) continue;
                if (a.has("host") && inst.hostId != a.get("host")) continue;
                const std::string status = inst.state == InstanceState::Active    ? "ACTIVE"
                                           : inst.state == InstanceState::Shutoff ? "SHUTOFF"
                                                                                  : "ERROR";
                if (a.has("status") && a.get("status") != status) continue;
                std::string nets;
                for (const auto& [label, addrs] : serverNetworks(cs.cloud, inst)) {
                    if (addrs.empty()) continue;
                    std::string v;
                    for (const auto& ad : addrs) v += (v.empty() ? "" : ", ") + ad;
                    nets += (nets.empty() ? "" : "; ") + label + "=" + v;
                }
                const std::string power = inst.state == InstanceState::Active    ? "Running"
                                          : inst.state == InstanceState::Shutoff ? "Shutdown"
                                                                                 : "NOSTATE";
                if (a.has("minimal")) rows.push_back({inst.id, inst.name});
                else rows.push_back({inst.id, inst.name, status, "-", power, nets});
            }
            // prettytable's sortby='Name' (a stable sort of the server's order).
            std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x[1] < y[1]; });
            if (a.has("minimal")) return CommandOutput::ok(formatPrettyTable({"ID", "Name"}, rows));
            return CommandOutput::ok(
                formatPrettyTable({"ID", "Name", "Status", "Task State", "Power State", "Networks"}, rows));
        };
        cmds.push_back(std::move(c));
    }
    {
        NovaCommand c{"show", "Show details about the given server.", {}, nullptr};
        c.spec.prog = "nova show";
        c.spec.options = {flag({"--minimal"}, "minimal")};
        c.spec.positionals = {{"server", "<server>"}};
        c.run = [](ClientState& cs, const ParsedArgs& a) -> CommandOutput {
            std::string e;
            auto id = findServer(cs.cloud, a.get("server"), e);
            if (!id) return novaError(e);
            return CommandOutput::ok(serverTable(cs, cs.cloud.state().instances.at(*id), false, ""));
        };
        cmds.push_back(std::move(c));
    }
    {
        NovaCommand c{"delete", "Immediately shut down and delete specified server(s).", {}, nullptr};
        c.spec.prog = "nova delete";
        c.spec.positionals = {{"server", "<server>", true}};
        c.run = [](ClientState& cs, const ParsedArgs& a) -> CommandOutput {
            CommandOutput out;
            const auto servers = a.all("server");
            std::size_t failures = 0;
            for (const std::string& s : servers) {
                std::string e;
                auto id = findServer(cs.cloud, s, e);
                if (id) {
                    if (Status st = cs.cloud.deleteInstance(*id); !st) e = st.error().message;
                }
                if (!e.empty()) {
                    ++failures;
                    out.out += e + "\n";
                }
            }
            if (failures == servers.size()) {
                out.err = "ERROR: Unable to delete any of the specified servers.\n";
                out.status = 1;
            }
            return out;
        };
        cmds.push_back(std::move(c));
    }
    return cmds;
}

/// novaclient hides -h/--help from subcommand usage lines.
std::string novaUsageOf(const ArgSpec& spec) { return usageOf(spec, false); }

CommandOutput runNova(ClientState& cs, const std::vector<NovaCommand>& cmds, const std::vector<std::string>& argv) {
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    if (args.empty() || args.front() == "help" || args.front() == "-h" || args.front() == "--help") {
        if (args.size() >= 2 && args.front() == "help") {
            for (const auto& c : cmds) {
                if (c.name == args[1]) return CommandOutput::ok(novaUsageOf(c.spec) + "\n" + c.help + "\n");
            }
            return novaError("'" + args[1] + "' is not a valid subcommand");
        }
        std::string out = novaMainUsage() + "\nCommand-line interface to the OpenStack Nova API.\n\n"
                                            "Positional arguments:\n  <subcommand>\n";
        for (const auto& c : cmds) out += "    " + c.name + std::string(12 - c.name.size(), ' ') + c.help + "\n";
        return CommandOutput::ok(out);
    }
    const NovaCommand* cmd = nullptr;
    for (const auto& c : cmds) {
        if (c.name == args.front()) cmd = &c;
    }
    if (!cmd) {
        std::string err = args.front().rfind("-", 0) == 0 ? "too few arguments"
                                                           : "argument <subcommand>: invalid choice: u'" +
                                                                 args.front() + "'";
        return CommandOutput::fail(novaMainUsage() + "error: " + err + "\nTry 'nova help ' for more information.\n", 2);
    }
    ParseResult parsed = parseArgs(cmd->spec, std::vector<std::string>(args.begin() + 1, args.end()));
    if (parsed.args.help) return CommandOutput::ok(novaUsageOf(cmd->spec) + "\n" + cmd->help + "\n");
    if (parsed.error.empty() && !parsed.args.extras.empty()) {
        parsed.error = "unrecognized arguments:";
        for (const auto& x : parsed.args.extras) parsed.error += " " + x;
    }
    if (!parsed.error.empty()) {
        return CommandOutput::fail(novaUsageOf(cmd->spec) + "error: " + parsed.error + "\nTry 'nova help " +
                                       cmd->name + "' for more information.\n",
                                   2);
    }
    return cmd->run(cs, parsed.args);
}

}  // namespace

void registerCloudCommands(engine::Shell& shell, Cloud& cloud) {
    auto state = std::make_shared<ClientState>(cloud);
    auto neutron = std::make_shared<std::vector<NeutronCommand>>(neutronCommands());
    auto nova = std::make_shared<std::vector<NovaCommand>>(novaCommands());
    shell.add({"neutron", engine::kScopeHost | engine::kScopeCloud,
               "neutron net-list|net-create|subnet-create|port-list|router-create|"
               "router-interface-add|router-gateway-set|floatingip-create|... (neutron help)",
               [state, neutron](CommandCall& call) { return runNeutron(*state, *neutron, call.argv); }});
    shell.add({"nova", engine::kScopeHost | engine::kScopeCloud,
               "nova boot --image IMG --flavor FLV --nic net-id=NET NAME|list|show|delete",
               [state, nova](CommandCall& call) { return runNova(*state, *nova, call.argv); }});
}

}  // namespace nlab::model
