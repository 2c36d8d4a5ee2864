#include <catch2/catch.hpp>

#include <regex>
#include <thread>

#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

using namespace rapporteur;

namespace {

// Every href/src attribute value of `html` (the test may use a regex; the
// code under test does not).
std::vector<std::string> urls_in(const std::string& html) {
  std::vector<std::string> out;
  static const std::regex attr(R"re((?:href|src)="([^"]*)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), attr); it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

bool url_is_safe(const std::string& url) {
  if (url.empty() || url[0] == '/' || url[0] == '#') return true;
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 || url.rfind("mailto:", 0) == 0 ||
         url.rfind("tel:", 0) == 0 || url.find(':') == std::string::npos;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST_CASE("render_markdown renders CommonMark", "[markdown]") {
  CHECK(render_markdown("Some **bold** and *emphasis*.") ==
        "<p>Some <strong>bold</strong> and <em>emphasis</em>.</p>\n");
  CHECK(render_markdown("- a\n- b\n") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
  CHECK(render_markdown("[site](https://example.org/a?b=1&c=2)") ==
        "<p><a href=\"https://example.org/a?b=1&amp;c=2\">site</a></p>\n");
  CHECK(render_markdown("") == "");
}

TEST_CASE("render_markdown: raw HTML never passes", "[markdown]") {
  const std::vector<std::string> hostile = {
      "<script>alert(1)</script>",
      "text <script>alert(1)</script> text",
      "<img src=x onerror=alert(1)>",
      "a <img src=x onerror=alert(1)> b",
      "<iframe src=\"https://evil.example\"></iframe>",
      "<div onclick=\"alert(1)\">click</div>",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<svg><script>alert(1)</script></svg>",
      "<style>body{display:none}</style>",
      "- item <span onmouseover=alert(1)>x</span>",
      "> <object data=\"x\"></object>",
  };
  for (const std::string& md : hostile) {
    INFO(md);
    const std::string html = lower(render_markdown(md));
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("<iframe") == std::string::npos);
    CHECK(html.find("<div") == std::string::npos);
    CHECK(html.find("<svg") == std::string::npos);
    CHECK(html.find("<style") == std::string::npos);
    CHECK(html.find("<span") == std::string::npos);
    CHECK(html.find("<object") == std::string::npos);
    CHECK(html.find("onerror") == std::string::npos);
    CHECK(html.find("onclick") == std::string::npos);
    CHECK(html.find("onmouseover") == std::string::npos);
    CHECK(html.find("javascript:") == std::string::npos);
  }
  CHECK(render_markdown("<b>x</b>") == "<p><!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>\n");
}

TEST_CASE("render_markdown: dangerous URLs are emptied", "[markdown]") {
  const std::vector<std::string> hostile = {
      "[x](javascript:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x]( javascript:alert(1) )",
      "[x](<javascript:alert(1)>)",
      "<javascript:alert(1)>",
      "[x](&#106;avascript:alert(1))",
      "[x](java&#9;script:alert(1))",
      "[x](java&#10;script:alert(1))",
      "[x](vbscript:msgbox(1))",
      "[x](file:///etc/passwd)",
      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "![x](data:image/png;base64,iVBORw0KGgo=)",
      "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
      "[x](DATA:image/gif;base64,R0lGODlh)",
      "<data:image/png;base64,iVBORw0KGgo=>",
      "[x][r]\n\n[r]: javascript:alert(1)",
      "![x][r]\n\n[r]: data:image/png;base64,iVBORw0KGgo=",
      "[![img](data:image/png;base64,AAAA)](javascript:alert(1))",
      // The colon written as an entity (the tree is only walked when the text
      // holds "[" or "<", and ":" or "&").
      "[x](javascript&#58;alert(1))",
      "[x](javascript&colon;alert(1))",
      "[x](javascript&#x3a;alert(1))",
  };
  for (const std::string& md : hostile) {
    INFO(md);
    // As a merge sees it: split into blocks, whose HTML split_blocks caches.
    clear_markdown_cache();
    for (const MarkdownBlock& b : split_blocks(md)) {
      for (const std::string& url : urls_in(render_markdown(b.markdown))) CHECK(url_is_safe(url));
    }
    const std::string html = render_markdown(md);
    const std::vector<std::string> urls = urls_in(html);
    // An image alone leaves no URL at all (images render as their alt text).
    CHECK((md[0] == '!' || !urls.empty()));
    for (const std::string& url : urls) {
      INFO(url);
      CHECK(url_is_safe(url));
      CHECK(lower(url).find("script") == std::string::npos);
      CHECK(lower(url).find("data") == std::string::npos);
    }
  }
}

TEST_CASE("render_markdown: safe URLs are kept", "[markdown]") {
  CHECK(urls_in(render_markdown("[a](https://example.org/x)")) == std::vector<std::string>{"https://example.org/x"});
  CHECK(urls_in(render_markdown("[a](http://example.org)")) == std::vector<std::string>{"http://example.org"});
  CHECK(urls_in(render_markdown("[a](mailto:secretariat@example.org)")) ==
        std::vector<std::string>{"mailto:secretariat@example.org"});
  CHECK(urls_in(render_markdown("[a](/sessions/kisumu)")) == std::vector<std::string>{"/sessions/kisumu"});
  CHECK(urls_in(render_markdown("[a](#r3)")) == std::vector<std::string>{"#r3"});
  CHECK(urls_in(render_markdown("[a](notes/page.html)")) == std::vector<std::string>{"notes/page.html"});
  // An image is its alt text and, for a web address, that address as text:
  // a page never fetches what a text names.
  CHECK(urls_in(render_markdown("![chart](https://example.org/c.png)")).empty());
}

TEST_CASE("render_markdown: attribute tricks stay inside their attribute", "[markdown]") {
  const std::vector<std::string> tricks = {
      "[x](https://example.org \"t\\\" onmouseover=\\\"alert(1)\")",
      "[x](https://example.org/\"onmouseover=\"alert(1))",
      "![a\" onerror=\"alert(1)](https://example.org/i.png)",
      "![a](https://example.org/i.png 'x\\' onerror=alert(1) ')",
      "[x](<https://example.org/a b\"onclick=alert(1)>)",
      "<https://example.org/\"onmouseover=\"alert(1)>",
      "`<script>alert(1)</script>`",
      "```\n<script>alert(1)</script>\n```",
  };
  for (const std::string& md : tricks) {
    INFO(md);
    const std::string html = render_markdown(md);
    INFO(html);
    // Attribute values are double-quoted and a double quote inside one is
    // always escaped, so no new attribute can start.
    CHECK(html.find("\" on") == std::string::npos);
    CHECK(html.find("\"on") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
  }
}

TEST_CASE("render_markdown: invalid UTF-8 and NUL become U+FFFD", "[markdown]") {
  const std::string html = render_markdown(std::string("a\xC3\x28 b\xFF c\0d", 11));
  CHECK(valid_utf8(html));
  CHECK(html.find('\0') == std::string::npos);
  CHECK(html.find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(sanitize_utf8("\xEF\xBB\xBFok") == "ok");
  CHECK(sanitize_utf8(std::string("x\0y", 3)) == "x\xEF\xBF\xBDy");
  CHECK(sanitize_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(sanitize_utf8("é—ok") == "é—ok");
}

TEST_CASE("render_markdown: pathological inline input still renders (CVE-2023-22486)", "[markdown]") {
  std::string md;
  while (md.size() < 64 * 1024) md += "![[]()";
  const std::string html = render_markdown(md);
  CHECK(html.rfind("<p>", 0) == 0);
  CHECK(valid_utf8(html));
  std::string nested;
  while (nested.size() < 64 * 1024) nested += "[a](";
  CHECK_FALSE(render_markdown(nested).empty());
  CHECK_FALSE(render_markdown(std::string(64 * 1024, '>')).empty());
  CHECK(split_blocks(md).size() == 1);
}

TEST_CASE("render_markdown caches by content", "[markdown]") {
  clear_markdown_cache();
  const std::string md = "Cached *text* " + std::to_string(reinterpret_cast<uintptr_t>(&md));
  const std::string first = render_markdown(md);
  MarkdownCacheStats s = markdown_cache_stats();
  CHECK(s.misses == 1);
  CHECK(s.hits == 0);
  CHECK(s.entries == 1);
  CHECK(render_markdown(md) == first);
  s = markdown_cache_stats();
  CHECK(s.hits == 1);
  CHECK(s.bytes > 0);

  // Bounded: many distinct texts never grow it past its limits.
  for (size_t i = 0; i < kMarkdownCacheEntries + 100; ++i) render_markdown("text " + std::to_string(i));
  s = markdown_cache_stats();
  CHECK(s.entries == kMarkdownCacheEntries);
  CHECK(s.bytes <= kMarkdownCacheBytes);

  // Too big to keep: rendered every time, never cached.
  const std::string big(kMarkdownCacheBytes / 4, 'x');
  CHECK(render_markdown(big).size() > big.size());
  CHECK(markdown_cache_stats().entries == kMarkdownCacheEntries);
  clear_markdown_cache();
  CHECK(markdown_cache_stats().entries == 0);
}

TEST_CASE("render_markdown: the cache evicts the least recently used texts", "[markdown]") {
  clear_markdown_cache();
  const size_t n = kMarkdownCacheEntries;
  render_markdown("kept");
  for (size_t i = 0; i < n / 2; ++i) render_markdown("early " + std::to_string(i));
  render_markdown("kept");  // used again: moved ahead of the early texts
  for (size_t i = 0; i < n / 2 + n / 4; ++i) render_markdown("late " + std::to_string(i));
  const MarkdownCacheStats before = markdown_cache_stats();
  CHECK(before.entries == n);
  render_markdown("kept");
  CHECK(markdown_cache_stats().hits == before.hits + 1);
  render_markdown("early 0");
  CHECK(markdown_cache_stats().misses == before.misses + 1);
  clear_markdown_cache();
}

TEST_CASE("render_markdown is safe to call from several threads", "[markdown]") {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ok] {
      for (int i = 0; i < 300; ++i) {
        const std::string md = "Thread text **" + std::to_string(i % 50) + "**";
        if (render_markdown(md) == "<p>Thread text <strong>" + std::to_string(i % 50) + "</strong></p>\n") ++ok[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int n : ok) CHECK(n == 300);
}

TEST_CASE("split_blocks: kinds, headings and lists", "[markdown]") {
  const std::vector<MarkdownBlock> blocks = split_blocks(
      "# Title *with* `code`\n\nA paragraph\nover two lines.\n\n- one\n- two\n  - nested\n\n1. first\n\n"
      "> quote\n\n---\n\n```sh\nls\n```\n\n<div>\nhtml\n</div>\n\nSetext\n======\n");
  REQUIRE(blocks.size() == 9);
  CHECK(blocks[0].kind == "heading");
  CHECK(blocks[0].level == 1);
  CHECK(blocks[0].text == "Title with code");
  CHECK(blocks[0].markdown == "# Title *with* `code`");
  CHECK(blocks[1].kind == "paragraph");
  CHECK(blocks[1].markdown == "A paragraph\nover two lines.");
  CHECK(blocks[2].kind == "list");
  CHECK_FALSE(blocks[2].ordered);
  CHECK(blocks[2].items == std::vector<std::string>{"one", "two\n- nested"});
  CHECK(blocks[3].kind == "list");
  CHECK(blocks[3].ordered);
  CHECK(blocks[3].items == std::vector<std::string>{"first"});
  CHECK(blocks[4].kind == "quote");
  CHECK(blocks[4].markdown == "> quote");
  CHECK(blocks[5].kind == "rule");
  CHECK(blocks[6].kind == "code");
  CHECK(blocks[6].markdown == "```sh\nls\n```");
  CHECK(blocks[7].kind == "html");
  CHECK(blocks[8].kind == "heading");
  CHECK(blocks[8].level == 1);
  CHECK(blocks[8].text == "Setext");
  CHECK(blocks[8].markdown == "Setext\n======");
}

TEST_CASE("split_blocks: every block renders alone as it did in the whole text", "[markdown]") {
  const std::string md =
      "Intro with a [reference link][ref] and a [second] one.\n\n"
      "   Indented paragraph\n   continued.\n\n"
      "    indented code\n    block\n\n"
      "  ```\n  fenced, indented\n   more\n  ```\n\n"
      "- item with [ref] link\n- loose item\n\n  second paragraph of the item\n\n"
      "*\ttab item\n\tcontinued\n\n"
      "1.  ```\n    code in an item\n    ```\n\n"
      "[ref]: https://example.org/ref \"Title\"\n[second]: https://example.org/2\n";
  const std::vector<MarkdownBlock> blocks = split_blocks(md);
  REQUIRE(blocks.size() == 7);
  std::string joined;
  for (const MarkdownBlock& b : blocks) {
    if (b.kind == "list") {
      for (const std::string& item : b.items) {
        INFO(item);
        CHECK(markdown_is_closed(item));
      }
      continue;
    }
    INFO(b.markdown);
    CHECK(markdown_is_closed(b.markdown));
    joined += render_markdown(b.markdown);
  }
  // Links that needed the reference definitions carry their destination.
  CHECK(blocks[0].markdown.find("https://example.org/ref") != std::string::npos);
  CHECK(render_markdown(blocks[0].markdown).find("href=\"https://example.org/2\"") != std::string::npos);
  CHECK(blocks[1].markdown == "Indented paragraph\ncontinued.");
  CHECK(blocks[2].kind == "code");
  CHECK(blocks[2].markdown == "```\nindented code\nblock\n```");
  CHECK(blocks[3].markdown == "```\nfenced, indented\n more\n```");
  CHECK(blocks[4].items[0].find("https://example.org/ref") != std::string::npos);
  CHECK(blocks[4].items[1] == "loose item\n\nsecond paragraph of the item");
  CHECK(blocks[5].items == std::vector<std::string>{"tab item\ncontinued"});
  CHECK(render_markdown(blocks[6].items[0]) == "<pre><code>code in an item\n</code></pre>\n");
}

TEST_CASE("split_blocks: blocks left open are closed", "[markdown]") {
  std::vector<MarkdownBlock> b = split_blocks("Text.\n\n```python\nprint(1)\n");
  REQUIRE(b.size() == 2);
  CHECK(b[1].markdown == "```python\nprint(1)\n```");
  CHECK(markdown_is_closed(b[1].markdown));

  b = split_blocks("Text.\n\n<!-- a comment\nthat never ends\n");
  REQUIRE(b.size() == 2);
  CHECK(b[1].kind == "html");
  CHECK(markdown_is_closed(b[1].markdown));

  b = split_blocks("<script>\nalert(1)\n");
  REQUIRE(b.size() == 1);
  CHECK(markdown_is_closed(b[0].markdown));
  CHECK(render_markdown(b[0].markdown).find("<script") == std::string::npos);

  // An item's content is closed too, whether its open block comes first or last.
  b = split_blocks("- Share data:\n\n  ```json\n  {\"a\": 1}\n  ``x\n- ```\n  only code\n");
  REQUIRE(b.size() == 1);
  REQUIRE(b[0].items.size() == 2);
  CHECK(b[0].items[0] == "Share data:\n\n```json\n{\"a\": 1}\n``x\n```");
  CHECK(b[0].items[1] == "```\nonly code\n```");
  for (const std::string& item : b[0].items) CHECK(markdown_is_closed(item));

  CHECK_FALSE(markdown_is_closed("```\nopen"));
  CHECK_FALSE(markdown_is_closed("<!-- open"));
  CHECK_FALSE(markdown_is_closed("<pre>\nopen"));
  CHECK(markdown_is_closed("```\nclosed\n```"));
  CHECK(markdown_is_closed("- a\n- b"));
  CHECK(markdown_is_closed("> quote"));
  CHECK(markdown_is_closed(""));
}

TEST_CASE("split_blocks: a pipe table is the text of a paragraph", "[markdown]") {
  const std::string table = "| Source | Share |\n|--------|------:|\n| Projects | 60 % |";
  const std::vector<MarkdownBlock> b = split_blocks("Before.\n\n" + table + "\n\nAfter.\n");
  REQUIRE(b.size() == 3);
  CHECK(b[1].kind == "paragraph");
  CHECK(b[1].markdown == table);
}

TEST_CASE("split_blocks: CRLF and CR line endings", "[markdown]") {
  const std::vector<MarkdownBlock> b = split_blocks("# T\r\n\r\nLine one\r\nline two\r\n\r\n- a\r- b\r");
  REQUIRE(b.size() == 3);
  CHECK(b[1].markdown == "Line one\nline two");
  CHECK(b[2].items == std::vector<std::string>{"a", "b"});
}

TEST_CASE("split_blocks: the HTML it carries for a block is what rendering it gives", "[markdown]") {
  // split_blocks gives each block the HTML taken from the whole text when it
  // can prove that the block renders alone the same way (MarkdownBlock::
  // rendered, rendered_items). These texts sit at the edges of that proof; a
  // fresh render must agree.
  const std::vector<std::string> texts = {
      "Para one\ncontinued\n\n# Heading\n\n***\n\nSetext\n===\nnext line\n",
      "- item\ncontinued lazily\n- two\n  indented continuation\n",
      "- back\\\n   lazy after a hard break\n",
      "- text\n==\n",
      "- text\n  ==\n",
      "-   three spaces\nlazy\n    more\n",
      "-\n   late start\n      - x\n",
      "- a\n\t- b\n",
      "*\ttab item\n\tcontinued\n",
      "- [x] and [y]\n\n[x]: /u\n",
      "Para with [ref]\n\n[ref]: /u \"t\"\n",
      "\xEF\xBB\xBF" "BOM first\n\nnext \xEF\xBB\xBF" "x\n- \xEF\xBB\xBF" "item\n",
      "1. one\n2. two\nlazy\n\n   para in item\n",
      "> quote\nlazy\n\n- a\n  > b\n",
      "   indented para\n      more\n  - x\n",
      "- a  \n  b\n",
      "a\r\nb\r\n\r\n- c\rd\r",
  };
  size_t carried = 0;
  for (const std::string& text : texts) {
    clear_markdown_cache();
    const std::vector<MarkdownBlock> blocks = split_blocks(text);
    // Each Markdown with the HTML split_blocks carried for it (or null).
    std::vector<std::pair<std::string, SharedRendering>> mds;
    for (const MarkdownBlock& b : blocks) {
      REQUIRE(b.rendered_items.size() == b.items.size());
      if (b.kind == "list") CHECK(b.rendered == nullptr);
      if (!b.markdown.empty()) mds.emplace_back(b.markdown, b.rendered);
      for (size_t i = 0; i < b.items.size(); ++i) mds.emplace_back(b.items[i], b.rendered_items[i]);
    }
    // Renderings cached while splitting (the slow paths go through the cache).
    std::vector<std::string> cached;
    for (const auto& [md, r] : mds) cached.push_back(render_markdown(md));
    clear_markdown_cache();
    for (size_t i = 0; i < mds.size(); ++i) {
      const auto& [md, r] = mds[i];
      INFO("text:\n" << text << "\nblock:\n" << md);
      const std::string fresh = render_markdown(md);
      CHECK(fresh == cached[i]);
      CHECK(markdown_is_closed(md));
      if (r != nullptr) {
        ++carried;
        CHECK(r->markdown == md);
        CHECK(r->html == fresh);
      }
    }
  }
  CHECK(carried >= texts.size());  // the fast paths ran
}

TEST_CASE("valid_utf8: every kind of bad sequence, at every offset", "[markdown]") {
  // valid_utf8 skips ASCII eight bytes at a time: what follows the ASCII must
  // be checked wherever it starts.
  const std::vector<std::string> good = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xEF\xBF\xBD"};
  const std::vector<std::string> bad = {"\x80",         "\xC3",          "\xC0\x80",     "\xE2\x82",
                                        "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF",      "\xE0\x80\x80",
                                        "\xF0\x80\x80\x80"};
  for (size_t prefix = 0; prefix <= 17; ++prefix) {
    for (size_t suffix : {size_t{0}, size_t{3}, size_t{9}}) {
      const std::string before(prefix, 'a'), after(suffix, 'z');
      CHECK(valid_utf8(before + after));
      for (const std::string& g : good) {
        INFO("prefix " << prefix << ", suffix " << suffix);
        CHECK(valid_utf8(before + g + after));
      }
      for (const std::string& b : bad) {
        INFO("prefix " << prefix << ", suffix " << suffix << ", byte " << int(static_cast<unsigned char>(b[0])));
        CHECK_FALSE(valid_utf8(before + b + after));
      }
    }
  }
}
