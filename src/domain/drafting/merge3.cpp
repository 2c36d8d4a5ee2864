#include "rapporteur/merge3.h"

#include <algorithm>
#include <vector>

#include "rapporteur/diff.h"

namespace rapporteur {
namespace {

using Lines = std::vector<std::string_view>;

// Base lines [bs, be) replaced by the side's lines [s, e).
struct Edit {
  size_t bs, be;
  size_t s, e;
};

bool ends_with_newline(std::string_view s) { return s.empty() || s.back() == '\n'; }

std::string with_final_newline(std::string_view s) {
  std::string out(s);
  if (!ends_with_newline(out)) out += '\n';
  return out;
}

// The changes that turn `base` into `side`, in base order. Consecutive
// changed lines form one edit, so two edits of a side never touch.
std::vector<Edit> edits_against(std::string_view base, std::string_view side) {
  std::vector<Edit> edits;
  size_t b = 0;
  size_t s = 0;
  Edit open{0, 0, 0, 0};
  bool is_open = false;
  for (const Hunk& h : diff_lines(base, side)) {
    const size_t n = split_lines(h.text).size();
    if (h.op == DiffOp::equal) {
      if (is_open) edits.push_back(open);
      is_open = false;
      b += n;
      s += n;
      continue;
    }
    if (!is_open) open = {b, b, s, s};
    is_open = true;
    if (h.op == DiffOp::del) {
      b += n;
      open.be = b;
    } else {
      s += n;
      open.e = s;
    }
  }
  if (is_open) edits.push_back(open);
  return edits;
}

// Whether `edit` collides with the stretch of base [gs, ge) already claimed
// (an empty stretch is an insertion point).
bool collides(size_t gs, size_t ge, const Edit& edit) {
  if (edit.bs == edit.be) {
    const size_t p = edit.bs;
    return gs == ge ? p == gs : gs < p && p < ge;
  }
  if (gs == ge) return edit.bs < gs && gs < edit.be;
  return edit.bs < ge && gs < edit.be;
}

// Edit `a` comes before edit `b`: by start, an insertion before a
// replacement starting at the same line.
bool comes_before(const Edit& a, const Edit& b) {
  if (a.bs != b.bs) return a.bs < b.bs;
  return a.bs == a.be && b.bs != b.be;
}

void append_lines(std::string& out, const Lines& lines, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) out += lines[i];
}

// Base [gs, ge) with the given edits of one side applied.
std::string side_text(const Lines& base, const Lines& side, const std::vector<Edit>& edits, size_t from, size_t to,
                      size_t gs, size_t ge) {
  std::string out;
  size_t p = gs;
  for (size_t i = from; i < to; ++i) {
    append_lines(out, base, p, edits[i].bs);
    append_lines(out, side, edits[i].s, edits[i].e);
    p = edits[i].be;
  }
  append_lines(out, base, p, ge);
  return out;
}

class Writer {
 public:
  Writer(std::string_view current_label, std::string_view mine_label)
      : current_label_(current_label), mine_label_(mine_label) {}

  void clean(std::string_view text) {
    if (text.empty()) return;
    result_.body += text;
    ends_in_marker_ = false;
  }

  // Writes the stretch where the sides disagree, keeping the lines they
  // share at either end outside the markers.
  void conflict(std::string_view current, std::string_view mine) {
    const Lines c = split_lines(current);
    const Lines m = split_lines(mine);
    size_t pre = 0;
    while (pre < c.size() && pre < m.size() && c[pre] == m[pre]) ++pre;
    size_t suf = 0;
    while (suf < c.size() - pre && suf < m.size() - pre && c[c.size() - 1 - suf] == m[m.size() - 1 - suf]) ++suf;

    std::string& out = result_.body;
    append_lines(out, c, 0, pre);
    out += "<<<<<<< ";
    out += current_label_;
    out += '\n';
    append_lines(out, c, pre, c.size() - suf);
    out += "=======\n";
    append_lines(out, m, pre, m.size() - suf);
    out += ">>>>>>> ";
    out += mine_label_;
    out += '\n';
    append_lines(out, c, c.size() - suf, c.size());
    ends_in_marker_ = suf == 0;
    result_.clean = false;
    ++result_.conflicts;
  }

  Merge3Result finish(bool final_newline) {
    if (!final_newline && !ends_in_marker_ && !result_.body.empty() && result_.body.back() == '\n') {
      result_.body.pop_back();
    }
    return std::move(result_);
  }

 private:
  std::string_view current_label_;
  std::string_view mine_label_;
  Merge3Result result_{true, {}, 0};
  bool ends_in_marker_ = false;
};

}  // namespace

Merge3Result merge3(std::string_view base, std::string_view current, std::string_view mine,
                    std::string_view current_label, std::string_view mine_label) {
  // The final-newline property merges like a one-line file.
  const bool base_nl = ends_with_newline(base);
  const bool current_nl = ends_with_newline(current);
  const bool final_newline = current_nl != base_nl ? current_nl : ends_with_newline(mine);

  const std::string b = with_final_newline(base);
  const std::string c = with_final_newline(current);
  const std::string m = with_final_newline(mine);
  const Lines base_lines = split_lines(b);
  const Lines current_lines = split_lines(c);
  const Lines mine_lines = split_lines(m);
  const std::vector<Edit> ce = edits_against(b, c);
  const std::vector<Edit> me = edits_against(b, m);

  Writer out(current_label, mine_label);
  size_t pos = 0;  // base lines before pos are written
  size_t ic = 0;
  size_t im = 0;
  while (ic < ce.size() || im < me.size()) {
    const bool current_first = im == me.size() || (ic < ce.size() && !comes_before(me[im], ce[ic]));
    const Edit& first = current_first ? ce[ic] : me[im];
    size_t gs = first.bs;
    size_t ge = first.be;
    const size_t c_from = ic;
    const size_t m_from = im;
    if (current_first) {
      ++ic;
    } else {
      ++im;
    }
    // Grow the stretch until neither side's next edit collides with it.
    for (bool grew = true; grew;) {
      grew = false;
      if (ic < ce.size() && collides(gs, ge, ce[ic])) {
        gs = std::min(gs, ce[ic].bs);
        ge = std::max(ge, ce[ic].be);
        ++ic;
        grew = true;
      }
      if (im < me.size() && collides(gs, ge, me[im])) {
        gs = std::min(gs, me[im].bs);
        ge = std::max(ge, me[im].be);
        ++im;
        grew = true;
      }
    }

    std::string unchanged;
    append_lines(unchanged, base_lines, pos, gs);
    out.clean(unchanged);
    const std::string ct = side_text(base_lines, current_lines, ce, c_from, ic, gs, ge);
    const std::string mt = side_text(base_lines, mine_lines, me, m_from, im, gs, ge);
    if (ic == c_from) {
      out.clean(mt);
    } else if (im == m_from || ct == mt) {
      out.clean(ct);
    } else {
      out.conflict(ct, mt);
    }
    pos = ge;
  }
  std::string rest;
  append_lines(rest, base_lines, pos, base_lines.size());
  out.clean(rest);
  return out.finish(final_newline);
}

}  // namespace rapporteur
