// Per-component models: programming energy from REFERENCE A's pulses, RISC-V per instruction class, SAR
// models of REFERENCE G, network link length from the floorplan, every row naming its model.
#include <gtest/gtest.h>
#include "aimc/base/Units.h"

#include "aimc/config/ArchConfig.h"
#include "aimc/power/AdcCostModel.h"
#include "aimc/power/EnergyModel.h"

namespace {

aimc::ArchConfig hermes(std::initializer_list<const char*> sets = {}) {
  aimc::ConfigSource o;
  for (const char* s : sets) o.apply_override(s, "test");
  return aimc::load_arch("arch/hermes.yaml", o);
}

TEST(ComponentModels, ProgrammingEnergyIsResetPlusSetPulses) {
  const auto a = hermes();
  // REFERENCE A: RESET 125 ns @ 700 uA, SET 250 ns @ 125 uA; 1.2 V (power.program_voltage).
  const auto r = aimc::programming_energy(a, 1000, 3000);
  EXPECT_NEAR(r.dynamic_j, 1000 * 1.2 * 700e-6 * 125e-9 + 3000 * 1.2 * 125e-6 * 250e-9, 1e-18);
  EXPECT_NE(r.model.find("RESET"), std::string::npos);
  EXPECT_EQ(aimc::programming_energy(a, 0, 0).dynamic_j, 0.0);
}

TEST(ComponentModels, RramProgrammingEnergyIsVSquaredGlrsPerPulse) {
  aimc::ConfigSource o;
  const auto a = aimc::load_arch("arch/rram.yaml", o);
  // Stanford-PKU pulse benchmark: RESET 1.3 V, SET 1.8 V, 100 ns each; g_lrs = 1845 uS (r_on 542 ohm).
  const double reset_j = 1.3 * 1.3 * 1845e-6 * 100e-9, set_j = 1.8 * 1.8 * 1845e-6 * 100e-9;
  const auto r = aimc::programming_energy(a, 1000, 3000);
  EXPECT_NEAR(r.dynamic_j, 1000 * reset_j + 3000 * set_j, 1e-18);
  EXPECT_NE(r.model.find("g_lrs"), std::string::npos) << r.model;
  // The PCM pulse currents do not price RRAM writes, and setting them on an RRAM arch is refused.
  EXPECT_NE(r.dynamic_j, aimc::programming_energy(hermes(), 1000, 3000).dynamic_j);
  aimc::ConfigSource bad;
  bad.apply_override("power.reset_current=500uA", "test");
  EXPECT_THROW(aimc::load_arch("arch/rram.yaml", bad), aimc::UserError);
}

TEST(ComponentModels, RiscvEnergyDependsOnInstructionClass) {
  const auto a = hermes();
  const double alu = aimc::riscv_instruction_energy_pj(a, "alu");
  EXPECT_GT(aimc::riscv_instruction_energy_pj(a, "mul"), alu);
  EXPECT_GT(aimc::riscv_instruction_energy_pj(a, "load"), alu);
  EXPECT_DOUBLE_EQ(aimc::riscv_instruction_energy_pj(a, "branch"), alu);

  aimc::Activity act;
  act.instructions = {{"alu", 100}, {"load", 10}};
  act.elapsed_ns = 1;
  double ctrl = 0;
  for (const auto& r : aimc::energy_breakdown(a, act))
    if (r.component == "controllers") {
      ctrl = r.dynamic_j;
      EXPECT_NE(r.model.find("RISC-V"), std::string::npos);
    }
  EXPECT_NEAR(ctrl, (100 * alu + 10 * aimc::riscv_instruction_energy_pj(a, "load")) * 1e-12, 1e-20);
}

TEST(ComponentModels, SarModelsOfReferenceG) {
  // NeuroSim, 14 nm LP: (0.3132 x 8 + 2.5681) uW x 9 ns = 45.6 fJ per 8-bit conversion ("~46-52 fJ").
  const auto ns = hermes({"core.adc.kind=sar", "core.adc.bits=8"});
  EXPECT_NEAR(aimc::AdcCostModel(ns).energy_per_conversion_j(), (0.3132 * 8 + 2.5681) * 1e-6 * 9e-9, 1e-18);
  // Walden: FOM x 2^bits.
  const auto w = hermes({"core.adc.kind=sar", "core.adc.bits=8", "power.sar_model=walden"});
  EXPECT_NEAR(aimc::AdcCostModel(w).energy_per_conversion_j(), 0.08e-12 * 256, 1e-18);
  // NeuroSim area: A_min x ((269 + 109 x 7) + (209 + 73 x 7)).
  EXPECT_NEAR(aimc::AdcCostModel(ns).area_per_adc_um2(), 0.0176 * (269 + 763 + 209 + 511), 1e-9);
  const auto ideal = hermes({"core.adc.kind=ideal"});
  EXPECT_EQ(aimc::AdcCostModel(ideal).energy_per_conversion_j(), 0.0);
}

TEST(ComponentModels, NetworkEnergyUsesTheFloorplanLinkLength) {
  const auto a = hermes();
  const auto g = aimc::noc_geometry(a);
  EXPECT_DOUBLE_EQ(g.links, 2 * 8 * 7);  // 8x8 mesh
  EXPECT_DOUBLE_EQ(g.link_length_mm, 1.2);
  const auto far = hermes({"noc.core_pitch=2400"});
  aimc::Activity act;
  act.noc_bit_hops = 1e6;
  act.elapsed_ns = 1;
  auto network = [](const std::vector<aimc::EnergyRow>& rows) {
    for (const auto& r : rows)
      if (r.component == "network") return r.dynamic_j;
    return -1.0;
  };
  const double e1 = network(aimc::energy_breakdown(a, act)), e2 = network(aimc::energy_breakdown(far, act));
  // wire part doubles, router part stays: 0.072 x 1.2 + 0.001 -> 0.072 x 2.4 + 0.001 pJ per bit-hop.
  EXPECT_NEAR(e1, 1e6 * (0.072 * 1.2 + 0.001) * 1e-12, 1e-15);
  EXPECT_NEAR(e2, 1e6 * (0.072 * 2.4 + 0.001) * 1e-12, 1e-15);
}

TEST(ComponentModels, EveryRowNamesItsModelAndNothingIsNegative) {
  const auto a = hermes();
  aimc::Activity act;
  act.mvms = 10;
  act.tile_busy_ns = 1290;
  act.driver_lsbs = 1290 * 256;
  act.device_pulse_lsbs = 1e6;
  act.adc_conversions = 2560;
  act.du_values = 2560;
  act.sram_bytes = 5000;
  act.controller_commands = 50;
  act.noc_bit_hops = 1e4;
  act.elapsed_ns = 2000;
  act.cores = 1;
  for (const auto& r : aimc::energy_breakdown(a, act)) {
    EXPECT_FALSE(r.model.empty()) << r.component;
    EXPECT_GT(r.dynamic_j, 0.0) << r.component;
    EXPECT_GE(r.leakage_j, 0.0) << r.component;
  }
  for (const auto& r : aimc::area_breakdown(a)) {
    EXPECT_FALSE(r.model.empty()) << r.component;
    EXPECT_GT(r.area_mm2, 0.0) << r.component;
  }
  // The chip's area stays the published 12 x 12 mm die within the unmodelled remainder's accuracy.
  EXPECT_NEAR(aimc::total_area_mm2(aimc::area_breakdown(a)) / 64.0, 1.392, 0.01);
}

TEST(ComponentModels, DigitalUnitEnergyFollowsGateCount) {
  const auto n = hermes();
  const auto l = hermes({"core.digital_unit.kind=ldpu_fp16"});
  aimc::Activity act;
  act.du_values = 1000;
  act.elapsed_ns = 1;
  const double en = aimc::energy_breakdown(n, act)[3].dynamic_j,
               el = aimc::energy_breakdown(l, act)[3].dynamic_j;
  EXPECT_NEAR(el / en, 21.769 / 10.883, 1e-9);
  EXPECT_NEAR(en / 1000, 0.52e-12, 0.01e-12);  // [H] x [S] anchor of the NMPU
}

}  // namespace

namespace {

// A RISC-V controller costs its Ibex-sized core plus its own SRAM (firmware, data, command table).
TEST(ComponentModels, RiscvControllerAreaIncludesItsSram) {
  aimc::ConfigSource o;
  o.apply_override("core.controller.kind=riscv", "test");
  const auto rv = aimc::load_arch("arch/hermes.yaml", o);
  const auto ct = aimc::load_arch("arch/hermes.yaml");
  auto controllers = [](const aimc::ArchConfig& a) {
    for (const auto& r : aimc::area_breakdown(a))
      if (r.component == "controllers") return r.area_mm2;
    return -1.0;
  };
  const double sram_mm2 = 8.0 * static_cast<double>(rv.core.controller.sram_bytes) * 0.0588 / 0.7 * 1e-6;
  EXPECT_NEAR(controllers(rv) / 64.0, 26.6e3 * 0.10e-6 + sram_mm2, 1e-12);
  EXPECT_NEAR(controllers(ct) / 64.0, 2e3 * 0.10e-6, 1e-12);
}

}  // namespace
