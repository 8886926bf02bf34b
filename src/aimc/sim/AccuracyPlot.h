#pragma once
// The accuracy-over-time PNG of a multi-time run, drawn by src/aimc/sim/plot_accuracy.py with Debian's
// python3-matplotlib (run as a child process, as `aimcsim results plot` runs the sweep's Pareto script).
#include <string>

#include <nlohmann/json.hpp>

namespace aimc {

// Writes `png` from report["outputs"] (per_time, float_accuracy). Returns an empty string on success, else a
// warning to print: a missing python3 or matplotlib is not a failure of the run.
std::string write_accuracy_plot(const nlohmann::json& outputs, const std::string& png,
                                const std::string& title);

// The script's path (in the source tree, like the sweep's plot_pareto.py).
std::string accuracy_plot_script();

}  // namespace aimc
