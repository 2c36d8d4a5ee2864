#include "domain/document/document_layout.h"

#include "domain/drafting/draft_text.h"

namespace rapporteur {
namespace {

using draft_text::escape_inline;
using draft_text::kConclusions;
using draft_text::kPreamble;
using draft_text::kRecommendations;

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

std::string section_title(const std::string& section) {
  if (section == kConclusions) return "Conclusions";
  if (section == kRecommendations) return "Recommendations";
  return section;
}

}  // namespace

std::string attribution(const Source& src) {
  const std::string breakout = escape_inline(src.breakout);
  if (src.kind == SourceKind::amendment) {
    const std::string n = std::to_string(src.amendment);
    return breakout.empty() ? "*(Amendment " + n + ")*" : "*(Breakout: " + breakout + "; amendment " + n + ")*";
  }
  return breakout.empty() ? std::string() : "*(Breakout: " + breakout + ")*";
}

std::vector<Piece> layout(const Document& doc) {
  std::vector<Piece> pieces;
  const std::string* section = nullptr;
  enum class Run { none, bullet, numbered };
  Run run = Run::none;
  Piece items;
  items.kind = Piece::Kind::run;
  auto flush_run = [&] {
    if (items.items.empty()) return;
    pieces.push_back(std::move(items));
    items = Piece{};
    items.kind = Piece::Kind::run;
  };
  auto add = [&](Piece::Kind kind, std::string heading, const Paragraph* p) {
    Piece piece;
    piece.kind = kind;
    piece.heading = std::move(heading);
    piece.paragraph = p;
    pieces.push_back(std::move(piece));
  };

  int count = 0;
  for (const Paragraph& p : doc.paragraphs) {
    if (section == nullptr || *section != p.section) {
      flush_run();
      run = Run::none;
      section = &p.section;
      if (p.section != kPreamble) add(Piece::Kind::heading, "## " + escape_inline(section_title(p.section)), nullptr);
    }
    Run kind = Run::none;
    if (!p.number.empty()) {
      kind = Run::numbered;
    } else if (p.kind == ParagraphKind::list_item) {
      kind = Run::bullet;
    }
    if (kind != run) {
      const bool after_list = run != Run::none;
      flush_run();
      // Like cmark's own CommonMark writer: an indented block right after a
      // list would otherwise continue its last item.
      if (after_list && kind == Run::none && starts_indented(p.markdown)) add(Piece::Kind::end_list, {}, nullptr);
      run = kind;
    }
    if (kind == Run::numbered) {
      ++count;
      const int value = number_value(p.number);
      items.items.emplace_back(&p, value > 0 ? value : count);
    } else if (kind == Run::bullet) {
      items.items.emplace_back(&p, 0);
    } else if (!p.markdown.empty()) {
      add(Piece::Kind::paragraph, {}, &p);
    }
  }
  flush_run();
  return pieces;
}

bool starts_indented(std::string_view md) { return !md.empty() && (md[0] == ' ' || md[0] == '\t'); }

std::string section_title(const std::string& section) {
  if (section == kConclusions) return "Conclusions";
  if (section == kRecommendations) return "Recommendations";
  return section;
}

size_t markdown_bytes(const Document& doc) {
  size_t n = 0;
  for (const Paragraph& p : doc.paragraphs) n += p.markdown.size() + 32;
  return n;
}

}  // namespace rapporteur
