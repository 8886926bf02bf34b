#pragma once
// Energy and area figures of an arch (keys power.*, area.*; ArchParamsPower.cpp).
#include <cstdint>
#include <string>

namespace aimc {

struct PowerConfig {
  double mvm_active_mw = 0;  // array + ADC + PWM while an MVM integrates, per core
  double du_energy_per_value_pj = 0;
  double sram_energy_per_byte_pj = 0;
  double noc_wire_energy_per_bit_mm_pj = 0;
  double router_energy_per_bit_pj = 0;
  double controller_energy_per_command_pj = 0;
  double core_leakage_mw = 0;
};

struct AreaConfig {
  double mvm_per_cell_um2 = 0;  // array + ADC + PWM area per unit cell
  double core_digital_mm2 = 0;  // digital unit + SRAM + controller + router per core
};

}  // namespace aimc
