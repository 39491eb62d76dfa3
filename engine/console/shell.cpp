#include "engine/console/shell.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <regex>

#include "engine/console/shell_words.h"
#include "engine/lab/vm.h"

namespace nlab::engine {

// ---- ShellContext ----

NetNamespace* ShellContext::effectiveNetns() const {
    switch (kind) {
    case Kind::Host: return node ? &node->root() : nullptr;
    case Kind::Namespace: return netns;
    case Kind::Vm: return vm ? &vm->netns() : netns;
    case Kind::Cloud: return nullptr;
    }
    return nullptr;
}

std::string ShellContext::prompt() const {
    switch (kind) {
    case Kind::Host:
    case Kind::Namespace: return "root@" + (node ? node->name() : std::string("localhost")) + ":~# ";
    case Kind::Vm: return "cirros@" + (vm ? vm->name() : std::string("cirros")) + ":~$ ";
    case Kind::Cloud: return "cloud$ ";
    }
    return "$ ";
}

std::string ShellContext::label() const {
    switch (kind) {
    case Kind::Host: return node ? node->name() : std::string();
    case Kind::Namespace:
        return (node ? node->name() : std::string()) + "/" + (netns ? netns->name() : std::string());
    case Kind::Vm: return vm ? vm->name() : std::string();
    case Kind::Cloud: return "cloud";
    }
    return {};
}

unsigned scopeOf(const ShellContext& context) {
    switch (context.kind) {
    case ShellContext::Kind::Host:
    case ShellContext::Kind::Namespace: return kScopeHost;
    case ShellContext::Kind::Vm: return kScopeVm;
    case ShellContext::Kind::Cloud: return kScopeCloud;
    }
    return kScopeHost;
}

namespace {

/// busybox ash (the CirrOS guest) or bash (hosts, the cloud client).
bool isAsh(const ShellContext& c) { return c.kind == ShellContext::Kind::Vm; }

std::string shellName(const ShellContext& c) { return isAsh(c) ? "-sh" : "-bash"; }

std::vector<std::string> splitLines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            lines.emplace_back(text.substr(start));
            break;
        }
        lines.emplace_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

std::string joinLines(const std::vector<std::string>& lines) {
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out;
}

std::string toLower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool parseCount(std::string_view s, long& n) {
    if (s.empty() || s.size() > 9) return false;
    long v = 0;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        v = v * 10 + (c - '0');
    }
    n = v;
    return true;
}

// ---- Filters: the commands a pipeline feeds (GNU coreutils/grep on hosts, busybox in VMs) ----

