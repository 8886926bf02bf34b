#include "aimc/sim/Execution.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/ActivationLayout.h"

namespace aimc {

namespace {

std::unique_ptr<ActivationCapture> activation_capture(const RunConfig& run, const Mapping& mapping) {
  const std::vector<int> layers = ActivationCapture::select(mapping, run.output.activations, run.source_file);
  if (layers.empty()) return nullptr;
  return std::make_unique<ActivationCapture>(mapping, layers);
}

std::unique_ptr<TraceRecorder> trace_recorder(const RunConfig& run, bool timed) {
  if (run.output.trace.empty()) return nullptr;
  if (!timed)
    throw UserError(run.source_file, 0, "output.trace", "a trace needs the timed chip (timing: on)");
  // Before the simulation, not after it: a run must not spend its time and then fail on the trace's folder.
  const std::filesystem::path folder = std::filesystem::absolute(run.output.trace).parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec) || ::access(folder.c_str(), W_OK) != 0)
    throw UserError(
        run.output.trace, 0, "output.trace",
        "cannot write the trace file: its folder " + folder.string() + " is not a writable folder");
  return std::make_unique<TraceRecorder>();
}

int run_threads(const RunConfig& run) {
  return run.threads == 0 ? WorkerPool::host_threads() : static_cast<int>(run.threads);
}

void build_engine(Execution& e, const RunConfig& run, const ArchConfig& arch, const Mapping& mapping) {
  const auto seed = static_cast<uint64_t>(run.seed);
  if (e.timed) {
    e.chip = std::make_unique<Chip>("chip", arch, mapping, seed);
    e.chip->set_threads(run_threads(run));
    if (e.capture) e.chip->set_activation_capture(e.capture.get());
    e.programming = e.chip->program();
  } else {
    e.executor = std::make_unique<MappedExecutor>(arch, mapping, seed);
    e.executor->set_threads(run_threads(run));
    if (e.capture) e.executor->set_activation_capture(e.capture.get());
    e.programming = e.executor->program();
  }
}

void append_activations(Execution& e, int64_t samples) {
  for (size_t k = 0; k < e.activations.size(); ++k) {
    const ActivationCapture::Layer& l = e.capture->layers()[k];
    const std::vector<int8_t> map = hwc_to_chw(e.capture->hwc(k), samples, l.channels, l.pixels());
    e.activations[k].insert(e.activations[k].end(), map.begin(), map.end());
  }
}

std::vector<int8_t> in_nchw(std::vector<int8_t> outputs, int64_t samples, const Mapping& m) {
  if (m.output_sequence) return outputs;
  return hwc_to_chw(outputs, samples, m.output_channels, m.output_pixels);
}

// Each part of a run's outputs: [samples, output_features] NCHW.
using TakeOutputs = std::function<void(std::vector<int8_t>, int64_t)>;

// The batch on the executor, `chunk` samples per run() numbered on from `first_number`.
void run_executor(MappedExecutor& executor, const Workload& w, uint64_t first_number, int64_t chunk,
                  const TakeOutputs& take) {
  const int64_t in = w.mapping.input_features;
  for (int64_t begin = 0; begin < w.samples; begin += chunk) {
    const int64_t n = std::min(chunk, w.samples - begin);
    executor.number_samples_from(first_number + static_cast<uint64_t>(begin));
    const auto from = w.codes.begin() + begin * in;
    const std::vector<int8_t> part =
        n == w.samples ? std::vector<int8_t>() : std::vector<int8_t>(from, from + n * in);
    take(in_nchw(executor.run(n == w.samples ? w.codes : part, static_cast<uint64_t>(n)), n, w.mapping), n);
  }
}

