// assign_pids (rapporteur/draft_merge.h): the paragraphs of the next draft
// keep the ids of the previous draft's paragraphs whose text lives on.
#include "domain/drafting/draft_pids.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "domain/drafting/draft_text.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/duplicates.h"

namespace rapporteur {
namespace {

using draft_text::collapse_whitespace;

// Sorted, unique character trigrams of the folded, collapsed text (bytes,
// padded with a space at both ends).
std::vector<uint32_t> trigrams(std::string_view markdown) {
  const std::string t = " " + collapse_whitespace(fold_text(markdown)) + " ";
  std::vector<uint32_t> out;
  if (t.size() < 3) return out;
  out.reserve(t.size() - 2);
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    out.push_back((static_cast<uint32_t>(static_cast<unsigned char>(t[i])) << 16) |
                  (static_cast<uint32_t>(static_cast<unsigned char>(t[i + 1])) << 8) |
                  static_cast<unsigned char>(t[i + 2]));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double dice(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t common = 0, i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

// N of a pid "p<N>", or 0.
int pid_value(const std::string& pid) {
  if (pid.size() < 2 || pid.size() > 10 || pid[0] != 'p') return 0;
  int n = 0;
  for (size_t i = 1; i < pid.size(); ++i) {
    if (pid[i] < '0' || pid[i] > '9') return 0;
    n = n * 10 + (pid[i] - '0');
  }
  return n;
}


struct Candidate {
  double score;
  bool same_section;
  double distance;
  size_t next;
  size_t prev;
};

}  // namespace

void raise_seq(const Document& doc, int& next_seq) {
  for (const Paragraph& p : doc.paragraphs) next_seq = std::max(next_seq, pid_value(p.pid) + 1);
  next_seq = std::max(next_seq, 1);
}

void assign_pids(Document& next, const Document* previous, int& next_seq) {
  raise_seq(next, next_seq);
  if (previous != nullptr) raise_seq(*previous, next_seq);

  std::unordered_set<std::string> taken;
  for (const Paragraph& p : next.paragraphs) {
    if (!p.pid.empty()) taken.insert(p.pid);
  }
  // Previous paragraphs whose pid may be handed on (first occurrence only).
  std::vector<size_t> available;
  if (previous != nullptr) {
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < previous->paragraphs.size(); ++i) {
      const std::string& pid = previous->paragraphs[i].pid;
      if (pid.empty() || taken.count(pid) != 0 || !seen.insert(pid).second) continue;
      available.push_back(i);
    }
  }
  std::vector<bool> used(previous ? previous->paragraphs.size() : 0, false);

  // 1. Exact matches, pairing equal texts in document order.
  std::unordered_map<std::string, std::deque<size_t>> by_text;
  for (size_t i : available) by_text[collapse_whitespace(previous->paragraphs[i].markdown)].push_back(i);
  std::vector<size_t> unmatched;
  for (size_t i = 0; i < next.paragraphs.size(); ++i) {
    Paragraph& p = next.paragraphs[i];
    if (!p.pid.empty()) continue;
    auto found = by_text.find(collapse_whitespace(p.markdown));
    if (found != by_text.end() && !found->second.empty()) {
      const size_t j = found->second.front();
      found->second.pop_front();
      p.pid = previous->paragraphs[j].pid;
      used[j] = true;
    } else {
      unmatched.push_back(i);
    }
  }

  // 2. Similar matches, best first.
  std::vector<size_t> left;
  for (size_t i : available) {
    if (!used[i]) left.push_back(i);
  }
  if (!unmatched.empty() && !left.empty()) {
    std::vector<std::vector<uint32_t>> next_grams, prev_grams;
    for (size_t i : unmatched) next_grams.push_back(trigrams(next.paragraphs[i].markdown));
    for (size_t j : left) prev_grams.push_back(trigrams(previous->paragraphs[j].markdown));
    const double next_size = static_cast<double>(next.paragraphs.size());
    const double prev_size = static_cast<double>(previous->paragraphs.size());
    std::vector<Candidate> candidates;
    const bool all_pairs = unmatched.size() * left.size() <= kPidMaxPairs;
    const size_t window = std::max<size_t>(1, kPidMaxPairs / unmatched.size() / 2);
    for (size_t u = 0; u < unmatched.size(); ++u) {
      size_t lo = 0, hi = left.size();
      if (!all_pairs) {
        const size_t centre = u * left.size() / unmatched.size();
        lo = centre > window ? centre - window : 0;
        hi = std::min(left.size(), centre + window + 1);
      }
      for (size_t v = lo; v < hi; ++v) {
        const double score = dice(next_grams[u], prev_grams[v]);
        if (score < kPidSimilarityThreshold) continue;
        const Paragraph& np = next.paragraphs[unmatched[u]];
        const Paragraph& pp = previous->paragraphs[left[v]];
        const double distance = std::fabs(static_cast<double>(unmatched[u]) / next_size -
                                          static_cast<double>(left[v]) / prev_size);
        candidates.push_back(Candidate{score, np.section == pp.section, distance, u, v});
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.same_section != b.same_section) return a.same_section;
      if (a.distance != b.distance) return a.distance < b.distance;
      if (a.next != b.next) return a.next < b.next;
      return a.prev < b.prev;
    });
    std::vector<bool> next_done(unmatched.size(), false), prev_done(left.size(), false);
    for (const Candidate& c : candidates) {
      if (next_done[c.next] || prev_done[c.prev]) continue;
      next_done[c.next] = prev_done[c.prev] = true;
      next.paragraphs[unmatched[c.next]].pid = previous->paragraphs[left[c.prev]].pid;
    }
  }

  // 3. New pids for the rest.
  for (Paragraph& p : next.paragraphs) {
    if (p.pid.empty()) p.pid = "p" + std::to_string(next_seq++);
  }
}

}  // namespace rapporteur
