#include "tests/differential/ovs_oracle.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

extern char** environ;

namespace nlab::difftest {
namespace {

namespace fs = std::filesystem;

constexpr int kUnixctlTimeoutMs = 10'000;

std::string trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
        --e;
    return std::string(s.substr(b, e - b));
}

std::string quoteCommand(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) {
        if (!out.empty())
            out += ' ';
        const bool plain =
            !a.empty() && a.find_first_of(" \t\"'\\$`()[]{}*?;&|<>") == std::string::npos;
        if (plain) {
            out += a;
        } else {
            out += '\'';
            for (char c : a) {
                if (c == '\'')
                    out += "'\\''";
                else
                    out += c;
            }
            out += '\'';
        }
    }
    return out;
}

/// Environment for child processes: ours, with the sbin directories (where Debian puts
/// ovs-vswitchd and ovsdb-server) appended to PATH when missing.
std::vector<std::string> childEnvironment(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> env;
    bool havePath = false;
    for (char** e = environ; e && *e; ++e) {
        std::string var = *e;
        if (var.rfind("PATH=", 0) == 0) {
            havePath = true;
            for (const char* dir : {"/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
                const std::string d = dir;
                const std::string list = ":" + var.substr(5) + ":";
                if (list.find(":" + d + ":") == std::string::npos)
                    var += ":" + d;
            }
        }
        env.push_back(std::move(var));
    }
    if (!havePath)
        env.emplace_back("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (const auto& var : extra) {
        const std::string name = var.substr(0, var.find('=') + 1);
        std::erase_if(env, [&](const std::string& e) { return e.rfind(name, 0) == 0; });
        env.push_back(var);
    }
    return env;
}

struct ProcessResult {
    int status = -1;  // exit code, or 128 + signal
    std::string out;
    std::string err;
};

/// Runs 'argv' (argv[0] looked up in PATH) with stdin from /dev/null, capturing stdout and
/// stderr. Throws OracleError only when the process cannot be started.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extraEnv = {}) {
    int outPipe[2];
    int errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0 || pipe2(errPipe, O_CLOEXEC) != 0) {
        throw OracleError("pipe() failed: " + std::string(std::strerror(errno)));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);

    std::vector<std::string> envStrings = childEnvironment(extraEnv);
    std::vector<char*> envp;
    for (auto& s : envStrings)
        envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (auto& s : args)
        argp.push_back(s.data());
    argp.push_back(nullptr);

    // posix_spawnp searches the PATH of the *calling* process; resolve against the child's.
    std::string program = args.at(0);
    if (program.find('/') == std::string::npos) {
        for (const auto& var : envStrings) {
            if (var.rfind("PATH=", 0) != 0)
                continue;
            std::stringstream dirs(var.substr(5));
            std::string dir;
            while (std::getline(dirs, dir, ':')) {
                const std::string candidate = dir + "/" + program;
                if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) {
                    program = candidate;
                    break;
                }
            }
        }
    }

    pid_t pid = -1;
    const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(outPipe[1]);
    close(errPipe[1]);
    if (rc != 0) {
        close(outPipe[0]);
        close(errPipe[0]);
        throw OracleError("cannot run `" + quoteCommand(argv) + "`: " + std::strerror(rc));
    }

    ProcessResult result;
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open = 2;
    char buf[65536];
    while (open > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, std::size_t(n));
            } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status))
        result.status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.status = 128 + WTERMSIG(status);
    return result;
}

bool findExecutable(const std::string& name) {
    const std::vector<std::string> env = childEnvironment();
    for (const auto& var : env) {
        if (var.rfind("PATH=", 0) != 0)
            continue;
        std::stringstream dirs(var.substr(5));
        std::string dir;
        while (std::getline(dirs, dir, ':')) {
            if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0)
                return true;
        }
    }
    return false;
}

// ---- A minimal JSON-RPC client for ovs-vswitchd's unixctl socket ----------------------

