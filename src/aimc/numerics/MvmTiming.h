#pragma once
// Closed-form timing of one tile MVM (ns), as pure functions of the parameters, for the SystemC tile.
//
//   PWM window per phase       T_pwm   = 2^(dac_bits-1) * t_lsb_ns        (REFERENCE B: 128 ns at 8 bits)
//   phases                     P       = 1 (one-phase) or 4 (four-phase)  (REFERENCE A)
//   ADC conversion after a phase:
//     ideal  T_conv = 0
//     CCO    T_conv = cco_readout_ns  (the CCO counts DURING the PWM window; only the counter read-out
//                                      follows; lines_per_adc > 1 repeats the window per multiplexed line)
//     SAR    T_conv = lines_per_adc * (bits + 1) / sar_clock_ghz          (REFERENCE G; sample-and-hold
//                                      after the window, then the multiplexed lines one after another)
//     flash  T_conv = lines_per_adc * 1 / sar_clock_ghz              (all 2^bits - 1 comparators decide in
//                                      one cycle of the shared SAR/flash clock; lines one after another)
//   phase overhead           O       = DacParams::phase_overhead_ns (CCO reset, settling)
//   one MVM                    T_mvm   = P * W * (T_pwm + O) + T_conv, W = lines_per_adc for a CCO, else 1:
//                                        the counters (or sampled charge) accumulate over the phases and are
//                                        converted / read out once.
// HERMES check (REFERENCE A): 1-phase 128 + 1 + 4 = 133 ns; 4-phase 4 (128 + 1) + 4 = 520 ns.
#include "aimc/numerics/AnalogParams.h"

namespace aimc {

class MvmTiming {
 public:
  static double pwm_window_ns(const DacParams& dac);
  static int phases(const DacParams& dac);
  static double adc_conversion_ns(const AdcParams& adc, const DacParams& dac);
  static double mvm_latency_ns(const TileParams& tile);
  // The part before the conversion: phases x windows x (T_pwm + phase overhead).
  static double integration_ns(const TileParams& tile);
};

}  // namespace aimc
