#include "aimc/numerics/WeightMatrixMapper.h"

#include <algorithm>
#include <cmath>

#include "aimc/base/Error.h"

namespace aimc {

WeightMatrixMapper::WeightMatrixMapper(const TileParams& params, uint64_t seed, uint32_t first_tile_id)
    : params_(params), seed_(seed), first_tile_id_(first_tile_id) {}

ProgramResult WeightMatrixMapper::program(const Eigen::Ref<const Eigen::MatrixXf>& w) {
  if (w.rows() < 1 || w.cols() < 1) throw UserError("", 0, "weights", "must not be empty");
  out_ = static_cast<int>(w.rows());
  in_ = static_cast<int>(w.cols());
  out_blocks_ = (out_ + params_.rows - 1) / params_.rows;
  in_blocks_ = (in_ + params_.cols - 1) / params_.cols;
  tiles_.clear();
  tiles_.reserve(static_cast<size_t>(out_blocks_) * in_blocks_);
  ProgramResult total;
  double iterations = 0.0;
  for (int a = 0; a < out_blocks_; ++a)
    for (int b = 0; b < in_blocks_; ++b) {
      const int r0 = a * params_.rows, c0 = b * params_.cols;
      const int nr = std::min(params_.rows, out_ - r0), nc = std::min(params_.cols, in_ - c0);
      tiles_.emplace_back(params_, seed_, first_tile_id_ + static_cast<uint32_t>(a * in_blocks_ + b));
      const ProgramResult r = tiles_.back().program(w.block(r0, c0, nr, nc));
      total.write_pulses += r.write_pulses;
      total.verify_reads += r.verify_reads;
      total.max_iterations = std::max(total.max_iterations, r.max_iterations);
      total.devices_not_converged += r.devices_not_converged;
      total.normal_draws += r.normal_draws;
      total.uniform_draws += r.uniform_draws;
      total.devices += r.devices;
      total.stuck_devices += r.stuck_devices;
      total.stuck_detected += r.stuck_detected;
      total.stuck_cells_compensated += r.stuck_cells_compensated;
      total.stuck_lines_offset += r.stuck_lines_offset;
      iterations += r.mean_iterations * r.devices;
    }
  total.mean_iterations = iterations / std::max<int64_t>(1, total.devices);
  const Eigen::MatrixXf err = programmed_weights() - w;
  const double w_norm = w.norm();
  total.weight_error_relative = w_norm > 0.0 ? err.norm() / w_norm : err.norm();
  const double w_max = w.cwiseAbs().maxCoeff();
  total.weight_error_rms_over_max = (w_max > 0.0 ? err.norm() / w_max : err.norm()) / std::sqrt(err.size());
  return total;
}

void WeightMatrixMapper::set_inference_time(double t_s) {
  for (CrossbarArray& t : tiles_) t.set_inference_time(t_s);
}

Eigen::MatrixXf WeightMatrixMapper::mvm(const Eigen::Ref<const Eigen::MatrixXf>& x, uint64_t read_index,
                                        MvmActivity* activity) const {
  AIMC_ASSERT_MSG(!tiles_.empty(), "mvm before program");
  if (x.cols() != in_)
    throw UserError(
        "", 0, "inputs",
        "have " + std::to_string(x.cols()) + " columns, the weights have " + std::to_string(in_) + " inputs");
  if (out_blocks_ == 1 && in_blocks_ == 1) return tile(0, 0).mvm(x, read_index, activity);  // no sum, no copy
  Eigen::MatrixXf y = Eigen::MatrixXf::Zero(x.rows(), out_);
  for (int a = 0; a < out_blocks_; ++a)
    for (int b = 0; b < in_blocks_; ++b) {
      const CrossbarArray& t = tile(a, b);
      y.middleCols(a * params_.rows, t.used_outputs()) +=
          t.mvm(x.middleCols(b * params_.cols, t.used_inputs()), read_index, activity);
    }
  return y;
}

double WeightMatrixMapper::mean_drift_compensation() const {
  double s = 0.0;
  for (const CrossbarArray& t : tiles_) s += t.drift_compensation();
  return tiles_.empty() ? 1.0 : s / tiles_.size();
}

Eigen::MatrixXf WeightMatrixMapper::programmed_weights() const {
  Eigen::MatrixXf w(out_, in_);
  for (int a = 0; a < out_blocks_; ++a)
    for (int b = 0; b < in_blocks_; ++b) {
      const CrossbarArray& t = tile(a, b);
      w.block(a * params_.rows, b * params_.cols, t.used_outputs(), t.used_inputs()) = t.programmed_weights();
    }
  return w;
}

}  // namespace aimc
