#include "http/embedded.h"
#include "http/handlers.h"
#include "http/metrics.h"

namespace rapporteur::http {

Result<Reply> get_healthz(Ctx& ctx) {
  if (!ctx.app.store().ping().is_ok()) return Status::internal("the database does not answer");
  return Reply::json(200, {{"status", "ok"}});
}

Result<Reply> get_version(Ctx& ctx) {
  return Reply::json(200, {{"version", RAPPORTEUR_VERSION}, {"schema", ctx.app.store().schema_version()}});
}

Result<Reply> get_openapi(Ctx&) {
  Reply r;
  r.body = openapi_json();
  return r;
}

Result<Reply> get_metrics(Ctx& ctx) {
  Reply r;
  r.body = metrics().render(ctx.app.store().stats());
  r.content_type = "text/plain; version=0.0.4";
  return r;
}

}  // namespace rapporteur::http
