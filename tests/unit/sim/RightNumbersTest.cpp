// The numbers a run reports (issue 15, item 5), each a regression test of a bug measured before its fix:
//  - a final Softmax is a host output step: the logit error compares the chip's logits with the float
//    logits (it compared them with probabilities: 3540 % on digits_mlp + Softmax);
//  - an activation capture and logits.npy carry the step of the map after a fused average or global pool
//    (the capture had the pre-pool step), so that they dequantise to the float reference;
//  - report.json says where every graph node runs, cell use per crossbar and SRAM per core;
//  - a coefficient out of its NMPU format names the layer, the core and the arch key to change;
//  - mobilenet_cifar10 runs on hermes at every t from 1 s to 1 y (the scale format covers drift
//  compensation);
//  - --repeats: same seed, same bits; repeat r has its own seed; mean and spread per inference time.
// Library tests use the numerics-only executor (bit-identical to the chip); the CLI tests run the chip.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/base/Error.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"
#include "aimc/sim/Execution.h"
#include "aimc/sim/OutputScores.h"
#include "aimc/sim/PlacementReport.h"
#include "aimc/sim/Workload.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

namespace fs = std::filesystem;
const std::string kOnnx = std::string(AIMCSIM_TEST_DATA) + "/onnx/";

ArchConfig arch_of(const char* file, std::initializer_list<const char*> sets = {}) {
  ConfigSource overrides;
  for (const char* s : sets) overrides.apply_override(s, "test");
  return load_arch(file, overrides);
}

RunConfig timing_off(std::vector<double> times, int64_t seed = 3, int64_t repeats = 1,
                     const std::string& activations = "false") {
  RunConfig run;
  run.timing = TimingMode::kOff;
  run.t_inference_s = std::move(times);
  run.seed = seed;
  run.repeats = repeats;
  run.output.activations = activations;
  run.source_file = "RightNumbersTest";
  return run;
}

// ||step * codes - reference|| / ||reference||.
double relative_error(const std::vector<int8_t>& codes, double step, const std::vector<float>& reference) {
  EXPECT_EQ(codes.size(), reference.size());
  double err2 = 0, ref2 = 0;
  for (size_t i = 0; i < std::min(codes.size(), reference.size()); ++i) {
    const double d = codes[i] * step - reference[i];
    err2 += d * d;
    ref2 += static_cast<double>(reference[i]) * reference[i];
  }
  return std::sqrt(err2 / std::max(ref2, 1e-30));
}

Graph with_final_softmax(Graph g) {
  GraphNode softmax;
  softmax.name = "softmax";
  softmax.op = OpKind::kSoftmax;
  softmax.inputs = {g.outputs[0]};
  softmax.output = "probabilities";
  softmax.axis = 1;
  g.nodes.push_back(softmax);
  g.outputs = {"probabilities"};
  g.inferShapes();
  g.validate();
  return g;
}

// The graph up to `tensor`, which becomes its output (the nodes after it dropped).
Graph truncated_at(Graph g, const std::string& tensor) {
  const int last = g.producer(tensor);
  g.nodes.resize(static_cast<size_t>(last) + 1);
  g.outputs = {tensor};
  g.inferShapes();
  g.validate();
  return g;
}

const NpyArray& digits_x() {
  static const NpyArray x = Npy::read("traces/digits_test_x.npy");
  return x;
}

