// Host and guest tools of the emulated shell (see shell.h): iproute2 3.12 `ip`, net-tools
// (ifconfig, arp, route), bridge-utils 1.5 brctl, ethtool -S, iputils ping on the Ubuntu
// 14.04 hosts; busybox ping/ip/ifconfig/arp/route and udhcpc in CirrOS guests; and the
// shell builtins (echo, sleep, jobs, kill, help, hostname).
//
// Commands that would change the lab (ip addr add, ip link set, ifconfig IF up, brctl addif,
// ...) are left to the Neutron agents: they answer that the lab's tools only show state.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "engine/console/host_formatters.h"
#include "engine/console/shell.h"
#include "engine/lab/vm.h"
#include "engine/net/linux_bridge.h"
#include "engine/services/dhcp_client.h"
#include "engine/services/ping.h"

namespace nlab::engine {

namespace {

constexpr unsigned kHostVm = kScopeHost | kScopeVm;
constexpr unsigned kAll = kScopeHost | kScopeVm | kScopeCloud;

bool inVm(const CommandCall& c) { return c.context.kind == ShellContext::Kind::Vm; }

/// iproute2's matches(): 'arg' is a prefix of 'word' (an empty arg matches).
bool matches(std::string_view arg, std::string_view word) {
    return arg.size() <= word.size() && word.substr(0, arg.size()) == arg;
}

CommandOutput notEmulated(std::string_view what) {
    return CommandOutput::fail(std::string(what) +
                                   ": not available in NeutronLab: the lab's tools show state; "
                                   "the Neutron agents make the changes\n",
                               1);
}

/// Parses a non-negative decimal number ("3", "0.5"); nullopt when malformed.
std::optional<double> parseNumber(std::string_view s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    double v = 0, scale = 0;
    for (char c : s) {
        if (c == '.') {
            if (scale) return std::nullopt;
            scale = 1;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            if (scale) {
                scale /= 10;
                v += (c - '0') * scale;
            } else {
                v = v * 10 + (c - '0');
            }
        } else {
            return std::nullopt;
        }
    }
    if (s == ".") return std::nullopt;
    return v;
}

std::optional<long> parseInt(std::string_view s) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    long v = 0;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

// ---- Builtins ----

CommandOutput echoCommand(CommandCall& call) {
    std::size_t i = 1;
    bool newline = true;
    while (i < call.argv.size() && call.argv[i] == "-n") {
        newline = false;
        ++i;
    }
    std::string out;
    for (std::size_t k = i; k < call.argv.size(); ++k) {
        if (k > i) out += ' ';
        out += call.argv[k];
    }
    if (newline) out += '\n';
    return CommandOutput::ok(out);
}

CommandOutput hostnameCommand(CommandCall& call) {
    if (call.argv.size() > 1) return notEmulated("hostname " + call.argv[1]);
    const ShellContext& c = call.context;
    if (c.kind == ShellContext::Kind::Vm && c.vm) return CommandOutput::ok(c.vm->name() + "\n");
    if (c.node) return CommandOutput::ok(c.node->name() + "\n");
    return CommandOutput::ok("cloud\n");
}

/// A background `sleep N &`: finished once the lab's clock reaches its end.
class SleepJob : public Job {
public:
    SleepJob(SimClock& clock, SimTime end, std::string line)
        : m_clock(clock), m_end(end), m_line(std::move(line)) {}
    std::string commandLine() const override { return m_line; }
    bool finished() const override { return m_clock.now() >= m_end; }
    std::string drainOutput() override { return {}; }
    std::string stop() override { return {}; }

private:
    SimClock& m_clock;
    SimTime m_end;
    std::string m_line;
};

CommandOutput sleepCommand(CommandCall& call) {
    const bool vm = inVm(call);
    if (call.argv.size() < 2) {
        return CommandOutput::fail(vm ? "BusyBox v1.20.1 (2012-05-18 07:46:54 UTC) multi-call binary.\n\n"
                                        "Usage: sleep [N]...\n\nPause for a time equal to the total of the args given\n"
                                      : "sleep: missing operand\nTry 'sleep --help' for more information.\n",
                                   1);
    }
    double seconds = 0;
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        std::string a = call.argv[i];
        double mult = 1;
        if (!a.empty() && std::string_view("smhd").find(a.back()) != std::string_view::npos) {
            const char u = a.back();
            mult = u == 'm' ? 60 : u == 'h' ? 3600 : u == 'd' ? 86400 : 1;
            a.pop_back();
        }
        auto v = parseNumber(a);
        if (!v) {
            return CommandOutput::fail(
                vm ? "sleep: invalid number '" + call.argv[i] + "'\n"
                   : "sleep: invalid time interval '" + call.argv[i] +
                         "'\nTry 'sleep --help' for more information.\n",
                1);
        }
        seconds += *v * mult;
    }
    SimClock& clock = call.shell.lab().clock();
    const auto delta = static_cast<SimDuration>(std::llround(seconds * 1e9));
    if (call.background) {
        std::string line = "sleep";
        for (std::size_t i = 1; i < call.argv.size(); ++i) line += " " + call.argv[i];
        call.shell.addJob(std::make_unique<SleepJob>(clock, clock.now() + delta, line));
        return {};
    }
    clock.advance(delta);
    return {};
}

std::string helpText(const Shell& shell, const ShellContext& context) {
    std::string out = "NeutronLab emulated shell (" + context.label() + "). Commands here:\n";
    for (const CommandInfo* info : shell.commands(scopeOf(context))) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "  %-12s ", info->name.c_str());
        out += buf + info->synopsis + "\n";
    }
    out += "Shell syntax: quotes and \\ escapes as in sh, # comments, `;`, `&&`, `||`, pipes "
           "into grep/head/tail/wc/sort, `>/dev/null`, `2>&1`, $?; `CMD &` runs in the "
           "background (jobs, kill %N).\n";
    out += "Time is the lab's virtual clock: ping and sleep advance it. ping without -c or -w "
           "stops as if Ctrl-C were pressed just before its 5th probe.\n";
    out += "Contexts: a node (root@NODE), NODE/NAMESPACE (a shell inside the namespace, as "
           "after `ip netns exec`), a VM name (its CirrOS guest), cloud (neutron and nova).\n";
    return out;
}

