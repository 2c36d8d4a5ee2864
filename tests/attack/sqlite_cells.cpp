#include "attack/sqlite_cells.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace rapporteur::attack {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

uint32_t be16(const unsigned char* p) { return (uint32_t{p[0]} << 8) | p[1]; }
uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// SQLite's varint: 1 to 9 bytes, big-endian 7 bits a byte, the ninth whole.
// Returns the bytes read, 0 when it runs past `end`.
int varint(const unsigned char* p, const unsigned char* end, int64_t& out) {
  uint64_t v = 0;
  for (int i = 0; i < 9; ++i) {
    if (p + i >= end) return 0;
    if (i == 8) {
      v = (v << 8) | p[i];
      out = static_cast<int64_t>(v);
      return 9;
    }
    v = (v << 7) | (p[i] & 0x7F);
    if ((p[i] & 0x80) == 0) {
      out = static_cast<int64_t>(v);
      return i + 1;
    }
  }
  return 0;
}

// A record (header of serial types, then the values) in [p, end).
bool parse_record(const unsigned char* p, const unsigned char* end, std::vector<Value>& out) {
  int64_t header_size = 0;
  int n = varint(p, end, header_size);
  if (n == 0 || header_size < n || p + header_size > end) return false;
  std::vector<int64_t> types;
  for (const unsigned char* h = p + n; h < p + header_size;) {
    int64_t t = 0;
    const int m = varint(h, p + header_size, t);
    if (m == 0) return false;
    types.push_back(t);
    h += m;
  }
  const unsigned char* body = p + header_size;
  for (int64_t t : types) {
    if (t == 0) {
      out.emplace_back(std::monostate{});
    } else if (t >= 1 && t <= 7) {
      static const int kSize[] = {0, 1, 2, 3, 4, 6, 8, 8};
      const int size = kSize[t];
      if (body + size > end) return false;
      int64_t v = (body[0] & 0x80) ? -1 : 0;  // sign-extended big-endian
      for (int i = 0; i < size; ++i) v = static_cast<int64_t>((static_cast<uint64_t>(v) << 8) | body[i]);
      out.emplace_back(v);
      body += size;
    } else if (t == 8 || t == 9) {
      out.emplace_back(int64_t{t == 8 ? 0 : 1});
    } else if (t >= 12) {
      const int64_t size = (t - (t % 2 == 0 ? 12 : 13)) / 2;
      if (size < 0 || body + size > end) return false;
      out.emplace_back(std::string(reinterpret_cast<const char*>(body), static_cast<size_t>(size)));
      body += size;
    } else {
      return false;  // 10 and 11 are reserved
    }
  }
  return true;
}

// The cells of one page image if it holds a leaf b-tree page (table or
// index); `header_at` is 100 on page 1 (the file header comes first).
void page_cells(const unsigned char* page, int page_size, int usable, int header_at, int64_t unit, int64_t pgno,
                std::vector<Cell>& out) {
  const unsigned char* h = page + header_at;
  const int type = h[0];
  if (type != 10 && type != 13) return;
  const uint32_t ncells = be16(h + 3);
  const unsigned char* end = page + usable;
  for (uint32_t i = 0; i < ncells; ++i) {
    const unsigned char* ptr = h + 8 + 2 * i;
    if (ptr + 2 > end) return;
    const uint32_t off = be16(ptr);
    if (off < static_cast<uint32_t>(header_at + 8) || off >= static_cast<uint32_t>(usable)) continue;
    const unsigned char* c = page + off;
    int64_t payload = 0;
    int n = varint(c, end, payload);
    if (n == 0) continue;
    c += n;
    if (type == 13) {  // table leaf: the rowid follows the payload size
      int64_t rowid = 0;
      const int m = varint(c, end, rowid);
      if (m == 0) continue;
      c += m;
    }
    if (payload <= 0 || c + payload > end) continue;  // overflow or garbage
    Cell cell{unit, pgno, static_cast<int>(off), {}};
    if (parse_record(c, c + payload, cell.values)) out.push_back(std::move(cell));
  }
  (void)page_size;
}

}  // namespace

std::vector<Cell> database_cells(const std::string& path) {
  const std::string data = slurp(path);
  std::vector<Cell> out;
  if (data.size() < 100) return out;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  uint32_t page_size = be16(bytes + 16);
  if (page_size == 1) page_size = 65536;
  if (page_size < 512) return out;
  const int usable = static_cast<int>(page_size) - bytes[20];
  for (size_t at = 0, pgno = 1; at + page_size <= data.size(); at += page_size, ++pgno) {
    page_cells(bytes + at, static_cast<int>(page_size), usable, pgno == 1 ? 100 : 0, static_cast<int64_t>(pgno),
               static_cast<int64_t>(pgno), out);
  }
  return out;
}

std::vector<Cell> wal_cells(const std::string& path) {
  const std::string data = slurp(path);
  std::vector<Cell> out;
  if (data.size() < 32) return out;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const uint32_t page_size = be32(bytes + 8);
  if (page_size < 512 || page_size > 65536) return out;
  int64_t frame = 0;
  for (size_t at = 32; at + 24 + page_size <= data.size(); at += 24 + page_size) {
    ++frame;
    const uint32_t pgno = be32(bytes + at);
    // The usable size is not in the log; SQLite's default reserves nothing.
    page_cells(bytes + at + 24, static_cast<int>(page_size), static_cast<int>(page_size), pgno == 1 ? 100 : 0, frame,
               pgno, out);
  }
  return out;
}

int64_t file_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return 0;
  return static_cast<int64_t>(in.tellg());
}

}  // namespace rapporteur::attack
