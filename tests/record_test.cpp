// The record: `rapporteur verify` against rows tampered with through the real
// sqlite3 shell, GET .../log/verify, and `rapporteur backup` of a database a
// server is writing to.
#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "contract/answers.h"
#include "rapporteur/crypto.h"
#include "rapporteur/backup.h"
#include "rapporteur/record.h"
#include "rapporteur/subprocess.h"
#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kSqlite3 = "/usr/bin/sqlite3";
constexpr const char* kSid = "kisumu-2022-partnerships";

SubprocessResult run(const std::vector<std::string>& argv) {
  SubprocessOptions so;
  so.timeout_ms = 60'000;
  auto r = run_subprocess(argv, so);
  REQUIRE(r.ok());
  return *r;
}

SubprocessResult verify_cli(const std::string& db) { return run({RAPPORTEUR_BINARY, "verify", "--db", db}); }

// Runs `sql` in the sqlite3 shell, as an attacker with the file would.
void tamper(const std::string& db, const std::string& sql) {
  auto r = run({kSqlite3, "-bail", db, sql});
  INFO(sql << "\n" << r.output);
  REQUIRE(r.exit_code == 0);
}

std::string query(const std::string& db, const std::string& sql) {
  SQLite::Database d(db, SQLite::OPEN_READONLY);
  return d.execAndGet(sql).getString();
}

// Amendment 1 (R2 replaced, in French) adopted, making draft 2; then draft 2
// adopted. Returns the final draft as GET .../drafts/final shows it.
nlohmann::json adopt(Rehearsal& r) {
  auto a = r.amend(participant(1), r.rec("R2"), "replace",
                   "- Financer directement les organisations dirigées par des migrants sur les budgets des villes.");
  r.admit(a["id"]);
  const int64_t p1 = r.open_poll({{"amendment", a["id"]}});
  for (int i = 1; i <= 6; ++i) REQUIRE(r.vote(p1, participant(i), i <= 5 ? "yes" : "no").status == 200);
  REQUIRE(r.close(p1)["result"]["outcome"] == "adopted");
  const int64_t pa = r.open_poll({{"adoption", 2}});
  for (int i = 1; i <= 6; ++i) REQUIRE(r.vote(pa, participant(i), "yes").status == 200);
  REQUIRE(r.close(pa)["result"]["outcome"] == "adopted");
  auto final_text = r.s.get(r.s.path("/drafts/final"), r.moderator);
  REQUIRE(final_text.status == 200);
  return final_text.json();
}

struct Golden {
  TempDir dir;
  std::string path;
  nlohmann::json final_text;
  int64_t adoption_seq = 0;
};

// An adopted session's database, made once by the real server and copied
// (VACUUM INTO) after the server stopped writing; each test tampers with its
// own copy of it.
const Golden& golden() {
  static Golden g;  // its folder is removed at exit
  static const bool made = [] {
    Golden* out = &g;
    out->path = out->dir.file("adopted.db");
    Rehearsal r;
    out->final_text = adopt(r);
    r.s.app().stop();  // commits what is queued, then writes nothing more
    SQLite::Database db(r.s.db_path(), SQLite::OPEN_READONLY);
    db.exec("VACUUM INTO '" + out->path + "'");
    out->adoption_seq = db.execAndGet("SELECT seq FROM events WHERE type = 'session_adopted'").getInt64();
    return true;
  }();
  (void)made;
  return g;
}

// A fresh copy of the golden database in `dir`.
std::string copy_golden(const TempDir& dir) {
  const std::string path = dir.file("rapporteur.db");
  fs::copy_file(golden().path, path);
  return path;
}

// The pid of the final text's recommendation `number`.
std::string final_pid(const std::string& number) {
  for (const auto& p : golden().final_text["paragraphs"]) {
    if (p["number"] == number) return p["pid"];
  }
  FAIL("no " << number << " in the final text");
  return "";
}

