// Conv networks on the cycle-level chip (aimcsim run) against the float reference: with the ideal-device
// preset (arch/ideal.yaml) every mapped operator equals the float result within the INT8 quantisation of the
// activations; small crossbars (--set) force multi-piece chains, several output slices, the residual pass
// and Gemm inputs split inside a pixel. Each run is a CLI process (one SystemC kernel each).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/base/Npy.h"
#include "aimc/compiler/OnnxImporter.h"
#include "aimc/compiler/ReferenceExecutor.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

namespace fs = std::filesystem;
const std::string kData = AIMCSIM_TEST_DATA;

struct RunResult {
  nlohmann::json report;
  std::vector<float> logits;  // first inference time, [samples, features] as codes
};

RunResult run(const std::string& args, const std::string& tag) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("aimcsim_conv_" + std::to_string(::getpid()) + tag);
  fs::remove_all(dir);
  int status = 0;
  const std::string out = aimc_test::run_cli("run " + args + " --out " + dir.string(), &status);
  EXPECT_EQ(status, 0) << args << "\n" << out;
  RunResult r;
  std::ifstream f(dir / "report.json");
  if (!f.good()) return r;
  r.report = nlohmann::json::parse(f);
  r.logits = Npy::read((dir / "logits.npy").string()).toFloatVector();
  fs::remove_all(dir);
  return r;
}

// Runs case `name` on the ideal chip with `sets` and compares every output value with the float reference,
// in steps of the output's INT8 step (the calibration covers all 8 inputs: max |y| / 127). The bounds are a
// few steps: the rounding of the layer's INT8 input, of its output, and of every INT8 partial sum of a chain
// (as on the published chip); a mapping error (a wrong patch, channel or permutation) is tens of steps.
void expect_matches_reference(const std::string& name, const std::string& sets, double max_steps,
                              double rms_steps) {
  const std::string model = kData + "/onnx/" + name + ".onnx", inputs = kData + "/onnx/" + name + "_x.npy";
  const RunResult r = run("--arch arch/ideal.yaml --model " + model + " --inputs " + inputs +
                              " --t-inference 1s --seed 3 " + sets,
                          name);
  ASSERT_FALSE(r.logits.empty());
  const Graph g = OnnxImporter::load(model);
  const ReferenceTensor y = ReferenceExecutor(g).run(ReferenceTensor::fromNpy(Npy::read(inputs))).output(0);
  ASSERT_EQ(r.logits.size(), y.data.size());
  double absmax = 0;
  for (float v : y.data) absmax = std::max(absmax, static_cast<double>(std::fabs(v)));
  const double step = absmax / 127;
  double worst = 0, sum2 = 0;
  for (size_t i = 0; i < y.data.size(); ++i) {
    const double e = std::fabs(r.logits[i] * step - y.data[i]) / step;
    worst = std::max(worst, e);
    sum2 += e * e;
  }
  const double rms = std::sqrt(sum2 / static_cast<double>(y.data.size()));
  EXPECT_LE(worst, max_steps) << name << " " << sets;
  EXPECT_LE(rms, rms_steps) << name << " " << sets;
  std::printf("%s %s: max error %.2f steps, rms %.2f steps\n", name.c_str(), sets.c_str(), worst, rms);
}

const char* const kSmall32 =
    "--set core.crossbar.rows=32 --set core.crossbar.cols=32 --set core.adc.count=32";
const char* const kSmall64 =
    "--set core.crossbar.rows=64 --set core.crossbar.cols=64 --set core.adc.count=64";

TEST(ConvChip, ConvWithStride2Padding2Dilation2) {
  expect_matches_reference("map_conv_s2_pad_dil", "", 2.5, 0.7);
}

TEST(ConvChip, ConvsLargerThanTheCrossbarInBothDimensions) {
  // conv_b is a chain of 22 pieces: 21 INT8 partial sums, each rounded (alone rms sqrt(21 / 12) = 1.3 steps).
  expect_matches_reference("map_conv_big", kSmall64, 6.5, 2.0);
}

TEST(ConvChip, ResidualAddBeforeTheRelu) {
  expect_matches_reference("map_res_before", "", 2.5, 0.7);
  expect_matches_reference("map_res_before", kSmall32, 4.0, 0.9);  // the skip enters a chain of 3
}

