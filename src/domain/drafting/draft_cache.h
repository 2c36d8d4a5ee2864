// Parsed drafts, kept so that a large draft's stored JSON (4.8 MB of
// paragraphs for 1,000 fragments) is not parsed again by every amendment,
// poll and export that reads it.
//
// An entry is keyed by (session, n) and holds the exact stored texts it was
// parsed from; a lookup compares them with the row just read, so an entry can
// never answer for other text: not for a draft whose transaction was rolled
// back and whose number was reused, nor for another database file with the
// same session. A stale entry is only a miss. Drafts are immutable once
// committed (schema triggers), so on a live server entries hit.
//
// Thread-safe. Bounded: at most kMaxEntries entries and kMaxBytes of stored
// text, least recently used first out.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "rapporteur/draft.h"

namespace rapporteur::draft_cache {

struct Parsed {
  std::string paragraphs_json;  // the stored texts parsed
  std::string duplicates_json;
  std::vector<Paragraph> paragraphs;
  std::vector<Duplicate> duplicates;
};

inline constexpr size_t kMaxEntries = 8;
inline constexpr size_t kMaxBytes = 32u << 20;

// The entry of (session, n) if it was parsed from exactly these texts.
std::shared_ptr<const Parsed> find(const std::string& session, int n, const std::string& paragraphs_json,
                                   const std::string& duplicates_json);

// Keeps `parsed` as the entry of (session, n), replacing any other.
void put(const std::string& session, int n, std::shared_ptr<const Parsed> parsed);

struct Stats {
  size_t hits = 0, misses = 0, entries = 0, bytes = 0;
};
Stats stats();
void clear();  // tests

}  // namespace rapporteur::draft_cache
