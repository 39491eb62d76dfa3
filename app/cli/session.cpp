#include "app/cli/session.h"

#include <ostream>

#include "engine/lab/vm.h"

namespace nlab::cli {

std::string ScriptError::toString() const {
    return file + ":" + std::to_string(line) + ": " + message;
}

namespace {

bool isContextChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '/';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

}  // namespace

std::optional<ScriptLine> parseContextLine(std::string_view text) {
    std::string_view t = trim(text);
    const auto colon = t.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string_view ctx = t.substr(0, colon);
    for (char c : ctx) {
        if (!isContextChar(c)) return std::nullopt;
    }
    std::string_view rest = t.substr(colon + 1);
    if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t') return std::nullopt;
    ScriptLine line;
    line.context = std::string(ctx);
    line.command = std::string(trim(rest));
    return line;
}

std::variant<std::vector<ScriptLine>, ScriptError> parseScript(std::string_view text,
                                                               std::string_view fileName) {
    std::vector<ScriptLine> lines;
    int number = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto nl = text.find('\n', pos);
        std::string_view raw =
            text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        ++number;
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        std::string_view t = trim(raw);
        if (t.empty() || t.front() == '#') continue;
        auto parsed = parseContextLine(t);
        if (!parsed) {
            return ScriptError{std::string(fileName), number,
                               "expected 'CONTEXT: COMMAND' (a node, NODE/NAMESPACE, an "
                               "instance or 'cloud', then a colon), got '" +
                                   std::string(t) + "'"};
        }
        if (parsed->command.empty()) {
            return ScriptError{std::string(fileName), number,
                               "no command after '" + parsed->context + ":'"};
        }
        parsed->line = number;
        lines.push_back(std::move(*parsed));
    }
    return lines;
}

Session::Session(std::unique_ptr<model::Cloud> cloud, std::string fileDir)
    : m_cloud(std::move(cloud)), m_shell(std::make_unique<engine::Shell>(m_cloud->lab())) {
    engine::registerHostCommands(*m_shell);
    engine::registerOvsCommands(*m_shell);
    m_shell->setFileDir(std::move(fileDir));
    m_cloud->attachShell(*m_shell);
}

Session::~Session() = default;

Session::Step Session::run(std::string_view context, std::string_view command) {
    Step step;
    auto ctx = m_shell->context(context);
    if (!ctx) {
        step.unknownContext = true;
        std::string known;
        for (const std::string& c : contexts()) known += (known.empty() ? "" : ", ") + c;
        step.output = engine::CommandOutput::fail(
            "neutronlab-cli: unknown context '" + std::string(context) + "' (known: " + known + ")\n",
            2);
        return step;
    }
    step.prompt = ctx->prompt();
    step.output = m_shell->run(*ctx, command);
    step.jobOutput = m_shell->takeJobOutput();
    return step;
}

std::vector<std::string> Session::contexts() const {
    std::vector<std::string> out;
    for (engine::Node* node : m_cloud->lab().nodes()) {
        out.push_back(node->name());
        for (engine::NetNamespace* ns : node->namespaces()) {
            bool guest = false;
            for (engine::Vm* vm : m_shell->vms()) guest = guest || &vm->netns() == ns;
            if (!guest) out.push_back(node->name() + "/" + ns->name());
        }
    }
    for (engine::Vm* vm : m_shell->vms()) out.push_back(vm->name());
    out.push_back("cloud");
    return out;
}

int runScript(Session& session, const std::vector<ScriptLine>& lines, std::string_view fileName,
              std::ostream& out, std::ostream& err, const ScriptOptions& options) {
    int status = 0;
    for (const ScriptLine& line : lines) {
        Session::Step step = session.run(line.context, line.command);
        if (options.echo && !step.unknownContext) out << step.prompt << line.command << '\n';
        out << step.output.out;
        // stderr text goes where a terminal shows it: in the transcript, in order.
        if (!step.output.err.empty()) {
            if (options.echo) {
                out << step.output.err;
            } else {
                err << step.output.err;
            }
        }
        out << step.jobOutput;
        out.flush();
        if (step.output.status != 0) {
            status = 1;
            err << fileName << ":" << line.line << ": " << line.context << ": '" << line.command
                << "' failed with status " << step.output.status;
            if (!step.output.err.empty()) {
                std::string first = step.output.err.substr(0, step.output.err.find('\n'));
                err << ": " << first;
            }
            err << '\n';
            if (!options.keepGoing) break;
        }
    }
    const std::string rest = session.shell().stopAllJobs();
    out << rest;
    out.flush();
    return status;
}

}  // namespace nlab::cli
