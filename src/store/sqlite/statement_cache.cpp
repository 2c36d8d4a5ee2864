#include "store/sqlite/statement_cache.h"

namespace rapporteur {
namespace {
thread_local StatementCache* current_cache = nullptr;
}  // namespace

StatementCacheScope::StatementCacheScope(StatementCache* cache) : previous_(current_cache) { current_cache = cache; }

StatementCacheScope::~StatementCacheScope() { current_cache = previous_; }

Stmt::Stmt(SQLite::Database& db, const std::string& sql) {
  StatementCache* cache = current_cache;
  if (cache != nullptr && &cache->db_ == &db) {
    auto it = cache->entries_.find(sql);
    if (it == cache->entries_.end() && cache->entries_.size() < StatementCache::kMaxEntries) {
      // Prepare before inserting: a statement that fails to prepare throws
      // and leaves no entry behind.
      auto prepared = std::make_unique<SQLite::Statement>(db, sql);
      it = cache->entries_.emplace(sql, StatementCache::Entry{std::move(prepared), false}).first;
    }
    if (it != cache->entries_.end() && !it->second.in_use) {
      it->second.in_use = true;
      borrowed_ = &it->second;
      statement_ = it->second.statement.get();
      return;
    }
  }
  owned_ = std::make_unique<SQLite::Statement>(db, sql);
  statement_ = owned_.get();
}

Stmt::~Stmt() {
  if (borrowed_ == nullptr) return;
  // tryReset, not reset: sqlite3_reset repeats the error of a failed step
  // (a constraint violation the caller is already handling) and reset()
  // would throw it from this destructor.
  statement_->tryReset();
  try {
    statement_->clearBindings();  // sqlite3_clear_bindings cannot fail; guarded all the same
  } catch (const std::exception&) {
    // Left bound: the next borrower binds every parameter it uses anyway.
  }
  borrowed_->in_use = false;
}

}  // namespace rapporteur
