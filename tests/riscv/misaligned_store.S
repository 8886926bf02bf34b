#include "test_macros.h"
RVTEST_BEGIN
EXPECT_TRAP_HANDLER(6)
li TESTNUM, 2; la t0, tstore; addi t0, t0, 2; sw x0, 0(t0); CHECK(s1, 1); csrr x14, mtval; bne x14, t0, fail
li TESTNUM, 3; addi t0, t0, 1; sh x0, 0(t0); CHECK(s1, 2)
RVTEST_END
