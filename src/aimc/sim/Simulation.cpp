#include "aimc/sim/Simulation.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/base/Units.h"
#include "aimc/numerics/ActivationLayout.h"
#include "aimc/compiler/Mapping.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"
#include "aimc/isa/ActivationCapture.h"
#include "aimc/hw/Chip.h"
#include "aimc/hw/StatsWalker.h"
#include "aimc/hw/TraceRecorder.h"
#include "aimc/sim/AccuracyPlot.h"
#include "aimc/sim/EnergyReport.h"
#include "aimc/sim/MappedExecutor.h"

namespace aimc {

namespace {

ReferenceTensor rows_of(const NpyArray& x, int64_t rows, const std::vector<int64_t>& sample_shape) {
  ReferenceTensor t;
  t.shape = sample_shape;
  t.shape[0] = rows;
  const std::vector<float> all = x.toFloatVector();
  const int64_t per = x.elementCount() / x.shape[0];
  t.data.assign(all.begin(), all.begin() + rows * per);
  return t;
}

// A layer name as a file name: characters other than letters, digits, '-', '_' and '.' become '_'.
// ONNX names such as "/conv0/Conv" lose their leading '/' ("conv0_Conv").
std::string file_name_of(const std::string& layer) {
  std::string s = layer.substr(std::min(layer.find_first_not_of('/'), layer.size()));
  if (s.empty()) s = "layer";
  for (char& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_' && ch != '.') ch = '_';
  if (s.front() == '.') s.front() = '_';  // no hidden files, no ".."
  return s;
}

int8_t quantise(float x, double step, int code_max) {
  const double q = std::nearbyint(static_cast<double>(x) / step);  // half-to-even (default rounding mode)
  return static_cast<int8_t>(std::clamp<double>(q, -code_max, code_max));
}

}  // namespace

nlohmann::json run_simulation(const ResolvedRun& cfg, std::ostream& out) {
  const RunConfig& run = cfg.run;
  const ArchConfig& arch = cfg.arch;
  const auto host_start = std::chrono::steady_clock::now();

  // Workload and inputs.
  const Graph graph = OnnxImporter::load(run.workload.model);
  const NpyArray x = Npy::read(run.workload.inputs);
  const GraphTensor& in_tensor = graph.tensor(graph.inputs.at(0));
  if (x.shape.empty() || x.elementCount() / std::max<int64_t>(1, x.shape[0]) != in_tensor.sampleSize())
    throw UserError(run.workload.inputs, 0, "shape",
                    fmt::format("samples have {} values but the model's input {} takes {}",
                                x.shape.empty() ? 0 : x.elementCount() / std::max<int64_t>(1, x.shape[0]),
                                in_tensor.shapeText(), in_tensor.sampleSize()));
  int64_t n = x.shape[0];
  if (run.workload.batch > 0) {
    if (run.workload.batch > n)
      throw UserError(
          run.source_file, 0, "workload.batch",
          fmt::format("asks for {} samples but {} has {}", run.workload.batch, run.workload.inputs, n));
    n = run.workload.batch;
  }
  std::vector<int32_t> labels;
  if (!run.workload.labels.empty()) {
    labels = Npy::read(run.workload.labels, 1).toInt32Vector();
    if (static_cast<int64_t>(labels.size()) < n)
      throw UserError(run.workload.labels, 0, "shape",
                      fmt::format("has {} labels for {} samples", labels.size(), n));
  }

  // Float reference: calibration of the INT8 steps, and the outputs to compare with.
  const ReferenceExecutor reference(graph);
  const int64_t ncal = std::min<int64_t>(run.workload.calibration_samples, x.shape[0]);
  const auto calibration = reference.run(rows_of(x, ncal, in_tensor.shape));
  const std::map<std::string, double> absmax = calibration.absmax();
  const auto float_run = reference.run(rows_of(x, n, in_tensor.shape));
  const ReferenceTensor& float_logits = float_run.output(0);
  // Top-1 over every output value of a sample (a map output is flattened in its NCHW order).
  ReferenceTensor float_flat = float_logits;
  float_flat.shape = {float_logits.batch(), float_logits.sampleSize()};
  const std::vector<int32_t> float_pred = ReferenceExecutor::argmax(float_flat);

  const Mapping mapping = map_network(graph, arch, absmax);
  out << mapping.summary();
  // Per-layer activations on request: validated before anything is simulated.
  std::unique_ptr<ActivationCapture> capture;
  if (const std::vector<int> act_layers =
          ActivationCapture::select(mapping, run.output.activations, run.source_file);
      !act_layers.empty())
    capture = std::make_unique<ActivationCapture>(mapping, act_layers);

  // INT8 input codes.
  const int code_max = (1 << (arch.core.tile.dac.bits - 1)) - 1;
  const std::vector<float> xf = x.toFloatVector();
  std::vector<int8_t> codes(static_cast<size_t>(n * mapping.input_features));
  for (size_t i = 0; i < codes.size(); ++i) codes[i] = quantise(xf[i], mapping.input_step, code_max);
  // The chip holds maps in HWC order: the host permutes the NCHW input before injecting it.
  codes = chw_to_hwc(codes, n, mapping.input_channels, mapping.input_pixels);

  // The chip, or with timing off the same numerics without SystemC (MappedExecutor: bit-identical outputs).
  // With output.trace set, every block records its busy spans (Chrome/Perfetto JSON).
  const bool timed = run.timing == "on";
  if (!timed && !run.output.trace.empty())
    throw UserError(run.source_file, 0, "output.trace", "a trace needs the timed chip (timing: on)");
  std::unique_ptr<TraceRecorder> trace;
  if (!run.output.trace.empty()) trace = std::make_unique<TraceRecorder>();
  std::unique_ptr<Chip> chip_owner;
  std::unique_ptr<MappedExecutor> executor;
  if (timed)
    chip_owner = std::make_unique<Chip>("chip", arch, mapping, static_cast<uint64_t>(run.seed));
  else
    executor = std::make_unique<MappedExecutor>(arch, mapping, static_cast<uint64_t>(run.seed));
  if (capture) {
    if (timed)
      chip_owner->set_activation_capture(capture.get());
    else
      executor->set_activation_capture(capture.get());
  }
  const std::vector<ProgramResult> programming = timed ? chip_owner->program() : executor->program();
  // Per captured layer: [times, batch, ...] INT8, NCHW for maps as the input and output.
  std::vector<std::vector<int8_t>> all_activations(capture ? capture->layers().size() : 0);
  nlohmann::json per_time = nlohmann::json::array();
  std::vector<int8_t> all_logits;
  ChipRun first_run;
  const double out_step = mapping.output_step;
  for (size_t ti = 0; ti < run.t_inference_s.size(); ++ti) {
    ChipRun r;
    if (timed) {
      chip_owner->set_inference_time(run.t_inference_s[ti]);
      r = chip_owner->run(codes, static_cast<uint64_t>(n));
    } else {
      executor->set_inference_time(run.t_inference_s[ti]);
      r.outputs = executor->run(codes, static_cast<uint64_t>(n));
      r.sample_latency_ns.assign(static_cast<size_t>(n), 0.0);  // no time: only the deadlock check below
    }
    r.outputs = hwc_to_chw(r.outputs, n, mapping.output_channels, mapping.output_pixels);
    for (size_t k = 0; k < all_activations.size(); ++k) {
      const ActivationCapture::Layer& l = capture->layers()[k];
      const std::vector<int8_t> map = hwc_to_chw(capture->hwc(k), n, l.channels, l.pixels());
      all_activations[k].insert(all_activations[k].end(), map.begin(), map.end());
    }
    for (double l : r.sample_latency_ns)
      AIMC_ASSERT_MSG(l >= 0, "a sample never completed: the schedule deadlocked");
    // Accuracy against the labels and agreement with the float reference.
    int64_t correct = 0, agree = 0;
    double err2 = 0, ref2 = 0;
    const int64_t k = mapping.output_features;
    for (int64_t s = 0; s < n; ++s) {
      int best = 0;
      for (int64_t c = 0; c < k; ++c) {
        const int8_t v = r.outputs[static_cast<size_t>(s * k + c)];
        if (v > r.outputs[static_cast<size_t>(s * k + best)]) best = static_cast<int>(c);
        const double d = v * out_step - float_logits.data[static_cast<size_t>(s * k + c)];
        err2 += d * d;
        ref2 += static_cast<double>(float_logits.data[static_cast<size_t>(s * k + c)]) *
                float_logits.data[static_cast<size_t>(s * k + c)];
      }
      if (!labels.empty() && best == labels[static_cast<size_t>(s)]) ++correct;
      if (best == float_pred[static_cast<size_t>(s)]) ++agree;
    }
    nlohmann::json t = {{"t_inference_s", run.t_inference_s[ti]},
                        {"agreement_with_float", static_cast<double>(agree) / static_cast<double>(n)},
                        {"logit_relative_error", std::sqrt(err2 / std::max(ref2, 1e-30))}};
    t["makespan_ns"] = timed ? nlohmann::json(r.end_ns - r.start_ns) : nlohmann::json(nullptr);
    if (!labels.empty()) t["accuracy"] = static_cast<double>(correct) / static_cast<double>(n);
    per_time.push_back(t);
    all_logits.insert(all_logits.end(), r.outputs.begin(), r.outputs.end());
    if (ti == 0) first_run = std::move(r);
  }
  int64_t float_correct = 0;
  for (int64_t s = 0; s < n && !labels.empty(); ++s)
    if (float_pred[static_cast<size_t>(s)] == labels[static_cast<size_t>(s)]) ++float_correct;

  // Energy and area from the activity the chip counted.
  const double inferences = static_cast<double>(n) * static_cast<double>(run.t_inference_s.size());
  const double makespan_ns = first_run.end_ns - first_run.start_ns;
  const double lat0_ns = first_run.sample_latency_ns.front();
  double macs = 0;
  for (const auto& l : mapping.layers) macs += static_cast<double>(l.in_features * l.out_features * l.pixels);
  // Energy needs the activity and elapsed time of the timed chip; area is a function of the arch alone.
  const EnergyReport energy =
      timed ? build_energy_report(arch, mapping, *chip_owner,
                                  makespan_ns * static_cast<double>(run.t_inference_s.size()), inferences,
                                  macs, programming)
            : build_area_report(arch);

  nlohmann::json report;
  report["schema_version"] = kReportSchemaVersion;
  report["tool"] = {{"name", "aimcsim"}, {"version", AIMCSIM_VERSION}};
  report["seed"] = run.seed;
  // With timing off, latency, energy, stats and the per-layer timing and energy are null: not computed.
  report["timing"] = run.timing;
  report["config"] = {{"run", run_params().to_json(run)}, {"arch", arch_to_json(arch)}};
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : mapping.layers) {
    nlohmann::json cores = nlohmann::json::array();
    double begin = 1e300, end = 0;
    for (int p : l.pieces) {
      const int core_id = mapping.pieces[static_cast<size_t>(p)].core;
      cores.push_back(core_id);
      if (!timed) continue;
      const Core& core = *chip_owner->cores()[static_cast<size_t>(core_id)];
      begin = std::min(begin, core.driver().first_sample_begin_ns());
      end = std::max(end, core.driver().first_sample_end_ns());
    }
    const size_t li = layers.size();
    nlohmann::json entry = {
        {"name", l.name},
        {"in_features", l.in_features},
        {"out_features", l.out_features},
        {"pieces", l.pieces.size()},
        {"cores", cores},
        {"relu", l.relu},
        {"in_step", l.in_step},
        {"out_step", l.out_step},
        {"first_sample_latency_ns", timed ? nlohmann::json(end - begin) : nlohmann::json()},
        {"energy_per_inference_j", timed ? nlohmann::json(energy.layer_energy_j[li]) : nlohmann::json()},
        {"energy", timed ? energy.layer_energy[li] : nlohmann::json()}};
    if (l.conv) {
      entry["pixels"] = l.pixels;
      entry["geometry"] = l.geometry;
    }
    if (!l.fused.empty()) entry["fused"] = l.fused;
    if (l.depthwise) entry["depthwise"] = true;  // on the digital units of its cores, crossbars unused
    layers.push_back(entry);
  }
  report["mapping"] = {{"cores_used", mapping.cores_used},
                       {"pieces", mapping.pieces.size()},
                       {"cell_utilisation", mapping.cell_utilisation},
                       {"layers", layers}};
  // Only a network with depthwise layers has cores without a crossbar piece (so older reports keep their
  // keys).
  if (mapping.crossbars_used != mapping.cores_used)
    report["mapping"]["crossbars_used"] = mapping.crossbars_used;
  nlohmann::json prog = nlohmann::json::array();
  for (const auto& p : programming)
    prog.push_back(
        {{"write_pulses", p.write_pulses}, {"weight_error_rms_over_max", p.weight_error_rms_over_max}});
  report["programming"] = prog;
  if (mapping.sram_need_bytes > mapping.sram_size_bytes)
    report["warnings"] = {
        fmt::format("core {} needs {} B of activation SRAM (whole-map buffers), more than "
                    "core.sram.size = {} B; not enforced",
                    mapping.sram_need_core, mapping.sram_need_bytes, mapping.sram_size_bytes)};
  if (timed)
    report["latency"] = {{"first_sample_ns", lat0_ns},
                         {"first_sample_core_cycles", std::llround(lat0_ns / arch.core_period_ns())},
                         {"batch_makespan_ns", makespan_ns},
                         {"throughput_samples_per_s", static_cast<double>(n) / (makespan_ns * 1e-9)},
                         {"samples", n},
                         // Before the batch, outside every sample's latency: the controllers have their
                         // DMAs load the digital units' registers for this inference time (per controller:
                         // stats chip.coreN.controller.last_configure_time).
                         {"configuration_ns", first_run.configure_ns}};
  else
    report["latency"] = nullptr;
  report["energy"] = timed ? energy.energy : nlohmann::json();
  report["area"] = energy.area;
  report["outputs"] = {{"per_time", per_time}, {"samples", n}};
  if (!labels.empty())
    report["outputs"]["float_accuracy"] = static_cast<double>(float_correct) / static_cast<double>(n);
  report["stats"] = timed ? collect_stats() : nlohmann::json();
  // Only a run that asks for activations has the section (so older reports keep their keys).
  std::vector<std::string> activation_files;
  std::vector<std::vector<int64_t>> activation_shapes;
  if (capture) {
    nlohmann::json acts = nlohmann::json::array();
    for (const ActivationCapture::Layer& l : capture->layers()) {
      std::string file = "activations/" + file_name_of(l.name);
      // Two layer names that sanitise alike get the layer index appended.
      if (std::find(activation_files.begin(), activation_files.end(), file + ".npy") !=
          activation_files.end())
        file += "_" + std::to_string(l.index);
      file += ".npy";
      std::vector<int64_t> shape = {static_cast<int64_t>(run.t_inference_s.size()), n};
      if (l.conv)
        shape.insert(shape.end(), {l.channels, l.height, l.width});
      else
        shape.push_back(l.channels);
      acts.push_back({{"layer", l.name}, {"file", file}, {"shape", shape}, {"step", l.step}});
      activation_files.push_back(file);
      activation_shapes.push_back(shape);
    }
    report["activations"] = acts;
  }
  if (trace) trace->write(run.output.trace, "output.trace");
  const double host_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - host_start).count();
  // Host time inside the digital units of the mapped cores, and what ran there (C++ model or Verilated RTL):
  // the C++ vs RTL host-time ratio (issue 6) compares these between two runs.
  double du_host_s = 0;
  nlohmann::json du_impl = nlohmann::json::object();
  for (const auto& piece : mapping.pieces) {
    if (!timed) break;
    const DigitalUnit& du = chip_owner->cores()[static_cast<size_t>(piece.core)]->digital_unit();
    du_host_s += du.host_seconds();
    du_impl[std::to_string(piece.core)] = du.impl().name();
  }
  report["host"] = {{"seconds", host_s}, {"digital_unit_seconds", du_host_s}, {"digital_unit_impl", du_impl}};
  if (!timed) report["host"]["digital_unit_seconds"] = nullptr;

