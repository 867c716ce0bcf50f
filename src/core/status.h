#pragma once
/// Expected failures travel as Status / Result<T> with a stable ErrorCode; exceptions are
/// reserved for the truly exceptional and are converted at layer edges (see STYLE.md).

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

namespace dm {

/// Stable error codes. Each maps once to an HTTP status and an envelope code
/// (ErrorCodeName / HttpStatusFor). Never renumber or reuse a value.
enum class ErrorCode : int {
  OK = 0,
  VALIDATION_ERROR = 1,      // 400: malformed request
  UNPROCESSABLE = 2,         // 422: well-formed but semantically invalid (code VALIDATION_ERROR)
  UNAUTHENTICATED = 3,       // 401
  FORBIDDEN = 4,             // 403
  NOT_FOUND = 5,             // 404
  CONFLICT = 6,              // 409
  PAYLOAD_TOO_LARGE = 7,     // 413
  UNSUPPORTED_FORMAT = 8,    // 415
  RATE_LIMITED = 9,          // 429
  INTERNAL = 10,             // 500
  METHOD_NOT_ALLOWED = 11,   // 405
  UNAVAILABLE = 12,          // 503
  CANCELED = 13,             // job canceled (never reaches HTTP as an error status)
  PRECONDITION_FAILED = 14,  // 412 (tus: unsupported protocol version)
};

/// The envelope code ("VALIDATION_ERROR", ...) for an ErrorCode.
const char* ErrorCodeName(ErrorCode code);
/// The HTTP status for an ErrorCode.
int HttpStatusFor(ErrorCode code);

/// An error: a stable code, a sentence for the person reading it, optional details.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, nlohmann::json details = nlohmann::json::object())
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::OK; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const nlohmann::json& details() const { return details_; }
  nlohmann::json& mutable_details() { return details_; }

 private:
  ErrorCode code_ = ErrorCode::OK;
  std::string message_;
  nlohmann::json details_ = nlohmann::json::object();
};

inline Status Invalid(std::string message, nlohmann::json details = nlohmann::json::object()) {
  return {ErrorCode::VALIDATION_ERROR, std::move(message), std::move(details)};
}
inline Status Unprocessable(std::string message, nlohmann::json details = nlohmann::json::object()) {
  return {ErrorCode::UNPROCESSABLE, std::move(message), std::move(details)};
}
inline Status NotFound(std::string message) {
  return {ErrorCode::NOT_FOUND, std::move(message)};
}
inline Status Conflict(std::string message) {
  return {ErrorCode::CONFLICT, std::move(message)};
}
inline Status Forbidden(std::string message) {
  return {ErrorCode::FORBIDDEN, std::move(message)};
}
inline Status Unauthenticated(std::string message) {
  return {ErrorCode::UNAUTHENTICATED, std::move(message)};
}
inline Status Unsupported(std::string message, nlohmann::json details = nlohmann::json::object()) {
  return {ErrorCode::UNSUPPORTED_FORMAT, std::move(message), std::move(details)};
}
inline Status Internal(std::string message) {
  return {ErrorCode::INTERNAL, std::move(message)};
}

/// A value or an error. Access the value only after checking ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "a Result error must not be OK");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace dm

/// Propagates a failed Status out of the enclosing function.
#define DM_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::dm::Status dm_status_ = (expr);        \
    if (!dm_status_.ok()) return dm_status_; \
  } while (0)

#define DM_CONCAT_INNER(a, b) a##b
#define DM_CONCAT(a, b) DM_CONCAT_INNER(a, b)
/// `DM_ASSIGN_OR_RETURN(auto x, Compute());` assigns the value or returns the error.
#define DM_ASSIGN_OR_RETURN(lhs, rexpr)                                                       \
  auto DM_CONCAT(dm_result_, __LINE__) = (rexpr);                                             \
  if (!DM_CONCAT(dm_result_, __LINE__).ok()) return DM_CONCAT(dm_result_, __LINE__).status(); \
  lhs = std::move(DM_CONCAT(dm_result_, __LINE__)).value()