// ---- ip (iproute2 3.12; busybox ip in guests prints the same subset) ----

const char* kIpUsage =
    "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n"
    "       ip [ -force ] -batch filename\n"
    "where  OBJECT := { link | addr | addrlabel | route | rule | neigh | ntable |\n"
    "                   tunnel | tuntap | maddr | mroute | mrule | monitor | xfrm |\n"
    "                   netns | l2tp | tcp_metrics | token }\n"
    "       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n"
    "                    -f[amily] { inet | inet6 | ipx | dnet | bridge | link } |\n"
    "                    -4 | -6 | -I | -D | -B | -0 |\n"
    "                    -l[oops] { maximum-addr-flush-attempts } |\n"
    "                    -o[neline] | -t[imestamp] | -b[atch] [filename] |\n"
    "                    -rc[vbuf] [size]}\n";

const char* kIpNetnsUsage =
    "Usage: ip netns list\n"
    "       ip netns add NAME\n"
    "       ip netns delete NAME\n"
    "       ip netns identify PID\n"
    "       ip netns pids NAME\n"
    "       ip netns exec NAME cmd ...\n"
    "       ip netns monitor\n";

const char* kIpNeighUsage =
    "Usage: ip neigh { add | del | change | replace } { ADDR [ lladdr LLADDR ]\n"
    "          [ nud { permanent | noarp | stale | reachable } ]\n"
    "          | proxy ADDR } [ dev DEV ]\n"
    "       ip neigh {show|flush} [ to PREFIX ] [ dev DEV ] [ nud STATE ]\n";

struct IpArgs {
    const std::vector<std::string>& argv;
    std::size_t i;  ///< Next argument.
    bool more() const { return i < argv.size(); }
    const std::string& cur() const { return argv[i]; }
};

/// `ip addr show` / `ip link show` arguments: [dev] IFNAME, up.
CommandOutput ipShowLinks(CommandCall& call, NetNamespace& ns, IpArgs a, bool withAddresses) {
    std::string dev;
    bool upOnly = false;
    for (; a.more(); ++a.i) {
        std::string w = a.cur();
        if (w == "up") {
            upOnly = true;
            continue;
        }
        if (w == "dev") {
            if (a.i + 1 >= a.argv.size()) {
                return CommandOutput::fail("Command line is not complete. Try option \"help\"\n", 255);
            }
            w = a.argv[++a.i];
        }
        if (!dev.empty()) {
            return CommandOutput::fail("Error: either \"dev\" is duplicate, or \"" + w +
                                           "\" is a garbage.\n",
                                       255);
        }
        dev = w;
    }
    std::string out;
    if (!dev.empty()) {
        NetDevice* d = ns.device(dev);
        if (!d) return CommandOutput::fail("Device \"" + dev + "\" does not exist.\n", 1);
        if (!upOnly || d->isUp()) out = formatIpAddrDevice(ns, *d, withAddresses);
        return CommandOutput::ok(out);
    }
    (void)call;
    for (const NetDevice* d : ns.devices()) {
        if (!upOnly || d->isUp()) out += formatIpAddrDevice(ns, *d, withAddresses);
    }
    return CommandOutput::ok(out);
}

