#include "domain/document/paragraph_rendering.h"

#include <cstdint>
#include <cstring>

namespace rapporteur {

const std::string* carried_html(const Paragraph& p) {
  return p.rendered != nullptr && p.rendered->markdown == p.markdown ? &p.rendered->html : nullptr;
}

const std::string& html_of(const Paragraph& p, SharedHtml& hold) {
  if (const std::string* html = carried_html(p)) return *html;
  hold = render_markdown_shared(p.markdown);
  return *hold;
}

bool has_control(std::string_view s) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, sizeof w);
    const uint64_t below = (w - kOnes * 0x20) & ~w & kHigh;  // a byte < 0x20 (exact for ASCII bytes)
    const uint64_t x = w ^ (kOnes * 0x7F);
    const uint64_t del = (x - kOnes) & ~x & kHigh;  // a byte == 0x7F
    if ((below | del) == 0) continue;
    for (size_t k = i; k < i + 8; ++k) {
      const auto c = static_cast<unsigned char>(s[k]);
      if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    }
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
  }
  return false;
}

bool plain_paragraphs(std::string_view md) {
  if (md.empty() || md.find("]:") != std::string_view::npos) return false;
  if (has_control(md)) return false;
  // The first character of every line that is not empty.
  for (size_t start = 0; start < md.size();) {
    const auto c = static_cast<unsigned char>(md[start]);
    if (c != '\n') {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!letter && (c < 0x80 || md.substr(start, 3) == "\xEF\xBB\xBF")) return false;
    }
    const size_t end = md.find('\n', start);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}

}  // namespace rapporteur
