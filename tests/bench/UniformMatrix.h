#pragma once
// The benchmarks' stimulus: an r x c matrix of uniform values in [-1, 1) from the counter-based generator
// (seed 1, purpose kStimulus, sub-stream `sub`), the same bits on every host.
#include <Eigen/Core>
#include <cstdint>

#include "aimc/base/Rng.h"

namespace aimc_bench {

inline Eigen::MatrixXf uniform(int r, int c, uint32_t sub) {
  const aimc::CounterRng rng(1, 0, aimc::RngPurpose::kStimulus, sub);
  Eigen::MatrixXf m(r, c);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) m(i, j) = static_cast<float>(2.0 * rng.uniform(uint64_t(i) * c + j) - 1.0);
  return m;
}

}  // namespace aimc_bench