  // Files.
  const std::filesystem::path dir(run.output.dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw UserError(run.source_file, 0, "output.dir",
                    "cannot create '" + run.output.dir + "': " + ec.message());
  if (run.output.report_json) std::ofstream(dir / "report.json") << report.dump(2) << '\n';
  if (run.output.layer_csv) {
    std::ofstream csv(dir / "layers.csv");
    csv << "layer,in_features,out_features,pieces,first_sample_latency_ns,energy_per_inference_j\n";
    // Not-computed figures (timing off) are empty fields.
    auto num = [](const nlohmann::json& v, const char* f) {
      return v.is_null() ? std::string() : fmt::format(fmt::runtime(f), v.get<double>());
    };
    for (const auto& l : layers)
      csv << fmt::format("{},{},{},{},{},{}\n", l["name"].get<std::string>(), l["in_features"].get<int64_t>(),
                         l["out_features"].get<int64_t>(), l["pieces"].get<size_t>(),
                         num(l["first_sample_latency_ns"], "{}"), num(l["energy_per_inference_j"], "{:.6g}"));
  }
  if (run.output.logits)
    Npy::write((dir / "logits.npy").string(),
               NpyArray::fromInt8(
                   {static_cast<int64_t>(run.t_inference_s.size()), n, mapping.output_features}, all_logits));

  if (!activation_files.empty()) {
    std::filesystem::create_directories(dir / "activations", ec);
    if (ec)
      throw UserError(run.source_file, 0, "output.dir",
                      "cannot create '" + (dir / "activations").string() + "': " + ec.message());
    for (size_t k = 0; k < activation_files.size(); ++k)
      Npy::write((dir / activation_files[k]).string(),
                 NpyArray::fromInt8(activation_shapes[k], all_activations[k]));
  }

  std::string plot_note;
  if (run.output.plot && run.t_inference_s.size() >= 2) {
    const std::filesystem::path png = dir / "accuracy.png";
    const std::string warning = write_accuracy_plot(
        report["outputs"], png.string(),
        std::filesystem::path(run.workload.model).filename().string() + " on " +
            std::filesystem::path(run.arch_file).filename().string() + ", seed " + std::to_string(run.seed));
    plot_note = warning.empty() ? "plot       " + png.string() + "\n" : "aimcsim: warning: " + warning + "\n";
  }

  // Summary.
  if (timed) {
    out << fmt::format(
        "latency    first sample {:.1f} ns ({} core cycles); batch of {} in {:.3f} us, {:.0f} samples/s\n",
        lat0_ns, std::llround(lat0_ns / arch.core_period_ns()), n, makespan_ns * 1e-3,
        static_cast<double>(n) / (makespan_ns * 1e-9));
    out << fmt::format(
        "config     digital-unit registers loaded through the DMAs in {:.1f} ns before the batch\n",
        first_run.configure_ns);
  } else
    out << "latency    not computed: timing off (numerics only); latency, energy and stats are null in "
           "report.json\n";
  for (const auto& line : energy.summary) out << line << '\n';
  for (const auto& t : per_time) {
    out << fmt::format("outputs    t = {:>10}: agreement with float {:.2f} %, logit error {:.2f} %",
                       format_duration(t["t_inference_s"].get<double>()),
                       100 * t["agreement_with_float"].get<double>(),
                       100 * t["logit_relative_error"].get<double>());
    if (t.contains("accuracy"))
      out << fmt::format(", accuracy {:.2f} % (float {:.2f} %)", 100 * t["accuracy"].get<double>(),
                         100 * report["outputs"]["float_accuracy"].get<double>());
    out << '\n';
  }
  out << plot_note;
  if (!activation_files.empty())
    out << fmt::format("activations {} layer(s) in {}\n", activation_files.size(),
                       (dir / "activations").string());
  out << fmt::format("written    {}  (host time {:.2f} s)\n", dir.string(), host_s);
  return report;
}

}  // namespace aimc
