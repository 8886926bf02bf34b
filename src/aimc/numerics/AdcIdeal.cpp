#include "aimc/numerics/AdcIdeal.h"

#include <cmath>
#include <limits>

#include "aimc/base/Error.h"

namespace aimc {

AdcIdeal::AdcIdeal(const AdcParams& params)
    : AdcModel((int32_t{1} << (params.bits - 1)) - 1, std::numeric_limits<int32_t>::max()) {}

bool AdcIdeal::convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const {
  const float fs = static_cast<float>(full_scale_counts());
  bool saturated = false;
  for (int j = 0; j < lines; ++j) {
    // nearbyint rounds half-to-even in the default rounding mode (REFERENCE E).
    float c = std::nearbyint(ideal_counts[j]);
    if (std::abs(c) >= fs) {
      saturated = true;
      c = c < 0.0f ? -fs : fs;
    }
    const int32_t code = static_cast<int32_t>(c);
    if (code >= 0)
      pos[j] = saturating_add(pos[j], code, counter_max());
    else
      neg[j] = saturating_add(neg[j], -code, counter_max());
  }
  return saturated;
}

}  // namespace aimc
