#pragma once
// A decoded basic block of the hart: the instructions from one address up to and including the first branch
// or jump (or up to an instruction that must run alone: CSR, ecall, ebreak, mret, wfi, illegal; or the end of
// the 4 KiB decode page; at most kMaxOps), with what the timing model charges for them known before they run.
// RvHart::run_block executes it in a tight loop and charges the cycles, instret and class counts once; it
// falls back to one instruction at a time where a block's instruction needs more than local RAM (a
// memory-mapped access, a trap, a store into decoded code, the HTIF watch), so results stay those of the
// one-at-a-time engine.
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "aimc/config/RvTiming.h"
#include "aimc/riscv/RvInstruction.h"

namespace aimc::riscv {

struct RvBlockOp {
  RvInstruction ins;
  uint32_t cost = 0;   // cycles before the next instruction starts: load-use penalty + 1 + mul/div/SRAM extra
  uint32_t stall = 0;  // of those, load-use and SRAM latency (the stall_cycles counter)
};

struct RvBlock {
  static constexpr uint32_t kMaxOps = 64;

  uint32_t pc = 0;
  std::vector<RvBlockOp> ops;  // empty: the instruction at pc runs alone
  // Cycles from the start of the first instruction (after its load-use penalty, which depends on the
  // instruction before the block) to the start of the last one: the block fits a cycle budget if that start
  // is before it.
  uint64_t cycles_before_last = 0;
  uint64_t cycles = 0, stalls = 0;                         // sums over ops of cost and stall
  std::vector<std::pair<uint8_t, uint32_t>> class_counts;  // (class, instructions) of the classes present
};

// Whether the instruction can be part of a block (the others need the hart's trap and CSR state).
bool rv_in_block(RvOp op);
// The block of `words` (the instruction words from `pc` to the end of its decode page).
RvBlock rv_build_block(uint32_t pc, const uint32_t* words, uint32_t count, const RvTiming& timing);

}  // namespace aimc::riscv
