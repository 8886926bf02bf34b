#include "aimc/sim/Simulation.h"

#include <chrono>

#include "aimc/sim/EnergyReport.h"
#include "aimc/sim/Execution.h"
#include "aimc/sim/PlacementReport.h"
#include "aimc/sim/RunOutputs.h"
#include "aimc/sim/RunReport.h"
#include "aimc/sim/Workload.h"

namespace aimc {

nlohmann::json run_simulation(const ResolvedRun& cfg, std::ostream& out) {
  const auto host_start = std::chrono::steady_clock::now();
  const Workload workload = prepare_workload(cfg);
  out << workload.mapping.summary() << core_use_summary(workload.mapping, cfg.arch);
  // The outputs go to logits.npy as they are produced (committed with the other files at the end: a failed
  // run leaves none) and are kept nowhere else: a long run holds no per-sample outputs.
  const std::unique_ptr<NpyStreamWriter> logits = open_logits(cfg.run, workload);
  const Execution execution =
      execute_workload(cfg.run, cfg.arch, workload, logits_sink(logits.get(), workload));
  const EnergyReport energy = run_energy_report(cfg, workload, execution);
  nlohmann::json report = build_report(cfg, workload, execution, energy);
  if (execution.trace) execution.trace->write(cfg.run.output.trace, "output.trace");
  // The host time goes into report.json, so it stops before the files are written.
  const double host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  report["host"] = host_report(workload.mapping, execution, host_s);
  write_outputs(cfg.run, report, workload, execution, logits.get());
  const std::string plot_note = write_plot(cfg.run, report);
  print_summary(out, cfg.run, report, energy, plot_note);
  return report;
}

}  // namespace aimc
