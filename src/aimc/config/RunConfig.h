#pragma once
// A run: which chip, which workload and inputs, seed, inference times and outputs. The run file may also
// override arch keys under `arch_overrides:`; `--set key=value` reaches both (arch keys start with a section
// of the arch, e.g. core.adc.bits; run keys with a section of the run, e.g. workload.batch).
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/base/EnumNames.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/config/ConfigSource.h"

namespace aimc {

// The run key `timing`: which engine executes the workload (sim/Execution).
enum class TimingMode : uint8_t {
  kOn,   // the cycle-level SystemC chip
  kOff,  // the same numerics without time (sim/MappedExecutor), no latency or energy
};
inline constexpr EnumName<TimingMode> kTimingModeNames[] = {{TimingMode::kOn, "on"},
                                                            {TimingMode::kOff, "off"}};
constexpr const auto& enum_names(TimingMode) {
  return kTimingModeNames;
}

// The run key `mapping.packing`: whether small crossbar pieces share a core's crossbar (compiler/Placement).
enum class PackingPolicy : uint8_t {
  kAuto,  // pack only as much as the network needs to fit the chip's cores, smallest pieces first
  kOn,    // pack to use as few crossbars as possible
  kOff,   // one piece per core
};
inline constexpr EnumName<PackingPolicy> kPackingPolicyNames[] = {
    {PackingPolicy::kAuto, "auto"}, {PackingPolicy::kOn, "on"}, {PackingPolicy::kOff, "off"}};
constexpr const auto& enum_names(PackingPolicy) {
  return kPackingPolicyNames;
}

struct RunConfig {
  std::string arch_file;
  struct Workload {
    std::string model;   // ONNX file
    std::string inputs;  // .npy [batch, ...]
    std::string labels;  // .npy [batch] of class indices, optional
    int64_t batch = 0;   // how many input rows to run (0 = all)
    int64_t calibration_samples = 0;
    int64_t max_memory = 0;                        // bytes a batch may take; 0 = half of the physical memory
    PackingPolicy packing = PackingPolicy::kAuto;  // the key mapping.packing (it decides the mapping)
    // The float reference over the batch (agreement with float, logit error, float accuracy); false: only the
    // calibration rows run it and those figures are null.
    bool compare_float = true;
  } workload;
  int64_t seed = 0;
  // Times the chip is programmed, repeat r with repeat_seed(seed, r); the scores per inference time are
  // reported as mean and spread over the repeats.
  int64_t repeats = 1;
  std::vector<double> t_inference_s;
  TimingMode timing = TimingMode::kOn;
  int64_t threads = 0;  // host threads (0 = every host core); results do not depend on it
  struct Output {
    std::string dir;
    bool report_json = true;
    bool layer_csv = true;
    bool logits = true;
    std::string trace;  // Chrome/Perfetto JSON path, empty = none
    bool plot = true;   // accuracy-vs-time PNG when there are >= 2 inference times
    // Per-layer INT8 activations as activations/<layer>.npy: "false", "all" or comma-separated layer names.
    std::string activations = "false";
  } output;

  std::string source_file;
};

const ParamTable<RunConfig>& run_params();

struct ResolvedRun {
  RunConfig run;
  ArchConfig arch;
};

// Times since programming as the run key t_inference reads them ("0,1h,1d": its units and range), for
// commands that take them without a run config (aimcsim mvm); errors name `origin` and t_inference.
std::vector<double> parse_inference_times(const std::string& text, const std::string& origin);

// Loads a run file, applies `--set` assignments (each "key=value"; arch keys go to the arch), loads and
// validates the arch it names.
ResolvedRun load_run(const std::string& path, const std::vector<std::string>& sets);
// The same from options alone (no run file): `base` holds the keys given as command-line options.
ResolvedRun resolve_run(ConfigSource run_src, const std::vector<std::string>& sets);

}  // namespace aimc