CommandOutput ipAddr(CommandCall& call, NetNamespace& ns, IpArgs a, bool link) {
    const std::string object = link ? "link" : "addr";
    if (!a.more()) return ipShowLinks(call, ns, a, !link);
    const std::string sub = a.cur();
    if (matches(sub, "show") || matches(sub, "list") || matches(sub, "lst")) {
        ++a.i;
        return ipShowLinks(call, ns, a, !link);
    }
    static const char* kChanges[] = {"add", "change", "replace", "delete", "flush", "set"};
    for (const char* w : kChanges) {
        if (matches(sub, w)) return notEmulated("ip " + object + " " + w);
    }
    if (matches(sub, "help")) return notEmulated("ip " + object + " help");
    return CommandOutput::fail("Command \"" + sub + "\" is unknown, try \"ip " + object +
                                   " help\".\n",
                               255);
}

CommandOutput ipRouteGet(NetNamespace& ns, IpArgs a) {
    if (!a.more()) return CommandOutput::fail("need at least destination address\n", 1);
    std::string to = a.cur();
    if (to == "to" && a.i + 1 < a.argv.size()) to = a.argv[++a.i];
    auto dst = Ipv4Address::parse(to);
    if (!dst) {
        return CommandOutput::fail("Error: an inet prefix is expected rather than \"" + to +
                                       "\".\n",
                                   1);
    }
    const std::uint32_t d = dst->toU32();
    if (ns.isLocalAddress(d) || (d >> 24) == 127) {
        return CommandOutput::ok("local " + to + " dev lo  src " +
                                 ((d >> 24) == 127 ? std::string("127.0.0.1") : to) +
                                 " \n    cache <local> \n");
    }
    auto r = ns.lookupRoute(d);
    if (!r) return CommandOutput::fail("RTNETLINK answers: Network is unreachable\n", 2);
    std::string out = to + " ";
    if (r->gateway) out += "via " + formatIpv4(r->gateway) + " ";
    out += "dev " + r->device + " ";
    if (const std::uint32_t src = ns.selectSource(d)) out += " src " + formatIpv4(src) + " ";
    out += "\n    cache \n";
    return CommandOutput::ok(out);
}

CommandOutput ipRoute(NetNamespace& ns, IpArgs a) {
    if (a.more()) {
        const std::string sub = a.cur();
        if (matches(sub, "list") || matches(sub, "show") || matches(sub, "lst")) {
            ++a.i;
        } else if (matches(sub, "get")) {
            ++a.i;
            return ipRouteGet(ns, a);
        } else {
            static const char* kChanges[] = {"add",    "change", "replace", "prepend", "append",
                                             "test",   "delete", "flush",   "save",    "restore",
                                             "showdump", "help"};
            for (const char* w : kChanges) {
                if (matches(sub, w)) return notEmulated(std::string("ip route ") + w);
            }
            return CommandOutput::fail("Command \"" + sub + "\" is unknown, try \"ip route help\".\n",
                                       255);
        }
    }
    // `ip route show dev DEV`: the routes through DEV, without the "dev" field.
    std::string dev;
    for (; a.more(); ++a.i) {
        if (a.cur() == "dev" && a.i + 1 < a.argv.size()) {
            dev = a.argv[++a.i];
            if (!ns.device(dev)) return CommandOutput::fail("Cannot find device \"" + dev + "\"\n", 1);
        } else if (a.cur() != "table" || ++a.i >= a.argv.size() || a.argv[a.i] != "main") {
            return notEmulated("ip route show " + a.cur());
        }
    }
    std::string text = formatIpRoute(ns);
    if (dev.empty()) return CommandOutput::ok(text);
    std::string out;
    const std::string field = "dev " + dev + " ";
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t nl = text.find('\n', start);
        std::string line = text.substr(start, nl - start);
        if (const std::size_t at = line.find(field); at != std::string::npos) {
            out += line.erase(at, field.size()) + "\n";
        }
        start = nl + 1;
    }
    return CommandOutput::ok(out);
}

