// Fragment and fragment version rows in SQLite. Versions are immutable
// (triggers) and (fragment, version) is unique, so appending a version number
// that already exists throws SQLite::Exception (SQLITE_CONSTRAINT).
//
// Each object works on the connection it was made with: the write
// connection inside a write job, or a read connection inside a read.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store/fragments.h"

namespace rapporteur::sqlite {

class Fragments final : public FragmentWrites {
 public:
  explicit Fragments(SQLite::Database& db) : db_(db) {}
  std::optional<Fragment> find(const std::string& session, int64_t id) override;
  std::optional<FragmentVersion> latest(int64_t id) override;
  std::optional<FragmentVersion> version(int64_t id, int n) override;
  std::vector<FragmentVersion> versions(int64_t id) override;
  std::vector<FragmentVersion> list_by_breakout(const std::string& session, const std::string& breakout) override;
  std::vector<FragmentVersion> list_latest_for_session(const std::string& session) override;
  int64_t insert(const Fragment& f) override;
  void append_version(const FragmentVersion& v) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rapporteur::sqlite
