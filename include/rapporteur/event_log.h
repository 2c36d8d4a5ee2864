// The session's event log: an append-only SHA-256 hash chain.
//
// hash = SHA256(prev_hash || canonical JSON of the event), where the
// canonical JSON is {"actor","at","data","seq","session","type"} with keys
// sorted and no insignificant white space (nlohmann::json::dump()). The first
// event's prev_hash is 64 zeros. Anyone holding an export can recompute it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rapporteur {

struct Event {
  std::string session;
  int64_t seq = 0;
  int64_t at = 0;  // UTC ms
  std::string actor;  // "admin", "person:12", "system"; empty for secret ballots
  std::string type;
  nlohmann::json data = nlohmann::json::object();
  std::string prev_hash;
  std::string hash;
};

extern const char* const kGenesisHash;

// The canonical JSON hashed for `e` (prev_hash and hash excluded).
std::string event_canonical_json(const Event& e);
// The same with `data_json` = e.data.dump() already made (the store writes
// that text too, so it is serialised once).
std::string event_canonical_json(const Event& e, const std::string& data_json);

// SHA256(prev_hash || canonical JSON).
std::string event_hash(const std::string& prev_hash, const Event& e);
std::string event_hash(const std::string& prev_hash, const Event& e, const std::string& data_json);

struct ChainCheck {
  bool ok = true;
  int64_t events = 0;
  std::string head;                 // hash of the last event, or genesis
  std::optional<int64_t> first_bad; // seq of the first event that does not verify
  std::string problem;              // what is wrong with it
};

// Verifies a whole chain in seq order (pure).
ChainCheck verify_chain(const std::vector<Event>& events);

nlohmann::json event_to_json(const Event& e);

}  // namespace rapporteur
