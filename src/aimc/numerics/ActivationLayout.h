#pragma once
// Layout permutations between the network's NCHW tensors and the chip's HWC maps ([pixel][channel]), per
// sample: the host applies them to the input it injects and to the output it collects (as a DMA would).
// Plain C++, no SystemC; a one-pixel map (a vector) is the same in both layouts.
#include <cstdint>
#include <vector>

namespace aimc {

// `data` holds `samples` samples, each a [rows, cols] matrix in row-major order; returns each one transposed.
template <typename T>
std::vector<T> transpose_per_sample(const std::vector<T>& data, int64_t samples, int64_t rows, int64_t cols) {
  std::vector<T> out(data.size());
  for (int64_t s = 0; s < samples; ++s)
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        out[static_cast<size_t>((s * cols + c) * rows + r)] =
            data[static_cast<size_t>((s * rows + r) * cols + c)];
  return out;
}

// `data` holds `samples` samples of `channels` x `pixels` values in CHW order; returns them in HWC order.
template <typename T>
std::vector<T> chw_to_hwc(const std::vector<T>& data, int64_t samples, int64_t channels, int64_t pixels) {
  return transpose_per_sample(data, samples, channels, pixels);
}

// The inverse: HWC order back to CHW.
template <typename T>
std::vector<T> hwc_to_chw(const std::vector<T>& data, int64_t samples, int64_t channels, int64_t pixels) {
  return transpose_per_sample(data, samples, pixels, channels);
}

}  // namespace aimc
