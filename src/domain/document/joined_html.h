// document_html's fast path: the document's HTML joined from its paragraphs'
// own HTML, when that provably equals rendering the whole document's
// Markdown. Not part of the public contract.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "domain/document/document_layout.h"

namespace rapporteur {

// document_html without a full render, or nullopt when a piece might render
// differently inside the document than alone: a link reference definition
// anywhere (it applies to every block), an indented piece (it could continue
// the block before), a list right after a list (they could merge), a run
// whose items are not single paragraphs.
std::optional<std::string> joined_html(const std::vector<Piece>& pieces, size_t markdown_bytes);

}  // namespace rapporteur
