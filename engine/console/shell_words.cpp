#include "engine/console/shell_words.h"

#include <cctype>

namespace nlab::engine {

namespace {

struct Token {
    enum class Kind { Word, Op };
    Kind kind = Kind::Word;
    ShellWord word;
    std::string op;
};

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool isOperatorChar(char c) {
    return c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')' ||
           c == '\n';
}
bool isNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool isRedirection(std::string_view op) {
    return op == ">" || op == ">>" || op == "2>" || op == "2>>" || op == "&>" || op == "2>&1" ||
           op == ">&2" || op == "1>&2";
}

class Scanner {
public:
    explicit Scanner(std::string_view s) : m_s(s) {}

    /// Scans every token; a failure stops the scan.
    std::optional<ParseFailure> scan(std::vector<Token>& out) {
        while (true) {
            while (m_i < m_s.size() && isBlank(m_s[m_i])) ++m_i;
            if (m_i >= m_s.size()) return std::nullopt;
            const char c = m_s[m_i];
            if (c == '#') return std::nullopt;  // a comment runs to the end of the line
            if (isOperatorChar(c)) {
                auto f = scanOperator(out);
                if (f) return f;
                continue;
            }
            Token t;
            auto f = scanWord(t.word);
            if (f) return f;
            // "2>" / "2>>" / "2>&1": a word of just "2" right before '>' names a descriptor.
            if (m_i < m_s.size() && m_s[m_i] == '>' && (t.word.source == "2" || t.word.source == "1")) {
                const bool err = t.word.source == "2";
                std::string op = err ? "2>" : ">";
                ++m_i;
                if (m_i < m_s.size() && m_s[m_i] == '>') {
                    op += '>';
                    ++m_i;
                } else if (m_s.substr(m_i, 2) == "&1" && err) {
                    op = "2>&1";
                    m_i += 2;
                } else if (m_s.substr(m_i, 2) == "&2" && !err) {
                    op = ">&2";
                    m_i += 2;
                }
                out.push_back(Token{Token::Kind::Op, {}, op});
                continue;
            }
            out.push_back(std::move(t));
        }
    }

private:
    std::optional<ParseFailure> scanOperator(std::vector<Token>& out) {
        const char c = m_s[m_i];
        const std::string_view rest = m_s.substr(m_i);
        std::string op;
        if (c == '\n') {
            op = ";";
            ++m_i;
        } else if (rest.starts_with(";;")) {
            return ParseFailure{ParseFailure::Kind::UnexpectedToken, ";;"};
        } else if (rest.starts_with("&&") || rest.starts_with("||") || rest.starts_with(">>") ||
                   rest.starts_with("&>") || rest.starts_with(">&")) {
            op = std::string(rest.substr(0, 2));
            m_i += 2;
            if (op == ">&") {
                if (m_s.substr(m_i, 1) == "2") {
                    op = ">&2";
                    ++m_i;
                } else {
                    return ParseFailure{ParseFailure::Kind::Unsupported, ">&"};
                }
            }
        } else if (rest.starts_with("<<")) {
            return ParseFailure{ParseFailure::Kind::Unsupported, "<<"};
        } else if (c == '<') {
            return ParseFailure{ParseFailure::Kind::Unsupported, "<"};
        } else if (c == '(' || c == ')') {
            return ParseFailure{ParseFailure::Kind::UnexpectedToken, std::string(1, c)};
        } else {
            op = std::string(1, c);
            ++m_i;
        }
        out.push_back(Token{Token::Kind::Op, {}, op});
        return std::nullopt;
    }

    void addText(ShellWord& w, char c) {
        if (w.pieces.empty() || w.pieces.back().isParameter) w.pieces.push_back({});
        w.pieces.back().text += c;
    }

