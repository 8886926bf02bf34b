// The CLI with wire resistance on (core.crossbar.wire.*): the quickstart MLP's logit error against the float
// reference grows with the resistance per cell, 0 ohm with the model on gives the ideal lines' outputs bit
// for bit, and the energy report gets a wires row (I^2 R) that grows with the resistance; the data energy
// model moves the crossbar row by the conductances actually programmed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include "aimc_test_paths.h"

namespace {

std::string bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string out_dir(const std::string& name) {
  return std::string(::testing::TempDir()) + "aimcsim_wire_" + name;
}

nlohmann::json run_quickstart(const std::string& name, const std::string& sets) {
  const std::string out = out_dir(name);
  const std::string cmd = std::string(AIMCSIM_CLI) + " run configs/quickstart.yaml --batch 20 --out " + out +
                          " " + sets + " > " + out + ".log 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd << "\n" << bytes(out + ".log");
  return nlohmann::json::parse(bytes(out + "/report.json"));
}

double logit_error(const nlohmann::json& r) {
  return r["outputs"]["per_time"][0]["logit_relative_error"].get<double>();
}

double row_j(const nlohmann::json& r, const std::string& component) {
  for (const auto& row : r["energy"]["breakdown"])
    if (row["component"] == component) return row["dynamic_j"].get<double>();
  return -1.0;  // no such row
}

std::string wire(double ohm) {
  const std::string r = std::to_string(ohm);
  return "--set core.crossbar.wire.enabled=true --set core.crossbar.wire.r_row_ohm_per_cell=" + r +
         " --set core.crossbar.wire.r_col_ohm_per_cell=" + r;
}

TEST(WireCli, LogitErrorAndWireEnergyGrowWithResistance) {
  const nlohmann::json off = run_quickstart("off", "");
  const nlohmann::json zero = run_quickstart("zero", wire(0.0));
  const nlohmann::json def = run_quickstart("default", "--set core.crossbar.wire.enabled=true");
  const nlohmann::json high = run_quickstart("high", wire(10.0));
  EXPECT_EQ(off["outputs"], zero["outputs"]);  // 0 ohm: the ideal lines, bit for bit
  EXPECT_EQ(row_j(off, "crossbar wires (IR drop)"), -1.0);
  EXPECT_EQ(row_j(zero, "crossbar wires (IR drop)"), 0.0);
  EXPECT_GT(logit_error(def), logit_error(off));
  EXPECT_GT(logit_error(high), logit_error(def));
  EXPECT_GT(row_j(def, "crossbar wires (IR drop)"), 0.0);
  EXPECT_GT(row_j(high, "crossbar wires (IR drop)"), row_j(def, "crossbar wires (IR drop)"));
}

TEST(WireCli, DataEnergyModelFollowsTheProgrammedConductances) {
  const nlohmann::json mean = run_quickstart("mean", "");
  const nlohmann::json data = run_quickstart("data", "--set power.array_energy_model=data");
  EXPECT_EQ(mean["outputs"], data["outputs"]);
  const double g_lsbs = data["stats"]["chip"]["core0"]["tile"]["stats"]["array_conductance_lsbs"]["value"];
  EXPECT_GT(g_lsbs, 0.0);
  EXPECT_NE(row_j(data, "crossbar array"), row_j(mean, "crossbar array"));
  // A day of drift lowers the programmed conductances and so the data model's crossbar energy.
  const nlohmann::json later =
      run_quickstart("later", "--set power.array_energy_model=data --set t_inference=1d");
  EXPECT_LT(row_j(later, "crossbar array"), row_j(data, "crossbar array"));
}

// One meaning per operation: the wires fold into the tile's effective conductances, so the numerics-only
// executor gives the chip's logits bit for bit.
TEST(WireCli, TimingOffGivesTheChipsLogitsWithWires) {
  run_quickstart("chip", wire(5.0));
  run_quickstart("executor", wire(5.0) + " --set timing=off");
  const std::string chip = bytes(out_dir("chip") + "/logits.npy");
  EXPECT_FALSE(chip.empty());
  EXPECT_EQ(chip, bytes(out_dir("executor") + "/logits.npy"));
}

}  // namespace
