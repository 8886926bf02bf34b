#include "aimc/numerics/AdcIdeal.h"

#include <cmath>
#include <limits>

#include "aimc/base/Error.h"

namespace aimc {

AdcIdeal::AdcIdeal(const AdcParams& params)
    : AdcModel((int32_t{1} << (params.bits - 1)) - 1, std::numeric_limits<int32_t>::max()) {}

bool AdcIdeal::convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const {
  bool saturated = false;
  for (int j = 0; j < lines; ++j) saturated |= quantise_into(ideal_counts[j], pos[j], neg[j]);
  return saturated;
}

}  // namespace aimc
