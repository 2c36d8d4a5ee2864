// Export of the conclusions document: the final text once adopted (or the
// current draft, marked DRAFT) with its annex (amendments and polls), as
// Markdown, standalone HTML, PDF, DOCX, JSON, and the voting record as CSV.
//
// The formats are pure functions of an ExportDocument (a plain struct, built
// from the database by load_export or by hand in tests); none of them knows
// SQLite or HTTP. Markdown, HTML, JSON and CSV are rendered in-process; PDF
// (Debian's chromium, from the HTML) and DOCX (pandoc, from the Markdown) run
// a converter as a subprocess: argv only, never a shell, in a fresh temporary
// folder that is removed afterwards, with a timeout. A converter that is not
// installed answers Status::not_implemented naming the Debian package to
// install; one that fails answers Status::converter_failed, one that runs
// out of time Status::converter_timeout; when kMaxConcurrentConversions are
// already running and none finishes within 15 s, Status::converters_busy
// (all three are temporary: 503 with Retry-After).
//
// Safety: paragraph HTML comes from render_markdown (cmark safe mode, unsafe
// link schemes dropped); every other text is escaped. The HTML carries a
// Content-Security-Policy that forbids every external resource (no image,
// font or stylesheet is fetched when the file is opened or printed).
// Converters never see an image or raw HTML of what people wrote (they are
// taken out of their input first, src/domain/converter_input.h); pandoc runs
// with --sandbox (no file or network access beyond its input) and Chromium
// resolves no address; each runs under a memory limit and a timeout.
//
// Thread safety: every function may be called from any thread. At most
// kMaxConcurrentConversions converters run at once; converter output is kept
// in a small cache keyed by the SHA-256 of the converter's input, so the
// frozen final text is converted once.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rapporteur/amendment.h"
#include "rapporteur/draft.h"
#include "rapporteur/poll.h"
#include "rapporteur/status.h"
#include "rapporteur/store.h"

