// Data-dependent read energy (numerics/ArrayReadEnergy.h): the exact integer sum sum_i |x_i| G_line_i of a
// read on hand-built conductances, its growth with input magnitude and conductance (drift lowers it), its
// independence of batch split and order, and the CCO counts the ADC energy uses.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <vector>

#include "UniformWeights.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/AnalogPresets.h"
#include "aimc/numerics/ArrayReadEnergy.h"
#include "aimc/numerics/CrossbarArray.h"

namespace aimc {
namespace {

TEST(ArrayReadEnergy, HandBuiltConductancesGiveTheExactSum) {
  // Lines of 1, 2 and 0.5 uS (1000, 2000, 500 nS); wire losses of 3, 0, 1 nS.
  const ArrayReadEnergy e({1e-6, 2e-6, 0.5e-6}, {3e-9, 0.0, 1e-9});
  const int32_t codes[3] = {3, -2, 0};
  MvmActivity a;
  e.add_read(codes, 3, a);
  EXPECT_EQ(a.array_conductance_lsbs, 3 * 1000 + 2 * 2000);
  EXPECT_EQ(a.wire_conductance_lsbs, 3 * 3);
  const float fcodes[3] = {3.0f, -2.0f, 0.0f};
  MvmActivity b;
  e.add_read(fcodes, 3, b);
  EXPECT_EQ(b.array_conductance_lsbs, a.array_conductance_lsbs);
}

TileParams quiet_tile(int n) {
  TileParams p = AnalogPresets::hermes_like();
  p.rows = p.cols = n;
  p.device.read_noise = ReadNoiseMode::kOff;
  return p;
}

Eigen::MatrixXf weights(int n) {
  return test::uniform_weights(n, n, 8, 3);
}

MatrixXi32RowMajor codes(int batch, int n, int x_max, uint32_t sub) {
  const CounterRng rng(9, 0, RngPurpose::kStimulus, sub);
  MatrixXi32RowMajor x(batch, n);
  for (int b = 0; b < batch; ++b)
    for (int i = 0; i < n; ++i)
      x(b, i) = static_cast<int32_t>(std::lround((2.0 * rng.uniform(uint64_t(b) * n + i) - 1.0) * x_max));
  return x;
}

MvmActivity read(const CrossbarArray& tile, const MatrixXi32RowMajor& x) {
  MatrixXi32RowMajor pos, neg;
  MvmActivity a;
  tile.mvm_codes(x, pos, neg, 0, &a);
  return a;
}

// The tile's line conductances are the programmed (drifted) devices of each input line, and a read's count
// is V-independent sum_i |x_i| G_line_i.
TEST(ArrayReadEnergy, TileCountsTheConductanceOfTheLinesItDrives) {
  const int n = 32;
  CrossbarArray tile(quiet_tile(n), 4, 0);
  tile.program(weights(n));
  const std::vector<float>& g = tile.current_conductances_us();
  const auto& units = tile.read_energy().line_units();
  ASSERT_EQ(units.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    double line_us = 0.0;
    for (size_t e = static_cast<size_t>(i); e < g.size(); e += n)
      line_us += g[e];  // input line is the column
    EXPECT_NEAR(static_cast<double>(units[i]), line_us * 1e3, 0.5 + 1e-9 * line_us * 1e3) << i;
  }
  const MatrixXi32RowMajor x = codes(1, n, tile.input_code_max(), 1);
  int64_t want = 0;
  for (int i = 0; i < n; ++i) want += std::abs(x(0, i)) * units[i];
  EXPECT_EQ(read(tile, x).array_conductance_lsbs, want);
}

TEST(ArrayReadEnergy, GrowsWithInputMagnitudeAndConductanceAndDriftLowersIt) {
  const int n = 32;
  CrossbarArray tile(quiet_tile(n), 4, 0);
  tile.program(weights(n));
  const MatrixXi32RowMajor half = codes(4, n, tile.input_code_max() / 2, 2);
  const MatrixXi32RowMajor full = half * 2;
  const MvmActivity a = read(tile, half), b = read(tile, full);
  EXPECT_EQ(b.array_conductance_lsbs, 2 * a.array_conductance_lsbs);  // exact: integer codes x integer G
  EXPECT_GT(b.adc_counts, a.adc_counts);                              // CCO: more current, more periods
  // Larger weights, larger conductances (the same inputs): per-tile scaling maps max|W| to g_max, so halve
  // all but one weight.
  Eigen::MatrixXf w = weights(n) * 0.5f;
  w(0, 0) = 1.0f;
  CrossbarArray light(quiet_tile(n), 4, 0);
  light.program(w);
  EXPECT_LT(read(light, half).array_conductance_lsbs, a.array_conductance_lsbs);
  // Drift lowers the conductances and so the read energy.
  tile.set_inference_time(86400.0);
  EXPECT_LT(read(tile, half).array_conductance_lsbs, a.array_conductance_lsbs);
}

TEST(ArrayReadEnergy, IntegerSumDoesNotDependOnBatchSplitOrOrder) {
  const int n = 48;
  CrossbarArray tile(quiet_tile(n), 4, 0);
  tile.program(weights(n));
  const MatrixXi32RowMajor x = codes(16, n, tile.input_code_max(), 3);
  const MvmActivity whole = read(tile, x);
  MvmActivity ones;
  for (int b = 0; b < 16; ++b) {
    MatrixXi32RowMajor pos, neg;
    tile.mvm_codes(x.row(b), pos, neg, static_cast<uint64_t>(b), &ones);
  }
  EXPECT_EQ(whole.array_conductance_lsbs, ones.array_conductance_lsbs);
  EXPECT_EQ(whole.adc_counts, ones.adc_counts);
  // Reversed rows with their read indices: the same rows, the same sums.
  MatrixXi32RowMajor rev = x.colwise().reverse();
  std::vector<uint64_t> idx(16);
  for (int b = 0; b < 16; ++b) idx[b] = static_cast<uint64_t>(15 - b);
  MatrixXi32RowMajor pos, neg;
  std::vector<MvmActivity> rows;
  tile.mvm_codes(rev, pos, neg, idx, &rows);
  MvmActivity sum;
  for (const MvmActivity& a : rows) sum += a;
  EXPECT_EQ(sum.array_conductance_lsbs, whole.array_conductance_lsbs);
  EXPECT_EQ(sum.adc_counts, whole.adc_counts);
}

// With wire resistance on, the wires' loss conductance is counted too and grows with the resistance.
TEST(ArrayReadEnergy, WireLossGrowsWithResistance) {
  const int n = 32;
  int64_t last = 0;
  for (double r : {0.5, 2.0, 8.0}) {
    TileParams p = quiet_tile(n);
    p.wire.enabled = true;
    p.wire.r_row_ohm_per_cell = p.wire.r_col_ohm_per_cell = r;
    CrossbarArray tile(p, 4, 0);
    tile.program(weights(n));
    const MvmActivity a = read(tile, codes(4, n, tile.input_code_max(), 4));
    EXPECT_GT(a.wire_conductance_lsbs, last) << r;
    EXPECT_LT(a.wire_conductance_lsbs, a.array_conductance_lsbs) << r;
    last = a.wire_conductance_lsbs;
  }
}

}  // namespace
}  // namespace aimc
