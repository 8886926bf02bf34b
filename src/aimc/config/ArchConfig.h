#pragma once
// The runtime (typed, validated, unit-converted) description of a chip. Filled only from the declarations in
// ArchConfig.cpp; components receive it as `const ArchConfig&` and never see YAML.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aimc/config/ConfigSource.h"
#include "aimc/config/ControllerConfig.h"
#include "aimc/config/DigitalUnitConfig.h"
#include "aimc/config/GdpuConfig.h"
#include "aimc/config/NocConfig.h"
#include "aimc/config/ParamTable.h"
#include "aimc/config/PowerConfig.h"
#include "aimc/config/SramConfig.h"
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

  NocConfig noc;

  struct Core {
    double clock_mhz = 0;  // the MVM (PWM + ADC) clock
    // The analog tile (crossbar, PWM DACs, ADCs, PCM devices): the numerics' own parameter struct, filled
    // from the core.crossbar, core.dac, core.adc and device keys.
    TileParams tile;
    int64_t adc_count = 0;
    DigitalUnitConfig digital_unit;
    SramConfig sram;
    ControllerConfig controller;
  } core;

  GdpuConfig gdpu;

  PowerConfig power;

  AreaConfig area;

  // Derived, computed once after validation.
  double core_period_ns() const { return 1e3 / core.clock_mhz; }
  double du_period_ns() const { return 1e3 / core.digital_unit.clock_mhz; }
  double noc_period_ns() const { return 1e3 / noc.clock_mhz; }
  double controller_period_ns() const { return 1e3 / core.controller.clock_mhz; }
  double gdpu_period_ns() const { return 1e3 / gdpu.clock_mhz; }
};

const ParamTable<ArchConfig>& arch_params();

// The GDPU placement (gdpu.*, REFERENCE.md H: a row of slices between core rows feed_row and feed_row + 1,
// slice s fed by the core of column s in row feed_row): the core feeding `slice`, and the slice a core
// feeds (-1: none, or the GDPU is disabled). validate_gdpu() checks that the floorplan has the rows.
int gdpu_feeding_core(const ArchConfig& a, int slice);
int gdpu_slice_of_core(const ArchConfig& a, int core);

// Loads an arch file (presets, includes), applies `overrides` (same key paths), validates.
ArchConfig load_arch(const std::string& path, const ConfigSource& overrides = ConfigSource());
ArchConfig resolve_arch(const ConfigSource& src);

nlohmann::json arch_to_json(const ArchConfig& a);

// Directory of the built-in arch presets (<source root>/arch).
std::string arch_preset_dir();

}  // namespace aimc
