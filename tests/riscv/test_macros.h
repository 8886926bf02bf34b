/* clang-format off */
/* Assembler macros, not C: clang-format would break them. */
/* Self-checking ISA tests in the style of riscv-tests: each case loads operands, runs the instruction under
   test, compares the result register (or memory) with the expected value and on a mismatch ends through HTIF
   with the case number as the failure code (tohost = (n << 1) | 1); all cases passing writes tohost = 1. */
#define TESTNUM gp

#define RVTEST_BEGIN                                                   \
  .section .text.init; .globl _start; _start:                          \
  la t0, trap_unexpected; csrw mtvec, t0; la sp, _stack_top; li TESTNUM, 0;

#define RVTEST_END                                                     \
  pass: li t0, 1; la t1, tohost; sw zero, 4(t1); sw t0, 0(t1); 1: j 1b; \
  trap_unexpected: li TESTNUM, 1000;                                   \
  fail: slli t0, TESTNUM, 1; ori t0, t0, 1; la t1, tohost; sw t0, 0(t1); 2: j 2b; \
  .section .tohost, "aw"; .align 3; .globl tohost; tohost: .dword 0; .globl fromhost; fromhost: .dword 0; \
  .data; .align 4; tdat: .word 0x00ff00ff, 0xff00ff00, 0x0ff00ff0, 0xf00ff00f; \
  tstore: .word 0, 0, 0, 0; .text

#define CHECK(reg, expected) li x7, expected; bne reg, x7, fail;

#define TEST_RR(n, inst, result, v1, v2)                               \
  li TESTNUM, n; li x11, v1; li x12, v2; inst x14, x11, x12; CHECK(x14, result)
#define TEST_IMM(n, inst, result, v1, imm)                             \
  li TESTNUM, n; li x11, v1; inst x14, x11, imm; CHECK(x14, result)
/* The same register as source and destination, and x0 as destination (stays zero). */
#define TEST_RR_SRC1_EQ_DEST(n, inst, result, v1, v2)                  \
  li TESTNUM, n; li x11, v1; li x12, v2; inst x11, x11, x12; CHECK(x11, result)
#define TEST_RR_ZERODEST(n, inst, v1, v2)                              \
  li TESTNUM, n; li x11, v1; li x12, v2; inst x0, x11, x12; bne x0, zero, fail;
#define TEST_LD(n, inst, result, offset)                               \
  li TESTNUM, n; la x1, tdat; inst x14, offset(x1); CHECK(x14, result)
#define TEST_ST(n, store, load, value, offset)                         \
  li TESTNUM, n; la x1, tstore; li x2, value; store x2, offset(x1); load x14, offset(x1); CHECK(x14, value)
#define TEST_BR_TAKEN(n, inst, v1, v2)                                 \
  li TESTNUM, n; li x11, v1; li x12, v2; inst x11, x12, 3f; j fail; 3:
#define TEST_BR_NOT_TAKEN(n, inst, v1, v2)                             \
  li TESTNUM, n; li x11, v1; li x12, v2; inst x11, x12, fail;

/* Traps: the handler checks mcause (and mtval), then resumes after the trapping instruction. */
#define EXPECT_TRAP_HANDLER(cause)                                     \
  la t0, 8f; csrw mtvec, t0; j 9f;                                     \
  .align 2; 8: csrr t1, mcause; li t2, cause; bne t1, t2, fail;        \
  csrr t1, mepc; addi t1, t1, 4; csrw mepc, t1; addi s1, s1, 1; mret; 9: li s1, 0;
