// The exact-integer per-read variance product: close to the double-precision sum_i x_i^2 V_ji, and each
// row's result independent of the batch around it (the property the crossbar's bit-identity rests on).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "aimc/base/Rng.h"
#include "aimc/numerics/NormalSampler.h"
#include "aimc/numerics/ReadNoiseVarianceMatrix.h"

namespace aimc {
namespace {

TEST(ReadNoiseVarianceMatrix, MatchesDoublePrecisionAndIgnoresBatchSplits) {
  const int out = 37, in = 250, batch = 23;
  const CounterRng rng(5, 0, RngPurpose::kStimulus, 0);
  MatrixXfRowMajor v(out, in), x(batch, in);
  for (int j = 0; j < out; ++j)
    for (int i = 0; i < in; ++i) {
      const double u = rng.uniform(uint64_t(j) * in + i);
      v(j, i) = static_cast<float>(u * u * 3.7);  // skewed, some tiny elements
    }
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < in; ++i)
      x(b, i) =
          std::nearbyint(static_cast<float>(254.0 * rng.uniform(1000000 + uint64_t(b) * in + i) - 127.0));
  x.row(3).setZero();
  x.row(4).setZero();
  x(4, 17) = 127.0f;  // one-hot, the calibration read
  x.row(5) = x.row(6) / 8.0f;
  x.row(5) = x.row(5).array().round().matrix();  // small inputs only
  const ReadNoiseVarianceMatrix m(v);
  std::vector<float> var;
  m.apply(x, 0.25f, var);
  // Error relative to the variance itself plus what the same inputs give on an average element: a tiny
  // element read alone (a one-hot read of a low-conductance cell) is only good to a fraction of a unit.
  const double mean_v = v.cast<double>().mean();
  double worst = 0.0;
  for (int b = 0; b < batch; ++b)
    for (int j = 0; j < out; ++j) {
      double ref = 0.25, x2 = 0.0;
      for (int i = 0; i < in; ++i) {
        ref += double(x(b, i)) * x(b, i) * v(j, i);
        x2 += double(x(b, i)) * x(b, i);
      }
      worst = std::max(worst, std::abs(var[b * out + j] - ref) / (ref + x2 * mean_v));
    }
  std::printf("largest variance error %.4f %% (of the variance + the inputs' variance on a mean element)\n",
              100 * worst);
  EXPECT_LT(worst, 0.005);
  // Rows 7..16 alone give the same bits as inside the batch.
  const MatrixXfRowMajor part = x.middleRows(7, 10);
  std::vector<float> var_part;
  m.apply(part, 0.25f, var_part);
  for (int b = 0; b < 10; ++b)
    for (int j = 0; j < out; ++j) EXPECT_EQ(var_part[b * out + j], var[(7 + b) * out + j]);
  // Each row alone (the batch-of-one kernel) gives the same bits as inside the batch.
  for (int b : {0, 3, 4, 5, 22}) {
    const MatrixXfRowMajor one = x.row(b);
    m.apply(one, 0.25f, var_part);
    for (int j = 0; j < out; ++j) EXPECT_EQ(var_part[j], var[b * out + j]) << b << " " << j;
  }
  // No variance: the extra term only.
  const ReadNoiseVarianceMatrix zero(MatrixXfRowMajor::Zero(3, 4));
  zero.apply(MatrixXfRowMajor::Ones(2, 4), 1.5f, var);
  for (float f : var) EXPECT_EQ(f, 1.5f);
}

// The vectorised Philox of NormalSampler gives exactly CounterRng::block() (counters crossing 2^32 too).
TEST(NormalSampler, VectorisedPhiloxEqualsCounterRngBlocks) {
  const CounterRng rng(0x123456789ABCDEFull, 42, RngPurpose::kReadNoise, 77);
  for (uint64_t first : {uint64_t{0}, uint64_t{5}, (uint64_t{1} << 32) - 3}) {
    std::vector<uint32_t> words(4 * 37);
    NormalSampler::philox_blocks(rng, first, 37, words.data());
    for (size_t b = 0; b < 37; ++b) {
      const auto w = rng.block(first + b);
      for (int k = 0; k < 4; ++k) ASSERT_EQ(words[4 * b + k], w[k]) << first << " " << b << " " << k;
    }
  }
}

// A short fill (a small tile's outputs, transformed over only the pairs in use) gives the same bits as the
// same draws taken from a full chunk.
TEST(NormalSampler, ShortFillsEqualTheFullChunk) {
  const CounterRng rng(77, 3, RngPurpose::kReadNoise, 5);
  std::vector<float> full(256 + 300);
  NormalSampler::fill(rng, 40, full.size(), full.data());
  for (size_t count :
       {size_t{1}, size_t{3}, size_t{16}, size_t{37}, size_t{64}, size_t{100}, size_t{255}, size_t{300}}) {
    std::vector<float> part(count);
    NormalSampler::fill(rng, 40, count, part.data());
    for (size_t i = 0; i < count; ++i) ASSERT_EQ(part[i], full[i]) << count << " " << i;
  }
}

}  // namespace
}  // namespace aimc
