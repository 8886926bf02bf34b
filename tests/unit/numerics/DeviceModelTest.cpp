// The device models behind DeviceModel: PCM equal bit for bit to the REFERENCE D statics it wraps; RRAM's
// statistics against their closed forms (window, levels, write spread, relaxation law, stuck rates within
// binomial bounds); stuck-device compensation and binary/ternary mappings on a tile.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <set>
#include <vector>

#include "aimc/base/Rng.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/DeviceModelPcm.h"
#include "aimc/numerics/DeviceModelRram.h"
#include "aimc/numerics/PcmDeviceModel.h"
#include "aimc/numerics/StuckCompensation.h"

namespace aimc {
namespace {

DeviceParams rram_params() {
  DeviceParams d;
  d.technology = DeviceTechnology::kRram;
  return d;
}

TEST(DeviceModelPcm, EqualsTheReferenceDStaticsBitForBit) {
  DeviceParams d;
  d.programming_noise_scale = 0.7;
  d.read_noise_scale = 1.3;
  d.drift_scale = 1.1;
  const DeviceModelPcm m(d);
  const CounterRng rng(3, 1, RngPurpose::kProgramming);
  for (int i = 0; i < 200; ++i) {
    const double g = 25.0 * i / 199.0, xi = rng.normal(static_cast<uint64_t>(i));
    EXPECT_EQ(m.programmed_us(g, DeviceWindow{}, xi),
              PcmDeviceModel::programmed_us(g, d.g_max_us, d.programming_noise_scale, xi));
    const double nu = PcmDeviceModel::drift_nu(g, d.g_max_us, d.drift_scale, xi);
    EXPECT_EQ(m.time_parameter(g, xi), nu);
    const double t = 3600.0 * i;
    EXPECT_EQ(m.conductance_at(g, nu, m.at(t)), g * pm::exp(-nu * pm::log((t + d.t0_s) / d.t0_s)));
    EXPECT_EQ(m.read_sigma_rel(g, m.at(t)),
              d.read_noise_scale * PcmDeviceModel::read_noise_q(g, d.g_max_us) *
                  PcmDeviceModel::read_noise_time_factor(t, d.t0_s, d.t_read_s));
  }
  EXPECT_EQ(m.g_zero_us(), 0.0);
  EXPECT_EQ(m.g_span_us(), d.g_max_us);
}

TEST(DeviceModelRram, OnOffRatioAndWindowSpread) {
  const DeviceParams d = rram_params();
  const DeviceModelRram m(d);
  EXPECT_DOUBLE_EQ(m.g_lrs_us() / m.g_hrs_us(), d.rram.on_off_ratio);
  EXPECT_GT(m.g_zero_us(), 0.0);  // a finite on/off ratio: weight 0 still conducts
  // Each device's LRS: g_lrs (1 + d2d xi); sample mean and sigma within 4 standard errors.
  const CounterRng rng(5, 2, RngPurpose::kDeviceWindow);
  const int n = 20000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const auto z = rng.normal_pair(static_cast<uint64_t>(i));
    const double high = m.window(z[0], z[1]).high_us;
    EXPECT_EQ(m.programmed_us(m.g_lrs_us(), m.window(z[0], z[1]), 0.3), high);  // a full SET lands there
    s += high;
    s2 += high * high;
  }
  const double mean = s / n, sd = std::sqrt(s2 / n - mean * mean), sigma = d.rram.d2d_sigma * m.g_lrs_us();
  EXPECT_NEAR(mean, m.g_lrs_us(), 4.0 * sigma / std::sqrt(n));
  EXPECT_NEAR(sd, sigma, 4.0 * sigma / std::sqrt(2.0 * n));
}

TEST(DeviceModelRram, FiniteLevelsAndWriteSpread) {
  DeviceParams d = rram_params();
  d.rram.levels = 8;
  const DeviceModelRram m(d);
  std::set<double> targets;
  for (int i = 0; i <= 1000; ++i) targets.insert(m.target_us(i / 1000.0, 1.0));
  ASSERT_EQ(targets.size(), 8u);
  const double step = m.g_span_us() / 7.0;
  int k = 0;
  for (double t : targets) EXPECT_NEAR(t, m.g_hrs_us() + step * k++, 1e-9 * m.g_lrs_us());
  // One write aimed at a middle level: mean = aim, sigma = c2c * span (the window is far away).
  const double aim = *std::next(targets.begin(), 4);
  const CounterRng rng(9, 4, RngPurpose::kProgramming);
  const int n = 20000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n; ++i) {
    const double g = m.programmed_us(aim, m.window(0.0, 0.0), rng.normal(static_cast<uint64_t>(i)));
    s += g;
    s2 += g * g;
  }
  const double mean = s / n, sd = std::sqrt(s2 / n - mean * mean), sigma = d.rram.c2c_sigma * m.g_span_us();
  EXPECT_NEAR(mean, aim, 4.0 * sigma / std::sqrt(n));
  EXPECT_NEAR(sd, sigma, 4.0 * sigma / std::sqrt(2.0 * n));
}

