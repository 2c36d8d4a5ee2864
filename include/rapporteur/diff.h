// Text diffs: word-level for reading amendments, line-level for merging.
//
// Pure functions of their inputs, thread-safe, no I/O. Both diffs run Myers'
// O(ND) algorithm in linear space on interned tokens, after stripping the
// common prefix and suffix. When the inputs are so different that a minimal
// script would be expensive, the search settles for a correct but possibly
// longer script (and, past a fixed amount of work, reports the rest as one
// deletion plus one insertion), so time stays bounded on any 64 KiB input.
//
// Every result satisfies, for hunks h = diff_xxx(a, b):
//   concatenation of the equal and delete texts, in order, == a
//   concatenation of the equal and insert texts, in order, == b
//   no hunk has empty text, and no two adjacent hunks have the same op;
//   within a run of changes the deletion comes before the insertion.
// Identical inputs give a single equal hunk (none when both are empty).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rapporteur {

enum class DiffOp { equal, insert, del };

struct Hunk {
  DiffOp op;
  std::string text;

  bool operator==(const Hunk&) const = default;
};

// The wire name of an op: "equal", "insert" or "delete".
const char* diff_op_name(DiffOp op);

// Word tokens of `s`, as views into it, covering it exactly: runs of word
// characters (ASCII letters, digits, '_', and every byte of a non-ASCII code
// point, so "développement", "توصيات" and "maendeleo" stay whole), runs of
// ASCII whitespace, and single other characters (punctuation, controls).
std::vector<std::string_view> split_words(std::string_view s);

// Line tokens of `s`, each including its '\n'; the last one lacks it when `s`
// does not end with a newline. Empty input has no lines.
std::vector<std::string_view> split_lines(std::string_view s);

// How hard the search tries before settling for a longer script. The
// defaults suit any input up to the 64 KiB body limit; tests lower them to
// exercise the fallbacks on small inputs.
struct DiffLimits {
  // Rounds of the middle-snake search after which a sub-problem is cut at the
  // furthest point reached; raised to sqrt(N+M) tokens for large inputs.
  int64_t min_cost_cap = 256;
  // Work units (diagonals visited plus matching tokens walked) one diff may
  // spend, base plus per input token, before every sub-problem still open is
  // reported as one deletion plus one insertion.
  int64_t base_work_budget = int64_t{1} << 22;
  int64_t work_per_token = 64;
};

// Word-level diff of `a` into `b` (tokens as split_words). A whitespace-only
// equal run lying between two changes is folded into them, so that
// "the quick brown fox" -> "the slow red fox" reads as one replacement of
// "quick brown" by "slow red" rather than two.
std::vector<Hunk> diff_words(std::string_view a, std::string_view b, const DiffLimits& limits = {});

// Line-level diff of `a` into `b` (tokens as split_lines). No cleanup: the
// equal hunks are exactly the lines kept by the edit script, which is what a
// three-way merge needs. A final line without '\n' differs from the same line
// with one.
std::vector<Hunk> diff_lines(std::string_view a, std::string_view b, const DiffLimits& limits = {});

// The hunks as HTML: text escaped with html_escape, insertions wrapped in
// <ins>...</ins>, deletions in <del>...</del>, equal text bare.
std::string diff_html(const std::vector<Hunk>& hunks);

// [{"op": "equal"|"insert"|"delete", "text": ...}, ...]
nlohmann::json hunks_to_json(const std::vector<Hunk>& hunks);

}  // namespace rapporteur
