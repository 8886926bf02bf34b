#pragma once
// Energy and area as pure functions of the arch parameters and the activity the chip counted (DESIGN.md:
// power/area layer). Every row names the model and parameter it comes from; the defaults cite their sources
// in ArchConfig.cpp. (Issue 8 deepens each model; the interface stays.)
#include <string>
#include <vector>

#include "aimc/config/ArchConfig.h"

namespace aimc {

struct EnergyRow {
  std::string component;
  double dynamic_j = 0;
  double leakage_j = 0;
  std::string model;  // how it was computed
};

// Activity of one core or of the whole chip (sums of the stats the blocks register).
struct Activity {
  double tile_busy_ns = 0;  // array integration time
  double adc_busy_ns = 0;   // conversion time after integration
  double du_values = 0;
  double sram_bytes = 0;
  double controller_commands = 0;
  double noc_bit_hops = 0;
  double elapsed_ns = 0;  // wall of simulated time the cores were powered
  double cores = 0;       // powered cores (for leakage)

  // Sums the counts (elapsed time is not a count: it stays).
  Activity& operator+=(const Activity& o) {
    tile_busy_ns += o.tile_busy_ns;
    adc_busy_ns += o.adc_busy_ns;
    du_values += o.du_values;
    sram_bytes += o.sram_bytes;
    controller_commands += o.controller_commands;
    noc_bit_hops += o.noc_bit_hops;
    cores += o.cores;
    return *this;
  }
};

std::vector<EnergyRow> energy_breakdown(const ArchConfig& arch, const Activity& a);

struct AreaRow {
  std::string component;
  double area_mm2 = 0;
  std::string model;
};
std::vector<AreaRow> area_breakdown(const ArchConfig& arch);
double total_area_mm2(const std::vector<AreaRow>& rows);
double total_energy_j(const std::vector<EnergyRow>& rows);

}  // namespace aimc
