#include "aimc/numerics/ActivationStageError.h"

#include <algorithm>
#include <cmath>

#include "aimc/numerics/ActivationTable.h"
#include "aimc/numerics/LdpuFp16Model.h"
#include "aimc/numerics/NmpuModel.h"

namespace aimc {

namespace {

double exact_output(const ActivationSpec& spec, double x, double in_lsb, double out_step) {
  return std::clamp(activation_value(spec, x * in_lsb) / out_step, -128.0, 127.0);
}

void add(ActivationStageError* e, double error) {
  e->max_lsb = std::max(e->max_lsb, error);
  e->mean_lsb += error;
  e->values += 1;
}

}  // namespace

void activation_error_steps(const ActivationSpec& spec, double* in_lsb, double* out_step) {
  *in_lsb = 1.0 / 16.0;
  double peak = 0;
  for (int i = -128; i <= 127; ++i) peak = std::max(peak, std::abs(activation_value(spec, i * *in_lsb)));
  *out_step = peak / 127.0;
}

ActivationStageError nmpu_activation_error(NmpuParams params, const ActivationSpec& spec, double in_lsb,
                                           double out_step) {
  params.activation.enabled = true;
  const NmpuModel model(params);
  const ActivationTable table = ActivationTable::build(spec, in_lsb, out_step, params.activation.bins);
  const NmpuActivation act = model.quantize_activation(table);
  NmpuChannel ch;
  if (!act.table) ch.act_slope_neg = model.quantize_activation_slope(table.slope_neg);
  ActivationStageError e;
  const int64_t one = int64_t{1} << params.accumulator.frac_bits;
  for (int64_t t2 = -128 * one; t2 <= 127 * one; ++t2) {
    const double out = static_cast<double>(model.activate(t2, ch, act));
    add(&e,
        std::abs(out - exact_output(spec, std::ldexp(static_cast<double>(t2), -params.accumulator.frac_bits),
                                    in_lsb, out_step)));
  }
  e.mean_lsb /= static_cast<double>(e.values);
  return e;
}

ActivationStageError ldpu_activation_error(LdpuFp16Params params, const ActivationSpec& spec, double in_lsb,
                                           double out_step) {
  params.activation_enabled = true;
  const LdpuFp16Model model(params);
  const ActivationTable table = ActivationTable::build(spec, in_lsb, out_step, params.activation_bins);
  const LdpuFp16Activation act = model.quantize_activation(table);
  LdpuFp16Channel ch;
  if (!act.table) ch.act_slope_neg = model.quantize_activation_slope(table.slope_neg);
  ActivationStageError e;
  for (uint32_t bits = 0; bits <= 0xFFFFu; ++bits) {
    const Fp16 t = Fp16::from_bits(static_cast<uint16_t>(bits));
    const double x = t.to_double();
    if (t.is_nan() || x < -128.0 || x > 127.0 || bits == 0x8000u) continue;  // -0 is +0's value
    const double out = static_cast<double>(model.activate(t, ch, act).to_int_saturated(-128, 127));
    add(&e, std::abs(out - exact_output(spec, x, in_lsb, out_step)));
  }
  e.mean_lsb /= static_cast<double>(e.values);
  return e;
}

std::vector<ActivationSpec> example_activations() {
  return {{ActivationKind::kRelu, 0, 0},
          {ActivationKind::kLeakyRelu, 0.1, 0},
          {ActivationKind::kPRelu, 0.25, 0},
          {ActivationKind::kHardtanh, -1.0, 1.0},
          {ActivationKind::kHardSigmoid, 1.0 / 6.0, 0.5},
          {ActivationKind::kHardSwish, 0, 0},
          {ActivationKind::kSigmoid, 0, 0},
          {ActivationKind::kTanh, 0, 0},
          {ActivationKind::kGelu, 0, 0},
          {ActivationKind::kGeluTanh, 0, 0},
          {ActivationKind::kSilu, 0, 0},
          {ActivationKind::kElu, 1.0, 0},
          {ActivationKind::kCos, 0, 0},
          {ActivationKind::kSin, 0, 0}};
}

}  // namespace aimc
