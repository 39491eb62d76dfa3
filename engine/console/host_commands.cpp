// Host and guest tools of the emulated shell (see shell.h): iproute2 `ip`, net-tools,
// bridge-utils, ethtool, iputils ping on Ubuntu 14.04 hosts; busybox tools and udhcpc in
// CirrOS guests; and the shell builtins (echo, sleep, jobs, kill, help, hostname).

#include <algorithm>
#include <cstdio>

#include "engine/console/shell.h"
#include "engine/lab/vm.h"

namespace nlab::engine {

namespace {

constexpr unsigned kHostVm = kScopeHost | kScopeVm;
constexpr unsigned kAll = kScopeHost | kScopeVm | kScopeCloud;

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
    const ShellContext& c = call.context;
    if (c.kind == ShellContext::Kind::Vm && c.vm) return CommandOutput::ok(c.vm->name() + "\n");
    if (c.node) return CommandOutput::ok(c.node->name() + "\n");
    return CommandOutput::ok("cloud\n");
}

std::string helpText(const Shell& shell, const ShellContext& context) {
    std::string out = "NeutronLab shell (" + context.label() + "). Commands here:\n";
    for (const CommandInfo* info : shell.commands(scopeOf(context))) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "  %-12s ", info->name.c_str());
        out += buf + info->synopsis + "\n";
    }
    out += "Shell: words and quotes as in sh, `;`, `&&`, `||`, `# comments`, pipes into grep, "
           "head, tail, wc, sort; `CMD &` runs in the background (jobs, kill %N).\n";
    out += "ping without -c or -w stops as if Ctrl-C were pressed after the 4th probe.\n";
    out += "Contexts: a node (root@NODE), NODE/NAMESPACE (as after `ip netns exec`), a VM name "
           "(the CirrOS guest), cloud (neutron and nova clients).\n";
    return out;
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
}

}  // namespace nlab::engine
