#pragma once
// HERMES current-controlled-oscillator ADC (REFERENCE A, B): the CCO frequency follows the line current, a
// ripple counter counts whole oscillation periods during the integration window, so the code is
// floor(|v'|) (truncation) where v' = gain_j (v + INL_j(v)) + offset_j; the peak CCO frequency bounds one
// conversion at floor(T_int / t_lsb) counts (426 for 128 ns at 300 ps); 12-bit counters bound the sum of
// phases at 4095. INL_j(v) = sign(v) * peak_j * 4u(1-u), u = |v| / full scale: a mid-scale bow, zero at both
// ends, monotonic while |peak_j| < full scale / 4.
#include "aimc/numerics/AdcModel.h"

namespace aimc {

class AdcCco : public AdcModel {
 public:
  AdcCco(const AdcParams& params, const DacParams& dac, int lines, uint64_t seed, uint32_t tile_id);
  bool convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const override;
  double calibrated_gain(int line) const override { return mismatch_.calibrated_gain[line]; }

 private:
  AdcMismatch mismatch_;
};

}  // namespace aimc
