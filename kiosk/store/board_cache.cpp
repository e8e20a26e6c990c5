// [SECTION] label encoding  [SECTION] board cache
// What the board needs to draw before the map is parsed, replaced whole in one transaction.
#include "store/sqlite_util.hpp"

namespace kiosk::store {
using namespace detail;

// [SECTION] label encoding ----------------------------------------------------------------------
namespace {
constexpr char kUnit = '\x1F', kRecord = '\x1E';

std::string clean(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == kUnit || c == kRecord) c = ' ';
  return out;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  if (text.empty()) return parts;
  for (std::size_t start = 0;;) {
    std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

std::string column_text(sqlite3_stmt* s, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, column))) : std::string();
}
}  // namespace

std::string encode_labels(const core::Labels& labels) {
  std::string out;
  for (const auto& [lang, text] : labels.entries()) {
    if (!out.empty()) out += kRecord;
    out += clean(lang) + kUnit + clean(text);
  }
  return out;
}

core::Labels decode_labels(std::string_view encoded) {
  core::Labels labels;
  for (std::string_view entry : split(encoded, kRecord)) {
    std::size_t unit = entry.find(kUnit);
    if (unit == std::string_view::npos) continue;
    labels.set(std::string(entry.substr(0, unit)), std::string(entry.substr(unit + 1)));
  }
  return labels;
}

// [SECTION] board cache -----------------------------------------------------------------------
void Snapshot::save_board(const std::vector<core::Space>& spaces, const std::map<std::string, std::string>& meta) {
  sqlite3* h = impl_->db.get();
  const std::string& where = impl_->where;
  exec(h, "BEGIN IMMEDIATE", where + ": cannot begin the board cache");
  try {
    exec(h, "DELETE FROM board; DELETE FROM meta", where + ": cannot clear the board cache");
    Stmt insert = prepare(h,
                          "INSERT INTO board(idx, space_id, kind, level, level_name, name, capacity, seats, "
                          "equipment) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                          where + ": cannot prepare the board cache");
    for (std::size_t i = 0; i < spaces.size(); ++i) {
      const core::Space& space = spaces[i];
      std::string equipment;
      for (const std::string& word : space.equipment) {
        if (!equipment.empty()) equipment += kRecord;
        equipment += clean(word);
      }
      std::string level_name = encode_labels(space.level_name), name = encode_labels(space.name);
      sqlite3_stmt* s = insert.get();
      Using use{s};
      sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(i));
      sqlite3_bind_text(s, 2, space.id.data(), static_cast<int>(space.id.size()), SQLITE_STATIC);
      sqlite3_bind_int(s, 3, static_cast<int>(space.kind));
      sqlite3_bind_int(s, 4, space.level_ordinal);
      sqlite3_bind_text(s, 5, level_name.data(), static_cast<int>(level_name.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, 6, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
      sqlite3_bind_int(s, 7, space.capacity);
      sqlite3_bind_int(s, 8, space.seats);
      sqlite3_bind_text(s, 9, equipment.data(), static_cast<int>(equipment.size()), SQLITE_STATIC);
      step_done(h, s, where + ": cannot write the board cache");
    }
    Stmt put = prepare(h, "INSERT INTO meta(key, value) VALUES(?1, ?2)", where + ": cannot prepare the board cache");
    for (const auto& [key, value] : meta) {
      Using use{put.get()};
      sqlite3_bind_text(put.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      sqlite3_bind_text(put.get(), 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
      step_done(h, put.get(), where + ": cannot write the board cache");
    }
    exec(h, "COMMIT", where + ": cannot commit the board cache");
  } catch (...) {
    if (!sqlite3_get_autocommit(h)) sqlite3_exec(h, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

BoardCache Snapshot::load_board() {
  sqlite3* h = impl_->db.get();
  const std::string& where = impl_->where;
  BoardCache cache;
  Stmt rows = prepare(h,
                      "SELECT space_id, kind, level, level_name, name, capacity, seats, equipment FROM board "
                      "ORDER BY idx",
                      where + ": cannot read the board cache");
  for (int rc; (rc = sqlite3_step(rows.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) fail(h, rc, where + ": cannot read the board cache");
    core::Space space;
    space.id = column_text(rows.get(), 0);
    int kind = sqlite3_column_int(rows.get(), 1);
    if (space.id.empty() || kind < 0 || kind >= core::kSpaceKindCount) continue;  // not ours: skip
    space.kind = static_cast<core::SpaceKind>(kind);
    space.level_ordinal = sqlite3_column_int(rows.get(), 2);
    space.level_name = decode_labels(column_text(rows.get(), 3));
    space.name = decode_labels(column_text(rows.get(), 4));
    space.capacity = std::max(0, sqlite3_column_int(rows.get(), 5));
    space.seats = std::max(0, sqlite3_column_int(rows.get(), 6));
    std::string equipment = column_text(rows.get(), 7);
    for (std::string_view word : split(equipment, kRecord)) space.equipment.emplace_back(word);
    cache.spaces.push_back(std::move(space));
  }
  Stmt meta = prepare(h, "SELECT key, value FROM meta", where + ": cannot read the board cache");
  for (int rc; (rc = sqlite3_step(meta.get())) != SQLITE_DONE;) {
    if (rc != SQLITE_ROW) fail(h, rc, where + ": cannot read the board cache");
    cache.meta[column_text(meta.get(), 0)] = column_text(meta.get(), 1);
  }
  return cache;
}

}  // namespace kiosk::store
