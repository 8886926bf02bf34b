#pragma once
// Runs the points of a sweep as child processes of the aimcsim binary (one SystemC elaboration per process),
// `jobs` at a time, and stores each result in a ResultStore as soon as its child ends. Points already
// finished in the store are skipped, so a sweep killed at any moment (even SIGKILL) and started again runs
// only what is missing. A point whose child fails, crashes or outlives the timeout is recorded with its
// error; the others go on.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "aimc/sweep/ResultStore.h"
#include "aimc/sweep/SweepSpec.h"

namespace aimc {

struct SweepOptions {
  std::string db_path;
  int jobs = 0;                  // worker processes; 0 = every core of the host
  std::string exe;               // the aimcsim binary the children run; "" = this process's own binary
  bool retry_failed = false;     // also re-run points recorded as failed, crashed or timed out
  std::vector<int> only_points;  // run only these point indices (a Slurm task's chunk); empty = all
  enum class Progress { kAuto, kBar, kLines, kQuiet } progress = Progress::kAuto;
};

struct SweepSummary {
  int points = 0;                                    // distinct points of the sweep (or of the chunk)
  int already = 0;                                   // finished before this invocation
  int ok = 0, failed = 0, crashed = 0, timeout = 0;  // of the points run now
  double wall_s = 0;
};

class SweepRunner {
 public:
  SweepRunner(SweepSpec spec, SweepOptions options);

  // Every point (status pending) with its resolved configuration, hash and seed, or, if the configuration
  // does not resolve (a bad value), with the error in `error`. Points with the same hash appear once.
  std::vector<PointRow> plan() const;
  // Stores the sweep's description (meta) and every planned point not yet in `store`.
  void register_points(ResultStore& store, const std::vector<PointRow>& planned) const;

  SweepSummary run(std::ostream& log);

  // The metrics of a report, per the spec (null where a path is absent).
  nlohmann::json extract_metrics(const nlohmann::json& report) const;

 private:
  std::vector<std::string> child_args(const PointRow& r, const std::filesystem::path& dir) const;

  SweepSpec spec_;
  SweepOptions opt_;
};

// Path of the running executable (/proc/self/exe).
std::string self_executable();
// Now in UTC, ISO 8601 ("2026-01-31T12:00:00Z"); this host's name.
std::string utc_now();
std::string host_name();

}  // namespace aimc
