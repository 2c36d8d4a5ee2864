#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "rapporteur/app.h"
#include "rapporteur/export.h"

namespace rapporteur::cli {
namespace {

const char* const kExportUsage =
    "usage: rapporteur export SESSION --format md|html|pdf|docx|json|csv [--out FILE] [--db FILE|URL]\n"
    "Writes the session's final text once adopted, else its current draft marked DRAFT,\n"
    "with the annex (amendments, polls); csv is the voting record. Without --out the\n"
    "file is named like the download (SESSION-final.md, SESSION-draft-3.pdf, ...) in the\n"
    "current folder; --out - writes to standard output. pdf needs chromium, docx pandoc.\n";

Result<std::unique_ptr<App>> open_app(const StoreOptions& db) {
  AppOptions ao;
  ao.db = db;
  ao.db.readers = 1;
  ao.admin_token = "-";  // commands never create the admin token
  ao.tick_ms = 0;        // a read-only command closes no poll
  return App::open(ao, std::make_shared<SystemClock>());
}

}  // namespace

int export_session(const std::vector<std::string>& args) {
  Flags f = parse_flags(args, {"db", "format", "out"});
  if (f.help) {
    std::cout << kExportUsage;
    return 0;
  }
  std::string problem = f.error;
  if (problem.empty() && f.positional.size() != 1) problem = "exactly one SESSION is needed";
  if (problem.empty() && !f.has("format")) problem = "--format is required";
  const auto format = parse_export_format(f.get("format"));
  if (problem.empty() && !format) {
    problem = "--format \"" + f.get("format") + "\" is not one of " + kExportFormatNames;
  }
  if (!problem.empty()) {
    std::cerr << "rapporteur export: " << problem << "\n\n" << kExportUsage;
    return 2;
  }
  StoreOptions db;
  if (!database_flag(f, "export", db)) return 2;
  std::error_code ec;
  if (db.url.empty() && !std::filesystem::exists(db.path, ec)) {
    std::cerr << "rapporteur export: no database at " << db.path << " (see --db)\n";
    return 1;
  }
  auto app = open_app(db);
  if (!app) {
    std::cerr << "rapporteur export: " << app.status().message() << "\n";
    return 1;
  }
  const std::string sid = f.positional[0];
  auto doc = (*app)->store().read<ExportDocument>(
      [&](Snapshot& snap) -> Result<ExportDocument> { return load_export(snap, sid); });
  if (!doc) {
    std::cerr << "rapporteur export: " << doc.status().message() << "\n";
    return 1;
  }
  auto bytes = render_export(*doc, *format);
  if (!bytes) {
    std::cerr << "rapporteur export: " << bytes.status().message() << "\n";
    return 1;
  }
  const std::string out = f.get("out", export_filename(*doc, *format));
  if (out == "-") {
    std::cout.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    std::cout.flush();
    return std::cout ? 0 : 1;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  file.close();
  if (!file) {
    std::cerr << "rapporteur export: cannot write " << out << "\n";
    return 1;
  }
  std::cerr << "rapporteur export: " << (doc->final ? "final text" : "DRAFT " + std::to_string(doc->draft))
            << " written to " << out << " (" << bytes->size() << " bytes)\n";
  return 0;
}

}  // namespace rapporteur::cli
