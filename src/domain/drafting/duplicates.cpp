#include "rapporteur/duplicates.h"

#include "rapporteur/text.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace rapporteur {
namespace {

// Lower-case letters that Unicode does not decompose into a base letter and
// marks (ligatures, letters with a stroke or bar, old letters), spelled as
// they are usually transliterated.
const char* undecomposed_letter(utf8proc_int32_t cp) {
  switch (cp) {
    case 0xE6: return "ae";   // æ
    case 0xF0: return "d";    // ð
    case 0xF8: return "o";    // ø
    case 0xFE: return "th";   // þ
    case 0x111: return "d";   // đ
    case 0x127: return "h";   // ħ
    case 0x131: return "i";   // dotless ı
    case 0x138: return "k";   // ĸ
    case 0x142: return "l";   // ł
    case 0x14B: return "n";   // ŋ
    case 0x153: return "oe";  // œ
    case 0x167: return "t";   // ŧ
    default: return nullptr;
  }
}

constexpr char32_t kFirstFolded = 0xC0, kLastFolded = 0x17F;

// The folded forms of U+00C0..U+017F (Latin-1 Supplement letters and Latin
// Extended-A), computed once from utf8proc's Unicode data: case folding,
// compatibility decomposition, combining marks stripped, then the letters
// above. Spacing leftovers (the middle dot of ŀ, the apostrophe of ŉ) are
// dropped. Empty for × and ÷, which are not letters and stay as they are.
const std::array<std::string, kLastFolded - kFirstFolded + 1>& latin_folds() {
  static const auto kFolds = [] {
    std::array<std::string, kLastFolded - kFirstFolded + 1> folds;
    const auto options = static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE |
                                                         UTF8PROC_COMPAT | UTF8PROC_STRIPMARK);
    for (char32_t cp = kFirstFolded; cp <= kLastFolded; ++cp) {
      if (cp == 0xD7 || cp == 0xF7) continue;
      utf8proc_int32_t parts[8];
      utf8proc_int32_t boundclass = UTF8PROC_BOUNDCLASS_START;
      const utf8proc_ssize_t n =
          utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), parts, 8, options, &boundclass);
      std::string& out = folds[cp - kFirstFolded];
      for (utf8proc_ssize_t k = 0; k < n; ++k) {
        if (parts[k] < 0x80) {
          out += static_cast<char>(parts[k]);
        } else if (const char* letter = undecomposed_letter(parts[k])) {
          out += letter;
        }
      }
    }
    return folds;
  }();
  return kFolds;
}

// Non-ASCII code points that separate words: Latin-1 punctuation and symbols
// (NBSP, guillemets, ...), × and ÷, general punctuation (dashes, typographic
// quotes), CJK punctuation, BOM/replacement characters.
bool separator(char32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x206F) ||
         (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF || cp == 0xFFFD || cp == kInvalidCodePoint;
}

const std::unordered_set<std::string_view>& stop_words() {
  static const std::unordered_set<std::string_view> kWords = {
      // English
      "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
      "before", "being", "between", "both", "but", "by", "can", "could", "do", "does", "during", "each",
      "either", "every", "for", "from", "has", "have", "how", "in", "including", "into", "is", "it", "its",
      "may", "might", "more", "most", "must", "no", "nor", "not", "of", "on", "only", "onto", "or", "other",
      "our", "over", "own", "per", "same", "shall", "should", "so", "some", "such", "than", "that", "the",
      "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "under", "very",
      "via", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "whose", "will", "with",
      "within", "without", "would",
      // French (accents folded)
      "afin", "ainsi", "au", "aux", "avec", "ce", "ces", "cet", "cette", "chez", "comme", "dans", "de",
      "des", "doit", "doivent", "dont", "du", "elle", "elles", "en", "entre", "est", "et", "etre", "il",
      "ils", "la", "le", "les", "leur", "leurs", "mais", "ne", "notamment", "nous", "ou", "par", "pas",
      "plus", "pour", "qu", "que", "qui", "sa", "sans", "se", "ses", "son", "sont", "sur", "toute",
      "toutes", "tous", "tout", "un", "une", "vers",
      // link debris
      "http", "https", "www", "com", "org",
  };
  return kWords;
}

bool ends_with(const std::string& w, std::string_view suffix) {
  return w.size() >= suffix.size() && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string stem(std::string w) {
  if (w.size() > 4 && ends_with(w, "ies")) {
    w.replace(w.size() - 3, 3, "y");
  } else if (w.size() > 4 && ends_with(w, "aux")) {
    w.replace(w.size() - 3, 3, "al");
  } else if (w.size() > 3 && ends_with(w, "s") && !ends_with(w, "ss") && !ends_with(w, "us") && !ends_with(w, "is")) {
    w.pop_back();
  }
  if (const size_t at = w.find("isation"); at != std::string::npos) w.replace(at, 7, "ization");
  // Cut to 6 code points (never inside a UTF-8 sequence).
  size_t points = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    if ((static_cast<unsigned char>(w[i]) & 0xC0) != 0x80 && ++points > 6) {
      w.resize(i);
      break;
    }
  }
  return w;
}

