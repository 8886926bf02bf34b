// Packed crossbars end to end (mapping.packing, compiler/Placement.h): the chip and the numerics-only
// executor stay bit-identical, a packed network follows its unpacked self and the float reference, and the
// packed pieces serialise on their one crossbar.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/base/Npy.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

const std::string kRoot = AIMCSIM_SOURCE_ROOT;

nlohmann::json run(const std::string& model, const std::string& inputs, const std::string& arch,
                   const std::string& out, const std::string& extra) {
  int status = -1;
  aimc_test::run_cli("run --arch " + kRoot + "/" + arch + " --model " + kRoot + "/" + model + " --inputs " +
                         kRoot + "/" + inputs + " --out " + out + " " + extra,
                     &status);
  EXPECT_EQ(status, 0) << model << " " << extra;
  std::ifstream f(out + "/report.json");
  return nlohmann::json::parse(f);
}

std::string bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::vector<int> logits(const std::string& dir) {
  const NpyArray a = Npy::read(dir + "/logits.npy");
  const std::vector<float> v = a.toFloatVector();
  return {v.begin(), v.end()};
}

double logit_error(const nlohmann::json& r) {
  return r["outputs"]["per_time"][0]["logit_relative_error"].get<double>();
}

const char* kCnn = "models/digits_cnn.onnx";
const char* kCnnInputs = "traces/digits_test_x_nchw.npy";
// HERMES with per-output-line weight scaling: under per-tile scaling the classifier packed next to a conv
// with 10x larger weights gets 10x fewer counts per unit, and its digital-unit scale leaves the NMPU's Q4.16
// range (a UserError naming nmpu.scale; the formats are issue 15 item 5).
const std::string kPerColumn = " --set core.crossbar.weight_scaling=per_column";

// digits_cnn packed: conv0, one 72 x 8 conv and the classifier share core 0's crossbar.
TEST(PackingRun, ChipAndExecutorAreBitIdenticalOnAPackedNetwork) {
  const std::string dir = testing::TempDir() + "/packing_cnn";
  const std::string opts = "--batch 6 --activations all --set mapping.packing=on" + kPerColumn;
  const nlohmann::json on = run(kCnn, kCnnInputs, "arch/hermes.yaml", dir + "_on", opts);
  run(kCnn, kCnnInputs, "arch/hermes.yaml", dir + "_off", opts + " --timing off");
  EXPECT_EQ(bytes(dir + "_on/logits.npy"), bytes(dir + "_off/logits.npy"));
  for (const char* layer : {"conv0_Conv", "conv1_Conv", "conv2_Conv", "fc_Gemm"}) {
    const std::string a = bytes(dir + "_on/activations/" + layer + ".npy");
    EXPECT_FALSE(a.empty()) << layer;
    EXPECT_EQ(a, bytes(dir + "_off/activations/" + layer + ".npy")) << layer;
  }
  const nlohmann::json& m = on["mapping"];
  EXPECT_LT(m["crossbars_used"].get<int>(), static_cast<int>(m["pieces"].get<size_t>()));
  int packed = 0;
  for (const auto& c : m["crossbars"]) {
    packed += c["pieces"].get<int>() > 1 ? 1 : 0;
    EXPECT_DOUBLE_EQ(c["utilisation"].get<double>(), c["cells"].get<double>() / (256.0 * 256.0));
  }
  EXPECT_GE(packed, 1);
}