TEST(RightNumbers, FinalSoftmaxIsAHostStepAndTheLogitErrorComparesLogits) {
  const ArchConfig arch = arch_of("arch/hermes.yaml");
  const Graph plain = OnnxImporter::load("models/digits_mlp.onnx");
  const Workload logits = prepare_workload(arch, plain, digits_x(), 40, 40);
  const Workload soft = prepare_workload(arch, with_final_softmax(plain), digits_x(), 40, 40);
  ASSERT_EQ(soft.mapping.host_steps.size(), 1u);
  EXPECT_EQ(soft.mapping.host_steps[0].node, "softmax");
  EXPECT_EQ(soft.mapping.host_steps[0].op, "Softmax");
  EXPECT_EQ(soft.mapping.output_tensor, plain.outputs[0]);
  // Compared like with like: the float logits, not the probabilities (which the network outputs).
  EXPECT_EQ(soft.float_logits.data, logits.float_logits.data);
  ReferenceTensor first = ReferenceTensor::fromNpy(digits_x());
  first.shape[0] = 40;
  first.data.resize(40 * 64);
  const ReferenceTensor probabilities = ReferenceExecutor(soft.graph).run(first).output(0);
  EXPECT_NE(probabilities.data, soft.float_logits.data);
  const auto host = std::find_if(soft.mapping.node_placements.begin(), soft.mapping.node_placements.end(),
                                 [](const NodePlacement& n) { return n.node == "softmax"; });
  ASSERT_NE(host, soft.mapping.node_placements.end());
  EXPECT_EQ(host->where, "host");

  const RunConfig run = timing_off({3600.0});
  const Execution a = execute_workload(run, arch, logits), b = execute_workload(run, arch, soft);
  EXPECT_EQ(a.runs[0].outputs, b.runs[0].outputs);  // the Softmax changes nothing on the chip
  const OutputScores sa = score_outputs(logits, a.runs[0].outputs),
                     sb = score_outputs(soft, b.runs[0].outputs);
  EXPECT_EQ(sb.logit_relative_error, sa.logit_relative_error);
  EXPECT_EQ(sb.agreement_with_float, sa.agreement_with_float);
  EXPECT_LT(sb.logit_relative_error, 0.25);  // INT8 logits of a noisy chip at 1 h; it was 35.4 before
}

TEST(RightNumbers, ActivationStepAfterAnAveragePoolDequantisesToTheFloatMap) {
  // Conv -> AveragePool: the capture is the pooled map and must carry the pooled map's step.
  const ArchConfig arch = arch_of("arch/ideal.yaml");
  const NpyArray x = Npy::read(kOnnx + "map_avgpool_x.npy");
  const Graph g = OnnxImporter::load(kOnnx + "map_avgpool.onnx");
  const Workload w = prepare_workload(arch, g, x, 0, x.shape[0]);
  const MappedLayer& conv = w.mapping.layers.at(0);
  EXPECT_NE(conv.map_step, conv.out_step);  // the average has its own calibrated step
  const Execution e = execute_workload(timing_off({1.0}, 3, 1, "all"), arch, w);
  ASSERT_EQ(e.capture->layers().size(), 1u);
  EXPECT_EQ(e.capture->layers()[0].step, conv.map_step);
  const double pooled = relative_error(e.activations[0], e.capture->layers()[0].step, w.float_logits.data);
  const double pre_pool = relative_error(e.activations[0], conv.out_step, w.float_logits.data);
  // Tolerance: INT8 rounding of the conv output and of the average on the ideal chip, a few %.
  EXPECT_LT(pooled, 0.05);
  EXPECT_GT(pre_pool, 2 * pooled);
}

TEST(RightNumbers, OutputStepOfAConvEndingInAGlobalPoolDequantisesTheLogits) {
  // Conv -> ReLU -> GlobalAveragePool as the network's end.
  const ArchConfig arch = arch_of("arch/ideal.yaml");
  const NpyArray x = Npy::read(kOnnx + "map_gap_gemm_x.npy");
  const Graph g = truncated_at(OnnxImporter::load(kOnnx + "map_gap_gemm.onnx"), "gap");
  const Workload w = prepare_workload(arch, g, x, 0, x.shape[0]);
  EXPECT_NE(w.mapping.output_step, w.mapping.layers.back().out_step);
  EXPECT_EQ(w.mapping.output_step, w.mapping.layers.back().map_step);
  const Execution e = execute_workload(timing_off({1.0}), arch, w);
  EXPECT_LT(relative_error(e.runs[0].outputs, w.mapping.output_step, w.float_logits.data), 0.05);
}

