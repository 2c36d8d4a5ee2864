// The conclusions document: drafts made of paragraphs with stable ids.
//
// A Document is an ordered list of paragraphs grouped by section. Sections
// appear in a fixed order: "preamble", "conclusions", "recommendations", then
// other headings in first-seen order (the section name is the heading text).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rapporteur {

struct RenderedMarkdown;  // rapporteur/markdown.h

// The kind of a paragraph: a top-level Markdown block (paragraph, heading,
// code, quote, list, html, rule), one item of a list the merge split up
// (list_item), or the paragraph that introduces such a list among the
// recommendations (lead_in).
enum class ParagraphKind { paragraph, list_item, lead_in, heading, code, quote, list, html, rule };
// Where a paragraph's text came from: a breakout's fragment, an adopted
// amendment, an editorial draft, or the session itself (the preamble).
enum class SourceKind { fragment, amendment, edit, preamble };

// Wire names, exact: "paragraph", "list_item", "lead_in", "heading", "code",
// "quote", "list", "html", "rule"; "fragment", "amendment", "edit",
// "preamble". An unknown name gives std::nullopt.
const char* paragraph_kind_name(ParagraphKind k);
std::optional<ParagraphKind> parse_paragraph_kind(std::string_view name);
const char* source_kind_name(SourceKind k);
std::optional<SourceKind> parse_source_kind(std::string_view name);

// A typed term in JSON is its wire name.
inline void to_json(nlohmann::json& j, ParagraphKind k) { j = paragraph_kind_name(k); }
inline void to_json(nlohmann::json& j, SourceKind k) { j = source_kind_name(k); }

// Where a paragraph's text came from.
struct Source {
  SourceKind kind = SourceKind::fragment;
  std::string breakout;
  int64_t fragment = 0;
  int version = 0;
  int64_t amendment = 0;  // kind amendment
  int draft = 0;          // kind edit: the editorial draft that made it
};

struct Paragraph {
  std::string pid;        // stable across drafts while its text lives on ("p12")
  std::string section;    // "preamble", "conclusions", "recommendations" or heading text
  std::string number;     // "R1".."Rn" for recommendations, else empty
  ParagraphKind kind = ParagraphKind::paragraph;
  std::string markdown;   // the block's own Markdown, self-contained
  Source source;
  // The HTML of `markdown` when it was at hand as the paragraph was made
  // (merge_fragments), else null. It is used only while rendered->markdown
  // equals `markdown`; it is not stored (paragraph_to_json leaves it out).
  std::shared_ptr<const RenderedMarkdown> rendered = nullptr;
};

// Member by member: cheaper than std::swap's three moves of the whole
// (merge_fragments puts paragraphs in order by swapping them).
inline void swap(Paragraph& a, Paragraph& b) noexcept {
  a.pid.swap(b.pid);
  a.section.swap(b.section);
  a.number.swap(b.number);
  std::swap(a.kind, b.kind);
  a.markdown.swap(b.markdown);
  std::swap(a.source.kind, b.source.kind);
  a.source.breakout.swap(b.source.breakout);
  std::swap(a.source.fragment, b.source.fragment);
  std::swap(a.source.version, b.source.version);
  std::swap(a.source.amendment, b.source.amendment);
  std::swap(a.source.draft, b.source.draft);
  a.rendered.swap(b.rendered);
}

struct Document {
  std::vector<Paragraph> paragraphs;
};

// How a draft was made: merged from the fragments, edited by the secretariat,
// or with an adopted amendment applied.
enum class DraftKind { merge, edit, amendment };
// Wire names, exact: "merge", "edit", "amendment"; unknown: std::nullopt.
const char* draft_kind_name(DraftKind k);
std::optional<DraftKind> parse_draft_kind(std::string_view name);

// What every draft carries besides its text: the stored row (store/drafts.h)
// and the parsed draft (drafts.h) both extend it.
struct DraftHeader {
  std::string session;
  int n = 0;
  int64_t created_at = 0;
  std::string created_by;
  DraftKind kind = DraftKind::merge;
  std::string reason;
  int base = 0;  // the draft it was made from; 0: none
  std::string sha256;  // of the draft's Markdown
  bool final = false;
};

// A recommendation pair from different breakouts that says nearly the same thing.
struct Duplicate {
  std::string a;
  std::string b;
  double score = 0;
};

}  // namespace rapporteur
