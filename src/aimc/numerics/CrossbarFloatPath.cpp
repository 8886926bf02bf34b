// The float path of a crossbar tile (studies): input scaling and bound management over the integer read
// path, or REFERENCE E's normalised forward; and the one-hot calibration read behind drift compensation.
#include <algorithm>
#include <cmath>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/CrossbarArray.h"
#include "aimc/numerics/CrossbarNoiseStreams.h"
#include "aimc/numerics/NormalSampler.h"

namespace aimc {

using crossbar_streams::kSubCalibration;
using crossbar_streams::kSubPassShift;

Eigen::MatrixXf CrossbarArray::mvm(const Eigen::Ref<const Eigen::MatrixXf>& x, uint64_t read_index,
                                   MvmActivity* activity) const {
  AIMC_ASSERT_MSG(programmed_, "mvm before program");
  if (x.cols() != used_in_)
    throw UserError("", 0, "inputs",
                    "have " + std::to_string(x.cols()) + " columns, the tile uses " +
                        std::to_string(used_in_) + " inputs");
  if (!x.allFinite()) throw UserError("", 0, "inputs", "contain NaN or infinity");
  if (params_.forward_mode == ForwardMode::kAihwkitCompatible) {
    Eigen::MatrixXf y = mvm_aihwkit(x, read_index, 0, activity);
    for (int r = 0; r < used_out_; ++r) y.col(r) *= static_cast<float>(w_max_[r] * alpha_[r]);
    return y;
  }
  return mvm_hardware(x, read_index, activity);
}

Eigen::MatrixXf CrossbarArray::mvm_hardware(const Eigen::Ref<const Eigen::MatrixXf>& x, uint64_t read_index,
                                            MvmActivity* activity) const {
  const Eigen::Index batch = x.rows();
  // Row-major copies: each input vector and each output vector contiguous for the per-row loops below.
  const MatrixXfRowMajor xr = x;
  MatrixXfRowMajor y = MatrixXfRowMajor::Zero(batch, used_out_);
  std::vector<double> inv_cpu(used_out_);
  for (int r = 0; r < used_out_; ++r) inv_cpu[r] = 1.0 / counts_per_unit(r);
  const float x_max = static_cast<float>(x_max_);
  const int max_passes = params_.dac.bound_management ? params_.dac.bound_management_max_passes : 1;
  // Rows still to read, with their input scale (abs-max or fixed range; an all-zero input needs no read).
  std::vector<Eigen::Index> rows;
  std::vector<float> scale;
  for (Eigen::Index b = 0; b < batch; ++b) {
    const float range = params_.dac.input_scaling == InputScaling::kAbsMax
                            ? xr.row(b).cwiseAbs().maxCoeff()
                            : static_cast<float>(params_.dac.fixed_input_range);
    if (range == 0.0f) continue;
    rows.push_back(b);
    scale.push_back(range);
  }
  MatrixXi32RowMajor pos, neg;
  std::vector<uint8_t> saturated;
  for (int pass = 0; pass < max_passes && !rows.empty(); ++pass) {
    MatrixXfRowMajor codes(rows.size(), used_in_);
    std::vector<uint64_t> noise_rows(rows.size());
    for (size_t k = 0; k < rows.size(); ++k) {
      const float* in = xr.row(rows[k]).data();
      float* out = codes.row(static_cast<Eigen::Index>(k)).data();
      int i = 0;
#if defined(__SSE2__)
      // The same floats as the scalar loop: x_max is an integer, so clamping before rounding is clamping
      // after; cvtps2dq rounds half-to-even like nearbyint, and the sign bit of v keeps nearbyint's -0.
      const __m128 v_scale = _mm_set1_ps(scale[k]), v_xmax = _mm_set1_ps(x_max),
                   v_nxmax = _mm_set1_ps(-x_max), v_sign = _mm_set1_ps(-0.0f);
      for (; i + 4 <= used_in_; i += 4) {
        const __m128 v = _mm_min_ps(
            _mm_max_ps(_mm_mul_ps(_mm_div_ps(_mm_loadu_ps(in + i), v_scale), v_xmax), v_nxmax), v_xmax);
        _mm_storeu_ps(out + i, _mm_or_ps(_mm_cvtepi32_ps(_mm_cvtps_epi32(v)), _mm_and_ps(v, v_sign)));
      }
#endif
      for (; i < used_in_; ++i) out[i] = std::clamp(std::nearbyint(in[i] / scale[k] * x_max), -x_max, x_max);
      noise_rows[k] = read_index + static_cast<uint64_t>(rows[k]);
    }
    read_batch(codes, noise_rows, pass << kSubPassShift, pos, neg, saturated);
    count_activity(codes, pos, neg, activity);
    if (activity && pass > 0) activity->bound_management_extra_passes += static_cast<int64_t>(rows.size());
    std::vector<Eigen::Index> again_rows;
    std::vector<float> again_scale;
    for (size_t k = 0; k < rows.size(); ++k) {
      if (saturated[k] && pass + 1 < max_passes) {
        again_rows.push_back(rows[k]);
        again_scale.push_back(2.0f * scale[k]);
        continue;
      }
      const double unit = static_cast<double>(scale[k]) / x_max_;
      float* out = y.row(rows[k]).data();
      const int32_t* p = pos.row(static_cast<Eigen::Index>(k)).data();
      const int32_t* n = neg.row(static_cast<Eigen::Index>(k)).data();
      for (int r = 0; r < used_out_; ++r) out[r] = static_cast<float>((p[r] - n[r]) * inv_cpu[r] * unit);
    }
    rows.swap(again_rows);
    scale.swap(again_scale);
  }
  return y;
}

// REFERENCE E, in normalised units (W / max|W|): per vector nm = max|x|; for r = 1, 2, 4, ...:
// x' = clamp(rint(x / (nm r) / din) din, -1, 1), y = W x' + sigma xi, y = clamp(rint(y / dout) dout,
// +-bound); stop when nothing reached the bound or after the last pass; result y nm r. (rint = half-to-even.)
// The DAC of the AIHWKit forward: x / scale on the grid of din, clamped to [-1, 1].
template <typename In, typename Out>
void CrossbarArray::quantise_aihwkit_input(const In& x, float scale, float din, Out&& xq) const {
  for (int i = 0; i < used_in_; ++i)
    xq[i] = std::clamp(std::nearbyint(x[i] / scale / din) * din, -1.0f, 1.0f);
}

Eigen::MatrixXf CrossbarArray::mvm_aihwkit(const Eigen::Ref<const Eigen::MatrixXf>& x, uint64_t read_index,
                                           int sub_base, MvmActivity* activity) const {
  const Eigen::Index batch = x.rows();
  Eigen::MatrixXf y = Eigen::MatrixXf::Zero(batch, used_out_);
  // Blocks of samples, each pass of a block one GEMM (issue 20: a matrix-vector product per sample was the
  // read path's cost); a block's buffers stay in cache. Only the samples that clipped read the next pass.
  constexpr Eigen::Index kBlock = 256;
  for (Eigen::Index first = 0; first < batch; first += kBlock)
    mvm_aihwkit_block(x, first, std::min(kBlock, batch - first), read_index, sub_base, activity, y);
  return y;
}

void CrossbarArray::mvm_aihwkit_block(const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Index first,
                                      Eigen::Index count, uint64_t read_index, int sub_base,
                                      MvmActivity* activity, Eigen::MatrixXf& y) const {
  const float din = 1.0f / static_cast<float>(x_max_);
  const int max_passes = params_.dac.bound_management ? params_.dac.bound_management_max_passes : 1;
  std::vector<Eigen::Index> pending;
  std::vector<float> ranges;
  for (Eigen::Index b = first; b < first + count; ++b) {
    const float nm = params_.dac.input_scaling == InputScaling::kAbsMax
                         ? x.row(b).cwiseAbs().maxCoeff()
                         : static_cast<float>(params_.dac.fixed_input_range);
    if (nm == 0.0f) continue;
    pending.push_back(b);
    ranges.push_back(nm);
  }
  MatrixXfRowMajor xq(count, used_in_), outs(count, used_out_);
  Eigen::VectorXf xb(used_in_), out(used_out_);
  float reduction = 1.0f;
  for (int pass = 0; pass < max_passes && !pending.empty(); ++pass, reduction *= 2.0f) {
    const auto n = static_cast<Eigen::Index>(pending.size());
    for (Eigen::Index i = 0; i < n; ++i)
      quantise_aihwkit_input(x.row(pending[i]), ranges[i] * reduction, din, xq.row(i));
    outs.topRows(n).noalias() = xq.topRows(n) * w_normalised_.transpose();
    size_t kept = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::Index b = pending[i];
      xb = xq.row(i).transpose();
      out = outs.row(i).transpose();
      if (aihwkit_read_out(out, xb, read_index + static_cast<uint64_t>(b), sub_base, pass, activity) ||
          pass + 1 == max_passes) {
        y.row(b) = (out * (ranges[i] * reduction)).transpose();
      } else {
        pending[kept] = b;
        ranges[kept++] = ranges[i];
      }
    }
    pending.resize(kept);
    ranges.resize(kept);
  }
}

