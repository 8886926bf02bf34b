#include "aimc/numerics/MvmTiming.h"

#include <cmath>

namespace aimc {

double MvmTiming::pwm_window_ns(const DacParams& dac) {
  return std::ldexp(1.0, dac.bits - 1) * dac.t_lsb_ns;
}

int MvmTiming::phases(const DacParams& dac) {
  return dac.read_mode == DacReadMode::kFourPhase ? 4 : 1;
}

double MvmTiming::adc_conversion_ns(const AdcParams& adc, const DacParams& dac) {
  (void)dac;
  switch (adc.kind) {
    case AdcKind::kIdeal:
      return 0.0;
    case AdcKind::kCco:
      return adc.cco_readout_ns;
    case AdcKind::kSar:
      return adc.lines_per_adc * (adc.bits + 1) / adc.sar_clock_ghz;
    case AdcKind::kFlash:
      return adc.lines_per_adc * 1.0 / adc.sar_clock_ghz;  // every comparator decides in the same cycle
  }
  return 0.0;
}

double MvmTiming::integration_ns(const TileParams& tile) {
  // A CCO converts while the PWM window runs, so a multiplexed CCO needs one window per line it serves.
  const int windows_per_phase = tile.adc.kind == AdcKind::kCco ? tile.adc.lines_per_adc : 1;
  return phases(tile.dac) * windows_per_phase * (pwm_window_ns(tile.dac) + tile.dac.phase_overhead_ns);
}

double MvmTiming::mvm_latency_ns(const TileParams& tile) {
  return integration_ns(tile) + adc_conversion_ns(tile.adc, tile.dac);
}

}  // namespace aimc
