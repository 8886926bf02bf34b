// Depthwise convolutions on the digital units (compiler/DepthwiseKernel, hw/DigitalUnit kDepthwise): the
// integer kernel by hand, the timing closed form against the chip's busy time, bit-identical outputs between
// the timed chip (both controller engines) and the numerics-only executor, and the MobileNet-style model end
// to end on the HERMES-like chip. The float-reference comparisons are in ConvChipTest (map_dw_*).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/base/Npy.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/isa/DigitalUnitImplFactory.h"
#include "aimc/numerics/DepthwiseKernel.h"
#include "aimc/numerics/NmpuModel.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

namespace fs = std::filesystem;
const std::string kData = AIMCSIM_TEST_DATA;

struct CliRun {
  int status = -1;
  std::string out;
  nlohmann::json report;
  std::vector<float> logits;
};

CliRun run(const std::string& args, const std::string& tag) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("aimcsim_dw_" + std::to_string(::getpid()) + tag);
  fs::remove_all(dir);
  CliRun r;
  r.out = aimc_test::run_cli("run " + args + " --out " + dir.string(), &r.status);
  std::ifstream f(dir / "report.json");
  if (f.good()) {
    r.report = nlohmann::json::parse(f);
    r.logits = Npy::read((dir / "logits.npy").string()).toFloatVector();
  }
  fs::remove_all(dir);
  return r;
}

TEST(DepthwiseKernel, ShiftRoundsHalfToEven) {
  EXPECT_EQ(DepthwiseKernel::shift_round_half_even(5, 0), 5);
  EXPECT_EQ(DepthwiseKernel::shift_round_half_even(6, 2), 2);    // 1.5 -> 2
  EXPECT_EQ(DepthwiseKernel::shift_round_half_even(10, 2), 2);   // 2.5 -> 2
  EXPECT_EQ(DepthwiseKernel::shift_round_half_even(11, 2), 3);   // 2.75 -> 3
  EXPECT_EQ(DepthwiseKernel::shift_round_half_even(-6, 2), -2);  // -1.5 -> -2
  EXPECT_EQ(DepthwiseKernel::shift_round_half_even(-10, 2), -2);
  EXPECT_EQ(DepthwiseKernel::shift_round_half_even(-9, 2), -2);  // -2.25 -> -2
  EXPECT_EQ(DepthwiseKernel::shift_round_half_even(-11, 2), -3);
}

// Two channels, 2x2 kernel over a 3x3 map without padding (as tests/data/onnx/make_depthwise.py).
TEST(DepthwiseKernel, QuantisesPerChannelAndAccumulatesExactly) {
  Eigen::MatrixXf w(2, 4);
  w << 1.0f, 0.0f, 0.0f, -1.0f,  // channel 0: step 1/127, codes 127, 0, 0, -127
      0.5f, 0.25f, 0.5f, 0.5f;   // channel 1: step 0.5/127, 0.25 -> 63.5 -> 64 (ties to even)
  ConvGeometry g;
  g.in_h = g.in_w = 3;
  g.kh = g.kw = 2;
  g.out_h = g.out_w = 2;
  g.channel_count = 2;
  g.col_count = 8;
  const DepthwiseKernel k = DepthwiseKernel::build(w, g, 12);
  EXPECT_EQ(k.weight, (std::vector<int8_t>{127, 0, 0, -127, 127, 64, 127, 127}));
  EXPECT_DOUBLE_EQ(k.weight_step[0], 1.0 / 127);
  // 128 * 254 = 32512 <= 4095 * 2^3 = 32760; 128 * 445 = 56960 <= 4095 * 2^4.
  EXPECT_EQ(k.shift, (std::vector<int>{3, 4}));
  int8_t slot[18];  // HWC: channel 0 = 1..9, channel 1 = 10..18
  for (int px = 0; px < 9; ++px) {
    slot[2 * px] = static_cast<int8_t>(1 + px);
    slot[2 * px + 1] = static_cast<int8_t>(10 + px);
  }
  std::vector<int32_t> codes(8);
  uint32_t pos[2], neg[2];
  EXPECT_EQ(k.run_pixel(3, slot, codes.data(), pos, neg), 8);  // pixel (1, 1) reads 4 taps x 2 channels
  // Channel 0: 127 * (5 - 9) = -508, / 8 = -63.5 -> -64 (even). Channel 1: 127*14 + 64*15 + 127*17 + 127*18
  // = 7183, / 16 = 448.94 -> 449.
  EXPECT_EQ(pos[0], 0u);
  EXPECT_EQ(neg[0], 64u);
  EXPECT_EQ(pos[1], 449u);
  EXPECT_EQ(neg[1], 0u);
}