std::string jsonString(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char esc[8];
                    std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
                    out += esc;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

/// Reads a JSON string starting at s[i] == '"'; advances 'i' past it.
std::string parseJsonString(std::string_view s, std::size_t& i) {
    std::string out;
    ++i;  // opening quote
    while (i < s.size() && s[i] != '"') {
        char c = s[i++];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i >= s.size())
            break;
        c = s[i++];
        switch (c) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case 'r':
                out += '\r';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'u': {
                const unsigned cp = unsigned(std::stoul(std::string(s.substr(i, 4)), nullptr, 16));
                i += 4;
                if (cp < 0x80) {
                    out += char(cp);
                } else if (cp < 0x800) {
                    out += char(0xc0 | (cp >> 6));
                    out += char(0x80 | (cp & 0x3f));
                } else {
                    out += char(0xe0 | (cp >> 12));
                    out += char(0x80 | ((cp >> 6) & 0x3f));
                    out += char(0x80 | (cp & 0x3f));
                }
                break;
            }
            default:
                out += c;
        }
    }
    ++i;  // closing quote
    return out;
}

/// One connection to the unixctl server. Requests are answered in order.
class UnixctlConnection {
public:
    explicit UnixctlConnection(const std::string& path) {
        m_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0)
            throw OracleError("socket(): " + std::string(std::strerror(errno)));
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path.size() >= sizeof addr.sun_path) {
            close(m_fd);
            throw OracleError("unixctl socket path too long: " + path);
        }
        std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
        sockaddr* sa = static_cast<sockaddr*>(static_cast<void*>(&addr));
        if (connect(m_fd, sa, sizeof addr) != 0) {
            const int e = errno;
            close(m_fd);
            throw OracleError("cannot connect to ovs-vswitchd at " + path + ": " +
                              std::strerror(e));
        }
    }
    ~UnixctlConnection() { close(m_fd); }
    UnixctlConnection(const UnixctlConnection&) = delete;
    UnixctlConnection& operator=(const UnixctlConnection&) = delete;

    void send(const std::vector<std::string>& args) {
        std::string msg = "{\"id\":" + std::to_string(m_nextId++) +
                          ",\"method\":" + jsonString(args.at(0)) + ",\"params\":[";
        for (std::size_t i = 1; i < args.size(); ++i) {
            if (i > 1)
                msg += ',';
            msg += jsonString(args[i]);
        }
        msg += "]}";
        std::size_t off = 0;
        while (off < msg.size()) {
            const ssize_t n = ::send(m_fd, msg.data() + off, msg.size() - off, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                throw OracleError("unixctl send failed: " + std::string(std::strerror(errno)));
            }
            off += std::size_t(n);
        }
    }

    /// Waits for the next reply. Returns {ok, text}: the result, or the error message.
    std::pair<bool, std::string> receive(int timeoutMs = kUnixctlTimeoutMs) {
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        for (;;) {
            std::size_t end = 0;
            if (completeObject(end)) {
                const std::string obj = m_buf.substr(0, end);
                m_buf.erase(0, end);
                return parseReply(obj);
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                throw OracleError("timed out waiting for ovs-vswitchd");
            pollfd p{m_fd, POLLIN, 0};
            const int r = poll(&p, 1, int(left.count()));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                continue;
            char buf[65536];
            const ssize_t n = recv(m_fd, buf, sizeof buf, 0);
            if (n == 0)
                throw OracleError("ovs-vswitchd closed the unixctl connection");
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                throw OracleError("unixctl recv failed: " + std::string(std::strerror(errno)));
            }
            m_buf.append(buf, std::size_t(n));
        }
    }

private:
    bool completeObject(std::size_t& end) const {
        int depth = 0;
        bool inString = false;
        for (std::size_t i = 0; i < m_buf.size(); ++i) {
            const char c = m_buf[i];
            if (inString) {
                if (c == '\\')
                    ++i;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                ++depth;
            } else if (c == '}') {
                if (--depth == 0) {
                    end = i + 1;
                    return true;
                }
            }
        }
        return false;
    }

    static std::pair<bool, std::string> parseReply(std::string_view obj) {
        // A flat object: {"id":N,"result":"...","error":null} or {"id":N,"error":"..."}.
        std::optional<std::string> result;
        std::optional<std::string> error;
        std::size_t i = 0;
        while (i < obj.size()) {
            if (obj[i] != '"') {
                ++i;
                continue;
            }
            const std::string key = parseJsonString(obj, i);
            while (i < obj.size() &&
                   (obj[i] == ':' || std::isspace(static_cast<unsigned char>(obj[i]))))
                ++i;
            if (i < obj.size() && obj[i] == '"') {
                std::string value = parseJsonString(obj, i);
                if (key == "result")
                    result = std::move(value);
                else if (key == "error")
                    error = std::move(value);
            } else {
                while (i < obj.size() && obj[i] != ',' && obj[i] != '}')
                    ++i;
            }
        }
        if (error)
            return {false, *error};
        return {true, result.value_or("")};
    }

    int m_fd = -1;
    int m_nextId = 0;
    std::string m_buf;
};

