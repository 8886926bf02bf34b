// The integer read path of a crossbar tile: PWM codes -> currents on the exact grid -> per-read noise ->
// ADC counts (CrossbarArray.h), and the activity of each read.
#include <cmath>
#include <cstdlib>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/NormalSampler.h"

namespace aimc {

void CrossbarArray::read_batch(const MatrixXfRowMajor& codes, const std::vector<uint64_t>& noise_rows,
                               int sub_base, MatrixXi32RowMajor& pos, MatrixXi32RowMajor& neg,
                               std::vector<uint8_t>& saturated) const {
  const Eigen::Index batch = codes.rows();
  pos.setZero(batch, used_out_);
  neg.setZero(batch, used_out_);
  saturated.assign(batch, 0);
  const bool per_read = params_.device.read_noise == ReadNoiseMode::kPerRead;
  const bool exact = params_.device.read_noise_variance == ReadNoiseVariance::kExact;
  const float out_var =
      static_cast<float>(params_.adc.output_noise_sigma_counts * params_.adc.output_noise_sigma_counts);
  const uint64_t blocks_per_read = (static_cast<uint64_t>(params_.rows) + 3) / 4;
  const size_t n = static_cast<size_t>(batch) * used_out_;
  std::vector<float> var, z(n);

  // One integration of the inputs `in` against `g` (counts per code) for the whole batch: the products are
  // exact in float (see quantise_to_exact_grid), so one GEMM gives every row bit for bit what a GEMV of that
  // row alone would. The noise of the whole batch next: variances (exact integer product `v`, or rank-1 from
  // source `which`: 0 all, 1 plus, 2 minus), one block of normals per row keyed by its read index, then the
  // sign and the conversion row by row.
  auto phase = [&](const MatrixXfRowMajor& in, const MatrixXfRowMajor& g, const ReadCurrentMatrix& gi,
                   const ReadNoiseVarianceMatrix& v, int which, int phase_id, float sign) {
    MatrixXfRowMajor currents(batch, used_out_);
    if (gi.usable())
      gi.apply(in, currents);  // the same exact sums as the GEMM below, from int16 units
    else
      currents.noalias() = in * g.transpose();
    if (per_read || out_var > 0.0f) {
      if (per_read && exact) {
        v.apply(in, out_var, var);
      } else {
        var.assign(n, out_var);
        if (per_read && var_total_[which] > 0.0f)
          for (Eigen::Index b = 0; b < batch; ++b) {
            const float weight =
                (in.row(b).transpose().array().square() * var_row_[which].array()).sum() / var_total_[which];
            Eigen::Map<Eigen::ArrayXf>(var.data() + b * used_out_, used_out_) +=
                weight * var_col_[which].array();
          }
      }
      const CounterRng rng(seed_, tile_id_, RngPurpose::kReadNoise, sub_base | phase_id);
      for (Eigen::Index b = 0; b < batch; ++b)
        NormalSampler::fill(rng, noise_rows[b] * blocks_per_read, used_out_, z.data() + b * used_out_);
      Eigen::Map<Eigen::ArrayXf>(currents.data(), n) +=
          Eigen::Map<const Eigen::ArrayXf>(var.data(), n).sqrt() *
          Eigen::Map<const Eigen::ArrayXf>(z.data(), n);
    }
    if (sign < 0.0f) currents = -currents;
    for (Eigen::Index b = 0; b < batch; ++b)
      if (adc_->convert(currents.row(b).data(), used_out_, pos.row(b).data(), neg.row(b).data()))
        saturated[b] = 1;
  };

  if (params_.dac.read_mode == DacReadMode::kOnePhase) {
    phase(codes, d_counts_, cur_counts_, var_counts_, 0, 0, 1.0f);
    return;
  }
  const MatrixXfRowMajor xp = codes.cwiseMax(0.0f);
  const MatrixXfRowMajor xn = (-codes).cwiseMax(0.0f);
  phase(xp, plus_counts_, cur_plus_, var_plus_, 1, 0, 1.0f);
  phase(xp, minus_counts_, cur_minus_, var_minus_, 2, 1, -1.0f);
  phase(xn, plus_counts_, cur_plus_, var_plus_, 1, 2, -1.0f);
  phase(xn, minus_counts_, cur_minus_, var_minus_, 2, 3, 1.0f);
}

void CrossbarArray::count_activity(const MatrixXfRowMajor& codes, const MatrixXi32RowMajor& pos,
                                   const MatrixXi32RowMajor& neg, MvmActivity* activity) const {
  if (!activity) return;
  for (Eigen::Index b = 0; b < codes.rows(); ++b)
    read_energy_.add_read(codes.row(b).data(), used_in_, *activity);
  activity->adc_counts += pos.cast<int64_t>().sum() + neg.cast<int64_t>().sum();
  const int phases = params_.dac.read_mode == DacReadMode::kFourPhase ? 4 : 1;
  activity->reads += codes.rows() * phases;
  activity->pwm_pulse_lsbs += static_cast<int64_t>(codes.cwiseAbs().sum());
  activity->adc_conversions += codes.rows() * static_cast<int64_t>(used_out_) * phases;
  activity->device_reads += static_cast<int64_t>((codes.array() != 0.0f).count()) * used_out_ * planes();
}

MvmActivity CrossbarArray::activity_of_row(const int32_t* row) const {
  const int64_t phases = params_.dac.read_mode == DacReadMode::kFourPhase ? 4 : 1;
  int64_t lsbs = 0, nonzero = 0;
  for (int i = 0; i < used_in_; ++i) {
    lsbs += std::abs(row[i]);
    nonzero += row[i] != 0 ? 1 : 0;
  }
  MvmActivity a;
  a.reads = phases;
  a.pwm_pulse_lsbs = lsbs;
  a.adc_conversions = static_cast<int64_t>(used_out_) * phases;
  a.device_reads = nonzero * used_out_ * planes();
  read_energy_.add_read(row, used_in_, a);
  return a;
}

void CrossbarArray::mvm_codes(const Eigen::Ref<const MatrixXi32RowMajor>& x_codes,
                              MatrixXi32RowMajor& pos_counts, MatrixXi32RowMajor& neg_counts,
                              uint64_t read_index, MvmActivity* activity) const {
  std::vector<uint64_t> read_indices(static_cast<size_t>(x_codes.rows()));
  for (size_t b = 0; b < read_indices.size(); ++b) read_indices[b] = read_index + b;
  if (!activity) {
    mvm_codes(x_codes, pos_counts, neg_counts, read_indices);
    return;
  }
  std::vector<MvmActivity> rows;
  mvm_codes(x_codes, pos_counts, neg_counts, read_indices, &rows);
  for (const MvmActivity& a : rows) *activity += a;
}

void CrossbarArray::mvm_codes(const Eigen::Ref<const MatrixXi32RowMajor>& x_codes,
                              MatrixXi32RowMajor& pos_counts, MatrixXi32RowMajor& neg_counts,
                              const std::vector<uint64_t>& read_indices,
                              std::vector<MvmActivity>* row_activity) const {
  AIMC_ASSERT_MSG(programmed_, "mvm before program");
  AIMC_ASSERT(read_indices.size() == static_cast<size_t>(x_codes.rows()));
  if (x_codes.cols() != used_in_)
    throw UserError("", 0, "x_codes",
                    "has " + std::to_string(x_codes.cols()) + " columns, the tile uses " +
                        std::to_string(used_in_) + " inputs");
  if (x_codes.size() > 0 && x_codes.cwiseAbs().maxCoeff() > x_max_)
    throw UserError("", 0, "x_codes", "a PWM code exceeds +-" + std::to_string(x_max_));
  const MatrixXfRowMajor codes = x_codes.cast<float>();
  std::vector<uint8_t> saturated;
  read_batch(codes, read_indices, 0, pos_counts, neg_counts, saturated);
  if (!row_activity) return;
  row_activity->resize(read_indices.size());
  for (Eigen::Index b = 0; b < x_codes.rows(); ++b) {
    MvmActivity& a = (*row_activity)[static_cast<size_t>(b)];
    a = activity_of_row(x_codes.row(b).data());
    a.adc_counts = pos_counts.row(b).cast<int64_t>().sum() + neg_counts.row(b).cast<int64_t>().sum();
  }
}

}  // namespace aimc
