#include "aimc/isa/Instructions.h"

#include <algorithm>

#include "aimc/base/Error.h"

namespace aimc::isa {

namespace {

constexpr uint32_t kHalf = 0xFFFFu;

uint32_t pack16(uint32_t high, uint32_t low) {
  AIMC_ASSERT_MSG(high <= kHalf && low <= kHalf, "a packed instruction field exceeds 16 bits");
  return high << 16 | low;
}
uint32_t high16(uint32_t word) {
  return word >> 16;
}
uint32_t low16(uint32_t word) {
  return word & kHalf;
}

const Command& expect(const Command& c, CommandOp op) {
  AIMC_ASSERT_MSG(c.op == op, op_name(op));
  return c;
}

// The destination core of a packed (core, tag) word: 0xFFFF is the chip's output port.
uint32_t pack_core(uint32_t core) {
  return core == kOutputPort ? kHalf : core;
}
uint32_t unpack_core(uint32_t core16) {
  return core16 == kHalf ? kOutputPort : core16;
}

Command encode_rows(CommandOp op, uint32_t a, uint32_t b, const RowTransfer& r) {
  return {
      op, a, b, r.dst_offset, r.src_offset, pack16(r.rows, r.row_bytes), pack16(r.src_stride, r.dst_stride)};
}
RowTransfer decode_rows(const Command& c) {
  return {c.c, c.d, high16(c.e), low16(c.e), high16(c.f), low16(c.f)};
}

}  // namespace

Command WaitInput::encode() const {
  return {kOp, tag, bytes, bytes_per_pixel};
}
WaitInput WaitInput::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, c.c};
}

Command Mvm::encode() const {
  return {kOp, input_tag, pixels};
}
Mvm Mvm::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b};
}

Command Digital::encode() const {
  return {kOp, output_tag, side_tag, pixels, residual ? source_tag : 0, residual ? 1u : 0u};
}
Digital Digital::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, c.c, c.d, c.e == 1};
}

Command Send::encode() const {
  return {kOp, src_tag, dst_core, dst_tag, dst_offset, src_offset, bytes};
}
Send Send::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, c.c, c.d, c.e, c.f};
}

Command Barrier::encode() const {
  return {kOp, id, participants, when};
}
Barrier Barrier::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, c.c};
}

Command Loop::encode() const {
  return {kOp, count, body};
}
Loop Loop::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b};
}

Command Pool::encode() const {
  return {kOp, src_tag, dst_tag};
}
Pool Pool::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b};
}

bool RowTransfer::fits() const {
  return rows <= kHalf && row_bytes <= kHalf && src_stride <= kHalf && dst_stride <= kHalf;
}

bool SendRows::fits() const {
  return rows.fits() && dst_tag <= kHalf && (dst_core == kOutputPort || dst_core < kHalf);
}
Command SendRows::encode() const {
  return encode_rows(kOp, src_tag, pack16(pack_core(dst_core), dst_tag), rows);
}
SendRows SendRows::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, unpack_core(high16(c.b)), low16(c.b), decode_rows(c)};
}

Command Multicast::encode() const {
  return encode_rows(kOp, src_tag, group, rows);
}
Multicast Multicast::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, decode_rows(c)};
}

Command Depthwise::encode() const {
  return {kOp, input_tag, output_tag, pixels};
}
Depthwise Depthwise::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, c.c};
}

Command Configure::encode() const {
  return {kOp, table_tag, channels, bank, first_channel};
}
Configure Configure::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, c.c, c.d};
}

Command DmaCopy::encode() const {
  return {kOp, src_tag, dst_tag, bytes, src_offset, dst_offset, stride};
}
DmaCopy DmaCopy::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, c.c, c.d, c.e, std::max<uint32_t>(c.f, 1)};
}

Command Affine::encode() const {
  return {kOp, input_tag, output_tag, pixels, channels, side_tag};
}
Affine Affine::decode(const Command& c) {
  expect(c, kOp);
  return {c.a, c.b, c.c, c.d, c.e};
}

bool GdpuStep::fits() const {
  return (dst_core == kOutputPort || dst_core < kHalf) &&
         std::max({dst_tag, dst_offset, pixels, units, state_offset, bank}) <= kHalf;
}
Command GdpuStep::encode() const {
  return {kOp,
          input_tag,
          pack16(pack_core(dst_core), dst_tag),
          pack16(pixels, dst_offset),
          pack16(units, state_offset),
          bank,
          static_cast<uint32_t>(kind) | (first ? 2u : 0u)};
}
GdpuStep GdpuStep::decode(const Command& c) {
  expect(c, kOp);
  GdpuStep g;
  g.input_tag = c.a;
  g.dst_core = unpack_core(high16(c.b));
  g.dst_tag = low16(c.b);
  g.pixels = high16(c.c);
  g.dst_offset = low16(c.c);
  g.units = high16(c.d);
  g.state_offset = low16(c.d);
  g.bank = c.e;
  AIMC_ASSERT_MSG((c.f & 1u) < kGdpuCellKinds, "gdpu_step: unknown cell kind");
  g.kind = static_cast<GdpuCellKind>(c.f & 1u);
  g.first = (c.f & 2u) != 0;
  return g;
}

}  // namespace aimc::isa