// ---- pcap --------------------------------------------------------------------------------

constexpr std::uintmax_t kPcapFileHeader = 24;
constexpr std::size_t kPcapRecordHeader = 16;

std::uint32_t readU32(const std::string& data, std::size_t off, bool swap) {
    std::uint32_t v = 0;
    std::memcpy(&v, data.data() + off, 4);
    if (swap)
        v = __builtin_bswap32(v);
    return v;
}

std::string readFileFrom(const std::string& path, std::uintmax_t offset) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw OracleError("cannot read " + path);
    in.seekg(std::streamoff(offset));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// ---- Cleanup on fatal signals ------------------------------------------------------------
// Destructors do not run when the test process dies from a signal (an engine crash, an
// abort, a closed output pipe, ctest's timeout SIGTERM). The daemons were started detached
// and would outlive it, so their PIDs are registered here and a handler sends them SIGTERM
// before letting the signal take its previous course.

constexpr int kMaxDaemons = 64;
volatile sig_atomic_t g_daemonPids[kMaxDaemons] = {};
constexpr int kFatalSignals[] = {SIGINT,  SIGTERM, SIGHUP, SIGPIPE, SIGABRT,
                                 SIGSEGV, SIGBUS,  SIGFPE, SIGILL};
struct sigaction g_previous[sizeof kFatalSignals / sizeof kFatalSignals[0]];

extern "C" void onFatalSignal(int sig) {
    for (int i = 0; i < kMaxDaemons; ++i) {
        const pid_t pid = pid_t(g_daemonPids[i]);
        if (pid > 1)
            kill(pid, SIGTERM);
    }
    for (std::size_t i = 0; i < sizeof kFatalSignals / sizeof kFatalSignals[0]; ++i) {
        if (kFatalSignals[i] == sig)
            sigaction(sig, &g_previous[i], nullptr);
    }
    raise(sig);
}

void installSignalCleanup() {
    static const bool installed = [] {
        for (std::size_t i = 0; i < sizeof kFatalSignals / sizeof kFatalSignals[0]; ++i) {
            struct sigaction sa {};
            sa.sa_handler = onFatalSignal;
            sigemptyset(&sa.sa_mask);
            sigaction(kFatalSignals[i], &sa, &g_previous[i]);
        }
        return true;
    }();
    (void)installed;
}

void registerDaemon(pid_t pid) {
    for (int i = 0; i < kMaxDaemons; ++i) {
        if (g_daemonPids[i] == 0) {
            g_daemonPids[i] = pid;
            return;
        }
    }
}

void unregisterDaemon(pid_t pid) {
    for (int i = 0; i < kMaxDaemons; ++i) {
        if (g_daemonPids[i] == pid)
            g_daemonPids[i] = 0;
    }
}

pid_t readPidFile(const std::string& path) {
    std::ifstream in(path);
    long pid = 0;
    if (!(in >> pid) || pid <= 1)
        return 0;
    return pid_t(pid);
}

}  // namespace

// ---- free functions ----------------------------------------------------------------------

std::string oracleToolPath() {
    if (const char* env = std::getenv("NLAB_OVS_ORACLE"); env && *env)
        return env;
    return std::string(NLAB_SHARED_DIR) + "/tools/ovs-oracle";
}

bool oracleSkipRequested() {
    const char* env = std::getenv("NLAB_SKIP_OVS_ORACLE");
    return env && std::string_view(env) == "1";
}