/// Converts a POSIX basic regular expression to an ECMAScript one: in a BRE, `\|`, `\+`,
/// `\?`, `\(`, `\)`, `\{`, `\}` are operators and the bare characters are literals.
std::string basicToEcma(std::string_view bre) {
    std::string out;
    bool inBracket = false;
    for (std::size_t i = 0; i < bre.size(); ++i) {
        const char c = bre[i];
        if (inBracket) {
            if (c == ']') inBracket = false;
            if (c == '\\') out += '\\';
            out += c;
            continue;
        }
        if (c == '[') {
            inBracket = true;
            out += c;
            if (i + 1 < bre.size() && bre[i + 1] == '^') out += bre[++i];
            if (i + 1 < bre.size() && bre[i + 1] == ']') out += "\\]", ++i;
            continue;
        }
        if (c == '\\' && i + 1 < bre.size()) {
            const char n = bre[++i];
            if (std::string_view("|+?(){}").find(n) != std::string_view::npos) {
                out += n;
            } else {
                out += '\\';
                out += n;
            }
            continue;
        }
        if (std::string_view("|+?(){}").find(c) != std::string_view::npos) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

CommandOutput grepCommand(CommandCall& call) {
    const bool ash = isAsh(call.context);
    bool invert = false, icase = false, count = false, extended = false, fixed = false;
    bool quiet = false;
    std::optional<std::string> pattern;
    std::vector<std::string> files;
    const std::string usage =
        ash ? "BusyBox v1.20.1 (2012-05-18 07:46:54 UTC) multi-call binary.\n\n"
              "Usage: grep [-HhnlLoqvsriwFE] [-m N] [-A/B/C N] PATTERN/-e PATTERN.../-f FILE "
              "[FILE]...\n"
            : "Usage: grep [OPTION]... PATTERN [FILE]...\n"
              "Try 'grep --help' for more information.\n";
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        const std::string& a = call.argv[i];
        if (a.size() > 1 && a[0] == '-' && !pattern) {
            if (a == "-e") {
                if (i + 1 >= call.argv.size()) return CommandOutput::fail(usage, 2);
                pattern = call.argv[++i];
                continue;
            }
            for (std::size_t k = 1; k < a.size(); ++k) {
                switch (a[k]) {
                case 'v': invert = true; break;
                case 'i': icase = true; break;
                case 'c': count = true; break;
                case 'E': extended = true; break;
                case 'F': fixed = true; break;
                case 'q': quiet = true; break;
                default:
                    return CommandOutput::fail(
                        ash ? "grep: invalid option -- '" + std::string(1, a[k]) + "'\n" + usage
                            : "grep: invalid option -- '" + std::string(1, a[k]) + "'\n" + usage,
                        2);
                }
            }
            continue;
        }
        if (!pattern) {
            pattern = a;
        } else {
            files.push_back(a);
        }
    }
    if (!pattern) return CommandOutput::fail(usage, 2);
    if (!files.empty()) {
        std::string err;
        for (const std::string& f : files) err += "grep: " + f + ": No such file or directory\n";
        return CommandOutput::fail(err, 2);
    }
    std::optional<std::regex> re;
    if (!fixed) {
        try {
            auto flags = extended ? std::regex::extended : std::regex::ECMAScript;
            if (icase) flags |= std::regex::icase;
            re.emplace(extended ? *pattern : basicToEcma(*pattern), flags);
        } catch (const std::regex_error&) {
            return CommandOutput::fail(ash ? "grep: bad regex '" + *pattern + "'\n"
                                           : "grep: Invalid regular expression\n",
                                       2);
        }
    }
    const std::string needle = icase ? toLower(*pattern) : *pattern;
    long matches = 0;
    std::string out;
    for (const std::string& line : splitLines(call.input ? *call.input : std::string())) {
        bool hit;
        if (re) {
            hit = std::regex_search(line, *re);
        } else {
            hit = (icase ? toLower(line) : line).find(needle) != std::string::npos;
        }
        if (hit == invert) continue;
        ++matches;
        if (!count) out += line + "\n";
    }
    if (quiet) out.clear();
    else if (count) out = std::to_string(matches) + "\n";
    return {out, {}, matches ? 0 : 1};
}

/// head/tail: -n N, -N (head), -n +N (tail from line N).
CommandOutput headTailCommand(CommandCall& call, bool head) {
    const std::string name = head ? "head" : "tail";
    long n = 10;
    bool fromStart = false;
    std::vector<std::string> files;
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        std::string a = call.argv[i];
        std::string value;
        if (a == "-n") {
            if (i + 1 >= call.argv.size()) {
                return CommandOutput::fail(name + ": option requires an argument -- 'n'\n" +
                                               "Try '" + name + " --help' for more information.\n",
                                           1);
            }
            value = call.argv[++i];
        } else if (a.starts_with("-n")) {
            value = a.substr(2);
        } else if (a.size() > 1 && a[0] == '-' && std::isdigit(static_cast<unsigned char>(a[1]))) {
            value = a.substr(1);
        } else if (a.size() > 1 && a[0] == '-') {
            return CommandOutput::fail(name + ": invalid option -- '" + a.substr(1, 1) + "'\n" +
                                           "Try '" + name + " --help' for more information.\n",
                                       1);
        } else {
            files.push_back(a);
            continue;
        }
        if (!head && value.starts_with("+")) {
            fromStart = true;
            value = value.substr(1);
        }
        if (!parseCount(value, n)) {
            return CommandOutput::fail(name + ": " + (head ? "invalid number of lines" :
                                                             "invalid number of lines") +
                                           ": '" + value + "'\n",
                                       1);
        }
    }
    if (!files.empty()) {
        return CommandOutput::fail(name + ": cannot open '" + files.front() +
                                       "' for reading: No such file or directory\n",
                                   1);
    }
    std::vector<std::string> lines = splitLines(call.input ? *call.input : std::string());
    std::vector<std::string> keep;
    const auto size = static_cast<long>(lines.size());
    if (head) {
        keep.assign(lines.begin(), lines.begin() + std::min(n, size));
    } else if (fromStart) {
        const long first = std::max(0L, n - 1);
        if (first < size) keep.assign(lines.begin() + first, lines.end());
    } else {
        keep.assign(lines.end() - std::min(n, size), lines.end());
    }
    return CommandOutput::ok(joinLines(keep));
}

