#pragma once
// One typed struct per operation of the controllers (the list: isa/OpcodeList.h), with its encoding into the
// six argument words of a Command and back. Every PIXEL-dependent field is relative to the PIXEL register:
// the iteration of the enclosing kLoop (0 outside a loop). What each operation does to the data is its
// functional step (isa/FunctionalSteps.h); the blocks of hw/ add time to it.
//
// encode() asserts that the fields fit their words (the compiler checks fits() first and reports a network
// that needs more as a user error); decode() asserts the opcode.
#include <cstdint>

#include "aimc/isa/Command.h"
#include "aimc/numerics/GdpuCell.h"

namespace aimc::isa {

// Block until bytes + PIXEL * bytes_per_pixel bytes of this sample arrived in slot `tag` (a single producer
// sends a partial-sum map in pixel order).
struct WaitInput {
  static constexpr CommandOp kOp = CommandOp::kWaitInput;
  uint32_t tag = 0, bytes = 0, bytes_per_pixel = 0;
  Command encode() const;
  static WaitInput decode(const Command& c);
};

// Gather the patch of PIXEL from slot `input_tag` (ConvGeometry), PWM it into the crossbar (read index
// sample * pixels + PIXEL), the ADCs convert; the slot is released after the last pixel.
struct Mvm {
  static constexpr CommandOp kOp = CommandOp::kMvm;
  uint32_t input_tag = 0;
  uint32_t pixels = 0;  // of the loop (0 = 1)
  Command encode() const;
  static Mvm decode(const Command& c);
};

// The digital unit makes n INT8 values at byte PIXEL * n of slot `output_tag` (n = the piece's output
// channels) from the ADC counters, or in the residual pass (register bank 1) from the INT8 values of slot
// `source_tag`; plus the side input (partial sum or skip) of slot `side_tag` at the same offset, released
// after the last pixel.
struct Digital {
  static constexpr CommandOp kOp = CommandOp::kDigital;
  uint32_t output_tag = 0, side_tag = kNoSlot;
  uint32_t pixels = 0;  // of the loop (0 = 1)
  uint32_t source_tag = 0;
  bool residual = false;
  Command encode() const;
  static Digital decode(const Command& c);
};

// One contiguous block: `bytes` from slot `src_tag` at src_offset to (dst_core, dst_tag) at dst_offset; both
// offsets advance by PIXEL * bytes (inside a loop: the PIXEL-th block). dst_core kOutputPort = chip output.
struct Send {
  static constexpr CommandOp kOp = CommandOp::kSend;
  uint32_t src_tag = 0, dst_core = 0, dst_tag = 0, dst_offset = 0, src_offset = 0, bytes = 0;
  Command encode() const;
  static Send decode(const Command& c);
};

// The controllers named meet at barrier `id` (hw/ControllerMailbox); `when`: kBarrierEverySample or
// kBarrierBatchEnd.
struct Barrier {
  static constexpr CommandOp kOp = CommandOp::kBarrier;
  uint32_t id = 0, participants = 0, when = kBarrierEverySample;
  Command encode() const;
  static Barrier decode(const Command& c);
};

// Run the next `body` commands `count` times with PIXEL = 0 .. count - 1 (no nesting).
struct Loop {
  static constexpr CommandOp kOp = CommandOp::kLoop;
  uint32_t count = 0, body = 0;
  Command encode() const;
  static Loop decode(const Command& c);
};

// The digital unit pools the map of slot `src_tag` into slot `dst_tag` (the piece's PoolGeometry).
struct Pool {
  static constexpr CommandOp kOp = CommandOp::kPool;
  uint32_t src_tag = 0, dst_tag = 0;
  Command encode() const;
  static Pool decode(const Command& c);
};

// Strided rows: `rows` rows of row_bytes, from src_offset + r * src_stride of slot `src_tag` to dst_offset +
// r * dst_stride of the destination (16 bits each for rows, row bytes, strides and the destination core and
// tag, as the words hold them).
struct RowTransfer {
  uint32_t dst_offset = 0, src_offset = 0, rows = 1, row_bytes = 0, src_stride = 0, dst_stride = 0;
  bool fits() const;
  uint64_t src_end() const { return src_offset + uint64_t{rows - 1} * src_stride + row_bytes; }
  uint64_t dst_end() const { return dst_offset + uint64_t{rows - 1} * dst_stride + row_bytes; }
};

// One packet gathering strided rows (a channel range of every pixel of a map) to one (core, tag).
struct SendRows {
  static constexpr CommandOp kOp = CommandOp::kSendRows;
  uint32_t src_tag = 0, dst_core = 0, dst_tag = 0;  // dst_core kOutputPort = chip output
  RowTransfer rows;
  bool fits() const;
  Command encode() const;
  static SendRows decode(const Command& c);
};

// One packet over the network's multicast tree to every (core, tag) of multicast group `group`
// (Mapping::multicast_groups), each getting the same bytes at the same offsets.
struct Multicast {
  static constexpr CommandOp kOp = CommandOp::kMulticast;
  uint32_t src_tag = 0, group = 0;
  RowTransfer rows;
  Command encode() const;
  static Multicast decode(const Command& c);
};

// The digital unit runs the piece's depthwise conv (DepthwiseKernel) over the whole map of slot `input_tag`,
// pixel by pixel, into slot `output_tag` (no kLoop: its address generator walks the pixels); the input slot
// is released at the end.
struct Depthwise {
  static constexpr CommandOp kOp = CommandOp::kDepthwise;
  uint32_t input_tag = 0, output_tag = 0, pixels = 0;
  Command encode() const;
  static Depthwise decode(const Command& c);
};

// The core's DMA copies configuration table `table_tag` (config_tag) of `channels` channels from SRAM into
// the digital unit's register bank `bank` (0, or 1 for the residual pass), from channel `first_channel` on (a
// piece packed at an output-line offset, isa/Mapping.h); once at the start of a run.
struct Configure {
  static constexpr CommandOp kOp = CommandOp::kConfigure;
  uint32_t table_tag = 0, channels = 0, bank = 0, first_channel = 0;
  Command encode() const;
  static Configure decode(const Command& c);
};

// The DMA copies `bytes` from slot `src_tag` at src_offset, every stride-th byte (1 = contiguous), to slot
// `dst_tag` at dst_offset.
struct DmaCopy {
  static constexpr CommandOp kOp = CommandOp::kDmaCopy;
  uint32_t src_tag = 0, dst_tag = 0, bytes = 0, src_offset = 0, dst_offset = 0, stride = 1;
  Command encode() const;
  static DmaCopy decode(const Command& c);
};

// The digital unit runs every pixel's `channels` INT8 values of slot `input_tag` through its registers (a
// per-channel affine: scale, bias, the fused ReLU) into slot `output_tag`, over the whole map on its own like
// kDepthwise; no crossbar read. With a side input (slot `side_tag`, the same map shape) the unit adds it at
// its side scale: an element-wise Add of two maps. The input and side slots are released at the end.
struct Affine {
  static constexpr CommandOp kOp = CommandOp::kAffine;
  uint32_t input_tag = 0, output_tag = 0, pixels = 0, channels = 0, side_tag = kNoSlot;
  Command encode() const;
  static Affine decode(const Command& c);
};

// The core's network interface streams one cell step's gate pre-activations (4 x units INT8 values, the gates
// interleaved per unit: numerics/GdpuCell.h) from byte PIXEL * 4 * units of slot `input_tag` into the GDPU
// slice this core feeds (hw/Gdpu; one value per GDPU cycle); the slice runs the `kind` cell with scale bank
// `bank` on its state registers [state_offset, state_offset + units) and sends the units INT8 values of h to
// (dst_core, dst_tag) at byte dst_offset + PIXEL * units (dst_core kOutputPort = chip output). With `first`
// the state reads as zero at PIXEL 0 (a sequence starts: a timestep loop's PIXEL is the timestep). The input
// slot is released after the last of `pixels` (0 = 1) PIXELs.
struct GdpuStep {
  static constexpr CommandOp kOp = CommandOp::kGdpuStep;
  uint32_t input_tag = 0, dst_core = 0, dst_tag = 0, dst_offset = 0, pixels = 0;
  uint32_t units = 0, state_offset = 0, bank = 0;
  GdpuCellKind kind = GdpuCellKind::kLstm;
  bool first = false;
  uint32_t gate_bytes() const { return kGdpuGatesPerUnit * units; }
  bool fits() const;  // 16 bits each for the core, tag, offsets, pixels, units and bank
  Command encode() const;
  static GdpuStep decode(const Command& c);
};

}  // namespace aimc::isa
