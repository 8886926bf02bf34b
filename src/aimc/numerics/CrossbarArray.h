#pragma once
// One physical crossbar tile (its devices behind DeviceModel: PCM or RRAM) (TileParams::rows output lines x
// cols input lines) with its PWM drivers and ADC bank: programming, drift, read noise, MVM in integer codes
// (the chip's path) and in floats (studies).
//
// Orientation: W[out, in]; out -> physical row = output line with its own ADC (HERMES, REFERENCE A),
// in -> physical column = input line with its PWM driver. A smaller W uses rows [0, out) and cols [0, in).
//
// Units and scales (hardware mode):
//   x_max = 2^(dac_bits-1) - 1 (PWM code of the full pulse), N_fs = AdcModel::full_scale_counts()
//   (ideal/SAR 2^(adc_bits-1)-1, CCO floor(T_int / t_lsb)), Y_fs = adc.full_scale_normalised.
//   Mapping (REFERENCE D): s_j = g_max / max|W| (per tile, or per output line j), each of the n devices of a
//   polarity targets clamp(+-W s_j, 0, g_max), so a weight is n (G+ - G-) / (n s_j) in weight units.
//   The ADC gain is set so that Y_fs normalised units (x = x_max on every input, n g_max difference) reach
//   N_fs counts: k = N_fs / (Y_fs x_max n g_max) counts per (code x uS).
//   counts_per_unit(j) = k n s_j * calibrated_adc_gain_j / alpha_j = N_fs gain_j / (Y_fs x_max w_max_j
//   alpha_j) so that y_j ~= (pos_j - neg_j) / counts_per_unit(j) * (input scale / x_max) in weight x input
//   units, where alpha_j is the drift-compensation factor (1 when off). The digital unit multiplies by
//   1/counts_per_unit.
//
// Per-read 1/f noise (ReadNoiseMode::kPerRead): each device reads g_d (1 + sigma_d xi_d) with independent
// xi_d, so output line j gets k sum_i x_i dG_ji plus a zero-mean Gaussian of variance
// sum_i x_i^2 V_ji, V_ji = k^2 sum_{d in cell ji} (g_d sigma_d)^2 — the same distribution as drawing every
// device, with one draw per output instead of one per device (the clamp g >= 0 of REFERENCE D is dropped;
// it only matters for devices below ~1 % of g_max). ADC output noise adds its variance to the same draw.
//
// Determinism: row b of a batch uses draws keyed by (seed, tile_id, purpose, read_index + b) only; the
// effective conductance matrices sit on a power-of-two grid on which every partial sum of a read is exact in
// float (quantise_to_exact_grid), so one GEMM over the batch gives each row bit for bit what it would get
// alone; the exact per-read variance is an exact integer product (ReadNoiseVarianceMatrix) over the batch.
// Results do not depend on batch splitting or threads.
// All const methods may be called concurrently.
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <vector>

#include "aimc/numerics/AdcModel.h"
#include "aimc/numerics/AnalogParams.h"
#include "aimc/numerics/ArrayReadEnergy.h"
#include "aimc/numerics/DeviceModel.h"
#include "aimc/numerics/MatrixTypes.h"
#include "aimc/numerics/MvmActivity.h"
#include "aimc/numerics/ReadCurrentMatrix.h"
#include "aimc/numerics/ReadNoiseVarianceMatrix.h"

namespace aimc {

struct ProgramResult {
  int64_t write_pulses = 0;            // programming pulses applied (all devices, all iterations)
  int64_t verify_reads = 0;            // program-and-verify read-backs
  int max_iterations = 0;              // largest number of writes any device needed
  double mean_iterations = 0.0;        // writes per device
  int64_t devices_not_converged = 0;   // program-and-verify devices still outside tolerance after the limit
  int64_t normal_draws = 0;            // standard normal draws used by programming + drift exponents
  int64_t uniform_draws = 0;           // uniform draws (stuck-device selection)
  int64_t devices = 0;                 // devices programmed (used cells x 2 x devices_per_polarity)
  double weight_error_relative = 0.0;  // ||W_prog - W||_F / ||W||_F, W_prog from the programmed conductances
  double weight_error_rms_over_max = 0.0;  // rms(W_prog - W) / max|W| (per line for per-column scaling)
  int64_t stuck_devices = 0;               // devices stuck at their high or low state
  int64_t stuck_detected = 0;  // stuck devices the read-back found away from their target (compensation on)
  int64_t stuck_cells_compensated = 0;  // cells whose other devices were re-aimed for a stuck device
  int64_t stuck_lines_offset = 0;       // output lines whose remaining stuck error was offset
};

class CrossbarArray {
 public:
  CrossbarArray(const TileParams& params, uint64_t seed, uint32_t tile_id);

