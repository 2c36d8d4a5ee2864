// Installation-wide settings in SQLite (the meta table).
#pragma once

#include <SQLiteCpp/Database.h>

#include "rapporteur/store/settings.h"

namespace rapporteur::sqlite {

class Settings final : public SettingWrites {
 public:
  explicit Settings(SQLite::Database& db) : db_(db) {}
  std::optional<std::string> get(const std::string& key) override;
  void insert(const std::string& key, const std::string& value) override;

 private:
  SQLite::Database& db_;
};

}  // namespace rapporteur::sqlite
