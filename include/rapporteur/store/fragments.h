// Fragment and fragment version rows. Versions are immutable and (fragment,
// version) is unique: appending a version number that already exists fails
// the write job with a conflict. Not found is an empty optional.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rapporteur/fragment.h"

namespace rapporteur {

class FragmentReads {
 public:
  virtual ~FragmentReads() = default;
  // The fragment `id` if it belongs to `session`.
  virtual std::optional<Fragment> find(const std::string& session, int64_t id) = 0;
  // The highest version of fragment `id`, with its body.
  virtual std::optional<FragmentVersion> latest(int64_t id) = 0;
  // Version `n` of fragment `id`, with its body.
  virtual std::optional<FragmentVersion> version(int64_t id, int n) = 0;
  // Every version of fragment `id`, oldest first, without bodies (size set).
  virtual std::vector<FragmentVersion> versions(int64_t id) = 0;
  // The latest version of each fragment of one breakout, in creation order,
  // without bodies (size set).
  virtual std::vector<FragmentVersion> list_by_breakout(const std::string& session, const std::string& breakout) = 0;
  // The latest version of every fragment of the session, with bodies, ordered
  // by the breakout's position in the session, then by fragment creation: the
  // order in which fragments are merged into a draft.
  virtual std::vector<FragmentVersion> list_latest_for_session(const std::string& session) = 0;
};

class FragmentWrites : public FragmentReads {
 public:
  // Inserts the fragment (f.id ignored) and returns its new id.
  virtual int64_t insert(const Fragment& f) = 0;
  // Inserts version v.version of fragment v.fragment (v.breakout and v.size
  // ignored).
  virtual void append_version(const FragmentVersion& v) = 0;
};

}  // namespace rapporteur
