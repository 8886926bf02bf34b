// The GDPU's tanh and sigmoid (numerics/GdpuTanhTable) against float across the whole INT8 input range at
// several gate scales, its FP16 corner cases and the table's shape.
#include "aimc/numerics/GdpuTanhTable.h"

#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

namespace aimc {
namespace {

// Input scales (real value of one INT8 step): 1/32 spans +-4 (the non-linear region of tanh), 1/16 +-8
// (sigmoid's), 1/4 +-32 (deep saturation), 1/128 +-1 (the near-linear part).
constexpr double kScales[] = {1.0 / 128, 1.0 / 32, 1.0 / 16, 1.0 / 4};

struct ErrorStats {
  double max = 0, mean = 0;
};

// Error over the 256 codes of one scale: the input is dq(code) = fp16(code) * fp16(scale), as the slice has
// it.
template <typename Unit, typename Exact>
ErrorStats error_over_int8(double scale, Unit unit, Exact exact) {
  ErrorStats e;
  const Fp16 s = Fp16::from_double(scale);
  for (int q = -128; q <= 127; ++q) {
    const Fp16 x = Fp16::mul(Fp16::from_int(q), s);
    const double err = std::fabs(unit(x).to_double() - exact(x.to_double()));
    e.max = std::max(e.max, err);
    e.mean += err / 256.0;
  }
  return e;
}

const GdpuTanhTable& table() {
  return GdpuTanhTable::standard();
}

// Bounds: the fit's error in double (fit_error, 6.0e-4 with 18 bins) plus the FP16 roundings of the
// result (half an ulp below 1: 2^-12) and of the slope, intercept and input (together below 2^-11 here).
// Sigmoid halves the tanh error (0.5 + 0.5 tanh) and adds one more rounding (2^-12).
TEST(GdpuTanhTable, TanhErrorOverTheInt8RangeIsBounded) {
  const double bound = table().fit_error + std::ldexp(1.0, -12) + std::ldexp(1.0, -11);
  for (const double scale : kScales) {
    const ErrorStats e = error_over_int8(
        scale, [](Fp16 x) { return table().tanh(x); }, [](double x) { return std::tanh(x); });
    std::printf("tanh  scale %-9.6g max error %.3e mean error %.3e (bound %.3e)\n", scale, e.max, e.mean,
                bound);
    EXPECT_LE(e.max, bound) << "scale " << scale;
    EXPECT_LE(e.mean, 0.6 * bound) << "scale " << scale;
  }
}

TEST(GdpuTanhTable, SigmoidErrorOverTheInt8RangeIsBounded) {
  const double bound =
      0.5 * (table().fit_error + std::ldexp(1.0, -12) + std::ldexp(1.0, -11)) + std::ldexp(1.0, -12);
  for (const double scale : kScales) {
    const ErrorStats e = error_over_int8(
        scale, [](Fp16 x) { return table().sigmoid(x); },
        [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
    std::printf("sigmoid scale %-9.6g max error %.3e mean error %.3e (bound %.3e)\n", scale, e.max, e.mean,
                bound);
    EXPECT_LE(e.max, bound) << "scale " << scale;
    EXPECT_LE(e.mean, 0.6 * bound) << "scale " << scale;
  }
}

TEST(GdpuTanhTable, TheTableIsSeventeenAscendingBreakpointsAndASaturationBin) {
  const GdpuTanhTable& t = table();
  std::printf("%s", t.describe().c_str());
  EXPECT_GT(t.fit_error, 0.0);
  EXPECT_LT(t.fit_error, 1e-3);  // 17 fitted bins over [0, ~4]: the minimax error is below 1e-3
  for (int j = 0; j < GdpuTanhTable::kBreakpoints; ++j) {
    EXPECT_GT(t.breakpoints[j].to_double(), j == 0 ? 0.0 : t.breakpoints[j - 1].to_double()) << j;
  }
  // The saturation bin starts where 1 - tanh is within the fit error.
  EXPECT_LE(1.0 - std::tanh(t.breakpoints.back().to_double()), t.fit_error + std::ldexp(1.0, -11));
  EXPECT_EQ(t.slopes.back().to_double(), 0.0);
  EXPECT_EQ(t.intercepts.back().to_double(), 1.0);
  EXPECT_EQ(t.intercepts.front().bits(), 0u);  // bin 0 passes through the origin
  // Bins by the comparators: each breakpoint starts its bin; just below it is the previous bin.
  for (int j = 0; j < GdpuTanhTable::kBreakpoints; ++j) {
    const Fp16 b = t.breakpoints[j];
    EXPECT_EQ(t.bin(b), j + 1);
    EXPECT_EQ(t.bin(Fp16::from_bits(static_cast<uint16_t>(b.bits() - 1))), j);
    EXPECT_EQ(t.bin(-b), j + 1);  // on |x|
  }
}

TEST(GdpuTanhTable, FittingAgainGivesTheSameBits) {
  const GdpuTanhTable again = GdpuTanhTable::fit();
  for (int k = 0; k < GdpuTanhTable::kBins; ++k) {
    EXPECT_EQ(again.slopes[k].bits(), table().slopes[k].bits());
    EXPECT_EQ(again.intercepts[k].bits(), table().intercepts[k].bits());
  }
  for (int j = 0; j < GdpuTanhTable::kBreakpoints; ++j)
    EXPECT_EQ(again.breakpoints[j].bits(), table().breakpoints[j].bits());
}

TEST(GdpuTanhTable, OddAndMonotonicOverEveryFiniteFp16) {
  Fp16 previous = table().tanh(Fp16::from_bits(0));
  for (uint32_t bits = 0; bits <= Fp16::kMaxFinite; ++bits) {
    const Fp16 x = Fp16::from_bits(static_cast<uint16_t>(bits));
    const Fp16 y = table().tanh(x);
    ASSERT_EQ(table().tanh(-x).bits(), (-y).bits()) << "x bits " << bits;
    ASSERT_GE(y.to_double(), previous.to_double()) << "x bits " << bits;
    ASSERT_LE(y.to_double(), 1.0);
    previous = y;
  }
}

TEST(GdpuTanhTable, Fp16CornerCases) {
  const Fp16 zero = Fp16::from_bits(0), neg_zero = Fp16::from_bits(0x8000u);
  const Fp16 inf = Fp16::from_bits(Fp16::kInfinity), nan = Fp16::from_bits(Fp16::kQuietNan);
  EXPECT_EQ(table().tanh(zero).bits(), 0u);
  EXPECT_EQ(table().tanh(neg_zero).bits(), 0x8000u);
  EXPECT_EQ(table().tanh(inf).to_double(), 1.0);
  EXPECT_EQ(table().tanh(-inf).to_double(), -1.0);
  EXPECT_TRUE(table().tanh(nan).is_nan());
  EXPECT_EQ(table().sigmoid(zero).to_double(), 0.5);
  EXPECT_EQ(table().sigmoid(neg_zero).to_double(), 0.5);
  EXPECT_EQ(table().sigmoid(inf).to_double(), 1.0);
  EXPECT_EQ(table().sigmoid(-inf).to_double(), 0.0);
  EXPECT_TRUE(table().sigmoid(nan).is_nan());
  const Fp16 max = Fp16::from_bits(Fp16::kMaxFinite);
  EXPECT_EQ(table().tanh(max).to_double(), 1.0);
  EXPECT_EQ(table().sigmoid(-max).to_double(), 0.0);
  // The smallest subnormal: bin 0's line through the origin, rounded (slope < 1: to 0 or the subnormal).
  const Fp16 tiny = Fp16::from_bits(1);
  EXPECT_LE(table().tanh(tiny).bits(), 1u);
}

}  // namespace
}  // namespace aimc
