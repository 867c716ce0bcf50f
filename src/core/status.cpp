#include "core/status.h"

namespace dm {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::OK:
      return "OK";
    case ErrorCode::VALIDATION_ERROR:
      return "VALIDATION_ERROR";
    case ErrorCode::UNPROCESSABLE:
      return "VALIDATION_ERROR";
    case ErrorCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case ErrorCode::FORBIDDEN:
      return "FORBIDDEN";
    case ErrorCode::NOT_FOUND:
      return "NOT_FOUND";
    case ErrorCode::CONFLICT:
      return "CONFLICT";
    case ErrorCode::PAYLOAD_TOO_LARGE:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::UNSUPPORTED_FORMAT:
      return "UNSUPPORTED_FORMAT";
    case ErrorCode::RATE_LIMITED:
      return "RATE_LIMITED";
    case ErrorCode::INTERNAL:
      return "INTERNAL";
    case ErrorCode::METHOD_NOT_ALLOWED:
      return "METHOD_NOT_ALLOWED";
    case ErrorCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case ErrorCode::CANCELED:
      return "CANCELED";
    case ErrorCode::PRECONDITION_FAILED:
      return "PRECONDITION_FAILED";
  }
  return "INTERNAL";
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::OK:
      return 200;
    case ErrorCode::VALIDATION_ERROR:
      return 400;
    case ErrorCode::UNPROCESSABLE:
      return 422;
    case ErrorCode::UNAUTHENTICATED:
      return 401;
    case ErrorCode::FORBIDDEN:
      return 403;
    case ErrorCode::NOT_FOUND:
      return 404;
    case ErrorCode::CONFLICT:
      return 409;
    case ErrorCode::PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode::UNSUPPORTED_FORMAT:
      return 415;
    case ErrorCode::RATE_LIMITED:
      return 429;
    case ErrorCode::INTERNAL:
      return 500;
    case ErrorCode::METHOD_NOT_ALLOWED:
      return 405;
    case ErrorCode::UNAVAILABLE:
      return 503;
    case ErrorCode::CANCELED:
      return 409;
    case ErrorCode::PRECONDITION_FAILED:
      return 412;
  }
  return 500;
}

}  // namespace dm
