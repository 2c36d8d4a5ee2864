#include "rapporteur/diff.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "rapporteur/text.h"

namespace rapporteur {
namespace {

using Index = std::ptrdiff_t;

constexpr Index kNone = -1;

Index isqrt(Index n) {
  Index r = 0;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

// Myers' linear-space algorithm over two sequences of interned tokens. The
// result is one flag per token: deleted (for `a`) or inserted (for `b`);
// unflagged tokens pair up in order as the common subsequence.
class Myers {
 public:
  Myers(const std::vector<int>& a, const std::vector<int>& b, const DiffLimits& limits)
      : a_(a),
        b_(b),
        n_(static_cast<Index>(a.size())),
        m_(static_cast<Index>(b.size())),
        offset_(m_ + 1),
        fwd_(static_cast<size_t>(n_ + m_ + 3), kNone),
        bwd_(static_cast<size_t>(n_ + m_ + 3), kNone),
        cost_cap_(std::max<Index>({1, static_cast<Index>(limits.min_cost_cap), isqrt(n_ + m_)})),
        budget_(limits.base_work_budget + limits.work_per_token * (n_ + m_)),
        deleted(a.size(), 0),
        inserted(b.size(), 0) {}

  void run() {
    std::vector<Box> todo{{0, n_, 0, m_}};
    while (!todo.empty()) {
      Box box = todo.back();
      todo.pop_back();
      while (box.alo < box.ahi && box.blo < box.bhi && a_[box.alo] == b_[box.blo]) {
        ++box.alo;
        ++box.blo;
      }
      while (box.alo < box.ahi && box.blo < box.bhi && a_[box.ahi - 1] == b_[box.bhi - 1]) {
        --box.ahi;
        --box.bhi;
      }
      Index sx = 0;
      Index sy = 0;
      if (box.alo < box.ahi && box.blo < box.bhi && split(box, sx, sy) && !(sx == box.alo && sy == box.blo) &&
          !(sx == box.ahi && sy == box.bhi)) {
        todo.push_back({sx, box.ahi, sy, box.bhi});
        todo.push_back({box.alo, sx, box.blo, sy});
        continue;
      }
      // One side is empty, or the search gave up: everything left differs.
      std::fill(deleted.begin() + box.alo, deleted.begin() + box.ahi, 1);
      std::fill(inserted.begin() + box.blo, inserted.begin() + box.bhi, 1);
    }
  }

 private:
  // The sub-problem a_[alo, ahi) against b_[blo, bhi).
  struct Box {
    Index alo, ahi, blo, bhi;
  };

  Index& fwd(Index k) { return fwd_[static_cast<size_t>(k + offset_)]; }
  Index& bwd(Index k) { return bwd_[static_cast<size_t>(k + offset_)]; }

  // Diagonals (k = x - y) that a d-step search from `mid` may occupy inside
  // [kmin, kmax]: the same parity as mid + d.
  static void diagonal_range(Index mid, Index d, Index kmin, Index kmax, Index& lo, Index& hi) {
    lo = mid - d;
    hi = mid + d;
    if (lo < kmin) lo += (kmin - lo + 1) / 2 * 2;
    if (hi > kmax) hi -= (hi - kmax + 1) / 2 * 2;
  }

  // Finds a point (sx, sy) on an edit path through `box` that splits it into
  // two smaller boxes: the middle of a shortest path, or past cost_cap_
  // rounds the furthest point either search reached. Returns false when the
  // work budget is spent (the caller then gives up on the box).
  bool split(const Box& box, Index& sx, Index& sy) {
    const Index fmid = box.alo - box.blo;
    const Index bmid = box.ahi - box.bhi;
    const Index kmin = box.alo - box.bhi;
    const Index kmax = box.ahi - box.blo;
    const bool odd = ((fmid - bmid) & 1) != 0;

    // The caller stripped the common prefix and suffix, so the round-0
    // snakes are empty.
    fwd(fmid) = box.alo;
    bwd(bmid) = box.ahi;
    Index flo = fmid;
    Index fhi = fmid;
    Index blo = bmid;
    Index bhi = bmid;

    for (Index d = 1;; ++d) {
      Index lo = 0;
      Index hi = 0;
      diagonal_range(fmid, d, kmin, kmax, lo, hi);
      for (Index k = lo; k <= hi; k += 2) {
        Index x = kNone;
        if (k - 1 >= flo && k - 1 <= fhi && fwd(k - 1) != kNone && fwd(k - 1) + 1 <= box.ahi) {
          x = fwd(k - 1) + 1;  // a deletion: step right
        }
        if (k + 1 >= flo && k + 1 <= fhi && fwd(k + 1) != kNone && fwd(k + 1) - k <= box.bhi && fwd(k + 1) > x) {
          x = fwd(k + 1);  // an insertion: step down
        }
        if (x != kNone) {
          Index y = x - k;
          const Index x0 = x;
          while (x < box.ahi && y < box.bhi && a_[x] == b_[y]) {
            ++x;
            ++y;
          }
          work_ += 1 + (x - x0);
          if (odd && k >= blo && k <= bhi && bwd(k) != kNone && x >= bwd(k)) {
            sx = x;
            sy = y;
            return true;
          }
        }
        fwd(k) = x;
      }
      flo = lo;
      fhi = hi;

      diagonal_range(bmid, d, kmin, kmax, lo, hi);
      for (Index k = lo; k <= hi; k += 2) {
        Index x = kNone;
        if (k + 1 >= blo && k + 1 <= bhi && bwd(k + 1) != kNone && bwd(k + 1) - 1 >= box.alo) {
          x = bwd(k + 1) - 1;  // a deletion, walking back: step left
        }
        if (k - 1 >= blo && k - 1 <= bhi && bwd(k - 1) != kNone && bwd(k - 1) - k >= box.blo &&
            (x == kNone || bwd(k - 1) < x)) {
          x = bwd(k - 1);  // an insertion, walking back: step up
        }
        if (x != kNone) {
          Index y = x - k;
          const Index x0 = x;
          while (x > box.alo && y > box.blo && a_[x - 1] == b_[y - 1]) {
            --x;
            --y;
          }
          work_ += 1 + (x0 - x);
          if (!odd && k >= flo && k <= fhi && fwd(k) != kNone && x <= fwd(k)) {
            sx = x;
            sy = y;
            return true;
          }
        }
        bwd(k) = x;
      }
      blo = lo;
      bhi = hi;

      if (work_ > budget_) return false;
      if (d >= cost_cap_) {
        // Too expensive: cut at whichever search got furthest from its corner.
        Index best = -1;
        for (Index k = flo; k <= fhi; k += 2) {
          if (fwd(k) == kNone) continue;
          const Index progress = 2 * fwd(k) - k - box.alo - box.blo;
          if (progress > best) {
            best = progress;
            sx = fwd(k);
            sy = fwd(k) - k;
          }
        }
        for (Index k = blo; k <= bhi; k += 2) {
          if (bwd(k) == kNone) continue;
          const Index progress = box.ahi + box.bhi - (2 * bwd(k) - k);
          if (progress > best) {
            best = progress;
            sx = bwd(k);
            sy = bwd(k) - k;
          }
        }
        return best > 0;
      }
    }
  }

  const std::vector<int>& a_;
  const std::vector<int>& b_;
  const Index n_;
  const Index m_;
  const Index offset_;
  std::vector<Index> fwd_;  // furthest x reached forward, by diagonal
  std::vector<Index> bwd_;  // least x reached backward, by diagonal
  const Index cost_cap_;
  const int64_t budget_;
  int64_t work_ = 0;

 public:
  std::vector<char> deleted;
  std::vector<char> inserted;
};

void append_hunk(std::vector<Hunk>& out, DiffOp op, std::string_view text) {
  if (text.empty()) return;
  if (!out.empty() && out.back().op == op) {
    out.back().text += text;
  } else {
    out.push_back({op, std::string(text)});
  }
}

// Text of tokens [from, to) of a sequence that tiles `whole`.
std::string_view token_span(std::string_view whole, const std::vector<std::string_view>& tokens, size_t from,
                            size_t to) {
  if (from >= to) return {};
  const auto begin = static_cast<size_t>(tokens[from].data() - whole.data());
  const auto end = static_cast<size_t>(tokens[to - 1].data() + tokens[to - 1].size() - whole.data());
  return whole.substr(begin, end - begin);
}

std::vector<Hunk> diff_tokens(std::string_view a, std::string_view b, const std::vector<std::string_view>& ta,
                              const std::vector<std::string_view>& tb, const DiffLimits& limits) {
  std::vector<Hunk> out;
  if (a == b) {
    append_hunk(out, DiffOp::equal, a);
    return out;
  }

  std::unordered_map<std::string_view, int> ids;
  ids.reserve(ta.size() + tb.size());
  auto intern = [&ids](const std::vector<std::string_view>& tokens) {
    std::vector<int> seq;
    seq.reserve(tokens.size());
    for (std::string_view t : tokens) {
      seq.push_back(ids.emplace(t, static_cast<int>(ids.size())).first->second);
    }
    return seq;
  };
  const std::vector<int> sa = intern(ta);
  const std::vector<int> sb = intern(tb);

  Myers myers(sa, sb, limits);
  myers.run();

  const size_t n = ta.size();
  const size_t m = tb.size();
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    const size_t i0 = i;
    const size_t j0 = j;
    while (i < n && myers.deleted[i]) ++i;
    while (j < m && myers.inserted[j]) ++j;
    append_hunk(out, DiffOp::del, token_span(a, ta, i0, i));
    append_hunk(out, DiffOp::insert, token_span(b, tb, j0, j));
    const size_t e0 = i;
    while (i < n && j < m && !myers.deleted[i] && !myers.inserted[j]) {
      ++i;
      ++j;
    }
    append_hunk(out, DiffOp::equal, token_span(a, ta, e0, i));
    if (i == i0 && j == j0) {
      // Unreachable for a consistent script; never loop forever on a bug.
      append_hunk(out, DiffOp::del, token_span(a, ta, i, n));
      append_hunk(out, DiffOp::insert, token_span(b, tb, j, m));
      break;
    }
  }
  return out;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_word(unsigned char c) {
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool all_space(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return is_space(static_cast<unsigned char>(c)); });
}

// Folds whitespace-only equal hunks lying between two changes into the
// surrounding change, so one edit of several words reads as one replacement.
std::vector<Hunk> merge_space_islands(std::vector<Hunk> hunks) {
  std::vector<Hunk> out;
  std::string deleted;
  std::string inserted;
  auto flush = [&] {
    append_hunk(out, DiffOp::del, deleted);
    append_hunk(out, DiffOp::insert, inserted);
    deleted.clear();
    inserted.clear();
  };
  for (size_t i = 0; i < hunks.size(); ++i) {
    Hunk& h = hunks[i];
    if (h.op == DiffOp::del) {
      deleted += h.text;
    } else if (h.op == DiffOp::insert) {
      inserted += h.text;
    } else if (i > 0 && i + 1 < hunks.size() && all_space(h.text)) {
      // Equal hunks alternate with changes, so both neighbours are changes.
      deleted += h.text;
      inserted += h.text;
    } else {
      flush();
      out.push_back(std::move(h));
    }
  }
  flush();
  return out;
}

}  // namespace

const char* diff_op_name(DiffOp op) {
  switch (op) {
    case DiffOp::equal: return "equal";
    case DiffOp::insert: return "insert";
    case DiffOp::del: return "delete";
  }
  return "equal";
}

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t j = i + 1;
    if (is_word(c)) {
      while (j < s.size() && is_word(static_cast<unsigned char>(s[j]))) ++j;
    } else if (is_space(c)) {
      while (j < s.size() && is_space(static_cast<unsigned char>(s[j]))) ++j;
    }
    tokens.push_back(s.substr(i, j - i));
    i = j;
  }
  return tokens;
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t i = 0;
  while (i < s.size()) {
    const size_t nl = s.find('\n', i);
    const size_t end = nl == std::string_view::npos ? s.size() : nl + 1;
    lines.push_back(s.substr(i, end - i));
    i = end;
  }
  return lines;
}

std::vector<Hunk> diff_words(std::string_view a, std::string_view b, const DiffLimits& limits) {
  return merge_space_islands(diff_tokens(a, b, split_words(a), split_words(b), limits));
}

std::vector<Hunk> diff_lines(std::string_view a, std::string_view b, const DiffLimits& limits) {
  return diff_tokens(a, b, split_lines(a), split_lines(b), limits);
}

std::string diff_html(const std::vector<Hunk>& hunks) {
  std::string html;
  for (const Hunk& h : hunks) {
    switch (h.op) {
      case DiffOp::equal: html += html_escape(h.text); break;
      case DiffOp::insert: html += "<ins>" + html_escape(h.text) + "</ins>"; break;
      case DiffOp::del: html += "<del>" + html_escape(h.text) + "</del>"; break;
    }
  }
  return html;
}

nlohmann::json hunks_to_json(const std::vector<Hunk>& hunks) {
  nlohmann::json out = nlohmann::json::array();
  for (const Hunk& h : hunks) out.push_back({{"op", diff_op_name(h.op)}, {"text", h.text}});
  return out;
}

}  // namespace rapporteur
