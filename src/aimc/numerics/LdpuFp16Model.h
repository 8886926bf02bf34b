#pragma once
// Bit-exact model of an FP16 LDPU like the published chip's (REFERENCE.md A): the count difference is
// converted to IEEE binary16 and every step is a correctly rounded FP16 FMA, with the same operations and
// interface semantics as NmpuModel:
//   x  = fp16(pos - neg)
//   y  = fma(x, g, o)          ADC gain/offset correction
//   t1 = fma(y, a, b); relu1   scale and bias
//   t2 = fma(c, fp16(s), t1); relu2   side input (partial sum / residual)
//   out = saturate_int8(round_half_even(t2))     or, with the activation stage (replacing relu2):
//   v = fma(t2 >= 0 ? slope_pos : slope_neg, t2, intercept), clamped to [lo, hi]       piecewise linear
//   v = fma(slope[k], t2 - anchor, value[k]), k = #{breakpoint <= t2}                 table
//   (ActivationTable.h) out = saturate_int8(round_half_even(v))
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "aimc/numerics/ActivationTable.h"
#include "aimc/numerics/Fp16.h"
#include "aimc/numerics/LdpuFp16Params.h"

namespace aimc {

// One channel's coefficients as FP16 register values.
struct LdpuFp16Channel {
  Fp16 gain, offset, scale, bias, side_scale;
  bool relu1 = false;
  bool relu2 = false;
  Fp16 act_slope_neg;  // the activation's slope below 0 (PReLU, per channel)
};

// The activation stage's registers shared by a bank's channels (LdpuFp16Model.h); lo, hi may be infinite.
struct LdpuFp16Activation {
  bool enabled = false;
  bool table = false;
  Fp16 slope_pos, intercept, lo, hi;
  std::vector<Fp16> breakpoints, values, slopes;  // bins - 1, bins, bins
};

class LdpuFp16Model {
 public:
  explicit LdpuFp16Model(const LdpuFp16Params& params);

  const LdpuFp16Params& params() const { return params_; }

  // Rounds the coefficients to FP16 (ties to even). Throws aimc::UserError naming the coefficient if it is
  // not finite or beyond the FP16 range [-65504, 65504].
  LdpuFp16Channel quantize_channel(double g, double o, double a, double b, double c, bool relu1,
                                   bool relu2) const;

  int8_t process(uint32_t pos, uint32_t neg, const LdpuFp16Channel& channel, int8_t side,
                 bool side_valid) const;
  int8_t process(uint32_t pos, uint32_t neg, const LdpuFp16Channel& channel, const LdpuFp16Activation& act,
                 int8_t side, bool side_valid) const;

  // The activation stage's registers (rounded to FP16, ties to even; UserError naming the coefficient if it
  // overflows FP16). The stage must exist (params.activation_enabled).
  LdpuFp16Activation quantize_activation(const ActivationTable& table) const;
  Fp16 quantize_activation_slope(double slope) const;
  // The activation stage alone on running value t (output steps of the pre-activation).
  Fp16 activate(Fp16 t, const LdpuFp16Channel& channel, const LdpuFp16Activation& act) const;

  // Vector form over channels [first_channel, first_channel + n), as NmpuModel::process_range.
  void process_range(const uint32_t* pos, const uint32_t* neg, const std::vector<LdpuFp16Channel>& channels,
                     size_t first_channel, size_t n, const int8_t* side, const bool* side_valid,
                     int8_t* out) const;
  void process_range(const uint32_t* pos, const uint32_t* neg, const std::vector<LdpuFp16Channel>& channels,
                     const LdpuFp16Activation& act, size_t first_channel, size_t n, const int8_t* side,
                     const bool* side_valid, int8_t* out) const;

  // ceil(n / lanes) - 1 + pipeline_depth (+ activation_pipeline_depth with the stage) cycles, 0 for n = 0
  // (same definition as NmpuModel).
  uint64_t latency_cycles(size_t n_values) const;
  double values_per_cycle() const { return static_cast<double>(params_.lanes); }

 private:
  Fp16 quantize(double value, const std::string& name) const;

  LdpuFp16Params params_;
};

}  // namespace aimc