TEST(RightNumbers, EveryNodeHasItsPlaceAndEveryCoreItsCellsAndSram) {
  const ArchConfig arch = arch_of("arch/hermes.yaml");
  const Graph g = OnnxImporter::load("models/digits_cnn.onnx");
  const NpyArray x = Npy::read("traces/digits_test_x_nchw.npy");
  const Workload w = prepare_workload(arch, g, x, 4, 4);
  const std::vector<NodePlacement>& placed = w.mapping.node_placements;
  std::set<std::string> names;
  for (const NodePlacement& n : placed) names.insert(n.node);
  for (const GraphNode& n : w.graph.nodes) {
    EXPECT_TRUE(names.count(n.name)) << n.name;
    for (const std::string& f : n.folded) EXPECT_TRUE(names.count(f)) << f;
  }
  auto where = [&](const std::string& node) {
    for (const NodePlacement& n : placed)
      if (n.node == node) return n.where;
    return std::string("missing");
  };
  // Every mapped layer's own node on its crossbars, its fused nodes on the digital units.
  for (const MappedLayer& l : w.mapping.layers) {
    ASSERT_FALSE(l.nodes.empty());
    EXPECT_EQ(where(l.nodes[0]), l.depthwise || l.affine ? "digital unit" : "crossbar") << l.name;
    for (size_t k = 1; k < l.nodes.size(); ++k) EXPECT_EQ(where(l.nodes[k]), "digital unit") << l.nodes[k];
  }
  for (const GraphNode& n : w.graph.nodes) {
    if (n.op == OpKind::kFlatten) EXPECT_EQ(where(n.name), "layout");
    for (const std::string& f : n.folded) EXPECT_EQ(where(f), "folded");
  }
  // Cells: every crossbar weight on one core; SRAM: the fullest core is the memory plan's.
  int64_t weights = 0, most_sram = 0;
  for (const CoreUse& c : core_use(w.mapping, arch)) {
    weights += c.weights;
    EXPECT_DOUBLE_EQ(c.cell_use,
                     static_cast<double>(c.weights) / (arch.core.tile.rows * arch.core.tile.cols));
    most_sram = std::max(most_sram, c.sram_bytes);
  }
  EXPECT_EQ(weights, w.graph.weightCount());
  EXPECT_EQ(most_sram, w.mapping.sram_need_bytes);
  const nlohmann::json report = placement_report(w.mapping, arch);
  EXPECT_EQ(report["nodes"].size(), placed.size());
  EXPECT_EQ(report["cores"].size(), static_cast<size_t>(w.mapping.cores_used));
}

TEST(RightNumbers, ACoefficientOutOfFormatNamesLayerCoreAndArchKey) {
  // A scale format too narrow for the digits MLP's scales (|scale| < 0.5).
  const ArchConfig arch = arch_of("arch/hermes.yaml", {"core.digital_unit.format.scale=Q1.16"});
  const Workload w = prepare_workload(arch, OnnxImporter::load("models/digits_mlp.onnx"), digits_x(), 8, 8);
  try {
    execute_workload(timing_off({3600.0}), arch, w);
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(e.key(), "core.digital_unit.format.scale");
    EXPECT_EQ(e.file(), arch.source_file);
    const std::string why = e.reason();
    EXPECT_NE(why.find("layer '/fc1/Gemm'"), std::string::npos) << why;
    EXPECT_NE(why.find("on core " + std::to_string(w.mapping.pieces[0].core)), std::string::npos) << why;
    EXPECT_NE(why.find("Q1.16"), std::string::npos) << why;
    EXPECT_NE(why.find("--set core.digital_unit.format.scale=Q"), std::string::npos) << why;
  }
}

TEST(RightNumbers, MobilenetRunsOnHermesAtEveryTimeFromASecondToAYear) {
  // The README's command (hermes, default formats), at t = 1 s, 1 h, 1 d and 1 y: drift compensation raises
  // the scale to 16.2 at 1 y, beyond the old Q4.16.
  const ArchConfig arch = arch_of("arch/hermes.yaml");
  const NpyArray x = Npy::read("traces/cifar10_random_x.npy");
  const Workload w = prepare_workload(arch, OnnxImporter::load("models/mobilenet_cifar10.onnx"), x, 2, 64);
  const Execution e = execute_workload(timing_off({1.0, 3600.0, 86400.0, 365.25 * 86400.0}), arch, w);
  ASSERT_EQ(e.runs.size(), 4u);
  for (const ChipRun& r : e.runs) {
    const OutputScores s = score_outputs(w, r.outputs);
    EXPECT_TRUE(std::isfinite(s.logit_relative_error));
    EXPECT_LT(s.logit_relative_error, 1.0);  // INT8 logits of a noisy, drifted chip: not noise
  }
}

