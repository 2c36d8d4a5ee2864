// Running the export converters (chromium, pandoc): program lookup, a
// temporary folder per run, a bounded number of concurrent runs, and a small
// cache of their output.
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <semaphore>
#include <sstream>

#include "domain/export/export_detail.h"
#include "rapporteur/crypto.h"
#include "rapporteur/log.h"
#include "rapporteur/subprocess.h"

namespace rapporteur {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultSearchPath = "/usr/local/bin:/usr/bin:/bin";
constexpr size_t kCacheEntries = 16;
constexpr size_t kCacheBytes = 64u << 20;
constexpr int kMaxSlotWaitMs = 15'000;

// A folder made with mkdtemp, removed with its content at destruction.
class TempFolder {
 public:
  static Result<TempFolder> make(const std::string& root) {
    std::error_code ec;
    fs::path base = root.empty() ? fs::temp_directory_path(ec) : fs::path(root);
    if (ec) return Status::internal("export: no temporary folder: " + ec.message());
    std::string tmpl = (base / "rapporteur-export-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      return Status::internal("export: cannot make a temporary folder in " + base.string());
    }
    return TempFolder(tmpl);
  }
  TempFolder(TempFolder&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempFolder& operator=(TempFolder&&) = delete;
  TempFolder(const TempFolder&) = delete;
  ~TempFolder() {
    // A folder that cannot be removed is left behind rather than thrown
    // about from a destructor; its name says where it came from.
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempFolder(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

bool write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return static_cast<bool>(out);
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string effective_search_path(const ConverterOptions& options) {
  if (!options.search_path.empty()) return options.search_path;
  const char* env = std::getenv("PATH");
  return env != nullptr && *env != '\0' ? env : kDefaultSearchPath;
}

// Converter output keyed by the SHA-256 of program, format and input.
class OutputCache {
 public:
  std::optional<std::string> get(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  void put(const std::string& key, const std::string& value) {
    if (value.size() > kCacheBytes / 4) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.count(key) != 0) return;
    entries_[key] = value;
    order_.push_back(key);
    bytes_ += value.size();
    while (!order_.empty() && (entries_.size() > kCacheEntries || bytes_ > kCacheBytes)) {
      auto old = entries_.find(order_.front());
      bytes_ -= old->second.size();
      entries_.erase(old);
      order_.pop_front();
    }
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> entries_;
  std::deque<std::string> order_;  // oldest first
  size_t bytes_ = 0;
};

OutputCache& cache() {
  static OutputCache c;
  return c;
}

std::counting_semaphore<kMaxConcurrentConversions>& slots() {
  static std::counting_semaphore<kMaxConcurrentConversions> s(kMaxConcurrentConversions);
  return s;
}

// The converter's whole environment: nothing of the server's (which may hold
// the admin token), a home and caches inside the temporary folder.
std::vector<std::string> converter_env(const std::string& dir, const std::string& search_path) {
  return {"PATH=" + search_path,           "HOME=" + dir,    "TMPDIR=" + dir,
          "XDG_CONFIG_HOME=" + dir + "/.config", "XDG_CACHE_HOME=" + dir + "/.cache",
          "XDG_DATA_HOME=" + dir + "/.local",    "LANG=C.UTF-8", "LC_ALL=C.UTF-8"};
}

std::string last_lines(const std::string& output, size_t max_chars) {
  std::string s = output.size() > max_chars ? output.substr(output.size() - max_chars) : output;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::optional<std::string> find_program(const std::string& name, const std::string& search_path) {
  if (name.empty() || name.find('/') != std::string::npos) return std::nullopt;
  size_t start = 0;
  while (start <= search_path.size()) {
    size_t end = search_path.find(':', start);
    if (end == std::string::npos) end = search_path.size();
    const std::string dir = search_path.substr(start, end - start);
    start = end + 1;
    // Empty entries (the current folder, historically) and relative ones are skipped.
    if (dir.empty() || dir[0] != '/') continue;
    const std::string candidate = dir + "/" + name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

namespace export_detail {

Result<std::string> run_converter(const ConverterJob& job, const ConverterOptions& options) {
  const std::string search_path = effective_search_path(options);
  const auto program = find_program(job.program, search_path);
  if (!program) {
    return Status::not_implemented(job.format + " export needs " + job.program +
                                   ", which is not installed on the server: install the Debian package \"" +
                                   job.package + "\" (apt-get install " + job.package + ")");
  }
  const std::string key = sha256_hex(job.program + '\0' + job.format + '\0' + job.input);
  if (options.use_cache) {
    if (auto hit = cache().get(key)) return *hit;
  }

  // A request waits a little for a free slot, not a whole conversion's time:
  // it holds one of the server's worker threads meanwhile.
  const auto wait = std::chrono::milliseconds(std::clamp(options.timeout_ms, 0, kMaxSlotWaitMs));
  if (!slots().try_acquire_for(wait)) {
    return Status::converters_busy(job.format + " export: " + std::to_string(kMaxConcurrentConversions) +
                                   " conversions are already running; try again in a moment");
  }
  struct Release {
    ~Release() { slots().release(); }
  } release;

  RAPPORTEUR_ASSIGN_OR_RETURN(auto folder, TempFolder::make(options.temp_root));
  const std::string dir = folder.path();
  if (!write_file(dir + "/" + job.input_name, job.input)) {
    return Status::internal(job.format + " export: cannot write " + dir + "/" + job.input_name);
  }
  for (const auto& [name, content] : job.extra_files) {
    if (!write_file(dir + "/" + name, content)) {
      return Status::internal(job.format + " export: cannot write " + dir + "/" + name);
    }
  }

  if (job.prepare) RAPPORTEUR_RETURN_IF_ERROR(job.prepare(*program, dir));

  SubprocessOptions so;
  so.timeout_ms = options.timeout_ms;
  so.env = converter_env(dir, search_path);
  so.cwd = dir;
  so.memory_limit_bytes = options.memory_limit_bytes;
  RAPPORTEUR_ASSIGN_OR_RETURN(auto run, run_subprocess(job.argv(*program, dir), so));
  const std::string what = job.format + " export: the converter (" + job.program + ")";
  if (run.timed_out) {
    log_warn(what + " did not finish within " + std::to_string(options.timeout_ms) +
             " ms: " + last_lines(run.output, 600));
    return Status::converter_timeout(what + " did not finish within " + std::to_string(options.timeout_ms / 1000) +
                                     " s; try again later");
  }
  if (!run.ok()) {
    const std::string how = run.signal != 0 ? "was killed by signal " + std::to_string(run.signal)
                                            : "exited with " + std::to_string(run.exit_code);
    log_warn(what + " " + how + ": " + last_lines(run.output, 600));
    return Status::converter_failed(what + " " + how + "; try again later");
  }
  auto bytes = read_file(dir + "/" + job.output_name);
  if (!bytes || bytes->compare(0, job.output_magic.size(), job.output_magic) != 0) {
    log_warn(what + " wrote no " + job.format + " file: " + last_lines(run.output, 600));
    return Status::converter_failed(what + " wrote no " + job.format + " file; try again later");
  }
  if (options.use_cache) cache().put(key, *bytes);
  return std::move(*bytes);
}

}  // namespace export_detail
}  // namespace rapporteur
