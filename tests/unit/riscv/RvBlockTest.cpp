// The block engine (RvBlock, RvHart::run_block) against the same hart executing one instruction at a time (a
// trace hook forces that path): random programs with loads and stores (local RAM, misaligned, unmapped, the
// timer, into the code itself), branches and jumps (some misaligned), multiply/divide, CSR reads of mcycle
// and minstret, ecall and a timer interrupt, run in random slices of cycle budget and instruction limit.
// Every register, pc, counter (cycles, instret, stalls, per class, traps) and the RAM must be equal after
// every slice.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "aimc/isa/RegisterMap.h"
#include "aimc/riscv/RvDecoder.h"
#include "aimc/riscv/RvHart.h"

namespace aimc::riscv {
namespace {

uint32_t r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
}
uint32_t i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
  return (static_cast<uint32_t>(imm & 0xFFF) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
uint32_t s_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  const auto u = static_cast<uint32_t>(imm);
  return (((u >> 5) & 0x7F) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 31) << 7) | 0x23;
}
uint32_t b_type(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  const auto u = static_cast<uint32_t>(off);
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3F) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
         (((u >> 1) & 0xF) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
uint32_t jal(int32_t off, uint32_t rd) {
  const auto u = static_cast<uint32_t>(off);
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3FF) << 21) | (((u >> 11) & 1) << 20) |
         (((u >> 12) & 0xFF) << 12) | (rd << 7) | 0x6F;
}
uint32_t csr(uint32_t number, uint32_t rs1, uint32_t f3, uint32_t rd) {
  return (number << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x73;
}

constexpr uint32_t kBase = 0x1000, kCodeWords = 512, kHandler = kBase + 4 * kCodeWords;
// Registers: x1..x7 random values, x8 the data area, x9 the code, x10 an encoded instruction, x11 the timer,
// x12 an unmapped address; x28..x31 belong to the trap handler.
constexpr uint32_t kData = kBase + 0x1000;

// x28..x31: an exception skips the instruction (mepc + 4); the timer interrupt sets mtimecmp 97 cycles on.
std::vector<uint32_t> handler() {
  return {
      csr(0x342, 0, 2, 28),             // csrr x28, mcause
      b_type(20, 0, 28, 4),             // blt x28, x0, irq
      csr(0x341, 0, 2, 29),             // csrr x29, mepc
      i_type(4, 29, 0, 29, 0x13),       // addi x29, x29, 4
      csr(0x341, 29, 1, 0),             // csrw mepc, x29
      0x30200073,                       // mret
      0x0200C000u | (31u << 7) | 0x37,  // irq: lui x31, 0x0200C (mtime at -8)
      i_type(-8, 31, 2, 29, 0x03),      // lw x29, -8(x31)
      i_type(97, 29, 0, 29, 0x13),      // addi x29, x29, 97
      0x02004000u | (30u << 7) | 0x37,  // lui x30, 0x02004 (mtimecmp)
      s_type(0, 29, 30, 2),             // sw x29, 0(x30)
      0x30200073,                       // mret
  };
}

void li(std::vector<uint32_t>& code, uint32_t rd, uint32_t value) {
  const uint32_t hi = (value + 0x800) & 0xFFFFF000u;
  code.push_back(hi | (rd << 7) | 0x37);
  code.push_back(i_type(static_cast<int32_t>(value - hi), rd, 0, rd, 0x13));
}

uint32_t random_instruction(std::mt19937& rng, uint32_t index) {
  auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  auto reg = [&] { return 1 + pick(7); };
  const uint32_t kind = pick(100);
  if (kind < 30) {  // ALU register-register and M extension
    static const uint32_t kRr[][2] = {{0, 0}, {0x20, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4},
                                      {0, 5}, {0x20, 5}, {0, 6}, {0, 7}, {1, 0}, {1, 1},
                                      {1, 2}, {1, 3},    {1, 4}, {1, 5}, {1, 6}, {1, 7}};
    const auto& f = kRr[pick(18)];
    return r_type(f[0], reg(), reg(), f[1], pick(10) == 0 ? 0 : reg());
  }
  if (kind < 50) {  // ALU immediate, lui, auipc
    const uint32_t f3 = pick(9);
    if (f3 == 7) return (rng() & 0xFFFFF000u) | (reg() << 7) | 0x37;
    if (f3 == 8) return (rng() & 0xFFFFF000u) | (reg() << 7) | 0x17;
    if (f3 == 1) return i_type(static_cast<int32_t>(pick(32)), reg(), 1, reg(), 0x13);
    if (f3 == 5) return i_type(static_cast<int32_t>(pick(32) | (pick(2) << 10)), reg(), 5, reg(), 0x13);
    return i_type(static_cast<int32_t>(pick(4096)) - 2048, reg(), f3, reg(), 0x13);
  }
  if (kind < 62) {  // loads: the data area (sometimes misaligned), the timer, an unmapped address
    static const uint32_t kLoadF3[] = {0, 1, 2, 4, 5};
    const uint32_t f3 = kLoadF3[pick(5)];
    const uint32_t where = pick(20);
    if (where == 0) return i_type(-8, 11, 2, reg(), 0x03);  // mtime
    if (where == 1) return i_type(0, 12, f3, reg(), 0x03);
    const int32_t off = static_cast<int32_t>(pick(64) * 4 + (pick(8) == 0 ? pick(4) : 0));
    return i_type(off, 8, f3, reg(), 0x03);
  }
  if (kind < 74) {  // stores: the data area, the code (the instruction in x10), an unmapped address
    const uint32_t f3 = pick(3), where = pick(20);
    if (where == 0) return s_type(static_cast<int32_t>(4 * pick(kCodeWords)), 10, 9, 2);
    if (where == 1) return s_type(0, reg(), 12, f3);
    const int32_t off = static_cast<int32_t>(pick(64) * 4 + (pick(8) == 0 ? pick(4) : 0));
    return s_type(off, reg(), 8, f3);
  }
  if (kind < 88) {  // branches and jal within the code (backwards ones short, so loops end by chance)
    const int32_t lo = -static_cast<int32_t>(std::min<uint32_t>(index, 6)),
                  hi = static_cast<int32_t>(std::min<uint32_t>(kCodeWords - 1 - index, 24));
    const int32_t words = lo + static_cast<int32_t>(pick(static_cast<uint32_t>(hi - lo + 1)));
    const int32_t off = words * 4 + (pick(30) == 0 ? 2 : 0);  // a misaligned target now and then
    if (pick(5) == 0) return jal(off == 0 ? 4 : off, pick(2) == 0 ? 0 : reg());
    static const uint32_t kBranchF3[] = {0, 1, 4, 5, 6, 7};
    return b_type(off == 0 ? 4 : off, reg(), reg(), kBranchF3[pick(6)]);
  }
  if (kind < 92)
    return i_type(static_cast<int32_t>(4 * (index + 1 + pick(8))), 9, 0, pick(2) ? 0 : reg(), 0x67);
  if (kind < 96) return csr(pick(2) ? 0xB00 : 0xB02, 0, 2, reg());  // csrr mcycle / minstret
  if (kind < 98) return 0x00000073;                                 // ecall
  return pick(2) ? 0x0000000F : 0xFFFFFFFFu;                        // fence, an illegal word
}

struct Machine {
  RvUnmappedBus bus;
  RvHart hart;
  explicit Machine(const std::vector<uint32_t>& image, bool one_at_a_time) : hart(RvTiming{}, bus) {
    hart.add_ram(kBase, 0x2000);
    hart.write_ram(kBase, reinterpret_cast<const uint8_t*>(image.data()), image.size() * 4);
    if (one_at_a_time) hart.trace = [](uint32_t, const RvInstruction&) {};
    hart.reset(kBase);
  }
};

void expect_same(const RvHart& a, const RvHart& b, const std::string& where) {
  ASSERT_EQ(a.pc(), b.pc()) << where;
  ASSERT_EQ(a.cycle(), b.cycle()) << where;
  ASSERT_EQ(a.instret(), b.instret()) << where;
  ASSERT_EQ(a.stall_cycles(), b.stall_cycles()) << where;
  ASSERT_EQ(a.traps(), b.traps()) << where;
  ASSERT_EQ(a.mcause(), b.mcause()) << where;
  for (int c = 0; c < static_cast<int>(RvClass::kCount); ++c)
    ASSERT_EQ(a.class_count(static_cast<RvClass>(c)), b.class_count(static_cast<RvClass>(c))) << where;
  for (int r = 0; r < 32; ++r) ASSERT_EQ(a.reg(r), b.reg(r)) << where << " x" << r;
  std::vector<uint8_t> ra(0x2000), rb(0x2000);
  ASSERT_TRUE(a.read_ram(kBase, ra.data(), ra.size()));
  ASSERT_TRUE(b.read_ram(kBase, rb.data(), rb.size()));
  ASSERT_EQ(ra, rb) << where;
}

std::vector<uint32_t> random_program(uint32_t seed) {
  std::vector<uint32_t> code;
  li(code, 8, kData);
  li(code, 9, kBase);
  li(code, 10, i_type(1, 3, 0, 3, 0x13));  // addi x3, x3, 1
  li(code, 11, 0x0200C000u);
  li(code, 12, 0x90000000u);
  li(code, 5, kHandler);
  code.push_back(csr(0x305, 5, 1, 0));  // csrw mtvec, x5
  li(code, 30, 0x02004000u);
  code.push_back(s_type(4, 0, 30, 2));  // mtimecmp high word 0
  li(code, 5, 300);
  code.push_back(s_type(0, 5, 30, 2));  // mtimecmp = 300
  li(code, 5, 0x80);
  code.push_back(csr(0x304, 5, 1, 0));  // csrw mie, MTIE
  code.push_back(csr(0x300, 8, 6, 0));  // csrsi mstatus, MIE
  std::mt19937 rng(seed);
  while (code.size() < kCodeWords)
    code.push_back(random_instruction(rng, static_cast<uint32_t>(code.size())));
  for (uint32_t w : handler()) code.push_back(w);
  return code;
}

}  // namespace

