#include "rapporteur/record.h"

#include <SQLiteCpp/Database.h>

#include "rapporteur/sessions.h"
#include "store/event_store.h"

namespace rapporteur {

Result<std::vector<Event>> read_log(SQLite::Database& db, const std::string& session, int64_t after, int64_t limit) {
  auto s = load_session(db, session);
  if (!s) return s.status();
  return event_store::list(db, session, after, limit);
}

Result<RecordCheck> verify_record(SQLite::Database& db, const std::string& session) {
  auto s = load_session(db, session);
  if (!s) return s.status();
  RecordCheck out;
  out.chain = verify_chain(event_store::list(db, session, 0, INT64_MAX));
  out.problem = out.chain.problem;
  return out;
}

nlohmann::json record_check_to_json(const RecordCheck& c) {
  nlohmann::json j = {{"ok", c.ok()}, {"events", c.chain.events}, {"head", c.chain.head}};
  if (c.chain.first_bad) j["first_bad"] = *c.chain.first_bad;
  if (!c.problem.empty()) j["problem"] = c.problem;
  if (c.final_checked) j["final_ok"] = c.final_ok;
  return j;
}

}  // namespace rapporteur
