#pragma once
// The controller's timing model, in controller clock cycles (defaults: core.controller.riscv.* in
// config/ArchParamsController.cpp, modelled on a small in-order RV32IM core like lowRISC Ibex):
//   every instruction             1 cycle (single-issue, in order)
//   mul/mulh*                      + (mul_cycles - 1)
//   div/divu/rem/remu              + (div_cycles - 1)         (iterative divider)
//   load / store                   + memory latency: local SRAM sram_latency cycles, a block register as long
//                                    as the TLM target annotates / waits (rounded up to whole cycles)
//   a source register written by the load just before          + load_use_penalty
//   taken branch, jal/jalr, trap entry, mret                   + branch_penalty (fetch redirect)
//   wfi                            sleeps until an enabled interrupt is pending (counted as sleep cycles)
#include <cstdint>

namespace aimc::riscv {

struct RvTiming {
  uint32_t mul_cycles = 3;
  uint32_t div_cycles = 37;
  uint32_t sram_latency = 0;  // extra cycles of a local SRAM access beyond the instruction's own cycle
  uint32_t load_use_penalty = 1;
  uint32_t branch_penalty = 2;
};

}  // namespace aimc::riscv
