// An Add of two maps that no Conv/Gemm can take (both inputs pooled, concatenated, or read by other nodes
// too; models/pytorch/export_graph_ops.py: add_pooled_branches, add_of_concats, add_shared_inputs) runs on a
// digital unit alone: the identity affine of the first map with the second as its side input (kAffine with a
// side tag). Checked on the chip: the values against the two INT8 maps it adds, numerics-only against timed,
// the C++ digital unit against the RTL and the RISC-V controllers, and the unit's time against its closed
// form. The networks' agreement with torch is in tests/unit/frontend/TorchIdiomsTest.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"
#include "aimc/base/Npy.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/isa/DigitalUnitImplFactory.h"
#include "aimc/numerics/NmpuModel.h"

namespace aimc {
namespace {

const std::string kModels = "models/pytorch/";

nlohmann::json run(const std::string& model, const std::string& arch, const std::string& out,
                   const std::string& extra = "") {
  int status = -1;
  const std::string log =
      aimc_test::run_cli_all("run --arch " + arch + " --model " + kModels + model + ".onnx --inputs " +
                                 kModels + model + "_x.npy --out " + out + " " + extra,
                             &status);
  EXPECT_EQ(status, 0) << model << ": " << log;
  std::ifstream f(out + "/report.json");
  return nlohmann::json::parse(f);
}

std::string bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

const nlohmann::json& layer_named(const nlohmann::json& report, const std::string& name) {
  for (const auto& l : report["mapping"]["layers"])
    if (l["name"] == name) return l;
  throw std::runtime_error("no layer " + name);
}

// Every output code is the sum of the two input maps in output steps, after the fused ReLU: within one code
// of max(0, a a_step + b b_step) / out_step (the rounding of the sum, and of the NMPU's Q-format scale
// registers).
TEST(AddOfMaps, TheDigitalUnitAddsTheTwoPooledMapsInOutputSteps) {
  const std::string dir = testing::TempDir() + "/add_of_maps_values";
  const nlohmann::json r = run("add_pooled_branches", "arch/hermes.yaml", dir, "--activations all --batch 8");
  const nlohmann::json& add = layer_named(r, "/Add");
  EXPECT_TRUE(add.value("affine", false));
  EXPECT_NE(add["fused"].get<std::string>().find("element-wise Add of two maps"), std::string::npos);
  const double sa = layer_named(r, "/a/Conv")["map_step"], sb = layer_named(r, "/b/Conv")["map_step"];
  const double so = add["map_step"];
  const std::vector<float> a = Npy::read(dir + "/activations/a_Conv.npy").toFloatVector();
  const std::vector<float> b = Npy::read(dir + "/activations/b_Conv.npy").toFloatVector();
  const std::vector<float> out = Npy::read(dir + "/activations/Add.npy").toFloatVector();
  ASSERT_EQ(a.size(), out.size());
  ASSERT_EQ(b.size(), out.size());
  ASSERT_EQ(out.size(), 8u * 4 * 4 * 4);
  int exact = 0, positive = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const double expected = std::min(127.0, std::max(0.0, (a[i] * sa + b[i] * sb) / so));
    EXPECT_LE(std::fabs(out[i] - expected), 1.0) << "value " << i << ": " << a[i] << " + " << b[i];
    exact += std::lround(expected) == std::lround(out[i]) ? 1 : 0;
    positive += out[i] > 0 ? 1 : 0;
  }
  EXPECT_GE(exact, static_cast<int>(out.size() * 9 / 10));  // rounding differs only near half a code
  EXPECT_GT(positive, static_cast<int>(out.size() / 4));    // the test sees real sums, not ReLU zeros
}

TEST(AddOfMaps, NumericsOnlyIsBitIdenticalToTheChip) {
  for (const char* model : {"add_pooled_branches", "add_shared_inputs"}) {
    const std::string dir = testing::TempDir() + "/add_of_maps_timing_" + model;
    run(model, "arch/hermes.yaml", dir + "_on", "--activations all --batch 16");
    run(model, "arch/hermes.yaml", dir + "_off", "--activations all --batch 16 --timing off");
    EXPECT_EQ(bytes(dir + "_on/logits.npy"), bytes(dir + "_off/logits.npy")) << model;
    const std::string a = bytes(dir + "_on/activations/Add.npy");
    EXPECT_FALSE(a.empty()) << model;
    EXPECT_EQ(a, bytes(dir + "_off/activations/Add.npy")) << model;
  }
}

TEST(AddOfMaps, RtlDigitalUnitAndRiscvControllersGiveTheSameBits) {
  const std::string dir = testing::TempDir() + "/add_of_maps_impl";
  run("add_pooled_branches", "arch/hermes.yaml", dir + "_cpp", "--batch 16");
  run("add_pooled_branches", "arch/hermes.yaml", dir + "_rv", "--batch 16 --set core.controller.kind=riscv");
  run("add_pooled_branches", "arch/hermes.yaml", dir + "_rtl", "--batch 16 --set core.digital_unit.impl=rtl");
  EXPECT_EQ(bytes(dir + "_cpp/logits.npy"), bytes(dir + "_rv/logits.npy"));
  EXPECT_EQ(bytes(dir + "_cpp/logits.npy"), bytes(dir + "_rtl/logits.npy"));
}

// The Add's core: per sample the unit streams every value through its pipeline and reads both maps and writes
// the sum (DigitalUnit::affine_cycles with a side input: 3 bytes of SRAM traffic per value).
TEST(AddOfMaps, DigitalUnitTimeIsTheClosedForm) {
  const nlohmann::json r =
      run("add_pooled_branches", "arch/hermes.yaml", testing::TempDir() + "/add_of_maps_closed_form");
  const ArchConfig arch = load_arch("arch/hermes.yaml");
  const nlohmann::json& add = layer_named(r, "/Add");
  const uint64_t values = 16 * 4;  // 4x4 pixels of 4 channels
  const uint64_t width = static_cast<uint64_t>(arch.core.sram.width_bits);
  const uint64_t cycles = NmpuModel(nmpu_params(arch)).latency_cycles(values) +
                          (8 * 3 * values + width - 1) / width +
                          static_cast<uint64_t>(arch.core.sram.latency_cycles);
  const std::string core = "core" + std::to_string(add["cores"][0].get<int>());
  const auto& unit = r["stats"]["chip"][core]["digital_unit"]["stats"];
  const double samples = r["outputs"]["samples"].get<double>();
  EXPECT_EQ(unit["values"]["value"].get<double>(), samples * static_cast<double>(values));
  EXPECT_DOUBLE_EQ(unit["busy_time"]["value"].get<double>(),
                   samples * static_cast<double>(cycles) * arch.du_period_ns());
}

}  // namespace
}  // namespace aimc
