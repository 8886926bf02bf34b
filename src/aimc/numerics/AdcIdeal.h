#pragma once
// Ideal quantiser: code = round-half-to-even(v), saturating at +-(2^(bits-1) - 1).
#include "aimc/numerics/AdcModel.h"

namespace aimc {

class AdcIdeal : public AdcModel {
 public:
  explicit AdcIdeal(const AdcParams& params);
  bool convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const override;
};

}  // namespace aimc
