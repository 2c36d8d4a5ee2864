// Reading an existing PostgreSQL database offline (rapporteur verify,
// export): one snapshot, no migration, nothing written.
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/views.h"

namespace rapporteur::postgres {

Status read_existing_database(const StoreOptions& options, const std::function<Status(Snapshot&)>& fn) {
  const std::string where = redacted_url(options.url);
  std::unique_ptr<Conn> conn;
  try {
    conn = std::make_unique<Conn>(connection_url(options.url));
  } catch (const std::exception& e) {
    const std::string what = e.what();
    if (what.find("does not exist") != std::string::npos) return Status::not_found("no database at " + where);
    return Status::internal(where + ": " + what);
  }
  try {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> t(conn->raw());
    if (schema_version_of(t) == 0) return Status::invalid(where + " is not a Rapporteur database");
    Work w(t, *conn);
    PgSnapshot snap(w);
    Status st = fn(snap);
    t.commit();
    return st;
  } catch (const std::exception& e) {
    return Status::internal(where + ": " + e.what());
  }
}

}  // namespace rapporteur::postgres
