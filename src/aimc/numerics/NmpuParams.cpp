#include "aimc/numerics/NmpuParams.h"

#include <algorithm>

#include "aimc/base/Error.h"

namespace aimc {

bool NmpuFixedFormat::parse(const std::string& text, NmpuFixedFormat* out, std::string* error) {
  // Q<int_bits>.<frac_bits>, both decimal, at most two digits each (formats are at most 32 bits wide).
  auto digits = [&](size_t& i, int* v) {
    size_t j = i;
    while (j < text.size() && j - i < 3 && text[j] >= '0' && text[j] <= '9') ++j;
    if (j == i || j - i > 2) return false;
    *v = std::stoi(text.substr(i, j - i));
    i = j;
    return true;
  };
  size_t i = 1;
  NmpuFixedFormat f;
  if (text.empty() || text[0] != 'Q' || !digits(i, &f.int_bits) || i >= text.size() || text[i] != '.' ||
      !digits(++i, &f.frac_bits) || i != text.size()) {
    *error = "'" + text +
             "' is not a fixed-point format: expected Qi.f (i integer bits incl. sign, f fraction "
             "bits), e.g. Q2.14";
    return false;
  }
  *out = f;
  return true;
}

namespace {

void check(bool ok, const std::string& key, const std::string& reason) {
  if (!ok) throw UserError("", 0, "nmpu." + key, reason);
}

void check_format(const NmpuFixedFormat& f, const std::string& key) {
  // 32 bits: every coefficient is written through the 32-bit configuration register interface of the RTL.
  check(f.int_bits >= 1 && f.frac_bits >= 0 && f.width() <= 32, key,
        "format " + f.describe() + " needs int_bits >= 1 (incl. sign), frac_bits >= 0 and at most 32 bits");
}

}  // namespace

void NmpuParams::validate() const {
  check(adc_count_bits >= 1 && adc_count_bits <= kMaxAdcCountBits, "adc_count_bits",
        "must be in [1, " + std::to_string(kMaxAdcCountBits) + "], is " + std::to_string(adc_count_bits));
  check_format(gain, "gain");
  check_format(offset, "offset");
  check_format(corrected, "corrected");
  check_format(scale, "scale");
  check_format(bias, "bias");
  check_format(accumulator, "accumulator");
  check_format(side_scale, "side_scale");
  // The offset is aligned to the gain product by a left shift and the product is rounded down to `corrected`.
  check(offset.frac_bits <= gain.frac_bits, "offset",
        "offset.frac_bits (" + std::to_string(offset.frac_bits) + ") must not exceed gain.frac_bits (" +
            std::to_string(gain.frac_bits) + ")");
  check(corrected.frac_bits <= gain.frac_bits, "corrected",
        "corrected.frac_bits must not exceed gain.frac_bits (the product is only ever rounded, never "
        "extended)");
  const int scaled_frac = corrected.frac_bits + scale.frac_bits;
  check(bias.frac_bits <= scaled_frac, "bias",
        "bias.frac_bits must not exceed corrected.frac_bits + scale.frac_bits");
  check(accumulator.frac_bits <= scaled_frac, "accumulator",
        "accumulator.frac_bits must not exceed corrected.frac_bits + scale.frac_bits");
  // Exact int64 intermediates in NmpuModel (and no wider than 62 bits anywhere).
  check(adc_count_bits + 1 + gain.width() + 2 <= 62, "gain", "d * gain would not fit 62 bits");
  check(corrected.width() + scale.width() + 2 <= 62, "scale", "corrected * scale would not fit 62 bits");
  check(output_bits >= 2 && output_bits <= 8, "output_bits",
        "must be in [2, 8], is " + std::to_string(output_bits));
  check(accumulator.int_bits >= output_bits, "accumulator",
        "accumulator.int_bits must be at least output_bits so the output saturation is the last one");
  check(lanes >= 1 && lanes <= kMaxLanes, "lanes",
        "must be in [1, " + std::to_string(kMaxLanes) + "], is " + std::to_string(lanes));
  check(pipeline_depth >= 1 && pipeline_depth <= kMaxPipelineDepth, "pipeline_depth",
        "must be in [1, " + std::to_string(kMaxPipelineDepth) + "], is " + std::to_string(pipeline_depth));
  check(clock_hz > 0, "clock_hz", "must be positive");
  check(channels >= lanes && channels <= 65536, "channels",
        "must be in [lanes, 65536], is " + std::to_string(channels));
  validate_activation();
}

void NmpuParams::validate_activation() const {
  const NmpuActivationParams& a = activation;
  check(
      a.bins >= 3 && a.bins <= NmpuActivationParams::kMaxBins, "activation.bins",
      "must be in [3, " + std::to_string(NmpuActivationParams::kMaxBins) + "], is " + std::to_string(a.bins));
  check(a.pipeline_depth >= 1 && a.pipeline_depth <= kMaxPipelineDepth, "activation.pipeline_depth",
        "must be in [1, " + std::to_string(kMaxPipelineDepth) + "], is " + std::to_string(a.pipeline_depth));
  check_format(a.breakpoint, "activation.breakpoint");
  check_format(a.value, "activation.value");
  check_format(a.slope, "activation.slope");
  // Common grid of the input and the breakpoints; the FMA's product carries grid + slope fraction bits.
  const int grid = activation_grid_frac();
  check(a.value.frac_bits <= accumulator.frac_bits + a.slope.frac_bits, "activation.value",
        "value.frac_bits must not exceed the product's fraction bits (accumulator + slope)");
  const int diff_bits = std::max(accumulator.int_bits, a.breakpoint.int_bits) + grid + 1;
  check(diff_bits + a.slope.width() + 2 <= 62, "activation.slope",
        "(t2 - anchor) * slope would not fit 62 bits");
  check(a.value.int_bits >= output_bits, "activation.value",
        "value.int_bits must be at least output_bits so the output saturation is the last one");
}

}  // namespace aimc
