// aimcsim area ARCH [--json] [--set k=v]...: the area breakdown and the chip's peak figures for each read
// mode, without a workload (circuit designers sizing tiles and ADC banks; `aimcsim sweep` with command:
// area).
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "CommandRegistry.h"
#include "aimc/config/ArchConfig.h"
#include "aimc/numerics/MvmTiming.h"
#include "aimc/power/AdcCostModel.h"
#include "aimc/power/PeakFigures.h"
#include "aimc/power/TechScaling.h"

namespace aimcsim {
namespace {

struct AreaOptions {
  std::string arch;
  bool json = false;
  std::vector<std::string> sets;
};

nlohmann::json peak_json(const aimc::PeakFigures& f, double cores) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& e : f.energy)
    rows.push_back({{"component", e.component}, {"energy_j", e.dynamic_j}, {"model", e.model}});
  return {{"read_mode", f.read_mode},
          {"mvm_latency_ns", f.mvm_latency_ns},
          {"energy_per_mvm_j", f.energy_per_mvm_j},
          {"energy_per_core_mvm_j", f.energy_per_mvm_j / cores},
          {"ops_per_mvm", f.ops_per_mvm},
          {"tops", f.tops},
          {"tops_per_w", f.tops_per_w},
          {"tops_per_mm2", f.tops_per_mm2},
          {"tops_per_mm2_chip", f.tops_per_mm2_chip},
          {"energy_breakdown", rows}};
}

nlohmann::json area_report(const aimc::ArchConfig& a) {
  const double cores = static_cast<double>(a.chip.cores);
  const auto area = aimc::area_breakdown(a);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : area)
    rows.push_back({{"component", r.component},
                    {"area_mm2", r.area_mm2},
                    {"per_core_mm2", r.area_mm2 / cores},
                    {"mvm", r.mvm},
                    {"model", r.model}});
  const aimc::AdcCostModel adc(a);
  const aimc::PeakFigures one = aimc::peak_figures(a, aimc::DacReadMode::kOnePhase);
  const aimc::PeakFigures four = aimc::peak_figures(a, aimc::DacReadMode::kFourPhase);
  const aimc::PeakFigures& configured =
      a.core.tile.dac.read_mode == aimc::DacReadMode::kFourPhase ? four : one;
  const auto& t = a.core.tile;
  const aimc::TechScaling s(a);
  return {
      {"arch", a.name},
      {"source_file", a.source_file},
      {"cores", a.chip.cores},
      {"technology_nm", a.chip.technology_nm},
      {"supply_v", a.chip.supply_v},
      {"scaling", {{"area", s.area()}, {"logic_energy", s.logic_energy()}, {"node_energy", s.node_energy()}}},
      {"tile",
       {{"rows", t.rows},
        {"cols", t.cols},
        {"adc_kind", aimc::enum_name(t.adc.kind)},
        {"adc_bits", t.adc.kind == aimc::AdcKind::kCco ? t.adc.cco_counter_bits : t.adc.bits},
        {"adc_count", a.core.adc_count},
        {"columns_per_adc", t.adc.lines_per_adc},
        {"read_mode", configured.read_mode},
        {"mvm_latency_ns", configured.mvm_latency_ns},
        {"integration_ns", aimc::MvmTiming::integration_ns(t)},
        {"conversion_ns", aimc::MvmTiming::adc_conversion_ns(t.adc, t.dac)},
        {"energy_per_mvm_j", configured.energy_per_mvm_j / cores},
        {"mvm_area_mm2", aimc::mvm_area_mm2(area) / cores},
        {"adc_energy_per_conversion_j", adc.energy_per_conversion_j()},
        {"adc_area_um2", adc.area_per_adc_um2()},
        {"adc_bank_area_mm2", adc.area_per_adc_um2() * static_cast<double>(a.core.adc_count) * 1e-6},
        {"adc_energy_model", adc.energy_model()},
        {"adc_area_model", adc.area_model()}}},
      {"area",
       {{"total_mm2", aimc::total_area_mm2(area)},
        {"mvm_mm2", aimc::mvm_area_mm2(area)},
        {"mvm_per_core_mm2", aimc::mvm_area_mm2(area) / cores},
        {"breakdown", rows}}},
      {"peak",
       {{"configured", peak_json(configured, cores)},
        {"one_phase", peak_json(one, cores)},
        {"four_phase", peak_json(four, cores)}}},
  };
}

void print_text(const nlohmann::json& r, std::ostream& out) {
  out << fmt::format("{} ({} cores, {} nm, {} V)\n", r["arch"].get<std::string>(), r["cores"].get<int64_t>(),
                     r["technology_nm"].get<double>(), r["supply_v"].get<double>());
  out << fmt::format(
      "area       {:.3f} mm2 total, MVM area (array + ADC + PWM) {:.3f} mm2 = {:.4f} mm2 per core\n",
      r["area"]["total_mm2"].get<double>(), r["area"]["mvm_mm2"].get<double>(),
      r["area"]["mvm_per_core_mm2"].get<double>());
  for (const auto& row : r["area"]["breakdown"])
    out << fmt::format("  {:<28} {:>10.4f} mm2 {:>10.5f} mm2/core  {}\n", row["component"].get<std::string>(),
                       row["area_mm2"].get<double>(), row["per_core_mm2"].get<double>(),
                       row["model"].get<std::string>());
  out << "peak (every core one full MVM at once; energy = array + ADC + PWM)\n";
  out << fmt::format("  {:<11} {:>10} {:>14} {:>9} {:>9} {:>14} {:>15}\n", "read mode", "MVM ns",
                     "uJ / chip MVM", "TOPS", "TOPS/W", "TOPS/mm2 MVM", "TOPS/mm2 chip");
  for (const char* m : {"one_phase", "four_phase"}) {
    const auto& p = r["peak"][m];
    out << fmt::format("  {:<11} {:>10.1f} {:>14.4f} {:>9.2f} {:>9.3f} {:>14.3f} {:>15.4f}\n", m,
                       p["mvm_latency_ns"].get<double>(), p["energy_per_mvm_j"].get<double>() * 1e6,
                       p["tops"].get<double>(), p["tops_per_w"].get<double>(),
                       p["tops_per_mm2"].get<double>(), p["tops_per_mm2_chip"].get<double>());
    for (const auto& e : p["energy_breakdown"])
      out << fmt::format("      {:<16} {:>10.4f} uJ  {}\n", e["component"].get<std::string>(),
                         e["energy_j"].get<double>() * 1e6, e["model"].get<std::string>());
  }
}

const RegisterCommand kArea(30, [](CLI::App& app, CLI::App*& sub) -> CommandAction {
  sub = app.add_subcommand(
      "area", "Area breakdown and peak figures (TOPS, TOPS/W, TOPS/mm2) of an arch, no workload");
  auto o = std::make_shared<AreaOptions>();
  sub->add_option("arch", o->arch, "Architecture file (arch/*.yaml)")->required();
  sub->add_flag("--json", o->json, "Print JSON (every figure, with the model of each row)");
  sub->add_option("--set", o->sets, "Override any arch key: --set core.adc.bits=8 (repeatable)");
  return [o] {
    aimc::ConfigSource overrides;
    for (const auto& s : o->sets) overrides.apply_override(s, "command line");
    const aimc::ArchConfig a = aimc::load_arch(o->arch, overrides);
    const nlohmann::json r = area_report(a);
    if (o->json)
      std::cout << r.dump(2) << '\n';
    else
      print_text(r, std::cout);
    return 0;
  };
});

}  // namespace
}  // namespace aimcsim
