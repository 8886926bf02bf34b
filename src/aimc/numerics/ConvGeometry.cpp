#include "aimc/numerics/ConvGeometry.h"

#include <algorithm>

#include <fmt/format.h>

namespace aimc {

int64_t ConvGeometry::gather(int64_t pixel, const int8_t* slot, int32_t* codes, int32_t code_max) const {
  const int64_t oh = pixel / out_w, ow = pixel % out_w, khw = kh * kw;
  const int64_t ih0 = oh * stride_h - pad_top, iw0 = ow * stride_w - pad_left;
  // Column col_begin + j is (channel c, kernel row ky, kernel column kx), c major: walked in that order from
  // col_begin, without a division per column (a gather runs once per pixel and MVM).
  int64_t c = col_begin / khw, ky = (col_begin % khw) / kw, kx = col_begin % kw;
  int64_t read = 0;
  for (int64_t j = 0; j < col_count; ++j) {
    const int64_t ih = ih0 + ky * dilation_h, iw = iw0 + kx * dilation_w;
    if (ih < 0 || ih >= in_h || iw < 0 || iw >= in_w) {
      codes[j] = 0;
    } else {
      codes[j] = std::clamp<int32_t>(slot[(ih * in_w + iw) * channel_count + (c - channel_begin)], -code_max,
                                     code_max);
      ++read;
    }
    if (++kx == kw) {
      kx = 0;
      if (++ky == kh) {
        ky = 0;
        ++c;
      }
    }
  }
  return read;
}

std::string ConvGeometry::describe() const {
  if (kh == 1 && kw == 1 && in_h == 1 && in_w == 1) return "vector";
  return fmt::format("{}x{} s{} p{} d{} {}x{}->{}x{}", kh, kw, stride_h, pad_top, dilation_h, in_h, in_w,
                     out_h, out_w);
}

}  // namespace aimc
