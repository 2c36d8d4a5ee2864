// Parts of the pages rendered on the server (the public reading view, the
// join confirmation): the text catalogues, the reader's language, the head.
//
// Every text comes from the web catalogues (web/i18n/en.json and fr.json,
// compiled in) and is HTML-escaped, as is every value put into it.
#pragma once

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "http/context.h"
#include "rapporteur/text.h"

namespace rapporteur::http {

// Generated from web/i18n/*.json by cmake/embed_file.cmake.
const std::string& i18n_en_json();
const std::string& i18n_fr_json();

class Catalogue {
 public:
  explicit Catalogue(const std::string& lang) : lang_(lang == "fr" ? "fr" : "en") {
    static const nlohmann::json en = nlohmann::json::parse(i18n_en_json(), nullptr, false);
    static const nlohmann::json fr = nlohmann::json::parse(i18n_fr_json(), nullptr, false);
    strings_ = lang_ == "fr" ? &fr : &en;
  }
  const std::string& lang() const { return lang_; }

  // The escaped text of `key` with {name} placeholders replaced by the
  // (escaped) values of `vars`; the key itself when the catalogue lacks it.
  std::string operator()(const std::string& key, const std::vector<std::pair<std::string, std::string>>& vars = {}) const {
    std::string s = key;
    if (strings_->is_object()) {
      auto it = strings_->find(key);
      if (it != strings_->end() && it->is_string()) s = it->get<std::string>();
    }
    s = html_escape(s);
    for (const auto& [name, value] : vars) {
      const std::string mark = "{" + name + "}";
      for (size_t at = s.find(mark); at != std::string::npos; at = s.find(mark, at + value.size())) {
        s.replace(at, mark.size(), html_escape(value));
      }
    }
    return s;
  }

 private:
  std::string lang_;
  const nlohmann::json* strings_ = nullptr;
};

// ?lang= first, then the rapporteur_lang cookie the other pages set, then
// the browser's Accept-Language.
std::string pick_lang(const Ctx& ctx);

// From the doctype to the opening <main>: title, stylesheet, skip link, the
// top bar with its language switch.
void page_head(std::ostringstream& out, const Catalogue& t, const std::string& title);

}  // namespace rapporteur::http
