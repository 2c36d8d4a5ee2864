// DOCX: the Markdown export converted by pandoc.
#include <string>
#include <vector>

#include "domain/export_detail.h"

namespace rapporteur {
namespace {

// Pandoc would fetch every image (URL or local path) to embed it in the
// document, and Debian's pandoc cannot run with --sandbox (its data files
// are not built in). So this filter, run before the writer, turns every
// image into its description and drops raw HTML: nothing is ever fetched or
// read but the input.
constexpr const char* kFilter =
    "function Image(img)\n"
    "  return pandoc.Span(img.caption)\n"
    "end\n"
    "function RawInline(raw)\n"
    "  return {}\n"
    "end\n"
    "function RawBlock(raw)\n"
    "  return {}\n"
    "end\n";

}  // namespace

Result<std::string> export_docx(const ExportDocument& doc, const ConverterOptions& options) {
  export_detail::ConverterJob job;
  job.program = "pandoc";
  job.package = "pandoc";
  job.format = "docx";
  job.input_name = "export.md";
  job.input = export_markdown(doc);
  job.output_name = "export.docx";
  job.output_magic = "PK";
  job.extra_files = {{"no-fetch.lua", kFilter}};
  // The text is CommonMark (as rendered everywhere else by cmark), the annex
  // uses pipe tables.
  job.argv = [](const std::string& program, const std::string& dir) {
    return std::vector<std::string>{program,
                                    "--from=commonmark+pipe_tables",
                                    "--to=docx",
                                    "--lua-filter=" + dir + "/no-fetch.lua",
                                    "--resource-path=" + dir,
                                    "--output=" + dir + "/export.docx",
                                    dir + "/export.md"};
  };
  return export_detail::run_converter(job, options);
}

}  // namespace rapporteur