OracleAvailability checkOracleAvailability() {
    OracleAvailability a;
    std::vector<std::string> missing;
    for (const char* bin :
         {"ovs-vswitchd", "ovsdb-server", "ovsdb-tool", "ovs-vsctl", "ovs-ofctl", "ovs-appctl"}) {
        if (!findExecutable(bin))
            missing.emplace_back(bin);
    }
    const std::string tool = oracleToolPath();
    std::string reason;
    if (!missing.empty()) {
        reason = "Open vSwitch is not installed (not found in PATH, /usr/sbin or /sbin:";
        for (const auto& m : missing)
            reason += " " + m;
        reason +=
            "). The differential tests need the package openvswitch-switch "
            "(apt-get install openvswitch-switch).";
    }
    if (access(tool.c_str(), R_OK) != 0) {
        if (!reason.empty())
            reason += " ";
        reason += "The oracle tool " + tool +
                  " is missing (NLAB_SHARED_DIR should be the project's shared/ folder).";
    }
    a.available = reason.empty();
    a.reason = reason;
    return a;
}

std::string toHex(std::span<const std::uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
    }
    return out;
}

std::vector<std::uint8_t> fromHex(std::string_view hex) {
    std::vector<std::uint8_t> out;
    int nibble = -1;
    for (char c : hex) {
        if (std::isspace(static_cast<unsigned char>(c)))
            continue;
        int v = -1;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        if (v < 0)
            throw OracleError("bad hex digit '" + std::string(1, c) + "' in " + std::string(hex));
        if (nibble < 0) {
            nibble = v;
        } else {
            out.push_back(std::uint8_t(nibble * 16 + v));
            nibble = -1;
        }
    }
    if (nibble >= 0)
        throw OracleError("odd number of hex digits in " + std::string(hex));
    return out;
}

void PrintTo(const TxFrame& frame, std::ostream* os) {
    *os << frame.port << ": " << toHex(frame.bytes);
}

void PrintTo(const DumpedFlow& flow, std::ostream* os) {
    *os << flow.text();
}

void PrintTo(const FdbEntry& entry, std::ostream* os) {
    char mac[20];
    std::snprintf(mac, sizeof mac, "%012llx", static_cast<unsigned long long>(entry.mac));
    *os << "port " << entry.port << " vlan " << entry.vlan << " mac " << mac;
}

std::string DumpedFlow::text() const {
    std::string out = "table=" + std::to_string(table) + ", ";
    if (cookie != 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "cookie=0x%llx, ", static_cast<unsigned long long>(cookie));
        out += buf;
    }
    if (idleTimeout != 0)
        out += "idle_timeout=" + std::to_string(idleTimeout) + ", ";
    if (hardTimeout != 0)
        out += "hard_timeout=" + std::to_string(hardTimeout) + ", ";
    out += "priority=" + std::to_string(priority);
    if (!match.empty())
        out += "," + match;
    out += " actions=" + actions;
    return out;
}

std::optional<DumpedFlow> parseDumpFlowLine(std::string_view rawLine) {
    const std::string line = trim(rawLine);
    if (line.empty() || line.rfind("NXST_FLOW", 0) == 0 || line.rfind("OFPST_FLOW", 0) == 0) {
        return std::nullopt;
    }
    const std::string padded = " " + line;
    const std::size_t at = padded.find(" actions=");
    if (at == std::string::npos)
        throw OracleError("dump-flows line without actions: " + line);
    DumpedFlow f;
    f.actions = padded.substr(at + 9);
    const std::string left = padded.substr(0, at);

    std::vector<std::string> matchParts;
    std::stringstream ss(left);
    std::string tok;
    while (std::getline(ss, tok, ',')) {
        tok = trim(tok);
        if (tok.empty())
            continue;
        // Flags ("send_flow_rem ", "check_overlap ") are printed before the match,
        // separated by a space, not a comma.
        while (tok.find(' ') != std::string::npos)
            tok = trim(tok.substr(tok.find(' ') + 1));
        const std::size_t eq = tok.find('=');
        const std::string key = eq == std::string::npos ? tok : tok.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : tok.substr(eq + 1);
        if (key == "table") {
            f.table = std::stoi(value);
        } else if (key == "cookie") {
            f.cookie = std::stoull(value, nullptr, 0);
        } else if (key == "idle_timeout") {
            f.idleTimeout = std::stoi(value);
        } else if (key == "hard_timeout") {
            f.hardTimeout = std::stoi(value);
        } else if (key == "priority") {
            f.priority = std::stoi(value);
        } else if (key == "duration" || key == "n_packets" || key == "n_bytes" ||
                   key == "idle_age" || key == "hard_age" || key == "importance") {
            // Statistics and ages: not part of a flow's identity.
        } else {
            matchParts.push_back(tok);
        }
    }
    for (std::size_t i = 0; i < matchParts.size(); ++i) {
        if (i)
            f.match += ',';
        f.match += matchParts[i];
    }
    return f;
}