CommandOutput ipNeigh(NetNamespace& ns, IpArgs a) {
    if (a.more()) {
        const std::string sub = a.cur();
        if (matches(sub, "show") || matches(sub, "lst") || matches(sub, "list")) {
            ++a.i;
        } else if (matches(sub, "help")) {
            return CommandOutput::fail(kIpNeighUsage, 255);
        } else if (matches(sub, "get")) {
            return CommandOutput::fail("Sorry, \"neigh get\" is not implemented :-(\n", 1);
        } else {
            static const char* kChanges[] = {"add", "change", "replace", "delete", "flush"};
            for (const char* w : kChanges) {
                if (matches(sub, w)) return notEmulated(std::string("ip neigh ") + w);
            }
            return CommandOutput::fail("Command \"" + sub + "\" is unknown, try \"ip neigh help\".\n",
                                       255);
        }
    }
    const NetDevice* dev = nullptr;
    for (; a.more(); ++a.i) {
        if (a.cur() == "dev" && a.i + 1 < a.argv.size()) {
            const std::string& name = a.argv[++a.i];
            dev = ns.device(name);
            if (!dev) return CommandOutput::fail("Cannot find device \"" + name + "\"\n", 1);
        } else {
            return notEmulated("ip neigh show " + a.cur());
        }
    }
    return CommandOutput::ok(formatIpNeigh(ns, dev));
}

/// The namespace `ip netns exec NAME` opens: a named namespace of the node (not a VM's).
NetNamespace* hostNamespace(Node& node, std::string_view name) {
    NetNamespace* ns = node.netns(name);
    return ns && !ns->isVmGuest() ? ns : nullptr;
}

CommandOutput ipNetns(CommandCall& call, IpArgs a) {
    Node* node = call.context.node;
    if (!node) return CommandOutput::fail("ip: no node here\n", 1);
    const NodeInfo& info = call.shell.nodeInfo(*node);
    if (!a.more()) return CommandOutput::ok(formatIpNetnsShow(*node, info.netnsOrder));
    const std::string sub = a.cur();
    ++a.i;
    if (matches(sub, "list") || matches(sub, "show") || matches(sub, "lst")) {
        return CommandOutput::ok(formatIpNetnsShow(*node, info.netnsOrder));
    }
    if (matches(sub, "help")) return CommandOutput::fail(kIpNetnsUsage, 255);
    for (const char* w : {"add", "delete", "identify", "pids"}) {
        if (matches(sub, w)) return notEmulated(std::string("ip netns ") + w);
    }
    if (matches(sub, "exec")) {
        if (!a.more()) return CommandOutput::fail("No netns name specified\n", 1);
        const std::string name = a.cur();
        if (a.i + 1 >= a.argv.size()) return CommandOutput::fail("No command specified\n", 1);
        NetNamespace* ns = hostNamespace(*node, name);
        if (!ns) {
            return CommandOutput::fail("Cannot open network namespace \"" + name +
                                           "\": No such file or directory\n",
                                       1);
        }
        ShellContext inner;
        inner.kind = ShellContext::Kind::Namespace;
        inner.node = node;
        inner.netns = ns;
        std::vector<std::string> argv(a.argv.begin() + static_cast<std::ptrdiff_t>(a.i + 1),
                                      a.argv.end());
        const CommandInfo* cmd = call.shell.find(argv[0], kScopeHost);
        if (!cmd || !cmd->handler) {
            return CommandOutput::fail("exec of \"" + argv[0] + "\" failed: No such file or directory\n",
                                       1);
        }
        CommandCall sub2{call.shell, inner, std::move(argv), call.background, call.input};
        return cmd->handler(sub2);
    }
    if (matches(sub, "monitor")) return notEmulated("ip netns monitor");
    return CommandOutput::fail("Command \"" + sub + "\" is unknown, try \"ip netns help\".\n", 255);
}

CommandOutput ipCommand(CommandCall& call) {
    NetNamespace* ns = call.context.effectiveNetns();
    if (!ns) return CommandOutput::fail("ip: no network namespace here\n", 1);
    IpArgs a{call.argv, 1};
    // Global options.
    for (; a.more() && a.cur().size() > 1 && a.cur()[0] == '-'; ++a.i) {
        std::string opt = a.cur();
        if (opt == "--") {
            ++a.i;
            break;
        }
        if (opt.size() > 2 && opt[1] == '-') opt.erase(0, 1);
        if (opt == "-4" || matches(opt, "-stats") || matches(opt, "-statistics") ||
            matches(opt, "-details") || matches(opt, "-resolve")) {
            continue;  // IPv4 is all the lab has; statistics and details are not printed
        }
        if (matches(opt, "-Version")) return CommandOutput::ok("ip utility, iproute2-ss131122\n");
        if (matches(opt, "-help")) return CommandOutput::fail(kIpUsage, 255);
        return CommandOutput::fail("Option \"" + a.cur() + "\" is unknown, try \"ip -help\".\n",
                                   255);
    }
    if (!a.more()) return CommandOutput::fail(kIpUsage, 255);
    const std::string object = a.cur();
    ++a.i;
    // The object table in iproute2's order: a prefix picks the first match ("ip a" is addr).
    static const char* kObjects[] = {"address", "addrlabel", "maddress", "route", "rule",
                                     "neighbor", "neighbour", "ntable", "ntbl", "link", "l2tp",
                                     "tunnel", "tunl", "tuntap", "tap", "token", "tcpmetrics",
                                     "tcp_metrics", "monitor", "xfrm", "mroute", "mrule",
                                     "netns", "netconf", "help"};
    std::string chosen;
    for (const char* o : kObjects) {
        if (matches(object, o)) {
            chosen = o;
            break;
        }
    }
    const bool vm = inVm(call);
    if (chosen == "address") return ipAddr(call, *ns, a, false);
    if (chosen == "link") return ipAddr(call, *ns, a, true);
    if (chosen == "route") return ipRoute(*ns, a);
    if (chosen == "neighbor" || chosen == "neighbour") return ipNeigh(*ns, a);
    if (chosen == "netns" && !vm) return ipNetns(call, a);
    if (chosen == "help") return CommandOutput::fail(kIpUsage, 255);
    if (!chosen.empty() && chosen != "netns") return notEmulated("ip " + chosen);
    return CommandOutput::fail("Object \"" + object + "\" is unknown, try \"ip help\".\n", 1);
}

