// A breakout fragment: the Markdown notes of one breakout, kept as a series
// of immutable versions, and the rules a save must follow to be accepted.
//
// Pure model and validation: no database, no HTTP. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "rapporteur/status.h"

namespace rapporteur {

// Limits on a save (API.md "Breakout fragments").
inline constexpr size_t kMaxFragmentBodyBytes = 64 * 1024;  // UTF-8 bytes of Markdown
inline constexpr size_t kMaxFragmentTitleChars = 200;       // code points
inline constexpr size_t kMaxFragmentNoteChars = 500;        // code points
// Largest JSON request body for a save: a 64 KiB text written with JSON
// escapes ("\u00e9", "\n", ...) must still reach the field check, so that an
// over-long body is told apart (413 on "body") from a garbage request.
inline constexpr size_t kMaxFragmentRequestBytes = 400 * 1024;

struct Fragment {
  int64_t id = 0;
  std::string session;
  std::string breakout;
  int64_t created_at = 0;  // UTC ms
};

// One save of a fragment. Never changes once written.
struct FragmentVersion {
  int64_t fragment = 0;
  std::string breakout;
  int version = 0;  // 1, 2, ...
  std::string title;
  std::string body;  // empty when loaded as a summary (see size)
  std::string note;
  int64_t author = 0;  // person id; 0 for the administrator
  std::string author_name;
  int64_t created_at = 0;  // UTC ms
  std::string sha256;      // lower-case hex SHA-256 of body
  size_t size = 0;         // bytes of body, also set for summaries
};

// POST .../breakouts/{bid}/fragments: {title, body, note?}.
struct FragmentCreate {
  std::string title;
  std::string body;
  std::string note;
};

// PUT .../fragments/{fid}: {base_version, body, title?, note?}. Without a
// title the new version keeps the latest one's.
struct FragmentUpdate {
  int base_version = 0;
  std::string body;
  std::optional<std::string> title;
  std::string note;
};

// Checks a Markdown body: at most kMaxFragmentBodyBytes (too_large on
// "body", checked first so a huge text is not scanned), then valid UTF-8,
// no NUL and not blank (validation_failed on "body").
Status check_fragment_body(const std::string& body);

// Validate a whole request object; the first problem is returned, naming the
// field and the rule. Unknown members are refused (a typo such as "bsae_version"
// must not be silently ignored). Wrong JSON types give bad_request; missing,
// empty or over-long values give validation_failed, but an over-long body
// gives too_large.
Result<FragmentCreate> validate_fragment_create(const nlohmann::json& request);
Result<FragmentUpdate> validate_fragment_update(const nlohmann::json& request);

}  // namespace rapporteur
