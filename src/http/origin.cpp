#include "http/origin.h"

#include <algorithm>
#include <cctype>

#include "http/cookies.h"
#include "rapporteur/text.h"

namespace rapporteur::http {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool changes_state(const std::string& method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

// "host[:port]" with the scheme's default port left out; empty when it holds
// anything but host characters and one port.
std::string authority(const std::string& scheme, std::string host_port) {
  host_port = lower(host_port);
  if (host_port.empty()) return "";
  for (char c : host_port) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']') {
      return "";
    }
  }
  const size_t colon = host_port.rfind(':');
  const size_t bracket = host_port.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    const std::string port = host_port.substr(colon + 1);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos) return "";
    if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) host_port.resize(colon);
    if (colon == 0) return "";
  }
  return host_port;
}

}  // namespace

std::string url_origin(const std::string& url) {
  const size_t sep = url.find("://");
  if (sep == std::string::npos) return "";
  const std::string scheme = lower(url.substr(0, sep));
  if (scheme != "http" && scheme != "https") return "";
  const size_t start = sep + 3;
  const size_t end = url.find_first_of("/?#", start);
  const std::string host = authority(scheme, url.substr(start, end == std::string::npos ? std::string::npos : end - start));
  if (host.empty()) return "";
  return scheme + "://" + host;
}

Status check_browser_request(const App& app, const httplib::Request& req) {
  if (!changes_state(req.method)) return Status::ok();
  if (req.get_header_value("Authorization").rfind("Bearer ", 0) == 0) return Status::ok();
  const bool cookie = has_token_cookie(app, req.get_header_value("Cookie"));

  // Header values are not echoed: cpp-httplib hands them over URL-decoded.
  const std::string fetch_site = lower(req.get_header_value("Sec-Fetch-Site"));
  if (fetch_site == "cross-site" || fetch_site == "same-site") {
    return Status::cross_origin("a browser request from another site may not change anything here (Sec-Fetch-Site: " +
                                fetch_site + ")");
  }
  if (req.has_header("Origin")) {
    const std::string public_origin = url_origin(app.options().public_url);
    const std::string scheme = public_origin.substr(0, public_origin.find(':'));
    const std::string origin = url_origin(req.get_header_value("Origin"));  // "null" gives ""
    const std::string host = authority(scheme, req.get_header_value("Host"));
    const bool own = !origin.empty() && (origin == public_origin || (!host.empty() && origin == scheme + "://" + host));
    if (!own) {
      return Status::cross_origin("the Origin of this request is not this server's (" + public_origin +
                                  " or the host it was sent to): a page of another origin may not change anything here");
    }
  } else if (fetch_site != "same-origin" && cookie) {
    return Status::cross_origin(
        "a request authenticated by the login cookie must show it comes from this server's own pages (an Origin "
        "header of this server, or Sec-Fetch-Site: same-origin)");
  }

  const std::string type = req.get_header_value("Content-Type");
  if (lower(std::string(trim(type.substr(0, type.find(';'))))) != "application/json") {
    return Status(Code::unsupported_media_type,
                  "a request that changes state without Authorization: Bearer (with the login cookie or no token) "
                  "must have Content-Type: application/json, even when it has no body");
  }
  return Status::ok();
}

}  // namespace rapporteur::http
