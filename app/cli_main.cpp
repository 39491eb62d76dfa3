// neutronlab-cli: runs a NeutronLab lab headless — the emulated commands of its hosts,
// namespaces, VMs and cloud, from a script, from -c arguments or interactively.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <editline/readline.h>

#include "app/cli/session.h"
#include "model/lab_file.h"

namespace {

constexpr const char* kUsage =
    "Usage: neutronlab-cli [--lab FILE] [--no-instances] [--script FILE | -c 'CONTEXT: COMMAND']...\n"
    "                      [--pcap-dir DIR] [--keep-going] [--quiet] [--save FILE]\n"
    "\n"
    "Runs a NeutronLab lab without the desktop app: the emulated commands of its hosts,\n"
    "namespaces, instances and cloud (ovs-vsctl, ovs-ofctl, ip, brctl, ping, tcpdump, neutron,\n"
    "nova, ...). Nothing runs on this machine; time is the lab's virtual time.\n"
    "\n"
    "Options:\n"
    "  --lab FILE         the lab file to load (default: the built-in seed lab)\n"
    "  --no-instances     load the lab's instance ports but boot no instance\n"
    "                     (`nova boot --nic port-id=...` boots them later)\n"
    "  --script FILE      run FILE, one 'CONTEXT: COMMAND' per line, '#' comments ('-': stdin)\n"
    "  -c 'CONTEXT: CMD'  run one command; repeatable, runs in order with --script\n"
    "  --pcap-dir DIR     where `tcpdump -w` writes relative paths (default: .)\n"
    "  --keep-going       run every line even after a command fails (exit status still 1)\n"
    "  --quiet            print command output only, without prompts\n"
    "  --save FILE        save the lab (lab-file YAML) after running\n"
    "  -h, --help         show this help;  --version  show the version\n"
    "\n"
    "CONTEXT is a node (network, compute), NODE/NAMESPACE (network/qrouter-...), an instance\n"
    "name (instance1) or 'cloud'. Without --script or -c, an interactive shell starts.\n"
    "Exit status: 0 when every command succeeded, 1 when one failed, 2 on bad usage or lab file.\n";

struct Options {
    std::string lab;
    bool noInstances = false;
    std::vector<std::pair<std::string, std::string>> sources;  // ("script", path) / ("c", line)
    std::string pcapDir = ".";
    bool keepGoing = false;
    bool quiet = false;
    std::string save;
};

int usageError(const std::string& message) {
    std::cerr << "neutronlab-cli: " << message << "\nTry 'neutronlab-cli --help'.\n";
    return 2;
}

bool readFile(const std::string& path, std::string& text) {
    if (path == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        text = ss.str();
        return true;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    return true;
}

std::string historyPath() {
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state) {
        return std::string(state) + "/neutronlab_history";
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        return std::string(home) + "/.neutronlab_history";
    }
    return {};
}

void printContexts(nlab::cli::Session& session) {
    std::cout << "Contexts (type 'CONTEXT:' to switch, 'CONTEXT: COMMAND' to run once):\n";
    for (const std::string& c : session.contexts()) std::cout << "  " << c << '\n';
}

int interactive(nlab::cli::Session& session, const std::string& labName) {
    const bool tty = isatty(STDIN_FILENO) != 0;
    std::string current = "cloud";
    for (const nlab::model::Host& h : session.cloud().state().hosts) {
        if (h.role == nlab::model::HostRole::Network) {
            current = h.name;
            break;
        }
    }
    const auto& st = session.cloud().state();
    auto count = [](std::size_t n, const char* what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    std::cout << "NeutronLab " << NLAB_VERSION << " - " << labName << ": "
              << count(st.hosts.size(), "host") << ", " << count(st.networks.size(), "network")
              << ", " << count(st.routers.size(), "router") << ", "
              << count(st.instances.size(), "instance") << ".\n"
              << "Type 'help' for the commands of a context, 'contexts' to list contexts,\n"
              << "'CONTEXT:' to switch (e.g. 'compute:', 'instance1:'), Ctrl-D or 'exit' to quit.\n";
    const std::string history = historyPath();
    if (tty && !history.empty()) read_history(history.c_str());
    int status = 0;
    for (;;) {
        auto ctx = session.shell().context(current);
        const std::string prompt = ctx ? ctx->prompt() : current + "> ";
        std::string line;
        if (tty) {
            char* raw = readline(prompt.c_str());
            if (!raw) {
                std::cout << '\n';
                break;
            }
            line = raw;
            std::free(raw);
            if (!line.empty()) add_history(line.c_str());
        } else {
            if (!std::getline(std::cin, line)) break;
            std::cout << prompt << line << '\n';
        }
        std::string_view t = line;
        while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
        if (t.empty() || t.front() == '#') continue;
        if (t == "exit" || t == "quit" || t == "logout") break;
        if (t == "contexts") {
            printContexts(session);
            continue;
        }
        std::string context = current;
        std::string command(t);
        if (auto parsed = nlab::cli::parseContextLine(t)) {
            if (!session.shell().context(parsed->context)) {
                std::cout << "neutronlab-cli: unknown context '" << parsed->context
                          << "' (type 'contexts' to list them)\n";
                continue;
            }
            if (parsed->command.empty()) {
                current = parsed->context;
                continue;
            }
            context = parsed->context;
            command = parsed->command;
        }
        nlab::cli::Session::Step step = session.run(context, command);
        std::cout << step.output.out;
        std::cout.flush();
        std::cerr << step.output.err;
        std::cerr.flush();
        std::cout << step.jobOutput;
        status = step.output.status;
    }
    std::cout << session.shell().stopAllJobs();
    if (tty && !history.empty()) write_history(history.c_str());
    return status == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) return false;
            out = argv[++i];
            return true;
        };
        std::string v;
        if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (a == "--version") {
            std::cout << "neutronlab-cli " << NLAB_VERSION << '\n';
            return 0;
        } else if (a == "--lab") {
            if (!value(o.lab)) return usageError("--lab needs a FILE");
        } else if (a == "--no-instances") {
            o.noInstances = true;
        } else if (a == "--script") {
            if (!value(v)) return usageError("--script needs a FILE");
            o.sources.emplace_back("script", v);
        } else if (a == "-c") {
            if (!value(v)) return usageError("-c needs 'CONTEXT: COMMAND'");
            o.sources.emplace_back("c", v);
        } else if (a == "--pcap-dir") {
            if (!value(o.pcapDir)) return usageError("--pcap-dir needs a DIR");
        } else if (a == "--keep-going") {
            o.keepGoing = true;
        } else if (a == "--quiet") {
            o.quiet = true;
        } else if (a == "--save") {
            if (!value(o.save)) return usageError("--save needs a FILE");
        } else {
            return usageError("unknown option '" + a + "'");
        }
    }

    nlab::model::LoadOptions lo;
    lo.withoutInstances = o.noInstances;
    nlab::model::LoadedLab loaded =
        o.lab.empty() ? nlab::model::loadSeedLab(lo) : nlab::model::loadLabFile(o.lab, lo);
    if (!loaded) {
        std::cerr << "neutronlab-cli: " << loaded.error->toString() << '\n';
        return 2;
    }
    nlab::cli::Session session(std::move(loaded.cloud), o.pcapDir);

    int status = 0;
    if (o.sources.empty()) {
        status = interactive(session, o.lab.empty() ? "the built-in seed lab" : o.lab);
    } else {
        nlab::cli::ScriptOptions so;
        so.keepGoing = o.keepGoing;
        so.echo = !o.quiet;
        // Parse everything first: a malformed script fails before anything runs.
        std::vector<std::pair<std::string, std::vector<nlab::cli::ScriptLine>>> scripts;
        for (const auto& [kind, arg] : o.sources) {
            std::string text = arg;
            std::string name = "-c";
            if (kind == "script") {
                name = arg == "-" ? "<stdin>" : arg;
                if (!readFile(arg, text)) {
                    std::cerr << "neutronlab-cli: " << arg << ": cannot read the script\n";
                    return 2;
                }
            }
            auto parsed = nlab::cli::parseScript(text, name);
            if (auto* e = std::get_if<nlab::cli::ScriptError>(&parsed)) {
                std::cerr << "neutronlab-cli: " << e->toString() << '\n';
                return 2;
            }
            scripts.emplace_back(name, std::get<std::vector<nlab::cli::ScriptLine>>(parsed));
        }
        for (const auto& [name, lines] : scripts) {
            if (nlab::cli::runScript(session, lines, name, std::cout, std::cerr, so) != 0) {
                status = 1;
                if (!o.keepGoing) break;
            }
        }
    }
    if (!o.save.empty()) {
        if (auto s = nlab::model::saveLabFile(session.cloud(), o.save); !s.ok()) {
            std::cerr << "neutronlab-cli: " << s.error().message << '\n';
            return 2;
        }
    }
    return status;
}
