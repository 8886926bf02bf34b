#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, mulh, 0xffff0081, 0xaaaaaaab, 0x0002fe7d)
TEST_RR(3, mulh, 0xffffffff, 0xffffffff, 0x00000001)
TEST_RR(4, mulh, 0x40000000, 0x80000000, 0x80000000)
RVTEST_END
