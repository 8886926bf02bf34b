#pragma once
// A sweep file (configs/sweeps/*.yaml, format in configs/sweeps/README.md) read into a plain description and
// expanded into points. Plain C++: no SystemC, no processes; the runner (SweepRunner) turns points into runs.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace aimc {

// One axis: a key path and the values it takes, already expanded (lists, linear and log ranges).
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
  int line = 0;  // where it is declared, for errors
};

struct SweepMetric {
  std::string name;
  std::string path;  // dotted path into the point's JSON (numeric segments index lists)
  std::string unit;  // "" if unknown
};

// A point: the overrides (fixed `set:` first, then the axis values) passed to the child as --set key=value.
struct SweepPoint {
  int index = 0;                                                 // position in the expansion order
  std::vector<std::pair<std::string, std::string>> axis_values;  // axis key -> value at this point
  std::vector<std::string> sets;                                 // every "key=value" for the child
};

// `plot:` of a sweep file: a line figure the sweep draws when it ends (src/aimc/sweep/plot_lines.py): x an
// axis (or a sum of axes, "a+b"), y and y2 metrics, one line per value of the `group` axis.
struct SweepPlot {
  std::string x, y, y2, group, x_label, y_label, y2_label, title;
  bool log_x = false;
  // The script's arguments after the CSV file.
  std::vector<std::string> script_args() const;
};

struct SweepSpec {
  enum class Combine { kGrid, kZip, kRandom };
  std::string file;                                        // the sweep file (absolute)
  std::string name;                                        // `name:` or the file stem
  std::string command;                                     // "run" or "area"
  std::string base;                                        // run config or arch file, absolute
  std::vector<std::pair<std::string, std::string>> fixed;  // `set:`
  std::vector<SweepAxis> axes;
  Combine combine = Combine::kGrid;
  int64_t samples = 0;       // random only
  uint64_t sample_seed = 0;  // random only
  double timeout_s = 0;      // 0 = none
  std::vector<SweepMetric> metrics;
  std::vector<SweepPlot> plots;  // `plot:` (one mapping or a list of them)

  // Reads and checks a sweep file; a bad file throws UserError naming file, line and key.
  static SweepSpec load(const std::string& path);
  std::vector<SweepPoint> expand() const;
};

// Unit of a metric guessed from the last segment of its path (per_inference_j -> J, tops_per_w -> TOPS/W).
std::string unit_from_path(const std::string& path);

// The value at a dotted path ("a.b.0.c") or null if absent.
nlohmann::json json_at_path(const nlohmann::json& j, const std::string& path);

}  // namespace aimc
