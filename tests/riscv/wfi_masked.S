#include "test_macros.h"
RVTEST_BEGIN
li TESTNUM, 2; li t1, 0x0200bff8; lw t2, 0(t1); addi t2, t2, 50; li t1, 0x02004000; sw t2, 0(t1); sw zero, 4(t1)
li t0, 0x80; csrw mie, t0; csrci mstatus, 8; wfi
li TESTNUM, 3; csrr x14, mip; andi x14, x14, 0x80; CHECK(x14, 0x80)
RVTEST_END
