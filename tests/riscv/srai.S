#include "test_macros.h"
RVTEST_BEGIN
TEST_IMM(2, srai, 0xffffffff, 0x80000000, 31)
TEST_IMM(3, srai, 0x00ffffff, 0x7fffffff, 7)
RVTEST_END