// ---- net-tools ----

CommandOutput ifconfigCommand(CommandCall& call) {
    NetNamespace* ns = call.context.effectiveNetns();
    Node* node = call.context.node;
    if (!ns || !node) return CommandOutput::fail("ifconfig: no network namespace here\n", 1);
    bool all = false;
    std::vector<std::string> rest;
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        if (call.argv[i] == "-a") {
            all = true;
        } else {
            rest.push_back(call.argv[i]);
        }
    }
    if (rest.empty()) return CommandOutput::ok(formatIfconfig(*node, ns, all));
    if (rest.size() > 1) return notEmulated("ifconfig " + rest[0] + " " + rest[1]);
    NetDevice* d = ns->device(rest[0]);
    if (!d) {
        return CommandOutput::fail(
            inVm(call) ? "ifconfig: " + rest[0] + ": error fetching interface information: Device not found\n"
                       : rest[0] + ": error fetching interface information: Device not found\n",
            1);
    }
    return CommandOutput::ok(formatIfconfigDevice(*ns, *d));
}

CommandOutput arpCommand(CommandCall& call) {
    NetNamespace* ns = call.context.effectiveNetns();
    if (!ns) return CommandOutput::fail("arp: no network namespace here\n", 1);
    bool bsd = inVm(call);  // busybox arp prints only the BSD style
    std::string device;
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        const std::string& a = call.argv[i];
        if (a == "-i" && i + 1 < call.argv.size()) {
            device = call.argv[++i];
            continue;
        }
        if (a.size() > 1 && a[0] == '-') {
            for (std::size_t k = 1; k < a.size(); ++k) {
                if (a[k] == 'a') bsd = true;
                else if (a[k] == 'e') bsd = false;
                else if (a[k] == 'n' || a[k] == 'v') continue;
                else if (a[k] == 's' || a[k] == 'd' || a[k] == 'f') return notEmulated("arp " + a);
                else {
                    return CommandOutput::fail("arp: invalid option -- '" + std::string(1, a[k]) +
                                                   "'\n",
                                               255);
                }
            }
            continue;
        }
        return notEmulated("arp " + a);
    }
    std::string out = formatArp(*ns, bsd, device);
    if (out.empty() && !device.empty() && !inVm(call)) {
        out = "arp: in " + std::to_string(ns->neighbors().size()) + " entries no match found.\n";
    }
    return CommandOutput::ok(out);
}

CommandOutput routeCommand(CommandCall& call) {
    NetNamespace* ns = call.context.effectiveNetns();
    if (!ns) return CommandOutput::fail("route: no network namespace here\n", 1);
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        if (call.argv[i] != "-n" && call.argv[i] != "-e") return notEmulated("route " + call.argv[i]);
    }
    return CommandOutput::ok(formatRouteN(*ns));
}

// ---- bridge-utils, ethtool ----

