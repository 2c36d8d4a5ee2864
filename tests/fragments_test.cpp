// Fragments without HTTP: request validation (pure) and the store's rows
// under the real migrations (immutable versions, merge order).
#include <catch2/catch.hpp>

#include "rapporteur/crypto.h"
#include "rapporteur/fragment.h"
#include "rapporteur/fragments.h"
#include "rapporteur/store.h"
#include "store_fixture.h"
#include "test_server.h"

using namespace rapporteur;
using rapporteur::testing::TempDir;

namespace {

nlohmann::json create_request() { return {{"title", "Complementarity"}, {"body", "## Conclusions\n\nCities act.\n"}}; }

nlohmann::json update_request() { return {{"base_version", 1}, {"body", "## Conclusions\n\nCities act now.\n"}}; }

// "é" is 2 bytes and 1 character.
std::string e_acute(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += "\xC3\xA9";
  return s;
}

void check_failure(const Status& st, Code code, const std::string& field) {
  INFO(st.message());
  CHECK(st.code() == code);
  CHECK(st.field() == field);
}

}  // namespace

TEST_CASE("a well-formed create request is accepted as is", "[fragments]") {
  auto r = validate_fragment_create(create_request());
  REQUIRE(r.ok());
  CHECK(r->title == "Complementarity");
  CHECK(r->body == "## Conclusions\n\nCities act.\n");
  CHECK(r->note.empty());

  nlohmann::json with_note = create_request();
  with_note["note"] = "first notes from the room";
  auto n = validate_fragment_create(with_note);
  REQUIRE(n.ok());
  CHECK(n->note == "first notes from the room");
}

TEST_CASE("create: title rules name the field", "[fragments]") {
  nlohmann::json j = create_request();
  j.erase("title");
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "title");
  j["title"] = "   ";
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "title");
  j["title"] = 12;
  check_failure(validate_fragment_create(j).status(), Code::bad_request, "title");
  // 200 characters are fine even when they take 400 bytes; 201 are not.
  j["title"] = e_acute(kMaxFragmentTitleChars);
  CHECK(validate_fragment_create(j).ok());
  j["title"] = e_acute(kMaxFragmentTitleChars + 1);
  auto over = validate_fragment_create(j).status();
  check_failure(over, Code::validation_failed, "title");
  CHECK_THAT(over.message(), Catch::Contains("201 characters") && Catch::Contains("200"));
  j["title"] = std::string("a\0b", 3);
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "title");
}

TEST_CASE("create: body limits are 64 KiB of UTF-8, no NUL, not blank", "[fragments]") {
  nlohmann::json j = create_request();
  j["body"] = std::string(kMaxFragmentBodyBytes, 'a');
  CHECK(validate_fragment_create(j).ok());
  j["body"] = e_acute(kMaxFragmentBodyBytes / 2);  // 64 KiB in bytes, 32 Ki characters
  CHECK(validate_fragment_create(j).ok());

  j["body"] = std::string(kMaxFragmentBodyBytes + 1, 'a');
  auto big = validate_fragment_create(j).status();
  check_failure(big, Code::too_large, "body");
  CHECK_THAT(big.message(), Catch::Contains("65537 bytes") && Catch::Contains("65536"));
  // Bytes count, not characters.
  j["body"] = e_acute(kMaxFragmentBodyBytes / 2) + "a";
  check_failure(validate_fragment_create(j).status(), Code::too_large, "body");

  j["body"] = std::string("before\0after", 12);
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "body");
  j["body"] = "\xC3\x28 broken";
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "body");
  j["body"] = "\xED\xA0\x80";  // an encoded surrogate
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "body");
  j["body"] = " \n\t\n";
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "body");
  j["body"] = nlohmann::json::array({"a"});
  check_failure(validate_fragment_create(j).status(), Code::bad_request, "body");
  j.erase("body");
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "body");
}

TEST_CASE("create: notes, unknown members and non-objects", "[fragments]") {
  nlohmann::json j = create_request();
  j["note"] = std::string(kMaxFragmentNoteChars, 'n');
  CHECK(validate_fragment_create(j).ok());
  j["note"] = std::string(kMaxFragmentNoteChars + 1, 'n');
  check_failure(validate_fragment_create(j).status(), Code::validation_failed, "note");
  j["note"] = nullptr;
  CHECK(validate_fragment_create(j).ok());

  nlohmann::json typo = create_request();
  typo["bdoy"] = "x";
  check_failure(validate_fragment_create(typo).status(), Code::validation_failed, "bdoy");
  typo = create_request();
  typo["base_version"] = 1;  // belongs to updates only
  check_failure(validate_fragment_create(typo).status(), Code::validation_failed, "base_version");

  CHECK(validate_fragment_create(nlohmann::json::array()).status().code() == Code::bad_request);
}

