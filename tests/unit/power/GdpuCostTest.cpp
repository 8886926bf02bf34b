// The GDPU's energy and area rows (power/EnergyModel, keys gdpu.*): the energy is the counted FP16 FMAs,
// table lookups and state-register accesses times their per-operation energies (plus leakage from the
// slices' gate equivalents); the area is slices x gdpu.slice_area; a chip without the GDPU has neither row.
#include <gtest/gtest.h>

#include <string>

#include "aimc/config/ArchConfig.h"
#include "aimc/power/EnergyModel.h"

namespace aimc {
namespace {

ArchConfig hermes(std::initializer_list<const char*> sets = {}) {
  ConfigSource o;
  for (const char* s : sets) o.apply_override(s, "test");
  return load_arch("arch/hermes.yaml", o);
}

Activity gdpu_activity() {
  Activity a;
  a.gdpu_fmas = 1900;
  a.gdpu_lut_lookups = 500;
  a.gdpu_state_accesses = 200;
  a.elapsed_ns = 1000;
  return a;
}

TEST(GdpuCost, EnergyRowCountsOperationsTimesTheirEnergies) {
  const ArchConfig arch = hermes({"gdpu.enabled=true", "power.logic_leakage_per_kge=2uW"});
  bool found = false;
  for (const EnergyRow& r : energy_breakdown(arch, gdpu_activity())) {
    if (r.component != "GDPU") continue;
    found = true;
    const double pj = 1900 * arch.gdpu.fma_energy_pj + 500 * arch.gdpu.lut_energy_pj +
                      200 * arch.gdpu.register_energy_pj;  // the reference node is the chip's: no scaling
    EXPECT_NEAR(r.dynamic_j, pj * 1e-12, 1e-9 * pj * 1e-12);
    const double kge = 8 * arch.gdpu.slice_area_mm2 * 1e6 / arch.area.ge_um2 / 1e3;
    EXPECT_NEAR(r.leakage_j, 2e-6 * kge * 1e-6, 1e-9 * r.leakage_j);
    EXPECT_NE(r.model.find("gdpu.fma_energy"), std::string::npos);
  }
  EXPECT_TRUE(found);
}

TEST(GdpuCost, AreaIsSlicesTimesTheSliceArea) {
  const ArchConfig arch = hermes({"gdpu.enabled=true"});
  const std::vector<AreaRow> without = area_breakdown(hermes());
  const std::vector<AreaRow> with = area_breakdown(arch);
  ASSERT_EQ(with.size(), without.size() + 1);
  EXPECT_EQ(with.back().component, "GDPU");
  // 0.809 x 0.347 mm per slice (REFERENCE.md H, read as one slice).
  EXPECT_NEAR(with.back().area_mm2, 8 * 0.809 * 0.347, 8 * 0.0005);
  EXPECT_NEAR(total_area_mm2(with) - total_area_mm2(without), with.back().area_mm2, 1e-12);
  EXPECT_EQ(mvm_area_mm2(with), mvm_area_mm2(without));
  for (const EnergyRow& r : energy_breakdown(hermes(), gdpu_activity())) EXPECT_NE(r.component, "GDPU");
}

}  // namespace
}  // namespace aimc
