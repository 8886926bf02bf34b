#include "aimc/sim/RunReport.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "aimc/hw/StatsWalker.h"
#include "aimc/sim/OutputScores.h"
#include "aimc/sim/PlacementReport.h"

namespace aimc {

namespace {

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

double makespan_ns(const ChipRun& run) {
  return run.end_ns - run.start_ns;
}

// The span from the first piece's start to the last piece's end of the layer's first sample (per controller:
// a core packed with pieces of several layers, or a cluster's controller, spans all of its pieces).
double first_sample_latency_ns(const MappedLayer& layer, const Mapping& mapping, const Chip& chip) {
  double begin = 1e300, end = 0;
  for (int p : layer.pieces) {
    const Core& core = *chip.cores()[static_cast<size_t>(mapping.pieces[static_cast<size_t>(p)].core)];
    begin = std::min(begin, core.driver().first_sample_begin_ns());
    end = std::max(end, core.driver().first_sample_end_ns());
  }
  return end - begin;
}

nlohmann::json layer_report(const Mapping& mapping, size_t li, const Execution& e,
                            const EnergyReport& energy) {
  const MappedLayer& l = mapping.layers[li];
  nlohmann::json cores = nlohmann::json::array();
  for (int p : l.pieces) cores.push_back(mapping.pieces[static_cast<size_t>(p)].core);
  const bool timed = e.timed;
  nlohmann::json entry = {
      {"name", l.name},
      {"in_features", l.in_features},
      {"out_features", l.out_features},
      {"pieces", l.pieces.size()},
      {"cores", cores},
      {"relu", l.relu},
      {"in_step", l.in_step},
      {"out_step", l.out_step},
      {"map_step", l.map_step},
      {"nodes", l.nodes},
      {"first_sample_latency_ns",
       timed ? nlohmann::json(first_sample_latency_ns(l, mapping, *e.chip)) : nlohmann::json()},
      {"energy_per_inference_j", timed ? nlohmann::json(energy.layer_energy_j[li]) : nlohmann::json()},
      {"energy", timed ? energy.layer_energy[li] : nlohmann::json()}};
  if (l.conv) {
    entry["pixels"] = l.pixels;
    entry["geometry"] = l.geometry;
  }
  if (!l.fused.empty()) entry["fused"] = l.fused;
  if (l.depthwise) entry["depthwise"] = true;  // on the digital units of its cores, crossbars unused
  if (l.affine) entry["affine"] = true;        // likewise
  if (l.affine) entry["pixels"] = l.pixels;
  return entry;
}

nlohmann::json mapping_report(const Mapping& mapping, const ArchConfig& arch, const Execution& e,
                              const EnergyReport& energy) {
  nlohmann::json layers = nlohmann::json::array();
  for (size_t li = 0; li < mapping.layers.size(); ++li)
    layers.push_back(layer_report(mapping, li, e, energy));
  nlohmann::json report = {{"cores_used", mapping.cores_used},
                           {"pieces", mapping.pieces.size()},
                           {"cell_utilisation", mapping.cell_utilisation},
                           {"layers", layers},
                           {"placement", placement_report(mapping, arch)}};
  // Only a network with depthwise or affine layers has cores without a crossbar piece (so older reports keep
  // their keys).
  if (mapping.crossbars_used != mapping.cores_used) report["crossbars_used"] = mapping.crossbars_used;
  // Packed crossbars (mapping.packing): every crossbar's pieces and cell use (unpacked reports keep their
  // keys).
  if (std::any_of(mapping.crossbar_use.begin(), mapping.crossbar_use.end(),
                  [](const Mapping::CrossbarUse& u) { return u.pieces > 1; })) {
    nlohmann::json crossbars = nlohmann::json::array();
    for (const Mapping::CrossbarUse& u : mapping.crossbar_use)
      crossbars.push_back(
          {{"core", u.core}, {"pieces", u.pieces}, {"cells", u.cells}, {"utilisation", u.utilisation}});
    report["crossbars_used"] = mapping.crossbars_used;
    report["crossbars"] = crossbars;
  }
  return report;
}

nlohmann::json programming_report(const std::vector<ProgramResult>& programming) {
  nlohmann::json prog = nlohmann::json::array();
  for (const auto& p : programming) {
    nlohmann::json e = {{"write_pulses", p.write_pulses},
                        {"weight_error_rms_over_max", p.weight_error_rms_over_max}};
    // Only when a tile has stuck devices, so the report of a fault-free run keeps its fields.
    if (p.stuck_devices > 0)
      e["stuck"] = {{"devices", p.stuck_devices},
                    {"detected", p.stuck_detected},
                    {"cells_compensated", p.stuck_cells_compensated},
                    {"lines_offset", p.stuck_lines_offset}};
    prog.push_back(e);
  }
  return prog;
}

nlohmann::json latency_report(const ArchConfig& arch, const Workload& w, const Execution& e) {
  if (!e.timed) return nullptr;
  const ChipRun& first = e.runs.front();
  const double lat0_ns = first.sample_latency_ns.front();
  const double makespan = makespan_ns(first);
  return {{"first_sample_ns", lat0_ns},
          {"first_sample_core_cycles", std::llround(lat0_ns / arch.core_period_ns())},
          {"batch_makespan_ns", makespan},
          {"throughput_samples_per_s", static_cast<double>(w.samples) / (makespan * 1e-9)},
          {"samples", w.samples},
          // Before the batch, outside every sample's latency: the controllers have their DMAs load the
          // digital units' registers for this inference time (per controller: stats
          // chip.coreN.controller.last_configure_time).
          {"configuration_ns", first.configure_ns}};
}

// How to read logits.npy: real value = code x step; the layout of each sample's values; the tensor they are
// (before the host's output steps, which the float reference's logits are compared with too).
nlohmann::json logits_report(const Workload& w) {
  const Mapping& m = w.mapping;
  std::vector<int64_t> sample_shape = w.graph.tensor(m.output_tensor).shape;
  sample_shape.erase(sample_shape.begin());  // the batch
  nlohmann::json host = nlohmann::json::array();
  for (const HostOutputStep& h : m.host_steps) host.push_back(h.op);
  return {{"file", "logits.npy"},         {"step", m.output_step},
          {"tensor", m.output_tensor},    {"layout", sample_shape.size() == 3 ? "NCHW" : "NC"},
          {"sample_shape", sample_shape}, {"host_steps", host}};
}

nlohmann::json spread_json(const ScoreSpread& s) {
  return {{"mean", s.mean}, {"std", s.std}, {"min", s.min}, {"max", s.max}};
}

// A float figure, null when the run does not compare with float (workload.compare_float false).
nlohmann::json float_figure(const Workload& w, double value) {
  return w.compare_float ? nlohmann::json(value) : nlohmann::json(nullptr);
}

nlohmann::json spread_figure(const Workload& w, const std::vector<double>& values) {
  return w.compare_float ? spread_json(spread_of(values)) : nlohmann::json(nullptr);
}

// Mean and spread over the repeats of the scores at inference time `ti`.
nlohmann::json repeats_report(const Workload& w, const Execution& e, size_t ti) {
  std::vector<double> agreement, error, accuracy;
  for (const std::vector<OutputScores>& per_time : e.scores) {
    const OutputScores& s = per_time[ti];
    agreement.push_back(s.agreement_with_float);
    error.push_back(s.logit_relative_error);
    if (s.accuracy) accuracy.push_back(*s.accuracy);
  }
  nlohmann::json r = {{"count", e.scores.size()},
                      {"agreement_with_float", spread_figure(w, agreement)},
                      {"logit_relative_error", spread_figure(w, error)}};
  if (!accuracy.empty()) r["accuracy"] = spread_json(spread_of(accuracy));
  return r;
}

nlohmann::json outputs_report(const RunConfig& run, const Workload& w, const Execution& e) {
  nlohmann::json per_time = nlohmann::json::array();
  for (size_t ti = 0; ti < e.runs.size(); ++ti) {
    const OutputScores& scores = e.scores.front()[ti];
    nlohmann::json t = {{"t_inference_s", run.t_inference_s[ti]},
                        {"agreement_with_float", float_figure(w, scores.agreement_with_float)},
                        {"logit_relative_error", float_figure(w, scores.logit_relative_error)}};
    t["makespan_ns"] = e.timed ? nlohmann::json(makespan_ns(e.runs[ti])) : nlohmann::json(nullptr);
    if (scores.accuracy) t["accuracy"] = *scores.accuracy;
    // Only a run with repeats has them (so older reports keep their keys); the fields above are repeat 0's.
    if (e.scores.size() > 1) t["repeats"] = repeats_report(w, e, ti);
    per_time.push_back(t);
  }
  nlohmann::json outputs = {{"per_time", per_time}, {"samples", w.samples}, {"logits", logits_report(w)}};
  if (const std::optional<double> accuracy = float_accuracy(w)) outputs["float_accuracy"] = *accuracy;
  if (e.repeat_seeds.size() > 1) outputs["repeat_seeds"] = e.repeat_seeds;
  return outputs;
}

// Per captured layer: its file under the output directory, shape [times, samples, ...] and step.
nlohmann::json activations_report(const RunConfig& run, const Workload& w, const ActivationCapture& capture) {
  nlohmann::json acts = nlohmann::json::array();
  std::vector<std::string> files;
  for (const ActivationCapture::Layer& l : capture.layers()) {
    std::string file = "activations/" + file_name_of(l.name);
    // Two layer names that sanitise alike get the layer index appended.
    if (std::find(files.begin(), files.end(), file + ".npy") != files.end())
      file += "_" + std::to_string(l.index);
    file += ".npy";
    std::vector<int64_t> shape = {static_cast<int64_t>(run.t_inference_s.size()), w.samples};
    if (l.conv)
      shape.insert(shape.end(), {l.channels, l.height, l.width});
    else
      shape.push_back(l.channels);
    acts.push_back({{"layer", l.name}, {"file", file}, {"shape", shape}, {"step", l.step}});
    files.push_back(file);
  }
  return acts;
}

}  // namespace

EnergyReport run_energy_report(const ResolvedRun& cfg, const Workload& workload, const Execution& execution) {
  // Energy needs the activity and elapsed time of the timed chip; area is a function of the arch alone.
  if (!execution.timed) return build_area_report(cfg.arch);
  const auto times = static_cast<double>(cfg.run.t_inference_s.size());
  const double inferences = static_cast<double>(workload.samples) * times;
  double macs = 0;
  for (const auto& l : workload.mapping.layers)
    macs += static_cast<double>(l.in_features * l.out_features * l.pixels);
  return build_energy_report(cfg.arch, workload.mapping, *execution.chip,
                             makespan_ns(execution.runs.front()) * times, inferences, macs,
                             execution.programming);
}

nlohmann::json build_report(const ResolvedRun& cfg, const Workload& workload, const Execution& execution,
                            const EnergyReport& energy) {
  const RunConfig& run = cfg.run;
  const Mapping& mapping = workload.mapping;
  nlohmann::json report;
  report["schema_version"] = kReportSchemaVersion;
  report["tool"] = {{"name", "aimcsim"}, {"version", AIMCSIM_VERSION}};
  report["seed"] = run.seed;
  report["timing"] = enum_name(run.timing);
  report["config"] = {{"run", run_params().to_json(run)}, {"arch", arch_to_json(cfg.arch)}};
  report["mapping"] = mapping_report(mapping, cfg.arch, execution, energy);
  report["programming"] = programming_report(execution.programming);
  if (mapping.sram_need_bytes > mapping.sram_size_bytes)
    report["warnings"] = {
        fmt::format("core {} needs {} B of activation SRAM (whole-map buffers), more than "
                    "core.sram.size = {} B; not enforced",
                    mapping.sram_need_core, mapping.sram_need_bytes, mapping.sram_size_bytes)};
  report["latency"] = latency_report(cfg.arch, workload, execution);
  report["energy"] = execution.timed ? energy.energy : nlohmann::json();
  report["area"] = energy.area;
  report["outputs"] = outputs_report(run, workload, execution);
  report["stats"] = execution.timed ? collect_stats() : nlohmann::json();
  // Only a run that asks for activations has the section (so older reports keep their keys).
  if (execution.capture) report["activations"] = activations_report(run, workload, *execution.capture);
  return report;
}

nlohmann::json host_report(const Mapping& mapping, const Execution& execution, double host_seconds) {
  if (!execution.timed)
    return {{"seconds", host_seconds},
            {"digital_unit_seconds", nullptr},
            {"digital_unit_impl", nlohmann::json::object()}};
  double du_host_s = 0;
  nlohmann::json du_impl = nlohmann::json::object();
  std::set<int> cores;  // a packed core's unit once
  for (const auto& piece : mapping.pieces) {
    if (!cores.insert(piece.core).second) continue;
    const DigitalUnit& du = execution.chip->cores()[static_cast<size_t>(piece.core)]->digital_unit();
    du_host_s += du.host_seconds();
    du_impl[std::to_string(piece.core)] = du.impl().name();
  }
  return {{"seconds", host_seconds}, {"digital_unit_seconds", du_host_s}, {"digital_unit_impl", du_impl}};
}

}  // namespace aimc
