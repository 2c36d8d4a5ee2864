// Draft rows: immutable once written, but for the `final` mark. A row keeps
// the document as the JSON text it is stored as; the domain parses it once
// per draft (draft_cache) rather than once per read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rapporteur/draft.h"

namespace rapporteur {

// A draft as stored: its header, its Markdown, and its paragraphs and
// duplicates as the JSON texts they are stored as.
struct DraftRow : DraftHeader {
  std::string markdown;    // empty in a summary
  std::string paragraphs;  // JSON; empty in a summary
  std::string duplicates;  // JSON; empty in a summary
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
