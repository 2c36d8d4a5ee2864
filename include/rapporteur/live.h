// The small state that screens poll (/live) or stream (/stream).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "rapporteur/app.h"

namespace rapporteur {

// {phase, current_draft, open_poll, slot, now, seq, token_reissues, ...}:
// seq is the session's last event, so any state change changes it.
// token_reissues is [{person, at, by, seq}], the latest 100 token reissues,
// so that a person whose token was replaced by someone else can see it.
Result<nlohmann::json> live_state(App& app, const std::string& session);

// A live state with its ETag (live_etag of the state). The database part is
// read once per commit and shared by every caller until the next commit.
struct LiveSnapshot {
  nlohmann::json state;
  std::string etag;
};
Result<LiveSnapshot> live_snapshot(App& app, const std::string& session);

// Strong ETag of a live state, ignoring "now" (which changes every second).
std::string live_etag(const nlohmann::json& state);

}  // namespace rapporteur
