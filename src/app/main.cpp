// aimcsim: the command-line front end. Thin by design: every command is a call into the aimc library.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "aimc/base/Error.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/RunConfig.h"
#include "aimc/sim/Simulation.h"

namespace {

template <class Cfg>
void print_params(const aimc::ParamTable<Cfg>& table, const Cfg* resolved) {
  for (const auto& e : table.entries()) {
    const auto& i = e.info;
    std::string value = i.required ? "(required)" : i.default_text;
    if (resolved) value = e.get(*resolved).dump();
    std::cout << fmt::format("{:<40} {:<7} {:<22} {}\n", i.key, i.kind_name(), value, i.description);
    std::string extra;
    if (!i.range_text().empty()) extra += "range " + i.range_text();
    if (!i.source.empty()) extra += (extra.empty() ? "" : "; ") + std::string("source: ") + i.source;
    if (!extra.empty()) std::cout << fmt::format("{:<40} {}\n", "", extra);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aimcsim: cycle-level simulator of multi-core PCM analog in-memory-computing chips"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("aimcsim ") + AIMCSIM_VERSION);

  // run
  auto* run =
      app.add_subcommand("run", "Map a network onto a chip and simulate it (latency, energy, area, outputs)");
  std::string run_file, arch, model, inputs, labels, t_inference, out_dir;
  int64_t seed = -1, batch = -1;
  std::vector<std::string> sets;
  run->add_option("config", run_file, "Run config (configs/*.yaml); or give --arch, --model and --inputs");
  run->add_option("--arch", arch, "Architecture file (arch/*.yaml)");
  run->add_option("--model", model, "ONNX model");
  run->add_option("--inputs", inputs, "Input samples (.npy)");
  run->add_option("--labels", labels, "Labels (.npy) for accuracy");
  run->add_option("--t-inference", t_inference, "Time(s) since programming, e.g. 1s,1h,1d,1y");
  run->add_option("--seed", seed, "Seed of every random draw");
  run->add_option("--batch", batch, "Input rows to run (0 = all)");
  run->add_option("--out", out_dir, "Output directory");
  run->add_option("--set", sets, "Override any key: --set core.adc.bits=8 (repeatable)");

  // params
  auto* params =
      app.add_subcommand("params", "List every parameter: key, type, default, range, description, source");
  std::string params_arch;
  bool params_run = false;
  params->add_option("arch", params_arch, "Show the values this arch file resolves to");
  params->add_flag("--run", params_run, "List the run-config keys instead of the arch keys");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    if (*params) {
      if (params_run) {
        print_params(aimc::run_params(), static_cast<const aimc::RunConfig*>(nullptr));
      } else if (params_arch.empty()) {
        print_params(aimc::arch_params(), static_cast<const aimc::ArchConfig*>(nullptr));
      } else {
        const aimc::ArchConfig a = aimc::load_arch(params_arch);
        print_params(aimc::arch_params(), &a);
      }
      return 0;
    }
    if (*run) {
      aimc::ConfigSource src;
      if (!run_file.empty()) src = aimc::ConfigSource::load_file(run_file, aimc::arch_preset_dir());
      auto opt = [&](const char* key, const std::string& v) {
        if (!v.empty()) src.apply_override(std::string(key) + "=" + v, "command line");
      };
      opt("arch", arch);
      opt("workload.model", model);
      opt("workload.inputs", inputs);
      opt("workload.labels", labels);
      opt("t_inference", t_inference);
      opt("output.dir", out_dir);
      if (seed >= 0) opt("seed", std::to_string(seed));
      if (batch >= 0) opt("workload.batch", std::to_string(batch));
      const aimc::ResolvedRun cfg = aimc::resolve_run(src, sets);
      aimc::run_simulation(cfg, std::cout);
      return 0;
    }
  } catch (const aimc::UserError& e) {
    std::cerr << "aimcsim: error: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
