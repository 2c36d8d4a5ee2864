// Installation-wide settings kept in the database (the admin token's hash).
#pragma once

#include <optional>
#include <string>

namespace rapporteur {

class SettingReads {
 public:
  virtual ~SettingReads() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
};

class SettingWrites : public SettingReads {
 public:
  // Inserts a setting that does not exist yet; conflict when it does.
  virtual void insert(const std::string& key, const std::string& value) = 0;
};

}  // namespace rapporteur
