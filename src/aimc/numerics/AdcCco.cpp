#include "aimc/numerics/AdcCco.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "aimc/base/Error.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace aimc {

AdcCco::AdcCco(const AdcParams& params, const DacParams& dac, int lines, uint64_t seed, uint32_t tile_id)
    : AdcModel(full_scale_counts_for(params, dac), (int32_t{1} << params.cco_counter_bits) - 1),
      mismatch_(AdcMismatch::draw(params, lines, seed, tile_id)) {
  // validate_core() (config/ArchParamsCore.cpp) refuses core.adc.cco_t_lsb longer than the window.
  AIMC_ASSERT_MSG(full_scale_counts() >= 1, "the integration window holds less than one CCO period");
}

// Vectorised over lines with SSE2 (four lines per step) and a scalar loop for the rest (or for hosts without
// SSE2) computing the same IEEE operations in the same order, so both give the same codes. floor(|v|) is the
// truncation of min(|v|, fs) (fs is a whole number), the conversion saturates when |v| >= fs, and the
// saturating counter add is a min against counter_max (counters and codes are far below int32 overflow).
bool AdcCco::convert(const float* ideal_counts, int lines, int32_t* pos, int32_t* neg) const {
  AIMC_ASSERT(lines <= static_cast<int>(mismatch_.gain.size()));
  const float fs = static_cast<float>(full_scale_counts());
  const float inv_fs = 1.0f / fs;
  const int32_t cmax = counter_max();
  const float* gain = mismatch_.gain.data();
  const float* offset = mismatch_.offset_counts.data();
  const float* inl = mismatch_.inl_peak_counts.data();
  bool saturated = false;
  int j = 0;
#if defined(__SSE2__)
  const __m128 v_fs = _mm_set1_ps(fs), v_inv_fs = _mm_set1_ps(inv_fs), one = _mm_set1_ps(1.0f),
               four = _mm_set1_ps(4.0f), zero = _mm_setzero_ps();
  const __m128 abs_mask = _mm_castsi128_ps(_mm_set1_epi32(0x7FFFFFFF));
  const __m128i v_cmax = _mm_set1_epi32(cmax);
  __m128 any_sat = _mm_setzero_ps();
  for (; j + 4 <= lines; j += 4) {
    const __m128 x = _mm_loadu_ps(ideal_counts + j);
    const __m128 u = _mm_min_ps(_mm_mul_ps(_mm_and_ps(x, abs_mask), v_inv_fs), one);
    const __m128 bow = _mm_mul_ps(_mm_mul_ps(_mm_mul_ps(_mm_loadu_ps(inl + j), four), u), _mm_sub_ps(one, u));
    const __m128 is_neg = _mm_cmplt_ps(x, zero);
    const __m128 w =
        _mm_or_ps(_mm_and_ps(is_neg, _mm_sub_ps(x, bow)), _mm_andnot_ps(is_neg, _mm_add_ps(x, bow)));
    const __m128 v = _mm_add_ps(_mm_mul_ps(_mm_loadu_ps(gain + j), w), _mm_loadu_ps(offset + j));
    const __m128 av = _mm_and_ps(v, abs_mask);
    any_sat = _mm_or_ps(any_sat, _mm_cmpge_ps(av, v_fs));
    const __m128i code = _mm_cvttps_epi32(_mm_min_ps(av, v_fs));
    const __m128i to_pos = _mm_castps_si128(_mm_cmpge_ps(v, zero));
    __m128i p = _mm_add_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(pos + j)),
                              _mm_and_si128(to_pos, code));
    __m128i n = _mm_add_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(neg + j)),
                              _mm_andnot_si128(to_pos, code));
    const __m128i p_over = _mm_cmpgt_epi32(p, v_cmax), n_over = _mm_cmpgt_epi32(n, v_cmax);
    p = _mm_or_si128(_mm_and_si128(p_over, v_cmax), _mm_andnot_si128(p_over, p));
    n = _mm_or_si128(_mm_and_si128(n_over, v_cmax), _mm_andnot_si128(n_over, n));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(pos + j), p);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(neg + j), n);
  }
  saturated = _mm_movemask_ps(any_sat) != 0;
#endif
  for (; j < lines; ++j) {
    const float x = ideal_counts[j];
    const float u = std::min(std::abs(x) * inv_fs, 1.0f);
    const float bow = inl[j] * 4.0f * u * (1.0f - u);
    const float v = gain[j] * (x < 0.0f ? x - bow : x + bow) + offset[j];
    const float av = std::abs(v);
    if (av >= fs) saturated = true;
    const int32_t code = static_cast<int32_t>(std::min(av, fs));
    if (v >= 0.0f)
      pos[j] = std::min(pos[j] + code, cmax);
    else
      neg[j] = std::min(neg[j] + code, cmax);
  }
  return saturated;
}

}  // namespace aimc
