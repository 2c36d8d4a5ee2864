// HTTP/1.1 on the wire for the load client: requests serialised once, up
// front, into the exact bytes sent; responses parsed incrementally from a
// connection's input buffer. Only what the Rapporteur server sends is
// supported: Content-Length or chunked bodies, no body on 1xx/204/304.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rapporteur::bench {

// The bytes of one keep-alive request. `bearer` adds an Authorization
// header, `extra_headers` are "Name: value" lines without CRLF; a non-empty
// `body` is sent as application/json.
std::string build_request(std::string_view method, std::string_view path, std::string_view bearer = {},
                          std::string_view body = {}, const std::vector<std::string>& extra_headers = {});

struct Response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  bool close = false;  // the server said Connection: close

  // The first header of that (lower-case) name, or "".
  std::string header(std::string_view lower_name) const;
};

// Parses one response at a time out of a growing buffer. Not thread-safe;
// one per connection.
class ResponseParser {
 public:
  enum class Result { need_more, done, error };

  // Looks at `in` (bytes received so far, possibly more than one response).
  // On done, the response is in `out` and its bytes are erased from `in`.
  Result parse(std::string& in, Response& out);
  // Forgets a half-parsed response (after a reconnect).
  void reset();

 private:
  Result parse_head(std::string& in, Response& out);
  Result parse_chunked(std::string& in, Response& out);

  bool have_head_ = false;
  size_t head_len_ = 0;
  long long content_length_ = -1;
  bool chunked_ = false;
  size_t chunk_pos_ = 0;  // parse position in `in` of the chunked body
};

}  // namespace rapporteur::bench
