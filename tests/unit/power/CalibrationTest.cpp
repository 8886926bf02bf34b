// Calibration against the published chip (REFERENCE A, B), each figure within +-5 % (issue 8, item 4).
#include <gtest/gtest.h>
#include "aimc/base/Units.h"

#include "aimc/config/ArchConfig.h"
#include "aimc/power/PeakFigures.h"

namespace {

using aimc::DacReadMode;

void expect_within_5_percent(double got, double published, const char* what) {
  EXPECT_NEAR(got / published, 1.0, 0.05) << what << ": model " << got << ", published " << published;
}

TEST(Calibration, HermesOnePhaseMatchesTheNatureElectronicsChip) {
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes.yaml");
  const aimc::PeakFigures f = aimc::peak_figures(a, DacReadMode::kOnePhase);
  EXPECT_DOUBLE_EQ(f.mvm_latency_ns, 133.0);
  expect_within_5_percent(f.tops, 63.1, "TOPS");
  expect_within_5_percent(f.tops_per_w, 9.76, "TOPS/W");
  expect_within_5_percent(f.energy_per_mvm_j * 1e6, 0.86, "uJ per full-chip MVM");
  expect_within_5_percent(f.tops_per_mm2, 1.55, "TOPS/mm2");
  expect_within_5_percent(aimc::mvm_area_mm2(aimc::area_breakdown(a)) / 64.0, 0.635, "MVM mm2 per core");
}

TEST(Calibration, HermesFourPhaseMatchesTheNatureElectronicsChip) {
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes.yaml");
  const aimc::PeakFigures f = aimc::peak_figures(a, DacReadMode::kFourPhase);
  EXPECT_DOUBLE_EQ(f.mvm_latency_ns, 520.0);
  expect_within_5_percent(f.tops, 16.1, "TOPS");
  expect_within_5_percent(f.tops_per_w, 2.48, "TOPS/W");
  expect_within_5_percent(f.energy_per_mvm_j * 1e6, 3.38, "uJ per full-chip MVM");
  expect_within_5_percent(f.tops_per_mm2, 0.40, "TOPS/mm2");
}

TEST(Calibration, HermesCoreMatchesTheJsscCore) {
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes_core.yaml");
  ASSERT_EQ(a.chip.cores, 1);
  ASSERT_DOUBLE_EQ(a.chip.supply_v, 0.8);
  const aimc::PeakFigures f = aimc::peak_figures(a, DacReadMode::kOnePhase);
  expect_within_5_percent(f.tops, 1.008, "TOPS");
  expect_within_5_percent(f.tops_per_w, 10.5, "TOPS/W");
  expect_within_5_percent(f.tops_per_mm2, 1.59, "TOPS/mm2");
}

// The read energy is not one lumped figure: 4-phase costs ~4x because the CCOs and PWM drivers run four
// windows, while the array energy (each device conducts for its pulse once in either mode) stays.
TEST(Calibration, FourPhaseRepeatsTheWindowsNotTheArrayEnergy) {
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes.yaml");
  const auto one = aimc::peak_figures(a, DacReadMode::kOnePhase);
  const auto four = aimc::peak_figures(a, DacReadMode::kFourPhase);
  ASSERT_EQ(one.energy.size(), 3u);
  ASSERT_EQ(four.energy.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(one.energy[i].component, four.energy[i].component);
    EXPECT_FALSE(one.energy[i].model.empty());
    const double ratio = four.energy[i].dynamic_j / one.energy[i].dynamic_j;
    if (one.energy[i].component == "crossbar array")
      EXPECT_DOUBLE_EQ(ratio, 1.0);
    else
      EXPECT_NEAR(ratio, 4.0, 0.02) << one.energy[i].component;  // the counter read-out happens once
  }
}

// A lower supply lowers the logic energies as V^2; the crossbar (read voltage) does not move.
TEST(Calibration, SupplyScalesLogicNotTheArray) {
  aimc::ConfigSource low;
  low.apply_override("chip.supply=0.7V", "test");
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes.yaml");
  const aimc::ArchConfig b = aimc::load_arch("arch/hermes.yaml", low);
  const auto ea = aimc::energy_breakdown(a, aimc::peak_mvm_activity(a));
  const auto eb = aimc::energy_breakdown(b, aimc::peak_mvm_activity(b));
  for (size_t i = 0; i < ea.size(); ++i) {
    if (ea[i].component == "crossbar array" || ea[i].component == "PWM drivers")
      EXPECT_DOUBLE_EQ(eb[i].dynamic_j, ea[i].dynamic_j) << ea[i].component;
    if (ea[i].component == "ADCs")
      EXPECT_NEAR(eb[i].dynamic_j / ea[i].dynamic_j, (0.7 / 0.85) * (0.7 / 0.85), 1e-12);
  }
}

// Ideal node scaling: a 28 nm chip of the same design has 4x the area and 2x the logic energy.
TEST(Calibration, NodeScalingFollowsTheStatedFactors) {
  aimc::ConfigSource n28;
  n28.apply_override("chip.technology_nm=28", "test");
  const aimc::ArchConfig a = aimc::load_arch("arch/hermes.yaml");
  const aimc::ArchConfig b = aimc::load_arch("arch/hermes.yaml", n28);
  EXPECT_NEAR(aimc::total_area_mm2(aimc::area_breakdown(b)) / aimc::total_area_mm2(aimc::area_breakdown(a)),
              4.0, 1e-9);
  const auto ea = aimc::energy_breakdown(a, aimc::peak_mvm_activity(a));
  const auto eb = aimc::energy_breakdown(b, aimc::peak_mvm_activity(b));
  EXPECT_NEAR(eb[2].dynamic_j / ea[2].dynamic_j, 2.0, 1e-12);  // ADCs
  EXPECT_DOUBLE_EQ(eb[0].dynamic_j, ea[0].dynamic_j);          // crossbar: V^2 G t, no node
}

}  // namespace