// The shell script that changes drafts rows behind the immutability trigger,
// dropping it and putting it back exactly as it was.
std::string behind_trigger(const std::string& db, const std::string& update) {
  const std::string trigger = query(db, "SELECT sql FROM sqlite_master WHERE name = 'drafts_immutable'");
  REQUIRE(trigger.find("CREATE TRIGGER") == 0);
  return "BEGIN; DROP TRIGGER drafts_immutable; " + update + "; " + trigger + "; COMMIT;";
}

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("verify: an intact adopted database verifies, exit 0", "[sqlite][record][verify]") {
  TempDir dir;
  const std::string db = copy_golden(dir);
  auto r = verify_cli(db);
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.output, std::string(kSid) + ": ok\n"));
  CHECK(contains(r.output, "final text: draft 2, SHA-256 " + golden().final_text["sha256"].get<std::string>() +
                               " as recorded at adoption (event " + std::to_string(golden().adoption_seq) + ")"));
  // One session by name, and the same file untouched by verifying it.
  const std::string before = read_text(db);
  auto one = run({RAPPORTEUR_BINARY, "verify", kSid, "--db", db});
  CHECK(one.exit_code == 0);
  CHECK(read_text(db) == before);
  // Bad usage, an unknown session, no database.
  CHECK(run({RAPPORTEUR_BINARY, "verify", "a", "b", "--db", db}).exit_code == 2);
  auto unknown = run({RAPPORTEUR_BINARY, "verify", "no-such-session", "--db", db});
  CHECK(unknown.exit_code == 1);
  CHECK(contains(unknown.output, "no-such-session"));
  auto missing = run({RAPPORTEUR_BINARY, "verify", "--db", dir.file("nope.db")});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.output, "no database at"));
  CHECK_FALSE(fs::exists(dir.file("nope.db")));  // verify never creates a database
}

TEST_CASE("verify: an event's data changed names that event", "[sqlite][record][verify]") {
  TempDir dir;
  const std::string db = copy_golden(dir);
  // The adoption poll's closing event: its result says fewer yes votes now.
  const std::string seq =
      query(db, "SELECT seq FROM events WHERE type = 'poll_closed' ORDER BY seq DESC LIMIT 1");
  const std::string before = query(db, "SELECT data FROM events WHERE seq = " + seq);
  tamper(db, "UPDATE events SET data = replace(data, '\"yes\":6', '\"yes\":2') WHERE seq = " + seq);
  REQUIRE(query(db, "SELECT data FROM events WHERE seq = " + seq) != before);
  auto r = verify_cli(db);
  INFO(before << "\n" << r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, std::string(kSid) + ": FAILED"));
  CHECK(contains(r.output, "event " + seq + ": hash does not match its content (first bad event: " + seq + ")"));
}

TEST_CASE("verify: a deleted event names the event after the gap", "[sqlite][record][verify]") {
  TempDir dir;
  const std::string db = copy_golden(dir);
  tamper(db, "DELETE FROM events WHERE seq = 7");
  auto r = verify_cli(db);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "event 8: seq 8 follows 6 (first bad event: 8)"));
}

TEST_CASE("verify: a final paragraph changed behind the trigger names the final text and the paragraph",
          "[sqlite][record][verify]") {
  TempDir dir;
  const std::string db = copy_golden(dir);
  const std::string pid = final_pid("R3");
  // The trigger refuses the plain UPDATE...
  auto refused = run({kSqlite3, db, "UPDATE drafts SET paragraphs = replace(paragraphs, 'Share data', 'Sell data') WHERE final = 1"});
  CHECK(refused.exit_code != 0);
  CHECK(contains(refused.output, "a draft is immutable"));
  // ...so the attacker drops it, changes the text and puts it back.
  tamper(db, behind_trigger(db, "UPDATE drafts SET paragraphs = replace(paragraphs, 'Share data', 'Sell data') WHERE final = 1"));
  REQUIRE(contains(query(db, "SELECT paragraphs FROM drafts WHERE final = 1"), "Sell data"));
  REQUIRE(query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'drafts_immutable'") == "1");
  auto r = verify_cli(db);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "  log: "));  // the chain itself is intact
  CHECK_FALSE(contains(r.output, "first bad event"));
  const std::string sha = golden().final_text["sha256"];
  CHECK(contains(r.output, "final text (draft 2): its paragraphs hash to "));
  CHECK(contains(r.output, "not " + sha.substr(0, 12) + "... as recorded at adoption (event " +
                               std::to_string(golden().adoption_seq) + "); paragraph " + pid +
                               " (R3) differs from the adopted text"));
}