// On the ideal arch the packed and unpacked INT8 logits are not bit-identical: the crossbar's weight scale
// (per tile) and its exact current grid (CrossbarArray::quantise_to_exact_grid, one step per array) now span
// several pieces. Per-column scaling leaves the grid: the logits differ by at most 2 INT8 steps and the
// classes agree.
TEST(PackingRun, PackedLogitsFollowTheUnpackedOnesOnAnIdealArch) {
  const std::string dir = testing::TempDir() + "/packing_ideal";
  const std::string opts = "--batch 20 --timing off --set core.crossbar.weight_scaling=per_column";
  run(kCnn, kCnnInputs, "arch/ideal.yaml", dir + "_packed", opts + " --set mapping.packing=on");
  const nlohmann::json unpacked =
      run(kCnn, kCnnInputs, "arch/ideal.yaml", dir + "_unpacked", opts + " --set mapping.packing=off");
  EXPECT_EQ(unpacked["mapping"].count("crossbars"), 0u);
  const std::vector<int> a = logits(dir + "_packed"), b = logits(dir + "_unpacked");
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), 200u);
  int top1_same = 0;
  for (size_t s = 0; s < 20; ++s) {
    size_t ia = 0, ib = 0;
    for (size_t k = 0; k < 10; ++k) {
      EXPECT_LE(std::abs(a[s * 10 + k] - b[s * 10 + k]), 2) << "sample " << s << " class " << k;
      if (a[s * 10 + k] > a[s * 10 + ia]) ia = k;
      if (b[s * 10 + k] > b[s * 10 + ib]) ib = k;
    }
    top1_same += ia == ib ? 1 : 0;
  }
  EXPECT_GE(top1_same, 19);
}

// Stacked pieces (their input lines shared, Placement.h): digits_mlp's layers need 64 + 128 + 64 = 256 input
// lines, so on 192-column crossbars the classifier shares fc1's input lines below the others' output lines.
// An MVM of one piece drives the shared lines with its own input; the other pieces' lines carry current but
// no digital pass reads them. The chip and the executor stay bit-identical, and the logits follow the
// unpacked ones within 2 INT8 steps on the ideal arch.
TEST(PackingRun, StackedPiecesSharingInputLinesComputeTheirOwnLayers) {
  const std::string dir = testing::TempDir() + "/packing_stacked";
  const std::string opts =
      "--batch 20 --set core.crossbar.cols=192 --set core.crossbar.weight_scaling=per_column";
  const char* mlp = "models/digits_mlp.onnx";
  const char* inputs = "traces/digits_test_x.npy";
  const nlohmann::json packed =
      run(mlp, inputs, "arch/ideal.yaml", dir + "_on", opts + " --set mapping.packing=on");
  run(mlp, inputs, "arch/ideal.yaml", dir + "_on_off", opts + " --set mapping.packing=on --timing off");
  run(mlp, inputs, "arch/ideal.yaml", dir + "_unpacked", opts + " --set mapping.packing=off --timing off");
  EXPECT_EQ(bytes(dir + "_on/logits.npy"), bytes(dir + "_on_off/logits.npy"));
  ASSERT_EQ(packed["mapping"]["crossbars"].size(), 1u);
  EXPECT_EQ(packed["mapping"]["crossbars"][0]["pieces"].get<int>(), 3);
  const std::vector<int> a = logits(dir + "_on"), b = logits(dir + "_unpacked");
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) EXPECT_LE(std::abs(a[k] - b[k]), 2) << "logit " << k;
}

// One crossbar does one MVM at a time: the packed core's tile runs every MVM of its pieces (pixels of each
// piece per sample), so the batch takes at least its integration time, and the packed chip streams fewer
// samples per second than the unpacked one, whose pieces integrate in parallel on their own crossbars.
TEST(PackingRun, PackedPiecesSerialiseOnTheirCrossbar) {
  const std::string dir = testing::TempDir() + "/packing_timing";
  const std::string opts = "--batch 8" + kPerColumn;
  const nlohmann::json packed =
      run(kCnn, kCnnInputs, "arch/hermes.yaml", dir + "_on", opts + " --set mapping.packing=on");
  const nlohmann::json unpacked =
      run(kCnn, kCnnInputs, "arch/hermes.yaml", dir + "_off", opts + " --set mapping.packing=off");
  const double samples = packed["latency"]["samples"].get<double>();
  ASSERT_EQ(samples, 8.0);
  // The pixels (MVMs per sample) of the pieces on the fullest crossbar.
  const nlohmann::json& m = packed["mapping"];
  int core = -1, most = 0;
  for (const auto& c : m["crossbars"])
    if (c["pieces"].get<int>() > most) {
      most = c["pieces"].get<int>();
      core = c["core"].get<int>();
    }
  ASSERT_GT(most, 1);
  double pixels = 0;
  for (const auto& l : m["layers"])
    for (const auto& c : l["cores"])
      if (c.get<int>() == core) pixels += l.value("pixels", 1.0);
  const auto& tile = packed["stats"]["chip"]["core" + std::to_string(core)]["tile"]["stats"];
  EXPECT_EQ(tile["mvms"]["value"].get<double>(), samples * pixels);
  EXPECT_GE(packed["latency"]["batch_makespan_ns"].get<double>(), tile["busy_time"]["value"].get<double>());
  EXPECT_LT(packed["latency"]["throughput_samples_per_s"].get<double>(),
            unpacked["latency"]["throughput_samples_per_s"].get<double>());
}

