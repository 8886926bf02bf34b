#include "aimc/power/EnergyModel.h"

#include <fmt/format.h>

namespace aimc {

std::vector<EnergyRow> energy_breakdown(const ArchConfig& arch, const Activity& a) {
  const auto& p = arch.power;
  std::vector<EnergyRow> rows;
  rows.push_back(
      {"mvm (array + ADC + PWM)", p.mvm_active_mw * 1e-3 * (a.tile_busy_ns + a.adc_busy_ns) * 1e-9, 0,
       fmt::format("power.mvm_active ({} mW) x time integrating and converting", p.mvm_active_mw)});
  rows.push_back({"digital units", a.du_values * p.du_energy_per_value_pj * 1e-12, 0,
                  fmt::format("values x power.du_energy_per_value ({} pJ)", p.du_energy_per_value_pj)});
  rows.push_back({"sram", a.sram_bytes * p.sram_energy_per_byte_pj * 1e-12, 0,
                  fmt::format("bytes x power.sram_energy_per_byte ({} pJ)", p.sram_energy_per_byte_pj)});
  const double per_bit_hop =
      p.noc_wire_energy_per_bit_mm_pj * arch.noc.core_pitch_um * 1e-3 + p.router_energy_per_bit_pj;
  rows.push_back(
      {"network", a.noc_bit_hops * per_bit_hop * 1e-12, 0,
       fmt::format("bit-hops x ({} pJ/bit/mm x {} mm + {} pJ router)", p.noc_wire_energy_per_bit_mm_pj,
                   arch.noc.core_pitch_um * 1e-3, p.router_energy_per_bit_pj)});
  rows.push_back({"controllers", a.controller_commands * p.controller_energy_per_command_pj * 1e-12, 0,
                  fmt::format("commands x power.controller_energy_per_command ({} pJ)",
                              p.controller_energy_per_command_pj)});
  rows.push_back(
      {"leakage", 0, p.core_leakage_mw * 1e-3 * a.cores * a.elapsed_ns * 1e-9,
       fmt::format("power.core_leakage ({} mW) x powered cores x elapsed time", p.core_leakage_mw)});
  return rows;
}

std::vector<AreaRow> area_breakdown(const ArchConfig& arch) {
  const double cells = static_cast<double>(arch.core.tile.rows) * static_cast<double>(arch.core.tile.cols);
  const double cores = static_cast<double>(arch.chip.cores);
  return {
      {"mvm (array + ADC + PWM)", cores * cells * arch.area.mvm_per_cell_um2 * 1e-6,
       fmt::format("cores x rows x cols x area.mvm_per_cell ({} um2)", arch.area.mvm_per_cell_um2)},
      {"core digital (digital unit, SRAM, controller, router)", cores * arch.area.core_digital_mm2,
       fmt::format("cores x area.core_digital ({} mm2)", arch.area.core_digital_mm2)},
  };
}

double total_area_mm2(const std::vector<AreaRow>& rows) {
  double s = 0;
  for (const auto& r : rows) s += r.area_mm2;
  return s;
}

double total_energy_j(const std::vector<EnergyRow>& rows) {
  double s = 0;
  for (const auto& r : rows) s += r.dynamic_j + r.leakage_j;
  return s;
}

}  // namespace aimc
