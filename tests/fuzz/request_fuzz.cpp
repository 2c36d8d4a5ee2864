// libFuzzer target for request validation: any bytes, as a JSON request
// body, go through the HTTP edge's checks (http::parse_json_body) and then
// through every validator of a request object in include/rapporteur/. The
// bytes themselves also go to the validators of raw text.
//
// Contract checked:
// - nothing throws and nothing trips a sanitizer;
// - the edge accepts a body exactly when it is valid UTF-8, well-formed
//   JSON with no raw NUL byte (nlohmann stops at one), an object, and nests
//   at most 32 levels deep;
// - every refusal is a 4xx with a message, and its error body is JSON;
// - what a validator accepts honours the documented limits (lengths in code
//   points, valid UTF-8, no NUL, enums, ranges).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/context.h"
#include "http/error.h"
#include "rapporteur/amendments.h"
#include "rapporteur/drafts.h"
#include "rapporteur/fragment.h"
#include "rapporteur/polls.h"
#include "rapporteur/session.h"
#include "rapporteur/tally.h"
#include "rapporteur/text.h"
#include "rapporteur/timezone.h"

using namespace rapporteur;

namespace {

constexpr size_t kMaxBody = 4 * 1024 * 1024;
constexpr int kMaxDepth = 32;  // http/context.cpp

void require(bool ok) {
  if (!ok) __builtin_trap();
}

// Text a validator may hand on: valid UTF-8, no NUL, at most `max` code points.
void require_text(const std::string& s, size_t max) {
  require(valid_utf8(s));
  require(s.find('\0') == std::string::npos);
  require(utf8_length(s) <= max);
}

// A refusal: a client error with a message, and an error body that is JSON.
void require_refusal(const Status& st) {
  require(!st.is_ok());
  const int code = http::http_status(st.code());
  require(code >= 400 && code < 500);
  require(!st.message().empty());
  const http::Reply reply = http::error_reply(st, "fuzz");
  require(reply.status == code);
  const auto body = nlohmann::json::parse(reply.body, nullptr, false);
  require(body.is_object() && body["error"]["code"].is_string() && body["error"]["message"].is_string());
}

// Nesting depth of a parsed value (a scalar is 0), without recursion.
int depth_of(const nlohmann::json& root) {
  int deepest = 0;
  std::vector<std::pair<const nlohmann::json*, int>> stack = {{&root, 0}};
  while (!stack.empty()) {
    auto [j, d] = stack.back();
    stack.pop_back();
    if (!j->is_structured()) continue;
    deepest = std::max(deepest, d + 1);
    for (const auto& child : *j) stack.push_back({&child, d + 1});
  }
  return deepest;
}

const Session& sample_session() {
  static const Session s = [] {
    const auto spec = parse_session_spec(nlohmann::json::parse(R"({
      "id": "kisumu-2022-partnerships", "title": "Partnerships", "date": "2022-05-19",
      "timezone": "Africa/Nairobi",
      "agenda": [{"id": "adoption", "start": "12:15", "end": "12:30", "title": "Adoption", "kind": "adoption"}],
      "breakouts": [{"id": "complementarity", "title": "One"}, {"id": "sustainability", "title": "Two"}],
      "people": [{"name": "Chair", "roles": ["president", "participant"]}]})"));
    require(spec.ok());
    return spec->session;
  }();
  return s;
}

void check_session_spec(const nlohmann::json& j) {
  auto r = parse_session_spec(j);
  if (!r) return require_refusal(r.status());
  const Session& s = r->session;
  require(is_slug(s.id));
  require_text(s.title, kMaxTitleChars);
  require(!s.title.empty());
  require_text(s.description, kMaxDescriptionChars);
  require(s.agenda.size() <= kMaxSlots && s.breakouts.size() <= kMaxBreakouts);
  for (const Slot& slot : s.agenda) {
    require(is_slug(slot.id));
    require_text(slot.title, kMaxTitleChars);
    require(slot.start < slot.end);
  }
  for (const Breakout& b : s.breakouts) require(is_slug(b.id));
  require(r->people.size() <= kMaxPeople);
  for (const PersonSpec& p : r->people) {
    require_text(p.name, kMaxNameChars);
    require(!p.roles.empty());
    require(p.breakout.empty() || s.has_breakout(p.breakout));
  }
}

void check_person_spec(const nlohmann::json& j) {
  auto r = parse_person_spec(j, sample_session(), "");
  if (!r) return require_refusal(r.status());
  require_text(r->name, kMaxNameChars);
  require(!r->roles.empty());
  for (const auto& role : r->roles) {
    bool known = false;
    for (const char* k : kRoles) known = known || role == k;
    require(known);
  }
  require(r->breakout.empty() || sample_session().has_breakout(r->breakout));
}

void check_fragment(const nlohmann::json& j) {
  auto c = validate_fragment_create(j);
  if (!c) {
    require_refusal(c.status());
  } else {
    require(check_fragment_body(c->body).is_ok());
    require_text(c->title, kMaxFragmentTitleChars);
    require_text(c->note, kMaxFragmentNoteChars);
  }
  auto u = validate_fragment_update(j);
  if (!u) {
    require_refusal(u.status());
  } else {
    require(u->base_version >= 1);
    require(check_fragment_body(u->body).is_ok());
    if (u->title) require_text(*u->title, kMaxFragmentTitleChars);
    require_text(u->note, kMaxFragmentNoteChars);
  }
}

void check_amendment(const nlohmann::json& j) {
  auto r = parse_amendment(j);
  if (!r) return require_refusal(r.status());
  require(r->draft >= 1);
  require(parse_amendment_kind(amendment_kind_name(r->kind)) == r->kind);
  require(r->kind == AmendmentKind::del ? r->text.empty() : !r->text.empty());
  require_text(r->text, kMaxAmendmentText);
  require_text(r->rationale, kMaxRationale);
}

void check_poll(const nlohmann::json& j) {
  auto r = parse_poll(j);
  if (!r) return require_refusal(r.status());
  // Typed terms: each must be one its wire table names (and reads back).
  require(parse_poll_subject(poll_subject_name(r->subject_kind)) == r->subject_kind);
  require(r->subject_id >= 1);
  require(parse_method(method_name(r->method)) == r->method);
  require(parse_rule(rule_name(r->rule)) == r->rule);
  require(!r->quorum || *r->quorum >= 0);
  require(valid_utf8(r->reason) && r->reason.find('\0') == std::string::npos);
}

void check_edits(const nlohmann::json& j) {
  auto r = parse_edits(j.contains("edits") ? j["edits"] : j);
  if (!r) return require_refusal(r.status());
  require(!r->empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);

  // Raw text validators.
  const Status fragment_body = check_fragment_body(body);
  if (!fragment_body.is_ok()) require_refusal(fragment_body);
  auto when = parse_rfc3339(body);
  if (!when) require_refusal(when.status());
  (void)parse_rule(body);
  (void)parse_method(body);

  // The HTTP edge: media type first, then size, UTF-8, depth, syntax, object.
  require(!http::parse_json_body("text/plain", body, kMaxBody).ok());
  auto parsed = http::parse_json_body("Application/JSON; charset=utf-8", body, kMaxBody);
  const auto reference = nlohmann::json::parse(body, nullptr, false);
  if (!parsed) {
    require_refusal(parsed.status());
    // Never a refusal of a body that meets every rule.
    require(!(valid_utf8(body) && body.find('\0') == std::string::npos && !reference.is_discarded() &&
              reference.is_object() && depth_of(reference) <= kMaxDepth));
    return 0;
  }
  require(body.find('\0') == std::string::npos);
  require(parsed->is_object());
  require(depth_of(*parsed) <= kMaxDepth);
  require(!reference.is_discarded() && reference == *parsed);
  if (body.size() > 0) require(!http::parse_json_body("application/json", body, body.size() - 1).ok());

  const nlohmann::json& j = *parsed;
  check_session_spec(j);
  check_person_spec(j);
  check_fragment(j);
  check_amendment(j);
  check_poll(j);
  check_edits(j);
  return 0;
}