  // Programs W[out, in] (out <= rows, in <= cols), then sets the inference time to 0 and takes the
  // drift-compensation reference read. Throws UserError for a bad shape or non-finite weights.
  ProgramResult program(const Eigen::Ref<const Eigen::MatrixXf>& w);

  // Drift (and frozen read noise) for t_s seconds since programming; recomputes the effective matrices and
  // the drift-compensation factor(s) alpha = calibration read at programming / the same read now (REFERENCE
  // D).
  void set_inference_time(double t_s);
  double inference_time_s() const { return t_inference_s_; }

  // Integer path: signed PWM codes [batch, in] (|x| <= x_max) -> positive / negative counter values
  // [batch, out] (resized). Row b uses read index read_index + b. Always models the hardware chain.
  void mvm_codes(const Eigen::Ref<const MatrixXi32RowMajor>& x_codes, MatrixXi32RowMajor& pos_counts,
                 MatrixXi32RowMajor& neg_counts, uint64_t read_index, MvmActivity* activity = nullptr) const;
  // The same with an explicit read index per row (row b uses read_indices[b]; any order, any gaps): row b
  // gets bit for bit what a batch of one with index read_indices[b] gives. row_activity, when given, is
  // resized to the batch and row b gets the activity of row b alone (their sum is the batch's activity).
  void mvm_codes(const Eigen::Ref<const MatrixXi32RowMajor>& x_codes, MatrixXi32RowMajor& pos_counts,
                 MatrixXi32RowMajor& neg_counts, const std::vector<uint64_t>& read_indices,
                 std::vector<MvmActivity>* row_activity = nullptr) const;

  // Float path: x [batch, in] -> y [batch, out] in weight x input units, with input scaling, bound
  // management, ADC and drift compensation (forward_mode selects the hardware chain or REFERENCE E).
  Eigen::MatrixXf mvm(const Eigen::Ref<const Eigen::MatrixXf>& x, uint64_t read_index,
                      MvmActivity* activity = nullptr) const;

  // See the header comment. The scalar form is the tile-wide nominal value (per-tile weight scale, global
  // alpha, ADC gain 1); use the per-line form when any of those is per line.
  double counts_per_unit() const;
  double counts_per_unit(int out_line) const;
  double drift_compensation() const { return alpha_global_; }
  double drift_compensation(int out_line) const { return alpha_[out_line]; }

  int input_code_max() const { return x_max_; }
  int used_outputs() const { return used_out_; }
  int used_inputs() const { return used_in_; }
  const TileParams& params() const { return params_; }
  const AdcModel& adc() const { return *adc_; }
  const DeviceModel& device() const { return *device_; }
  // The weights a binary / ternary mapping stores (per output line; continuous: w itself).
  static Eigen::MatrixXf quantise_weight_levels(const Eigen::Ref<const Eigen::MatrixXf>& w,
                                                WeightLevels levels);

  // Weights in weight units as programmed (no drift) and as read now without per-read noise.
  Eigen::MatrixXf programmed_weights() const;
  Eigen::MatrixXf effective_weights() const;
  // Device conductances (uS) of the used region, device-plane major: plane (polarity * n + device), then row,
  // then column. Targets, programmed values, and drifted values at the current inference time.
  const std::vector<float>& target_conductances_us() const { return g_target_; }
  const std::vector<float>& programmed_conductances_us() const { return g_prog_; }
  const std::vector<float>& current_conductances_us() const { return g_now_; }
  // The integer line conductances the read energy counts (ArrayReadEnergy.h), at the current time.
  const ArrayReadEnergy& read_energy() const { return read_energy_; }

