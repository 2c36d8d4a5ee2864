// DOCX: the Markdown export, as written for pandoc (breakouts by title, word
// diffs as strikeout and underline), converted by pandoc.
#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "domain/export/converter_input.h"
#include "domain/export/export_detail.h"

namespace rapporteur {
namespace {

namespace fs = std::filesystem;

// A second line of defence behind converter_input (which already took every
// image and raw HTML out): this filter, run before the writer, turns any
// image into its description and drops raw HTML. It also makes the annex's
// underline spans underlined.
constexpr const char* kFilter =
    "function Image(img)\n"
    "  return pandoc.Span(img.caption)\n"
    "end\n"
    "function RawInline(raw)\n"
    "  return {}\n"
    "end\n"
    "function RawBlock(raw)\n"
    "  return {}\n"
    "end\n"
    // Pandoc 2.17's CommonMark reader keeps [x]{.underline} a plain span; the
    // annex's inserted words are underlined through this.
    "function Span(el)\n"
    "  if el.classes:includes('underline') then return pandoc.Underline(el.content) end\n"
    "end\n";

// Pandoc's heap limit (its runtime's -M), below the process's memory limit
// so that pandoc stops with "heap overflow" before the allocator fails.
std::string heap_limit(size_t memory_limit_bytes) {
  if (memory_limit_bytes == 0) return {};
  const size_t mib = memory_limit_bytes / (1u << 20);
  return "-M" + std::to_string(std::max<size_t>(mib * 3 / 4, 64)) + "m";
}

// Pandoc's --sandbox keeps the reader and the writer from reading any file
// but those named on the command line, and from the network. Debian's
// pandoc is built without its data files inside it: in the sandbox its DOCX
// writer looks its template up as "data/data/docx/..." among the named files
// only, and fails ("Could not find data file"). So the template's files are
// named, relative to the working folder where data/data links to pandoc's
// data folder, through --epub-embed-font (a list of files the sandbox lets
// pandoc read, which the DOCX writer itself ignores). A pandoc whose data
// files are built in has no such folder and needs nothing.
struct SandboxData {
  std::vector<std::string> files;  // relative to the working folder
};

fs::path data_folder_of(const std::string& program) {
  std::error_code ec;
  const fs::path real = fs::canonical(program, ec);
  if (ec) return {};
  const fs::path data = real.parent_path().parent_path() / "share" / "pandoc" / "data";
  return fs::is_directory(data / "docx", ec) ? data : fs::path();
}

Status prepare_sandbox(const std::string& program, const std::string& dir, SandboxData& out) {
  out.files.clear();
  const fs::path data = data_folder_of(program);
  if (data.empty()) return Status::ok();
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "data", ec);
  if (!ec) fs::create_directory_symlink(data, fs::path(dir) / "data" / "data", ec);
  if (ec) return Status::internal("docx export: cannot link pandoc's data folder into " + dir + ": " + ec.message());
  for (auto it = fs::recursive_directory_iterator(data / "docx", ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) out.files.push_back("data/data/" + fs::relative(it->path(), data, ec).string());
  }
  if (ec) return Status::internal("docx export: cannot list " + (data / "docx").string() + ": " + ec.message());
  // The writer's labels ("Abstract", ...): a warning on stderr without it.
  if (fs::is_regular_file(data / "translations" / "en.yaml", ec)) out.files.push_back("data/data/translations/en.yaml");
  return Status::ok();
}

}  // namespace

Result<std::string> export_docx(const ExportDocument& doc, const ConverterOptions& options) {
  export_detail::ConverterJob job;
  job.program = "pandoc";
  job.package = "pandoc";
  job.format = "docx";
  job.input_name = "export.md";
  job.input = export_detail::export_markdown_for(converter_input(doc), export_detail::MarkdownReader::pandoc);
  job.output_name = "export.docx";
  job.output_magic = "PK";
  job.extra_files = {{"no-fetch.lua", kFilter}};
  auto sandbox = std::make_shared<SandboxData>();
  job.prepare = [sandbox](const std::string& program, const std::string& dir) {
    return prepare_sandbox(program, dir, *sandbox);
  };
  // The text is CommonMark (as rendered everywhere else by cmark) without
  // raw HTML (what is left of it stays text); the annex uses pipe tables,
  // and its word diffs ~~strikeout~~ and [underline]{.underline} spans (user
  // text has its brackets and tildes escaped, so only the annex makes them).
  const std::string heap = heap_limit(options.memory_limit_bytes);
  job.argv = [sandbox, heap](const std::string& program, const std::string& dir) {
    std::vector<std::string> argv{program};
    if (!heap.empty()) argv.insert(argv.end(), {"+RTS", heap, "-RTS"});
    argv.insert(argv.end(), {"--sandbox", "--from=commonmark+pipe_tables+strikeout+bracketed_spans-raw_html", "--to=docx",
                             "--lua-filter=" + dir + "/no-fetch.lua", "--resource-path=" + dir});
    for (const std::string& f : sandbox->files) argv.push_back("--epub-embed-font=" + f);
    argv.insert(argv.end(), {"--output=" + dir + "/export.docx", dir + "/export.md"});
    return argv;
  };
  return export_detail::run_converter(job, options);
}

}  // namespace rapporteur
