#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, sltu, 0, 0, 0)
TEST_RR(3, sltu, 0, 0xffffffff, 0)
TEST_RR(4, sltu, 1, 0x7fffffff, 0x80000000)
TEST_RR(5, sltu, 1, 0, 1)
RVTEST_END
