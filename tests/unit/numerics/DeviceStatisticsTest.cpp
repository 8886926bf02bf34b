// Device-level statistics against the REFERENCE D formulas, the Philox known answer, ADC transfer curves and
// the closed-form timing.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <vector>

#include "aimc/base/Rng.h"
#include "aimc/numerics/AdcModel.h"
#include "aimc/numerics/AnalogPresets.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/MvmTiming.h"
#include "aimc/numerics/NormalSampler.h"
#include "aimc/numerics/PcmDeviceModel.h"

namespace aimc {
namespace {

TEST(CounterRng, PhiloxKnownAnswer) {
  // Random123 KAT: philox4x32-10, counter {0,0,0,0}, key {0,0}.
  const CounterRng rng(0, 0, static_cast<RngPurpose>(0));
  const auto b = rng.block(0);
  EXPECT_EQ(b[0], 0x6627e8d5u);
  EXPECT_EQ(b[1], 0xe169c58du);
  EXPECT_EQ(b[2], 0xbc57ac4cu);
  EXPECT_EQ(b[3], 0x9b00dbd8u);
}

TEST(NormalSampler, MomentsAndSubRanges) {
  const CounterRng rng(7, 1, RngPurpose::kReadNoise, 3);
  const size_t n = 400000;
  std::vector<float> z(n);
  NormalSampler::fill(rng, 0, n, z.data());
  double s = 0, s2 = 0, s4 = 0;
  for (float v : z) {
    s += v;
    s2 += double(v) * v;
    s4 += double(v) * v * v * v;
  }
  EXPECT_NEAR(s / n, 0.0, 3.0 / std::sqrt(double(n)));
  EXPECT_NEAR(s2 / n, 1.0, 3.0 * std::sqrt(2.0 / n));
  EXPECT_NEAR(s4 / n, 3.0, 3.0 * std::sqrt(96.0 / n));
  std::vector<float> part(10);
  NormalSampler::fill(rng, 1000, 10, part.data());  // normals 4000..4009
  for (int i = 0; i < 10; ++i) EXPECT_EQ(part[i], z[4000 + i]);
}

// E[max(0, m + s xi)] and E[max(0, m + s xi)^2] (rectified normal).
double phi(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2.0 * M_PI);
}
double Phi(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}
double rect_mean(double m, double s) {
  return m * Phi(m / s) + s * phi(m / s);
}
double rect_m2(double m, double s) {
  return (m * m + s * s) * Phi(m / s) + m * s * phi(m / s);
}

// E[exp(-k |mu + s xi| L)] by Simpson integration over xi in [-10, 10].
double drift_moment(double mu, double s, double log_t, int k) {
  const int n = 4000;
  const double a = -10.0, h = 20.0 / n;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double xi = a + i * h;
    const double f = std::exp(-k * std::abs(mu + s * xi) * log_t) * phi(xi);
    sum += (i == 0 || i == n) ? f : (i % 2 ? 4.0 * f : 2.0 * f);
  }
  return sum * h / 3.0;
}

