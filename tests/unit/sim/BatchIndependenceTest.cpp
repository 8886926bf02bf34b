// Issue 21, item 9: the same seed gives every sample the same outputs whatever the batch (--batch) and at
// every inference time. A sample's read noise is keyed by its number, and sample i of the input set at the
// k-th time is number first_sample_number(k) + i in every run (sim/Execution.h); before, the numbers of the
// second and later times continued from the batch's end, so 87 of 100 logits at 1 h differed between --batch
// 100 and 10.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../CliRunner.h"
#include "aimc/base/Npy.h"
#include "aimc/sim/Execution.h"

namespace aimc {
namespace {

// logits.npy of configs/digits_cnn.yaml (four inference times) with `flags`: [times, samples, classes].
NpyArray logits(const std::string& name, const std::string& flags) {
  const std::string out = testing::TempDir() + "/batch_independence_" + name;
  int status = -1;
  const std::string log =
      aimc_test::run_cli_all("run configs/digits_cnn.yaml --seed 7 --out " + out + " " + flags, &status);
  EXPECT_EQ(status, 0) << log;
  return Npy::read(out + "/logits.npy");
}

// The first `samples` samples of every time of `a`, as a flat vector.
std::vector<float> first_samples(const NpyArray& a, int64_t samples) {
  const std::vector<float> all = a.toFloatVector();
  const int64_t per_sample = a.shape[2], per_time = a.shape[1] * per_sample;
  std::vector<float> out;
  for (int64_t t = 0; t < a.shape[0]; ++t)
    out.insert(out.end(), all.begin() + t * per_time, all.begin() + t * per_time + samples * per_sample);
  return out;
}

TEST(BatchIndependence, EverySampleGetsTheSameOutputsWhateverTheBatchAtEveryTime) {
  for (const char* timing : {"on", "off"}) {
    const NpyArray big = logits(std::string("100_") + timing, std::string("--batch 100 --timing ") + timing);
    const NpyArray small = logits(std::string("10_") + timing, std::string("--batch 10 --timing ") + timing);
    ASSERT_EQ(big.shape.size(), 3u);
    ASSERT_GE(big.shape[0], 2) << "the config must have several inference times";
    ASSERT_EQ(small.shape[1], 10);
    EXPECT_EQ(first_samples(big, 10), first_samples(small, 10)) << "timing " << timing;
  }
}

// The numbers of one time never reach the next time's.
TEST(BatchIndependence, SampleNumbersOfEachTimeAreApart) {
  EXPECT_EQ(first_sample_number(0), 0u);
  EXPECT_EQ(first_sample_number(3) - first_sample_number(2), kSampleNumbersPerTime);
  EXPECT_GE(kSampleNumbersPerTime, uint64_t{1} << 32);
}

}  // namespace
}  // namespace aimc
