// What the export converters (pandoc, chromium) are given: the export with
// every image and every piece of raw HTML taken out of the text people
// wrote. Not part of the public contract (used by export_docx.cpp and
// export_pdf.cpp).
//
// Why: a converter fetches what an image points to. Pandoc 2.17 reads every
// image (a URL, a local path, /dev/zero) into memory before any filter runs,
// so an amendment could make the server fetch an address of its choosing or
// exhaust its memory. The converters have their own bounds (pandoc's
// --sandbox, Chromium without name resolution, a memory limit, a timeout);
// this makes sure they never see an image to begin with.
#pragma once

#include <string>
#include <string_view>

#include "rapporteur/export.h"

namespace rapporteur {

// `markdown` (CommonMark) with each image replaced by its description (the
// plain text of its alt), raw HTML (inline and blocks) dropped, written back
// as CommonMark. Every other character that could start an image or a link
// in another reading of the text (a `!` or `[` that is plain text) comes out
// backslash-escaped, so no image appears when the result is put next to
// other Markdown (a pipe table cell, a reference definition elsewhere).
std::string markdown_without_images(std::string_view markdown);

// A copy of `doc` whose user text (the document's Markdown, each paragraph,
// each amendment's original and amended text) went through
// markdown_without_images. The SHA-256 and every other field are kept.
ExportDocument converter_input(const ExportDocument& doc);

}  // namespace rapporteur