TEST(ConvChip, ResidualAddAfterTheRelu) {
  expect_matches_reference("map_res_after", "", 2.5, 0.7);
  expect_matches_reference("map_res_after", kSmall32, 3.5, 0.8);  // the residual pass
}

TEST(ConvChip, MaxPoolAndAveragePool) {
  expect_matches_reference("map_maxpool", "", 2.5, 0.7);
  expect_matches_reference("map_avgpool", "", 2.5, 0.7);
}

TEST(ConvChip, GlobalAveragePoolFlattenGemm) {
  expect_matches_reference("map_gap_gemm", kSmall32, 3.0, 1.0);
}

TEST(ConvChip, FlattenToGemmReadsTheHwcMap) {
  expect_matches_reference("map_flatten_gemm", "", 2.5, 0.8);
  // Gemm columns split inside a pixel: a chain of INT8 partial sums; max error over seeds 1-8 measured 2.4 to
  // 3.4 steps (the random streams of issue 20), so the bound is 3.5 as for the other chains.
  expect_matches_reference("map_flatten_gemm", kSmall32, 3.5, 1.2);
}

// Clip(0, m): a ReLU whose INT8 range ends at m (the reference's max is m, so its steps are the chip's).
TEST(ConvChip, ClipIsAReluSaturatingAtItsMaximum) {
  expect_matches_reference("map_clip", "", 2.5, 0.7);
}

// conv_b's three output slices read the same bytes of conv_a's map: one multicast packet.
TEST(ConvChip, OneMapToSeveralOutputSlicesIsMulticast) {
  expect_matches_reference("map_multicast", "--set core.crossbar.rows=16 --set core.adc.count=16", 3.0, 0.7);
}

// Depthwise convs on the digital units: besides the INT8 input and output roundings, the per-channel INT8
// weights (half a weight step per tap) and the accumulator's shift into the counter range (DepthwiseKernel:
// half a count of 2^shift, well under an output step here).
TEST(ConvChip, DepthwiseStride1Padding1) {
  expect_matches_reference("map_dw_s1", "", 2.5, 0.7);
}

TEST(ConvChip, DepthwiseStride2Padding1) {
  expect_matches_reference("map_dw_s2", "", 2.5, 0.7);
}

// Conv + ReLU, depthwise + ReLU, pointwise + ReLU; with 16-row crossbars the depthwise layer is two pieces.
// Three INT8 maps rounded in turn, each rounding carried through the later layers' weights (measured: max
// 2.8 steps, rms 0.6 in both mappings).
TEST(ConvChip, DepthwisePointwiseBlock) {
  expect_matches_reference("map_dw_block", "", 3.5, 0.8);
  expect_matches_reference("map_dw_block", "--set core.crossbar.rows=16 --set core.adc.count=16", 3.5, 0.8);
}

// The controller kind changes the timing, never the numbers.
TEST(ConvChip, DigitsCnnRunsOnRiscvAndClusterControllersWithTheSameOutputs) {
  const std::string base =
      "--arch arch/hermes.yaml --model models/digits_cnn.onnx --inputs traces/digits_test_x_nchw.npy "
      "--t-inference 1s --batch 4";
  const RunResult table = run(base, "table");
  const RunResult riscv = run(base + " --set core.controller.kind=riscv", "riscv");
  // One controller per cluster of 4 cores: merged tables with loops of several cores.
  const RunResult cluster =
      run(base + " --set core.controller.kind=riscv --set core.controller.cores_per_controller=4", "cluster");
  ASSERT_FALSE(table.logits.empty());
  EXPECT_EQ(table.logits, riscv.logits);
  EXPECT_EQ(table.logits, cluster.logits);
  EXPECT_GT(riscv.report["stats"].dump().find("instructions"), 0u);
}

TEST(ConvChip, DigitsCnnOnHermesIsNearItsFloatAccuracy) {
  const RunResult r =
      run("--arch arch/hermes.yaml --model models/digits_cnn.onnx --inputs traces/digits_test_x_nchw.npy "
          "--labels traces/digits_test_y.npy --t-inference 1s --seed 1",
          "digits");
  ASSERT_TRUE(r.report.contains("outputs"));
  const double acc = r.report["outputs"]["per_time"][0]["accuracy"].get<double>();
  const double ref = r.report["outputs"]["float_accuracy"].get<double>();
  EXPECT_GT(acc, ref - 0.02) << "chip " << acc << " float " << ref;
}

}  // namespace
}  // namespace aimc
