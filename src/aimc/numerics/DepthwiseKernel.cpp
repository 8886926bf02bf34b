#include "aimc/numerics/DepthwiseKernel.h"

#include <algorithm>
#include <cmath>

#include "aimc/base/Error.h"

namespace aimc {

DepthwiseKernel DepthwiseKernel::build(const Eigen::MatrixXf& weight, const ConvGeometry& geometry,
                                       int adc_count_bits) {
  DepthwiseKernel k;
  k.enabled = true;
  k.channels = weight.rows();
  k.taps = weight.cols();
  k.geometry = geometry;
  AIMC_ASSERT(geometry.channel_count == k.channels && geometry.col_count == k.channels * k.taps);
  AIMC_ASSERT(adc_count_bits >= 2 && adc_count_bits <= 30);
  k.count_max = static_cast<int32_t>((int64_t{1} << adc_count_bits) - 1);
  k.weight.resize(static_cast<size_t>(k.channels * k.taps));
  k.weight_step.resize(static_cast<size_t>(k.channels));
  k.shift.resize(static_cast<size_t>(k.channels));
  for (int64_t c = 0; c < k.channels; ++c) {
    const double absmax = static_cast<double>(weight.row(c).cwiseAbs().maxCoeff());
    // An all-zero filter keeps a non-zero step (its codes are all 0 anyway).
    const double step = absmax > 0 ? absmax / 127.0 : 1.0;
    k.weight_step[static_cast<size_t>(c)] = step;
    int64_t sum_abs = 0;
    for (int64_t t = 0; t < k.taps; ++t) {
      // std::nearbyint in the default rounding mode (to nearest, ties to even).
      const auto q = static_cast<int64_t>(std::nearbyint(static_cast<double>(weight(c, t)) / step));
      const int64_t code = std::clamp<int64_t>(q, -127, 127);
      k.weight[static_cast<size_t>(c * k.taps + t)] = static_cast<int8_t>(code);
      sum_abs += std::abs(code);
    }
    // |acc| <= 128 * sum |codes| (an INT8 input may be -128).
    int s = 0;
    while ((128 * sum_abs) > (static_cast<int64_t>(k.count_max) << s)) ++s;
    k.shift[static_cast<size_t>(c)] = s;
  }
  return k;
}

int64_t DepthwiseKernel::shift_round_half_even(int64_t acc, int shift) {
  if (shift == 0) return acc;
  const int64_t unit = int64_t{1} << shift, half = unit >> 1;
  const int64_t q = acc >= 0 ? acc / unit : -((-acc + unit - 1) / unit);  // floor
  const int64_t r = acc - q * unit;                                       // 0 <= r < unit
  return r > half || (r == half && (q & 1) != 0) ? q + 1 : q;
}

int64_t DepthwiseKernel::run_pixel(int64_t pixel, const int8_t* slot, int32_t* codes, uint32_t* pos,
                                   uint32_t* neg) const {
  // INT8 inputs are MAC operands as they are (no PWM range): code_max 128 clamps nothing.
  const int64_t read = geometry.gather(pixel, slot, codes, 128);
  for (int64_t c = 0; c < channels; ++c) {
    int32_t acc = 0;  // |acc| <= 128 * 127 * taps: 32 bits hold any kernel up to 132,000 taps
    const int8_t* w = weight.data() + c * taps;
    const int32_t* x = codes + c * taps;
    for (int64_t t = 0; t < taps; ++t) acc += x[t] * static_cast<int32_t>(w[t]);
    const int64_t d = shift_round_half_even(acc, shift[static_cast<size_t>(c)]);
    AIMC_ASSERT(d >= -count_max && d <= count_max);
    pos[c] = static_cast<uint32_t>(std::max<int64_t>(d, 0));
    neg[c] = static_cast<uint32_t>(std::max<int64_t>(-d, 0));
  }
  return read;
}

}  // namespace aimc
