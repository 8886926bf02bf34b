#include "test_macros.h"
RVTEST_BEGIN
TEST_RR(2, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff)
TEST_RR(3, mulhu, 0x0001fefe, 0xaaaaaaab, 0x0002fe7d)
RVTEST_END
