#include "test_macros.h"
RVTEST_BEGIN
TEST_IMM(2, addi, 0x00000000, 0, 0)
TEST_IMM(3, addi, 0xfffff800, 0, -2048)
TEST_IMM(4, addi, 0x800007fe, 0x7fffffff, 2047)
TEST_IMM(5, addi, 0x00000000, 0xffffffff, 1)
RVTEST_END
