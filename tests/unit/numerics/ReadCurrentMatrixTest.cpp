// The integer read product: bit for bit the float GEMM on the exact grid that the crossbar used before it
// (so that switching the read path changed no simulated number), and unusable where int16 units or the
// 2^24 exactness bound would not hold.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "aimc/base/Rng.h"
#include "aimc/numerics/ReadCurrentMatrix.h"

namespace aimc {
namespace {

// G on the grid 2^-20 with |units| <= max_units; x integer codes in [-x_max, x_max].
MatrixXfRowMajor grid_matrix(int out, int in, int max_units, float step) {
  const CounterRng rng(9, 0, RngPurpose::kStimulus, 1);
  MatrixXfRowMajor g(out, in);
  for (int j = 0; j < out; ++j)
    for (int i = 0; i < in; ++i) {
      const double u = rng.uniform(uint64_t(j) * in + i);
      g(j, i) = static_cast<float>(std::nearbyint((2.0 * u - 1.0) * u * max_units)) * step;
    }
  return g;
}

MatrixXfRowMajor codes(int batch, int in, int x_max) {
  const CounterRng rng(9, 0, RngPurpose::kStimulus, 2);
  MatrixXfRowMajor x(batch, in);
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < in; ++i)
      x(b, i) = std::nearbyint(static_cast<float>((2.0 * rng.uniform(uint64_t(b) * in + i) - 1.0) * x_max));
  if (batch > 3) {
    x.row(1).setZero();
    x.row(2).setZero();
    x(2, in / 2) = static_cast<float>(x_max);  // one-hot, as in the calibration read
  }
  return x;
}

TEST(ReadCurrentMatrix, EqualsTheFloatGemmOnTheGridBitForBit) {
  const float step = std::ldexp(1.0f, -20);
  for (const auto& [out, in] :
       {std::pair{256, 256}, std::pair{37, 250}, std::pair{16, 16}, std::pair{3, 5}}) {
    // Lines near the exactness bound: x_max * sum_i |u| just under 2^23, as quantise_to_exact_grid makes
    // them.
    const int x_max = 127;
    const int max_units = std::min(32767, static_cast<int>((1 << 23) / x_max / in * 3));
    const MatrixXfRowMajor g = grid_matrix(out, in, max_units, step);
    const ReadCurrentMatrix m(g, step, x_max);
    ASSERT_TRUE(m.usable()) << out << "x" << in;
    for (int batch : {1, 2, 7, 9, 64}) {
      const MatrixXfRowMajor x = codes(batch, in, x_max);
      MatrixXfRowMajor want(batch, out), got;
      want.noalias() = x * g.transpose();
      m.apply(x, got);
      ASSERT_EQ(got.rows(), batch);
      ASSERT_EQ(got.cols(), out);
      for (int b = 0; b < batch; ++b)
        for (int j = 0; j < out; ++j)
          ASSERT_EQ(got(b, j), want(b, j))
              << out << "x" << in << " batch " << batch << " (" << b << "," << j << ")";
    }
  }
}

TEST(ReadCurrentMatrix, UnusableBeyondInt16UnitsOrTheExactBound) {
  const float step = std::ldexp(1.0f, -10);
  MatrixXfRowMajor g = MatrixXfRowMajor::Zero(2, 8);
  g(0, 0) = 40000.0f * step;  // more than int16 units
  EXPECT_FALSE(ReadCurrentMatrix(g, step, 127).usable());
  g(0, 0) = 0.5f * step;  // off the grid
  EXPECT_FALSE(ReadCurrentMatrix(g, step, 127).usable());
  g.setConstant(30000.0f * step);  // x_max * line sum = 127 * 240000 >= 2^24
  EXPECT_FALSE(ReadCurrentMatrix(g, step, 127).usable());
  EXPECT_TRUE(ReadCurrentMatrix(g, step, 127 / 4).usable());
  EXPECT_FALSE(ReadCurrentMatrix(MatrixXfRowMajor::Zero(2, 4), 0.0f, 127).usable());
}

}  // namespace
}  // namespace aimc
