// Sessions and people rows in SQLite.
//
// Each object works on the connection it was made with: the write
// connection inside a write job, or a read connection inside a read.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store/sessions.h"

namespace rapporteur::sqlite {

class Sessions final : public SessionWrites {
 public:
  explicit Sessions(SQLite::Database& db) : db_(db) {}
  bool exists(const std::string& id) override;
  std::optional<Session> find(const std::string& id) override;
  std::optional<Session> find_row(const std::string& id) override;
  std::vector<Session> list() override;
  int next_pid(const std::string& id) override;
  void insert(const Session& s) override;
  void set_phase(const std::string& id, SessionPhase phase) override;
  int reserve_pids(const std::string& id, int count) override;
  void set_next_pid(const std::string& id, int next) override;

 private:
  SQLite::Database& db_;
};

class People final : public PersonWrites {
 public:
  explicit People(SQLite::Database& db) : db_(db) {}
  std::optional<Person> find(const std::string& session, int64_t id) override;
  std::optional<Person> find_by_token_hash(const std::string& token_hash) override;
  std::vector<Person> list(const std::string& session) override;
  int64_t count_with_role(const std::string& session, const std::string& role) override;
  bool has_president(const std::string& session) override;
  int64_t insert(const std::string& session, const PersonSpec& p, const std::string& token_hash, int64_t now) override;
  void set_token_hash(int64_t id, const std::string& token_hash) override;
  void mark_present(int64_t id, int64_t now) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rapporteur::sqlite
