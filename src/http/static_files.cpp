#include "http/static_files.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <utility>

#include <httplib.h>

#include "http/error.h"

namespace rapporteur::http {
namespace {

std::string content_type(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// FNV-1a, 64 bits, of the file's bytes: cheap beside reading the file, and
// the same in every process, so an ETag outlives a restart. Weak: the
// gzipped answer carries the same one as the plain answer.
std::string etag_of(const std::string& bytes) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  char buf[24];
  std::snprintf(buf, sizeof buf, "W/\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

// Whether an If-None-Match value ("*", or a list of ETags) names `etag`,
// compared weakly as If-None-Match is.
bool matches(const std::string& if_none_match, std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
  std::stringstream list(if_none_match);
  std::string item;
  while (std::getline(list, item, ',')) {
    const size_t b = item.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    std::string tag = item.substr(b);
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    if (tag == etag || tag == "*") return true;
  }
  return false;
}

// The gzipped bytes of a file, compressed once per version of the file (its
// ETag) with cpp-httplib's own compressor and kept: a room of phones opens
// the same pages at once, and gzipping a 10 KB script on every request cut
// the answers per second by five. web/ is about 150 KB, so keeping it all
// costs little.
std::string gzipped(const std::string& file, const std::string& etag, const std::string& bytes) {
  static std::mutex mu;
  static std::unordered_map<std::string, std::pair<std::string, std::string>> kept;  // file -> (etag, gzip)
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = kept.find(file);
    if (it != kept.end() && it->second.first == etag) return it->second.second;
  }
  std::string out;
  httplib::detail::gzip_compressor gz;
  const bool ok = gz.compress(bytes.data(), bytes.size(), true, [&](const char* data, size_t n) {
    out.append(data, n);
    return true;
  });
  if (!ok) return "";
  std::lock_guard<std::mutex> lock(mu);
  kept[file] = {etag, out};
  return out;
}

bool text_type(const std::string& type) {
  return type.rfind("text/", 0) == 0 || type == "application/json" || type == "image/svg+xml";
}

}  // namespace

Reply serve_static(const std::string& web_dir, const std::string& path, const std::string& if_none_match,
                   bool accepts_gzip, const std::string& request_id) {
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
  const std::string etag = etag_of(r.body);
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  if (matches(if_none_match, etag)) {
    r.status = 304;
    r.body.clear();
  } else if (accepts_gzip && text_type(r.content_type)) {
    std::string gz = gzipped(file.string(), etag, r.body);
    if (!gz.empty() && gz.size() < r.body.size()) {
      r.body = std::move(gz);
      r.headers.emplace_back("Content-Encoding", "gzip");
    }
  }
  r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  return r;
}

}  // namespace rapporteur::http
