// The conclusions document (rapporteur/draft.h) as Markdown and as safe HTML.
// Pure functions of their arguments (the only shared state is the render
// cache of markdown.h); thread-safe. Sections, numbers and paragraph kinds
// come from the merge (rapporteur/draft_merge.h).
//
// ## document_markdown format
//
//   # <session title>                       (preamble)
//
//   <place>, <date>
//
//   ## Conclusions
//
//   <paragraphs and "- " list items, in order>
//
//   ## Recommendations
//
//   <lead-in paragraph, if any>
//
//   1. **R1** <text> *(Breakout: complementarity)*
//   2. **R2** <text> *(Breakout: sustainability)*
//
//   ## <other section>
//
// A section heading is written when the section changes (sections are
// contiguous in drafts made here); empty sections are not written. Numbered
// recommendations are ordered-list items numbered like their R number (so a
// list interrupted by an unnumbered block resumes at the right number). The
// attribution is "*(Breakout: <id>)*" for a paragraph with a known breakout,
// "*(Breakout: <id>; amendment <n>)*" or "*(Amendment <n>)*" for one made by
// an amendment, and nothing otherwise; it ends the item's last paragraph, or
// is a paragraph of its own when the item ends with another block. List
// items of other sections are "- " items; consecutive items form one list.
// Blocks are separated by a blank line; consecutive one-line items by a
// line break only.
#pragma once

#include <string>

#include "rapporteur/draft.h"

namespace rapporteur {

// The whole document as Markdown (format above).
std::string document_markdown(const Document& doc);

// Safe HTML of the whole document, always exactly
// render_markdown(document_markdown(doc)). Joined from the paragraphs' cached
// HTML (paragraph_html) when every block of the Markdown provably renders
// there as it does alone; rendered in full otherwise (link reference
// definitions, a list right after a list, indented blocks, list items that
// are not one paragraph, ...).
std::string document_html(const Document& doc);

// Safe, cached HTML of one paragraph's own Markdown (without number or
// attribution); see render_markdown.
std::string paragraph_html(const Paragraph& p);

}  // namespace rapporteur
