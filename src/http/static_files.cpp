#include "http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/error.h"

namespace rapporteur::http {
namespace {

std::string content_type(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

Reply serve_static(const std::string& web_dir, const std::string& path, const std::string& request_id) {
  auto not_found = [&] { return error_reply(Status::not_found("no such page"), request_id); };
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) {
    return not_found();
  }
  std::string rel = path == "/" ? "index.html" : path.substr(1);
  std::stringstream segments(rel);
  std::string seg;
  while (std::getline(segments, seg, '/')) {
    if (seg == ".." || seg == "." || (!seg.empty() && seg[0] == '.')) return not_found();
  }
  std::error_code ec;
  const auto root = std::filesystem::weakly_canonical(web_dir, ec);
  if (ec) return not_found();
  const auto file = std::filesystem::weakly_canonical(root / rel, ec);
  if (ec) return not_found();
  const std::string root_s = root.string() + "/";
  if (file.string().rfind(root_s, 0) != 0 || !std::filesystem::is_regular_file(file, ec)) return not_found();
  std::ifstream in(file, std::ios::binary);
  if (!in) return not_found();
  std::ostringstream body;
  body << in.rdbuf();
  Reply r;
  r.status = 200;
  r.body = body.str();
  r.content_type = content_type(file.extension().string());
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  return r;
}

}  // namespace rapporteur::http
