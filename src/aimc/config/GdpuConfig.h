#pragma once
// The global digital processing unit (GDPU) section of an arch (keys gdpu.*, declared in ArchParamsGdpu.cpp;
// the block is hw/Gdpu, its numerics numerics/GdpuCell).
#include <cstdint>

namespace aimc {

struct GdpuConfig {
  bool enabled = false;
  int64_t slices = 0;
  double clock_mhz = 0;
  int64_t inputs_per_slice = 0;   // serial INT8 inputs of one step, at most
  int64_t cycles_per_output = 0;  // one output (one unit's h) every this many cycles
  int64_t outputs_per_slice = 0;  // units of one step, at most
  int64_t state_registers = 0;    // FP16 cell-state registers per slice
  int64_t register_banks = 0;     // banks of FP16 scales per slice
  int64_t pipeline_cycles = 0;    // from a unit's last input to its output
  int64_t feed_row = 0;           // the row of cores above the GDPU row (1-based, as the paper counts)
  // Energy and area (at power.reference_node and power.reference_supply, scaled like the logic).
  double fma_energy_pj = 0;
  double lut_energy_pj = 0;
  double register_energy_pj = 0;
  double slice_area_mm2 = 0;
};

}  // namespace aimc