    /// After a '$' at m_i: a parameter reference, or a literal '$'.
    std::optional<ParseFailure> scanDollar(ShellWord& w) {
        const std::size_t start = m_i;
        ++m_i;  // '$'
        if (m_i < m_s.size()) {
            const char n = m_s[m_i];
            if (n == '?' || n == '$' || n == '#' || std::isdigit(static_cast<unsigned char>(n))) {
                w.pieces.push_back({std::string(1, n), true});
                ++m_i;
                return std::nullopt;
            }
            if (n == '(') return ParseFailure{ParseFailure::Kind::Unsupported, "$("};
            if (n == '{') {
                const std::size_t close = m_s.find('}', m_i);
                if (close == std::string_view::npos) {
                    return ParseFailure{ParseFailure::Kind::UnterminatedQuote, "}"};
                }
                w.pieces.push_back({std::string(m_s.substr(m_i + 1, close - m_i - 1)), true});
                m_i = close + 1;
                return std::nullopt;
            }
            if (isNameStart(n)) {
                std::size_t e = m_i;
                while (e < m_s.size() && isNameChar(m_s[e])) ++e;
                w.pieces.push_back({std::string(m_s.substr(m_i, e - m_i)), true});
                m_i = e;
                return std::nullopt;
            }
        }
        m_i = start + 1;
        addText(w, '$');
        return std::nullopt;
    }

    std::optional<ParseFailure> scanWord(ShellWord& w) {
        const std::size_t start = m_i;
        while (m_i < m_s.size()) {
            const char c = m_s[m_i];
            if (isBlank(c) || isOperatorChar(c)) break;
            if (c == '\\') {
                w.quoted = true;
                if (m_i + 1 < m_s.size()) {
                    if (m_s[m_i + 1] != '\n') addText(w, m_s[m_i + 1]);
                    m_i += 2;
                } else {
                    addText(w, '\\');
                    ++m_i;
                }
            } else if (c == '\'') {
                w.quoted = true;
                const std::size_t close = m_s.find('\'', m_i + 1);
                if (close == std::string_view::npos) {
                    return ParseFailure{ParseFailure::Kind::UnterminatedQuote, "'"};
                }
                for (std::size_t k = m_i + 1; k < close; ++k) addText(w, m_s[k]);
                if (w.pieces.empty()) w.pieces.push_back({});
                m_i = close + 1;
            } else if (c == '"') {
                w.quoted = true;
                if (w.pieces.empty()) w.pieces.push_back({});
                ++m_i;
                bool closed = false;
                while (m_i < m_s.size()) {
                    const char d = m_s[m_i];
                    if (d == '"') {
                        closed = true;
                        ++m_i;
                        break;
                    }
                    if (d == '\\' && m_i + 1 < m_s.size()) {
                        const char e = m_s[m_i + 1];
                        if (e == '"' || e == '\\' || e == '$' || e == '`') {
                            addText(w, e);
                        } else if (e != '\n') {
                            addText(w, '\\');
                            addText(w, e);
                        }
                        m_i += 2;
                    } else if (d == '$') {
                        if (auto f = scanDollar(w)) return f;
                    } else if (d == '`') {
                        return ParseFailure{ParseFailure::Kind::Unsupported, "`"};
                    } else {
                        addText(w, d);
                        ++m_i;
                    }
                }
                if (!closed) return ParseFailure{ParseFailure::Kind::UnterminatedQuote, "\""};
            } else if (c == '$') {
                if (auto f = scanDollar(w)) return f;
            } else if (c == '`') {
                return ParseFailure{ParseFailure::Kind::Unsupported, "`"};
            } else {
                addText(w, c);
                ++m_i;
            }
        }
        w.source = std::string(m_s.substr(start, m_i - start));
        return std::nullopt;
    }

    std::string_view m_s;
    std::size_t m_i = 0;
};

Redirection::Kind redirectionKind(std::string_view op) {
    if (op == ">>") return Redirection::Kind::Append;
    if (op == "2>") return Redirection::Kind::Err;
    if (op == "2>>") return Redirection::Kind::ErrAppend;
    if (op == "&>") return Redirection::Kind::OutAndErr;
    if (op == "2>&1") return Redirection::Kind::ErrToOut;
    if (op == ">&2" || op == "1>&2") return Redirection::Kind::OutToErr;
    return Redirection::Kind::Out;
}

template <typename T, typename F>
std::string joinTexts(const std::vector<T>& items, std::string_view sep, F text) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += sep;
        out += text(items[i]);
    }
    return out;
}

}  // namespace