void sortFlows(std::vector<DumpedFlow>& flows) {
    std::sort(flows.begin(), flows.end(), [](const DumpedFlow& a, const DumpedFlow& b) {
        if (a.table != b.table)
            return a.table < b.table;
        if (a.priority != b.priority)
            return a.priority > b.priority;
        return a.text() < b.text();
    });
}

std::vector<DumpedFlow> parseDumpFlows(std::string_view text) {
    std::vector<DumpedFlow> flows;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            nl = text.size();
        if (auto f = parseDumpFlowLine(text.substr(start, nl - start)))
            flows.push_back(*f);
        start = nl + 1;
    }
    sortFlows(flows);
    return flows;
}

std::vector<FdbEntry> parseFdbShow(std::string_view text) {
    std::vector<FdbEntry> out;
    std::stringstream ss{std::string(text)};
    std::string line;
    while (std::getline(ss, line)) {
        std::stringstream ls(line);
        std::string port, vlan, mac;
        if (!(ls >> port >> vlan >> mac))
            continue;
        if (port == "port")
            continue;  // header
        FdbEntry e;
        e.port = port == "LOCAL" ? 65534u : std::uint32_t(std::stoul(port));
        e.vlan = std::uint16_t(std::stoul(vlan));
        std::string digits;
        for (char c : mac) {
            if (c != ':')
                digits += c;
        }
        e.mac = std::stoull(digits, nullptr, 16);
        out.push_back(e);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// ---- OvsOracle ---------------------------------------------------------------------------

OvsOracle::OvsOracle() {
    char tmpl[] = "/tmp/nlab-ovs-XXXXXX";
    if (!mkdtemp(tmpl)) {
        throw OracleError("mkdtemp(/tmp/nlab-ovs-XXXXXX) failed: " +
                          std::string(std::strerror(errno)));
    }
    m_dir = tmpl;
    try {
        m_running = true;  // from here on, stop() must run on failure
        installSignalCleanup();
        runTool("start", {});
        for (const char* daemon : {"ovs-vswitchd", "ovsdb-server"}) {
            if (const pid_t pid = readPidFile(m_dir + "/" + daemon + ".pid"))
                registerDaemon(pid);
        }
        runTool("vsctl", {"set", "Open_vSwitch", ".", "other_config:flow-limit=0"});
    } catch (...) {
        stop();
        throw;
    }
}

OvsOracle::~OvsOracle() {
    stop();
}

namespace {

/// The PID in 'pidFile' if that process is alive (not a zombie) and was started for 'dir'
/// (its command line names the directory), else 0.
pid_t liveDaemonPid(const std::string& pidFile, const std::string& dir) {
    std::ifstream in(pidFile);
    long pid = 0;
    if (!(in >> pid) || pid <= 1)
        return 0;
    std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
    const std::string cmd((std::istreambuf_iterator<char>(cmdline)),
                          std::istreambuf_iterator<char>());
    if (cmd.find(dir + "/") == std::string::npos)
        return 0;  // gone, zombie, or not ours
    return pid_t(pid);
}

/// Whether 'pid' has exited (gone, or a zombie waiting to be reaped by init).
bool hasExited(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line))
        return true;
    const std::size_t paren = line.rfind(')');
    return paren == std::string::npos || paren + 2 >= line.size() || line[paren + 2] == 'Z' ||
           line[paren + 2] == 'X';
}

}  // namespace

