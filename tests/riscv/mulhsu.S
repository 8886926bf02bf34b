#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, mulhsu, 0xffff0081, 0xaaaaaaab, 0x0002fe7d)
TEST_RR(3, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff)
TEST_RR(4, mulhsu, 0xc0000000, 0x80000000, 0x80000000)
RVTEST_END
