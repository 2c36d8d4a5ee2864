// The document's layout (document_markdown's format, rapporteur/document_output.h)
// as a list of pieces: section headings, paragraphs and runs of list items,
// with each numbered item's attribution. The Markdown writer
// (document_output.cpp) and the joined HTML (joined_html.cpp) both walk it.
// Not part of the public contract.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rapporteur/draft.h"

namespace rapporteur {

// A numbered item's attribution: "*(Breakout: <id>)*", "*(Breakout: <id>;
// amendment <n>)*", "*(Amendment <n>)*", or "" (no known breakout).
std::string attribution(const Source& src);

// attribution(), remembered for the last source asked: the items of a run
// mostly come from one fragment after another.
class Attributions {
 public:
  const std::string& of(const Source& src) {
    if (!known_ || src.kind != kind_ || src.breakout != breakout_ || src.amendment != amendment_) {
      known_ = true;
      kind_ = src.kind;
      breakout_ = src.breakout;
      amendment_ = src.amendment;
      attr_ = attribution(src);
    }
    return attr_;
  }

 private:
  bool known_ = false;
  SourceKind kind_ = SourceKind::fragment;
  std::string breakout_;
  int64_t amendment_ = 0;
  std::string attr_;
};

// One block of the document's Markdown; document_markdown joins them with
// blank lines. Only section headings are held as text: the other pieces
// point at their paragraphs, so document_html need not build their Markdown.
struct Piece {
  enum class Kind { heading, paragraph, end_list, run };
  Kind kind = Kind::paragraph;
  std::string heading;                   // Kind::heading: "## <title>"
  const Paragraph* paragraph = nullptr;  // Kind::paragraph
  // Kind::run, a run of list items: each item's paragraph and number (0 for
  // "- " items).
  std::vector<std::pair<const Paragraph*, int>> items;
};

// The pieces of `doc`, in order; they point into `doc`.
std::vector<Piece> layout(const Document& doc);

// Whether `md` starts with a space or a tab (an indented block could continue
// the block before it).
bool starts_indented(std::string_view md);

// About the size of `doc`'s Markdown, for reserving.
size_t markdown_bytes(const Document& doc);

}  // namespace rapporteur
