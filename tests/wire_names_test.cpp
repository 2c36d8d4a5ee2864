#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rapporteur/amendment.h"
#include "rapporteur/draft.h"
#include "rapporteur/drafts.h"
#include "rapporteur/session.h"

using namespace rapporteur;

namespace {

// Every value names itself by its own wire name, and that name reads back to it.
template <typename E, typename Name, typename Parse>
void round_trips(const std::vector<std::pair<E, std::string>>& table, Name name, Parse parse) {
  for (const auto& [value, wire] : table) {
    CHECK(std::string(name(value)) == wire);
    CHECK(parse(wire) == value);
  }
}

}  // namespace

TEST_CASE("amendment kind and status names round-trip", "[wire_names]") {
  round_trips<AmendmentKind>({{AmendmentKind::replace, "replace"},
                              {AmendmentKind::insert_after, "insert_after"},
                              {AmendmentKind::del, "delete"}},
                             amendment_kind_name, parse_amendment_kind);
  round_trips<AmendmentStatus>({{AmendmentStatus::proposed, "proposed"},
                                {AmendmentStatus::admitted, "admitted"},
                                {AmendmentStatus::ruled_out, "ruled_out"},
                                {AmendmentStatus::withdrawn, "withdrawn"},
                                {AmendmentStatus::voting, "voting"},
                                {AmendmentStatus::adopted, "adopted"},
                                {AmendmentStatus::rejected, "rejected"},
                                {AmendmentStatus::outdated, "outdated"}},
                               amendment_status_name, parse_amendment_status);
  CHECK_FALSE(parse_amendment_kind("del"));
  CHECK_FALSE(parse_amendment_kind("Replace"));
  CHECK_FALSE(parse_amendment_kind("insert after"));
  CHECK_FALSE(parse_amendment_status("ruled out"));
  CHECK_FALSE(parse_amendment_status(""));
}

TEST_CASE("session phase names round-trip", "[wire_names]") {
  round_trips<SessionPhase>(
      {{SessionPhase::drafting, "drafting"}, {SessionPhase::amending, "amending"}, {SessionPhase::adopted, "adopted"}},
      session_phase_name, parse_session_phase);
  CHECK_FALSE(parse_session_phase("final"));
  CHECK_FALSE(parse_session_phase("amending "));
}

TEST_CASE("paragraph and source kind names round-trip", "[wire_names]") {
  round_trips<ParagraphKind>({{ParagraphKind::paragraph, "paragraph"},
                              {ParagraphKind::list_item, "list_item"},
                              {ParagraphKind::lead_in, "lead_in"},
                              {ParagraphKind::heading, "heading"},
                              {ParagraphKind::code, "code"},
                              {ParagraphKind::quote, "quote"},
                              {ParagraphKind::list, "list"},
                              {ParagraphKind::html, "html"},
                              {ParagraphKind::rule, "rule"}},
                             paragraph_kind_name, parse_paragraph_kind);
  round_trips<SourceKind>({{SourceKind::fragment, "fragment"},
                           {SourceKind::amendment, "amendment"},
                           {SourceKind::edit, "edit"},
                           {SourceKind::preamble, "preamble"}},
                          source_kind_name, parse_source_kind);
  CHECK_FALSE(parse_paragraph_kind("item"));
  CHECK_FALSE(parse_paragraph_kind("Heading"));
  CHECK_FALSE(parse_source_kind(""));
  CHECK_FALSE(parse_source_kind("merge"));
}

TEST_CASE("draft kind names round-trip", "[wire_names]") {
  round_trips<DraftKind>({{DraftKind::merge, "merge"}, {DraftKind::edit, "edit"}, {DraftKind::amendment, "amendment"}},
                         draft_kind_name, parse_draft_kind);
  CHECK_FALSE(parse_draft_kind("Merge"));
  CHECK_FALSE(parse_draft_kind("amended"));
}

TEST_CASE("stored paragraphs keep their names and refuse unknown ones", "[wire_names]") {
  const std::string stored =
      R"({"kind":"list_item","markdown":"Fund them.","number":"R1","pid":"p4","section":"recommendations",)"
      R"("source":{"amendment":3,"breakout":"b1","kind":"amendment"}})";
  const Paragraph p = paragraph_from_json(nlohmann::json::parse(stored));
  CHECK(p.kind == ParagraphKind::list_item);
  CHECK(p.source.kind == SourceKind::amendment);
  CHECK(paragraph_to_json(p).dump() == stored);

  // A name no version wrote is a damaged row: the read fails.
  nlohmann::json bad_kind = nlohmann::json::parse(stored);
  bad_kind["kind"] = "bullet";
  CHECK_THROWS(paragraph_from_json(bad_kind));
  nlohmann::json bad_source = nlohmann::json::parse(stored);
  bad_source["source"]["kind"] = "import";
  CHECK_THROWS(paragraph_from_json(bad_source));
}
