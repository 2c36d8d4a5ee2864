// What someone holding a copy of a PostgreSQL database's files learns about a
// closed secret poll. PostgreSQL keeps every row version in the table's
// pages, in the order written, each stamped with the id of the transaction
// that wrote it (xmin); a "has voted" row and the ballot written with it
// share that id. The attacker here reads the raw pages (pageinspect, as
// the test server's superuser) rather than what a query shows: live and dead
// row versions alike, where each sits, and its xmin.
//
// Runs only in the PostgreSQL run of the suite ([postgres]).
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "rehearsal.h"

using namespace rapporteur;
using namespace rapporteur::testing;

namespace {

struct HeapRow {
  std::string ctid, xmin;
  bool has_data = false;  // a row version with its content still in the page (live or dead)
};

// Every item of every page of `table`.
std::vector<HeapRow> heap_items(const TestDatabase& db, const std::string& table) {
  std::vector<HeapRow> out;
  const int64_t pages =
      db.count("SELECT pg_relation_size('" + table + "') / current_setting('block_size')::bigint");
  for (int64_t p = 0; p < pages; ++p) {
    for (const auto& r : db.rows("SELECT '(' || " + std::to_string(p) + " || ',' || lp || ')', t_xmin::text, "
                                 "t_data IS NOT NULL FROM heap_page_items(get_raw_page('" + table + "', " +
                                 std::to_string(p) + "))")) {
      out.push_back({r[0].value_or(""), r[1].value_or(""), r[2].value_or("") == "t"});
    }
  }
  return out;
}

int64_t with_data(const std::vector<HeapRow>& items) {
  return std::count_if(items.begin(), items.end(), [](const HeapRow& h) { return h.has_data; });
}

// The live rows of one poll in the order they sit in the table's pages, with
// their xmin: `key` is the column they should be ordered by.
std::vector<std::pair<std::string, std::string>> physical(const TestDatabase& db, const std::string& table,
                                                          const std::string& key, int64_t poll) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : db.rows("SELECT " + key + "::text, xmin::text FROM " + table + " WHERE poll_id = " +
                               std::to_string(poll) + " ORDER BY ctid")) {
    out.emplace_back(r[0].value_or(""), r[1].value_or(""));
  }
  return out;
}

}  // namespace

TEST_CASE("postgres: a closed secret poll's pages keep no trace of the order ballots were cast",
          "[postgres][secrecy][attack]") {
  if (!on_postgres()) {
    not_applicable("a PostgreSQL test: it runs in the PostgreSQL run of the suite");
    return;
  }
  Rehearsal r;
  auto a = r.amend("Participant 1", r.rec("R1"), "delete");
  r.admit(a["id"]);
  const int64_t id = r.open_poll({{"amendment", a["id"]}}, {{"secret", true}});
  // Voters cast in an order unlike their ids' order and unlike the receipts'.
  const std::vector<int> order = {17, 3, 29, 8, 24, 1, 22, 30, 12, 5, 27, 26, 14, 19, 9, 20};
  const char* choices[] = {"yes", "no", "abstain"};
  for (size_t i = 0; i < order.size(); ++i) {
    REQUIRE(r.vote(id, participant(order[i]), choices[(order[i] * 7) % 3]).status == 200);
  }
  const TestDatabase& db = r.s.db();

  // While the poll is open the leak is there, and this attacker sees it: one
  // transaction id per ballot (the detector below can fail).
  std::set<std::string> open_xmins;
  for (const auto& [key, xmin] : physical(db, "secret_ballots", "receipt", id)) open_xmins.insert(xmin);
  REQUIRE(open_xmins.size() > 1);

  r.close(id);

  for (const auto& [table, key] : {std::pair<std::string, std::string>{"secret_ballots", "receipt"},
                                   std::pair<std::string, std::string>{"secret_voted", "voter"}}) {
    INFO(table);
    const auto rows = physical(db, table, key, id);
    REQUIRE(rows.size() == order.size());
    // Where each row sits: key order, not cast order.
    std::vector<std::string> keys;
    for (const auto& row : rows) keys.push_back(row.first);
    std::vector<std::string> sorted = keys;
    if (key == "voter") {
      std::sort(sorted.begin(), sorted.end(),
                [](const std::string& x, const std::string& y) { return std::stoll(x) < std::stoll(y); });
    } else {
      std::sort(sorted.begin(), sorted.end());
    }
    CHECK(keys == sorted);
    // Who wrote each row: the same transaction for all.
    std::set<std::string> xmins;
    for (const auto& row : rows) xmins.insert(row.second);
    CHECK(xmins.size() == 1);
    // No older version of any row is left in the pages, live or dead.
    const auto items = heap_items(db, table);
    CHECK(with_data(items) == db.count("SELECT COUNT(*) FROM " + table));
  }
}
