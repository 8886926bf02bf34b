#include "aimc/numerics/ReadNoiseVarianceMatrix.h"

#include <algorithm>
#include <cmath>

#include "aimc/base/Error.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AIMC_VARIANCE_AVX2 1
#endif

namespace aimc {

namespace {

constexpr int kMaxXUnits = 1023;                             // x^2 units per row: 10 bits
constexpr int kMaxVUnits = 32767;                            // int16
constexpr double kMaxLineUnits = 2147483647.0 / kMaxXUnits;  // so that sum_i u_i V_ji fits int32

// Exact int32 dot products of kRows int16 vectors u[r] with one int16 vector v, length n (a multiple of 32):
// the rows share each load of v.
constexpr int kRows = 8;
template <int R>
inline void dots(const int16_t* const* u, const int16_t* v, int n, int32_t* out) {
#if defined(__SSE2__)
  __m128i acc[R];
  for (int r = 0; r < R; ++r) acc[r] = _mm_setzero_si128();
  for (int i = 0; i < n; i += 8) {
    const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i));
    for (int r = 0; r < R; ++r)
      acc[r] = _mm_add_epi32(acc[r],
                             _mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(u[r] + i)), vb));
  }
  for (int r = 0; r < R; ++r) {
    __m128i a = _mm_add_epi32(acc[r], _mm_shuffle_epi32(acc[r], _MM_SHUFFLE(1, 0, 3, 2)));
    a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(2, 3, 0, 1)));
    out[r] = _mm_cvtsi128_si32(a);
  }
#else
  for (int r = 0; r < R; ++r) {
    int32_t s = 0;
    for (int i = 0; i < n; ++i) s += static_cast<int32_t>(u[r][i]) * v[i];
    out[r] = s;
  }
#endif
}

#if defined(AIMC_VARIANCE_AVX2)
__attribute__((target("avx2"))) inline int32_t sum_lanes(__m256i acc) {
  __m128i a = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(1, 0, 3, 2)));
  a = _mm_add_epi32(a, _mm_shuffle_epi32(a, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(a);
}

// The same integers with 16 lanes and two vectors v0, v1 at once (each u load serves both), for hosts with
// AVX2 (picked at run time; the build stays generic).
template <int R>
__attribute__((target("avx2"))) void dots2_avx2(const int16_t* const* u, const int16_t* v0, const int16_t* v1,
                                                int n, int32_t* out0, int32_t* out1) {
  constexpr int kHalf = R < 4 ? R : 4;  // 2 x 4 accumulators fit the 16 ymm registers
  for (int h = 0; h < R; h += kHalf) {
    __m256i a0[kHalf], a1[kHalf];
    for (int r = 0; r < kHalf; ++r) a0[r] = a1[r] = _mm256_setzero_si256();
    for (int i = 0; i < n; i += 16) {
      const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v0 + i));
      const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v1 + i));
      for (int r = 0; r < kHalf; ++r) {
        const __m256i ur = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u[h + r] + i));
        a0[r] = _mm256_add_epi32(a0[r], _mm256_madd_epi16(ur, b0));
        a1[r] = _mm256_add_epi32(a1[r], _mm256_madd_epi16(ur, b1));
      }
    }
    for (int r = 0; r < kHalf; ++r) {
      out0[h + r] = sum_lanes(a0[r]);
      out1[h + r] = sum_lanes(a1[r]);
    }
  }
}

