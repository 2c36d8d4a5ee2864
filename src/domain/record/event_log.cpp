#include "rapporteur/event_log.h"

#include "rapporteur/crypto.h"

namespace rapporteur {

const char* const kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

std::string event_canonical_json(const Event& e) { return event_canonical_json(e, e.data.dump()); }

std::string event_canonical_json(const Event& e, const std::string& data_json) {
  // Byte for byte what nlohmann::json::dump() gives for the object
  // {"session","seq","at","actor","type","data"}: keys in std::map order,
  // strings escaped by the same dump(), no white space. Written out by hand
  // because building that object copied `data` for every event (the vote
  // burst's hottest non-SQLite code); tests compare both on hard strings.
  std::string out;
  out.reserve(80 + e.session.size() + e.actor.size() + e.type.size() + data_json.size());
  out += "{\"actor\":";
  out += nlohmann::json(e.actor).dump();
  out += ",\"at\":";
  out += std::to_string(e.at);
  out += ",\"data\":";
  out += data_json;
  out += ",\"seq\":";
  out += std::to_string(e.seq);
  out += ",\"session\":";
  out += nlohmann::json(e.session).dump();
  out += ",\"type\":";
  out += nlohmann::json(e.type).dump();
  out += '}';
  return out;
}

std::string event_hash(const std::string& prev_hash, const Event& e) {
  return sha256_hex(prev_hash + event_canonical_json(e));
}

std::string event_hash(const std::string& prev_hash, const Event& e, const std::string& data_json) {
  return sha256_hex(prev_hash + event_canonical_json(e, data_json));
}

ChainCheck verify_chain(const std::vector<Event>& events) {
  ChainCheck out;
  std::string prev = kGenesisHash;
  int64_t expected_seq = 1;
  for (const Event& e : events) {
    std::string problem;
    if (e.seq != expected_seq) {
      problem = "seq " + std::to_string(e.seq) + " follows " + std::to_string(expected_seq - 1);
    } else if (e.prev_hash != prev) {
      problem = "prev_hash does not match the hash of event " + std::to_string(e.seq - 1);
    } else if (event_hash(prev, e) != e.hash) {
      problem = "hash does not match its content";
    }
    if (!problem.empty()) {
      out.ok = false;
      out.first_bad = e.seq;
      out.problem = "event " + std::to_string(e.seq) + ": " + problem;
      return out;
    }
    prev = e.hash;
    ++expected_seq;
    ++out.events;
  }
  out.head = prev;
  return out;
}

nlohmann::json event_to_json(const Event& e) {
  return {{"seq", e.seq},   {"at", e.at},     {"actor", e.actor.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.actor)},
          {"type", e.type}, {"data", e.data}, {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

}  // namespace rapporteur
