// Consolidation: breakout fragments -> the numbered conclusions document, and
// the editorial edits / amendments that make the next drafts. Pure functions
// of their arguments (the only shared state is the render cache of
// markdown.h); thread-safe.
//
// ## Merge rules (merge_fragments)
//
// Sections come in a fixed order: "preamble" (the session's title as a
// level-1 heading, then one paragraph "<place>, <date>"), "conclusions",
// "recommendations", then the other sections in first-seen order.
//
// Each fragment body is split into blocks with cmark's syntax tree
// (split_blocks). Walking the blocks of one fragment, with the current section
// starting at "conclusions":
//  - A heading, at any level, whose text names the conclusions or the
//    recommendations switches to that section and is not copied. A heading
//    names one of them when, after folding case and accents, dropping a
//    leading number ("2.", "II -") and trailing punctuation (":"), one of its
//    first two words is "conclusion(s)" or "recommendation(s)" /
//    "recommandation(s)". So "Recommendations", "Key recommendations:",
//    "RECOMMANDATIONS :", "2. Main conclusions" and "Conclusions and
//    recommendations" (the first such word wins: conclusions) are
//    recognised; "Why the 2018 conclusions still matter" is not.
//  - Another level-1 or level-2 heading starts (or returns to) a section
//    named by its text, trailing ":" removed; sections of the same name
//    (compared with case and accents folded) from different fragments are one
//    section, displayed with the first-seen spelling. It is not copied. An
//    exception: a level-1 heading that is the fragment's very first block is
//    the fragment's title and is dropped (the current section stays
//    "conclusions"). A heading with no text is dropped.
//  - A heading of level 3 to 6 stays, as a paragraph of kind "heading" in the
//    current section.
//  - A top-level list becomes one paragraph of kind "list_item" per item
//    (marker removed; nested lists, code and quotes stay inside the item);
//    empty items are dropped.
//  - In "recommendations", a paragraph ending with ":" directly followed by a
//    list introduces it: kind "lead_in", not numbered.
//  - Every other block is one paragraph: kind "paragraph", "code", "quote",
//    "html" or "rule". Pipe tables are not CommonMark: they stay the text of
//    a paragraph.
// Blocks before any heading therefore go to "conclusions". Fragments are taken
// in the order given (the caller passes breakout order, then creation order).
// Every paragraph's source is {kind "fragment", breakout, fragment, version}.
//
// Numbering (renumber): paragraphs of section "recommendations" of kind
// "list_item" or "paragraph" are R1..Rn in document order; every other
// paragraph has an empty number.
//
// ## Paragraph ids (assign_pids)
//
// A paragraph of the next draft keeps the pid of a paragraph of the previous
// draft whose text lives on:
//  1. exact match: same Markdown after collapsing runs of whitespace; equal
//     texts pair up in document order;
//  2. then similar match: Dice coefficient of the sets of character
//     trigrams of the folded (case, accents), whitespace-collapsed texts,
//     >= kPidSimilarityThreshold. Pairs are taken best score first (ties: same
//     section, then closer relative position, then document order). A typo
//     fix or a few added words keep the pid; a rewrite gets a new one.
// Each previous pid is used at most once. For very large drafts (more than
// kPidMaxPairs candidate pairs) step 2 compares each paragraph only with the
// unmatched previous paragraphs near the same relative position.
//
// The document's Markdown and HTML: rapporteur/document_output.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rapporteur/amendment.h"
#include "rapporteur/document_output.h"  // kept for callers that use both
#include "rapporteur/draft.h"
#include "rapporteur/status.h"

namespace rapporteur {

inline constexpr double kPidSimilarityThreshold = 0.5;
inline constexpr size_t kPidMaxPairs = 250000;
// Edit texts, like fragment bodies, are at most 64 KiB.
inline constexpr size_t kMaxEditTextBytes = 64 * 1024;

struct FragmentInput {
  std::string breakout;
  std::string breakout_title;  // not written into the document (see document_markdown)
  int64_t fragment = 0;
  int version = 0;
  std::string title;  // the fragment's own title; not written into the document
  std::string body;   // Markdown
};

struct MergeHeader {
  std::string title;
  std::string date;   // written as given, e.g. "2022-05-19"
  std::string place;  // e.g. "Kisumu, Kenya"
};

// The merged document (rules above), renumbered. Pids are left empty: call
// assign_pids next. Never fails; invalid UTF-8 in bodies becomes U+FFFD.
Document merge_fragments(const MergeHeader& header, const std::vector<FragmentInput>& fragments);

// Gives every paragraph of `next` without a pid one (rule above), reusing pids
// of `previous` (may be null) or allocating "p<next_seq>" and incrementing
// next_seq. Paragraphs of `next` that already carry a pid keep it, and that
// pid is not handed out again. next_seq is first raised above every "p<N>" in
// either document, so pids never collide even if the caller's counter lags.
void assign_pids(Document& next, const Document* previous, int& next_seq);

// Sets `number` as described above.
void renumber(Document& doc);

// One editorial edit or amendment: replace (pid, text), insert_after (pid,
// text) or delete (pid, no text).
struct Edit {
  AmendmentKind op = AmendmentKind::replace;
  std::string pid;
  std::string text;
};

// The next draft: `base` with `edits` applied. All edits are validated before
// any is applied; a failure is Status::invalid naming the edit's index and the
// rule, with field "edits[i].<member>":
//  - no edits; an empty pid or one that is not in `base`;
//  - empty (blank) text for replace/insert_after; text for delete; text that
//    is not valid UTF-8, holds NUL, or exceeds kMaxEditTextBytes;
//  - two edits that replace/delete the same paragraph.
// Edits refer to pids of `base` only. Several insert_after the same pid are
// inserted in edit order; inserting after a deleted paragraph is allowed.
// A replaced paragraph keeps its pid, section and (unless the new text is a
// single block of another kind, e.g. a heading) its kind; an inserted one gets
// "p<next_seq++>", its target's section, and kind "list_item" after a list
// item or lead-in, else "paragraph" (or the text's own kind, as for replace).
// A text that is a one-item list replacing/inserting a list item is stored as
// the item's content. Texts are stored with line endings normalised to "\n"
// and surrounding blank lines trimmed. The new paragraph's source is `source`;
// for replace, an empty source.breakout is filled in from the target, so a
// corrected recommendation still names its breakout. Renumbers.
Result<Document> apply_edits(const Document& base, const std::vector<Edit>& edits, const Source& source,
                             int& next_seq);

}  // namespace rapporteur