TEST_CASE("verify: a thorough attacker who also rewrites the stored Markdown and hash is caught by the log",
          "[sqlite][record][verify]") {
  TempDir dir;
  const std::string db = copy_golden(dir);
  std::string markdown = query(db, "SELECT markdown FROM drafts WHERE final = 1");
  const auto at = markdown.find("Share data");
  REQUIRE(at != std::string::npos);
  markdown.replace(at, 5, "Sell");
  const std::string forged = sha256_hex(markdown);
  tamper(db, behind_trigger(db, "UPDATE drafts SET paragraphs = replace(paragraphs, 'Share data', 'Sell data'), "
                                "markdown = replace(markdown, 'Share data', 'Sell data'), sha256 = '" +
                                    forged + "' WHERE final = 1"));
  auto r = verify_cli(db);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  const std::string sha = golden().final_text["sha256"];
  CHECK(contains(r.output, "final text (draft 2): its stored text hashes to " + forged.substr(0, 12) + "..., not " +
                               sha.substr(0, 12) + "... as recorded at adoption (event " +
                               std::to_string(golden().adoption_seq) + ")"));

  SECTION("and then the adoption event: the chain breaks there") {
    const std::string seq = std::to_string(golden().adoption_seq);
    tamper(db, "UPDATE events SET data = replace(data, '" + sha + "', '" + forged + "') WHERE seq = " + seq);
    auto again = verify_cli(db);
    INFO(again.output);
    CHECK(again.exit_code == 1);
    CHECK(contains(again.output, "log: event " + seq + ": hash does not match its content (first bad event: " + seq + ")"));
  }
}

TEST_CASE("verify: an adopted session put back into amending is caught by the log", "[sqlite][record][verify]") {
  TempDir dir;
  const std::string db = copy_golden(dir);
  tamper(db, behind_trigger(db, "UPDATE drafts SET final = 0 WHERE final = 1; UPDATE sessions SET phase = 'amending'"));
  auto r = verify_cli(db);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "final text (draft 2): the session's phase is amending, but event " +
                               std::to_string(golden().adoption_seq) + " records its adoption"));
}

TEST_CASE("verify: a final draft row that no longer parses is reported, not a crash", "[sqlite][record][verify]") {
  TempDir dir;
  const std::string db = copy_golden(dir);
  tamper(db, behind_trigger(db, "UPDATE drafts SET paragraphs = '[{\"pid\": 1' WHERE final = 1"));
  auto r = verify_cli(db);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(contains(r.output, "final text (draft 2): its stored paragraphs are not valid JSON paragraphs"));
}

TEST_CASE("GET log/verify: final_ok, then the tampered final text of a running server", "[sqlite][record][verify][http]") {
  Rehearsal r;
  auto before = r.s.get(r.s.path("/log/verify")).json();
  CHECK(before["ok"] == true);
  CHECK_FALSE(before.contains("final_ok"));  // not adopted yet
  adopt(r);
  auto intact = r.s.get(r.s.path("/log/verify")).json();
  CHECK(intact["ok"] == true);
  CHECK(intact["final_ok"] == true);
  tamper(r.s.db_path(), behind_trigger(r.s.db_path(), "UPDATE drafts SET paragraphs = replace(paragraphs, "
                                                      "'Share data', 'Sell data') WHERE final = 1"));
  auto bad = r.s.get(r.s.path("/log/verify")).json();
  INFO(bad.dump());
  CHECK(bad["ok"] == false);
  CHECK(bad["final_ok"] == false);
  CHECK_FALSE(bad.contains("first_bad"));
  CHECK(contains(bad["problem"].get<std::string>(), "final text (draft 2): its paragraphs hash to"));
}

// ---------------------------------------------------------------------------
// backup

