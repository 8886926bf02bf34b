#include "aimc/sim/EnergyReport.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace aimc {

Activity core_activity(const Core& core, const ArchConfig& arch, double used_rows, double used_cols) {
  Activity a;
  const StatGroup& tile = core.tile().stats();
  a.mvms = tile.value("mvms");
  a.tile_busy_ns = tile.value("busy_time");
  // Drivers of unused input lines hold code 0 and are not clocked (nothing ticks while idle).
  a.driver_lsbs = a.tile_busy_ns * used_cols / arch.core.tile.dac.t_lsb_ns;
  // pwm_pulse_lsbs sums |code| over the driven input lines; each drives 2 x devices_per_polarity devices on
  // every used output line.
  a.device_pulse_lsbs =
      tile.value("pwm_pulse_lsbs") * used_rows * 2.0 * arch.core.tile.device.devices_per_polarity;
  a.adc_conversions = core.adc_bank().stats().value("conversions");
  a.array_conductance_lsbs = tile.value("array_conductance_lsbs");
  a.wire_conductance_lsbs = tile.value("wire_conductance_lsbs");
  a.adc_counts = tile.value("adc_counts");
  a.du_values = core.digital_unit().stats().value("values");
  a.du_macs = core.digital_unit().stats().value("depthwise_macs");
  a.sram_bytes = core.stats().value("sram_bytes");
  // A core is powered when it holds a piece; its cluster's controller is counted with the core holding it.
  a.cores = used_rows > 0 ? 1 : 0;
  if (!core.has_controller()) return a;
  const StatGroup& ctrl = core.controller().stats();
  a.controller_commands = ctrl.value("commands");
  // The RISC-V controller (issue 5) counts retired instructions by class as instructions_<class>.
  const std::string prefix = "instructions_";
  for (const auto& s : ctrl.stats())
    if (s->name().compare(0, prefix.size(), prefix) == 0 && s->value() > 0)
      a.instructions[s->name().substr(prefix.size())] += s->value();
  a.controllers = core.controller().idle() ? 0 : 1;
  return a;
}

namespace {

nlohmann::json energy_rows_json(const std::vector<EnergyRow>& rows, double elapsed_s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : rows) {
    nlohmann::json r = {{"component", e.component},
                        {"dynamic_j", e.dynamic_j},
                        {"leakage_j", e.leakage_j},
                        {"model", e.model}};
    if (elapsed_s > 0) r["average_power_w"] = (e.dynamic_j + e.leakage_j) / elapsed_s;
    out.push_back(r);
  }
  return out;
}

void add_area(const ArchConfig& arch, const std::vector<AreaRow>& area, EnergyReport& r) {
  nlohmann::json arows = nlohmann::json::array();
  for (const auto& a : area)
    arows.push_back(
        {{"component", a.component}, {"area_mm2", a.area_mm2}, {"model", a.model}, {"mvm", a.mvm}});
  r.area = {{"total_mm2", total_area_mm2(area)}, {"mvm_mm2", mvm_area_mm2(area)}, {"breakdown", arows}};
  r.summary.push_back(fmt::format("area       {:.2f} mm2 ({} cores; MVM area {:.2f} mm2)",
                                  total_area_mm2(area), arch.chip.cores, mvm_area_mm2(area)));
}

}  // namespace