ChipRun run_at(Execution& e, const Workload& w, double t_inference_s, size_t time_index,
               const OutputSink& sink) {
  const auto samples = static_cast<uint64_t>(w.samples);
  AIMC_ASSERT(samples < kSampleNumbersPerTime);
  ChipRun r;
  ScoreTally tally(w);
  const TakeOutputs take = [&](std::vector<int8_t> outputs, int64_t n) {
    tally.add(outputs.data(), n);
    append_activations(e, n);
    if (sink)
      sink(outputs.data(), n);
    else
      r.outputs.insert(r.outputs.end(), outputs.begin(), outputs.end());
  };
  if (e.timed) {
    e.chip->set_inference_time(t_inference_s);
    e.chip->number_samples_from(first_sample_number(time_index));
    r = e.chip->run(w.codes, samples);
    std::vector<int8_t> outputs = std::move(r.outputs);
    r.outputs.clear();
    take(in_nchw(std::move(outputs), w.samples, w.mapping), w.samples);
  } else {
    e.executor->set_inference_time(t_inference_s);
    run_executor(*e.executor, w, first_sample_number(time_index), sink ? kStreamedSamples : w.samples, take);
    r.sample_latency_ns.assign(samples, 0.0);  // no time: only the deadlock check below
  }
  for (double l : r.sample_latency_ns)
    AIMC_ASSERT_MSG(l >= 0, "a sample never completed: the schedule deadlocked");
  e.scores.front().push_back(tally.scores());
  return r;
}

// Repeat r's scores (and, when `keep`, outputs) at every inference time, on the numerics-only executor.
void repeat_run(Execution& e, const RunConfig& run, const ArchConfig& arch, const Workload& w, bool keep) {
  MappedExecutor executor(arch, w.mapping, e.repeat_seeds.back());
  executor.set_threads(run_threads(run));
  executor.program();
  e.scores.emplace_back();
  e.repeat_outputs.emplace_back();
  for (size_t k = 0; k < run.t_inference_s.size(); ++k) {
    executor.set_inference_time(run.t_inference_s[k]);
    ScoreTally tally(w);
    std::vector<int8_t> kept;
    run_executor(executor, w, first_sample_number(k), keep ? w.samples : kStreamedSamples,
                 [&](std::vector<int8_t> outputs, int64_t n) {
                   tally.add(outputs.data(), n);
                   if (keep) kept = std::move(outputs);
                 });
    e.scores.back().push_back(tally.scores());
    if (keep) e.repeat_outputs.back().push_back(std::move(kept));
  }
}

}  // namespace

uint64_t repeat_seed(uint64_t seed, int64_t repeat) {
  if (repeat == 0) return seed;
  const auto words = CounterRng(seed, 0, RngPurpose::kRepeat).block(static_cast<uint64_t>(repeat));
  return ((static_cast<uint64_t>(words[1]) << 32) | words[0]) & ((uint64_t{1} << 52) - 1);
}

Execution execute_workload(const RunConfig& run, const ArchConfig& arch, const Workload& workload,
                           const OutputSink& sink) {
  Execution e;
  e.timed = run.timing == TimingMode::kOn;
  e.capture = activation_capture(run, workload.mapping);
  e.trace = trace_recorder(run, e.timed);
  build_engine(e, run, arch, workload.mapping);
  e.activations.resize(e.capture ? e.capture->layers().size() : 0);
  e.scores.emplace_back();
  for (size_t k = 0; k < run.t_inference_s.size(); ++k)
    e.runs.push_back(run_at(e, workload, run.t_inference_s[k], k, sink));
  e.repeat_seeds.push_back(static_cast<uint64_t>(run.seed));
  e.repeat_outputs.emplace_back();
  if (!sink)
    for (const ChipRun& r : e.runs) e.repeat_outputs.back().push_back(r.outputs);
  for (int64_t r = 1; r < run.repeats; ++r) {
    e.repeat_seeds.push_back(repeat_seed(static_cast<uint64_t>(run.seed), r));
    repeat_run(e, run, arch, workload, !sink);
  }
  return e;
}

}  // namespace aimc
