#include "test_macros.h"
RVTEST_BEGIN
TEST_ST(2, sb, lbu, 0xaa, 0)
TEST_ST(3, sb, lbu, 0x0a, 3)
li TESTNUM, 4; la x1, tstore; lw x14, 0(x1); CHECK(x14, 0x0a0000aa)
RVTEST_END
