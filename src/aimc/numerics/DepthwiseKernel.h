#pragma once
// A depthwise convolution (ONNX Conv with group = input channels = output channels) on a core's digital unit
// instead of its crossbar: a depthwise filter reads one channel only, so in crossbar (im2col) form it would
// be a block-diagonal matrix of mostly zeros. Plain C++ without SystemC, so that the chip's digital unit and
// the numerics-only executor compute the same integers.
//
// Integer path, per output pixel and channel c of the piece (an assumption of this model; HERMES publishes no
// depthwise datapath):
//   acc = sum over the k x k taps of x * w             INT8 x INT8 products, 32-bit accumulator (exact)
//   d   = round_half_to_even(acc / 2^shift[c])          |d| <= count_max by the choice of shift[c]
//   pos = max(d, 0), neg = max(-d, 0)                   the digital unit's ADC-counter inputs
// then the unit's own per-channel affine/requantisation (NmpuModel: scale = 2^shift[c] * in_step *
// weight_step[c] / out_step, bias, ReLU/Clip, INT8 out), the path the ADC counts take after an MVM.
// Weights: per-channel symmetric INT8, weight_step[c] = max |w_c| / 127, codes round(w / step) with ties to
// even. shift[c] is the smallest with 128 * sum |w_c codes| <= count_max * 2^shift[c], so d never saturates
// the counters (count_max = 2^adc_count_bits - 1, the NMPU's counter range): the shift adds at most half an
// accumulator step of 2^shift[c], i.e. 0.5 * scale output steps, to the INT8 rounding of the output.
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "aimc/numerics/ConvGeometry.h"

namespace aimc {

struct DepthwiseKernel {
  bool enabled = false;
  int64_t channels = 0;  // the piece's channels (geometry.channel_begin ..)
  int64_t taps = 0;      // kh * kw
  // geometry.col_begin / col_count cover the taps of the piece's channels: column = channel * taps + tap.
  ConvGeometry geometry;
  std::vector<int8_t> weight;       // [channel][tap] INT8 codes
  std::vector<double> weight_step;  // per channel: real value of one weight code
  std::vector<int> shift;           // per channel: accumulator right shift before the counters
  int32_t count_max = 4095;

  // Quantises `weight` [channels, taps] (rows of the ONNX depthwise weight) for a map gathered by `geometry`
  // into counters of `adc_count_bits` bits.
  static DepthwiseKernel build(const Eigen::MatrixXf& weight, const ConvGeometry& geometry,
                               int adc_count_bits);

  int64_t macs_per_pixel() const { return channels * taps; }
  // One output pixel: gathers its patches from `slot` (HWC, the piece's channels; codes: channels * taps
  // scratch), accumulates and shifts into pos/neg [channels]. Returns the bytes read from the slot.
  int64_t run_pixel(int64_t pixel, const int8_t* slot, int32_t* codes, uint32_t* pos, uint32_t* neg) const;
  // round(acc / 2^shift), ties to even (exact integer arithmetic).
  static int64_t shift_round_half_even(int64_t acc, int shift);
};

}  // namespace aimc
