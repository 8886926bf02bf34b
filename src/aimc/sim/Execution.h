#pragma once
// A workload's batch run at each inference time of a run: on the cycle-level chip (timing on), or with timing
// off on the same numerics without SystemC (MappedExecutor: bit-identical outputs). The engine stays alive
// with the results: the report reads the chip's activity, latencies and stats.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "aimc/config/RunConfig.h"
#include "aimc/hw/Chip.h"
#include "aimc/hw/TraceRecorder.h"
#include "aimc/isa/ActivationCapture.h"
#include "aimc/sim/MappedExecutor.h"
#include "aimc/sim/OutputScores.h"
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
  // Per repeat (run.repeats): its seed and its outputs per inference time, [samples, output_features] in
  // NCHW order. Repeat 0 is `runs` (seed = run.seed). The others run on the numerics-only executor, whose
  // outputs are bit-identical to the chip's for the same seed (MappedExecutor's contract); latency, energy,
  // logits.npy and the activations are repeat 0's.
  std::vector<uint64_t> repeat_seeds;
  std::vector<std::vector<std::vector<int8_t>>> repeat_outputs;
  // Per repeat, per inference time: the scores of its outputs, tallied as they came (also when a sink took
  // the outputs and `runs` and `repeat_outputs` hold none).
  std::vector<std::vector<OutputScores>> scores;
};

// Takes repeat 0's outputs as they are produced, in order of inference time then sample: [samples,
// output_features] INT8 in NCHW order, `samples` rows at a time. With a sink the execution keeps no outputs.
using OutputSink = std::function<void(const int8_t* outputs, int64_t samples)>;

// Samples run together on the numerics-only executor when the outputs go to a sink: a bound of the memory
// of a long run (the executor's slots hold every sample of a run at once) that keeps its loops long.
constexpr int64_t kStreamedSamples = 4096;

// The seed of repeat r of a run seeded `seed`: the seed itself for r = 0 (a run without repeats is
// unchanged), else 52 bits of the counter-based generator keyed by (seed, RngPurpose::kRepeat, r), a seed
// that
// `--seed` accepts, so that one repeat can be rerun alone.
uint64_t repeat_seed(uint64_t seed, int64_t repeat);

// The number of sample 0 of the input set at the k-th inference time of a run: sample i is that + i. A
// sample's number keys its read noise (Chip::number_samples_from), so sample i's outputs at every time do not
// depend on how many samples run (--batch) nor on the other times (the numbers of one time never reach the
// next's: a run has fewer than 2^32 samples).
constexpr uint64_t kSampleNumbersPerTime = uint64_t{1} << 32;
inline uint64_t first_sample_number(size_t time_index) {
  return time_index * kSampleNumbersPerTime;
}

// Builds the engine `run.timing` names, programs it with the run's seed and runs the workload's batch at each
// of `run.t_inference_s`. The activation selection and the trace are checked before anything is simulated.
// With a sink, repeat 0's outputs go to it and are not kept, and the numerics-only executor runs
// kStreamedSamples samples at a time (the same bits: a sample's noise is keyed by its number).
Execution execute_workload(const RunConfig& run, const ArchConfig& arch, const Workload& workload,
                           const OutputSink& sink = nullptr);

}  // namespace aimc
