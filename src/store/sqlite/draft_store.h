// Draft rows in SQLite: immutable once written (schema triggers), but for
// `final`.
//
// Each object works on the connection it was made with: the write
// connection inside a write job, or a read connection inside a read.
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store/drafts.h"

namespace rapporteur::sqlite {

class Drafts final : public DraftWrites {
 public:
  explicit Drafts(SQLite::Database& db) : db_(db) {}
  std::optional<DraftRow> find(const std::string& session, int n) override;
  int latest(const std::string& session) override;
  int final_n(const std::string& session) override;
  std::vector<DraftRow> list(const std::string& session) override;
  void insert(const DraftRow& row) override;
  void set_final(const std::string& session, int n) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rapporteur::sqlite
