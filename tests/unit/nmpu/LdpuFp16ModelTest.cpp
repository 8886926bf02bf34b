// The FP16 LDPU model: operations on exactly representable values, FP16 rounding effects that the fixed-point
// NMPU does not have, errors, timing; and its agreement with the NMPU on calibration-like coefficients.
#include "aimc/numerics/LdpuFp16Model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/NmpuModel.h"

namespace aimc {
namespace {

TEST(LdpuFp16Model, ExactOperations) {
  const LdpuFp16Model m{LdpuFp16Params{}};
  const LdpuFp16Channel c = m.quantize_channel(1.0, 0.0, 1.0 / 16, 0.25, 0.5, false, false);
  EXPECT_EQ(m.process(1000, 0, c, 0, false), 63);   // 62.75
  EXPECT_EQ(m.process(0, 1000, c, 0, false), -62);  // -62.25
  EXPECT_EQ(m.process(100, 20, c, 10, true), 10);   // 10.25
  EXPECT_EQ(m.process(4095, 0, m.quantize_channel(1, 0, 1.0 / 16, 0, 0, false, false), 0, false), 127);
  EXPECT_EQ(m.process(0, 4095, m.quantize_channel(1, 0, 1.0 / 16, 0, 0, false, false), 0, false), -128);
  const LdpuFp16Channel relu = m.quantize_channel(1.0, 0.0, 1.0, 0.0, 1.0, true, false);
  EXPECT_EQ(m.process(0, 10, relu, 8, true), 8);
  // Ties to even at the INT8 conversion (the NMPU default rounds them away from zero).
  const LdpuFp16Channel tie = m.quantize_channel(1.0, 0.0, 0.0, 2.5, 0.0, false, false);
  EXPECT_EQ(m.process(0, 0, tie, 0, false), 2);
}

TEST(LdpuFp16Model, Fp16RoundsLargeCountsAndCoefficients) {
  const LdpuFp16Model m{LdpuFp16Params{}};
  // 4095 - 0 becomes 4096 in FP16 (11 significant bits); with scale 1/32 that is exactly 128 -> saturates.
  const LdpuFp16Channel c = m.quantize_channel(1.0, 0.0, 1.0 / 32, -0.5, 0.0, false, false);
  EXPECT_EQ(m.process(4095, 0, c, 0, false), 127);  // 127.5 -> 128 (even) -> 127
  EXPECT_EQ(m.process(2049, 0, c, 0, false), 64);   // 2049 -> 2048: 64 - 0.5 = 63.5 -> 64 (even)
  EXPECT_EQ(m.quantize_channel(0.1, 0, 0, 0, 0, false, false).gain.bits(), 0x2E66);
  EXPECT_THROW(m.quantize_channel(1, 70000.0, 0, 0, 0, false, false), UserError);
  EXPECT_THROW(m.quantize_channel(1, 0, 0, 0, std::nan(""), false, false), UserError);
}

TEST(LdpuFp16Model, Timing) {
  const LdpuFp16Model m{LdpuFp16Params{}};
  EXPECT_EQ(m.latency_cycles(0), 0u);
  EXPECT_EQ(m.latency_cycles(1), 5u);
  EXPECT_EQ(m.latency_cycles(256), 260u);
  EXPECT_DOUBLE_EQ(m.values_per_cycle(), 1.0);
  LdpuFp16Params bad;
  bad.lanes = 0;
  EXPECT_THROW(LdpuFp16Model{bad}, UserError);
}

TEST(LdpuFp16Model, AgreesWithNmpuOnCalibrationLikeCoefficients) {
  // Both units against the real-valued formula: the fraction of outputs equal to it, and the largest error.
  NmpuParams np;
  np.rounding = NmpuRounding::kHalfToEven;  // same tie rule as FP16, so only precision differs
  const NmpuModel nmpu(np);
  const LdpuFp16Model ldpu{LdpuFp16Params{}};
  const CounterRng rng(13, 0, RngPurpose::kStimulus, 300);
  const int n = 100000;
  int nmpu_exact = 0, ldpu_exact = 0;
  double nmpu_max = 0, ldpu_max = 0;
  for (int i = 0; i < n; ++i) {
    const auto w = rng.block(static_cast<uint64_t>(i));
    const auto u = rng.block(static_cast<uint64_t>(i) + (uint64_t{1} << 40));
    const double g = 0.8 + 0.4 * CounterRng::to_unit(w[0]);
    const double o = -64 + 128 * CounterRng::to_unit(w[1]);
    const double a = (1.0 / 256 + (1.0 / 8 - 1.0 / 256) * CounterRng::to_unit(w[2])) * ((w[3] & 1) ? 1 : -1);
    const double b = -40 + 80 * CounterRng::to_unit(u[0]);
    const double c = -2 + 4 * CounterRng::to_unit(u[1]);
    const uint32_t pos = u[2] & 0xFFF, neg = u[3] & 0xFFF;
    const int8_t side = static_cast<int8_t>(w[3] >> 8);
    double t = ((static_cast<double>(pos) - neg) * g + o) * a + b;
    t += c * side;
    const double ref = std::min(127.0, std::max(-128.0, std::nearbyint(t)));
    const int vn = nmpu.process(pos, neg, nmpu.quantize_channel(g, o, a, b, c, false, false), side, true);
    const int vl = ldpu.process(pos, neg, ldpu.quantize_channel(g, o, a, b, c, false, false), side, true);
    nmpu_exact += vn == ref;
    ldpu_exact += vl == ref;
    nmpu_max = std::max(nmpu_max, std::abs(vn - ref));
    ldpu_max = std::max(ldpu_max, std::abs(vl - ref));
  }
  std::printf(
      "vs real arithmetic over %d values: NMPU (default formats) %.2f %% exact, max error %g LSB; "
      "FP16 LDPU %.2f %% exact, max error %g LSB\n",
      n, 100.0 * nmpu_exact / n, nmpu_max, 100.0 * ldpu_exact / n, ldpu_max);
  EXPECT_LE(nmpu_max, 1.0);
  EXPECT_GT(nmpu_exact, ldpu_exact);  // the default fixed-point formats are more precise than FP16 here
}

}  // namespace
}  // namespace aimc
