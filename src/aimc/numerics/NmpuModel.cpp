#include "aimc/numerics/NmpuModel.h"

#include <cmath>
#include <sstream>

#include "aimc/base/Error.h"
#include "aimc/numerics/NmpuFixedPoint.h"

namespace aimc {

NmpuModel::NmpuModel(const NmpuParams& params) : params_(params) {
  params_.validate();
}

double NmpuModel::to_real(int32_t q, const NmpuFixedFormat& format) {
  return std::ldexp(static_cast<double>(q), -format.frac_bits);
}

int32_t NmpuModel::quantize(double value, const NmpuFixedFormat& format, const std::string& name) const {
  return quantize_named(value, format, "nmpu." + name, "coefficient");
}

int32_t NmpuModel::quantize_named(double value, const NmpuFixedFormat& format, const std::string& key,
                                  const std::string& what) {
  const int64_t q_min = NmpuFixedPoint::min_signed(format.width());
  const int64_t q_max = NmpuFixedPoint::max_signed(format.width());
  // std::round: ties away from zero. ldexp is exact, so this is the nearest register value.
  const double q = std::isfinite(value) ? std::round(std::ldexp(value, format.frac_bits)) : 0.0;
  if (std::isfinite(value) && q >= static_cast<double>(q_min) && q <= static_cast<double>(q_max)) {
    return static_cast<int32_t>(q);
  }
  std::ostringstream msg;
  msg << what << " " << value << (std::isfinite(value) ? " is outside" : " is not finite; see")
      << " the representable range [" << std::ldexp(static_cast<double>(q_min), -format.frac_bits) << ", "
      << std::ldexp(static_cast<double>(q_max), -format.frac_bits) << "] in " << format.describe();
  throw UserError("", 0, key, msg.str());
}

namespace {
const std::string kActKey = "core.digital_unit.activation.format.";
}  // namespace

NmpuActivation NmpuModel::quantize_activation(const ActivationTable& t) const {
  const NmpuActivationParams& a = params_.activation;
  AIMC_ASSERT_MSG(a.enabled, "activation registers of an NMPU without the activation stage");
  NmpuActivation act;
  act.enabled = true;
  act.table = !t.piecewise_linear;
  auto value = [&](double v, const char* what) {
    return quantize_named(v, a.value, kActKey + "value", std::string("activation ") + what);
  };
  auto slope = [&](double v) { return quantize_named(v, a.slope, kActKey + "slope", "activation slope"); };
  if (t.piecewise_linear) {
    act.slope_pos = slope(t.slope_pos);
    act.intercept = value(t.intercept, "intercept");
    const auto lo = static_cast<int32_t>(NmpuFixedPoint::min_signed(a.value.width()));
    const auto hi = static_cast<int32_t>(NmpuFixedPoint::max_signed(a.value.width()));
    act.lo = t.clamp ? value(t.lo, "lower clamp") : lo;
    act.hi = t.clamp ? value(t.hi, "upper clamp") : hi;
    return act;
  }
  AIMC_ASSERT(static_cast<int>(t.values.size()) == a.bins);
  for (double b : t.breakpoints)
    act.breakpoints.push_back(
        quantize_named(b, a.breakpoint, kActKey + "breakpoint", "activation breakpoint"));
  for (double v : t.values) act.values.push_back(value(v, "table value"));
  for (double s : t.slopes) act.slopes.push_back(slope(s));
  return act;
}

int32_t NmpuModel::quantize_activation_slope(double slope) const {
  return quantize_named(slope, params_.activation.slope, kActKey + "slope", "activation slope");
}

NmpuChannel NmpuModel::quantize_channel(double g, double o, double a, double b, double c, bool relu1,
                                        bool relu2) const {
  NmpuChannel ch;
  ch.gain = quantize(g, params_.gain, "gain");
  ch.offset = quantize(o, params_.offset, "offset");
  ch.scale = quantize(a, params_.scale, "scale");
  ch.bias = quantize(b, params_.bias, "bias");
  ch.side_scale = quantize(c, params_.side_scale, "side_scale");
  ch.relu1 = relu1;
  ch.relu2 = relu2;
  return ch;
}

NmpuModel::Trace NmpuModel::trace(uint32_t pos, uint32_t neg, const NmpuChannel& ch, int8_t side,
                                  bool side_valid) const {
  return trace(pos, neg, ch, NmpuActivation{}, side, side_valid);
}

NmpuModel::Trace NmpuModel::trace(uint32_t pos, uint32_t neg, const NmpuChannel& ch,
                                  const NmpuActivation& act, int8_t side, bool side_valid) const {
  const NmpuParams& p = params_;
  const uint32_t count_limit = uint32_t{1} << p.adc_count_bits;
  AIMC_ASSERT_MSG(pos < count_limit && neg < count_limit, "ADC count wider than adc_count_bits");
  Trace t;
  // Stage 1: difference and per-column affine correction; the product carries gain.frac_bits fraction bits.
  t.difference = static_cast<int64_t>(pos) - static_cast<int64_t>(neg);
  const int64_t affine = t.difference * ch.gain + static_cast<int64_t>(ch.offset) *
                                                      (int64_t{1} << (p.gain.frac_bits - p.offset.frac_bits));
  t.corrected = NmpuFixedPoint::requantize(affine, p.gain.frac_bits - p.corrected.frac_bits,
                                           p.corrected.width(), p.rounding);

  // Stage 2: per-channel scale and bias, then the first ReLU.
  const int scaled_frac = p.corrected.frac_bits + p.scale.frac_bits;
  const int64_t scaled = t.corrected * ch.scale +
                         static_cast<int64_t>(ch.bias) * (int64_t{1} << (scaled_frac - p.bias.frac_bits));
  int64_t t1 = NmpuFixedPoint::requantize(scaled, scaled_frac - p.accumulator.frac_bits,
                                          p.accumulator.width(), p.rounding);
  if (ch.relu1 && t1 < 0) t1 = 0;
  t.scaled = t1;

  // Stage 3: side input (partial sum or residual) on a common fraction grid, then the second ReLU.
  const int side_frac =
      p.accumulator.frac_bits > p.side_scale.frac_bits ? p.accumulator.frac_bits : p.side_scale.frac_bits;
  const int64_t side_term = side_valid ? static_cast<int64_t>(side) * ch.side_scale : 0;
  const int64_t sum = t1 * (int64_t{1} << (side_frac - p.accumulator.frac_bits)) +
                      side_term * (int64_t{1} << (side_frac - p.side_scale.frac_bits));
  int64_t t2 =
      NmpuFixedPoint::requantize(sum, side_frac - p.accumulator.frac_bits, p.accumulator.width(), p.rounding);
  if (ch.relu2 && !act.enabled && t2 < 0) t2 = 0;
  t.side_added = t2;

  // Stage 4: the activation stage, or requantise t2 to the output integer.
  t.output = static_cast<int8_t>(
      act.enabled ? activate(t2, ch, act)
                  : NmpuFixedPoint::requantize(t2, p.accumulator.frac_bits, p.output_bits, p.rounding));
  return t;
}

int64_t NmpuModel::activate(int64_t t2, const NmpuChannel& ch, const NmpuActivation& act) const {
  AIMC_ASSERT(act.enabled);
  return act.table ? activate_table(t2, act) : activate_linear(t2, ch, act);
}

int64_t NmpuModel::activate_linear(int64_t t2, const NmpuChannel& ch, const NmpuActivation& act) const {
  const NmpuParams& p = params_;
  // Product grid: accumulator + slope fraction bits; intercept and clamps shifted onto it.
  const int frac = p.accumulator.frac_bits + p.activation.slope.frac_bits;
  const int64_t align = int64_t{1} << (frac - p.activation.value.frac_bits);
  const int64_t slope = t2 >= 0 ? act.slope_pos : ch.act_slope_neg;
  const int64_t v = t2 * slope + act.intercept * align;
  const int64_t lo = act.lo * align, hi = act.hi * align;
  return NmpuFixedPoint::requantize(v < lo ? lo : (v > hi ? hi : v), frac, p.output_bits, p.rounding);
}

int64_t NmpuModel::activate_table(int64_t t2, const NmpuActivation& act) const {
  const NmpuParams& p = params_;
  const int grid = p.activation_grid_frac();
  const int64_t x = t2 * (int64_t{1} << (grid - p.accumulator.frac_bits));
  const int64_t b_align = int64_t{1} << (grid - p.activation.breakpoint.frac_bits);
  // The comparators: bin k = number of breakpoints <= x.
  size_t k = 0;
  for (int32_t b : act.breakpoints) k += (static_cast<int64_t>(b) * b_align <= x) ? 1 : 0;
  const int64_t anchor = static_cast<int64_t>(act.breakpoints[k == 0 ? 0 : k - 1]) * b_align;
  // The FMA on the product grid: value[k] + slope[k] * (x - anchor).
  const int frac = grid + p.activation.slope.frac_bits;
  const int64_t v = (x - anchor) * act.slopes[k] + static_cast<int64_t>(act.values[k]) *
                                                       (int64_t{1} << (frac - p.activation.value.frac_bits));
  return NmpuFixedPoint::requantize(v, frac, p.output_bits, p.rounding);
}

int8_t NmpuModel::process(uint32_t pos, uint32_t neg, const NmpuChannel& channel, int8_t side,
                          bool side_valid) const {
  return trace(pos, neg, channel, side, side_valid).output;
}

int8_t NmpuModel::process(uint32_t pos, uint32_t neg, const NmpuChannel& channel, const NmpuActivation& act,
                          int8_t side, bool side_valid) const {
  return trace(pos, neg, channel, act, side, side_valid).output;
}

void NmpuModel::process_range(const uint32_t* pos, const uint32_t* neg,
                              const std::vector<NmpuChannel>& channels, size_t first_channel, size_t n,
                              const int8_t* side, const bool* side_valid, int8_t* out) const {
  process_range(pos, neg, channels, NmpuActivation{}, first_channel, n, side, side_valid, out);
}

void NmpuModel::process_range(const uint32_t* pos, const uint32_t* neg,
                              const std::vector<NmpuChannel>& channels, const NmpuActivation& act,
                              size_t first_channel, size_t n, const int8_t* side, const bool* side_valid,
                              int8_t* out) const {
  AIMC_ASSERT(first_channel + n <= channels.size());
  for (size_t i = 0; i < n; ++i) {
    const bool valid = side != nullptr && (side_valid == nullptr || side_valid[i]);
    out[i] = process(pos[i], neg[i], channels[first_channel + i], act, valid ? side[i] : int8_t{0}, valid);
  }
}

uint64_t NmpuModel::latency_cycles(size_t n_values) const {
  if (n_values == 0) return 0;
  const uint64_t lanes = static_cast<uint64_t>(params_.lanes);
  const uint64_t beats = (n_values + lanes - 1) / lanes;
  const int stage = params_.activation.enabled ? params_.activation.pipeline_depth : 0;
  return beats - 1 + static_cast<uint64_t>(params_.pipeline_depth + stage);
}

}  // namespace aimc
