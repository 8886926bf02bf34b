#include "aimc/numerics/ReadNoiseVarianceMatrix.h"

#include <algorithm>
#include <cmath>

#include "aimc/base/Error.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace aimc {

namespace {

constexpr int kMaxXUnits = 1023;                             // x^2 units per row: 10 bits
constexpr int kMaxVUnits = 32767;                            // int16
constexpr double kMaxLineUnits = 2147483647.0 / kMaxXUnits;  // so that sum_i u_i V_ji fits int32

// Exact int32 dot products of kRows int16 vectors u[r] with one int16 vector v, length n (a multiple of 8):
// the rows share each load of v.
constexpr int kRows = 4;
inline void dots(const int16_t* const* u, const int16_t* v, int n, int32_t* out) {
#if defined(__SSE2__)
  __m128i acc[kRows];
  for (int r = 0; r < kRows; ++r) acc[r] = _mm_setzero_si128();
  for (int i = 0; i < n; i += 8) {
    const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i));
    for (int r = 0; r < kRows; ++r)
      acc[r] = _mm_add_epi32(acc[r],
                             _mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(u[r] + i)), vb));
  }
  for (int r = 0; r < kRows; ++r) {
    __m128i a = _mm_add_epi32(acc[r], _mm_shuffle_epi32(acc[r], _MM_SHUFFLE(1, 0, 3, 2)));
    a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(2, 3, 0, 1)));
    out[r] = _mm_cvtsi128_si32(a);
  }
#else
  for (int r = 0; r < kRows; ++r) {
    int32_t s = 0;
    for (int i = 0; i < n; ++i) s += static_cast<int32_t>(u[r][i]) * v[i];
    out[r] = s;
  }
#endif
}

}  // namespace

ReadNoiseVarianceMatrix::ReadNoiseVarianceMatrix(const MatrixXfRowMajor& v)
    : out_(static_cast<int>(v.rows())),
      in_(static_cast<int>(v.cols())),
      in_padded_((static_cast<int>(v.cols()) + 7) / 8 * 8) {
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
  // x^2 of every row in int16 units of a power of two of its own, so that its largest is <= kMaxXUnits units;
  // rows padded to a multiple of kRows with zeros (their results are dropped).
  const Eigen::Index blocks = (batch + kRows - 1) / kRows;
  std::vector<int16_t> u(static_cast<size_t>(blocks * kRows) * in_padded_, 0);
  std::vector<float> scale(static_cast<size_t>(blocks * kRows), 0.0f);
  for (Eigen::Index b = 0; b < batch; ++b) {
    float max_sq = 0.0f;
    for (int i = 0; i < in_; ++i) max_sq = std::max(max_sq, x(b, i) * x(b, i));
    if (max_sq == 0.0f) continue;
    const int shift = std::max(0, static_cast<int>(std::ceil(std::log2(max_sq / kMaxXUnits))));
    const float inv_unit = std::ldexp(1.0f, -shift);
    int16_t* ub = u.data() + static_cast<size_t>(b) * in_padded_;
    for (int i = 0; i < in_; ++i) ub[i] = static_cast<int16_t>(std::nearbyint(x(b, i) * x(b, i) * inv_unit));
    scale[b] = std::ldexp(step_, shift);
  }
  int32_t acc[kRows];
  for (Eigen::Index blk = 0; blk < blocks; ++blk) {
    const int16_t* rows[kRows];
    for (int r = 0; r < kRows; ++r) rows[r] = u.data() + static_cast<size_t>(blk * kRows + r) * in_padded_;
    const int live = static_cast<int>(std::min<Eigen::Index>(kRows, batch - blk * kRows));
    for (int j = 0; j < out_; ++j) {
      dots(rows, units_.data() + static_cast<size_t>(j) * in_padded_, in_padded_, acc);
      for (int r = 0; r < live; ++r) {
        const size_t b = static_cast<size_t>(blk * kRows + r);
        var[b * out_ + j] += static_cast<float>(acc[r]) * scale[b];
      }
    }
  }
}

}  // namespace aimc
