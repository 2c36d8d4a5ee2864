// CSV export: the voting record, RFC 4180.
//
// Records end with CRLF; a field is quoted when it holds a comma, a quote,
// CR or LF (or starts or ends with a space), quotes inside doubled. The
// first row names the columns. A closed named electronic poll gives one row
// per ballot (voter and choice filled, the poll's columns repeated); every
// other poll (secret, show of hands, consensus, or not closed yet) gives one
// row with its counts and no voter. A named poll closed without any ballot
// gives one such row too, so that no poll is missing from the record.
//
// Spreadsheets run a cell that starts with = + - @ as a formula; a voter's
// name (the only free text here) that starts with one of them is written
// with a leading apostrophe, as OWASP recommends against CSV injection.
#include <string>
#include <string_view>
#include <vector>

#include "domain/export/export_detail.h"

namespace rapporteur {
namespace {

std::string field(std::string_view s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string defuse(const std::string& name) {
  if (!name.empty() && (name[0] == '=' || name[0] == '+' || name[0] == '-' || name[0] == '@' || name[0] == '\t' ||
                        name[0] == '\r')) {
    return "'" + name;
  }
  return name;
}

void row(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) out += ',';
    out += field(fields[i]);
  }
  out += "\r\n";
}

std::string num(int64_t n) { return std::to_string(n); }

// The poll's columns, before voter and choice.
std::vector<std::string> poll_fields(const ExportPoll& p) {
  const bool counted = p.has_counts;
  const bool consensus = p.method == Method::consensus;
  auto count = [&](int64_t v, bool applies) { return counted && applies ? num(v) : std::string(); };
  return {num(p.id),
          poll_subject_name(p.subject_kind),
          num(p.subject_id),
          p.subject,
          method_name(p.method),
          rule_name(p.rule),
          p.quorum ? num(*p.quorum) : std::string(),
          p.secret ? "yes" : "no",
          poll_state_name(p.state),
          p.closed_at,
          p.outcome,
          count(p.counts.yes, !consensus),
          count(p.counts.no, !consensus),
          count(p.counts.abstain, !consensus),
          count(p.counts.cast, !consensus),
          count(p.counts.eligible, !consensus),
          count(p.counts.objections, consensus)};
}

}  // namespace

std::string export_csv(const ExportDocument& doc) {
  std::string out;
  row(out, {"poll", "subject_kind", "subject_id", "subject", "method", "rule", "quorum", "secret", "state",
            "closed_at", "outcome", "yes", "no", "abstain", "cast", "eligible", "objections", "voter", "choice"});
  for (const ExportPoll& p : doc.polls) {
    const std::vector<std::string> base = poll_fields(p);
    const bool named = p.method == Method::electronic && !p.secret && p.state == PollState::closed;
    if (named && !p.ballots.empty()) {
      for (const ExportBallot& b : p.ballots) {
        std::vector<std::string> fields = base;
        fields.push_back(defuse(b.person));
        fields.push_back(b.choice);
        row(out, fields);
      }
    } else {
      std::vector<std::string> fields = base;
      fields.push_back("");
      fields.push_back("");
      row(out, fields);
    }
  }
  return out;
}

}  // namespace rapporteur
