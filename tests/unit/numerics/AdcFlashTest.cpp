// Flash ADC (issue 8): its transfer curve (monotonic, saturating, the designed codes), the same mismatch as
// the SAR, and its closed-form timing (one clock cycle per conversion, multiplexed lines in a row).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "aimc/base/Error.h"
#include "aimc/numerics/AdcModel.h"
#include "aimc/numerics/AnalogPresets.h"
#include "aimc/numerics/MvmTiming.h"

namespace aimc {
namespace {

AdcParams flash(int bits) {
  AdcParams a;
  a.kind = AdcKind::kFlash;
  a.bits = bits;
  a.gain_sigma = 0.0;
  a.inl_peak_sigma_lsb = 0.0;
  return a;
}

// Codes of one ADC over a ramp, and whether any point saturated.
std::vector<int> transfer(const AdcModel& adc, double lo, double hi, int steps, int* saturated) {
  std::vector<int> codes;
  *saturated = 0;
  for (int i = 0; i <= steps; ++i) {
    const float v = static_cast<float>(lo + (hi - lo) * i / steps);
    int32_t pos = 0, neg = 0;
    *saturated += adc.convert(&v, 1, &pos, &neg) ? 1 : 0;
    EXPECT_TRUE(pos == 0 || neg == 0);
    codes.push_back(pos - neg);
  }
  return codes;
}

TEST(AdcFlash, TransferIsMonotonicRoundsAndSaturates) {
  for (int bits : {4, 6, 8}) {
    auto adc = AdcModel::create(flash(bits), DacParams{}, 1, 1, 0);
    const int fs = (1 << (bits - 1)) - 1;
    EXPECT_EQ(adc->full_scale_counts(), fs);
    EXPECT_EQ(AdcModel::full_scale_counts_for(flash(bits), DacParams{}), fs);
    const double lo = -2.0 * fs, hi = 2.0 * fs;
    const int steps = 40 * fs;  // 0.1-count steps
    int saturated = 0;
    const std::vector<int> c = transfer(*adc, lo, hi, steps, &saturated);
    std::vector<bool> seen(2 * fs + 1, false);
    for (size_t i = 0; i < c.size(); ++i) {
      if (i > 0) ASSERT_LE(c[i - 1], c[i]);
      ASSERT_LE(std::abs(c[i]), fs);
      seen[c[i] + fs] = true;
      const double v = lo + (hi - lo) * static_cast<double>(i) / steps;
      // Away from the decision thresholds (half-integers) the code is the nearest level.
      if (std::abs(v) < fs - 0.6 && std::abs(v - std::floor(v) - 0.5) > 0.01)
        ASSERT_EQ(c[i], std::lround(v)) << "bits " << bits << " v " << v;
    }
    EXPECT_EQ(c.front(), -fs);
    EXPECT_EQ(c.back(), fs);
    // Every level of the signed code is reached: 2 fs + 1 = 2^bits - 1 levels.
    for (int k = -fs; k <= fs; ++k) EXPECT_TRUE(seen[k + fs]) << "bits " << bits << " code " << k;
    // Saturation is flagged exactly where |round(v)| reaches full scale (here: |v| >= fs - 0.5).
    int expected_saturated = 0;
    for (int i = 0; i <= steps; ++i) {
      const float v = static_cast<float>(lo + (hi - lo) * i / steps);
      if (std::abs(std::nearbyint(v)) >= fs) ++expected_saturated;
    }
    EXPECT_EQ(saturated, expected_saturated) << "bits " << bits;
  }
}

TEST(AdcFlash, HalfwayCodesRoundToEven) {
  auto adc = AdcModel::create(flash(8), DacParams{}, 4, 1, 0);
  const float v[4] = {0.5f, 1.5f, -2.5f, 126.5f};
  int32_t pos[4] = {}, neg[4] = {};
  EXPECT_FALSE(adc->convert(v, 4, pos, neg));  // 126.5 -> 126 (even): below the last level
  EXPECT_EQ(pos[0] - neg[0], 0);
  EXPECT_EQ(pos[1] - neg[1], 2);
  EXPECT_EQ(pos[2] - neg[2], -2);
  EXPECT_EQ(pos[3] - neg[3], 126);
  const float top = 127.5f;  // -> 128 (even), clamped to the last level 127
  int32_t p = 0, n = 0;
  EXPECT_TRUE(adc->convert(&top, 1, &p, &n));
  EXPECT_EQ(p, 127);
}

TEST(AdcFlash, SameMismatchAsSar) {
  // Default mismatch (gain 7.09 %, INL 1/3 LSB) and an offset: the flash and the SAR of the same seed and
  // tile give the same codes and calibrated gains on every line (one transfer, one mismatch draw).
  AdcParams f;
  f.kind = AdcKind::kFlash;
  f.bits = 7;
  f.offset_sigma_counts = 0.7;
  AdcParams s = f;
  s.kind = AdcKind::kSar;
  const int lines = 64;
  auto fa = AdcModel::create(f, DacParams{}, lines, 42, 3);
  auto sa = AdcModel::create(s, DacParams{}, lines, 42, 3);
  auto other = AdcModel::create(f, DacParams{}, lines, 43, 3);
  std::vector<float> v(lines);
  int differs_from_other_seed = 0;
  for (int rep = 0; rep < 20; ++rep) {
    for (int j = 0; j < lines; ++j) v[j] = static_cast<float>((j - 32) * 2.1 + rep * 0.37);
    std::vector<int32_t> fp(lines), fn(lines), sp(lines), sn(lines), op(lines), on(lines);
    EXPECT_EQ(fa->convert(v.data(), lines, fp.data(), fn.data()),
              sa->convert(v.data(), lines, sp.data(), sn.data()));
    other->convert(v.data(), lines, op.data(), on.data());
    for (int j = 0; j < lines; ++j) {
      ASSERT_EQ(fp[j] - fn[j], sp[j] - sn[j]) << "line " << j;
      differs_from_other_seed += (fp[j] - fn[j]) != (op[j] - on[j]);
    }
  }
  for (int j = 0; j < lines; ++j) EXPECT_DOUBLE_EQ(fa->calibrated_gain(j), sa->calibrated_gain(j));
  EXPECT_GT(differs_from_other_seed, 0);  // the mismatch is really applied
}

TEST(AdcFlash, RejectsOutOfRangeBits) {
  EXPECT_THROW(AdcModel::create(flash(1), DacParams{}, 1, 1, 0), UserError);
  EXPECT_THROW(AdcModel::create(flash(25), DacParams{}, 1, 1, 0), UserError);
}

TEST(AdcFlash, TimingIsOneClockPerLine) {
  TileParams p = AnalogPresets::hermes_like();
  p.adc.kind = AdcKind::kFlash;
  p.adc.bits = 8;
  EXPECT_DOUBLE_EQ(MvmTiming::adc_conversion_ns(p.adc, p.dac), 1.0);  // 1 cycle of the 1 GHz clock
  p.adc.bits = 4;
  EXPECT_DOUBLE_EQ(MvmTiming::adc_conversion_ns(p.adc, p.dac), 1.0);  // independent of the resolution
  p.adc.lines_per_adc = 4;
  EXPECT_DOUBLE_EQ(MvmTiming::adc_conversion_ns(p.adc, p.dac), 4.0);  // 4 lines x 1 ns
  p.adc.sar_clock_ghz = 2.0;
  EXPECT_DOUBLE_EQ(MvmTiming::adc_conversion_ns(p.adc, p.dac), 2.0);  // 4 lines x 0.5 ns
  // A flash samples after the window like a SAR: multiplexing does not repeat the PWM window.
  p.dac.read_mode = DacReadMode::kFourPhase;
  EXPECT_DOUBLE_EQ(MvmTiming::mvm_latency_ns(p), 4 * (128.0 + 1.0) + 2.0);
  // Faster than the SAR of the same bits and muxing: (bits + 1) cycles against 1.
  TileParams s = p;
  s.adc.kind = AdcKind::kSar;
  EXPECT_DOUBLE_EQ(MvmTiming::adc_conversion_ns(s.adc, s.dac), 4 * 5 / 2.0);
  EXPECT_LT(MvmTiming::mvm_latency_ns(p), MvmTiming::mvm_latency_ns(s));
}

}  // namespace
}  // namespace aimc
