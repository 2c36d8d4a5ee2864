#include "http/response_encoding.h"

#include <cctype>
#include <sstream>

namespace rapporteur::http {

void ignore_ranges(const httplib::Request& req) { const_cast<httplib::Request&>(req).ranges.clear(); }

bool accept_gzip_only(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  bool gzip = false;
  for (auto [it, end] = headers.equal_range("Accept-Encoding"); it != end; ++it) {
    std::stringstream list(it->second);
    std::string item;
    while (std::getline(list, item, ',')) {
      const size_t semi = item.find(';');
      std::string name = item.substr(0, semi);
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name != "gzip" && name != "x-gzip" && name != "*") continue;
      // "q=0" (or 0.0, 0.00, 0.000) refuses the coding.
      const size_t q = semi == std::string::npos ? std::string::npos : item.find("q=", semi);
      const bool refused = q != std::string::npos && item.find_first_not_of("0. \t", q + 2) == std::string::npos;
      gzip = gzip || !refused;
    }
  }
  headers.erase("Accept-Encoding");
  if (gzip) headers.emplace("Accept-Encoding", "gzip");
  return gzip;
}

void send_uncompressed(const httplib::Request& req) {
  const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
}

bool compressible(const std::string& type) {
  return type == "application/json" || type == "image/svg+xml" ||
         (type.rfind("text/", 0) == 0 && type != "text/event-stream");
}

}  // namespace rapporteur::http