void OvsOracle::stop() noexcept {
    if (!m_running)
        return;
    m_running = false;
    // Stop the daemons by PID, exactly as `ovs-oracle stop` does, but consider a zombie as
    // stopped: in containers whose init reaps slowly, the script's `[ -d /proc/PID ]` poll
    // waits ~2 s per daemon for the reaper, which would dominate the test time.
    for (const char* daemon : {"ovs-vswitchd", "ovsdb-server"}) {
        const pid_t pid = liveDaemonPid(m_dir + "/" + daemon + ".pid", m_dir);
        if (pid == 0)
            continue;
        kill(pid, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!hasExited(pid) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (!hasExited(pid)) {
            std::cerr << "ovs-oracle: " << daemon << " (pid " << pid
                      << ") ignored SIGTERM; killing it\n";
            kill(pid, SIGKILL);
        }
    }
    for (const char* daemon : {"ovs-vswitchd", "ovsdb-server"}) {
        if (const pid_t pid = readPidFile(m_dir + "/" + daemon + ".pid"))
            unregisterDaemon(pid);
    }
    // The script's own stop as a safety net (it reports "not running" for both now).
    try {
        const ProcessResult r = runProcess({"bash", oracleToolPath(), "stop", m_dir});
        if (r.status != 0) {
            std::cerr << "ovs-oracle stop " << m_dir << " failed (exit " << r.status
                      << "): " << r.err << r.out;
        }
    } catch (const std::exception& e) {
        std::cerr << "ovs-oracle stop " << m_dir << ": " << e.what() << "\n";
    }
    const char* keep = std::getenv("NLAB_KEEP_OVS_ORACLE");
    if (keep && std::string_view(keep) == "1") {
        std::cerr << "ovs-oracle: keeping " << m_dir << " (NLAB_KEEP_OVS_ORACLE=1)\n";
        return;
    }
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

std::string OvsOracle::logTail(int lines) const {
    std::ifstream in(m_dir + "/ovs-vswitchd.log");
    std::vector<std::string> all;
    std::string line;
    while (std::getline(in, line))
        all.push_back(line);
    std::string out;
    const std::size_t from = all.size() > std::size_t(lines) ? all.size() - std::size_t(lines) : 0;
    for (std::size_t i = from; i < all.size(); ++i)
        out += all[i] + "\n";
    return out;
}

std::string OvsOracle::runTool(const std::string& subcommand, const std::vector<std::string>& args,
                               const std::vector<std::string>& env) {
    // Through bash: the script works even from a copy of shared/ without execute bits.
    std::vector<std::string> argv = {"bash", oracleToolPath(), subcommand, m_dir};
    argv.insert(argv.end(), args.begin(), args.end());
    const ProcessResult r = runProcess(argv, env);
    if (r.status != 0) {
        std::string shownEnv;
        for (const auto& e : env)
            shownEnv += quoteCommand({e}) + " ";
        std::string msg = "`" + shownEnv + quoteCommand(argv) + "` failed with exit status " +
                          std::to_string(r.status);
        if (!r.err.empty())
            msg += "\nstderr:\n" + r.err;
        if (!r.out.empty())
            msg += "\nstdout:\n" + r.out;
        const std::string tail = logTail(10);
        if (!tail.empty())
            msg += "\nlast lines of " + m_dir + "/ovs-vswitchd.log:\n" + tail;
        throw OracleError(msg);
    }
    return r.out;
}

std::string OvsOracle::unixctlPath() const {
    std::ifstream pidFile(m_dir + "/ovs-vswitchd.pid");
    long pid = 0;
    if (!(pidFile >> pid))
        throw OracleError("ovs-vswitchd is not running in " + m_dir);
    return m_dir + "/ovs-vswitchd." + std::to_string(pid) + ".ctl";
}

std::string OvsOracle::appctl(const std::vector<std::string>& args) {
    UnixctlConnection conn(unixctlPath());
    conn.send(args);
    auto [ok, text] = conn.receive();
    if (!ok) {
        std::string shown = args.size() > 2 && args[0] == "netdev-dummy/receive"
                                ? args[0] + " " + args[1] + " " + args[2]
                                : quoteCommand(args);
        throw OracleError("`ovs-appctl " + shown + "` failed: " + text);
    }
    return text;
}

void OvsOracle::addBridge(const std::string& bridge, const std::vector<OraclePort>& ports) {
    std::vector<std::string> args = {bridge};
    for (const auto& p : ports) {
        std::string spec = p.name + "=" + std::to_string(p.ofport);
        if (p.type != "dummy" || !p.options.empty())
            spec += ":" + p.type;
        if (!p.options.empty()) {
            spec += ":";
            for (std::size_t i = 0; i < p.options.size(); ++i) {
                if (i)
                    spec += ",";
                spec += p.options[i];
            }
        }
        args.push_back(spec);
    }
    runTool("bridge", args);
    for (const auto& p : ports)
        m_ports[p.name] = PortInfo{bridge, p.ofport, p.type};
    recordLocalPort(bridge);
}

void OvsOracle::recordLocalPort(const std::string& bridge) {
    // The bridge's own internal port (LOCAL) records what it transmits too, so frames that
    // NORMAL floods to it or "output:LOCAL" sends are compared like any other port's.
    runTool("vsctl", {"set", "interface", bridge,
                      "options:tx_pcap=" + m_dir + "/pcap/" + bridge + "-tx.pcap"});
    m_ports[bridge] = PortInfo{bridge, 65534, "internal"};
}

void OvsOracle::setPortVlans(const std::string& port, std::optional<std::uint16_t> tag,
                             const std::vector<std::uint16_t>& trunks) {
    std::vector<std::string> args = {"--", tag ? "set" : "clear", "port", port};
    if (tag)
        args.push_back("tag=" + std::to_string(*tag));
    else
        args.emplace_back("tag");
    if (!trunks.empty()) {
        std::string list = "trunks=";
        for (std::size_t i = 0; i < trunks.size(); ++i) {
            if (i)
                list += ",";
            list += std::to_string(trunks[i]);
        }
        args.insert(args.end(), {"--", "set", "port", port, list});
    }
    runTool("vsctl", args);
}

void OvsOracle::setupIcehouse() {
    runTool("icehouse", {});
    m_ports["patch-int"] = PortInfo{"br-tun", 1, "dummy"};
    m_ports["gre-1"] = PortInfo{"br-tun", 2, "gre"};
    m_ports["p0"] = PortInfo{"br-phy", 1, "dummy"};
    recordLocalPort("br-tun");
}

void OvsOracle::setupUnderlay(const std::string& localCidr, const std::string& remoteIp,
                              const std::string& remoteMac) {
    std::vector<std::string> args = {localCidr, remoteIp};
    if (!remoteMac.empty())
        args.push_back(remoteMac);
    runTool("underlay", args);
    m_ports["p0"] = PortInfo{"br-phy", 1, "dummy"};
}

void OvsOracle::loadFlows(const std::string& bridge, const std::string& text,
                          const std::string& ofctlOptions, bool replace) {
    const std::string file = m_dir + "/flows-" + std::to_string(++m_tempCounter) + ".txt";
    {
        std::ofstream out(file);
        out << text;
        if (!text.empty() && text.back() != '\n')
            out << '\n';
        if (!out)
            throw OracleError("cannot write " + file);
    }
    std::vector<std::string> args = {bridge, file};
    if (replace)
        args.emplace_back("--replace");
    std::vector<std::string> env;
    if (!ofctlOptions.empty())
        env.push_back("OFCTL_OPTS=" + ofctlOptions);
    try {
        runTool("flows", args, env);
    } catch (const OracleError& e) {
        throw OracleError(std::string(e.what()) + "\nflows:\n" + text);
    }
    std::error_code ec;
    fs::remove(file, ec);
}

void OvsOracle::addFlows(const std::string& bridge, const std::string& text,
                         const std::string& ofctlOptions) {
    loadFlows(bridge, text, ofctlOptions, false);
}

void OvsOracle::replaceFlows(const std::string& bridge, const std::string& text,
                             const std::string& ofctlOptions) {
    loadFlows(bridge, text, ofctlOptions, true);
}

const OvsOracle::PortInfo& OvsOracle::resolvePort(const std::string& bridge,
                                                  const std::string& port,
                                                  std::string* name) const {
    for (const auto& [n, info] : m_ports) {
        if (info.bridge != bridge)
            continue;
        if (n == port || std::to_string(info.ofport) == port) {
            *name = n;
            return info;
        }
    }
    throw OracleError("no port " + port + " on bridge " + bridge + " (known to the wrapper)");
}

std::map<std::string, std::uintmax_t> OvsOracle::txPcapSizes() const {
    std::map<std::string, std::uintmax_t> sizes;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_dir + "/pcap", ec)) {
        const std::string file = entry.path().filename().string();
        if (file.size() > 8 && file.compare(file.size() - 8, 8, "-tx.pcap") == 0) {
            sizes[entry.path().string()] = entry.file_size(ec);
        }
    }
    return sizes;
}

