#include "http/handlers.h"
#include "rapporteur/export.h"

namespace rapporteur::http {

Result<Reply> get_export(Ctx& ctx) {
  const std::string sid = ctx.param("sid");
  const std::string name = ctx.query("format");
  const auto format = parse_export_format(name);
  if (!format) {
    const std::string given = name.empty() ? "is required" : "\"" + name.substr(0, 20) + "\" is not a format";
    return Status::invalid("format: " + given + "; one of " + kExportFormatNames, "format");
  }
  RAPPORTEUR_ASSIGN_OR_RETURN(auto doc,
                              ctx.app.store().read<ExportDocument>(
                                  [&](Snapshot& snap) -> Result<ExportDocument> { return load_export(snap, sid); }));
  // Converters run here, outside the read transaction.
  RAPPORTEUR_ASSIGN_OR_RETURN(auto body, render_export(doc, *format, ctx.app.options().converters));
  Reply r;
  r.status = 200;
  r.body = std::move(body);
  r.content_type = export_content_type(*format);
  // The file name is made of the session's slug and a number only.
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + export_filename(doc, *format) + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace rapporteur::http
