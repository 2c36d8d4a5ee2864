// libFuzzer target for merge3.h: on any three texts the merge must not
// crash, must give back the only changed side when the other is untouched
// (and either side when both made the same change), must not depend on
// which side is called "current" (clean-ness, conflict count and a clean
// body), and must keep valid UTF-8 valid.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "rapporteur/merge3.h"
#include "rapporteur/text.h"

using namespace rapporteur;

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

void require_result(const Merge3Result& r, std::string_view body) {
  require(r.clean);
  require(r.conflicts == 0);
  require(r.body == body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string_view rest = in.substr(4);
  const size_t n = rest.size();
  size_t c1 = (static_cast<size_t>(data[0]) << 8 | data[1]) % (n + 1);
  size_t c2 = (static_cast<size_t>(data[2]) << 8 | data[3]) % (n + 1);
  if (c1 > c2) std::swap(c1, c2);
  const std::string_view base = rest.substr(0, c1);
  const std::string_view current = rest.substr(c1, c2 - c1);
  const std::string_view mine = rest.substr(c2);

  require_result(merge3(base, base, mine), mine);
  require_result(merge3(base, current, base), current);
  require_result(merge3(base, mine, mine), mine);

  const Merge3Result ab = merge3(base, current, mine);
  const Merge3Result ba = merge3(base, mine, current);
  require(ab.clean == ba.clean);
  require(ab.clean == (ab.conflicts == 0));
  require(ab.conflicts == ba.conflicts);
  if (ab.clean) require(ab.body == ba.body);
  if (valid_utf8(base) && valid_utf8(current) && valid_utf8(mine)) require(valid_utf8(ab.body));
  return 0;
}
