// An amendment to one paragraph of a draft, as stored.
#pragma once

#include <cstdint>
#include <string>

namespace rapporteur {

struct Amendment {
  int64_t id = 0;
  std::string session;
  int draft = 0;
  std::string target;  // pid
  std::string kind;    // replace, insert_after, delete
  std::string text;
  std::string original;  // the target's Markdown when proposed
  std::string rationale;
  int64_t proposer = 0;
  std::string status = "proposed";
  std::string decision_reason;
  int64_t created_at = 0;
  int64_t decided_at = 0;
  int result_draft = 0;
};

}  // namespace rapporteur
