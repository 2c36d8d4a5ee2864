#include "http/context.h"

#include "rapporteur/crypto.h"
#include "rapporteur/idempotency.h"
#include "rapporteur/sessions.h"
#include "rapporteur/text.h"

namespace rapporteur::http {
namespace {

constexpr int kMaxJsonDepth = 32;
constexpr size_t kMaxIdempotencyKey = 200;

// Nesting depth of a JSON text, counted outside strings; stops early.
int json_depth(const std::string& s) {
  int depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
      if (max_depth > kMaxJsonDepth) return max_depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

}  // namespace

std::string Principal::actor() const {
  switch (kind) {
    case Kind::admin: return "admin";
    case Kind::metrics: return "metrics";
    case Kind::person: return "person:" + std::to_string(person.id);
    case Kind::none: return "anonymous";
  }
  return "anonymous";
}

const char* access_name(Access a) {
  switch (a) {
    case Access::anyone: return "anyone";
    case Access::metrics: return "metrics";
    case Access::admin: return "admin";
    case Access::authenticated: return "authenticated";
    case Access::observer: return "observer";
    case Access::member: return "member";
    case Access::participant: return "participant";
    case Access::secretariat: return "secretariat";
    case Access::president: return "president";
    case Access::chair: return "chair";
  }
  return "?";
}

Reply Reply::json(int status, const nlohmann::json& body) {
  Reply r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Result<int64_t> Ctx::id_param(const std::string& name, const std::string& what) const {
  const std::string& v = param(name);
  if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos || v[0] == '0') {
    return Status::not_found(what + " \"" + (valid_utf8(v) && v.size() < 40 ? v : std::string("?")) + "\": no such " + what);
  }
  return std::stoll(v);
}

std::string Ctx::query(const std::string& name) const { return req.has_param(name) ? req.get_param_value(name) : ""; }

std::string Ctx::header(const std::string& name) const { return req.get_header_value(name); }

Result<nlohmann::json> Ctx::json_body(size_t max_bytes) const {
  return parse_json_body(req.get_header_value("Content-Type"), req.body, max_bytes);
}

Result<nlohmann::json> parse_json_body(const std::string& type, const std::string& body, size_t max_bytes) {
  const auto semi = type.find(';');
  std::string base(trim(type.substr(0, semi)));
  for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (base != "application/json") {
    return Status(Code::unsupported_media_type, "request body must be application/json");
  }
  if (body.size() > max_bytes) {
    return Status::too_large("request body of " + std::to_string(body.size()) + " bytes is over the limit of " +
                             std::to_string(max_bytes));
  }
  if (!valid_utf8(body)) return Status::invalid("request body is not valid UTF-8");
  // JSON has no raw NUL byte, and nlohmann's parser takes one as the end of
  // the input: "{}\0anything" would be read as "{}" and the rest dropped.
  if (const auto nul = body.find('\0'); nul != std::string::npos) {
    return Status::invalid_json("request body is not valid JSON: a NUL byte at byte " + std::to_string(nul));
  }
  if (json_depth(body) > kMaxJsonDepth) {
    return Status::bad_request("request body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::exception& e) {
    // parse_error, and out_of_range for a number beyond a double ("1e400").
    return Status::invalid_json(std::string("request body is not valid JSON: ") + e.what());
  }
  if (!j.is_object()) return Status::bad_request(std::string("request body must be a JSON object, not ") + j.type_name());
  return j;
}

Result<Session> Ctx::session() const {
  const std::string sid = param("sid");
  return app.store().read<Session>([&](Snapshot& snap) { return load_session(snap, sid); });
}

Result<Reply> Ctx::write(int status, const std::function<Result<nlohmann::json>(Tx&)>& fn) const {
  return write(status, nullptr, fn);
}

Result<Reply> Ctx::write(int status, const std::function<bool(Tx&)>& honour_key,
                         const std::function<Result<nlohmann::json>(Tx&)>& fn) const {
  const std::string key = req.get_header_value("Idempotency-Key");
  if (key.empty()) {
    RAPPORTEUR_ASSIGN_OR_RETURN(auto r, app.store().write<nlohmann::json>(fn));
    return Reply::json(status, r);
  }
  if (key.size() > kMaxIdempotencyKey) {
    return Status::bad_request("Idempotency-Key: at most " + std::to_string(kMaxIdempotencyKey) + " characters");
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7E) return Status::bad_request("Idempotency-Key: only printable ASCII without spaces");
  }
  const std::string fingerprint = sha256_hex(req.method + " " + req.path + "\n" + req.body);
  const std::string actor = principal.actor();
  const int64_t now = app.now_ms();
  RAPPORTEUR_ASSIGN_OR_RETURN(auto stored, app.store().write<KeyedReply>([&](Tx& tx) -> Result<KeyedReply> {
    if (honour_key && !honour_key(tx)) {
      RAPPORTEUR_ASSIGN_OR_RETURN(auto r, fn(tx));
      return KeyedReply{StoredReply{fingerprint, status, Reply::json(status, r).body}, false};
    }
    return reply_once(tx, actor, key, fingerprint, now, [&]() -> Result<StoredReply> {
      RAPPORTEUR_ASSIGN_OR_RETURN(auto r, fn(tx));
      return StoredReply{fingerprint, status, r.dump()};
    });
  }));
  Reply out;
  out.status = stored.reply.status;
  out.body = stored.reply.body;
  const bool replayed = stored.replayed;
  if (replayed) out.headers.emplace_back("Idempotent-Replayed", "true");
  return out;
}

}  // namespace rapporteur::http
