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
  const int64_t q_min = NmpuFixedPoint::min_signed(format.width());
  const int64_t q_max = NmpuFixedPoint::max_signed(format.width());
  // std::round: ties away from zero. ldexp is exact, so this is the nearest register value.
  const double q = std::isfinite(value) ? std::round(std::ldexp(value, format.frac_bits)) : 0.0;
  if (std::isfinite(value) && q >= static_cast<double>(q_min) && q <= static_cast<double>(q_max)) {
    return static_cast<int32_t>(q);
  }
  std::ostringstream msg;
  msg << "coefficient " << value << (std::isfinite(value) ? " is outside" : " is not finite; see")
      << " the representable range [" << std::ldexp(static_cast<double>(q_min), -format.frac_bits) << ", "
      << std::ldexp(static_cast<double>(q_max), -format.frac_bits) << "] in " << format.describe();
  throw UserError("", 0, "nmpu." + name, msg.str());
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
  if (ch.relu2 && t2 < 0) t2 = 0;
  t.side_added = t2;

  // Stage 4: requantise to the output integer.
  t.output =
      static_cast<int8_t>(NmpuFixedPoint::requantize(t2, p.accumulator.frac_bits, p.output_bits, p.rounding));
  return t;
}

int8_t NmpuModel::process(uint32_t pos, uint32_t neg, const NmpuChannel& channel, int8_t side,
                          bool side_valid) const {
  return trace(pos, neg, channel, side, side_valid).output;
}

void NmpuModel::process_range(const uint32_t* pos, const uint32_t* neg,
                              const std::vector<NmpuChannel>& channels, size_t first_channel, size_t n,
                              const int8_t* side, const bool* side_valid, int8_t* out) const {
  AIMC_ASSERT(first_channel + n <= channels.size());
  for (size_t i = 0; i < n; ++i) {
    const bool valid = side != nullptr && (side_valid == nullptr || side_valid[i]);
    out[i] = process(pos[i], neg[i], channels[first_channel + i], valid ? side[i] : int8_t{0}, valid);
  }
}

uint64_t NmpuModel::latency_cycles(size_t n_values) const {
  if (n_values == 0) return 0;
  const uint64_t lanes = static_cast<uint64_t>(params_.lanes);
  const uint64_t beats = (n_values + lanes - 1) / lanes;
  return beats - 1 + static_cast<uint64_t>(params_.pipeline_depth);
}

}  // namespace aimc
