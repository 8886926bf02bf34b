#pragma once
// One `aimcsim run`: prepare the workload (import the model, calibrate INT8 steps on the float reference, map
// it onto the chip, quantise the inputs), execute it (program the crossbars, simulate the batch at each
// inference time), build the report and write the outputs (report.json, layers.csv, logits.npy,
// activations/*.npy on request) and a human summary. Each step is public in its own header.
#include <ostream>

#include <nlohmann/json.hpp>

#include "aimc/config/RunConfig.h"
#include "aimc/sim/RunReport.h"

namespace aimc {

// Runs the simulation (one per process: SystemC elaborates once) and returns the report; writes the output
// files the run config asks for and the summary to `out`.
nlohmann::json run_simulation(const ResolvedRun& cfg, std::ostream& out);

}  // namespace aimc
