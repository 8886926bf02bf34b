#include "aimc/numerics/NormalSampler.h"

#include <Eigen/Core>
#include <algorithm>
#include <array>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AIMC_PHILOX_AVX2 1
#endif

namespace aimc {

namespace {
// 24-bit uniforms in the open interval (0, 1): exact in float, so the transform is host independent.
inline float unit_open(uint32_t w) {
  return (static_cast<float>(w >> 8) + 0.5f) * (1.0f / 16777216.0f);
}
#if defined(AIMC_PHILOX_AVX2)
// 8 Philox4x32-10 counters (first, first + 1, ..., first + 7) in structure-of-arrays form.
__attribute__((target("avx2"))) void philox8_avx2(const CounterRng& rng, uint64_t first, uint32_t* words) {
  alignas(32) uint32_t lo[8], hi[8];
  for (int l = 0; l < 8; ++l) {
    lo[l] = static_cast<uint32_t>(first + l);
    hi[l] = static_cast<uint32_t>((first + l) >> 32);
  }
  __m256i c0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(lo));
  __m256i c1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(hi));
  __m256i c2 = _mm256_set1_epi32(static_cast<int>(rng.stream_lo()));
  __m256i c3 = _mm256_set1_epi32(static_cast<int>(rng.stream_hi()));
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(CounterRng::kPhiloxMul0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(CounterRng::kPhiloxMul1));
  std::array<uint32_t, 2> key = rng.key();
  for (int round = 0; round < 10; ++round) {
    // 32 x 32 -> 64-bit products of even and odd lanes, split into low and high words per lane.
    const __m256i p0e = _mm256_mul_epu32(c0, m0), p0o = _mm256_mul_epu32(_mm256_srli_epi64(c0, 32), m0);
    const __m256i p1e = _mm256_mul_epu32(c2, m1), p1o = _mm256_mul_epu32(_mm256_srli_epi64(c2, 32), m1);
    const __m256i lo0 = _mm256_blend_epi32(p0e, _mm256_slli_epi64(p0o, 32), 0xAA);
    const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(p0e, 32), p0o, 0xAA);
    const __m256i lo1 = _mm256_blend_epi32(p1e, _mm256_slli_epi64(p1o, 32), 0xAA);
    const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(p1e, 32), p1o, 0xAA);
    const __m256i k0 = _mm256_set1_epi32(static_cast<int>(key[0]));
    const __m256i k1 = _mm256_set1_epi32(static_cast<int>(key[1]));
    c0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), k0);
    c1 = lo1;
    c2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), k1);
    c3 = lo0;
    key[0] += CounterRng::kPhiloxWeyl0;
    key[1] += CounterRng::kPhiloxWeyl1;
  }
  alignas(32) uint32_t w[4][8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(w[0]), c0);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w[1]), c1);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w[2]), c2);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w[3]), c3);
  for (int l = 0; l < 8; ++l)
    for (int k = 0; k < 4; ++k) words[4 * l + k] = w[k][l];
}
const bool kHostHasAvx2 = __builtin_cpu_supports("avx2");
#endif

}  // namespace

void NormalSampler::philox_blocks(const CounterRng& rng, uint64_t first_block, size_t blocks,
                                  uint32_t* words) {
  size_t b = 0;
#if defined(AIMC_PHILOX_AVX2)
  if (kHostHasAvx2)
    for (; b + 8 <= blocks; b += 8) philox8_avx2(rng, first_block + b, words + 4 * b);
#endif
  for (; b < blocks; ++b) {
    const auto w = rng.block(first_block + b);
    for (int k = 0; k < 4; ++k) words[4 * b + k] = w[k];
  }
}

void NormalSampler::fill(const CounterRng& rng, uint64_t first_block, size_t count, float* out) {
  constexpr size_t kChunkBlocks = 64;
  constexpr Eigen::Index kPairQuantum = 16;  // a multiple of every float packet size (SSE 4 ... AVX-512 16)
  Eigen::Array<float, 2 * kChunkBlocks, 1> u1, u2;
  Eigen::Array<float, 4 * kChunkBlocks, 1> z;
  size_t done = 0;
  uint64_t block = first_block;
  while (done < count) {
    const size_t blocks = std::min(kChunkBlocks, (count - done + 3) / 4);
    uint32_t words[4 * kChunkBlocks];
    philox_blocks(rng, block, blocks, words);
    for (size_t b = 0; b < blocks; ++b) {
      const uint32_t* w = words + 4 * b;
      u1[2 * b] = unit_open(w[0]);
      u2[2 * b] = unit_open(w[1]);
      u1[2 * b + 1] = unit_open(w[2]);
      u2[2 * b + 1] = unit_open(w[3]);
    }
    const size_t n = std::min(4 * blocks, count - done);
    // Transform only the pairs in use (a short chunk: a small tile's outputs), rounded up to whole packets
    // from the aligned start (kPairQuantum), so that every element takes the same vectorised path whatever
    // the chunk length and gets the same bits. The radius is evaluated once into an array (as a lazy
    // expression it was computed again for the sine), which stores the very floats the expression gives.
    const Eigen::Index used = static_cast<Eigen::Index>(2 * blocks);
    const Eigen::Index m = (used + kPairQuantum - 1) / kPairQuantum * kPairQuantum;
    u1.segment(used, m - used).setConstant(0.5f);  // defined padding (its results are dropped)
    u2.segment(used, m - used).setConstant(0.5f);
    Eigen::Array<float, 2 * kChunkBlocks, 1> radius, angle, c, s;
    radius.head(m) = (-2.0f * u1.head(m).log()).sqrt();
    angle.head(m) = 6.28318530717958647692f * u2.head(m);
    c.head(m) = radius.head(m) * angle.head(m).cos();
    s.head(m) = radius.head(m) * angle.head(m).sin();
    for (size_t i = 0; i < n; ++i) {
      // Normal 4b + {0,1} from the first pair, 4b + {2,3} from the second.
      const size_t pair = i / 2;
      out[done + i] = (i & 1) ? s[pair] : c[pair];
    }
    done += n;
    block += blocks;
  }
}

}  // namespace aimc
