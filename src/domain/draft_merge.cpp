#include "rapporteur/draft_merge.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "rapporteur/duplicates.h"
#include "rapporteur/markdown.h"
#include "draft_text.h"
#include "rapporteur/text.h"

namespace rapporteur {

// rapporteur::swap (draft.h) swaps Paragraph member by member: a member
// added to Paragraph or Source must be added there too. These fail first.
static_assert(sizeof(Source) == 2 * sizeof(std::string) + 2 * sizeof(int64_t) + 2 * sizeof(int64_t),
              "Source changed: update swap(Paragraph&, Paragraph&) in rapporteur/draft.h");
static_assert(sizeof(Paragraph) ==
                  5 * sizeof(std::string) + sizeof(Source) + sizeof(std::shared_ptr<const RenderedMarkdown>),
              "Paragraph changed: update swap(Paragraph&, Paragraph&) in rapporteur/draft.h");

namespace {

using draft_text::collapse_whitespace;
using draft_text::ends_with;
using draft_text::escape_inline;
using draft_text::is_space;
using draft_text::kConclusions;
using draft_text::kPreamble;
using draft_text::kRecommendations;

// ---- headings ----------------------------------------------------------------

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

// ---- edit texts ------------------------------------------------------------------

// Normalised line endings, blank lines around trimmed, trailing blanks trimmed.
std::string normalise_text(std::string_view text) {
  std::string s;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      s += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      s += text[i];
    }
  }
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      start = i + 1;
    } else if (!is_space(s[i])) {
      break;
    }
  }
  s.erase(0, std::min(start, s.size()));
  while (!s.empty() && is_space(s.back())) s.pop_back();
  return s;
}
// ---- pid matching ------------------------------------------------------------

