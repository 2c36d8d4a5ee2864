#include "store/postgres/connection.h"

namespace rapporteur::postgres {

Conn::Conn(const std::string& url) : conn_(std::make_unique<pqxx::connection>(url)) {}

const std::string& Conn::prepared(const std::string& sql) {
  auto it = names_.find(sql);
  if (it != names_.end()) return it->second;
  std::string name = "s" + std::to_string(names_.size() + 1);
  conn_->prepare(name, sql);
  return names_.emplace(sql, std::move(name)).first->second;
}

}  // namespace rapporteur::postgres
