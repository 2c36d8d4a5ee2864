// libFuzzer target for draft_merge.h: any bytes, cut into fragments at 0x1E,
// must merge into a document that honours its contract (unique non-empty
// pids, R1..Rn in order, closed valid UTF-8 Markdown per paragraph), keep
// every pid when the same fragments are merged again, keep the pid of every
// unchanged text when the fragments come in another order, and write a
// document whose Markdown, merged again, has the same recommendations. The
// HTML a paragraph carries from the merge is what rendering its text gives.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rapporteur/document_output.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/duplicates.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

using namespace rapporteur;

namespace {

constexpr size_t kMaxInput = 64 * 1024;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

std::vector<FragmentInput> fragments_of(std::string_view data) {
  std::vector<FragmentInput> out;
  size_t start = 0;
  int64_t id = 1;
  while (start <= data.size()) {
    size_t end = data.find('\x1E', start);
    if (end == std::string_view::npos) end = data.size();
    FragmentInput f;
    f.breakout = (id % 2 == 1) ? "complementarity" : "sustainability";
    f.fragment = id;
    f.version = static_cast<int>(id);
    f.body = std::string(data.substr(start, end - start));
    out.push_back(std::move(f));
    ++id;
    start = end + 1;
  }
  return out;
}

std::string collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

size_t check_document(const Document& doc) {
  std::set<std::string> pids;
  size_t numbered = 0;
  for (const Paragraph& p : doc.paragraphs) {
    require(!p.pid.empty());
    require(pids.insert(p.pid).second);
    require(!p.markdown.empty());
    require(valid_utf8(p.markdown));
    require(markdown_is_closed(p.markdown));
    if (p.rendered != nullptr) {
      require(p.rendered->markdown == p.markdown);
      clear_markdown_cache();
      require(p.rendered->html == render_markdown(p.markdown));
    }
    if (!p.number.empty()) require(p.number == "R" + std::to_string(++numbered));
    require(p.number.empty() == !(p.section == "recommendations" &&
                                  (p.kind == ParagraphKind::list_item || p.kind == ParagraphKind::paragraph)));
  }
  return numbered;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::vector<FragmentInput> fragments = fragments_of(input);
  const MergeHeader header{"Fuzz session", "2022-05-19", "Kisumu"};

  Document first = merge_fragments(header, fragments);
  int seq = 1;
  assign_pids(first, nullptr, seq);
  require(seq == static_cast<int>(first.paragraphs.size()) + 1);
  const size_t numbered = check_document(first);

  // The same fragments again: every pid survives, nothing new is allocated.
  Document again = merge_fragments(header, fragments);
  const int seq_before = seq;
  assign_pids(again, &first, seq);
  require(seq == seq_before);
  require(again.paragraphs.size() == first.paragraphs.size());
  for (size_t i = 0; i < again.paragraphs.size(); ++i) require(again.paragraphs[i].pid == first.paragraphs[i].pid);

  // Fragments in reverse order: a text found in the first draft keeps a pid
  // that the first draft gave to that same text.
  std::vector<FragmentInput> reversed(fragments.rbegin(), fragments.rend());
  Document moved = merge_fragments(header, reversed);
  assign_pids(moved, &first, seq);
  check_document(moved);
  std::map<std::string, std::set<std::string>> pids_by_text;
  for (const Paragraph& p : first.paragraphs) pids_by_text[collapse(p.markdown)].insert(p.pid);
  std::map<std::string, size_t> seen;
  for (const Paragraph& p : moved.paragraphs) {
    const std::string text = collapse(p.markdown);
    const auto found = pids_by_text.find(text);
    if (found != pids_by_text.end() && ++seen[text] <= found->second.size()) {
      require(found->second.count(p.pid) == 1);
    }
  }

  // The document's Markdown is valid and, merged again, has the same recommendations.
  const std::string markdown = document_markdown(first);
  require(valid_utf8(markdown));
  FragmentInput whole;
  whole.breakout = "x";
  whole.body = markdown;
  Document round = merge_fragments(MergeHeader{}, {whole});
  int round_seq = 1;
  assign_pids(round, nullptr, round_seq);
  require(check_document(round) == numbered);

  // Edits never crash and keep the contract when they succeed.
  if (!first.paragraphs.empty()) {
    Source src;
    src.kind = SourceKind::edit;
    const std::string& pid = first.paragraphs.back().pid;
    const Result<Document> edited = apply_edits(first,
                                                {{AmendmentKind::replace, pid, fragments.front().body},
                                                 {AmendmentKind::insert_after, pid, fragments.back().body}},
                                                src, seq);
    if (edited.ok()) check_document(*edited);
  }
  find_duplicates(first);
  return 0;
}
