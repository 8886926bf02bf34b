// Accuracy of the shipped digits MLP with each digital unit, through rtl/synth/compare_digital_units.py (the
// same script rtl/README.md's table comes from, so the script is exercised too). 100 test images, seed 1,
// t = 1 h: the float reference classifies 96 of them right; both units must stay within 2 images of that
// (floor 94 %) and agree with the float reference on at least 97 %. The FP16 LDPU computes other INT8 logits
// than the NMPU (different arithmetic), but never more than 2 LSB away; the Verilated NMPU, when the CLI has
// it, gives byte-identical logits (the script fails otherwise).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <nlohmann/json.hpp>
#include "aimc_test_paths.h"

namespace {

TEST(DigitalUnitAccuracy, NmpuAndFp16LdpuReachTheFloorOnTheDigitsMlp) {
  namespace fs = std::filesystem;
  const fs::path out = fs::temp_directory_path() / ("aimc_du_accuracy_" + std::to_string(::getpid()));
  const std::string cmd = std::string("/usr/bin/python3 rtl/synth/compare_digital_units.py --aimcsim ") +
                          AIMCSIM_CLI + " --batch 100 --min-accuracy 0.94 --out " + out.string() +
                          " >/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream f(out / "summary.json");
  ASSERT_TRUE(f.good()) << cmd;
  const nlohmann::json s = nlohmann::json::parse(f);
  EXPECT_TRUE(s["failures"].empty()) << s["failures"].dump();

  bool saw_nmpu = false, saw_ldpu = false;
  for (const auto& row : s["rows"]) {
    const std::string unit = row["unit"];
    EXPECT_EQ(row["samples"].get<int>(), 100) << unit;
    EXPECT_GE(row["accuracy"].get<double>(), 0.94) << unit;
    EXPECT_GE(row["agreement_with_float"].get<double>(), 0.97) << unit;
    if (unit == "nmpu/cpp") saw_nmpu = true;
    if (unit == "ldpu_fp16/cpp") {
      saw_ldpu = true;
      EXPECT_GT(row["logits_differing_from_nmpu_cpp"].get<int>(), 0);
      EXPECT_LE(row["max_logit_difference_lsb"].get<int>(), 2);
    }
    if (unit == "nmpu/rtl") EXPECT_TRUE(row["logits_identical_to_nmpu_cpp"].get<bool>());
  }
  EXPECT_TRUE(saw_nmpu);
  EXPECT_TRUE(saw_ldpu);
  fs::remove_all(out);
}

}  // namespace
