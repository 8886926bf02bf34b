#pragma once
// A workload's batch run at each inference time of a run: on the cycle-level chip (timing on), or with timing
// off on the same numerics without SystemC (MappedExecutor: bit-identical outputs). The engine stays alive
// with the results: the report reads the chip's activity, latencies and stats.
#include <cstdint>
#include <memory>
#include <vector>

#include "aimc/config/RunConfig.h"
#include "aimc/hw/Chip.h"
#include "aimc/hw/TraceRecorder.h"
#include "aimc/isa/ActivationCapture.h"
#include "aimc/sim/MappedExecutor.h"
#include "aimc/sim/Workload.h"

namespace aimc {

struct Execution {
  bool timed = false;
  // Destroyed after the engine that reports to them (members go in reverse order).
  std::unique_ptr<ActivationCapture> capture;  // output.activations; null when none are asked for
  std::unique_ptr<TraceRecorder> trace;        // output.trace: every block records its busy spans
  std::unique_ptr<Chip> chip;                  // timing on
  std::unique_ptr<MappedExecutor> executor;    // timing off
  std::vector<ProgramResult> programming;      // per crossbar piece
  // Per inference time; outputs [samples, output_features], maps in NCHW order. With timing off the
  // latencies are zeros and the times zero.
  std::vector<ChipRun> runs;
  // Per captured layer: [times, samples, ...] INT8, maps in NCHW order as the input and output.
  std::vector<std::vector<int8_t>> activations;
};

// Builds the engine `run.timing` names, programs it with the run's seed and runs the workload's batch at each
// of `run.t_inference_s`. The activation selection and the trace are checked before anything is simulated.
Execution execute_workload(const RunConfig& run, const ArchConfig& arch, const Workload& workload);

}  // namespace aimc