CommandOutput wcCommand(CommandCall& call) {
    const std::string& in = call.input ? *call.input : std::string();
    const long lines = static_cast<long>(std::count(in.begin(), in.end(), '\n'));
    long words = 0;
    bool inWord = false;
    for (char c : in) {
        const bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
        if (!space && !inWord) ++words;
        inWord = !space;
    }
    const long bytes = static_cast<long>(in.size());
    bool l = false, w = false, c = false;
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        const std::string& a = call.argv[i];
        if (a.size() < 2 || a[0] != '-') {
            return CommandOutput::fail("wc: " + a + ": No such file or directory\n", 1);
        }
        for (std::size_t k = 1; k < a.size(); ++k) {
            if (a[k] == 'l') l = true;
            else if (a[k] == 'w') w = true;
            else if (a[k] == 'c') c = true;
            else {
                return CommandOutput::fail("wc: invalid option -- '" + std::string(1, a[k]) +
                                               "'\nTry 'wc --help' for more information.\n",
                                           1);
            }
        }
    }
    std::vector<long> values;
    if (!l && !w && !c) l = w = c = true;
    if (l) values.push_back(lines);
    if (w) values.push_back(words);
    if (c) values.push_back(bytes);
    std::string out;
    if (values.size() == 1) {
        out = std::to_string(values[0]);
    } else {
        // coreutils pads every count to the width of the largest (at least 7 for stdin).
        std::size_t width = 7;
        for (long v : values) width = std::max(width, std::to_string(v).size());
        for (std::size_t i = 0; i < values.size(); ++i) {
            std::string s = std::to_string(values[i]);
            if (i) out += ' ';
            out += std::string(width - s.size(), ' ') + s;
        }
    }
    return CommandOutput::ok(out + "\n");
}

CommandOutput sortCommand(CommandCall& call) {
    bool reverse = false, numeric = false, unique = false;
    for (std::size_t i = 1; i < call.argv.size(); ++i) {
        const std::string& a = call.argv[i];
        if (a.size() < 2 || a[0] != '-') {
            return CommandOutput::fail("sort: cannot read: " + a + ": No such file or directory\n",
                                       2);
        }
        for (std::size_t k = 1; k < a.size(); ++k) {
            if (a[k] == 'r') reverse = true;
            else if (a[k] == 'n') numeric = true;
            else if (a[k] == 'u') unique = true;
            else {
                return CommandOutput::fail("sort: invalid option -- '" + std::string(1, a[k]) +
                                               "'\nTry 'sort --help' for more information.\n",
                                           2);
            }
        }
    }
    std::vector<std::string> lines = splitLines(call.input ? *call.input : std::string());
    auto number = [](const std::string& s) {
        std::size_t i = 0;
        while (i < s.size() && s[i] == ' ') ++i;
        double v = 0;
        bool neg = false;
        if (i < s.size() && s[i] == '-') neg = true, ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) v = v * 10 + (s[i++] - '0');
        return neg ? -v : v;
    };
    // The C locale's byte order (the lab's shells run with LANG=C semantics).
    std::stable_sort(lines.begin(), lines.end(), [&](const std::string& a, const std::string& b) {
        if (numeric) {
            const double x = number(a), y = number(b);
            if (x != y) return x < y;
        }
        return a < b;
    });
    if (reverse) std::reverse(lines.begin(), lines.end());
    if (unique) lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    return CommandOutput::ok(joinLines(lines));
}

/// A background command that ran to completion at once; its output waits for the next
/// takeJobOutput().
class CompletedJob : public Job {
public:
    CompletedJob(std::string line, std::string output)
        : m_line(std::move(line)), m_output(std::move(output)) {}
    std::string commandLine() const override { return m_line; }
    bool finished() const override { return true; }
    std::string drainOutput() override { return std::exchange(m_output, {}); }
    std::string stop() override { return drainOutput(); }

private:
    std::string m_line;
    std::string m_output;
};

}  // namespace

// ---- Shell ----

