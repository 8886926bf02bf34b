#pragma once
// Many standard normal draws from one CounterRng, fast: each Philox block (4 x 32 bits) gives four normals by
// two Box-Muller transforms evaluated in float with Eigen's vectorised log/sqrt/sin/cos. Draw k is a pure
// function of (rng key, k): normal k uses block k / 4, so any sub-range is reproducible on its own.
#include <cstddef>
#include <cstdint>

#include "aimc/base/Rng.h"

namespace aimc {

class NormalSampler {
 public:
  // out[i] = normal number (4 * first_block + i) of `rng`, i < count.
  static void fill(const CounterRng& rng, uint64_t first_block, size_t count, float* out);
  // words[4 * b + k] = rng.block(first_block + b)[k], b < blocks: CounterRng::fill_blocks (Philox on 8
  // counters at once with AVX2 when the host has it, else block() itself — the same integers either way).
  static void philox_blocks(const CounterRng& rng, uint64_t first_block, size_t blocks, uint32_t* words);
};

}  // namespace aimc
