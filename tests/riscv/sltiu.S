#include "test_macros.h"
RVTEST_BEGIN
TEST_IMM(2, sltiu, 1, 0, -1)
TEST_IMM(3, sltiu, 0, 0xffffffff, 0x7ff)
TEST_IMM(4, sltiu, 1, 0x7fe, 0x7ff)
RVTEST_END