std::vector<std::string> unique_sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Weighted Jaccard of two sorted term sets; `weight` gives each term's weight.
template <typename Term, typename Weight>
double weighted_jaccard(const std::vector<Term>& a, const std::vector<Term>& b, Weight weight) {
  if (a.empty() || b.empty()) return 0;
  double common = 0, all = 0;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i] < b[j])) {
      all += weight(a[i++]);
    } else if (i == a.size() || b[j] < a[i]) {
      all += weight(b[j++]);
    } else {
      const double w = weight(a[i]);
      common += w;
      all += w;
      ++i;
      ++j;
    }
  }
  return all > 0 ? common / all : 0;
}

}  // namespace

std::string fold_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const DecodedChar c = decode_utf8(s, i);
    if (c.code_point < 0x80) {
      const char ascii = static_cast<char>(c.code_point);
      out += (ascii >= 'A' && ascii <= 'Z') ? static_cast<char>(ascii | 0x20) : ascii;
    } else if (c.code_point >= kFirstFolded && c.code_point <= kLastFolded &&
               !latin_folds()[c.code_point - kFirstFolded].empty()) {
      out += latin_folds()[c.code_point - kFirstFolded];
    } else {
      out.append(s.substr(i, c.length));  // other scripts, symbols and invalid bytes as they are
    }
    i += c.length;
  }
  return out;
}

std::vector<std::string> similarity_terms(std::string_view text) {
  const std::string folded = fold_text(text);
  std::vector<std::string> terms;
  std::string word;
  auto flush = [&] {
    if (word.size() > 1 && stop_words().count(word) == 0) terms.push_back(stem(word));
    word.clear();
  };
  size_t i = 0;
  while (i < folded.size()) {
    const DecodedChar c = decode_utf8(folded, i);
    const char32_t cp = c.code_point;
    const bool word_char = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 0x80 && !separator(cp));
    if (word_char) {
      word.append(folded, i, c.length);
    } else {
      flush();
    }
    i += c.length;
  }
  flush();
  return terms;
}

double text_similarity(std::string_view a, std::string_view b) {
  return weighted_jaccard(unique_sorted(similarity_terms(a)), unique_sorted(similarity_terms(b)),
                          [](const std::string&) { return 1.0; });
}

