/* The RISC-V controller firmware: waits (wfi) for the chip's doorbell; on a configuration request runs the
   set-up commands (DMA descriptors that load the digital units' registers), else runs the compiler's command
   table for each sample of the run through the block drivers, reports every finished sample, and after the
   last one runs the batch-end commands (the barrier where all controllers meet). The table
   is placed in SRAM by the simulator at load time (aimc_command_table / aimc_command_count). Any trap is a
   firmware bug: it ends the program through HTIF with the cause. */
#include <stdint.h>
#include <string.h>

#include "block.h"

struct aimc_command aimc_command_table[2048]; /* regmap kCommandCapacity */
volatile uint32_t aimc_command_count;         /* per-sample commands, first in the table */
volatile uint32_t aimc_batch_end_count;       /* then the commands run once after a run's last sample */
volatile uint32_t aimc_setup_count; /* then the set-up commands, run when the chip asks (configuration) */
_Static_assert(sizeof(aimc_command_table) / sizeof(aimc_command_table[0]) == 2048, "regmap kCommandCapacity");

volatile uint64_t tohost __attribute__((section(".tohost"), aligned(8)));
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8)));

static volatile uint32_t* const ctl = (volatile uint32_t*)(uintptr_t)regmap_kControlBase;

__attribute__((interrupt("machine"), aligned(4))) void aimc_trap(void) {
  uint32_t cause;
  __asm__ volatile("csrr %0, mcause" : "=r"(cause));
  tohost = ((uint64_t)(cause & 0xFF) << 1) | 3; /* code = (cause << 1) | 1 (non-zero even for cause 0) */
  for (;;) {
  }
}

/* Each operation goes to the driver of its block, as the one list of operations says (isa/OpcodeList.h):
   a new operation on an existing block needs no change here. */
static void run_command(const struct aimc_command* c, uint32_t sample, uint32_t pixel) {
  switch (c->op & regmap_kOpMask) {
#define AIMC_FW_DISPATCH(name, value, block, mnemonic) \
  case value:                                          \
    block_##block(c, sample, pixel);                   \
    break;
    AIMC_ISA_OPCODES(AIMC_FW_DISPATCH)
#undef AIMC_FW_DISPATCH
    default:
      break;
  }
}

/* One sample: the table in order; a loop command (a = count, b = body length) repeats its body with the
   PIXEL register counting the iterations. */
static void run_sample(uint32_t sample, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    const struct aimc_command* c = &aimc_command_table[i];
    if ((c->op & regmap_kOpMask) != regmap_kOpLoop) {
      run_command(c, sample, 0);
      continue;
    }
    const uint32_t count = c->arg[0], body = c->arg[1];
    for (uint32_t p = 0; p < count; ++p)
      for (uint32_t k = 1; k <= body; ++k) run_command(c + k, sample, p);
    i += body;
  }
}

int main(void) {
  /* The doorbell is the machine external interrupt; mstatus.MIE stays clear, so wfi wakes on it without
     taking a trap. */
  __asm__ volatile("csrw mie, %0" ::"r"(1u << 11));
  for (;;) {
    uint32_t count;
    while ((count = ctl[regmap_kCtlCount / 4]) == 0 && ctl[regmap_kCtlSetup / 4] == 0)
      __asm__ volatile("wfi");
    const uint32_t n = aimc_command_count;
    if (count == 0) {
      /* The configuration phase at the start of a run: the set-up commands (the DMA loads the digital
         units' registers from the configuration tables). */
      ctl[regmap_kCtlAck / 4] = 1;
      const uint32_t setup = n + aimc_batch_end_count;
      for (uint32_t i = setup; i != setup + aimc_setup_count; ++i) run_command(&aimc_command_table[i], 0, 0);
      ctl[regmap_kCtlSetupDone / 4] = 1;
      continue;
    }
    const uint32_t first = ctl[regmap_kCtlFirst / 4];
    ctl[regmap_kCtlAck / 4] = 1;
    for (uint32_t s = first; s != first + count; ++s) {
      run_sample(s, n);
      ctl[regmap_kCtlSampleDone / 4] = s;
    }
    for (uint32_t i = n; i != n + aimc_batch_end_count; ++i)
      run_command(&aimc_command_table[i], first + count - 1, 0);
  }
}
