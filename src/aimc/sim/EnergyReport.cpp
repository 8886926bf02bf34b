#include "aimc/sim/EnergyReport.h"

#include <fmt/format.h>

namespace aimc {

Activity core_activity(const Core& core) {
  Activity a;
  a.tile_busy_ns = core.tile().stats().value("busy_time");
  a.adc_busy_ns = core.adc_bank().stats().value("busy_time");
  a.du_values = core.digital_unit().stats().value("values");
  a.sram_bytes = core.stats().value("sram_bytes");
  a.controller_commands = core.controller().stats().value("commands");
  a.cores = core.controller().idle() ? 0 : 1;
  return a;
}

EnergyReport build_energy_report(const ArchConfig& arch, const Mapping& mapping, const Chip& chip,
                                 double elapsed_ns, double inferences, double macs) {
  Activity act;
  for (const auto& c : chip.cores()) act += core_activity(*c);
  act.noc_bit_hops = chip.noc().stats().value("bit_hops");
  act.elapsed_ns = elapsed_ns;

  EnergyReport r;
  const auto energy = energy_breakdown(arch, act);
  r.total_j = total_energy_j(energy);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& e : energy)
    rows.push_back({{"component", e.component},
                    {"dynamic_j", e.dynamic_j},
                    {"leakage_j", e.leakage_j},
                    {"model", e.model}});
  r.energy = {{"total_j", r.total_j},
              {"per_inference_j", r.total_j / inferences},
              {"average_power_w", r.total_j / (elapsed_ns * 1e-9)},
              {"tops_per_w", 2.0 * macs * inferences / r.total_j * 1e-12},
              {"breakdown", rows}};
  r.summary.push_back(
      fmt::format("energy     {:.3f} nJ per inference, average power {:.3f} mW, {:.2f} TOPS/W (whole chip)",
                  r.total_j / inferences * 1e9, r.total_j / (elapsed_ns * 1e-9) * 1e3,
                  2.0 * macs * inferences / r.total_j * 1e-12));
  for (const auto& e : energy)
    r.summary.push_back(fmt::format("             {:<26} {:>10.4f} nJ/inference", e.component,
                                    (e.dynamic_j + e.leakage_j) / inferences * 1e9));

  // Per layer: the components of the cores holding its pieces (the network is counted chip-wide only).
  for (const auto& l : mapping.layers) {
    Activity la;
    for (int p : l.pieces)
      la += core_activity(*chip.cores()[static_cast<size_t>(mapping.pieces[static_cast<size_t>(p)].core)]);
    la.elapsed_ns = elapsed_ns;
    r.layer_energy_j.push_back(total_energy_j(energy_breakdown(arch, la)) / inferences);
  }

  const auto area = area_breakdown(arch);
  nlohmann::json arows = nlohmann::json::array();
  for (const auto& a : area)
    arows.push_back({{"component", a.component}, {"area_mm2", a.area_mm2}, {"model", a.model}});
  r.area = {{"total_mm2", total_area_mm2(area)}, {"breakdown", arows}};
  r.summary.push_back(fmt::format("area       {:.2f} mm2 ({} cores)", total_area_mm2(area), arch.chip.cores));
  return r;
}

}  // namespace aimc
