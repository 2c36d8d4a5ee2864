// Three-way merge of line-based text, for a fragment save that raced
// another one.
//
// Pure function, thread-safe. Both sides are aligned against the common
// ancestor with diff_lines; each side's changes are runs of base lines
// replaced by other lines (an insertion replaces an empty run). A change on
// one side is taken as is unless it collides with a change on the other:
// their base runs overlap, one side inserts strictly inside the other's run,
// or both insert at the same place. Colliding changes that produce the same
// text are taken once; otherwise the stretch is a conflict, written as
//
//   <<<<<<< current
//   ...the current side's lines...
//   =======
//   ...the submitted side's lines...
//   >>>>>>> yours
//
// with lines the two sides share at the start or end of the stretch kept
// outside the markers. Changes on adjacent but distinct lines do not collide.
//
// Missing final newlines: a text that does not end with '\n' is merged as if
// it did; the result ends without one when the side that changed that
// property (or else the submitted side) lacks it, unless the result ends
// with a conflict marker. Inside a conflict each side's lines end with '\n'.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rapporteur {

struct Merge3Result {
  bool clean;            // no conflict markers were written
  std::string body;      // the merged text, with markers where not clean
  size_t conflicts = 0;  // number of conflicting stretches
};

// base: the common ancestor; current: the latest stored version; mine: the
// submitted text. merge3(b, b, m) == m, merge3(b, c, b) == c and
// merge3(b, x, x) == x, all clean.
Merge3Result merge3(std::string_view base, std::string_view current, std::string_view mine,
                    std::string_view current_label = "current", std::string_view mine_label = "yours");

}  // namespace rapporteur
