#pragma once
// Flash ADC: 2^bits - 1 comparators against a reference ladder decide every code at once. Its transfer is the
// SAR's (a sampled bipolar value, code = round-half-to-even(v'), v' = gain_j (v + INL_j(v)) + offset_j,
// saturating at +-(2^(bits-1) - 1)), with the same per-ADC mismatch draw: ladder and comparator offsets show
// up as the same gain/offset/INL terms. Timing (ONE clock cycle per conversion, lines_per_adc conversions in
// a row) lives in MvmTiming; energy and area (Walden FOM, comparator count) in power/AdcCostModel.
#include "aimc/numerics/AdcModel.h"

namespace aimc {

class AdcFlash : public AdcModel {
 public:
  AdcFlash(const AdcParams& params, int lines, uint64_t seed, uint32_t tile_id);
  bool convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const override;
  double calibrated_gain(int line) const override { return mismatch_.calibrated_gain[line]; }

 private:
  AdcMismatch mismatch_;
};

}  // namespace aimc
