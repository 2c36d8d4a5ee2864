#include "rapporteur/document_diff.h"

#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace rapporteur {
namespace {

std::vector<Hunk> whole(DiffOp op, const std::string& text) {
  if (text.empty()) return {};
  return {Hunk{op, text}};
}

ParagraphChange deleted_change(const Paragraph& p) {
  return {p.pid, "deleted", p.section, p.number, "", whole(DiffOp::del, p.markdown)};
}

nlohmann::json number_json(const std::string& number) {
  return number.empty() ? nlohmann::json(nullptr) : nlohmann::json(number);
}

}  // namespace

std::vector<ParagraphChange> diff_documents(const Document& from, const Document& to) {
  std::unordered_map<std::string_view, const Paragraph*> before;
  for (const Paragraph& p : from.paragraphs) before.emplace(p.pid, &p);
  std::unordered_set<std::string_view> kept;
  for (const Paragraph& p : to.paragraphs) kept.insert(p.pid);

  // Deleted paragraphs, keyed by the surviving pid they follow in `from`
  // ("" for those before any survivor), in `from` order.
  std::unordered_map<std::string_view, std::vector<const Paragraph*>> deleted_after;
  std::string_view anchor;
  for (const Paragraph& p : from.paragraphs) {
    if (before.at(p.pid) != &p) {
      deleted_after[anchor].push_back(&p);  // a repeated pid never matches
    } else if (kept.count(p.pid) != 0) {
      anchor = p.pid;
    } else {
      deleted_after[anchor].push_back(&p);
    }
  }

  std::vector<ParagraphChange> out;
  out.reserve(from.paragraphs.size() + to.paragraphs.size());
  auto emit_deleted_after = [&](std::string_view pid) {
    const auto it = deleted_after.find(pid);
    if (it == deleted_after.end()) return;
    for (const Paragraph* p : it->second) out.push_back(deleted_change(*p));
    deleted_after.erase(it);  // a pid repeated in `to` must not emit them twice
  };

  emit_deleted_after("");
  for (const Paragraph& p : to.paragraphs) {
    const auto it = before.find(p.pid);
    if (it == before.end()) {
      out.push_back({p.pid, "inserted", p.section, "", p.number, whole(DiffOp::insert, p.markdown)});
    } else {
      const Paragraph& old = *it->second;
      if (old.markdown == p.markdown) {
        out.push_back({p.pid, "equal", p.section, old.number, p.number, whole(DiffOp::equal, p.markdown)});
      } else {
        out.push_back({p.pid, "changed", p.section, old.number, p.number, diff_words(old.markdown, p.markdown)});
      }
    }
    emit_deleted_after(p.pid);
  }
  return out;
}

nlohmann::json document_diff_to_json(const std::vector<ParagraphChange>& changes) {
  nlohmann::json out = nlohmann::json::array();
  for (const ParagraphChange& c : changes) {
    out.push_back({{"pid", c.pid},
                   {"op", c.op},
                   {"section", c.section},
                   {"number_from", number_json(c.number_from)},
                   {"number_to", number_json(c.number_to)},
                   {"hunks", hunks_to_json(c.hunks)},
                   {"html", diff_html(c.hunks)}});
  }
  return out;
}

}  // namespace rapporteur