struct Shell::JobSlot {
    int number = 0;
    int pid = 0;
    std::unique_ptr<Job> job;
    std::string pending;        ///< Output waiting for takeJobOutput() (after kill).
    std::string status = "Done";  ///< "Done", "Exit 1", "Killed".
    bool stopped = false;       ///< Killed: reported as finished.
};

Shell::Shell(Lab& lab) : m_lab(lab) {
    const unsigned all = kScopeHost | kScopeVm | kScopeCloud;
    add({"grep", all, "grep [-v] [-i] [-c] [-E] [-F] PATTERN   (after a pipe)", grepCommand});
    add({"head", all, "head [-n N | -N]   (after a pipe)",
         [](CommandCall& c) { return headTailCommand(c, true); }});
    add({"tail", all, "tail [-n N | -n +N]   (after a pipe)",
         [](CommandCall& c) { return headTailCommand(c, false); }});
    add({"wc", all, "wc [-l] [-w] [-c]   (after a pipe)", wcCommand});
    add({"sort", all, "sort [-n] [-r] [-u]   (after a pipe)", sortCommand});
}

Shell::~Shell() = default;

void Shell::add(CommandInfo info) {
    std::string name = info.name;
    m_commands[name] = std::move(info);
}

const CommandInfo* Shell::find(std::string_view name, unsigned scope) const {
    auto it = m_commands.find(name);
    if (it == m_commands.end() || (it->second.scopes & scope) == 0) return nullptr;
    return &it->second;
}

std::vector<const CommandInfo*> Shell::commands(unsigned scope) const {
    std::vector<const CommandInfo*> out;
    for (const auto& [name, info] : m_commands) {
        if (info.scopes & scope) out.push_back(&info);
    }
    return out;
}

std::string Shell::parameter(const ShellContext& context, std::string_view name) const {
    const bool vm = context.kind == ShellContext::Kind::Vm;
    if (name == "?") return std::to_string(m_lastStatus);
    if (name == "$") return std::to_string(vm ? 251 : 1742);
    if (name == "#") return "0";
    if (name == "0") return shellName(context);
    if (name == "HOME" || name == "PWD") return vm ? "/home/cirros" : "/root";
    if (name == "USER" || name == "LOGNAME") return vm ? "cirros" : "root";
    if (name == "SHELL") return vm ? "/bin/sh" : "/bin/bash";
    if (name == "HOSTNAME") {
        if (vm && context.vm) return context.vm->name();
        return context.node ? context.node->name() : std::string();
    }
    return {};
}

CommandOutput Shell::run(const ShellContext& context, std::string_view line) {
    ParsedLine parsed = parseCommandLine(line);
    const std::string sh = shellName(context);
    if (auto* f = std::get_if<ParseFailure>(&parsed)) {
        std::string err;
        const bool ash = isAsh(context);
        switch (f->kind) {
        case ParseFailure::Kind::UnexpectedToken:
            if (f->token.empty()) {
                err = sh + ": syntax error: unexpected end of file\n";
            } else if (ash) {
                err = f->token == "newline" ? sh + ": syntax error: unexpected newline\n"
                                            : sh + ": syntax error: unexpected \"" + f->token + "\"\n";
            } else {
                err = sh + ": syntax error near unexpected token `" + f->token + "'\n";
            }
            break;
        case ParseFailure::Kind::UnterminatedQuote:
            err = ash ? sh + ": syntax error: unterminated quoted string\n"
                      : sh + ": unexpected EOF while looking for matching `" + f->token + "'\n" +
                            sh + ": syntax error: unexpected end of file\n";
            break;
        case ParseFailure::Kind::Unsupported:
            err = sh + ": " + f->token + ": not supported by the lab's shell\n";
            break;
        }
        m_lastStatus = 2;
        return CommandOutput::fail(err, 2);
    }
    CommandOutput total;
    for (const AndOrList& item : std::get<std::vector<AndOrList>>(parsed)) {
        CommandOutput r;
        if (item.background) {
            const std::size_t jobsBefore = m_jobs.size();
            const bool single = item.pipelines.size() == 1 && item.pipelines[0].commands.size() == 1;
            CommandOutput fg = single ? runPipeline(context, item.pipelines[0], true)
                                      : runAndOr(context, item);
            if (m_jobs.size() == jobsBefore) {
                // The command did not keep running: show its output as the job's.
                const int n = addJob(std::make_unique<CompletedJob>(item.text(), fg.out + fg.err));
                m_jobs.back()->status = fg.status == 0 ? "Done" : "Exit " + std::to_string(fg.status);
                r.err = "[" + std::to_string(n) + "] " + std::to_string(m_jobs.back()->pid) + "\n";
            } else {
                const JobSlot& slot = *m_jobs.back();
                r.err = "[" + std::to_string(slot.number) + "] " + std::to_string(slot.pid) + "\n" +
                        fg.err;
                r.out = fg.out;
            }
            r.status = 0;
        } else {
            r = runAndOr(context, item);
        }
        total.out += r.out;
        total.err += r.err;
        total.status = r.status;
        m_lastStatus = r.status;
    }
    return total;
}

