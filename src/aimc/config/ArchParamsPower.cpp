#include "aimc/config/ArchParams.h"

namespace aimc::arch_params_detail {

void declare_power_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(P("power.mvm_active", F, kMilliWatts, "101.0mW", 0, 1e5,
          "Array + ADC + PWM power of one core while an MVM runs",
          "[A] 0.86 uJ per full-chip MVM / 64 cores / 133 ns = 101.0 mW (4-phase: 3.38 uJ/64/520 ns = 101.6 "
          "mW)"),
        AIMC_FIELD(power.mvm_active_mw));
  t.add(
      P("power.du_energy_per_value", F, kPicoJoules, "0.52pJ", 0, 1e6, "Digital-unit energy per output value",
        "[H] 2x 16-bit mult (0.78 pJ each) + 3x 32-bit add (0.1 pJ) at 45 nm, x0.278 [S]"),
      AIMC_FIELD(power.du_energy_per_value_pj));
  t.add(
      P("power.sram_energy_per_byte", F, kPicoJoules, "0.35pJ", 0, 1e6, "SRAM read or write energy per byte",
        "[H] 8 KB SRAM, 64-bit access 10 pJ at 45 nm = 1.25 pJ/B, x0.278 [S]"),
      AIMC_FIELD(power.sram_energy_per_byte_pj));
  t.add(
      P("power.noc_wire_energy_per_bit_mm", F, kPicoJoules, "0.072pJ", 0, 1e6,
        "Link energy per bit per mm of wire", "[W] 0.2 fF/um x 1 mm, activity 0.5, 0.85 V: 0.5*200fF*0.85^2"),
      AIMC_FIELD(power.noc_wire_energy_per_bit_mm_pj));
  t.add(P("power.router_energy_per_bit", F, kPicoJoules, "0.001pJ", 0, 1e6, "Router energy per bit per hop",
          "model: a one-bit slice of a 32-bit adder [H] 0.1 pJ/32 at 45 nm, x0.278 [S] (buffer + mux)"),
        AIMC_FIELD(power.router_energy_per_bit_pj));
  t.add(P("power.controller_energy_per_command", F, kPicoJoules, "2.8pJ", 0, 1e6,
          "Controller energy per command", "model: one 8-byte command-table SRAM read, 8 x 0.35 pJ"),
        AIMC_FIELD(power.controller_energy_per_command_pj));
  t.add(P("power.core_leakage", F, kMilliWatts, "0mW", 0, 1e5, "Static power per core",
          "[A] reports no leakage figure; 0 until a measured or modelled value is set"),
        AIMC_FIELD(power.core_leakage_mw));

  t.add(P("area.mvm_per_cell", F, kSquareUm, "9.689um2", 0, 1e6, "Array + ADC + PWM area per unit cell",
          "[A] 0.870 x 0.730 mm = 0.635 mm2 MVM area per core / (256 x 256) cells"),
        AIMC_FIELD(area.mvm_per_cell_um2));
  t.add(
      P("area.core_digital", F, kSquareMm, "0.757mm2", 0, 1e4,
        "Digital unit, SRAM, controller and router area per core", "[A] core 1.392 mm2 - 0.635 mm2 MVM area"),
      AIMC_FIELD(area.core_digital_mm2));
}

void validate_power(const ArchConfig& a, const ArchValidator& v) {
  (void)a;
  (void)v;
}

}  // namespace aimc::arch_params_detail
