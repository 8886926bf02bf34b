// `--timing off` on Conv networks: pixel loops, im2col patch gathers, per-pixel partial sums, strided map
// transfers, the fused residual Add (side input and residual pass) and pooling give the same logits.npy bytes
// as the cycle-level chip. Small crossbars (--set) force multi-piece chains and several output slices.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "../CliRunner.h"
#include "aimc_test_paths.h"

namespace {

namespace fs = std::filesystem;
const std::string kData = AIMCSIM_TEST_DATA;
const char* const kSmall32 =
    " --set core.crossbar.rows=32 --set core.crossbar.cols=32 --set core.adc.count=32";
const char* const kSmall64 =
    " --set core.crossbar.rows=64 --set core.crossbar.cols=64 --set core.adc.count=64";

std::string logits(const std::string& args, const std::string& tag) {
  const fs::path dir = fs::temp_directory_path() / ("aimcsim_offconv_" + std::to_string(::getpid()) + tag);
  fs::remove_all(dir);
  int status = 0;
  const std::string out = aimc_test::run_cli("run " + args + " --out " + dir.string(), &status);
  EXPECT_EQ(status, 0) << args << "\n" << out;
  std::ifstream f(dir / "logits.npy", std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
  fs::remove_all(dir);
  return bytes;
}

void expect_same_on_and_off(const std::string& args) {
  const std::string on = logits(args, "on"), off = logits(args + " --timing off", "off");
  ASSERT_GT(on.size(), 128u) << args;
  EXPECT_EQ(on, off) << args;
}

std::string onnx_case(const std::string& name, const std::string& arch = "arch/hermes.yaml") {
  return "--arch " + arch + " --model " + kData + "/onnx/" + name + ".onnx --inputs " + kData + "/onnx/" +
         name + "_x.npy --t-inference 1s,1d --set output.plot=false --seed 5";
}

TEST(TimingOffConv, MultiPieceChainsAndStridedConvs) {
  expect_same_on_and_off(onnx_case("map_conv_big") + kSmall64);
  expect_same_on_and_off(onnx_case("map_conv_s2_pad_dil"));
}

TEST(TimingOffConv, ResidualAddsBeforeAndAfterTheRelu) {
  expect_same_on_and_off(onnx_case("map_res_before") + kSmall32);
  expect_same_on_and_off(onnx_case("map_res_after") + kSmall32);  // the residual pass
}

TEST(TimingOffConv, PoolingAndFlatten) {
  expect_same_on_and_off(onnx_case("map_maxpool"));
  expect_same_on_and_off(onnx_case("map_avgpool"));
  expect_same_on_and_off(onnx_case("map_gap_gemm") + kSmall32);
  expect_same_on_and_off(onnx_case("map_flatten_gemm") + kSmall32);
}

TEST(TimingOffConv, MulticastToSeveralOutputSlices) {
  expect_same_on_and_off(onnx_case("map_multicast") + " --set core.crossbar.rows=16 --set core.adc.count=16");
}

TEST(TimingOffConv, DigitsCnnWithRiscvControllers) {
  expect_same_on_and_off(
      "--arch arch/hermes.yaml --model models/digits_cnn.onnx --inputs traces/digits_test_x_nchw.npy "
      "--batch 6 --t-inference 1h,1y --set output.plot=false --set core.controller.kind=riscv");
  expect_same_on_and_off(
      "--arch arch/hermes.yaml --model models/digits_cnn.onnx --inputs traces/digits_test_x_nchw.npy "
      "--batch 6 --t-inference 1h --set output.plot=false --set core.controller.cores_per_controller=4");
}

}  // namespace
