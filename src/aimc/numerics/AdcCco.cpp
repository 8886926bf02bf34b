#include "aimc/numerics/AdcCco.h"

#include <cmath>
#include <limits>

#include "aimc/base/Error.h"

namespace aimc {

AdcCco::AdcCco(const AdcParams& params, const DacParams& dac, int lines, uint64_t seed, uint32_t tile_id)
    : AdcModel(full_scale_counts_for(params, dac), (int32_t{1} << params.cco_counter_bits) - 1),
      mismatch_(AdcMismatch::draw(params, lines, seed, tile_id)) {
  if (full_scale_counts() < 1)
    throw UserError("", 0, "adc.cco_t_lsb_ps", "the integration window holds less than one CCO period");
}

bool AdcCco::convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const {
  AIMC_ASSERT(lines <= static_cast<int>(mismatch_.gain.size()));
  const float fs = static_cast<float>(full_scale_counts());
  const float inv_fs = 1.0f / fs;
  bool saturated = false;
  for (int j = 0; j < lines; ++j) {
    const float v = mismatch_.gain[j] * with_inl(ideal_counts[j], mismatch_.inl_peak_counts[j], inv_fs) +
                    mismatch_.offset_counts[j];
    float c = std::floor(std::abs(v));
    if (c >= fs) {
      saturated = true;
      c = fs;
    }
    const int32_t code = static_cast<int32_t>(c);
    if (v >= 0.0f)
      pos[j] = saturating_add(pos[j], code, counter_max());
    else
      neg[j] = saturating_add(neg[j], code, counter_max());
  }
  return saturated;
}

}  // namespace aimc
