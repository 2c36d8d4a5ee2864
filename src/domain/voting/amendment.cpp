#include "rapporteur/amendment.h"

#include "rapporteur/wire_names.h"

namespace rapporteur {
namespace {

const WireName<AmendmentKind> kKindNames[] = {
    {AmendmentKind::replace, "replace"}, {AmendmentKind::insert_after, "insert_after"}, {AmendmentKind::del, "delete"}};
const WireName<AmendmentStatus> kStatusNames[] = {
    {AmendmentStatus::proposed, "proposed"},   {AmendmentStatus::admitted, "admitted"},
    {AmendmentStatus::ruled_out, "ruled_out"}, {AmendmentStatus::withdrawn, "withdrawn"},
    {AmendmentStatus::voting, "voting"},       {AmendmentStatus::adopted, "adopted"},
    {AmendmentStatus::rejected, "rejected"},   {AmendmentStatus::outdated, "outdated"}};

}  // namespace

const char* amendment_kind_name(AmendmentKind k) { return wire_name_in(kKindNames, k); }
std::optional<AmendmentKind> parse_amendment_kind(std::string_view name) { return parse_wire_in(kKindNames, name); }
const char* amendment_status_name(AmendmentStatus s) { return wire_name_in(kStatusNames, s); }
std::optional<AmendmentStatus> parse_amendment_status(std::string_view name) {
  return parse_wire_in(kStatusNames, name);
}

}  // namespace rapporteur
