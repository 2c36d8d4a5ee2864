#include "rapporteur/draft.h"

#include "rapporteur/wire_names.h"

namespace rapporteur {
namespace {

const WireName<ParagraphKind> kParagraphKindNames[] = {{ParagraphKind::paragraph, "paragraph"},
                                                       {ParagraphKind::list_item, "list_item"},
                                                       {ParagraphKind::lead_in, "lead_in"},
                                                       {ParagraphKind::heading, "heading"},
                                                       {ParagraphKind::code, "code"},
                                                       {ParagraphKind::quote, "quote"},
                                                       {ParagraphKind::list, "list"},
                                                       {ParagraphKind::html, "html"},
                                                       {ParagraphKind::rule, "rule"}};
const WireName<SourceKind> kSourceKindNames[] = {{SourceKind::fragment, "fragment"},
                                                 {SourceKind::amendment, "amendment"},
                                                 {SourceKind::edit, "edit"},
                                                 {SourceKind::preamble, "preamble"}};
const WireName<DraftKind> kDraftKindNames[] = {
    {DraftKind::merge, "merge"}, {DraftKind::edit, "edit"}, {DraftKind::amendment, "amendment"}};

}  // namespace

const char* paragraph_kind_name(ParagraphKind k) { return wire_name_in(kParagraphKindNames, k); }
std::optional<ParagraphKind> parse_paragraph_kind(std::string_view name) {
  return parse_wire_in(kParagraphKindNames, name);
}
const char* source_kind_name(SourceKind k) { return wire_name_in(kSourceKindNames, k); }
std::optional<SourceKind> parse_source_kind(std::string_view name) { return parse_wire_in(kSourceKindNames, name); }
const char* draft_kind_name(DraftKind k) { return wire_name_in(kDraftKindNames, k); }
std::optional<DraftKind> parse_draft_kind(std::string_view name) { return parse_wire_in(kDraftKindNames, name); }

}  // namespace rapporteur
