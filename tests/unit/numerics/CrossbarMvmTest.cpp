// Crossbar MVM: the AIHWKit forward on a hand-computed case, bound management, drift compensation, the
// HERMES-like MVM error, program-and-verify, determinism across runs and threads, tiling of large matrices.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/AnalogPresets.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/WeightMatrixMapper.h"

namespace aimc {
namespace {

// Deterministic test matrices from CounterRng (uniform in [-1, 1)).
Eigen::MatrixXf uniform_matrix(int r, int c, uint32_t sub) {
  const CounterRng rng(2024, 0, RngPurpose::kStimulus, sub);
  Eigen::MatrixXf m(r, c);
  for (int i = 0; i < r; ++i)
    for (int j = 0; j < c; ++j) m(i, j) = static_cast<float>(2.0 * rng.uniform(uint64_t(i) * c + j) - 1.0);
  return m;
}

TileParams noiseless(TileParams p) {
  p.device.programming = ProgrammingModel::kIdeal;
  p.device.drift_enabled = false;
  p.device.read_noise = ReadNoiseMode::kOff;
  p.aihwkit_out_noise = 0.0;
  p.adc.output_noise_sigma_counts = 0.0;
  p.adc.gain_sigma = 0.0;
  p.adc.inl_peak_sigma_lsb = 0.0;
  p.drift_compensation = DriftCompensation::kNone;
  return p;
}

TEST(AihwkitForward, HandComputedSmallCase) {
  const TileParams p = noiseless(AnalogPresets::aihwkit_compatible());
  CrossbarArray tile(p, 1, 0);
  Eigen::MatrixXf w(2, 3);
  w << 0.5f, -0.25f, 1.0f, 0.1f, 0.2f, -0.3f;
  tile.program(w);
  Eigen::MatrixXf x(1, 3);
  x << 0.29f, -0.6f, 0.05f;
  // nm = 0.6; x/nm/din = (30.45, -63, 5.25) -> rint (30, -63, 5) -> x' = (30, -63, 5) / 63.
  // y = W x' = (0.567460, -0.176190); /dout (24/510) = (12.0585, -3.7440) -> rint (12, -4)
  // -> (12, -4) * 24/510 * 0.6 = (0.338824, -0.112941).
  const Eigen::MatrixXf y = tile.mvm(x, 0);
  EXPECT_NEAR(y(0, 0), 12 * 24.0 / 510 * 0.6, 1e-5);
  EXPECT_NEAR(y(0, 1), -4 * 24.0 / 510 * 0.6, 1e-5);
}

TEST(BoundManagement, TakesTheDocumentedNumberOfPasses) {
  // AIHWKit units: all-ones 1 x 64 weights and inputs: r = 1, 2, 4 clip (y = 64, 32, 64 * 16/63 = 16.25),
  // r = 8 gives x' = rint(63 / 8) / 63 = 8/63, y = 512/63 = 8.127 < 12, so 4 passes;
  // rint(8.127 / (24/510)) = 173 steps: result 173 * 24/510 * 8 = 65.129.
  const TileParams p = noiseless(AnalogPresets::aihwkit_compatible());
  CrossbarArray tile(p, 1, 0);
  tile.program(Eigen::MatrixXf::Ones(1, 64));
  MvmActivity act;
  const Eigen::MatrixXf y = tile.mvm(Eigen::MatrixXf::Ones(1, 64), 0, &act);
  EXPECT_EQ(act.reads, 4);
  EXPECT_EQ(act.bound_management_extra_passes, 3);
  EXPECT_NEAR(y(0, 0), 173 * 24.0 / 510 * 8, 1e-4);
  // Capped at max passes: 1 x 512 ones would need r = 64; after 5 passes (r = 16) the output stays clipped.
  CrossbarArray big(p, 1, 0);
  big.program(Eigen::MatrixXf::Ones(1, 512));
  MvmActivity act2;
  const Eigen::MatrixXf y2 = big.mvm(Eigen::MatrixXf::Ones(1, 512), 0, &act2);
  EXPECT_EQ(act2.reads, 5);
  EXPECT_NEAR(y2(0, 0), 12.0 * 16, 1e-3);
  // Hardware chain (ideal ADC): the same 4 passes.
  TileParams h = noiseless(AnalogPresets::hermes_like());
  h.adc.kind = AdcKind::kIdeal;
  CrossbarArray hw(h, 1, 0);
  hw.program(Eigen::MatrixXf::Ones(1, 64));
  MvmActivity act3;
  const Eigen::MatrixXf y3 = hw.mvm(Eigen::MatrixXf::Ones(1, 64), 0, &act3);
  EXPECT_EQ(act3.reads, 4);
  // r = 8: codes rint(127 / 8) = 16, y = 64 * 16/127 normalised = 171.34 counts of 12/255 -> 171.
  EXPECT_NEAR(y3(0, 0), 171 * 12.0 / 255 * 8, 1e-3);
}

// Output gain = least-squares slope of y against the ideal x W^T.
double gain(const Eigen::MatrixXf& y, const Eigen::MatrixXf& ref) {
  return (y.cwiseProduct(ref)).sum() / ref.squaredNorm();
}

TEST(DriftCompensation, BringsTheMeanOutputGainBackNearOne) {
  const Eigen::MatrixXf w = uniform_matrix(256, 256, 1);
  const Eigen::MatrixXf x = uniform_matrix(64, 256, 2);
  const Eigen::MatrixXf ref = x * w.transpose();
  for (DriftCompensation comp : {DriftCompensation::kGlobal, DriftCompensation::kPerColumn}) {
    TileParams p = AnalogPresets::hermes_like();
    p.drift_compensation = DriftCompensation::kNone;
    CrossbarArray raw(p, 11, 0);
    raw.program(w);
    p.drift_compensation = comp;
    CrossbarArray compensated(p, 11, 0);
    compensated.program(w);
    for (double t : {3600.0, 86400.0 * 30, 3.15e7}) {
      raw.set_inference_time(t);
      compensated.set_inference_time(t);
      const double g_raw = gain(raw.mvm(x, 0), ref);
      const double g_comp = gain(compensated.mvm(x, 0), ref);
      std::printf("t = %.3g s: gain without compensation %.4f, with %s %.4f (alpha %.4f)\n", t, g_raw,
                  comp == DriftCompensation::kGlobal ? "global" : "per-column", g_comp,
                  compensated.drift_compensation());
      EXPECT_LT(g_raw, 0.9);
      EXPECT_NEAR(g_comp, 1.0, 0.03);
    }
  }
}

TEST(HermesMvmError, ComparedWithPublished194Percent) {
  // 8-bit PWM, HERMES-like tile (program-and-verify, CCO ADC with 7.09 % gain trim residual equalised
  // digitally, 1/f read noise per read), right after programming.
  const TileParams p = AnalogPresets::hermes_like();
  CrossbarArray tile(p, 5, 0);
  const Eigen::MatrixXf w = uniform_matrix(256, 256, 3);
  const ProgramResult pr = tile.program(w);
  tile.set_inference_time(60.0);
  const Eigen::MatrixXf x = uniform_matrix(256, 256, 4);
  const Eigen::MatrixXf ref = x * w.transpose();
  const Eigen::MatrixXf y = tile.mvm(x, 0);
  const Eigen::MatrixXf err = y - ref;
  const double err_std_over_max = std::sqrt(err.squaredNorm() / err.size()) / ref.cwiseAbs().maxCoeff();
  const double err_rel = err.norm() / ref.norm();
  // How close and why: the weight error is below REFERENCE B's 4.8-5.3 % (see ProgramVerify), so the MVM
  // error, which it dominates together with the 8-bit input and CCO quantisation, is below 1.94 % too.
  std::printf(
      "HERMES-like MVM error: sigma / max|y| = %.3f %%, ||dy|| / ||y|| = %.3f %% (published sigma 1.94 %%: "
      "%.2fx);\n  weight error %.2f %% of max|W| (published 4.8-5.3 %%); the model's write noise (REFERENCE "
      "D) is below the chip's, see ProgramVerify\n",
      100 * err_std_over_max, 100 * err_rel, err_std_over_max / 0.0194, 100 * pr.weight_error_rms_over_max);
  EXPECT_GT(err_std_over_max, 0.005);
  EXPECT_LT(err_std_over_max, 0.06);
}

// Program-and-verify through the 4-device weight (REFERENCE A: < 5 ADC counts or 30 iterations), read back
// through the tile's CCO ADC at the MVM gain with read noise, compared with REFERENCE B's 4.8-5.3 % weight
// error. Why the model lands below it: see CrossbarArray::program_verify — REFERENCE D's write noise is
// already the spread after Nandakumar's own iterative programming (~2.4 % of max|W| for 4 devices with no
// verify), and a verify can only remove error; the silicon figure holds effects model D does not have.
TEST(ProgramVerify, VerifiesTheWeightThroughTheAdc) {
  const TileParams p = AnalogPresets::hermes_like();
  const Eigen::MatrixXf w = uniform_matrix(256, 256, 5);
  CrossbarArray tile(p, 8, 2);
  const ProgramResult r = tile.program(w);
  TileParams s = p;
  s.device.programming = ProgrammingModel::kStatistical;
  CrossbarArray once(s, 8, 2);
  const ProgramResult r1 = once.program(w);
  // Tighter read-back (1 count) forces re-writes: the rule, not the noise, sets the residual.
  TileParams t = p;
  t.device.verify_tolerance_counts = 1;
  CrossbarArray tight(t, 8, 2);
  const ProgramResult rt = tight.program(w);
  std::printf(
      "program-and-verify (5 counts / 30 iterations, MVM gain %.1f counts per full-scale weight): %.3f "
      "writes "
      "per device (max %d iterations), %lld devices not converged, %.2f normal draws per device\n"
      "  weight error %.2f %% of max|W| (published 4.8-5.3 %%: %.1fx lower; one statistical write %.2f %%; "
      "1-count tolerance %.2f %% with %.2f writes per device)\n",
      tile.adc().full_scale_counts() / p.adc.full_scale_normalised, r.mean_iterations, r.max_iterations,
      static_cast<long long>(r.devices_not_converged), double(r.normal_draws) / r.devices,
      100 * r.weight_error_rms_over_max, 0.049 / r.weight_error_rms_over_max,
      100 * r1.weight_error_rms_over_max, 100 * rt.weight_error_rms_over_max, rt.mean_iterations);
  EXPECT_EQ(r.devices, 4 * 65536);
  EXPECT_LE(r.max_iterations, 30);
  EXPECT_LE(rt.max_iterations, 30);
  EXPECT_LE(double(r.normal_draws) / r.devices, 20.0);
  EXPECT_LT(r.devices_not_converged, r.devices / 100);
  // A verify only removes error: never worse than the same first write alone; a tighter rule does better.
  EXPECT_LE(r.weight_error_relative, r1.weight_error_relative * 1.0001);
  EXPECT_LT(rt.weight_error_relative, 0.9 * r.weight_error_relative);
  EXPECT_GT(rt.mean_iterations, r.mean_iterations);
  // Within the reach of the published figure's order, but below it (see above).
  EXPECT_GT(r.weight_error_rms_over_max, 0.01);
  EXPECT_LT(r.weight_error_rms_over_max, 0.053);
}

// A stuck device is compensated by the other devices of its cell: the verify reads the whole weight.
TEST(ProgramVerify, OtherDevicesOfTheCellCompensateAStuckDevice) {
  TileParams p = AnalogPresets::hermes_like();
  p.device.stuck_at_reset_fraction = 0.05;
  const Eigen::MatrixXf w = uniform_matrix(128, 128, 14);
  CrossbarArray verified(p, 3, 0);
  const ProgramResult rv = verified.program(w);
  p.device.programming = ProgrammingModel::kStatistical;
  CrossbarArray once(p, 3, 0);
  const ProgramResult r1 = once.program(w);
  std::printf("5 %% of devices stuck at RESET: weight error %.2f %% verified vs %.2f %% written once\n",
              100 * rv.weight_error_rms_over_max, 100 * r1.weight_error_rms_over_max);
  EXPECT_LT(rv.weight_error_rms_over_max, 0.85 * r1.weight_error_rms_over_max);
}

TEST(Determinism, SameSeedSameBitsAcrossRunsAndThreads) {
  for (TileParams p : {AnalogPresets::hermes_like(), AnalogPresets::aihwkit_compatible()}) {
    p.device.programming = ProgrammingModel::kStatistical;
    p.dac.read_mode = DacReadMode::kFourPhase;
    const Eigen::MatrixXf w = uniform_matrix(200, 256, 6);
    const Eigen::MatrixXf x = uniform_matrix(64, 256, 7);
    CrossbarArray a(p, 77, 3), b(p, 77, 3);
    a.program(w);
    b.program(w);
    a.set_inference_time(86400.0);
    b.set_inference_time(86400.0);
    const Eigen::MatrixXf ya = a.mvm(x, 1000);
    const Eigen::MatrixXf yb = b.mvm(x, 1000);
    EXPECT_TRUE((ya.array() == yb.array()).all());
    // The same batch split over two threads, each with its read-index offset.
    Eigen::MatrixXf top, bottom;
    std::thread t1([&] { top = a.mvm(x.topRows(23), 1000); });
    std::thread t2([&] { bottom = a.mvm(x.bottomRows(41), 1000 + 23); });
    t1.join();
    t2.join();
    EXPECT_TRUE((top.array() == ya.topRows(23).array()).all());
    EXPECT_TRUE((bottom.array() == ya.bottomRows(41).array()).all());
    // A different seed gives different numbers.
    CrossbarArray c(p, 78, 3);
    c.program(w);
    c.set_inference_time(86400.0);
    EXPECT_FALSE((c.mvm(x, 1000).array() == ya.array()).all());
  }
  // The integer path, one and two threads.
  TileParams p = AnalogPresets::hermes_like();
  p.device.programming = ProgrammingModel::kStatistical;
  CrossbarArray t(p, 5, 1);
  t.program(uniform_matrix(256, 256, 8));
  MatrixXi32RowMajor codes = (uniform_matrix(32, 256, 9) * 127.0f).array().round().cast<int32_t>().matrix();
  MatrixXi32RowMajor pos, neg, p1, n1, p2, n2;
  t.mvm_codes(codes, pos, neg, 5);
  std::thread t1([&] { t.mvm_codes(codes.topRows(10), p1, n1, 5); });
  std::thread t2([&] { t.mvm_codes(codes.bottomRows(22), p2, n2, 15); });
  t1.join();
  t2.join();
  EXPECT_TRUE((p1 == pos.topRows(10)) && (n1 == neg.topRows(10)));
  EXPECT_TRUE((p2 == pos.bottomRows(22)) && (n2 == neg.bottomRows(22)));
}

TEST(Determinism, ExplicitReadIndicesEqualPerRowReads) {
  // Rows with unsorted, non-consecutive read indices (as a Conv pixel's samples or a tile's read-ahead):
  // every row's counts and activity are bit for bit those of a batch of one, with per-read noise, in both
  // read modes.
  const Eigen::MatrixXf w = uniform_matrix(200, 256, 14);
  MatrixXi32RowMajor codes = (uniform_matrix(12, 256, 15) * 127.0f).array().round().cast<int32_t>().matrix();
  for (int i = 0; i < 256; i += 3) codes(3, i) = 0;  // device_reads counts non-zero inputs only
  codes.row(5).setZero();
  const std::vector<uint64_t> indices = {7, 1000, 3, 64, 65, 130, 9, 4096, 2, 1001, 77, 71};
  for (const DacReadMode mode : {DacReadMode::kOnePhase, DacReadMode::kFourPhase}) {
    TileParams p = AnalogPresets::hermes_like();
    p.device.programming = ProgrammingModel::kStatistical;
    p.dac.read_mode = mode;
    ASSERT_EQ(p.device.read_noise, ReadNoiseMode::kPerRead);
    CrossbarArray t(p, 11, 2);
    t.program(w);
    t.set_inference_time(3600.0);
    MatrixXi32RowMajor pos, neg, one_pos, one_neg;
    std::vector<MvmActivity> act;
    t.mvm_codes(codes, pos, neg, indices, &act);
    ASSERT_EQ(act.size(), indices.size());
    ASSERT_EQ(pos.rows(), codes.rows());
    MvmActivity sum;
    for (size_t b = 0; b < indices.size(); ++b) {
      const auto row = static_cast<Eigen::Index>(b);
      MvmActivity one;
      t.mvm_codes(codes.middleRows(row, 1), one_pos, one_neg, indices[b], &one);
      EXPECT_TRUE(pos.row(row) == one_pos.row(0) && neg.row(row) == one_neg.row(0)) << "row " << b;
      EXPECT_EQ(act[b].reads, one.reads);
      EXPECT_EQ(act[b].pwm_pulse_lsbs, one.pwm_pulse_lsbs);
      EXPECT_EQ(act[b].adc_conversions, one.adc_conversions);
      EXPECT_EQ(act[b].device_reads, one.device_reads);
      sum += act[b];
    }
    EXPECT_EQ(act[5].device_reads, 0);
    EXPECT_LT(act[3].device_reads, act[4].device_reads);
    // The per-row activity adds up to the batch's.
    MvmActivity batch;
    t.mvm_codes(codes, one_pos, one_neg, 0, &batch);
    EXPECT_EQ(sum.reads, batch.reads);
    EXPECT_EQ(sum.pwm_pulse_lsbs, batch.pwm_pulse_lsbs);
    EXPECT_EQ(sum.adc_conversions, batch.adc_conversions);
    EXPECT_EQ(sum.device_reads, batch.device_reads);
    // The index reaches the noise: the same row read with its neighbour's index differs.
    t.mvm_codes(codes.topRows(1), one_pos, one_neg, indices[0] + 1);
    EXPECT_FALSE(one_pos.row(0) == pos.row(0) && one_neg.row(0) == neg.row(0));
  }
}

TEST(CountsPerUnit, IntegerPathScalesToWeightUnits) {
  TileParams p = noiseless(AnalogPresets::hermes_like());
  CrossbarArray tile(p, 3, 0);
  const Eigen::MatrixXf w = uniform_matrix(256, 256, 10);
  tile.program(w);
  MatrixXi32RowMajor codes = (uniform_matrix(16, 256, 11) * 30.0f).array().round().cast<int32_t>().matrix();
  MatrixXi32RowMajor pos, neg;
  tile.mvm_codes(codes, pos, neg, 0);
  const Eigen::MatrixXf ref = codes.cast<float>() * w.transpose();
  const Eigen::MatrixXf y = (pos - neg).cast<float>() / static_cast<float>(tile.counts_per_unit());
  // CCO truncation (under one count) plus the exact-sum grid of the conductances (a fraction of a count).
  EXPECT_LE((y - ref).cwiseAbs().maxCoeff(), 1.5 / tile.counts_per_unit());
  EXPECT_GT(tile.counts_per_unit(), 0.0);
}

TEST(WeightMatrixMapper, SplitsLargeMatricesOverTiles) {
  const TileParams p = noiseless(AnalogPresets::hermes_like());
  WeightMatrixMapper m(p, 1);
  const Eigen::MatrixXf w = uniform_matrix(300, 600, 12);
  m.program(w);
  EXPECT_EQ(m.out_blocks(), 2);
  EXPECT_EQ(m.in_blocks(), 3);
  const Eigen::MatrixXf x = uniform_matrix(8, 600, 13);
  const Eigen::MatrixXf ref = x * w.transpose();
  const Eigen::MatrixXf y = m.mvm(x, 0);
  EXPECT_LT((y - ref).norm() / ref.norm(), 0.03);  // 8-bit inputs, CCO quantisation only
  EXPECT_THROW(m.mvm(uniform_matrix(2, 599, 1), 0), UserError);
  CrossbarArray tile(p, 1, 0);
  EXPECT_THROW(tile.program(Eigen::MatrixXf::Ones(257, 3)), UserError);
}

}  // namespace
}  // namespace aimc
