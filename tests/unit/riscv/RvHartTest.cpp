// The plain engine: decoding, the timing model's closed forms (per class, load-use, taken branch), the
// decode cache seeing self-modified code, the external interrupt and the instruction limit.
#include <gtest/gtest.h>

#include "aimc/riscv/RvDecoder.h"
#include "aimc/riscv/RvHart.h"

namespace aimc::riscv {
namespace {

uint32_t r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
uint32_t i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  return (static_cast<uint32_t>(imm & 0xFFF) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
uint32_t addi(uint32_t rd, uint32_t rs1, int32_t imm) {
  return i_type(imm, rs1, 0, rd, 0x13);
}
uint32_t lw(uint32_t rd, uint32_t rs1, int32_t imm) {
  return i_type(imm, rs1, 2, rd, 0x03);
}
uint32_t sw(uint32_t rs2, uint32_t rs1, int32_t imm) {
  const uint32_t u = static_cast<uint32_t>(imm);
  return ((u >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | ((u & 31) << 7) | 0x23;
}
uint32_t beq(uint32_t rs1, uint32_t rs2, int32_t off) {
  const uint32_t u = static_cast<uint32_t>(off);
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3F) << 25) | (rs2 << 20) | (rs1 << 15) |
         (((u >> 1) & 0xF) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
constexpr uint32_t kBase = 0x1000;

struct Machine {
  RvUnmappedBus bus;
  RvHart hart;
  explicit Machine(const std::vector<uint32_t>& code, RvTiming t = RvTiming{}) : hart(t, bus) {
    hart.add_ram(kBase, 0x1000);
    hart.write_ram(kBase, reinterpret_cast<const uint8_t*>(code.data()), code.size() * 4);
    hart.reset(kBase);
  }
};

TEST(RvDecoder, DecodesFieldsAndRejectsForeignEncodings) {
  const RvInstruction d = RvDecoder::decode(addi(5, 6, -7));
  EXPECT_EQ(d.op, RvOp::kAddi);
  EXPECT_EQ(d.rd, 5);
  EXPECT_EQ(d.rs1, 6);
  EXPECT_EQ(d.imm, -7);
  EXPECT_EQ(d.rs2, 0);  // not a register of an I-type
  EXPECT_EQ(RvDecoder::decode(addi(0, 1, 1)).rd, kSinkReg);
  EXPECT_EQ(RvDecoder::decode(r_type(1, 3, 2, 4, 1, 0x33)).op, RvOp::kDiv);
  EXPECT_EQ(RvDecoder::decode(r_type(1, 3, 2, 4, 1, 0x33)).cls, RvClass::kDiv);
  EXPECT_EQ(RvDecoder::decode(0x4501).op, RvOp::kIllegal);                          // compressed c.li
  EXPECT_EQ(RvDecoder::decode(0x0000'3003).op, RvOp::kIllegal);                     // ld (RV64)
  EXPECT_EQ(RvDecoder::decode(r_type(0x20, 3, 2, 1, 1, 0x33)).op, RvOp::kIllegal);  // no "sub" form of sll
}

TEST(RvHart, TimingFollowsTheClosedForm) {
  RvTiming t;
  t.mul_cycles = 3;
  t.div_cycles = 37;
  t.load_use_penalty = 1;
  t.branch_penalty = 2;
  t.sram_latency = 1;
  // addi, sw, lw, use of the loaded register (load-use), mul, div, taken beq to itself... then stop by limit.
  const uint32_t lui_x1_kbase = (1u << 12) | (1u << 7) | 0x37;  // lui x1, 1: x1 = kBase
  Machine m({lui_x1_kbase, addi(1, 1, 0x100), addi(2, 0, 9), sw(2, 1, 0), lw(3, 1, 0), addi(4, 3, 1),
             r_type(1, 2, 3, 0, 5, 0x33), r_type(1, 2, 3, 4, 6, 0x33), beq(0, 0, 0)},
            t);
  ASSERT_EQ(m.hart.run(UINT64_MAX, 9), RvHart::Stop::kInstructionLimit);
  // 9 instructions, +1 store latency, +1 load latency, +1 load-use, +2 mul, +36 div, +2 taken branch.
  EXPECT_EQ(m.hart.cycle(), 9u + 1 + 1 + 1 + 2 + 36 + 2);
  EXPECT_EQ(m.hart.stall_cycles(), 3u);
  EXPECT_EQ(m.hart.reg(4), 10u);
  EXPECT_EQ(m.hart.reg(5), 81u);
  EXPECT_EQ(m.hart.reg(6), 1u);
  EXPECT_EQ(m.hart.class_count(RvClass::kAlu), 4u);
  EXPECT_EQ(m.hart.class_count(RvClass::kLoad), 1u);
  EXPECT_EQ(m.hart.class_count(RvClass::kStore), 1u);
  EXPECT_EQ(m.hart.class_count(RvClass::kMul), 1u);
  EXPECT_EQ(m.hart.class_count(RvClass::kDiv), 1u);
  EXPECT_EQ(m.hart.class_count(RvClass::kBranch), 1u);
  EXPECT_EQ(m.hart.pc(), kBase + 8 * 4);  // the branch loops on itself
  // A not-taken load-use: the consumer after an independent instruction pays nothing.
  Machine n({lui_x1_kbase, lw(3, 1, 0), addi(4, 0, 1), addi(5, 3, 0)}, t);
  n.hart.run(UINT64_MAX, 4);
  EXPECT_EQ(n.hart.cycle(), 4u + 1);
}

TEST(RvHart, StoresInvalidateTheDecodeCache) {
  // Word 1 runs once (and is cached), is overwritten with "addi x7, x7, 100" and runs again: the second time
  // must execute the new instruction.
  const uint32_t new_word = addi(7, 7, 100);
  RvUnmappedBus bus;
  RvHart h(RvTiming{}, bus);
  h.add_ram(0, 0x1000);
  const std::vector<uint32_t> prog = {addi(7, 0, 0), addi(7, 7, 1), lw(10, 0, 0x400), sw(10, 0, 4),
                                      i_type(4, 0, 0, 0, 0x67) /* jalr x0, 4(x0) */};
  h.write_ram(0, reinterpret_cast<const uint8_t*>(prog.data()), prog.size() * 4);
  h.write_ram(0x400, reinterpret_cast<const uint8_t*>(&new_word), 4);
  h.reset(0);
  h.run(UINT64_MAX, 6);
  EXPECT_EQ(h.reg(7), 101u);
}

TEST(RvHart, ExternalInterruptTrapsThroughVectoredMtvec) {
  // mtvec = 0x1100 | 1 (vectored): the external interrupt (cause 11) lands at 0x1100 + 4 * 11.
  const std::vector<uint32_t> code = {(1u << 12) | (1u << 7) | 0x37,                    // lui x1, 1
                                      addi(1, 1, 0x101),                                // x1 = 0x1101
                                      (0x305u << 20) | (1u << 15) | (1u << 12) | 0x73,  // csrw mtvec, x1
                                      addi(2, 0, -2048),  // x2 has bit 11 (MEIP) set
                                      (0x304u << 20) | (2u << 15) | (1u << 12) | 0x73,  // csrw mie, x2
                                      (0x300u << 20) | (8u << 15) | (6u << 12) | 0x73,  // csrsi mstatus, MIE
                                      0x10500073,                                       // wfi
                                      addi(3, 0, 1)};
  Machine m(code);
  const uint32_t handler = addi(4, 0, 44);
  m.hart.write_ram(0x1100 + 44, reinterpret_cast<const uint8_t*>(&handler), 4);
  EXPECT_EQ(m.hart.run(UINT64_MAX, 100), RvHart::Stop::kWaitForInterrupt);
  EXPECT_EQ(m.hart.instret(), 7u);
  m.hart.set_external_interrupt(true);
  m.hart.run(UINT64_MAX, m.hart.instret() + 1);
  EXPECT_EQ(m.hart.mcause(), 0x8000'000Bu);
  EXPECT_EQ(m.hart.mepc(), kBase + 7 * 4);  // the instruction after wfi
  EXPECT_EQ(m.hart.reg(4), 44u);
  EXPECT_EQ(m.hart.reg(3), 0u);
}

TEST(RvHart, UnfetchableTrapHandlerStopsInsteadOfLooping) {
  Machine m({0xFFFF'FFFFu});  // illegal, mtvec = 0 is not in RAM
  EXPECT_EQ(m.hart.run(UINT64_MAX, 100), RvHart::Stop::kFatal);
  EXPECT_NE(m.hart.fatal_reason().find("not in memory"), std::string::npos);
}

}  // namespace
}  // namespace aimc::riscv
