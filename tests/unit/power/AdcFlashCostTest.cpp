// Flash ADC cost rows (issue 8): energy per conversion by the Walden FOM (REFERENCE G), area from the
// 2^bits - 1 comparators (NeuroSim sense amplifier, 88 minimum transistors each), both named in the energy
// and area breakdowns and in `aimcsim area`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include "aimc/base/Units.h"

#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "aimc/config/ArchConfig.h"
#include "aimc/power/AdcCostModel.h"
#include "aimc/power/EnergyModel.h"
#include "aimc/power/TechScaling.h"
#include "aimc_test_paths.h"

namespace {

aimc::ArchConfig hermes(std::initializer_list<std::string> sets) {
  aimc::ConfigSource o;
  for (const auto& s : sets) o.apply_override(s, "test");
  return aimc::load_arch("arch/hermes.yaml", o);
}

TEST(AdcFlashCost, WaldenEnergyAndComparatorArea) {
  for (int bits : {4, 6, 8}) {
    const auto a = hermes({"core.adc.kind=flash", "core.adc.bits=" + std::to_string(bits)});
    const aimc::TechScaling s(a);
    const aimc::AdcCostModel m(a);
    // REFERENCE G: FOM 80 fJ/step x 2^bits.
    EXPECT_NEAR(m.energy_per_conversion_j(), 0.08e-12 * std::ldexp(1.0, bits) * s.logic_energy(), 1e-20);
    // (2^bits - 1) comparators x (48 + 40) minimum transistors x 0.0176 um2.
    EXPECT_NEAR(m.area_per_adc_um2(), (std::ldexp(1.0, bits) - 1) * 88 * 0.0176 * s.area(), 1e-9);
    EXPECT_NE(m.energy_model().find("flash, Walden FOM"), std::string::npos) << m.energy_model();
    EXPECT_NE(m.area_model().find(std::to_string((1 << bits) - 1) + " comparators"), std::string::npos)
        << m.area_model();
  }
  // The FOM key is the flash's own: it moves the flash energy, and the SAR key, which does not, is refused.
  const auto base = hermes({"core.adc.kind=flash", "core.adc.bits=8"});
  const auto fom = hermes({"core.adc.kind=flash", "core.adc.bits=8", "power.flash_walden_fom=0.16pJ"});
  EXPECT_NEAR(aimc::AdcCostModel(fom).energy_per_conversion_j(),
              2 * aimc::AdcCostModel(base).energy_per_conversion_j(), 1e-20);
  EXPECT_THROW(hermes({"core.adc.kind=flash", "core.adc.bits=8", "power.sar_walden_fom=0.16pJ"}),
               aimc::IgnoredKeyError);
}

TEST(AdcFlashCost, BreakdownRowsNameTheFlashModel) {
  const auto a = hermes({"core.adc.kind=flash", "core.adc.bits=6"});
  const aimc::AdcCostModel m(a);
  aimc::Activity act;
  act.adc_conversions = 1000;
  act.elapsed_ns = 1;
  bool energy_row = false, area_row = false;
  for (const auto& r : aimc::energy_breakdown(a, act))
    if (r.component == "ADCs") {
      energy_row = true;
      EXPECT_NEAR(r.dynamic_j, 1000 * m.energy_per_conversion_j(), 1e-20);
      EXPECT_NE(r.model.find("flash, Walden FOM"), std::string::npos) << r.model;
    }
  for (const auto& r : aimc::area_breakdown(a))
    if (r.component == "ADCs") {
      area_row = true;
      EXPECT_NEAR(r.area_mm2, a.chip.cores * a.core.adc_count * m.area_per_adc_um2() * 1e-6, 1e-12);
      EXPECT_NE(r.model.find("comparators"), std::string::npos) << r.model;
    }
  EXPECT_TRUE(energy_row);
  EXPECT_TRUE(area_row);
}

TEST(AdcFlashCost, AreaCommandReportsFlash) {
  const std::string cmd = std::string(AIMCSIM_CLI) +
                          " area arch/hermes_core.yaml --json --set core.adc.kind=flash --set core.adc.bits=6"
                          " --set core.adc.columns_per_adc=2 --set core.adc.count=128 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int rc = pclose(p);
  ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << cmd;
  const auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["tile"]["adc_kind"], "flash");
  EXPECT_EQ(j["tile"]["adc_bits"], 6);
  // 1-phase: 128 ns window + 1 ns set-up + 2 lines x 1 ns flash conversions.
  EXPECT_DOUBLE_EQ(j["peak"]["one_phase"]["mvm_latency_ns"].get<double>(), 131.0);
}

}  // namespace