TEST(RightNumbers, RepeatsHaveTheirOwnSeedsAndTheSameSeedGivesTheSameBits) {
  EXPECT_EQ(repeat_seed(42, 0), 42u);
  EXPECT_EQ(repeat_seed(42, 1), repeat_seed(42, 1));
  EXPECT_NE(repeat_seed(42, 1), repeat_seed(42, 2));
  EXPECT_NE(repeat_seed(42, 1), repeat_seed(43, 1));
  EXPECT_LT(repeat_seed(42, 1), uint64_t{1} << 52);  // a seed --seed accepts

  const ArchConfig arch = arch_of("arch/hermes.yaml");
  const Workload w = prepare_workload(arch, OnnxImporter::load("models/digits_mlp.onnx"), digits_x(), 30, 30);
  const std::vector<double> times = {1.0, 365.25 * 86400.0};
  const Execution once = execute_workload(timing_off(times, 5, 1), arch, w);
  const Execution a = execute_workload(timing_off(times, 5, 3), arch, w);
  const Execution b = execute_workload(timing_off(times, 5, 3), arch, w);
  ASSERT_EQ(a.repeat_outputs.size(), 3u);
  EXPECT_EQ(a.repeat_outputs, b.repeat_outputs);
  EXPECT_EQ(a.repeat_seeds, (std::vector<uint64_t>{5, repeat_seed(5, 1), repeat_seed(5, 2)}));
  for (size_t t = 0; t < times.size(); ++t) EXPECT_EQ(a.repeat_outputs[0][t], once.runs[t].outputs);
  EXPECT_NE(a.repeat_outputs[1][1], a.repeat_outputs[0][1]);  // another programming, other noise
  // Repeat r is the run seeded with its seed.
  const Execution alone =
      execute_workload(timing_off(times, static_cast<int64_t>(a.repeat_seeds[2])), arch, w);
  EXPECT_EQ(alone.runs[1].outputs, a.repeat_outputs[2][1]);
}

TEST(RightNumbers, SpreadIsMeanPopulationStdMinAndMax) {
  const std::vector<double> v = {0.9, 0.8, 0.95, 0.85};
  const ScoreSpread s = spread_of(v);
  const double mean = (0.9 + 0.8 + 0.95 + 0.85) / 4;
  double var = 0;
  for (double x : v) var += (x - mean) * (x - mean) / 4;
  EXPECT_DOUBLE_EQ(s.mean, mean);
  EXPECT_DOUBLE_EQ(s.std, std::sqrt(var));
  EXPECT_EQ(s.min, 0.8);
  EXPECT_EQ(s.max, 0.95);
}

// --- the CLI and report.json (timed chip) ---

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

fs::path out_dir(const std::string& tag) {
  fs::path dir = fs::temp_directory_path() / ("aimcsim_rn_" + std::to_string(::getpid()) + "_" + tag);
  fs::remove_all(dir);
  return dir;
}

