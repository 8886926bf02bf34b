#pragma once
// One `aimcsim run`: import the model, calibrate INT8 steps on the float reference, map it onto the chip,
// program the crossbars, simulate the batch at each inference time, and write the report (report.json,
// layers.csv, logits.npy, activations/*.npy on request) and a human summary.
#include <ostream>

#include <nlohmann/json.hpp>

#include "aimc/config/RunConfig.h"

namespace aimc {

// Schema version of report.json; bump when a field changes meaning.
constexpr int kReportSchemaVersion = 1;

// Runs the simulation (one per process: SystemC elaborates once) and returns the report; writes the output
// files the run config asks for and the summary to `out`.
nlohmann::json run_simulation(const ResolvedRun& cfg, std::ostream& out);

}  // namespace aimc