std::vector<Duplicate> find_duplicates(const Document& doc, double threshold) {
  threshold = std::clamp(threshold, 0.0, 1.0);
  std::vector<const Paragraph*> recs;
  for (const Paragraph& p : doc.paragraphs) {
    if (p.section == "recommendations" && !p.number.empty()) recs.push_back(&p);
  }
  const size_t n = recs.size();
  if (n < 2) return {};

  // Terms interned as ids in sorted order, so that a recommendation's term
  // list sorted by id is sorted as the strings were, and a merge walk over two
  // lists adds the weights in the same order as weighted_jaccard on strings.
  std::vector<std::vector<std::string>> words(n);
  std::vector<std::string> vocabulary;
  for (size_t i = 0; i < n; ++i) {
    words[i] = unique_sorted(similarity_terms(recs[i]->markdown));
    vocabulary.insert(vocabulary.end(), words[i].begin(), words[i].end());
  }
  vocabulary = unique_sorted(std::move(vocabulary));
  std::vector<std::vector<uint32_t>> terms(n);
  std::vector<uint32_t> df(vocabulary.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    for (const std::string& w : words[i]) {
      const auto id = static_cast<uint32_t>(std::lower_bound(vocabulary.begin(), vocabulary.end(), w) - vocabulary.begin());
      terms[i].push_back(id);
      ++df[id];
    }
  }
  words.clear();
  std::vector<double> weight(vocabulary.size());
  for (size_t t = 0; t < weight.size(); ++t) {
    weight[t] = std::log((1 + static_cast<double>(n)) / (1 + df[t])) + 1;
  }
  std::vector<double> total(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t t : terms[i]) total[i] += weight[t];
  }
  auto exact = [&](size_t i, size_t j) {
    return weighted_jaccard(terms[i], terms[j], [&](uint32_t t) { return weight[t]; });
  };
  // Breakouts as numbers (0: unknown, never compared).
  std::vector<uint32_t> breakout(n, 0);
  {
    std::unordered_map<std::string, uint32_t> ids;
    for (size_t i = 0; i < n; ++i) {
      const std::string& b = recs[i]->source.breakout;
      if (!b.empty()) breakout[i] = ids.emplace(b, static_cast<uint32_t>(ids.size() + 1)).first->second;
    }
  }
  auto comparable = [&](size_t i, size_t j) {
    return breakout[i] != 0 && breakout[j] != 0 && breakout[i] != breakout[j];
  };

  // Every qualifying pair, found by prefix filtering instead of trying all
  // n^2/2 pairs. Order terms rarest first (highest weight, then id). A pair
  // scoring s >= t shares a weight c >= t * W_i, since s = c / (W_i + W_j - c)
  // and W_j >= c. So the first term the two share, in that order, lies in the
  // shortest prefix of each whose remaining terms weigh less than t * W: only
  // prefix terms are indexed, and the common words of a session (late in the
  // order) lead to no candidate. Candidates are then scored exactly, as two
  // strings would be (same additions, same order). A threshold of 0 admits
  // every comparable pair.
  struct Pair {
    uint32_t i, j;
    double score;
  };
  std::vector<Pair> pairs;
  auto consider = [&](size_t i, size_t j) {
    const double lo = std::min(total[i], total[j]), hi = std::max(total[i], total[j]);
    if (threshold > 0 && lo < threshold * hi * (1 - 1e-9)) return;  // s <= lo / hi
    const double score = exact(i, j);
    if (score >= threshold) pairs.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j), score});
  };
  if (threshold <= 0) {
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i + 1; j < n; ++j) {
        if (comparable(i, j)) consider(i, j);
      }
    }
  } else {
    std::vector<uint32_t> order(vocabulary.size());
    for (uint32_t t = 0; t < order.size(); ++t) order[t] = t;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return weight[a] != weight[b] ? weight[a] > weight[b] : a < b; });
    std::vector<uint32_t> rank(order.size());
    for (uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    // prefix[i]: the prefix terms of i; index[t]: the recommendations with t
    // in their prefix, in document order.
    std::vector<std::vector<uint32_t>> prefix(n), index(vocabulary.size());
    for (size_t i = 0; i < n; ++i) {
      std::vector<uint32_t> sorted = terms[i];
      std::sort(sorted.begin(), sorted.end(), [&](uint32_t a, uint32_t b) { return rank[a] < rank[b]; });
      const double limit = threshold * total[i] * (1 - 1e-9);
      double rest = total[i];
      for (size_t k = 0; k < sorted.size() && rest >= limit; ++k) {
        prefix[i].push_back(sorted[k]);
        rest -= weight[sorted[k]];
      }
      for (uint32_t t : prefix[i]) index[t].push_back(static_cast<uint32_t>(i));
    }
    std::vector<uint32_t> seen(n, std::numeric_limits<uint32_t>::max()), candidates;
    for (size_t i = 0; i + 1 < n; ++i) {
      if (breakout[i] == 0) continue;
      candidates.clear();
      for (uint32_t t : prefix[i]) {
        const auto& list = index[t];
        for (auto it = std::upper_bound(list.begin(), list.end(), static_cast<uint32_t>(i)); it != list.end(); ++it) {
          if (seen[*it] == i || !comparable(i, *it)) continue;
          seen[*it] = static_cast<uint32_t>(i);
          candidates.push_back(*it);
        }
      }
      std::sort(candidates.begin(), candidates.end());
      for (uint32_t j : candidates) consider(i, j);
    }
  }

  // At most kMaxDuplicatesPerRecommendation pairs per recommendation: a pair is
  // kept when it is among the best of either of its two recommendations
  // (highest score first, then nearest in the document), so every flagged
  // recommendation keeps its closest matches and 200 copies of one text do
  // not flag 20,000 pairs.
  std::vector<std::vector<uint32_t>> best(n);  // indexes into pairs
  auto better = [&](uint32_t x, uint32_t y) {
    if (pairs[x].score != pairs[y].score) return pairs[x].score > pairs[y].score;
    return pairs[x].j - pairs[x].i < pairs[y].j - pairs[y].i || (pairs[x].j - pairs[x].i == pairs[y].j - pairs[y].i && x < y);
  };
  auto offer = [&](uint32_t rec, uint32_t pair) {
    auto& list = best[rec];
    list.insert(std::upper_bound(list.begin(), list.end(), pair, better), pair);
    if (list.size() > kMaxDuplicatesPerRecommendation) list.pop_back();
  };
  for (uint32_t k = 0; k < pairs.size(); ++k) {
    offer(pairs[k].i, k);
    offer(pairs[k].j, k);
  }
  std::vector<bool> kept(pairs.size(), false);
  for (const auto& list : best) {
    for (uint32_t k : list) kept[k] = true;
  }
  std::vector<Duplicate> out;
  for (uint32_t k = 0; k < pairs.size(); ++k) {  // pairs are in document order of a, then b
    if (!kept[k]) continue;
    out.push_back(Duplicate{recs[pairs[k].i]->pid, recs[pairs[k].j]->pid, std::round(pairs[k].score * 1000) / 1000});
  }
  return out;
}

}  // namespace rapporteur