namespace {

// Markdown of about `bytes`, different for every (writer, version).
std::string body_of(int writer, int version, size_t bytes) {
  std::string out = "## Conclusions\n\nWriter " + std::to_string(writer) + ", version " + std::to_string(version) + ".\n\n";
  while (out.size() < bytes) {
    out += "Cities and partners agree on point " + std::to_string(out.size()) + " of version " +
           std::to_string(version) + ".\n\n";
  }
  return out;
}

using SteadyClock = std::chrono::steady_clock;

struct Ack {
  int version;
  SteadyClock::time_point sent, acked;
};

std::vector<std::string> files_in(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir.path())) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("backup under write load: integrity ok, verifies, every acknowledged save is in the copy",
          "[sqlite][record][backup]") {
  TestServer s;
  s.create_kisumu();
  struct Writer {
    std::string token, breakout;
    int64_t fragment = 0;
    std::vector<Ack> acks;  // written by the writer's thread only, read after join
    std::atomic<int> last_acked{0};
    std::string error;
  };
  std::vector<std::unique_ptr<Writer>> writers;
  for (const auto& [who, breakout] : std::vector<std::pair<std::string, std::string>>{
           {"Rapporteur, Breakout 1", "complementarity"},
           {"Rapporteur, Breakout 2", "sustainability"},
           {"Moderator", "complementarity"}}) {
    auto w = std::make_unique<Writer>();
    w->token = s.token(who);
    w->breakout = breakout;
    writers.push_back(std::move(w));
  }
  std::atomic<bool> stop{false};
  std::atomic<int> saves{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < writers.size(); ++i) {
    threads.emplace_back([&, i] {
      Writer& w = *writers[i];
      httplib::Client cli("127.0.0.1", s.port());
      cli.set_read_timeout(30, 0);
      const httplib::Headers auth{{"Authorization", "Bearer " + w.token}};
      const std::string create_path = "/api/v1/sessions/" + s.sid() + "/breakouts/" + w.breakout + "/fragments";
      auto created = cli.Post(create_path.c_str(), auth,
                              nlohmann::json{{"title", "Notes " + std::to_string(i)}, {"body", body_of(int(i), 1, 20000)}}.dump(),
                              "application/json");
      if (!created || created->status != 201) {
        w.error = "create: " + (created ? std::to_string(created->status) + " " + created->body : "no answer");
        return;
      }
      // An answer that breaks the OpenAPI document stops the writer like a failed save.
      const std::string broken = contract::check_answer("POST", create_path, *created);
      if (!broken.empty()) {
        w.error = broken;
        return;
      }
      w.fragment = nlohmann::json::parse(created->body)["id"];
      w.last_acked = 1;
      const std::string path = "/api/v1/sessions/" + s.sid() + "/fragments/" + std::to_string(w.fragment);
      for (int v = 1; !stop;) {
        const auto sent = SteadyClock::now();
        auto put = cli.Put(path.c_str(), auth,
                           nlohmann::json{{"base_version", v}, {"body", body_of(int(i), v + 1, 20000)}}.dump(),
                           "application/json");
        if (!put || put->status != 201) {
          w.error = "save: " + (put ? std::to_string(put->status) + " " + put->body.substr(0, 300) : "no answer");
          return;
        }
        const std::string broken_save = contract::check_answer("PUT", path, *put);
        if (!broken_save.empty()) {
          w.error = broken_save;
          return;
        }
        v = nlohmann::json::parse(put->body)["version"];
        w.acks.push_back({v, sent, SteadyClock::now()});
        w.last_acked = v;
        ++saves;
      }
    });
  }
  // A database of several MB first, so that the copy takes many steps.
  while (saves < 450 && std::all_of(writers.begin(), writers.end(), [](auto& w) { return w->error.empty(); })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::vector<int> acked_before;
  for (auto& w : writers) acked_before.push_back(w->last_acked);
  TempDir out;
  const std::string copy = out.file("copy.db");
  const auto backup_start = SteadyClock::now();
  auto b = run({RAPPORTEUR_BINARY, "backup", "--db", s.db_path(), "--out", copy});
  const auto backup_end = SteadyClock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop = true;
  for (auto& t : threads) t.join();
  for (auto& w : writers) REQUIRE(w->error == "");
  INFO(b.output);
  REQUIRE(b.exit_code == 0);
  CHECK(contains(b.output, "integrity_check ok"));

  // The writers kept being answered during the backup, and quickly.
  int during = 0;
  double slowest_ms = 0;
  for (auto& w : writers) {
    for (const Ack& a : w->acks) {
      if (a.acked < backup_start || a.sent > backup_end) continue;
      if (a.sent > backup_start && a.acked < backup_end) ++during;
      slowest_ms = std::max(slowest_ms, std::chrono::duration<double, std::milli>(a.acked - a.sent).count());
    }
  }
  const double backup_ms = std::chrono::duration<double, std::milli>(backup_end - backup_start).count();
  WARN("backup of " << fs::file_size(copy) / 1024 << " KiB took " << backup_ms << " ms (process included); "
                    << during << " saves acknowledged meanwhile, slowest save overlapping it " << slowest_ms << " ms");
  CHECK(during > 0);
  CHECK(slowest_ms < 2000);

  // The copy: SQLite's own check, the record's, and every acknowledged save.
  {
    SQLite::Database c(copy, SQLite::OPEN_READONLY);
    CHECK(c.execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(c.execAndGet("PRAGMA journal_mode").getString() == "delete");
    for (size_t i = 0; i < writers.size(); ++i) {
      SQLite::Statement q(c, "SELECT count(*), max(version) FROM fragment_versions WHERE fragment_id = ?");
      q.bind(1, writers[i]->fragment);
      REQUIRE(q.executeStep());
      INFO("writer " << i << ": acknowledged before the backup " << acked_before[i]);
      CHECK(q.getColumn(0).getInt() >= acked_before[i]);
      CHECK(q.getColumn(0).getInt() == q.getColumn(1).getInt());  // 1..max, no hole
    }
  }
  auto v = verify_cli(copy);
  INFO(v.output);
  CHECK(v.exit_code == 0);
  CHECK(files_in(out) == std::vector<std::string>{"copy.db"});
}

TEST_CASE("backup_database under steady writes finishes with one consistent snapshot", "[sqlite][record][backup]") {
  TestServer s;
  s.create_kisumu();
  auto created = s.post(s.path("/breakouts/complementarity/fragments"), {{"title", "Notes"}, {"body", body_of(0, 1, 30000)}},
                        s.token("Rapporteur, Breakout 1"));
  REQUIRE(created.status == 201);
  const std::string path = s.path("/fragments/" + std::to_string(created.json()["id"].get<int64_t>()));
  int v = 1;
  for (; v < 40; ++v) {
    REQUIRE(s.put(path, {{"base_version", v}, {"body", body_of(0, v + 1, 30000)}}, s.token("Rapporteur, Breakout 1")).status == 201);
  }
  std::atomic<bool> stop{false};
  std::atomic<int> during{0};
  std::thread writer([&] {
    for (int n = v; !stop; ++n) {
      if (s.put(path, {{"base_version", n}, {"body", body_of(0, n + 1, 30000)}}, s.token("Rapporteur, Breakout 1")).status != 201) return;
      ++during;
    }
  });
  TempDir out;
  auto report = backup_database(s.db_path(), out.file("copy.db"));
  stop = true;
  writer.join();
  REQUIRE(report.ok());
  CHECK(report->pages > 200);
  CHECK(during > 0);
  {
    SQLite::Database c(out.file("copy.db"), SQLite::OPEN_READONLY);
    CHECK(c.execAndGet("PRAGMA integrity_check").getString() == "ok");
  }
  Result<RecordCheck> check = Status::internal("not read");
  StoreOptions copy;
  copy.path = out.file("copy.db");
  REQUIRE(read_existing(copy, [&](Snapshot& snap) -> Status {
            check = verify_record(snap, s.sid());
            return Status::ok();
          }).is_ok());
  REQUIRE(check.ok());
  CHECK(check->ok());
}

TEST_CASE("backup: a failed backup leaves FILE as it was and no temporary file", "[sqlite][record][backup]") {
  TempDir dir;
  const std::string out = dir.file("backup.db");
  {
    std::ofstream f(out);
    f << "the previous backup";
  }
  const std::vector<std::string> before = files_in(dir);

  SECTION("the source is not a database") {
    {
      std::ofstream f(dir.file("garbage.db"));
      f << std::string(8192, 'x');
    }
    auto r = run({RAPPORTEUR_BINARY, "backup", "--db", dir.file("garbage.db"), "--out", out});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.output, "rapporteur backup: backup of " + dir.file("garbage.db")));
    fs::remove(dir.file("garbage.db"));
  }
  SECTION("the copy fails integrity_check: it never takes the name FILE") {
    const std::string src = dir.file("damaged.db");
    {
      SQLite::Database d(src, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      d.exec("CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t(x)");
      SQLite::Transaction tx(d);
      for (int i = 0; i < 3000; ++i) d.exec("INSERT INTO t VALUES ('row " + std::to_string(i) + "')");
      tx.commit();
    }
    // Scramble one page of the index in the middle of the file (b-tree
    // structure stays readable enough to copy, but its content is wrong).
    const auto size = fs::file_size(src);
    {
      std::fstream f(src, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(size - 4096 + 200));
      const std::string junk(400, '\x07');
      f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    auto r = run({RAPPORTEUR_BINARY, "backup", "--db", src, "--out", out});
    INFO(r.output);
    CHECK(r.exit_code == 1);
    fs::remove(src);
  }
  SECTION("no database, no folder, the database itself, bad usage") {
    auto missing = run({RAPPORTEUR_BINARY, "backup", "--db", dir.file("nope.db"), "--out", out});
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.output, "no database at " + dir.file("nope.db")));
    CHECK_FALSE(fs::exists(dir.file("nope.db")));
    auto no_folder = run({RAPPORTEUR_BINARY, "backup", "--db", out, "--out", dir.file("no/such/folder.db")});
    CHECK(no_folder.exit_code == 1);
    auto itself = run({RAPPORTEUR_BINARY, "backup", "--db", out, "--out", out});
    CHECK(itself.exit_code == 1);
    CHECK(contains(itself.output, "is the database itself"));
    CHECK(run({RAPPORTEUR_BINARY, "backup", "--db", out}).exit_code == 2);
  }
  CHECK(read_text(out) == "the previous backup");
  CHECK(files_in(dir) == before);
}