bool CrossbarArray::aihwkit_read_out(Eigen::VectorXf& out, const Eigen::VectorXf& xq, uint64_t sample,
                                     int sub_base, int pass, MvmActivity* activity) const {
  const int n_fs = adc_->full_scale_counts();
  const float dout = static_cast<float>(params_.adc.full_scale_normalised) / static_cast<float>(n_fs);
  const float sigma = static_cast<float>(params_.aihwkit_out_noise);
  const uint64_t blocks_per_read = (static_cast<uint64_t>(params_.rows) + 3) / 4;
  if (sigma > 0.0f) {
    Eigen::VectorXf z(used_out_);
    const CounterRng rng(seed_, tile_id_, RngPurpose::kOutputNoise, sub_base | (pass << kSubPassShift));
    NormalSampler::fill(rng, sample * blocks_per_read, used_out_, z.data());
    out += sigma * z;
  }
  bool clipped = false;
  int64_t counts = 0;
  for (int r = 0; r < used_out_; ++r) {
    float code = std::nearbyint(out[r] / dout);
    if (std::abs(code) >= static_cast<float>(n_fs)) {
      clipped = true;
      code = code < 0.0f ? -static_cast<float>(n_fs) : static_cast<float>(n_fs);
    }
    counts += static_cast<int64_t>(std::fabs(code));  // an integer already
    out[r] = code * dout;
  }
  if (activity) {
    activity->reads += 1;
    activity->pwm_pulse_lsbs += static_cast<int64_t>((xq.cwiseAbs() * static_cast<float>(x_max_)).sum());
    activity->adc_conversions += used_out_;
    activity->device_reads += static_cast<int64_t>((xq.array() != 0.0f).count()) * used_out_ * planes();
    if (pass > 0) ++activity->bound_management_extra_passes;
    const Eigen::VectorXf codes = xq * static_cast<float>(x_max_);
    read_energy_.add_read(codes.data(), used_in_, *activity);
    activity->adc_counts += counts;
  }
  return !clipped;
}

