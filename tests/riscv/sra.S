#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, sra, 0xc0000000, 0x80000000, 1)
TEST_RR(3, sra, 0xffffffff, 0x80000000, 31)
TEST_RR(4, sra, 0x3fffffff, 0x7fffffff, 33)
RVTEST_END
