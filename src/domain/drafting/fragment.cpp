#include "rapporteur/fragment.h"

#include <climits>

#include "domain/sessions/fields.h"

namespace rapporteur {
namespace {

// The body as a string, or bad_request when it is not one.
Result<std::string> body_member(const nlohmann::json& request) {
  auto it = request.find("body");
  if (it == request.end() || it->is_null()) return Status::invalid("body: is required", "body");
  if (!it->is_string()) return Status::bad_request(std::string("body: must be a string, not ") + it->type_name(), "body");
  std::string body = it->get<std::string>();
  RAPPORTEUR_RETURN_IF_ERROR(check_fragment_body(body));
  return body;
}

}  // namespace

Status check_fragment_body(const std::string& body) {
  if (body.size() > kMaxFragmentBodyBytes) {
    return Status::too_large("body: " + std::to_string(body.size()) + " bytes is over the limit of " +
                                 std::to_string(kMaxFragmentBodyBytes) + " bytes of UTF-8",
                             "body");
  }
  // Characters are bounded by bytes here; check_text adds UTF-8, NUL, blank.
  return fields::check_text(body, "body", kMaxFragmentBodyBytes, false);
}

Result<FragmentCreate> validate_fragment_create(const nlohmann::json& request) {
  RAPPORTEUR_RETURN_IF_ERROR(fields::require_object(request, "a fragment"));
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(request, {"title", "body", "note"}));
  FragmentCreate out;
  RAPPORTEUR_ASSIGN_OR_RETURN(out.title, fields::required_string(request, "title", kMaxFragmentTitleChars));
  RAPPORTEUR_ASSIGN_OR_RETURN(out.body, body_member(request));
  RAPPORTEUR_ASSIGN_OR_RETURN(out.note, fields::optional_string(request, "note", kMaxFragmentNoteChars));
  return out;
}

Result<FragmentUpdate> validate_fragment_update(const nlohmann::json& request) {
  RAPPORTEUR_RETURN_IF_ERROR(fields::require_object(request, "a fragment update"));
  RAPPORTEUR_RETURN_IF_ERROR(fields::only_members(request, {"base_version", "title", "body", "note"}));
  FragmentUpdate out;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto base, fields::required_int(request, "base_version", 1, INT_MAX));
  out.base_version = static_cast<int>(base);
  if (request.contains("title") && !request["title"].is_null()) {
    RAPPORTEUR_ASSIGN_OR_RETURN(out.title, fields::required_string(request, "title", kMaxFragmentTitleChars));
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(out.body, body_member(request));
  RAPPORTEUR_ASSIGN_OR_RETURN(out.note, fields::optional_string(request, "note", kMaxFragmentNoteChars));
  return out;
}

}  // namespace rapporteur