TEST(RightNumbersCli, ReportGivesTheLogitsStepThatDequantisesThemToTheFloatReference) {
  // Conv -> AveragePool as the network's end, on the timed chip.
  const fs::path dir = out_dir("avgpool");
  int status = 0;
  const std::string out = aimc_test::run_cli(
      "run --arch arch/ideal.yaml --model " + kOnnx + "map_avgpool.onnx --inputs " + kOnnx +
          "map_avgpool_x.npy --t-inference 1s --set output.plot=false --out " + dir.string(),
      &status);
  ASSERT_EQ(status, 0) << out;
  const nlohmann::json r = nlohmann::json::parse(slurp(dir / "report.json"));
  const nlohmann::json& logits = r["outputs"]["logits"];
  EXPECT_EQ(logits["layout"], "NCHW");
  const NpyArray codes = Npy::read((dir / "logits.npy").string());
  const Graph g = OnnxImporter::load(kOnnx + "map_avgpool.onnx");
  const ReferenceTensor ref =
      ReferenceExecutor(g).run(ReferenceTensor::fromNpy(Npy::read(kOnnx + "map_avgpool_x.npy"))).output(0);
  std::vector<int64_t> sample_shape(ref.shape.begin() + 1, ref.shape.end());
  EXPECT_EQ(logits["sample_shape"].get<std::vector<int64_t>>(), sample_shape);
  std::vector<int8_t> c;
  for (int32_t v : codes.toInt32Vector()) c.push_back(static_cast<int8_t>(v));
  EXPECT_LT(relative_error(c, logits["step"].get<double>(), ref.data), 0.05);
  // The per-layer entry names the pooled map's step, and the placement its nodes.
  EXPECT_EQ(r["mapping"]["layers"][0]["map_step"], logits["step"]);
  EXPECT_EQ(r["mapping"]["placement"]["nodes"][1]["where"], "digital unit");
  fs::remove_all(dir);
}

TEST(RightNumbersCli, RepeatsAreReportedAsMeanAndSpreadPerTime) {
  const fs::path dir = out_dir("repeats");
  int status = 0;
  const std::string out = aimc_test::run_cli(
      "run --arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs traces/digits_test_x.npy --labels "
      "traces/digits_test_y.npy --batch 30 --t-inference 1s,1y --repeats 3 --out " +
          dir.string(),
      &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("over 3 repeats"), std::string::npos) << out;
  const nlohmann::json r = nlohmann::json::parse(slurp(dir / "report.json"));
  EXPECT_EQ(r["outputs"]["repeat_seeds"].size(), 3u);
  for (const auto& t : r["outputs"]["per_time"]) {
    ASSERT_TRUE(t.contains("repeats")) << t.dump();
    EXPECT_EQ(t["repeats"]["count"], 3);
    for (const char* k : {"accuracy", "logit_relative_error", "agreement_with_float"}) {
      const auto& s = t["repeats"][k];
      EXPECT_LE(s["min"].get<double>(), s["mean"].get<double>()) << k;
      EXPECT_LE(s["mean"].get<double>(), s["max"].get<double>()) << k;
      EXPECT_GE(s["std"].get<double>(), 0.0) << k;
    }
    // Repeat 0 is the run itself: its score lies within the spread.
    EXPECT_LE(t["repeats"]["logit_relative_error"]["min"].get<double>(),
              t["logit_relative_error"].get<double>());
    EXPECT_GE(t["repeats"]["logit_relative_error"]["max"].get<double>(),
              t["logit_relative_error"].get<double>());
  }
  fs::remove_all(dir);
}

TEST(RightNumbersCli, TheReadmeMobilenetCommandRunsAtTheDefaultTime) {
  const fs::path dir = out_dir("mobilenet");
  int status = 0;
  const std::string out = aimc_test::run_cli_all(
      "run --arch arch/hermes.yaml --model models/mobilenet_cifar10.onnx --inputs "
      "traces/cifar10_random_x.npy "
      "--batch 1 --out " +
          dir.string(),
      &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("logit error"), std::string::npos) << out;
  fs::remove_all(dir);
}

TEST(RightNumbersCli, ACoefficientOutOfFormatOnTheChipIsAUserErrorNamingTheArchKey) {
  int status = 0;
  const std::string out = aimc_test::run_cli_all(
      "run --arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs traces/digits_test_x.npy --batch "
      "2 "
      "--set core.digital_unit.format.scale=Q1.16 --out " +
          out_dir("coeff").string(),
      &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("core.digital_unit.format.scale"), std::string::npos) << out;
  EXPECT_NE(out.find("layer '/fc1/Gemm'"), std::string::npos) << out;
}

}  // namespace
}  // namespace aimc
