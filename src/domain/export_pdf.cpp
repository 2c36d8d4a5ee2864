// PDF: the standalone HTML export printed by Debian's chromium (headless).
#include <string>
#include <vector>

#include "domain/export_detail.h"

namespace rapporteur {
namespace {

// A file: URL for an absolute path (every byte outside [A-Za-z0-9/._~-]
// percent-encoded).
std::string file_url(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : path) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
                       c == '.' || c == '_' || c == '~' || c == '-';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

Result<std::string> export_pdf(const ExportDocument& doc, const ConverterOptions& options) {
  export_detail::ConverterJob job;
  job.program = "chromium";
  job.package = "chromium";
  job.format = "pdf";
  job.input_name = "export.html";
  job.input = export_html(doc);
  job.output_name = "export.pdf";
  job.output_magic = "%PDF-";
  // Flags checked with Chromium 156. The page's Content-Security-Policy
  // already forbids every fetch; the resolver rule makes sure no name is
  // looked up either. --no-sandbox: the server may run as root, and the page
  // runs no script (CSP default-src 'none').
  job.argv = [](const std::string& program, const std::string& dir) {
    return std::vector<std::string>{program,
                                    "--headless",
                                    "--no-sandbox",
                                    "--disable-gpu",
                                    "--disable-quic",
                                    "--no-first-run",
                                    "--disable-background-networking",
                                    "--disable-component-update",
                                    "--disable-sync",
                                    "--disable-extensions",
                                    "--host-resolver-rules=MAP * ~NOTFOUND",
                                    "--user-data-dir=" + dir + "/profile",
                                    "--no-pdf-header-footer",
                                    "--print-to-pdf=" + dir + "/export.pdf",
                                    file_url(dir + "/export.html")};
  };
  return export_detail::run_converter(job, options);
}

}  // namespace rapporteur
