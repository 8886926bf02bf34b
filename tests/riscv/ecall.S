#include "test_macros.h"
RVTEST_BEGIN
EXPECT_TRAP_HANDLER(11)
li TESTNUM, 2; ecall; CHECK(s1, 1)
li TESTNUM, 3; la t0, 4f; 4: ecall; csrr x14, mepc; addi x14, x14, -4; bne x14, t0, fail
RVTEST_END
