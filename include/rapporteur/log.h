// Line-oriented logging to stderr. Thread-safe; one line per call.
// Never pass a token or a ballot choice of a secret poll to it.
#pragma once

#include <string_view>

namespace rapporteur {

enum class LogLevel { debug, info, warn, error };

void log_line(LogLevel level, std::string_view message);
inline void log_info(std::string_view m) { log_line(LogLevel::info, m); }
inline void log_warn(std::string_view m) { log_line(LogLevel::warn, m); }
inline void log_error(std::string_view m) { log_line(LogLevel::error, m); }

// Lines below `level` are dropped (tests and benchmarks quieten the access log).
void set_log_level(LogLevel level);

}  // namespace rapporteur
