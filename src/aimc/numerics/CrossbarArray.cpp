#include "aimc/numerics/CrossbarArray.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "aimc/base/Error.h"
#include "aimc/base/Rng.h"
#include "aimc/numerics/CrossbarNoiseStreams.h"
#include "aimc/numerics/DeviceModel.h"
#include "aimc/numerics/StuckCompensation.h"
#include "aimc/numerics/WireResistance.h"

namespace aimc {

namespace {

using crossbar_streams::kSubFrozenNoise;

uint32_t time_key(double t_s) {
  uint64_t bits = 0;
  std::memcpy(&bits, &t_s, sizeof bits);
  // splitmix64 finaliser: nearby times get unrelated keys.
  bits += 0x9E3779B97F4A7C15ull;
  bits = (bits ^ (bits >> 30)) * 0xBF58476D1CE4E5B9ull;
  bits = (bits ^ (bits >> 27)) * 0x94D049BB133111EBull;
  bits ^= bits >> 31;
  return static_cast<uint32_t>(bits);
}

// The arch keys' declared ranges and validate_core() (config/ArchParamsCore.cpp) already refused every value
// below with the file, line and key; a TileParams that fails here was built wrongly by its caller.
void assert_valid(const TileParams& p) {
  const DeviceParams& d = p.device;
  AIMC_ASSERT(p.rows >= 1 && p.cols >= 1);
  AIMC_ASSERT(d.devices_per_polarity == 1 || d.devices_per_polarity == 2);
  AIMC_ASSERT(d.g_max_us > 0.0 && d.t0_s > 0.0 && d.t_read_s > 0.0);
  AIMC_ASSERT(d.stuck_at_set_fraction >= 0.0 && d.stuck_at_reset_fraction >= 0.0 &&
              d.stuck_at_set_fraction + d.stuck_at_reset_fraction <= 1.0);
  AIMC_ASSERT(
      d.programming != ProgrammingModel::kProgramVerify ||
      (d.verify_max_iterations >= 1 && d.verify_max_iterations <= 255 && d.verify_counts_at_g_max >= 0.0));
  AIMC_ASSERT(p.dac.bits >= DacParams::kMinBits && p.dac.bits <= DacParams::kMaxBits);
  AIMC_ASSERT(p.dac.t_lsb_ns > 0.0);
  AIMC_ASSERT(p.dac.bound_management_max_passes >= 1 && p.dac.bound_management_max_passes <= 16);
  AIMC_ASSERT(p.dac.input_scaling != InputScaling::kFixed || p.dac.fixed_input_range > 0.0);
  AIMC_ASSERT(p.adc.full_scale_normalised > 0.0 && p.adc.lines_per_adc >= 1);
}

}  // namespace

CrossbarArray::CrossbarArray(const TileParams& params, uint64_t seed, uint32_t tile_id)
    : params_(params), seed_(seed), tile_id_(tile_id) {
  assert_valid(params_);
  device_ = DeviceModel::create(params_.device);
  adc_ = AdcModel::create(params_.adc, params_.dac, params_.rows, seed_, tile_id_);
  x_max_ = (1 << (params_.dac.bits - 1)) - 1;
  k_counts_per_code_us_ =
      adc_->full_scale_counts() / (params_.adc.full_scale_normalised * x_max_ *
                                   params_.device.devices_per_polarity * device_->g_span_us());
  alpha_.assign(params_.rows, 1.0);
}

uint64_t CrossbarArray::physical_index(int plane, int row, int col) const {
  return (static_cast<uint64_t>(plane) * params_.rows + row) * params_.cols + col;
}

size_t CrossbarArray::device_index(int plane, int row, int col) const {
  return (static_cast<size_t>(plane) * used_out_ + row) * used_in_ + col;
}

ProgramResult CrossbarArray::program(const Eigen::Ref<const Eigen::MatrixXf>& w) {
  if (w.rows() < 1 || w.cols() < 1 || w.rows() > params_.rows || w.cols() > params_.cols)
    throw UserError("", 0, "weights",
                    "shape [" + std::to_string(w.rows()) + ", " + std::to_string(w.cols()) +
                        "] does not fit a tile of " + std::to_string(params_.rows) + " outputs x " +
                        std::to_string(params_.cols) + " inputs");
  if (!w.allFinite()) throw UserError("", 0, "weights", "contain NaN or infinity");
  used_out_ = static_cast<int>(w.rows());
  used_in_ = static_cast<int>(w.cols());
  if (params_.weight_levels == WeightLevels::kContinuous)
    map_targets(w);
  else
    map_targets(quantise_weight_levels(w, params_.weight_levels));

  ProgramResult result;
  result.devices = static_cast<int64_t>(g_target_.size());
  choose_stuck_devices(result);
  draw_device_windows(result);
  compensate_stuck_devices(result);
  switch (params_.device.programming) {
    case ProgrammingModel::kIdeal:
      g_prog_ = g_target_;
      result.write_pulses = result.devices;
      result.max_iterations = 1;
      result.mean_iterations = 1.0;
      break;
    case ProgrammingModel::kStatistical:
      program_statistical(result);
      break;
    case ProgrammingModel::kProgramVerify:
      program_verify(result);
      break;
  }
  for (size_t e = 0; e < g_prog_.size(); ++e) {
    if (stuck_[e] == 1) g_prog_[e] = static_cast<float>(device_->stuck_high_us());
    if (stuck_[e] == 2) g_prog_[e] = static_cast<float>(device_->stuck_low_us());
  }
  draw_time_parameters(result);

  // Achieved weight error of the programmed state (before drift).
  const Eigen::MatrixXf w_prog = [&] {
    programmed_ = true;
    return programmed_weights();
  }();
  const Eigen::MatrixXf err = w_prog - w;
  const double w_norm = w.norm();
  result.weight_error_relative = w_norm > 0.0 ? err.norm() / w_norm : err.norm();
  double sum_sq = 0.0;
  for (int r = 0; r < used_out_; ++r) sum_sq += err.row(r).squaredNorm() / (w_max_[r] * w_max_[r]);
  result.weight_error_rms_over_max = std::sqrt(sum_sq / (static_cast<double>(used_out_) * used_in_));

  calibration_ref_.clear();
  set_inference_time(0.0);
  return result;
}

// Line scales (per tile or per output line) and one target per device from the device model's mapping.
void CrossbarArray::map_targets(const Eigen::Ref<const Eigen::MatrixXf>& w) {
  w_max_.assign(params_.rows, 1.0);
  const double tile_max = w.cwiseAbs().maxCoeff();
  const bool per_line = params_.weight_scaling == WeightScaling::kPerColumn ||
                        params_.weight_levels != WeightLevels::kContinuous;
  for (int r = 0; r < used_out_; ++r) {
    const double m = per_line ? w.row(r).cwiseAbs().maxCoeff() : tile_max;
    w_max_[r] = m > 0.0 ? m : 1.0;  // an all-zero line maps to zero conductance whatever its scale
  }
  g_target_.assign(static_cast<size_t>(planes()) * used_out_ * used_in_, 0.0f);
  std::vector<float> signed_w(static_cast<size_t>(used_in_));
  for (int p = 0; p < planes(); ++p)
    for (int r = 0; r < used_out_; ++r) {
      for (int c = 0; c < used_in_; ++c) signed_w[c] = plane_sign(p) * w(r, c);
      device_->target_row(used_in_, signed_w.data(), w_max_[r], &g_target_[device_index(p, r, 0)]);
    }
}

// Each device's own LRS/HRS window (device-to-device variability); nothing for a model without one.
void CrossbarArray::draw_device_windows(ProgramResult& result) {
  window_low_.clear();
  window_high_.clear();
  if (device_->window_draws() == 0) return;
  const CounterRng rng(seed_, tile_id_, RngPurpose::kDeviceWindow);
  window_low_.resize(g_target_.size());
  window_high_.resize(g_target_.size());
  std::vector<double> z(2 *
                        static_cast<size_t>(used_in_));  // the pair of device c is normals 2 phys, 2 phys + 1
  for (int p = 0; p < planes(); ++p)
    for (int r = 0; r < used_out_; ++r) {
      rng.fill_normal(2 * physical_index(p, r, 0), z.size(), z.data());
      for (int c = 0; c < used_in_; ++c) {
        const DeviceWindow win = device_->window(z[2 * c], z[2 * c + 1]);
        window_low_[device_index(p, r, c)] = static_cast<float>(win.low_us);
        window_high_[device_index(p, r, c)] = static_cast<float>(win.high_us);
      }
    }
  result.normal_draws += 2 * static_cast<int64_t>(g_target_.size());
}

DeviceWindow CrossbarArray::device_window(size_t e) const {
  if (window_low_.empty()) return {};
  return {window_low_[e], window_high_[e]};
}

// Time parameters from the target (REFERENCE D's drift exponent for PCM); a stuck device evolves like its
// stuck state.
void CrossbarArray::draw_time_parameters(ProgramResult& result) {
  nu_.assign(g_target_.size(), 0.0f);
  if (!device_->time_dependent()) return;
  const CounterRng nu_rng(seed_, tile_id_, RngPurpose::kDriftNu);
  std::vector<double> xi(static_cast<size_t>(used_in_));
  std::vector<float> target(xi.size());
  for (int p = 0; p < planes(); ++p)
    for (int r = 0; r < used_out_; ++r) {
      const size_t e0 = device_index(p, r, 0);
      for (int c = 0; c < used_in_; ++c) target[c] = stuck_[e0 + c] ? g_prog_[e0 + c] : g_target_[e0 + c];
      nu_rng.fill_normal(physical_index(p, r, 0), xi.size(), xi.data());
      device_->time_parameter_row(used_in_, target.data(), xi.data(), &nu_[e0]);
    }
  result.normal_draws += static_cast<int64_t>(g_target_.size());
}

void CrossbarArray::choose_stuck_devices(ProgramResult& result) {
  const DeviceParams& dev = params_.device;
  stuck_.assign(g_target_.size(), 0);
  if (dev.stuck_at_set_fraction <= 0.0 && dev.stuck_at_reset_fraction <= 0.0) return;
  const CounterRng rng(seed_, tile_id_, RngPurpose::kStuckDevices);
  for (int p = 0; p < planes(); ++p)
    for (int r = 0; r < used_out_; ++r)
      for (int c = 0; c < used_in_; ++c) {
        const double u = rng.uniform(physical_index(p, r, c));
        const size_t e = device_index(p, r, c);
        if (u < dev.stuck_at_set_fraction)
          stuck_[e] = 1;
        else if (u < dev.stuck_at_set_fraction + dev.stuck_at_reset_fraction)
          stuck_[e] = 2;
        result.stuck_devices += stuck_[e] ? 1 : 0;
      }
  result.uniform_draws += static_cast<int64_t>(g_target_.size());
}

// Read-back after a first write finds the stuck devices; the targets of the others are re-aimed
// (StuckCompensation.h). Detection tolerance: 5 % of the device span. A choice: a stuck device closer than
// that to its target costs less than RRAM's own write spread; the read-back is one read per device.
void CrossbarArray::compensate_stuck_devices(ProgramResult& result) {
  const StuckCompensation mode = params_.device.stuck_compensation;
  if (mode == StuckCompensation::kNone || result.stuck_devices == 0) return;
  StuckDeviceRange range;
  range.low_us = device_->g_zero_us();
  range.high_us = device_->g_zero_us() + device_->g_span_us();
  range.stuck_high_us = device_->stuck_high_us();
  range.stuck_low_us = device_->stuck_low_us();
  range.detect_tolerance_us = 0.05 * device_->g_span_us();
  result.verify_reads += result.devices;
  StuckLine line;
  line.n = params_.device.devices_per_polarity;
  line.cols = used_in_;
  line.target_us.resize(static_cast<size_t>(planes()) * used_in_);
  line.stuck.resize(line.target_us.size());
  for (int r = 0; r < used_out_; ++r) {
    for (int p = 0; p < planes(); ++p)
      for (int c = 0; c < used_in_; ++c) {
        line.target_us[static_cast<size_t>(p) * used_in_ + c] = g_target_[device_index(p, r, c)];
        line.stuck[static_cast<size_t>(p) * used_in_ + c] = stuck_[device_index(p, r, c)];
      }
    const StuckLineResult line_result = compensate_stuck_line(line, range, mode);
    result.stuck_detected += line_result.detected;
    result.stuck_cells_compensated += line_result.cells_compensated;
    result.stuck_lines_offset += line_result.offset ? 1 : 0;
    for (int p = 0; p < planes(); ++p)
      for (int c = 0; c < used_in_; ++c)
        g_target_[device_index(p, r, c)] =
            static_cast<float>(line.target_us[static_cast<size_t>(p) * used_in_ + c]);
  }
}

// Binary: sign(w) mean|w| per output line (XNOR-Net, Rastegari et al., ECCV 2016). Ternary: threshold
// 0.7 mean|w|, the kept weights at their mean magnitude (TWN, Li et al., arXiv 1605.04711). Both leave every
// device at LRS or HRS once the line's scale is its own (map_targets).
Eigen::MatrixXf CrossbarArray::quantise_weight_levels(const Eigen::Ref<const Eigen::MatrixXf>& w,
                                                      WeightLevels levels) {
  Eigen::MatrixXf q = w;
  if (levels == WeightLevels::kContinuous) return q;
  for (Eigen::Index r = 0; r < w.rows(); ++r) {
    const float mean_abs = w.row(r).cwiseAbs().mean();
    const float threshold = levels == WeightLevels::kTernary ? 0.7f * mean_abs : 0.0f;
    float kept_sum = 0.0f;
    int kept = 0;
    for (Eigen::Index c = 0; c < w.cols(); ++c)
      if (std::abs(w(r, c)) > threshold) {
        kept_sum += std::abs(w(r, c));
        ++kept;
      }
    const float a = kept > 0 ? kept_sum / static_cast<float>(kept) : 0.0f;
    for (Eigen::Index c = 0; c < w.cols(); ++c)
      q(r, c) = std::abs(w(r, c)) > threshold ? (w(r, c) > 0.0f ? a : -a) : 0.0f;
  }
  return q;
}

void CrossbarArray::set_inference_time(double t_s) {
  AIMC_ASSERT_MSG(programmed_, "set_inference_time before program");
  if (!std::isfinite(t_s) || t_s < 0.0) throw UserError("", 0, "t_inference", "must be a finite time >= 0");
  t_inference_s_ = t_s;
  const DeviceParams& dev = params_.device;
  const DeviceTime time = device_->at(t_s);
  const uint32_t key = time_key(t_s);
  const CounterRng frozen_rng(seed_, tile_id_, RngPurpose::kReadNoise, kSubFrozenNoise | (key & 0x7FFFFFu));
  g_now_.resize(g_prog_.size());
  read_sigma_rel_.assign(g_prog_.size(), 0.0f);
  std::vector<double> g(static_cast<size_t>(used_in_)), sigma(g.size()), xi(g.size());
  for (int p = 0; p < planes(); ++p)
    for (int r = 0; r < used_out_; ++r) {
      const size_t e0 = device_index(p, r, 0);
      device_->conductance_row(used_in_, &g_prog_[e0], &nu_[e0], time, g.data(), sigma.data());
      if (dev.read_noise == ReadNoiseMode::kFrozenAtInferenceTime) {
        frozen_rng.fill_normal(physical_index(p, r, 0), xi.size(), xi.data());
        for (int c = 0; c < used_in_; ++c) g[c] = std::max(0.0, g[c] + std::abs(g[c]) * sigma[c] * xi[c]);
      } else if (dev.read_noise == ReadNoiseMode::kPerRead) {
        for (int c = 0; c < used_in_; ++c) read_sigma_rel_[e0 + c] = static_cast<float>(sigma[c]);
      }
      for (int c = 0; c < used_in_; ++c) g_now_[e0 + c] = static_cast<float>(g[c]);
    }
  compute_effective_matrices();

  // Drift compensation (REFERENCE D): the reference read is taken at programming (t = 0).
  alpha_.assign(params_.rows, 1.0);
  alpha_global_ = 1.0;
  if (params_.drift_compensation == DriftCompensation::kNone) return;
  const std::vector<double> now = calibration_read(key);
  if (calibration_ref_.empty()) {
    calibration_ref_ = now;
    return;
  }
  double ref_sum = 0.0, now_sum = 0.0;
  for (int r = 0; r < used_out_; ++r) {
    ref_sum += calibration_ref_[r];
    now_sum += now[r];
  }
  alpha_global_ = now_sum > 0.0 ? ref_sum / now_sum : 1.0;
  for (int r = 0; r < used_out_; ++r) {
    if (params_.drift_compensation == DriftCompensation::kGlobal)
      alpha_[r] = alpha_global_;
    else
      alpha_[r] = now[r] > 0.0 ? calibration_ref_[r] / now[r] : 1.0;
  }
}

void CrossbarArray::compute_effective_matrices() {
  const int n = params_.device.devices_per_polarity;
  const float k = static_cast<float>(k_counts_per_code_us_);
  // Wire resistance (WireResistance.h): each polarity attenuated by its own network's fast approximation,
  // once per conductance update, so the read path stays one exact product; the line conductances of the
  // data-dependent read energy from the same update (ArrayReadEnergy.h).
  const TileWireState wires = tile_wire_state(g_now_, n, used_out_, used_in_, params_.wire);
  read_energy_ = ArrayReadEnergy(wires.line_s, wires.wire_loss_s);
  const bool four_phase = params_.dac.read_mode == DacReadMode::kFourPhase;
  const bool per_read = params_.device.read_noise == ReadNoiseMode::kPerRead;
  MatrixXfRowMajor plus = MatrixXfRowMajor::Zero(used_out_, used_in_);
  MatrixXfRowMajor minus = MatrixXfRowMajor::Zero(used_out_, used_in_);
  MatrixXfRowMajor vplus = MatrixXfRowMajor::Zero(used_out_, used_in_);
  MatrixXfRowMajor vminus = MatrixXfRowMajor::Zero(used_out_, used_in_);
  for (int p = 0; p < planes(); ++p) {
    MatrixXfRowMajor& g_sum = p < n ? plus : minus;
    MatrixXfRowMajor& v_sum = p < n ? vplus : vminus;
    const Eigen::MatrixXd& attenuation = wires.attenuation[p < n ? 0 : 1];
    const bool wired = attenuation.size() > 0;  // else all ones: g * 1 = g
    for (int r = 0; r < used_out_; ++r) {
      const size_t e0 = device_index(p, r, 0);
      float* gs = &g_sum(r, 0);
      float* vs = &v_sum(r, 0);
      for (int c = 0; c < used_in_; ++c) {
        const float g = wired ? g_now_[e0 + c] * static_cast<float>(attenuation(r, c)) : g_now_[e0 + c];
        gs[c] += g;
        const float sd = g * read_sigma_rel_[e0 + c];
        vs[c] += sd * sd;
      }
    }
  }
  w_normalised_ = (plus - minus) / static_cast<float>(n * device_->g_span_us());
  d_counts_ = (plus - minus) * k;
  if (four_phase) {
    plus_counts_ = plus * k;
    minus_counts_ = minus * k;
    cur_plus_ = ReadCurrentMatrix(plus_counts_, quantise_to_exact_grid(plus_counts_), x_max_);
    cur_minus_ = ReadCurrentMatrix(minus_counts_, quantise_to_exact_grid(minus_counts_), x_max_);
    cur_counts_ = ReadCurrentMatrix();
  } else {
    cur_counts_ = ReadCurrentMatrix(d_counts_, quantise_to_exact_grid(d_counts_), x_max_);
    plus_counts_.resize(0, 0);
    minus_counts_.resize(0, 0);
    cur_plus_ = ReadCurrentMatrix();
    cur_minus_ = ReadCurrentMatrix();
  }
  const float k2 = k * k;
  var_counts_ = ReadNoiseVarianceMatrix();
  var_plus_ = ReadNoiseVarianceMatrix();
  var_minus_ = ReadNoiseVarianceMatrix();
  if (!per_read) return;
  const MatrixXfRowMajor vall = (vplus + vminus) * k2;
  vplus *= k2;
  vminus *= k2;
  const MatrixXfRowMajor* sources[3] = {&vall, &vplus, &vminus};
  for (int i = 0; i < 3; ++i) {
    var_row_[i] = sources[i]->colwise().sum().transpose();  // per input line
    var_col_[i] = sources[i]->rowwise().sum();              // per output line
    var_total_[i] = sources[i]->sum();
  }
  if (params_.device.read_noise_variance == ReadNoiseVariance::kExact) {
    if (four_phase) {
      var_plus_ = ReadNoiseVarianceMatrix(vplus);
      var_minus_ = ReadNoiseVarianceMatrix(vminus);
    } else {
      var_counts_ = ReadNoiseVarianceMatrix(vall);
    }
  }
}

// Rounds m to the finest power-of-two grid 2^-q on which every partial sum of x_max * sum_i |m_ji| stays
// below 2^23 steps: then each product code x m and each partial sum is exact in float, so a read's currents
// do not depend on the summation order (GEMM blocking, batch split, threads). For a full 256x256 HERMES tile
// the worst case grid is ~0.35 % of a full-scale weight, ten times below the programming noise; lighter
// matrices get a finer grid.
float CrossbarArray::quantise_to_exact_grid(MatrixXfRowMajor& m) const {
  if (m.size() == 0) return 0.0f;
  const double bound = static_cast<double>(x_max_) * m.cwiseAbs().rowwise().sum().maxCoeff();
  if (!(bound > 0.0)) return 0.0f;
  const int q = static_cast<int>(std::floor(std::log2(std::ldexp(1.0, 23) / bound)));
  const float step = static_cast<float>(std::ldexp(1.0, -q));
  const float inv_step = static_cast<float>(std::ldexp(1.0, q));
  m = (m * inv_step).array().round().matrix() * step;
  return step;
}

double CrossbarArray::counts_per_unit() const {
  return adc_->full_scale_counts() /
         (params_.adc.full_scale_normalised * x_max_ * w_max_.at(0) * alpha_global_);
}

double CrossbarArray::counts_per_unit(int out_line) const {
  AIMC_ASSERT(out_line >= 0 && out_line < params_.rows);
  return adc_->full_scale_counts() * adc_->calibrated_gain(out_line) /
         (params_.adc.full_scale_normalised * x_max_ * w_max_[out_line] * alpha_[out_line]);
}

Eigen::MatrixXf CrossbarArray::programmed_weights() const {
  AIMC_ASSERT(programmed_);
  Eigen::MatrixXf w = Eigen::MatrixXf::Zero(used_out_, used_in_);
  for (int p = 0; p < planes(); ++p)
    for (int r = 0; r < used_out_; ++r)
      for (int c = 0; c < used_in_; ++c) w(r, c) += plane_sign(p) * g_prog_[device_index(p, r, c)];
  for (int r = 0; r < used_out_; ++r)
    w.row(r) *= static_cast<float>(w_max_[r] / (params_.device.devices_per_polarity * device_->g_span_us()));
  return w;
}

Eigen::MatrixXf CrossbarArray::effective_weights() const {
  AIMC_ASSERT(programmed_);
  Eigen::MatrixXf w = w_normalised_;
  for (int r = 0; r < used_out_; ++r) w.row(r) *= static_cast<float>(w_max_[r]);
  return w;
}

}  // namespace aimc
