// Issue 21 item 8: every shipped sweep resolves every point (no key its kind ignores, which now refuses the
// sweep), its points are distinct configurations, and `~` in a zip leaves a key unset at that point.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

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

}  // namespace
