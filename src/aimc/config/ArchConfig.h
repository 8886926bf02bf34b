#pragma once
// The runtime (typed, validated, unit-converted) description of a chip. Filled only from the declarations in
// ArchConfig.cpp; components receive it as `const ArchConfig&` and never see YAML.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aimc/config/ConfigSource.h"
#include "aimc/config/ParamTable.h"
#include "aimc/numerics/AnalogParams.h"

namespace aimc {

struct ArchConfig {
  std::string name;
  std::string description;
  std::string source_file;  // the arch file it was loaded from

  struct Chip {
    int64_t cores = 0;
    double technology_nm = 0;
    double supply_v = 0;
  } chip;

  struct Noc {
    std::string topology;  // mesh2d | torus2d
    int64_t mesh_cols = 0;
    int64_t mesh_rows = 0;
    int64_t link_width_bits = 0;  // bits per link clock
    double clock_mhz = 0;
    int64_t router_latency_cycles = 0;
    int64_t header_bits = 0;
    double core_pitch_um = 0;  // link length between neighbouring cores
  } noc;

  struct Core {
    double clock_mhz = 0;  // the MVM (PWM + ADC) clock
    // The analog tile (crossbar, PWM DACs, ADCs, PCM devices): the numerics' own parameter struct, filled
    // from the core.crossbar, core.dac, core.adc and device keys.
    TileParams tile;
    int64_t adc_count = 0;
    struct DigitalUnit {
      std::string kind;  // nmpu | ldpu_fp16
      std::string impl;  // cpp | rtl
      double clock_mhz = 0;
      int64_t lanes = 0;
      int64_t pipeline_depth = 0;
    } digital_unit;
    struct Sram {
      int64_t size_bytes = 0;
      int64_t width_bits = 0;
      int64_t latency_cycles = 0;
    } sram;
    struct Controller {
      std::string kind;  // command_table
      double clock_mhz = 0;
      int64_t cycles_per_command = 0;
    } controller;
  } core;

  struct Power {
    double mvm_active_mw = 0;  // array + ADC + PWM while an MVM integrates, per core
    double du_energy_per_value_pj = 0;
    double sram_energy_per_byte_pj = 0;
    double noc_wire_energy_per_bit_mm_pj = 0;
    double router_energy_per_bit_pj = 0;
    double controller_energy_per_command_pj = 0;
    double core_leakage_mw = 0;
  } power;

  struct Area {
    double mvm_per_cell_um2 = 0;  // array + ADC + PWM area per unit cell
    double core_digital_mm2 = 0;  // digital unit + SRAM + controller + router per core
  } area;

  // Derived, computed once after validation.
  double core_period_ns() const { return 1e3 / core.clock_mhz; }
  double du_period_ns() const { return 1e3 / core.digital_unit.clock_mhz; }
  double noc_period_ns() const { return 1e3 / noc.clock_mhz; }
  double controller_period_ns() const { return 1e3 / core.controller.clock_mhz; }
};

const ParamTable<ArchConfig>& arch_params();

// Loads an arch file (presets, includes), applies `overrides` (same key paths), validates.
ArchConfig load_arch(const std::string& path, const ConfigSource& overrides = ConfigSource());
ArchConfig resolve_arch(const ConfigSource& src);

nlohmann::json arch_to_json(const ArchConfig& a);

// Directory of the built-in arch presets (<source root>/arch).
std::string arch_preset_dir();

}  // namespace aimc