std::vector<TxFrame> OvsOracle::newTxFrames(
    const std::map<std::string, std::uintmax_t>& before) const {
    std::vector<TxFrame> frames;
    for (const auto& [path, size] : txPcapSizes()) {
        auto it = before.find(path);
        std::uintmax_t from = it == before.end() ? 0 : it->second;
        if (from < kPcapFileHeader)
            from = kPcapFileHeader;
        if (size <= from)
            continue;
        const std::string header = readFileFrom(path, 0).substr(0, kPcapFileHeader);
        if (header.size() < kPcapFileHeader)
            continue;
        std::uint32_t magic = 0;
        std::memcpy(&magic, header.data(), 4);
        const bool swap = magic == 0xd4c3b2a1u;
        if (!swap && magic != 0xa1b2c3d4u)
            throw OracleError("not a pcap file: " + path);
        const std::string data = readFileFrom(path, from);
        const std::string file = fs::path(path).filename().string();
        const std::string port = file.substr(0, file.size() - 8);
        std::size_t off = 0;
        while (off + kPcapRecordHeader <= data.size()) {
            const std::uint32_t incl = readU32(data, off + 8, swap);
            if (off + kPcapRecordHeader + incl > data.size()) {
                throw OracleError("truncated pcap record in " + path);
            }
            const auto* p = static_cast<const std::uint8_t*>(
                static_cast<const void*>(data.data() + off + kPcapRecordHeader));
            frames.push_back(TxFrame{port, std::vector<std::uint8_t>(p, p + incl)});
            off += kPcapRecordHeader + incl;
        }
    }
    return frames;
}

