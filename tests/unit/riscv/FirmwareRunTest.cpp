// aimcsim run under the RISC-V controllers (core.controller.kind=riscv): the firmware executes the same
// command tables, so the outputs are bit-identical to the command-table run; every controller reports its
// instructions (by class), cycles and stall time; a slower controller clock keeps the instruction stream and
// its own cycles and makes the run slower.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include "aimc_test_paths.h"

namespace {

std::string run_quickstart(const std::string& name, const std::string& sets) {
  std::string out = std::string(::testing::TempDir()) + "aimcsim_riscv_" + name;
  const std::string cmd = std::string(AIMCSIM_CLI) + " run configs/quickstart.yaml --batch 20 --out " + out +
                          " " + sets + " > " + out + ".log 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return out;
}

std::string bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

nlohmann::json report(const std::string& dir) {
  return nlohmann::json::parse(bytes(dir + "/report.json"));
}

double stat(const nlohmann::json& r, const std::string& core, const std::string& name) {
  return r["stats"]["chip"][core]["controller"]["stats"][name]["value"].get<double>();
}

TEST(FirmwareRun, SameOutputsAsTheCommandTableAndControllerStats) {
  const std::string table = run_quickstart("table", "");
  const std::string fw = run_quickstart("fw", "--set core.controller.kind=riscv");
  const std::string logits = bytes(table + "/logits.npy");
  ASSERT_FALSE(logits.empty());
  EXPECT_EQ(logits, bytes(fw + "/logits.npy"));
  const nlohmann::json r = report(fw);
  const double instructions = stat(r, "core0", "instructions");
  EXPECT_GT(instructions, 0);
  double by_class = 0;
  for (const char* c : {"alu", "mul", "div", "load", "store", "branch", "jump", "csr", "system"})
    by_class += stat(r, "core0", std::string("instructions_") + c);
  EXPECT_EQ(by_class, instructions);
  EXPECT_GT(stat(r, "core0", "cycles"), instructions);  // stalls on the blocks' GO writes
  EXPECT_GT(stat(r, "core0", "stall_time"), 0);
  // The same commands reach the blocks.
  EXPECT_EQ(stat(r, "core0", "commands"), stat(report(table), "core0", "commands"));
  // Firmware control costs time: the run is slower than under the sequencer.
  EXPECT_GT(r["latency"]["first_sample_ns"].get<double>(),
            report(table)["latency"]["first_sample_ns"].get<double>());
}

TEST(FirmwareRun, SlowerControllerClockSlowsTheRun) {
  const nlohmann::json fast = report(run_quickstart("400", "--set core.controller.kind=riscv"));
  const nlohmann::json slow =
      report(run_quickstart("200", "--set core.controller.kind=riscv --set core.controller.clock=200MHz"));
  // The instruction stream and the hart's own cycles (without the waits for blocks) do not depend on the
  // clock; the time they take doubles.
  double own_cycles = 0;
  for (const auto& [core, node] : fast["stats"]["chip"].items()) {
    if (!node.contains("controller") || !node["controller"]["stats"].contains("instructions")) continue;
    EXPECT_EQ(stat(fast, core, "instructions"), stat(slow, core, "instructions")) << core;
    const double own_fast = stat(fast, core, "cycles") - stat(fast, core, "stall_time") / 2.5 -
                            stat(fast, core, "sleep_time") / 2.5;
    const double own_slow = stat(slow, core, "cycles") - stat(slow, core, "stall_time") / 5.0 -
                            stat(slow, core, "sleep_time") / 5.0;
    EXPECT_NEAR(own_fast, own_slow, 1e-6) << core;
    own_cycles = std::max(own_cycles, own_fast);
  }
  ASSERT_GT(own_cycles, 0);
  const double makespan_fast = fast["latency"]["batch_makespan_ns"].get<double>();
  const double makespan_slow = slow["latency"]["batch_makespan_ns"].get<double>();
  // Every controller's own cycles now take 5 ns each, so the batch lasts at least the busiest one's.
  EXPECT_GT(makespan_slow, makespan_fast);
  EXPECT_GE(makespan_slow, own_cycles * 5.0);
}

}  // namespace
