#pragma once
// Error codes and Result<T> for the engine's control APIs.
//
// What: control operations (adding a flow, adding a port, parsing a frame) report failure
// through a closed `ErrorCode` plus a human-readable message instead of throwing. Only the
// load/parse boundaries (flow text, lab files, typed commands) throw, and they throw
// `ParseError`, which carries the location of the problem.

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nlab::engine {

enum class ErrorCode {
    Ok,
    InvalidArgument,   ///< A value is out of range or malformed.
    NotFound,          ///< A named port, bridge, table or flow does not exist.
    AlreadyExists,     ///< A port name or number is already taken.
    Truncated,         ///< A frame ended before a header it announces.
    Malformed,         ///< A frame's header holds impossible values.
    Unsupported,       ///< A valid construct the engine does not model.
    LimitExceeded,     ///< A per-packet budget (resubmit depth/count) ran out.
    Overlap,           ///< A flow-mod with check_overlap found an overlapping rule.
};

/// Returns the stable, lower-case name of 'code' ("not-found", ...).
std::string_view toString(ErrorCode code);

/// A failure: a code and a sentence for the user.
struct Error {
    ErrorCode code = ErrorCode::Ok;
    std::string message;
};

/// Either a value or an Error. Cheap to move; check with `ok()` before `value()`.
template <typename T>
class Result {
public:
    Result(T value) : m_v(std::move(value)) {}          // NOLINT(google-explicit-constructor)
    Result(Error error) : m_v(std::move(error)) {}      // NOLINT(google-explicit-constructor)
    static Result fail(ErrorCode code, std::string message) {
        return Result(Error{code, std::move(message)});
    }

    bool ok() const { return std::holds_alternative<T>(m_v); }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<T>(m_v); }
    const T& value() const& { return std::get<T>(m_v); }
    T&& value() && { return std::get<T>(std::move(m_v)); }
    const Error& error() const { return std::get<Error>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/// Result of an operation that yields nothing but may fail.
class Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}  // NOLINT(google-explicit-constructor)
    static Status fail(ErrorCode code, std::string message) {
        return Status(Error{code, std::move(message)});
    }
    bool ok() const { return m_error.code == ErrorCode::Ok; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error;
};

/// Thrown by text parsers (flow syntax, frame specs, lab files). `line` is 1-based, 0 when
/// the text had no lines (a single command-line argument); `word` is the offending token.
class ParseError : public std::runtime_error {
public:
    ParseError(std::string message, int line = 0, std::string word = {})
        : std::runtime_error(std::move(message)), m_line(line), m_word(std::move(word)) {}
    int line() const { return m_line; }
    const std::string& word() const { return m_word; }

private:
    int m_line;
    std::string m_word;
};

}  // namespace nlab::engine