TEST(DeviceModelRram, RelaxationFollowsTheLogTimeLaw) {
  const DeviceParams d = rram_params();
  const DeviceModelRram m(d);
  const double g0 = m.g_hrs_us() + 0.8 * m.g_span_us(), mid = 0.5 * (m.g_lrs_us() + m.g_hrs_us());
  const CounterRng rng(11, 0, RngPurpose::kDriftNu);
  for (double t : {0.0, 10.0, 3600.0, 86400.0 * 365}) {
    const DeviceTime time = m.at(t);
    const double l = std::log10(1.0 + t / d.rram.relaxation_tau_s);
    const int n = 20000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; ++i) {
      const double g = m.conductance_at(g0, m.time_parameter(g0, rng.normal(static_cast<uint64_t>(i))), time);
      s += g;
      s2 += g * g;
    }
    const double mean = s / n, sd = std::sqrt(std::max(0.0, s2 / n - mean * mean));
    const double sigma = d.rram.relaxation_sigma * m.g_span_us() * l;
    EXPECT_NEAR(mean, g0 + d.rram.relaxation_to_mid * (mid - g0) * l, 4.0 * sigma / std::sqrt(n) + 1e-9 * g0);
    EXPECT_NEAR(sd, sigma, 4.0 * sigma / std::sqrt(2.0 * n) + 1e-6 * g0);
  }
}

TileParams rram_tile(double stuck_set, double stuck_reset, StuckCompensation comp) {
  TileParams p;
  p.rows = 64;
  p.cols = 64;
  p.device = rram_params();
  p.device.devices_per_polarity = 1;
  p.device.programming = ProgrammingModel::kIdeal;
  p.device.read_noise = ReadNoiseMode::kOff;
  p.device.drift_enabled = false;
  p.device.stuck_at_set_fraction = stuck_set;
  p.device.stuck_at_reset_fraction = stuck_reset;
  p.device.stuck_compensation = comp;
  p.adc.gain_sigma = 0.0;
  p.adc.inl_peak_sigma_lsb = 0.0;
  return p;
}

