#include <catch2/catch.hpp>

#include "rapporteur/duplicates.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

#include <string>
#include <vector>

using namespace rapporteur;

namespace {

// The code point decode_utf8 reads from the whole of `bytes`, or
// kInvalidCodePoint when it reads anything else.
char32_t decoded(const std::string& bytes) {
  const DecodedChar c = decode_utf8(bytes, 0);
  if (c.code_point == kInvalidCodePoint) {
    CHECK(c.length == 1);  // an invalid sequence is always skipped one byte at a time
    return kInvalidCodePoint;
  }
  CHECK(c.length == bytes.size());
  return c.code_point;
}

}  // namespace

TEST_CASE("decode_utf8: the boundaries of each length", "[text]") {
  CHECK(decoded(std::string(1, '\0')) == 0);
  CHECK(decoded("\x7F") == 0x7F);
  CHECK(decoded("\xC2\x80") == 0x80);
  CHECK(decoded("\xDF\xBF") == 0x7FF);
  CHECK(decoded("\xE0\xA0\x80") == 0x800);
  CHECK(decoded("\xED\x9F\xBF") == 0xD7FF);  // just below the surrogates
  CHECK(decoded("\xEE\x80\x80") == 0xE000);  // just above them
  CHECK(decoded("\xEF\xBF\xBF") == 0xFFFF);
  CHECK(decoded("\xF0\x90\x80\x80") == 0x10000);
  CHECK(decoded("\xF4\x8F\xBF\xBF") == 0x10FFFF);
  CHECK(decoded("\xC3\xA9") == 0xE9);  // é
}

TEST_CASE("decode_utf8 rejects overlongs, surrogates and code points above U+10FFFF", "[text]") {
  const std::vector<std::string> rejected = {
      // Overlong forms of '/', NUL, U+07FF and U+FFFF.
      "\xC0\xAF", "\xC1\xBF", "\xC0\x80", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xF0\x80\x80\xAF", "\xF0\x8F\xBF\xBF",
      // UTF-16 surrogates, high and low.
      "\xED\xA0\x80", "\xED\xAF\xBF", "\xED\xB0\x80", "\xED\xBF\xBF",
      // Above U+10FFFF, and lead bytes that could only start such sequences.
      "\xF4\x90\x80\x80", "\xF7\xBF\xBF\xBF", "\xF5\x80\x80\x80", "\xF8\x88\x80\x80\x80", "\xFC\x84\x80\x80\x80\x80",
      "\xFE", "\xFF",
      // Stray continuation bytes, truncated sequences, a bad continuation.
      "\x80", "\xBF", "\xC3", "\xE2\x82", "\xF0\x9F\x98", "\xC3\x28", "\xE2\x28\xA1", "\xF0\x9F\x28\x80"};
  for (const std::string& bytes : rejected) {
    INFO("first byte " << int(static_cast<unsigned char>(bytes[0])) << ", " << bytes.size() << " bytes");
    CHECK(decoded(bytes) == kInvalidCodePoint);
    CHECK_FALSE(valid_utf8(bytes));
    CHECK_FALSE(valid_utf8("text " + bytes + " text"));
  }
}

TEST_CASE("decode_utf8 reads from the position it is given", "[text]") {
  const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  std::vector<char32_t> points;
  for (size_t i = 0; i < s.size();) {
    const DecodedChar c = decode_utf8(s, i);
    points.push_back(c.code_point);
    i += c.length;
  }
  CHECK(points == std::vector<char32_t>{'a', 0xE9, 0x20AC, 0x1F600});
  // A sequence cut by the end of the text is invalid, not read beyond it.
  CHECK(decode_utf8(std::string_view(s).substr(0, 5), 3).code_point == kInvalidCodePoint);
}

TEST_CASE("every UTF-8 reader agrees on the rejected forms", "[text]") {
  static constexpr std::string_view kFffd = "\xEF\xBF\xBD";
  const std::string fffd2 = std::string(kFffd) + std::string(kFffd);
  // sanitize_utf8 replaces each byte of an invalid sequence.
  CHECK(sanitize_utf8("a\xC0\xAF" "b") == "a" + fffd2 + "b");                               // overlong '/'
  CHECK(sanitize_utf8("\xED\xB0\x80") == fffd2 + std::string(kFffd));                      // low surrogate
  CHECK(sanitize_utf8("\xF4\x90\x80\x80") == fffd2 + fffd2);                               // above U+10FFFF
  CHECK(sanitize_utf8("\xF4\x8F\xBF\xBF") == "\xF4\x8F\xBF\xBF");                          // U+10FFFF is kept
  // fold_text keeps invalid bytes as they are: an overlong 'A' is not folded
  // to 'a', nor an overlong 'é' to 'e'.
  CHECK(fold_text("\xC1\x81") == "\xC1\x81");
  CHECK(fold_text("\xE0\x83\xA9t\xC3\xA9") == "\xE0\x83\xA9te");
  CHECK(fold_text("\xED\xA0\x80X") == "\xED\xA0\x80x");
  // ... and the word splitter treats them as separators.
  CHECK(similarity_terms("caf\xC0\xA9s\xC1\x81lad") == std::vector<std::string>{"caf", "lad"});
}
