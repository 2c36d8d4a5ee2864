// Session rows (with their slots and breakouts) and the rows of their people,
// as the domain reads and writes them. The store checks no rule but the
// schema's; the domain decides what may change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rapporteur/person.h"
#include "rapporteur/session.h"

namespace rapporteur {

class SessionReads {
 public:
  virtual ~SessionReads() = default;
  virtual bool exists(const std::string& id) = 0;
  virtual std::optional<Session> find(const std::string& id) = 0;
  // Without agenda and breakouts.
  virtual std::optional<Session> find_row(const std::string& id) = 0;
  // Every session, without agenda and breakouts.
  virtual std::vector<Session> list() = 0;
  // The next paragraph id the session will hand out.
  virtual int next_pid(const std::string& id) = 0;
};

class SessionWrites : public SessionReads {
 public:
  // Inserts the session with its agenda and breakouts (not its people).
  virtual void insert(const Session& s) = 0;
  virtual void set_phase(const std::string& id, SessionPhase phase) = 0;
  // Reserves `count` paragraph ids; returns the first.
  virtual int reserve_pids(const std::string& id, int count) = 0;
  virtual void set_next_pid(const std::string& id, int next) = 0;
};

class PersonReads {
 public:
  virtual ~PersonReads() = default;
  virtual std::optional<Person> find(const std::string& session, int64_t id) = 0;
  virtual std::optional<Person> find_by_token_hash(const std::string& token_hash) = 0;
  virtual std::vector<Person> list(const std::string& session) = 0;
  virtual int64_t count_with_role(const std::string& session, const std::string& role) = 0;
  virtual bool has_president(const std::string& session) = 0;
};

class PersonWrites : public PersonReads {
 public:
  // Every write here changes who a token names: token caches are told after
  // the commit (Store::people_generation).
  virtual int64_t insert(const std::string& session, const PersonSpec& p, const std::string& token_hash,
                         int64_t now) = 0;
  virtual void set_token_hash(int64_t id, const std::string& token_hash) = 0;
  virtual void mark_present(int64_t id, int64_t now) = 0;
};

}  // namespace rapporteur
