#pragma once
// Exact int32 dot products of int16 vectors, the inner kernel of the crossbar's exact read products
// (ReadNoiseVarianceMatrix: per-read noise variances; ReadCurrentMatrix: the currents themselves). Every
// product and partial sum is an exact int32 as long as the caller bounds sum_i |u_i v_i| below 2^31, so SSE2
// pmaddwd, AVX2 or AVX-512 VNNI (picked at run time; the build stays generic, no -march) and the scalar loop
// all give the same integers on every host.
#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AIMC_INT16_DOT_AVX2 1
#endif

namespace aimc {

// Storage for int16 rows padded to 32 elements: 64-byte aligned, so that every 512-bit (and 256-bit) load of
// a row lies within one cache line (a load split over two lines costs two).
template <typename T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlign{64};
  CacheLineAllocator() = default;
  template <typename U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
  void deallocate(T* p, size_t) { ::operator delete(p, kAlign); }
  template <typename U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
  template <typename U>
  bool operator!=(const CacheLineAllocator<U>&) const {
    return false;
  }
};
using Int16Rows = std::vector<int16_t, CacheLineAllocator<int16_t>>;

namespace int16_dot_detail {

// Exact int32 dot products of kRows int16 vectors u[r] with one int16 vector v, length n (a multiple of 32):
// the rows share each load of v.
constexpr int kRows = 8;
template <int R>
inline void dots(const int16_t* const* u, const int16_t* v, int n, int32_t* out) {
#if defined(__SSE2__)
  __m128i acc[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) acc[r] = _mm_setzero_si128();
  for (int i = 0; i < n; i += 8) {
    const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i));
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
      acc[r] = _mm_add_epi32(acc[r],
                             _mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(u[r] + i)), vb));
  }
#pragma GCC unroll 8
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

#if defined(AIMC_INT16_DOT_AVX2)
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
  constexpr int kHalf = std::min(R, 4);  // 2 x 4 accumulators fit the 16 ymm registers
#pragma GCC unroll 8
  for (int h = 0; h < R; h += kHalf) {
    __m256i a0[kHalf], a1[kHalf];
#pragma GCC unroll 8
    for (int r = 0; r < kHalf; ++r) a0[r] = a1[r] = _mm256_setzero_si256();
    for (int i = 0; i < n; i += 16) {
      const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v0 + i));
      const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v1 + i));
#pragma GCC unroll 8
      for (int r = 0; r < kHalf; ++r) {
        const __m256i ur = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(u[h + r] + i));
        a0[r] = _mm256_add_epi32(a0[r], _mm256_madd_epi16(ur, b0));
        a1[r] = _mm256_add_epi32(a1[r], _mm256_madd_epi16(ur, b1));
      }
    }
#pragma GCC unroll 8
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
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) a0[r] = a1[r] = _mm512_setzero_si512();
  for (int i = 0; i < n; i += 32) {
    const __m512i b0 = _mm512_loadu_si512(v0 + i);
    const __m512i b1 = _mm512_loadu_si512(v1 + i);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const __m512i ur = _mm512_loadu_si512(u[r] + i);
      a0[r] = _mm512_dpwssd_epi32(a0[r], ur, b0);
      a1[r] = _mm512_dpwssd_epi32(a1[r], ur, b1);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    out0[r] = _mm512_reduce_add_epi32(a0[r]);
    out1[r] = _mm512_reduce_add_epi32(a1[r]);
  }
}

// Touches R consecutive cache lines from p on (a hint: never faults, changes no result).
template <int R>
inline void prefetch_lines(const char* p) {
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) _mm_prefetch(p + 64 * r, _MM_HINT_T0);
}

// One vector v against R rows u[r] (a batch of one: R matrix rows share each load of v and R independent
// accumulators hide the multiply-add latency).
template <int R>
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void dots_vnni(const int16_t* const* u,
                                                                      const int16_t* v, int n, int32_t* out,
                                                                      const char* ahead) {
  __m512i a[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) a[r] = _mm512_setzero_si512();
  for (int i = 0; i < n; i += 32) {
    if (ahead) prefetch_lines<R>(ahead + static_cast<size_t>(i) * 2 * R);
    const __m512i b = _mm512_loadu_si512(v + i);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) a[r] = _mm512_dpwssd_epi32(a[r], _mm512_loadu_si512(u[r] + i), b);
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) out[r] = _mm512_reduce_add_epi32(a[r]);
}

template <int R>
__attribute__((target("avx2"))) void dots_avx2(const int16_t* const* u, const int16_t* v, int n, int32_t* out,
                                               const char* ahead) {
  __m256i a[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) a[r] = _mm256_setzero_si256();
  for (int i = 0; i < n; i += 16) {
    if (ahead && i % 32 == 0) prefetch_lines<R>(ahead + static_cast<size_t>(i) * 2 * R);
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + i));
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
      a[r] = _mm256_add_epi32(
          a[r], _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(u[r] + i)), b));
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) out[r] = sum_lanes(a[r]);
}

