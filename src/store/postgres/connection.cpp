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

std::unique_ptr<Conn> connect_durable(const std::string& url) {
  auto conn = std::make_unique<Conn>(url);
  // A write is acknowledged only once it is durable: on the primary's disk
  // and, with a synchronous standby, on the standby's. A server configured
  // for less (off, local) is overruled for this connection.
  pqxx::nontransaction q(conn->raw());
  const std::string sync = q.exec("SHOW synchronous_commit")[0][0].as<std::string>();
  if (sync == "off" || sync == "local") q.exec("SET synchronous_commit = on");
  return conn;
}

}  // namespace rapporteur::postgres
