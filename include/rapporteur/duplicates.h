// Near-duplicate recommendations from different breakouts, flagged for the
// secretariat to consolidate. Pure functions; thread-safe.
//
// How two recommendations are compared:
//  1. Text is folded: ASCII lower-cased; letters of Latin-1 Supplement and
//     Latin Extended-A lose their accents ("É" -> "e", "œ" -> "oe",
//     "ß" -> "ss", "ł" -> "l"); other letters are kept as they are.
//  2. Words are runs of letters and digits; punctuation (ASCII, typographic
//     quotes and dashes, NBSP, ...) and Markdown markup separate words.
//  3. English and French stop words and one-letter words are dropped.
//  4. Light stemming: plurals ("cities" -> "city", "locaux" -> "local",
//     "partners" -> "partner"), "-isation" spelled "-ization", then every
//     word is cut to its first 6 letters ("financing", "finance" ->
//     "financ"; "organisations", "organization" -> "organi").
//  5. The score is the weighted Jaccard index of the two sets of terms, each
//     term weighted by its inverse document frequency among the document's
//     recommendations (idf = ln((1 + N) / (1 + df)) + 1), so the words every
//     recommendation of a migration session uses ("migration", "local")
//     count for less than the ones that say what is recommended. In [0, 1].
//
// The default threshold, 0.45, was set on paraphrases (same action, other
// words: scores 0.52 to 1.0) and related-but-different recommendations (same
// actors or topic, another action: scores up to 0.42); see
// tests/duplicates_test.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rapporteur/draft.h"

namespace rapporteur {

inline constexpr double kDuplicateThreshold = 0.45;

// A recommendation is flagged with at most this many matches: its best ones.
inline constexpr size_t kMaxDuplicatesPerRecommendation = 3;

// Pairs of recommendations (paragraphs of section "recommendations" that carry
// a number) whose source breakouts are both known and differ, with a score
// >= threshold. `a` comes before `b` in the document; pairs are in document
// order of `a`, then `b`. Scores are rounded to 3 decimals. A threshold
// outside [0, 1] is clamped.
//
// A pair is kept only if it is among the kMaxDuplicatesPerRecommendation
// best pairs of `a` or of `b` (highest score first, then the nearest in the
// document, then the earlier): every recommendation that has a match stays
// flagged with its closest ones, and a text copied into many breakouts does
// not flag every pair of copies (n copies give at most 3n pairs, not n^2/2).
// The work is proportional to the pairs that share a term, not to all pairs.
std::vector<Duplicate> find_duplicates(const Document& doc, double threshold = kDuplicateThreshold);

// Unweighted (every term weighs 1) similarity of two texts, in [0, 1]; 0 when
// either has no term. Steps 1 to 4 above.
double text_similarity(std::string_view a, std::string_view b);

// The terms of `text` (steps 1 to 4 above), in order of appearance, repeats kept.
std::vector<std::string> similarity_terms(std::string_view text);

// `s` with ASCII lower-cased and Latin-1 Supplement / Latin Extended-A
// letters folded to unaccented lower-case ASCII (step 1), from utf8proc's
// Unicode case folding and decompositions. Other scripts, and the bytes of
// invalid UTF-8 (decode_utf8 in text.h: overlongs and surrogates included),
// are kept as they are.
std::string fold_text(std::string_view s);

}  // namespace rapporteur