CommandOutput Shell::runAndOr(const ShellContext& context, const AndOrList& list) {
    CommandOutput total;
    for (std::size_t i = 0; i < list.pipelines.size(); ++i) {
        if (i) {
            const Connector c = list.connectors[i - 1];
            if ((c == Connector::And) != (total.status == 0)) continue;
        }
        CommandOutput r = runPipeline(context, list.pipelines[i], false);
        total.out += r.out;
        total.err += r.err;
        total.status = r.status;
        m_lastStatus = r.status;
    }
    return total;
}

CommandOutput Shell::runPipeline(const ShellContext& context, const Pipeline& pipeline,
                                 bool background) {
    CommandOutput total;
    std::string input;
    for (std::size_t i = 0; i < pipeline.commands.size(); ++i) {
        const bool last = i + 1 == pipeline.commands.size();
        CommandOutput r = runSimple(context, pipeline.commands[i], i ? &input : nullptr,
                                    background && pipeline.commands.size() == 1);
        total.err += r.err;
        if (last) {
            total.out = std::move(r.out);
            total.status = r.status;
        } else {
            input = std::move(r.out);
        }
    }
    return total;
}

CommandOutput Shell::runSimple(const ShellContext& context, const SimpleCommand& command,
                               const std::string* input, bool background) {
    auto lookup = [&](std::string_view name) { return parameter(context, name); };
    std::vector<std::string> argv;
    for (const ShellWord& w : command.words) {
        std::string value = expandWord(w, lookup);
        const bool hadParameter = std::any_of(w.pieces.begin(), w.pieces.end(),
                                              [](const WordPiece& p) { return p.isParameter; });
        if (value.empty() && !w.quoted && hadParameter) continue;  // an empty expansion vanishes
        argv.push_back(std::move(value));
    }
    // Where stdout (fd 1) and stderr (fd 2) go: 1 = stdout, 2 = stderr, 0 = /dev/null.
    int fd1 = 1, fd2 = 2;
    for (const Redirection& r : command.redirections) {
        using K = Redirection::Kind;
        if (r.kind == K::ErrToOut) {
            fd2 = fd1;
            continue;
        }
        if (r.kind == K::OutToErr) {
            fd1 = fd2;
            continue;
        }
        const std::string target = expandWord(r.target, lookup);
        if (target != "/dev/null") {
            return CommandOutput::fail(shellName(context) + ": " + target +
                                           ": redirection to a file is not supported by the "
                                           "lab's shell\n",
                                       1);
        }
        if (r.kind == K::Out || r.kind == K::Append || r.kind == K::OutAndErr) fd1 = 0;
        if (r.kind == K::Err || r.kind == K::ErrAppend || r.kind == K::OutAndErr) fd2 = 0;
    }
    if (argv.empty()) return {};
    CommandOutput r = dispatch(context, std::move(argv), input, background);
    if (fd1 == 1 && fd2 == 2) return r;
    CommandOutput routed;
    routed.status = r.status;
    auto send = [&routed](int fd, const std::string& text) {
        if (fd == 1) routed.out += text;
        if (fd == 2) routed.err += text;
    };
    send(fd1, r.out);
    send(fd2, r.err);
    return routed;
}

CommandOutput Shell::dispatch(const ShellContext& context, std::vector<std::string> argv,
                              const std::string* input, bool background) {
    if (argv.empty()) return {};
    const CommandInfo* info = find(argv[0], scopeOf(context));
    if (!info || !info->handler) {
        if (isAsh(context)) return CommandOutput::fail("-sh: " + argv[0] + ": not found\n", 127);
        return CommandOutput::fail(argv[0] + ": command not found\n", 127);
    }
    CommandCall call{*this, context, std::move(argv), background, input};
    return info->handler(call);
}

