#include "aimc/numerics/AdcFlash.h"

#include <cmath>
#include <limits>

#include "aimc/base/Error.h"

namespace aimc {

AdcFlash::AdcFlash(const AdcParams& params, int lines, uint64_t seed, uint32_t tile_id)
    : AdcModel((int32_t{1} << (params.bits - 1)) - 1, std::numeric_limits<int32_t>::max()),
      mismatch_(AdcMismatch::draw(params, lines, seed, tile_id)) {}

bool AdcFlash::convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const {
  AIMC_ASSERT(lines <= static_cast<int>(mismatch_.gain.size()));
  const float fs = static_cast<float>(full_scale_counts());
  const float inv_fs = 1.0f / fs;
  bool saturated = false;
  for (int j = 0; j < lines; ++j) {
    const float v = mismatch_.gain[j] * with_inl(ideal_counts[j], mismatch_.inl_peak_counts[j], inv_fs) +
                    mismatch_.offset_counts[j];
    // The thermometer code of the comparators counts the thresholds below v: the nearest level, and the
    // top (bottom) level once v passes the last threshold, which is the saturation bound management sees.
    float c = std::nearbyint(v);
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
