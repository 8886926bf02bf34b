#include "test_macros.h"
RVTEST_BEGIN
TEST_ST(2, sh, lhu, 0xaaaa, 0)
TEST_ST(3, sh, lhu, 0xa00a, 2)
li TESTNUM, 4; la x1, tstore; lw x14, 0(x1); CHECK(x14, 0xa00aaaaa)
RVTEST_END