CommandOutput Shell::runArgv(const ShellContext& context, std::vector<std::string> argv) {
    CommandOutput r = dispatch(context, std::move(argv), nullptr, false);
    m_lastStatus = r.status;
    return r;
}

// ---- Jobs ----

int Shell::addJob(std::unique_ptr<Job> job) {
    int number = 1;
    for (const auto& s : m_jobs) number = std::max(number, s->number + 1);
    auto slot = std::make_unique<JobSlot>();
    slot->number = number;
    slot->pid = m_nextPid;
    m_nextPid += 3;
    slot->job = std::move(job);
    m_jobs.push_back(std::move(slot));
    m_nextJob = number + 1;
    return number;
}

char Shell::jobMark(std::size_t index) const {
    if (index + 1 == m_jobs.size()) return '+';
    if (index + 2 == m_jobs.size()) return '-';
    return ' ';
}

std::string Shell::doneLine(const JobSlot& slot, std::size_t index) const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "[%d]%c  %-24s", slot.number, jobMark(index),
                  slot.status.c_str());
    return buf + slot.job->commandLine() + "\n";
}

std::string Shell::takeJobOutput() {
    std::string out;
    for (auto& s : m_jobs) {
        out += s->pending;
        s->pending.clear();
        if (!s->stopped) out += s->job->drainOutput();
    }
    for (std::size_t i = 0; i < m_jobs.size();) {
        JobSlot& s = *m_jobs[i];
        if (s.stopped || s.job->finished()) {
            out += doneLine(s, i);
            m_jobs.erase(m_jobs.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
            ++i;
        }
    }
    return out;
}

std::string Shell::stopAllJobs() {
    std::string out;
    for (auto& s : m_jobs) {
        out += s->pending;
        if (!s->stopped) {
            out += s->job->drainOutput();
            if (!s->job->finished()) out += s->job->stop();
        }
    }
    m_jobs.clear();
    return out;
}

std::string Shell::listJobs() {
    std::string out;
    for (std::size_t i = 0; i < m_jobs.size(); ++i) {
        const JobSlot& s = *m_jobs[i];
        if (s.stopped || s.job->finished()) {
            out += doneLine(s, i);
        } else {
            char buf[64];
            std::snprintf(buf, sizeof buf, "[%d]%c  %-24s", s.number, jobMark(i), "Running");
            out += buf + s.job->commandLine() + " &\n";
        }
    }
    // bash forgets finished jobs once it has listed them.
    for (std::size_t i = 0; i < m_jobs.size();) {
        if (m_jobs[i]->stopped || m_jobs[i]->job->finished()) {
            out.insert(0, m_jobs[i]->pending);
            m_jobs.erase(m_jobs.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
            ++i;
        }
    }
    return out;
}

CommandOutput Shell::killJobs(const std::vector<std::string>& argv) {
    const std::string usage =
        "-bash: kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill "
        "-l [sigspec]\n";
    bool hardKill = false;
    std::size_t i = 1;
    if (i < argv.size() && (argv[i] == "-s" || argv[i] == "-n")) {
        if (i + 1 >= argv.size()) {
            return CommandOutput::fail("-bash: kill: " + argv[i] + ": option requires an argument\n" +
                                           usage,
                                       2);
        }
        hardKill = argv[i + 1] == "9" || argv[i + 1] == "KILL" || argv[i + 1] == "SIGKILL";
        i += 2;
    } else if (i < argv.size() && argv[i].size() > 1 && argv[i][0] == '-' && argv[i] != "--") {
        static const char* known[] = {"1",  "2",    "9",   "15",      "HUP",     "INT",
                                      "KILL", "TERM", "SIGHUP", "SIGINT", "SIGKILL", "SIGTERM"};
        const std::string sig = argv[i].substr(1);
        if (std::find(std::begin(known), std::end(known), sig) == std::end(known)) {
            return CommandOutput::fail("-bash: kill: " + sig + ": invalid signal specification\n",
                                       1);
        }
        hardKill = sig == "9" || sig == "KILL" || sig == "SIGKILL";
        ++i;
    } else if (i < argv.size() && argv[i] == "--") {
        ++i;
    }
    if (i >= argv.size()) return CommandOutput::fail(usage, 2);
    CommandOutput r;
    for (; i < argv.size(); ++i) {
        const std::string& spec = argv[i];
        JobSlot* slot = nullptr;
        if (spec.starts_with("%")) {
            const std::string what = spec.substr(1);
            long n = 0;
            if ((what.empty() || what == "%" || what == "+") && !m_jobs.empty()) {
                slot = m_jobs.back().get();
            } else if (what == "-" && m_jobs.size() >= 2) {
                slot = m_jobs[m_jobs.size() - 2].get();
            } else if (parseCount(what, n)) {
                for (auto& s : m_jobs) {
                    if (s->number == n) slot = s.get();
                }
            }
            if (!slot) {
                r.err += "-bash: kill: " + spec + ": no such job\n";
                r.status = 1;
                continue;
            }
        } else {
            long pid = 0;
            if (!parseCount(spec, pid)) {
                r.err += "-bash: kill: " + spec +
                         ": arguments must be process or job IDs\n";
                r.status = 1;
                continue;
            }
            for (auto& s : m_jobs) {
                if (s->pid == pid) slot = s.get();
            }
            if (!slot) {
                r.err += "-bash: kill: (" + spec + ") - No such process\n";
                r.status = 1;
                continue;
            }
        }
        if (slot->stopped || slot->job->finished()) {
            r.err += "-bash: kill: (" + std::to_string(slot->pid) + ") - No such process\n";
            r.status = 1;
            continue;
        }
        std::string last = slot->job->drainOutput();
        std::string final = slot->job->stop();
        slot->pending += last;
        if (hardKill) {
            slot->status = "Killed";
        } else {
            slot->pending += final;
            slot->status = "Done";
        }
        slot->stopped = true;
    }
    return r;
}

// ---- Files, node facts, contexts ----

std::string Shell::resolvePath(std::string_view path) const {
    if (path.starts_with("/") || m_fileDir.empty() || m_fileDir == ".") return std::string(path);
    std::string out = m_fileDir;
    if (!out.ends_with("/")) out += '/';
    return out + std::string(path);
}

void Shell::setNodeInfo(const std::string& node, NodeInfo info) {
    m_nodeInfo[node] = std::move(info);
}

const NodeInfo& Shell::nodeInfo(const Node& node) const {
    static const NodeInfo kDefault;
    auto it = m_nodeInfo.find(node.name());
    return it == m_nodeInfo.end() ? kDefault : it->second;
}

std::optional<ShellContext> Shell::context(std::string_view label) const {
    if (label == "cloud") {
        ShellContext c;
        c.kind = ShellContext::Kind::Cloud;
        return c;
    }
    auto vmContext = [](Vm* vm) {
        ShellContext c;
        c.kind = ShellContext::Kind::Vm;
        c.node = &vm->node();
        c.netns = &vm->netns();
        c.vm = vm;
        return c;
    };
    const std::size_t slash = label.find('/');
    if (slash == std::string_view::npos) {
        if (Node* n = m_lab.node(label)) {
            ShellContext c;
            c.kind = ShellContext::Kind::Host;
            c.node = n;
            return c;
        }
        for (Vm* vm : m_vms) {
            if (vm->name() == label) return vmContext(vm);
        }
        return std::nullopt;
    }
    Node* n = m_lab.node(label.substr(0, slash));
    if (!n) return std::nullopt;
    const std::string_view nsName = label.substr(slash + 1);
    NetNamespace* ns = n->netns(nsName);
    if (!ns) {
        // A unique prefix is enough ("network/qrouter-040c").
        for (NetNamespace* cand : n->namespaces()) {
            if (!nsName.empty() && cand->name().starts_with(nsName)) {
                if (ns) return std::nullopt;
                ns = cand;
            }
        }
        if (!ns) return std::nullopt;
    }
    for (Vm* vm : m_vms) {
        if (&vm->netns() == ns) return vmContext(vm);
    }
    ShellContext c;
    c.kind = ShellContext::Kind::Namespace;
    c.node = n;
    c.netns = ns;
    return c;
}

void Shell::addVm(Vm& vm) {
    if (std::find(m_vms.begin(), m_vms.end(), &vm) == m_vms.end()) m_vms.push_back(&vm);
}

void Shell::removeVm(const Vm& vm) {
    m_vms.erase(std::remove(m_vms.begin(), m_vms.end(), &vm), m_vms.end());
}

std::vector<Vm*> Shell::vms() const { return m_vms; }

}  // namespace nlab::engine
