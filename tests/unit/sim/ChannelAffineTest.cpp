// A BatchNormalization on its own (pre-activation networks, BatchNorm on the input), exported from torch.nn
// (tests/data/onnx/make_preact.py): it runs as a per-channel affine on the digital units (kAffine). Checked
// end to end: against the float reference, timed vs numerics-only, and its timing against the closed form.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/isa/DigitalUnitImplFactory.h"
#include "aimc/numerics/NmpuModel.h"
#include "aimc_test_paths.h"

namespace aimc {
namespace {

const std::string kData = AIMCSIM_TEST_DATA;

nlohmann::json run(const std::string& model, const std::string& arch, const std::string& out,
                   const std::string& extra = "") {
  int status = -1;
  aimc_test::run_cli("run --arch " + arch + " --model " + kData + "/onnx/" + model + ".onnx --inputs " +
                         kData + "/onnx/" + model + "_x.npy --out " + out + " " + extra,
                     &status);
  EXPECT_EQ(status, 0) << model;
  std::ifstream f(out + "/report.json");
  return nlohmann::json::parse(f);
}

std::string bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

double logit_error(const nlohmann::json& report) {
  return report["outputs"]["per_time"][0]["logit_relative_error"].get<double>();
}

// Without device noise the only error left is INT8 rounding of the maps: within 2 % of the float logits.
TEST(ChannelAffine, PreActivationNetworksFollowTheFloatReference) {
  for (const char* model : {"preact_cnn", "preact_mlp"}) {
    const nlohmann::json r = run(model, "arch/ideal.yaml", testing::TempDir() + "/affine_" + model);
    EXPECT_LT(logit_error(r), 0.02) << model;
    EXPECT_EQ(r["outputs"]["per_time"][0]["agreement_with_float"].get<double>(), 1.0) << model;
    int affine_layers = 0;
    for (const auto& l : r["mapping"]["layers"]) affine_layers += l.value("affine", false) ? 1 : 0;
    EXPECT_EQ(affine_layers, 2) << model;
    EXPECT_LT(r["mapping"]["crossbars_used"].get<int>(), r["mapping"]["cores_used"].get<int>()) << model;
  }
}

TEST(ChannelAffine, NumericsOnlyIsBitIdenticalToTheChip) {
  const std::string dir = testing::TempDir() + "/affine_timing";
  run("preact_cnn", "arch/hermes.yaml", dir + "_on", "--activations all");
  run("preact_cnn", "arch/hermes.yaml", dir + "_off", "--activations all --timing off");
  EXPECT_EQ(bytes(dir + "_on/logits.npy"), bytes(dir + "_off/logits.npy"));
  for (const char* layer : {"bn_in_BatchNormalization", "bn2_BatchNormalization"}) {
    const std::string a = bytes(dir + "_on/activations/" + layer + ".npy");
    EXPECT_FALSE(a.empty()) << layer;
    EXPECT_EQ(a, bytes(dir + "_off/activations/" + layer + ".npy")) << layer;
  }
}

// The affine core's digital unit is busy exactly affine_cycles per sample: the unit's pipeline over every
// value, plus the SRAM read and write (DigitalUnit.h).
TEST(ChannelAffine, DigitalUnitTimeIsTheClosedForm) {
  const nlohmann::json r = run("preact_cnn", "arch/hermes.yaml", testing::TempDir() + "/affine_closed_form");
  const ArchConfig arch = load_arch("arch/hermes.yaml");
  const uint64_t values = 64 * 8;  // bn2: 8x8 pixels of 8 channels, on core 2
  const uint64_t width = static_cast<uint64_t>(arch.core.sram.width_bits);
  const uint64_t cycles = NmpuModel(nmpu_params(arch)).latency_cycles(values) +
                          (8 * 2 * values + width - 1) / width +
                          static_cast<uint64_t>(arch.core.sram.latency_cycles);
  const auto& unit = r["stats"]["chip"]["core2"]["digital_unit"]["stats"];
  const double samples = r["outputs"]["samples"].get<double>();
  EXPECT_EQ(unit["values"]["value"].get<double>(), samples * static_cast<double>(values));
  EXPECT_DOUBLE_EQ(unit["busy_time"]["value"].get<double>(),
                   samples * static_cast<double>(cycles) * arch.du_period_ns());
}

TEST(ChannelAffine, RtlDigitalUnitAndRiscvControllersGiveTheSameBits) {
  const std::string dir = testing::TempDir() + "/affine_impl";
  run("preact_cnn", "arch/hermes.yaml", dir + "_cpp");
  run("preact_cnn", "arch/hermes.yaml", dir + "_rv", "--set core.controller.kind=riscv");
  run("preact_cnn", "arch/hermes.yaml", dir + "_rtl", "--set core.digital_unit.impl=rtl");
  EXPECT_EQ(bytes(dir + "_cpp/logits.npy"), bytes(dir + "_rv/logits.npy"));
  EXPECT_EQ(bytes(dir + "_cpp/logits.npy"), bytes(dir + "_rtl/logits.npy"));
}

}  // namespace
}  // namespace aimc
