#include "aimc/numerics/PoolGeometry.h"

#include <algorithm>

#include <fmt/format.h>

namespace aimc {

namespace {

// Nearest integer to sum / divisor (divisor > 0), ties to even: the rounding of the requantiser.
int64_t divide_half_even(int64_t sum, int64_t divisor) {
  int64_t q = sum / divisor, rem = sum % divisor;
  if (rem < 0) {  // floor division
    --q;
    rem += divisor;
  }
  if (2 * rem > divisor || (2 * rem == divisor && (q & 1) != 0)) ++q;
  return q;
}

}  // namespace

int64_t PoolGeometry::apply(const int8_t* in, int8_t* out) const {
  int64_t read = 0;
  for (int64_t oh = 0; oh < out_h; ++oh)
    for (int64_t ow = 0; ow < out_w; ++ow) {
      const int64_t h0 = oh * stride_h - pad_top, w0 = ow * stride_w - pad_left;
      int8_t* o = out + (oh * out_w + ow) * channels;
      for (int64_t c = 0; c < channels; ++c) {
        int32_t best = -128;
        int64_t sum = 0, inside = 0;
        for (int64_t i = 0; i < kh; ++i)
          for (int64_t j = 0; j < kw; ++j) {
            const int64_t ih = h0 + i * dilation_h, iw = w0 + j * dilation_w;
            if (ih < 0 || ih >= in_h || iw < 0 || iw >= in_w) continue;
            const int32_t v = in[(ih * in_w + iw) * channels + c];
            best = std::max(best, v);
            sum += v;
            ++inside;
          }
        read += inside;
        if (is_max) {
          o[c] = static_cast<int8_t>(inside > 0 ? best : 0);
          continue;
        }
        int64_t divisor = inside;
        if (count_include_pad)
          divisor = (std::min(h0 + kh, in_h + pad_bottom) - h0) * (std::min(w0 + kw, in_w + pad_right) - w0);
        o[c] = static_cast<int8_t>(
            divisor > 0 ? std::clamp<int64_t>(divide_half_even(sum * scale_q16, divisor * 65536), -128, 127)
                        : 0);
      }
    }
  return read;
}

std::string PoolGeometry::describe() const {
  if (!enabled) return "";
  return fmt::format("{} {}x{} s{} {}x{}->{}x{}", is_max ? "MaxPool" : "AveragePool", kh, kw, stride_h, in_h,
                     in_w, out_h, out_w);
}

}  // namespace aimc
