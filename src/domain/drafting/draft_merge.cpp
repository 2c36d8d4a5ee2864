// merge_fragments and renumber (rapporteur/draft_merge.h): breakout fragments
// into the numbered conclusions document. Paragraph ids are in draft_pids.cpp,
// edits in draft_edits.cpp, the document's Markdown and HTML in
// document_output.cpp.
#include "rapporteur/draft_merge.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "domain/drafting/draft_text.h"
#include "rapporteur/duplicates.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

namespace rapporteur {

// rapporteur::swap (draft.h) swaps Paragraph member by member: a member
// added to Paragraph or Source must be added there too. These fail first.
// (The kinds are enums, each padded to an 8-byte slot, as are the ints.)
static_assert(sizeof(Source) == sizeof(std::string) + 5 * sizeof(int64_t),
              "Source changed: update swap(Paragraph&, Paragraph&) in rapporteur/draft.h");
static_assert(sizeof(Paragraph) == 4 * sizeof(std::string) + sizeof(int64_t) + sizeof(Source) +
                                       sizeof(std::shared_ptr<const RenderedMarkdown>),
              "Paragraph changed: update swap(Paragraph&, Paragraph&) in rapporteur/draft.h");

namespace {

using draft_text::block_paragraph_kind;
using draft_text::collapse_whitespace;
using draft_text::ends_with;
using draft_text::escape_inline;
using draft_text::kConclusions;
using draft_text::kPreamble;
using draft_text::kRecommendations;

enum class Named { none, conclusions, recommendations };

std::vector<std::string> heading_words(std::string_view text) {
  const std::string folded = fold_text(text);
  std::vector<std::string> words;
  std::string word;
  for (char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || u >= 0x80) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool numbering(const std::string& w) {
  static const std::unordered_set<std::string> kRoman = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"};
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }) || kRoman.count(w) != 0;
}

// Whether ASCII `word` (lower case) occurs in `text`, ignoring ASCII case.
bool contains_nocase(std::string_view text, std::string_view word) {
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < word.size() && (text[i + k] | 0x20) == word[k]) ++k;
    if (k == word.size()) return true;
  }
  return false;
}

Named classify_heading(std::string_view text) {
  // Most headings name neither section: for ASCII text (which folds to its
  // lower case) that shows without splitting it into words.
  if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }) &&
      !contains_nocase(text, "conclusion") && !contains_nocase(text, "recommendation") &&
      !contains_nocase(text, "recommandation")) {
    return Named::none;
  }
  std::vector<std::string> words = heading_words(text);
  if (words.size() > 1 && numbering(words.front())) words.erase(words.begin());
  for (size_t i = 0; i < words.size() && i < 2; ++i) {
    const std::string& w = words[i];
    if (w == "conclusion" || w == "conclusions") return Named::conclusions;
    if (w == "recommendation" || w == "recommendations" || w == "recommandation" || w == "recommandations") {
      return Named::recommendations;
    }
  }
  return Named::none;
}

