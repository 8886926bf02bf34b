#pragma once
// The energy and area sections of a run's report: activity read from the chip's stats (by name), turned into
// energy by the power models (power/EnergyModel), per component and per layer, plus the cost of loading the
// network (programming, a separate figure) and the area breakdown.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aimc/compiler/Mapping.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/hw/Chip.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/power/EnergyModel.h"

namespace aimc {

// Activity of one core, from its blocks' stats (cores = 1 if it holds a crossbar piece). `used_rows`,
// `used_cols`: output and input lines of the piece it holds (every conducting device of a driven input line
// sits on a used output line; only the used input lines' PWM drivers are clocked).
Activity core_activity(const Core& core, const ArchConfig& arch, double used_rows, double used_cols);

// The implicit noexcept move constructor only moves std::vector and nlohmann::json members, whose moves are
// noexcept; clang-tidy 14 looks into json's and finds throwing calls on paths a move never takes.
// NOLINTNEXTLINE(bugprone-exception-escape): see above
struct EnergyReport {
  nlohmann::json energy;                     // report["energy"]
  nlohmann::json area;                       // report["area"]
  std::vector<double> layer_energy_j;        // per inference, per mapped layer (its cores' components)
  std::vector<nlohmann::json> layer_energy;  // per mapped layer: average power and per-component breakdown
  std::vector<std::string> summary;          // lines for the human summary
  double total_j = 0;
};

// elapsed_ns: simulated time the used cores were powered; inferences: samples x inference times;
// macs: multiply-accumulates of one inference; programming: what loading the weights took (may be empty).
EnergyReport build_energy_report(const ArchConfig& arch, const Mapping& mapping, const Chip& chip,
                                 double elapsed_ns, double inferences, double macs,
                                 const std::vector<ProgramResult>& programming = {});
// The area section alone (a function of the arch; no activity): for runs without the timed chip.
EnergyReport build_area_report(const ArchConfig& arch);

}  // namespace aimc
