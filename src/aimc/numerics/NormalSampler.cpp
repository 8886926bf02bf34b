#include "aimc/numerics/NormalSampler.h"

#include <Eigen/Core>
#include <algorithm>

namespace aimc {

namespace {
// 24-bit uniforms in the open interval (0, 1): exact in float, so the transform is host independent.
inline float unit_open(uint32_t w) {
  return (static_cast<float>(w >> 8) + 0.5f) * (1.0f / 16777216.0f);
}
}  // namespace

void NormalSampler::fill(const CounterRng& rng, uint64_t first_block, size_t count, float* out) {
  constexpr size_t kChunkBlocks = 64;
  Eigen::Array<float, 2 * kChunkBlocks, 1> u1, u2;
  Eigen::Array<float, 4 * kChunkBlocks, 1> z;
  size_t done = 0;
  uint64_t block = first_block;
  while (done < count) {
    const size_t blocks = std::min(kChunkBlocks, (count - done + 3) / 4);
    for (size_t b = 0; b < blocks; ++b) {
      const auto w = rng.block(block + b);
      u1[2 * b] = unit_open(w[0]);
      u2[2 * b] = unit_open(w[1]);
      u1[2 * b + 1] = unit_open(w[2]);
      u2[2 * b + 1] = unit_open(w[3]);
    }
    const auto radius = (-2.0f * u1.log()).sqrt();
    const auto angle = 6.28318530717958647692f * u2;
    const Eigen::Array<float, 2 * kChunkBlocks, 1> c = radius * angle.cos();
    const Eigen::Array<float, 2 * kChunkBlocks, 1> s = radius * angle.sin();
    const size_t n = std::min(4 * blocks, count - done);
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