// A heading's text as a section name: trailing colons and blanks removed.
std::string section_display(std::string_view text) {
  std::string s = collapse_whitespace(text);
  while (!s.empty() && (s.back() == ':' || s.back() == ' ')) s.pop_back();
  if (s == kPreamble || s == kConclusions || s == kRecommendations) s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

Document merge_fragments(const MergeHeader& header, const std::vector<FragmentInput>& fragments) {
  // Paragraphs are made in fragment order, each with its section, then
  // placed section by section (preamble, conclusions, recommendations, the
  // others in first-seen order) in the same vector, which becomes the
  // document's: no per-section vectors, no copy. It is reserved for a
  // paragraph per 128 bytes of text, more than the notes' paragraphs and
  // items need (pages never touched cost nothing; each regrowth would touch
  // fresh ones).
  constexpr size_t kPreambleSection = 0, kConclusionsSection = 1, kRecommendationsSection = 2;
  std::vector<std::string> sections = {std::string(kPreamble), std::string(kConclusions),
                                       std::string(kRecommendations)};
  std::map<std::string, size_t> other_index;  // folded name -> index in `sections`
  std::vector<Paragraph> made;
  std::vector<size_t> section_of;  // made[i]'s index in `sections`
  size_t text_bytes = 0;
  for (const FragmentInput& f : fragments) text_bytes += f.body.size();
  made.reserve(2 + std::max(fragments.size() * 8, text_bytes / 128));
  section_of.reserve(made.capacity());

  Source preamble_source;
  preamble_source.kind = SourceKind::preamble;
  if (!trim(header.title).empty()) {
    made.push_back(Paragraph{"", std::string(kPreamble), "", ParagraphKind::heading, "# " + escape_inline(header.title),
                             preamble_source});
    section_of.push_back(kPreambleSection);
  }
  std::string where;
  for (const std::string* part : {&header.place, &header.date}) {
    if (trim(*part).empty()) continue;
    if (!where.empty()) where += ", ";
    where += collapse_whitespace(*part);
  }
  if (!where.empty()) {
    made.push_back(
        Paragraph{"", std::string(kPreamble), "", ParagraphKind::paragraph, escape_inline(where), preamble_source});
    section_of.push_back(kPreambleSection);
  }

  for (const FragmentInput& f : fragments) {
    Source source;
    source.kind = SourceKind::fragment;
    source.breakout = f.breakout;
    source.fragment = f.fragment;
    source.version = f.version;
    std::vector<MarkdownBlock> blocks = split_blocks(f.body);
    size_t current = kConclusionsSection;
    // The blocks' texts and renderings are moved into the paragraphs.
    auto add = [&](ParagraphKind kind, std::string&& markdown, SharedRendering&& rendered) {
      // Built in place (no temporary to move; clang 14 has no parenthesised
      // aggregate initialisation for emplace_back to use).
      Paragraph& p = made.emplace_back();
      p.section = sections[current];
      p.kind = kind;
      p.markdown = std::move(markdown);
      p.source = source;
      p.rendered = std::move(rendered);
      section_of.push_back(current);
    };
    for (size_t i = 0; i < blocks.size(); ++i) {
      MarkdownBlock& b = blocks[i];
      const ParagraphKind kind = block_paragraph_kind(b);
      if (kind == ParagraphKind::heading) {
        const Named named = classify_heading(b.text);
        if (named == Named::conclusions) {
          current = kConclusionsSection;
          continue;
        }
        if (named == Named::recommendations) {
          current = kRecommendationsSection;
          continue;
        }
        if (b.text.empty()) continue;
        if (b.level <= 2) {
          if (i == 0 && b.level == 1) continue;  // the fragment's title
          const std::string display = section_display(b.text);
          const std::string key = collapse_whitespace(fold_text(display));
          auto found = other_index.find(key);
          if (found == other_index.end()) {
            found = other_index.emplace(key, sections.size()).first;
            sections.push_back(display);
          }
          current = found->second;
          continue;
        }
        add(ParagraphKind::heading, std::move(b.markdown), std::move(b.rendered));
      } else if (kind == ParagraphKind::list) {
        for (size_t k = 0; k < b.items.size(); ++k) {
          if (!trim(b.items[k]).empty()) {
            add(ParagraphKind::list_item, std::move(b.items[k]), std::move(b.rendered_items[k]));
          }
        }
      } else {
        const bool lead_in = current == kRecommendationsSection && kind == ParagraphKind::paragraph &&
                             i + 1 < blocks.size() && block_paragraph_kind(blocks[i + 1]) == ParagraphKind::list &&
                             ends_with(b.markdown, ":");
        add(lead_in ? ParagraphKind::lead_in : kind, std::move(b.markdown), std::move(b.rendered));
      }
    }
  }

  // A stable counting sort by section: dest[i] is where made[i] goes, and
  // the permutation is applied in place, one cycle at a time.
  std::vector<size_t> start(sections.size() + 1, 0);
  for (size_t s : section_of) ++start[s + 1];
  for (size_t s = 1; s < start.size(); ++s) start[s] += start[s - 1];
  std::vector<size_t>& dest = section_of;  // reused: each entry is read once, then overwritten
  for (size_t i = 0; i < made.size(); ++i) dest[i] = start[dest[i]]++;
  for (size_t i = 0; i < made.size(); ++i) {
    while (dest[i] != i) {
      const size_t j = dest[i];
      swap(made[i], made[j]);  // rapporteur::swap
      std::swap(dest[i], dest[j]);
    }
  }
  Document doc;
  doc.paragraphs = std::move(made);
  renumber(doc);
  return doc;
}

void renumber(Document& doc) {
  int n = 0;
  for (Paragraph& p : doc.paragraphs) {
    const bool numbered =
        p.section == kRecommendations && (p.kind == ParagraphKind::list_item || p.kind == ParagraphKind::paragraph);
    p.number = numbered ? "R" + std::to_string(++n) : std::string();
  }
}

}  // namespace rapporteur
