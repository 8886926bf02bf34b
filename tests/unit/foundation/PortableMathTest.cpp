// The fixed log / exp / pow / sin-cos kernels (base/PortableMath.h) against libm, and the batched normal
// draws (CounterRng::fill_normal, fill_blocks) against their scalar definition, bit for bit.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "aimc/base/PortableMath.h"
#include "aimc/base/Rng.h"

namespace aimc {
namespace {

// |a - b| in units in the last place of b.
double ulps(double a, double b) {
  const double ulp = std::nextafter(std::fabs(b), 1e300) - std::fabs(b);
  return std::fabs(a - b) / ulp;
}

TEST(PortableMath, LogWithin3UlpOfLibm) {
  double worst = 0.0;
  for (int i = 0; i <= 200000; ++i) {  // 1e-13 .. 1e13, and the Box-Muller uniforms (0, 1)
    const double x = std::exp(-30.0 + 60.0 * i / 200000.0);
    worst = std::max(worst, ulps(pm::log(x), std::log(x)));
    const double u = (static_cast<double>(i) * 21474.83 + 0.5) / 4294967296.0;
    worst = std::max(worst, ulps(pm::log(u), std::log(u)));
  }
  EXPECT_LE(worst, 3.0);
  EXPECT_EQ(pm::log(1.0), 0.0);
}

TEST(PortableMath, ExpWithin2UlpOfLibmAndClamped) {
  double worst = 0.0;
  for (int i = 0; i <= 200000; ++i) {
    const double x = -700.0 + 1400.0 * i / 200000.0;
    worst = std::max(worst, ulps(pm::exp(x), std::exp(x)));
  }
  EXPECT_LE(worst, 2.0);
  EXPECT_EQ(pm::exp(0.0), 1.0);  // exactly: drift at t = 0 leaves a conductance untouched
  EXPECT_EQ(pm::exp(-0.0), 1.0);
  EXPECT_GT(pm::exp(-1e6), 0.0);  // clamped to e^-708, still normal
  EXPECT_TRUE(std::isfinite(pm::exp(1e6)));
}

TEST(PortableMath, PowMatchesLibmRelatively) {
  for (int i = 1; i <= 10000; ++i) {
    const double x = i / 10000.0;
    EXPECT_NEAR(pm::pow(x, 0.65), std::pow(x, 0.65), 1e-14 * std::pow(x, 0.65)) << x;
  }
}

TEST(PortableMath, SinCos2PiWithin1e15OfLibm) {
  double worst = 0.0;
  for (int i = 0; i < 200000; ++i) {
    const double u = (i + 0.5) / 200000.0;
    const pm::SinCos s = pm::sincos_2pi(u);
    worst = std::max(worst, std::fabs(s.sin - std::sin(2.0 * M_PI * u)));
    worst = std::max(worst, std::fabs(s.cos - std::cos(2.0 * M_PI * u)));
  }
  EXPECT_LE(worst, 1e-15);
  EXPECT_EQ(pm::sincos_2pi(0.25).sin, 1.0);
  EXPECT_EQ(pm::sincos_2pi(0.5).cos, -1.0);
}

// The batch equals the scalar definition for every start parity, length (tails of the 8-block Philox batch
// and of the 128-pair chunk) and counters past 2^32.
TEST(CounterRngBatch, FillNormalEqualsNormalBitForBit) {
  const CounterRng rng(0x123456789ull, 7, RngPurpose::kProgramming, 3);
  for (uint64_t first : {uint64_t{0}, uint64_t{1}, uint64_t{6}, (uint64_t{1} << 33) - 5}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{15}, size_t{17}, size_t{255},
                     size_t{256}, size_t{257}, size_t{1001}}) {
      std::vector<double> z(n);
      rng.fill_normal(first, n, z.data());
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(z[i], rng.normal(first + i)) << first << " " << n << " " << i;
    }
  }
}

TEST(CounterRngBatch, FillBlocksEqualsBlock) {
  const CounterRng rng(99, 1, RngPurpose::kDriftNu);
  std::vector<uint32_t> w(4 * 37);
  const uint64_t first = (uint64_t{1} << 32) - 11;  // crosses the low counter word
  rng.fill_blocks(first, 37, w.data());
  for (size_t b = 0; b < 37; ++b)
    for (int k = 0; k < 4; ++k) ASSERT_EQ(w[4 * b + k], rng.block(first + b)[k]);
}

// Moments of the new normals: mean 0 and variance 1 within 4 standard errors; tails as a normal's.
TEST(CounterRngBatch, NormalMoments) {
  const CounterRng rng(5, 0, RngPurpose::kStimulus);
  const size_t n = 1 << 20;
  std::vector<double> z(n);
  rng.fill_normal(0, n, z.data());
  double m = 0.0, v = 0.0, beyond3 = 0.0;
  for (double x : z) {
    m += x;
    v += x * x;
    beyond3 += std::fabs(x) > 3.0 ? 1.0 : 0.0;
  }
  m /= n;
  v = v / n - m * m;
  EXPECT_NEAR(m, 0.0, 4.0 / std::sqrt(n));
  EXPECT_NEAR(v, 1.0, 4.0 * std::sqrt(2.0 / n));
  const double p3 = 0.0026997960632601;  // P(|Z| > 3)
  EXPECT_NEAR(beyond3 / n, p3, 4.0 * std::sqrt(p3 * (1 - p3) / n));
}

}  // namespace
}  // namespace aimc