CommandOutput brctlCommand(CommandCall& call) {
    Node* node = call.context.node;
    if (!node) return CommandOutput::fail("brctl: no node here\n", 1);
    if (call.argv.size() < 2) return notEmulated("brctl");
    const std::string& sub = call.argv[1];
    if (sub == "show") {
        std::vector<const LinuxBridge*> bridges;
        for (const LinuxBridge* br : node->linuxBridges()) {
            bool wanted = call.argv.size() == 2;
            for (std::size_t i = 2; i < call.argv.size(); ++i) wanted |= call.argv[i] == br->name();
            if (wanted) bridges.push_back(br);
        }
        return CommandOutput::ok(formatBrctlShow(bridges));
    }
    if (sub == "showmacs") {
        if (call.argv.size() != 3) {
            return {"Incorrect number of arguments for command\n"
                    "Usage: brctl showmacs <bridge>\tshow a list of mac addrs\n",
                    {},
                    1};
        }
        const LinuxBridge* br = node->linuxBridge(call.argv[2]);
        if (!br) return CommandOutput::fail("read of forward table failed: No such device\n", 1);
        return CommandOutput::ok(formatShowMacs(*br, call.shell.lab().clock().now()));
    }
    static const char* kKnown[] = {"addbr", "delbr", "addif", "delif", "hairpin", "setageing",
                                   "setbridgeprio", "setfd", "sethello", "setmaxage",
                                   "setpathcost", "setportprio", "showstp", "stp"};
    for (const char* w : kKnown) {
        if (sub == w) return notEmulated("brctl " + sub);
    }
    return CommandOutput::fail("never heard of command [" + sub + "]\n", 1);
}

CommandOutput ethtoolCommand(CommandCall& call) {
    NetNamespace* ns = call.context.effectiveNetns();
    if (!ns) return CommandOutput::fail("ethtool: no network namespace here\n", 1);
    if (call.argv.size() == 3 && (call.argv[1] == "-S" || call.argv[1] == "--statistics")) {
        const NetDevice* d = ns->device(call.argv[2]);
        if (!d) return CommandOutput::fail("Cannot get driver information: No such device\n", 71);
        const std::string text = formatEthtoolStats(*d);
        if (d->kind() != DeviceKind::Veth) return CommandOutput::fail(text, 94);
        return CommandOutput::ok(text);
    }
    if (call.argv.size() < 2) {
        return CommandOutput::fail("ethtool: bad command line argument(s)\n"
                                   "For more information run ethtool -h\n",
                                   1);
    }
    return notEmulated("ethtool " + call.argv[1]);
}

// ---- ping ----

/// `ping DEST &`: a Ping running on the lab's clock while other commands advance it.
class PingJob : public Job {
public:
    PingJob(NetNamespace& ns, PingOptions options, std::string line, bool quiet)
        : m_line(std::move(line)),
          m_ping(ns, std::move(options), [this, quiet](std::string_view l) {
              if (quiet && isReplyLine(l)) return;
              m_out += std::string(l) + "\n";
          }) {
        m_ping.start();
    }
    static bool isReplyLine(std::string_view l) {
        return l.find(" bytes from ") != std::string_view::npos || l.starts_with("From ");
    }
    std::string commandLine() const override { return m_line; }
    bool finished() const override { return m_ping.finished(); }
    std::string drainOutput() override { return std::exchange(m_out, {}); }
    std::string stop() override {
        m_ping.stop();
        return drainOutput();
    }
    std::string takeStartOutput() { return drainOutput(); }

private:
    std::string m_line;
    std::string m_out;
    Ping m_ping;
};

CommandOutput pingUsage(bool vm) {
    if (vm) {
        return CommandOutput::fail(
            "BusyBox v1.20.1 (2012-05-18 07:46:54 UTC) multi-call binary.\n\n"
            "Usage: ping [OPTIONS] HOST\n\n"
            "Send ICMP ECHO_REQUEST packets to network hosts\n\n"
            "\t-4,-6\t\tForce IP or IPv6 name resolution\n"
            "\t-c CNT\t\tSend only CNT pings\n"
            "\t-s SIZE\t\tSend SIZE data bytes in packets (default:56)\n"
            "\t-t TTL\t\tSet TTL\n"
            "\t-I IFACE/IP\tUse interface or IP address as source\n"
            "\t-W SEC\t\tSeconds to wait for the first response (default:10)\n"
            "\t\t\t(after all -c CNT packets are sent)\n"
            "\t-w SEC\t\tSeconds until ping exits (default:infinite)\n"
            "\t\t\t(can exit earlier with -c CNT)\n"
            "\t-q\t\tQuiet, only displays output at start\n"
            "\t\t\tand when finished\n",
            1);
    }
    return CommandOutput::fail(
        "Usage: ping [-LRUbdfnqrvVaAD] [-c count] [-i interval] [-w deadline]\n"
        "            [-p pattern] [-s packetsize] [-t ttl] [-I interface]\n"
        "            [-M pmtudisc-hint] [-m mark] [-S sndbuf]\n"
        "            [-T tstamp-options] [-Q tos] [hop1 ...] destination\n",
        2);
}

