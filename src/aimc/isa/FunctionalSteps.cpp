#include "aimc/isa/FunctionalSteps.h"

#include <algorithm>

#include "aimc/base/Error.h"

namespace aimc::step {

namespace {

uint32_t loop_pixels(uint32_t pixels) {
  return std::max<uint32_t>(pixels, 1u);
}

uint64_t process_checked(DigitalUnitImpl& unit, const uint32_t* pos, const uint32_t* neg, size_t n,
                         const int8_t* side, int8_t* out) {
  const uint64_t cycles = unit.process(pos, neg, n, side, out);
  // The chip's timing is the closed form; an implementation that takes other cycles (the RTL) is a bug.
  AIMC_ASSERT_MSG(cycles == unit.latency_cycles(n), "digital unit cycles differ from latency_cycles");
  return cycles;
}

}  // namespace

uint64_t wait_input_bytes(const isa::WaitInput& w, uint32_t pixel) {
  return w.bytes + uint64_t{pixel} * w.bytes_per_pixel;
}

int64_t mvm_gather(const ConvGeometry& geometry, uint32_t pixel, const int8_t* slot, int32_t* codes,
                   int input_code_max) {
  return geometry.gather(static_cast<int64_t>(pixel), slot, codes, input_code_max);
}

uint64_t mvm_read_index(const isa::Mvm& m, uint64_t sample, uint32_t pixel) {
  AIMC_ASSERT(pixel < loop_pixels(m.pixels));
  // Pixel p of sample s reads the array with its own noise draws (a Gemm's index is s).
  return sample * loop_pixels(m.pixels) + pixel;
}

bool mvm_releases_input(const isa::Mvm& m, uint32_t pixel) {
  return pixel + 1 == loop_pixels(m.pixels);
}

uint64_t digital_offset(const isa::Digital& d, uint32_t pixel, size_t n) {
  AIMC_ASSERT(pixel < loop_pixels(d.pixels));
  return uint64_t{pixel} * n;  // this pixel's place in the HWC maps
}

bool digital_releases_side(const isa::Digital& d, uint32_t pixel) {
  return d.side_tag != kNoSlot && pixel + 1 == loop_pixels(d.pixels);
}

uint64_t digital_from_counters(DigitalUnitImpl& unit, const int32_t* pos, const int32_t* neg, size_t n,
                               const int8_t* side, int8_t* out, std::vector<uint32_t>& scratch) {
  scratch.resize(2 * n);
  // The counters are unsigned; the numerics never return negative counts.
  for (size_t i = 0; i < n; ++i) {
    scratch[i] = static_cast<uint32_t>(pos[i]);
    scratch[n + i] = static_cast<uint32_t>(neg[i]);
  }
  return process_checked(unit, scratch.data(), scratch.data() + n, n, side, out);
}

uint64_t digital_from_int8(DigitalUnitImpl& unit, const int8_t* source, size_t n, const int8_t* side,
                           int8_t* out, std::vector<uint32_t>& scratch) {
  scratch.resize(2 * n);
  for (size_t i = 0; i < n; ++i) {
    const int v = source[i];
    scratch[i] = static_cast<uint32_t>(std::max(v, 0));
    scratch[n + i] = static_cast<uint32_t>(std::max(-v, 0));
  }
  return process_checked(unit, scratch.data(), scratch.data() + n, n, side, out);
}

DepthwiseResult depthwise_map(const DepthwiseKernel& kernel, DigitalUnitImpl& unit, uint64_t pixels,
                              const int8_t* in, int8_t* out, std::vector<uint32_t>& scratch,
                              std::vector<int32_t>& codes) {
  AIMC_ASSERT(kernel.enabled && static_cast<int64_t>(pixels) == kernel.geometry.pixels());
  const auto n = static_cast<size_t>(kernel.channels);
  scratch.resize(2 * n);
  codes.resize(static_cast<size_t>(kernel.geometry.col_count));
  DepthwiseResult r;
  for (uint64_t p = 0; p < pixels; ++p) {
    r.bytes_read += static_cast<uint64_t>(
        kernel.run_pixel(static_cast<int64_t>(p), in, codes.data(), scratch.data(), scratch.data() + n));
    r.unit_cycles += process_checked(unit, scratch.data(), scratch.data() + n, n, nullptr, out + p * n);
  }
  return r;
}

uint64_t affine_map(DigitalUnitImpl& unit, uint64_t pixels, size_t n, const int8_t* in, const int8_t* side,
                    int8_t* out, std::vector<uint32_t>& scratch) {
  uint64_t cycles = 0;
  for (uint64_t p = 0; p < pixels; ++p)
    cycles += digital_from_int8(unit, in + p * n, n, side != nullptr ? side + p * n : nullptr, out + p * n,
                                scratch);
  return cycles;
}

int64_t pool_map(const PoolGeometry& pool, const int8_t* in, int8_t* out) {
  AIMC_ASSERT(pool.enabled);
  return pool.apply(in, out);
}

isa::RowTransfer send_transfer(const isa::Send& s, uint32_t pixel) {
  const uint32_t advance = pixel * s.bytes;
  return {s.dst_offset + advance, s.src_offset + advance, 1, s.bytes, 0, 0};
}

void gather_rows(const int8_t* src, const isa::RowTransfer& t, int8_t* packet) {
  for (uint64_t r = 0; r < t.rows; ++r)
    std::copy_n(src + t.src_offset + r * t.src_stride, t.row_bytes, packet + r * t.row_bytes);
}

void scatter_rows(const int8_t* packet, const isa::RowTransfer& t, int8_t* dst) {
  for (uint64_t r = 0; r < t.rows; ++r)
    std::copy_n(packet + r * t.row_bytes, t.row_bytes, dst + t.dst_offset + r * t.dst_stride);
}

void copy_rows(const int8_t* src, const isa::RowTransfer& t, int8_t* dst) {
  for (uint64_t r = 0; r < t.rows; ++r)
    std::copy_n(src + t.src_offset + r * t.src_stride, t.row_bytes, dst + t.dst_offset + r * t.dst_stride);
}

uint64_t dma_source_end(const isa::DmaCopy& c) {
  return c.bytes == 0 ? 0 : c.src_offset + uint64_t{c.bytes - 1} * c.stride + 1;
}

void dma_copy(const isa::DmaCopy& c, const int8_t* src, int8_t* dst) {
  // Gathered first, then written: a copy within one slot reads the bytes as they were.
  std::vector<int8_t> moved(c.bytes);
  for (uint64_t i = 0; i < c.bytes; ++i) moved[i] = src[c.src_offset + i * c.stride];
  std::copy(moved.begin(), moved.end(), dst + c.dst_offset);
}

uint64_t gdpu_input_offset(const isa::GdpuStep& g, uint32_t pixel) {
  return uint64_t{pixel} * g.gate_bytes();
}

isa::RowTransfer gdpu_output_transfer(const isa::GdpuStep& g, uint32_t pixel) {
  return {g.dst_offset + pixel * g.units, 0, 1, g.units, g.units, g.units};
}

bool gdpu_releases_input(const isa::GdpuStep& g, uint32_t pixel) {
  return pixel + 1 >= std::max<uint32_t>(g.pixels, 1);
}

bool gdpu_starts_sequence(const isa::GdpuStep& g, uint32_t pixel) {
  return g.first && pixel == 0;
}

GdpuActivity gdpu_step(const isa::GdpuStep& g, uint32_t pixel, const GdpuBank& bank, const int8_t* gates,
                       Fp16* state, int8_t* h) {
  return gdpu_cell_step(g.kind, bank, gates, g.units, state + g.state_offset, gdpu_starts_sequence(g, pixel),
                        h);
}

}  // namespace aimc::step
