#pragma once
// ShellWords: the parser of the emulated shell's command lines.
//
// What
//   Turns one command line into a list of and-or lists of pipelines of simple commands, the
//   subset of the POSIX shell grammar the lab needs:
//     line      := item { (';' | '&') item } [';' | '&']
//     item      := pipeline { ('&&' | '||') pipeline }      ('&' after it: background)
//     pipeline  := command { '|' command }
//     command   := word { word | redirection }
//   Words are split as a POSIX shell does: single quotes keep everything literally, double
//   quotes keep everything but `\"`, `\\`, `\$`, `` \` `` and `$` expansions, an unquoted
//   backslash quotes the next character (backslash-newline disappears), an unquoted `#` at
//   the start of a word starts a comment. `$?`, `$NAME` and `${NAME}` are kept as references
//   and expanded when the command runs (expand()). Redirections: `>`, `>>`, `2>`, `2>>`,
//   `&>` to a file name, `2>&1` and `>&2`.
//
// Design
//   A hand-written scanner: no regexes, one pass, never throws. Unsupported syntax that a
//   real shell accepts (subshells, `$(...)`, backquotes, `<`, here-documents) is reported as a
//   ParseFailure the caller turns into its shell's message. Each word also keeps its source
//   text, so a background job is listed as bash lists it (words joined by one space, quotes
//   as typed).
//
// Invariants
//   parseCommandLine() never throws; on success every pipeline has at least one command and
//   every command at least one word or redirection.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nlab::engine {

/// A piece of a word: literal text or a parameter reference ("?" or a NAME).
struct WordPiece {
    std::string text;
    bool isParameter = false;
};

struct ShellWord {
    std::vector<WordPiece> pieces;
    bool quoted = false;  ///< Some part was quoted (an empty expansion still makes a word).
    std::string source;   ///< As typed.
};

struct Redirection {
    enum class Kind { Out, Append, Err, ErrAppend, OutAndErr, ErrToOut, OutToErr };
    Kind kind = Kind::Out;
    ShellWord target;  ///< The file (empty for ErrToOut / OutToErr).
    std::string source;
};

struct SimpleCommand {
    std::vector<ShellWord> words;
    std::vector<Redirection> redirections;
    /// The command as bash lists it in `jobs`: words and redirections joined by spaces.
    std::string text() const;
};

struct Pipeline {
    std::vector<SimpleCommand> commands;
    std::string text() const;  ///< "a | b".
};

enum class Connector { And, Or };

struct AndOrList {
    std::vector<Pipeline> pipelines;
    std::vector<Connector> connectors;  ///< connectors[i] joins pipelines[i] and [i + 1].
    bool background = false;            ///< Followed by '&'.
    std::string text() const;           ///< "a && b".
};

/// Why a line could not be parsed.
struct ParseFailure {
    enum class Kind {
        UnexpectedToken,  ///< token: the offending operator (";", "|", "&&", "(", "newline").
        UnterminatedQuote,  ///< token: the quote character.
        Unsupported,      ///< token: the construct ("$(", "`", "<", "<<").
    };
    Kind kind = Kind::UnexpectedToken;
    std::string token;
};

using ParsedLine = std::variant<std::vector<AndOrList>, ParseFailure>;

/// Parses one command line (see the header essay). An empty line or a comment gives an
/// empty list.
ParsedLine parseCommandLine(std::string_view line);

/// Expands a word's parameter references with 'lookup' (which returns the value of "?" or
/// a NAME; unknown names expand to "").
std::string expandWord(const ShellWord& word,
                       const std::function<std::string(std::string_view)>& lookup);

/// Splits a line into words only (quotes and escapes removed, no operators recognised,
/// no expansion): for callers that need argv from a plain string. Nullopt on an
/// unterminated quote.
std::optional<std::vector<std::string>> splitWords(std::string_view line);

}  // namespace nlab::engine
