#include "aimc/sim/Execution.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "aimc/base/Error.h"
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

void build_engine(Execution& e, const ArchConfig& arch, const Mapping& mapping, uint64_t seed) {
  if (e.timed) {
    e.chip = std::make_unique<Chip>("chip", arch, mapping, seed);
    if (e.capture) e.chip->set_activation_capture(e.capture.get());
    e.programming = e.chip->program();
  } else {
    e.executor = std::make_unique<MappedExecutor>(arch, mapping, seed);
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

ChipRun run_at(Execution& e, const Workload& w, double t_inference_s) {
  const auto samples = static_cast<uint64_t>(w.samples);
  ChipRun r;
  if (e.timed) {
    e.chip->set_inference_time(t_inference_s);
    r = e.chip->run(w.codes, samples);
  } else {
    e.executor->set_inference_time(t_inference_s);
    r.outputs = e.executor->run(w.codes, samples);
    r.sample_latency_ns.assign(samples, 0.0);  // no time: only the deadlock check below
  }
  if (!w.mapping.output_sequence)
    r.outputs = hwc_to_chw(r.outputs, w.samples, w.mapping.output_channels, w.mapping.output_pixels);
  append_activations(e, w.samples);
  for (double l : r.sample_latency_ns)
    AIMC_ASSERT_MSG(l >= 0, "a sample never completed: the schedule deadlocked");
  return r;
}

}  // namespace

Execution execute_workload(const RunConfig& run, const ArchConfig& arch, const Workload& workload) {
  Execution e;
  e.timed = run.timing == TimingMode::kOn;
  e.capture = activation_capture(run, workload.mapping);
  e.trace = trace_recorder(run, e.timed);
  build_engine(e, arch, workload.mapping, static_cast<uint64_t>(run.seed));
  e.activations.resize(e.capture ? e.capture->layers().size() : 0);
  for (double t : run.t_inference_s) e.runs.push_back(run_at(e, workload, t));
  return e;
}

}  // namespace aimc
