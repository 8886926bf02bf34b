// The RRAM study of issue 22 in small, through the real CLI: two points of configs/sweeps/rram_stuck.yaml
// (5 % stuck devices without and with offsetting) with the sweep's own `plot:`, and binary / ternary weights
// on arch/rram.yaml with networks trained for them (models/train_digits_levels.py) against the float-trained
// CNN binarised after training.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "aimc/sweep/ResultStore.h"

#include "../CliRunner.h"

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("aimc_rramstudy_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// The shipped sweep's base, axes and plot at 5 % stuck devices (2.5 % at LRS, 2.5 % at HRS), 150 images.
fs::path write_stuck_sweep(const fs::path& dir) {
  const fs::path p = dir / "stuck.yaml";
  std::ofstream(p) << "name: stuck2\nbase: " << fs::absolute("configs/digits_cnn_rram.yaml").string()
                   << "\nset:\n  workload.batch: 150\n  timing: \"off\"\ncombine: zip\naxes:\n"
                      "  device.stuck_at_set: [0.025, 0.025]\n  device.stuck_at_reset: [0.025, 0.025]\n"
                      "  device.stuck_compensation: [none, offset]\n"
                      "metrics:\n  accuracy: outputs.per_time.0.accuracy\n"
                      "plot:\n  x: device.stuck_at_set+device.stuck_at_reset\n  y: accuracy\n"
                      "  group: device.stuck_compensation\n";
  return p;
}

TEST(RramStudy, OffsettingRecoversAccuracyLostToStuckDevicesAndTheSweepPlotsIt) {
  const fs::path d = fresh_dir("stuck");
  const std::string db = (d / "stuck.db").string();
  int rc = 0;
  const std::string out = aimc_test::run_cli_all(
      "sweep " + write_stuck_sweep(d).string() + " --jobs 2 --progress lines --db " + db, &rc);
  ASSERT_EQ(rc, 0) << out;
  const aimc::ResultStore store(db);
  double none = -1, offset = -1;
  for (const auto& row : store.rows(false)) {
    ASSERT_EQ(row.status, "ok") << row.error;
    const bool is_offset = row.params.dump().find("offset") != std::string::npos;
    (is_offset ? offset : none) = row.metrics["accuracy"].get<double>();
  }
  // The full sweep (configs/sweeps/rram_stuck.yaml, 450 images): 42.9 % without compensation, 96.9 % with
  // offsetting; float 98.4 %.
  EXPECT_LT(none, 0.7);
  EXPECT_GT(offset, 0.85);
  EXPECT_GT(offset - none, 0.2);
  EXPECT_GT(slurp(d / "stuck.png").size(), 1000u) << out;
  EXPECT_NE(slurp(d / "stuck.csv").find("device.stuck_compensation"), std::string::npos);
  fs::remove_all(d);
}

double rram_accuracy(const std::string& model, const std::string& levels, const fs::path& out) {
  int rc = 0;
  const std::string text = aimc_test::run_cli_all(
      "run configs/digits_cnn_rram.yaml --timing off --set output.plot=false --set workload.model=" + model +
          " --set core.crossbar.weight_levels=" + levels + " --out " + out.string(),
      &rc);
  EXPECT_EQ(rc, 0) << text;
  const auto report = nlohmann::json::parse(slurp(out / "report.json"));
  return report["outputs"]["per_time"][0]["accuracy"].get<double>();
}

// models/digits_levels_metrics.json: binary 96.9 %, ternary 96.4 % in float; the float-trained CNN binarised
// after training falls to 12.2 % (ternary 76.4 %), which the chip reproduces: no bug, a network not trained
// for its levels.
TEST(RramStudy, BinaryAndTernaryNetworksTrainedForTheirLevelsKeepTheirAccuracy) {
  const fs::path d = fresh_dir("levels");
  EXPECT_GT(rram_accuracy("models/digits_cnn_binary.onnx", "binary", d / "b"), 0.92);
  EXPECT_GT(rram_accuracy("models/digits_cnn_ternary.onnx", "ternary", d / "t"), 0.92);
  EXPECT_LT(rram_accuracy("models/digits_cnn.onnx", "binary", d / "f"), 0.3);
  fs::remove_all(d);
}

}  // namespace
