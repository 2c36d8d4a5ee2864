// SHA-256 and random tokens (OpenSSL behind this header). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rapporteur {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// `bytes` random bytes from the OS CSPRNG, as URL-safe base64 without padding.
// Throws std::runtime_error if the CSPRNG fails (never silently weak).
std::string random_token(size_t bytes = 24);

}  // namespace rapporteur
