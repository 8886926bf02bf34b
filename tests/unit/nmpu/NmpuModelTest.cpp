// Unit tests of the fixed-point NMPU model: rounding primitives against an independent floating-point
// reference, every operation at its format limits, coefficient quantisation errors, timing closed forms.
#include <gtest/gtest.h>

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <vector>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/NmpuFixedPoint.h"
#include "aimc/numerics/NmpuModel.h"

namespace aimc {
namespace {

TEST(NmpuFixedPoint, RoundShiftKnownTies) {
  struct Case {
    int64_t v;
    int shift;
    int64_t away, even, floor;
  };
  // v / 2^shift: 2.5, -2.5, 3.5, -3.5, 0.75, -0.75, 0.5, -0.5, 1.5, -1.5, 1.25, -1.25
  const std::vector<Case> cases = {{5, 1, 3, 2, 2},        {-5, 1, -3, -2, -3}, {7, 1, 4, 4, 3},
                                   {-7, 1, -4, -4, -4},    {3, 2, 1, 1, 0},     {-3, 2, -1, -1, -1},
                                   {2, 2, 1, 0, 0},        {-2, 2, -1, 0, -1},  {6, 2, 2, 2, 1},
                                   {-6, 2, -2, -2, -2},    {5, 2, 1, 1, 1},     {-5, 2, -1, -1, -2},
                                   {123, 0, 123, 123, 123}};
  for (const Case& c : cases) {
    EXPECT_EQ(NmpuFixedPoint::round_shift(c.v, c.shift, NmpuRounding::kHalfAwayFromZero), c.away) << c.v;
    EXPECT_EQ(NmpuFixedPoint::round_shift(c.v, c.shift, NmpuRounding::kHalfToEven), c.even) << c.v;
    EXPECT_EQ(NmpuFixedPoint::round_shift(c.v, c.shift, NmpuRounding::kFloor), c.floor) << c.v;
  }
}

TEST(NmpuFixedPoint, RoundShiftMatchesFloatingPointReference) {
  // v / 2^s is exact in double; std::round, std::nearbyint (round-to-nearest-even mode) and std::floor are an
  // independent implementation of the three modes.
  ASSERT_EQ(std::fegetround(), FE_TONEAREST);
  for (int s = 0; s <= 12; ++s) {
    for (int64_t v = -5000; v <= 5000; ++v) {
      const double x = std::ldexp(static_cast<double>(v), -s);
      ASSERT_EQ(NmpuFixedPoint::round_shift(v, s, NmpuRounding::kHalfAwayFromZero),
                static_cast<int64_t>(std::round(x)))
          << v << " >> " << s;
      ASSERT_EQ(NmpuFixedPoint::round_shift(v, s, NmpuRounding::kHalfToEven),
                static_cast<int64_t>(std::nearbyint(x)))
          << v << " >> " << s;
      ASSERT_EQ(NmpuFixedPoint::round_shift(v, s, NmpuRounding::kFloor), static_cast<int64_t>(std::floor(x)))
          << v << " >> " << s;
    }
  }
  // Large magnitudes near the int64 intermediates' range.
  const int64_t big = (int64_t{1} << 60) + 3;
  EXPECT_EQ(NmpuFixedPoint::round_shift(big, 1, NmpuRounding::kHalfToEven), (int64_t{1} << 59) + 2);
  EXPECT_EQ(NmpuFixedPoint::round_shift(-big, 1, NmpuRounding::kHalfAwayFromZero), -((int64_t{1} << 59) + 2));
  EXPECT_EQ(NmpuFixedPoint::floor_shift(-1, 62), -1);
}

TEST(NmpuFixedPoint, SaturateAtLimits) {
  EXPECT_EQ(NmpuFixedPoint::saturate(127, 8), 127);
  EXPECT_EQ(NmpuFixedPoint::saturate(128, 8), 127);
  EXPECT_EQ(NmpuFixedPoint::saturate(-128, 8), -128);
  EXPECT_EQ(NmpuFixedPoint::saturate(-129, 8), -128);
  EXPECT_EQ(NmpuFixedPoint::saturate(std::numeric_limits<int64_t>::max(), 19), (1 << 18) - 1);
  EXPECT_EQ(NmpuFixedPoint::saturate(std::numeric_limits<int64_t>::min(), 19), -(1 << 18));
}

class NmpuModelTest : public ::testing::Test {
 protected:
  NmpuParams params_;
  NmpuModel model_{params_};
  // A channel that maps d counts to d * scale output LSBs exactly (no correction, no bias, no side input).
  NmpuChannel plain(double scale, double bias = 0.0, double side_scale = 0.0, bool relu1 = false,
                    bool relu2 = false) const {
    return model_.quantize_channel(1.0, 0.0, scale, bias, side_scale, relu1, relu2);
  }
};

TEST_F(NmpuModelTest, DefaultsAreValidAndDocumented) {
  EXPECT_NO_THROW(params_.validate());
  EXPECT_EQ(params_.adc_count_bits, 12);  // REFERENCE.md A
  EXPECT_DOUBLE_EQ(params_.clock_hz, 400e6);
  EXPECT_EQ(params_.gain.width(), 16);
  EXPECT_EQ(params_.accumulator.describe(), "Q11.8 (19 bits, signed)");
}

TEST_F(NmpuModelTest, ExactWhenNothingIsRounded) {
  // scale 1/16, bias 0.25 and side scale 0.5 are exact; d/16 + 0.25 + s/2 has no tie for these d.
  const NmpuChannel c = plain(1.0 / 16, 0.25, 0.5);
  EXPECT_EQ(model_.process(1000, 0, c, 0, false), 63);   // 62.5 + 0.25 = 62.75 -> 63
  EXPECT_EQ(model_.process(0, 1000, c, 0, false), -62);  // -62.5 + 0.25 = -62.25 -> -62
  EXPECT_EQ(model_.process(100, 20, c, 10, true), 10);   // 5 + 0.25 + 5 = 10.25 -> 10
  EXPECT_EQ(model_.process(100, 20, c, 10, false), 5);   // side ignored when not valid
  const NmpuModel::Trace t = model_.trace(100, 20, c, 10, true);
  EXPECT_EQ(t.difference, 80);
  EXPECT_EQ(t.corrected, 80 << params_.corrected.frac_bits);
  EXPECT_EQ(t.scaled, (5 << 8) + 64);  // 5.25 in Q11.8
  EXPECT_EQ(t.side_added, (10 << 8) + 64);
}

TEST_F(NmpuModelTest, AdcCounterExtremesSaturateTheOutput) {
  const NmpuChannel c = plain(1.0 / 32);  // 4095 / 32 = 127.97
  EXPECT_EQ(model_.process(4095, 0, c, 0, false), 127);
  EXPECT_EQ(model_.process(0, 4095, c, 0, false), -128);
  EXPECT_EQ(model_.process(4095, 4095, c, 0, false), 0);
  EXPECT_EQ(model_.process(0, 0, c, 0, false), 0);
  const NmpuChannel wide = plain(7.5);
  EXPECT_EQ(model_.process(4095, 0, wide, 0, false), 127);
  EXPECT_EQ(model_.process(0, 4095, wide, 0, false), -128);
  // The accumulator saturates at +-1024 output LSB first; the output still saturates the same way.
  EXPECT_EQ(model_.trace(4095, 0, wide, 0, false).scaled,
            NmpuFixedPoint::max_signed(params_.accumulator.width()));
  EXPECT_EQ(model_.trace(0, 4095, wide, 0, false).scaled,
            NmpuFixedPoint::min_signed(params_.accumulator.width()));
}

TEST_F(NmpuModelTest, AllNegativeInputWithAndWithoutRelu) {
  const NmpuChannel no_relu = plain(1.0 / 16);
  const NmpuChannel relu1 = plain(1.0 / 16, 0.0, 0.0, true, false);
  for (uint32_t neg = 1; neg < 4096; neg += 37) {
    EXPECT_LE(model_.process(0, neg, no_relu, 0, false), 0);
    EXPECT_EQ(model_.process(0, neg, relu1, 0, false), 0);
  }
}

TEST_F(NmpuModelTest, ReluOrderMatters) {
  // t1 = -10 -> relu1 -> 0, then +side 8 * 1 = 8; without relu1: -2; with relu2 only: 0.
  const NmpuChannel r1 = plain(1.0, 0.0, 1.0, true, false);
  const NmpuChannel r2 = plain(1.0, 0.0, 1.0, false, true);
  const NmpuChannel none = plain(1.0, 0.0, 1.0, false, false);
  EXPECT_EQ(model_.process(0, 10, r1, 8, true), 8);
  EXPECT_EQ(model_.process(0, 10, none, 8, true), -2);
  EXPECT_EQ(model_.process(0, 10, r2, 8, true), 0);
}

TEST_F(NmpuModelTest, SideInputAtItsLimits) {
  const NmpuFixedFormat& f = params_.side_scale;
  NmpuChannel c = plain(0.0);
  c.side_scale = static_cast<int32_t>(NmpuFixedPoint::max_signed(f.width()));  // 3.999
  EXPECT_EQ(model_.process(0, 0, c, 127, true), 127);
  EXPECT_EQ(model_.process(0, 0, c, -128, true), -128);
  c.side_scale = static_cast<int32_t>(NmpuFixedPoint::min_signed(f.width()));  // -4
  EXPECT_EQ(model_.process(0, 0, c, -128, true), 127);
  EXPECT_EQ(model_.process(0, 0, c, 127, true), -128);
  EXPECT_EQ(model_.trace(0, 0, c, -128, true).side_added, 512 << params_.accumulator.frac_bits);
  c.relu2 = true;
  EXPECT_EQ(model_.process(0, 0, c, 127, true), 0);
  // Side scale 1/2 makes odd side values ties at the output.
  const NmpuChannel half = plain(0.0, 0.0, 0.5);
  EXPECT_EQ(model_.process(0, 0, half, 3, true), 2);    // 1.5 -> 2
  EXPECT_EQ(model_.process(0, 0, half, -3, true), -2);  // -1.5 -> -2 (away from zero)
  EXPECT_EQ(model_.process(0, 0, half, 1, true), 1);    // 0.5 -> 1
  EXPECT_EQ(model_.process(0, 0, half, -1, true), -1);  // -0.5 -> -1
}

TEST(NmpuModelRounding, OutputTiesInEveryMode) {
  struct Case {
    double bias;
    int away, even, floor;
  };
  const std::vector<Case> cases = {
      {0.5, 1, 0, 0},         {-0.5, -1, 0, -1},      {1.5, 2, 2, 1},
      {-1.5, -2, -2, -2},     {2.5, 3, 2, 2},         {-2.5, -3, -2, -3},
      {126.5, 127, 126, 126}, {127.5, 127, 127, 127}, {-128.5, -128, -128, -128}};
  for (NmpuRounding mode :
       {NmpuRounding::kHalfAwayFromZero, NmpuRounding::kHalfToEven, NmpuRounding::kFloor}) {
    NmpuParams p;
    p.rounding = mode;
    const NmpuModel m(p);
    for (const Case& c : cases) {
      const NmpuChannel ch = m.quantize_channel(1.0, 0.0, 0.0, c.bias, 0.0, false, false);
      const int expected = mode == NmpuRounding::kHalfAwayFromZero ? c.away
                           : mode == NmpuRounding::kHalfToEven     ? c.even
                                                                   : c.floor;
      EXPECT_EQ(m.process(0, 0, ch, 0, false), expected) << to_string(mode) << " bias " << c.bias;
    }
  }
}

TEST_F(NmpuModelTest, CorrectionStageRoundsAndNeverSaturatesInRange) {
  // gain = 2^-14 (one LSB): d * gain lands on half a corrected LSB (2^-4) for d = 1024: 1024 * 2^-14 = 2^-4.
  NmpuChannel c = plain(1.0);
  c.gain = 1;
  EXPECT_EQ(model_.trace(1024, 0, c, 0, false).corrected, 1);   // 0.0625 = half of 0.125: away -> 1 LSB
  EXPECT_EQ(model_.trace(0, 1024, c, 0, false).corrected, -1);  // -0.5 LSB -> -1 LSB
  EXPECT_EQ(model_.trace(1023, 0, c, 0, false).corrected, 0);
  // Largest gain, offset and difference fit the corrected format (no saturation), as NmpuParams claims.
  NmpuChannel big = plain(1.0);
  big.gain = static_cast<int32_t>(NmpuFixedPoint::max_signed(params_.gain.width()));
  big.offset = static_cast<int32_t>(NmpuFixedPoint::max_signed(params_.offset.width()));
  const double y =
      4095 * NmpuModel::to_real(big.gain, params_.gain) + NmpuModel::to_real(big.offset, params_.offset);
  EXPECT_NEAR(NmpuModel::to_real(static_cast<int32_t>(model_.trace(4095, 0, big, 0, false).corrected),
                                 params_.corrected),
              y, 1.0 / 16);
  big.gain = static_cast<int32_t>(NmpuFixedPoint::min_signed(params_.gain.width()));
  big.offset = static_cast<int32_t>(NmpuFixedPoint::min_signed(params_.offset.width()));
  EXPECT_EQ(model_.trace(4095, 0, big, 0, false).corrected, (-2 * 4095 - 512) * 8);
}

TEST_F(NmpuModelTest, QuantizeChannelRoundsAndRejectsWithRange) {
  const NmpuChannel c = model_.quantize_channel(1.5, -3.25, 0.03125, 10.5, -1.0, true, false);
  EXPECT_EQ(c.gain, 3 << 13);
  EXPECT_EQ(c.offset, -52);
  EXPECT_EQ(c.scale, 1 << 11);
  EXPECT_EQ(c.bias, 21 << 7);
  EXPECT_EQ(c.side_scale, -1024);
  EXPECT_TRUE(c.relu1);
  EXPECT_FALSE(c.relu2);
  // Largest representable scale is accepted; one LSB more is not (the default format's range, e.g. [-32, 32)
  // for Q6.16).
  const double scale_max = NmpuModel::to_real(
      static_cast<int32_t>(NmpuFixedPoint::max_signed(params_.scale.width())), params_.scale);
  const double scale_limit = std::ldexp(1.0, params_.scale.int_bits - 1);
  EXPECT_NO_THROW(model_.quantize_channel(1, 0, scale_max, 0, 0, false, false));
  EXPECT_NO_THROW(model_.quantize_channel(1, 0, -scale_limit, 0, 0, false, false));
  try {
    model_.quantize_channel(1, 0, scale_limit, 0, 0, false, false);
    FAIL() << "scale " << scale_limit << " must not be representable";
  } catch (const UserError& e) {
    EXPECT_EQ(e.key(), "nmpu.scale");
    std::ostringstream range;
    range << "[" << -scale_limit << ", " << scale_max << "]";
    EXPECT_NE(e.reason().find(range.str()), std::string::npos) << e.reason() << " vs " << range.str();
  }
  EXPECT_THROW(model_.quantize_channel(2.0, 0, 0, 0, 0, false, false), UserError);
  EXPECT_THROW(model_.quantize_channel(1, 512.0, 0, 0, 0, false, false), UserError);
  EXPECT_THROW(model_.quantize_channel(1, 0, 0, -513.0, 0, false, false), UserError);
  EXPECT_THROW(model_.quantize_channel(1, 0, 0, 0, 4.0, false, false), UserError);
  EXPECT_THROW(model_.quantize_channel(std::nan(""), 0, 0, 0, 0, false, false), UserError);
  EXPECT_THROW(model_.quantize_channel(1, 0, std::numeric_limits<double>::infinity(), 0, 0, false, false),
               UserError);
}

TEST(NmpuParamsValidate, RejectsImpossibleFormats) {
  NmpuParams p;
  p.lanes = 0;
  EXPECT_THROW(NmpuModel{p}, UserError);
  p = NmpuParams{};
  p.offset.frac_bits = p.gain.frac_bits + 1;
  EXPECT_THROW(NmpuModel{p}, UserError);
  p = NmpuParams{};
  p.scale = NmpuFixedFormat{20, 13};  // 33 bits: wider than the register interface
  try {
    NmpuModel m{p};
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.key(), "nmpu.scale");
  }
  p = NmpuParams{};
  p.pipeline_depth = 0;
  EXPECT_THROW(NmpuModel{p}, UserError);
  p = NmpuParams{};
  p.channels = 4;
  EXPECT_THROW(NmpuModel{p}, UserError);  // fewer channels than lanes
}

TEST_F(NmpuModelTest, TimingClosedForms) {
  EXPECT_EQ(model_.latency_cycles(0), 0u);
  EXPECT_EQ(model_.latency_cycles(1), 4u);
  EXPECT_EQ(model_.latency_cycles(8), 4u);
  EXPECT_EQ(model_.latency_cycles(9), 5u);
  EXPECT_EQ(model_.latency_cycles(256), 35u);  // 32 beats + 4 - 1
  EXPECT_DOUBLE_EQ(model_.values_per_cycle(), 8.0);
  NmpuParams p;
  p.lanes = 3;
  p.pipeline_depth = 2;
  const NmpuModel m(p);
  EXPECT_EQ(m.latency_cycles(10), 5u);  // 4 beats + 2 - 1
  EXPECT_DOUBLE_EQ(m.values_per_cycle(), 3.0);
}

TEST_F(NmpuModelTest, ProcessRangeEqualsElementwise) {
  const CounterRng rng(7, 0, RngPurpose::kStimulus, 100);
  std::vector<NmpuChannel> channels;
  channels.reserve(32);
  for (int i = 0; i < 32; ++i) {
    channels.push_back(model_.quantize_channel(0.9 + 0.01 * i, i - 16.0, 0.01 * (i + 1), i * 0.5 - 8,
                                               0.25 * (i % 8), i % 2 == 0, i % 3 == 0));
  }
  std::vector<uint32_t> pos(20), neg(20);
  std::vector<int8_t> side(20);
  bool side_valid[20];
  for (size_t i = 0; i < 20; ++i) {
    const auto w = rng.block(i);
    pos[i] = w[0] & 0xFFF;
    neg[i] = w[1] & 0xFFF;
    side[i] = static_cast<int8_t>(w[2] & 0xFF);
    side_valid[i] = (w[3] & 1) != 0;
  }
  std::vector<int8_t> out(20), out_no_side(20);
  model_.process_range(pos.data(), neg.data(), channels, 5, 20, side.data(), side_valid, out.data());
  model_.process_range(pos.data(), neg.data(), channels, 5, 20, nullptr, nullptr, out_no_side.data());
  for (size_t i = 0; i < 20; ++i) {
    EXPECT_EQ(out[i], model_.process(pos[i], neg[i], channels[5 + i], side[i], side_valid[i]));
    EXPECT_EQ(out_no_side[i], model_.process(pos[i], neg[i], channels[5 + i], 0, false));
  }
}

TEST_F(NmpuModelTest, AccuracyAgainstRealArithmetic) {
  // With calibration-like coefficients the fixed-point result is within one output LSB of the real-valued
  // formula rounded the same way, and equal to it for the overwhelming majority of inputs.
  const CounterRng rng(11, 0, RngPurpose::kStimulus, 101);
  int exact = 0;
  const int n = 200000;
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
    const bool relu1 = (w[3] & 2) != 0, relu2 = (w[3] & 4) != 0;
    const NmpuChannel ch = model_.quantize_channel(g, o, a, b, c, relu1, relu2);
    // Real-valued reference with the quantised coefficients (the quantisation error is the user's choice).
    const double gq = NmpuModel::to_real(ch.gain, params_.gain),
                 oq = NmpuModel::to_real(ch.offset, params_.offset);
    const double aq = NmpuModel::to_real(ch.scale, params_.scale),
                 bq = NmpuModel::to_real(ch.bias, params_.bias);
    const double cq = NmpuModel::to_real(ch.side_scale, params_.side_scale);
    double t = ((static_cast<double>(pos) - neg) * gq + oq) * aq + bq;
    if (relu1) t = std::max(t, 0.0);
    t += cq * side;
    if (relu2) t = std::max(t, 0.0);
    const double ref = std::min(127.0, std::max(-128.0, std::round(t)));
    const int got = model_.process(pos, neg, ch, side, true);
    ASSERT_LE(std::abs(got - ref), 1.0) << "pos " << pos << " neg " << neg << " t " << t;
    exact += got == ref ? 1 : 0;
  }
  EXPECT_GT(exact, n * 99 / 100);
  std::printf("NMPU default formats: %.3f %% of %d random values equal the real-valued result\n",
              100.0 * exact / n, n);
}

}  // namespace
}  // namespace aimc