std::string SimpleCommand::text() const {
    std::string out = joinTexts(words, " ", [](const ShellWord& w) { return w.source; });
    for (const Redirection& r : redirections) {
        if (!out.empty()) out += ' ';
        out += r.source;
    }
    return out;
}

std::string Pipeline::text() const {
    return joinTexts(commands, " | ", [](const SimpleCommand& c) { return c.text(); });
}

std::string AndOrList::text() const {
    std::string out;
    for (std::size_t i = 0; i < pipelines.size(); ++i) {
        if (i) out += connectors[i - 1] == Connector::And ? " && " : " || ";
        out += pipelines[i].text();
    }
    return out;
}

ParsedLine parseCommandLine(std::string_view line) {
    std::vector<Token> tokens;
    if (auto f = Scanner(line).scan(tokens)) return *f;

    std::vector<AndOrList> out;
    AndOrList current;
    Pipeline pipeline;
    SimpleCommand command;
    bool pending = false;  // an operator ('|', '&&', '||') still needs a command after it
    auto unexpected = [](std::string tok) {
        return ParseFailure{ParseFailure::Kind::UnexpectedToken, std::move(tok)};
    };
    auto commandEmpty = [&] { return command.words.empty() && command.redirections.empty(); };

    for (std::size_t i = 0; i < tokens.size(); ++i) {
        Token& t = tokens[i];
        if (t.kind == Token::Kind::Word) {
            command.words.push_back(std::move(t.word));
            pending = false;
            continue;
        }
        const std::string& op = t.op;
        if (isRedirection(op)) {
            Redirection r;
            r.kind = redirectionKind(op);
            r.source = op;
            if (r.kind != Redirection::Kind::ErrToOut && r.kind != Redirection::Kind::OutToErr) {
                if (i + 1 >= tokens.size()) return unexpected("newline");
                if (tokens[i + 1].kind != Token::Kind::Word) return unexpected(tokens[i + 1].op);
                r.target = std::move(tokens[++i].word);
                r.source += r.target.source;
            }
            command.redirections.push_back(std::move(r));
            pending = false;
            continue;
        }
        if (commandEmpty()) return unexpected(op);
        pipeline.commands.push_back(std::move(command));
        command = {};
        if (op == "|") {
            pending = true;
            continue;
        }
        current.pipelines.push_back(std::move(pipeline));
        pipeline = {};
        if (op == "&&" || op == "||") {
            current.connectors.push_back(op == "&&" ? Connector::And : Connector::Or);
            pending = true;
            continue;
        }
        // ';' or '&'
        current.background = op == "&";
        out.push_back(std::move(current));
        current = {};
    }
    if (pending) return unexpected("");  // end of file after '|', '&&', '||'
    if (!commandEmpty()) {
        pipeline.commands.push_back(std::move(command));
        current.pipelines.push_back(std::move(pipeline));
        out.push_back(std::move(current));
    }
    return out;
}

std::string expandWord(const ShellWord& word,
                       const std::function<std::string(std::string_view)>& lookup) {
    std::string out;
    for (const WordPiece& p : word.pieces) out += p.isParameter ? lookup(p.text) : p.text;
    return out;
}

std::optional<std::vector<std::string>> splitWords(std::string_view line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (true) {
        while (i < line.size() && (isBlank(line[i]) || line[i] == '\n')) ++i;
        if (i >= line.size()) return out;
        std::string w;
        while (i < line.size() && !isBlank(line[i]) && line[i] != '\n') {
            const char c = line[i];
            if (c == '\\' && i + 1 < line.size()) {
                w += line[i + 1];
                i += 2;
            } else if (c == '\'' || c == '"') {
                const std::size_t close = line.find(c, i + 1);
                if (close == std::string_view::npos) return std::nullopt;
                w += line.substr(i + 1, close - i - 1);
                i = close + 1;
            } else {
                w += c;
                ++i;
            }
        }
        out.push_back(std::move(w));
    }
}

}  // namespace nlab::engine
