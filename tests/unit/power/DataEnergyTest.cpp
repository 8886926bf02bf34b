// power.array_energy_model: the crossbar row of the data model is V_read^2 x sum |x| G_line x t_lsb, the CCO
// row charges the counted periods, the wires get their own row only with wire resistance on, and the
// default (mean_conductance) keeps the fitted constant model.
#include <gtest/gtest.h>

#include "aimc/config/ArchConfig.h"
#include "aimc/power/AdcCostModel.h"
#include "aimc/power/EnergyModel.h"

namespace {

aimc::ArchConfig hermes(std::initializer_list<const char*> sets = {}) {
  aimc::ConfigSource o;
  for (const char* s : sets) o.apply_override(s, "test");
  return aimc::load_arch("arch/hermes.yaml", o);
}

// A copy of the row named `name` (component empty when there is none).
aimc::EnergyRow row(const std::vector<aimc::EnergyRow>& rows, const std::string& name) {
  for (const auto& r : rows)
    if (r.component == name) return r;
  return {};
}

aimc::Activity activity() {
  aimc::Activity a;
  a.device_pulse_lsbs = 1e6;
  a.adc_conversions = 256;
  a.array_conductance_lsbs = 7000;  // e.g. codes 3, -2 on lines of 1 and 2 uS (nS x LSB)
  a.wire_conductance_lsbs = 90;
  a.adc_counts = 5000;
  a.elapsed_ns = 1;
  return a;
}

TEST(DataEnergy, CrossbarRowIsVSquaredTimesLineConductanceTimesPulse) {
  const auto arch = hermes({"power.array_energy_model=data"});
  const auto rows = aimc::energy_breakdown(arch, activity());
  const aimc::EnergyRow xbar = row(rows, "crossbar array");
  ASSERT_EQ(xbar.component, "crossbar array");
  const double v = arch.core.tile.dac.read_voltage_v, t = arch.core.tile.dac.t_lsb_ns * 1e-9;
  EXPECT_NEAR(xbar.dynamic_j, v * v * (3 * 1e-6 + 2 * 2e-6) * t, 1e-24);
  EXPECT_NE(xbar.model.find("data"), std::string::npos);
  EXPECT_TRUE(row(rows, "crossbar wires (IR drop)").component.empty());  // wires off
}

TEST(DataEnergy, CcoRowChargesTheCountedPeriods) {
  const auto arch = hermes({"power.array_energy_model=data"});
  const aimc::AdcCostModel adc(arch);
  const aimc::EnergyRow r = row(aimc::energy_breakdown(arch, activity()), "ADCs");
  ASSERT_EQ(r.component, "ADCs");
  EXPECT_NEAR(r.dynamic_j, 5000 * adc.energy_per_counted_period_j() + 256 * adc.readout_energy_j(), 1e-24);
  // The constant model runs every CCO through its whole window: more than the counted periods here.
  const auto constant = hermes();
  const aimc::EnergyRow c = row(aimc::energy_breakdown(constant, activity()), "ADCs");
  EXPECT_NEAR(c.dynamic_j, 256 * aimc::AdcCostModel(constant).energy_per_conversion_j(), 1e-24);
  EXPECT_GT(c.dynamic_j, r.dynamic_j);
}

TEST(DataEnergy, DefaultKeepsTheMeanConductanceModel) {
  const auto arch = hermes();
  const aimc::EnergyRow xbar = row(aimc::energy_breakdown(arch, activity()), "crossbar array");
  const double v = arch.core.tile.dac.read_voltage_v, t = arch.core.tile.dac.t_lsb_ns * 1e-9;
  EXPECT_NEAR(xbar.dynamic_j, v * v * arch.power.array_mean_conductance_us * 1e-6 * 1e6 * t, 1e-24);
  EXPECT_NE(xbar.model.find("power.array_mean_conductance"), std::string::npos);
}

TEST(DataEnergy, WireRowOnlyWithWireResistance) {
  const auto arch = hermes({"core.crossbar.wire.enabled=true"});
  const aimc::EnergyRow w = row(aimc::energy_breakdown(arch, activity()), "crossbar wires (IR drop)");
  ASSERT_FALSE(w.component.empty());
  const double v = arch.core.tile.dac.read_voltage_v, t = arch.core.tile.dac.t_lsb_ns * 1e-9;
  EXPECT_NEAR(w.dynamic_j, v * v * 90e-9 * t, 1e-26);
  EXPECT_NE(w.model.find("r_row"), std::string::npos);
}

}  // namespace
