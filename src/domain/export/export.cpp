// Export formats: names, file names, shared labels and the dispatcher. Each
// format lives in its own file (export_<format>.cpp).
#include "rapporteur/export.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

#include "domain/markdown/cmark_text.h"
#include "domain/export/export_detail.h"

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

std::string method_label(Method method) {
  switch (method) {
    case Method::electronic:
      return "electronic vote";
    case Method::show_of_hands:
      return "show of hands";
    case Method::consensus:
      return "consensus";
  }
  return method_name(method);
}

std::string rule_label(Rule rule) {
  switch (rule) {
    case Rule::simple:
      return "simple majority";
    case Rule::two_thirds:
      return "two-thirds majority";
    case Rule::absolute:
      return "absolute majority";
    case Rule::consensus:
      return "consensus";
  }
  return rule_name(rule);
}

std::string outcome_label(const std::string& outcome) {
  if (outcome == "no_quorum") return "no quorum";
  return outcome;
}

std::string status_label(AmendmentStatus status) {
  if (status == AmendmentStatus::ruled_out) return "ruled out";
  return amendment_status_name(status);
}

std::string amendment_kind_label(AmendmentKind kind) {
  if (kind == AmendmentKind::insert_after) return "insert after";
  return amendment_kind_name(kind);
}

std::string counts_text(Method method, const ExportCounts& c) {
  if (method == Method::consensus) {
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
  if (a.poll != 0 && a.method) {
    out += ": poll " + std::to_string(a.poll);
    if (a.outcome != amendment_status_name(a.status)) out += " " + outcome_label(a.outcome);
    out += ", " + counts_text(*a.method, a.counts);
  }
  return out;
}

std::string breakout_title(const ExportDocument& doc, const std::string& id) {
  for (const auto& [bid, title] : doc.breakouts) {
    if (bid == id && !title.empty()) return title;
  }
  return id;
}

std::string source_text(const Source& s, const ExportDocument& doc) {
  const std::string breakout = s.breakout.empty() ? std::string() : breakout_title(doc, s.breakout);
  if (s.kind == SourceKind::amendment) {
    return breakout.empty() ? "Amendment " + std::to_string(s.amendment)
                            : "Breakout: " + breakout + "; amendment " + std::to_string(s.amendment);
  }
  if (!breakout.empty()) return "Breakout: " + breakout;
  if (s.kind == SourceKind::edit) return "Editorial draft " + std::to_string(s.draft);
  return "";
}

std::vector<Paragraph> with_breakout_titles(const std::vector<Paragraph>& paragraphs, const ExportDocument& doc) {
  std::vector<Paragraph> out = paragraphs;
  for (Paragraph& p : out) {
    if (!p.source.breakout.empty()) p.source.breakout = breakout_title(doc, p.source.breakout);
  }
  return out;
}

std::string reading_text(const std::string& markdown) {
  struct NodeFree {
    void operator()(cmark_node* n) const { cmark_node_free(n); }
  };
  std::unique_ptr<cmark_node, NodeFree> doc(cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT));
  if (!doc) return markdown;
  std::string out;
  for (cmark_node* block = cmark_node_first_child(doc.get()); block != nullptr; block = cmark_node_next(block)) {
    std::string text;
    if (cmark_node_get_type(block) == CMARK_NODE_CODE_BLOCK) {
      if (const char* lit = cmark_node_get_literal(block)) text = lit;
    } else if (cmark_node_get_type(block) != CMARK_NODE_HTML_BLOCK) {
      text = inline_text(block);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.empty()) continue;
    if (!out.empty()) out += '\n';
    out += text;
  }
  return out;
}

std::vector<Hunk> amendment_hunks(const ExportAmendment& a) {
  const std::string original = reading_text(a.original);
  const std::string text = a.kind == AmendmentKind::del ? std::string() : reading_text(a.text);
  if (a.kind == AmendmentKind::del) {
    return original.empty() ? std::vector<Hunk>{} : std::vector<Hunk>{{DiffOp::del, original}};
  }
  if (a.kind == AmendmentKind::insert_after)
    return text.empty() ? std::vector<Hunk>{} : std::vector<Hunk>{{DiffOp::insert, text}};
  return diff_words(original, text);
}

std::string draft_label(const ExportDocument& doc) { return "DRAFT " + std::to_string(doc.draft); }

std::string poll_counts_text(const ExportPoll& p) {
  if (!p.has_counts) return "not counted yet";
  return counts_text(p.method, p.counts);
}

std::string poll_outcome_text(const ExportPoll& p) {
  if (p.state != PollState::closed) return poll_state_name(p.state);
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
