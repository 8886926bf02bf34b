#include "test_macros.h"
RVTEST_BEGIN
TEST_IMM(2, slti, 1, 0xffffffff, 0)
TEST_IMM(3, slti, 0, 0, -1)
TEST_IMM(4, slti, 1, 0x80000000, 0x7ff)
RVTEST_END
