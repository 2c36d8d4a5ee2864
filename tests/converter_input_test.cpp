// converter_input: what pandoc and chromium are given has no image and no
// raw HTML, whatever Markdown people wrote.
#include <catch2/catch.hpp>
#include <cmark.h>

#include "domain/export/converter_input.h"

using namespace rapporteur;

namespace {

// Whether `md`, read as CommonMark next to a definition of every label used
// below, holds an image (cmark's own tree: how an image is rendered may
// change, what is one does not).
bool has_image(const std::string& md) {
  const std::string text = md + "\n\n[r]: /dev/zero\n[y]: /dev/zero\n";
  cmark_node* doc = cmark_parse_document(text.data(), text.size(), CMARK_OPT_DEFAULT);
  cmark_iter* it = cmark_iter_new(doc);
  bool found = false;
  while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
    if (cmark_node_get_type(cmark_iter_get_node(it)) == CMARK_NODE_IMAGE) found = true;
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  return found;
}

}  // namespace

TEST_CASE("markdown_without_images: images become their description", "[export][convert]") {
  const std::string out = markdown_without_images("Before ![a **bold** `alt`](/dev/zero \"t\") after.\n");
  CHECK(out.find("/dev/zero") == std::string::npos);
  CHECK(out.find("a bold alt") != std::string::npos);
  CHECK(out.find("Before") != std::string::npos);
  CHECK_FALSE(has_image(out));
  // Reference images, images in links, images in images.
  for (const std::string md :
       {"![a][r]\n\n[r]: http://127.0.0.1:9/x\n", "[![in link](/dev/zero)](https://example.org)\n",
        "![outer ![inner](/a) text](/b)\n", "- item ![x](http://192.0.2.1/x.png)\n"}) {
    INFO(md);
    const std::string o = markdown_without_images(md);
    INFO(o);
    CHECK_FALSE(has_image(o));
    CHECK(o.find("/dev/zero") == std::string::npos);
  }
  CHECK(markdown_without_images("[link](https://example.org)\n").find("(https://example.org)") != std::string::npos);
}

TEST_CASE("markdown_without_images: raw HTML goes, text that looks like an image stays text", "[export][convert]") {
  const std::string out = markdown_without_images("A <img src=\"/dev/zero\"> B\n\n<div><img src=x></div>\n");
  CHECK(out.find("<img") == std::string::npos);
  CHECK(out.find("/dev/zero") == std::string::npos);
  CHECK(out.find("A") != std::string::npos);
  // Escaped in the input: plain text, escaped again in the output, so it
  // never turns into an image beside a definition of its label.
  for (const std::string md : {"\\![a][r]\n", "`![y]` and ! [y]\n", "\\!\\[y\\](/dev/zero)\n"}) {
    INFO(md);
    CHECK_FALSE(has_image(markdown_without_images(md)));
  }
}

TEST_CASE("converter_input keeps the hash and strips every user text", "[export][convert]") {
  ExportDocument d;
  d.markdown = "## Recommendations\n\n![x](/dev/zero)\n";
  d.sha256 = "abc";
  Paragraph p;
  p.pid = "p1";
  p.markdown = "![y](http://127.0.0.1:9/y)\n";
  d.paragraphs.push_back(p);
  ExportAmendment a;
  a.original = "![o](/etc/hostname)";
  a.text = "![t](/dev/zero)";
  d.amendments.push_back(a);
  const ExportDocument c = converter_input(d);
  CHECK(c.sha256 == "abc");
  for (const std::string& s : {c.markdown, c.paragraphs[0].markdown, c.amendments[0].original, c.amendments[0].text}) {
    INFO(s);
    CHECK_FALSE(has_image(s));
    CHECK(s.find('/') == std::string::npos);
  }
  CHECK_FALSE(has_image(export_markdown(c)));
}