// ResNet-9 packed (a few small pieces share) on the ideal arch follows the float reference as closely as
// the unpacked mapping does: both within 5 % of the float logits, the same classes.
TEST(PackingRun, ResNet9PackedRunsAndAgreesWithUnpacked) {
  const std::string dir = testing::TempDir() + "/packing_resnet9";
  const std::string model = "models/resnet9_cifar10.onnx", inputs = "traces/cifar10_random_x.npy";
  const std::string opts = "--batch 4 --timing off";
  const nlohmann::json packed =
      run(model, inputs, "arch/ideal.yaml", dir + "_on", opts + " --set mapping.packing=on");
  const nlohmann::json unpacked =
      run(model, inputs, "arch/ideal.yaml", dir + "_off", opts + " --set mapping.packing=off");
  EXPECT_LT(packed["mapping"]["crossbars_used"].get<int>(), unpacked["mapping"]["cores_used"].get<int>());
  EXPECT_LT(logit_error(packed), 0.05);
  EXPECT_LT(logit_error(unpacked), 0.05);
  const std::vector<int> a = logits(dir + "_on"), b = logits(dir + "_off");
  ASSERT_EQ(a.size(), b.size());
  for (size_t s = 0; s < a.size() / 10; ++s) {
    size_t ia = 0, ib = 0;
    for (size_t k = 0; k < 10; ++k) {
      if (a[s * 10 + k] > a[s * 10 + ia]) ia = k;
      if (b[s * 10 + k] > b[s * 10 + ib]) ib = k;
    }
    EXPECT_EQ(ia, ib) << "sample " << s;
  }
}

// The default (auto) keeps a network that fits one piece per core bit for bit.
TEST(PackingRun, AutoKeepsANetworkThatFitsUnchanged) {
  const std::string dir = testing::TempDir() + "/packing_auto";
  const std::string opts = "--batch 4 --timing off";
  run(kCnn, kCnnInputs, "arch/hermes.yaml", dir + "_auto", opts);
  run(kCnn, kCnnInputs, "arch/hermes.yaml", dir + "_off", opts + " --set mapping.packing=off");
  EXPECT_EQ(bytes(dir + "_auto/logits.npy"), bytes(dir + "_off/logits.npy"));
  EXPECT_EQ(bytes(dir + "_auto/report.json").size() > 0, true);
}

// On a chip too small for one piece per core, auto packs; when even packing cannot fit (digits_cnn's 34
// output lines on one 32-row crossbar), the error says how many crossbars the network needs and how many
// cores the chip has.
TEST(PackingRun, AutoPacksOnASmallChipAndTheErrorCountsCores) {
  const std::string dir = testing::TempDir() + "/packing_small";
  const std::string small = " --set chip.cores=2 --set noc.mesh_rows=1 --set noc.mesh_cols=2" + kPerColumn;
  const nlohmann::json r = run(kCnn, kCnnInputs, "arch/hermes.yaml", dir, "--batch 2 --timing off" + small);
  EXPECT_EQ(r["mapping"]["cores_used"].get<int>(), 2);
  int status = -1;
  const std::string out =
      aimc_test::run_cli_all("run --arch " + kRoot + "/arch/hermes.yaml --model " + kRoot + "/" + kCnn +
                                 " --inputs " + kRoot + "/" + kCnnInputs + " --out " + dir +
                                 "_one --batch 2 --timing off --set chip.cores=1 --set noc.mesh_rows=1 "
                                 "--set noc.mesh_cols=1 --set core.crossbar.rows=32 --set core.adc.count=32",
                             &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("needs 2 crossbars of 32x256 but the chip has 1 cores"), std::string::npos) << out;
}

}  // namespace
}  // namespace aimc
