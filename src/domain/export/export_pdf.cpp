// PDF: the standalone HTML export printed by Debian's chromium (headless).
#include <string>
#include <vector>

#include "domain/export/converter_input.h"
#include "domain/export/export_detail.h"

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
  job.input = export_html(converter_input(doc));
  job.output_name = "export.pdf";
  job.output_magic = "%PDF-";
  // Flags checked with Chromium 156. The input has no image (converter_input)
  // and the page's Content-Security-Policy forbids every fetch; the resolver
  // rule fails every host, IP literals such as 127.0.0.1 included (checked: a
  // page without the policy then reaches no listening socket), and images
  // are off. --no-sandbox: the server may run as root, and the page runs no
  // script (CSP default-src 'none'). Its memory is bounded by the converter
  // runner's RLIMIT_DATA, which Chromium tolerates (RLIMIT_AS it does not).
  // Only the input file is loaded; nothing else is read unless the page asks
  // for it, and it asks for nothing.
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
                                    "--blink-settings=imagesEnabled=false",
                                    "--disable-remote-fonts",
                                    "--user-data-dir=" + dir + "/profile",
                                    "--no-pdf-header-footer",
                                    "--print-to-pdf=" + dir + "/export.pdf",
                                    file_url(dir + "/export.html")};
  };
  return export_detail::run_converter(job, options);
}

}  // namespace rapporteur
