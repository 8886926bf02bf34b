// Sweep files: every axis kind expands as documented, combinations (grid, zip, random) are right, and a bad
// file names its file, line and key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/sweep/SweepSpec.h"

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

// A sweep file in a fresh temporary directory; `base` points at the real quickstart config.
std::string write_sweep(const std::string& name, const std::string& body) {
  const fs::path dir = fs::temp_directory_path() / ("aimc_sweepspec_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path p = dir / (name + ".yaml");
  std::ofstream(p) << "base: " << fs::absolute("configs/quickstart.yaml").string() << "\n" << body;
  return p.string();
}

std::vector<std::string> values_of(const std::string& axis_yaml) {
  const auto s =
      aimc::SweepSpec::load(write_sweep("axis", "axes:\n  k: " + axis_yaml + "\nmetrics: [a.b]\n"));
  return s.axes.at(0).values;
}

aimc::UserError error_of(const std::string& body) {
  const std::string f = write_sweep("bad", body);
  try {
    aimc::SweepSpec::load(f);
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.file(), fs::absolute(f).lexically_normal().string()) << e.what();
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << body;
  return aimc::UserError("none");
}

TEST(SweepSpec, ListAxisKeepsValuesVerbatim) {
  EXPECT_EQ(values_of("[4, 6, one_phase, 1h]"), (std::vector<std::string>{"4", "6", "one_phase", "1h"}));
}

TEST(SweepSpec, LinearRangeIncludesBothEnds) {
  EXPECT_EQ(values_of("{from: 64, to: 256, step: 64}"),
            (std::vector<std::string>{"64", "128", "192", "256"}));
  EXPECT_EQ(values_of("{from: 1, to: 3}"), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(values_of("{from: 0.5, to: 1.0, step: 0.25}"), (std::vector<std::string>{"0.5", "0.75", "1"}));
  EXPECT_EQ(values_of("{from: 10, to: 0, step: -5}"), (std::vector<std::string>{"10", "5", "0"}));
  EXPECT_EQ(values_of("{from: 0, to: 1, count: 3}"), (std::vector<std::string>{"0", "0.5", "1"}));
  // A unit suffix on both ends is kept.
  EXPECT_EQ(values_of("{from: 100ns, to: 300ns, step: 100}"),
            (std::vector<std::string>{"100ns", "200ns", "300ns"}));
}

TEST(SweepSpec, LogRangeIsGeometric) {
  EXPECT_EQ(values_of("{from: 1, to: 1000, count: 4, scale: log}"),
            (std::vector<std::string>{"1", "10", "100", "1000"}));
  EXPECT_EQ(values_of("{from: 1s, to: 1e4s, count: 3, scale: log}"),
            (std::vector<std::string>{"1s", "100s", "10000s"}));
  EXPECT_EQ(values_of("{from: 0.001, to: 0.1, count: 3, scale: log}"),
            (std::vector<std::string>{"0.001", "0.01", "0.1"}));
  // Integer ends round the interior to integers and drop duplicates: 1, 1.41->1, 2, 2.83->3, 4.
  EXPECT_EQ(values_of("{from: 1, to: 4, count: 5, scale: log}"),
            (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST(SweepSpec, GridIsEveryCombinationFirstAxisSlowest) {
  const auto s = aimc::SweepSpec::load(write_sweep("grid",
                                                   "set:\n  workload.batch: 10\naxes:\n  core.adc.bits: [6, "
                                                   "8]\n  seed: {from: 1, to: 3}\nmetrics: [x]\n"));
  const auto pts = s.expand();
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[0].sets, (std::vector<std::string>{"workload.batch=10", "core.adc.bits=6", "seed=1"}));
  EXPECT_EQ(pts[2].sets.back(), "seed=3");
  EXPECT_EQ(pts[3].sets[1], "core.adc.bits=8");
  EXPECT_EQ(pts[5].index, 5);
  std::set<std::vector<std::string>> distinct;
  for (const auto& p : pts) distinct.insert(p.sets);
  EXPECT_EQ(distinct.size(), 6u);
}

TEST(SweepSpec, ZipPairsAxesSideBySide) {
  const auto s = aimc::SweepSpec::load(write_sweep(
      "zip", "combine: zip\naxes:\n  core.adc.bits: [6, 8, 10]\n  seed: [1, 2, 3]\nmetrics: [x]\n"));
  const auto pts = s.expand();
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[1].axis_values,
            (std::vector<std::pair<std::string, std::string>>{{"core.adc.bits", "8"}, {"seed", "2"}}));
}

TEST(SweepSpec, RandomDrawsDistinctGridPointsFromItsSeed) {
  auto load = [](int seed, int samples) {
    return aimc::SweepSpec::load(write_sweep("rnd" + std::to_string(seed),
                                             "combine: random\nsamples: " + std::to_string(samples) +
                                                 "\nseed: " + std::to_string(seed) +
                                                 "\naxes:\n  a: {from: 1, to: 10}\n  b: {from: 1, to: 10}\n"
                                                 "metrics: [x]\n"))
        .expand();
  };
  const auto p1 = load(7, 20), p2 = load(7, 20), p3 = load(8, 20);
  ASSERT_EQ(p1.size(), 20u);
  std::set<std::vector<std::string>> distinct;
  for (const auto& p : p1) distinct.insert(p.sets);
  EXPECT_EQ(distinct.size(), 20u);
  for (size_t i = 0; i < p1.size(); ++i) EXPECT_EQ(p1[i].sets, p2[i].sets);  // same seed, same sample
  bool differs = false;
  for (size_t i = 0; i < p1.size(); ++i) differs |= p1[i].sets != p3[i].sets;
  EXPECT_TRUE(differs);
  EXPECT_EQ(load(1, 500).size(), 100u);  // more samples than the grid: the whole grid once
}

TEST(SweepSpec, MetricsAsMapOrListWithUnits) {
  const auto s =
      aimc::SweepSpec::load(write_sweep("metrics",
                                        "axes:\n  seed: [1]\nmetrics:\n  lat: latency.first_sample_ns\n  e: "
                                        "{path: energy.per_inference_j, unit: "
                                        "joule}\n  eff: energy.tops_per_w\n"));
  ASSERT_EQ(s.metrics.size(), 3u);
  EXPECT_EQ(s.metrics[0].unit, "ns");
  EXPECT_EQ(s.metrics[1].unit, "joule");
  EXPECT_EQ(s.metrics[2].unit, "TOPS/W");
  EXPECT_EQ(aimc::unit_from_path("area.total_mm2"), "mm²");
}

TEST(SweepSpec, JsonPathsReachNestedValuesListsAndDottedKeys) {
  const auto j = nlohmann::json::parse(
      R"({"a": {"b": [ {"c": 1.5}, {"c": 2} ]}, "config": {"run": {"workload.batch": 10}}})");
  EXPECT_EQ(aimc::json_at_path(j, "a.b.1.c"), 2);
  EXPECT_EQ(aimc::json_at_path(j, "a.b.0.c"), 1.5);
  EXPECT_EQ(aimc::json_at_path(j, "config.run.workload.batch"), 10);
  EXPECT_TRUE(aimc::json_at_path(j, "a.b.2.c").is_null());
  EXPECT_TRUE(aimc::json_at_path(j, "a.x").is_null());
}

TEST(SweepSpec, PlotsNameAxesAndMetricsOfTheSweep) {
  const std::string axes =
      "axes:\n  a: [1, 2]\n  b: [3, 4]\n  g: [x, y]\ncombine: zip\nmetrics:\n  acc: p.q\n  e: r\n";
  const auto s = aimc::SweepSpec::load(write_sweep(
      "plot", axes + "plot:\n  x: a+b\n  y: acc\n  y2: e\n  group: g\n  title: T\n  log_x: true\n"));
  ASSERT_EQ(s.plots.size(), 1u);
  EXPECT_EQ(s.plots[0].script_args(), (std::vector<std::string>{"--x", "a+b", "--y", "acc", "--y2", "e",
                                                                "--group", "g", "--title", "T", "--log-x"}));
  const auto two =
      aimc::SweepSpec::load(write_sweep("plots", axes + "plot:\n  - {x: a, y: acc}\n  - {x: b, y: e}\n"));
  EXPECT_EQ(two.plots.size(), 2u);
  EXPECT_EQ(error_of(axes + "plot:\n  x: a+c\n  y: acc\n").key(), "plot.x");
  EXPECT_EQ(error_of(axes + "plot:\n  x: a\n  y: latency\n").key(), "plot.y");
  EXPECT_EQ(error_of(axes + "plot:\n  x: a\n  y: acc\n  colour: g\n").key(), "plot.colour");
  EXPECT_EQ(error_of(axes + "plot:\n  x: a\n  y: acc\n  log_x: maybe\n").key(), "plot.log_x");
  EXPECT_EQ(error_of(axes + "plot:\n  y: acc\n").key(), "plot");
}

TEST(SweepSpec, ErrorsNameFileLineAndKey) {
  auto e = error_of("combine: diagonal\naxes:\n  seed: [1]\nmetrics: [x]\n");
  EXPECT_EQ(e.key(), "combine");
  EXPECT_EQ(e.line(), 2);
  e = error_of("axes:\n  seed: [1]\n  core.adc.bits: [4, 5]\ncombine: zip\nmetrics: [x]\n");
  EXPECT_EQ(e.key(), "axes.core.adc.bits");
  EXPECT_EQ(e.line(), 4);
  e = error_of("axes:\n  seed: {from: 1, to: 4, stride: 1}\nmetrics: [x]\n");
  EXPECT_EQ(e.key(), "axes.seed.stride");
  EXPECT_EQ(e.line(), 3);
  e = error_of("axes:\n  seed: {from: 1, to: 4, step: -1}\nmetrics: [x]\n");
  EXPECT_EQ(e.key(), "axes.seed.step");
  e = error_of("axes:\n  t: {from: 0, to: 4, count: 3, scale: log}\nmetrics: [x]\n");
  EXPECT_EQ(e.key(), "axes.t");
  e = error_of("axes:\n  t: {from: 1s, to: 4h, count: 3, scale: log}\nmetrics: [x]\n");
  EXPECT_EQ(e.key(), "axes.t.to");
  e = error_of("axes:\n  seed: [1]\nmetrics: [x]\nbogus: 1\n");
  EXPECT_EQ(e.key(), "bogus");
  EXPECT_EQ(e.line(), 5);
  e = error_of("axes:\n  seed: [1]\n");
  EXPECT_EQ(e.key(), "metrics");
  e = error_of("axes:\n  seed: [1]\nmetrics: [x]\ncombine: random\n");
  EXPECT_EQ(e.key(), "samples");
  e = error_of("axes:\n  seed: [1]\nmetrics: [x]\ntimeout: 5 parsecs\n");
  EXPECT_EQ(e.key(), "timeout");
  e = error_of("axes: [1, 2\n");
  EXPECT_GT(e.line(), 0);
  EXPECT_NE(std::string(e.what()).find("malformed YAML"), std::string::npos);
  const std::string f = write_sweep("nobase", "");
  std::ofstream(f) << "base: nowhere.yaml\naxes:\n  seed: [1]\nmetrics: [x]\n";
  try {
    aimc::SweepSpec::load(f);
    ADD_FAILURE();
  } catch (const aimc::UserError& err) {
    EXPECT_EQ(err.key(), "base");
    EXPECT_EQ(err.line(), 1);
  }
}

}  // namespace
