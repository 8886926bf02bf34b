#include "aimc/numerics/ReadCurrentMatrix.h"

#include <cfloat>
#include <cmath>

#include "aimc/base/Error.h"
#include "aimc/numerics/Int16DotProducts.h"

namespace aimc {

ReadCurrentMatrix::ReadCurrentMatrix(const MatrixXfRowMajor& g, float step, int x_max)
    : out_(static_cast<int>(g.rows())),
      in_(static_cast<int>(g.cols())),
      in_padded_((static_cast<int>(g.cols()) + 31) / 32 * 32) {
  // A normal step keeps acc x step exact; x_max must fit the int16 lanes of the codes.
  if (g.size() == 0 || !(step >= FLT_MIN) || x_max < 1 || x_max > 32767) return;
  units_.assign(static_cast<size_t>(out_) * in_padded_, 0);
  double worst_line = 0.0;
  for (int j = 0; j < out_; ++j) {
    double line = 0.0;
    for (int i = 0; i < in_; ++i) {
      const double u = static_cast<double>(g(j, i)) / step;
      if (std::abs(u) > 32767.0 || u != std::nearbyint(u)) {
        units_.clear();
        return;
      }
      units_[static_cast<size_t>(j) * in_padded_ + i] = static_cast<int16_t>(u);
      line += std::abs(u);
    }
    worst_line = std::max(worst_line, line);
  }
  // Every partial sum is bounded by x_max sum_i |u_ji|: below 2^24 it is an exact float as well as an exact
  // int32, so the integer result equals the float GEMM's (which is exact under the same bound).
  if (worst_line * x_max >= 16777216.0) {
    units_.clear();
    return;
  }
  step_ = step;
  usable_ = true;
}

void ReadCurrentMatrix::apply(const MatrixXfRowMajor& x, MatrixXfRowMajor& currents) const {
  AIMC_ASSERT(usable_ && x.cols() == in_);
  const Eigen::Index batch = x.rows();
  currents.resize(batch, out_);
  if (batch == 0) return;
  Int16Rows u(static_cast<size_t>(batch) * in_padded_, 0);
  for (Eigen::Index b = 0; b < batch; ++b) {
    const float* xb = x.row(b).data();
    int16_t* ub = u.data() + static_cast<size_t>(b) * in_padded_;
    int i = 0;
#if defined(__SSE2__)
    for (; i + 8 <= in_; i += 8)  // integer codes within int16: exact conversions, no saturation
      _mm_storeu_si128(reinterpret_cast<__m128i*>(ub + i),
                       _mm_packs_epi32(_mm_cvttps_epi32(_mm_loadu_ps(xb + i)),
                                       _mm_cvttps_epi32(_mm_loadu_ps(xb + i + 4))));
#endif
    for (; i < in_; ++i) ub[i] = static_cast<int16_t>(xb[i]);
  }
  float* c = currents.data();
  Int16DotProducts::for_each(u.data(), batch, units_.data(), out_, in_padded_,
                             [&](Eigen::Index b, int j, int32_t acc) {
                               c[static_cast<size_t>(b) * out_ + j] = static_cast<float>(acc) * step_;
                             });
}

}  // namespace aimc
