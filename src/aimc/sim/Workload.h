#pragma once
// A run's workload as the chip sees it: the model, its INT8 steps calibrated on the float reference, the
// mapping, the batch as INT8 input codes in the chip's HWC order, and what the chip's outputs are scored
// against (labels, float reference logits and top-1). `aimcsim run`, tests and benchmarks prepare it here,
// so every one of them maps and quantises the way a run does.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aimc/base/Npy.h"
#include "aimc/compiler/Graph.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/ReferenceExecutor.h"
#include "aimc/config/RunConfig.h"

namespace aimc {

struct Workload {
  Graph graph;
  std::map<std::string, double> absmax;  // per tensor, over the calibration samples: map_network's ranges
  Mapping mapping;
  int64_t samples = 0;          // the batch: the first `samples` rows of the inputs
  int input_code_max = 0;       // largest input code the DACs drive (input_code_max(arch))
  std::vector<int8_t> codes;    // [samples, input_features] INT8, each sample's map in HWC order
  std::vector<int32_t> labels;  // class per sample (at least `samples`), empty without labels
  // The float reference's value of the chip's output tensor (Mapping::output_tensor) for the batch: the
  // logits, before any host output step (a final Softmax), so that the chip is compared like with like.
  // Empty (and float_top1 too) when the run does not compare with float (workload.compare_float false).
  bool compare_float = true;
  ReferenceTensor float_logits;
  std::vector<int32_t> float_top1;  // its top-1 per sample over every output value (NCHW order)
};

// The DACs' largest input code, 2^(bits-1) - 1: codes are symmetric, -code_max..code_max.
int input_code_max(const ArchConfig& arch);

// An input value as the code the chip is driven with: x / step rounded half to even, clamped to
// -code_max..code_max.
int8_t quantise_input(float x, double step, int code_max);

// From inputs in memory ([rows, ...] floats with the model input's sample size; `inputs.source` names them
// in errors): the first `calibration_samples` rows (at most all) calibrate the INT8 steps; the first `batch`
// rows (0 = all) are the batch. No labels. `packing`: the run key mapping.packing. Every row runs through the
// float reference at most once (the calibration rows' result serves the batch's first rows); with
// `compare_float` false the batch keeps no float figures and only the calibration rows (and a host input
// step's rows) run it.
Workload prepare_workload(const ArchConfig& arch, Graph graph, const NpyArray& inputs, int64_t batch,
                          int64_t calibration_samples, PackingPolicy packing = PackingPolicy::kAuto,
                          bool compare_float = true);

// From a run config's workload section (model, inputs and optional labels files, batch, calibration
// samples); `run_file` is named when the batch asks for more samples than the inputs hold.
Workload prepare_workload(const ArchConfig& arch, const RunConfig::Workload& files,
                          const std::string& run_file);

Workload prepare_workload(const ResolvedRun& cfg);

}  // namespace aimc
