#include "aimc/config/RunConfig.h"

#include "aimc/base/Error.h"

namespace aimc {

namespace {

ParamInfo P(const char* key, ParamKind kind, Unit unit, const char* def, double lo, double hi,
            const char* desc) {
  return make_param(key, kind, unit, def, lo, hi, desc, "run setting");
}
ParamInfo Req(ParamInfo i) {
  i.required = true;
  i.default_text.clear();
  return i;
}
// A file the run reads: it must exist where the config names it.
ParamInfo Input(ParamInfo i) {
  i.input_file = true;
  return i;
}

ParamTable<RunConfig> make_table() {
  ParamTable<RunConfig> t;
  using units::kNone;
  const ParamKind path = ParamKind::kPath;
  t.add(Input(Req(P("arch", path, kNone, "", 0, 0, "Architecture file (arch/*.yaml)"))),
        AIMC_FIELD(arch_file));
  t.add(Input(Req(P("workload.model", path, kNone, "", 0, 0, "ONNX model to map and run"))),
        AIMC_FIELD(workload.model));
  t.add(Input(Req(P("workload.inputs", path, kNone, "", 0, 0, "Input samples, .npy [batch, ...] float32"))),
        AIMC_FIELD(workload.inputs));
  t.add(Input(P("workload.labels", path, kNone, "", 0, 0, "Labels, .npy [batch] int; empty = no accuracy")),
        AIMC_FIELD(workload.labels));
  t.add(P("workload.batch", ParamKind::kInt, kNone, "0", 0, 1e9, "Input rows to run (0 = all)"),
        AIMC_FIELD(workload.batch));
  t.add(P("workload.calibration_samples", ParamKind::kInt, kNone, "64", 1, 1e9,
          "Rows used to calibrate INT8 activation scales on the float reference"),
        AIMC_FIELD(workload.calibration_samples));
  // Default 0 = half of the physical memory: a choice that leaves the other half to the OS, the chip model
  // and the other processes of a sweep (issue 21: a 10 M-row batch grew to 7.5 GB and aborted).
  t.add(P("workload.max_memory", ParamKind::kInt, units::kBytes, "0", 0, 1e15,
          "Memory a run's batch may take (an estimate: the float reference's tensors, the input values and "
          "codes), checked before anything is allocated; 0 = half of the physical memory (sysconf)"),
        AIMC_FIELD(workload.max_memory));
  // Default auto: a network that fits the chip one piece per core keeps that mapping (and its timing and
  // outputs); one that does not fit packs only as much as it must (a choice, issue 15 item 4).
  t.add(P("mapping.packing", ParamKind::kChoice, kNone, "auto", 0, 0,
          "Several small crossbar pieces in disjoint row and column blocks of one crossbar: auto (only as "
          "much as needed to fit the chip's cores, smallest pieces first), on (as few crossbars as possible, "
          "first-fit decreasing), off (one piece per core)"),
        AIMC_FIELD(workload.packing));
  t.add(P("seed", ParamKind::kInt, kNone, "1", 0, 9.0e15, "Seed of every random draw"), AIMC_FIELD(seed));
  t.add(P("repeats", ParamKind::kInt, kNone, "1", 1, 1e6,
          "Times to program the chip, repeat r with a seed derived from (seed, r) (repeat 0: seed itself); "
          "reports mean, std, min and max of accuracy and logit error per inference time"),
        AIMC_FIELD(repeats));
  t.add(P("t_inference", ParamKind::kFloatList, units::kSeconds, "1h", 0, 1e12,
          "Time(s) since programming at which to evaluate"),
        AIMC_FIELD(t_inference_s));
  t.add(P("timing", ParamKind::kChoice, kNone, "on", 0, 0,
          "on: cycle-level chip (latency, energy); off: the same numerics without timing, bit-identical "
          "outputs, no latency or energy (fast accuracy studies)"),
        AIMC_FIELD(timing));
  // Default 0 = every host core: a choice, as the results are the same bits for any count (issue 20 item 3).
  t.add(P("threads", ParamKind::kInt, kNone, "0", 0, 4096,
          "Host threads for the crossbars' programming, drift and reads (0 = every host core, "
          "std::thread::hardware_concurrency); outputs, stats, energy and the report are the same for any "
          "count"),
        AIMC_FIELD(threads));
  t.add(P("output.dir", path, kNone, "out", 0, 0, "Directory for report.json, layers.csv, logits"),
        AIMC_FIELD(output.dir));
  t.add(P("output.report_json", ParamKind::kBool, kNone, "true", 0, 0, "Write report.json"),
        AIMC_FIELD(output.report_json));
  t.add(P("output.layer_csv", ParamKind::kBool, kNone, "true", 0, 0, "Write layers.csv"),
        AIMC_FIELD(output.layer_csv));
  t.add(P("output.logits", ParamKind::kBool, kNone, "true", 0, 0, "Write the INT8 logits as logits.npy"),
        AIMC_FIELD(output.logits));
  t.add(P("output.plot", ParamKind::kBool, kNone, "true", 0, 0,
          "Write accuracy.png (accuracy and agreement with float vs t_inference) for >= 2 times"),
        AIMC_FIELD(output.plot));
  // Default true: every run so far reported them (a choice); false is for long runs where the float reference
  // would cost more than the chip (issue 20: 30 % of a VGG8 image).
  t.add(P("workload.compare_float", ParamKind::kBool, kNone, "true", 0, 0,
          "Run the float reference over the whole batch and report agreement with float, logit error and the "
          "float accuracy (false: it runs on the calibration rows only and those figures are null)"),
        AIMC_FIELD(workload.compare_float));
  ParamInfo activations = P("output.activations", ParamKind::kString, kNone, "false", 0, 0,
                            "Write each selected layer's INT8 output map (after fused ReLU/Add/pooling) as "
                            "activations/<layer>.npy [times, batch, C, H, W] or [times, batch, features]: "
                            "false, all, or comma-separated layer (ONNX node) names");
  activations.joins_list = true;
  t.add(activations, AIMC_FIELD(output.activations));
  t.add(P("output.trace", path, kNone, "", 0, 0, "Chrome/Perfetto trace file (empty = none)"),
        AIMC_FIELD(output.trace));
  return t;
}

}  // namespace

const ParamTable<RunConfig>& run_params() {
  static const ParamTable<RunConfig> table = make_table();
  return table;
}

std::vector<double> parse_inference_times(const std::string& text, const std::string& origin) {
  const auto* e = run_params().find("t_inference");
  AIMC_ASSERT(e != nullptr);
  ConfigValue v;
  v.items.push_back(text);
  v.file = origin;
  v.layer = ConfigLayer::kCommandLine;
  return std::get<std::vector<double>>(parse_param_value(e->info, v));
}

ResolvedRun resolve_run(ConfigSource run_src, const std::vector<std::string>& sets) {
  ConfigSource arch_over = run_src.extract("arch_overrides");
  for (const auto& s : sets) {
    const std::string key = s.substr(0, s.find('='));
    const std::string section = key.substr(0, key.find('.'));
    if (arch_params().find(key) || arch_params().has_prefix(section))
      arch_over.apply_override(s, "--set");
    else
      run_src.apply_override(s, "--set");
  }
  ResolvedRun r;
  std::map<std::string, ConfigValue> origins;
  run_params().resolve(r.run, run_src, "a run config", &origins);
  r.run.source_file = run_src.main_file();
  if (r.run.t_inference_s.empty())
    throw UserError(run_src.main_file(), 0, "t_inference", "needs at least one time");
  r.arch = load_arch(r.run.arch_file, arch_over);
  return r;
}

ResolvedRun load_run(const std::string& path, const std::vector<std::string>& sets) {
  return resolve_run(ConfigSource::load_file(path, arch_preset_dir()), sets);
}

}  // namespace aimc
