#pragma once
// One functional step per operation: what an instruction of isa/Instructions.h does to the data, in plain C++
// (no SystemC, no time). The chip's blocks (hw/) call these and add time, contention and activity counts; the
// numerics-only executor (sim/MappedExecutor) calls them directly, so both compute the same bits.
//
// Buffers are one sample's slot (SRAM buffer) of a core; offsets are in bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "aimc/isa/Instructions.h"
#include "aimc/numerics/ConvGeometry.h"
#include "aimc/numerics/DepthwiseKernel.h"
#include "aimc/numerics/DigitalUnitImpl.h"
#include "aimc/numerics/GdpuCell.h"
#include "aimc/numerics/PoolGeometry.h"

namespace aimc::step {

// kWaitInput: the bytes of the slot that must have arrived before the command at `pixel` completes.
uint64_t wait_input_bytes(const isa::WaitInput& w, uint32_t pixel);

// kMvm: the PWM codes of pixel `pixel`'s patch (clamped to +-input_code_max); returns the bytes read from the
// slot. The crossbar read itself is CrossbarArray::mvm_codes with read index sample * pixels + pixel.
int64_t mvm_gather(const ConvGeometry& geometry, uint32_t pixel, const int8_t* slot, int32_t* codes,
                   int input_code_max);
uint64_t mvm_read_index(const isa::Mvm& m, uint64_t sample, uint32_t pixel);
bool mvm_releases_input(const isa::Mvm& m, uint32_t pixel);

// kDigital: the byte offset of pixel `pixel`'s n values in the output, side and source maps.
uint64_t digital_offset(const isa::Digital& d, uint32_t pixel, size_t n);
bool digital_releases_side(const isa::Digital& d, uint32_t pixel);
// kDigital: n INT8 values from the ADC counters (pos/neg, one row of the last MVM) or, in the residual pass,
// from the INT8 values `source` (split into unsigned magnitudes); plus the side input (nullptr = none).
// `scratch` holds the unsigned counters. Returns the unit's cycles.
uint64_t digital_from_counters(DigitalUnitImpl& unit, const int32_t* pos, const int32_t* neg, size_t n,
                               const int8_t* side, int8_t* out, std::vector<uint32_t>& scratch);
uint64_t digital_from_int8(DigitalUnitImpl& unit, const int8_t* source, size_t n, const int8_t* side,
                           int8_t* out, std::vector<uint32_t>& scratch);

// kDepthwise: the whole map, pixel by pixel, through the kernel and the unit (out: pixels * channels).
struct DepthwiseResult {
  uint64_t bytes_read = 0;
  uint64_t unit_cycles = 0;  // summed over the pixels
};
DepthwiseResult depthwise_map(const DepthwiseKernel& kernel, DigitalUnitImpl& unit, uint64_t pixels,
                              const int8_t* in, int8_t* out, std::vector<uint32_t>& scratch,
                              std::vector<int32_t>& codes);

// kAffine: every pixel's n INT8 values through the unit's registers, plus the same pixel's n values of the
// side map when `side` is not nullptr (out: pixels * n); returns the unit's cycles summed over the pixels.
uint64_t affine_map(DigitalUnitImpl& unit, uint64_t pixels, size_t n, const int8_t* in, const int8_t* side,
                    int8_t* out, std::vector<uint32_t>& scratch);

// kPool: the piece's pooling pass; returns the bytes read.
int64_t pool_map(const PoolGeometry& pool, const int8_t* in, int8_t* out);

// kSend: the PIXEL-th block as a one-row transfer (both offsets advance by pixel * bytes).
isa::RowTransfer send_transfer(const isa::Send& s, uint32_t pixel);
// kSend, kSendRows, kMulticast: gathers the rows of `t` from the source slot into a contiguous packet, and
// scatters a packet into the destination slot; copy_rows does both in one (no packet in between).
void gather_rows(const int8_t* src, const isa::RowTransfer& t, int8_t* packet);
void scatter_rows(const int8_t* packet, const isa::RowTransfer& t, int8_t* dst);
void copy_rows(const int8_t* src, const isa::RowTransfer& t, int8_t* dst);

// kDmaCopy: every stride-th byte of the source from src_offset into the destination at dst_offset.
uint64_t dma_source_end(const isa::DmaCopy& c);
void dma_copy(const isa::DmaCopy& c, const int8_t* src, int8_t* dst);

// kGdpuStep: the byte offset of PIXEL's gate vector in the input slot; where h goes (one row of `units`
// bytes); whether PIXEL is the last (the input slot is released) and whether the state starts from zero.
uint64_t gdpu_input_offset(const isa::GdpuStep& g, uint32_t pixel);
isa::RowTransfer gdpu_output_transfer(const isa::GdpuStep& g, uint32_t pixel);
bool gdpu_releases_input(const isa::GdpuStep& g, uint32_t pixel);
bool gdpu_starts_sequence(const isa::GdpuStep& g, uint32_t pixel);
// kGdpuStep: the slice's cell step (numerics/GdpuCell.h) on the gate vector `gates` (4 x units values) with
// the slice's state registers `state` (all of them: the step uses [state_offset, state_offset + units));
// writes the units values of h to `h`.
GdpuActivity gdpu_step(const isa::GdpuStep& g, uint32_t pixel, const GdpuBank& bank, const int8_t* gates,
                       Fp16* state, int8_t* h);

}  // namespace aimc::step