std::vector<TxFrame> OvsOracle::inject(const std::string& bridge, const std::string& port,
                                       std::span<const std::uint8_t> frame,
                                       const std::string& metadata) {
    std::string name;
    const PortInfo& info = resolvePort(bridge, port, &name);
    const auto before = txPcapSizes();
    const std::string hex = toHex(frame);
    if (info.type == "dummy" && metadata.empty()) {
        appctl({"netdev-dummy/receive", name, hex});
        // Barrier: a new connection is accepted only in a later main-loop iteration, after
        // the datapath has processed the queued frame (see the file comment).
        appctl({"version"});
    } else {
        std::string spec = "in_port=" + std::to_string(info.ofport);
        if (!metadata.empty())
            spec += "," + metadata;
        spec += ",packet=" + hex + ",actions=table";
        // packet-out is synchronous: ovs-ofctl waits for the barrier reply.
        runTool("ofctl", {"-O", "OpenFlow15", "packet-out", bridge, spec});
    }
    return newTxFrames(before);
}

std::string OvsOracle::dumpFlowsRaw(const std::string& bridge, const std::string& filter) {
    std::vector<std::string> args = {bridge};
    if (!filter.empty())
        args.push_back(filter);
    return runTool("dump", args);
}

std::vector<DumpedFlow> OvsOracle::dumpFlows(const std::string& bridge, const std::string& filter) {
    std::vector<std::string> args = {bridge};
    if (!filter.empty())
        args.push_back(filter);
    args.emplace_back("--no-stats");
    return parseDumpFlows(runTool("dump", args));
}

std::vector<FdbEntry> OvsOracle::fdb(const std::string& bridge) {
    return parseFdbShow(appctl({"fdb/show", bridge}));
}

void OvsOracle::freezeClock() {
    if (m_clockFrozen)
        return;
    appctl({"time/stop"});
    m_clockFrozen = true;
    // A revalidator round that started on the real clock may still be running; let it end
    // so that warp() waits for a round of its own.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

void OvsOracle::warp(std::int64_t msecs) {
    if (msecs <= 0)
        throw OracleError("warp: msecs must be positive");
    freezeClock();
    // Register a revalidator/wait first (it answers after the next revalidator round), make
    // sure ovs-vswitchd has read it (a later connection's reply comes after it), then warp.
    UnixctlConnection wait(unixctlPath());
    wait.send({"revalidator/wait"});
    appctl({"version"});
    const std::string warped = appctl({"time/warp", std::to_string(msecs)});
    if (trim(warped) != "warped")
        throw OracleError("time/warp answered: " + warped);
    auto [ok, text] = wait.receive(5000);
    if (!ok)
        throw OracleError("revalidator/wait after time/warp failed: " + text);
}

}  // namespace nlab::difftest
