// Issue 21 item 8: every shipped sweep resolves every point (no key its kind ignores, which now refuses the
// sweep), its points are distinct configurations, and `~` in a zip leaves a key unset at that point.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "aimc/base/Error.h"
#include "aimc/sweep/SweepRunner.h"
#include "aimc/sweep/SweepSpec.h"

namespace {

TEST(SweepStrict, ShippedSweepsResolveEveryPointToADistinctConfiguration) {
  for (const auto& entry : std::filesystem::directory_iterator("configs/sweeps")) {
    if (entry.path().extension() != ".yaml") continue;
    const aimc::SweepSpec spec = aimc::SweepSpec::load(entry.path().string());
    const size_t expanded = spec.expand().size();
    const std::vector<aimc::PointRow> planned = aimc::SweepRunner(spec, aimc::SweepOptions{}).plan();
    std::set<std::string> hashes;
    for (const auto& p : planned) {
      EXPECT_EQ(p.error, "") << entry.path() << " point " << p.point;
      hashes.insert(p.config_hash);
    }
    // plan() keeps one point per configuration: none collapses onto another (adc_bits.yaml's 8 points did).
    EXPECT_EQ(planned.size(), expanded) << entry.path();
    EXPECT_EQ(hashes.size(), expanded) << entry.path();
  }
}

TEST(SweepStrict, NullInAZipLeavesTheKeyUnset) {
  const std::string path = ::testing::TempDir() + "/sweep_strict_zip.yaml";
  std::ofstream(path) << "command: area\nbase: " << std::filesystem::current_path().string()
                      << "/arch/hermes_core.yaml\ncombine: zip\naxes:\n"
                         "  core.adc.kind: [cco, sar]\n  core.adc.bits: [~, 6]\nmetrics: [tile.adc_bits]\n";
  const aimc::SweepSpec spec = aimc::SweepSpec::load(path);
  const auto points = spec.expand();
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].sets, (std::vector<std::string>{"core.adc.kind=cco"}));
  EXPECT_EQ(points[1].sets, (std::vector<std::string>{"core.adc.kind=sar", "core.adc.bits=6"}));
  for (const auto& p : aimc::SweepRunner(spec, aimc::SweepOptions{}).plan()) EXPECT_EQ(p.error, "");
}

// The sweep file goes through the config layer's strict reader: a self-referring alias is an error, not a
// stack overflow; a duplicate axis is not silently the last one.
TEST(SweepStrict, SweepFilesAreReadStrictly) {
  const std::string cycle = ::testing::TempDir() + "/sweep_strict_cycle.yaml";
  std::ofstream(cycle) << "base: x.yaml\naxes: &a\n  k: *a\n";
  try {
    aimc::SweepSpec::load(cycle);
    FAIL();
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.reason().find("an alias refers to the node that contains it"), std::string::npos) << e.what();
  }
  const std::string dup = ::testing::TempDir() + "/sweep_strict_dup.yaml";
  std::ofstream(dup) << "base: x.yaml\naxes:\n  seed: [1, 2]\n  seed: [3]\n";
  try {
    aimc::SweepSpec::load(dup);
    FAIL();
  } catch (const aimc::UserError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(e.key(), "axes.seed");
  }
}

}  // namespace