CommandOutput pingCommand(CommandCall& call) {
    NetNamespace* ns = call.context.effectiveNetns();
    if (!ns) return CommandOutput::fail("ping: no network namespace here\n", 2);
    const bool vm = inVm(call);
    PingOptions opt;
    if (vm) opt.flavor = PingFlavor::Busybox;
    bool quiet = false;
    std::string host;
    const std::string valueOpts = vm ? "cstwWI" : "cistwWIpQmMST";
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        const std::string& a = call.argv[i];
        if (a.size() < 2 || a[0] != '-') {
            if (!host.empty() && vm) return pingUsage(vm);
            host = a;  // iputils: the last operand is the destination (hops before it)
            continue;
        }
        for (std::size_t k = 1; k < a.size(); ++k) {
            const char o = a[k];
            if (valueOpts.find(o) == std::string::npos) {
                if (o == 'q') {
                    quiet = true;
                    continue;
                }
                if (!vm && std::string_view("LRUbdfnrvVaAD4").find(o) != std::string_view::npos) {
                    continue;  // flags that change nothing the lab prints
                }
                if (vm && (o == '4' || o == 'v')) continue;
                std::string err = "ping: invalid option -- '" + std::string(1, o) + "'\n";
                CommandOutput u = pingUsage(vm);
                u.err = err + u.err;
                return u;
            }
            std::string value;
            if (k + 1 < a.size()) {
                value = a.substr(k + 1);
            } else if (i + 1 < call.argv.size()) {
                value = call.argv[++i];
            } else {
                std::string err = "ping: option requires an argument -- '" + std::string(1, o) + "'\n";
                CommandOutput u = pingUsage(vm);
                u.err = err + u.err;
                return u;
            }
            k = a.size();
            auto n = parseInt(value);
            auto bad = [&](std::string msg) {
                return CommandOutput::fail(vm ? "ping: invalid number '" + value + "'\n" : msg, vm ? 1 : 2);
            };
            switch (o) {
            case 'c':
                if (!n || *n == 0) return bad("ping: bad number of packets to transmit.\n");
                opt.count = static_cast<int>(*n);
                break;
            case 'i': {
                auto v = parseNumber(value);
                if (!v) return bad("ping: bad timing interval.\n");
                opt.interval = static_cast<SimDuration>(std::llround(*v * 1e9));
                if (opt.interval < 200 * kMillisecond && opt.interval != 0) {
                    // root may go below 200 ms; the lab's shells are root
                }
                break;
            }
            case 's':
                if (!n) return bad("ping: illegal negative packet size " + value + ".\n");
                if (*n > 65507) {
                    return CommandOutput::fail("ping: packet size " + value +
                                                   " is too large. Maximum is 65507\n",
                                               2);
                }
                opt.size = static_cast<std::size_t>(*n);
                break;
            case 't':
                if (!n || *n == 0 || *n > 255) return bad("ping: ttl " + value + " out of range\n");
                opt.ttl = static_cast<std::uint8_t>(*n);
                break;
            case 'w':
                if (!n) return bad("ping: bad wait time.\n");
                opt.deadline = *n * kSecond;
                break;
            case 'W':
                if (!n) return bad("ping: bad linger time.\n");
                opt.linger = *n * kSecond;
                break;
            case 'I':
                opt.source = value;
                break;
            default:
                break;  // -p -Q -m -M -S -T: accepted, no effect in the lab
            }
        }
    }
    if (host.empty()) return pingUsage(vm);
    auto dst = Ipv4Address::parse(host);
    if (!dst) {
        return vm ? CommandOutput::fail("ping: bad address '" + host + "'\n", 1)
                  : CommandOutput::fail("ping: unknown host " + host + "\n", 2);
    }
    opt.destination = dst->toU32();
    if (vm && !opt.source.empty() && !Ipv4Address::parse(opt.source) && !ns->device(opt.source)) {
        return CommandOutput::fail("ping: bad address '" + opt.source + "'\n", 1);
    }

    if (call.background) {
        std::string line = "ping";
        for (std::size_t i = 1; i < call.argv.size(); ++i) line += " " + call.argv[i];
        auto job = std::make_unique<PingJob>(*ns, opt, line, quiet);
        std::string first = job->takeStartOutput();
        call.shell.addJob(std::move(job));
        return CommandOutput::ok(first);
    }

    std::string out;
    Ping ping(*ns, opt, [&](std::string_view l) {
        if (quiet && PingJob::isReplyLine(l)) return;
        out += std::string(l) + "\n";
    });
    SimClock& clock = ns->clock();
    const SimTime start = clock.now();
    ping.start();
    // Without -c or -w a real ping runs until Ctrl-C: the user presses it just before the
    // 5th probe would go out.
    const bool untilInterrupted = opt.count == 0 && opt.deadline == 0;
    const SimTime interruptAt = start + 4 * (opt.interval > 0 ? opt.interval : kSecond) - 1;
    while (!ping.finished()) {
        const SimTime next = clock.nextEventTime();
        if (untilInterrupted && (next < 0 || next > interruptAt)) {
            clock.runUntil(interruptAt);
            ping.stop();
            break;
        }
        if (next < 0) break;
        clock.runUntil(next);
    }
    if (!ping.finished()) ping.stop();
    const int status = ping.result().exitCode;
    // Setup errors (no route, bad -I) are iputils' messages on stderr.
    if (ping.result().transmitted == 0 && status != 0) return CommandOutput::fail(out, status);
    return {out, {}, status};
}

