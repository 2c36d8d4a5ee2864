// Draft rows: immutable once written, but for the `final` mark. A row keeps
// the document as the JSON text it is stored as; the domain parses it once
// per draft (draft_cache) rather than once per read.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rapporteur {

struct DraftRow {
  std::string session;
  int n = 0;
  int64_t created_at = 0;
  std::string created_by;
  std::string kind;  // merge, edit, amendment
  std::string reason;
  int base = 0;  // 0: none
  std::string markdown;
  std::string sha256;
  std::string paragraphs;  // JSON; empty in a summary
  std::string duplicates;  // JSON; empty in a summary
  bool final = false;
};

class DraftReads {
 public:
  virtual ~DraftReads() = default;
  virtual std::optional<DraftRow> find(const std::string& session, int n) = 0;
  // The highest draft number, 0 when none.
  virtual int latest(const std::string& session) = 0;
  // The final draft's number, 0 when none.
  virtual int final_n(const std::string& session) = 0;
  // Every draft without its paragraphs and Markdown (summaries).
  virtual std::vector<DraftRow> list(const std::string& session) = 0;
};

class DraftWrites : public DraftReads {
 public:
  virtual void insert(const DraftRow& row) = 0;
  virtual void set_final(const std::string& session, int n) = 0;
};

}  // namespace rapporteur