struct Sample {
  double mean = 0, var = 0, se_mean = 0, se_var = 0;
};
Sample stats(const std::vector<double>& v) {
  Sample s;
  const double n = double(v.size());
  for (double x : v) s.mean += x;
  s.mean /= n;
  double m2 = 0, m4 = 0;
  for (double x : v) {
    const double d = x - s.mean;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m4 /= n;
  s.var = m2 * n / (n - 1);
  s.se_mean = std::sqrt(m2 / n);
  s.se_var = std::sqrt((m4 - m2 * m2) / n);
  return s;
}

// A 256x256 tile whose rows 1.. hold f * max|W|: 255 * 256 * 2 = 130560 devices of target f g_max on the G+
// planes (and as many at target 0 on the G- planes).
TEST(PcmStatistics, ProgrammedAndDriftedConductanceMatchFormulas) {
  TileParams p = AnalogPresets::hermes_like();
  p.device.programming = ProgrammingModel::kStatistical;
  p.device.read_noise = ReadNoiseMode::kOff;
  p.drift_compensation = DriftCompensation::kNone;
  const double g_max = p.device.g_max_us;
  for (double f : {0.1, 0.5, 0.9}) {
    CrossbarArray tile(p, 1234, 5);
    Eigen::MatrixXf w = Eigen::MatrixXf::Constant(256, 256, static_cast<float>(f));
    w.row(0).setOnes();
    tile.program(w);
    const double g_t = tile.target_conductances_us()[tile.target_conductances_us().size() / 8 + 256 * 8];
    ASSERT_NEAR(g_t, f * g_max, 1e-4);
    const double sigma = PcmDeviceModel::programming_sigma_us(g_t, g_max);
    const double mu_nu = PcmDeviceModel::drift_nu_mean(g_t, g_max),
                 s_nu = PcmDeviceModel::drift_nu_std(g_t, g_max);
    const size_t plane = 256 * 256;
    auto collect = [&](const std::vector<float>& g) {
      std::vector<double> v;
      for (int pl = 0; pl < 2; ++pl)  // the two G+ devices
        for (size_t e = pl * plane + 256; e < (pl + 1) * plane; ++e) v.push_back(g[e]);
      return v;
    };
    const Sample prog = stats(collect(tile.programmed_conductances_us()));
    const double m1 = rect_mean(g_t, sigma), m2 = rect_m2(g_t, sigma);
    EXPECT_NEAR(prog.mean, m1, 3 * prog.se_mean) << "target " << f;
    EXPECT_NEAR(prog.var, m2 - m1 * m1, 3 * prog.se_var) << "target " << f;
    for (double t : {3600.0, 86400.0, 3.15e7}) {
      tile.set_inference_time(t);
      const Sample d = stats(collect(tile.current_conductances_us()));
      const double log_t = std::log((t + p.device.t0_s) / p.device.t0_s);
      const double e1 = m1 * drift_moment(mu_nu, s_nu, log_t, 1);
      const double e2 = m2 * drift_moment(mu_nu, s_nu, log_t, 2);
      EXPECT_NEAR(d.mean, e1, 3 * d.se_mean) << "target " << f << " t " << t;
      EXPECT_NEAR(d.var, e2 - e1 * e1, 3 * d.se_var) << "target " << f << " t " << t;
    }
  }
}

TEST(PcmStatistics, FrozenReadNoiseMatchesFormula) {
  TileParams p = AnalogPresets::hermes_like();
  p.device.programming = ProgrammingModel::kIdeal;
  p.device.drift_enabled = false;
  p.device.read_noise = ReadNoiseMode::kFrozenAtInferenceTime;
  p.drift_compensation = DriftCompensation::kNone;
  CrossbarArray tile(p, 99, 0);
  tile.program(Eigen::MatrixXf::Constant(256, 256, 1.0f));  // every G+ device at g_max
  const double t = 86400.0;
  tile.set_inference_time(t);
  const double g = p.device.g_max_us;
  const double s =
      PcmDeviceModel::read_noise_q(g, g) * PcmDeviceModel::read_noise_time_factor(t, 20.0, 250e-9);
  std::vector<double> v(tile.current_conductances_us().begin(),
                        tile.current_conductances_us().begin() + 2 * 65536);
  const Sample d = stats(v);
  EXPECT_NEAR(d.mean, g, 3 * d.se_mean);
  EXPECT_NEAR(d.var, g * g * s * s, 3 * d.se_var);
}

std::vector<int> transfer(const AdcModel& adc, double lo, double hi, int steps) {
  std::vector<int> codes;
  for (int i = 0; i <= steps; ++i) {
    const float v = static_cast<float>(lo + (hi - lo) * i / steps);
    int32_t pos = 0, neg = 0;
    adc.convert(&v, 1, &pos, &neg);
    EXPECT_TRUE(pos == 0 || neg == 0);
    codes.push_back(pos - neg);
  }
  return codes;
}

TEST(Adc, IdealTransferRoundsHalfToEvenAndSaturates) {
  AdcParams a;
  a.kind = AdcKind::kIdeal;
  a.bits = 9;
  auto adc = AdcModel::create(a, DacParams{}, 1, 1, 0);
  EXPECT_EQ(adc->full_scale_counts(), 255);
  const std::vector<int> c = transfer(*adc, -600, 600, 24000);
  for (size_t i = 1; i < c.size(); ++i) ASSERT_LE(c[i - 1], c[i]);
  EXPECT_EQ(c.front(), -255);
  EXPECT_EQ(c.back(), 255);
  for (float v : {2.5f, 3.5f, -2.5f, 0.5f, 254.49f}) {
    int32_t pos = 0, neg = 0;
    adc->convert(&v, 1, &pos, &neg);
    EXPECT_EQ(pos - neg, static_cast<int>(std::nearbyint(v))) << v;
  }
  int32_t pos = 0, neg = 0;
  const float v = 2.5f;
  adc->convert(&v, 1, &pos, &neg);
  EXPECT_EQ(pos, 2);  // half to even
}

TEST(Adc, CcoTransferTruncatesSaturatesAndCountsUpTo12Bits) {
  AdcParams a;  // HERMES defaults: 300 ps/LSB, 128 ns window
  a.gain_sigma = 0.0;
  a.inl_peak_sigma_lsb = 0.0;
  auto ideal_cco = AdcModel::create(a, DacParams{}, 4, 1, 0);
  EXPECT_EQ(ideal_cco->full_scale_counts(), 426);  // floor(128 ns / 300 ps)
  EXPECT_EQ(ideal_cco->counter_max(), 4095);
  const std::vector<int> c = transfer(*ideal_cco, -1000, 1000, 40000);
  for (size_t i = 1; i < c.size(); ++i) ASSERT_LE(c[i - 1], c[i]);
  EXPECT_EQ(c.front(), -426);
  EXPECT_EQ(c.back(), 426);
  for (float v : {0.99f, 1.0f, 17.7f, -17.7f, 425.9f}) {
    int32_t pos = 0, neg = 0;
    ideal_cco->convert(&v, 1, &pos, &neg);
    EXPECT_EQ(pos - neg, static_cast<int>(v < 0 ? -std::floor(-v) : std::floor(v))) << v;
  }
  // Phases accumulate into the counters, which stop at 2^12 - 1.
  int32_t pos = 0, neg = 0;
  const float big = 1000.0f;
  for (int i = 0; i < 12; ++i) ideal_cco->convert(&big, 1, &pos, &neg);
  EXPECT_EQ(pos, 4095);
  // With mismatch (gain 7.09 %, INL 1/3 LSB): still monotonic and saturating on every line.
  AdcParams m;
  m.inl_peak_sigma_lsb = 5.0;  // exaggerated bow, still monotonic by design (|peak| < full scale / 4)
  auto cco = AdcModel::create(m, DacParams{}, 64, 3, 1);
  std::vector<float> v(64);
  std::vector<int32_t> prev(64, -100000);
  for (int i = 0; i <= 4000; ++i) {
    std::fill(v.begin(), v.end(), static_cast<float>(-1000.0 + 0.5 * i));
    std::vector<int32_t> p(64, 0), n(64, 0);
    cco->convert(v.data(), 64, p.data(), n.data());
    for (int j = 0; j < 64; ++j) {
      ASSERT_GE(p[j] - n[j], prev[j]) << "line " << j;
      prev[j] = p[j] - n[j];
      ASSERT_LE(std::abs(p[j] - n[j]), 426);
    }
  }
  for (int j = 0; j < 64; ++j) EXPECT_EQ(prev[j], 426);
}

TEST(Adc, SarTransfer) {
  AdcParams a;
  a.kind = AdcKind::kSar;
  a.bits = 8;
  a.gain_sigma = 0.0;
  a.inl_peak_sigma_lsb = 0.0;
  auto adc = AdcModel::create(a, DacParams{}, 1, 1, 0);
  EXPECT_EQ(adc->full_scale_counts(), 127);
  const std::vector<int> c = transfer(*adc, -300, 300, 6000);
  for (size_t i = 1; i < c.size(); ++i) ASSERT_LE(c[i - 1], c[i]);
  EXPECT_EQ(c.front(), -127);
  EXPECT_EQ(c.back(), 127);
  for (int i = 0; i < static_cast<int>(c.size()); ++i) {
    const double v = -300.0 + 600.0 * i / 6000;
    if (std::abs(v) < 126.0 && std::abs(v - std::floor(v) - 0.5) > 0.01) ASSERT_EQ(c[i], std::lround(v)) << v;
  }
}

TEST(MvmTiming, ClosedForms) {
  TileParams p = AnalogPresets::hermes_like();
  EXPECT_DOUBLE_EQ(MvmTiming::pwm_window_ns(p.dac), 128.0);
  EXPECT_DOUBLE_EQ(MvmTiming::mvm_latency_ns(p), 133.0);  // REFERENCE A: 133 ns
  p.dac.read_mode = DacReadMode::kFourPhase;
  EXPECT_EQ(MvmTiming::phases(p.dac), 4);
  EXPECT_DOUBLE_EQ(MvmTiming::mvm_latency_ns(p), 520.0);  // REFERENCE A: 520 ns
  p.adc.kind = AdcKind::kSar;
  p.adc.bits = 8;
  p.adc.lines_per_adc = 4;
  EXPECT_DOUBLE_EQ(MvmTiming::adc_conversion_ns(p.adc, p.dac), 36.0);  // 4 lines x (8 + 1) ns
  EXPECT_DOUBLE_EQ(MvmTiming::mvm_latency_ns(p), 4 * (128.0 + 1.0) + 36.0);
}

}  // namespace
}  // namespace aimc
