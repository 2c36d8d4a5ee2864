#include "domain/sessions/fields.h"

#include "rapporteur/text.h"

namespace rapporteur::fields {
namespace {

std::string full(const std::string& path, const std::string& field) { return path.empty() ? field : path + "." + field; }

const char* type_name(const nlohmann::json& v) { return v.type_name(); }

}  // namespace

Status check_text(const std::string& value, const std::string& field, size_t max_chars, bool allow_empty) {
  if (!valid_utf8(value)) return Status::invalid(field + ": is not valid UTF-8", field);
  if (value.find('\0') != std::string::npos) return Status::invalid(field + ": must not contain NUL", field);
  if (!allow_empty && trim(value).empty()) return Status::invalid(field + ": must not be empty", field);
  const size_t n = utf8_length(value);
  if (n > max_chars) {
    return Status::invalid(field + ": " + std::to_string(n) + " characters is over the limit of " +
                               std::to_string(max_chars),
                           field);
  }
  return Status::ok();
}

Result<std::string> required_string(const nlohmann::json& obj, const std::string& field, size_t max_chars,
                                    const std::string& path) {
  const std::string name = full(path, field);
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return Status::invalid(name + ": is required", name);
  if (!it->is_string()) return Status::bad_request(name + ": must be a string, not " + type_name(*it), name);
  std::string value = it->get<std::string>();
  RAPPORTEUR_RETURN_IF_ERROR(check_text(value, name, max_chars, false));
  return value;
}

Result<std::string> optional_string(const nlohmann::json& obj, const std::string& field, size_t max_chars,
                                    const std::string& fallback, const std::string& path, bool allow_empty) {
  const std::string name = full(path, field);
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_string()) return Status::bad_request(name + ": must be a string, not " + type_name(*it), name);
  std::string value = it->get<std::string>();
  RAPPORTEUR_RETURN_IF_ERROR(check_text(value, name, max_chars, allow_empty));
  return value;
}

Result<int64_t> required_int(const nlohmann::json& obj, const std::string& field, int64_t min, int64_t max,
                             const std::string& path) {
  auto r = optional_int(obj, field, min, max, path);
  if (!r.ok()) return r.status();
  const std::string name = full(path, field);
  if (!r->has_value()) return Status::invalid(name + ": is required", name);
  return **r;
}

Result<std::optional<int64_t>> optional_int(const nlohmann::json& obj, const std::string& field, int64_t min,
                                            int64_t max, const std::string& path) {
  const std::string name = full(path, field);
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<int64_t>();
  if (it->is_number_float()) {
    return Status::bad_request(name + ": must be a whole number", name);
  }
  if (!it->is_number_integer()) return Status::bad_request(name + ": must be an integer, not " + type_name(*it), name);
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return Status::invalid(name + ": must be at most " + std::to_string(max), name);
  }
  const int64_t v = it->get<int64_t>();
  if (v < min) return Status::invalid(name + ": must be at least " + std::to_string(min), name);
  if (v > max) return Status::invalid(name + ": must be at most " + std::to_string(max), name);
  return std::optional<int64_t>(v);
}

Result<bool> optional_bool(const nlohmann::json& obj, const std::string& field, bool fallback,
                           const std::string& path) {
  const std::string name = full(path, field);
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) return Status::bad_request(name + ": must be true or false, not " + type_name(*it), name);
  return it->get<bool>();
}

Status only_members(const nlohmann::json& obj, std::initializer_list<const char*> allowed, const std::string& path) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (const char* a : allowed) known = known || it.key() == a;
    if (!known) {
      const std::string name = full(path, it.key());
      if (!valid_utf8(it.key())) return Status::invalid("a member name is not valid UTF-8");
      return Status::invalid(name + ": is not a known field", name);
    }
  }
  return Status::ok();
}

Status require_object(const nlohmann::json& j, const std::string& what) {
  if (!j.is_object()) return Status::bad_request(what + " must be a JSON object, not " + std::string(j.type_name()));
  return Status::ok();
}

}  // namespace rapporteur::fields
