#include "test_macros.h"
RVTEST_BEGIN
TEST_IMM(2, srli, 0x00000001, 0x80000000, 31)
TEST_IMM(3, srli, 0x01ffffff, 0xffffffff, 7)
RVTEST_END
