#include "aimc/numerics/NormalSampler.h"

#include <Eigen/Core>
#include <algorithm>
#include <array>

namespace aimc {

namespace {
// 24-bit uniforms in the open interval (0, 1): exact in float, so the transform is host independent.
inline float unit_open(uint32_t w) {
  return (static_cast<float>(w >> 8) + 0.5f) * (1.0f / 16777216.0f);
}

}  // namespace

void NormalSampler::philox_blocks(const CounterRng& rng, uint64_t first_block, size_t blocks,
                                  uint32_t* words) {
  rng.fill_blocks(first_block, blocks, words);
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
