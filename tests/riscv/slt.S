#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, slt, 0, 0, 0)
TEST_RR(3, slt, 1, 0xffffffff, 0)
TEST_RR(4, slt, 0, 0x7fffffff, 0x80000000)
TEST_RR(5, slt, 1, 0x80000000, 0x7fffffff)
RVTEST_END
