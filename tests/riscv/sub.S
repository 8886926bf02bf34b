#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, sub, 0, 0, 0)
TEST_RR(3, sub, 0xffffffff, 0, 1)
TEST_RR(4, sub, 0x80000000, 0x7fffffff, 0xffffffff)
TEST_RR(5, sub, 0x7fffffff, 0x80000000, 1)
TEST_RR_SRC1_EQ_DEST(6, sub, 2, 13, 11)
RVTEST_END
