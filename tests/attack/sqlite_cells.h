// What someone holding a copy of the database files can read without SQLite:
// every record of every b-tree leaf page, with where it physically sits. The
// secrecy tests use it as an attacker would, on the main file, the -wal file
// and backups, including pages SQLite no longer uses (free pages, old page
// versions in the log), which a query never shows.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace rapporteur::attack {

// A column value as stored: NULL, an integer, or text/blob bytes (floats are
// kept as their integer bits; the tests read no floats).
using Value = std::variant<std::monostate, int64_t, std::string>;

struct Cell {
  // The page's place in its file: the page number in a database file, the
  // frame number (from 1) in a write-ahead log.
  int64_t unit = 0;
  int64_t page = 0;    // the page number (in a log, the page the frame holds)
  int offset = 0;      // the cell's byte offset in its page
  std::vector<Value> values;
};

// Every cell of every leaf page (table and index b-trees) of a database file,
// whatever the page's state (in use, free, or stale), in file order. Cells
// whose record does not fit their page (overflow) or does not parse are left
// out. An empty or missing file gives none.
std::vector<Cell> database_cells(const std::string& path);

// The same for each frame of a write-ahead log file, in frame order (every
// frame, committed or not, whatever its salt).
std::vector<Cell> wal_cells(const std::string& path);

// The file's size in bytes (0 when missing).
int64_t file_size(const std::string& path);

}  // namespace rapporteur::attack
