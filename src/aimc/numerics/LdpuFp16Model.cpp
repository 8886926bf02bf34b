#include "aimc/numerics/LdpuFp16Model.h"

#include <cmath>
#include <sstream>

#include "aimc/base/Error.h"

namespace aimc {

LdpuFp16Model::LdpuFp16Model(const LdpuFp16Params& params) : params_(params) {
  params_.validate();
}

Fp16 LdpuFp16Model::quantize(double value, const std::string& name) const {
  const Fp16 h = Fp16::from_double(value);
  if (!std::isfinite(value) || h.is_inf()) {
    std::ostringstream msg;
    msg << "coefficient " << value << " is not representable in FP16: range [-65504, 65504]";
    throw UserError("", 0, "ldpu." + name, msg.str());
  }
  return h;
}

LdpuFp16Channel LdpuFp16Model::quantize_channel(double g, double o, double a, double b, double c, bool relu1,
                                                bool relu2) const {
  LdpuFp16Channel ch;
  ch.gain = quantize(g, "gain");
  ch.offset = quantize(o, "offset");
  ch.scale = quantize(a, "scale");
  ch.bias = quantize(b, "bias");
  ch.side_scale = quantize(c, "side_scale");
  ch.relu1 = relu1;
  ch.relu2 = relu2;
  return ch;
}

LdpuFp16Activation LdpuFp16Model::quantize_activation(const ActivationTable& t) const {
  AIMC_ASSERT_MSG(params_.activation_enabled, "activation registers of an LDPU without the activation stage");
  LdpuFp16Activation act;
  act.enabled = true;
  act.table = !t.piecewise_linear;
  const auto bins = static_cast<size_t>(params_.activation_bins);
  act.breakpoints.assign(bins - 1, Fp16());
  act.values.assign(bins, Fp16());
  act.slopes.assign(bins, Fp16());
  if (t.piecewise_linear) {
    act.slope_pos = quantize(t.slope_pos, "activation_slope");
    act.intercept = quantize(t.intercept, "activation_intercept");
    act.lo = t.clamp ? quantize(t.lo, "activation_lo") : -Fp16::from_bits(Fp16::kInfinity);
    act.hi = t.clamp ? quantize(t.hi, "activation_hi") : Fp16::from_bits(Fp16::kInfinity);
    return act;
  }
  for (size_t k = 0; k < bins; ++k) {
    if (k + 1 < bins) act.breakpoints[k] = quantize(t.breakpoints[k], "activation_breakpoint");
    act.values[k] = quantize(t.values[k], "activation_value");
    act.slopes[k] = quantize(t.slopes[k], "activation_slope");
  }
  return act;
}

Fp16 LdpuFp16Model::quantize_activation_slope(double slope) const {
  return quantize(slope, "activation_slope");
}

Fp16 LdpuFp16Model::activate(Fp16 t, const LdpuFp16Channel& ch, const LdpuFp16Activation& act) const {
  const double x = t.to_double();  // exact; the comparators compare FP16 values
  if (!act.table) {
    const Fp16 v = Fp16::fma(x >= 0 ? act.slope_pos : ch.act_slope_neg, t, act.intercept);
    if (v.to_double() < act.lo.to_double()) return act.lo;
    if (v.to_double() > act.hi.to_double()) return act.hi;
    return v;
  }
  size_t k = 0;
  for (const Fp16& b : act.breakpoints) k += b.to_double() <= x ? 1 : 0;
  const Fp16 anchor = act.breakpoints[k == 0 ? 0 : k - 1];
  return Fp16::fma(act.slopes[k], Fp16::add(t, -anchor), act.values[k]);
}

int8_t LdpuFp16Model::process(uint32_t pos, uint32_t neg, const LdpuFp16Channel& ch, int8_t side,
                              bool side_valid) const {
  return process(pos, neg, ch, LdpuFp16Activation{}, side, side_valid);
}

int8_t LdpuFp16Model::process(uint32_t pos, uint32_t neg, const LdpuFp16Channel& ch,
                              const LdpuFp16Activation& act, int8_t side, bool side_valid) const {
  const uint32_t limit = uint32_t{1} << params_.adc_count_bits;
  AIMC_ASSERT_MSG(pos < limit && neg < limit, "ADC count wider than adc_count_bits");
  const Fp16 x = Fp16::from_int(static_cast<int64_t>(pos) - static_cast<int64_t>(neg));
  const Fp16 y = Fp16::fma(x, ch.gain, ch.offset);
  Fp16 t = Fp16::fma(y, ch.scale, ch.bias);
  if (ch.relu1) t = Fp16::relu(t);
  if (side_valid) t = Fp16::fma(ch.side_scale, Fp16::from_int(side), t);
  if (act.enabled) {
    t = activate(t, ch, act);
  } else if (ch.relu2) {
    t = Fp16::relu(t);
  }
  return static_cast<int8_t>(t.to_int_saturated(-128, 127));
}

void LdpuFp16Model::process_range(const uint32_t* pos, const uint32_t* neg,
                                  const std::vector<LdpuFp16Channel>& channels, size_t first_channel,
                                  size_t n, const int8_t* side, const bool* side_valid, int8_t* out) const {
  process_range(pos, neg, channels, LdpuFp16Activation{}, first_channel, n, side, side_valid, out);
}

void LdpuFp16Model::process_range(const uint32_t* pos, const uint32_t* neg,
                                  const std::vector<LdpuFp16Channel>& channels, const LdpuFp16Activation& act,
                                  size_t first_channel, size_t n, const int8_t* side, const bool* side_valid,
                                  int8_t* out) const {
  AIMC_ASSERT(first_channel + n <= channels.size());
  for (size_t i = 0; i < n; ++i) {
    const bool valid = side != nullptr && (side_valid == nullptr || side_valid[i]);
    out[i] = process(pos[i], neg[i], channels[first_channel + i], act, valid ? side[i] : int8_t{0}, valid);
  }
}

uint64_t LdpuFp16Model::latency_cycles(size_t n_values) const {
  if (n_values == 0) return 0;
  const uint64_t lanes = static_cast<uint64_t>(params_.lanes);
  const int stage = params_.activation_enabled ? params_.activation_pipeline_depth : 0;
  return (n_values + lanes - 1) / lanes - 1 + static_cast<uint64_t>(params_.pipeline_depth + stage);
}

}  // namespace aimc
