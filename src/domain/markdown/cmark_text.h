// The text of a cmark inline container as a reader hears it: text and code
// literals, soft and hard line breaks as single spaces, markup dropped (an
// image's alt text, a heading's words).
#pragma once

#include <cmark.h>

#include <string>

namespace rapporteur {

std::string inline_text(cmark_node* node);

}  // namespace rapporteur
