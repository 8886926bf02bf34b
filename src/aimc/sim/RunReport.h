#pragma once
// The report of one `aimcsim run` (report.json) from its workload and execution, section by section; the
// energy and area section from the chip's activity.
#include <nlohmann/json.hpp>

#include "aimc/config/RunConfig.h"
#include "aimc/sim/EnergyReport.h"
#include "aimc/sim/Execution.h"
#include "aimc/sim/Workload.h"

namespace aimc {

// Schema version of report.json; bump when a field changes meaning.
constexpr int kReportSchemaVersion = 1;

// Energy (timing on: the activity of the first inference time's batch, as if every time's batch took as long)
// and area; with timing off the area alone.
EnergyReport run_energy_report(const ResolvedRun& cfg, const Workload& workload, const Execution& execution);

// Every section but "host". With timing off, latency, energy, stats and the per-layer timing and energy are
// null: not computed.
nlohmann::json build_report(const ResolvedRun& cfg, const Workload& workload, const Execution& execution,
                            const EnergyReport& energy);

// report["host"]: the run's host seconds, and the host time inside the digital units of the mapped cores and
// what ran there (C++ model or Verilated RTL), which the C++ vs RTL host-time ratio (issue 6) compares
// between two runs. Null digital-unit seconds with timing off.
nlohmann::json host_report(const Mapping& mapping, const Execution& execution, double host_seconds);

}  // namespace aimc
