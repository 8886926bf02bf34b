#pragma once
// Shared by the benchmarks: CPU time of this thread or process, and seeded uniform [0, 1) images of a model's
// input shape (timing does not depend on the values).
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "aimc/base/Npy.h"
#include "aimc/base/Rng.h"

namespace aimc::bench {

inline double cpu_seconds(clockid_t clock = CLOCK_THREAD_CPUTIME_ID) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// `count` images of `shape` (its batch dimension replaced), from CounterRng (seed, kWorkload).
inline NpyArray random_images(std::vector<int64_t> shape, int64_t count, uint64_t seed,
                              const std::string& source) {
  int64_t features = 1;
  for (size_t d = 1; d < shape.size(); ++d) features *= shape[d];
  shape[0] = count;
  std::vector<float> values;
  const CounterRng rng(seed, 0, RngPurpose::kWorkload);
  for (int64_t i = 0; i < count * features; ++i)
    values.push_back(static_cast<float>(rng.uniform(static_cast<uint64_t>(i))));
  NpyArray x = NpyArray::fromFloat32(shape, values);
  x.source = source;
  return x;
}

}  // namespace aimc::bench