// Sorted, unique character trigrams of the folded, collapsed text (bytes,
// padded with a space at both ends).
std::vector<uint32_t> trigrams(std::string_view markdown) {
  const std::string t = " " + collapse_whitespace(fold_text(markdown)) + " ";
  std::vector<uint32_t> out;
  if (t.size() < 3) return out;
  out.reserve(t.size() - 2);
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    out.push_back((static_cast<uint32_t>(static_cast<unsigned char>(t[i])) << 16) |
                  (static_cast<uint32_t>(static_cast<unsigned char>(t[i + 1])) << 8) |
                  static_cast<unsigned char>(t[i + 2]));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double dice(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t common = 0, i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

// N of a pid "p<N>", or 0.
int pid_value(const std::string& pid) {
  if (pid.size() < 2 || pid.size() > 10 || pid[0] != 'p') return 0;
  int n = 0;
  for (size_t i = 1; i < pid.size(); ++i) {
    if (pid[i] < '0' || pid[i] > '9') return 0;
    n = n * 10 + (pid[i] - '0');
  }
  return n;
}

void raise_seq(const Document& doc, int& next_seq) {
  for (const Paragraph& p : doc.paragraphs) next_seq = std::max(next_seq, pid_value(p.pid) + 1);
  next_seq = std::max(next_seq, 1);
}

struct Candidate {
  double score;
  bool same_section;
  double distance;
  size_t next;
  size_t prev;
};

// ---- edits --------------------------------------------------------------------

struct NewText {
  std::string kind;
  std::string markdown;
};

// The kind and Markdown a paragraph gets from `text` (normalised), given the
// kind it would have as a plain paragraph and whether it stands for a list item.
NewText shape_text(const std::string& text, const std::string& default_kind) {
  const std::vector<MarkdownBlock> blocks = split_blocks(text);
  if (blocks.size() == 1) {
    const MarkdownBlock& b = blocks.front();
    if (b.kind == "list" && b.items.size() == 1 && default_kind == "list_item" && !b.items.front().empty()) {
      return {"list_item", b.items.front()};
    }
    if (b.kind != "paragraph") return {b.kind, text};
  }
  return {default_kind, text};
}

Status edit_error(size_t index, const std::string& member, const std::string& rule) {
  return Status::invalid("edit " + std::to_string(index) + ": " + rule,
                         "edits[" + std::to_string(index) + "]." + member);
}

}  // namespace

// ---- merge --------------------------------------------------------------------

Document merge_fragments(const MergeHeader& header, const std::vector<FragmentInput>& fragments) {
  // Paragraphs are made in fragment order, each with its section, then
  // placed section by section (preamble, conclusions, recommendations, the
  // others in first-seen order) in the same vector, which becomes the
  // document's: no per-section vectors, no copy. It is reserved for a
  // paragraph per 128 bytes of text, more than the notes' paragraphs and
  // items need (pages never touched cost nothing; each regrowth would touch
  // fresh ones).
  constexpr size_t kPreambleSection = 0, kConclusionsSection = 1, kRecommendationsSection = 2;
  static const std::string kHeadingKind = "heading", kItemKind = "list_item", kLeadInKind = "lead_in";
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
  preamble_source.kind = std::string(kPreamble);
  if (!trim(header.title).empty()) {
    made.push_back(Paragraph{"", std::string(kPreamble), "", "heading", "# " + escape_inline(header.title),
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
    made.push_back(Paragraph{"", std::string(kPreamble), "", "paragraph", escape_inline(where), preamble_source});
    section_of.push_back(kPreambleSection);
  }

  for (const FragmentInput& f : fragments) {
    Source source;
    source.kind = "fragment";
    source.breakout = f.breakout;
    source.fragment = f.fragment;
    source.version = f.version;
    std::vector<MarkdownBlock> blocks = split_blocks(f.body);
    size_t current = kConclusionsSection;
    // The blocks' texts and renderings are moved into the paragraphs.
    auto add = [&](const std::string& kind, std::string&& markdown, SharedRendering&& rendered) {
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
      if (b.kind == "heading") {
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
        add(kHeadingKind, std::move(b.markdown), std::move(b.rendered));
      } else if (b.kind == "list") {
        for (size_t k = 0; k < b.items.size(); ++k) {
          if (!trim(b.items[k]).empty()) add(kItemKind, std::move(b.items[k]), std::move(b.rendered_items[k]));
        }
      } else {
        const bool lead_in = current == kRecommendationsSection && b.kind == "paragraph" && i + 1 < blocks.size() &&
                             blocks[i + 1].kind == "list" && ends_with(b.markdown, ":");
        add(lead_in ? kLeadInKind : b.kind, std::move(b.markdown), std::move(b.rendered));
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
    const bool numbered = p.section == kRecommendations && (p.kind == "list_item" || p.kind == "paragraph");
    p.number = numbered ? "R" + std::to_string(++n) : std::string();
  }
}

// ---- pids -----------------------------------------------------------------------

void assign_pids(Document& next, const Document* previous, int& next_seq) {
  raise_seq(next, next_seq);
  if (previous != nullptr) raise_seq(*previous, next_seq);

  std::unordered_set<std::string> taken;
  for (const Paragraph& p : next.paragraphs) {
    if (!p.pid.empty()) taken.insert(p.pid);
  }
  // Previous paragraphs whose pid may be handed on (first occurrence only).
  std::vector<size_t> available;
  if (previous != nullptr) {
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < previous->paragraphs.size(); ++i) {
      const std::string& pid = previous->paragraphs[i].pid;
      if (pid.empty() || taken.count(pid) != 0 || !seen.insert(pid).second) continue;
      available.push_back(i);
    }
  }
  std::vector<bool> used(previous ? previous->paragraphs.size() : 0, false);

  // 1. Exact matches, pairing equal texts in document order.
  std::unordered_map<std::string, std::deque<size_t>> by_text;
  for (size_t i : available) by_text[collapse_whitespace(previous->paragraphs[i].markdown)].push_back(i);
  std::vector<size_t> unmatched;
  for (size_t i = 0; i < next.paragraphs.size(); ++i) {
    Paragraph& p = next.paragraphs[i];
    if (!p.pid.empty()) continue;
    auto found = by_text.find(collapse_whitespace(p.markdown));
    if (found != by_text.end() && !found->second.empty()) {
      const size_t j = found->second.front();
      found->second.pop_front();
      p.pid = previous->paragraphs[j].pid;
      used[j] = true;
    } else {
      unmatched.push_back(i);
    }
  }

  // 2. Similar matches, best first.
  std::vector<size_t> left;
  for (size_t i : available) {
    if (!used[i]) left.push_back(i);
  }
  if (!unmatched.empty() && !left.empty()) {
    std::vector<std::vector<uint32_t>> next_grams, prev_grams;
    for (size_t i : unmatched) next_grams.push_back(trigrams(next.paragraphs[i].markdown));
    for (size_t j : left) prev_grams.push_back(trigrams(previous->paragraphs[j].markdown));
    const double next_size = static_cast<double>(next.paragraphs.size());
    const double prev_size = static_cast<double>(previous->paragraphs.size());
    std::vector<Candidate> candidates;
    const bool all_pairs = unmatched.size() * left.size() <= kPidMaxPairs;
    const size_t window = std::max<size_t>(1, kPidMaxPairs / unmatched.size() / 2);
    for (size_t u = 0; u < unmatched.size(); ++u) {
      size_t lo = 0, hi = left.size();
      if (!all_pairs) {
        const size_t centre = u * left.size() / unmatched.size();
        lo = centre > window ? centre - window : 0;
        hi = std::min(left.size(), centre + window + 1);
      }
      for (size_t v = lo; v < hi; ++v) {
        const double score = dice(next_grams[u], prev_grams[v]);
        if (score < kPidSimilarityThreshold) continue;
        const Paragraph& np = next.paragraphs[unmatched[u]];
        const Paragraph& pp = previous->paragraphs[left[v]];
        const double distance = std::fabs(static_cast<double>(unmatched[u]) / next_size -
                                          static_cast<double>(left[v]) / prev_size);
        candidates.push_back(Candidate{score, np.section == pp.section, distance, u, v});
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.same_section != b.same_section) return a.same_section;
      if (a.distance != b.distance) return a.distance < b.distance;
      if (a.next != b.next) return a.next < b.next;
      return a.prev < b.prev;
    });
    std::vector<bool> next_done(unmatched.size(), false), prev_done(left.size(), false);
    for (const Candidate& c : candidates) {
      if (next_done[c.next] || prev_done[c.prev]) continue;
      next_done[c.next] = prev_done[c.prev] = true;
      next.paragraphs[unmatched[c.next]].pid = previous->paragraphs[left[c.prev]].pid;
    }
  }

  // 3. New pids for the rest.
  for (Paragraph& p : next.paragraphs) {
    if (p.pid.empty()) p.pid = "p" + std::to_string(next_seq++);
  }
}

// ---- edits -------------------------------------------------------------------------

Result<Document> apply_edits(const Document& base, const std::vector<Edit>& edits, const Source& source,
                             int& next_seq) {
  if (edits.empty()) return Status::invalid("edits: at least one edit is required", "edits");
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < base.paragraphs.size(); ++i) index.emplace(base.paragraphs[i].pid, i);

  struct Change {
    std::optional<Paragraph> replacement;  // empty: deleted
  };
  std::unordered_map<size_t, Change> changes;                 // base index -> change
  std::unordered_map<size_t, std::vector<Paragraph>> inserts;  // base index -> new paragraphs, in edit order
  std::unordered_map<size_t, size_t> changed_by;              // base index -> edit index
  std::vector<std::pair<size_t, Paragraph>> pending_inserts;

  for (size_t e = 0; e < edits.size(); ++e) {
    const Edit& edit = edits[e];
    if (edit.op != "replace" && edit.op != "insert_after" && edit.op != "delete") {
      return edit_error(e, "op", "unknown op \"" + edit.op + "\" (expected replace, insert_after or delete)");
    }
    if (edit.pid.empty()) return edit_error(e, "pid", "pid must not be empty");
    const auto target_it = index.find(edit.pid);
    if (target_it == index.end()) {
      return edit_error(e, "pid", "pid \"" + edit.pid + "\" is not a paragraph of the base draft");
    }
    const size_t target = target_it->second;
    const Paragraph& t = base.paragraphs[target];
    if (edit.op == "delete") {
      if (!edit.text.empty()) return edit_error(e, "text", "delete takes no text");
    } else {
      if (!valid_utf8(edit.text)) return edit_error(e, "text", "text is not valid UTF-8");
      if (edit.text.find('\0') != std::string::npos) return edit_error(e, "text", "text must not contain NUL");
      if (edit.text.size() > kMaxEditTextBytes) {
        return edit_error(e, "text", "text is longer than " + std::to_string(kMaxEditTextBytes) + " bytes");
      }
      if (trim(edit.text).empty()) return edit_error(e, "text", "text must not be empty");
    }
    if (edit.op != "insert_after") {
      const auto prior = changed_by.find(target);
      if (prior != changed_by.end()) {
        return edit_error(e, "pid", "paragraph " + edit.pid + " is already changed by edit " +
                                        std::to_string(prior->second));
      }
      changed_by.emplace(target, e);
    }
    if (edit.op == "delete") {
      changes[target] = Change{std::nullopt};
      continue;
    }
    const std::string text = normalise_text(edit.text);
    if (split_blocks(text).empty()) return edit_error(e, "text", "text has no visible content");
    if (!markdown_is_closed(text)) {
      return edit_error(e, "text", "text leaves a code fence or HTML block open");
    }
    const bool is_item = t.kind == "list_item" || (edit.op == "insert_after" && t.kind == "lead_in");
    std::string default_kind = is_item ? "list_item" : "paragraph";
    if (edit.op == "replace" && t.kind == "lead_in") default_kind = "lead_in";
    const NewText shaped = shape_text(text, default_kind);
    Paragraph p;
    p.section = t.section;
    p.kind = shaped.kind;
    p.markdown = shaped.markdown;
    p.source = source;
    if (edit.op == "replace") {
      p.pid = t.pid;
      if (p.source.breakout.empty()) p.source.breakout = t.source.breakout;
      changes[target] = Change{std::move(p)};
    } else {
      pending_inserts.emplace_back(target, std::move(p));
    }
  }

  raise_seq(base, next_seq);
  for (auto& [target, p] : pending_inserts) {
    p.pid = "p" + std::to_string(next_seq++);
    inserts[target].push_back(std::move(p));
  }

  Document out;
  for (size_t i = 0; i < base.paragraphs.size(); ++i) {
    const auto change = changes.find(i);
    if (change == changes.end()) {
      out.paragraphs.push_back(base.paragraphs[i]);
    } else if (change->second.replacement) {
      out.paragraphs.push_back(*change->second.replacement);
    }
    const auto added = inserts.find(i);
    if (added != inserts.end()) {
      for (Paragraph& p : added->second) out.paragraphs.push_back(std::move(p));
    }
  }
  renumber(out);
  return out;
}

}  // namespace rapporteur
