#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, rem, 2, 20, 6)
TEST_RR(3, rem, -2, -20, 6)
TEST_RR(4, rem, 0, 0x80000000, -1)
TEST_RR(5, rem, -7, -7, 0)
RVTEST_END
