#pragma once
// Successive-approximation ADC (REFERENCE G, NeuroSim): a sampled bipolar value, code =
// round-half-to-even(v'), v' = gain_j (v + INL_j(v)) + offset_j, saturating at +-(2^(bits-1) - 1).
// Timing ((bits + 1) cycles per conversion, lines_per_adc conversions in a row) lives in MvmTiming.
#include "aimc/numerics/AdcModel.h"

namespace aimc {

class AdcSar : public AdcModel {
 public:
  AdcSar(const AdcParams& params, int lines, uint64_t seed, uint32_t tile_id);
  bool convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const override;
  double calibrated_gain(int line) const override { return mismatch_.calibrated_gain[line]; }

 private:
  AdcMismatch mismatch_;
};

}  // namespace aimc
