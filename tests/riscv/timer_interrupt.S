#include "test_macros.h"
RVTEST_BEGIN
la t0, 8f; csrw mtvec, t0; li s1, 0
li TESTNUM, 2; li t1, 0x0200bff8; lw t2, 0(t1); addi t2, t2, 200; li t1, 0x02004000; sw t2, 0(t1); sw zero, 4(t1)
li t0, 0x80; csrw mie, t0; csrsi mstatus, 8; wfi; CHECK(s1, 1)
li TESTNUM, 3; li t1, 0x0200bff8; lw t3, 0(t1); bltu t3, t2, fail; j 9f
.align 2; 8: csrr t3, mcause; li t4, 0x80000007; bne t3, t4, fail; addi s1, s1, 1; li t3, -1; li t4, 0x02004000; sw t3, 4(t4); mret
9: nop
RVTEST_END