Eigen::MatrixXf random_weights(int rows, int cols, uint64_t seed) {
  const CounterRng rng(seed, 0, RngPurpose::kWorkload);
  Eigen::MatrixXf w(rows, cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      w(r, c) = static_cast<float>(rng.normal(static_cast<uint64_t>(r * cols + c)));
  return w;
}

TEST(StuckDevices, RatesWithinBinomialBounds) {
  const double p_set = 0.04, p_reset = 0.06;
  CrossbarArray a(rram_tile(p_set, p_reset, StuckCompensation::kNone), 21, 3);
  const ProgramResult r = a.program(random_weights(64, 64, 1));
  const double n = static_cast<double>(r.devices), p = p_set + p_reset;
  EXPECT_NEAR(static_cast<double>(r.stuck_devices), n * p, 4.0 * std::sqrt(n * p * (1.0 - p)));
  int64_t at_lrs = 0;
  const auto& g = a.programmed_conductances_us();
  for (float v : g) at_lrs += v == static_cast<float>(a.device().stuck_high_us()) ? 1 : 0;
  // Ideal programming puts a healthy device at LRS only for max|W| itself; the rest at LRS are stuck there.
  EXPECT_NEAR(static_cast<double>(at_lrs), n * p_set, 4.0 * std::sqrt(n * p_set * (1.0 - p_set)) + 2.0);
}

TEST(StuckDevices, PartnerAndOffsetCompensationReduceTheError) {
  const Eigen::MatrixXf w = random_weights(64, 64, 2);
  double errors[3];
  int i = 0;
  for (StuckCompensation comp :
       {StuckCompensation::kNone, StuckCompensation::kPartner, StuckCompensation::kOffset}) {
    CrossbarArray a(rram_tile(0.05, 0.05, comp), 21, 3);
    const ProgramResult r = a.program(w);
    errors[i++] = r.weight_error_relative;
    if (comp != StuckCompensation::kNone) {
      EXPECT_GT(r.stuck_detected, 0);
      EXPECT_LE(r.stuck_detected, r.stuck_devices);
      EXPECT_GT(r.stuck_cells_compensated, 0);
    }
    if (comp == StuckCompensation::kOffset) {
      // The offset keeps each line's sum of weights where the healthy cells had room (ideal programming).
      const Eigen::MatrixXf wp = a.programmed_weights();
      int kept = 0;
      for (int row = 0; row < 64; ++row)
        kept += std::abs(wp.row(row).sum() - w.row(row).sum()) < 1e-3f * w.row(row).cwiseAbs().sum() ? 1 : 0;
      EXPECT_GT(kept, 48);
    }
  }
  EXPECT_LT(errors[1], errors[0]);  // partner re-aiming removes the error of the stuck cells it can
}

TEST(StuckDevices, LineCompensationKeepsAReachableCellExact) {
  // One G+ stuck at LRS in a cell that wants a small positive weight: G- rises to cancel it.
  StuckLine line;
  line.n = 1;
  line.cols = 2;
  line.target_us = {2.0, 1.0, 1.0, 1.0};  // G+ of cells 0, 1, then G- of cells 0, 1 (weights 1 and 0)
  line.stuck = {1, 0, 0, 0};
  StuckDeviceRange range{1.0, 10.0, 10.0, 1.0, 0.1};
  const StuckLineResult r = compensate_stuck_line(line, range, StuckCompensation::kPartner);
  EXPECT_EQ(r.detected, 1);
  EXPECT_EQ(r.cells_compensated, 1);
  EXPECT_DOUBLE_EQ(10.0 - line.target_us[2], 1.0);  // the cell's difference is its wanted weight again
  EXPECT_DOUBLE_EQ(line.target_us[1] - line.target_us[3], 0.0);
}

TEST(WeightLevels, BinaryAndTernaryUseOnlyLrsAndHrs) {
  const Eigen::MatrixXf w = random_weights(32, 48, 4);
  for (WeightLevels levels : {WeightLevels::kBinary, WeightLevels::kTernary}) {
    TileParams p = rram_tile(0.0, 0.0, StuckCompensation::kNone);
    p.weight_levels = levels;
    CrossbarArray a(p, 5, 1);
    a.program(w);
    const DeviceModel& m = a.device();
    int zeros = 0;
    for (float g : a.target_conductances_us()) {
      const bool lrs = std::abs(g - m.stuck_high_us()) < 1e-3, hrs = std::abs(g - m.stuck_low_us()) < 1e-3;
      EXPECT_TRUE(lrs || hrs) << g;
    }
    const Eigen::MatrixXf q = CrossbarArray::quantise_weight_levels(w, levels);
    for (int r = 0; r < q.rows(); ++r)
      for (int c = 0; c < q.cols(); ++c) {
        zeros += q(r, c) == 0.0f ? 1 : 0;
        if (q(r, c) != 0.0f) EXPECT_EQ(std::signbit(q(r, c)), std::signbit(w(r, c)));
      }
    if (levels == WeightLevels::kBinary) EXPECT_EQ(zeros, 0);
    if (levels == WeightLevels::kTernary) EXPECT_GT(zeros, 0);
    // Programmed ideally, each line reads back its quantised weights.
    EXPECT_LT((a.programmed_weights() - q).cwiseAbs().maxCoeff(), 1e-4f * q.cwiseAbs().maxCoeff());
  }
}

}  // namespace
}  // namespace aimc
