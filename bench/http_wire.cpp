#include "http_wire.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace rapporteur::bench {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string build_request(std::string_view method, std::string_view path, std::string_view bearer,
                          std::string_view body, const std::vector<std::string>& extra_headers) {
  std::string r;
  r.reserve(160 + path.size() + bearer.size() + body.size());
  r.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  if (!bearer.empty()) r.append("Authorization: Bearer ").append(bearer).append("\r\n");
  for (const auto& h : extra_headers) r.append(h).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PUT") {
    r.append("Content-Type: application/json\r\nContent-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  r.append("\r\n").append(body);
  return r;
}

std::string Response::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return "";
}

void ResponseParser::reset() {
  have_head_ = false;
  head_len_ = 0;
  content_length_ = -1;
  chunked_ = false;
  chunk_pos_ = 0;
}

ResponseParser::Result ResponseParser::parse_head(std::string& in, Response& out) {
  const size_t end = in.find("\r\n\r\n");
  if (end == std::string::npos) return in.size() > (64u << 10) ? Result::error : Result::need_more;
  out = Response{};
  std::string_view head(in.data(), end);
  size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return Result::error;
  out.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  if (out.status < 100) return Result::error;
  while (line_end != std::string_view::npos) {
    const size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string_view line = head.substr(start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    out.headers.emplace_back(lower(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
  }
  content_length_ = -1;
  chunked_ = false;
  for (const auto& [k, v] : out.headers) {
    if (k == "content-length") content_length_ = std::atoll(v.c_str());
    if (k == "transfer-encoding" && lower(v).find("chunked") != std::string::npos) chunked_ = true;
    if (k == "connection" && lower(v) == "close") out.close = true;
  }
  if (out.status < 200 || out.status == 204 || out.status == 304) content_length_ = 0;
  if (!chunked_ && content_length_ < 0) content_length_ = 0;  // this server always sends a length
  have_head_ = true;
  head_len_ = end + 4;
  chunk_pos_ = head_len_;
  return Result::done;
}

ResponseParser::Result ResponseParser::parse_chunked(std::string& in, Response& out) {
  for (;;) {
    const size_t eol = in.find("\r\n", chunk_pos_);
    if (eol == std::string::npos) return Result::need_more;
    const long long size = std::strtoll(in.c_str() + chunk_pos_, nullptr, 16);
    if (size < 0) return Result::error;
    if (size == 0) {
      // Last chunk, then (no) trailers and a final CRLF.
      const size_t fin = in.find("\r\n\r\n", eol);
      if (fin == std::string::npos) {
        if (in.size() >= eol + 4 && in.compare(eol, 4, "\r\n\r\n") == 0) {
          in.erase(0, eol + 4);
          return Result::done;
        }
        return Result::need_more;
      }
      in.erase(0, fin + 4);
      return Result::done;
    }
    const size_t data = eol + 2;
    if (in.size() < data + static_cast<size_t>(size) + 2) return Result::need_more;
    out.body.append(in, data, static_cast<size_t>(size));
    chunk_pos_ = data + static_cast<size_t>(size) + 2;
  }
}

ResponseParser::Result ResponseParser::parse(std::string& in, Response& out) {
  if (!have_head_) {
    Result r = parse_head(in, out);
    if (r != Result::done) return r;
  }
  Result r = Result::need_more;
  if (chunked_) {
    r = parse_chunked(in, out);
  } else if (in.size() >= head_len_ + static_cast<size_t>(content_length_)) {
    out.body.assign(in, head_len_, static_cast<size_t>(content_length_));
    in.erase(0, head_len_ + static_cast<size_t>(content_length_));
    r = Result::done;
  }
  if (r == Result::done) reset();
  return r;
}

}  // namespace rapporteur::bench
