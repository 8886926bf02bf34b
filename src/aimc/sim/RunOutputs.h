#pragma once
// The files of one `aimcsim run` under output.dir: report.json, layers.csv, logits.npy, activations/*.npy and
// the accuracy-over-time PNG, each as the run config asks; and the human summary printed at the end.
#include <memory>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "aimc/base/NpyStreamWriter.h"
#include "aimc/config/RunConfig.h"
#include "aimc/sim/EnergyReport.h"
#include "aimc/sim/Execution.h"
#include "aimc/sim/Workload.h"

namespace aimc {

// logits.npy [times, samples, output_features] opened before the execution (creating output.dir) so that
// the outputs go to it as they are produced; null when output.logits is false.
std::unique_ptr<NpyStreamWriter> open_logits(const RunConfig& run, const Workload& workload);
// The execution's sink into `logits` (or one that drops the outputs when it is null).
OutputSink logits_sink(NpyStreamWriter* logits, const Workload& workload);

// Creates output.dir (a UserError naming output.dir if it cannot) and writes the report, the per-layer CSV
// (from report["mapping"]["layers"]), the logits [times, samples, output_features] (committing `logits`
// when the execution streamed them, else from the execution's outputs) and the activations at the files and
// shapes report["activations"] names.
void write_outputs(const RunConfig& run, const nlohmann::json& report, const Workload& workload,
                   const Execution& execution, NpyStreamWriter* logits = nullptr);

// The accuracy-over-time PNG when output.plot is set and the run has two inference times or more. Returns the
// summary's line about it: the file written, a warning, or nothing.
std::string write_plot(const RunConfig& run, const nlohmann::json& report);

// Latency, energy, the scores per inference time, the plot line, the activations and the output directory
// with the host time (report["host"]["seconds"]).
void print_summary(std::ostream& out, const RunConfig& run, const nlohmann::json& report,
                   const EnergyReport& energy, const std::string& plot_note);

}  // namespace aimc
