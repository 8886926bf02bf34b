#include "aimc/numerics/AdcSar.h"

#include <cmath>
#include <limits>

#include "aimc/base/Error.h"

namespace aimc {

AdcSar::AdcSar(const AdcParams& params, int lines, uint64_t seed, uint32_t tile_id)
    : AdcModel((int32_t{1} << (params.bits - 1)) - 1, std::numeric_limits<int32_t>::max()),
      mismatch_(AdcMismatch::draw(params, lines, seed, tile_id)) {}

bool AdcSar::convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const {
  AIMC_ASSERT(lines <= static_cast<int>(mismatch_.gain.size()));
  const float fs = static_cast<float>(full_scale_counts());
  const float inv_fs = 1.0f / fs;
  bool saturated = false;
  for (int j = 0; j < lines; ++j) {
    const float v = mismatch_.gain[j] * with_inl(ideal_counts[j], mismatch_.inl_peak_counts[j], inv_fs) +
                    mismatch_.offset_counts[j];
    saturated |= quantise_into(v, pos[j], neg[j]);
  }
  return saturated;
}

}  // namespace aimc