namespace rapporteur {

enum class ExportFormat { md, html, pdf, docx, json, csv };

// "md", "html", "pdf", "docx", "json", "csv" (exact); std::nullopt otherwise.
std::optional<ExportFormat> parse_export_format(std::string_view name);
const char* export_format_name(ExportFormat format);
// The names, for messages: "md, html, pdf, docx, json, csv".
inline constexpr const char* kExportFormatNames = "md, html, pdf, docx, json, csv";
// "text/markdown; charset=utf-8", "application/pdf", ...
const char* export_content_type(ExportFormat format);

// Counts of a poll (or of the poll that decided an amendment). For the
// consensus method only `objections` is meaningful.
struct ExportCounts {
  int64_t yes = 0;
  int64_t no = 0;
  int64_t abstain = 0;
  int64_t cast = 0;
  int64_t eligible = 0;
  int64_t objections = 0;
};

struct ExportAmendment {
  int64_t id = 0;
  int draft = 0;              // the draft it was proposed against
  std::string target;         // the target paragraph's pid
  std::string target_number;  // "R3" when the target is a recommendation, else empty
  AmendmentKind kind = AmendmentKind::replace;
  std::string original;       // the target's Markdown when proposed
  std::string text;           // the amended text (empty for delete)
  std::string proposer_role;  // "participant", "rapporteur", ... never a name
  AmendmentStatus status = AmendmentStatus::proposed;
  // The last closed poll on it: its id (0 when never voted), outcome and counts.
  int64_t poll = 0;
  std::string outcome;  // adopted, rejected, no_quorum; empty when never voted
  std::optional<Method> method;  // of that poll; none when never voted
  ExportCounts counts;
};

struct ExportBallot {
  std::string person;  // the voter's name (named polls only)
  std::string choice;  // yes, no, abstain
};

struct ExportPoll {
  int64_t id = 0;
  PollSubject subject_kind = PollSubject::amendment;
  int64_t subject_id = 0;  // amendment id or draft number
  std::string subject;     // human-readable: "Amendment 3 (R2)", "Adoption of draft 4"
  Method method = Method::electronic;
  Rule rule = Rule::simple;
  std::optional<int64_t> quorum;
  bool secret = false;
  PollState state = PollState::pending;
  std::string opened_at;  // RFC 3339, empty when not opened
  std::string closed_at;  // RFC 3339, empty when not closed
  bool has_counts = false;  // false while pending, or a secret poll still open
  ExportCounts counts;
  std::string outcome;  // adopted, rejected, no_quorum; empty until closed
  // Closed named electronic polls: every ballot. Closed secret polls: the
  // receipts of the ballots cast (never linked to a person).
  std::vector<ExportBallot> ballots;
  std::vector<std::string> receipts;
};

struct ExportDocument {
  std::string session;  // slug
  std::string title;
  std::string date;  // YYYY-MM-DD
  std::string place;
  std::string timezone;
  std::string lang = "en";  // the export's own labels are English
  bool final = false;       // false: a draft, marked DRAFT everywhere
  int draft = 0;            // the draft's number (the final text is a draft too)
  std::string adopted_at;   // RFC 3339 when final, else empty
  std::string markdown;     // the text exactly as hashed (document_markdown)
  std::string sha256;       // lower-case hex SHA-256 of `markdown`
  std::vector<Paragraph> paragraphs;
  // The session's breakouts as (id, title), in the session's order: a
  // paragraph's source names its breakout by the title (by the id when the
  // breakout is not listed).
  std::vector<std::pair<std::string, std::string>> breakouts;
  std::vector<ExportAmendment> amendments;
  std::vector<ExportPoll> polls;
  std::string log_head;  // hash of the last event of the session's log
  int64_t log_events = 0;
};

// "<session>-final.<ext>" or "<session>-draft-<n>.<ext>".
std::string export_filename(const ExportDocument& doc, ExportFormat format);

// Markdown (CommonMark with pipe tables in the annex): a header (session,
// date, place, adopted at, SHA-256), the text (verbatim when final, so it
// still hashes to `sha256`; the header then lists the breakouts' titles
// beside the ids the text's attributions use; a draft's text names them by
// title), an annex with the amendments table and every poll. Each amendment
// is shown as a word diff of its paragraph: deleted words in <del>, inserted
// words in <ins> (raw HTML, which GitHub-flavoured renderers show struck and
// underlined). A draft says DRAFT at the top and in every section heading.
std::string export_markdown(const ExportDocument& doc);

// One standalone HTML5 file: inline print CSS (A4, page numbers, repeated
// table headers, rows never split), no external resources, dir="auto" on
// every block of user text, a DRAFT watermark on every page of a draft.
// Sources name breakouts by title; the amendments annex shows each change
// as a word diff (<del> struck, <ins> underlined).
std::string export_html(const ExportDocument& doc);

// What a third party needs to re-verify the adoption (see export_json.cpp).
nlohmann::json export_json(const ExportDocument& doc);

// The voting record, RFC 4180: CRLF line ends, a header row, one row per
// ballot of a named electronic poll, one row per poll for the others.
std::string export_csv(const ExportDocument& doc);

// Where and how converters run.
struct ConverterOptions {
  // Directories searched for "chromium" and "pandoc", PATH syntax; empty:
  // the PATH environment variable (or "/usr/local/bin:/usr/bin:/bin").
  std::string search_path;
  // The folder in which each conversion makes its temporary folder; empty:
  // std::filesystem::temp_directory_path().
  std::string temp_root;
  int timeout_ms = 90'000;
  // The memory each converter process may use (RLIMIT_DATA; pandoc's heap
  // is also capped below it). Past it the conversion fails:
  // Status::converter_failed.
  size_t memory_limit_bytes = size_t{1} << 30;
  // Whether converter output may be served from / stored in the cache.
  bool use_cache = true;
};

inline constexpr int kMaxConcurrentConversions = 2;

// The executable `name` in `search_path` (PATH syntax, empty entries
// skipped), or std::nullopt.
std::optional<std::string> find_program(const std::string& name, const std::string& search_path);

// PDF printed by chromium from export_html. not_implemented naming the
// package "chromium" when it is not installed.
Result<std::string> export_pdf(const ExportDocument& doc, const ConverterOptions& options = {});

// DOCX converted by pandoc from the Markdown export, with the text's
// attributions naming breakouts by title and the word diffs as strikeout and
// underline. not_implemented naming the package "pandoc" when it is not
// installed.
Result<std::string> export_docx(const ExportDocument& doc, const ConverterOptions& options = {});

// Any format, as bytes.
Result<std::string> render_export(const ExportDocument& doc, ExportFormat format,
                                  const ConverterOptions& options = {});

// The export of a session read from the database (one read snapshot): the
// final text once adopted, else the current draft. not_found for an unknown
// session or one without a draft yet.
Result<ExportDocument> load_export(Snapshot& snap, const std::string& session);

}  // namespace rapporteur
