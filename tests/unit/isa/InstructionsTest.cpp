// The instruction set: every operation's typed fields survive encode/decode, the packed words are the ones
// the firmware and the command-table engine read, and the opcode list agrees with the register map.
#include <gtest/gtest.h>

#include "aimc/base/Error.h"
#include "aimc/isa/Instructions.h"
#include "aimc/isa/RegisterMap.h"

namespace aimc {
namespace {

TEST(Instructions, EveryOpcodeHasAMnemonicAndABlock) {
  EXPECT_STREQ(op_name(CommandOp::kMvm), "mvm");
  EXPECT_STREQ(op_name(CommandOp::kSendRows), "send_rows");
  EXPECT_EQ(op_block(CommandOp::kMvm), CommandBlock::kTile);
  EXPECT_EQ(op_block(CommandOp::kPool), CommandBlock::kDigital);
  EXPECT_EQ(op_block(CommandOp::kDepthwise), CommandBlock::kDigital);
  EXPECT_EQ(op_block(CommandOp::kMulticast), CommandBlock::kNetwork);
  EXPECT_EQ(op_block(CommandOp::kWaitInput), CommandBlock::kNetwork);
  EXPECT_EQ(op_block(CommandOp::kConfigure), CommandBlock::kDma);
  EXPECT_EQ(op_block(CommandOp::kBarrier), CommandBlock::kMailbox);
  EXPECT_EQ(op_block(CommandOp::kLoop), CommandBlock::kController);
  EXPECT_EQ(block_base(CommandBlock::kDma), regmap::kDmaBase);
  EXPECT_EQ(regmap::kOpDmaCopy, static_cast<uint64_t>(CommandOp::kDmaCopy));
  EXPECT_EQ(op_block(CommandOp::kAffine), CommandBlock::kDigital);
  EXPECT_EQ(op_block(CommandOp::kGdpuStep), CommandBlock::kNetwork);
  EXPECT_STREQ(op_name(CommandOp::kGdpuStep), "gdpu_step");
  EXPECT_EQ(kOpCount, 14u);
}

// A GO register written by firmware may hold any byte: the tables answer, never read past their end.
TEST(Instructions, AnOpcodeOffTheListIsUnknown) {
  const auto bad = static_cast<CommandOp>(200);
  EXPECT_FALSE(op_known(bad));
  EXPECT_STREQ(op_name(bad), "unknown");
  EXPECT_EQ(op_block(bad), CommandBlock::kController);
}

TEST(Instructions, TypedFieldsRoundTrip) {
  const isa::Digital d{7, 9, 16, 3, true};
  const isa::Digital back = isa::Digital::decode(d.encode());
  EXPECT_EQ(back.output_tag, 7u);
  EXPECT_EQ(back.side_tag, 9u);
  EXPECT_EQ(back.pixels, 16u);
  EXPECT_EQ(back.source_tag, 3u);
  EXPECT_TRUE(back.residual);
  const isa::Send s{1, 2, 3, 4, 5, 6};
  const Command c = s.encode();
  EXPECT_EQ(c.op, CommandOp::kSend);
  const isa::Send sb = isa::Send::decode(c);
  EXPECT_EQ(sb.dst_core, 2u);
  EXPECT_EQ(sb.bytes, 6u);
  const isa::Loop l = isa::Loop::decode(isa::Loop{1024, 3}.encode());
  EXPECT_EQ(l.count, 1024u);
  EXPECT_EQ(l.body, 3u);
}

TEST(Instructions, GdpuStepFieldsRoundTrip) {
  for (const bool to_output : {false, true}) {
    isa::GdpuStep g;
    g.input_tag = 0x12345;
    g.dst_core = to_output ? kOutputPort : 24;
    g.dst_tag = 0xFFFE;
    g.dst_offset = 300;
    g.pixels = 35;
    g.units = 64;
    g.state_offset = 7;
    g.bank = 3;
    g.kind = to_output ? GdpuCellKind::kGru : GdpuCellKind::kLstm;
    g.first = to_output;
    ASSERT_TRUE(g.fits());
    const isa::GdpuStep b = isa::GdpuStep::decode(g.encode());
    EXPECT_EQ(b.input_tag, g.input_tag);
    EXPECT_EQ(b.dst_core, g.dst_core);
    EXPECT_EQ(b.dst_tag, g.dst_tag);
    EXPECT_EQ(b.dst_offset, g.dst_offset);
    EXPECT_EQ(b.pixels, g.pixels);
    EXPECT_EQ(b.units, g.units);
    EXPECT_EQ(b.state_offset, g.state_offset);
    EXPECT_EQ(b.bank, g.bank);
    EXPECT_EQ(b.kind, g.kind);
    EXPECT_EQ(b.first, g.first);
    EXPECT_EQ(b.gate_bytes(), 256u);
  }
  isa::GdpuStep wide;
  wide.units = 0x10000;
  EXPECT_FALSE(wide.fits());
}

// The packed words are the controller's contract with the firmware (src/firmware) and the blocks' registers.
TEST(Instructions, SendRowsPacksCoreTagRowsAndStrides) {
  const isa::SendRows s{0x8001, 5, 0x4003, {10, 20, 7, 32, 64, 48}};
  ASSERT_TRUE(s.fits());
  const Command c = s.encode();
  EXPECT_EQ(c.a, 0x8001u);
  EXPECT_EQ(c.b, (5u << 16) | 0x4003u);
  EXPECT_EQ(c.c, 10u);
  EXPECT_EQ(c.d, 20u);
  EXPECT_EQ(c.e, (7u << 16) | 32u);
  EXPECT_EQ(c.f, (64u << 16) | 48u);
  const isa::SendRows back = isa::SendRows::decode(c);
  EXPECT_EQ(back.dst_core, 5u);
  EXPECT_EQ(back.rows.src_end(), 20u + 6u * 64u + 32u);
  EXPECT_EQ(back.rows.dst_end(), 10u + 6u * 48u + 32u);
}

TEST(Instructions, OutputPortSurvivesThe16BitCoreField) {
  const isa::SendRows s{1, kOutputPort, 0, {0, 0, 2, 4, 8, 4}};
  const Command c = s.encode();
  EXPECT_EQ(c.b >> 16, 0xFFFFu);
  EXPECT_EQ(isa::SendRows::decode(c).dst_core, kOutputPort);
}

TEST(Instructions, FieldsBeyond16BitsDoNotFit) {
  EXPECT_FALSE((isa::RowTransfer{0, 0, 0x10000, 1, 0, 0}.fits()));
  EXPECT_FALSE((isa::SendRows{0, 0x10000, 0, {}}.fits()));
  EXPECT_TRUE((isa::RowTransfer{0, 0, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF}.fits()));
}

TEST(Instructions, DmaCopyStrideZeroMeansContiguous) {
  const Command c{CommandOp::kDmaCopy, 1, 2, 3, 4, 5, 0};
  EXPECT_EQ(isa::DmaCopy::decode(c).stride, 1u);
}

TEST(InstructionsDeathTest, DecodingTheWrongOpcodeIsABug) {
  const Command c = isa::Mvm{1, 1}.encode();
  EXPECT_DEATH(isa::Pool::decode(c), "pool");
}

}  // namespace
}  // namespace aimc
