#pragma once
// Shell: the emulated command line of a lab host, namespace or VM.
//
// What
//   Runs command lines such as `ovs-ofctl dump-flows br-tun`, `ip netns exec qrouter-... ping
//   -c 3 10.10.10.7` or `brctl show` against the engine's state and returns exactly what the
//   real tools print (stdout, stderr, exit status). Nothing ever runs on the machine the
//   lab runs on: every command is an emulation registered in this Shell.
//
// Design
//   - A ShellContext says where a line runs: a node's root namespace, one of its
//     namespaces (as after `ip netns exec NS`), a VM's guest, or the cloud (a client shell
//     with only the `neutron`/`nova` clients). Commands declare the scopes they exist in;
//     running one elsewhere answers as the shell would ("-sh: ovs-vsctl: not found" in a
//     CirrOS guest, "NAME: command not found" with status 127 on a host).
//   - Command lines are split like a POSIX shell for the cases the lab needs: words,
//     single and double quotes, backslash escapes, `#` comments, `;` sequences, `&&`/`||`,
//     pipelines into the filters `grep [-v] [-i] [-c] [-E] PATTERN`, `head [-n N]`,
//     `tail [-n N]`, `wc -l`, `sort`, and a trailing `&` for background jobs.
//   - Commands are functions of (Shell, context, argv). Those that take virtual time
//     (ping, sleep, tcpdump -c, udhcpc) run the lab's clock themselves; the engine stays
//     single-threaded and deterministic.
//   - Background jobs (`tcpdump -i tap -w f.pcap &`) are Job objects kept by the Shell;
//     their output is collected with takeJobOutput() after every command, `jobs` lists
//     them, `kill %N` stops one, finished jobs report "[N]+  Done  CMD" as bash does.
//   - Per-node facts that the engine does not own (the Open_vSwitch row UUID, OVS
//     version, the listing orders a real database/filesystem happens to use, the hostname)
//     are NodeInfo records set by whoever builds the lab (the model's agents).
//
// Invariants
//   run() never throws and never crashes on any input line: malformed lines and bad
//   arguments give the real tool's error text and a non-zero status.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/console/host_formatters.h"
#include "engine/lab/lab.h"

namespace nlab::engine {

class Vm;
struct AndOrList;       // engine/console/shell_words.h
struct Pipeline;
struct SimpleCommand;

/// Where a command line runs.
struct ShellContext {
    enum class Kind { Host, Namespace, Vm, Cloud };
    Kind kind = Kind::Host;
    Node* node = nullptr;          ///< Host, Namespace, Vm: the node. Cloud: null.
    NetNamespace* netns = nullptr; ///< Namespace: the namespace; Vm: the guest's; Host: null (root).
    Vm* vm = nullptr;              ///< Vm only.

    /// The namespace commands act in (the node's root namespace for Host).
    NetNamespace* effectiveNetns() const;
    /// "root@compute:~# ", "root@network:~# " (also inside `ip netns exec`),
    /// "cirros@instance1:~$ " (VM guest), "cloud$ ".
    std::string prompt() const;
    /// "compute", "network/qrouter-040c...", "instance1", "cloud".
    std::string label() const;
};

struct CommandOutput {
    std::string out;   ///< What the command writes on stdout.
    std::string err;   ///< What it writes on stderr.
    int status = 0;    ///< Exit status (0 success).

    static CommandOutput ok(std::string out) { return {std::move(out), {}, 0}; }
    static CommandOutput fail(std::string err, int status = 1) { return {{}, std::move(err), status}; }
};

/// Scopes a command exists in (bit set).
enum CommandScope : unsigned {
    kScopeHost = 1,       ///< A node's root namespace or one of its namespaces.
    kScopeVm = 2,         ///< A VM guest (CirrOS: busybox tools, udhcpc).
    kScopeCloud = 4,      ///< The cloud client shell (neutron, nova).
};

class Shell;

/// One invocation: the shell, where it runs and its words (argv[0] is the command).
struct CommandCall {
    Shell& shell;
    const ShellContext& context;
    std::vector<std::string> argv;
    /// The line ended in '&': a command that can run as a job (tcpdump) registers a Job
    /// with Shell::addJob() and returns at once; others run in the foreground as usual.
    bool background = false;
    /// Standard input when the command reads a pipe (`A | grep x`); null: the terminal
    /// (nothing to read). A command that ends with '&' but adds no job runs to completion
    /// and its output is shown as the job's (see Shell::run).
    const std::string* input = nullptr;
};

using CommandHandler = std::function<CommandOutput(CommandCall&)>;

struct CommandInfo {
    std::string name;        ///< argv[0], e.g. "ovs-ofctl".
    unsigned scopes = kScopeHost;
    std::string synopsis;    ///< One line for `help`, e.g. "ovs-ofctl show|dump-flows BR [table=N]|...".
    CommandHandler handler;
};

/// A background job (`CMD &`).
class Job {
public:
    virtual ~Job() = default;
    /// The command line as typed, without the '&'.
    virtual std::string commandLine() const = 0;
    /// True once the job ended by itself (e.g. tcpdump -c N reached N).
    virtual bool finished() const = 0;
    /// Output produced since the last call (stdout and stderr merged, as a terminal shows).
    virtual std::string drainOutput() = 0;
    /// Stops the job (SIGINT/SIGTERM) and returns what it prints when stopped
    /// (tcpdump's "N packets captured" lines).
    virtual std::string stop() = 0;
};

/// Per-node facts the engine does not own. See the header essay.
struct NodeInfo {
    std::string ovsUuid;                    ///< First line of `ovs-vsctl show`.
    std::string ovsVersion = "2.0.2";
    OvsShowOrder showOrder;                 ///< Listing order of `ovs-vsctl show`.
    std::vector<std::string> netnsOrder;    ///< Listing order of `ip netns` (named first).
};

class Shell {
public:
    explicit Shell(Lab& lab);
    ~Shell();
    Shell(const Shell&) = delete;
    Shell& operator=(const Shell&) = delete;