TEST_CASE("update: base_version is a required positive integer", "[fragments]") {
  auto ok = validate_fragment_update(update_request());
  REQUIRE(ok.ok());
  CHECK(ok->base_version == 1);
  CHECK_FALSE(ok->title.has_value());

  nlohmann::json j = update_request();
  j.erase("base_version");
  check_failure(validate_fragment_update(j).status(), Code::validation_failed, "base_version");
  j["base_version"] = 0;
  check_failure(validate_fragment_update(j).status(), Code::validation_failed, "base_version");
  j["base_version"] = -3;
  check_failure(validate_fragment_update(j).status(), Code::validation_failed, "base_version");
  j["base_version"] = "3";
  check_failure(validate_fragment_update(j).status(), Code::bad_request, "base_version");
  j["base_version"] = 1.5;
  check_failure(validate_fragment_update(j).status(), Code::bad_request, "base_version");
  j["base_version"] = 1ULL << 40;
  check_failure(validate_fragment_update(j).status(), Code::validation_failed, "base_version");
  j["base_version"] = 18446744073709551615ULL;
  check_failure(validate_fragment_update(j).status(), Code::validation_failed, "base_version");
}

TEST_CASE("update: title is optional but checked when given; body as for create", "[fragments]") {
  nlohmann::json j = update_request();
  j["title"] = nullptr;
  CHECK_FALSE(validate_fragment_update(j)->title.has_value());
  j["title"] = "Renamed";
  CHECK(validate_fragment_update(j)->title == std::optional<std::string>("Renamed"));
  j["title"] = "";
  check_failure(validate_fragment_update(j).status(), Code::validation_failed, "title");
  j["title"] = std::string(kMaxFragmentTitleChars + 1, 't');
  check_failure(validate_fragment_update(j).status(), Code::validation_failed, "title");

  j = update_request();
  j["body"] = std::string(kMaxFragmentBodyBytes + 1, 'a');
  check_failure(validate_fragment_update(j).status(), Code::too_large, "body");
  j["note"] = "why";
  j["body"] = "fine";
  auto r = validate_fragment_update(j);
  REQUIRE(r.ok());
  CHECK(r->note == "why");
  j["surprise"] = true;
  check_failure(validate_fragment_update(j).status(), Code::validation_failed, "surprise");
}

TEST_CASE("a version conflict is explained with the diff from its base and a three-way merge", "[fragments]") {
  FragmentVersion base;
  base.fragment = 7;
  base.version = 3;
  base.body = "One.\n\nTwo.\n";
  Status st = Status::version_conflict("fragment 7: base_version 3 is not the latest (5)");
  st.with_details({{"current", {{"version", 5}, {"body", "One, revised.\n\nTwo.\n"}}}, {"base_version", 3}});

  const Status explained = explain_version_conflict(st, base, "One.\n\nTwo, mine.\n");
  CHECK(explained.code() == Code::version_conflict);
  CHECK(explained.message() == st.message());
  const nlohmann::json& d = explained.details();
  CHECK(d["current"]["version"] == 5);
  CHECK(d["base_version"] == 3);
  const nlohmann::json diff = {{{"op", "equal"}, {"text", "One"}},
                               {{"op", "insert"}, {"text", ", revised"}},
                               {{"op", "equal"}, {"text", ".\n\nTwo.\n"}}};
  CHECK(d["diff"] == diff);
  CHECK(d["merge"]["clean"] == true);
  CHECK(d["merge"]["body"] == "One, revised.\n\nTwo, mine.\n");

  // Anything else passes through untouched.
  const Status other = explain_version_conflict(Status::conflict("no"), base, "x");
  CHECK(other.code() == Code::conflict);
  CHECK(other.details().is_null());
}

namespace {

// A fresh database with one session of three breakouts (in that order).
struct StoreFixture {
  TempDir dir;
  std::unique_ptr<Store> db = rapporteur::testing::open_test_store(dir.file("r.db"));

  StoreFixture() {
    Session s;
    s.id = "s1";
    s.title = "Session";
    s.date = "2022-05-19";
    s.timezone = "Africa/Nairobi";
    s.breakouts = {{"zeta", "Z"}, {"alpha", "A"}, {"mid", "M"}};
    REQUIRE(write([&](Tx& tx) {
              tx.sessions().insert(s);
              return Status::ok();
            }).is_ok());
  }

  Status write(const std::function<Status(Tx&)>& fn) {
    return db->write<bool>([&](Tx& tx) -> Result<bool> {
               RAPPORTEUR_RETURN_IF_ERROR(fn(tx));
               return true;
             })
        .status();
  }

