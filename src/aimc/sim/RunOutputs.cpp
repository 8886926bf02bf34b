#include "aimc/sim/RunOutputs.h"

#include <filesystem>
#include <memory>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "aimc/base/AtomicFile.h"
#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/base/Units.h"
#include "aimc/sim/AccuracyPlot.h"

namespace aimc {

namespace {

void create_directory(const RunConfig& run, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw UserError(run.source_file, 0, "output.dir",
                    "cannot create '" + dir.string() + "': " + ec.message());
}

void write_layer_csv(const std::filesystem::path& file, const nlohmann::json& layers) {
  std::ostringstream csv;
  csv << "layer,in_features,out_features,pieces,first_sample_latency_ns,energy_per_inference_j\n";
  // Not-computed figures (timing off) are empty fields.
  auto num = [](const nlohmann::json& v, const char* f) {
    return v.is_null() ? std::string() : fmt::format(fmt::runtime(f), v.get<double>());
  };
  for (const auto& l : layers)
    csv << fmt::format("{},{},{},{},{},{}\n", l["name"].get<std::string>(), l["in_features"].get<int64_t>(),
                       l["out_features"].get<int64_t>(), l["pieces"].get<size_t>(),
                       num(l["first_sample_latency_ns"], "{}"), num(l["energy_per_inference_j"], "{:.6g}"));
  write_file_atomically(file.string(), csv.str(), "output.layer_csv");
}

void write_kept_logits(const std::filesystem::path& file, const Workload& w, const Execution& e) {
  std::vector<int8_t> logits;
  for (const ChipRun& r : e.runs) logits.insert(logits.end(), r.outputs.begin(), r.outputs.end());
  Npy::write(file.string(),
             NpyArray::fromInt8({static_cast<int64_t>(e.runs.size()), w.samples, w.mapping.output_features},
                                logits));
}

void write_activations(const RunConfig& run, const std::filesystem::path& dir, const nlohmann::json& acts,
                       const Execution& e) {
  create_directory(run, dir / "activations");
  for (size_t k = 0; k < acts.size(); ++k)
    Npy::write((dir / acts[k]["file"].get<std::string>()).string(),
               NpyArray::fromInt8(acts[k]["shape"].get<std::vector<int64_t>>(), e.activations[k]));
}

void print_latency(std::ostream& out, const nlohmann::json& latency) {
  if (latency.is_null()) {
    out << "latency    not computed: timing off (numerics only); latency, energy and stats are null in "
           "report.json\n";
    return;
  }
  const auto makespan_ns = latency["batch_makespan_ns"].get<double>();
  out << fmt::format(
      "latency    first sample {:.1f} ns ({} core cycles); batch of {} in {:.3f} us, {:.0f} samples/s\n",
      latency["first_sample_ns"].get<double>(), latency["first_sample_core_cycles"].get<int64_t>(),
      latency["samples"].get<int64_t>(), makespan_ns * 1e-3,
      latency["throughput_samples_per_s"].get<double>());
  out << fmt::format(
      "config     digital-unit registers loaded through the DMAs in {:.1f} ns before the batch\n",
      latency["configuration_ns"].get<double>());
}

std::string spread_text(const nlohmann::json& s) {
  return fmt::format("{:.2f} +- {:.2f} % [{:.2f}, {:.2f}]", 100 * s["mean"].get<double>(),
                     100 * s["std"].get<double>(), 100 * s["min"].get<double>(),
                     100 * s["max"].get<double>());
}

// Mean +- std [min, max] over the repeats.
void print_repeats(std::ostream& out, const nlohmann::json& r) {
  out << fmt::format("           over {} repeats:", r["count"].get<int64_t>());
  if (!r["agreement_with_float"].is_null())
    out << fmt::format(" agreement {}, logit error {}", spread_text(r["agreement_with_float"]),
                       spread_text(r["logit_relative_error"]));
  if (r.contains("accuracy")) out << ", accuracy " << spread_text(r["accuracy"]);
  out << '\n';
}

void print_scores(std::ostream& out, const nlohmann::json& outputs) {
  for (const auto& t : outputs["per_time"]) {
    out << fmt::format("outputs    t = {:>10}: ", format_duration(t["t_inference_s"].get<double>()));
    if (t["agreement_with_float"].is_null())
      out << "no float comparison (workload.compare_float false)";
    else
      out << fmt::format("agreement with float {:.2f} %, logit error {:.2f} %",
                         100 * t["agreement_with_float"].get<double>(),
                         100 * t["logit_relative_error"].get<double>());
    if (t.contains("accuracy") && outputs.contains("float_accuracy"))
      out << fmt::format(", accuracy {:.2f} % (float {:.2f} %)", 100 * t["accuracy"].get<double>(),
                         100 * outputs["float_accuracy"].get<double>());
    else if (t.contains("accuracy"))
      out << fmt::format(", accuracy {:.2f} %", 100 * t["accuracy"].get<double>());
    out << '\n';
    if (t.contains("repeats")) print_repeats(out, t["repeats"]);
  }
}

}  // namespace

std::unique_ptr<NpyStreamWriter> open_logits(const RunConfig& run, const Workload& w) {
  if (!run.output.logits) return nullptr;
  const std::filesystem::path dir(run.output.dir);
  create_directory(run, dir);
  return std::make_unique<NpyStreamWriter>(
      (dir / "logits.npy").string(), NpyDtype::kInt8,
      std::vector<int64_t>{static_cast<int64_t>(run.t_inference_s.size()), w.samples,
                           w.mapping.output_features},
      "output.logits");
}

OutputSink logits_sink(NpyStreamWriter* logits, const Workload& w) {
  if (!logits) return [](const int8_t*, int64_t) {};  // no file: the outputs are scored and dropped
  const int64_t k = w.mapping.output_features;
  return [logits, k](const int8_t* outputs, int64_t samples) { logits->write(outputs, samples * k); };
}

void write_outputs(const RunConfig& run, const nlohmann::json& report, const Workload& workload,
                   const Execution& execution, NpyStreamWriter* logits) {
  const std::filesystem::path dir(run.output.dir);
  create_directory(run, dir);
  // The folders first (the likeliest failure) and the streamed logits last: a run that fails here leaves
  // no logits.npy, and none of the other files when its folders cannot be made.
  if (report.contains("activations") && !report["activations"].empty())
    write_activations(run, dir, report["activations"], execution);
  if (run.output.report_json)
    write_file_atomically((dir / "report.json").string(), report.dump(2) + '\n', "output.report_json");
  if (run.output.layer_csv) write_layer_csv(dir / "layers.csv", report["mapping"]["layers"]);
  if (logits)
    logits->commit();
  else if (run.output.logits)
    write_kept_logits(dir / "logits.npy", workload, execution);
}

std::string write_plot(const RunConfig& run, const nlohmann::json& report) {
  if (!run.output.plot || run.t_inference_s.size() < 2) return "";
  // The plot draws the agreement with float at every time.
  if (!run.workload.compare_float)
    return "plot       not drawn: no float comparison (workload.compare_float)\n";
  const std::filesystem::path png = std::filesystem::path(run.output.dir) / "accuracy.png";
  const std::string warning = write_accuracy_plot(
      report["outputs"], png.string(),
      std::filesystem::path(run.workload.model).filename().string() + " on " +
          std::filesystem::path(run.arch_file).filename().string() + ", seed " + std::to_string(run.seed));
  return warning.empty() ? "plot       " + png.string() + "\n" : "aimcsim: warning: " + warning + "\n";
}

void print_summary(std::ostream& out, const RunConfig& run, const nlohmann::json& report,
                   const EnergyReport& energy, const std::string& plot_note) {
  print_latency(out, report["latency"]);
  for (const auto& line : energy.summary) out << line << '\n';
  print_scores(out, report["outputs"]);
  out << plot_note;
  const std::filesystem::path dir(run.output.dir);
  if (report.contains("activations") && !report["activations"].empty())
    out << fmt::format("activations {} layer(s) in {}\n", report["activations"].size(),
                       (dir / "activations").string());
  out << fmt::format("written    {}  (host time {:.2f} s)\n", dir.string(),
                     report["host"]["seconds"].get<double>());
}

}  // namespace aimc
