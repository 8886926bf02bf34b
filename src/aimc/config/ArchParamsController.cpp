#include "aimc/config/ArchParams.h"

namespace aimc::arch_params_detail {

void declare_controller_params(ParamTable<ArchConfig>& t) {
  using namespace units;
  t.add(
      choice("core.controller.kind", "command_table",
             "What drives the core: a command-table sequencer, or an RV32IM controller running the firmware "
             "(src/firmware) that executes the same table",
             "design choice"),
      AIMC_FIELD(core.controller.kind));
  t.add(
      P("core.controller.clock", F, kMHz, "400MHz", 1, 10000, "Controller clock", "[A] digital clock domain"),
      AIMC_FIELD(core.controller.clock_mhz));
  t.add(P("core.controller.cycles_per_command", I, kNone, "2", 1, 1000,
          "Cycles to fetch and issue one command (register write)", "model: fetch + issue"),
        AIMC_FIELD(core.controller.cycles_per_command))
      .applies_when("core.controller.kind", {"command_table"});
  t.add(P("core.controller.cores_per_controller", I, kNone, "1", 1, 64,
          "Cores one controller drives (a cluster of neighbouring core ids); it runs their merged command "
          "table and sees one set of block pages per core",
          "[A] one controller per core is the published floorplan's reading; clusters are a design-space "
          "option (REFERENCE F: Bruschi et al. share a cluster of RISC-V cores between arrays)"),
        AIMC_FIELD(core.controller.cores_per_controller));
  t.add(P("core.controller.mailbox.latency", I, kNone, "2", 1, 1000,
          "Controller cycles from a mailbox send (or the last barrier arrival) until the receiver sees the "
          "word (or every participant is released)",
          "assumption: one cycle to cross into the chip-level register block, one to update it"),
        AIMC_FIELD(core.controller.mailbox_latency));
  t.add(P("core.controller.mailbox.depth", I, kNone, "4", 1, 1024,
          "Words each controller's mailbox FIFO holds; a send to a full mailbox stalls the sender",
          "assumption: a small register FIFO per controller"),
        AIMC_FIELD(core.controller.mailbox_depth));
  // The RISC-V controller's timing model (aimc/config/RvTiming.h). The core modelled is a small in-order
  // RV32IM microcontroller; the figures are those of lowRISC Ibex (docs: "Pipeline Details", instruction
  // timing table): fast multiplier 3 cycles (MULH* 4: we charge 3), iterative divider 37 cycles, taken
  // branch 3 cycles and jump 2 (we charge 1 + 2 for both), load-use one stall.
  t.add(P("core.controller.riscv.mul_cycles", I, kNone, "3", 1, 64, "Cycles of mul/mulh/mulhsu/mulhu",
          "lowRISC Ibex instruction timing (fast multiplier)"),
        AIMC_FIELD(core.controller.mul_cycles))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("core.controller.riscv.div_cycles", I, kNone, "37", 1, 128, "Cycles of div/divu/rem/remu",
          "lowRISC Ibex instruction timing (iterative divider)"),
        AIMC_FIELD(core.controller.div_cycles))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("core.controller.riscv.sram_latency", I, kNone, "0", 0, 64,
          "Extra cycles of a load/store to the controller's local SRAM (0: single-cycle tightly coupled "
          "memory)",
          "assumption: single-cycle SRAM as Ibex's data interface with a 1-cycle memory"),
        AIMC_FIELD(core.controller.sram_latency))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("core.controller.riscv.load_use_penalty", I, kNone, "1", 0, 16,
          "Stall cycles when an instruction reads the register loaded by the one before",
          "lowRISC Ibex instruction timing (load-use hazard)"),
        AIMC_FIELD(core.controller.load_use_penalty))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("core.controller.riscv.branch_penalty", I, kNone, "2", 0, 16,
          "Extra cycles of a taken branch, jal/jalr, trap entry or mret (fetch redirect)",
          "lowRISC Ibex instruction timing (jump 2 cycles)"),
        AIMC_FIELD(core.controller.branch_penalty))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("core.controller.riscv.sram", I, kNone, "65536", 65536, 1 << 24,
          "Bytes of the RISC-V controller's SRAM (firmware, stack, command table), at regmap kSramBase",
          "assumption: 64 KiB, the size the firmware is linked for (src/firmware/link.ld)"),
        AIMC_FIELD(core.controller.sram_bytes))
      .applies_when("core.controller.kind", {"riscv"});
  t.add(P("core.controller.riscv.quantum", F, kNs, "1000ns", 1, 1e9,
          "Temporal decoupling: how far a RISC-V controller runs ahead of the chip between synchronisations",
          "model: simulation speed vs. interrupt/timer accuracy (no effect on block-register timing)"),
        AIMC_FIELD(core.controller.quantum_ns))
      .applies_when("core.controller.kind", {"riscv"});
}

void validate_controller(const ArchConfig& a, const ArchValidator& v) {
  const int64_t k = a.core.controller.cores_per_controller;
  if (k > 0 && a.chip.cores % k != 0)
    v.fail("core.controller.cores_per_controller", std::to_string(k) + " does not divide chip.cores (" +
                                                       std::to_string(a.chip.cores) +
                                                       "): every controller drives a whole cluster");
}

}  // namespace aimc::arch_params_detail
