#include "test_macros.h"
RVTEST_BEGIN
EXPECT_TRAP_HANDLER(3)
li TESTNUM, 2; la t0, 4f; 4: ebreak; CHECK(s1, 1); csrr x14, mtval; bne x14, t0, fail
RVTEST_END