 private:
  // Reads every row of `codes` (float PWM codes [batch, in]) with noise rows noise_rows[b]; sets pos/neg
  // [batch, out] and saturated[b] when any conversion of row b hit the ADC bound.
  void read_batch(const MatrixXfRowMajor& codes, const std::vector<uint64_t>& noise_rows, int sub_base,
                  MatrixXi32RowMajor& pos, MatrixXi32RowMajor& neg, std::vector<uint8_t>& saturated) const;
  void count_activity(const MatrixXfRowMajor& codes, const MatrixXi32RowMajor& pos,
                      const MatrixXi32RowMajor& neg, MvmActivity* activity) const;
  // The activity of one read of the integer codes `row` (used_in_ values).
  MvmActivity activity_of_row(const int32_t* row) const;
  // Rounds m onto its exact grid; returns the grid step (0 when m is all zero and left as is).
  float quantise_to_exact_grid(MatrixXfRowMajor& m) const;
  Eigen::MatrixXf mvm_hardware(const Eigen::Ref<const Eigen::MatrixXf>& x, uint64_t read_index,
                               MvmActivity* activity) const;
  Eigen::MatrixXf mvm_aihwkit(const Eigen::Ref<const Eigen::MatrixXf>& x, uint64_t read_index, int sub_base,
                              MvmActivity* activity) const;
  // Samples [first, first + count) of x into their rows of y.
  void mvm_aihwkit_block(const Eigen::Ref<const Eigen::MatrixXf>& x, Eigen::Index first, Eigen::Index count,
                         uint64_t read_index, int sub_base, MvmActivity* activity, Eigen::MatrixXf& y) const;
  template <typename In, typename Out>
  void quantise_aihwkit_input(const In& x, float scale, float din, Out&& xq) const;
  // One pass's noise and ADC on `out` (= W xq), its activity; false if an output clipped.
  bool aihwkit_read_out(Eigen::VectorXf& out, const Eigen::VectorXf& xq, uint64_t sample, int sub_base,
                        int pass, MvmActivity* activity) const;
  std::vector<double> calibration_read(uint32_t time_key) const;
  void program_statistical(ProgramResult& result);
  void program_verify(ProgramResult& result);
  void map_targets(const Eigen::Ref<const Eigen::MatrixXf>& w);
  void choose_stuck_devices(ProgramResult& result);
  void draw_device_windows(ProgramResult& result);
  DeviceWindow device_window(size_t device) const;
  void first_verify_draws(std::vector<double>& first_write, std::vector<double>& first_read) const;
  void compensate_stuck_devices(ProgramResult& result);
  void draw_time_parameters(ProgramResult& result);
  void compute_effective_matrices();
  uint64_t physical_index(int plane, int row, int col) const;
  size_t device_index(int plane, int row, int col) const;
  int planes() const { return 2 * params_.device.devices_per_polarity; }
  int plane_sign(int plane) const { return plane < params_.device.devices_per_polarity ? 1 : -1; }

  TileParams params_;
  uint64_t seed_;
  uint32_t tile_id_;
  std::unique_ptr<AdcModel> adc_;
  std::unique_ptr<DeviceModel> device_;
  int x_max_ = 0;
  double k_counts_per_code_us_ = 0.0;
  int used_out_ = 0;
  int used_in_ = 0;
  bool programmed_ = false;
  double t_inference_s_ = 0.0;

  std::vector<double> w_max_;    // per output line (all equal for per-tile scaling)
  std::vector<float> g_target_;  // per device, uS
  std::vector<float> g_prog_;
  std::vector<float> g_now_;  // drifted (+ frozen read noise)
  std::vector<float> nu_;
  std::vector<float> read_sigma_rel_;  // per device sigma_nf at the current time (0 if no per-read noise)
  std::vector<uint8_t> stuck_;         // 0 no, 1 SET, 2 RESET
  std::vector<float> window_low_, window_high_;  // per device LRS/HRS window (empty when the model has none)

  MatrixXfRowMajor d_counts_;                                  // k * (sum G+ - sum G-), [out, in]
  MatrixXfRowMajor plus_counts_, minus_counts_;                // k * sum G+, k * sum G- (four-phase)
  ReadCurrentMatrix cur_counts_, cur_plus_, cur_minus_;        // the same on their grids, as int16 units
  ReadNoiseVarianceMatrix var_counts_, var_plus_, var_minus_;  // exact per-read variances (counts^2)
  Eigen::VectorXf var_row_[3], var_col_[3];                    // rank-1 factors: [0] all, [1] plus, [2] minus
  float var_total_[3] = {0, 0, 0};
  ArrayReadEnergy read_energy_;    // per input line conductances of the data-dependent read energy
  MatrixXfRowMajor w_normalised_;  // (sum G+ - sum G-) / (n g_max), for the AIHWKit forward

  std::vector<double> calibration_ref_;  // per output line sum_i |y_ij| of the reference read
  std::vector<double> alpha_;
  double alpha_global_ = 1.0;
};

}  // namespace aimc
