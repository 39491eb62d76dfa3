#pragma once
// Session and scripts: what neutronlab-cli runs, shared with the golden tests.
//
// What
//   A Session holds a loaded lab (model::Cloud) and the emulated Shell attached to it, and
//   runs commands in named contexts ("compute", "network/qrouter-040c...", "instance1",
//   "cloud"). A script is a text of "CONTEXT: COMMAND" lines ('#' starts a comment, blank
//   lines are skipped); runScript() replays one and prints a transcript: each command after
//   its context's prompt, then what it printed, as a terminal shows it.
//
// Design
//   - Parsing is separate from running, so a malformed script fails before anything runs
//     and every error names the script's file and line.
//   - By default a script stops at the first failing command (like `sh -e`), naming the
//     line; keepGoing runs on and still returns non-zero.
//   - Background jobs' output is flushed after every command; at the end of a script every
//     job is stopped (as closing a terminal does) and its final lines are printed.
//
// Invariants
//   Nothing runs on the host machine: every command is an emulation in the engine/model.

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/console/shell.h"
#include "model/cloud.h"

namespace nlab::cli {

struct ScriptLine {
    int line = 0;             ///< 1-based line number in the script file.
    std::string context;      ///< "compute", "network/qdhcp-...", "instance1", "cloud".
    std::string command;      ///< The command line, verbatim.
};

struct ScriptError {
    std::string file;
    int line = 0;
    std::string message;
    /// "file:line: message".
    std::string toString() const;
};

/// Parses a script. Errors (a line without "CONTEXT:", an empty context or command, a
/// context with characters other than letters, digits, '-', '_', '.', '/') name the line.
/// @return the lines, or the first error.
std::variant<std::vector<ScriptLine>, ScriptError> parseScript(std::string_view text,
                                                               std::string_view fileName);
/// Parses one "CONTEXT: COMMAND" (or "CONTEXT:" alone, command empty) line; nullopt if the
/// text has no context prefix.
std::optional<ScriptLine> parseContextLine(std::string_view text);

class Session {
public:
    /// Takes the lab; files commands write (tcpdump -w) go to 'fileDir'.
    explicit Session(std::unique_ptr<model::Cloud> cloud, std::string fileDir = ".");
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    model::Cloud& cloud() { return *m_cloud; }
    engine::Shell& shell() { return *m_shell; }

    struct Step {
        std::string prompt;           ///< The context's prompt ("root@compute:~# ").
        engine::CommandOutput output;
        std::string jobOutput;        ///< Background jobs' output after the command.
        bool unknownContext = false;  ///< The context does not exist (output.err says so).
    };
    /// Runs 'command' in the context named 'context'.
    Step run(std::string_view context, std::string_view command);
    /// Every context a command can run in: nodes, their namespaces (NODE/NS), VMs, "cloud".
    std::vector<std::string> contexts() const;

private:
    std::unique_ptr<model::Cloud> m_cloud;
    std::unique_ptr<engine::Shell> m_shell;
};

struct ScriptOptions {
    bool keepGoing = false;   ///< Run every line even after a failure.
    bool echo = true;         ///< Print "PROMPT COMMAND" before each command's output.
};

/// Runs a parsed script in 'session'; the transcript goes to 'out', errors (each naming the
/// script line) to 'err'. @return 0 when every command succeeded, else 1.
int runScript(Session& session, const std::vector<ScriptLine>& lines, std::string_view fileName,
              std::ostream& out, std::ostream& err, const ScriptOptions& options = {});

}  // namespace nlab::cli
