// libFuzzer target for diff.h: any two byte strings must give hunks that
// honour the contract (exact reconstruction of both sides, no empty hunk, no
// two adjacent hunks with the same op, deletion before insertion), escaped
// HTML, UTF-8 preserved when given, and a shortest line script on inputs
// small enough to check against the textbook LCS table.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rapporteur/diff.h"
#include "rapporteur/text.h"

using namespace rapporteur;

namespace {

constexpr size_t kMaxLcsCells = 4096;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

void check_contract(const std::vector<Hunk>& hunks, std::string_view a, std::string_view b) {
  std::string ra;
  std::string rb;
  for (size_t i = 0; i < hunks.size(); ++i) {
    const Hunk& h = hunks[i];
    require(!h.text.empty());
    if (i > 0) {
      require(h.op != hunks[i - 1].op);
      require(!(hunks[i - 1].op == DiffOp::insert && h.op == DiffOp::del));
    }
    if (h.op != DiffOp::insert) ra += h.text;
    if (h.op != DiffOp::del) rb += h.text;
  }
  require(ra == a);
  require(rb == b);
}

void check_html(const std::vector<Hunk>& hunks) {
  std::string html = diff_html(hunks);
  for (std::string_view tag : {"<ins>", "</ins>", "<del>", "</del>"}) {
    for (size_t at = html.find(tag); at != std::string::npos; at = html.find(tag)) html.erase(at, tag.size());
  }
  require(html.find_first_of("<>\"'") == std::string::npos);
}

size_t lcs_length(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::vector<size_t> prev(b.size() + 1, 0);
  std::vector<size_t> cur(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Header: two bytes place the cut between a and b; the third picks the
  // default search limits (odd) or tiny ones that force the fallbacks.
  if (size < 3) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t cut = 3 + (static_cast<size_t>(data[0]) << 8 | data[1]) % (size - 2);
  const std::string_view a = in.substr(3, cut - 3);
  const std::string_view b = in.substr(cut);
  const bool default_limits = (data[2] & 1) != 0;
  DiffLimits limits;
  if (!default_limits) {
    limits.min_cost_cap = 1 + (data[2] >> 5);
    limits.base_work_budget = (data[2] >> 1 & 15) * 4;
    limits.work_per_token = data[2] >> 7;
  }
  const bool utf8 = valid_utf8(a) && valid_utf8(b);

  const std::vector<Hunk> words = diff_words(a, b, limits);
  check_contract(words, a, b);
  check_html(words);
  const std::vector<Hunk> lines = diff_lines(a, b, limits);
  check_contract(lines, a, b);
  check_html(lines);

  if (utf8) {
    for (const auto* hunks : {&words, &lines}) {
      for (const Hunk& h : *hunks) require(valid_utf8(h.text));
      require(!hunks_to_json(*hunks).dump().empty());
    }
  }

  const auto la = split_lines(a);
  const auto lb = split_lines(b);
  if (default_limits && la.size() * lb.size() <= kMaxLcsCells) {
    size_t kept = 0;
    for (const Hunk& h : lines) {
      if (h.op == DiffOp::equal) kept += split_lines(h.text).size();
    }
    require(kept == lcs_length(la, lb));
  }
  return 0;
}
