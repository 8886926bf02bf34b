#include "test_macros.h"
RVTEST_BEGIN
TEST_LD(2, lb, 0xffffffff, 0)
TEST_LD(3, lb, 0x00000000, 1)
TEST_LD(4, lb, 0xfffffff0, 8)
RVTEST_END
