#pragma once
// Where a crossbar piece's input vector comes from, pixel by pixel: the im2col patch gather of a Conv (or the
// plain vector of a Gemm, a 1x1 "convolution" of one pixel). Plain C++ without SystemC, so that the chip's
// tile and a numerics-only executor gather the same bytes.
//
// The piece's input slot holds the input map in HWC order ([pixel][channel]) restricted to the channels
// [channel_begin, channel_begin + channel_count) that the piece's im2col columns [col_begin, col_begin +
// col_count) read (column = (channel * kh + kernel row) * kw + kernel column, Graph.h).
#include <cstdint>
#include <string>

namespace aimc {

struct ConvGeometry {
  int64_t in_h = 1, in_w = 1;                    // input map
  int64_t channel_begin = 0, channel_count = 0;  // channels held in the slot
  int64_t kh = 1, kw = 1;                        // kernel
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_left = 0;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t out_h = 1, out_w = 1;          // output map: pixels = out_h * out_w
  int64_t col_begin = 0, col_count = 0;  // the piece's im2col columns

  int64_t pixels() const { return out_h * out_w; }
  // Bytes of the input slot: every pixel of the input map, channel_count channels each.
  int64_t slot_bytes() const { return in_h * in_w * channel_count; }
  // Writes the patch of output pixel `pixel` into codes[0, col_count) (zero outside the map: padding),
  // clamped to [-code_max, code_max]; returns the bytes read from the slot (padding costs no read).
  int64_t gather(int64_t pixel, const int8_t* slot, int32_t* codes, int32_t code_max) const;
  // "3x3 s1 p1 d1 8x8->8x8" (or "vector" for a one-pixel 1x1 gather).
  std::string describe() const;
};

}  // namespace aimc
