// Status and Result<T>: expected failures travel as values.
//
// A Status carries a code (mapped to an HTTP status in exactly one place,
// src/http/error.cpp), a message naming the subject and the rule it broke,
// and optionally the field at fault and structured details (for example the
// latest version on a version conflict). Exceptions are reserved for the truly
// exceptional and are caught at the store boundary and at the HTTP edge.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace rapporteur {

enum class Code {
  ok,
  bad_request,
  invalid_json,
  unauthenticated,
  forbidden,
  cross_origin,
  not_found,
  method_not_allowed,
  version_conflict,
  conflict,
  outside_slot,
  too_large,
  unsupported_media_type,
  validation_failed,
  internal,
  not_implemented,
  // 416: more than one byte range in a Range header.
  range_not_satisfiable,
  // 503, with Retry-After: a converter (pandoc, chromium) failed, ran out of
  // time, or every converter slot stayed busy.
  converter_failed,
  converter_timeout,
  converters_busy,
  // 503, with Retry-After: the server holds as many event streams as it
  // allows (in all, or for this client address).
  too_many_streams,
  // 503, with Retry-After: the database did not answer in time (a replicated
  // database changing its primary); a write retried with the same
  // Idempotency-Key is applied once.
  unavailable,
};

// The snake_case name used on the wire ("not_found", ...).
const char* code_name(Code code);

class Status {
 public:
  Status() = default;

  static Status ok() { return Status(); }
  static Status bad_request(std::string msg, std::string field = {}) {
    return Status(Code::bad_request, std::move(msg), std::move(field));
  }
  static Status invalid_json(std::string msg) { return Status(Code::invalid_json, std::move(msg)); }
  static Status unauthenticated(std::string msg) { return Status(Code::unauthenticated, std::move(msg)); }
  static Status forbidden(std::string msg) { return Status(Code::forbidden, std::move(msg)); }
  // 403: a browser request from another origin (or not shown to be from ours).
  static Status cross_origin(std::string msg) { return Status(Code::cross_origin, std::move(msg)); }
  static Status not_found(std::string msg) { return Status(Code::not_found, std::move(msg)); }
  static Status conflict(std::string msg) { return Status(Code::conflict, std::move(msg)); }
  static Status version_conflict(std::string msg) { return Status(Code::version_conflict, std::move(msg)); }
  static Status outside_slot(std::string msg) { return Status(Code::outside_slot, std::move(msg)); }
  static Status too_large(std::string msg, std::string field = {}) {
    return Status(Code::too_large, std::move(msg), std::move(field));
  }
  // 422: well-formed but invalid (empty text, unknown enum, invalid UTF-8...).
  static Status invalid(std::string msg, std::string field = {}) {
    return Status(Code::validation_failed, std::move(msg), std::move(field));
  }
  static Status internal(std::string msg) { return Status(Code::internal, std::move(msg)); }
  static Status not_implemented(std::string msg) { return Status(Code::not_implemented, std::move(msg)); }
  static Status converter_failed(std::string msg) { return Status(Code::converter_failed, std::move(msg)); }
  static Status converter_timeout(std::string msg) { return Status(Code::converter_timeout, std::move(msg)); }
  static Status converters_busy(std::string msg) { return Status(Code::converters_busy, std::move(msg)); }
  static Status too_many_streams(std::string msg) { return Status(Code::too_many_streams, std::move(msg)); }
  static Status unavailable(std::string msg) { return Status(Code::unavailable, std::move(msg)); }

  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  bool is_ok() const { return code_ == Code::ok; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

  // Extra members merged into the error object (e.g. "current", "diff").
  const nlohmann::json& details() const { return details_; }
  Status& with_details(nlohmann::json d) {
    details_ = std::move(d);
    return *this;
  }

 private:
  Code code_ = Code::ok;
  std::string message_;
  std::string field_;
  nlohmann::json details_;
};

// Either a value or a non-ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // The failure; Status::ok() when a value is held.
  Status status() const { return ok() ? Status::ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

// Propagate a failed Status / Result from the current function.
#define RAPPORTEUR_RETURN_IF_ERROR(expr)          \
  do {                                            \
    ::rapporteur::Status _st = (expr);            \
    if (!_st.is_ok()) return _st;                 \
  } while (0)

// Declares `lhs` from a Result's value, or returns its failure from the
// current function:
//   RAPPORTEUR_ASSIGN_OR_RETURN(auto body, ctx.json_body());
// declares `body` (the value, moved out of the Result) only when it succeeded.
// The expression may hold commas (template arguments, lambdas).
#define RAPPORTEUR_ASSIGN_OR_RETURN(lhs, ...) \
  RAPPORTEUR_ASSIGN_OR_RETURN_IMPL_(RAPPORTEUR_CONCAT_(rapporteur_result_, __LINE__), lhs, __VA_ARGS__)
#define RAPPORTEUR_ASSIGN_OR_RETURN_IMPL_(result, lhs, ...) \
  auto result = (__VA_ARGS__);                              \
  if (!result) return result.status();                      \
  lhs = std::move(result).value()
#define RAPPORTEUR_CONCAT_(a, b) RAPPORTEUR_CONCAT_INNER_(a, b)
#define RAPPORTEUR_CONCAT_INNER_(a, b) a##b

}  // namespace rapporteur
