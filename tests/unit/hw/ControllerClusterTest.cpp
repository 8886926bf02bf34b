// One controller per cluster of cores (core.controller.cores_per_controller = K): the quickstart MLP (three
// layers on cores 0, 1, 2) gives the same logits with K = 1, 2, 4, under the sequencer and the firmware;
// a cluster's controller runs the merged table of its cores (its commands are theirs, plus the one
// batch-end barrier), and since it issues them one after another the batch gets slower as K grows: the
// busiest controller's blocks and issue time, serialised, bound the batch from below.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include "aimc_test_paths.h"

namespace {

constexpr int kBatch = 20;

std::string bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string run_quickstart(const std::string& name, const std::string& sets) {
  std::string out = std::string(::testing::TempDir()) + "aimcsim_cluster_" + name;
  const std::string cmd = std::string(AIMCSIM_CLI) + " run configs/quickstart.yaml --batch " +
                          std::to_string(kBatch) + " --out " + out + " " + sets + " > " + out + ".log 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd << "\n" << bytes(out + ".log");
  return out;
}

nlohmann::json report(const std::string& dir) {
  return nlohmann::json::parse(bytes(dir + "/report.json"));
}

const nlohmann::json& chip(const nlohmann::json& r) {
  return r["stats"]["chip"];
}

double stat(const nlohmann::json& r, const std::string& core, const std::string& block,
            const std::string& name) {
  return chip(r)[core][block]["stats"][name]["value"].get<double>();
}

double makespan(const nlohmann::json& r) {
  return r["latency"]["batch_makespan_ns"].get<double>();
}

TEST(ControllerCluster, SameOutputsSlowerBatchAndMergedTables) {
  const std::string d1 = run_quickstart("k1", "");
  const std::string d2 = run_quickstart("k2", "--set core.controller.cores_per_controller=2");
  const std::string d4 = run_quickstart("k4", "--set core.controller.cores_per_controller=4");
  const std::string logits = bytes(d1 + "/logits.npy");
  ASSERT_FALSE(logits.empty());
  EXPECT_EQ(bytes(d2 + "/logits.npy"), logits);
  EXPECT_EQ(bytes(d4 + "/logits.npy"), logits);
  const nlohmann::json r1 = report(d1), r2 = report(d2), r4 = report(d4);

  // Per-controller figures: the controller sits in the first core of its cluster.
  EXPECT_TRUE(chip(r2)["core0"].contains("controller"));
  EXPECT_FALSE(chip(r2)["core1"].contains("controller"));
  EXPECT_TRUE(chip(r2)["core2"].contains("controller"));
  // Merged tables: every command of the cluster's cores, one batch-end barrier per controller.
  const double c0 = stat(r1, "core0", "controller", "commands"),
               c1 = stat(r1, "core1", "controller", "commands"),
               c2 = stat(r1, "core2", "controller", "commands");
  const double runs = chip(r1)["mailbox"]["stats"]["barriers"]["value"].get<double>();
  ASSERT_GE(runs, 1);  // one barrier per batch run
  EXPECT_EQ(stat(r2, "core0", "controller", "commands"), c0 + c1 - runs);
  EXPECT_EQ(stat(r2, "core2", "controller", "commands"), c2);
  EXPECT_EQ(stat(r4, "core0", "controller", "commands"), c0 + c1 + c2 - 2 * runs);
  EXPECT_EQ(chip(r4)["mailbox"]["stats"]["barriers"]["value"].get<double>(), runs);

  // Area: one controller per cluster.
  auto controllers_area = [](const nlohmann::json& r) {
    for (const auto& row : r["area"]["breakdown"])
      if (row["component"] == "controllers") return row["area_mm2"].get<double>();
    return 0.0;
  };
  EXPECT_GT(controllers_area(r1), 0);
  EXPECT_NEAR(controllers_area(r4) * 4, controllers_area(r1), 1e-12);

  // Slower in the expected way: more cores per controller, longer batch; with one controller for all three
  // cores, it issues every command and waits for every MVM and digital-unit run in turn, so the batch lasts
  // at least its issue time plus all those blocks' busy time.
  EXPECT_LT(makespan(r1), makespan(r2));
  EXPECT_LT(makespan(r2), makespan(r4));
  double serial_ns = stat(r4, "core0", "controller", "issue_time");
  for (const char* core : {"core0", "core1", "core2"})
    serial_ns += stat(r4, core, "tile", "busy_time") + stat(r4, core, "digital_unit", "busy_time");
  EXPECT_GE(makespan(r4) * runs, serial_ns);
}

TEST(ControllerCluster, FirmwareDrivesAClusterThroughItsCoreSlots) {
  const std::string table = run_quickstart("k2_table", "--set core.controller.cores_per_controller=2");
  const std::string fw = run_quickstart(
      "k2_fw", "--set core.controller.cores_per_controller=2 --set core.controller.kind=riscv");
  ASSERT_FALSE(bytes(table + "/logits.npy").empty());
  EXPECT_EQ(bytes(fw + "/logits.npy"), bytes(table + "/logits.npy"));
  const nlohmann::json t = report(table), f = report(fw);
  // The same commands reach the blocks of both slots, and both controllers met at the batch-end barrier.
  for (const char* core : {"core0", "core2"})
    EXPECT_EQ(stat(f, core, "controller", "commands"), stat(t, core, "controller", "commands")) << core;
  EXPECT_EQ(chip(f)["mailbox"]["stats"]["barriers"]["value"],
            chip(t)["mailbox"]["stats"]["barriers"]["value"]);
  EXPECT_GT(makespan(f), makespan(t));  // the firmware's instructions cost more than the sequencer's fetches
}

}  // namespace