TEST(RvBlock, BlocksRunExactlyAsOneInstructionAtATime) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    const std::vector<uint32_t> image = random_program(seed);
    Machine blocks(image, false), single(image, true);
    std::mt19937 slices(seed * 7919u);
    uint64_t block_instructions = 0;
    for (int slice = 0; slice < 200; ++slice) {
      const uint64_t until = blocks.hart.cycle() + 1 + slices() % 400;
      const uint64_t limit = blocks.hart.instret() + 1 + slices() % 300;
      const RvHart::Stop a = blocks.hart.run(until, limit), b = single.hart.run(until, limit);
      ASSERT_EQ(a, b) << "seed " << seed << " slice " << slice;
      expect_same(blocks.hart, single.hart,
                  "seed " + std::to_string(seed) + " slice " + std::to_string(slice));
      if (a == RvHart::Stop::kFatal || a == RvHart::Stop::kHalted) break;
      block_instructions = blocks.hart.instret();
    }
    EXPECT_GT(block_instructions, 0u) << "seed " << seed;
  }
}

TEST(RvBlock, BuildsUpToTheFirstJumpAndChargesItsCycles) {
  RvTiming t;
  const uint32_t words[] = {
      i_type(0, 8, 2, 5, 0x03),  // lw x5, 0(x8)
      r_type(0, 5, 1, 0, 2),     // add x2, x1, x5: load-use
      r_type(1, 2, 2, 0, 3),     // mul x3, x2, x2
      b_type(-12, 0, 0, 0),      // beq x0, x0, -12: ends the block
      r_type(0, 1, 1, 0, 1),     // not in it
  };
  const RvBlock b = rv_build_block(0, words, 5, t);
  ASSERT_EQ(b.ops.size(), 4u);
  EXPECT_EQ(b.ops[1].cost, 1 + t.load_use_penalty);
  EXPECT_EQ(b.ops[2].cost, t.mul_cycles);
  EXPECT_EQ(b.cycles, 1 + t.sram_latency + 1 + t.load_use_penalty + t.mul_cycles + 1);
  EXPECT_EQ(b.cycles_before_last, b.cycles - 1);
  EXPECT_EQ(b.stalls, t.sram_latency + t.load_use_penalty);
  // A CSR instruction runs alone: a block starting at it is empty, one reaching it ends before it.
  const uint32_t with_csr[] = {r_type(0, 1, 1, 0, 1), csr(0xB00, 0, 2, 5)};
  EXPECT_EQ(rv_build_block(0, with_csr, 2, t).ops.size(), 1u);
  EXPECT_TRUE(rv_build_block(0, with_csr + 1, 1, t).ops.empty());
}

}  // namespace aimc::riscv
