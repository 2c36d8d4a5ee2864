// Domain operations on breakout fragments: create, revise (with no lost
// update), read, history. Writes run inside a write job (Tx), check who may
// write and the session's phase against fresh state, and append their event;
// reads take a read connection. Thread safety: as the connection given.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rapporteur/store.h"
#include "rapporteur/fragment.h"
#include "rapporteur/person.h"
#include "rapporteur/session.h"

namespace rapporteur {

// Who saves: a person of the session, or the administrator (who has the
// secretariat's rights and no person row).
struct FragmentAuthor {
  std::optional<Person> person;  // empty: the administrator
  std::string actor;             // as recorded in the event log ("person:12", "admin")

  int64_t id() const { return person ? person->id : 0; }
  std::string name() const { return person ? person->name : "administrator"; }
  // The breakout's rapporteurs, the secretariat, the president, the administrator.
  bool may_write(const std::string& breakout) const { return !person || person->may_write_breakout(breakout); }
};

// Creates a fragment of `breakout` at version 1 and appends
// "fragment_created". `session` must have been loaded inside the same write
// job (its phase is checked). not_found for an unknown breakout, forbidden
// when the author may not write that breakout, conflict once the session has
// left the drafting phase.
Result<FragmentVersion> create_fragment(Tx& tx, const Session& session, const std::string& breakout,
                                        const FragmentCreate& request, const FragmentAuthor& author, int64_t now);

// Saves the next version of fragment `id` and appends "fragment_revised".
// not_found, forbidden and conflict as create_fragment; validation_failed
// (field base_version) when base_version is above the latest. When
// base_version is older than the latest, nothing is written and the answer
// is version_conflict ("fragment 7: base_version 3 is not the latest (5)")
// with details {current: the latest version (fragment_to_json), base_version}.
// Run inside the write job, so of concurrent saves on one base exactly one
// wins. The costly part of the answer (diff and merge) is left to
// explain_version_conflict, after the job, so the writer never waits on it.
Result<FragmentVersion> put_fragment(Tx& tx, const Session& session, int64_t id, const FragmentUpdate& request,
                                     const FragmentAuthor& author, int64_t now);

// Completes a version_conflict from put_fragment, given the base version it
// names (with body) and the submitted body: adds diff (word hunks from base
// to current) and merge ({clean, body}: the three-way merge of base, current
// and submitted). Versions are immutable, so computing this after the write
// job gives the same answer as inside it. Pure; other statuses come back
// unchanged.
Status explain_version_conflict(Status conflict, const FragmentVersion& base, const std::string& submitted);

// The latest version of each fragment of `breakout`, in creation order,
// without bodies. not_found for an unknown breakout.
Result<std::vector<FragmentVersion>> list_fragments(Snapshot& snap, const Session& session,
                                                    const std::string& breakout);

// Version `n` of fragment `id` of `session` (the latest when n is empty),
// with its body. not_found naming the fragment or the version.
Result<FragmentVersion> load_fragment_version(Snapshot& snap, const std::string& session, int64_t id,
                                              std::optional<int> n = std::nullopt);

// Every version of fragment `id`, oldest first, without bodies. not_found
// naming the fragment.
Result<std::vector<FragmentVersion>> list_fragment_versions(Snapshot& snap, const std::string& session,
                                                            int64_t id);

// Versions `from` and `to` of fragment `id`, with bodies, for a diff (to be
// computed after the read, not while holding the connection). not_found
// naming the fragment or the missing version.
Result<std::pair<FragmentVersion, FragmentVersion>> load_fragment_pair(Snapshot& snap,
                                                                        const std::string& session, int64_t id,
                                                                        int from, int to);

// JSON of a version, times in the session's time zone:
// {id, breakout, title, version, body, author: {id, name}, created_at,
// sha256, note, size}. No "html": rendering is left to the caller, so that
// it never runs inside a write job.
nlohmann::json fragment_to_json(const FragmentVersion& v, const Session& session);
// A fragment in a breakout's list: {id, breakout, title, version, updated_at,
// author, sha256, size}.
nlohmann::json fragment_summary_to_json(const FragmentVersion& v, const Session& session);
// A version in a fragment's history: {version, title, author, created_at,
// sha256, note, size}.
nlohmann::json fragment_version_summary_to_json(const FragmentVersion& v, const Session& session);

}  // namespace rapporteur
