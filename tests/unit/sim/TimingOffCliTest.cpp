// `aimcsim run --timing off` end to end: the same logits.npy bytes and accuracies as the timed run, latency
// and energy marked as not computed; the accuracy-over-time PNG of a multi-time run; a bad `timing` value.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "../CliRunner.h"

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("aimcsim_timing_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(d);
  return d;
}

const std::string kRun =
    "run --arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs traces/digits_test_x.npy "
    "--labels traces/digits_test_y.npy --batch 40 --seed 3 --t-inference 1h,1y";

TEST(TimingOff, SameLogitsBytesAndAccuracyAsTheTimedRun) {
  const fs::path on = fresh_dir("on"), off = fresh_dir("off");
  int rc = 0;
  aimc_test::run_cli(kRun + " --set output.plot=false --out " + on.string(), &rc);
  ASSERT_EQ(rc, 0);
  const std::string summary =
      aimc_test::run_cli(kRun + " --set output.plot=false --timing off --out " + off.string(), &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_NE(summary.find("not computed"), std::string::npos) << summary;
  const std::string a = slurp(on / "logits.npy"), b = slurp(off / "logits.npy");
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b) << "logits.npy differs between timing on and off";

  const auto ron = nlohmann::json::parse(slurp(on / "report.json"));
  const auto roff = nlohmann::json::parse(slurp(off / "report.json"));
  EXPECT_EQ(roff["timing"], "off");
  EXPECT_TRUE(roff["latency"].is_null());
  EXPECT_TRUE(roff["energy"].is_null());
  EXPECT_TRUE(roff["stats"].is_null());
  EXPECT_TRUE(roff["mapping"]["layers"][0]["first_sample_latency_ns"].is_null());
  EXPECT_FALSE(roff["area"].is_null());  // area needs no timing
  EXPECT_EQ(ron["area"].dump(), roff["area"].dump());
  EXPECT_FALSE(ron["latency"].is_null());
  ASSERT_EQ(ron["outputs"]["per_time"].size(), 2u);
  for (size_t t = 0; t < 2; ++t) {
    auto x = ron["outputs"]["per_time"][t], y = roff["outputs"]["per_time"][t];
    EXPECT_EQ(x["accuracy"], y["accuracy"]);
    EXPECT_EQ(x["agreement_with_float"], y["agreement_with_float"]);
    EXPECT_EQ(x["logit_relative_error"], y["logit_relative_error"]);
    EXPECT_TRUE(y["makespan_ns"].is_null());
  }
  EXPECT_EQ(ron["programming"].dump(), roff["programming"].dump());
  fs::remove_all(on);
  fs::remove_all(off);
}

TEST(TimingOff, MultiTimeRunWritesTheAccuracyPlot) {
  const fs::path d = fresh_dir("plot");
  int rc = 0;
  const std::string summary = aimc_test::run_cli(
      "run --arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs traces/digits_test_x.npy "
      "--labels traces/digits_test_y.npy --batch 30 --t-inference 1s,1h,1d,1y --timing off --out " +
          d.string(),
      &rc);
  ASSERT_EQ(rc, 0);
  const std::string png = slurp(d / "accuracy.png");
  ASSERT_GT(png.size(), 1000u) << summary;
  EXPECT_EQ(png.substr(1, 3), "PNG");
  fs::remove_all(d);
  // One time: no plot.
  aimc_test::run_cli(
      "run --arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs traces/digits_test_x.npy --batch "
      "5 "
      "--timing off --out " +
          d.string(),
      &rc);
  ASSERT_EQ(rc, 0);
  EXPECT_FALSE(fs::exists(d / "accuracy.png"));
  fs::remove_all(d);
}

TEST(TimingOff, BadTimingValueIsAConfigError) {
  int status = 0;
  const std::string out = aimc_test::run_cli_all(
      "run --arch arch/hermes.yaml --model models/digits_mlp.onnx --inputs traces/digits_test_x.npy --batch "
      "2 "
      "--timing fast --out /tmp/aimcsim_never",
      &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("'timing'"), std::string::npos) << out;
  EXPECT_NE(out.find("fast"), std::string::npos) << out;
  EXPECT_NE(out.find("on|off"), std::string::npos) << out;
}

}  // namespace
