// Fragment and fragment version rows. The store knows nothing of HTTP and
// checks no rule but those of the schema: versions are immutable (triggers)
// and (fragment, version) is unique, so appending a version number that
// already exists throws SQLite::Exception (SQLITE_CONSTRAINT).
//
// Every function takes the connection it runs on: the write connection
// inside a write job, or a read connection. Not found is an empty optional.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>
#include <vector>

#include "rapporteur/fragment.h"

namespace rapporteur::fragment_store {

// Inserts the fragment (f.id ignored) and returns its new id.
int64_t insert(SQLite::Database& db, const Fragment& f);

// Inserts version v.version of fragment v.fragment (v.breakout and v.size
// ignored).
void append_version(SQLite::Database& db, const FragmentVersion& v);

// The fragment `id` if it belongs to `session`.
std::optional<Fragment> find(SQLite::Database& db, const std::string& session, int64_t id);

// The highest version of fragment `id`, with its body.
std::optional<FragmentVersion> latest(SQLite::Database& db, int64_t id);

// Version `n` of fragment `id`, with its body.
std::optional<FragmentVersion> version(SQLite::Database& db, int64_t id, int n);

// Every version of fragment `id`, oldest first, without bodies (size set).
std::vector<FragmentVersion> versions(SQLite::Database& db, int64_t id);

// The latest version of each fragment of one breakout, in creation order,
// without bodies (size set).
std::vector<FragmentVersion> list_by_breakout(SQLite::Database& db, const std::string& session,
                                              const std::string& breakout);

// The latest version of every fragment of the session, with bodies, ordered
// by the breakout's position in the session, then by fragment creation: the
// order in which fragments are merged into a draft.
std::vector<FragmentVersion> list_latest_for_session(SQLite::Database& db, const std::string& session);

}  // namespace rapporteur::fragment_store
