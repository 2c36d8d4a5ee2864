// inert_html and is_join_url: rendered Markdown makes no browser request on
// its own and offers no live link to a join page.
#include <catch2/catch.hpp>

#include "domain/markdown/inert_html.h"
#include "rapporteur/markdown.h"

using namespace rapporteur;

TEST_CASE("is_join_url reads a destination as the router will", "[markdown][inert]") {
  for (const char* url : {"/join/abc", "join/abc", "../join/abc", "./join/abc", "/JOIN/abc", "/%6Aoin/abc", "/j%6Fin/abc",
                          "..\\join\\abc", "https://host.example/join/abc", "HTTP://127.0.0.1:8080/join/abc",
                          "/jo&#105;n/abc", "/j&#x6f;in/abc", "//evil.example/join/x", "/jo\tin/abc", "/join"}) {
    INFO(url);
    CHECK(is_join_url(url));
  }
  for (const char* url : {"/joint/abc", "/s/kisumu", "https://example.org/joining", "/app/participant.html?join/x",
                          "/a#/join/x", "mailto:join@example.org", ""}) {
    INFO(url);
    CHECK_FALSE(is_join_url(url));
  }
}

TEST_CASE("images render as their alt text, never as <img>", "[markdown][inert]") {
  CHECK(render_markdown("![room](/join/abc)") == "<p><span class=\"image-alt\">room</span></p>\n");
  CHECK(render_markdown("![chart](https://example.org/c.png \"t\")") ==
        "<p><span class=\"image-alt\">chart</span> <span class=\"image-url\">(https://example.org/c.png)</span></p>\n");
  CHECK(render_markdown("![](https://example.org/c.png)") ==
        "<p><span class=\"image-url\">(https://example.org/c.png)</span></p>\n");
  CHECK(render_markdown("![](/x.png)") == "<p></p>\n");
  CHECK(render_markdown("![a *b*][r]\n\n[r]: /join/abc") == "<p><span class=\"image-alt\">a b</span></p>\n");
  // Inside a link, the link stays and the image is its text.
  CHECK(render_markdown("[![logo](https://example.org/l.png)](https://example.org)") ==
        "<p><a href=\"https://example.org\"><span class=\"image-alt\">logo</span> <span "
        "class=\"image-url\">(https://example.org/l.png)</span></a></p>\n");
  // Every block of a merge too (split_blocks carries its own HTML).
  for (const MarkdownBlock& b : split_blocks("Intro ![x](/join/a).\n\n- item ![y](/join/b)\n- two\n")) {
    for (const auto& r : b.rendered_items) {
      if (r) CHECK(r->html.find("<img") == std::string::npos);
    }
    if (b.rendered) CHECK(b.rendered->html.find("<img") == std::string::npos);
  }
}

TEST_CASE("links to a join page are their text, other links stay live", "[markdown][inert]") {
  CHECK(render_markdown("See [slides](/join/abc \"t\").") == "<p>See <span class=\"join-link\">slides</span>.</p>\n");
  CHECK(render_markdown("<https://host.example/join/abc>") ==
        "<p><span class=\"join-link\">https://host.example/join/abc</span></p>\n");
  CHECK(render_markdown("[a](/join/x) and [b](https://example.org)") ==
        "<p><span class=\"join-link\">a</span> and <a href=\"https://example.org\">b</a></p>\n");
  CHECK(render_markdown("[*a* `b`](/s/kisumu)") == "<p><a href=\"/s/kisumu\"><em>a</em> <code>b</code></a></p>\n");
}

TEST_CASE("inert_html leaves other HTML as it is", "[markdown][inert]") {
  const std::string plain = "<p>a &lt;img src=x&gt; b</p>\n";
  CHECK(inert_html(plain) == plain);
  CHECK(render_markdown("a <img src=x onerror=alert(1)> b").find("<img") == std::string::npos);
}
