// Export formats: names, file names, shared labels and the dispatcher. Each
// format lives in its own file (export_<format>.cpp).
#include "rapporteur/export.h"

#include "domain/export_detail.h"

namespace rapporteur {

std::optional<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "md") return ExportFormat::md;
  if (name == "html") return ExportFormat::html;
  if (name == "pdf") return ExportFormat::pdf;
  if (name == "docx") return ExportFormat::docx;
  if (name == "json") return ExportFormat::json;
  if (name == "csv") return ExportFormat::csv;
  return std::nullopt;
}

const char* export_format_name(ExportFormat format) {
  switch (format) {
    case ExportFormat::md: return "md";
    case ExportFormat::html: return "html";
    case ExportFormat::pdf: return "pdf";
    case ExportFormat::docx: return "docx";
    case ExportFormat::json: return "json";
    case ExportFormat::csv: return "csv";
  }
  return "md";
}

const char* export_content_type(ExportFormat format) {
  switch (format) {
    case ExportFormat::md: return "text/markdown; charset=utf-8";
    case ExportFormat::html: return "text/html; charset=utf-8";
    case ExportFormat::pdf: return "application/pdf";
    case ExportFormat::docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    case ExportFormat::json: return "application/json; charset=utf-8";
    case ExportFormat::csv: return "text/csv; charset=utf-8; header=present";
  }
  return "application/octet-stream";
}

std::string export_filename(const ExportDocument& doc, ExportFormat format) {
  const std::string stem = doc.final ? doc.session + "-final" : doc.session + "-draft-" + std::to_string(doc.draft);
  return stem + "." + export_format_name(format);
}

Result<std::string> render_export(const ExportDocument& doc, ExportFormat format, const ConverterOptions& options) {
  switch (format) {
    case ExportFormat::md: return export_markdown(doc);
    case ExportFormat::html: return export_html(doc);
    case ExportFormat::pdf: return export_pdf(doc, options);
    case ExportFormat::docx: return export_docx(doc, options);
    case ExportFormat::json:
      // Invalid UTF-8 cannot reach here (inputs are validated), but never throw on it.
      return export_json(doc).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    case ExportFormat::csv: return export_csv(doc);
  }
  return Status::internal("unknown export format");
}

namespace export_detail {

std::string section_title(const std::string& section) {
  if (section == "preamble") return "Preamble";
  if (section == "conclusions") return "Conclusions";
  if (section == "recommendations") return "Recommendations";
  return section;
}

std::string method_label(const std::string& method) {
  if (method == "electronic") return "electronic vote";
  if (method == "show_of_hands") return "show of hands";
  return method;
}

std::string rule_label(const std::string& rule) {
  if (rule == "simple") return "simple majority";
  if (rule == "two_thirds") return "two-thirds majority";
  if (rule == "absolute") return "absolute majority";
  return rule;
}

std::string outcome_label(const std::string& outcome) {
  if (outcome == "no_quorum") return "no quorum";
  return outcome;
}

std::string status_label(const std::string& status) {
  if (status == "ruled_out") return "ruled out";
  return status;
}

std::string amendment_kind_label(const std::string& kind) {
  if (kind == "insert_after") return "insert after";
  return kind;
}

std::string counts_text(const std::string& method, const ExportCounts& c) {
  if (method == "consensus") {
    if (c.objections == 0) return "no objection";
    return std::to_string(c.objections) + (c.objections == 1 ? " objection" : " objections");
  }
  std::string out = std::to_string(c.yes) + " yes, " + std::to_string(c.no) + " no, " + std::to_string(c.abstain) +
                    " abstain";
  if (c.eligible > 0) out += " (" + std::to_string(c.cast) + " cast of " + std::to_string(c.eligible) + ")";
  return out;
}

std::string target_label(const ExportAmendment& a) {
  return a.target_number.empty() ? a.target : a.target_number + " (" + a.target + ")";
}

std::string amendment_outcome_text(const ExportAmendment& a) {
  std::string out = status_label(a.status);
  if (a.poll != 0) {
    out += ": poll " + std::to_string(a.poll);
    if (a.outcome != a.status) out += " " + outcome_label(a.outcome);
    out += ", " + counts_text(a.method, a.counts);
  }
  return out;
}

std::string source_text(const Source& s) {
  if (s.kind == "amendment") {
    return s.breakout.empty() ? "Amendment " + std::to_string(s.amendment)
                              : "Breakout: " + s.breakout + "; amendment " + std::to_string(s.amendment);
  }
  if (!s.breakout.empty()) return "Breakout: " + s.breakout;
  if (s.kind == "edit") return "Editorial draft " + std::to_string(s.draft);
  return "";
}

std::string draft_label(const ExportDocument& doc) { return "DRAFT " + std::to_string(doc.draft); }

std::string poll_counts_text(const ExportPoll& p) {
  if (!p.has_counts) return "not counted yet";
  return counts_text(p.method, p.counts);
}

std::string poll_outcome_text(const ExportPoll& p) {
  if (p.state != "closed") return p.state;
  return outcome_label(p.outcome);
}

std::string quorum_text(const ExportPoll& p) { return p.quorum ? std::to_string(*p.quorum) : "none"; }

std::vector<SectionRun> section_runs(const std::vector<Paragraph>& paragraphs) {
  std::vector<SectionRun> out;
  for (const Paragraph& p : paragraphs) {
    if (out.empty() || out.back().section != p.section) out.push_back({p.section, {}});
    out.back().paragraphs.push_back(&p);
  }
  return out;
}

}  // namespace export_detail
}  // namespace rapporteur
