#pragma once
// The results of sweeps in one SQLite file (the embedded default). One row per point, keyed by the hash of
// its resolved configuration, so that a re-run, a resumed run or a merge of shards never duplicates a point.
// Every result is written in its own transaction by the one process that owns the file: a SIGKILL loses at
// most the points still running, never a stored one.
//
// Schema (version 1):
//   meta(key TEXT PRIMARY KEY, value TEXT)      schema_version, sweep, sweep_file, command, base,
//                                               axes (JSON list of key paths), metrics (JSON list of
//                                               {name, path, unit}), tool_version
//   points(
//     config_hash  TEXT PRIMARY KEY,  -- 16 hex digits, FNV-1a 64 of `config` (canonical JSON)
//     sweep        TEXT NOT NULL,     -- sweep name
//     point        INTEGER NOT NULL,  -- index in the sweep's expansion order
//     params       TEXT NOT NULL,     -- JSON {axis key: value}
//     sets         TEXT NOT NULL,     -- JSON [every "key=value" given to the child]
//     config       TEXT NOT NULL,     -- JSON: resolved configuration (every run and arch value after
//     overrides;
//                                     --   the overrides alone when they do not resolve)
//     tool_version TEXT NOT NULL,
//     seed         INTEGER,           -- simulation seed of a run point; NULL for area points
//     status       TEXT NOT NULL,     -- pending | ok | failed | crashed | timeout
//     error        TEXT,              -- why a point is not ok (the child's error message, signal or timeout)
//     metrics      TEXT,              -- JSON {metric name: value or null}
//     report       TEXT,              -- the full report.json (run) or area JSON
//     wall_s       REAL,              -- host seconds of the child process
//     attempts     INTEGER NOT NULL DEFAULT 0,
//     host         TEXT,
//     finished_at  TEXT)              -- UTC, ISO 8601
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct sqlite3;

namespace aimc {

struct PointRow {
  std::string config_hash, sweep;
  int point = 0;
  nlohmann::json params = nlohmann::json::object(), sets = nlohmann::json::array(), config;
  std::string tool_version;
  std::optional<int64_t> seed;
  std::string status = "pending", error;
  nlohmann::json metrics, report;
  double wall_s = 0;
  int attempts = 0;
  std::string host, finished_at;
};

class ResultStore {
 public:
  explicit ResultStore(
      const std::string& path);  // opens or creates; UserError if not an aimcsim results file
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  static bool finished(const std::string& status) { return status != "pending"; }

  void set_meta(const std::string& key, const std::string& value);
  std::optional<std::string> meta(const std::string& key) const;

  // Adds a pending row unless the hash is already stored; returns the stored status.
  std::string add_pending(const PointRow& row);
  void record(const PointRow& row);  // replaces the row of row.config_hash (one transaction)
  void set_metrics(const std::string& hash, const nlohmann::json& metrics);
  std::vector<PointRow> rows(bool with_report = true) const;  // ordered by sweep, point
  std::optional<PointRow> row(const std::string& hash) const;

  // Copies the rows of another results file of the same sweep (kSweepIdentity; another sweep is a UserError):
  // a finished row replaces a pending one, never the reverse; a finished row already here is kept. Returns
  // how many rows were added or completed.
  int merge_from(const std::string& other_path);

  const std::string& path() const { return path_; }

  // What identifies a sweep (meta keys): two files that differ in any of them hold different sweeps.
  static constexpr const char* kSweepIdentity[] = {"sweep", "command", "base", "axes"};

 private:
  void require_same_sweep(const ResultStore& other) const;  // UserError naming the first key that differs
  void exec(const std::string& sql) const;
  std::string path_;
  sqlite3* db_ = nullptr;
};

// FNV-1a 64 of a string, as 16 hex digits.
std::string config_hash(const std::string& canonical);

}  // namespace aimc
