// The public receipt check (rapporteur/receipts.h says what it may tell).
#include "http/handlers.h"
#include "rapporteur/receipts.h"
#include "rapporteur/sessions.h"

namespace rapporteur::http {

Result<Reply> get_receipt(Ctx& ctx) {
  const std::string& receipt = ctx.param("receipt");
  RAPPORTEUR_RETURN_IF_ERROR(validate_receipt(receipt));
  const std::string sid = ctx.param("sid");
  RAPPORTEUR_ASSIGN_OR_RETURN(auto out,
                              ctx.app.store().read<nlohmann::json>([&](Snapshot& snap) -> Result<nlohmann::json> {
                                RAPPORTEUR_ASSIGN_OR_RETURN(auto s, load_session(snap, sid));
                                return check_receipt(snap, s, receipt);
                              }));
  Reply r = Reply::json(200, out);
  // A receipt is the voter's own business: no shared cache keeps the answer.
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace rapporteur::http
