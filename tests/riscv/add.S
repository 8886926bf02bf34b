#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, add, 0x00000000, 0, 0)
TEST_RR(3, add, 0x00000002, 1, 1)
TEST_RR(4, add, 0xffff8000, 0x0, 0xffff8000)
TEST_RR(5, add, 0x80000000, 0x7fffffff, 1)
TEST_RR(6, add, 0x00000000, 0xffffffff, 1)
TEST_RR_SRC1_EQ_DEST(7, add, 24, 13, 11)
TEST_RR_ZERODEST(8, add, 15, 20)
RVTEST_END
