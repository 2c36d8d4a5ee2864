#include "http/page_text.h"

#include "rapporteur/text.h"

namespace rapporteur::http {

std::string pick_lang(const Ctx& ctx) {
  const std::string q = ctx.query("lang");
  if (q == "en" || q == "fr") return q;
  const std::string cookies = ctx.header("Cookie");
  for (const char* l : {"en", "fr"}) {
    if (cookies.find(std::string("rapporteur_lang=") + l) != std::string::npos) return l;
  }
  const std::string accept = ctx.header("Accept-Language");
  return accept.rfind("fr", 0) == 0 ? "fr" : "en";
}

void page_head(std::ostringstream& out, const Catalogue& t, const std::string& title) {
  out << "<!doctype html>\n<html lang=\"" << t.lang() << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << html_escape(title) << " · Rapporteur</title>\n"
      << "<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/css/app.css\">\n</head>\n<body>\n"
      << "<a class=\"skip\" href=\"#main\">" << t("common.skip") << "</a>\n"
      << "<header class=\"topbar\">\n  <a class=\"brand\" href=\"/\">Rapporteur</a>\n"
      << "  <nav class=\"lang\" aria-label=\"" << t("common.language") << "\">";
  for (const auto& [code, name] : {std::pair{"en", "English"}, std::pair{"fr", "Français"}}) {
    out << "<a href=\"?lang=" << code << "\" lang=\"" << code << "\" hreflang=\"" << code << "\""
        << (t.lang() == code ? " aria-current=\"true\"" : "") << ">" << name << "</a>";
  }
  out << "</nav>\n</header>\n<main id=\"main\">\n";
}

}  // namespace rapporteur::http
