// apply_edits (rapporteur/draft_merge.h): editorial edits and amendments
// applied to a draft to make the next one.
#include <algorithm>
#include <optional>
#include <unordered_map>

#include "domain/drafting/draft_pids.h"
#include "domain/drafting/draft_text.h"
#include "rapporteur/draft_merge.h"
#include "rapporteur/markdown.h"
#include "rapporteur/text.h"

namespace rapporteur {
namespace {

using draft_text::block_paragraph_kind;
using draft_text::is_space;

// Normalised line endings, blank lines around trimmed, trailing blanks trimmed.
std::string normalise_text(std::string_view text) {
  std::string s;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      s += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      s += text[i];
    }
  }
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      start = i + 1;
    } else if (!is_space(s[i])) {
      break;
    }
  }
  s.erase(0, std::min(start, s.size()));
  while (!s.empty() && is_space(s.back())) s.pop_back();
  return s;
}

struct NewText {
  ParagraphKind kind;
  std::string markdown;
};

// The kind and Markdown a paragraph gets from `text` (normalised), given the
// kind it would have as a plain paragraph and whether it stands for a list item.
NewText shape_text(const std::string& text, ParagraphKind default_kind) {
  const std::vector<MarkdownBlock> blocks = split_blocks(text);
  if (blocks.size() == 1) {
    const MarkdownBlock& b = blocks.front();
    const ParagraphKind kind = block_paragraph_kind(b);
    if (kind == ParagraphKind::list && b.items.size() == 1 && default_kind == ParagraphKind::list_item &&
        !b.items.front().empty()) {
      return {ParagraphKind::list_item, b.items.front()};
    }
    if (kind != ParagraphKind::paragraph) return {kind, text};
  }
  return {default_kind, text};
}

Status edit_error(size_t index, const std::string& member, const std::string& rule) {
  return Status::invalid("edit " + std::to_string(index) + ": " + rule,
                         "edits[" + std::to_string(index) + "]." + member);
}

}  // namespace

Result<Document> apply_edits(const Document& base, const std::vector<Edit>& edits, const Source& source,
                             int& next_seq) {
  if (edits.empty()) return Status::invalid("edits: at least one edit is required", "edits");
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < base.paragraphs.size(); ++i) index.emplace(base.paragraphs[i].pid, i);

  struct Change {
    std::optional<Paragraph> replacement;  // empty: deleted
  };
  std::unordered_map<size_t, Change> changes;                 // base index -> change
  std::unordered_map<size_t, std::vector<Paragraph>> inserts;  // base index -> new paragraphs, in edit order
  std::unordered_map<size_t, size_t> changed_by;              // base index -> edit index
  std::vector<std::pair<size_t, Paragraph>> pending_inserts;

  for (size_t e = 0; e < edits.size(); ++e) {
    const Edit& edit = edits[e];
    if (edit.pid.empty()) return edit_error(e, "pid", "pid must not be empty");
    const auto target_it = index.find(edit.pid);
    if (target_it == index.end()) {
      return edit_error(e, "pid", "pid \"" + edit.pid + "\" is not a paragraph of the base draft");
    }
    const size_t target = target_it->second;
    const Paragraph& t = base.paragraphs[target];
    if (edit.op == AmendmentKind::del) {
      if (!edit.text.empty()) return edit_error(e, "text", "delete takes no text");
    } else {
      if (!valid_utf8(edit.text)) return edit_error(e, "text", "text is not valid UTF-8");
      if (edit.text.find('\0') != std::string::npos) return edit_error(e, "text", "text must not contain NUL");
      if (edit.text.size() > kMaxEditTextBytes) {
        return edit_error(e, "text", "text is longer than " + std::to_string(kMaxEditTextBytes) + " bytes");
      }
      if (trim(edit.text).empty()) return edit_error(e, "text", "text must not be empty");
    }
    if (edit.op != AmendmentKind::insert_after) {
      const auto prior = changed_by.find(target);
      if (prior != changed_by.end()) {
        return edit_error(e, "pid", "paragraph " + edit.pid + " is already changed by edit " +
                                        std::to_string(prior->second));
      }
      changed_by.emplace(target, e);
    }
    if (edit.op == AmendmentKind::del) {
      changes[target] = Change{std::nullopt};
      continue;
    }
    const std::string text = normalise_text(edit.text);
    if (split_blocks(text).empty()) return edit_error(e, "text", "text has no visible content");
    if (!markdown_is_closed(text)) {
      return edit_error(e, "text", "text leaves a code fence or HTML block open");
    }
    const bool is_item = t.kind == ParagraphKind::list_item ||
                         (edit.op == AmendmentKind::insert_after && t.kind == ParagraphKind::lead_in);
    ParagraphKind default_kind = is_item ? ParagraphKind::list_item : ParagraphKind::paragraph;
    if (edit.op == AmendmentKind::replace && t.kind == ParagraphKind::lead_in) default_kind = ParagraphKind::lead_in;
    const NewText shaped = shape_text(text, default_kind);
    Paragraph p;
    p.section = t.section;
    p.kind = shaped.kind;
    p.markdown = shaped.markdown;
    p.source = source;
    if (edit.op == AmendmentKind::replace) {
      p.pid = t.pid;
      if (p.source.breakout.empty()) p.source.breakout = t.source.breakout;
      changes[target] = Change{std::move(p)};
    } else {
      pending_inserts.emplace_back(target, std::move(p));
    }
  }

  raise_seq(base, next_seq);
  for (auto& [target, p] : pending_inserts) {
    p.pid = "p" + std::to_string(next_seq++);
    inserts[target].push_back(std::move(p));
  }

  Document out;
  for (size_t i = 0; i < base.paragraphs.size(); ++i) {
    const auto change = changes.find(i);
    if (change == changes.end()) {
      out.paragraphs.push_back(base.paragraphs[i]);
    } else if (change->second.replacement) {
      out.paragraphs.push_back(*change->second.replacement);
    }
    const auto added = inserts.find(i);
    if (added != inserts.end()) {
      for (Paragraph& p : added->second) out.paragraphs.push_back(std::move(p));
    }
  }
  renumber(out);
  return out;
}

}  // namespace rapporteur
