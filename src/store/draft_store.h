// Draft rows: immutable once written (schema triggers), but for `final`.
#pragma once

#include <SQLiteCpp/Database.h>

#include <optional>
#include <string>
#include <vector>

namespace rapporteur::draft_store {

struct Row {
  std::string session;
  int n = 0;
  int64_t created_at = 0;
  std::string created_by;
  std::string kind;  // merge, edit, amendment
  std::string reason;
  int base = 0;  // 0: none
  std::string markdown;
  std::string sha256;
  std::string paragraphs;  // JSON
  std::string duplicates;  // JSON
  bool final = false;
};

void insert(SQLite::Database& db, const Row& row);
std::optional<Row> find(SQLite::Database& db, const std::string& session, int n);
// The highest draft number, 0 when none.
int latest(SQLite::Database& db, const std::string& session);
// The final draft's number, 0 when none.
int final_n(SQLite::Database& db, const std::string& session);
// Every draft without its paragraphs and Markdown (summaries).
std::vector<Row> list(SQLite::Database& db, const std::string& session);
void set_final(SQLite::Database& db, const std::string& session, int n);

}  // namespace rapporteur::draft_store