// The digital unit's busy time of a depthwise layer is the closed form of DigitalUnit::depthwise_cycles:
// MACs over the lanes, the pipeline over every output value, the SRAM traffic.
TEST(DepthwiseChip, BusyTimeIsTheClosedForm) {
  const CliRun r = run("--arch arch/hermes.yaml --model " + kData + "/onnx/map_dw_s1.onnx --inputs " + kData +
                           "/onnx/map_dw_s1_x.npy --batch 1 --t-inference 1s",
                       "timing");
  ASSERT_EQ(r.status, 0) << r.out;
  const ArchConfig arch = load_arch("arch/hermes.yaml", ConfigSource());
  const auto& du = r.report["stats"]["chip"]["core0"]["digital_unit"]["stats"];
  // 8 channels, 3x3 taps, 6x6 pixels, padding 1: per dimension 2 + 3 + 3 + 3 + 3 + 2 = 16 valid taps.
  const uint64_t pixels = 36, channels = 8, taps = 9, read = 16 * 16 * channels;
  const uint64_t lanes = static_cast<uint64_t>(arch.core.digital_unit.lanes);
  const uint64_t width = static_cast<uint64_t>(arch.core.sram.width_bits);
  const uint64_t cycles = (pixels * channels * taps + lanes - 1) / lanes +
                          NmpuModel(nmpu_params(arch)).latency_cycles(pixels * channels) +
                          (8 * (read + pixels * channels) + width - 1) / width +
                          static_cast<uint64_t>(arch.core.sram.latency_cycles);
  const double period_ns = 1e3 / arch.core.digital_unit.active_clock_mhz();
  EXPECT_NEAR(du["busy_time"]["value"].get<double>(), static_cast<double>(cycles) * period_ns, 1e-6);
  EXPECT_EQ(du["depthwise_macs"]["value"].get<double>(), static_cast<double>(pixels * channels * taps));
  EXPECT_EQ(du["values"]["value"].get<double>(), static_cast<double>(pixels * channels));
  EXPECT_EQ(r.report["stats"]["chip"]["core0"]["tile"]["stats"]["mvms"]["value"].get<double>(), 0.0);
  // The energy report has a row for the MACs.
  bool row = false;
  for (const auto& e : r.report["energy"]["breakdown"])
    row = row || e["component"].get<std::string>() == "digital MACs (depthwise)";
  EXPECT_TRUE(row);
}

// Stem, depthwise (split over two 16-row pieces) and pointwise: the same bytes with timing on (command-table
// and RISC-V controllers) and off.
TEST(DepthwiseChip, TimingOnAndOffAreBitIdentical) {
  const std::string base =
      "--arch arch/hermes.yaml --model " + kData + "/onnx/map_dw_block.onnx --inputs " + kData +
      "/onnx/map_dw_block_x.npy --t-inference 1s,1d --seed 5 --set core.crossbar.rows=16 "
      "--set core.adc.count=16";
  const CliRun on = run(base, "on");
  const CliRun off = run(base + " --timing off", "off");
  const CliRun riscv = run(base + " --set core.controller.kind=riscv", "riscv");
  ASSERT_EQ(on.status, 0) << on.out;
  ASSERT_FALSE(on.logits.empty());
  EXPECT_EQ(on.logits, off.logits);
  EXPECT_EQ(on.logits, riscv.logits);
  const auto& layers = on.report["mapping"]["layers"];
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_TRUE(layers[1].value("depthwise", false));
  EXPECT_EQ(layers[1]["pieces"].get<int>(), 2);  // 20 channels over 16-row register sets
  EXPECT_EQ(on.report["mapping"]["crossbars_used"].get<int>() + 2,
            on.report["mapping"]["cores_used"].get<int>());
  EXPECT_NE(on.out.find("depthwise on the digital unit"), std::string::npos) << on.out;
}

// The MobileNet-style model (models/gen_mobilenet.py) runs end to end at batch 1: its 6 depthwise layers take
// a core each next to the 10 crossbar pieces.
TEST(DepthwiseChip, MobileNetRunsOnHermes) {
  const CliRun r = run("--arch arch/hermes.yaml --model models/mobilenet_cifar10.onnx --inputs " + kData +
                           "/onnx/mobilenet_x4.npy --batch 1 --t-inference 1s",
                       "mobilenet");
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.report["mapping"]["cores_used"].get<int>(), 16);
  EXPECT_EQ(r.report["mapping"]["crossbars_used"].get<int>(), 10);
  EXPECT_EQ(r.logits.size(), 10u);
  EXPECT_GT(r.report["latency"]["first_sample_ns"].get<double>(), 0.0);
  std::printf("MobileNet batch 1: first sample %.1f us simulated, host %.2f s\n",
              r.report["latency"]["first_sample_ns"].get<double>() * 1e-3,
              r.report["host"]["seconds"].get<double>());
}

}  // namespace
}  // namespace aimc
