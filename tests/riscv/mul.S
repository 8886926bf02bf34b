#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, mul, 0x00001200, 0x00007e00, 0xb6db6db7)
TEST_RR(3, mul, 0x00000001, 0xffffffff, 0xffffffff)
TEST_RR(4, mul, 0x80000000, 0x80000000, 0xffffffff)
RVTEST_END
