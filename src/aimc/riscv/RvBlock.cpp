#include "aimc/riscv/RvBlock.h"

#include <array>

#include "aimc/riscv/RvDecoder.h"
#include "aimc/riscv/RvExecute.h"

namespace aimc::riscv {

bool rv_in_block(RvOp op) {
  if (rv_is_csr(op)) return false;
  switch (op) {
    case RvOp::kIllegal:
    case RvOp::kEcall:
    case RvOp::kEbreak:
    case RvOp::kMret:
    case RvOp::kWfi:
      return false;
    default:
      return true;
  }
}

namespace {

// The cycles the engine charges after an instruction's own one (RvTiming.h), when its access is to local RAM.
uint32_t extra_cycles(RvClass cls, const RvTiming& t) {
  switch (cls) {
    case RvClass::kMul:
      return t.mul_cycles - 1;
    case RvClass::kDiv:
      return t.div_cycles - 1;
    case RvClass::kLoad:
    case RvClass::kStore:
      return t.sram_latency;
    default:
      return 0;
  }
}

}  // namespace

RvBlock rv_build_block(uint32_t pc, const uint32_t* words, uint32_t count, const RvTiming& timing) {
  RvBlock b;
  b.pc = pc;
  uint8_t load_rd = kSinkReg;  // of the previous instruction in the block
  for (uint32_t i = 0; i < count && i < RvBlock::kMaxOps; ++i) {
    const RvInstruction d = RvDecoder::decode(words[i]);
    if (!rv_in_block(d.op)) break;
    RvBlockOp o;
    o.ins = d;
    const uint32_t load_use =
        (load_rd != kSinkReg && (d.rs1 == load_rd || d.rs2 == load_rd)) ? timing.load_use_penalty : 0;
    const uint32_t memory = (d.cls == RvClass::kLoad || d.cls == RvClass::kStore) ? timing.sram_latency : 0;
    o.cost = load_use + 1 + extra_cycles(d.cls, timing);
    o.stall = load_use + memory;
    b.ops.push_back(o);
    load_rd = d.cls == RvClass::kLoad ? d.rd : kSinkReg;
    if (d.op == RvOp::kJal || d.op == RvOp::kJalr || rv_is_branch(d.op)) break;
  }
  std::array<uint32_t, static_cast<int>(RvClass::kCount)> classes{};
  for (size_t i = 0; i < b.ops.size(); ++i) {
    b.cycles += b.ops[i].cost;
    b.stalls += b.ops[i].stall;
    ++classes[static_cast<int>(b.ops[i].ins.cls)];
    if (i + 1 < b.ops.size()) b.cycles_before_last += b.ops[i].cost;
  }
  for (size_t c = 0; c < classes.size(); ++c)
    if (classes[c] != 0) b.class_counts.emplace_back(static_cast<uint8_t>(c), classes[c]);
  return b;
}

}  // namespace aimc::riscv
