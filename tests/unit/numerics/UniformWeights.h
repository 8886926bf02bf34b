#pragma once
// Deterministic test weights uniform in [-1, 1) from CounterRng (seed, sub), for the numerics tests.
#include <Eigen/Core>
#include <cstdint>

#include "aimc/base/Rng.h"

namespace aimc::test {

inline Eigen::MatrixXf uniform_weights(int rows, int cols, uint64_t seed, uint32_t sub) {
  const CounterRng rng(seed, 0, RngPurpose::kStimulus, sub);
  Eigen::MatrixXf w(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j)
      w(i, j) = static_cast<float>(2.0 * rng.uniform(uint64_t(i) * cols + j) - 1.0);
  return w;
}

}  // namespace aimc::test
