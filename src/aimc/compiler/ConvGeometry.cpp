#include "aimc/compiler/ConvGeometry.h"

#include <algorithm>

#include <fmt/format.h>

namespace aimc {

int64_t ConvGeometry::gather(int64_t pixel, const int8_t* slot, int32_t* codes, int32_t code_max) const {
  const int64_t oh = pixel / out_w, ow = pixel % out_w, khw = kh * kw;
  int64_t read = 0;
  for (int64_t j = 0; j < col_count; ++j) {
    const int64_t col = col_begin + j, c = col / khw, r = col % khw;
    const int64_t ih = oh * stride_h - pad_top + (r / kw) * dilation_h;
    const int64_t iw = ow * stride_w - pad_left + (r % kw) * dilation_w;
    if (ih < 0 || ih >= in_h || iw < 0 || iw >= in_w) {
      codes[j] = 0;
      continue;
    }
    codes[j] = std::clamp<int32_t>(slot[(ih * in_w + iw) * channel_count + (c - channel_begin)], -code_max,
                                   code_max);
    ++read;
  }
  return read;
}

std::string ConvGeometry::describe() const {
  if (kh == 1 && kw == 1 && in_h == 1 && in_w == 1) return "vector";
  return fmt::format("{}x{} s{} p{} d{} {}x{}->{}x{}", kh, kw, stride_h, pad_top, dilation_h, in_h, in_w,
                     out_h, out_w);
}

}  // namespace aimc
