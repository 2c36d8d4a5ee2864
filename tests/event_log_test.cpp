#include <catch2/catch.hpp>

#include "rapporteur/crypto.h"
#include "rapporteur/event_log.h"

using namespace rapporteur;

namespace {
std::vector<Event> chain(int n) {
  std::vector<Event> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    Event e;
    e.session = "s";
    e.seq = i;
    e.at = 1000 + i;
    e.actor = "person:1";
    e.type = "t";
    e.data = {{"i", i}, {"text", "Recommandation é"}};
    e.prev_hash = prev;
    e.hash = event_hash(prev, e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}
}  // namespace

TEST_CASE("the hash is SHA-256 of prev_hash and the canonical JSON", "[event_log]") {
  Event e;
  e.session = "s";
  e.seq = 1;
  e.at = 5;
  e.actor = "admin";
  e.type = "session_created";
  e.data = {{"b", 1}, {"a", 2}};
  CHECK(event_canonical_json(e) ==
        R"({"actor":"admin","at":5,"data":{"a":2,"b":1},"seq":1,"session":"s","type":"session_created"})");
  CHECK(event_hash(kGenesisHash, e) == sha256_hex(std::string(kGenesisHash) + event_canonical_json(e)));
}

TEST_CASE("an intact chain verifies and names its head", "[event_log]") {
  auto events = chain(5);
  ChainCheck c = verify_chain(events);
  CHECK(c.ok);
  CHECK(c.events == 5);
  CHECK(c.head == events.back().hash);
  CHECK(verify_chain({}).head == kGenesisHash);
}

TEST_CASE("tampering names the first bad event", "[event_log]") {
  auto events = chain(5);
  SECTION("changed data") {
    events[2].data["i"] = 99;
    ChainCheck c = verify_chain(events);
    CHECK_FALSE(c.ok);
    REQUIRE(c.first_bad);
    CHECK(*c.first_bad == 3);
    CHECK_THAT(c.problem, Catch::Contains("event 3"));
  }
  SECTION("a deleted event") {
    events.erase(events.begin() + 1);
    ChainCheck c = verify_chain(events);
    CHECK_FALSE(c.ok);
    CHECK(*c.first_bad == 3);
  }
  SECTION("a rehashed event breaks the next link") {
    events[1].data["i"] = 42;
    events[1].hash = event_hash(events[1].prev_hash, events[1]);
    ChainCheck c = verify_chain(events);
    CHECK(*c.first_bad == 3);
  }
}
