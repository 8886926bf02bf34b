#include "aimc/base/Rng.h"

#include <algorithm>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define AIMC_PHILOX_AVX2 1
#endif

namespace aimc {

namespace {

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

constexpr size_t kChunkPairs = 128;  // a multiple of 8 (the Philox batch) and of every vector width

// The Box-Muller transform of a whole chunk (fixed trip count, so it vectorises at -O2); AVX2 when the host
// has it (AVX-512 on x86-64-v4). No FMA (-ffp-contract=off): the same IEEE operations, in the same order, as
// CounterRng::box_muller on every path.
#if defined(AIMC_PHILOX_AVX2)
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#endif
void box_muller_chunk(const double* __restrict u1, const double* __restrict u2, double* __restrict z0,
                      double* __restrict z1) {
  for (size_t i = 0; i < kChunkPairs; ++i) {
    const auto z = CounterRng::box_muller(u1[i], u2[i]);
    z0[i] = z[0];
    z1[i] = z[1];
  }
}

}  // namespace

void CounterRng::fill_blocks(uint64_t first_block, size_t blocks, uint32_t* words) const {
  size_t b = 0;
#if defined(AIMC_PHILOX_AVX2)
  if (kHostHasAvx2)
    for (; b + 8 <= blocks; b += 8) philox8_avx2(*this, first_block + b, words + 4 * b);
#endif
  for (; b < blocks; ++b) {
    const auto w = block(first_block + b);
    for (int k = 0; k < 4; ++k) words[4 * b + k] = w[k];
  }
}

void CounterRng::fill_normal(uint64_t first_index, size_t n, double* out) const {
  size_t i = 0;
  if (n > 0 && (first_index & 1)) out[i++] = normal(first_index);
  uint32_t words[2 * kChunkPairs + 4];
  double u1[kChunkPairs], u2[kChunkPairs], z0[kChunkPairs], z1[kChunkPairs];
  while (n - i >= 2) {
    const uint64_t pair = (first_index + i) >> 1;
    const size_t pairs = std::min(kChunkPairs, (n - i) / 2);
    // Blocks pair / 2 .. (pair + pairs - 1) / 2; an odd first pair starts at the block's second half.
    const size_t skip = pair & 1;
    fill_blocks(pair >> 1, (skip + pairs + 1) / 2, words);
    for (size_t k = 0; k < kChunkPairs; ++k) {
      // Pairs past the end are padding (their results are dropped).
      const size_t at = 2 * (skip + k);
      u1[k] = k < pairs ? to_unit(words[at]) : 0.5;
      u2[k] = k < pairs ? to_unit(words[at + 1]) : 0.5;
    }
    box_muller_chunk(u1, u2, z0, z1);
    for (size_t k = 0; k < pairs; ++k) {
      out[i + 2 * k] = z0[k];
      out[i + 2 * k + 1] = z1[k];
    }
    i += 2 * pairs;
  }
  if (i < n) out[i] = normal(first_index + i);
}

}  // namespace aimc
