#include "domain/markdown/inert_html.h"

#include <cstdlib>

namespace rapporteur {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The entities cmark writes in attributes (&amp; &quot; &lt; &gt; &#39;) and
// numeric ones, decoded; anything else is left as it is. Code points above
// ASCII cannot spell "join" and are dropped.
std::string html_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    if (name == "amp") {
      out += '&';
    } else if (name == "quot") {
      out += '"';
    } else if (name == "lt") {
      out += '<';
    } else if (name == "gt") {
      out += '>';
    } else if (!name.empty() && name[0] == '#') {
      const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      const long v = std::strtol(std::string(name.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10);
      if (v > 0 && v < 0x80) out += static_cast<char>(v);
    } else {
      out += s[i];
      continue;
    }
    i = semi;
  }
  return out;
}

// The URL as the server's router will see its path: percent-escapes decoded
// once, ASCII letters lower-cased, "\" as "/", tabs and newlines dropped
// (browsers drop them), cut at the query or fragment.
std::string normalised_path(std::string_view url) {
  const std::string raw = html_unescape(url);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%' && i + 2 < raw.size()) {
      const int hi = hex_value(raw[i + 1]), lo = hex_value(raw[i + 2]);
      if (hi >= 0 && lo >= 0) {
        c = static_cast<char>(hi * 16 + lo);
        i += 2;
      }
    }
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '?' || c == '#') break;
    if (c == '\\') c = '/';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out += c;
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_web_address(std::string_view url) {
  const std::string p = normalised_path(url);
  return starts_with(p, "http://") || starts_with(p, "https://");
}

// One attribute value of cmark's output: `html` at `at` must read
// `name="`; returns the value and moves `at` past its closing quote.
bool read_attribute(const std::string& html, size_t& at, std::string_view name, std::string_view& value) {
  if (html.compare(at, name.size(), name) != 0) return false;
  const size_t start = at + name.size();
  const size_t end = html.find('"', start);
  if (end == std::string::npos) return false;
  value = std::string_view(html).substr(start, end - start);
  at = end + 1;
  return true;
}

}  // namespace

bool is_join_url(std::string_view url) {
  const std::string p = normalised_path(url);
  size_t start = 0;
  for (;;) {
    const size_t slash = p.find('/', start);
    const std::string_view segment = std::string_view(p).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment == "join") return true;
    if (slash == std::string::npos) return false;
    start = slash + 1;
  }
}

std::string inert_html(std::string html) {
  if (html.find("<img ") == std::string::npos && html.find("<a ") == std::string::npos) return html;
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  bool in_join_link = false;
  while (i < html.size()) {
    const size_t lt = html.find('<', i);
    if (lt == std::string::npos) {
      out.append(html, i, std::string::npos);
      break;
    }
    out.append(html, i, lt - i);
    size_t at = lt;
    std::string_view src, alt, title, href;
    if (html.compare(at, 5, "<img ") == 0) {
      at += 5;
      if (read_attribute(html, at, "src=\"", src) && html.compare(at, 1, " ") == 0 && (++at, true) &&
          read_attribute(html, at, "alt=\"", alt)) {
        if (html.compare(at, 1, " ") == 0) {
          size_t t = at + 1;
          if (read_attribute(html, t, "title=\"", title)) at = t;
        }
        if (html.compare(at, 3, " />") == 0) {
          at += 3;
          if (!alt.empty()) out.append("<span class=\"image-alt\">").append(alt).append("</span>");
          if (is_web_address(src) && !is_join_url(src)) {
            out.append(alt.empty() ? "" : " ").append("<span class=\"image-url\">(").append(src).append(")</span>");
          }
          i = at;
          continue;
        }
      }
      // Not the shape cmark writes: dropped whole rather than left live.
      const size_t gt = html.find('>', lt);
      i = gt == std::string::npos ? html.size() : gt + 1;
      continue;
    } else if (html.compare(at, 3, "<a ") == 0) {
      at += 3;
      if (read_attribute(html, at, "href=\"", href)) {
        if (html.compare(at, 1, " ") == 0) {
          size_t t = at + 1;
          if (read_attribute(html, t, "title=\"", title)) at = t;
        }
        if (html.compare(at, 1, ">") == 0 && is_join_url(href)) {
          out.append("<span class=\"join-link\">");
          in_join_link = true;
          i = at + 1;
          continue;
        }
      }
    } else if (in_join_link && html.compare(at, 4, "</a>") == 0) {
      out.append("</span>");
      in_join_link = false;
      i = at + 4;
      continue;
    }
    // Not one of cmark's images or join links: copied as it is.
    out += '<';
    i = lt + 1;
  }
  return out;
}

}  // namespace rapporteur
