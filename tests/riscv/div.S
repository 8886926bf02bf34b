#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, div, 3, 20, 6)
TEST_RR(3, div, -3, -20, 6)
TEST_RR(4, div, 0x80000000, 0x80000000, -1)
TEST_RR(5, div, -1, 1, 0)
RVTEST_END
