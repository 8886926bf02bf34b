#include "test_macros.h"
RVTEST_BEGIN
EXPECT_TRAP_HANDLER(4)
li TESTNUM, 2; la t0, tdat; addi t0, t0, 1; lw x14, 0(t0); CHECK(s1, 1); csrr x14, mtval; bne x14, t0, fail
li TESTNUM, 3; lh x14, 0(t0); CHECK(s1, 2)
li TESTNUM, 4; lb x14, 0(t0); CHECK(s1, 2)
RVTEST_END
