// Which link and image destinations rendered Markdown may keep (the URL
// policy of rapporteur/markdown.h): no scheme, or http, https, mailto or tel.
// Not part of the public contract.
#pragma once

#include <cmark.h>

#include <string_view>

namespace rapporteur {

// Whether a browser reading `url` would find an allowed scheme, or none. It
// ignores ASCII tabs and newlines inside the scheme, and so does this.
bool url_allowed(std::string_view url);

// Empties every link and image destination under `root` whose scheme is not
// allowed. `text` is the parsed text: a link or image needs a "[" or "<" in
// it, and a destination with a scheme a ":" (possibly written as an entity,
// "&..."), so without either the tree is not walked.
void neutralise_urls(cmark_node* root, std::string_view text);

}  // namespace rapporteur
