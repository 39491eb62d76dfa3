#include "engine/core/result.h"

namespace nlab::engine {

std::string_view toString(ErrorCode code) {
    switch (code) {
        case ErrorCode::Ok: return "ok";
        case ErrorCode::InvalidArgument: return "invalid-argument";
        case ErrorCode::NotFound: return "not-found";
        case ErrorCode::AlreadyExists: return "already-exists";
        case ErrorCode::Truncated: return "truncated";
        case ErrorCode::Malformed: return "malformed";
        case ErrorCode::Unsupported: return "unsupported";
        case ErrorCode::LimitExceeded: return "limit-exceeded";
        case ErrorCode::Overlap: return "overlap";
    }
    return "unknown";
}

}  // namespace nlab::engine