EnergyReport build_energy_report(const ArchConfig& arch, const Mapping& mapping, const Chip& chip,
                                 double elapsed_ns, double inferences, double macs,
                                 const std::vector<ProgramResult>& programming) {
  std::map<int, std::pair<double, double>> lines_of_core;  // used output rows, used input columns
  for (const auto& p : mapping.pieces) {
    auto& l = lines_of_core[p.core];
    l.first = std::max(l.first, static_cast<double>(p.out_offset + p.out_count));  // packed: the union
    l.second = std::max(l.second, static_cast<double>(p.in_offset + p.in_count));
  }
  auto activity_of = [&](size_t core) {
    const auto it = lines_of_core.find(static_cast<int>(core));
    const auto lines = it == lines_of_core.end() ? std::pair<double, double>{0, 0} : it->second;
    return core_activity(*chip.cores()[core], arch, lines.first, lines.second);
  };

  Activity act;
  for (size_t c = 0; c < chip.cores().size(); ++c) act += activity_of(c);
  act.noc_bit_hops = chip.noc().stats().value("bit_hops");
  if (const Gdpu* gdpu = chip.gdpu()) {
    act.gdpu_fmas = gdpu->stats().value("fmas");
    act.gdpu_lut_lookups = gdpu->stats().value("lut_lookups");
    act.gdpu_state_accesses = gdpu->stats().value("state_accesses");
  }
  act.elapsed_ns = elapsed_ns;

  EnergyReport r;
  const auto energy = energy_breakdown(arch, act);
  r.total_j = total_energy_j(energy);
  const double elapsed_s = elapsed_ns * 1e-9;
  const double ops = 2.0 * macs * inferences;
  const auto area = area_breakdown(arch);
  const double tops = ops / elapsed_s * 1e-12;
  r.energy = {{"total_j", r.total_j},
              {"per_inference_j", r.total_j / inferences},
              {"average_power_w", r.total_j / elapsed_s},
              {"tops", tops},
              {"tops_per_w", ops / r.total_j * 1e-12},
              {"tops_per_mm2", tops / mvm_area_mm2(area)},
              {"tops_per_mm2_chip", tops / total_area_mm2(area)},
              {"breakdown", energy_rows_json(energy, elapsed_s)}};

  // Loading the network is paid once, not per inference: a separate figure.
  double devices = 0, pulses = 0;
  for (const auto& p : programming) {
    devices += static_cast<double>(p.devices);
    pulses += static_cast<double>(p.write_pulses);
  }
  const EnergyRow prog = programming_energy(arch, devices, pulses);
  r.energy["programming"] = {
      {"energy_j", prog.dynamic_j}, {"devices", devices}, {"write_pulses", pulses}, {"model", prog.model}};

  r.summary.push_back(
      fmt::format("energy     {:.3f} nJ per inference, average power {:.3f} mW, {:.3f} TOPS, {:.2f} TOPS/W, "
                  "{:.4f} TOPS/mm2 "
                  "(MVM area)",
                  r.total_j / inferences * 1e9, r.total_j / elapsed_s * 1e3, tops, ops / r.total_j * 1e-12,
                  tops / mvm_area_mm2(area)));
  for (const auto& e : energy)
    r.summary.push_back(fmt::format("             {:<26} {:>10.4f} nJ/inference {:>10.4f} mW", e.component,
                                    (e.dynamic_j + e.leakage_j) / inferences * 1e9,
                                    (e.dynamic_j + e.leakage_j) / elapsed_s * 1e3));
  r.summary.push_back(fmt::format("programming {:.4f} uJ to load the weights ({:.0f} write pulses)",
                                  prog.dynamic_j * 1e6, pulses));

  // Per layer: the components of the cores holding its pieces (the network is counted chip-wide only; a
  // core packed with pieces of several layers counts in each of them).
  for (const auto& l : mapping.layers) {
    Activity la;
    std::set<int> cores;
    for (int p : l.pieces) cores.insert(mapping.pieces[static_cast<size_t>(p)].core);
    for (int c : cores) la += activity_of(static_cast<size_t>(c));
    la.elapsed_ns = elapsed_ns;
    const auto rows = energy_breakdown(arch, la);
    const double total = total_energy_j(rows);
    r.layer_energy_j.push_back(total / inferences);
    nlohmann::json per = nlohmann::json::array();
    for (const auto& e : rows)
      per.push_back({{"component", e.component},
                     {"per_inference_j", (e.dynamic_j + e.leakage_j) / inferences},
                     {"average_power_w", (e.dynamic_j + e.leakage_j) / elapsed_s}});
    r.layer_energy.push_back({{"average_power_w", total / elapsed_s}, {"breakdown", per}});
  }

  add_area(arch, area, r);
  return r;
}

EnergyReport build_area_report(const ArchConfig& arch) {
  EnergyReport r;
  r.energy = nullptr;
  add_area(arch, area_breakdown(arch), r);
  return r;
}

}  // namespace aimc