// ---- udhcpc (CirrOS) ----

CommandOutput udhcpcCommand(CommandCall& call) {
    Vm* vm = call.context.vm;
    if (!vm) return CommandOutput::fail("udhcpc: not a guest\n", 1);
    std::string ifname = "eth0";
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        const std::string& a = call.argv[i];
        if (a == "-i" && i + 1 < call.argv.size()) {
            ifname = call.argv[++i];
        } else if (a.starts_with("-i") && a.size() > 2) {
            ifname = a.substr(2);
        } else if (a == "-q" || a == "-n" || a == "-f" || a == "-R" || a == "-b") {
            continue;
        } else {
            return notEmulated("udhcpc " + a);
        }
    }
    const std::vector<NetDevice*> nics = vm->nics();
    std::size_t index = nics.size();
    for (std::size_t i = 0; i < nics.size(); ++i) {
        if (nics[i]->name() == ifname) index = i;
    }
    if (index == nics.size() || !vm->netns().device(ifname)) {
        return CommandOutput::fail("udhcpc: ioctl 0x8933 failed: No such device\n", 1);
    }
    DhcpClient* client = vm->dhcpClient(index);
    if (!client) return CommandOutput::fail("udhcpc: the guest has not booted\n", 1);
    // The running udhcpc (CirrOS's, from ifup) is replaced by this one: stop it (it
    // releases its lease), start again and run until bound.
    client->stop();
    const std::size_t from = client->lines().size();
    client->start();
    SimClock& clock = call.shell.lab().clock();
    const SimTime giveUp = clock.now() + 3 * client->config().discoverTimeout + kSecond;
    while (client->state() != DhcpClientState::Bound) {
        const SimTime next = clock.nextEventTime();
        if (next < 0 || next > giveUp) {
            clock.runUntil(giveUp);
            break;
        }
        clock.runUntil(next);
    }
    std::string out;
    const auto& lines = client->lines();
    for (std::size_t i = from; i < lines.size(); ++i) out += lines[i] + "\n";
    return {out, {}, client->state() == DhcpClientState::Bound ? 0 : 1};
}

}  // namespace

void registerHostCommands(Shell& shell) {
    shell.add({"echo", kAll, "echo [-n] [WORD]...", echoCommand});
    shell.add({"hostname", kHostVm, "hostname", hostnameCommand});
    shell.add({"help", kAll, "help   (this list)",
               [](CommandCall& c) { return CommandOutput::ok(helpText(c.shell, c.context)); }});
    shell.add({"jobs", kScopeHost | kScopeCloud, "jobs",
               [](CommandCall& c) { return CommandOutput::ok(c.shell.listJobs()); }});
    shell.add({"kill", kScopeHost | kScopeCloud, "kill [-SIGNAL] %JOB|PID...",
               [](CommandCall& c) { return c.shell.killJobs(c.argv); }});
    shell.add({"sleep", kAll, "sleep SECONDS   (advances the lab's clock)", sleepCommand});
    shell.add({"ip", kHostVm,
               "ip addr|link [show [dev] IF] | route [show|get ADDR] | neigh [show] | netns "
               "[list | exec NS CMD...]",
               ipCommand});
    shell.add({"ifconfig", kHostVm, "ifconfig [-a] [IF]", ifconfigCommand});
    shell.add({"arp", kHostVm, "arp [-n] [-a] [-i IF]", arpCommand});
    shell.add({"route", kHostVm, "route [-n]", routeCommand});
    shell.add({"brctl", kScopeHost, "brctl show [BR...] | showmacs BR", brctlCommand});
    shell.add({"ethtool", kScopeHost, "ethtool -S IF", ethtoolCommand});
    shell.add({"ping", kHostVm,
               "ping [-c N] [-i S] [-I IF|ADDR] [-s N] [-t TTL] [-W S] [-w S] [-q] ADDR", pingCommand});
    shell.add({"udhcpc", kScopeVm, "udhcpc [-i IF]   (renews the lease)", udhcpcCommand});
}

}  // namespace nlab::engine
