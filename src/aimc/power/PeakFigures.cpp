#include "aimc/power/PeakFigures.h"

#include <cmath>

#include "aimc/numerics/MvmTiming.h"

namespace aimc {

Activity peak_mvm_activity(const ArchConfig& arch) {
  const auto& tile = arch.core.tile;
  const double cores = static_cast<double>(arch.chip.cores);
  const double cells = static_cast<double>(tile.rows) * static_cast<double>(tile.cols);
  const double planes = 2.0 * tile.device.devices_per_polarity;  // G+ and G-, devices_per_polarity each
  Activity a;
  a.mvms = cores;
  a.tile_busy_ns = cores * MvmTiming::integration_ns(tile);
  a.driver_lsbs = a.tile_busy_ns * static_cast<double>(tile.cols) / tile.dac.t_lsb_ns;
  a.device_pulse_lsbs =
      cores * cells * planes * arch.power.peak_input_duty * std::ldexp(1.0, tile.dac.bits - 1);
  a.adc_conversions = cores * static_cast<double>(tile.rows);
  return a;
}

PeakFigures peak_figures(const ArchConfig& arch_in, DacReadMode mode) {
  ArchConfig arch = arch_in;
  arch.core.tile.dac.read_mode = mode;
  PeakFigures f;
  f.read_mode = enum_name(mode);
  f.mvm_latency_ns = MvmTiming::mvm_latency_ns(arch.core.tile);
  const auto rows = energy_breakdown(arch, peak_mvm_activity(arch));
  for (const auto& r : rows)
    if (r.component == "crossbar array" || r.component == "PWM drivers" || r.component == "ADCs") {
      f.energy.push_back(r);
      f.energy_per_mvm_j += r.dynamic_j;
    }
  f.ops_per_mvm = 2.0 * static_cast<double>(arch.core.tile.rows) * static_cast<double>(arch.core.tile.cols) *
                  static_cast<double>(arch.chip.cores);
  f.tops = f.ops_per_mvm / (f.mvm_latency_ns * 1e-9) * 1e-12;
  f.tops_per_w = f.energy_per_mvm_j > 0 ? f.ops_per_mvm / f.energy_per_mvm_j * 1e-12 : 0;
  const auto area = area_breakdown(arch);
  f.tops_per_mm2 = f.tops / mvm_area_mm2(area);
  f.tops_per_mm2_chip = f.tops / total_area_mm2(area);
  return f;
}

}  // namespace aimc
