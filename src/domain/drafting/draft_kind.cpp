#include "rapporteur/draft.h"
#include "rapporteur/wire_names.h"

namespace rapporteur {
namespace {

const WireName<DraftKind> kDraftKindNames[] = {
    {DraftKind::merge, "merge"}, {DraftKind::edit, "edit"}, {DraftKind::amendment, "amendment"}};

}  // namespace

const char* draft_kind_name(DraftKind k) { return wire_name_in(kDraftKindNames, k); }
std::optional<DraftKind> parse_draft_kind(std::string_view name) { return parse_wire_in(kDraftKindNames, name); }

}  // namespace rapporteur
