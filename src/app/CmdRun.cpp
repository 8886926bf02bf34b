// aimcsim run CONFIG | --arch A --model M --inputs X ...: map a network onto a chip and simulate it.
#include <iostream>
#include <memory>

#include "CliChecks.h"
#include "CommandRegistry.h"
#include "aimc/config/RunConfig.h"
#include "aimc/sim/Simulation.h"

namespace aimcsim {
namespace {

struct RunOptions {
  // Numbers stay text here: the run keys' declarations (seed, workload.batch, repeats) parse and range-check
  // them, so the command line and a run file accept exactly the same values.
  std::string run_file, arch, model, inputs, labels, t_inference, out_dir, trace, timing, activations, seed,
      batch, repeats, threads;
  std::vector<std::string> sets;
};

const RegisterCommand kRun(10, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub =
      app.add_subcommand("run", "Map a network onto a chip and simulate it (latency, energy, area, outputs)");
  auto o = std::make_shared<RunOptions>();
  sub->add_option("config", o->run_file, "Run config (configs/*.yaml); or give --arch, --model and --inputs");
  sub->add_option("--arch", o->arch, "Architecture file (arch/*.yaml)");
  sub->add_option("--model", o->model, "ONNX model");
  sub->add_option("--inputs", o->inputs, "Input samples (.npy)");
  sub->add_option("--labels", o->labels, "Labels (.npy) for accuracy");
  sub->add_option("--t-inference", o->t_inference, "Time(s) since programming, e.g. 1s,1h,1d,1y");
  sub->add_option("--seed", o->seed, "Seed of every random draw (run key seed)");
  sub->add_option("--batch", o->batch, "Input rows to run (at least 1; omit it to run every row)")
      ->check(at_least(1));
  sub->add_option("--repeats", o->repeats,
                  "Program the chip N times with seeds derived from (seed, r); mean and spread per time");
  sub->add_option("--out", o->out_dir, "Output directory");
  sub->add_option("--timing", o->timing,
                  "on: cycle-level chip; off: the same numerics without timing (bit-identical outputs, no "
                  "latency or energy)");
  sub->add_option("--threads", o->threads,
                  "Host threads (run key threads; 0 = every host core): the same results for any count");
  sub->add_option("--trace", o->trace, "Write Chrome/Perfetto trace events (ui.perfetto.dev) to this file");
  sub->add_option("--activations", o->activations,
                  "Write per-layer INT8 activations as activations/<layer>.npy: all or comma-separated layer "
                  "names (run key output.activations)");
  sub->add_option("--set", o->sets, "Override any key: --set core.adc.bits=8 (repeatable)");
  return [o] {
    aimc::ConfigSource src;
    if (!o->run_file.empty()) src = aimc::ConfigSource::load_file(o->run_file, aimc::arch_preset_dir());
    auto opt = [&](const char* key, const std::string& v) {
      if (!v.empty()) src.apply_override(std::string(key) + "=" + v, "command line");
    };
    opt("arch", o->arch);
    opt("workload.model", o->model);
    opt("workload.inputs", o->inputs);
    opt("workload.labels", o->labels);
    opt("t_inference", o->t_inference);
    opt("output.dir", o->out_dir);
    opt("output.trace", o->trace);
    opt("timing", o->timing);
    opt("output.activations", o->activations);
    opt("seed", o->seed);
    opt("workload.batch", o->batch);
    opt("repeats", o->repeats);
    opt("threads", o->threads);
    const aimc::ResolvedRun cfg = aimc::resolve_run(src, o->sets);
    aimc::run_simulation(cfg, std::cout);
    return 0;
  };
});

}  // namespace
}  // namespace aimcsim
