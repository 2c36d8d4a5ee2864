// Sessions, slots, breakouts and people rows. The store knows nothing of HTTP.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>
#include <vector>

#include "rapporteur/person.h"
#include "rapporteur/session.h"

namespace rapporteur::session_store {

bool exists(SQLite::Database& db, const std::string& id);
// Inserts the session with its agenda and breakouts (not its people).
void insert(SQLite::Database& db, const Session& s);
std::optional<Session> find(SQLite::Database& db, const std::string& id);
std::optional<Session> find_row(SQLite::Database& db, const std::string& id);  // without agenda/breakouts
std::vector<Session> list(SQLite::Database& db);  // without agenda/breakouts
void set_phase(SQLite::Database& db, const std::string& id, const std::string& phase);
// Reserves `count` paragraph ids; returns the first.
int reserve_pids(SQLite::Database& db, const std::string& id, int count);
int next_pid(SQLite::Database& db, const std::string& id);
void set_next_pid(SQLite::Database& db, const std::string& id, int next);

}  // namespace rapporteur::session_store

namespace rapporteur::person_store {

int64_t insert(SQLite::Database& db, const std::string& session, const PersonSpec& p, const std::string& token_hash,
               int64_t now);
std::optional<Person> find(SQLite::Database& db, const std::string& session, int64_t id);
std::optional<Person> find_by_token_hash(SQLite::Database& db, const std::string& token_hash);
std::vector<Person> list(SQLite::Database& db, const std::string& session);
void set_token_hash(SQLite::Database& db, int64_t id, const std::string& token_hash);
void mark_present(SQLite::Database& db, int64_t id, int64_t now);
int64_t count_with_role(SQLite::Database& db, const std::string& session, const std::string& role);
bool has_president(SQLite::Database& db, const std::string& session);

}  // namespace rapporteur::person_store
