#include "test_macros.h"
RVTEST_BEGIN
EXPECT_TRAP_HANDLER(0)
li TESTNUM, 2; la t0, 4f; addi t0, t0, 2; li ra, 0; jalr ra, 0(t0); CHECK(s1, 1); CHECK(ra, 0); csrr x14, mtval; bne x14, t0, fail; 4: nop
RVTEST_END