    Lab& lab() const { return m_lab; }

    /// Registers (or replaces) a command.
    void add(CommandInfo info);
    /// The command called 'name' available in 'scope' (null if none).
    const CommandInfo* find(std::string_view name, unsigned scope) const;
    /// Every command available in 'scope', by name.
    std::vector<const CommandInfo*> commands(unsigned scope) const;

    /// Runs one command line (see the header essay for the syntax) in 'context'.
    /// @return what the line printed and the exit status of its last command.
    CommandOutput run(const ShellContext& context, std::string_view line);
    /// Runs one already-split command (no shell syntax) in 'context'.
    CommandOutput runArgv(const ShellContext& context, std::vector<std::string> argv);

    /// Starts a background job; returns its job number (1, 2, ...).
    int addJob(std::unique_ptr<Job> job);
    /// Output of background jobs since the last call, plus "[N]+  Done ..." lines for jobs
    /// that finished.
    std::string takeJobOutput();
    /// Stops every job (end of a script or session) and returns their final output.
    std::string stopAllJobs();
    /// bash's `jobs`: "[1]+  Running                 tcpdump -i tap -w f.pcap &" per job;
    /// finished jobs are listed as Done once and forgotten.
    std::string listJobs();
    /// bash's `kill [-SIG] %N|PID ...`: stops the job; its final output and the "Done" line
    /// come with the next takeJobOutput().
    CommandOutput killJobs(const std::vector<std::string>& argv);
    /// The exit status of the last command line run (`$?`).
    int lastStatus() const { return m_lastStatus; }

    /// Directory for files commands write (`tcpdump -w x.pcap`): relative paths resolve
    /// here. Default "." (the CLI's --pcap-dir sets it).
    void setFileDir(std::string dir) { m_fileDir = std::move(dir); }
    const std::string& fileDir() const { return m_fileDir; }
    /// Resolves a path a command names against fileDir().
    std::string resolvePath(std::string_view path) const;

    void setNodeInfo(const std::string& node, NodeInfo info);
    /// The node's info (a default one when none was set).
    const NodeInfo& nodeInfo(const Node& node) const;

    /// Resolves a context by label: "compute", "network/qrouter-...", a VM name registered
    /// with addVm(), "cloud". Null optional when unknown.
    std::optional<ShellContext> context(std::string_view label) const;
    /// Makes a VM reachable as a context (its name is its label). Removed by removeVm().
    void addVm(Vm& vm);
    void removeVm(const Vm& vm);
    std::vector<Vm*> vms() const;

private:
    struct JobSlot;
    CommandOutput runAndOr(const ShellContext& context, const AndOrList& list);
    CommandOutput runPipeline(const ShellContext& context, const Pipeline& pipeline,
                              bool background);
    CommandOutput runSimple(const ShellContext& context, const SimpleCommand& command,
                            const std::string* input, bool background);
    CommandOutput dispatch(const ShellContext& context, std::vector<std::string> argv,
                           const std::string* input, bool background);
    std::string parameter(const ShellContext& context, std::string_view name) const;
    std::string doneLine(const JobSlot& slot, std::size_t index) const;
    char jobMark(std::size_t index) const;

    Lab& m_lab;
    std::map<std::string, CommandInfo, std::less<>> m_commands;
    std::vector<std::unique_ptr<JobSlot>> m_jobs;
    int m_nextJob = 1;
    std::string m_fileDir = ".";
    std::map<std::string, NodeInfo, std::less<>> m_nodeInfo;
    std::vector<Vm*> m_vms;
    int m_lastStatus = 0;
    int m_nextPid = 2417;
};

/// The scope a context's commands come from (kScopeHost for Host and Namespace).
unsigned scopeOf(const ShellContext& context);

/// Host and guest tools: ip (addr, link, route, neigh, netns [show|exec]), ifconfig,
/// brctl (show, showmacs), ethtool -S, arp -n, ping, sleep, hostname, echo, help,
/// jobs, kill; in VMs: ip, ifconfig, ping, arp, udhcpc, route.
void registerHostCommands(Shell& shell);
/// Open vSwitch tools: ovs-vsctl (show, list-br, list-ports, add-br, del-br, add-port,
/// del-port, br-exists, port-to-br), ovs-ofctl (show, dump-flows, add-flow, add-flows,
/// mod-flows, del-flows, dump-ports, dump-tables), ovs-appctl (ofproto/trace, fdb/show), and
/// tcpdump.
void registerOvsCommands(Shell& shell);

}  // namespace nlab::engine
