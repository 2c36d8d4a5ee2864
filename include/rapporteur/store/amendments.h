// Amendment rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rapporteur/amendment.h"

namespace rapporteur {

class AmendmentReads {
 public:
  virtual ~AmendmentReads() = default;
  virtual std::optional<Amendment> find(const std::string& session, int64_t id) = 0;
  virtual std::vector<Amendment> list(const std::string& session) = 0;
};

class AmendmentWrites : public AmendmentReads {
 public:
  virtual int64_t insert(const Amendment& a) = 0;
  virtual void set_status(int64_t id, AmendmentStatus status, const std::string& reason, int64_t decided_at,
                          int result_draft) = 0;
};

}  // namespace rapporteur
