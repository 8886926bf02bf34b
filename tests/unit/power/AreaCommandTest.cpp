// `aimcsim area` (issue 8, item 3) and the run report's energy section, through the CLI as a user runs them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include "aimc/base/Units.h"

#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"

namespace {

using aimc_test::run_cli;

TEST(AreaCommand, JsonCarriesTheBreakdownAndBothReadModes) {
  int status = 0;
  const auto j = nlohmann::json::parse(run_cli("area arch/hermes.yaml --json", &status));
  ASSERT_EQ(status, 0);
  double sum = 0;
  for (const auto& r : j["area"]["breakdown"]) {
    EXPECT_FALSE(r["model"].get<std::string>().empty()) << r["component"];
    sum += r["area_mm2"].get<double>();
  }
  EXPECT_NEAR(sum, j["area"]["total_mm2"].get<double>(), 1e-9);
  EXPECT_NEAR(j["area"]["mvm_per_core_mm2"].get<double>(), 0.635, 0.635 * 0.05);
  EXPECT_DOUBLE_EQ(j["peak"]["one_phase"]["mvm_latency_ns"].get<double>(), 133.0);
  EXPECT_DOUBLE_EQ(j["peak"]["four_phase"]["mvm_latency_ns"].get<double>(), 520.0);
  EXPECT_NEAR(j["peak"]["one_phase"]["tops"].get<double>(), 63.1, 63.1 * 0.05);
  EXPECT_NEAR(j["peak"]["four_phase"]["tops_per_w"].get<double>(), 2.48, 2.48 * 0.05);
  EXPECT_EQ(j["peak"]["configured"]["read_mode"], "one_phase");
  for (const auto& e : j["peak"]["one_phase"]["energy_breakdown"])
    EXPECT_FALSE(e["model"].get<std::string>().empty());
}

TEST(AreaCommand, SetOverridesReachTheFigures) {
  int status = 0;
  const auto j = nlohmann::json::parse(
      run_cli("area arch/hermes_core.yaml --json --set core.dac.read_mode=four_phase --set core.adc.kind=sar",
              &status));
  ASSERT_EQ(status, 0);
  EXPECT_EQ(j["peak"]["configured"]["read_mode"], "four_phase");
  EXPECT_EQ(j["tile"]["adc_kind"], "sar");
  // 4 x (128 + 1) + (9 + 1) SAR cycles at 1 GHz (numerics/MvmTiming).
  EXPECT_DOUBLE_EQ(j["tile"]["mvm_latency_ns"].get<double>(), 4 * 129 + 10);
  EXPECT_NE(j["tile"]["adc_energy_model"].get<std::string>().find("NeuroSim"), std::string::npos);
}

TEST(AreaCommand, TextNamesEveryRowsModel) {
  int status = 0;
  const std::string out = run_cli("area arch/hermes.yaml", &status);
  ASSERT_EQ(status, 0);
  for (const char* s : {"crossbar arrays", "ADCs", "PWM drivers", "digital units", "SRAM", "routers", "links",
                        "controllers", "one_phase", "four_phase", "area.cell", "CCO"})
    EXPECT_NE(out.find(s), std::string::npos) << s;
}

TEST(AreaCommand, BadInputIsAUserError) {
  int status = 0;
  run_cli("area arch/no_such_arch.yaml", &status);
  EXPECT_EQ(status, 2);
  run_cli("area arch/hermes.yaml --set power.peak_input_duty=2", &status);
  EXPECT_EQ(status, 2);
  run_cli("area arch/hermes.yaml --set area.no_such_key=1", &status);
  EXPECT_EQ(status, 2);
  run_cli("area arch/hermes.yaml --set power.sar_model=flash", &status);
  EXPECT_EQ(status, 2);
}

// The run report: per-layer energies are the layers' cores' components, so with the network (counted
// chip-wide) they add up to the whole; programming is a separate figure; every row has its average power.
TEST(RunEnergy, LayersPlusNetworkAddUpAndProgrammingIsSeparate) {
  const std::string dir = ::testing::TempDir() + "aimcsim_power_run";
  int status = 0;
  run_cli("run configs/quickstart.yaml --batch 10 --out " + dir, &status);
  ASSERT_EQ(status, 0);
  const auto r = nlohmann::json::parse(std::ifstream(dir + "/report.json"));
  const auto& e = r["energy"];
  double network = 0;
  for (const auto& row : e["breakdown"]) {
    EXPECT_TRUE(row.contains("average_power_w"));
    if (row["component"] == "network")
      network = row["dynamic_j"].get<double>() + row["leakage_j"].get<double>();
  }
  const double inferences = 10;
  double layers = 0;
  for (const auto& l : r["mapping"]["layers"]) {
    layers += l["energy_per_inference_j"].get<double>();
    double parts = 0;
    for (const auto& c : l["energy"]["breakdown"]) parts += c["per_inference_j"].get<double>();
    EXPECT_NEAR(parts, l["energy_per_inference_j"].get<double>(), 1e-9 * parts);
    EXPECT_GT(l["energy"]["average_power_w"].get<double>(), 0.0);
  }
  EXPECT_NEAR(layers + network / inferences, e["per_inference_j"].get<double>(),
              1e-9 * e["per_inference_j"].get<double>());
  EXPECT_GT(e["programming"]["energy_j"].get<double>(), 0.0);
  EXPECT_GT(e["programming"]["write_pulses"].get<double>(), 0.0);
  EXPECT_GT(e["tops"].get<double>(), 0.0);
  EXPECT_GT(e["tops_per_mm2"].get<double>(), 0.0);
}

}  // namespace