std::vector<double> CrossbarArray::calibration_read(uint32_t key) const {
  std::vector<double> sums(params_.rows, 0.0);
  const uint64_t first_row = static_cast<uint64_t>(key) << 16;
  if (params_.forward_mode == ForwardMode::kAihwkitCompatible) {
    const Eigen::MatrixXf eye = Eigen::MatrixXf::Identity(used_in_, used_in_);
    const Eigen::MatrixXf y = mvm_aihwkit(eye, first_row, kSubCalibration, nullptr);
    for (int r = 0; r < used_out_; ++r) sums[r] = y.col(r).cwiseAbs().cast<double>().sum();
    return sums;
  }
  const MatrixXfRowMajor one_hot =
      MatrixXfRowMajor::Identity(used_in_, used_in_) * static_cast<float>(x_max_);
  std::vector<uint64_t> noise_rows(used_in_);
  for (int i = 0; i < used_in_; ++i) noise_rows[i] = first_row + i;
  MatrixXi32RowMajor pos, neg;
  std::vector<uint8_t> saturated;
  read_batch(one_hot, noise_rows, kSubCalibration, pos, neg, saturated);
  for (int i = 0; i < used_in_; ++i)
    for (int r = 0; r < used_out_; ++r) sums[r] += std::abs(pos(i, r) - neg(i, r)) / adc_->calibrated_gain(r);
  return sums;
}

}  // namespace aimc
