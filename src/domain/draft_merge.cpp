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
#include "rapporteur/text.h"

namespace rapporteur {
namespace {

constexpr std::string_view kPreamble = "preamble";
constexpr std::string_view kConclusions = "conclusions";
constexpr std::string_view kRecommendations = "recommendations";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Runs of whitespace become one space; ends trimmed.
std::string collapse_whitespace(std::string_view s) {
  std::string out;
  bool pending = false;
  for (char c : s) {
    if (is_space(c)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

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

Named classify_heading(std::string_view text) {
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

// ---- Markdown writing ------------------------------------------------------------

// `text` on one line, escaped so that it renders as itself inside a paragraph
// or an ATX heading.
std::string escape_inline(std::string_view text) {
  const std::string line = collapse_whitespace(text);
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    static constexpr std::string_view kSpecial = "\\`*_[]<>&#~|";
    bool escape = kSpecial.find(c) != std::string_view::npos;
    if (i == 0 && (c == '-' || c == '+' || c == '=' || c == '>')) escape = true;
    if ((c == '.' || c == ')') && i > 0 && i <= 9 &&
        std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(i),
                    [](char d) { return d >= '0' && d <= '9'; })) {
      escape = true;  // "2022. ..." would start an ordered list
    }
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

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

// Every line but the first indented by `width` spaces (blank lines stay empty).
std::string indent_rest(std::string_view text, size_t width) {
  std::string out;
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (!first) out += '\n';
    if (!first && !line.empty()) out.append(width, ' ');
    out += line;
    first = false;
    start = end + 1;
  }
  return out;
}

std::string attribution(const Source& src) {
  const std::string breakout = escape_inline(src.breakout);
  if (src.kind == "amendment") {
    const std::string n = std::to_string(src.amendment);
    return breakout.empty() ? "*(Amendment " + n + ")*" : "*(Breakout: " + breakout + "; amendment " + n + ")*";
  }
  return breakout.empty() ? std::string() : "*(Breakout: " + breakout + ")*";
}

// The R number's digits, or 0.
int number_value(const std::string& number) {
  if (number.size() < 2 || number[0] != 'R' || number.size() > 10) return 0;
  int n = 0;
  for (size_t i = 1; i < number.size(); ++i) {
    if (number[i] < '0' || number[i] > '9') return 0;
    n = n * 10 + (number[i] - '0');
  }
  return n;
}

// One numbered recommendation as an ordered-list item.
std::string numbered_item(const Paragraph& p, int n) {
  const std::string html = paragraph_html(p);
  const bool first_is_paragraph = html.rfind("<p>", 0) == 0;
  const bool last_is_paragraph = ends_with(html, "</p>\n");
  std::string body = "**" + escape_inline(p.number.empty() ? "R" + std::to_string(n) : p.number) + "**";
  if (!p.markdown.empty()) body += (first_is_paragraph ? " " : "\n\n") + p.markdown;
  const std::string attr = attribution(p.source);
  if (!attr.empty()) body += ((last_is_paragraph || p.markdown.empty()) ? " " : "\n\n") + attr;
  const std::string marker = std::to_string(n) + ". ";
  return marker + indent_rest(body, marker.size());
}

std::string bullet_item(const Paragraph& p) { return p.markdown.empty() ? "-" : "- " + indent_rest(p.markdown, 2); }

bool starts_indented(std::string_view md) { return !md.empty() && (md[0] == ' ' || md[0] == '\t'); }

std::string section_title(const std::string& section) {
  if (section == kConclusions) return "Conclusions";
  if (section == kRecommendations) return "Recommendations";
  return section;
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
  Document doc;
  Source preamble_source;
  preamble_source.kind = std::string(kPreamble);
  if (!trim(header.title).empty()) {
    doc.paragraphs.push_back(Paragraph{"", std::string(kPreamble), "", "heading",
                                       "# " + escape_inline(header.title), preamble_source});
  }
  std::string where;
  for (const std::string* part : {&header.place, &header.date}) {
    if (trim(*part).empty()) continue;
    if (!where.empty()) where += ", ";
    where += collapse_whitespace(*part);
  }
  if (!where.empty()) {
    doc.paragraphs.push_back(
        Paragraph{"", std::string(kPreamble), "", "paragraph", escape_inline(where), preamble_source});
  }

  struct Section {
    std::string name;
    std::vector<Paragraph> paragraphs;
  };
  Section conclusions{std::string(kConclusions), {}};
  Section recommendations{std::string(kRecommendations), {}};
  std::vector<Section> others;
  std::map<std::string, size_t> other_index;  // folded name -> index in `others`

  for (const FragmentInput& f : fragments) {
    Source source;
    source.kind = "fragment";
    source.breakout = f.breakout;
    source.fragment = f.fragment;
    source.version = f.version;
    const std::vector<MarkdownBlock> blocks = split_blocks(f.body);
    Section* current = &conclusions;
    auto add = [&](const std::string& kind, const std::string& markdown) {
      current->paragraphs.push_back(Paragraph{"", current->name, "", kind, markdown, source});
    };
    for (size_t i = 0; i < blocks.size(); ++i) {
      const MarkdownBlock& b = blocks[i];
      if (b.kind == "heading") {
        const Named named = classify_heading(b.text);
        if (named == Named::conclusions) {
          current = &conclusions;
          continue;
        }
        if (named == Named::recommendations) {
          current = &recommendations;
          continue;
        }
        if (b.text.empty()) continue;
        if (b.level <= 2) {
          if (i == 0 && b.level == 1) continue;  // the fragment's title
          const std::string display = section_display(b.text);
          const std::string key = collapse_whitespace(fold_text(display));
          auto found = other_index.find(key);
          if (found == other_index.end()) {
            found = other_index.emplace(key, others.size()).first;
            others.push_back(Section{display, {}});
          }
          // `others` may have grown: take the address after the push.
          current = &others[found->second];
          continue;
        }
        add("heading", b.markdown);
      } else if (b.kind == "list") {
        for (const std::string& item : b.items) {
          if (!trim(item).empty()) add("list_item", item);
        }
      } else {
        const bool lead_in = current == &recommendations && b.kind == "paragraph" && i + 1 < blocks.size() &&
                             blocks[i + 1].kind == "list" && ends_with(b.markdown, ":");
        add(lead_in ? "lead_in" : b.kind, b.markdown);
      }
    }
  }

  for (Section* s : {&conclusions, &recommendations}) {
    for (Paragraph& p : s->paragraphs) doc.paragraphs.push_back(std::move(p));
  }
  for (Section& s : others) {
    for (Paragraph& p : s.paragraphs) doc.paragraphs.push_back(std::move(p));
  }
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

// ---- output ----------------------------------------------------------------------------

namespace {

// One block of the document's Markdown; document_markdown joins them with
// blank lines.
struct Piece {
  std::string markdown;
  // The paragraph whose Markdown this is; null for a section heading and the
  // end-of-list comment.
  const Paragraph* paragraph = nullptr;
  // A run of list items: each item's paragraph and number (0 for "- " items).
  std::vector<std::pair<const Paragraph*, int>> items;
};

std::vector<Piece> layout(const Document& doc) {
  std::vector<Piece> pieces;
  const std::string* section = nullptr;
  enum class Run { none, bullet, numbered };
  Run run = Run::none;
  Piece items;
  std::vector<std::string> run_items;
  auto flush_run = [&] {
    if (run_items.empty()) return;
    const bool compact = std::none_of(run_items.begin(), run_items.end(),
                                      [](const std::string& item) { return item.find("\n\n") != std::string::npos; });
    for (size_t i = 0; i < run_items.size(); ++i) {
      if (i != 0) items.markdown += compact ? "\n" : "\n\n";
      items.markdown += run_items[i];
    }
    pieces.push_back(std::move(items));
    items = Piece{};
    run_items.clear();
  };
  auto text = [&](std::string markdown, const Paragraph* p) {
    Piece piece;
    piece.markdown = std::move(markdown);
    piece.paragraph = p;
    pieces.push_back(std::move(piece));
  };

  int count = 0;
  for (const Paragraph& p : doc.paragraphs) {
    if (section == nullptr || *section != p.section) {
      flush_run();
      run = Run::none;
      section = &p.section;
      if (p.section != kPreamble) text("## " + escape_inline(section_title(p.section)), nullptr);
    }
    Run kind = Run::none;
    if (!p.number.empty()) {
      kind = Run::numbered;
    } else if (p.kind == "list_item") {
      kind = Run::bullet;
    }
    if (kind != run) {
      const bool after_list = run != Run::none;
      flush_run();
      // Like cmark's own CommonMark writer: an indented block right after a
      // list would otherwise continue its last item.
      if (after_list && kind == Run::none && starts_indented(p.markdown)) text("<!-- end list -->", nullptr);
      run = kind;
    }
    if (kind == Run::numbered) {
      ++count;
      const int value = number_value(p.number);
      const int n = value > 0 ? value : count;
      run_items.push_back(numbered_item(p, n));
      items.items.emplace_back(&p, n);
    } else if (kind == Run::bullet) {
      run_items.push_back(bullet_item(p));
      items.items.emplace_back(&p, 0);
    } else if (!p.markdown.empty()) {
      text(p.markdown, &p);
    }
  }
  flush_run();
  return pieces;
}

bool html_starts_list(std::string_view html) { return html.rfind("<ul", 0) == 0 || html.rfind("<ol", 0) == 0; }
bool html_ends_list(std::string_view html) { return ends_with(html, "</ul>\n") || ends_with(html, "</ol>\n"); }

// The inline HTML of a rendering that is one paragraph ("<p>X</p>\n"), or
// nullopt.
std::optional<std::string_view> paragraph_inline(std::string_view html) {
  if (html.rfind("<p>", 0) != 0 || !ends_with(html, "</p>\n")) return std::nullopt;
  const std::string_view inner = html.substr(3, html.size() - 3 - 5);
  // Text is escaped and raw HTML omitted, so "</p>" can only close a paragraph.
  if (inner.find("</p>") != std::string_view::npos) return std::nullopt;
  return inner;
}

// A line that would start a list item once text follows it on the line.
bool bare_list_marker(std::string_view line) {
  const std::string_view t = trim(line);
  if (t == "-" || t == "+" || t == "*") return true;
  return !t.empty() && (t.back() == '.' || t.back() == ')') &&
         std::all_of(t.begin(), t.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
}

// What <li>...</li> holds for item `p` of a tight run (document_markdown's
// numbered_item or bullet_item, inside a list of one-paragraph items), or
// nullopt when that is not provably the paragraph's own inline HTML with the
// number and attribution around it. The item's lines are the paragraph's,
// indented by the marker's width, so they parse as they do alone unless tabs
// or other control characters change the columns, the first line turns "- "
// into a thematic break ("- --"), or the attribution appended to the last
// line makes a bare list marker a list item. Inline, the bold number before
// the text closes before it, and the attribution's own delimiters pair up
// nearest; an attribution of letters, digits, spaces, "-" and "." gives the
// text's unclosed code spans, links, raw HTML and entities nothing to close.
std::optional<std::string> run_item_html(const Paragraph& p, int n) {
  const std::string& md = p.markdown;
  if (md.empty() || starts_indented(md) || md.back() == ' ' || md.rfind("\xEF\xBB\xBF", 0) == 0) return std::nullopt;
  if (std::any_of(md.begin(), md.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; })) {
    return std::nullopt;
  }
  const std::string html = paragraph_html(p);
  const std::optional<std::string_view> inner = paragraph_inline(html);
  if (!inner) return std::nullopt;
  if (n == 0) {
    const std::string_view first_line = std::string_view(md).substr(0, md.find('\n'));
    if (first_line.find_first_not_of("- ") == std::string_view::npos) return std::nullopt;
    return std::string(*inner);
  }
  if (n >= 1000000000) return std::nullopt;  // cmark reads at most 9 digits as a list number
  if (p.number.empty() || !std::all_of(p.number.begin(), p.number.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      })) {
    return std::nullopt;
  }
  std::string out = "<strong>" + p.number + "</strong> ";
  out += *inner;
  const std::string attr = attribution(p.source);
  if (!attr.empty()) {
    const bool plain_breakout = std::all_of(p.source.breakout.begin(), p.source.breakout.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '-' ||
             c == '.' || static_cast<unsigned char>(c) >= 0x80;
    });
    if (!plain_breakout || bare_list_marker(std::string_view(md).substr(md.rfind('\n') + 1))) return std::nullopt;
    const std::string attr_html = render_markdown(attr);
    const std::optional<std::string_view> attr_inner = paragraph_inline(attr_html);
    if (!attr_inner) return std::nullopt;
    out += ' ';
    out += *attr_inner;
  }
  return out;
}

// document_html without a full render, or nullopt when a piece might render
// differently inside the document than alone: a link reference definition
// anywhere (it applies to every block), an indented piece (it could continue
// the block before), a list right after a list (they could merge), a run
// whose items are not single paragraphs.
std::optional<std::string> joined_html(const std::vector<Piece>& pieces) {
  std::string out;
  bool after_list = false;
  for (const Piece& piece : pieces) {
    if (piece.items.empty()) {
      if (piece.paragraph != nullptr &&
          (starts_indented(piece.markdown) || piece.markdown.find("]:") != std::string::npos ||
           piece.markdown.rfind("\xEF\xBB\xBF", 0) == 0)) {
        return std::nullopt;
      }
      if (piece.paragraph == nullptr && piece.markdown.rfind("## ", 0) != 0) return std::nullopt;
      const std::string html = render_markdown(piece.markdown);
      if (after_list && html_starts_list(html)) return std::nullopt;
      // Paragraphs are closed (markdown_is_closed) when made here; a code or
      // HTML block, which could swallow what follows if not, is checked.
      if ((html.find("<pre") != std::string::npos || html.find("<!-- raw HTML omitted -->") != std::string::npos) &&
          !markdown_is_closed(piece.markdown)) {
        return std::nullopt;
      }
      after_list = html_ends_list(html);
      out += html;
      continue;
    }
    if (after_list) return std::nullopt;
    const int start = piece.items.front().second;
    if (start == 0) {
      out += "<ul>\n";
    } else if (start == 1) {
      out += "<ol>\n";
    } else {
      out += "<ol start=\"" + std::to_string(start) + "\">\n";
    }
    for (const auto& [p, n] : piece.items) {
      if (p->markdown.find("]:") != std::string::npos) return std::nullopt;
      const std::optional<std::string> item = run_item_html(*p, n);
      if (!item) return std::nullopt;
      out += "<li>";
      out += *item;
      out += "</li>\n";
    }
    out += start == 0 ? "</ul>\n" : "</ol>\n";
    after_list = true;
  }
  return out;
}

}  // namespace

std::string document_markdown(const Document& doc) {
  std::string out;
  for (const Piece& piece : layout(doc)) {
    if (!out.empty()) out += "\n\n";
    out += piece.markdown;
  }
  if (!out.empty()) out += '\n';
  return out;
}

std::string document_html(const Document& doc) {
  const std::vector<Piece> pieces = layout(doc);
  if (std::optional<std::string> html = joined_html(pieces)) return std::move(*html);
  std::string md;
  for (const Piece& piece : pieces) {
    if (!md.empty()) md += "\n\n";
    md += piece.markdown;
  }
  if (!md.empty()) md += '\n';
  return render_markdown(md);
}

std::string paragraph_html(const Paragraph& p) { return render_markdown(p.markdown); }

}  // namespace rapporteur
