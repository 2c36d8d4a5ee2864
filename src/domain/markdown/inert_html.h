// What HTML rendered from what people write may make a browser do: nothing
// on its own. Markdown comes from rapporteurs and participants and is shown to
// everyone, on pages that carry each viewer's login cookie, so the rendering
// must never make a browser request anything by itself (an image of
// `/join/<someone's token>` would log every viewer in as that person), and it
// must not offer a live link to a join page (one click and the viewer is
// someone else).
//
// Works on cmark's own HTML output (safe mode: raw HTML is already replaced
// by a comment, text and attributes are escaped, attribute values never hold
// a '"'), so every "<img " and "<a " in it is an element cmark wrote.
#pragma once

#include <string>
#include <string_view>

namespace rapporteur {

// Whether a link destination leads to a join page: a path with a segment
// "join" (after HTML entities and percent-escapes are decoded, letters
// lower-cased and "\" read as "/", as browsers and the server read it),
// relative or absolute, on any host.
bool is_join_url(std::string_view url);

// `html` with every image replaced by its alt text (and, for an http(s)
// address other than a join page, the address as plain text), and every link
// to a join page replaced by its text. Returns `html` unchanged (no copy of
// its content is made by the caller's move) when it has neither.
std::string inert_html(std::string html);

}  // namespace rapporteur
