// Set-up calls to the server under test, through its public API (one
// blocking request each, never timed).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace rapporteur::bench {

class Api {
 public:
  Api(int port, std::string admin_token) : port_(port), admin_(std::move(admin_token)) {}

  // Sends the request and returns the JSON answer (null for an empty body).
  // Throws std::runtime_error naming the call, the status and the server's
  // error message when the status is not `expect` (0: any 2xx).
  nlohmann::json call(const std::string& method, const std::string& path, const std::string& token,
                      const nlohmann::json& body = nullptr, int expect = 200) const;
  // The same with the admin token.
  nlohmann::json admin(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr,
                       int expect = 200) const {
    return call(method, path, admin_, body, expect);
  }
  int port() const { return port_; }

 private:
  int port_;
  std::string admin_;
};

}  // namespace rapporteur::bench
