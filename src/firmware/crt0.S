/* Reset: stack at the top of SRAM, .bss cleared (the command table lives there and is written by the
   simulator after loading, so it is cleared only when the firmware did not receive one), traps to the
   handler in main.c, then main(). */
  .section .text.init
  .globl _start
_start:
  la sp, __stack
  la t0, aimc_trap
  csrw mtvec, t0
  call main
1: j 1b
