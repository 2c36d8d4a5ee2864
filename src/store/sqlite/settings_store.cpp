#include "store/sqlite/settings_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/sqlite/statement_cache.h"

namespace rapporteur::sqlite {

std::optional<std::string> Settings::get(const std::string& key) {
  Stmt q(db_, "SELECT value FROM meta WHERE key = ?");
  q.bind_all(key);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

void Settings::insert(const std::string& key, const std::string& value) {
  Stmt q(db_, "INSERT INTO meta (key, value) VALUES (?, ?)");
  q.bind_all(key, value);
  q.exec();
}

}  // namespace rapporteur::sqlite
