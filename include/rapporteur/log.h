// Line-oriented logging to stderr. Thread-safe; one line per call.
// Never pass a token or a ballot choice of a secret poll to it.
#pragma once

#include <functional>
#include <string_view>

namespace rapporteur {

enum class LogLevel { debug, info, warn, error };

void log_line(LogLevel level, std::string_view message);
inline void log_info(std::string_view m) { log_line(LogLevel::info, m); }
inline void log_warn(std::string_view m) { log_line(LogLevel::warn, m); }
inline void log_error(std::string_view m) { log_line(LogLevel::error, m); }

// Lines below `level` are dropped (tests and benchmarks quieten the access log).
void set_log_level(LogLevel level);

// Sends lines to `sink` instead of stderr (tests read the access log);
// an empty function restores stderr.
void set_log_sink(std::function<void(std::string_view line)> sink);

}  // namespace rapporteur
