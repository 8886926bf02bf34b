#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, srl, 0x40000000, 0x80000000, 1)
TEST_RR(3, srl, 0x00000001, 0x80000000, 31)
TEST_RR(4, srl, 0x7fffffff, 0xffffffff, 0xffffffe1)
RVTEST_END
