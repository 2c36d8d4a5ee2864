#include "contract/answers.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <optional>

#include "contract/openapi_contract.h"

namespace rapporteur::testing::contract {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The checks of check_answer on parts already taken apart.
std::string check_parts(const std::string& method, const std::string& path, int status, const std::string& type,
                        const std::string& encoding, const std::string& body) {
  std::string plain = body;
  std::string left_encoding = encoding;
  if (lower(encoding) == "gzip") {
    auto unpacked = gunzip(body);
    if (!unpacked) return method + " " + path + " -> " + std::to_string(status) + ": a gzip body that does not unpack";
    plain = std::move(*unpacked);
    left_encoding.clear();
  }
  bool validated = false;
  std::string violation = check_response(method, path, status, type, left_encoding, plain, &validated);
  if (validated) count_outside_send(1);
  return violation;
}

// A chunked body decoded; nullopt when it stops before its last chunk.
std::optional<std::string> dechunk(const std::string& in) {
  std::string out;
  size_t at = 0;
  for (;;) {
    const size_t eol = in.find("\r\n", at);
    if (eol == std::string::npos) return std::nullopt;
    char* end = nullptr;
    const std::string size_text = in.substr(at, eol - at);
    const unsigned long size = std::strtoul(size_text.c_str(), &end, 16);
    if (end == size_text.c_str()) return std::nullopt;
    if (size == 0) return out;
    if (in.size() < eol + 2 + size) return std::nullopt;
    out += in.substr(eol + 2, size);
    at = eol + 2 + size + 2;
  }
}

}  // namespace

std::optional<std::string> gunzip(const std::string& in) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return std::nullopt;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

std::string check_answer(const std::string& method, const std::string& path, const httplib::Response& answer) {
  return check_parts(method, path, answer.status, answer.get_header_value("Content-Type"),
                     answer.get_header_value("Content-Encoding"), answer.body);
}

std::string check_raw_answer(const std::string& method, const std::string& path, const std::string& bytes) {
  if (bytes.rfind("HTTP/1.", 0) != 0 || bytes.size() < 12) return "";
  const size_t head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string::npos) return "";
  const int status = std::atoi(bytes.substr(9, 3).c_str());
  std::string type, encoding, length, transfer;
  for (size_t line = bytes.find("\r\n") + 2; line < head_end + 2;) {
    const size_t next = bytes.find("\r\n", line);
    const std::string text = bytes.substr(line, next - line);
    const size_t colon = text.find(':');
    if (colon != std::string::npos) {
      const std::string name = lower(text.substr(0, colon));
      std::string value = text.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
      if (name == "content-type") type = value;
      if (name == "content-encoding") encoding = value;
      if (name == "content-length") length = value;
      if (name == "transfer-encoding") transfer = lower(value);
    }
    line = next + 2;
  }
  std::string body = bytes.substr(head_end + 4);
  if (transfer.find("chunked") != std::string::npos) {
    auto whole = dechunk(body);
    if (!whole) return "";
    body = std::move(*whole);
  } else if (!length.empty()) {
    const size_t n = std::strtoul(length.c_str(), nullptr, 10);
    if (body.size() < n) return "";
    body.resize(n);  // what follows belongs to the next answer on the connection
  }
  return check_parts(method, path, status, type, encoding, body);
}

std::string check_event_stream(const std::string& path, const std::string& text) {
  std::string out;
  long checked = 0;
  size_t at = 0;
  for (size_t end = text.find("\n\n"); end != std::string::npos; at = end + 2, end = text.find("\n\n", at)) {
    // The fields of one event (the server ends its lines with "\n" alone).
    std::string event = "message";  // the name of an event without an "event:" field
    std::string data;
    bool has_data = false;
    for (size_t line = at; line < end;) {
      size_t next = text.find('\n', line);
      if (next == std::string::npos || next > end) next = end;
      const std::string field = text.substr(line, next - line);
      line = next + 1;
      if (field.empty() || field.front() == ':') continue;  // a comment: the heartbeat
      const size_t colon = field.find(':');
      const std::string name = field.substr(0, colon);
      std::string value = colon == std::string::npos ? "" : field.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "event") event = value;
      if (name == "data") {
        if (has_data) data += '\n';
        data += value;
        has_data = true;
      }
    }
    if (!has_data) continue;
    const std::string where = "GET " + path + " event \"" + event + "\"";
    const nlohmann::json* schema = event_schema(path, event);
    std::string violation;
    if (schema == nullptr) {
      violation = where + ": the document describes no such event of this stream";
    } else {
      const nlohmann::json value = nlohmann::json::parse(data, nullptr, false);
      if (value.is_discarded()) {
        violation = where + ": the data is not JSON: " + data.substr(0, 200);
      } else {
        ++checked;
        const std::string errors = schema_errors(*schema, value);
        if (!errors.empty()) {
          violation = where + ": the data breaks its schema: " + errors + "\ndata: " + data.substr(0, 600);
        }
      }
    }
    if (!violation.empty()) out += (out.empty() ? "" : "\n") + violation;
  }
  count_outside_send(checked);
  return out;
}

}  // namespace rapporteur::testing::contract
