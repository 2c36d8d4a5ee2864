// Merge and render, in process: the consolidation
// pipeline on many fragments against plain cmark on the same text.
#include <cmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <sys/resource.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "rapporteur/document_output.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/markdown.h"
#include "scenarios.h"

namespace rapporteur::bench {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

template <typename F>
double time_ms(F&& f) {
  const auto t0 = Clock::now();
  f();
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Minor page faults of this process so far (first touches of fresh pages).
double minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_minflt);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Plain cmark, default options (safe mode, as the server renders).
size_t cmark_html_size(const std::string& md) {
  char* html = cmark_markdown_to_html(md.data(), md.size(), CMARK_OPT_DEFAULT);
  const size_t n = std::strlen(html);
  std::free(html);
  return n;
}

}  // namespace

json run_merge_render(const BenchOptions& o, size_t fragments) {
  // Both sides are measured with freed memory kept for reuse (this client
  // process only; the server keeps glibc's defaults). With the defaults,
  // whether a round's large blocks land on pages already mapped or on fresh
  // ones (a fault each, microseconds on a virtual machine) depends on what
  // the heap held before: plain cmark alone took 20 to 56 ms on the same text
  // by that alone. The faults of both sides are reported.
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
  const auto sample = read_notes(o.notes_dir);
  std::cerr << "bench: merge and render, " << fragments << " fragments ("
            << (sample.empty() ? std::string("synthetic, no notes found in ") + o.notes_dir
                               : std::to_string(sample.size()) + " sample notes")
            << ")\n";
  std::vector<FragmentInput> inputs;
  std::string concatenated;
  size_t bytes = 0;
  for (size_t k = 0; k < fragments; ++k) {
    FragmentInput f;
    f.breakout = "b" + std::to_string(k % 50 + 1);
    f.breakout_title = "Breakout " + std::to_string(k % 50 + 1);
    f.fragment = static_cast<int64_t>(k + 1);
    f.version = 1;
    f.title = "Notes " + std::to_string(k + 1);
    f.body = fragment_text(sample.empty() ? 3000 : 0, k + 1, sample);
    bytes += f.body.size();
    concatenated += f.body + "\n\n";
    inputs.push_back(std::move(f));
  }
  const MergeHeader header{"Benchmark session", "2022-05-19", "Kisumu, Kenya"};
  const int rounds = o.quick ? 3 : 11;  // medians: this machine is shared and noisy

  std::vector<double> cmark_input_ms, cmark_doc_ms, merge_ms, markdown_ms, render_ms, total_ms, warm_ms;
  std::vector<double> pipeline_faults, cmark_faults;
  std::string doc_md;
  size_t paragraphs = 0, html_bytes = 0;
  bool html_matches = false;
  for (int r = 0; r < rounds; ++r) {
    // Cold: the render cache (keyed by content hash) is emptied first, so
    // every block is parsed and rendered as on the first merge of new text.
    clear_markdown_cache();
    Document doc;
    std::string html;
    const double faults_before = minor_faults();
    const double m = time_ms([&] { doc = merge_fragments(header, inputs); });
    const double d = time_ms([&] { doc_md = document_markdown(doc); });
    const double h = time_ms([&] { html = document_html(doc); });
    merge_ms.push_back(m);
    markdown_ms.push_back(d);
    render_ms.push_back(h);
    total_ms.push_back(m + d + h);
    pipeline_faults.push_back(minor_faults() - faults_before);
    paragraphs = doc.paragraphs.size();
    html_bytes = html.size();
    // Not timed: the joined HTML is what a full render of the Markdown gives.
    if (r == 0) html_matches = html == render_markdown(doc_md);
    // Warm: the same again with the cache as the first pass left it.
    warm_ms.push_back(time_ms([&] {
      Document again = merge_fragments(header, inputs);
      doc_md = document_markdown(again);
      html = document_html(again);
    }));
    const double cmark_faults_before = minor_faults();
    cmark_input_ms.push_back(time_ms([&] { cmark_html_size(concatenated); }));
    cmark_faults.push_back(minor_faults() - cmark_faults_before);
    cmark_doc_ms.push_back(time_ms([&] { cmark_html_size(doc_md); }));
  }
  const double pipeline = median(total_ms);
  const double baseline = median(cmark_input_ms);
  json j = {{"fragments", fragments},
            {"sample_notes", sample.size()},
            {"input_bytes", bytes},
            {"document_bytes", doc_md.size()},
            {"paragraphs", paragraphs},
            {"html_bytes", html_bytes},
            {"html_matches_full_render", html_matches},
            {"rounds", rounds},
            {"merge_ms", median(merge_ms)},
            {"document_markdown_ms", median(markdown_ms)},
            {"render_ms", median(render_ms)},
            {"pipeline_ms", pipeline},
            {"pipeline_warm_cache_ms", median(warm_ms)},
            {"cmark_input_ms", baseline},
            {"cmark_document_ms", median(cmark_doc_ms)},
            {"ratio_to_cmark", pipeline / baseline},
            {"ratio_to_cmark_of_document", pipeline / median(cmark_doc_ms)},
            // Fresh pages touched (median per round): on a virtual machine
            // each costs microseconds, and glibc's allocator returns freed
            // memory at the top of the heap, so a round may touch its pages anew.
            {"pipeline_minor_faults", median(pipeline_faults)},
            {"cmark_minor_faults", median(cmark_faults)}};
  return j;
}

}  // namespace rapporteur::bench
