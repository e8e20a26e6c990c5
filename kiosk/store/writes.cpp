// [SECTION] reads  [SECTION] writes (one transaction a batch)  [SECTION] retention
// What the store thread and the commands do with an open connection.
#include "store/sqlite_util.hpp"

namespace kiosk::store {
using namespace detail;

// [SECTION] reads -----------------------------------------------------------------------------
std::vector<Row> Snapshot::load_latest() {
  sqlite3* h = impl_->db.get();
  sqlite3_stmt* s = impl_->select_latest.get();
  Using use{s};
  std::vector<Row> rows;
  Row row;
  for (;;) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(h, rc, impl_->where + ": cannot read latest");
    if (!read_row(s, row.space_id, row.reading)) continue;
    read_motion(s, 6, row.reading);
    rows.push_back(row);
  }
  return rows;
}

std::vector<HistoryRow> Snapshot::history(std::string_view space_id, std::size_t limit) {
  std::vector<HistoryRow> rows;
  if (limit == 0) return rows;
  sqlite3* h = impl_->db.get();
  sqlite3_stmt* s = impl_->select_history.get();
  Using use{s};
  sqlite3_bind_text(s, 1, space_id.data(), static_cast<int>(space_id.size()), SQLITE_STATIC);
  const auto max = static_cast<std::size_t>(std::numeric_limits<sqlite3_int64>::max());
  sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(std::min(limit, max)));
  HistoryRow row;
  for (;;) {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(h, rc, impl_->where + ": cannot read history");
    if (read_row(s, row.space_id, row.reading)) rows.push_back(row);
  }
  return rows;
}

// [SECTION] writes ----------------------------------------------------------------------------
void Snapshot::write(const std::vector<Row>& latest, const std::vector<HistoryRow>& history) {
  if (latest.empty() && history.empty()) return;
  sqlite3* h = impl_->db.get();
  const std::string& where = impl_->where;
  {
    Using use{impl_->begin.get()};
    step_done(h, impl_->begin.get(), where + ": cannot begin a write");
  }
  try {
    sqlite3_stmt* upsert = impl_->upsert.get();
    for (const Row& row : latest) {
      Using use{upsert};
      bind_row(upsert, row.space_id, row.reading);
      bind_motion(upsert, row.reading);
      step_done(h, upsert, where + ": cannot write latest");
    }
    sqlite3_stmt* insert = impl_->insert_history.get();
    for (const HistoryRow& row : history) {
      Using use{insert};
      bind_row(insert, row.space_id, row.reading);
      step_done(h, insert, where + ": cannot append history");
    }
    Using use{impl_->commit.get()};
    step_done(h, impl_->commit.get(), where + ": cannot commit");
  } catch (...) {
    // SQLite may already have rolled back (disk full, I/O error); otherwise undo the partial batch.
    if (!sqlite3_get_autocommit(h)) {
      Using use{impl_->rollback.get()};
      sqlite3_step(impl_->rollback.get());
    }
    throw;
  }
}

std::string Snapshot::integrity_check() {
  try {
    return run_check(impl_->db.get(), "PRAGMA integrity_check", impl_->where + ": integrity_check failed");
  } catch (const Error& e) {
    return e.what();
  }
}

// [SECTION] retention -------------------------------------------------------------------------
std::size_t Snapshot::prune_history(core::TimePoint before) {
  sqlite3* h = impl_->db.get();
  sqlite3_stmt* s = impl_->prune.get();
  Using use{s};
  sqlite3_bind_int64(s, 1, core::to_unix_ms(before));
  step_done(h, s, impl_->where + ": cannot prune history");
  return static_cast<std::size_t>(sqlite3_changes64(h));
}

std::size_t Snapshot::trim_history(core::TimePoint before, std::size_t max_rows, std::size_t batch) {
  sqlite3* h = impl_->db.get();
  sqlite3_stmt* s = impl_->trim.get();
  Using use{s};
  sqlite3_bind_int64(s, 1, core::to_unix_ms(before));
  sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(max_rows));
  sqlite3_bind_int64(s, 3, static_cast<sqlite3_int64>(batch));
  step_done(h, s, impl_->where + ": cannot trim history");
  return static_cast<std::size_t>(sqlite3_changes64(h));
}
}  // namespace kiosk::store