  int64_t add_fragment(const std::string& breakout, int64_t at, const std::string& body) {
    int64_t id = 0;
    REQUIRE(write([&](Tx& tx) {
              id = tx.fragments().insert(Fragment{0, "s1", breakout, at});
              tx.fragments().append_version(version_of(id, 1, body));
              return Status::ok();
            }).is_ok());
    return id;
  }

  static FragmentVersion version_of(int64_t id, int n, const std::string& body) {
    FragmentVersion v;
    v.fragment = id;
    v.version = n;
    v.title = "T" + std::to_string(n);
    v.body = body;
    v.author_name = "administrator";
    v.created_at = 1000 + n;
    v.sha256 = sha256_hex(body);
    return v;
  }
};

}  // namespace

TEST_CASE("a fragment version number is never written twice", "[fragments][store]") {
  StoreFixture f;
  const int64_t id = f.add_fragment("alpha", 1, "one");

  // The same version number twice is refused by the key, whatever the caller does.
  const Status twice = f.write([&](Tx& tx) {
    tx.fragments().append_version(StoreFixture::version_of(id, 1, "other"));
    return Status::ok();
  });
  CHECK(twice.code() == Code::conflict);

  auto v = f.db->read<FragmentVersion>([&](Snapshot& snap) -> Result<FragmentVersion> {
    return *snap.fragments().latest(id);
  });
  REQUIRE(v.ok());
  CHECK(v->body == "one");
  CHECK(v->version == 1);
}

TEST_CASE("a fragment needs an existing breakout of its session", "[fragments][store]") {
  StoreFixture f;
  const Status st = f.write([&](Tx& tx) {
    tx.fragments().insert(Fragment{0, "s1", "nowhere", 1});
    return Status::ok();
  });
  CHECK(st.code() == Code::conflict);
}

TEST_CASE("the store reads latest, any version, history and the merge order", "[fragments][store]") {
  StoreFixture f;
  // Created in this order; the session's breakout order is zeta, alpha, mid.
  const int64_t a1 = f.add_fragment("alpha", 10, "alpha one");
  const int64_t z1 = f.add_fragment("zeta", 20, "zeta one");
  const int64_t a2 = f.add_fragment("alpha", 30, "alpha two");
  const int64_t m1 = f.add_fragment("mid", 5, "mid one");
  REQUIRE(f.write([&](Tx& tx) {
            tx.fragments().append_version(StoreFixture::version_of(a1, 2, "alpha one, revised"));
            tx.fragments().append_version(StoreFixture::version_of(a1, 3, "alpha one, final"));
            return Status::ok();
          }).is_ok());

  struct Reads {
    std::vector<FragmentVersion> merge_order, alpha, history;
    std::optional<FragmentVersion> latest, second, missing;
    std::optional<Fragment> found, foreign;
  };
  auto r = f.db->read<Reads>([&](Snapshot& snap) -> Result<Reads> {
    Reads out;
    out.merge_order = snap.fragments().list_latest_for_session("s1");
    out.alpha = snap.fragments().list_by_breakout("s1", "alpha");
    out.history = snap.fragments().versions(a1);
    out.latest = snap.fragments().latest(a1);
    out.second = snap.fragments().version(a1, 2);
    out.missing = snap.fragments().version(a1, 4);
    out.found = snap.fragments().find("s1", a1);
    out.foreign = snap.fragments().find("other-session", a1);
    return out;
  });
  REQUIRE(r.ok());

  REQUIRE(r->merge_order.size() == 4);
  CHECK(r->merge_order[0].fragment == z1);
  CHECK(r->merge_order[1].fragment == a1);
  CHECK(r->merge_order[1].version == 3);
  CHECK(r->merge_order[1].body == "alpha one, final");
  CHECK(r->merge_order[2].fragment == a2);
  CHECK(r->merge_order[3].fragment == m1);
  CHECK(r->merge_order[3].breakout == "mid");

  REQUIRE(r->alpha.size() == 2);
  CHECK(r->alpha[0].fragment == a1);
  CHECK(r->alpha[0].version == 3);
  CHECK(r->alpha[0].body.empty());  // summaries carry the size only
  CHECK(r->alpha[0].size == std::string("alpha one, final").size());
  CHECK(r->alpha[1].fragment == a2);

  REQUIRE(r->history.size() == 3);
  for (int i = 0; i < 3; ++i) CHECK(r->history[i].version == i + 1);
  CHECK(r->history[1].sha256 == sha256_hex("alpha one, revised"));

  REQUIRE(r->latest);
  CHECK(r->latest->version == 3);
  REQUIRE(r->second);
  CHECK(r->second->body == "alpha one, revised");
  CHECK(r->second->author == 0);
  CHECK(r->second->author_name == "administrator");
  CHECK_FALSE(r->missing);
  REQUIRE(r->found);
  CHECK(r->found->breakout == "alpha");
  CHECK_FALSE(r->foreign);
}
