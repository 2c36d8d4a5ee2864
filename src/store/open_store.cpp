// Chooses the implementation of the storage contract. SQLite is the only
// one today; the contract is what a second one would implement.
#include "rapporteur/store.h"
#include "store/sqlite/sqlite_store.h"

namespace rapporteur {

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) { return sqlite::SqliteStore::open(options); }

Status read_existing(const std::string& path, const std::function<Status(Snapshot&)>& fn) {
  return sqlite::read_existing_file(path, fn);
}

}  // namespace rapporteur