// AVX-512 VNNI: vpdpwssd fuses the multiply-add of 32 int16 pairs into int32 lanes (not the saturating form),
// so the sums are the same integers again.
template <int R>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void dots2_vnni(const int16_t* const* u,
                                                                       const int16_t* v0, const int16_t* v1,
                                                                       int n, int32_t* out0, int32_t* out1) {
  __m512i a0[R], a1[R];
  for (int r = 0; r < R; ++r) a0[r] = a1[r] = _mm512_setzero_si512();
  for (int i = 0; i < n; i += 32) {
    const __m512i b0 = _mm512_loadu_si512(v0 + i);
    const __m512i b1 = _mm512_loadu_si512(v1 + i);
    for (int r = 0; r < R; ++r) {
      const __m512i ur = _mm512_loadu_si512(u[r] + i);
      a0[r] = _mm512_dpwssd_epi32(a0[r], ur, b0);
      a1[r] = _mm512_dpwssd_epi32(a1[r], ur, b1);
    }
  }
  for (int r = 0; r < R; ++r) {
    out0[r] = _mm512_reduce_add_epi32(a0[r]);
    out1[r] = _mm512_reduce_add_epi32(a1[r]);
  }
}

enum class DotKernel { kBase, kAvx2, kVnni };
const DotKernel kKernel = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw")
                              ? DotKernel::kVnni
                          : __builtin_cpu_supports("avx2") ? DotKernel::kAvx2
                                                           : DotKernel::kBase;
#endif

// Two vectors at once with the best kernel of the host, R rows.
template <int R>
inline void dots2(const int16_t* const* u, const int16_t* v0, const int16_t* v1, int n, int32_t* out0,
                  int32_t* out1) {
#if defined(AIMC_VARIANCE_AVX2)
  if (kKernel == DotKernel::kVnni) return dots2_vnni<R>(u, v0, v1, n, out0, out1);
  if (kKernel == DotKernel::kAvx2) return dots2_avx2<R>(u, v0, v1, n, out0, out1);
#endif
  dots<R>(u, v0, n, out0);
  dots<R>(u, v1, n, out1);
}

// The smallest kernel that covers `live` rows (a short last block, or a batch of one, wastes no work).
inline void dots2_rows(int live, const int16_t* const* u, const int16_t* v0, const int16_t* v1, int n,
                       int32_t* out0, int32_t* out1) {
  if (live <= 1) return dots2<1>(u, v0, v1, n, out0, out1);
  if (live <= 2) return dots2<2>(u, v0, v1, n, out0, out1);
  if (live <= 4) return dots2<4>(u, v0, v1, n, out0, out1);
  dots2<kRows>(u, v0, v1, n, out0, out1);
}

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
  // x^2 of every row in int16 units of a power of two of its own, so that its largest is <= kMaxXUnits units;
  // rows padded to a multiple of kRows with zeros (their results are dropped).
  const Eigen::Index blocks = (batch + kRows - 1) / kRows;
  std::vector<int16_t> u(static_cast<size_t>(blocks * kRows) * in_padded_, 0);
  std::vector<float> scale(static_cast<size_t>(blocks * kRows), 0.0f);
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
  int32_t acc0[kRows], acc1[kRows];
  auto add = [&](Eigen::Index blk, int live, int j, const int32_t* acc) {
    for (int r = 0; r < live; ++r) {
      const size_t b = static_cast<size_t>(blk * kRows + r);
      var[b * out_ + j] += static_cast<float>(acc[r]) * scale[b];
    }
  };
  for (Eigen::Index blk = 0; blk < blocks; ++blk) {
    const int16_t* rows[kRows];
    for (int r = 0; r < kRows; ++r) rows[r] = u.data() + static_cast<size_t>(blk * kRows + r) * in_padded_;
    const int live = static_cast<int>(std::min<Eigen::Index>(kRows, batch - blk * kRows));
    int j = 0;
    for (; j + 2 <= out_; j += 2) {
      const int16_t* vj = units_.data() + static_cast<size_t>(j) * in_padded_;
      dots2_rows(live, rows, vj, vj + in_padded_, in_padded_, acc0, acc1);
      add(blk, live, j, acc0);
      add(blk, live, j + 1, acc1);
    }
    if (j < out_) {
      dots<kRows>(rows, units_.data() + static_cast<size_t>(j) * in_padded_, in_padded_, acc0);
      add(blk, live, j, acc0);
    }
  }
}

}  // namespace aimc
