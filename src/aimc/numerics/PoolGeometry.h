#pragma once
// A pooling window over an INT8 map in HWC order ([pixel][channel]), as the digital unit of a layer's last
// partial-sum core applies it to its own output channels (MaxPool, AveragePool, GlobalAveragePool = a window
// over the whole map). Integer arithmetic: max is exact; the average is the integer sum times an output
// rescale (a 16-fraction-bit register, so that an average, much smaller than the map's maximum, keeps its
// INT8 resolution) divided by the cell count, rounded to nearest with ties to even (the divisor follows
// ONNX: cells inside the input, or inside the padded input with count_include_pad; cells added by ceil_mode
// never count). Plain C++, no SystemC.
#include <cstdint>
#include <string>

namespace aimc {

struct PoolGeometry {
  bool enabled = false;
  bool is_max = true;
  int64_t channels = 0;
  int64_t in_h = 1, in_w = 1, out_h = 1, out_w = 1;
  int64_t kh = 1, kw = 1, stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int64_t dilation_h = 1, dilation_w = 1;
  bool count_include_pad = false;
  int64_t scale_q16 = 65536;  // average: output steps per input step x 2^16 (max: 2^16, exact)

  int64_t out_bytes() const { return out_h * out_w * channels; }
  // Pools `in` [in_h * in_w][channels] into `out` [out_h * out_w][channels]; returns the values read.
  int64_t apply(const int8_t* in, int8_t* out) const;
  std::string describe() const;  // e.g. "MaxPool 2x2 s2 8x8->4x4"
};

}  // namespace aimc
