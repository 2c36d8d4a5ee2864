// Shared by the export formats (src/domain/export_*.cpp): labels, and the
// converter runner used by PDF and DOCX. Not part of the public contract.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rapporteur/diff.h"
#include "rapporteur/export.h"

namespace rapporteur::export_detail {

// "Conclusions", "Recommendations", "Preamble", or the section's own name.
std::string section_title(const std::string& section);
// "electronic vote", "show of hands", "consensus".
std::string method_label(Method method);
// "simple majority", "two-thirds majority", "absolute majority", "consensus".
std::string rule_label(Rule rule);
// "adopted", "rejected", "no quorum"; "" for "".
std::string outcome_label(const std::string& outcome);
// An amendment's status: "ruled out", "adopted", ...
std::string status_label(AmendmentStatus status);
// "replace", "insert after", "delete".
std::string amendment_kind_label(AmendmentKind kind);
// "12 yes, 3 no, 2 abstain (17 cast of 20)" or "no objection" / "2 objections".
std::string counts_text(Method method, const ExportCounts& counts);
// "R2 (p7)" or "p7".
std::string target_label(const ExportAmendment& a);
// "adopted: poll 2, 12 yes, 3 no, 2 abstain (17 cast of 20)", "ruled out", ...
std::string amendment_outcome_text(const ExportAmendment& a);
// The title of breakout `id` in `doc.breakouts`, else `id` itself.
std::string breakout_title(const ExportDocument& doc, const std::string& id);
// "Breakout: Complementarity of actors", "Amendment 3", "Editorial draft 2",
// or "" (the breakout named by its title, see breakout_title).
std::string source_text(const Source& source, const ExportDocument& doc);
// `paragraphs` with each source's breakout id replaced by its title: what
// document_markdown then writes in the attributions is readable.
std::vector<Paragraph> with_breakout_titles(const std::vector<Paragraph>& paragraphs, const ExportDocument& doc);
// The words of a Markdown text as a reader sees them: each top-level block's
// text (inline_text; code blocks verbatim) on a line of its own, markup and
// raw HTML dropped, an image's description kept.
std::string reading_text(const std::string& markdown);
// An amendment as a word diff of its paragraph's reading_text: the original
// against the amended text for replace, the whole original deleted for
// delete, the whole text inserted for insert_after.
std::vector<Hunk> amendment_hunks(const ExportAmendment& a);

// Who reads the Markdown export: a person (the .md file: word diffs as raw
// <del>/<ins>, the final text verbatim) or pandoc making the DOCX (word
// diffs as ~~strikeout~~ and [underline]{.underline}; the text, final or
// not, written with breakout titles).
enum class MarkdownReader { person, pandoc };
std::string export_markdown_for(const ExportDocument& doc, MarkdownReader reader);
// "DRAFT 3".
std::string draft_label(const ExportDocument& doc);
// "12 yes, 3 no, 2 abstain ..." of a poll, or "not counted yet".
std::string poll_counts_text(const ExportPoll& p);
// the outcome's label once closed; before that, the poll state's wire name
std::string poll_outcome_text(const ExportPoll& p);
// "7 (quorum)" or "none".
std::string quorum_text(const ExportPoll& p);

// Consecutive paragraphs of one section (sections are contiguous in drafts).
struct SectionRun {
  std::string section;
  std::vector<const Paragraph*> paragraphs;
};
std::vector<SectionRun> section_runs(const std::vector<Paragraph>& paragraphs);

// One run of an external converter in a temporary folder of its own.
struct ConverterJob {
  std::string program;  // looked up in the search path: "chromium", "pandoc"
  std::string package;  // the Debian package that provides it
  std::string format;   // "pdf", for messages
  std::string input_name;
  std::string input;
  std::string output_name;
  std::string output_magic;  // the output's first bytes ("%PDF-", "PK")
  // Extra files written next to the input (name, content).
  std::vector<std::pair<std::string, std::string>> extra_files;
  // Run in the temporary folder before argv (may be empty): files or links
  // the program needs beside its input.
  std::function<Status(const std::string& program, const std::string& dir)> prepare;
  // The argv, given the program's path and the temporary folder.
  std::function<std::vector<std::string>(const std::string& program, const std::string& dir)> argv;
};

// not_implemented naming the package when the program is missing;
// converters_busy when kMaxConcurrentConversions are running and none
// finishes within 15 s (or the timeout, if shorter); converter_timeout when
// it runs out of time; converter_failed when it fails (a crash, its memory
// limit) or writes nothing. The messages name the format and the program,
// never its output (logged instead: it holds paths of the server).
Result<std::string> run_converter(const ConverterJob& job, const ConverterOptions& options);

}  // namespace rapporteur::export_detail
