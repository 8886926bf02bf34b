#include "aimc/sweep/ResultStore.h"

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <sqlite3.h>

#include "aimc/base/Error.h"

namespace aimc {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS points(
  config_hash TEXT PRIMARY KEY, sweep TEXT NOT NULL, point INTEGER NOT NULL, params TEXT NOT NULL,
  sets TEXT NOT NULL, config TEXT NOT NULL, tool_version TEXT NOT NULL, seed INTEGER, status TEXT NOT NULL,
  error TEXT, metrics TEXT, report TEXT, wall_s REAL, attempts INTEGER NOT NULL DEFAULT 0, host TEXT,
  finished_at TEXT);
CREATE INDEX IF NOT EXISTS points_order ON points(sweep, point);
)sql";

constexpr const char* kColumns =
    "config_hash, sweep, point, params, sets, config, tool_version, seed, status, error, metrics, report, "
    "wall_s, attempts, host, finished_at";

// A prepared statement that finalizes itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql, const std::string& path) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr) != SQLITE_OK)
      throw UserError(path, 0, "", std::string("SQLite: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  void text(int i, const std::string& v) { sqlite3_bind_text(s_, i, v.c_str(), -1, SQLITE_TRANSIENT); }
  void null(int i) { sqlite3_bind_null(s_, i); }
  void integer(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void real(int i, double v) { sqlite3_bind_double(s_, i, v); }
  bool step(const std::string& path) {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw UserError(path, 0, "", std::string("SQLite: ") + sqlite3_errmsg(db_));
  }
  std::string col_text(int i) const {
    const unsigned char* t = sqlite3_column_text(s_, i);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  bool col_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
  int64_t col_int(int i) const { return sqlite3_column_int64(s_, i); }
  double col_real(int i) const { return sqlite3_column_double(s_, i); }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

nlohmann::json parse_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return nlohmann::json::parse(s, nullptr, false);
}

void bind_row(Stmt& st, const PointRow& r) {
  st.text(1, r.config_hash);
  st.text(2, r.sweep);
  st.integer(3, r.point);
  st.text(4, r.params.dump());
  st.text(5, r.sets.dump());
  st.text(6, r.config.dump());
  st.text(7, r.tool_version);
  if (r.seed)
    st.integer(8, *r.seed);
  else
    st.null(8);
  st.text(9, r.status);
  if (r.error.empty())
    st.null(10);
  else
    st.text(10, r.error);
  if (r.metrics.is_null())
    st.null(11);
  else
    st.text(11, r.metrics.dump());
  if (r.report.is_null())
    st.null(12);
  else
    st.text(12, r.report.dump());
  st.real(13, r.wall_s);
  st.integer(14, r.attempts);
  st.text(15, r.host);
  st.text(16, r.finished_at);
}

PointRow read_row(const Stmt& st, bool with_report) {
  PointRow r;
  r.config_hash = st.col_text(0);
  r.sweep = st.col_text(1);
  r.point = static_cast<int>(st.col_int(2));
  r.params = parse_or_null(st.col_text(3));
  r.sets = parse_or_null(st.col_text(4));
  r.config = parse_or_null(st.col_text(5));
  r.tool_version = st.col_text(6);
  if (!st.col_null(7)) r.seed = st.col_int(7);
  r.status = st.col_text(8);
  r.error = st.col_text(9);
  r.metrics = parse_or_null(st.col_text(10));
  if (with_report) r.report = parse_or_null(st.col_text(11));
  r.wall_s = st.col_real(12);
  r.attempts = static_cast<int>(st.col_int(13));
  r.host = st.col_text(14);
  r.finished_at = st.col_text(15);
  return r;
}

}  // namespace

std::string config_hash(const std::string& canonical) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : canonical) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

ResultStore::ResultStore(const std::string& path) : path_(path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw UserError(path, 0, "", "cannot open the results database: " + msg);
  }
  sqlite3_busy_timeout(db_, 30000);
  try {
    // Rollback journal (not WAL): safe on network file systems, where Slurm shards live.
    exec("PRAGMA synchronous=FULL;");
    exec(kSchema);
    const auto v = meta("schema_version");
    if (v && *v != "1") throw UserError(path, 0, "schema_version", "results schema " + *v + " is not 1");
    if (!v) set_meta("schema_version", "1");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

ResultStore::~ResultStore() {
  sqlite3_close(db_);
}

void ResultStore::exec(const std::string& sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw UserError(
        path_, 0, "",
        "SQLite: " + msg +
            (msg.find("not a database") != std::string::npos ? " (not an aimcsim results file)" : ""));
  }
}

void ResultStore::set_meta(const std::string& key, const std::string& value) {
  Stmt st(db_, "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
          path_);
  st.text(1, key);
  st.text(2, value);
  st.step(path_);
}

std::optional<std::string> ResultStore::meta(const std::string& key) const {
  Stmt st(db_, "SELECT value FROM meta WHERE key = ?1", path_);
  st.text(1, key);
  if (st.step(path_)) return st.col_text(0);
  return std::nullopt;
}

std::string ResultStore::add_pending(const PointRow& row) {
  {
    Stmt st(db_,
            std::string("INSERT OR IGNORE INTO points(") + kColumns +
                ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
            path_);
    bind_row(st, row);
    st.step(path_);
  }
  Stmt st(db_, "SELECT status FROM points WHERE config_hash = ?1", path_);
  st.text(1, row.config_hash);
  AIMC_ASSERT(st.step(path_));
  return st.col_text(0);
}

void ResultStore::record(const PointRow& row) {
  Stmt st(db_,
          std::string("INSERT OR REPLACE INTO points(") + kColumns +
              ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
          path_);
  bind_row(st, row);
  st.step(path_);
}

void ResultStore::set_metrics(const std::string& hash, const nlohmann::json& metrics) {
  Stmt st(db_, "UPDATE points SET metrics = ?2 WHERE config_hash = ?1", path_);
  st.text(1, hash);
  st.text(2, metrics.dump());
  st.step(path_);
}

std::vector<PointRow> ResultStore::rows(bool with_report) const {
  Stmt st(db_, std::string("SELECT ") + kColumns + " FROM points ORDER BY sweep, point, config_hash", path_);
  std::vector<PointRow> out;
  while (st.step(path_)) out.push_back(read_row(st, with_report));
  return out;
}

std::optional<PointRow> ResultStore::row(const std::string& hash) const {
  Stmt st(db_, std::string("SELECT ") + kColumns + " FROM points WHERE config_hash = ?1", path_);
  st.text(1, hash);
  if (st.step(path_)) return read_row(st, true);
  return std::nullopt;
}

void ResultStore::require_same_sweep(const ResultStore& other) const {
  for (const char* key : kSweepIdentity) {
    const std::optional<std::string> mine = meta(key), theirs = other.meta(key);
    if (mine && theirs && *mine != *theirs)
      throw UserError(
          other.path(), 0, std::string("meta.") + key,
          fmt::format("holds another sweep than {}: {} '{}' there, '{}' here; results of different "
                      "sweeps (name, command, base config and axes) are not merged",
                      path_, key, *theirs, *mine));
  }
}

int ResultStore::merge_from(const std::string& other_path) {
  if (!std::filesystem::is_regular_file(other_path))
    throw UserError(other_path, 0, "", "no such results file");
  {
    const ResultStore other(other_path);  // validates the schema (and creates nothing new in a valid file)
    require_same_sweep(other);
  }
  Stmt attach(db_, "ATTACH DATABASE ?1 AS other", path_);
  attach.text(1, other_path);
  attach.step(path_);
  int changed = 0;
  try {
    exec("BEGIN IMMEDIATE");
    exec("INSERT OR IGNORE INTO meta SELECT key, value FROM other.meta");
    exec(std::string("INSERT INTO points(") + kColumns + ") SELECT " + kColumns +
         " FROM other.points WHERE true ON CONFLICT(config_hash) DO UPDATE SET sweep=excluded.sweep, "
         "point=excluded.point, params=excluded.params, sets=excluded.sets, config=excluded.config, "
         "tool_version=excluded.tool_version, seed=excluded.seed, status=excluded.status, "
         "error=excluded.error, "
         "metrics=excluded.metrics, report=excluded.report, wall_s=excluded.wall_s, "
         "attempts=excluded.attempts, "
         "host=excluded.host, finished_at=excluded.finished_at "
         "WHERE points.status = 'pending' AND excluded.status <> 'pending'");
    changed = sqlite3_changes(db_);
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_exec(db_, "DETACH DATABASE other", nullptr, nullptr, nullptr);
    throw;
  }
  exec("DETACH DATABASE other");
  return changed;
}

}  // namespace aimc