enum class DotKernel { kBase, kAvx2, kVnni };
inline const DotKernel kKernel = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw")
                                     ? DotKernel::kVnni
                                 : __builtin_cpu_supports("avx2") ? DotKernel::kAvx2
                                                                  : DotKernel::kBase;
#endif

// Two vectors at once with the best kernel of the host, R rows.
template <int R>
inline void dots2(const int16_t* const* u, const int16_t* v0, const int16_t* v1, int n, int32_t* out0,
                  int32_t* out1) {
#if defined(AIMC_INT16_DOT_AVX2)
  if (kKernel == DotKernel::kVnni) return dots2_vnni<R>(u, v0, v1, n, out0, out1);
  if (kKernel == DotKernel::kAvx2) return dots2_avx2<R>(u, v0, v1, n, out0, out1);
#endif
  dots<R>(u, v0, n, out0);
  dots<R>(u, v1, n, out1);
}

// R rows against one vector with the best kernel of the host.
// `ahead`: R x n int16 (R n / 32 cache lines) to prefetch while computing, or nullptr.
template <int R>
inline void dots_best(const int16_t* const* u, const int16_t* v, int n, int32_t* out, const char* ahead) {
#if defined(AIMC_INT16_DOT_AVX2)
  if (kKernel == DotKernel::kVnni) return dots_vnni<R>(u, v, n, out, ahead);
  if (kKernel == DotKernel::kAvx2) return dots_avx2<R>(u, v, n, out, ahead);
#endif
  (void)ahead;
  dots<R>(u, v, n, out);
}

// The smallest kernel that covers `live` rows (a short last block, or a batch of one, wastes no work).
inline void dots2_rows(int live, const int16_t* const* u, const int16_t* v0, const int16_t* v1, int n,
                       int32_t* out0, int32_t* out1) {
  if (live <= 1) return dots2<1>(u, v0, v1, n, out0, out1);
  if (live <= 2) return dots2<2>(u, v0, v1, n, out0, out1);
  if (live <= 4) return dots2<4>(u, v0, v1, n, out0, out1);
  dots2<kRows>(u, v0, v1, n, out0, out1);
}

}  // namespace int16_dot_detail

class Int16DotProducts {
 public:
  // Rows of `u` handled per pass over the matrix.
  static constexpr int kRows = int16_dot_detail::kRows;
  static constexpr int kPrefetchRows =
      6 * kRows;  // ~24 KB ahead for 256 inputs: measured best of 2 and 6 blocks

  // For b < batch, j < out: sink(b, j, sum_i u[b * n + i] m[j * n + i]) with u [batch, n] and m [out, n], n a
  // multiple of 32 (zero padded). Each matrix row is loaded once per kRows rows of u and shared by them: the
  // matrix is streamed once for a batch of up to kRows.
  template <typename Sink>
  static void for_each(const int16_t* u, Eigen::Index batch, const int16_t* m, int out, int n, Sink&& sink) {
    using namespace int16_dot_detail;
    if (batch == 1) {
      // One vector: kRows matrix rows per pass instead (rows past `out` alias the last, results dropped).
      int32_t acc[kRows];
      for (int j = 0; j < out; j += kRows) {
        const int live = std::min(kRows, out - j);
        const int16_t* rows[kRows];
        for (int r = 0; r < kRows; ++r) rows[r] = m + static_cast<size_t>(j + (r < live ? r : live - 1)) * n;
        // A batch of one streams the matrix once, with little arithmetic per byte: when the matrix is not in
        // cache (many tiles in turn) the loads wait on memory, so fetch the rows kPrefetchRows ahead.
        const int next = j + kPrefetchRows;
        dots_best<kRows>(
            rows, u, n, acc,
            next + kRows <= out ? reinterpret_cast<const char*>(m + static_cast<size_t>(next) * n) : nullptr);
        for (int r = 0; r < live; ++r) sink(0, j + r, acc[r]);
      }
      return;
    }
    const Eigen::Index blocks = (batch + kRows - 1) / kRows;
    int32_t acc0[kRows], acc1[kRows];
    for (Eigen::Index blk = 0; blk < blocks; ++blk) {
      const int16_t* rows[kRows];
      const int live = static_cast<int>(std::min<Eigen::Index>(kRows, batch - blk * kRows));
      // Rows past the batch (read by a kernel wider than `live`, results dropped) alias the block's first.
      for (int r = 0; r < kRows; ++r) rows[r] = u + static_cast<size_t>(blk * kRows + (r < live ? r : 0)) * n;
      auto emit = [&](int j, const int32_t* acc) {
        for (int r = 0; r < live; ++r) sink(blk * kRows + r, j, acc[r]);
      };
      int j = 0;
      for (; j + 2 <= out; j += 2) {
        const int16_t* mj = m + static_cast<size_t>(j) * n;
        dots2_rows(live, rows, mj, mj + n, n, acc0, acc1);
        emit(j, acc0);
        emit(j + 1, acc1);
      }
      if (j < out) {
        dots<kRows>(rows, m + static_cast<size_t>(j) * n, n, acc0);
        emit(j, acc0);
      }
    }
  }
};

}  // namespace aimc
