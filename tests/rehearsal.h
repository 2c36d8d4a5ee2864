// The Kisumu rehearsal fixture shared by the HTTP tests of drafts,
// amendments, polls, live views and the record: both breakouts' notes saved,
// merged into draft 1 and (by default) the session moved to amending.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include "test_server.h"

namespace rapporteur::testing {

inline const char* kComplementarity =
    "# Breakout 1\n\n## Conclusions\n\nCities act first when people arrive.\n\n"
    "## Recommendations\n\n- Create a standing dialogue between intermediary cities and national ministries.\n"
    "- Fund migrant-led organisations directly through city budgets.\n"
    "- Share data on mixed migration between city networks.\n";
inline const char* kSustainability =
    "## Conclusions\n\nPartnerships last when they are funded beyond project cycles.\n\n"
    "## Recommendations\n\n- Secure multi-year funding for local migration partnerships.\n"
    "- Include refugee-led organisations in the governance of partnerships.\n";

inline int64_t count(const TestServer& s, const std::string& sql) { return s.db().count(sql); }

inline std::string code(const Response& r) { return r.json()["error"]["code"].get<std::string>(); }

// A session with both breakouts' notes merged into draft 1 and moved to amending.
struct Rehearsal {
  TestServer s;
  std::string president, moderator;
  nlohmann::json draft;

  explicit Rehearsal(bool amending = true) {
    s.create_kisumu();
    president = s.token("President of the session");
    moderator = s.token("Moderator");
    auto f1 = s.post(s.path("/breakouts/complementarity/fragments"), {{"title", "Breakout 1 notes"}, {"body", kComplementarity}},
                     s.token("Rapporteur, Breakout 1"));
    REQUIRE(f1.status == 201);
    auto f2 = s.post(s.path("/breakouts/sustainability/fragments"), {{"title", "Breakout 2 notes"}, {"body", kSustainability}},
                     s.token("Rapporteur, Breakout 2"));
    REQUIRE(f2.status == 201);
    auto d = s.post(s.path("/drafts"), {{"merge", true}}, moderator);
    REQUIRE(d.status == 201);
    draft = d.json();
    if (amending) REQUIRE(s.post(s.path("/phase"), {{"phase", "amending"}}, president).status == 200);
  }

  // The pid of the recommendation numbered `number`.
  std::string rec(const std::string& number) const {
    for (const auto& p : draft["paragraphs"]) {
      if (p["number"] == number) return p["pid"];
    }
    FAIL("no recommendation " << number);
    return "";
  }

  nlohmann::json amend(const std::string& who, const std::string& target, const std::string& kind,
                       const std::string& text = "") {
    nlohmann::json body = {{"draft", draft["n"]}, {"target", target}, {"kind", kind}, {"rationale", "clarity"}};
    if (kind != "delete") body["text"] = text;
    auto r = s.post(s.path("/amendments"), body, s.token(who));
    REQUIRE(r.status == 201);
    return r.json();
  }

  void admit(int64_t id) {
    REQUIRE(s.post(s.path("/amendments/" + std::to_string(id) + "/decision"), {{"decision", "admit"}, {"reason", "in order"}},
                   president).status == 200);
  }

  int64_t open_poll(const nlohmann::json& subject, nlohmann::json extra = nlohmann::json::object()) {
    extra["subject"] = subject;
    auto created = s.post(s.path("/polls"), extra, president);
    REQUIRE(created.status == 201);
    const int64_t id = created.json()["id"];
    auto opened = s.post(s.path("/polls/" + std::to_string(id) + "/open"), nlohmann::json::object(), president);
    REQUIRE(opened.status == 200);
    return id;
  }

  Response vote(int64_t poll, const std::string& who, const std::string& choice) {
    return s.post(s.path("/polls/" + std::to_string(poll) + "/ballots"), {{"choice", choice}}, s.token(who));
  }

  nlohmann::json close(int64_t poll) {
    auto r = s.post(s.path("/polls/" + std::to_string(poll) + "/close"), nlohmann::json::object(), president);
    REQUIRE(r.status == 200);
    return r.json();
  }
};

inline std::string participant(int i) { return "Participant " + std::to_string(i); }

}  // namespace rapporteur::testing
