// What a paragraph's Markdown renders to, and what its text shows about that
// without parsing it; shared by the document's Markdown (document_output.cpp)
// and its joined HTML (joined_html.cpp). Not part of the public contract.
#pragma once

#include <string>
#include <string_view>

#include "rapporteur/draft.h"
#include "rapporteur/markdown.h"

namespace rapporteur {

// The HTML `p` carries, when it is of its Markdown as it is now, else null.
const std::string* carried_html(const Paragraph& p);

// The HTML of `p`'s Markdown: the one it carries, else the render cache's
// (held in `hold`).
const std::string& html_of(const Paragraph& p, SharedHtml& hold);

// Whether `s` holds a control character other than "\n" (below 0x20, or
// 0x7F). Eight bytes at a time: a word with no byte below 0x20 and none equal
// to 0x7F is skipped whole; the others (lines end in one) byte by byte.
bool has_control(std::string_view s);

// Whether `md` is one or more paragraphs and nothing else, as its lines
// show without parsing: each line is empty or starts with an ASCII letter or
// a non-ASCII character (not a BOM), which can only start or continue a
// paragraph; no control characters (tabs, CR) that change the columns, and
// no "]:" (a link reference definition). Its rendering then starts with
// "<p>" and ends with "</p>\n", holds no list, code or HTML block, and it is
// closed (markdown_is_closed).
bool plain_paragraphs(std::string_view md);

}  // namespace rapporteur
