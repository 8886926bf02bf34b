#include "aimc/numerics/ReadNoiseVarianceMatrix.h"

#include <algorithm>
#include <cmath>

#include "aimc/base/Error.h"
#include "aimc/numerics/Int16DotProducts.h"

namespace aimc {

namespace {

constexpr int kMaxXUnits = 1023;                             // x^2 units per row: 10 bits
constexpr int kMaxVUnits = 32767;                            // int16
constexpr double kMaxLineUnits = 2147483647.0 / kMaxXUnits;  // so that sum_i u_i V_ji fits int32

}  // namespace

ReadNoiseVarianceMatrix::ReadNoiseVarianceMatrix(const MatrixXfRowMajor& v)
    : out_(static_cast<int>(v.rows())),
      in_(static_cast<int>(v.cols())),
      in_padded_((static_cast<int>(v.cols()) + 31) / 32 * 32) {
  units_.assign(static_cast<size_t>(out_) * in_padded_, 0);
  const double max_elem = v.size() ? static_cast<double>(v.maxCoeff()) : 0.0;
  const double max_line = v.size() ? static_cast<double>(v.rowwise().sum().maxCoeff()) : 0.0;
  AIMC_ASSERT(v.size() == 0 || v.minCoeff() >= 0.0f);
  const double need = std::max(max_elem / kMaxVUnits, max_line / kMaxLineUnits);
  if (!(need > 0.0)) {
    step_ = 0.0f;
    return;
  }
  // Rounding can lift an element by half a unit: one more power of two keeps every bound.
  step_ = static_cast<float>(std::ldexp(1.0, static_cast<int>(std::ceil(std::log2(need))) + 1));
  for (int j = 0; j < out_; ++j)
    for (int i = 0; i < in_; ++i)
      units_[static_cast<size_t>(j) * in_padded_ + i] =
          static_cast<int16_t>(std::nearbyint(static_cast<double>(v(j, i)) / step_));
}

void ReadNoiseVarianceMatrix::apply(const MatrixXfRowMajor& x, float extra, std::vector<float>& var) const {
  AIMC_ASSERT(x.cols() == in_);
  const Eigen::Index batch = x.rows();
  var.assign(static_cast<size_t>(batch) * out_, extra);
  if (step_ == 0.0f || batch == 0) return;
  // x^2 of every row in int16 units of a power of two of its own, so that its largest is <= kMaxXUnits units.
  Int16Rows u(static_cast<size_t>(batch) * in_padded_, 0);
  std::vector<float> scale(static_cast<size_t>(batch), 0.0f);
  for (Eigen::Index b = 0; b < batch; ++b) {
    const float max_sq = x.row(b).cwiseAbs2().maxCoeff();  // a max is exact in any order
    if (max_sq == 0.0f) continue;
    const int shift = std::max(0, static_cast<int>(std::ceil(std::log2(max_sq / kMaxXUnits))));
    const float inv_unit = std::ldexp(1.0f, -shift);
    int16_t* ub = u.data() + static_cast<size_t>(b) * in_padded_;
    const float* xb = x.row(b).data();
    int i = 0;
#if defined(__SSE2__)
    // cvtps2dq rounds half-to-even in the default rounding mode, as nearbyint below does.
    const __m128 v_inv = _mm_set1_ps(inv_unit);
    for (; i + 8 <= in_; i += 8) {
      const __m128 a = _mm_loadu_ps(xb + i), c = _mm_loadu_ps(xb + i + 4);
      const __m128i lo = _mm_cvtps_epi32(_mm_mul_ps(_mm_mul_ps(a, a), v_inv));
      const __m128i hi = _mm_cvtps_epi32(_mm_mul_ps(_mm_mul_ps(c, c), v_inv));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(ub + i), _mm_packs_epi32(lo, hi));
    }
#endif
    for (; i < in_; ++i) ub[i] = static_cast<int16_t>(std::nearbyint(xb[i] * xb[i] * inv_unit));
    scale[b] = std::ldexp(step_, shift);
  }
  Int16DotProducts::for_each(
      u.data(), batch, units_.data(), out_, in_padded_, [&](Eigen::Index b, int j, int32_t acc) {
        var[static_cast<size_t>(b) * out_ + j] += static_cast<float>(acc) * scale[static_cast<size_t>(b)];
      });
}

}  // namespace aimc
