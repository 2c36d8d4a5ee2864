#include "http/cookies.h"

namespace rapporteur::http {
namespace {

constexpr const char* kMaxAge = "2592000";  // 30 days: a conference and its follow-up

std::string attributes(const App& app) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (app.is_https() ? "; Secure" : "");
}

// The value of cookie `name` in a Cookie header, and whether it is there.
bool find_cookie(const std::string& header, const std::string& name, std::string& value) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    const size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.rfind(name + "=", 0) == 0) {
      value = part.substr(name.size() + 1);
      return true;
    }
    pos = end + 1;
  }
  return false;
}

}  // namespace

std::string token_cookie_name(const App& app) {
  return app.is_https() ? "__Host-rapporteur_token" : "rapporteur_token";
}

std::string login_cookie(const App& app, const std::string& token) {
  return token_cookie_name(app) + "=" + token + attributes(app) + "; Max-Age=" + kMaxAge;
}

std::string logout_cookie(const App& app) { return token_cookie_name(app) + "=" + attributes(app) + "; Max-Age=0"; }

std::string token_from_cookies(const App& app, const std::string& cookie_header) {
  std::string value;
  find_cookie(cookie_header, token_cookie_name(app), value);
  return value;
}

bool has_token_cookie(const App& app, const std::string& cookie_header) {
  std::string value;
  return find_cookie(cookie_header, token_cookie_name(app), value) && !value.empty();
}

}  // namespace rapporteur::http
